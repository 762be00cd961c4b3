"""Notebook 00's over-seed constants, recomputed: its Section 2 demo, Section 4's chance levels and
Section 5's kNN rerun with seeds 0-4 in each profile.

    python benchmarks/nb00_seeds.py                          # smoke, cpu and full, seeds 0-4
    python benchmarks/nb00_seeds.py --profiles cpu --seeds 0 1
    OMP_NUM_THREADS=1 python benchmarks/nb00_seeds.py        # about 5 minutes on one CPU thread

CPU only, offline (Fashion-MNIST from the data folder or Debian's package, as the notebook loads it).
The code repeats the notebook's cells with one seed changed: the data draw of Section 2 (``rng``, seed 0
in the notebook), the random scores of Section 4 (``guess``) and the split of Section 5
(``make_split(..., seed=...)``); the profile sets the sizes (Section 2: ``n_demo = min(max_train or
10,000, 10,000)``; Section 5: the profile's caps).

Prints, for each profile, one line per seed, then the range (lowest, highest) over the seeds of every
quantity. For ``cpu`` it also writes the ranges and the per-seed values to ``results/cpu/nb00_seeds.json``
(``--json``; an empty value skips it), which notebook 00 reads for the ranges it quotes in Section 2
(``python benchmarks/nb00_seeds.py --profiles cpu`` rewrites it). The results check at the notebook's end
quotes these ranges (smoke, cpu and full) in its comments to justify its thresholds.

Quantities (Section 2 unless named): ``*_fa``, ``*_bags``, ``*_boots``: share of the normal test
images, bags and ankle boots flagged at the 95th percentile of the detector's normal validation scores
(``sup``: the supervised model, ``knn``: the one-class kNN, ``bal``: the supervised model with balanced
class weights); ``*_bag_auroc``, ``*_boot_auroc``: AUROC of normal test images against bags / boots;
``bags_at_half``: bags caught at the supervised model's default cut (P(bag) > 0.5);
``gain_from_weights``: the bags that balanced weights add at that cut; ``ctrl_boot_auroc``: the control
(kNN on 50 principal components of normal images); ``ctrl_minus_sup``, ``ctrl_order``: result check 8's
two quantities; ``knn_minus_bal_boot``: result check 9's; ``boots_footwear_nn``: share of boots whose 5
nearest normal training images are all sandals or sneakers, ``knn_boots_footwear`` /
``knn_boots_other``: the share of those / of the other boots that the kNN flags; ``knn_boots_low`` /
``knn_boots_tall``: the share of the lowest / tallest of those boots (at or below the first / above the
second tertile of the object's height, the pixel rows with a pixel brighter than 0.1) that the kNN flags,
``knn_tall_minus_low`` result check 10's difference;
``chance_auroc_a|n``, ``chance_auprc_gap_a|n``: random scores under one class anomalous / normal
(AUROC, and |AUPRC - anomaly share|); ``s5_knn_auroc``: Section 5's kNN.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BAG, BOOT = 8, 9
FOOTWEAR = (5, 7)   # sandal, sneaker: the normal classes closest to an ankle boot


def auroc(normal_scores, anomaly_scores) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(np.r_[np.zeros(len(normal_scores)), np.ones(len(anomaly_scores))],
                               np.r_[normal_scores, anomaly_scores]))


def section2(fmnist, X, y, profile, seed: int) -> dict:
    """Section 2's demo (the bars, the table and the footwear count) with the data draw's seed."""
    from sklearn.decomposition import PCA
    from sklearn.linear_model import LogisticRegression
    from sklearn.neighbors import NearestNeighbors
    from sklearn.pipeline import make_pipeline

    from ganad_lib.baselines import KNNDetector

    n_demo = min(profile.max_train or 10_000, 10_000)
    rng = np.random.default_rng(seed)
    normal_idx = rng.permutation(np.flatnonzero((y != BAG) & (y != BOOT)))
    bag_idx, boot_idx = rng.permutation(np.flatnonzero(y == BAG)), rng.permutation(np.flatnonzero(y == BOOT))
    n_bags = max(n_demo // 50, 10)
    train_sup = np.r_[normal_idx[:n_demo], bag_idx[:n_bags]]
    y_sup = np.r_[np.zeros(n_demo), np.ones(n_bags)]
    n_test = max(n_demo // 5, 200)
    val_normal = normal_idx[-n_test:]
    groups = {"fa": normal_idx[n_demo:n_demo + n_test], "bags": bag_idx[n_bags:n_bags + n_test],
              "boots": boot_idx[:n_test]}

    clf = make_pipeline(PCA(50, random_state=0), LogisticRegression(max_iter=2000)).fit(X[train_sup], y_sup)
    clf_bal = make_pipeline(PCA(50, random_state=0),
                            LogisticRegression(max_iter=2000, class_weight="balanced")).fit(X[train_sup], y_sup)
    knn = KNNDetector(k=5).fit(fmnist.images[normal_idx[:n_demo]], fmnist.images[val_normal])
    scorers = {"sup": lambda idx: clf.predict_proba(X[idx])[:, 1],
               "bal": lambda idx: clf_bal.predict_proba(X[idx])[:, 1],
               "knn": lambda idx: knn.anomaly_score(fmnist.images[idx])}
    out = {}
    for name, f in scorers.items():
        t = np.percentile(f(val_normal), 95)
        normal_scores = f(groups["fa"])
        for g, idx in groups.items():
            out[f"{name}_{g}"] = float((f(idx) > t).mean())
        out[f"{name}_bag_auroc"] = auroc(normal_scores, f(groups["bags"]))
        out[f"{name}_boot_auroc"] = auroc(normal_scores, f(groups["boots"]))
    out["bags_at_half"] = float(clf.predict(X[groups["bags"]]).mean())
    out["gain_from_weights"] = float(clf_bal.predict(X[groups["bags"]]).mean()) - out["bags_at_half"]
    out["knn_minus_bal_boot"] = out["knn_boot_auroc"] - out["bal_boot_auroc"]

    pca = PCA(50, random_state=0).fit(X[normal_idx[:n_demo]])
    nn = NearestNeighbors(n_neighbors=5).fit(pca.transform(X[normal_idx[:n_demo]]))

    def ctrl(idx):
        return nn.kneighbors(pca.transform(X[idx]))[0].mean(1)

    out["ctrl_boot_auroc"] = auroc(ctrl(groups["fa"]), ctrl(groups["boots"]))
    out["ctrl_minus_sup"] = out["ctrl_boot_auroc"] - out["sup_boot_auroc"]
    out["ctrl_order"] = out["ctrl_minus_sup"] - (out["knn_boot_auroc"] - out["ctrl_boot_auroc"])

    # the boots' 5 nearest normal training images (pixels in [0, 1]: half the kNN's distances in [-1, 1])
    nn_pix = NearestNeighbors(n_neighbors=5).fit(X[normal_idx[:n_demo]])
    dist, nbr = nn_pix.kneighbors(X[groups["boots"]])
    footwear = np.isin(y[normal_idx[:n_demo]][nbr], FOOTWEAR).all(1)
    flagged = scorers["knn"](groups["boots"]) > np.percentile(scorers["knn"](val_normal), 95)
    out["boots_footwear_nn"] = float(footwear.mean())
    out["knn_boots_footwear"] = float(flagged[footwear].mean()) if footwear.any() else float("nan")
    out["knn_boots_other"] = float(flagged[~footwear].mean()) if (~footwear).any() else float("nan")
    # among those boots, the lowest and the tallest, split at the tertiles of the object's height (pixel rows with
    # a pixel brighter than 0.1): the share of each that the kNN flags, and result check 10's difference
    height = (X[groups["boots"]].reshape(-1, 28, 28) > 0.1).any(2).sum(1)
    low_cut, tall_cut = np.quantile(height[footwear], [1 / 3, 2 / 3]) if footwear.any() else (np.nan, np.nan)
    low, tall = footwear & (height <= low_cut), footwear & (height > tall_cut)
    out["knn_boots_low"] = float(flagged[low].mean()) if low.any() else float("nan")
    out["knn_boots_tall"] = float(flagged[tall].mean()) if tall.any() else float("nan")
    out["knn_tall_minus_low"] = out["knn_boots_tall"] - out["knn_boots_low"]
    return out


def section4(fmnist, seed: int) -> dict:
    """Section 4's chance levels: random scores from a generator with this seed."""
    from sklearn.metrics import average_precision_score, roc_auc_score

    from ganad_lib import protocols

    split_a = protocols.one_class_anomalous(fmnist.labels, abnormal_class=BAG, seed=0)
    split_n = protocols.one_class_normal(fmnist.labels, fmnist.is_train, normal_class=BAG, seed=0)
    guess = np.random.default_rng(seed)
    out = {}
    for key, s in (("a", split_a), ("n", split_n)):
        r = guess.random(len(s.test))
        out[f"chance_auroc_{key}"] = float(roc_auc_score(s.test_is_anomaly, r))
        out[f"chance_auprc_gap_{key}"] = float(abs(average_precision_score(s.test_is_anomaly, r)
                                                   - s.test_is_anomaly.mean()))
    return out


def section5(fmnist, profile, seed: int) -> dict:
    """Section 5's kNN under one class anomalous, the split drawn with this seed."""
    from ganad_lib import metrics, protocols
    from ganad_lib.baselines import KNNDetector

    split = protocols.make_split("one_class_anomalous", fmnist, BAG, seed=seed, profile=profile)
    knn = KNNDetector(k=5).fit(fmnist.images[split.train], fmnist.images[split.val])
    result = metrics.evaluate(knn.anomaly_score(fmnist.images[split.test]), split.test_is_anomaly,
                              knn.anomaly_score(fmnist.images[split.val]))
    return {"s5_knn_auroc": float(result["auroc"])}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--profiles", nargs="+", default=["smoke", "cpu", "full"])
    ap.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2, 3, 4])
    ap.add_argument("--json", default=str(ROOT / "results" / "cpu" / "nb00_seeds.json"),
                    help="where the cpu profile's ranges go (notebook 00 reads them); '' to skip")
    args = ap.parse_args(argv)
    warnings.filterwarnings("ignore")

    from ganad_lib import data
    from ganad_lib.profiles import get_profile

    fmnist = data.load_dataset("fashion_mnist")
    X = fmnist.images.reshape(len(fmnist), -1).float().numpy() / 255.0
    y = fmnist.labels.numpy()
    for name in args.profiles:
        profile = get_profile(name)
        per_seed = []
        for seed in args.seeds:
            row = {**section2(fmnist, X, y, profile, seed), **section4(fmnist, seed),
                   **section5(fmnist, profile, seed)}
            per_seed.append(row)
            print(f"{name} seed {seed}: " + ", ".join(f"{k} {v:.3f}" for k, v in row.items()), flush=True)
        lo_hi = {k: (min(r[k] for r in per_seed), max(r[k] for r in per_seed)) for k in per_seed[0]}
        print(f"\n{name}: range (lowest, highest) over seeds {args.seeds}")
        for k, (lo, hi) in lo_hi.items():
            print(f"  {k:22s} {lo:.3f} - {hi:.3f}")
        if name == "cpu" and args.json:
            out = {"profile": name, "seeds": list(args.seeds),
                   "command": "python benchmarks/nb00_seeds.py --profiles cpu",
                   "ranges": {k: [round(lo, 4), round(hi, 4)] for k, (lo, hi) in lo_hi.items()},
                   "per_seed": [{k: round(v, 4) for k, v in r.items()} for r in per_seed]}
            Path(args.json).write_text(json.dumps(out, indent=1) + "\n")
            print(f"\nwrote {args.json}")
        print(flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
