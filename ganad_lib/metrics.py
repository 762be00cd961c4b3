"""Evaluation of anomaly scores (higher = more anomalous, anomaly = positive class).

The threshold for precision, recall and F1 comes from the *validation* scores, which hold
normal images only; test labels are used for nothing but the final numbers.
"""

from __future__ import annotations

import numpy as np
from sklearn import metrics as skm

__all__ = ["evaluate", "threshold_from_validation", "fpr_at_tpr", "mode_coverage", "toy_outcome",
           "false_alarm_se", "auroc_rows", "paired_auroc_diff"]


def _as_1d(x, name: str) -> np.ndarray:
    a = np.asarray(x, dtype=np.float64).reshape(-1) if np.ndim(x) <= 1 else None
    if a is None:
        raise ValueError(f"{name} must be one-dimensional, got shape {np.shape(x)}")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} holds NaN or infinite values; check the detector's scores.")
    return a


def threshold_from_validation(val_scores, percentile: float = 95.0) -> float:
    """The ``percentile``-th percentile of normal validation scores: about (100 - percentile) %
    of normal images will be flagged."""
    v = _as_1d(val_scores, "val_scores")
    if len(v) == 0:
        raise ValueError("val_scores is empty: the threshold needs normal validation images.")
    if not 0.0 < percentile < 100.0:
        raise ValueError(f"percentile must be in (0, 100), got {percentile}")
    return float(np.percentile(v, percentile))


def fpr_at_tpr(y_true, scores, tpr_level: float = 0.95) -> float:
    """False-positive rate at the first threshold whose true-positive rate reaches ``tpr_level``."""
    # every threshold is kept: with tied scores the point where the TPR first reaches the level can lie
    # on a straight stretch of the curve, which drop_intermediate would remove
    fpr, tpr, _ = skm.roc_curve(y_true, scores, drop_intermediate=False)
    return float(fpr[np.searchsorted(tpr, tpr_level, side="left")])


def evaluate(test_scores, test_is_anomaly, val_scores, *, percentile: float = 95.0) -> dict:
    """AUROC, AUPRC, a validation threshold and precision / recall / F1 at it, FPR at 95 % TPR."""
    s = _as_1d(test_scores, "test_scores")
    y = np.asarray(test_is_anomaly).reshape(-1)
    if y.dtype != bool:
        if not np.isin(y, (0, 1)).all():
            raise ValueError("test_is_anomaly must be boolean (or 0/1)")
        y = y.astype(bool)
    if len(s) != len(y):
        raise ValueError(f"{len(s)} test scores but {len(y)} labels")
    if y.all() or not y.any():
        raise ValueError("the test set needs both normal images and anomalies to compute AUROC")
    threshold = threshold_from_validation(val_scores, percentile)
    pred = s > threshold
    return {
        "auroc": float(skm.roc_auc_score(y, s)),
        "auprc": float(skm.average_precision_score(y, s)),
        "threshold": threshold,
        "threshold_percentile": float(percentile),
        "precision": float(skm.precision_score(y, pred, zero_division=0)),
        "recall": float(skm.recall_score(y, pred, zero_division=0)),
        "f1": float(skm.f1_score(y, pred, zero_division=0)),
        "fpr_at_95_tpr": fpr_at_tpr(y, s, 0.95),
    }


def mode_coverage(samples, centers, std: float, *, n_std: float = 3.0,
                  min_share: float = 0.25) -> dict:
    """How many modes of a Gaussian mixture a generator's ``samples`` cover (2-D toy data).

    A sample is *high quality* when it lies within ``n_std`` standard deviations of its nearest
    centre (the measure of Metz et al. 2017 and Srivastava et al. 2017). A mode is *covered* when
    it holds at least ``min_share`` of its fair share of the samples, i.e.
    ``min_share * len(samples) / n_modes`` high-quality samples: a handful of stray points does not
    make a mode covered. Returns ``modes_covered`` (int), ``n_modes``, ``high_quality`` (fraction of
    samples), ``counts`` (high-quality samples per mode) and ``covered`` (bool per mode).
    """
    x = np.asarray(samples, dtype=np.float64)
    c = np.asarray(centers, dtype=np.float64)
    if x.ndim != 2 or c.ndim != 2 or x.shape[1] != c.shape[1]:
        raise ValueError(f"samples (N x d) and centers (K x d) must share d; got shapes "
                         f"{x.shape} and {c.shape}")
    if len(x) == 0 or len(c) == 0:
        raise ValueError("need at least one sample and one centre")
    if not np.isfinite(x).all():
        raise ValueError("samples hold NaN or infinite values (did training diverge?)")
    if not std > 0 or not n_std > 0 or not 0 < min_share <= 1:
        raise ValueError(f"std and n_std must be positive and min_share in (0, 1]; got "
                         f"{std}, {n_std}, {min_share}")
    d = np.sqrt(((x[:, None, :] - c[None, :, :]) ** 2).sum(-1))
    nearest, dist = d.argmin(1), d.min(1)
    good = dist <= n_std * std
    counts = np.bincount(nearest[good], minlength=len(c))
    covered = counts >= min_share * len(x) / len(c)
    return {"modes_covered": int(covered.sum()), "n_modes": len(c), "high_quality": float(good.mean()),
            "counts": counts, "covered": covered}


def toy_outcome(covered: int, high_quality: float, spread: float) -> str:
    """Notebook 01's reading of one toy-ring run (``covered``: modes covered, ``high_quality``: the share of
    high-quality samples, ``spread``: the samples' spread against the data's, 1 as wide as the ring).

    Two rules for collapse: all samples in a narrow streak or clump (a spread below half the data's, which
    can run far off the ring), or good samples on four modes or fewer. Spread out but mostly near no mode:
    not converged. Half lies well apart from a healthy run (about 1) and a small-region collapse (a few
    tenths). Every reading but "N modes covered" is a failure."""
    def modes(n):
        return f"{n} mode{'s' if n != 1 else ''}"

    if spread < 0.5:
        return "collapsed onto " + (modes(covered) if high_quality >= 0.5
                                    else "a narrow streak or clump, at most touching one mode")
    if high_quality < 0.5:
        return "not converged (most samples near no mode)"
    if covered <= 4:   # good samples, but on half the modes or fewer: the classic mode collapse
        return f"collapsed onto {modes(covered)}"
    return f"{covered} modes covered"


def verdict_per_mode(D, centers) -> np.ndarray:
    """Notebook 01: a toy discriminator's verdict D(x) (eval mode, sigmoid of its logit) at each mode's centre."""
    import torch

    was_training = D.training
    D.eval()
    with torch.no_grad():
        d = torch.sigmoid(D(torch.as_tensor(centers))).flatten().double().cpu().numpy()
    D.train(was_training)
    return d


def verdict_at_modes(D, centers, covered) -> tuple[float, float]:
    """Notebook 01: a toy discriminator's mean verdict D(x) (eval mode, sigmoid of its logit) at the centres of
    the modes not ``covered`` and at the covered ones; nan for an empty group."""
    d = verdict_per_mode(D, centers)
    covered = np.asarray(covered, dtype=bool)
    return (float(d[~covered].mean()) if (~covered).any() else float("nan"),
            float(d[covered].mean()) if covered.any() else float("nan"))


def unbalanced_summary(seeds, coverage: dict, quality: dict, spread: dict, which: dict) -> dict:
    """Notebook 01, Section 5: the readings' numbers from the unbalanced toy runs, each argument
    {setting: [one value per seed]} (``which``: the covered modes' numbers). Returns ``outcome`` (each run's
    :func:`toy_outcome`), ``failed`` (runs per setting read as anything but "N modes covered"), ``kinds`` (each
    run's kind of outcome: "collapsed", "not converged" or "N modes covered"), ``collapsed`` (per setting, the
    (seed, covered modes, high-quality share) of each run collapsed onto at least one mode), ``collapsed_modes``
    (how many modes each of those kept) and ``full`` (per setting, the runs that covered all 8 modes)."""
    out = {"outcome": {}, "failed": {}, "kinds": {}, "collapsed": {}, "collapsed_modes": {}, "full": {}}
    for name in coverage:
        rows = list(zip(seeds, coverage[name], quality[name], spread[name], which[name]))
        outcomes = [toy_outcome(c, q, v) for _, c, q, v, _ in rows]
        out["outcome"][name] = outcomes
        out["failed"][name] = sum(not o.endswith("modes covered") for o in outcomes)
        out["kinds"][name] = [o.split(" (")[0].split(" onto")[0] for o in outcomes]
        out["collapsed"][name] = [(s, w, q) for (s, c, q, _, w), o in zip(rows, outcomes)
                                  if o.startswith("collapsed onto") and c > 0]
        out["collapsed_modes"][name] = [len(w) for _, w, _ in out["collapsed"][name]]
        out["full"][name] = list(coverage[name]).count(8)
    return out


def false_alarm_se(n_val: int, n_test: int, p: float = 0.05) -> float:
    """Standard error of a false-alarm rate measured on ``n_test`` normal test images, for a threshold
    set on ``n_val`` normal validation scores to flag a share ``p`` (notebook 00, Exercise 2)."""
    if n_val < 1 or n_test < 1 or not 0.0 < p < 1.0:
        raise ValueError(f"need n_val, n_test >= 1 and 0 < p < 1; got {n_val}, {n_test}, {p}")
    return float(np.sqrt(p * (1 - p) / n_val + p * (1 - p) / n_test))


def auroc_rows(is_anomaly, scores) -> np.ndarray:
    """The AUROC of every row of ``scores`` (R x N) against the labels in the same row of ``is_anomaly`` (R x N,
    boolean), by Mann-Whitney: (sum of the anomalies' ranks - n1 (n1 + 1) / 2) / (n1 n0), the share of
    (anomaly, normal) pairs ranked the right way; tied scores share a rank, so a tie counts one half, as in
    ``sklearn.metrics.roc_auc_score``. Every row needs both kinds (notebook 03's paired bootstrap)."""
    from scipy import stats

    y, s = np.atleast_2d(np.asarray(is_anomaly, dtype=bool)), np.atleast_2d(np.asarray(scores, dtype=float))
    if y.shape != s.shape:
        raise ValueError(f"is_anomaly {y.shape} and scores {s.shape} must have the same shape")
    n1 = y.sum(1)
    if ((n1 == 0) | (n1 == y.shape[1])).any():
        raise ValueError("every row needs both normal images and anomalies")
    return ((stats.rankdata(s, axis=1) * y).sum(1) - n1 * (n1 + 1) / 2) / (n1 * (y.shape[1] - n1))


def paired_auroc_diff(is_anomaly, scores_1, scores_2, *, level: float, n_boot: int = 20_000,
                      seed: int = 0) -> tuple[float, float, float, float, float, int]:
    """AUROC(``scores_1``) - AUROC(``scores_2``) on the same images, with two percentile-bootstrap intervals:
    (difference, 95 % low, high, ``level`` low, high, number of images).

    Paired: each of the ``n_boot`` draws resamples the *images*, with replacement, once for both methods, so an
    image hard for both cancels out of the difference; draws that miss one kind of image are dropped. The
    ``level`` interval (for example 1 - 0.05 / m, Bonferroni's for m comparisons) is read from the same draws.
    Only the test images are resampled: not the detector's training, nor its random starts."""
    y = np.asarray(is_anomaly, dtype=bool).reshape(-1)
    s1, s2 = _as_1d(scores_1, "scores_1"), _as_1d(scores_2, "scores_2")
    if not len(y) == len(s1) == len(s2):
        raise ValueError(f"{len(y)} labels, {len(s1)} and {len(s2)} scores: one of each per image")
    if y.all() or not y.any():
        raise ValueError("the images need both normal ones and anomalies")
    if not 0.5 < level < 1.0:
        raise ValueError(f"level must be in (0.5, 1), got {level}")
    i = np.random.default_rng(seed).integers(0, len(y), (n_boot, len(y)))   # one resample per row
    n1 = y[i].sum(1)
    i = i[(n1 > 0) & (n1 < len(y))]                                          # both kinds present
    diffs = auroc_rows(y[i], s1[i]) - auroc_rows(y[i], s2[i])
    ends = np.percentile(diffs, 100 * np.array([0.025, 0.975, (1 - level) / 2, (1 + level) / 2]))
    return (float(skm.roc_auc_score(y, s1) - skm.roc_auc_score(y, s2)), *(float(e) for e in ends), len(y))
