"""Do the grid's rows come out the same at one clean commit? Re-runs a sample of them and compares.

    git worktree add /tmp/ganad-repro HEAD      # a clean checkout, so the rows record a clean commit
    cd /tmp/ganad-repro && PYTHONPATH=. /path/to/.venv/bin/python benchmarks/grid_reproduce.py --other-threads 3
    # -> results/cpu/grid_reproduce.csv, one line per re-run row (resumes: rows already there are skipped)

`results/cpu/runs.csv` was written over two days by code that changed in between: its rows name 13
code versions, and some were written from a working tree with uncommitted changes ('+dirty'). Each
version also ran only some of the seeds, so "seed" and "code version" are confounded in the grid. A
run is seeded (`seed_everything`) and the CPU repeats itself, so the question has a direct test:
run a row again with today's code and compare its AUROC with the one recorded. This script re-runs
one row for every (code version, method) pair in the grid, chosen with a fixed random seed, at the
current commit, with the grid's sizes (`Profile.for_grid()`), and writes both AUROCs side by side.

A CPU run repeats itself bit for bit only on the same number of threads (measured: the autoencoder's
row for Fashion-MNIST class 0, seed 0 gives AUROC 0.471743 on two threads and 0.475319 on one, each
time). The rows do not record their threads; `results/cpu/README.md` does, by row number: the first row
and rows 43-74 ran on two threads, all others on one. Each row is re-run on its own thread count.

With `--other-threads N` the first N rows re-run are then also run on the other thread count (one
thread instead of two, or two instead of one): how far the thread count alone moves an AUROC. Those
lines are the ones whose `threads` differs from the thread count their `row` ran on.

A row whose recorded sizes differ from today's grid is not re-run (it could not be the same run);
it is listed with an empty `auroc_now`. Nothing here changes `runs.csv`.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections import defaultdict
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
KEY = ("method", "dataset", "protocol", "class", "seed")
COLUMNS = [*KEY, "row", "threads", "git_commit_then", "auroc_then", "git_commit_now", "auroc_now", "difference", "train_seconds_now"]


def choose(rows: list[dict], seed: int = 0) -> list[dict]:
    """One row per (code version, method), drawn with ``random.Random(seed)``; each gets its ``row`` number."""
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for i, r in enumerate(rows, start=1):
        groups[(r["git_commit"], r["method"])].append({**r, "row": i})
    rng = random.Random(seed)
    return [rng.choice(groups[k]) for k in sorted(groups)]


def main(argv: list[str] | None = None) -> int:
    from ganad_lib.experiments import Run, _git_commit, cpu_grid_threads, read_runs, run_one, run_sizes
    from ganad_lib.profiles import get_profile

    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--runs", default=str(ROOT / "results" / "cpu" / "runs.csv"))
    p.add_argument("--out", default=str(ROOT / "results" / "cpu" / "grid_reproduce.csv"))
    p.add_argument("--seed", type=int, default=0, help="seed of the draw of rows")
    p.add_argument("--other-threads", type=int, default=0, metavar="N",
                   help="afterwards run the first N rows again on the other thread count")
    a = p.parse_args(argv)
    profile = get_profile("cpu").for_grid()
    commit = _git_commit()
    if commit.endswith("+dirty"):
        print(f"the working tree has uncommitted changes ({commit}): run this from a clean checkout "
              "(git worktree add /tmp/ganad-repro HEAD)", file=sys.stderr)
        return 2
    out = Path(a.out)
    done = set()
    if out.exists():
        with open(out, newline="") as f:
            done = {(*(r[k] for k in KEY), r["threads"]) for r in csv.DictReader(f)}
    if not out.exists():
        with open(out, "w", newline="") as f:
            csv.DictWriter(f, COLUMNS).writeheader()
    chosen = choose(read_runs(a.runs), a.seed)
    print(f"{len(chosen)} rows chosen, {len(done)} lines already there", flush=True)
    todo = [(r, cpu_grid_threads(r["row"])) for r in chosen]
    todo += [(r, 3 - cpu_grid_threads(r["row"])) for r in chosen if r["sizes"] == run_sizes(r["method"], profile)][:a.other_threads]
    for r, threads in todo:
        if (*(r[k] for k in KEY), str(threads)) in done:
            continue
        run = Run(r["method"], r["dataset"], r["protocol"], int(r["class"]), int(r["seed"]))
        new = {"auroc": "", "train_seconds": ""}
        torch.set_num_threads(threads)
        if r["sizes"] == run_sizes(run.method, profile):
            new = run_one(run, profile, git_commit=commit)
        line = {**{k: r[k] for k in KEY}, "row": r["row"], "threads": threads, "git_commit_then": r["git_commit"],
                "auroc_then": r["auroc"], "git_commit_now": commit, "auroc_now": new["auroc"],
                "difference": f"{float(new['auroc']) - float(r['auroc']):+.6f}" if new["auroc"] else "",
                "train_seconds_now": new["train_seconds"]}
        with open(out, "a", newline="") as f:
            csv.DictWriter(f, COLUMNS).writerow(line)
        print(" ".join(str(line[k]) for k in COLUMNS), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
