"""Reading ``results/<profile>/runs.csv`` and drawing the course's comparison.

Used by notebook 06 and by the slides, so both show the same numbers from the same code.
"""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path

import numpy as np

from .experiments import read_runs

__all__ = ["METHOD_ORDER", "METHOD_LABELS", "GAN_METHODS", "REPORTED", "load_runs", "per_class", "summary",
           "summary_table", "gan_vs_baseline", "verdict", "plot_per_class", "plot_cost", "plot_summary"]

METHOD_ORDER = ["anogan", "egbad", "ganomaly", "autoencoder", "pca", "knn"]
METHOD_LABELS = {"anogan": "AnoGAN", "egbad": "EGBAD", "ganomaly": "GANomaly",
                 "autoencoder": "Autoencoder", "pca": "PCA", "knn": "kNN"}
GAN_METHODS = ("anogan", "egbad", "ganomaly")

#: Reported AUROC (%) on MNIST under the *one class normal* protocol, mean of 3 runs.
#: Second-hand: the AGAD paper's table, which borrows these rows from Cheng et al. (2020).
REPORTED = {
    "source": "AGAD paper's table, rows borrowed from Cheng et al. (2020); second-hand",
    "protocol": "one_class_normal",
    "dataset": "mnist",
    "metric": "auroc",
    "rows": {
        "AnoGAN": [99.0, 99.8, 88.8, 91.3, 94.4, 91.2, 92.5, 96.4, 88.3, 95.8, 93.7],
        "OCGAN": [99.8, 99.9, 94.2, 96.3, 97.5, 98.0, 99.1, 98.1, 93.9, 98.1, 97.5],
    },
}

_FLOATS = ("auroc", "auprc", "f1", "train_seconds", "score_images_per_second", "peak_memory_mb")


def load_runs(path: str | os.PathLike) -> list[dict]:
    """Rows of a runs.csv with numbers as numbers (``class`` and ``seed`` as int)."""
    rows = read_runs(path)
    if not rows:
        raise FileNotFoundError(f"No results in {path}. Run `python -m ganad_lib.experiments` first.")
    for r in rows:
        for k in _FLOATS:
            r[k] = float(r[k])
        r["class"], r["seed"] = int(r["class"]), int(r["seed"])
    return rows


def _methods(rows) -> list[str]:
    present = {r["method"] for r in rows}
    return [m for m in METHOD_ORDER if m in present] + sorted(present - set(METHOD_ORDER))


def per_class(rows, dataset: str, metric: str = "auroc") -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """{method: (mean over seeds per class, std over seeds per class)} for classes 0-9 (NaN if missing)."""
    acc: dict[str, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        if r["dataset"] == dataset:
            acc[r["method"]][r["class"]].append(r[metric])
    out = {}
    for m in _methods([r for r in rows if r["dataset"] == dataset]):
        means = np.array([np.mean(acc[m][c]) if acc[m][c] else np.nan for c in range(10)])
        stds = np.array([np.std(acc[m][c]) if len(acc[m][c]) > 1 else 0.0 for c in range(10)])
        out[m] = (means, stds)
    return out


def summary(rows, metric: str = "auroc") -> dict[tuple[str, str], dict]:
    """{(method, dataset): {mean, std, n_classes, n_seeds}}: mean over classes of each seed's
    score, then mean and standard deviation of those per-seed means."""
    acc: dict[tuple[str, str], dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    classes: dict[tuple[str, str], set] = defaultdict(set)
    for r in rows:
        acc[(r["method"], r["dataset"])][r["seed"]].append(r[metric])
        classes[(r["method"], r["dataset"])].add(r["class"])
    out = {}
    for key, by_seed in acc.items():
        per_seed = np.array([np.mean(v) for v in by_seed.values()])
        out[key] = {"mean": float(per_seed.mean()), "std": float(per_seed.std()),
                    "n_classes": len(classes[key]), "n_seeds": len(per_seed)}
    return out


def gan_vs_baseline(rows, dataset: str, baseline: str = "knn", metric: str = "auroc") -> dict | None:
    """The best GAN method's mean (over classes, then seeds) against ``baseline``'s on ``dataset``.

    Each GAN method is compared on the (class, seed) runs it shares with the baseline only, so
    that a method run on fewer classes is not set against the baseline's mean over all of them.
    Returns {"gan", "gan_mean", "baseline", "baseline_mean", "beats", "runs"} (``beats``: the
    GAN's mean is higher; ``runs``: how many shared runs), or None when the rows hold no GAN
    method or no ``baseline`` run to compare with on that data set.
    """
    rows = [r for r in rows if r["dataset"] == dataset]
    base_keys = {(r["class"], r["seed"]) for r in rows if r["method"] == baseline}
    best = None
    for m in GAN_METHODS:
        shared = base_keys & {(r["class"], r["seed"]) for r in rows if r["method"] == m}
        if not shared:
            continue
        both = [r for r in rows if r["method"] in (m, baseline) and (r["class"], r["seed"]) in shared]
        s = summary(both, metric)
        cand = {"gan": m, "gan_mean": s[(m, dataset)]["mean"], "baseline": baseline,
                "baseline_mean": s[(baseline, dataset)]["mean"], "runs": len(shared)}
        if best is None or cand["gan_mean"] > best["gan_mean"]:
            best = cand
    if best is None:
        return None
    best["beats"] = best["gan_mean"] > best["baseline_mean"]
    return best


def verdict(rows, dataset: str, baseline: str = "knn", metric: str = "auroc") -> str:
    """One sentence: does the best GAN method beat ``baseline`` on ``dataset``? (Markdown)"""
    v = gan_vs_baseline(rows, dataset, baseline, metric)
    if v is None:
        return f"{dataset}: no GAN method or no {METHOD_LABELS.get(baseline, baseline)} in these results."
    word = "beats" if v["beats"] else "does **not** beat"
    return (f"{dataset}: the best GAN method, {METHOD_LABELS[v['gan']]} ({v['gan_mean']:.3f}), {word} "
            f"{METHOD_LABELS.get(baseline, baseline)} ({v['baseline_mean']:.3f}), mean {metric.upper()} over classes.")


def summary_table(rows, metric: str = "auroc", datasets=("mnist", "fashion_mnist")) -> str:
    """A Markdown table: one row per method, mean +- std over seeds of the class-averaged metric."""
    s = summary(rows, metric)
    head = "| method | " + " | ".join(datasets) + " |\n|---|" + "---|" * len(datasets) + "\n"
    lines = []
    for m in _methods(rows):
        cells = []
        for d in datasets:
            v = s.get((m, d))
            cells.append(f"{v['mean']:.3f} ± {v['std']:.3f} ({v['n_classes']} cl., {v['n_seeds']} seeds)"
                         if v else "—")
        lines.append(f"| {METHOD_LABELS.get(m, m)} | " + " | ".join(cells) + " |")
    return head + "\n".join(lines)


def plot_per_class(rows, dataset: str, metric: str = "auroc", ax=None, class_names=None):
    """Grouped bars: one group per anomalous class, one bar per method, error bars over seeds."""
    import matplotlib.pyplot as plt

    data = per_class(rows, dataset, metric)
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 3.2))
    methods = list(data)
    w = 0.8 / max(len(methods), 1)
    cmap = plt.get_cmap("tab10")
    for i, m in enumerate(methods):
        means, stds = data[m]
        x = np.arange(10) + (i - (len(methods) - 1) / 2) * w
        ax.bar(x, means, w, yerr=stds, label=METHOD_LABELS.get(m, m), color=cmap(METHOD_ORDER.index(m) if m in METHOD_ORDER else i),
               error_kw={"elinewidth": 0.7}, hatch=None if m in GAN_METHODS else "..", edgecolor="white")
    ax.axhline(0.5, color="grey", lw=0.8, ls=":")
    ax.set_xticks(range(10), class_names or [str(c) for c in range(10)], fontsize=8)
    ax.set_ylim(0, 1.0)
    ax.set_ylabel(metric.upper())
    ax.set_xlabel("anomalous class")
    ax.set_title(f"{dataset}: {metric.upper()} per anomalous class (mean ± std over seeds)")
    ax.legend(ncol=len(methods), fontsize=8, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.2))
    return ax


def plot_summary(rows, metric: str = "auroc", ax=None, datasets=("mnist", "fashion_mnist")):
    """Mean metric over classes per method and data set (bars, std over seeds)."""
    import matplotlib.pyplot as plt

    s = summary(rows, metric)
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3))
    methods = _methods(rows)
    w = 0.8 / len(datasets)
    for j, d in enumerate(datasets):
        means = [s.get((m, d), {}).get("mean", np.nan) for m in methods]
        stds = [s.get((m, d), {}).get("std", 0.0) for m in methods]
        ax.bar(np.arange(len(methods)) + (j - (len(datasets) - 1) / 2) * w, means, w, yerr=stds, label=d)
    ax.set_xticks(range(len(methods)), [METHOD_LABELS.get(m, m) for m in methods])
    ax.axhline(0.5, color="grey", lw=0.8, ls=":")
    ax.set_ylim(0, 1)
    ax.set_ylabel(f"mean {metric.upper()} over classes")
    ax.legend(frameon=False)
    return ax


def plot_cost(rows, ax=None):
    """Training seconds against scoring speed (images per second), one point per method and data set."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 3.5))
    cmap = plt.get_cmap("tab10")
    for i, m in enumerate(_methods(rows)):
        for d, marker in (("mnist", "o"), ("fashion_mnist", "s")):
            sel = [r for r in rows if r["method"] == m and r["dataset"] == d]
            if not sel:
                continue
            t = max(np.median([r["train_seconds"] for r in sel]), 0.01)
            ips = np.median([r["score_images_per_second"] for r in sel])
            ax.scatter(t, ips, marker=marker, s=60, color=cmap(METHOD_ORDER.index(m) if m in METHOD_ORDER else i),
                       label=f"{METHOD_LABELS.get(m, m)}" if d == "mnist" or not any(r["dataset"] == "mnist" for r in rows) else None)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("training time per run (s, median)")
    ax.set_ylabel("scoring speed (images / s, median)")
    ax.set_title("What each method costs (o MNIST, □ Fashion-MNIST)")
    ax.legend(fontsize=8, frameon=False, loc="center left", bbox_to_anchor=(1.0, 0.5))
    return ax


def results_path(profile: str = "cpu", root: str | os.PathLike | None = None) -> Path:
    from .experiments import default_results_dir

    return Path(root or default_results_dir()) / profile / "runs.csv"
