"""Does more training data help kNN under the results' protocol? kNN needs no training, so the full-size
question ("is it the method or the budget?") can be answered on a CPU for the baseline, if not for the GANs.

    .venv/bin/python benchmarks/knn_budget.py              # -> results/cpu/knn_budget.json, ~10 min, 1 thread
    .venv/bin/python benchmarks/knn_budget.py --datasets mnist --seeds 0

For every data set, anomalous class (protocol "one class anomalous") and seed of the cpu grid, the same
split as the grid's run (``make_split`` with the grid's sizes: same validation and test images), kNN
(k = 5, mean Euclidean distance) scores the test images with three memories of normal training images:

* ``grid``: the grid's 3,000 (the run in results/cpu/runs.csv; the file records that the AUROC matches it);
* ``cap``: the library's cap, ``KNNDetector``'s default ``max_fit`` of 10,000 (what the full profile uses);
* ``all``: every normal training image of the split (the split's training part without ``max_train``).

Only the number of remembered images changes; the test images are the same 1,000 in all three. The
file keeps every run and, per data set and memory, the mean AUROC over the classes with the 95 %
t-interval of the per-seed class means (as the results slides average), and the paired differences to
the grid's memory. Written atomically at the end.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MEMORIES = ("grid", "cap", "all")


def knn_aurocs(ds, dataset: str, cls: int, seed: int, profile) -> dict:
    """{memory: AUROC} and the memory sizes for one run of the grid (``profile`` with the grid's sizes)."""
    from sklearn.metrics import roc_auc_score

    from ganad_lib.baselines import KNNDetector
    from ganad_lib.protocols import make_split

    grid = make_split("one_class_anomalous", ds, cls, seed=seed, profile=profile)
    full = make_split("one_class_anomalous", ds, cls, seed=seed, profile=replace(profile, max_train=None))
    if not (np.array_equal(grid.test, full.test) and np.array_equal(grid.val, full.val)):
        raise RuntimeError("the split without max_train changed the test or validation images")
    out = {"dataset": dataset, "class": cls, "seed": seed}
    for memory, train, max_fit in (("grid", grid.train, 10_000), ("cap", full.train, 10_000),
                                   ("all", full.train, len(full.train))):
        det = KNNDetector(k=5, max_fit=max_fit, seed=seed, image_size=profile.image_size)
        det.fit(ds.images[train], ds.images[grid.val])
        scores = det.anomaly_score(ds.images[grid.test])
        out[memory] = round(float(roc_auc_score(grid.test_is_anomaly, scores)), 6)
        out[f"n_{memory}"] = int(min(len(train), max_fit))
    return out


def summarise(runs: list[dict], datasets, seeds) -> dict:
    """Per data set and memory: the mean over classes with the t-interval over the per-seed class means,
    and the paired difference to the grid's memory (same seeds, same classes)."""
    from ganad_lib.comparison import t_interval

    out = {}
    for d in datasets:
        per_seed = {m: [np.mean([r[m] for r in runs if r["dataset"] == d and r["seed"] == s]) for s in seeds]
                    for m in MEMORIES}
        entry = {}
        for m in MEMORIES:
            iv = t_interval(per_seed[m])
            entry[m] = {"mean": round(iv.mean, 4), "low": round(iv.low, 4), "high": round(iv.high, 4),
                        "n_images": sorted({r[f"n_{m}"] for r in runs if r["dataset"] == d})}
            if m != "grid":
                diff = t_interval(np.subtract(per_seed[m], per_seed["grid"]))
                entry[m]["minus_grid"] = {"mean": round(diff.mean, 4), "low": round(diff.low, 4),
                                          "high": round(diff.high, 4)}
        out[d] = entry
    return out


def main(argv=None) -> int:
    from ganad_lib import experiments
    from ganad_lib.checkpoints import atomic_write
    from ganad_lib.data import load_dataset
    from ganad_lib.profiles import get_profile

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--datasets", nargs="+", default=["mnist", "fashion_mnist"])
    ap.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    ap.add_argument("--classes", nargs="+", type=int, default=list(range(10)))
    ap.add_argument("--runs", default=str(ROOT / "results" / "cpu" / "runs.csv"),
                    help="the grid's results, to check that the grid memory reproduces its kNN rows")
    ap.add_argument("--out", default=str(ROOT / "results" / "cpu" / "knn_budget.json"), help="'' to skip writing")
    args = ap.parse_args(argv)
    profile = get_profile("cpu").for_grid()
    recorded = {(r["dataset"], int(r["class"]), int(r["seed"])): float(r["auroc"])
                for r in experiments.read_runs(args.runs)
                if r["method"] == "knn" and r["protocol"] == "one_class_anomalous" and r["profile"] == "cpu"}
    runs = []
    for d in args.datasets:
        ds = load_dataset(d)
        for s in args.seeds:
            for c in args.classes:
                r = knn_aurocs(ds, d, c, s, profile)
                r["matches_runs_csv"] = (d, c, s) in recorded and abs(recorded[(d, c, s)] - r["grid"]) < 1e-6
                runs.append(r)
                print(f"{d} class {c} seed {s}: " + ", ".join(f"{m} {r[m]:.4f} ({r['n_' + m]:,})" for m in MEMORIES)
                      + ("" if r["matches_runs_csv"] else "  (grid differs from runs.csv)"), flush=True)
    result = {"protocol": "one_class_anomalous", "profile": "cpu (grid sizes)", "k": 5, "seeds": args.seeds,
              "classes": args.classes, "summary": summarise(runs, args.datasets, args.seeds), "runs": runs}
    print(json.dumps(result["summary"], indent=1))
    if args.out:
        atomic_write(args.out, lambda tmp: Path(tmp).write_text(json.dumps(result, indent=1) + "\n"))
        print("wrote", args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
