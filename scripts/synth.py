#!/usr/bin/env python3
"""Generates a seeded synthetic territorial ecosystem as the two spreadsheet
sheets Trama imports (actors.csv, relations.csv).

Shape, after DESIGN.md: actors spread over a region > province > municipality
hierarchy; kinds in the proportions of a real social economy (many
cooperatives and associations, fewer consortia, administrations, mentors and
networks; projects as hubs); about five relations per actor, each type between
the kinds its rule allows, mostly inside a municipality or province and a few
across territories. Same --seed, same files.

Usage: synth.py --actors 100000 --seed 7 --out DIR
"""
import argparse
import csv
import os
import random

KINDS = [  # kind, share
    ("cooperative", 0.38), ("association", 0.22), ("partner", 0.10), ("project", 0.12),
    ("public_administration", 0.06), ("consortium", 0.04), ("mentor", 0.06), ("network", 0.02),
]
THEMES = ["welfare", "giovani", "cultura", "agricoltura", "digitale", "turismo", "salute", "sport",
          "sostenibilità", "educazione", "inclusione", "lavoro"]
ORGS = ["cooperative", "consortium", "association", "public_administration", "partner", "network"]
THIRD = ["cooperative", "consortium", "association", "partner", "network"]
# relation type, share, source kinds, target kinds, directed
TYPES = [
    ("partners_with", 0.30, ORGS, ORGS, False),
    ("participates_in", 0.22, ORGS + ["mentor"], ["project"], True),
    ("member_of", 0.12, ORGS, ["consortium", "network"], True),
    ("promotes", 0.08, ORGS, ["project"], True),
    ("contracts_with", 0.07, ["public_administration"], THIRD, True),
    ("co_designs_with", 0.05, ORGS, ORGS, False),
    ("co_programs_with", 0.02, ORGS, ORGS, False),
    ("mentors", 0.06, ["mentor"], ORGS + ["project"], True),
    ("affiliated_with", 0.04, ["mentor"], ORGS, True),
    ("funds", 0.04, ORGS, ORGS + ["project"], True),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--actors", type=int, default=100_000)
    parser.add_argument("--relations-per-actor", type=float, default=5.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    n = args.actors

    regions = max(1, min(20, n // 2000))
    provinces_per_region, municipalities_per_province = 6, 12
    territories = [f"Regione {r:02d}/Provincia {r:02d}-{p}/Comune {r:02d}-{p}-{m:02d}"
                   for r in range(regions) for p in range(provinces_per_region) for m in range(municipalities_per_province)]
    weights = [1.0 / (1 + i % municipalities_per_province) for i in range(len(territories))]  # a few large towns per province

    kinds = rng.choices([k for k, _ in KINDS], [w for _, w in KINDS], k=n)
    places = rng.choices(range(len(territories)), weights, k=n)
    by_kind_place: dict = {}
    by_kind_province: dict = {}
    by_kind: dict = {}
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "actors.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["ID", "Label", "Type", "Territory", "Themes", "Tags", "Founded"])
        for i in range(n):
            kind, place = kinds[i], places[i]
            province = place // municipalities_per_province
            by_kind_place.setdefault((kind, place), []).append(i)
            by_kind_province.setdefault((kind, province), []).append(i)
            by_kind.setdefault(kind, []).append(i)
            themes = "|".join(rng.sample(THEMES, rng.randint(1, 3)))
            w.writerow([f"a{i}", f"{kind.replace('_', ' ').title()} {i}", kind, territories[place], themes,
                        "synthetic" if i % 10 == 0 else "", 1950 + i % 70])

    target = int(n * args.relations_per_actor)
    seen = set()
    statuses = ["active"] * 8 + ["ended", "planned", "potential"]
    type_names = [t[0] for t in TYPES]
    type_weights = [t[1] for t in TYPES]
    spec = {t[0]: t for t in TYPES}

    def pick(kinds_allowed, place, province):
        kind = rng.choice(kinds_allowed)
        roll = rng.random()
        pool = None
        if roll < 0.6:
            pool = by_kind_place.get((kind, place))
        elif roll < 0.9:
            pool = by_kind_province.get((kind, province))
        if not pool:
            pool = by_kind.get(kind)
        return rng.choice(pool) if pool else None

    with open(os.path.join(args.out, "relations.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["From", "To", "Type", "Strength", "Since", "Status"])
        written = 0
        attempts = 0
        while written < target and attempts < target * 4:
            attempts += 1
            name = rng.choices(type_names, type_weights)[0]
            _, _, sources, targets, directed = spec[name]
            a = pick(sources, rng.randrange(len(territories)) if rng.random() < 0.1 else places[rng.randrange(n)], 0)
            if a is None:
                continue
            place = places[a]
            b = pick(targets, place, place // municipalities_per_province)
            if b is None or a == b:
                continue
            key = (name, a, b) if directed else (name, min(a, b), max(a, b))
            if key in seen:
                continue
            seen.add(key)
            w.writerow([f"a{a}", f"a{b}", name, rng.randint(1, 5), 2000 + rng.randrange(25), rng.choice(statuses)])
            written += 1
    print(f"{n} actors, {written} relations in {args.out}")


if __name__ == "__main__":
    main()
