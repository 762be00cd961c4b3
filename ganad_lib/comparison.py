"""Reading ``results/<profile>/runs.csv`` and drawing the course's comparison.

Used by notebook 06 and by the slides, so both show the same numbers from the same code.

Two families of helpers live here:

* the first summaries (:func:`per_class`, :func:`summary`, :func:`summary_table`, :func:`verdict`,
  the plots): means with the spread over seeds (``ddof=0``), kept as they were for the slides;
* the statistics of notebook 06: Student-t intervals over seeds (:func:`t_interval`,
  :func:`per_class_stats`, :func:`class_mean_stats`, :func:`per_class_table`), paired Wilcoxon
  signed-rank tests over shared (class, seed) runs (:func:`paired_comparison`,
  :func:`paired_comparisons`, :func:`paired_table`; with the class as the unit,
  :func:`class_paired_comparisons`), quality against cost
  (:func:`cost_quality`, :func:`plot_cost_quality`), and the row filters that keep runs of
  different protocols or budgets apart (:func:`protocols`, :func:`select`,
  :func:`one_size_per_method`). These refuse rows that mix protocols or budgets.

For a results slide, the headline is :func:`paired_comparisons` (its ``.sentence`` per pair) and
:func:`summary_table` with ``errors="ci"``.
"""

from __future__ import annotations

import json
import math
import os
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

import numpy as np

from .experiments import read_runs

__all__ = ["METHOD_ORDER", "METHOD_LABELS", "DATASET_LABELS", "GAN_METHODS", "BASELINES", "PAIRS", "REPORTED",
           "load_runs", "per_class", "summary", "summary_table", "gan_vs_baseline", "verdict", "plot_per_class",
           "plot_cost", "plot_summary", "results_path", "reproduction_lines", "code_reproduced",
           "Interval", "t_interval", "protocols", "select", "SizeSelection", "one_size_per_method",
           "per_class_stats", "class_mean_stats", "per_class_table", "Paired", "paired_comparison",
           "paired_comparisons", "class_paired_comparisons", "paired_table", "holm", "family_sentence", "cost_quality",
           "plot_cost_quality", "ablation_rows", "ABLATION_PAIRS", "ABLATION_LABELS",
           "seed_paired_difference", "BaselineVsGans", "baseline_vs_gans"]

METHOD_ORDER = ["anogan", "egbad", "ganomaly", "autoencoder", "pca", "knn"]
METHOD_LABELS = {"anogan": "AnoGAN", "egbad": "EGBAD", "ganomaly": "GANomaly",
                 "autoencoder": "Autoencoder", "pca": "PCA", "knn": "kNN"}
DATASET_LABELS = {"mnist": "MNIST", "fashion_mnist": "Fashion-MNIST"}
GAN_METHODS = ("anogan", "egbad", "ganomaly")
BASELINES = ("autoencoder", "pca", "knn")
#: the paired comparisons of notebook 06: GANomaly against each baseline, EGBAD against AnoGAN
PAIRS = (("ganomaly", "autoencoder"), ("ganomaly", "pca"), ("ganomaly", "knn"), ("egbad", "anogan"))


#: the grid's ablations (runs.csv's ``ablations`` column, AUROC): the *same* trained model scored
#: another way, no retraining. "egbad[alpha_0.9]" and "ganomaly[latent]" are the methods' own scores
#: (kept as a check: they must equal the row's AUROC).
ABLATION_LABELS = {"egbad[alpha_0.9]": "EGBAD, α = 0.9", "egbad[L_G]": "EGBAD, L_G alone",
                   "egbad[L_D_feature_matching]": "EGBAD, L_D alone (feature matching)",
                   "egbad[L_D_cross_entropy]": "EGBAD, L_D alone (cross-entropy)",
                   "ganomaly[latent]": "GANomaly, latent distance", "ganomaly[L_con]": "GANomaly scored by L_con"}
METHOD_LABELS.update(ABLATION_LABELS)
#: each method's own score against each of its ablations
ABLATION_PAIRS = (("ganomaly", "ganomaly[L_con]"), ("egbad", "egbad[L_G]"), ("egbad", "egbad[L_D_feature_matching]"),
                  ("egbad", "egbad[L_D_cross_entropy]"))


def ablation_rows(rows, metric: str = "auroc") -> list[dict]:
    """One row per (run, ablation) from the ``ablations`` column: a copy of the run's row whose
    ``method`` is ``"<method>[<variant>]"`` (for example ``"ganomaly[L_con]"``) and whose ``metric``
    is the variant's AUROC. Rows without ablations give none. The pseudo-rows keep the run's class,
    seed, protocol and sizes, so every function here (tables, intervals, paired tests over
    :data:`ABLATION_PAIRS`) works on ``rows + ablation_rows(rows)``. Only AUROC is recorded."""
    if metric != "auroc":
        raise ValueError(f"the grid records its ablations as AUROC only, not {metric!r}")
    out = []
    for r in rows:
        raw = r.get("ablations") or ""
        if not raw:
            continue
        try:
            variants = raw if isinstance(raw, dict) else json.loads(raw)
        except json.JSONDecodeError as err:
            raise ValueError(f"{r['method']} {r['dataset']} class {r['class']} seed {r['seed']}: its `ablations` "
                             f"entry is not JSON ({err}): {str(raw)[:80]!r}") from None
        if not isinstance(variants, dict):
            raise ValueError(f"{r['method']} {r['dataset']} class {r['class']} seed {r['seed']}: its `ablations` "
                             f"entry must be a JSON object {{variant: AUROC}}, got {str(raw)[:80]!r}")
        for name, value in sorted(variants.items()):
            out.append({**r, "method": f"{r['method']}[{name}]", "auroc": float(value), "ablations": ""})
    return out


def _reported_dict() -> dict:
    from . import published

    rows = {e.label.split(" (")[0]: [*e.values, e.mean] for e in published.find(dataset="mnist",
                                                                               protocol="one_class_normal")}
    return {"source": "second-hand: the per-class MNIST table of Shi and Zhang's AGAD (arXiv:2304.04211)",
            "protocol": "one_class_normal", "dataset": "mnist", "metric": "auroc", "rows": rows}


#: Reported AUROC (%) on MNIST under the *one class normal* protocol, mean of 3 runs.
#: Second-hand: the per-class MNIST table of the AGAD paper (Shi and Zhang, arXiv:2304.04211), which
#: credits each row to an earlier work (see :data:`ganad_lib.published.REPORTED`).
#: The same rows as :data:`ganad_lib.published.REPORTED`, in the shape the slides read.
REPORTED = _reported_dict()

_FLOATS = ("auroc", "auprc", "f1", "train_seconds", "score_images_per_second", "peak_memory_mb")
_INTS = ("n_train", "n_val", "n_test")


def load_runs(path: str | os.PathLike) -> list[dict]:
    """Rows of a runs.csv with numbers as numbers (``class`` and ``seed`` as int)."""
    rows = read_runs(path)
    if not rows:
        raise FileNotFoundError(f"No results in {path}. Run `python -m ganad_lib.experiments` first.")
    for r in rows:
        for k in _FLOATS:
            r[k] = float(r[k])
        r["class"], r["seed"] = int(r["class"]), int(r["seed"])
        # columns added later: empty in older files
        r["threshold_seconds"] = float(r["threshold_seconds"]) if r.get("threshold_seconds") else float("nan")
        for k in _INTS:
            r[k] = int(r[k]) if r.get(k) else None
        r["sizes"] = r.get("sizes") or ""
    return rows


def _methods(rows) -> list[str]:
    present = {r["method"] for r in rows}
    known = [*METHOD_ORDER, *ABLATION_LABELS]
    return [m for m in known if m in present] + sorted(present - set(known))


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


def summary_table(rows, metric: str = "auroc", datasets=("mnist", "fashion_mnist"), errors: str = "std",
                  confidence: float = 0.95, order=None) -> str:
    """A Markdown table: one row per method, the class-averaged metric per data set.

    ``errors="std"`` (default): mean ± standard deviation (``ddof=0``) over seeds, as before.
    ``errors="ci"``: mean [Student-t ``confidence`` interval] of the per-seed class means
    (:func:`class_mean_stats`; rows must hold one protocol and one ``sizes`` per method).
    ``order``: the methods' rows in this order (methods not in the rows are skipped); default the course's order.
    """
    if errors not in ("std", "ci"):
        raise ValueError(f"errors must be 'std' or 'ci', got {errors!r}")
    head = ("| method | " + " | ".join(DATASET_LABELS.get(d, d) for d in datasets) + " |\n|---|"
            + "---|" * len(datasets) + "\n")
    lines = []
    present = {r["method"] for r in rows}
    shown = _methods(rows) if order is None else [m for m in order if m in present]
    if errors == "ci":
        stats = {d: class_mean_stats(rows, d, metric, confidence=confidence) for d in datasets}
        for m in shown:
            cells = []
            for d in datasets:
                v = stats[d].get(m)
                cells.append(f"{v.format()} ({v.n_classes} cl., {v.n} seeds)" if v is not None and v.n else "—")
            lines.append(f"| {METHOD_LABELS.get(m, m)} | " + " | ".join(cells) + " |")
        return head + "\n".join(lines)
    s = summary(rows, metric)
    for m in shown:
        cells = []
        for d in datasets:
            v = s.get((m, d))
            cells.append(f"{v['mean']:.3f} ± {v['std']:.3f} ({v['n_classes']} cl., {v['n_seeds']} seeds)"
                         if v else "—")
        lines.append(f"| {METHOD_LABELS.get(m, m)} | " + " | ".join(cells) + " |")
    return head + "\n".join(lines)


def plot_per_class(rows, dataset: str, metric: str = "auroc", ax=None, class_names=None, errors: str = "std",
                   confidence: float = 0.95, points: bool = False):
    """Grouped bars: one group per anomalous class, one bar per method, error bars over seeds.
    ``points``: also draw each seed's value as a small dot over its bar (with three seeds an interval can hide
    the data; the dots show it).

    ``errors="std"`` (default): ± the standard deviation over seeds (``ddof=0``).
    ``errors="ci"``: the Student-t ``confidence`` interval over seeds (:func:`per_class_stats`);
    a class run with one seed only has no interval and is drawn without an error bar. Intervals
    reaching outside [0, 1] are cut by the axes, and a small arrowhead at the edge marks each cut.
    """
    import matplotlib.pyplot as plt

    if errors not in ("std", "ci"):
        raise ValueError(f"errors must be 'std' or 'ci', got {errors!r}")
    if errors == "ci":
        stats = per_class_stats(rows, dataset, metric, confidence=confidence)
        data = {}
        for m, ivs in stats.items():
            means = np.array([iv.mean for iv in ivs])
            lo = np.array([iv.mean - iv.low if iv.has_interval else 0.0 for iv in ivs])
            hi = np.array([iv.high - iv.mean if iv.has_interval else 0.0 for iv in ivs])
            data[m] = (means, np.vstack([lo, hi]))
        what = f"mean and {confidence:.0%} t-interval over seeds"
    else:
        data = per_class(rows, dataset, metric)
        what = "mean ± std over seeds"
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 3.2))
    methods = list(data)
    w = 0.8 / max(len(methods), 1)
    cmap = plt.get_cmap("tab10")
    cut_any = False   # whether some interval reaches beyond [0, 1] (marked, and named in the legend)
    for i, m in enumerate(methods):
        means, err = data[m]
        x = np.arange(10) + (i - (len(methods) - 1) / 2) * w
        ax.bar(x, means, w, label=METHOD_LABELS.get(m, m),
               color=cmap(METHOD_ORDER.index(m) if m in METHOD_ORDER else i),
               hatch=None if m in GAN_METHODS else "..", edgecolor="white")
        # the error bars black on a white halo, so that they stay visible on dark bars
        for colour, lw in (("white", 2.6), ("black", 1.1)):
            ax.errorbar(x, means, yerr=err, fmt="none", ecolor=colour, elinewidth=lw, capsize=0, zorder=3)
        # an interval reaching beyond [0, 1] is cut by the axes: a small arrowhead at the edge marks the cut
        lo_hi = np.broadcast_to(np.asarray(err, dtype=float), (2, len(x)))
        with np.errstate(invalid="ignore"):
            cuts = ((1.0, means + lo_hi[1] > 1.0, "^"), (0.0, means - lo_hi[0] < 0.0, "v"))
        for y, cut, marker in cuts:
            if np.any(cut):
                cut_any = True
                ax.scatter(x[cut], np.full(int(cut.sum()), y), marker=marker, s=22, color="black", zorder=4,
                           clip_on=False)
        if points:   # each seed's value, a small dot over its method's bar
            for c in range(10):
                vals = [r[metric] for r in rows if r["dataset"] == dataset and r["method"] == m and r["class"] == c]
                ax.scatter(np.full(len(vals), x[c]), vals, s=7, color="black", edgecolors="white", linewidths=0.4,
                           zorder=5)
    if points:
        ax.scatter([], [], s=7, color="black", label="one seed")
    if cut_any:
        ax.scatter([], [], marker="^", s=22, color="black", label="interval cut by the axis (▲ at 1, ▼ at 0)")
    ax.axhline(0.5, color="grey", lw=0.8, ls=":")
    ax.set_xticks(range(10), class_names or [str(c) for c in range(10)], fontsize=8)
    ax.set_ylim(0, 1.0)
    ax.set_ylabel(metric.upper())
    role = "normal" if protocols([r for r in rows if r["dataset"] == dataset]) == ["one_class_normal"] else "anomalous"
    ax.set_xlabel(f"{role} class")
    ax.set_title(f"{DATASET_LABELS.get(dataset, dataset)}: {metric.upper()} per {role} class ({what})")
    ax.legend(ncol=len(methods) + cut_any + points, fontsize=8, frameon=False, loc="upper center",
              bbox_to_anchor=(0.5, -0.2))
    return ax


def plot_summary(rows, metric: str = "auroc", ax=None, datasets=("mnist", "fashion_mnist"), errors: str = "std",
                 confidence: float = 0.95):
    """Mean metric over classes per method and data set (bars; error bars: ``errors="std"``, the
    standard deviation over seeds, or ``errors="ci"``, the t-interval of the per-seed class means)."""
    import matplotlib.pyplot as plt

    if errors not in ("std", "ci"):
        raise ValueError(f"errors must be 'std' or 'ci', got {errors!r}")
    s = summary(rows, metric)
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3))
    methods = _methods(rows)
    w = 0.8 / len(datasets)
    for j, d in enumerate(datasets):
        if errors == "ci":
            st = class_mean_stats(rows, d, metric, confidence=confidence)
            ivs = [st.get(m) for m in methods]
            means = [iv.mean if iv is not None else np.nan for iv in ivs]
            err = np.array([[iv.mean - iv.low if iv is not None and iv.has_interval else 0.0 for iv in ivs],
                            [iv.high - iv.mean if iv is not None and iv.has_interval else 0.0 for iv in ivs]])
        else:
            means = [s.get((m, d), {}).get("mean", np.nan) for m in methods]
            err = [s.get((m, d), {}).get("std", 0.0) for m in methods]
        # neutral shades, the second hatched: the course's method colours (AnoGAN blue, EGBAD orange, ...) stay
        # reserved for methods, so a data set is never read as a method
        ax.bar(np.arange(len(methods)) + (j - (len(datasets) - 1) / 2) * w, means, w, yerr=err,
               label=DATASET_LABELS.get(d, d), capsize=2, color=("0.82", "0.5")[j % 2], edgecolor="k", lw=0.5,
               hatch=("", "//")[j % 2], ecolor="k")
    ax.set_xticks(range(len(methods)), [METHOD_LABELS.get(m, m) for m in methods], rotation=20, ha="right")
    ax.axhline(0.5, color="grey", lw=0.8, ls=":")
    ax.set_ylim(0, 1)
    ax.set_ylabel(f"mean {metric.upper()} over classes")
    # beside the bars, never over an error bar
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
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


def reproduction_lines(path: str | os.PathLike) -> list[dict]:
    """The lines of ``benchmarks/grid_reproduce.py``'s CSV (grid rows re-run at one commit), as
    ``csv.DictReader`` gives them (strings); an empty list when the file does not exist (no re-run yet)."""
    import csv

    path = Path(path)
    if not path.is_file():
        return []
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def code_reproduced(lines: list[dict], tol: float | None = None) -> bool | None:
    """Did the re-run at one commit give every row it re-ran on the row's own thread count
    (:func:`ganad_lib.experiments.cpu_grid_threads`) the AUROC the row recorded, to ``tol`` (by default
    :data:`ganad_lib.narration.REPRO_TINY`, below which :func:`ganad_lib.narration.reproduction` reads a
    difference as the order of floating-point sums, not a code change)? ``None`` when no row was re-run
    that way: the question is open. ``lines``: :func:`reproduction_lines`. Lines on the other thread count
    measure the threads, not the code, and are left out."""
    from .experiments import cpu_grid_threads

    if tol is None:
        from . import narration

        tol = getattr(narration, "REPRO_TINY", 1e-4)

    own = [x for x in lines if x["auroc_now"] and int(x["threads"]) == cpu_grid_threads(int(x["row"]))]
    if not own:
        return None
    return all(abs(float(x["auroc_now"]) - float(x["auroc_then"])) < tol for x in own)


# --------------------------------------------------------------------------------------------
# Statistics over seeds and paired tests (notebook 06)
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Interval:
    """A mean over ``n`` values with its Student-t interval (``low``/``high`` are NaN when n < 2)."""

    mean: float
    low: float
    high: float
    n: int
    confidence: float = 0.95
    #: for a mean over classes: how many classes each per-seed value averages
    n_classes: int = 0
    #: for a mean over classes: seeds left out because they miss a class
    dropped_seeds: tuple = field(default=())

    @property
    def has_interval(self) -> bool:
        return self.n >= 2 and math.isfinite(self.low) and math.isfinite(self.high)

    @property
    def half_width(self) -> float:
        return (self.high - self.low) / 2 if self.has_interval else float("nan")

    def format(self, digits: int = 3) -> str:
        """``0.812 [0.790, 0.834]``; ``0.812 (1 seed: no interval)``; ``—`` when there is no value."""
        if self.n == 0 or not math.isfinite(self.mean):
            return "—"
        if not self.has_interval:
            return f"{self.mean:.{digits}f} (1 seed: no interval)"
        return f"{self.mean:.{digits}f} [{self.low:.{digits}f}, {self.high:.{digits}f}]"


def t_interval(values, confidence: float = 0.95) -> Interval:
    """Mean of ``values`` and its Student-t ``confidence`` interval.

    mean ± t_{(1+confidence)/2, n-1} · s / √n, with s the sample standard deviation (``ddof=1``).
    With one value there is no interval (``low`` and ``high`` are NaN): one seed says nothing about
    how much a result moves between seeds. With two values, t = 12.71 at 95 %: the interval is wide.
    """
    from scipy import stats

    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be in (0, 1), got {confidence}")
    v = np.asarray(list(values), dtype=float)
    if v.size and not np.isfinite(v).all():
        raise ValueError("values must be finite (a NaN or infinite result cannot enter an interval)")
    n = int(v.size)
    if n == 0:
        return Interval(float("nan"), float("nan"), float("nan"), 0, confidence)
    mean = float(v.mean())
    if n == 1:
        return Interval(mean, float("nan"), float("nan"), 1, confidence)
    half = float(stats.t.ppf((1 + confidence) / 2, n - 1) * v.std(ddof=1) / math.sqrt(n))
    return Interval(mean, mean - half, mean + half, n, confidence)


def protocols(rows) -> list[str]:
    """The protocols present in ``rows``, in a fixed order."""
    return sorted({r["protocol"] for r in rows})


def select(rows, *, protocol: str | None = None, dataset: str | None = None, methods=None) -> list[dict]:
    """The rows of one protocol / data set / set of methods (``None``: any)."""
    methods = None if methods is None else set(methods)
    return [r for r in rows if (protocol is None or r["protocol"] == protocol)
            and (dataset is None or r["dataset"] == dataset) and (methods is None or r["method"] in methods)]


class SizeSelection(NamedTuple):
    """What :func:`one_size_per_method` kept: the rows, the ``sizes`` chosen per (method,
    protocol), and how many rows of other sizes were dropped."""

    rows: list
    sizes: dict
    dropped: int


def one_size_per_method(rows, choose: dict | None = None) -> SizeSelection:
    """Keep, for each method (and protocol), the rows of a single ``sizes`` value.

    ``sizes`` (runs.csv) records the image budget and every setting of a run; rows with other
    sizes come from another budget and must not be averaged with them. ``choose`` maps a method
    to the ``sizes`` to keep; for the others the value with the most rows wins (on a tie, the
    one written last). Rows written before the column existed have ``sizes == ""`` and form a
    group of their own.
    """
    choose = dict(choose or {})
    groups: dict[tuple[str, str], dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for i, r in enumerate(rows):
        groups[(r["method"], r["protocol"])][r.get("sizes") or ""].append(i)
    chosen: dict[tuple[str, str], str] = {}
    for (m, p), by_size in groups.items():
        if m in choose:
            if choose[m] not in by_size:
                raise ValueError(f"no {m} row with sizes {choose[m]!r} (protocol {p})")
            chosen[(m, p)] = choose[m]
        else:
            chosen[(m, p)] = max(by_size, key=lambda s: (len(by_size[s]), max(by_size[s])))
    kept = [r for r in rows if (r.get("sizes") or "") == chosen[(r["method"], r["protocol"])]]
    return SizeSelection(kept, chosen, len(rows) - len(kept))


def _checked(rows, dataset: str) -> list[dict]:
    """The rows of ``dataset``, refusing mixed protocols, mixed budgets and repeated runs."""
    sel = [r for r in rows if r["dataset"] == dataset]
    protos = protocols(sel)
    if len(protos) > 1:
        raise ValueError(f"{dataset}: the rows hold runs of {len(protos)} protocols ({', '.join(protos)}); "
                         "results under one protocol cannot be averaged with the other: "
                         "pass select(rows, protocol=...)")
    sizes: dict[str, set] = defaultdict(set)
    for r in sel:
        sizes[r["method"]].add(r.get("sizes") or "")
    mixed = sorted(m for m, s in sizes.items() if len(s) > 1)
    if mixed:
        raise ValueError(f"{dataset}: rows of {', '.join(mixed)} come from several budgets (`sizes`); "
                         "keep one with one_size_per_method(rows)")
    seen = set()
    for r in sel:
        key = (r["method"], r["class"], r["seed"])
        if key in seen:
            raise ValueError(f"{dataset}: {r['method']} class {r['class']} seed {r['seed']} appears twice")
        seen.add(key)
    return sel


def per_class_stats(rows, dataset: str, metric: str = "auroc", confidence: float = 0.95) -> dict[str, list[Interval]]:
    """{method: [Interval for class 0, ..., class 9]}: mean over seeds and its t-interval.

    A class without runs has ``n == 0``; a class with one seed has no interval. Rows must hold
    one protocol and one ``sizes`` per method (:func:`select`, :func:`one_size_per_method`).
    """
    sel = _checked(rows, dataset)
    acc: dict[str, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    for r in sel:
        acc[r["method"]][r["class"]].append(r[metric])
    return {m: [t_interval(acc[m][c], confidence) for c in range(10)] for m in _methods(sel)}


def class_mean_stats(rows, dataset: str, metric: str = "auroc", confidence: float = 0.95) -> dict[str, Interval]:
    """{method: Interval}: the mean over classes, with the t-interval of the per-seed class means.

    For each seed, the metric is averaged over the method's classes; the interval is taken over
    those per-seed means. A seed that misses one of the method's classes would average other
    classes, so it is left out (listed in ``dropped_seeds``).
    """
    sel = _checked(rows, dataset)
    by: dict[str, dict[int, dict[int, float]]] = defaultdict(lambda: defaultdict(dict))
    for r in sel:
        by[r["method"]][r["seed"]][r["class"]] = r[metric]
    out = {}
    for m in _methods(sel):
        classes = set().union(*(set(v) for v in by[m].values()))
        complete = {s: v for s, v in by[m].items() if set(v) == classes}
        dropped = tuple(sorted(set(by[m]) - set(complete)))
        iv = t_interval([np.mean(list(v.values())) for _, v in sorted(complete.items())], confidence)
        out[m] = Interval(iv.mean, iv.low, iv.high, iv.n, confidence, len(classes), dropped)
    return out


def seed_paired_difference(rows, a: str, b: str, dataset: str = "fashion_mnist", cls: int | None = None,
                           metric: str = "auroc", confidence: float = 0.95) -> Interval:
    """Method ``a`` minus method ``b``, paired seed by seed, with the Student-t interval over the seeds.

    For each seed that both methods ran, the difference is taken on the one class ``cls`` or, with
    ``cls=None``, averaged over the classes both ran on that seed; a seed where either method lacks
    ``cls`` is left out. A seed draws the same split for both methods, so pairing removes the split's
    share of the spread. The result is :func:`t_interval` of the per-seed differences (notebook 00,
    Sections 4 and 5). Rows must hold one protocol and one ``sizes`` per method.
    """
    by_seed: dict[int, dict[str, dict[int, float]]] = defaultdict(lambda: defaultdict(dict))
    for r in _checked(rows, dataset):
        if r["method"] in (a, b):
            by_seed[r["seed"]][r["method"]][r["class"]] = r[metric]
    diffs = []
    for _, runs in sorted(by_seed.items()):
        if a in runs and b in runs:
            classes = sorted(set(runs[a]) & set(runs[b])) if cls is None else [cls]
            if classes and all(c in runs[a] and c in runs[b] for c in classes):
                diffs.append(float(np.mean([runs[a][c] - runs[b][c] for c in classes])))
    return t_interval(diffs, confidence)


def _ordered(iv: Interval | None) -> bool:
    """Whether a paired difference shows an order: an interval that excludes 0."""
    return iv is not None and iv.has_interval and (iv.low > 0 or iv.high < 0)


@dataclass(frozen=True)
class BaselineVsGans:
    """What :func:`baseline_vs_gans` found (notebook 00, Section 5): one baseline beside the GAN
    detectors, at the grid's small budget under one protocol and at the papers' sizes under each."""

    baseline: str
    #: {method: Interval}: the mean over the classes at the small budget, under the small grid's protocol
    small: dict
    #: the GAN detector with the highest small-budget mean (None: no GAN detector ran)
    best_gan: str | None
    #: the baseline minus ``best_gan``, paired seed by seed at the small budget
    small_diff: Interval
    #: {protocol: {method: Interval}}: the same means at the papers' sizes
    full: dict
    #: {protocol: [the GAN detectors with a mean over all ``n_classes`` classes at the papers' sizes, best first]}
    full_gans: dict
    #: the protocol of the papers'-sizes pair below
    full_protocol: str
    #: the best of ``full_gans[full_protocol]`` (None: none finished every class)
    full_gan: str | None
    #: the baseline minus ``full_gan`` at the papers' sizes, paired seed by seed (None: no such pair)
    full_diff: Interval | None
    #: the table's rows: the small budget's methods, then those that ran only at the papers' sizes
    methods: tuple
    n_classes: int = 10

    @property
    def small_ordered(self) -> bool:
        """The small-budget paired interval excludes 0."""
        return _ordered(self.small_diff)

    @property
    def full_ordered(self) -> bool:
        """The papers'-sizes paired interval excludes 0."""
        return _ordered(self.full_diff)

    def full_cell(self, protocol: str, method: str) -> str:
        """A papers'-sizes table cell: the mean over all classes with its number of seeds, how many classes
        ran when some are missing, or ``—`` when the method did not run."""
        iv = self.full.get(protocol, {}).get(method)
        if iv is None:
            return "—"
        seeds = f" ({iv.n} seed{'' if iv.n == 1 else 's'})"
        if iv.n_classes == self.n_classes:
            return f"{iv.mean:.3f}{seeds}"
        return f"{iv.n_classes} of {self.n_classes} classes{seeds}"


def baseline_vs_gans(small_rows, full_rows, dataset: str = "fashion_mnist", baseline: str = "knn",
                     protocol: str = "one_class_anomalous", full_protocol: str = "one_class_normal",
                     shown=("one_class_anomalous", "one_class_normal"), n_classes: int = 10) -> BaselineVsGans:
    """A baseline against the best GAN detector, from a small-budget grid and a papers'-sizes grid.

    ``small_rows``: the grid at the small budget (its ``protocol`` rows are used); ``full_rows``: the grid at
    the papers' sizes (may be empty). Each mean is :func:`class_mean_stats` over ``dataset``'s classes; the
    differences are :func:`seed_paired_difference`. At the papers' sizes, only GAN detectors that finished
    all ``n_classes`` classes compete, under ``full_protocol``. Rows must hold one ``sizes`` per method.
    """
    small_sel = select(small_rows, protocol=protocol)
    small = class_mean_stats(small_sel, dataset)
    gans = [m for m in GAN_METHODS if m in small]
    best_gan = max(gans, key=lambda m: small[m].mean) if gans else None
    small_diff = (seed_paired_difference(small_sel, baseline, best_gan, dataset)
                  if best_gan is not None and baseline in small else t_interval([]))
    full = {p: class_mean_stats(select(full_rows, protocol=p, dataset=dataset), dataset) for p in shown}
    full_gans = {p: sorted((m for m in GAN_METHODS if m in full[p] and full[p][m].n_classes == n_classes),
                           key=lambda m: -full[p][m].mean) for p in shown}
    full_gan = (full_gans.get(full_protocol) or [None])[0]
    full_diff = (seed_paired_difference(select(full_rows, protocol=full_protocol), baseline, full_gan, dataset)
                 if full_gan is not None and baseline in full.get(full_protocol, {}) else None)
    methods = tuple(dict.fromkeys([*small, *(m for p in shown for m in full[p])]))
    return BaselineVsGans(baseline, small, best_gan, small_diff, full, full_gans, full_protocol, full_gan,
                          full_diff, methods, n_classes)


def per_class_table(rows, dataset: str, metric: str = "auroc", class_names=None, confidence: float = 0.95,
                    digits: int = 3) -> str:
    """A Markdown table: one line per class, one column per method, ``mean [low, high]``.

    The intervals are Student-t intervals over seeds (``ddof=1``); a cell computed from one seed
    reads "(1 seed: no interval)". The last line is the mean over classes with the interval of
    the per-seed class means.
    """
    stats = per_class_stats(rows, dataset, metric, confidence)
    means = class_mean_stats(rows, dataset, metric, confidence)
    methods = list(stats)
    names = list(class_names) if class_names is not None else [str(c) for c in range(10)]
    head = ("| class | " + " | ".join(METHOD_LABELS.get(m, m) for m in methods) + " |\n|---|"
            + "---|" * len(methods) + "\n")
    lines = [f"| {names[c]} | " + " | ".join(stats[m][c].format(digits) for m in methods) + " |"
             for c in range(10) if any(stats[m][c].n for m in methods)]
    lines.append("| **mean over classes** | " + " | ".join(means[m].format(digits) for m in methods) + " |")
    return head + "\n".join(lines)


def holm(p_values) -> list[float]:
    """Holm's step-down adjustment of a family of p-values (NaN entries stay NaN, are not counted)."""
    p = np.asarray(list(p_values), dtype=float)
    ok = np.flatnonzero(np.isfinite(p))
    out = np.full(p.shape, np.nan)
    m = len(ok)
    running = 0.0
    for rank, i in enumerate(ok[np.argsort(p[ok], kind="stable")]):
        running = max(running, min(1.0, (m - rank) * p[i]))
        out[i] = running
    return out.tolist()


def _p(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}" if p < 0.1 else f"p = {p:.2f}"


@dataclass(frozen=True)
class Paired:
    """A paired comparison of ``method`` against ``baseline`` over the runs both have."""

    method: str
    baseline: str
    dataset: str
    protocol: str
    metric: str
    #: number of shared (class, seed) runs
    n: int
    #: runs where ``method`` scores higher / lower / the same
    wins: int
    losses: int
    ties: int
    #: mean of (method - baseline) over the shared runs
    mean_diff: float
    #: Wilcoxon signed-rank statistic (the smaller rank sum) and its two-sided p-value
    statistic: float
    p_value: float
    #: the p-value the verdict uses (Holm-adjusted in :func:`paired_comparisons`, else ``p_value``)
    p_adjusted: float
    alpha: float
    #: +1: ``method`` higher, -1: ``baseline`` higher (significant at ``alpha``), 0: no verdict
    direction: int
    adjusted: str = ""
    #: sign of (rank sum of positive differences - rank sum of negative ones), significant or not
    sign: int = 0
    #: the differences (method - baseline), one per shared run, in the order of ``pairs``
    diffs: tuple = field(default=(), repr=False)
    #: the shared (class, seed) runs
    pairs: tuple = field(default=(), repr=False)

    @property
    def significant(self) -> bool:
        return self.direction != 0

    @property
    def sentence(self) -> str:
        """The verdict in one sentence, computed from the numbers above."""
        a, b = METHOD_LABELS.get(self.method, self.method), METHOD_LABELS.get(self.baseline, self.baseline)
        d = DATASET_LABELS.get(self.dataset, self.dataset)
        if self.n == 0:
            return f"{a} and {b} share no run on {d}: nothing to compare."
        p = _p(self.p_value)
        if self.adjusted:
            p += f", {self.adjusted}-adjusted {_p(self.p_adjusted).removeprefix('p ').lstrip('= ')}"
        ties = f", {self.ties} ties" if self.ties else ""
        stats = (f"mean {self.mean_diff:+.3f} {self.metric.upper()}, {a} higher in {self.wins} of {self.n} "
                 f"paired runs{ties}, Wilcoxon {p}")
        if self.direction > 0:
            return f"{a} beats {b} on {d}: {stats}."
        if self.direction < 0:
            return f"{a} loses to {b} on {d}: {stats}."
        return f"No significant difference between {a} and {b} on {d} at level {self.alpha:g}: {stats}."


def paired_comparison(rows, dataset: str, method: str, baseline: str, metric: str = "auroc",
                      alpha: float = 0.05) -> Paired:
    """``method`` against ``baseline`` on the (class, seed) runs both have, on ``dataset``.

    Counts wins, losses and ties (equal values), and runs the two-sided Wilcoxon signed-rank
    test (``scipy.stats.wilcoxon``) on the differences; zero differences are left out of the
    test, as Wilcoxon's original procedure does (with no non-zero difference, p = 1). The
    verdict is significant when p < ``alpha``; its direction is the sign of the larger rank sum.
    Rows must hold one protocol and one ``sizes`` per method.
    """
    from scipy import stats

    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha must be in (0, 1), got {alpha}")
    sel = _checked(rows, dataset)
    a = {(r["class"], r["seed"]): r[metric] for r in sel if r["method"] == method}
    b = {(r["class"], r["seed"]): r[metric] for r in sel if r["method"] == baseline}
    keys = sorted(set(a) & set(b))
    protocol = sel[0]["protocol"] if sel else ""
    d = np.array([a[k] - b[k] for k in keys], dtype=float)
    n = len(d)
    if n == 0:
        return Paired(method, baseline, dataset, protocol, metric, 0, 0, 0, 0, float("nan"), float("nan"),
                      float("nan"), float("nan"), alpha, 0)
    wins, losses = int((d > 0).sum()), int((d < 0).sum())
    nz = d[d != 0]
    if len(nz) == 0:
        stat, p, sign = 0.0, 1.0, 0
    else:
        res = stats.wilcoxon(nz, alternative="two-sided")
        stat, p = float(res.statistic), float(res.pvalue)
        ranks = stats.rankdata(np.abs(nz))
        sign = int(np.sign(ranks[nz > 0].sum() - ranks[nz < 0].sum()))
    return Paired(method, baseline, dataset, protocol, metric, n, wins, losses, n - wins - losses,
                  float(d.mean()), stat, p, p, alpha, sign if p < alpha else 0, "", sign, tuple(d.tolist()),
                  tuple(keys))


def paired_comparisons(rows, datasets=("mnist", "fashion_mnist"), pairs=PAIRS, metric: str = "auroc",
                       alpha: float = 0.05, adjust: str | None = "holm") -> list[Paired]:
    """:func:`paired_comparison` for every pair and data set, as one family of tests.

    With ``adjust="holm"`` (default) the verdicts use Holm-adjusted p-values over the whole
    family, so that running eight tests does not make a chance result look significant;
    ``adjust=None`` uses each test's own p-value.
    """
    if adjust not in (None, "holm"):
        raise ValueError(f"adjust must be None or 'holm', got {adjust!r}")
    out = [paired_comparison(rows, d, m, b, metric, alpha) for d in datasets for m, b in pairs]
    if adjust is None:
        return out
    adj = holm([r.p_value for r in out])
    return [replace(r, p_adjusted=pa, direction=r.sign if (r.n and pa < alpha) else 0, adjusted="Holm")
            for r, pa in zip(out, adj)]


def class_paired_comparisons(rows, datasets=("mnist", "fashion_mnist"), pairs=PAIRS, metric: str = "auroc",
                             alpha: float = 0.05, adjust: str | None = "holm") -> list[Paired]:
    """:func:`paired_comparisons` with the class as the unit: one pair per class, not per (class, seed).

    The seeds of one class share its data and its difficulty, so (class, seed) pairs are not
    independent. Here each method's runs of a class are first averaged over the seeds that both
    methods ran on that class; the Wilcoxon signed-rank test then pairs these class means (ten
    pairs for ten classes, whatever the number of seeds), and with ``adjust="holm"`` the p-values
    are Holm-adjusted over the whole family, as in :func:`paired_comparisons`.

    In each result, ``n``, ``wins``, ``losses`` and ``ties`` count classes, ``diffs`` are the
    differences of the class means and ``pairs`` holds (class, number of seeds averaged). Its
    ``sentence`` still says "paired runs" for these classes: word a slide's sentence yourself.
    """
    if adjust not in (None, "holm"):
        raise ValueError(f"adjust must be None or 'holm', got {adjust!r}")
    out = []
    for d in datasets:
        sel = _checked(rows, d)
        by: dict[str, dict[int, dict]] = defaultdict(lambda: defaultdict(dict))
        for r in sel:
            by[r["method"]][r["class"]][r["seed"]] = r[metric]
        protocol = sel[0]["protocol"] if sel else ""
        for m, b in pairs:
            means, seeds = [], {}
            for c in sorted(set(by[m]) & set(by[b])):
                shared = sorted(set(by[m][c]) & set(by[b][c]))
                if not shared:
                    continue
                seeds[c] = len(shared)
                for method in (m, b):
                    means.append({"method": method, "dataset": d, "protocol": protocol, "class": c, "seed": 0,
                                  metric: float(np.mean([by[method][c][s] for s in shared]))})
            res = paired_comparison(means, d, m, b, metric, alpha)
            out.append(replace(res, protocol=protocol, pairs=tuple((c, seeds[c]) for c, _ in res.pairs)))
    if adjust is None:
        return out
    adj = holm([r.p_value for r in out])
    return [replace(r, p_adjusted=pa, direction=r.sign if (r.n and pa < alpha) else 0, adjusted="Holm")
            for r, pa in zip(out, adj)]


def _and(items) -> str:
    """"a", "a and b", "a, b and c"."""
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def family_sentence(results) -> str:
    """The family of tests a Holm correction ran over, in words: "GANomaly vs Autoencoder, PCA and kNN,
    and EGBAD vs AnoGAN, on each of MNIST and Fashion-MNIST".

    ``results`` are :class:`Paired` results of one family (:func:`paired_comparisons`,
    :func:`class_paired_comparisons`); a test without a p-value (no shared run) was not part of the
    correction and is left out. Methods keep the order in which they first appear; when the pairs
    were not all tested on the same data sets, each pair says its own.
    """
    tests = [r for r in results if math.isfinite(r.p_value)]
    if not tests:
        return ""
    label = lambda m: METHOD_LABELS.get(m, m)  # noqa: E731
    dlabel = lambda d: DATASET_LABELS.get(d, d)  # noqa: E731
    on: dict[tuple[str, str], list[str]] = {}
    for r in tests:
        on.setdefault((r.method, r.baseline), [])
        if r.dataset not in on[(r.method, r.baseline)]:
            on[(r.method, r.baseline)].append(r.dataset)
    same = len({tuple(sorted(ds)) for ds in on.values()}) == 1
    by_method: dict[str, list[tuple[str, list[str]]]] = {}
    for (m, b), ds in on.items():
        by_method.setdefault(m, []).append((b, ds))
    if same:
        ds = next(iter(on.values()))
        parts = [f"{label(m)} vs {_and([label(b) for b, _ in bs])}" for m, bs in by_method.items()]
        where = f"on each of {_and([dlabel(d) for d in ds])}" if len(ds) > 1 else f"on {dlabel(ds[0])}"
        return ", and ".join(parts) + (", " if len(parts) > 1 else " ") + where
    parts = [f"{label(m)} vs {label(b)} ({_and([dlabel(d) for d in ds])})" for m, bs in by_method.items()
             for b, ds in bs]
    return _and(parts)


def paired_table(results, unit: str = "runs") -> str:
    """A Markdown table of paired comparisons: one line per pair and data set. ``unit`` names what was
    paired in the count column: "runs" for :func:`paired_comparisons`, "classes" for
    :func:`class_paired_comparisons`."""
    if unit not in ("runs", "classes"):
        raise ValueError(f"unit must be 'runs' or 'classes', got {unit!r}")
    head = (f"| comparison | data set | {unit} paired | mean difference | higher / lower / tied | Wilcoxon p "
            "| adjusted p | verdict |\n|---|---|---|---|---|---|---|---|\n")
    lines = []
    for r in results:
        a, b = METHOD_LABELS.get(r.method, r.method), METHOD_LABELS.get(r.baseline, r.baseline)
        if r.n == 0:
            lines.append(f"| {a} − {b} | {DATASET_LABELS.get(r.dataset, r.dataset)} | 0 | — | — | — | — | nothing shared |")
            continue
        word = {1: f"**{a}** higher", -1: f"**{b}** higher", 0: "no significant difference"}[r.direction]
        lines.append(f"| {a} − {b} | {DATASET_LABELS.get(r.dataset, r.dataset)} | {r.n} | {r.mean_diff:+.3f} | "
                     f"{r.wins} / {r.losses} / {r.ties} | {r.p_value:.3g} | "
                     f"{r.p_adjusted:.3g}{' (' + r.adjusted + ')' if r.adjusted else ''} | {word} |")
    return head + "\n".join(lines)


def cost_quality(rows, dataset: str, metric: str = "auroc", confidence: float = 0.95) -> dict[str, dict]:
    """{method: {"quality": Interval, "train_seconds": median, "images_per_second": median, "runs": n}}.

    Quality is the mean over classes with the t-interval of the per-seed class means
    (:func:`class_mean_stats`); the costs are medians over the method's runs on ``dataset``.
    """
    q = class_mean_stats(rows, dataset, metric, confidence)
    out = {}
    for m, iv in q.items():
        sel = [r for r in rows if r["dataset"] == dataset and r["method"] == m]
        out[m] = {"quality": iv, "train_seconds": float(np.median([r["train_seconds"] for r in sel])),
                  "images_per_second": float(np.median([r["score_images_per_second"] for r in sel])),
                  "runs": len(sel)}
    return out


def plot_cost_quality(rows, metric: str = "auroc", datasets=("mnist", "fashion_mnist"), axes=None,
                      confidence: float = 0.95, dodge: float = 1.1, labels: bool = False):
    """Quality against cost: the metric (mean over classes, t-interval as error bar) against the
    median training time and against the median scoring speed; one point per method and data set.

    On the log x axes the data sets' points are drawn a little apart, the first data set's x divided
    and the second's multiplied by ``dodge`` (1 draws them where they are), so that one method's two
    points do not hide each other. The methods' legend sits right of the second axes, the data sets'
    in the first axes' lower left corner (where no method's point falls at these costs). With ``labels``,
    each method's name also stands beside its points (:func:`_label_points`). Returns the two axes."""
    import matplotlib.pyplot as plt

    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(11, 3.8), sharey=True)
    from matplotlib.lines import Line2D

    cmap = plt.get_cmap("tab10")
    markers = {"mnist": "o", "fashion_mnist": "s"}
    shown_methods, shown_datasets = [], []
    points = {0: {}, 1: {}}   # axis -> {method: [(x, y) of its points]}, for the labels
    shift = {d: dodge ** (-1 if i == 0 else 1) if len(datasets) > 1 else 1.0 for i, d in enumerate(datasets)}
    for d in datasets:
        cq = cost_quality(rows, d, metric, confidence) if any(r["dataset"] == d for r in rows) else {}
        if cq:
            shown_datasets.append(d)
        for m, v in cq.items():
            iv = v["quality"]
            err = [[iv.mean - iv.low], [iv.high - iv.mean]] if iv.has_interval else None
            color = cmap(METHOD_ORDER.index(m) if m in METHOD_ORDER else 9)
            if m not in shown_methods:
                shown_methods.append(m)
            for k, (ax, x) in enumerate(zip(axes, (max(v["train_seconds"], 0.01) * shift[d],
                                                   v["images_per_second"] * shift[d]))):
                points[k].setdefault(m, []).append((x, iv.mean))
                # the bars pale and behind, the markers on top: a long bar does not hide another method's point
                ax.errorbar([x], [iv.mean], yerr=err, fmt="none", ecolor=color, capsize=2, alpha=0.3,
                            elinewidth=0.8, zorder=2)
                ax.plot([x], [iv.mean], markers.get(d, "^"), color=color, ms=7, zorder=3,
                        mfc=color if d == "mnist" else "white")
    for ax, xl in zip(axes, ("training time per run (s, median, log scale)",
                             "scoring speed (images / s, median, log scale)")):
        ax.set_xscale("log")
        ax.axhline(0.5, color="grey", lw=0.8, ls=":")
        ax.set_xlabel(xl)
        ax.set_ylim(0, 1)
    axes[0].set_ylabel(f"mean {metric.upper()} over classes\n({confidence:.0%} t-interval over seeds)")
    axes[0].set_title("quality against training cost")
    axes[1].set_title("quality against scoring speed")
    # two short legends instead of one per (method, data set): colour is the method, the marker the data set
    by_method = [Line2D([], [], ls="", marker="o", color=cmap(METHOD_ORDER.index(m) if m in METHOD_ORDER else 9),
                        label=METHOD_LABELS.get(m, m)) for m in _methods([{"method": m} for m in shown_methods])]
    by_data = [Line2D([], [], ls="", marker=markers.get(d, "^"), color="0.3", mfc="0.3" if d == "mnist" else "white",
                      label=DATASET_LABELS.get(d, d)) for d in shown_datasets]
    axes[1].legend(handles=by_method, fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0),
                   title="method", title_fontsize=8)
    axes[0].legend(handles=by_data, fontsize=8, frameon=False, loc="lower left", title="data set", title_fontsize=8)
    if labels:
        _label_points(axes, points, cmap)
    return axes


def _label_points(axes, points: dict, cmap, gap: float = 0.055) -> None:
    """Each method's name beside its points, on each axis: right of its rightmost point, at the mean height of its
    points, the labels of one axis pushed apart vertically by at least ``gap`` (in the metric's units), each joined
    to its points' height by a thin line, so that points close together keep readable names.
    ``points``: {axis index: {method: [(x, y)]}}."""
    for k, by_m in points.items():
        ax = axes[k]
        want = sorted(((float(np.mean([y for _, y in p])), m) for m, p in by_m.items()))
        placed = []
        for y, m in want:   # from the lowest up: each label at least `gap` above the one below it
            placed.append((m, y, max(y, placed[-1][2] + gap) if placed else y))
        shift = max(0.0, placed[-1][2] - 0.97) if placed else 0.0   # keep the top label inside the axes
        for m, y, ly in placed:
            x = max(px for px, _ in by_m[m]) * 1.35
            ax.annotate(METHOD_LABELS.get(m, m), (x / 1.25, y), xytext=(x, ly - shift), textcoords="data",
                        fontsize=7.5, va="center", color=cmap(METHOD_ORDER.index(m) if m in METHOD_ORDER else 9),
                        arrowprops={"arrowstyle": "-", "color": "0.6", "lw": 0.5})


def seed_means(rows, dataset: str, metric: str = "auroc") -> dict[str, dict[int, float]]:
    """{method: {seed: the metric averaged over the classes}} on ``dataset``, for the seeds that finished every
    class the data set's rows hold (a seed missing a class is left out, as in ``class_mean_stats``)."""
    by: dict = {}
    for r in rows:
        if r["dataset"] == dataset:
            by.setdefault(r["method"], {}).setdefault(r["seed"], {})[r["class"]] = r[metric]
    classes = {r["class"] for r in rows if r["dataset"] == dataset}
    return {m: {s: float(np.mean(list(v.values()))) for s, v in sorted(sv.items()) if set(v) == classes}
            for m, sv in by.items()}


def failed_seeds(rows, dataset: str, gap: float = 0.1, metric: str = "auroc") -> list[tuple]:
    """[(method, seed, its class mean, [the other seeds' class means])] for every seed whose mean over classes
    lies more than ``gap`` below each of at least two other seeds of its method: a seed that failed as a whole."""
    out = []
    for m, sm in seed_means(rows, dataset, metric).items():
        for s, v in sm.items():
            others = [w for t, w in sm.items() if t != s]
            if len(others) >= 2 and all(w - v > gap for w in others):
                out.append((m, s, v, others))
    return out


def seed_evidence(rows, dataset: str, failed: list, class_means: dict, reruns: list[dict]) -> dict:
    """The two checks on why the seeds ``failed`` (from ``failed_seeds``) of ``dataset`` failed, for one protocol's
    ``rows``: (a) the re-run rows (``reruns``: rows of ``reproduction_lines`` re-run on their own thread count) of
    each failed seed itself, else of its method under each commit label the seed ran under; (b) PCA's and kNN's
    intervals among ``class_means`` ({method: Interval}), methods with no training run that could fail.
    Returns {"protocol", "rerun": {(m, s): [lines]}, "labels": {(m, s): [labels]}, "labels_rerun": {(m, s):
    [labels re-run for m]}, "steady": {method: Interval}}."""
    proto = rows[0]["protocol"]
    labels = {(m, s): sorted({r["git_commit"] for r in rows if (r["method"], r["dataset"], r["seed"]) == (m, dataset, s)})
              for m, s, _, _ in failed}
    return {"protocol": proto,
            "rerun": {(m, s): [x for x in reruns if (x["method"], x["dataset"], x["protocol"], int(x["seed"]))
                               == (m, dataset, proto, s)] for m, s in labels},
            "labels": labels,
            "labels_rerun": {(m, s): [lab for lab in labs if any(x["method"] == m and x["git_commit_then"] == lab
                                                                 for x in reruns)] for (m, s), labs in labels.items()},
            "steady": {m: class_means[m] for m in ("pca", "knn") if m in class_means}}


# --------------------------------------------------------------------------------------------
# Notebook 06's plumbing (round 4): loading the grid, the other protocol, the budget study
# --------------------------------------------------------------------------------------------

@dataclass
class CourseGrid:
    """The rows notebook 06 reads, filtered as it reads them (see :func:`course_grid`)."""
    all_rows: list
    kept: SizeSelection
    by_protocol: dict
    protocol: str
    rows: list
    methods: list
    datasets: list
    csv_path: Path
    source: str
    planned: int | None = None          # the smoke grid's number of runs (None for a committed grid)
    repro: list = field(default_factory=list)
    code_reproduced: bool | None = None
    own_repro: list = field(default_factory=list)      # re-run rows on the thread count they first ran on
    other_threads: list = field(default_factory=list)  # re-run rows on the other thread count
    thread_moved: list = field(default_factory=list)   # |AUROC now - then| of those

    def describe(self) -> str:
        """What was loaded, in a few lines: runs, protocols, budgets, methods, data, machine."""
        from .narration import without_folder
        old = sorted({m for (m, _), s in self.kept.sizes.items() if not s}, key=METHOD_ORDER.index)
        lines = [f"{len(self.all_rows)} runs from {self.source}",
                 "protocols: " + ", ".join(f"{p} ({len(v)} runs)" for p, v in self.by_protocol.items()),
                 f"budgets: one `sizes` value kept per method and protocol, {self.kept.dropped} runs of other budgets "
                 "left out" + (f"; the rows of {len(old)} methods predate the `sizes` column and count as one budget "
                               "each" if old else ""),
                 "methods: " + ", ".join(METHOD_LABELS[m] for m in self.methods)]
        for d in self.datasets:
            sel = [r for r in self.rows if r["dataset"] == d]
            lines.append(f"{DATASET_LABELS[d]}: classes {sorted({r['class'] for r in sel})}, seeds "
                         f"{sorted({r['seed'] for r in sel})}, source: {without_folder(sel[0]['data_source'])}")
        kr = self.kept.rows
        lines.append("profile: " + ", ".join(sorted({r["profile"] for r in kr})) + " | device: "
                     + ", ".join(sorted({r["device"] for r in kr})) + " | torch "
                     + ", ".join(sorted({r["torch_version"] for r in kr})))
        return "\n".join(lines)


def smoke_grid_runs() -> list:
    """The tiny grid the ``smoke`` profile runs in notebook 06: every method on one Fashion-MNIST class, kNN on one
    MNIST class, and AnoGAN and kNN under one class normal (whose numbers mean nothing)."""
    from .experiments import METHODS, grid
    return (grid(list(METHODS), ["fashion_mnist"], "one_class_anomalous", [8], [0])
            + grid(["knn"], ["mnist"], "one_class_anomalous", [1], [0])
            + grid(["anogan", "knn"], ["mnist"], "one_class_normal", [1], [0]))


def course_grid(profile, protocol: str = "one_class_anomalous", root: str | os.PathLike | None = None) -> CourseGrid:
    """Notebook 06's rows. ``profile``: a :class:`~ganad_lib.profiles.Profile`. Under ``smoke`` a tiny grid
    (:func:`smoke_grid_runs`) runs now in a temporary folder; otherwise ``results/<profile>/runs.csv`` is read, the
    ``full`` rows only once they hold every method under ``protocol`` (else the ``cpu`` rows). Then one budget per
    method (:func:`one_size_per_method`), the rows split by protocol, and the re-run at one commit
    (``grid_reproduce.csv`` beside the rows: :func:`reproduction_lines`, :func:`code_reproduced`), split by whether a
    row was re-run on the thread count it first ran on."""
    from .experiments import METHODS, cpu_grid_threads, run_grid
    planned = None
    if profile.name == "smoke":
        import tempfile
        runs = smoke_grid_runs()
        csv_path = Path(run_grid(runs, profile.for_grid(), Path(tempfile.mkdtemp(prefix="ganad-smoke-")),
                                 progress=False))
        source, planned = "a smoke grid run just now", len(runs)
    else:
        csv_path = results_path(profile.name, root)
        if not csv_path.is_file() or {r["method"] for r in load_runs(csv_path)
                                      if r["protocol"] == protocol} != set(METHODS):
            csv_path = results_path("cpu", root)
        source = f"results/{csv_path.parent.name}/runs.csv"
    all_rows = load_runs(csv_path)
    kept = one_size_per_method(all_rows)
    by_protocol = {p: select(kept.rows, protocol=p) for p in protocols(kept.rows)}
    rows = by_protocol.get(protocol, [])
    repro = reproduction_lines(csv_path.parent / "grid_reproduce.csv")
    own = [x for x in repro if x["auroc_now"] and int(x["threads"]) == cpu_grid_threads(int(x["row"]))]
    other = [x for x in repro if x["auroc_now"] and x not in own]
    return CourseGrid(all_rows=all_rows, kept=kept, by_protocol=by_protocol, protocol=protocol, rows=rows,
                      methods=sorted({r["method"] for r in rows}, key=METHOD_ORDER.index),
                      datasets=[d for d in DATASET_LABELS if any(r["dataset"] == d for r in rows)],
                      csv_path=csv_path, source=source, planned=planned, repro=repro,
                      code_reproduced=code_reproduced(repro), own_repro=own, other_threads=other,
                      thread_moved=[abs(float(x["auroc_now"]) - float(x["auroc_then"])) for x in other])


def plot_per_class_panels(rows, datasets, class_names: dict | None = None, confidence: float = 0.95,
                          points: bool = False):
    """One :func:`plot_per_class` panel per data set, stacked (t-intervals over seeds). ``class_names``: {data set:
    names}; ``points``: each seed's value as a dot (:func:`plot_per_class`). Returns the axes."""
    import matplotlib.pyplot as plt
    datasets = list(datasets)
    fig, axes = plt.subplots(max(len(datasets), 1), 1, figsize=(11, 3.75 * max(len(datasets), 1)), squeeze=False)
    for ax, d in zip(axes[:, 0], datasets):
        plot_per_class(rows, d, ax=ax, class_names=list((class_names or {}).get(d, [])) or None, errors="ci",
                       confidence=confidence, points=points)
        ax.set_title(ax.get_title(), pad=12)   # room for the arrowheads of intervals cut at 1
    fig.tight_layout()
    return axes[:, 0]


@dataclass
class OtherProtocol:
    """The statistics of notebook 06's Section 6 (one class normal), per data set (see :func:`other_protocol`)."""
    rows: list
    datasets: list = field(default_factory=list)
    per_class: dict = field(default_factory=dict)     # {d: per_class_stats}
    seed_means: dict = field(default_factory=dict)    # {d: seed_means}
    failed: dict = field(default_factory=dict)        # {d: failed_seeds}
    class_means: dict = field(default_factory=dict)   # {d: class_mean_stats}
    evidence: dict = field(default_factory=dict)      # {d: seed_evidence}, data sets with a failed seed
    tests: list = field(default_factory=list)         # class_paired_comparisons over PAIRS (Holm over the family)
    hedges: dict = field(default_factory=dict)        # {d: the seed-dropping check, see other_protocol}


def other_protocol(rows, reruns: list | None = None, alpha: float = 0.05, confidence: float = 0.95) -> OtherProtocol:
    """Section 6 of notebook 06 on the rows of one protocol: per-class intervals, per-seed class means, failed seeds
    and the two checks on why (``reruns``: re-run rows on their own thread count), the class means, the paired
    family, and, per data set with failed seeds and significant verdicts, a check of how much those verdicts lean
    on the failed seeds: the same family without them. ``hedges[d]``: {"drop": {(method, seed)}, "tested":
    [verdicts involving a method that lost a seed], "kept": how many of those keep their direction, "untested":
    [the other verdicts], "again": {(method, baseline): Paired without the failed seeds}}."""
    out = OtherProtocol(rows=list(rows))
    if not rows:
        return out
    out.datasets = [d for d in DATASET_LABELS if any(r["dataset"] == d for r in rows)]
    for d in out.datasets:
        out.per_class[d] = per_class_stats(rows, d, confidence=confidence)
        out.seed_means[d] = seed_means(rows, d)
        out.failed[d] = failed_seeds(rows, d)
        out.class_means[d] = class_mean_stats(rows, d, confidence=confidence)
    out.evidence = {d: seed_evidence(rows, d, fs, out.class_means[d], reruns or []) for d, fs in out.failed.items()
                    if fs}
    out.tests = class_paired_comparisons(rows, alpha=alpha)
    for d, fs in out.failed.items():
        sig = [r for r in out.tests if r.dataset == d and r.n and r.direction]
        if not fs or not sig:
            continue
        drop = {(m, s) for m, s, _, _ in fs}
        again = {(r.method, r.baseline): r for r in class_paired_comparisons(
            [r for r in rows if (r["method"], r["seed"]) not in drop], alpha=alpha) if r.dataset == d}
        tested = [r for r in sig if {r.method, r.baseline} & {m for m, _ in drop}]
        out.hedges[d] = {"drop": drop, "tested": tested, "untested": [r for r in sig if r not in tested],
                         "kept": sum(again[(r.method, r.baseline)].direction == r.direction for r in tested),
                         "again": again}
    return out


@dataclass
class BudgetStudy:
    """The same (class, seed) settings at two budgets (see :func:`budget_study`)."""
    effects: dict        # {method: {"classes", "runs", "small", "full", "diff", "higher", "p", "p_holm", "per_class"}}
    full_tests: list     # class_paired_comparisons of each other method against kNN at the full-size budget
    change: dict | None  # the post-hoc test of the change of GANomaly - kNN between the budgets, or None


def budget_study(small_rows, full_rows, alpha: float = 0.05, dataset: str = "fashion_mnist") -> BudgetStudy:
    """Notebook 06's Section 9 budget question, on one protocol's rows of ``dataset`` at the grid's budget
    (``small_rows``) and at the full-size budget (``full_rows``).

    ``effects``: per method, the per-class means over the (class, seed) runs it has at both budgets, their mean at
    each budget, the mean difference (full − grid), on how many classes the full-size budget is higher, the
    Wilcoxon p over classes, and ``p_holm``: Holm over the methods (the *budget family*). ``full_tests``: each
    other method (the GAN methods, the autoencoder and PCA) against kNN at the full-size budget, class as the unit,
    Holm over them (the *full-size-budget family*).
    ``change``: the change of GANomaly − kNN between the budgets, per class, over the (class, seed) runs both
    methods have at both budgets: {"mean", "n", "p", "seeds"} (a post-hoc test, outside any family), or None;
    with "ganomaly" and "knn": each method's own move (full − grid) over those same runs, per class, then averaged
    over classes, so that "ganomaly" − "knn" is "mean" (the table's moves are each over the method's own runs)."""
    from scipy import stats
    full = {(r["method"], r["class"], r["seed"]): r["auroc"] for r in full_rows if r["dataset"] == dataset}
    small = {(r["method"], r["class"], r["seed"]): r["auroc"] for r in small_rows if r["dataset"] == dataset}
    effects = {}
    for m in METHOD_ORDER:
        shared = [k for k in full if k[0] == m and k in small]
        classes = sorted({c for _, c, _ in shared})
        if len(classes) >= 2:
            lo = np.array([np.mean([small[k] for k in shared if k[1] == c]) for c in classes])
            hi = np.array([np.mean([full[k] for k in shared if k[1] == c]) for c in classes])
            d = hi - lo
            effects[m] = {"classes": len(classes), "runs": len(shared), "small": lo.mean(), "full": hi.mean(),
                          "diff": d.mean(), "higher": int((d > 0).sum()),
                          "p": stats.wilcoxon(d).pvalue if np.any(d != 0) else 1.0, "per_class": dict(zip(classes, d))}
    for b, pa in zip(effects.values(), holm([b["p"] for b in effects.values()])):
        b["p_holm"] = pa
    pairs = tuple((m, "knn") for m in ("ganomaly", "egbad", "anogan", "autoencoder", "pca")
                  if any(r["method"] == m and r["dataset"] == dataset for r in full_rows))
    full_tests = (class_paired_comparisons([r for r in full_rows if r["dataset"] == dataset], datasets=(dataset,),
                                           pairs=pairs, alpha=alpha) if pairs else [])
    change = None
    if {"ganomaly", "knn"} <= set(effects):
        both = sorted({(c, s) for m, c, s in full if m == "ganomaly" and ("ganomaly", c, s) in small
                       and ("knn", c, s) in full and ("knn", c, s) in small})
        per: dict = {}
        for c, s in both:
            per.setdefault(c, []).append((full[("ganomaly", c, s)] - full[("knn", c, s)])
                                         - (small[("ganomaly", c, s)] - small[("knn", c, s)]))
        dd = np.array([np.mean(v) for v in per.values()])
        own = {m: float(np.mean([np.mean([full[(m, c, s)] - small[(m, c, s)] for c2, s in both if c2 == c])
                                 for c in per])) for m in ("ganomaly", "knn")} if per else {}
        if len(dd) >= 2:
            change = {"mean": float(dd.mean()), "n": len(dd), "p": stats.wilcoxon(dd).pvalue if np.any(dd != 0) else 1.0,
                      "fell": int((dd < 0).sum()), "seeds": sorted({s for _, s in both}), **own}
    return BudgetStudy(effects=effects, full_tests=full_tests, change=change)


def plot_paired_differences(tests: list, per_run: dict, class_names: dict | None = None, n_tests: int | None = None,
                            ax=None):
    """Notebook 06's figure of the differences behind each class-level verdict: per test of ``tests`` (with
    ``n``), one large dot per class (the unit of the test) coloured by the verdict, the single (class, seed) runs
    of ``per_run`` ({(method, baseline, data set): run-level Paired}) as small grey dots, the mean as a black dash,
    and the most extreme class dot of each column labelled with its class (``class_names``: {data set: names}).
    Returns the axis."""
    import matplotlib.pyplot as plt
    shown = [r for r in tests if r.n]
    if ax is None:
        _, ax = plt.subplots(figsize=(12, 4.2))
    rng = np.random.default_rng(0)
    for i, r in enumerate(shown):
        runs = per_run.get((r.method, r.baseline, r.dataset))
        if runs is not None and runs.n:
            ax.scatter(i + rng.uniform(-0.25, 0.25, runs.n), runs.diffs, s=6, color="0.75", zorder=1)
        color = "tab:green" if r.direction > 0 else "tab:red" if r.direction < 0 else "0.35"
        x = i + rng.uniform(-0.12, 0.12, r.n)
        ax.scatter(x, r.diffs, s=28, color=color, zorder=2)
        ax.hlines(r.mean_diff, i - 0.3, i + 0.3, color="k", lw=1.5, zorder=3)
        k = int(np.argmax(np.abs(r.diffs)))
        names = (class_names or {}).get(r.dataset)
        c = r.pairs[k][0] if r.pairs else k
        name = str(names[c]) if names is not None else f"class {c}"
        up = r.diffs[k] >= 0   # the label goes on the far side of the most extreme dot, clear of the others
        ax.annotate(f"digit {name}" if name.isdigit() else name, (x[k], r.diffs[k]), xytext=(4, 4 if up else -4),
                    textcoords="offset points", fontsize=7, va="bottom" if up else "top")
    ax.axhline(0, color="grey", lw=0.8, ls=":")
    for label, col, d in (("class (pair significant: first-named higher)", "tab:green", 1),
                          ("class (pair significant: second higher)", "tab:red", -1),
                          ("class (pair not significant)", "0.35", 0)):
        if any(r.direction == d for r in shown):   # only the colours that occur
            ax.scatter([], [], s=28, color=col, label=label)
    ax.scatter([], [], s=6, color="0.75", label="single (class, seed) run")
    ax.plot([], [], color="k", lw=1.5, label="mean over classes")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    ax.set_xticks(range(len(shown)), [f"{METHOD_LABELS.get(r.method, r.method)}\n− "
                                      f"{METHOD_LABELS.get(r.baseline, r.baseline)}\n"
                                      f"{DATASET_LABELS.get(r.dataset, r.dataset)}" for r in shown], fontsize=8)
    ax.set_ylabel("AUROC difference")
    ax.set_title("Paired AUROC differences (first-named − second), one large dot per class, the most extreme named"
                 + (f"; Holm over {n_tests} tests" if n_tests else ""), fontsize=10)
    return ax


def plot_budget(effects: dict, grid_label: str = "grid budget", full_label: str = "full-size budget", ax=None):
    """A slope chart of :func:`budget_study`'s ``effects``: each method's mean AUROC over classes at the grid's budget
    (left) and the full-size budget (right), labels at the right end pushed apart. Returns the axis."""
    import matplotlib.pyplot as plt
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 4.2))
    ends = [v for b in effects.values() for v in (b["small"], b["full"])]
    gap_y, label_y = 0.05 * (max(ends) - min(ends)), {}
    for m in sorted(effects, key=lambda m: effects[m]["full"]):
        label_y[m] = max(effects[m]["full"], max(label_y.values(), default=-1.0) + gap_y)
    for m, b in effects.items():
        ax.plot([0, 1], [b["small"], b["full"]], marker="o", lw=2, label=METHOD_LABELS.get(m, m),
                color=plt.cm.tab10(METHOD_ORDER.index(m)))
        ax.annotate(METHOD_LABELS.get(m, m), (1, b["full"]), xytext=(1.06, label_y[m]), textcoords="data",
                    va="center", fontsize=9, arrowprops={"arrowstyle": "-", "color": "0.6", "lw": 0.6})
    ax.set_xticks([0, 1], [grid_label, full_label])
    ax.set_xlim(-0.3, 1.45)
    ax.set_ylabel("mean AUROC over classes\n(only the (class, seed) runs\nat both budgets)")
    ax.grid(axis="y", alpha=0.3)
    return ax


# ----------------------------------------------------------------- notebook 04: do classes differ at the grid's budget?

class ClassGapTest(NamedTuple):
    """:func:`class_gap_test`'s result."""

    gap: float                  # the highest class mean minus the lowest, observed
    p: float                    # blocked permutation p-value: class labels shuffled within each seed
    p_free: float               # the same, shuffled freely across seeds (ignores that a seed moves its classes together)
    ordered_by_chance: float    # share of blocked shuffles in which every run of the top class beats every run of the bottom one
    friedman_p: float | None    # Friedman's rank test (classes as treatments, seeds with every class as blocks)
    n_full_seeds: int           # seeds that ran every class (Friedman's blocks)
    n_runs: int
    n_shuffles: int


def class_gap_test(rows, n_shuffles: int = 5000, seed: int = 0, metric: str = "auroc") -> ClassGapTest:
    """Is the gap between the highest and the lowest class mean of ``rows`` (one method's grid runs: ``class``,
    ``seed``, ``metric``) larger than seeds alone produce? The test statistic is that gap, so picking the two
    extremes is part of what the shuffles reproduce. Shuffles reassign the runs' class labels *within each seed*
    (a blocked permutation), since a seed moves all its classes together; p counts the observed labelling as one
    of the shuffles. Friedman's rank test, which ranks the classes within each seed and picks no extremes, is the
    cross-check (None with fewer than 2 complete seeds or 3 classes). Notebook 04, Section 6."""
    from scipy import stats

    run_class = np.array([int(r["class"]) for r in rows])
    run_seed = np.array([int(r["seed"]) for r in rows])
    run_value = np.array([float(r[metric]) for r in rows])
    if len(np.unique(run_class)) < 2:
        raise ValueError("need runs of at least two classes")
    blocks = [np.flatnonzero(run_seed == s) for s in np.unique(run_seed)]
    rng = np.random.default_rng(seed)

    def extremes(labels):
        ks = np.unique(labels)
        means = np.array([run_value[labels == k].mean() for k in ks])
        lo_k, hi_k = ks[means.argmin()], ks[means.argmax()]
        return means.max() - means.min(), run_value[labels == hi_k].min() > run_value[labels == lo_k].max()

    def within_seeds(labels):
        out = labels.copy()
        for b in blocks:
            out[b] = rng.permutation(labels[b])
        return out

    gap, _ = extremes(run_class)
    shuffled = [extremes(within_seeds(run_class)) for _ in range(n_shuffles)]
    p = (1 + sum(g >= gap - 1e-12 for g, _ in shuffled)) / (1 + n_shuffles)
    p_free = (1 + sum(extremes(rng.permutation(run_class))[0] >= gap - 1e-12
                      for _ in range(n_shuffles))) / (1 + n_shuffles)
    classes = sorted(set(run_class.tolist()))
    full = [s for s in np.unique(run_seed) if set(run_class[run_seed == s].tolist()) == set(classes)]
    friedman_p = (float(stats.friedmanchisquare(*[[run_value[(run_class == k) & (run_seed == s)][0] for s in full]
                                                  for k in classes]).pvalue)
                  if len(full) >= 2 and len(classes) >= 3 else None)
    return ClassGapTest(gap=float(gap), p=float(p), p_free=float(p_free),
                        ordered_by_chance=float(np.mean([o for _, o in shuffled])), friedman_p=friedman_p,
                        n_full_seeds=len(full), n_runs=len(rows), n_shuffles=n_shuffles)
