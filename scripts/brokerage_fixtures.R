#!/usr/bin/env Rscript
# Reference values for Gould-Fernandez brokerage, computed once by R's
# sna::brokerage (Debian: r-cran-sna). Reads a directed edge list and a class
# per node, prints JSON: per-node raw, expected, sd and z for the five roles and
# the total, and the same for the whole graph.
# Usage: Rscript brokerage_fixtures.R EDGES.tsv CLASSES.tsv > out.json
suppressMessages(library(sna))
args <- commandArgs(trailingOnly = TRUE)
classes <- read.delim(args[2], header = FALSE, stringsAsFactors = FALSE)
n <- nrow(classes)
adj <- matrix(0, n, n)
if (file.info(args[1])$size > 0) {
  edges <- read.delim(args[1], header = FALSE)
  for (r in seq_len(nrow(edges))) adj[edges[r, 1] + 1, edges[r, 2] + 1] <- 1
}
b <- brokerage(adj, classes[, 2])
num <- function(x) ifelse(is.finite(x), sprintf("%.17g", x), "null")
mat <- function(m) paste0("[", paste(apply(m, 1, function(r) paste0("[", paste(num(r), collapse = ","), "]")), collapse = ","), "]")
vec <- function(v) paste0("[", paste(num(v), collapse = ","), "]")
cat(sprintf('{"raw": %s, "expected": %s, "sd": %s, "z": %s, "global_raw": %s, "global_expected": %s, "global_sd": %s, "global_z": %s}\n',
            mat(b$raw.nli), mat(b$exp.nli), mat(b$sd.nli), mat(b$z.nli), vec(b$raw.gli), vec(b$exp.gli), vec(b$sd.gli), vec(b$z.gli)))
