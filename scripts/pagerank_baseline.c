/* The "plain C loop over a CSR layout" that scripts/bench-analysis compares
 * Trama's PageRank with: the same undirected simple graph (parallel ties merged,
 * self-loops dropped), the same update and stopping rule as networkx
 * (L1 change < n * 1e-6), OpenMP over two threads. Reads the relations sheet
 * written by synth.py (ids `aN`). Prints `pagerank SECONDS ITERATIONS`.
 * Build: gcc -O2 -fopenmp pagerank_baseline.c -o pagerank_baseline */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int cmp(const void *a, const void *b) {
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    FILE *f = fopen(argv[1], "r");
    char line[4096];
    fgets(line, sizeof line, f);
    long cap = 1 << 20, m = 0, n = 0;
    long *pairs = malloc(cap * sizeof(long) * 2);
    while (fgets(line, sizeof line, f)) {
        long a = strtol(line + 1, NULL, 10);
        char *comma = strchr(line, ',');
        long b = strtol(comma + 2, NULL, 10);
        if (a == b) continue;
        if (m + 2 > cap) { cap *= 2; pairs = realloc(pairs, cap * sizeof(long) * 2); }
        pairs[m++] = (a << 32) | b;
        pairs[m++] = (b << 32) | a;
        if (a >= n) n = a + 1;
        if (b >= n) n = b + 1;
    }
    qsort(pairs, m, sizeof(long), cmp);
    long k = 0;
    for (long i = 0; i < m; i++) if (i == 0 || pairs[i] != pairs[i - 1]) pairs[k++] = pairs[i];
    m = k;
    int *offsets = calloc(n + 1, sizeof(int)), *targets = malloc(m * sizeof(int));
    for (long i = 0; i < m; i++) { offsets[(pairs[i] >> 32) + 1]++; targets[i] = (int)(pairs[i] & 0xffffffff); }
    for (long i = 0; i < n; i++) offsets[i + 1] += offsets[i];
    double *x = malloc(n * sizeof(double)), *next = malloc(n * sizeof(double)), *share = malloc(n * sizeof(double));
    for (long i = 0; i < n; i++) x[i] = 1.0 / n;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int iterations = 0;
    for (; iterations < 1000; iterations++) {
        double dangling = 0;
        #pragma omp parallel for reduction(+:dangling)
        for (long v = 0; v < n; v++) {
            int d = offsets[v + 1] - offsets[v];
            if (d == 0) { dangling += x[v]; share[v] = 0; } else share[v] = x[v] / d;
        }
        double base = (0.85 * dangling + 0.15) / n, change = 0;
        #pragma omp parallel for reduction(+:change)
        for (long v = 0; v < n; v++) {
            double s = 0;
            for (int e = offsets[v]; e < offsets[v + 1]; e++) s += share[targets[e]];
            next[v] = 0.85 * s + base;
            change += fabs(next[v] - x[v]);
        }
        double *t = x; x = next; next = t;
        if (change < n * 1e-6) { iterations++; break; }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("pagerank %.4f %d\n", (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9, iterations);
    return 0;
}
