"""Sentences written from computed results, for the notebooks whose text depends on their run.

Each function takes what a notebook has already computed in the open (rows, :class:`Interval`
results, :class:`Paired` tests, medians, p-values, AUROCs, judge reports) and returns Markdown, so that
a rerun cannot contradict its text and the notebook's open cells show the computations, not the
phrasing. The numbers the text rests on come from the notebooks' own cells and the library
(:mod:`ganad_lib.comparison`, :mod:`ganad_lib.metrics`, :mod:`ganad_lib.judge`); these functions only
read them: they count, compare with the course's reading thresholds, take medians, and choose the
words (singular or plural, "met" or "not shown", which example to name).

One section per notebook:

* notebook 06 (the comparison): provenance, budget, per-class and mean readings, paired tests,
  ablations, one class normal, the full-size budget and the headline results (Sections 1-9);
* notebook 05 (GANomaly): the validation rule, false alarms and missed bags, the grid's latent-against-pixel
  gaps, the judge's lines, the every-class chart, sorted batches, the test-picked epoch and the validation proxy;
* notebook 01 (GAN): the toy ring and the unbalanced games, the loss and accuracy readings, the judge's
  verdict on the generators, the gradient probe and the latent walk;
* notebook 03 (AnoGAN): the paired bootstrap's verdicts (one vocabulary, with the bootstrap's own
  Monte-Carlo range), the λ sweep and the sweeps' summary table.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .comparison import (
    BASELINES,
    DATASET_LABELS,
    GAN_METHODS,
    METHOD_LABELS,
    METHOD_ORDER,
    Interval,
    Paired,
    family_sentence,
)
from .profiles import Profile

LABEL = METHOD_LABELS
DNAME = DATASET_LABELS
#: the caps the budget paragraph states: (key in the rows' ``sizes`` column, attribute of a Profile)
CAPS = (("max_train", "max_train"), ("max_test", "max_test"), ("epochs", "epochs"), ("width", "width"),
        ("steps", "search_steps"))
#: Fashion-MNIST's tops: T-shirt/top, pullover, coat, shirt
FASHION_TOPS = (0, 2, 4, 6)


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------

def _s(n: int) -> str:
    """The plural ending for ``n`` things."""
    return "" if n == 1 else "s"


def _times(n: int) -> str:
    """How often something happens, in words: "once", "twice", "3 times"."""
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def _key(r: Paired) -> tuple[str, str, str]:
    return (r.method, r.baseline, r.dataset)


def _class_names(dataset: str) -> tuple[str, ...]:
    from .data import DATASETS

    return DATASETS[dataset]["classes"]


def _median(rows: list[dict], dataset: str, column: str) -> int:
    """The median of ``column`` (for example ``n_train``) over the rows of ``dataset``."""
    return int(np.median([r[column] for r in rows if r["dataset"] == dataset]))


def _uneven(seed_means: dict[str, dict[int, float]], gap: float = 0.1) -> dict[str, dict[int, float]]:
    """The methods whose class mean moves by more than ``gap`` between seeds."""
    return {m: sm for m, sm in seed_means.items() if len(sm) > 1 and np.ptp(list(sm.values())) > gap}


def listed(methods: list[str]) -> str:
    """Method labels as a list in words: "kNN", "PCA and kNN", "GANomaly, PCA and kNN"."""
    names = [LABEL[m] for m in methods]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def without_folder(source: str) -> str:
    """A ``data_source`` entry without the folder it was read from (no machine path in the text)."""
    return re.sub(r"\s*\(/[^)]*\)", "", source)


def higher_word(r: Paired, bold: bool = False) -> str:
    """The verdict of a class-level test in two or three words: "kNN higher", "no significant difference"."""
    if r.direction == 0:
        return "no significant difference"
    hi = LABEL[_higher(r)]
    return f"**{hi}** higher" if bold else f"{hi} higher"


def _higher(r: Paired) -> str:
    """The method a significant verdict puts higher (for a result without verdict: the baseline)."""
    return r.method if r.direction > 0 else r.baseline


def _lower(r: Paired) -> str:
    """The method a significant verdict puts lower."""
    return r.baseline if r.direction > 0 else r.method


def side(r: Paired, with_dataset: bool = True) -> str:
    """A significant verdict from the higher method's side: "kNN above GANomaly on MNIST (10 of 10
    classes, Holm-adjusted p = 0.016)"."""
    hi, lo = _higher(r), _lower(r)
    n_hi = r.wins if r.direction > 0 else r.losses
    where = f" on {DNAME[r.dataset]}" if with_dataset else ""
    return f"{LABEL[hi]} above {LABEL[lo]}{where} ({n_hi} of {r.n} classes, Holm-adjusted p = {r.p_adjusted:.2g})"


def verdict(r: Paired, interval: Interval | None = None) -> str:
    """One line for a class-level test: which method is higher on how many classes, the mean
    difference (with ``interval``, its t-interval, when given), and the verdict."""
    a, b, d = LABEL[r.method], LABEL[r.baseline], DNAME[r.dataset]
    if not r.n:
        return f"{a} vs {b}, {d}: no shared classes"
    diff = f"mean difference {r.mean_diff:+.3f}"
    if interval is not None and interval.has_interval:
        diff += f" [{interval.low:+.3f}, {interval.high:+.3f}]"
    return (f"{a} vs {b}, {d}: {a} higher on {r.wins} of {r.n} classes, {diff}, Holm-adjusted p = "
            f"{r.p_adjusted:.2g} — {higher_word(r)}")


# ============================================================================================
# Notebook 06: the comparison
# ============================================================================================

# --------------------------------------------------------------------------------------------
# Section 1: where the numbers come from
# --------------------------------------------------------------------------------------------

def provenance(rows: list[dict], readme: str, tested: bool = False) -> str:
    """Which code produced the rows: commit labels, how many rows ran with uncommitted changes
    ('+dirty'), and, with several seeds and commits, whether the seeds ran on shared code (labels and
    '+dirty' rows per seed), so that the seed is confounded with the code version; with ``tested``
    (a re-run at one commit follows, :func:`reproduction`) that the confound holds only if the code
    versions give different results."""
    commits = {r["git_commit"] for r in rows}
    n_dirty = sum(r["git_commit"].endswith("+dirty") for r in rows)
    seeds = sorted({r["seed"] for r in rows})
    by_seed = {s: {r["git_commit"] for r in rows if r["seed"] == s} for s in seeds}
    shared = [c for c in sorted(commits) if sum(c in cs for cs in by_seed.values()) > 1]
    text = (f"**Provenance.** Each row records its *commit label*: the short id of the git commit whose code produced "
            "it, marked '+dirty' when that code had uncommitted changes, which are not recorded (so a '+dirty' label "
            f"does not pin the code down). {n_dirty} of the {len(rows)} rows are '+dirty', under {len(commits)} commit "
            f"label{_s(len(commits))} in all.")
    if len(by_seed) < 2 or len(commits) < 2:
        return text
    word = ("different" if not shared else "mostly different" if 2 * len(shared) < len(commits)
            else "partly shared")
    per_seed = []
    for s, cs in by_seed.items():
        sel = [r for r in rows if r["seed"] == s]
        dirty = sum(r["git_commit"].endswith("+dirty") for r in sel)
        per_seed.append(f"seed {s}: {len(cs)} label{_s(len(cs))}, {dirty} of {len(sel)} rows '+dirty'")
    text += (f" The seeds ran in separate sessions on {word} code versions ({'; '.join(per_seed)}; "
             f"{len(shared)} of {len(commits)} commit labels {'spans' if len(shared) == 1 else 'span'} more than one "
             f"seed; `{readme}`). ")
    if tested:
        return text + ("So the seed would be confounded with the code version, if the code versions gave different "
                       "results: the next paragraph tests that.")
    return text + ("So the seed is confounded with the code version: every interval over seeds measures "
                   "seed-to-seed variation plus whatever the code versions changed, which is not measured here, and a "
                   "seed that stands out may do so because of its code. `benchmarks/grid_reproduce.py` measures it: it "
                   "re-runs one row per commit label and method at one clean commit and compares the AUROC (a seeded "
                   "CPU run repeats bit for bit on the same number of threads, as its docstring records).")


REPRO_TINY = 1e-4   # an AUROC difference below this is floating-point order, not a code change


def reproduction(lines: list[dict], csv_name: str = "results/cpu/grid_reproduce.csv") -> str:
    """What re-running grid rows at one commit says about the code versions (Markdown).

    ``lines`` are the rows of ``benchmarks/grid_reproduce.py``'s CSV (strings, as csv.DictReader gives
    them): a line re-run on the thread count its row first ran on tests the code version; a line on
    the other thread count measures what the thread count alone does. Empty without lines."""
    from .experiments import cpu_grid_threads

    same_threads = [x for x in lines if x["auroc_now"] and int(x["threads"]) == cpu_grid_threads(int(x["row"]))]
    other = [x for x in lines if x["auroc_now"] and int(x["threads"]) != cpu_grid_threads(int(x["row"]))]
    skipped = [x for x in lines if not x["auroc_now"]]
    if not same_threads:
        return ""
    n = len(same_threads)
    diff = {id(x): abs(float(x["auroc_now"]) - float(x["auroc_then"])) for x in lines if x["auroc_now"]}
    equal = [x for x in same_threads if diff[id(x)] < 5e-7]
    # below REPRO_TINY a difference is floating-point order (e.g. a BLAS library's own threads), three orders of
    # magnitude under the AUROC differences the course reads (to two or three decimals)
    tiny = [x for x in same_threads if 5e-7 <= diff[id(x)] < REPRO_TINY]
    changed = sorted((x for x in same_threads if diff[id(x)] >= REPRO_TINY), key=lambda x: -diff[id(x)])
    versions = sorted({x["git_commit_then"] for x in same_threads})
    methods = sorted({x["method"] for x in same_threads})
    commits = sorted({x["git_commit_now"] for x in same_threads})
    pairs = {(x["git_commit_then"], x["method"]) for x in same_threads}
    text = (f"**Does the code version matter? Measured.** `benchmarks/grid_reproduce.py` ran {n} rows again, one "
            f"drawn at random for each of the {len(pairs)} (commit label, method) pairs that occur in the grid "
            f"({len(versions)} labels and {len(methods)} methods, but not every label ran every method), "
            f"at {'one commit' if len(commits) == 1 else f'{len(commits)} commits'} "
            f"({', '.join(commits)}), each on the "
            f"number of threads it first ran on (`{csv_name}`): ")

    def listed_(xs):
        from .comparison import DATASET_LABELS
        return "; ".join(f"{x['method']}, {DATASET_LABELS.get(x['dataset'], x['dataset'])} class {x['class']} seed {x['seed']} "
                         f"({x['git_commit_then']}): {float(x['auroc_then']):.6f} then, {float(x['auroc_now']):.6f} now"
                         for x in xs[:3])

    if len(equal) == n:
        text += (f"all {n} give the AUROC they recorded, to all six decimals. The code versions, '+dirty' ones "
                 "included, did not change these results, so the seed-to-seed spread below is a spread over seeds "
                 "(a sample of one row per pair, not a re-run of every row).")
    elif not changed:
        rest = "the remaining row differs by" if len(tiny) == 1 else f"the other {len(tiny)} differ by at most"
        text += (f"{len(equal)} of {n} give the AUROC they recorded, to all six decimals, and "
                 f"{rest} {max(diff[id(x)] for x in tiny):.6f} "
                 f"({listed_(tiny)}): a difference in the order of floating-point sums, far below the "
                 "two or three decimals the course reads. The code versions, '+dirty' ones included, did not change "
                 "these results, so the seed-to-seed spread below is a spread over seeds (a sample of one row per "
                 "pair, not a re-run of every row).")
    else:
        text += (f"{len(equal)} of {n} give the AUROC they recorded, to all six decimals; {len(changed)} "
                 f"differ, by up to {diff[id(changed[0])]:.4f} ({listed_(changed)}). Those code versions changed "
                 "results, so the spread over seeds includes code-version variation where seeds ran on different "
                 "versions.")
    if other:
        moved = [diff[id(x)] for x in other]
        text += (f" The thread count is part of a run's identity: {len(other)} of these rows run on the other "
                 f"number of threads moved by {min(moved):.4f} to {max(moved):.4f} (floating-point sums "
                 "in another order, then amplified by training): the seed and the thread count fix a run together.")
    if skipped:
        text += f" {len(skipped)} row{_s(len(skipped))} could not be re-run (sizes that today's grid no longer uses)."
    return text


def recorded_caps(rows: list[dict], grid: Profile) -> tuple[dict[str, int], bool]:
    """The caps of the grid (max_train, max_test, epochs, width, steps): read from the rows' ``sizes``
    column where every row that records a value agrees on it, else ``grid``'s (a Profile). The
    second value says whether every cap came from the rows."""
    recorded: dict[str, set] = {}
    for r in rows:
        for kv in r["sizes"].split(";"):
            if "=" in kv:
                k, v = kv.split("=", 1)
                recorded.setdefault(k, set()).add(v)
    caps = {k: int(float(next(iter(recorded[k])))) if len(recorded.get(k, ())) == 1 else getattr(grid, attr)
            for k, attr in CAPS}
    return caps, all(len(recorded.get(k, ())) == 1 for k, _ in CAPS)


def _sizes_per_run(rows: list[dict]) -> str:
    """Median training / test images per run, per protocol and data set."""
    seen: dict[tuple[str, str], list[dict]] = {}
    for r in rows:
        seen.setdefault((r["protocol"], r["dataset"]), []).append(r)
    parts = [f"{p.replace('_', ' ')}, {DNAME[d]}: {int(np.median([r['n_train'] for r in v])):,} / "
             f"{int(np.median([r['n_test'] for r in v])):,}" for (p, d), v in seen.items() if v[0]["n_train"]]
    return ("Median training / test images per run: " + "; ".join(parts) + ". ") if parts else ""


def _mnist_source(rows: list[dict], loader_source: str, loader_size: int, full_size: int) -> str:
    """Which MNIST sample the rows used, and whether the loader now finds another."""
    mn = [r for r in rows if r["dataset"] == "mnist"]
    if not mn:
        return ""
    used, now = without_folder(mn[0]["data_source"]), without_folder(loader_source)
    text = f"The MNIST rows used *{used}*, far from the full {full_size:,} digits"
    if used != now:
        text += (f"; on this machine the loader now finds *{now}* ({loader_size:,} digits), so a rerun would give "
                 "MNIST numbers on that data")
    return text + (" (under one class normal a run learns one digit of that sample, hence the small training sets). "
                   "More data does not lift the caps: runs at the papers' sizes need the `full` profile (Section 9). ")


def _levelled_at_cap(methods: dict[str, dict], epochs: int) -> str:
    """For each method whose curve levelled only at the grid's ``epochs`` (the cap itself, so with no margin), how
    much its raw validation score still fell in the epochs recorded after it; empty when none did or no curve is
    stored. ``methods``: grid_budget.json's {method: {"levelled_epoch", "epochs": [{"epoch", "val_score"}]}}."""
    parts = []
    for m, v in methods.items():
        lev, curve = v.get("levelled_epoch"), v.get("epochs") or []
        at = [e["val_score"] for e in curve if e["epoch"] == lev]
        later = [e for e in curve if lev is not None and e["epoch"] > lev]
        if lev != epochs or not at:
            continue
        best = min(later, key=lambda e: e["val_score"], default=None)
        head = (f"{LABEL[m]}'s curve levelled only at epoch {lev}, the grid's epoch count itself, with just "
                f"{len(later)} recorded epoch{_s(len(later))} after it to check the rule.")
        if best is not None and best["val_score"] < at[0]:
            last = later[-1]
            parts.append(f"{head} Its raw score still fell {100 * (1 - best['val_score'] / at[0]):.0f} % by epoch "
                         f"{best['epoch']} ({at[0]:.1f} → {best['val_score']:.1f}"
                         + (f"; {last['val_score']:.1f} at epoch {last['epoch']}" if last is not best else "")
                         + "), so it may be under-trained.")
        else:
            parts.append(head)
    return "".join(f"{p} " for p in parts)


def _levelled(budget_file: str | os.PathLike | None, epochs: int) -> str:
    """Where the grid's epochs come from: the validation curves of ``budget_file`` (grid_budget.json)."""
    path = Path(budget_file) if budget_file is not None else None
    if path is None or not path.is_file():
        return ""
    gb = json.loads(path.read_text())
    if gb.get("grid_epochs") != epochs:
        return ""
    st = gb["setting"]
    levelled = ", ".join(f"{LABEL[m]} {v['levelled_epoch']}" for m, v in gb["methods"].items())
    rule = gb.get("rule", "").split(": ", 1)[-1]
    tol = re.search(r"(\d+(?:\.\d+)?) ?%", rule)
    what = (f", each method's mean anomaly score on the {st['n_val']:,} normal validation images after every epoch "
            "(lower is better)" if st.get("n_val") else "")
    recorded = f", recorded for {st['epochs']} epochs" if st.get("epochs") else ""
    return (f"The {epochs} epochs come from validation curves{what}{recorded}: by epoch {epochs} every GAN method's "
            f"curve had levelled off ({levelled}). "
            + (f"*Levelled* means {rule}"
               + (f" (no later smoothed value lies more than {tol.group(1)} % below the smoothed value at that epoch)"
                  if tol else "") + ", so a curve may still improve slowly after it. " if rule else "")
            + _levelled_at_cap(gb["methods"], epochs)
            + f"This was measured on one setting only: {DNAME[st['dataset']]}, class {st['class']} anomalous, seed "
            f"{st['seed']} (`results/{path.parent.name}/{path.name}`). ")


def budget(rows: list[dict], all_rows: list[dict], grid: Profile, *, loader_source: str, loader_size: int, full_steps: int,
           budget_file: str | os.PathLike | None = None, full_mnist: int = 70_000) -> str:
    """The budget paragraph: the grid's caps (:func:`recorded_caps`), then, folded, the median sizes per
    run (over ``all_rows``, both protocols), the MNIST sample the rows used, where the epochs come from
    (``budget_file``, when it exists and matches) and AnoGAN's search steps.

    ``rows`` are the grid's rows of the main protocol, ``grid`` the Profile they were run with,
    ``loader_source`` / ``loader_size`` what the MNIST loader finds on this machine."""
    caps, from_rows = recorded_caps(rows, grid)
    all_sized = all(r["sizes"] for r in rows)
    source = ("read from the rows' `sizes` column" if from_rows else f"the `{grid.name}` profile's grid sizes"
              + ("" if all_sized else ": these rows predate the recorded sizes"))
    return (f"**Budget.** Every grid run is capped at {caps['max_train']:,} training and {caps['max_test']:,} test "
            f"images, {caps['epochs']} epoch{_s(caps['epochs'])} and width {caps['width']}. The papers train on "
            "whole splits at width 64, so no number here is comparable with a published one.\n\n"
            "<details><summary>Sizes, data and epochs in detail (click)</summary>\n\n"
            f"The caps above are {source}. " + _sizes_per_run(all_rows) + _mnist_source(rows, loader_source, loader_size, full_mnist)
            + (_levelled(budget_file, caps["epochs"]) if all_sized else "")
            + f"AnoGAN's latent search runs Γ = {caps['steps']} steps in the grid and {full_steps} in the `full` "
            "profile (the AnoGAN paper's own Γ is not checked, `docs/references.md`).\n\n</details>")


# --------------------------------------------------------------------------------------------
# Sections 2 and 3: per class, and the mean over classes
# --------------------------------------------------------------------------------------------

def per_class_reading(intervals: dict[str, dict[str, list[Interval]]], confidence: float = 0.95) -> str:
    """Reading the per-class figure, one item per data set: seeds, Student's t, the median half-width,
    how many intervals contain chance or reach beyond [0, 1]; which method's bar is highest on how many
    classes, and whose bars are widest. ``intervals``: {data set: :func:`comparison.per_class_stats`}."""
    from scipy import stats

    lines = []
    for d, by_method in intervals.items():
        cells = [iv for ivs in by_method.values() for iv in ivs if iv.n]
        with_iv = [iv for iv in cells if iv.has_interval]
        if with_iv:
            n_seeds = max(iv.n for iv in cells)
            t = stats.t.ppf((1 + confidence) / 2, n_seeds - 1)
            spans = sum(iv.low <= 0.5 <= iv.high for iv in with_iv)
            beyond = sum(iv.low < 0 or iv.high > 1 for iv in with_iv)
            lines.append(f"* {DNAME[d]}: {n_seeds} seeds, t = {t:.2f}; median half-width "
                         f"{np.median([iv.half_width for iv in with_iv]):.2f} AUROC; {spans} of {len(with_iv)} "
                         f"intervals contain chance, {beyond} reach{'es' if beyond == 1 else ''} beyond [0, 1].")
        else:
            lines.append(f"* {DNAME[d]}: one seed per class, so no interval can be drawn.")
        classes = [c for c in range(10) if any(ivs[c].n for ivs in by_method.values())]
        top: dict[str, int] = {}
        for c in classes:
            m_top = max((m for m, ivs in by_method.items() if ivs[c].n), key=lambda m: by_method[m][c].mean)
            top[m_top] = top.get(m_top, 0) + 1
        widest = max(by_method, key=lambda m: np.median([iv.half_width for iv in by_method[m] if iv.has_interval]
                                                        or [0]))
        lines.append("  Highest bar: " + ", ".join(f"{LABEL[m]} on {k} of {len(classes)}" for m, k in
                                                   sorted(top.items(), key=lambda kv: -kv[1]))
                     + (f" classes; widest bars: {LABEL[widest]}'s." if with_iv else " classes."))
        below = {c: [m for m, ivs in by_method.items() if ivs[c].n and ivs[c].mean < 0.5] for c in classes}
        several = [c for c in classes if len(below[c]) >= 2]
        if several:
            names = _class_names(d)
            lines[-1] += (" Classes where two or more methods' mean AUROCs lie below 0.5 (a mean, not a tested verdict): "
                          + ", ".join(f"{names[c]} ({listed(below[c])})" for c in several) + ".")
    return "\n".join(lines)


def auprc_chance(prevalence: dict[str, Sequence[float]], dataset: str, cls: int, n_anomalies: int, n_test: int,
                 max_test: int, held_out: float) -> str:
    """AUPRC's chance level (the share of anomalies, averaged over the classes of each data set), why
    that share is not 10 %, shown on one class's whole test set (``n_anomalies`` of ``n_test``) before
    the grid's ``max_test``, and why it is the same on every data set with classes of equal size: one
    class of anomalies against the ``held_out`` share of the nine normal classes, 1 / (1 + held_out · 9).
    ``prevalence``: {data set: the share of anomalies in each class's test set}."""
    mean = {d: float(np.mean(v)) for d, v in prevalence.items()}
    n_normal = len(_class_names(dataset)) - 1
    equal = 1 / (1 + held_out * n_normal)
    same = len(mean) > 1 and len({f"{p:.1%}" for p in [*mean.values(), equal]}) == 1
    uneven = [d for d, v in prevalence.items() if np.ptp(v) >= 0.001]
    why_same = (f" One class of anomalies against {held_out:.0%} of each of {n_normal} normal classes gives "
                f"1 / (1 + {held_out:g} · {n_normal}) = {equal:.1%} when all classes have the same size, whatever the "
                "data set: hence the same share on "
                + ("both" if len(mean) == 2 else "all") + (" (" + "; ".join(
                    f"on {DNAME[d]}, whose classes differ a little in size, it runs from {min(prevalence[d]):.1%} to "
                    f"{max(prevalence[d]):.1%} by class and averages {mean[d]:.1%}" for d in uneven) + ")" if uneven
                    else "") + "." if same else "")
    return ("AUPRC's chance level is the share of anomalies among the test images: "
            + ", ".join(f"{p:.1%} on {DNAME[d]}" for d, p in mean.items())
            + " (AUROC's is 0.5 whatever the share).\n\n<details><summary>Why that share is not 10 %"
            + (", and the same on both data sets" if same and len(mean) == 2 else "") + " (click)</summary>"
            f"\n\nThe test set holds the normal images kept out of training ({held_out:.0%} of them) plus *every* image "
            f"of the anomalous class — for {DNAME[dataset]} class {cls}, {n_anomalies:,} anomalies among {n_test:,} "
            f"test images; the grid subsamples this to {max_test:,} images and keeps the share.{why_same}\n\n</details>")


def class_means_reading(cms: dict[str, dict[str, Interval]], cms_pr: dict[str, dict[str, Interval]],
                        failed: dict[str, list], code_reproduced: bool | None = None, rows: list[dict] | None = None,
                        protocol: str = "one_class_anomalous") -> str:
    """Reading the means over classes, per data set: the highest mean, the best GAN method and whether
    their intervals overlap, the pairs AUPRC orders the other way, and seeds that failed as a whole.
    ``cms`` / ``cms_pr``: {data set: :func:`comparison.class_mean_stats`} for AUROC / AUPRC; ``failed``:
    {data set: [(method, seed, its class mean, the other seeds' class means)]}; ``code_reproduced``: whether
    Section 1's re-run at one commit gave every re-run row its recorded AUROC (True: a failed seed is not its
    code's), None when there is no re-run. With ``rows`` (every row, both protocols) and no re-run, the
    commit labels a failed seed of ``protocol`` ran under, and what the same labels gave elsewhere
    (:func:`seed_versions`)."""
    lines = []
    for d, cm in cms.items():
        pr = cms_pr[d]
        best = max(cm, key=lambda m: cm[m].mean)
        gan = max((m for m in GAN_METHODS if m in cm), key=lambda m: cm[m].mean, default=None)
        line = f"* {DNAME[d]}: highest mean {LABEL[best]}, {cm[best].format()}"
        if gan and gan != best:
            line += f"; best GAN method {LABEL[gan]}, {cm[gan].format()}"
            if cm[gan].has_interval and cm[best].has_interval:
                line += " (intervals overlap)" if cm[gan].high >= cm[best].low else " (intervals apart)"
        swapped = [(a, b) for a in cm for b in cm if cm[a].mean > cm[b].mean and pr[a].mean < pr[b].mean]
        line += (". AUPRC gives the same order" if not swapped else
                 ". AUPRC swaps " + (f"{len(swapped)} pairs: " if len(swapped) > 1 else "") + "; ".join(
                     f"{LABEL[a]} and {LABEL[b]} ({pr[a].mean:.3f} against {pr[b].mean:.3f})" for a, b in swapped))
        for m, s, v, others in failed.get(d, []):
            line += (f". {LABEL[m]}'s seed {s} failed as a whole (class mean {v:.3f} against "
                     f"{' and '.join(f'{w:.3f}' for w in others)}) and alone makes {LABEL[m]}'s wide interval: "
                     + ("unstable training, not that seed's code version (Section 1's re-run at one commit)"
                      if code_reproduced else
                      "unstable training or that seed's code version (Section 1's re-run found code versions that "
                      "change results), the rows cannot tell which" if code_reproduced is False else
                      "unstable training or that seed's code version (Section 1), the rows cannot tell which"))
            if rows and not code_reproduced:
                line += ". " + seed_versions(rows, m, d, protocol, s).rstrip(".")
        lines.append(line + ".")
    lines.append("* AUPRC weighs the highest-scored images more, so it can order close methods differently; every test "
                 "in this notebook is on AUROC.")
    return "\n".join(lines)


def _and_list(items: list[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else ""


def _seed_labels(rows: list[dict], method: str, dataset: str, protocol: str, seed: int) -> dict[str, list[dict]]:
    """{commit label: its runs} of one seed's runs, the labels in the order of their first class."""
    by: dict[str, list[dict]] = {}
    for r in sorted((r for r in rows if r["method"] == method and r["dataset"] == dataset
                     and r.get("protocol") == protocol and r["seed"] == seed), key=lambda r: r["class"]):
        by.setdefault(r["git_commit"], []).append(r)
    return by


def _ran_under(by: dict[str, list[dict]]) -> str:
    """"ran at one commit label, L" or "ran under n commit labels (L: k classes, mean AUROC; ...)", naming the
    labels its lowest half of classes ran under when they are not all of them. ``by``: :func:`_seed_labels`."""
    if len(by) == 1:
        return f"ran entirely under {next(iter(by))}"
    runs = sorted((r for rs in by.values() for r in rs), key=lambda r: r["auroc"])
    low = runs[:len(runs) // 2]
    low_labels = [lab for lab in by if any(r["git_commit"] == lab for r in low)]
    return (f"ran under {len(by)} commit labels ("
            + "; ".join(f"{lab}: {len(rs)} class{'es' if len(rs) > 1 else ''}, mean "
                        f"{np.mean([r['auroc'] for r in rs]):.2f}" for lab, rs in by.items()) + ")"
            + (f", its {len(low)} lowest classes (AUROC {low[0]['auroc']:.2f} to {low[-1]['auroc']:.2f}) under "
               f"{_and_list(low_labels)}" if low and len(low_labels) < len(by) else ""))


def _label_evidence(rows: list[dict], method: str, dataset: str, protocol: str, seed: int) -> str:
    """What the failed seed's clean commit labels (not '+dirty') gave the same method elsewhere in ``rows``
    (other data sets, protocols or seeds), against the same classes' mean over the other seeds: runs at
    or above it are evidence, not proof, against a code-version cause. Empty when there are none."""
    good: dict[str, list[str]] = {}
    for lab in _seed_labels(rows, method, dataset, protocol, seed):
        if lab.endswith("+dirty"):
            continue
        groups: dict[tuple, list[dict]] = {}
        for r in rows:
            if (r["git_commit"] == lab and r["method"] == method
                    and (r["dataset"], r.get("protocol"), r["seed"]) != (dataset, protocol, seed)):
                groups.setdefault((r.get("protocol"), r["dataset"], r["seed"]), []).append(r)
        for (p, d, s), rs in sorted(groups.items(), key=lambda kv: (kv[0][0] != protocol, kv[0])):
            classes = {r["class"] for r in rs}
            others = [r["auroc"] for r in rows if r["method"] == method and r["dataset"] == d
                      and r.get("protocol") == p and r["seed"] != s and r["class"] in classes]
            mine = float(np.mean([r["auroc"] for r in rs]))
            if others and mine >= np.mean(others):
                good.setdefault(lab, []).append(
                    f"{mine:.2f} on {DNAME[d]} ({p.replace('_', ' ')}, seed {s}, {len(classes)} "
                    f"class{'es' if len(classes) > 1 else ''}; other seeds {np.mean(others):.2f})")
    if not good:
        return ""
    return (f"The same clean label{_s(len(good))} gave {LABEL[method]}'s runs elsewhere at or above the other seeds "
            "on the same classes — " + "; ".join(f"{lab}: {_and_list(g)}" for lab, g in good.items())
            + " — evidence, not proof, against a code-version cause.")


def seed_versions(rows: list[dict], method: str, dataset: str, protocol: str, seed: int, subject: str = "It") -> str:
    """The commit labels one failed seed ran under (Markdown, one or two sentences; empty when ``rows``
    hold none of its runs): one label, or several with each one's classes and mean AUROC and the labels
    its lowest half of classes ran under; then what the seed's clean labels gave the same method elsewhere
    in ``rows`` (both protocols), at or above the other seeds on the same classes: evidence, not proof,
    against a code-version cause. ``subject`` starts the first sentence."""
    by = _seed_labels(rows, method, dataset, protocol, seed)
    if not by:
        return ""
    evidence = _label_evidence(rows, method, dataset, protocol, seed)
    return f"{subject} {_ran_under(by)}." + (f" {evidence}" if evidence else "")


def failed_cause(rows: list[dict], dataset: str, protocol: str, failed: list, code_reproduced: bool | None = None) -> str:
    """Why whole seeds failed, as far as the code versions go (Markdown sentences), for the ``failed``
    seeds of one data set and protocol ([(method, seed, ...)], as in :func:`class_means_reading`):
    with ``code_reproduced`` True (Section 1's re-run at one commit gave its rows their AUROC) unstable
    training, not the code; otherwise the commit labels each seed ran under (:func:`seed_versions`,
    ``rows``: every row, both protocols) and that the rows cannot tell training from code version (or
    that the re-run found code versions that change results). Empty without failed seeds."""
    if not failed:
        return ""
    if code_reproduced:
        return ("Unstable training, not the code version: Section 1's re-run at one commit gave its sampled rows, one "
                "per commit label and method, their recorded AUROC.")
    by = {(m, s): _seed_labels(rows, m, dataset, protocol, s) for m, s, *_ in failed}
    ran = [f"{LABEL[m]}'s seed {s} {_ran_under(b)}" for (m, s), b in by.items() if b]
    dirty = any(lab.endswith("+dirty") for b in by.values() for lab in b)
    text = (_and_list(ran) + (" ('+dirty': uncommitted changes, not recorded)" if dirty else "") + ": " if ran else "")
    text += ("unstable training or the code version, the rows cannot tell which ("
             + ("Section 1's re-run found code versions that change results" if code_reproduced is False
                else "Section 1") + ").")
    text = text[:1].upper() + text[1:]
    evidence = [e for m, s, *_ in failed if (e := _label_evidence(rows, m, dataset, protocol, s))]
    return " ".join([text, *evidence])


def failed_cause_short(rows: list[dict], dataset: str, protocol: str, dropped: set | list,
                       code_reproduced: bool | None = None) -> str:
    """The cause of failed seeds in one clause, for a hedge: with ``code_reproduced`` True "unstable training,
    not their code versions"; otherwise how many commit labels the ``dropped`` (method, seed) runs of
    ``dataset`` and ``protocol`` ran under (each one, '+dirty' or not) and that training and code version
    cannot be told apart."""
    if code_reproduced:
        return "unstable training, not their code versions, as Section 1's re-run at one commit shows"
    by = [_seed_labels(rows, m, dataset, protocol, s) for m, s in sorted(dropped)]
    labels = {lab for b in by for lab in b}
    dirty = [lab for lab in labels if lab.endswith("+dirty")]
    if by and all(len(b) == 1 for b in by):
        where = ("each run at a single commit label" + (" with uncommitted changes" if len(dirty) == len(labels)
                                                        else "" if not dirty else f", {len(dirty)} of them '+dirty'"))
    elif labels:
        where = f"under {len(labels)} commit labels, {len(dirty)} of them '+dirty'"
    else:
        where = ""
    return ((where + ", so " if where else "") + "unstable training and the code version cannot be told apart"
            + (", and Section 1's re-run found code versions that change results" if code_reproduced is False else
               ""))


# --------------------------------------------------------------------------------------------
# Section 4: paired comparisons
# --------------------------------------------------------------------------------------------

def questions(tests: list[Paired], pilot: Paired | None, pilot_rows: list[dict], rows: list[dict], pilot_epochs: int,
              alpha: float = 0.05) -> str:
    """The fold on Section 4's questions: fixed after the pilot grid (``pilot_rows``, run at
    ``pilot_epochs``) and before the grid read here (``rows``); what the pilot shared with it (methods,
    protocol, classes, seeds, runs with the same AUROC) and what it showed for the aim (``pilot``: its
    GANomaly − kNN test on Fashion-MNIST), why the aim is Holm-adjusted with the other questions and
    what its raw p gives alone (from ``tests``, the main family); then the five families of tests."""
    same = [word for word, key in ((f"{len({r['method'] for r in rows})} methods", "method"),
                                   ("protocol", "protocol"), ("classes", "class"))
            if {r[key] for r in pilot_rows} == {r[key] for r in rows}]
    p_seeds = sorted({r["seed"] for r in pilot_rows})
    reused = [s for s in p_seeds if s in {r["seed"] for r in rows}]
    mine = {(r["method"], r["dataset"], r["class"], r["seed"]): r["auroc"] for r in rows}
    shared: dict[tuple[str, str], list[bool]] = {}
    for r in pilot_rows:
        k = (r["method"], r["dataset"], r["class"], r["seed"])
        if k in mine:
            shared.setdefault(k[:2], []).append(abs(mine[k] - r["auroc"]) < 1e-5)
    repeated: dict[str, list[str]] = {}
    for (m, d), agree in shared.items():
        if all(agree):
            repeated.setdefault(d, []).append(m)

    def seeds(ss: list[int]) -> str:
        return f"seed{_s(len(ss))} " + (", ".join(map(str, ss[:-1])) + " and " if len(ss) > 1 else "") + str(ss[-1])

    pilot_text = ("The pilot ran " + (("the same " + ", ".join(same[:-1]) + (" and " if len(same) > 1 else "")
                                       + same[-1] + " on ") if same else "")
                  + f"{seeds(p_seeds)}, at {pilot_epochs} epoch{_s(pilot_epochs)}")
    if pilot is not None and pilot.n:
        ahead, behind = ("kNN", "GANomaly") if pilot.mean_diff < 0 else ("GANomaly", "kNN")
        n_ahead = pilot.losses if pilot.mean_diff < 0 else pilot.wins
        pilot_text += (f", and in it {ahead} was already ahead of {behind} on {DNAME[pilot.dataset]} (higher on "
                       f"{n_ahead} of {pilot.n} classes, mean difference GANomaly − kNN {pilot.mean_diff:+.3f})")
    if reused:
        pilot_text += (f"; the grid read here reuses {seeds(reused)}"
                       + (" (" + "; ".join(f"its {listed(sorted(ms, key=METHOD_ORDER.index))} runs of "
                                           f"{'them' if len(reused) > 1 else 'it'} on {DNAME[d]} are the pilot's, with "
                                           "the same AUROC to 5 decimals" for d, ms in repeated.items()) + ")"
                          if repeated else "")
                       + ", so it is not independent of the data that shaped the questions.")
    else:
        pilot_text += "; the grid read here ran other seeds."
    aim = next((r for r in tests if r.n and (r.method, r.baseline, r.dataset) == ("ganomaly", "knn", "fashion_mnist")),
               None)
    n_tests = sum(bool(r.n) for r in tests)
    alone = ""
    if aim is not None and n_tests > 1:
        passes = aim.p_value < alpha
        alone = (f" The aim is Holm-adjusted together with the {n_tests - 1} other questions, not tested alone at "
                 f"level {alpha:g} as a single pre-declared primary test usually is: it was fixed with them, after the "
                 f"same pilot, and the stricter choice keeps the chance of any false \"significant\" among all "
                 f"{n_tests} at most {alpha:g}. Tested alone, its raw p = {aim.p_value:.2g} "
                 + (f"would not pass {alpha:g} either: the same verdict." if not passes else
                    (f"passes {alpha:g} too: the same verdict." if aim.direction else
                     f"would pass {alpha:g} ({'GANomaly' if aim.mean_diff > 0 else 'kNN'} higher): the verdict rests "
                     "on the adjustment.")))
    return ("<details><summary>The questions, fixed after a pilot grid, and the five families of tests (click)"
            "</summary>\n\nThe pairs were written in `comparison.PAIRS` after a first small grid, the pilot "
            "`results/grid_v1/`, and before the grid read here ran: does GANomaly beat each baseline, and does EGBAD "
            "(an encoder) score worse than AnoGAN (a search)? (Each is tested two-sided.) The aim is one of them. " + pilot_text + alone
            + "\n\nEach family below is Holm-adjusted on its own: **main** (this section, those pairs on each data "
            "set, one class anomalous); **ablations** (Section 5, each model's own score against variants of it); "
            "**other protocol** (Section 6, the main pairs under one class normal); and, in Section 9 (optional), "
            "**budget** (each method at two budgets) and **full-size budget** (each method against kNN at the papers' "
            "sizes). Section 9 adds one post-hoc test outside any family, exploratory: chosen after seeing two "
            "verdicts differ.\n\n</details>")


def paired_summary(tests: list[Paired], intervals: dict[tuple, Interval], alpha: float = 0.05,
                   confidence: float = 0.95) -> str:
    """What to take from the paired tests: how many are significant after Holm, the smallest p that
    ten classes allow against Holm's strictest level, then the table of verdicts. ``intervals``:
    {(method, baseline, data set): t-interval of the differences}."""
    shown = [r for r in tests if r.n]
    sig = [r for r in shown if r.direction]
    n_tests, n_units = len(shown), max((r.n for r in shown), default=0)
    first_step = alpha / max(n_tests, 1)
    if sig:
        found = (f"{len(sig)} of the {n_tests} tests {'is' if len(sig) == 1 else 'are'} significant ("
                 + "; ".join(f"{LABEL[_higher(r)]} higher than {LABEL[_lower(r)]} on {DNAME[r.dataset]}"
                             for r in sig) + ")")
    else:
        found = f"none of the {n_tests} tests is significant"
    rows = []
    for r in shown:
        iv = intervals[_key(r)]
        diff = f"{r.mean_diff:+.3f} [{iv.low:+.3f}, {iv.high:+.3f}]" if iv.has_interval else f"{r.mean_diff:+.3f}"
        rows.append(f"| {LABEL[r.method]} − {LABEL[r.baseline]} | {DNAME[r.dataset]} | {r.wins} of {r.n} classes | "
                    f"{diff} | {r.p_adjusted:.2g} | {higher_word(r, bold=True)} |")
    return ("**What to take from this section:** after Holm's adjustment " + found
            + f". With {n_units} class{'es' if n_units != 1 else ''} the smallest Wilcoxon p is 2 / 2^{n_units} = "
            f"{2 / 2 ** n_units:.4f} (every class on one side), against Holm's strictest level {alpha} / {n_tests} = "
            f"{first_step:.4f}: only a difference that nearly every class agrees on can be declared. More seeds do not "
            "lower this floor, but they make the class means, and so their signs, less noisy; more classes per test "
            "would lower it (e.g. one test pooling both data sets' 20 classes, though that asks another question: a pooled "
            "effect), while more data sets tested separately "
            "only make Holm stricter.\n\n"
            f"| comparison | data set | first-named higher on | mean difference [{confidence:.0%} t-interval] | "
            "Holm-adjusted p | verdict |\n|---|---|---|---|---|---|\n" + "\n".join(rows))


def how_many_classes(n_units: int, n_tests: int, p_one_off: list[float], p_two_off: float | None,
                     alpha: float = 0.05) -> str:
    """How many classes must agree for a verdict: ``p_one_off[k]`` is the Wilcoxon p with one class of
    ``n_units`` on the other side at rank k + 1, ``p_two_off`` the p with two classes at the smallest
    ranks; both are set against Holm's steps for a family of ``n_tests``. Empty without p-values."""
    if not p_one_off or p_two_off is None:
        return ""
    first_step = alpha / max(n_tests, 1)
    k9 = sum(p < first_step for p in p_one_off)
    k_pass = max(1, int(alpha / p_two_off))   # p_two_off passes Holm's step whose level is alpha / k_pass or looser
    if p_two_off < first_step:
        two = f"can pass it too (p = {p_two_off:.4f} at best)."
    elif p_two_off >= alpha:
        two = f"never pass any step (p ≥ {p_two_off:.4f})."
    else:
        two = (f"never pass it (p ≥ {p_two_off:.4f}), and reach the level {alpha:g} / {k_pass} only after "
               f"{max(0, n_tests - k_pass)} smaller p-values of the family have been declared.")
    return ("*How many classes must agree* (`scipy.stats.wilcoxon` on constructed differences). Holm's first step "
            f"compares the smallest p with {alpha:g} / {n_tests} = {first_step:.4f}. {n_units - 1} of {n_units} classes "
            "on one side "
            + (f"pass it only if the odd class has one of the {k9} smallest differences: p = "
               + _or_list([f"{p:.4f}" for p in p_one_off[:k9]]) + " when the odd class has rank "
               + _or_list([str(k) for k in range(1, k9 + 1)]) + f" (rank 1: the smallest), rising to "
               f"{p_one_off[-1]:.2g} at rank {len(p_one_off)}" if k9 else
               f"never pass it: p = {p_one_off[0]:.4f} when the odd class has rank 1 (the smallest difference), "
               f"rising to {p_one_off[-1]:.2g} at rank {len(p_one_off)}")
            + f". {n_units - 2} of {n_units} " + two)


def _or_list(items: list[str]) -> str:
    """"a", "a or b", "a, b or c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1] if items else ""


def by_hand(lib: Paired, diffs: np.ndarray | list[float], wins: int, p_value: float) -> str:
    """The aim's test redone by hand (``diffs`` per class, ``wins``, Wilcoxon ``p_value``) next to the
    library's result ``lib``, folded."""
    names = _class_names(lib.dataset)
    return ("<details><summary>One test by hand: " + f"{LABEL[lib.method]} − {LABEL[lib.baseline]} on "
            f"{DNAME[lib.dataset]} with NumPy and SciPy only, checked against the library (click)</summary>\n\n"
            "Per class (mean over seeds): " + ", ".join(f"{names[c]} {v:+.3f}" for (c, _), v in zip(lib.pairs, diffs))
            + f".\n\nBy hand: {LABEL[lib.method]} higher on {wins} of {len(diffs)} classes, Wilcoxon raw p = "
            f"{p_value:.4f}. Library: {lib.wins} of {lib.n}, raw p = {lib.p_value:.4f}, Holm-adjusted p = "
            f"{lib.p_adjusted:.4f}. Both agree, and `comparison.holm` on the family's raw p-values gives the adjusted "
            "ones of the table above.\n\n</details>")


def ganomaly_vs_knn(tests: list[Paired]) -> str:
    """GANomaly − kNN per data set: the classes where GANomaly is higher, and the verdict."""
    lines = []
    for r in tests:
        if r.n and (r.method, r.baseline) == ("ganomaly", "knn"):
            names = _class_names(r.dataset)
            up = [names[c] for (c, _), dv in zip(r.pairs, r.diffs) if dv > 0]
            lines.append(f"* {DNAME[r.dataset]}: above kNN on "
                         + (f"{len(up)} of {r.n} classes ({', '.join(up)})" if up else f"none of the {r.n} classes")
                         + f": {higher_word(r)}.")
    if not lines:
        return "GANomaly and kNN share no class in these rows."
    return "GANomaly − kNN per data set (the aim is the Fashion-MNIST line):\n\n" + "\n".join(lines)


def pseudo_replication(tests: list[Paired], per_run: dict[tuple, Paired], alpha: float = 0.05) -> str:
    """Reading the paired-differences figure: how many columns are coloured, and the trap of counting
    runs as independent pairs, shown on a pair significant per run but not per class (else the pair
    whose per-run p is smallest against its per-class p)."""
    shown = [r for r in tests if r.n]
    if not shown:
        return ""
    n_colour = sum(r.direction != 0 for r in shown)
    flips = [r for r in shown if per_run[_key(r)].direction != 0 and r.direction == 0]
    example = min(flips or shown, key=lambda r: per_run[_key(r)].p_adjusted / max(r.p_adjusted, 1e-300))
    run = per_run[_key(example)]
    return ("**What to see:** one large dot per class, coloured by the class-level verdict (legend), the black line "
            f"their mean. {n_colour} of the {len(shown)} columns {'is' if n_colour == 1 else 'are'} coloured. Counting "
            f"the light grey runs as independent pairs is the trap: for {LABEL[example.method]} − "
            f"{LABEL[example.baseline]} on {DNAME[example.dataset]} it gives a Holm-adjusted p of {run.p_adjusted:.2g} "
            f"over {run.n} runs, against {example.p_adjusted:.2g} over the {example.n} class means"
            + (f" (significant per run, not per class at level {alpha:g})" if flips else "")
            + " — more pairs, not more independent evidence.")


# --------------------------------------------------------------------------------------------
# Section 5: ablations
# --------------------------------------------------------------------------------------------

def _ablation_by_direction(tests: list[Paired], words: dict[int, str]) -> str:
    """One clause per verdict direction among ``tests`` (one ablation question on several data sets), joined by
    "; ": ``words[direction]`` with {where} (the data sets, "either data set" / "both data sets" when all share
    it), {counts} (how many classes the own score is higher on) and {diffs} ("mean difference(s) ...") filled in."""
    parts = []
    for direction in (1, -1, 0):
        sel = [r for r in tests if r.direction == direction]
        if not sel:
            continue
        one = len(sel) == 1
        where = (DNAME[sel[0].dataset] if one else
                 ("either data set" if direction == 0 else "both data sets") if len(sel) == len(tests) == 2 else
                 " and ".join(DNAME[r.dataset] for r in sel))
        counts = (f"{sel[0].wins} of {sel[0].n} classes" if one else
                  ", ".join(f"{r.wins} of {r.n} on {DNAME[r.dataset]}" for r in sel))
        diffs = (f"mean difference {sel[0].mean_diff:+.3f}" if one else
                 "mean differences " + ", ".join(f"{r.mean_diff:+.3f} on {DNAME[r.dataset]}" for r in sel))
        parts.append(words[direction].format(where=where, counts=counts, diffs=diffs))
    return "; ".join(parts)


def ablation_reading(tests: list[Paired], ld_intervals: dict[str, dict[str, Interval]], wide: float = 0.1,
                     ld_per_class: dict[str, dict[str, list[Interval]]] | None = None,
                     alpha_vs_lg: dict[str, tuple[float, float]] | None = None, close: float = 0.01) -> str:
    """What the two central ablations say (GANomaly's latent distance against L_con; EGBAD's α = 0.9
    against L_G alone), and which forms of EGBAD's L_D alone have a mean over classes not distinguishable
    from 0.5 (its interval contains 0.5 on every data set), naming the data sets where such an interval is
    too wide to say more (a half-width above ``wide``) and, with ``ld_per_class`` ({data set: per_class_stats
    of the L_D-alone rows}), the range of its per-class means. ``ld_intervals``: {data set: class_mean_stats
    of the L_D-alone rows}. With ``alpha_vs_lg`` ({data set: (class mean of EGBAD's own α = 0.9 score, of L_G
    alone)}) it first answers Section 5's question, does α = 0.9 score about as well as L_G alone (on average yes
    when every pair of means is within ``close``; equal means are not equal rankings, which the paired tests
    compare class by class)."""
    reading = []
    lcon = [r for r in tests if r.n and r.baseline == "ganomaly[L_con]"]
    lg = [r for r in tests if r.n and r.baseline == "egbad[L_G]"]
    lg_words = _ablation_by_direction(lg, {
        1: "the discriminator's share helps on {where} ({diffs})",
        -1: "$L_G$ alone is higher on {where}, so the discriminator's share costs quality ({diffs})",
        0: "no significant difference on {where} ({diffs}): the discriminator's share adds nothing detectable"})
    if alpha_vs_lg:
        same = all(abs(a - g) < close for a, g in alpha_vs_lg.values())
        reading.append(f"* *Does $\\alpha = 0.9$ score about as well as $L_G$ alone?* "
                       f"{'On average, yes' if same else 'Not everywhere'}: class means "
                       + ", ".join(f"{a:.3f} against {g:.3f} on {DNAME[d]}" for d, (a, g) in alpha_vs_lg.items())
                       + (f" (within {close:g}). Equal class means need not mean equal per-class AUROCs" if same
                          else "")
                       + (f"; the paired test (the table above) compares them class by class — {lg_words}." if lg_words else
                          ": the paired table above compares the two class by class." if same else "."))
    elif lg_words:
        reading.append(f"* *EGBAD's $\\alpha = 0.9$ against $L_G$ alone:* {lg_words}.")
    if lcon:
        reading.append("* *GANomaly's latent distance against its pixel error $L_{con}$:* " + _ablation_by_direction(
            lcon, {1: "significantly higher on {where} (latent higher on {counts}): there the latent comparison, not "
                      "the pixel error, carries the score",
                   -1: "$L_{{con}}$ is significantly higher on {where} (latent higher on {counts}): on these models "
                       "the pixels carry more",
                   0: "no significant difference on {where} (latent higher on {counts}), so not established there at "
                      "this budget"}) + ".")
    variants = sorted({m for v in ld_intervals.values() for m in v})
    at_chance = [m for m in variants if all(m in v and v[m].has_interval and v[m].low <= 0.5 <= v[m].high
                                            for v in ld_intervals.values())]
    if at_chance:
        too_wide = [d for d, v in ld_intervals.items() if any(v[m].half_width > wide for m in at_chance)]
        ld_per_class = ld_per_class or {}

        def per_class(d: str, m: str) -> str:
            means = [c.mean for c in ld_per_class.get(d, {}).get(m, []) if c.n]
            return f" (per class {min(means):.2f} to {max(means):.2f})" if means else ""

        reading.append("* EGBAD's $L_D$ alone: its mean over classes is not distinguishable from 0.5 on "
                       + ("either data set" if len(ld_intervals) > 1 else DNAME[next(iter(ld_intervals))])
                       + " (its interval contains 0.5"
                       + (f"; on {' and '.join(DNAME[d] for d in too_wide)} it is too wide to say more" if too_wide
                          else "") + "): "
                       + "; ".join(f"{LABEL[m]}, " + ", ".join(f"{DNAME[d]} {v[m].format()}{per_class(d, m)}"
                                                               for d, v in ld_intervals.items()) for m in at_chance)
                       + ".")
    return "**Reading the ablations** (the other EGBAD variants are in the table):\n\n" + "\n".join(reading)


# --------------------------------------------------------------------------------------------
# Section 6: one class normal
# --------------------------------------------------------------------------------------------

def _beyond_causes(dataset: str, by_method: dict[str, list[Interval]], uneven: dict) -> str:
    """Why the intervals of ``by_method`` (one per class) that reach beyond [0, 1] do: the methods with uneven
    seeds (``uneven``); a mean within 0.01 of the bound it crosses (a narrow symmetric interval crosses it);
    else a class whose own seeds disagree (named by method and class)."""
    names = _class_names(dataset)
    noun = "digit" if dataset == "mnist" else "class"
    seed_n, edge, own = 0, {}, {}
    for m, ivs in by_method.items():
        for c, iv in enumerate(ivs):
            if not iv.has_interval or not (iv.low < 0 or iv.high > 1):
                continue
            if (iv.high > 1 and iv.mean >= 0.99) or (iv.low < 0 and iv.mean <= 0.01):   # any method, seeds even or not
                edge.setdefault(m, []).append(c)
            elif m in uneven:
                seed_n += 1
            else:
                own.setdefault(m, []).append(c)

    def where(by: dict[str, list[int]]) -> tuple[str, bool]:
        groups: dict[tuple, list[str]] = {}   # methods that share the same classes are named together
        for m, cs in by.items():
            groups.setdefault(tuple(sorted(set(cs))), []).append(m)
        many = len(by) > 1 or any(len(cls) > 1 for cls in groups)
        return _and_list([_and_list([LABEL[m] + "'s" for m in ms]) + " " + (noun + "s" if len(cls) > 1 else noun)
                          + " " + _and_list([names[c] for c in cls]) for cls, ms in groups.items()]), many

    parts = []
    if seed_n:
        # an uneven-seed method's interval that crosses at the bound is counted with the bound: say which
        at_edge = {m: cs for m, cs in edge.items() if m in uneven}
        parts.append(f"{seed_n} of them are " + _and_list([LABEL[m] + "'s" for m in uneven])
                     + (f" (apart from {where(at_edge)[0]})" if at_edge else "") + ", from the uneven seeds")
    if own:
        text, many = where(own)
        parts.append(f"{text} {'are' if many else 'is'} wide class by class")
    if edge:
        text, many = where(edge)
        parts.append(f"{text} cross{'' if many else 'es'} only because {'their means lie' if many else 'its mean lies'} "
                     "within 0.01 of the bound")
    text = "; ".join(parts)
    return (text[0].upper() + text[1:] + ". ") if parts else ""


def normal_reading(rows: list[dict], intervals: dict[str, dict[str, list[Interval]]],
                   seed_means: dict[str, dict[str, dict[int, float]]], failed: dict[str, list],
                   code_reproduced: bool | None = None, all_rows: list[dict] | None = None, dots: bool = False) -> str:
    """Reading the per-class figure under one class normal, per data set: the training size, whether the
    wide bars come from whole seeds (class means per seed), which seeds failed and what their commit labels
    say about the cause (:func:`failed_cause`, with ``code_reproduced`` as in :func:`class_means_reading`;
    ``all_rows``: every row, both protocols, else ``rows``), else the widest bars.
    ``seed_means``: {data set: {method: {seed: class mean}}}; ``failed`` as in :func:`class_means_reading`.
    ``dots``: the figure draws each seed's value as a dot; the lead says what the dots show, and each data set's
    line names its two tightest methods (median half-width, class mean). Where whole seeds make the bars wide, how
    many intervals they stretch beyond [0, 1] (whiskers cut at the axis, with an arrowhead)."""
    lines = []
    for d, by_method in intervals.items():
        hw = {m: np.median([iv.half_width for iv in ivs if iv.has_interval])
              for m, ivs in by_method.items() if any(iv.has_interval for iv in ivs)}
        spread = _uneven(seed_means[d])
        line = f"* {DNAME[d]}: a run trains on {_median(rows, d, 'n_train'):,} images of its normal class. "
        if spread:
            line += (f"The wide bars of {listed(list(spread))} come from whole seeds — class means per seed (seeds "
                     + ", ".join(str(s) for s in next(iter(spread.values()))) + "): "
                     + "; ".join(f"{LABEL[m]} " + " / ".join(f"{v:.2f}" for v in sm.values()) for m, sm in spread.items())
                     + ". ")
            with_iv = [iv for ivs in by_method.values() for iv in ivs if iv.has_interval]
            beyond = sum(iv.low < 0 or iv.high > 1 for iv in with_iv)
            if beyond:
                # the figure cuts such whiskers at the axis and marks the cut with an arrowhead (Section 2)
                line += (f"{beyond} of the {len(with_iv)} intervals reach{'es' if beyond == 1 else ''} beyond [0, 1], so "
                         "those whiskers end in a "
                         "small black arrowhead at the axis (Section 2): not a plotting error. "
                         + _beyond_causes(d, by_method, spread))
        if failed.get(d):
            line += "Whole seeds failed: " + " and ".join(f"{LABEL[m]}'s seed {s}" for m, s, _, _ in failed[d]) + "."
            proto = next((r.get("protocol") for r in rows if r["dataset"] == d), None)
            line += " " + failed_cause(all_rows or rows, d, proto, failed[d], code_reproduced)
        elif not spread and hw:
            line += (f"No method's class mean moves by more than 0.1 between seeds; the widest bars are "
                     f"{LABEL[max(hw, key=hw.get)]}'s.")
            # the intervals cut at the axis (arrowheads), counted here too, with the method that has most of them
            by_m = {m: sum(iv.has_interval and (iv.low < 0 or iv.high > 1) for iv in ivs) for m, ivs in by_method.items()}
            n_iv, beyond = sum(iv.has_interval for ivs in by_method.values() for iv in ivs), sum(by_m.values())
            most = max(by_m, key=by_m.get) if beyond else None
            if beyond:
                line += (f" {beyond} of the {n_iv} intervals reach{'es' if beyond == 1 else ''} beyond [0, 1]"
                         + (f", {by_m[most]} of them {LABEL[most]}'s" if beyond > 1 and by_m[most] > 1 else "") + ".")
        if dots and len(hw) >= 2:
            tight = sorted(hw, key=hw.get)[:2]
            cm = {m: np.mean([iv.mean for iv in by_method[m] if iv.n]) for m in tight}
            line = line.rstrip() + (f" Tightest bars: {LABEL[tight[0]]}'s and {LABEL[tight[1]]}'s (median half-width "
                     f"{hw[tight[0]]:.2f} and {hw[tight[1]]:.2f}; class means {cm[tight[0]]:.2f} and "
                     f"{cm[tight[1]]:.2f}).")
        lines.append(line.strip())
    lead = ("**What to see:** the same bars as Section 2, now per *normal* class"
            + (", with each seed's AUROC as a dot: where a bar's dots agree its interval is tight; where one dot lies "
               "far from the others, that seed alone widens the interval. Where whiskers run off the axis, read the "
               "dots." if dots else "."))
    return lead + "\n\n" + "\n".join(lines)


def hedge(dataset: str, rows: list[dict], dropped: set, tested: list[Paired], kept: int, untested: list[Paired],
          again: dict[tuple[str, str], Paired], seed_means: dict[str, dict[int, float]],
          code_reproduced: bool | None = None, why: str = "", say_why: bool = True) -> str:
    """The hedge on verdicts that rest on small runs with failed seeds (``say_why`` False: without the sentence on
    why those seeds failed, when the paragraph above already says it): ``kept`` of the ``tested`` verdicts
    stay significant in the same direction when the ``dropped`` (method, seed) runs are left out (``again``: the tests
    rerun without them, by (method, baseline)), naming a verdict whose two methods then share one seed of
    ``rows``; the ``untested`` verdicts, and whether their methods' class means per seed
    (``seed_means``) are uneven too; then why those seeds failed, as far as their commit labels and Section 1's
    re-run (``code_reproduced``, as in :func:`class_means_reading`) tell (:func:`failed_cause_short`), or
    ``why`` when given (:func:`failed_seeds_cause`). Short sentences, the re-tested verdicts as a list."""
    n_one = _median(rows, dataset, "n_train")
    involved = {m for r in untested for m in (r.method, r.baseline)}
    uneven = {m: sm for m, sm in _uneven(seed_means).items() if m in involved}
    left = {m: {r["seed"] for r in rows if r["dataset"] == dataset and r["method"] == m} - {s for m2, s in dropped
                                                                                             if m2 == m}
            for m in {m for r in tested for m in (r.method, r.baseline)}}

    def alone(r: Paired) -> str:
        both = left[r.method] & left[r.baseline]
        return f", on seed {next(iter(both))} alone" if len(both) == 1 else ""

    text = (f"**Hedge on {DNAME[dataset]}.** These verdicts rest on runs that learned {n_one:,} images each, and "
            f"whole seeds failed. A check: leave out {_and_list([f'{LABEL[m]} seed {s}' for m, s in sorted(dropped)])}. "
            "It is a check, not a new verdict: those seeds were picked after seeing them. "
            f"{'Then ' if tested else ''}{kept} of the {len(tested)} significant verdicts involving those methods stay "
            "significant in the same direction")
    if tested:
        text += ":\n\n" + "\n".join(f"* {LABEL[r.method]} − {LABEL[r.baseline]} {again[(r.method, r.baseline)].mean_diff:+.3f}, "
                                    f"Holm-adjusted p = {again[(r.method, r.baseline)].p_adjusted:.2g}{alone(r)}"
                                    for r in tested) + "\n\n"
    else:
        text += ". "
    if untested:
        text += ("The check cannot test " + " and ".join(f"{LABEL[r.method]} − {LABEL[r.baseline]}" for r in untested)
                 + (": neither of its methods lost a seed. " if len(untested) == 1 else
                    ": none of their methods lost a seed. ")
                 + "".join(f"Yet {LABEL[m]}'s class means per seed are uneven too ("
                           + " / ".join(f"{v:.2f}" for v in sm.values()) + ", seeds "
                           + ", ".join(str(s) for s in sm) + "). " for m, sm in uneven.items()))
    proto = next((r.get("protocol") for r in rows if r["dataset"] == dataset), None)
    if say_why:
        text += (f"Why those seeds failed: {why or failed_cause_short(rows, dataset, proto, dropped, code_reproduced)}"
                 + (" (Section 1). " if code_reproduced is None and not why else ". "))
    return text + f"All of it holds for {n_one:,} images of one class, not for {DNAME[dataset]} as the papers use it."


def protocol_change(cms: dict[str, dict[str, Interval]], cms_normal: dict[str, dict[str, Interval]],
                    rows: list[dict], normal_rows: list[dict]) -> str:
    """How far the methods move between the two protocols, per data set: training sizes, the highest mean
    under one class normal, each method's class mean under both, and whether their order changes."""
    lines = []
    for d, cm_a in cms.items():
        if d not in cms_normal:
            continue
        cm_n = cms_normal[d]
        both = [m for m in METHOD_ORDER if m in cm_a and m in cm_n]
        best_n = max(cm_n, key=lambda m: cm_n[m].mean)
        order_a = sorted(both, key=lambda m: -cm_a[m].mean)
        order_n = sorted(both, key=lambda m: -cm_n[m].mean)
        sel = [r for r in rows + normal_rows if r["dataset"] == d]
        sizes = (f" ({_median(rows, d, 'n_train'):,} → {_median(normal_rows, d, 'n_train'):,} training images per run)"
                 if all(r["n_train"] for r in sel) else "")
        lines.append(f"* {DNAME[d]}{sizes}: highest mean {LABEL[best_n]}, {cm_n[best_n].format()}. Class means, one "
                     "class anomalous → one class normal: "
                     + ", ".join(f"{LABEL[m]} {cm_a[m].mean:.2f} → {cm_n[m].mean:.2f}" for m in both) + ". "
                     + ("Same order of methods under both protocols." if order_a == order_n else
                        "The order changes: " + " > ".join(LABEL[m] for m in order_a) + " becomes "
                        + " > ".join(LABEL[m] for m in order_n) + " (an order of means, not a test)."))
    return ("**The protocol is part of the task**; the same methods under the same caps move this far between the two "
            "(where the training sizes differ, the change mixes protocol with training size):\n\n" + "\n".join(lines))


# --------------------------------------------------------------------------------------------
# Section 8: quality against cost
# --------------------------------------------------------------------------------------------

def _overlap(a: Interval, b: Interval) -> bool:
    """Whether two intervals overlap (both must have one)."""
    return a.has_interval and b.has_interval and a.low <= b.high and b.low <= a.high


def _n_higher(r: Paired) -> int:
    """On how many classes the method a significant verdict puts higher is higher."""
    return r.wins if r.direction > 0 else r.losses


def _overlap_hits(tests: list[Paired], cms: dict[str, dict[str, Interval]]) -> list[Paired]:
    """The significant verdicts among ``tests`` whose two class-mean intervals overlap, the clearest first
    (smallest Holm-adjusted p, then the most classes)."""
    hits = [r for r in tests if r.n and r.direction and r.dataset in cms and r.method in cms[r.dataset]
            and r.baseline in cms[r.dataset] and _overlap(cms[r.dataset][r.method], cms[r.dataset][r.baseline])]
    return sorted(hits, key=lambda r: (r.p_adjusted, -_n_higher(r)))


def _apart_no_verdict(tests: list[Paired], cms: dict[str, dict[str, Interval]]) -> list[Paired]:
    """The tests without a verdict whose two class-mean intervals stand apart, the widest gap first."""
    apart = [r for r in tests if r.n and not r.direction and r.dataset in cms and r.method in cms[r.dataset]
             and r.baseline in cms[r.dataset] and cms[r.dataset][r.method].has_interval
             and cms[r.dataset][r.baseline].has_interval
             and not _overlap(cms[r.dataset][r.method], cms[r.dataset][r.baseline])]
    return sorted(apart, key=lambda r: -abs(cms[r.dataset][r.method].mean - cms[r.dataset][r.baseline].mean))


def interval_lesson(tests_class: list[Paired], cms: dict[str, dict[str, Interval]], tests_normal: list[Paired],
                    cms_n: dict[str, dict[str, Interval]], alpha: float = 0.05) -> str:
    """The Summary's lesson on intervals and paired tests, with one worked case in each direction where the rows
    have one: a significant verdict whose intervals overlap (one class normal: ``tests_normal``, ``cms_n``, Section
    6, else the main protocol, Section 4) and a test without a verdict whose intervals stand apart (Section 4,
    else Section 6), said to come from Holm's adjustment when its raw p is below ``alpha`` (then it shows
    multiplicity, not another question)."""
    text = ("A mean over seeds needs its interval; a mean over classes takes it from the per-seed class means. A paired "
            "test over classes, seeds averaged first, asks another question than two intervals do")
    over = [(r, "Section 6, one class normal") for r in _overlap_hits(tests_normal, cms_n)] + \
        [(r, "Section 4") for r in _overlap_hits(tests_class, cms)]
    apart = [(r, "Section 4") for r in _apart_no_verdict(tests_class, cms)] + \
        [(r, "Section 6, one class normal") for r in _apart_no_verdict(tests_normal, cms_n)]
    if over:
        r, where = over[0]
        text += (f": it puts {LABEL[_higher(r)]} above {LABEL[_lower(r)]} on {DNAME[r.dataset]} although their "
                 f"intervals overlap ({where})")
    text += "."
    if apart:
        r, where = apart[0]
        pair = f"{LABEL[r.method]} and {LABEL[r.baseline]} on {DNAME[r.dataset]}"
        text += (f" The reverse, intervals apart but no significant difference ({pair}, {where}), comes from Holm's "
                 f"adjustment for the family of tests: the raw paired p is {r.p_value:.2g}." if r.p_value < alpha else
                 f" {pair} have intervals apart but no significant difference even before Holm's adjustment "
                 f"(raw p = {r.p_value:.2g}; {where}).")
    return text


def overlap_yet_significant(tests: list[Paired], cms: dict[str, dict[str, Interval]],
                            reverse_tests: list[Paired] = (), reverse_cms: dict[str, dict[str, Interval]] | None = None,
                            back: str = "Section 4's fold", alpha: float = 0.05) -> str:
    """The other direction of "overlap is not a test": the significant class-level verdicts among ``tests`` whose
    two class-mean intervals (``cms``: {data set: {method: Interval}}) overlap, with one worked case: the verdict
    with the smallest Holm-adjusted p (then the most classes), together with the verdicts that share its lower
    method, data set, class count and p. When ``reverse_tests`` (with their ``reverse_cms``) hold the reverse case
    (intervals apart, no verdict), a pointer to it (``back``: where it is shown), saying that Holm's adjustment
    removes that verdict when its raw p is below ``alpha``. Empty when no significant verdict has overlapping
    intervals."""
    sig = [r for r in tests if r.n and r.direction and r.dataset in cms
           and r.method in cms[r.dataset] and r.baseline in cms[r.dataset]]
    hits = _overlap_hits(tests, cms)
    if not hits:
        return ""
    n_hi = _n_higher
    best = hits[0]
    group = [r for r in hits if (_lower(r), r.dataset, n_hi(r), f"{r.p_adjusted:.2g}")
             == (_lower(best), best.dataset, n_hi(best), f"{best.p_adjusted:.2g}")]
    cm = cms[best.dataset]
    lo = _lower(best)
    highs = [_higher(r) for r in group]
    rev = _apart_no_verdict(list(reverse_tests), reverse_cms or {})
    if rev:
        pair = f"{LABEL[rev[0].method]} and {LABEL[rev[0].baseline]} on {DNAME[rev[0].dataset]}"
        reverse = (f" The reverse, intervals apart but no significant difference ({pair}, {back}), comes from Holm's "
                   f"adjustment for the family: their raw paired p is {rev[0].p_value:.2g}."
                   if rev[0].p_value < alpha else
                   f" {back} shows the reverse: intervals apart, no significant difference even before Holm's "
                   f"adjustment ({pair}).")
    return (f"**Overlapping intervals are not a test either.** {len(hits)} of the {len(sig)} significant verdicts "
            f"above join two methods whose class-mean intervals overlap. For example, {LABEL[lo]}'s class mean on "
            f"{DNAME[best.dataset]}, {cm[lo].format()}, overlaps "
            + _and_list([f"{LABEL[m]}'s {cm[m].format()}" for m in highs])
            + f"; yet {'both are' if len(highs) == 2 else 'each is' if len(highs) > 2 else LABEL[highs[0]] + ' is'} "
            f"higher on {n_hi(best)} of {best.n} classes (Holm-adjusted p = "
            f"{best.p_adjusted:.2g}). The interval says how far a mean over classes moves between seeds; the paired "
            "test asks whether one method is higher class by class, and pairing cancels what the classes share."
            + (reverse if rev else ""))


def cost_reading(cost: dict[str, tuple[float, float]], cq: dict[str, dict[str, dict]],
                 resolution: float | None = None) -> str:
    """Reading the cost figure: how much slower AnoGAN scores, kNN's and GANomaly's training time, the
    highest point, and the methods drawn at the log axis's floor. ``cost``: {method: (median training
    seconds, median images scored per second)}; ``cq``: {data set: :func:`comparison.cost_quality`};
    ``resolution``: the step in which the times were recorded (runs.csv: 0.01 s), below which a time is
    only known to be smaller than it."""
    lines = []
    if {"anogan", "egbad", "ganomaly"} <= set(cost):
        lines.append(f"AnoGAN scores {cost['egbad'][1] / cost['anogan'][1]:.0f} and "
                     f"{cost['ganomaly'][1] / cost['anogan'][1]:.0f} times slower than EGBAD and GANomaly: its latent "
                     "search runs gradient steps per image, where they need one forward pass.")
    if {"ganomaly", "knn"} <= set(cost) and cq:
        def secs(t: float) -> str:
            """A training time: seconds from 0.01 s, milliseconds below, "under 1 ms" below that; below
            ``resolution``, "under" it (all the record says)."""
            if resolution is not None and t < resolution:
                return f"under {resolution:g} s"
            return f"{t:.2f} s" if t >= 0.01 else f"{1000 * t:.2g} ms" if t >= 0.001 else "under 1 ms"

        knn_t = secs(cost["knn"][0])
        best = {d: max(v, key=lambda m: v[m]["quality"].mean) for d, v in cq.items()}
        lines.append(f"kNN trains in {knn_t} (it only stores its training images), GANomaly in "
                     f"{cost['ganomaly'][0]:.1f} s; the highest point is "
                     + (f"{LABEL[next(iter(best.values()))]}'s on both data sets"
                        if len(cq) > 1 and len(set(best.values())) == 1
                        else "; ".join(f"{LABEL[m]}'s on {DNAME[d]}" for d, m in best.items())) + ".")
        at_floor = sorted({m for v in cq.values() for m, c in v.items() if c["train_seconds"] < 0.01},
                          key=METHOD_ORDER.index)
        if at_floor:
            times = ", ".join(secs(cost[m][0]) for m in at_floor if m != "knn")
            lines.append(f"(A log axis has no zero: {' and '.join(LABEL[m] for m in at_floor)}'s training time"
                         + (f", {times}," if times else "") + " is drawn at about 0.01 s, each data set's point nudged "
                         "a little to its side.)")
    return ("**What to see:** good deals sit high and left (cheap to train) and high and right (fast to score). "
            + "".join(line + " " for line in lines) + "Times are per run at the grid's sizes on a shared machine: "
            "compare ratios, not absolute seconds.")


# --------------------------------------------------------------------------------------------
# Section 9: discussion
# --------------------------------------------------------------------------------------------

def hard_classes(hard: dict[str, list[int]], mean_over_methods: dict[str, np.ndarray],
                 intervals: dict[str, dict[str, list[Interval]]], ink: np.ndarray, confidence: float = 0.95,
                 n: int = 3, nn_ratio: dict[str, Sequence[float]] | None = None) -> str:
    """Which classes are hard, and a reason: on Fashion-MNIST the hardest ``n`` (the list the notebook
    prints; how many are tops) and the easiest; on MNIST the hardest digits, the methods whose interval
    for the 1 lies below chance, and the 1's share of ink. ``hard``: {data set: classes from hardest to
    easiest}; ``mean_over_methods``: {data set: mean AUROC over methods per class}; ``ink``: the mean
    intensity of each digit (0 to 1); ``nn_ratio``: {data set: per class, an anomaly's mean distance to its
    nearest normal training image over a normal test image's (Section 9)}, which, with MNIST in it, measures
    the "a faint image is close to everything" reading (:func:`_faint_one`) instead of calling it unmeasured."""
    text = ["**Which classes are hard, and why.**"]
    if "fashion_mnist" in hard:
        fn, h, mom = _class_names("fashion_mnist"), hard["fashion_mnist"], mean_over_methods["fashion_mnist"]
        easy, hardest = h[-1], h[:n]
        lows = {m: ivs[easy].mean for m, ivs in intervals["fashion_mnist"].items()}
        hard_tops = [fn[c] for c in hardest if c in FASHION_TOPS]
        which = (f"All {len(hardest)} are tops" if len(hard_tops) == len(hardest) else
                 f"{len(hard_tops)} of the {len(hardest)} are tops ({', '.join(hard_tops)})")
        why = (f"{which}, which differ in sleeves, collars and buttons more than in outline, so a model of the nine "
               "other classes has seen the anomaly's shape and may reconstruct it well. " if h[0] in FASHION_TOPS
               else "")
        text.append(f"*Fashion-MNIST.* Hardest anomalies: {', '.join(fn[c] for c in hardest)} (mean AUROC over all "
                    f"methods {min(mom[c] for c in hardest):.2f}–{max(mom[c] for c in hardest):.2f}). {why}Easiest: "
                    f"{fn[easy].lower()}, a shape no normal class shares (lowest method "
                    f"{LABEL[min(lows, key=lows.get)]}, {min(lows.values()):.2f}; "
                    + ", ".join(f"{LABEL[m]} {lows[m]:.2f}" for m in ("ganomaly", "knn") if m in lows)
                    + "). The figure below shows both.")
    if "mnist" in hard:
        ones = {m: ivs[1] for m, ivs in intervals["mnist"].items()}
        below = sorted((iv.mean, m) for m, iv in ones.items() if np.isfinite(iv.high) and iv.high < 0.5)
        others = np.delete(ink, 1)
        digits = [str(c) for c in hard["mnist"][:n]]
        text.append(f"*MNIST.* Hardest anomalies: the digits "
                    f"{', '.join(digits[:-1]) + ' and ' + digits[-1] if len(digits) > 1 else digits[0]}. "
                    + (f"{', '.join(f'{LABEL[m]} ({v:.2f})' for v, m in below)} score{'s' if len(below) == 1 else ''} the 1 "
                       f"*below* chance (the whole {confidence:.0%} interval under 0.5). " if below else "")
                    + (f"A 1 has the least ink of all digits ({ink[1]:.1%} of the maximal intensity on average, against "
                       f"{others.min():.1%}–{others.max():.1%} for the others). "
                       + (_faint_one(nn_ratio) if nn_ratio and "mnist" in nn_ratio else
                          "A hypothesis, not measured here: pixel distances shrink with the amount of ink, so a faint "
                          "image is close to everything, and any pixel score — a reconstruction error, kNN's distance — "
                          "can call it more normal than the normal digits. An AUROC below 0.5 is then a finding, not a "
                          "bug.") if 1 in hard["mnist"][:n] else ""))
    return "\n\n".join(text)


def _faint_one(nn_ratio: dict[str, Sequence[float]]) -> str:
    """The MNIST 1's nearest-neighbour ratio (``nn_ratio`` as in :func:`hard_classes`) read against the reading
    "a faint image is close to everything": supported when it is below 1 (its anomalies lie closer to the normal
    training images than the normal test images do), saying whether it is the only class under 1; the ink as the
    cause stays untested."""
    one = float(nn_ratio["mnist"][1])
    n_all = sum(len(v) for v in nn_ratio.values())
    under = sum(float(x) < 1 for v in nn_ratio.values() for x in v)
    where = "of both data sets" if len(nn_ratio) > 1 else "of MNIST"
    claim = ("Pixel distances shrink with the amount of ink, so a faint image is close to everything, and any pixel "
             "score — a reconstruction error, kNN's distance — can call it more normal than the normal digits.")
    if one >= 1:
        return (f"A hypothesis: {claim[0].lower() + claim[1:]} The nearest-neighbour ratio (computed in the cell above, "
                "plotted below: an anomaly's distance to its nearest normal training image over a normal test image's) "
                f"is {one:.2f} for the 1, "
                "not below 1, so it does not support this.")
    only = (f"the only value under 1 of the {n_all} classes {where}" if under == 1 else
            f"one of {under} values under 1 of the {n_all} classes {where}")
    return (f"{claim} The nearest-neighbour ratio (computed in the cell above, plotted below: an anomaly's distance to "
            f"its nearest normal training image over a normal test image's) supports this: {one:.2f} for the 1, {only}, so its anomalies lie closer "
            "to the normal training images than the normal test images do. That the lack of ink is the cause is not "
            "tested. An AUROC below 0.5 is then a finding, not a bug.")


def _tally(sig: list[Paired], gan_up: list[Paired], base_up: list[Paired]) -> str:
    """How many of the significant verdicts ``sig`` put a GAN method above a baseline (``gan_up``) and how many
    put a baseline above a GAN method (``base_up``), in one sentence."""
    low = listed(sorted({_lower(r) for r in base_up}, key=METHOD_ORDER.index)) if base_up else ""
    if len(sig) == 1:
        return ("This verdict puts " + ("a GAN method above a baseline" if gan_up else f"a baseline above {low}"
                                        if base_up else "one method above another of its kind")
                + "; " + ("no verdict puts a baseline above a GAN method." if not base_up else
                          "no verdict puts a GAN method above a baseline."))
    up = (f"{len(gan_up)} put{'s' if len(gan_up) == 1 else ''} a GAN method above a baseline" if gan_up
          else "none puts a GAN method above a baseline")
    down = (f"{len(base_up)} put{'s' if len(base_up) == 1 else ''} a baseline above {low}" if base_up
            else "none puts a baseline above a GAN method")
    return f"Of these {len(sig)} verdicts, {up}, and {down}."


def _failed_seed_detail(method: str, seed: int, mean: float, others: list[float], span: float | None = None) -> str:
    """What a failed seed's class mean says (the end of a sentence): below chance, the score is inverted on
    average; and the method's class mean without that seed. For EGBAD, a pointer to notebook 04's Section 6, which
    plots the same grid's EGBAD runs class by class, with ``span`` (the median over classes of the range of a
    class's AUROC over its seeds) when given."""
    below = (f": its class mean {mean:.2f} lies below chance, so on average that seed's score ranks the anomalies as "
             "*more* normal than the normal images, an inverted score" if mean < 0.5 else
             f": its class mean is {mean:.2f}")
    return (f"{below}; without it {LABEL[method]}'s class mean is {np.mean(others):.2f}, over {len(others)} seeds."
            + ((" Short BiGAN runs are that unstable: notebook 04 (its Section 6) plots these runs class by class"
                + (f", where a class's seeds span a median {span:.2f} AUROC." if span is not None else "."))
               if method == "egbad" else ""))


def wins_and_losses(tests_class: list[Paired], tests_normal: list[Paired], cms: dict[str, dict[str, Interval]],
                    failed: dict[str, list], per_class: dict[str, dict[str, list[Interval]]] | None = None,
                    why_normal: dict[str, str] | None = None, fold_rest: bool = False, hedged=(),
                    floor: tuple[float, float, float] | None = None, normal_rows: list[dict] | None = None,
                    egbad_span: dict[str, float] | None = None) -> str:
    """Every significant verdict of Sections 4 and 6 in one list (how many put a GAN method above a
    baseline; with at most ten classes per test, that each is one or two classes from the line, and with ``floor``
    (the raw p with every class on one side, the raw p with one class on the other side at rank 3, Holm's
    strictest level) why, pointing to Section 4's fold; with
    ``why_normal``, {data set: :func:`failed_cause_short`}, that the one-class-normal verdicts of those
    data sets rest on failed seeds, and the cause as far as it is known), the best
    GAN method per data set and the GAN methods whose mean over classes is not distinguishable from 0.5
    (with ``per_class``, {data set: per_class_stats}, the range of their per-class means), then, folded,
    why two of the pairs are not clean tests. ``fold_rest``: fold everything after the verdicts. ``hedged``: data
    sets (not in ``why_normal``) whose one-class-normal verdicts rest on failed seeds, said in a few words with a
    pointer to Section 6 and no cause; as a dict {data set: failed seeds, as ``failed``}, how many of those verdicts
    involve a method with a failed seed, and with ``normal_rows`` (the one-class-normal rows) the images per run they
    rest on. ``egbad_span``: {data set: median over classes of the range of EGBAD's AUROC over seeds}, said beside
    EGBAD's failed seed (:func:`_failed_seed_detail`)."""
    parts = []
    for name, fam in (("One class anomalous (Section 4)", tests_class), ("One class normal (Section 6)", tests_normal)):
        if not any(r.n for r in fam):
            continue
        sig = [r for r in fam if r.n and r.direction]
        gan_up = [r for r in sig if _higher(r) in GAN_METHODS and _lower(r) in BASELINES]
        base_up = [r for r in sig if _higher(r) in BASELINES and _lower(r) in GAN_METHODS]
        parts.append(f"* *{name}:* " + ("; ".join(side(r) for r in sig) + ". " + _tally(sig, gan_up, base_up)
                                         if sig else "no significant verdict."))
        if fam is tests_normal:
            parts[-1] += "".join(f" The {DNAME[d]} verdicts rest on small runs with failed seeds. The cause: {why} "
                                 "(Section 6)." for d, why in (why_normal or {}).items()
                                 if why and any(r.dataset == d for r in sig))
            weak = [d for d in DATASET_LABELS if d in hedged and d not in (why_normal or {})
                    and any(r.dataset == d for r in sig)]
            if weak and isinstance(hedged, dict):
                for d in weak:
                    lost = {m for m, *_ in hedged[d]}
                    sd = [r for r in sig if r.dataset == d]
                    k = sum(bool({r.method, r.baseline} & lost) for r in sd)
                    size = (f"{_median(normal_rows, d, 'n_train'):,}-image runs"
                            if normal_rows and any(r["dataset"] == d for r in normal_rows) else "small runs")
                    parts[-1] += (f" {'All' if k == len(sd) else k} of the {len(sd)} {DNAME[d]} verdicts involve a "
                                  f"method with a failed seed; all rest on {size} (Section 6).")
            elif weak:
                parts[-1] += (f" The {' and '.join(DNAME[d] for d in weak)} verdicts rest on small runs with failed "
                              "seeds (Section 6).")
    n_max = max((r.n for fam in (tests_class, tests_normal) for r in fam if r.n and r.direction), default=0)
    if n_max and n_max <= 10:
        parts[-1] += (f" With {n_max if n_max < 10 else 'ten'} classes, every verdict above is one or two classes "
                      "from the line" + (f" (Section 4's fold: all classes on one side give p = {floor[0]:.4f}; one "
                                         f"class on the other side, at rank 3 or above, gives p ≥ {floor[1]:.4f}, "
                                         f"already above Holm's strictest level {floor[2]:.4f})" if floor else
                                         " (Section 4's fold)")
                      + ".")
    near = {d: [m for m in ("anogan", "egbad") if m in cm and cm[m].low < 0.5 < cm[m].high] for d, cm in cms.items()}
    once = len(near) > 1 and len({tuple(v) for v in near.values()}) == 1 and next(iter(near.values()))

    def ranges(m: str, where: list[str], named: bool) -> str:
        """The range of ``m``'s per-class means on the data sets ``where`` (empty without ``per_class``)."""
        spans = []
        for d in where:
            means = [c.mean for c in (per_class or {}).get(d, {}).get(m, []) if c.n]
            if means:
                spans.append(f"from {min(means):.2f} to {max(means):.2f}" + (f" on {DNAME[d]}" if len(where) > 1
                                                                             else ""))
        return ("per class " + (f"{LABEL[m]} ranges " if named else "it ranges ") + " and ".join(spans)
                if spans else "")

    def at_chance(ms: list[str], where: list[str]) -> str:
        """The GAN methods ``ms`` whose mean over classes is not distinguishable from 0.5 on the data sets
        ``where``."""
        span = "; ".join(x for x in (ranges(m, where, len(ms) > 1) for m in ms) if x)
        return ((f"{LABEL[ms[0]]}'s mean over classes is" if len(ms) == 1 else
                 " and ".join(LABEL[m] + "'s" for m in ms) + " means over classes are") + " not distinguishable from 0.5"
                + (" on either data set" if len(where) > 1 else "") + " ("
                + "; ".join(f"{LABEL[m]} " + ", ".join(f"{cms[d][m].mean:.2f}" + (f" on {DNAME[d]}" if len(where) > 1
                                                                                      else "") for d in where)
                            for m in ms)
                + (f"; {span}" if span else "")
                + "), so EGBAD against AnoGAN says little about what an encoder costs at a working budget."
                + "".join((f" On {DNAME[d]} the wide interval comes from {LABEL[m]}'s failed seed {seed} (Section 3)"
                           if len(where) > 1 else f" For {LABEL[m]} the wide interval comes from its failed seed {seed} "
                           "(Section 3)")
                          + _failed_seed_detail(m, seed, v, others, (egbad_span or {}).get(d))
                          for d in where for m, seed, v, others in failed.get(d, []) if m in ms))

    for d, cm in cms.items():
        gan = max((m for m in GAN_METHODS if m in cm), key=lambda m: cm[m].mean, default=None)
        if gan is None:
            continue
        line = f"* {DNAME[d]}: best GAN method {LABEL[gan]}, {cm[gan].format()}."
        if near[d] and not once:
            line += " " + at_chance(near[d], [d])
        parts.append(line)
    if once:
        parts.append("* " + at_chance(once, list(cms)))
    parts.append("<details><summary>Why two of the pairs are not clean tests (click)</summary>\n\n"
                 "*GANomaly against the autoencoder* does not isolate what the latent comparison adds: the two also "
                 "differ in the adversarial loss, the second encoder and the networks. The clean test is Section 5's "
                 "ablation (the same GANomaly scored by its latent distance and by $L_{con}$). *EGBAD against AnoGAN* "
                 "compares two whole pipelines, differing in training (a BiGAN trained jointly with its encoder against "
                 "a plain GAN) and in the score (α = 0.9 with feature matching against the search loss). The clean test "
                 "of the encoder alone would score one trained BiGAN both ways: by its encoder, and by AnoGAN's search "
                 "on its generator (or a search started at E(x)).\n\n</details>")
    if fold_rest:
        n_verdicts = sum(any(r.n for r in fam) for fam in (tests_class, tests_normal))
        return ("\n\n".join(parts[:n_verdicts]) + "\n\n<details><summary>The best GAN method per data set, EGBAD "
                "near chance, and two pairs that are not clean tests (click)</summary>\n\n"
                + "\n\n".join(parts[n_verdicts:]) + "\n\n</details>")
    return "\n\n".join(parts)


def wins_losses_takeaway(tests_class: list[Paired], tests_normal: list[Paired], hedged=()) -> str:
    """Notebook 06, Section 9, in two bullets: each protocol's significant verdicts from the higher method's side
    ("GANomaly above PCA on MNIST"), and how many put a GAN method above a baseline and a baseline above a GAN
    method; ``hedged``: the data sets whose one-class-normal verdicts rest on small runs with failed seeds. The
    verdicts with their classes and p-values are :func:`wins_and_losses`."""
    parts = []
    for name, fam in (("One class anomalous (Section 4)", tests_class), ("One class normal (Section 6)", tests_normal)):
        if not any(r.n for r in fam):
            continue
        sig = [r for r in fam if r.n and r.direction]
        if not sig:
            parts.append(f"* *{name}:* no significant verdict.")
            continue
        up = sum(_higher(r) in GAN_METHODS and _lower(r) in BASELINES for r in sig)
        down = sum(_higher(r) in BASELINES and _lower(r) in GAN_METHODS for r in sig)
        parts.append(f"* *{name}:* " + "; ".join(f"{LABEL[_higher(r)]} above {LABEL[_lower(r)]} on {DNAME[r.dataset]}"
                                                  for r in sig)
                     + f". GAN method above a baseline: {up} of {len(sig)}; baseline above a GAN method: {down} of "
                       f"{len(sig)}.")
        weak = [d for d in DATASET_LABELS if d in hedged and any(r.dataset == d for r in sig)]
        if fam is tests_normal and weak:
            parts[-1] += (f" The {' and '.join(DNAME[d] for d in weak)} verdicts rest on small runs with failed seeds "
                          "(Section 6).")
    return "\n".join(parts)


def hard_classes_folded(hard: dict[str, list[int]], mean_over_methods: dict[str, np.ndarray],
                        intervals: dict[str, dict[str, list[Interval]]], ink: np.ndarray, confidence: float = 0.95,
                        n: int = 3, nn_ratio: dict[str, Sequence[float]] | None = None) -> str:
    """:func:`hard_classes` with the Fashion-MNIST paragraph in view (the nearest-neighbour figure reads it) and the
    MNIST paragraph folded in a ``<details>`` block; with one data set only, its paragraph in view."""
    head = "**Which classes are hard, and why.**"

    def part(d: str) -> str:
        return hard_classes({d: hard[d]}, mean_over_methods, intervals, ink, confidence, n,
                            nn_ratio)[len(head):].strip()

    if "fashion_mnist" not in hard or "mnist" not in hard:
        return hard_classes(hard, mean_over_methods, intervals, ink, confidence, n, nn_ratio)
    return (f"{head}\n\n{part('fashion_mnist')}\n\n<details><summary>MNIST's hardest digits, and why a score can fall "
            f"below chance (click)</summary>\n\n{part('mnist')}\n\n</details>")


def budget_table(budget: dict[str, dict]) -> str:
    """The table of budget effects: per method, the mean AUROC at both budgets over the shared (class,
    seed) runs, the difference, on how many classes the full-size budget is higher, and the p-values."""
    return ("| method | classes (runs) | grid budget | full-size budget | difference | full-size budget higher in | "
            "Wilcoxon p | Holm-adjusted p |\n|---|---|---|---|---|---|---|---|\n"
            + "\n".join(f"| {LABEL[m]} | {b['classes']} ({b['runs']}) | {b['small']:.3f} | {b['full']:.3f} | "
                        f"{b['diff']:+.3f} | {b['higher']} of {b['classes']} classes | {b['p']:.3f} | "
                        f"{b['p_holm']:.3f} |" for m, b in budget.items()))


def _budget_effects(budget: dict[str, dict], alpha: float) -> tuple[list[str], list[str]]:
    """The methods that more budget raised / lowered, Holm-adjusted p below ``alpha``."""
    up = [m for m, b in budget.items() if b["diff"] > 0 and b["p_holm"] < alpha]
    down = [m for m, b in budget.items() if b["diff"] < 0 and b["p_holm"] < alpha]
    return up, down


def _max_gan_seeds(full_rows: list[dict], methods: dict | list[str]) -> int:
    """The most seeds any GAN method among ``methods`` ran at the full-size budget."""
    return max((len({r["seed"] for r in full_rows if r["method"] == m}) for m in methods if m in GAN_METHODS),
               default=0)


def published_beside_ours(rows: list[dict], entry, class_names=None, confidence: float = 0.95) -> str:
    """A published row next to ours (Markdown) for Section 7: the per-class table of
    :func:`ganad_lib.published.side_by_side` when ``rows`` hold runs of the entry's method, data set and protocol,
    with its note worded as a possibility (no test compares the two columns, and some of our intervals contain
    the published value); otherwise one sentence: the published mean over classes and its source, and that we
    have no run of it."""
    from . import published

    head = f"**{entry.label}, {DNAME.get(entry.dataset, entry.dataset)}, {entry.protocol.replace('_', ' ')}**"
    if not published.ours_available(rows, entry):
        mean = entry.mean_fraction()
        return (f"{head}: published mean {entry.metric.upper()} over the classes "
                + (f"{mean:.3f}" if mean is not None else "not given")
                + f" ({entry.citation()}). No run of ours: {entry.not_comparable}.")
    table = published.side_by_side(rows, entry, class_names=class_names, confidence=confidence)
    # the two columns are not tested against each other, so the note gives reasons they *may* differ
    return head + "\n\n" + table.replace("Why the columns differ beyond chance:", "Why the columns may differ:")


def published_gap(rows: list[dict], entries, confidence: float = 0.95) -> str:
    """Reading Section 7's side-by-side tables (Markdown, two sentences per published entry with per-class values
    and runs of ours in ``rows``): on how many classes ours lies below the published value, both means over
    classes, how many of our intervals reach the published value; then what the gap measures (the same protocol,
    two setups: ours at the grid's budget, the published one known only as its source gives it) and what it does
    not show. Empty when no entry has runs of ours."""
    from . import comparison, published

    out = []
    for e in entries:
        pub = e.fractions()
        if pub is None or not published.ours_available(rows, e):
            continue
        sel = [r for r in rows if (r["method"], r["dataset"], r["protocol"]) == (e.method, e.dataset, e.protocol)]
        ours = comparison.per_class_stats(sel, e.dataset, e.metric, confidence=confidence)[e.method]
        mean = comparison.class_mean_stats(sel, e.dataset, e.metric, confidence=confidence)[e.method]
        classes = [c for c in range(10) if pub[c] is not None and c < len(ours) and np.isfinite(ours[c].mean)]
        below = sum(ours[c].mean < pub[c] for c in classes)
        reach = sum(ours[c].has_interval and ours[c].low <= pub[c] <= ours[c].high for c in classes)
        trained = [r["n_train"] for r in sel if r["n_train"]]
        # both means over the same classes (the published one as printed when ours ran every class)
        pub_mean = e.mean_fraction() if len(classes) == 10 else float(np.mean([pub[c] for c in classes]))
        out.append(
            f"**Reading the {e.label} table.** Ours lies below the published value on {below} of {len(classes)} "
            f"classes (mean over {'classes' if len(classes) == 10 else 'those classes'} {mean.mean:.3f} against "
            f"{pub_mean:.3f}{', as printed in the source' if len(classes) == 10 else ''})"
            + (f", and {reach} of our {len(classes)} intervals reach it" if any(ours[c].has_interval for c in classes)
               else "") + ". "
            "The protocol is the same, the setup is not: ours trained on "
            + (f"{int(np.median(trained)):,} images per run " if trained else "")
            + "at the grid's small budget (Section 1), while the published run is known only as "
            f"\"{e.budget}\"" + (", and its numbers are second-hand" if e.second_hand else "")
            + " (`docs/references.md`, section 3). So the gap says how far these small runs stay from a reported "
            f"level, not that our {e.label} is faulty or what {e.label} would reach in the published setup.")
    return "\n\n".join(out)


def family_details_by_class(tests: list[Paired], cms: dict[str, dict[str, Interval]], how_many: str = "",
                            alpha: float = 0.05) -> str:
    """The fold under Section 4's table, without the per-run p-values (Exercise 4 asks the learner to measure
    them): the family and its chance of a false "significant", raw and Holm-adjusted p-values, ``how_many``
    (:func:`how_many_classes`), and the pairs whose Section 3 intervals (``cms``) do not overlap although
    their test finds no significant difference (naming Holm's adjustment where the raw p is below ``alpha``)."""
    shown = [r for r in tests if r.n]
    n = len(shown)
    apart = [r for r in shown if r.direction == 0
             and all(cms[r.dataset][m].has_interval for m in (r.method, r.baseline))
             and (cms[r.dataset][r.method].high < cms[r.dataset][r.baseline].low
                  or cms[r.dataset][r.baseline].high < cms[r.dataset][r.method].low)]
    table = ("| comparison | data set | raw p | Holm-adjusted p |\n|---|---|---|---|\n"
             + "\n".join(f"| {LABEL[r.method]} − {LABEL[r.baseline]} | {DNAME[r.dataset]} | {r.p_value:.2g} | "
                         f"{r.p_adjusted:.2g} |" for r in shown))
    versus = ("*Section 3 against this section.* Two intervals of Section 3 that do not overlap need not give a "
              "significant test here"
              + (": " + "; ".join(f"{LABEL[r.method]} and {LABEL[r.baseline]} on {DNAME[r.dataset]} (Section 3: "
                                  f"{cms[r.dataset][r.method].format()} against {cms[r.dataset][r.baseline].format()}; "
                                  f"here Holm-adjusted p = {r.p_adjusted:.2g}"
                                  + (f", raw p = {r.p_value:.2g}: Holm's adjustment for the family removes the verdict"
                                     if r.p_value < alpha else "") + ")" for r in apart) + "." if apart
                 else " (in these rows no pair shows this)."))
    parts = [f"*The family:* {family_sentence(tests)} — {n} tests. Unadjusted, if no difference existed anywhere, the "
             f"chance of at least one false \"significant\" among {n} independent tests at level {alpha} would be "
             f"1 − (1 − {alpha})^{n} = {1 - (1 - alpha) ** n:.0%}. The t-interval above is not adjusted for the "
             "family, so it can exclude 0 where the Holm-adjusted, rank-based verdict does not.", table, how_many,
             versus]
    return ("<details><summary>The family, raw p-values, and what ten classes can detect (click)</summary>"
            "\n\n" + "\n\n".join(p for p in parts if p) + "\n\n</details>")


def paired_figure_reading(tests: list[Paired], intervals: dict[tuple, Interval] | None = None) -> str:
    """Reading Section 4's figure of paired differences without giving away Exercise 4 (which measures what
    counting single runs does to a p-value): what the dots and the line are, and how many columns are coloured;
    then what the figure shows: how many large dots lie on the winning side in each coloured column, and, with
    ``intervals`` ({(method, baseline, data set): t-interval of the mean difference}), each column whose interval
    excludes 0 without a verdict, and why (Holm's adjustment where the raw p passes the level, else the ranks)."""
    shown = [r for r in tests if r.n]
    if not shown:
        return ""
    n_colour = sum(r.direction != 0 for r in shown)
    text = ("**What to see:** one large dot per class, coloured by the class-level verdict (legend), the black line "
            f"their mean; {n_colour} of the {len(shown)} columns {'is' if n_colour == 1 else 'are'} coloured. The grey "
            "dots are the single (class, seed) runs behind each class mean: the test counts only the large dots "
            "(Exercise 4 measures what counting the grey ones would do).")
    sig = [r for r in shown if r.direction]
    if sig:
        text += " In " + _and_list([f"{LABEL[r.method]} − {LABEL[r.baseline]} on {DNAME[r.dataset]}, "
                                    f"{r.wins if r.direction > 0 else r.losses} of the {r.n} large dots lie "
                                    f"{'above' if r.direction > 0 else 'below'} zero" for r in sig]) + \
                ": with this few classes a verdict needs nearly every class on one side (Section 4)."
    for r in shown:
        iv = (intervals or {}).get((r.method, r.baseline, r.dataset))
        if r.direction or iv is None or not iv.has_interval or iv.low <= 0 <= iv.high:
            continue
        off = r.losses if iv.low > 0 else r.wins
        text += (f" In {LABEL[r.method]} − {LABEL[r.baseline]} on {DNAME[r.dataset]} the mean's t-interval, "
                 f"[{iv.low:+.3f}, {iv.high:+.3f}], excludes 0, yet {off} of the {r.n} large dots lie "
                 f"{'below' if iv.low > 0 else 'above'} zero (raw p = {r.p_value:.2g}, Holm-adjusted "
                 f"{r.p_adjusted:.2g}): "
                 + ("unadjusted, the interval and the test agree; Holm's adjustment for the family is what removes "
                    "the verdict."
                    if r.p_value <= r.alpha else
                    "the rank-based test weighs every class alike, the interval weighs each by its size."))
    return text


def thread_count_note(moved: list[float], section: str = "Section 1") -> str:
    """One sentence for the failed-seed discussion: how far the rows of ``section``'s re-run that ran on the other
    thread count moved (``moved``: their absolute AUROC changes), i.e. how unstable a training run is. Empty
    without such rows."""
    if not moved:
        return ""
    return (f"Training here is unstable enough for that: run again on the other thread count, {len(moved)} "
            f"row{_s(len(moved))} of {section}'s re-run moved by "
            + (f"{min(moved):.4f} to {max(moved):.4f}" if len(moved) > 1 else f"{moved[0]:.4f}")
            + " AUROC, so a seed fixes a run only together with its thread count.")


def headline_bullets_auroc(aim_result: Paired | None, aim_interval: Interval | None,
                           cms: dict[str, dict[str, Interval]], tests_class: list[Paired],
                           confidence: float = 0.95, cms_pr: dict[str, dict[str, Interval]] | None = None) -> list[str]:
    """:func:`headline_bullets` on AUROC alone, so every order the headline states rests on Section 4's tests.
    With ``cms_pr`` (AUPRC's means over classes, as ``cms``), a short untested aside on the highest-AUROC bullet
    where AUPRC puts another method first, so the headline does not hide a metric flip that Section 3 reports."""
    out = headline_bullets(aim_result, aim_interval, cms, cms, tests_class, confidence, unadjusted=True)
    if not cms_pr:
        return out
    flips = []
    for d, cm in cms.items():
        if not cms_pr.get(d):
            continue
        top, top_pr = max(cm, key=lambda m: cm[m].mean), max(cms_pr[d], key=lambda m: cms_pr[d][m].mean)
        if top_pr != top and top in cms_pr[d]:
            flips.append(f"{LABEL[top_pr]}'s mean is higher on {DNAME[d]}: {cms_pr[d][top_pr].mean:.3f} against "
                         f"{LABEL[top]}'s {cms_pr[d][top].mean:.3f}")
    at = next((i for i, b in enumerate(out) if "highest mean AUROC" in b), None)
    if flips and at is not None:
        out[at] += f" By AUPRC, {'; '.join(flips)} (untested, and it may not survive other seeds; Section 3)."
    return out


def full_run_scope(full_all_rows: list[dict], logs: list[dict], readme: str = "results/full/README.md") -> str:
    """Why the full-size-budget run is read under one class normal only (Markdown, two sentences): the
    training images per run under each protocol, from ``full_all_rows`` (every row of results/full, both
    protocols), and the GAN runs of one class anomalous that were stopped at the deadline, from ``logs``
    (the GPU runs' JSON summaries, key ``stopped_at_deadline``: [method, data set, protocol, class, seed]).
    Empty when the file holds GAN rows under one class anomalous (then there is no such limit to explain)."""
    if any(r["protocol"] == "one_class_anomalous" and r["method"] in GAN_METHODS for r in full_all_rows):
        return ""
    size = {p: int(np.median([r["n_train"] for r in full_all_rows if r["protocol"] == p and r["n_train"]]))
            for p in ("one_class_anomalous", "one_class_normal")
            if any(r["protocol"] == p and r["n_train"] for r in full_all_rows)}
    stopped = [s for log in logs for s in log.get("stopped_at_deadline", [])
               if s[2] == "one_class_anomalous" and s[0] in GAN_METHODS]
    minutes = sum(float(log.get("wall_seconds", 0)) for log in logs) / 60
    text = "**Why one class normal only.** "
    if len(size) == 2:
        text += (f"Under one class anomalous a run trains on the nine normal classes, {size['one_class_anomalous']:,} "
                 f"images at this budget, against {size['one_class_normal']:,} under one class normal. ")
    return (text + (f"The {len(stopped)} GAN runs of one class anomalous that started were all stopped at the "
                    f"deadline: the GPU commands had {minutes:.0f} minutes in all, and none of those runs finished "
                    f"(`{readme}`)." if stopped else
                    f"No GAN run of one class anomalous finished in the time the GPU was lent (`{readme}`).")
            + " So this run cannot test Section 4's verdicts or the course's aim, only whether more budget helps "
            "under the other protocol.")


def budget_reading(budget: dict[str, dict], full_tests: list[Paired], grid_gk: Paired | None, did: dict | None,
                   small_rows: list[dict], full_rows: list[dict], y_low: float, alpha: float = 0.05,
                   grid_means: dict[str, float] | None = None) -> str:
    """Reading the budget figure: which budget effects survive Holm, the highest mean at the full-size
    budget and the methods significantly below kNN there; with ``grid_means`` ({method: its mean over
    classes at the grid's budget over all its seeds, Section 6}) why a line's left end can differ from it
    (each line averages only the (class, seed) runs at both budgets); folded, GANomaly − kNN across the budgets
    (``grid_gk``: its test at the grid's budget; ``did``: the post-hoc test of its change) and what else
    differs between the two runs (seeds, sizes, software and hardware, read from the rows)."""
    up, down = _budget_effects(budget, alpha)
    raw = [m for m, b in budget.items() if b["p"] < alpha]
    best_full = max(budget, key=lambda m: budget[m]["full"])
    lose_knn = [r for r in full_tests if r.direction < 0]
    size = {k: {name: int(np.median([r[k] for r in rs if r["method"] in budget]))
                for name, rs in (("grid", small_rows), ("full", full_rows))} for k in ("n_train", "n_val", "n_test")}
    soft = {name: ", ".join(sorted({f"torch {r['torch_version']} on {r['device'].upper()}" for r in rs}))
            for name, rs in (("grid", small_rows), ("full", full_rows))}
    text = ("**What to see:** each line joins a method's mean AUROC at the grid's budget (left) to the same settings "
            f"at the full-size budget (right). The axis starts at {y_low:.2f}, so the slopes look steeper than the "
            f"changes are (at most {max(abs(b['diff']) for b in budget.values()):.3f} AUROC).\n\n")
    if up or down:
        text += ("* " + " and ".join(part for part in (f"More budget raised {listed(up)}" if up else "",
                                                        f"{'lowered' if up else 'More budget lowered'} {listed(down)}"
                                                        if down else "") if part)
                 + f" (Holm-adjusted p < {alpha:g} over the {len(budget)} methods).\n")
    else:
        text += (f"* No budget effect survives Holm over the {len(budget)} methods (smallest adjusted p = "
                 f"{min(b['p_holm'] for b in budget.values()):.2g})."
                 + (f" Unadjusted, {listed(raw)} would pass {alpha:g}.\n" if raw else "\n"))
    text += (f"* At the full-size budget the highest mean is {LABEL[best_full]}'s ({budget[best_full]['full']:.3f}). "
             + (f"{listed([r.method for r in lose_knn])} {'are' if len(lose_knn) > 1 else 'is'} significantly below "
                "kNN.\n" if lose_knn else "No method is significantly below kNN.\n")
             + "* This run is under another protocol. It says nothing about Section 4's verdicts or the course's aim; "
             "whether a larger budget changes those is not measured.\n\n"
             "<details><summary>GANomaly against kNN across the budgets, and what else differs between the runs "
             "(click)</summary>\n\n")
    moved = {m: budget[m]["small"] - v for m, v in (grid_means or {}).items() if m in budget}
    if moved and max(abs(v) for v in moved.values()) >= 0.0005:
        m = max(moved, key=lambda k: abs(moved[k]))
        named = [m] + [k for k in ("ganomaly",) if k != m and k in moved and abs(moved[k]) >= 0.0005]
        text += ("*The left ends.* Each line averages only the (class, seed) runs its method has at both budgets. The "
                 "methods ran different seeds at the full-size budget (runs per method in the table). So a left end can "
                 "differ from Section 6's mean over all seeds: "
                 + "; ".join(f"{LABEL[k]} {budget[k]['small']:.3f} here, {grid_means[k]:.3f} there" for k in named)
                 + ".\n\n")
    if grid_gk is not None and grid_gk.n and "ganomaly" in budget and "knn" in budget:
        text += _gap_change(grid_gk, did, budget, alpha)
    gan_runs = ", ".join(f"{LABEL[m]} {budget[m]['runs']} runs" for m in budget if m in GAN_METHODS)
    return (text + "*What else differs.* Besides the budget, the two runs differ in:\n\n"
            f"* the seeds: at most {_max_gan_seeds(full_rows, budget)} per GAN method at the full-size budget ({gan_runs} "
            f"over {budget[next(iter(budget))]['classes']} classes);\n"
            f"* the images per run: training {size['n_train']['grid']:,} → {size['n_train']['full']:,}, validation "
            f"{size['n_val']['grid']:,} → {size['n_val']['full']:,}, test {size['n_test']['grid']:,} → "
            f"{size['n_test']['full']:,}; and the data subsamples;\n"
            f"* software and hardware: {soft['grid']} against {soft['full']}, whose GPU kernels are not bit-for-bit "
            "repeatable.\n\nAny of these may lie behind a change of this size.\n\n</details>")


def _gap_change(grid_gk: Paired, did: dict | None, budget: dict[str, dict], alpha: float) -> str:
    """GANomaly − kNN across the budgets in three sentences: the tested change (with each method's own move over
    the runs both share, when ``did`` has them, so that the parts add up), why it is exploratory (or that it is
    not significant), and that the runs differ in more than the budget."""
    g = budget["ganomaly"]
    head = (f"*GANomaly against kNN.* At the grid's budget GANomaly − kNN was {grid_gk.mean_diff:+.3f} (Holm-adjusted "
            f"p = {grid_gk.p_adjusted:.3g}, Section 6)")
    if did is None:
        return head + "; too few shared classes to test whether it changed at the full-size budget.\n\n"
    if {"ganomaly", "knn"} <= set(did):
        # three decimals, as the tables; where the rounded moves do not add up to the rounded change, say so.
        # Over the runs both share, unlike the table's
        dg, dk = did["ganomaly"], did["knn"]
        rounded = abs(round(dg, 3) - round(dk, 3) - round(dg - dk, 3)) > 5e-4
        change = (f"{dg - dk:+.3f} (GANomaly {dg:+.3f}, kNN {dk:+.3f}, {'each rounded, ' if rounded else ''}over "
                  "the runs both share)")
    else:
        change = f"{did['mean']:+.3f}"
    # the count behind the test (the gap's own change per class), apart from GANomaly's own change below
    result = (f"; tested directly per class, it changed by {change} at the full-size budget, "
              + (f"falling on {did['fell']} of {did['n']} classes (Wilcoxon p = {did['p']:.2g}). " if "fell" in did
                 else f"Wilcoxon p = {did['p']:.2g} over {did['n']} classes. "))
    why = ("That is beyond chance but exploratory: two verdicts that differ are not a tested difference, so this test "
           "was chosen after seeing them differ, and it stands outside any Holm family. " if did["p"] < alpha else
           "That is not significant: the budget is not shown to change the gap, and it did not lift GANomaly above "
           "kNN. ")
    rest = ((f"GANomaly's own AUROC (not the gap) was lower at the full-size budget on {g['classes'] - g['higher']} of "
             f"{g['classes']} classes, "
             "with its authors' hyperparameters, not retuned, and the runs differ in more than the budget (below), so "
             "they cannot say why.") if g["diff"] < 0 else
            "The runs differ in more than the budget (below), so they cannot say why.")
    return head + result + why + rest + "\n\n"


def cost_buys(against_knn: dict[str, Paired], cost: dict[str, tuple[float, float]] | None = None,
              cms: dict[str, dict[str, Interval]] | None = None, tests_abl: list[Paired] | None = None) -> str:
    """What the extra cost of a GAN buys: GANomaly against kNN per data set (Section 4's verdicts), and
    what a GAN detector gives besides its AUROC. ``against_knn``: {data set: GANomaly − kNN test}. With ``cost``
    ({method: (median training seconds, images scored per second)}) and ``cms`` ({data set: {method: class-mean
    Interval}}), that the autoencoder gives reconstructions and residual maps too (:func:`_autoencoder_too`)."""
    found = []
    for direction, words in ((1, "significantly higher than"), (-1, "significantly lower than"),
                             (0, "not distinguishable from")):
        where = [DNAME[d] for d, r in against_knn.items() if r.direction == direction]
        if where:
            found.append(f"{words} kNN on {' and '.join(where)}")
    if against_knn and all(r.direction == 0 for r in against_knn.values()):
        head = "**What the cost buys.** Not a higher AUROC than kNN's, as far as Section 4's tests show (the verdict above)."
    else:
        head = f"**What the cost buys.** GANomaly is {'; '.join(found) or 'not compared with kNN in these rows'} (Section 4)."
    return (head + " Besides "
            "its AUROC, a GAN detector buys a model: a latent space, reconstructions and residual maps that show *where* "
            "an image is unusual; and EGBAD's and GANomaly's scoring cost does not grow with the training set, as kNN's "
            "does." + (" " + _autoencoder_too(cost, cms, tests_abl or []) if cost and cms else ""))


def _autoencoder_too(cost: dict[str, tuple[float, float]], cms: dict[str, dict[str, Interval]],
                     tests_abl: list[Paired]) -> str:
    """The autoencoder baseline also gives reconstructions and residual maps: its training time against
    GANomaly's, the GAN methods whose class mean lies below its own on every data set, and what GANomaly adds over
    its own pixel error, its latent score, with where Section 5's ablation found it better, hedged: that ablation
    does not test whether the gain needs the adversarial training.
    Empty without the autoencoder's and GANomaly's times."""
    if not {"autoencoder", "ganomaly"} <= set(cost):
        return ""
    ae, g = cost["autoencoder"][0], cost["ganomaly"][0]
    share = ae / g
    words = ("a third" if abs(share - 1 / 3) < 0.05 else "half" if abs(share - 0.5) < 0.05 else f"{share:.0%}")
    below = [m for m in GAN_METHODS if all(m in cm and "autoencoder" in cm and cm[m].mean < cm["autoencoder"].mean
                                           for cm in cms.values())]
    where = ("both data sets" if len(cms) > 1 else DNAME[next(iter(cms))])
    owners = _and_list([f"{LABEL[m]}'s" for m in below])
    tested = [r for r in tests_abl if r.n and r.baseline == "ganomaly[L_con]"]
    latent = [DNAME[r.dataset] for r in tested if r.direction > 0]
    only = " only" if 0 < len(latent) < len(tested) else ""
    # Section 5 scores one GANomaly two ways: it shows what the latent score adds over the same model's pixel error,
    # not that the adversarial training is needed for it (no autoencoder with a second encoder was run)
    return (f"The autoencoder offers reconstructions and residual maps too, at {words} of GANomaly's training time "
            f"({ae:.1f} s against {g:.1f} s)"
            + (f", and its mean AUROC is above {owners} on {where}" if below else "")
            + (f". What GANomaly adds over its own pixel error is its latent score (Section 5, {' and '.join(latent)}"
               f"{only}); whether that needs the adversarial training is not tested here: the control, an "
               "autoencoder with a second encoder, was not run." if latent else
               ". Section 5 found GANomaly's latent score not significantly better than its own pixel error."
               if tested else "."))


def why_not_knn(*, n_train: int, updates: int, grid: Profile, full_width: int, sizes_recorded: bool, budget: dict[str, dict],
                full_tests: list[Paired], tests_abl: list[Paired], knn_hardest: float | None,
                alpha: float = 0.05) -> str:
    """Three candidate reasons why GANomaly does not beat kNN (the budget, near twins, no tuning on
    anomalies), each with what the rows say about it: the grid's sizes (``grid``: a Profile, ``updates``:
    generator updates), the full-size-budget run (``budget``, with its Holm-adjusted p against ``alpha``;
    ``full_tests``), kNN's AUROC on the hardest Fashion-MNIST class and the latent-distance ablation
    (``tests_abl``)."""
    knn_above = [r.method for r in full_tests if r.direction < 0 and r.method in GAN_METHODS]
    latent_wins = [r for r in tests_abl if r.baseline == "ganomaly[L_con]" and r.n and r.direction > 0]
    budget_reason = (f"1. *The budget.* A grid GAN sees {n_train:,} images for {grid.epochs} epoch{_s(grid.epochs)}, "
                     f"about {updates:,} generator updates, at width {grid.width} where the papers use {full_width}"
                     + ("; the epochs are where the validation curves levelled off on one setting (Section 1)"
                        if sizes_recorded else
                        "; these rows predate the budget chosen on validation curves (`results/cpu/grid_budget.json`)"))
    if "ganomaly" in budget:
        g = budget["ganomaly"]
        helped = g["diff"] > 0 and g["p_holm"] < alpha
        budget_reason += (". The full-size-budget run is silent under the aim's protocol (it holds no GAN run under "
                          "one class anomalous); under one class normal, more budget "
                          f"{'helped' if helped else 'did not help'} GANomaly: its mean "
                          f"{'fell' if g['diff'] < 0 else 'rose'} by {abs(g['diff']):.3f} ("
                          + ("not significant" if g["p_holm"] >= alpha else "significant") + " after Holm)"
                          + (f" and kNN is significantly above {listed(knn_above)}" if knn_above else "")
                          + ". So the budget stays a reason these small runs cannot rule out.")
    else:
        budget_reason += ". The full-size-budget run covers one class normal on Fashion-MNIST only."
    twins = ("2. *Near twins (a hypothesis).* On the hardest Fashion-MNIST class kNN itself reaches only "
             + (f"{knn_hardest:.2f}" if knn_hardest is not None else "little")
             + ": an anomaly with close normal training images (the nearest-neighbour figure) is close to the normal "
             "data by any pixel measure, and a model of nine classes may also reproduce a tenth that shares their "
             "shapes."
             + (" Comparing codes helps GANomaly over its own pixel error on "
                + " and ".join(DNAME[r.dataset] for r in latent_wins) + " (Section 5)"
                + "".join(f", not significantly on {DNAME[r.dataset]} (latent higher on {r.wins} of {r.n} classes, "
                          f"Holm-adjusted p = {r.p_adjusted:.2g})" for r in tests_abl
                          if r.baseline == "ganomaly[L_con]" and r.n and r.direction == 0)
                + ", and nowhere enough to beat kNN's direct question: is some *training* image close?"
                if latent_wins else ""))
    tuning = ("3. *No tuning on anomalies.* Validation data hold normal images only; the honest tuning signals "
              "(validation losses, and pseudo-anomalies: normal classes held out of training, as "
              "`benchmarks/ganomaly_bag.py --pseudo` does) are proxies, and the grid tunes nothing per class. The "
              "official GANomaly code keeps the epoch with the best *test* AUC (`docs/references.md`, section 4); "
              "notebook 05 measures what that test-peeking choice adds.")
    return ("**Why GANomaly does not beat kNN here.** Three candidate reasons, none tested here as the cause: the small "
            "budget, near twins that fool any pixel measure, and no tuning on anomalies.\n\n"
            "<details><summary>The three reasons in detail (click)</summary>\n\n"
            + "\n".join((budget_reason, twins, tuning)) + "\n\n</details>")


def aim(result: Paired, interval: Interval, confidence: float = 0.95) -> str:
    """The verdict on the course's aim (GANomaly beats kNN on Fashion-MNIST, one class anomalous) from its
    paired test ``result``, with the upper end of the mean difference's t-``interval``."""
    word = {1: "**met**", 0: "**not shown** (no significant difference)", -1: "**not met**"}[result.direction]
    bound = (f" The {confidence:.0%} t-interval of the mean difference over classes (two-sided, not adjusted for the "
             f"family) has its upper end at {interval.high:+.3f} AUROC." if interval.has_interval else "")
    return (f"The course's aim, stated at the top, was *GANomaly beats kNN on Fashion-MNIST* "
            f"under one class anomalous. At this budget it is {word}. {verdict(result, interval)}.{bound}")


def aim_verdict(result: Paired, interval: Interval, confidence: float = 0.95) -> str:
    """The verdict on the course's aim (GANomaly beats kNN on Fashion-MNIST, one class anomalous) in one
    sentence: met, not shown or not met, on how many classes GANomaly is higher, the Holm-adjusted p, and
    (when not shown) the mean difference's t-``interval``, unadjusted for the family, whose upper end bounds
    how far above kNN GANomaly could be."""
    word = {1: "**met**", 0: "**not shown**", -1: "**not met**"}[result.direction]
    bound = (f"; the {confidence:.0%} t-interval of the mean difference (unadjusted for the family) is "
             f"[{interval.low:+.3f}, {interval.high:+.3f}], so these data are compatible with "
             + compatible_gap(interval, "GANomaly", "kNN") if interval.has_interval and result.direction == 0 else "")
    return (f"The course's aim, *GANomaly beats kNN on Fashion-MNIST* (one class anomalous), is {word} at this "
            f"budget: GANomaly is higher on {result.wins} of {result.n} classes, Holm-adjusted p = "
            f"{result.p_adjusted:.2g}{bound}.")


def compatible_gap(interval: Interval, a: str, b: str) -> str:
    """What a not-significant difference's interval (of ``a`` − ``b``) leaves open, worded as a bound of an
    interval, not a hard limit: "a being up to about 0.035 above b (the interval's upper end), and with b being up to
    about 0.082 above a (its lower end)"; when the interval lies on one side of 0, "a being 0.010 to 0.050 above b"
    (or b above a)."""
    lo, hi = interval.low, interval.high
    if lo < 0 < hi:
        return (f"{a} being up to about {hi:.3f} AUROC above {b} (the interval's upper end), and with {b} being up to "
                f"about {-lo:.3f} above {a} (its lower end)")
    if lo >= 0:
        return f"{a} being about {lo:.3f} to {hi:.3f} AUROC above {b} (the interval's ends)"
    return f"{b} being about {-hi:.3f} to {-lo:.3f} AUROC above {a} (the interval's ends)"


def egbad_vs_anogan(results: list[Paired]) -> str:
    """The other fixed question, does EGBAD score worse than AnoGAN?, one verdict per data set."""
    return ("The other fixed question, *does EGBAD score worse than AnoGAN?* (one class anomalous): " + "; ".join(
        f"{DNAME[r.dataset]}, EGBAD higher on {r.wins} of {r.n} classes, Holm-adjusted p = {r.p_adjusted:.2g} — "
        + {-1: "**yes**", 0: "**not shown**", 1: "**no**, EGBAD is significantly higher"}[r.direction]
        for r in results) + ".")


# --------------------------------------------------------------------------------------------
# Summary: the headline results
# --------------------------------------------------------------------------------------------

def _borderline(r: Paired) -> str:
    """" — borderline" for a Holm-adjusted p between 0.02 and the level."""
    return " — borderline" if r.p_adjusted >= 0.02 else ""


def papers_budget_line(budget: dict[str, dict], full_tests: list[Paired], full_rows: list[dict],
                       alpha: float = 0.05, section: bool = True) -> str:
    """The full-size-budget result in one clause: which methods kNN is significantly above, and whether a
    budget effect survives Holm (``section``: name Section 9 in it). Empty when that run shows no method
    below kNN."""
    lose_knn = [r.method for r in full_tests if r.direction < 0]
    if not (budget and lose_knn):
        return ""
    up, down = _budget_effects(budget, alpha)
    return (f"at the papers' sizes (Fashion-MNIST, one class normal, at most {_max_gan_seeds(full_rows, budget)} seeds "
            f"per GAN method{', Section 9' if section else ''}), kNN is significantly above {listed(lose_knn)}. "
            + (f"Budget effects after Holm: {listed(up + down)}" if up or down else
               "No method's own budget effect survives Holm's adjustment"))


def central_result(aim_result: Paired | None, aim_interval: Interval | None, cms: dict[str, dict[str, Interval]],
                   cms_pr: dict[str, dict[str, Interval]], tests_class: list[Paired], papers: str = "",
                   confidence: float = 0.95) -> str:
    """The central result: the aim's verdict, the highest mean AUROC per data set (where AUPRC's differs,
    and, when one method tops both, whether Section 4's tests put it significantly above GANomaly), and
    ``papers`` (:func:`papers_budget_line`). The significant verdicts themselves are listed once, by
    :func:`significant_after_holm`."""
    central = []
    if aim_result is not None and aim_interval is not None and aim_interval.has_interval:
        central.append("the aim, GANomaly above kNN on Fashion-MNIST under one class anomalous, is "
                       + {1: "**met**", 0: "**not shown**", -1: "**not met**"}[aim_result.direction]
                       + f" (Holm-adjusted p = {aim_result.p_adjusted:.2g}; the {confidence:.0%} interval of the mean "
                       f"difference over classes has its upper end at {aim_interval.high:+.3f} AUROC)")
    tops = {d: max(cm, key=lambda m: cm[m].mean) for d, cm in cms.items()}
    tops_pr = {d: max(cms_pr[d], key=lambda m: cms_pr[d][m].mean) for d in cms}
    pr_differs = [d for d in tops if tops_pr[d] != tops[d]]
    by_pr = ("; by AUPRC " + "; ".join(f"{LABEL[tops_pr[d]]} is highest on {DNAME[d]}" for d in pr_differs)
             + ", Section 3"
             if pr_differs else "")
    if len(tops) > 1 and len(set(tops.values())) == 1:
        m_top = next(iter(tops.values()))
        line = (f"{LABEL[m_top]} has the highest mean AUROC on both data sets, one class anomalous ("
                + "; ".join(f"{DNAME[d]} {cms[d][m_top].format()}" for d in tops) + by_pr + ")")
        vs = [r for r in tests_class if r.n and {r.method, r.baseline} == {m_top, "ganomaly"}]
        if m_top != "ganomaly" and vs:
            above = [DNAME[r.dataset] for r in vs if r.direction and _higher(r) == m_top]
            level = [DNAME[r.dataset] for r in vs if not r.direction]
            below = [DNAME[r.dataset] for r in vs if r.direction and _lower(r) == m_top]
            if not (above or below):
                line += ", but not significantly above GANomaly's on " + ("either" if len(level) > 1 else level[0])
            else:
                line += "; " + ", ".join(part for part in (
                    f"significantly above GANomaly's on {' and '.join(above)}" if above else "",
                    f"not significantly on {' and '.join(level)}" if level else "",
                    f"significantly below it on {' and '.join(below)}" if below else "") if part)
            line += " (Section 4)"
        central.append(line)
    elif tops:
        central.append("the highest mean AUROC, one class anomalous: "
                       + "; ".join(f"{LABEL[m]}'s on {DNAME[d]}, {cms[d][m].format()}" for d, m in tops.items())
                       + (f" ({by_pr[2:]})" if by_pr else ""))
    if papers:
        central.append(papers)
    return "**Central result.**\n" + "\n".join(f"  * {c if c.startswith('kNN') else c[:1].upper() + c[1:]}."
                                                for c in central)


def headline_bullets(aim_result: Paired | None, aim_interval: Interval | None, cms: dict[str, dict[str, Interval]],
                     cms_pr: dict[str, dict[str, Interval]], tests_class: list[Paired],
                     confidence: float = 0.95, unadjusted: bool = False) -> list[str]:
    """The headline's central results under one class anomalous, in plain words, one sentence each: the aim's
    verdict (on how many classes GANomaly is higher, the Holm-adjusted p and how far above kNN the interval
    allows it; ``unadjusted``: say that this interval is not adjusted for the family); the highest mean AUROC per data set and whether Section 4's tests put that method
    significantly above GANomaly (and AUPRC's highest where it differs); and the significant verdicts of
    the main family, saying which put a GAN method above a baseline."""
    out = []
    if aim_result is not None and aim_result.n:
        out.append("The course's aim, GANomaly above kNN on Fashion-MNIST (one class anomalous), is "
                   + {1: "**met**", 0: "**not shown**", -1: "**not met**"}[aim_result.direction]
                   + f": GANomaly is higher on {aim_result.wins} of {aim_result.n} classes (Holm-adjusted p = "
                   f"{aim_result.p_adjusted:.2g})"
                   + (f", and the {confidence:.0%} interval of the mean difference"
                      + (" (unadjusted)" if unadjusted else "") + " is compatible with "
                      + compatible_gap(aim_interval, "GANomaly", "kNN") if aim_interval is not None
                      and aim_interval.has_interval and aim_result.direction == 0 else "") + ".")
    tops = {d: max(cm, key=lambda m: cm[m].mean) for d, cm in cms.items()}
    tops_pr = {d: max(cms_pr[d], key=lambda m: cms_pr[d][m].mean) for d in cms}
    # where AUPRC puts another method first: an order of means, said with its intervals and as untested
    pr_note = " ".join(
        f"By AUPRC, {LABEL[tops_pr[d]]}'s mean is higher than {LABEL[tops[d]]}'s on {DNAME[d]} "
        f"({cms_pr[d][tops_pr[d]].format()} against {cms_pr[d][tops[d]].format()}): an order of means"
        + ("; the intervals overlap" if cms_pr[d][tops_pr[d]].low <= cms_pr[d][tops[d]].high else "")
        + "; not tested (Section 3)." for d in tops if tops_pr[d] != tops[d])
    if len(tops) > 1 and len(set(tops.values())) == 1:
        m_top = next(iter(tops.values()))
        line = (f"{LABEL[m_top]} has the highest mean AUROC on both data sets ("
                + ", ".join(f"{DNAME[d]} {cms[d][m_top].mean:.3f}" for d in tops) + ")")
        vs = [r for r in tests_class if r.n and {r.method, r.baseline} == {m_top, "ganomaly"}]
        if m_top != "ganomaly" and vs:
            above = [DNAME[r.dataset] for r in vs if r.direction and _higher(r) == m_top]
            line += (f", significantly above GANomaly's on {' and '.join(above)}" if above else
                     ", but not significantly above GANomaly's on " + ("either" if len(vs) > 1 else DNAME[vs[0].dataset]))
            line += " (Section 4)"
        out.append(line + "." + (f" {pr_note}" if pr_note else ""))
    elif tops:
        out.append("The highest mean AUROC: " + "; ".join(f"{LABEL[m]}'s on {DNAME[d]} ({cms[d][m].mean:.3f})"
                                                          for d, m in tops.items())
                   + "." + (f" {pr_note}" if pr_note else ""))
    tested = [r for r in tests_class if r.n]
    if tested:
        sig = [r for r in tested if r.direction]
        gan_up = [r for r in sig if _higher(r) in GAN_METHODS and _lower(r) in BASELINES]
        if not sig:
            out.append(f"None of the {len(tested)} main tests is significant after Holm's adjustment (Section 4).")
        else:
            out.append(f"{'Only ' if len(sig) == 1 else ''}{len(sig)} of the {len(tested)} main tests (Section 4) "
                       f"{'is' if len(sig) == 1 else 'are'} significant after Holm's adjustment"
                       + (", and it puts a GAN method above a baseline" if len(sig) == 1 and gan_up else
                          f", {len(gan_up)} of them a GAN method above a baseline" if len(sig) > 1 else "")
                       + ": " + "; ".join(side(r) for r in sig) + ".")
    return out


def other_protocol_bullet(section: str, text: str) -> str:
    """A headline bullet for a result under another protocol than the aim's, labelled with its ``section``
    ("Other protocol, Section 9: ..."); empty when ``text`` is."""
    if not text:
        return ""
    text = text[:1].lower() + text[1:] if text[1:2].islower() else text
    return f"*Other protocol, {section}:* {text}" + ("" if text.endswith(".") else ".")


def protocol_verdicts_line(protocol: str, tests: list[Paired], failed: dict[str, list] | None = None,
                           hedge_check: dict[str, tuple] | None = None, why: dict[str, str] | None = None,
                           alpha: float = 0.05) -> str:
    """The significant verdicts of one family in one sentence, for the headline: per data set, who is above
    whom, grouped by the lower method ("Autoencoder, PCA and kNN above GANomaly"), with the range of classes
    and Holm-adjusted p-values, "borderline" when every one is between 0.02 and ``alpha``; a data set with
    failed seeds (``failed``) carries its hedge in short (``hedge_check`` and ``why`` as in
    :func:`significant_after_holm`). Empty when no pair was tested."""
    if not any(r.n for r in tests):
        return ""
    sig = [r for r in tests if r.n and r.direction]
    if not sig:
        return f"under {protocol}, no test is significant after Holm's adjustment"

    parts = []
    for d, sd, below in _significant_by_dataset(sig):
        wins = [max(r.wins, r.losses) for r in sd]
        p_adj = _span([r.p_adjusted for r in sd], ".2g")
        part = (f"on {DNAME[d]}, " + ", and ".join(f"{listed(up)} above {LABEL[lo]}" for lo, up in below.items())
                + f" ({_span(wins, 'd')} of {sd[0].n} classes, Holm-adjusted p " + ("" if " to " in p_adj else "= ")
                + p_adj + (", borderline" if all(0.02 <= r.p_adjusted < alpha for r in sd) else "") + ")")
        if (failed or {}).get(d):
            kept, checked, untested = (hedge_check or {}).get(d, (0, 0, []))
            part += (" — hedged: small runs with failed seeds"
                     + (f" ({why[d]})" if why and why.get(d) else "")
                     + (f"; without those seeds {kept} of the {checked} verdicts that involve them stay significant"
                        if checked else "")
                     + ("; the check does not cover " + " and ".join(f"{LABEL[r.method]} − {LABEL[r.baseline]}"
                                                                     for r in untested) if untested else ""))
        parts.append(part)
    parts[1:] = [p[:1].upper() + p[1:] for p in parts[1:]]
    return f"under {protocol}, significant after Holm's adjustment: " + ". ".join(parts)


def significant_after_holm(protocol: str, tests: list[Paired], failed: dict[str, list] | None = None,
                           hedge_check: dict[str, tuple] | None = None, why: dict[str, str] | None = None) -> str:
    """The significant verdicts of one family, one sub-item per data set, borderline ones flagged (with the
    flag's note: with at most ten classes per test, every verdict is one or two classes from the line); a data set whose
    runs had failed seeds (``failed``) carries its hedge (``hedge_check``: {data set: (verdicts that stay
    significant in the same direction, verdicts checked, verdicts the check cannot test)}; ``why``: {data set:
    why the seeds failed, :func:`failed_cause_short`}). Empty when no pair was tested."""
    if not any(r.n for r in tests):
        return ""
    failed, hedge_check = failed or {}, hedge_check or {}
    sig = [r for r in tests if r.n and r.direction]
    groups = []
    for d in DNAME:
        sd = [r for r in sig if r.dataset == d]
        if not sd:
            continue
        line = f"  * {DNAME[d]}: " + "; ".join(side(r, with_dataset=False) + _borderline(r) for r in sd) + "."
        if failed.get(d):
            kept, checked, untested = hedge_check.get(d, (0, 0, []))
            line += (f" *Hedged (Section 6): these {DNAME[d]} verdicts come from small runs with failed seeds"
                     + (f" ({why[d]})" if why and why.get(d) else "")
                     + (f"; without those seeds {kept} of the {checked} verdicts involving their methods stay "
                        "significant in the same direction" if checked else "")
                     + ("; the check does not cover " + " and ".join(f"{LABEL[r.method]} − {LABEL[r.baseline]}"
                                                                     for r in untested) if untested else "")
                     + ".*")
        groups.append(line)
    n_max = max((r.n for r in sig), default=0)
    return (f"Significant after Holm, {protocol}:" + ("\n" + "\n".join(groups) if groups else " nothing.")
            + (" (*Borderline*: a Holm-adjusted p between 0.02 and 0.05.)"
               + (f" With {n_max if n_max < 10 else 'ten'} classes, every verdict here is one or two classes from the "
                  "line." if n_max <= 10 else "") if any(r.p_adjusted >= 0.02 for r in sig) else ""))


def budget_change_line(grid_gk: Paired | None, did: dict | None, full_tests: list[Paired],
                       alpha: float = 0.05) -> str:
    """GANomaly − kNN between the two budgets, when the grid's test found no difference and kNN is
    significantly above some method at the full-size budget (``full_tests``): the post-hoc test of its
    change (``did``). Empty otherwise."""
    if not any(r.direction < 0 for r in full_tests):
        return ""
    if grid_gk is None or not grid_gk.n or grid_gk.direction != 0 or did is None:
        return ""
    return ("GANomaly − kNN, not significant under one class normal at the grid's budget, changed by "
            f"{did['mean']:+.3f} between the two runs (p = {did['p']:.2g}, one post-hoc test outside any Holm family): "
            + ("beyond chance, but the runs differ in more than budget." if did["p"] < alpha else
               "not itself significant."))


def headline(items: list[str]) -> str:
    """The headline results: one bullet per non-empty item."""
    return "**Headline results.**\n\n" + "\n".join(f"* {h}" for h in items if h)


def _reversal(tests_a: list[Paired], tests_n: list[Paired]) -> tuple[Paired, Paired] | None:
    """A pair significant under both protocols in opposite directions (the first by the anomalous family's order)."""
    by_n = {_key(r): r for r in tests_n if r.n and r.direction}
    for r in tests_a:
        if not (r.n and r.direction):
            continue
        o = by_n.get(_key(r))
        if o is not None and o.direction == -r.direction:
            return r, o
    return None


def protocol_lesson(cms: dict[str, dict[str, Interval]], cms_normal: dict[str, dict[str, Interval]],
                    tests_a: list[Paired] | None = None, tests_n: list[Paired] | None = None,
                    rows_a: list[dict] | None = None, rows_n: list[dict] | None = None) -> str:
    """The Summary's lesson on protocols: where a paired verdict is significant under both protocols in opposite
    directions (``tests_a``: one class anomalous, ``tests_n``: one class normal), that tested reversal first, with
    the training sizes the protocol change also moves (median ``n_train`` of ``rows_a`` and ``rows_n``); then the
    method with the highest mean over classes per data set under each protocol (``cms``, ``cms_normal``), marked as
    orders of means, not tests (the means themselves are in Section 6). Empty without both protocols."""
    both = [d for d in cms if d in cms_normal and cms[d] and cms_normal[d]]
    if not both:
        return ""
    lead = ""
    rev = _reversal(tests_a or [], tests_n or [])
    if rev is not None:
        a, n = rev
        sign = {1: "positive", -1: "negative"}
        lead = (f"The protocol can reverse a tested verdict: {LABEL[a.method]} − {LABEL[a.baseline]} on "
                f"{DNAME[a.dataset]} is significantly {sign[a.direction]} under one class anomalous (Holm-adjusted "
                f"p = {a.p_adjusted:.2g}, Section 4) and significantly {sign[n.direction]} under one class normal "
                f"(p = {n.p_adjusted:.2g}, Section 6). ")
        if rows_a and rows_n and any(r["dataset"] == a.dataset for r in rows_a) and \
                any(r["dataset"] == a.dataset for r in rows_n):
            na, nn = _median(rows_a, a.dataset, "n_train"), _median(rows_n, a.dataset, "n_train")
            if na != nn:
                lead += (f"The change also moves a run's training set from {na:,} to {nn:,} images there, so it mixes "
                         "protocol with training size. ")
    top_a = {d: max(cms[d], key=lambda m: cms[d][m].mean) for d in both}
    top_n = {d: max(cms_normal[d], key=lambda m: cms_normal[d][m].mean) for d in both}

    def tops(top: dict[str, str]) -> str:
        if len(both) > 1 and len(set(top.values())) == 1:
            return f"{LABEL[next(iter(top.values()))]} on {'both data sets' if len(both) == 2 else 'every data set'}"
        return _and_list([f"{LABEL[m]} on {DNAME[d]}" for d, m in top.items()])

    changed = top_a != top_n
    return lead + ((f"{'The highest mean moves too' if lead else 'The protocol reorders the methods'}: the highest mean "
                    f"AUROC is {tops(top_a)} under one class anomalous, {tops(top_n)} under one class normal"
                    if changed else
                    f"The protocol moves every mean, though the highest stays {tops(top_a)} under both protocols")
                   + " (orders of means, not tests; Section 6). A comparison holds "
                   "for its protocol only.")


def cost_lesson(cost: dict[str, tuple[float, float]], cms: dict[str, dict[str, Interval]]) -> str:
    """The Summary's lesson on cost (one sentence): how many times slower AnoGAN's latent search scores than
    EGBAD's and GANomaly's single pass (``cost``: {method: (median training seconds, images scored per second)}), and
    which of the two reach a higher mean AUROC than AnoGAN on every data set of ``cms``. Empty without the three."""
    if not {"anogan", "egbad", "ganomaly"} <= set(cost):
        return ""
    ratio = sorted(cost[m][1] / cost["anogan"][1] for m in ("egbad", "ganomaly"))
    above = [m for m in ("egbad", "ganomaly") if all(m in cm and "anogan" in cm and cm[m].mean > cm["anogan"].mean
                                                     for cm in cms.values())]
    where = "both data sets" if len(cms) == 2 else "every data set"
    # an order of means, not a test: say whether the class-mean intervals lie apart
    apart = all(cm[m].has_interval and cm["anogan"].has_interval and cm[m].low > cm["anogan"].high
                for m in above for cm in cms.values())
    # intervals apart do not settle an order (Section 4's fold), so both cases say it was not tested
    note = ("an order of means, not tested, though their intervals lie apart; " if apart
            else "an order of means, not tested; ") if above else ""
    return (f"Cost is a result too: AnoGAN's latent search scores about {ratio[0]:.0f} to {ratio[1]:.0f} times slower "
            "than EGBAD's and GANomaly's single forward pass"
            + (f", and {LABEL[above[0]]}, about {cost[above[0]][1] / cost['anogan'][1]:.0f} times faster to score, "
               f"also has a higher mean AUROC than AnoGAN on {where}" if len(above) == 1 else
               f", and {listed(above)}, both faster to score, also have a higher mean AUROC than AnoGAN on {where}"
               if above else "") + f" ({note}Section 8).")


# --------------------------------------------------------------------------------------------
# Notebook 06, short readings: the provenance line, why whole seeds failed, one headline bullet per data
# set, the summary figure and the count of tests
# --------------------------------------------------------------------------------------------

def _own_thread_lines(lines: list[dict]) -> list[dict]:
    """The lines of ``benchmarks/grid_reproduce.py``'s CSV re-run on the thread count their row first ran on
    (the lines that test the code version, not the thread count)."""
    from .experiments import cpu_grid_threads

    return [x for x in lines if x["auroc_now"] and int(x["threads"]) == cpu_grid_threads(int(x["row"]))]


def provenance_short(lines: list[dict]) -> str:
    """Section 1's one visible sentence on provenance (Markdown): whether the rows re-run at one commit, each on its
    own thread count (``lines``: the re-run CSV's lines), gave their recorded AUROC, and so that the seeds' spread is
    not the code versions'. Rows re-run on another thread count are the Appendix's (:func:`reproduction_threads`);
    the other details are :func:`reproduction_line`, :func:`provenance` and :func:`reproduction`. Empty without a
    re-run."""
    own = _own_thread_lines(lines)
    if not own:
        return ""
    worst = max(abs(float(x["auroc_now"]) - float(x["auroc_then"])) for x in own)
    text = (f"**Provenance.** A re-run of {len(own)} sampled rows at one commit "
            + ("gave their recorded AUROC to all six decimals" if worst < 5e-7 else
               f"gave their recorded AUROC (to within {worst:.6f})" if worst < REPRO_TINY else
               f"moved some results by up to {worst:.4f}, so the code version changes results"))
    if worst < REPRO_TINY:
        # why it matters: the grid ran over several code versions, and the seeds' spread must not be theirs
        text += ", so code changes did not move these numbers"
    return text + "."


def reproduction_line(lines: list[dict]) -> str:
    """Section 1's provenance in one plain line (Markdown): every row records its commit, and how many of the
    rows re-run at one commit (each on its own thread count) gave their recorded AUROC to six decimals, and
    how far the others moved. Empty without a re-run. The details are :func:`provenance` and
    :func:`reproduction`."""
    own = _own_thread_lines(lines)
    if not own:
        return ""
    diff = [abs(float(x["auroc_now"]) - float(x["auroc_then"])) for x in own]
    rest = [d for d in diff if d >= 5e-7]
    text = ("**Provenance.** Every row records the commit of the code that produced it. The code changed between "
            "the sessions that ran the grid, so a sample of rows was run again with one version of the code, to "
            "see whether those changes moved any result. ")
    if not rest:
        return text + f"All {len(own)} rows re-run at one commit give their recorded AUROC to 6 decimals."
    return (text + f"{len(own) - len(rest)} of the {len(own)} rows re-run at one commit give their recorded AUROC to "
            f"6 decimals; the other{'' if len(rest) == 1 else f' {len(rest)}'} "
            f"{'differs' if len(rest) == 1 else 'differ'} by {'' if len(rest) == 1 else 'at most '}{max(rest):.6f}"
            + (" (the order of floating-point sums)." if max(rest) < REPRO_TINY else
               ", so the code version changes results."))


def seed_checks(failed: list, evidence: dict, code_reproduced: bool | None,
                tiny: float = REPRO_TINY) -> tuple[str | None, bool]:
    """What tells a failed seed's training run from its split and its code version: ``(code, split)``.

    A seed fixes the split, the initial weights and the batch order, and the grid's seeds ran on different
    code versions. ``code`` is "own" when Section 1's re-run at one commit (``code_reproduced`` True) holds a
    row of every failed seed and each gave its recorded AUROC (to ``tiny``); "labels" when it holds no row of
    some seed but re-ran, for the same method, rows of every commit label that seed ran under; None
    otherwise. ``split`` is whether PCA's and kNN's class means (which involve no training run) span less,
    over the same seeds' splits, than the smallest drop of a failed seed below its method's other seeds.

    ``failed``: [(method, seed, its class mean, the other seeds' class means)]; ``evidence``: {"rerun":
    {(method, seed): the re-run lines of that very seed}, "labels": {(method, seed): its commit labels},
    "labels_rerun": {(method, seed): those of its labels the re-run covered for its method},
    "steady": {"pca" / "knn": Interval of the class mean over seeds}}."""
    if not failed:
        return None, False
    code = None
    own = [evidence.get("rerun", {}).get((m, s), []) for m, s, *_ in failed]
    if code_reproduced and all(abs(float(x["auroc_now"]) - float(x["auroc_then"])) < tiny for xs in own for x in xs):
        if all(own):
            code = "own"
        elif all(xs or set(evidence["labels"][(m, s)]) <= set(evidence["labels_rerun"][(m, s)])
                 for (m, s, *_), xs in zip(failed, own)):
            code = "labels"
    steady = evidence.get("steady", {})
    drop = min(min(others) - v for _, _, v, others in failed)
    split = bool({"pca", "knn"} <= set(steady) and all(steady[m].has_interval for m in ("pca", "knn"))
                 and max(steady[m].high - steady[m].low for m in ("pca", "knn")) < drop)
    return code, split


def failed_seeds_cause(failed: list, evidence: dict, code_reproduced: bool | None) -> str:
    """Why whole seeds failed, in one clause for a hedge or a summary, as far as :func:`seed_checks` tells:
    "the seeds' training runs (initial weights, batch order), not their splits or code versions" when both
    checks hold. Empty without failed seeds."""
    if not failed:
        return ""
    code, split = seed_checks(failed, evidence, code_reproduced)
    one = len(failed) == 1
    run, its, s_ = ("the seed's training run", "its", "") if one else ("the seeds' training runs", "their", "s")
    if code == "own" and split:
        return (f"most likely {run} (initial weights, batch order, thread count); the checks rule out {its} code "
                f"version{s_} "
                f"and make a split effect unlikely")
    if code and split:
        return (f"most likely {run} (initial weights, batch order, thread count); the checks make a split effect "
                "unlikely and, "
                f"as far as the re-run tests {'it' if one else 'them'}, rule out {its} code version{s_}")
    if split:
        return f"{run} or {its} code version{s_}, not {its} split{s_}"
    if code == "own":
        return f"{run} or {its} split{s_}, not {its} code version{s_}"
    return f"{run}, {its} split{s_} or {its} code version{s_}: the rows cannot tell which"


def _failed_who(failed: list) -> str:
    """The failed seeds, each with its class mean against the method's other seeds' (for the two readings below)."""
    return _and_list([f"{LABEL[m]}'s seed {s} (class mean {v:.3f}, against {' and '.join(f'{w:.3f}' for w in others)})"
                      for m, s, v, others in failed])


def failed_seeds_brief(dataset: str, failed: list, evidence: dict, code_reproduced: bool | None,
                       section: str = "Section 3") -> str:
    """Why whole seeds failed on ``dataset``, short, for a section after the one whose
    :func:`failed_seeds_reading` explains the two checks (``section``): which seeds, the cause the checks leave
    (:func:`failed_seeds_cause`) and the values each check rests on here, in one sentence each. Empty without
    failed seeds."""
    if not failed:
        return ""
    code, split = seed_checks(failed, evidence, code_reproduced)
    one = len(failed) == 1
    who = _failed_who(failed)
    text = (f"**Why whole seeds failed on {DNAME[dataset]}.** {who} failed as a whole. {section}'s two checks, applied "
            f"here: the cause is {failed_seeds_cause(failed, evidence, code_reproduced)}.")
    if code == "own":
        text += (" Section 1's re-run at one commit holds a row of " + ("this seed" if one else "each failed seed")
                 + " and reproduced " + ("it" if one else "each") + ".")
    elif code == "labels":
        text += " Section 1's re-run reproduced rows of every commit label these seeds ran under, on other settings."
    steady = evidence.get("steady", {})
    if {"pca", "knn"} <= set(steady) and all(steady[m].has_interval for m in ("pca", "knn")):
        width = max(steady[m].high - steady[m].low for m in ("pca", "knn"))
        drop = min(round(min(others), 3) - round(v, 3) for _, _, v, others in failed)
        text += (f" On the same seeds' splits PCA's and kNN's class-mean intervals are at most {width:.3f} wide, "
                 f"against {'a drop' if one else 'drops'} of at least {drop:.3f}." if split else
                 f" PCA's and kNN's class means span up to {width:.3f} on the same seeds' splits, so the split is not "
                 "ruled out.")
    return text


def failed_seeds_reading(dataset: str, failed: list, evidence: dict, code_reproduced: bool | None,
                         rows: list[dict] | None = None) -> str:
    """Why whole seeds failed on ``dataset`` (Markdown, short sentences): which seeds (their class mean
    against the method's other seeds), what a seed fixes, the two checks of :func:`seed_checks` with the
    values they rest on (the re-run lines of those very seeds, recorded and re-run, as the CSV gives them;
    PCA's and kNN's class means with their intervals), and the cause they leave (:func:`failed_seeds_cause`).
    Without a re-run that reproduced, the code-version item is :func:`failed_cause` (``rows``: every row, both
    protocols; ``evidence["protocol"]``: the seeds' protocol). Empty without failed seeds."""
    if not failed:
        return ""
    code, split = seed_checks(failed, evidence, code_reproduced)
    one = len(failed) == 1
    who = _failed_who(failed)
    text = (f"**Why whole seeds failed on {DNAME[dataset]}.** {who} failed as a whole. "
            + ("It widens its method's interval. " if one else "Each widens its method's interval. ")
            + "A seed fixes the split, the initial weights and the batch order. The seeds also ran on different code "
            "versions (Section 1). Two checks tell these apart.\n\n")
    if code == "own":
        lines = [x for m, s, *_ in failed for x in evidence["rerun"][(m, s)]]
        code_item = ("* *Not the code version.* Section 1's re-run at one commit includes "
                     + ("a row of this seed" if one else "a row of each failed seed") + ". "
                     + ("It gives" if len(lines) == 1 else "Each gives") + " its recorded AUROC: "
                     + "; ".join(f"{LABEL[x['method']]}, class {x['class']}, seed {x['seed']} ({x['git_commit_then']}): "
                                 f"{x['auroc_then']} recorded, {x['auroc_now']} re-run" for x in lines) + ".")
    elif code == "labels":
        missing = [(m, s) for m, s, *_ in failed if not evidence["rerun"].get((m, s))]
        code_item = ("* *Not the code version, as far as tested.* Section 1's re-run holds no row of "
                     + _and_list([f"{LABEL[m]}'s seed {s}" for m, s in missing]) + ". It did re-run "
                     + "; ".join(f"{LABEL[m]} rows of all {len(evidence['labels'][(m, s)])} commit labels "
                                 f"that seed ran under ({', '.join(evidence['labels'][(m, s)])}; a row's commit label "
                                 "names the commit whose code produced it)" for m, s in missing)
                     + ", on other settings. Each gave its recorded AUROC.")
    elif code_reproduced:
        code_item = ("* *The code version, partly tested.* Section 1's re-run reproduced every row it re-ran, but it "
                     "holds no row of every failed seed, nor of every commit label they ran under.")
    else:
        code_item = ("* *The code version.* "
                     + (failed_cause(rows, dataset, evidence.get("protocol", ""), failed, code_reproduced) if rows
                        else "Section 1 has no re-run that settles it."))
    steady = evidence.get("steady", {})
    if {"pca", "knn"} <= set(steady):
        pk = ", ".join(f"{LABEL[m]} {steady[m].format()}" for m in ("pca", "knn"))
        width = max(steady[m].high - steady[m].low for m in ("pca", "knn"))
        drop = min(round(min(others), 3) - round(v, 3) for _, _, v, others in failed)  # from the means as shown
        split_item = ("* *Not the split.* PCA and kNN involve no training run that could fail. On the same seeds' "
                      f"splits their class means stay tight: {pk}. Those intervals are at most {width:.3f} wide; "
                      f"the failed {'seed drops' if one else 'seeds drop'} by at least {drop:.3f}." if split else
                      f"* *The split is not ruled out.* PCA's and kNN's class means also move between the same seeds: "
                      f"{pk}.")
    else:
        split_item = "* *The split is not checked:* no PCA or kNN runs on the same seeds."
    if code and split:
        # the two checks rule things out; they do not prove the training run is the cause. What makes it plausible is
        # how unstable training is: Section 1's rows re-run on another thread count (evidence["thread_moved"])
        moved = evidence.get("thread_moved") or []
        run = "the seed's training run" if one else "the seeds' training runs"
        return (text + code_item + "\n" + split_item + "\n\nSo the checks rule out the code version"
                + ("" if code == "own" else ", as far as the re-run tests it,")
                + " and make a split effect unlikely (the split does not move the pixel methods, though a GAN could be "
                f"more sensitive to it). What is left is {run} (initial weights, batch order, and the thread count "
                f"{'it' if one else 'they'} ran on)"
                + (f", and training here is unstable enough for that: changing only the thread count moved a re-run "
                   f"AUROC by {min(moved):.4f} to {max(moved):.4f} (Section 1)." if moved else "."))
    cause = failed_seeds_cause(failed, evidence, code_reproduced)
    return text + code_item + "\n" + split_item + f"\n\nSo the cause is {cause}."


def _significant_by_dataset(sig: list[Paired]):
    """Per data set (in :data:`DNAME`'s order) with significant tests: (data set, its tests, {lower method:
    [the methods above it]}), the grouping the verdict lines say ("Autoencoder, PCA and kNN above GANomaly")."""
    for d in DNAME:
        sd = [r for r in sig if r.dataset == d]
        if sd:
            below: dict[str, list[str]] = {}
            for r in sd:
                below.setdefault(_lower(r), []).append(_higher(r))
            yield d, sd, below


def _span(values: list, fmt: str) -> str:
    """"0.016", "0.016 to 0.023", or for whole numbers one apart "9 or 10"."""
    lo, hi = min(values), max(values)
    if format(lo, fmt) == format(hi, fmt):
        return format(lo, fmt)
    return f"{format(lo, fmt)} {'or' if fmt == 'd' and hi == lo + 1 else 'to'} {format(hi, fmt)}"


def _hedged_share(sig: list[Paired], failed: list | None, section: str) -> str:
    """The headline's hedge on one data set's verdicts ``sig`` where seeds failed (``failed``, as from
    :func:`comparison.failed_seeds`): small runs, and how many of the verdicts involve a method with a failed seed."""
    if not failed:
        return ""
    lost = {m for m, *_ in failed}
    k = sum(bool({r.method, r.baseline} & lost) for r in sig)
    return (f" Hedged: small runs, failed seeds ({section})." if k == len(sig) else
            f" Hedged: small runs; {k} of the {len(sig)} involve a method with a failed seed ({section}).")


def protocol_verdict_bullets(section: str, protocol: str, tests: list[Paired], failed: dict[str, list] | None = None,
                             alpha: float = 0.05) -> list[str]:
    """The significant verdicts of one family for the headline, one short bullet per data set: who is above
    whom (grouped by the lower method), the range of classes and of Holm-adjusted p ("borderline" when every
    one lies between 0.02 and ``alpha``); a data set with failed seeds (``failed``) is marked "hedged: small
    runs, failed seeds", with ``section``, which reads the hedge. One bullet when nothing is significant,
    none when no pair was tested."""
    if not any(r.n for r in tests):
        return []
    sig = [r for r in tests if r.n and r.direction]
    if not sig:
        return [f"*Other protocol, {section}:* under {protocol}, no test is significant after Holm's adjustment."]
    out = []
    for d, sd, below in _significant_by_dataset(sig):
        p_adj = _span([r.p_adjusted for r in sd], ".2g")
        out.append(f"*Other protocol, {section}, {DNAME[d]}:* under {protocol}, significant after Holm's adjustment: "
                   + ", and ".join(f"{listed(up)} above {LABEL[lo]}" for lo, up in below.items())
                   + f" ({_span([max(r.wins, r.losses) for r in sd], 'd')} of {sd[0].n} classes, Holm-adjusted p "
                   + ("" if " to " in p_adj else "= ") + p_adj
                   + ("; borderline: it may not survive other seeds" if all(0.02 <= r.p_adjusted < alpha for r in sd)
                      else "") + ")."
                   + _hedged_share(sd, (failed or {}).get(d), section))
    return out


def summary_figure_reading(cms: dict[str, dict[str, Interval]], confidence: float = 0.95) -> str:
    """Reading the figure of means over classes: what a bar and a whisker are, the highest bar and the
    highest GAN bar per data set, the longest whisker, and that overlapping whiskers settle no order.
    ``cms``: {data set: :func:`comparison.class_mean_stats`}."""
    if not cms:
        return ""
    tops = {d: max(cm, key=lambda m: cm[m].mean) for d, cm in cms.items()}
    gans = {d: max((m for m in GAN_METHODS if m in cm), key=lambda m: cm[m].mean, default=None) for d, cm in cms.items()}

    def per_data(best: dict[str, str | None], what: str) -> str:
        if len(best) > 1 and len(set(best.values())) == 1:
            return (f"the {what} is {LABEL[next(iter(best.values()))]}'s on "
                    f"{'both data sets' if len(best) == 2 else 'every data set'}")
        return f"the {what} is " + "; ".join(f"{LABEL[m]}'s on {DNAME[d]}" for d, m in best.items() if m)

    text = (f"**What to see:** each bar is a method's mean AUROC over the classes; its whisker is the {confidence:.0%} "
            f"interval over seeds. T{per_data(tops, 'highest bar')[1:]}")
    if any(gans[d] and gans[d] != tops[d] for d in cms):
        text += f", and {per_data(gans, 'highest GAN bar')}"
    spans = [(cm[m].high - cm[m].low, d, m) for d, cm in cms.items() for m in cm if cm[m].has_interval]
    if spans:
        _, d, m = max(spans)
        text += f". The longest whisker is {LABEL[m]}'s on {DNAME[d]}, {cms[d][m].format()}"
    return text + ". Whiskers that overlap do not settle an order: Section 4 tests it."


def many_tests(families: dict[str, int], n_posthoc: int = 0, alpha: float = 0.05, illustrations: bool = False) -> str:
    """The pitfall of many tests, with this notebook's own count: how many tests it reads, per family, and
    that Holm holds the chance of a false "significant" at ``alpha`` within each family only; a post-hoc
    test outside every family is exploratory; with ``illustrations``, that the per-run tests, the hedge's
    re-tests and the pilot's test are not counted (illustrations, not verdicts). ``families``: {family name:
    tests in it}."""
    fams = {k: v for k, v in families.items() if v}
    total = sum(fams.values()) + n_posthoc
    parts = [f"{v} {k}" for k, v in fams.items()] + ([f"{n_posthoc} post-hoc"] if n_posthoc else [])
    return ("* **Many tests at once.** Some come out \"significant\" by chance: adjust (Holm), or at least say how "
            f"many tests you ran. This notebook reads {total} tests: {_and_list(parts)}. Holm keeps the chance of a "
            f"false \"significant\" at most {alpha:g} *within each family* ({len(fams)} families), not over all "
            f"{total}." + (" The post-hoc test belongs to no family: read it as exploratory." if n_posthoc == 1 else
                           " The post-hoc tests belong to no family: read them as exploratory." if n_posthoc else "")
            + (" Not counted, since none is a verdict: the per-run tests (Section 4) and the hedge's re-tests without "
               "the failed seeds (Section 6), which illustrate, and the pilot grid's test, reported for context."
               if illustrations else ""))


# ============================================================================================
# Notebook 05: GANomaly
# ============================================================================================

def _names(names: list[str]) -> str:
    """Names as a comma-separated list, "none" when there are none."""
    return ", ".join(names) or "none"


def validation_rule(best_epoch: int, val_curve: np.ndarray | list[float], weighted_last: dict[str, float], *,
                    value_only: bool = False, three_figures: bool = False) -> str:
    """What the validation rule kept (epoch ``best_epoch`` of the validation ``val_curve``) and which
    weighted loss term (``weighted_last``: {"L_con": w_con L_con, ...} over the last epoch) drives training.
    ``value_only``: claim only the objective's value (which term moves the weights is the gradients'
    question, :func:`what_drives`). ``three_figures``: every term to three significant figures, trailing zeros
    kept (3.40, not 3.4)."""
    n = len(val_curve)
    text = f"**What the validation rule did:** it kept epoch {best_epoch} of {n}"
    if best_epoch == n:
        text += ": validation $\\mathcal{L}_{con}$ was still falling, so a longer run could still improve the reconstructions."
    else:
        text += (f": by the last epoch validation $\\mathcal{{L}}_{{con}}$ was {val_curve[-1] / min(val_curve):.2f} "
                 "times its lowest value, so the later weights were not kept.")
    fmt = "#.3g" if three_figures else ".3g"
    terms = ", ".join(f"$w_{{{k[2:]}}}\\mathcal{{L}}_{{{k[2:]}}}$ {v:{fmt}}" for k, v in weighted_last.items())
    top = max(weighted_last, key=weighted_last.get)
    if value_only:
        return (text + f" In the last epoch, weighted as in $\\mathcal{{L}}$: {terms}; "
                + ("so $w_{con}\\mathcal{L}_{con}$ dominates the objective's value, whatever the unweighted left panel "
                   "suggests. Which term moves the weights is a question for the gradients (measured below)."
                   if top == "L_con" else
                   f"the largest term of the objective's value is $\\mathcal{{L}}_{{{top[2:]}}}$, not "
                   "$\\mathcal{L}_{con}$ despite its weight. Which term moves the weights is a question for the "
                   "gradients (measured below)."))
    return (text + f" In the last epoch, weighted as in $\\mathcal{{L}}$: {terms}; "
            + ("so $\\mathcal{L}_{con}$ drives training, whatever the unweighted left panel suggests." if top == "L_con"
               else f"the largest term is $\\mathcal{{L}}_{{{top[2:]}}}$, not $\\mathcal{{L}}_{{con}}$ despite its weight."))


def false_alarms(z: float) -> str:
    """The false-alarm rate against its aim, ``z`` standard errors away: within chance (under 1.5),
    borderline (under 2.5) or more than chance gives."""
    reading = ("within what chance alone gives" if abs(z) < 1.5 else
               "borderline: at the edge of what chance alone gives, so one split cannot say whether the "
               "validation and the normal test images differ" if abs(z) < 2.5 else
               "more than chance gives: the validation images do not represent the normal test images well")
    return f"**False alarms:** {abs(z):.1f} standard errors {'below' if z < 0 else 'above'} the aim of 5 %: {reading}."


def missed_bags(n_missed: int, n_bags: int, mean_missed: float, mean_flagged: float, low: float, high: float,
                rho: float) -> str:
    """Which bags are missed: the missed and the flagged bags' mean pixel error, their difference with its
    95 % interval (``low``, ``high``), and the Spearman correlation ``rho`` of the two scores over all bags."""
    if high < 0:
        finding = "On average the missed bags are the better reconstructed ones"
    elif low > 0:
        finding = "On average the missed bags are the *worse* reconstructed ones: their codes agree although their pixels do not"
    else:
        finding = "The missed bags are not measurably better or worse reconstructed than the flagged ones"
    agree = "only weakly" if abs(rho) < 0.5 else "fairly well" if rho > 0 else "in opposite order"
    so = ("the pixel error explains only a small part of which bags are missed." if abs(rho) < 0.5 else
          "on bags the latent score largely follows the pixel error." if rho > 0 else
          "on bags the latent score tends to reverse the pixel error's order.")
    return (f"**Which bags are missed?** The {n_missed} missed bags (of {n_bags:,}) have a mean pixel error "
            f"$\\mathcal{{L}}_{{con}}$ of {mean_missed:.3f}, the {n_bags - n_missed} flagged ones {mean_flagged:.3f} "
            f"(difference {mean_missed - mean_flagged:+.3f}, 95 % interval {low:+.3f} to {high:+.3f}). {finding}; "
            f"over all bags the two scores' rankings agree {agree} (Spearman rank correlation {rho:.2f}: 1 for the "
            f"same order, 0 for unrelated orders), so {so}")


def grid_gaps(seeds: list[int], gaps: list[float], p_sign: float) -> str:
    """Latent minus pixel AUROC on bags in the course grid, one ``gaps`` value per seed of ``seeds``, and
    what the signs alone say: ``p_sign`` is the one-sided sign test's p-value (with n seeds it can never
    fall below 1/2^n)."""
    n, wins = len(gaps), sum(g > 0 for g in gaps)
    verdict = (f"p = {p_sign:.3f}, small" if p_sign < 0.05 else
               f"p = {p_sign:.3f}, the smallest {n} seeds allow (1/{2 ** n}): by signs alone, {n} seeds can never "
               "reach the usual 0.05" if wins == n else f"p = {p_sign:.3f}, not small: no evidence either way")
    return ("**One run decides nothing.** In the course grid (`results/cpu/runs.csv`, Section 6: this code at "
            "smaller sizes, one model per seed), the latent distance's AUROC on bags minus the pixel error's is "
            + ", ".join(f"{g:+.3f} (seed {s})" for s, g in zip(seeds, gaps))
            + f": higher in {wins} of {n} seeds. A one-sided sign test asks how likely at least this many positive "
            f"gaps would be if each sign were a fair coin toss; it gives {verdict}. Notebook 06 tests the claim "
            "properly, on every class with a paired test.")


def _judge_parts(kept: dict[str, float], chance: float, gap: float, swing_late: float, seed_range: float,
                 blur_share: float, input_share: float) -> tuple[str, str, str, str]:
    """The pieces :func:`judge_reading` and :func:`judge_bullets` share: the untrained floor against ``chance``,
    which blurs the judge files as one class, which normal inputs it files so, and the ``gap`` against the two
    noise yardsticks (your run's late-epoch movement, the cpu seeds' span)."""
    floor = ("exactly at chance" if abs(kept["untrained"] - chance) < 0.0005 else
             "hardly above chance" if kept["untrained"] <= chance + 0.05 else
             "above chance: the blurs still carry the inputs' outlines")
    blurs = "every untrained blur" if blur_share >= 0.9995 else f"{blur_share:.0%} of the untrained blurs"
    inputs = (", a class it gives none of the normal inputs" if input_share == 0 else
              f" (and {input_share:.1%} of the normal inputs)")
    yardsticks = [(f"{name} ({width:.3f})", abs(gap) <= width) for name, width in
                  (("your run's late-epoch movement", swing_late), ("the three cpu seeds' span", seed_range))]
    inside = [name for name, ok in yardsticks if ok]
    outside = [name for name, ok in yardsticks if not ok]
    against = (f"within {inside[0]} but beyond {outside[0]}" if inside and outside else
               f"within {' and '.join(inside)}" if inside else f"beyond {' and '.join(outside)}")
    return floor, blurs, inputs, against


def judge_reading(kept: dict[str, float], chance: float, gap: float, swing_late: float, seed_range: float, *,
                  blur_share: float, input_share: float, class_name: str, plain_gap: bool = False,
                  auroc_full: float | None = None, bench_auroc: Sequence[float] | None = None,
                  epochs: tuple[int, int] | None = None, full_still_falling: bool | None = None) -> str:
    """Reading the judge's lines: the share of normal images whose class G(x) keeps (``kept``: untrained,
    your run, full split), the untrained floor explained (the judge files ``blur_share`` of the untrained
    blurs and ``input_share`` of the normal inputs as ``class_name``) and read against ``chance``, and the
    two bag AUROCs' ``gap`` read against both noise yardsticks (your run's late-epoch movement, the cpu
    seeds' span), saying which it lies within and which beyond. ``plain_gap``: say the gap (full split minus
    your run) as "lower" or "higher" rather than as a signed difference. Optional: ``auroc_full`` and the
    cpu seeds' ``bench_auroc`` (to say when the full-split model lies below or above every seed), and the
    confound of training length: ``epochs`` (the full-split model's, yours) and ``full_still_falling`` (its
    validation L_con still falling at its last epoch: not converged)."""
    floor, blurs, inputs, against = _judge_parts(kept, chance, gap, swing_late, seed_range, blur_share, input_share)
    place = ""
    if auroc_full is not None and bench_auroc is not None and len(bench_auroc):
        if auroc_full < min(bench_auroc):
            place = ", below every cpu seed"
        elif auroc_full > max(bench_auroc):
            place = ", above every cpu seed"
    confound = ""
    if epochs is not None and epochs[0] != epochs[1]:
        confound = (f" The two models also trained for different lengths, {epochs[0]} epochs against your {epochs[1]}"
                    + (", and the full-split model had not converged (its validation $\\mathcal{L}_{con}$ was still "
                       "falling)" if full_still_falling else "")
                    + ": the effect of more data cannot be separated from that of training length.")
    return (f"**Reading these lines.** Untrained networks keep the class of {kept['untrained']:.1%} of images: the "
            f"judge files {blurs} as *{class_name}*{inputs}, and chance agreement is {chance:.1%} (notebook 02 "
            f"explains it), so this floor is {floor}. Your run keeps {kept['your run']:.1%} and the full-split model "
            f"{kept['full split']:.1%}. "
            + ((f"The full-split model's bag AUROC is {abs(gap):.3f} {'lower' if gap < 0 else 'higher'} than your "
                "run's: " if round(abs(gap), 3) > 0 else "The two bag AUROCs agree to three decimals: ") if plain_gap
               else f"The two bag AUROCs differ by {gap:+.3f}: ")
            + against + place + "." + confound
            + " One model of each cannot say whether more data changes the bag AUROC.")


def judge_bullets(kept: dict[str, float], chance: float, gap: float, swing_late: float, seed_range: float, *,
                  blur_share: float, input_share: float, class_name: str, auroc_full: float,
                  bench_auroc: Sequence[float], epochs: tuple[int, int], full_still_falling: bool) -> str:
    """:func:`judge_reading` (with ``plain_gap``) as short bullets: the untrained floor against ``chance``, the
    two models' kept shares, the bag AUROCs' ``gap`` (full split minus your run) against the two yardsticks,
    and the confound of training length (``epochs``: the full-split model's and yours)."""
    floor, blurs, inputs, against = _judge_parts(kept, chance, gap, swing_late, seed_range, blur_share, input_share)
    place = (", below every cpu seed" if len(bench_auroc) and auroc_full < min(bench_auroc) else
             ", above every cpu seed" if len(bench_auroc) and auroc_full > max(bench_auroc) else "")
    auroc = (f"the full-split model's is {abs(gap):.3f} {'lower' if gap < 0 else 'higher'} than your run's: "
             if round(abs(gap), 3) > 0 else "the two agree to three decimals: ")
    confound = (f"the two models trained for different lengths ({epochs[0]} epochs against your {epochs[1]})"
                + (" and the full-split model had not converged" if full_still_falling else "")
                + ": more data and training length cannot be told apart." if epochs[0] != epochs[1] else
                "one model of each gives no spread to judge the gap by.")
    return ("**Reading these lines.**\n\n"
            f"* **Floor:** untrained networks keep {kept['untrained']:.1%}: the judge files {blurs} as "
            f"*{class_name}*{inputs}. Chance agreement is {chance:.1%} (notebook 02), so the floor is {floor}.\n"
            f"* **Kept:** your run {kept['your run']:.1%}, the full-split model {kept['full split']:.1%}.\n"
            f"* **Bag AUROC:** {auroc}{against}{place}.\n"
            f"* **Why one model of each cannot say whether more data helps:** {confound}")


def judge_details(*, kept_yours: float, auroc_full: float, bench_auroc: list[float], late_curve: np.ndarray | list[float],
                  first_late: int, more_images: float, more_steps: float, epochs: tuple[int, int],
                  full_val: list[float]) -> str:
    """The fold under :func:`judge_reading`: the full-split model's AUROC beside the cpu seeds'
    ``bench_auroc`` (:func:`judge_reading` says where it lies), your run's test AUROC over the late epochs (``late_curve``, from epoch ``first_late``),
    and how much more the full-split model trained (``epochs``: its epochs and yours; ``full_val``: its
    validation L_con per epoch)."""
    lowest = int(np.argmin(full_val))
    return ("<details><summary>Optional: the yardsticks, and why the two runs cannot be compared more closely"
            "</summary>\n\n"
            + ("A short run already keeps the class of most images, where a BiGAN (notebook 02) does not, plausibly "
               "because GANomaly trains its reconstruction directly ($w_{con} = 50$). " if kept_yours >= 0.5 else "")
            + f"Your run's test AUROC over epochs {first_late}-"
            f"{first_late + len(late_curve) - 1} ranged {min(late_curve):.3f}-{max(late_curve):.3f}; three cpu seeds of "
            f"your run's settings (`results/cpu/ganomaly_bag.json`) gave {min(bench_auroc):.3f}-{max(bench_auroc):.3f} "
            f"(the full-split model: {auroc_full:.3f}). The full-split model saw {more_images:.1f} times the training "
            f"images in {more_steps:.1f} times your run's steps ({epochs[0]} epochs against {epochs[1]}), and its "
            "validation $\\mathcal{L}_{con}$ "
            + (f"was still falling at its last epoch ({full_val[-2]:.4f} → {full_val[-1]:.4f}): not converged either. "
               if lowest == len(full_val) - 1 else f"was lowest at epoch {lowest + 1}. ")
            + "Training times depend on the machine (notebook 06 compares costs in one grid), and the same seed "
            "gives slightly different numbers with another number of CPU threads.\n\n</details>")


def _in_words(items: list[str]) -> str:
    """Items as a list in words: "a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def class_chart(names: Sequence[str], ranked: list[int], class_mean: dict[int, float], below_all: list[int],
                near_chance: list[int], n_seeds: int, intervals: dict[int, Interval],
                noise: dict[int, tuple[float, float, float]], hypothesis: str | None = None,
                bullets: bool = False) -> str:
    """Reading the every-class chart (``names``: the class names, by class; ``ranked``: classes from easiest
    to hardest): the easiest class, those near chance, and those under 0.5 in all ``n_seeds`` seeds
    (``below_all``), described, not judged: for each, whether its t-interval over the seeds (``intervals``)
    excludes 0.5, and whether its seeds' spread passes the 95 % bound of test-sample noise (``noise``:
    {class: (seed spread, expected range, 95 % bound)}); then why an AUROC under 0.5 can happen, as a
    hypothesis (``hypothesis``: a measured one, e.g. :func:`score_baselines`, in place of the generic one).
    ``bullets``: a short list instead (easiest and hardest, then each class under 0.5 in every seed against
    chance); the seeds' spread is left to :func:`seed_noise` and the hypothesis to the caller (added as a last
    bullet only when given)."""
    if bullets:
        hardest = ranked[-1]
        lines = [f"* **Easiest and hardest:** {names[ranked[0]]} is the easiest (mean {class_mean[ranked[0]]:.2f}), "
                 f"{names[hardest]} the hardest (mean {class_mean[hardest]:.2f}); near chance (mean within 0.05 of 0.5): "
                 f"{_names([names[c] for c in near_chance])}."]
        for c in below_all:
            iv = intervals[c]
            line = (f"* **{names[c]} against chance:** under 0.5 in all {n_seeds} seeds, which a class exactly at "
                    f"chance does with probability 1/{2 ** n_seeds}")
            if iv.has_interval:
                line += (f"; its t-interval over the {iv.n} seeds, {iv.low:.2f} to {iv.high:.2f}, "
                         + ("includes 0.5: the seeds cannot exclude chance." if iv.high >= 0.5 else "lies below 0.5."))
            lines.append(line + ("" if iv.has_interval else "."))
        if hypothesis:
            lines.append(f"* {hypothesis}")
        return "**Reading the chart.**\n\n" + "\n".join(lines)
    text = (f"**Reading the chart.** The easiest class is {names[ranked[0]]} (mean {class_mean[ranked[0]]:.2f}); near "
            f"chance (mean within 0.05 of 0.5): {_names([names[c] for c in near_chance])}; under 0.5 in all {n_seeds} "
            f"seeds (descriptive: a class exactly at chance does that with probability 1/{2 ** n_seeds}): "
            f"{_names([names[c] for c in below_all])}. ")
    for c in below_all:
        iv, (spread, _, bound) = intervals[c], noise[c]
        if iv.has_interval:
            text += (f"For {names[c]}, the t-interval over the {iv.n} seeds, {iv.low:.2f} to {iv.high:.2f}, "
                     + ("includes 0.5: the seeds cannot exclude chance. " if iv.high >= 0.5 else "lies below 0.5. "))
        text += (f"Its seeds spread {spread:.3f}, "
                 + (f"beyond the 95 % bound of test-sample noise ({bound:.3f}, from the Hanley-McNeil standard error; "
                    "table below): the split and the training add variation beyond what test-sample noise gives. "
                    if spread > bound else
                    f"within the 95 % bound of test-sample noise ({bound:.3f}): the test sample alone could account "
                    "for it. "))
    if below_all and hypothesis is not None:
        text += hypothesis
    elif below_all:
        text += ("Why an AUROC can fall under 0.5 is a hypothesis here, not a finding: if a class's images are encoded "
                 "more consistently ($z$ and $\\hat z$ closer) than those of some normal classes, they score lower "
                 "than those normal images. ")
    return text


def seed_noise(names: Sequence[str], ranked: list[int], noise: dict[int, tuple[float, float, float]],
               beyond_expected: list[int], beyond_bound: list[int], n_seeds: int, above_mean: float) -> str:
    """The seeds' spread per class against test-sample noise alone: the classes whose spread passes the 95 %
    bound clearly (by 10 % or more) and, folded, the table (``noise``: {class: (seed spread, expected range,
    95 % bound)}), how many classes pass the expected range (``beyond_expected``) against the share
    ``above_mean`` that noise alone would, and those just past the bound (weak evidence)."""
    near = [c for c in beyond_bound if noise[c][0] < 1.1 * noise[c][2]]
    clear = [c for c in beyond_bound if c not in near]
    n = len(noise)
    return ("**The dots:** "
            + (f"the seeds of {_in_words([names[c] for c in clear])} spread clearly more than test-sample noise alone "
               f"would in 95 % of cases ({_in_words([f'{noise[c][0] / noise[c][2]:.1f}' for c in clear])} times the "
               "95 % bound), so for them the training set or the training adds variation." if clear else
               "no class's seeds spread clearly more than test-sample noise alone would in 95 % of cases.")
            + "\n\n<details><summary>Optional: seed spread against test-sample noise, class by class</summary>\n\n"
            "A grid seed draws a new split *and* a new training, so a class's dots mix three sources of spread: the "
            "test images drawn, the training images, and the training's randomness. The test-sample part alone follows "
            "from the standard error of an AUROC (Hanley and McNeil 1982; [`docs/references.md`](../docs/references.md), "
            f"section 5), which gives the range (max − min) that {n_seeds} such draws reach on average and the bound "
            "they exceed in only 5 % of cases:\n\n"
            "| anomalous class | seed spread | expected range | 95 % bound |\n|---|---|---|---|\n"
            + "\n".join(f"| {names[c]} | {noise[c][0]:.3f} | {noise[c][1]:.3f} | {noise[c][2]:.3f} |" for c in ranked)
            + f"\n\n{len(beyond_expected)} of {n} classes exceed the expected range, but with test-sample noise alone "
            f"about {above_mean:.0%} would (one range of {n_seeds} seeds is a rough estimate), so only the 95 % bound "
            "singles a class out. "
            + (f"Just past the bound: {', '.join(f'{names[c]} {noise[c][0]:.3f} against {noise[c][2]:.3f}' for c in near)}"
               f"; about {0.05 * n:.1f} of {n} classes pass it by chance alone, so that is weak evidence. " if near else "")
            + "This grid cannot tell the training set's share from the training's own.\n\n</details>")


def sorted_batches(auroc_sorted: float, shuffles: list[float], auroc_eval: float, moved_up: bool, raised_by_bags: bool,
                   mixed_normals: int, n_bags: int, mirror: float | None = None) -> str:
    """Train-mode AUROC in label-sorted batches against the shufflings and eval mode, and why sorting
    moves it (``mixed_normals``: normal images in the one batch of 64 that also holds bags). ``mirror``: the
    mean relative change of bags' train-mode scores from a batch of normal images to one of bags (the
    printed mirror); when given, it is cited for bags, and the figure for normal images only."""
    mixed = (f"almost only bags share a batch with bags (one batch mixes {mixed_normals} normal images with "
             f"{min(64 - mixed_normals, n_bags)} bags)" if mixed_normals else "only bags share a batch with bags")
    where = ("the figure" if mirror is None else
             f"the figure for normal images; the printed mirror for bags, {100 * mirror:+.0f} %")
    return (f"**Sorted batches:** train-mode AUROC {auroc_sorted:.3f}, against {np.mean(shuffles):.3f} over "
            f"{len(shuffles)} shufflings (spread {max(shuffles) - min(shuffles):.3f}) and {auroc_eval:.3f} in eval mode: "
            "sorting makes the detector look " + ("*better*. " if moved_up else "*worse*. ")
            + (f"A batch of bags raises the train-mode scores of the images in it ({where}), and in sorted batches "
               f"{mixed}, so the bags get that boost and the normal images do not. " if moved_up and raised_by_bags else
               "A batch's make-up moves its images' scores (the figure), and sorted by label the bags and the normal "
               "images are moved differently. ")
            + "The labels reach the scores through the batch statistics: the change comes from the arrangement, not "
            "from the model.")


def picked_by_test(honest: float, picked: float, kept_epoch: int, n_epochs: int) -> str:
    """What picking the epoch by test AUROC adds in this run (``picked`` against the ``honest`` AUROC of the
    epoch ``kept_epoch`` of ``n_epochs`` that validation kept), and which number is the honest one."""
    gap = round(round(picked, 3) - round(honest, 3), 3) + 0.0   # of the printed values; + 0.0: no -0.000
    text = ("**The gap:** " + (f"in this run, selecting the epoch on the test set would report {picked:.3f} instead of "
                               f"{honest:.3f}, overstating the result by {gap:+.3f}; compare it with the gaps between "
                               "methods in notebook 06. " if gap > 0 else
                               "in this run the epoch validation kept also had the highest test AUROC, so picking on "
                               "the test set would have added nothing this time. "))
    return text + ("Validation kept the last epoch, so the honest number is simply the end-of-training one." if
                   kept_epoch == n_epochs else
                   f"Validation kept epoch {kept_epoch} of {n_epochs} without looking at test labels: its AUROC is the "
                   "honest number.")


def validation_proxy(val_con: np.ndarray | list[float], test_curve: np.ndarray | list[float], first: int,
                     con_drop: float, drift: float, drift_se: float, moved: bool,
                     missed_better: int | None = None, here: bool = False, full_split: dict | None = None) -> str:
    """Is the validation rule a good proxy? How validation L_con (``val_con``, falling by ``con_drop`` %) and
    the test AUROC (``test_curve``) moved from epoch ``first`` + 1 to the end, the ``drift`` of the mean test
    AUROC between the two halves against two standard errors (``drift_se``; ``moved``: beyond them).
    ``missed_better``: an epoch that the halving of the test set showed to rank anomalies measurably better
    than the kept one (the rule could not see it). ``here``: say so of this run only (the paired checks of
    the section found the better epoch), not as a rule. ``full_split``: a second, hedged observation, a model
    trained on more images (keys ``auroc_yours``, ``auroc_full``, ``images_ratio``, ``steps_ratio``,
    ``kept_yours``, ``kept_full``: the judge's class kept by each model's reconstructions), read as pointing
    the same way as the drift or the other way."""
    if missed_better is None:
        missed = ""
    elif here:
        missed = (f" And it kept epoch {np.argmin(val_con) + 1} although epoch {missed_better} ranked bags measurably "
                  "better (the two checks above): a rule that reads normal images only did not see it here.")
    else:
        missed = (f" And it kept epoch {np.argmin(val_con) + 1} although epoch {missed_better} ranks bags measurably "
                  "better (the halving above): a rule on normal images alone cannot see detection quality.")
    text = "**A second lesson: is the validation rule a good proxy?** "
    if first:
        text += (f"From epoch 1 to epoch 2, validation $\\mathcal{{L}}_{{con}}$ went from {val_con[0]:.3f} to "
                 f"{val_con[1]:.3f} and the test AUROC {'rose' if test_curve[1] > test_curve[0] else 'did not rise'} "
                 f"({test_curve[0]:.3f} to {test_curve[1]:.3f}). ")
    text += (f"From epoch {first + 1} to epoch {len(test_curve)}, validation $\\mathcal{{L}}_{{con}}$ "
             f"{'fell' if con_drop >= 0 else 'rose'} by {abs(con_drop):.0f} % while the mean test AUROC moved by "
             f"{drift:+.3f} between the two halves (the grey lines). ")
    if np.isnan(drift_se):
        return (text + "A half of a single epoch gives no spread to judge that by: too few epochs to tell drift from "
                "noise." + missed + _full_split_hint(full_split, None))
    se = round(drift_se, 3)   # the product of the printed standard error, as a reader would take it
    two_se = f"2 × {se:.3f} = {2 * se:.3f}"
    if not moved:
        return (text + f"That is within two standard errors ({two_se}, a rough yardstick: epochs are not "
                "independent): no measurable drift. " + ("After the first epoch, better" if first else "Better")
                + " reconstruction of normal images did not measurably improve ranking the bags, so the rule is honest "
                "but a weak proxy." + missed + _full_split_hint(full_split, False))
    return (text + f"That is more than two standard errors ({two_se}, a rough yardstick: epochs are not "
            "independent): in this run, "
            + ("better reconstructions went with better ranking, and the rule, which never looks at anomalies, "
               "picked a better detector." if drift > 0 else
               "better reconstructions went with *worse* ranking, so the rule favoured a worse detector.") + missed
            + _full_split_hint(full_split, drift > 0))


def _full_split_hint(full: dict | None, improved: bool | None) -> str:
    """One hedged sentence for :func:`validation_proxy`: the model trained on more images (``full``), read against
    the drift's verdict ``improved`` (True: better reconstruction went with better ranking; False: it did not;
    None: no verdict)."""
    if not full:
        return ""
    yours, theirs = round(full["auroc_yours"], 3), round(full["auroc_full"], 3)
    better = theirs > yours
    ranks = f"ranks bags {'better' if better else 'no better'} ({theirs:.3f} against your {yours:.3f})"
    if full["kept_full"] > full["kept_yours"]:
        ranks = (f"keeps the judge's class of more normal test images ({100 * full['kept_full']:.1f} % against "
                 f"{100 * full['kept_yours']:.1f} %) {'and' if better else 'yet'} " + ranks)
    what = (f"The full-split model (Section 5, optional part), trained on {full['images_ratio']:.1f} times the images "
            f"for {full['steps_ratio']:.1f} times the steps, {ranks}")
    caveat = "one model each, differing in several things at once, so it is a hint, not a test."
    if improved is None:
        return f" {what}: {caveat}"
    if improved == better:
        return f" A second, weaker observation points the same way. {what}: {caveat}"
    return f" A second, weaker observation points the other way. {what}: {caveat}"


def what_drives(z_sq: Sequence[float], enc: Sequence[float], shares_init: dict[str, float],
                shares_kept: dict[str, float], kept_epoch: int) -> str:
    """Why L_enc falls fast (the codes' size ``z_sq`` = mean (1/d)||z||^2 and ``enc`` = L_enc on the
    validation images, in training mode, at initialisation and after every epoch), and which weighted
    term drives G_E and G_D (``shares_*``: {"L_con": share, ...}, each term's gradient projected on the
    summed gradient over G_E's and G_D's parameters, one batch; the shares add up to 1), at
    initialisation and for the weights of ``kept_epoch``."""
    z0, z1, zn = z_sq[0], z_sq[1], z_sq[-1]
    e0, e1, en = enc[0], enc[1], enc[-1]
    r0, rn = e0 / z0, en / zn
    n = len(z_sq) - 1
    text = ("**Why $\\mathcal{L}_{enc}$ falls fast, and which term drives.** On the validation images, in training "
            f"mode as the steps see them, the codes' size $\\tfrac{{1}}{{d}}\\lVert z\\rVert_2^2$ went from {z0:.2f} at "
            f"initialisation to {z1:.2f} after epoch 1" + (f" and {zn:.2f} after epoch {n}" if n > 1 else "")
            + f", while $\\mathcal{{L}}_{{enc}}$ went from {e0:.3f} to {e1:.3f}" + (f" and {en:.3f}" if n > 1 else "")
            + ". ")
    ratio = (f"(relative disagreement $\\mathcal{{L}}_{{enc}} / \\tfrac{{1}}{{d}}\\lVert z\\rVert_2^2$ from {r0:.2f} to "
             f"{rn:.3f})")
    if zn >= 0.5 * z0 and rn < 0.2 * r0:
        text += (("The codes did not shrink (they grew)" if zn > z0 else "The codes did not shrink much")
                 + f": $\\mathcal{{L}}_{{enc}}$ fell because $E$ learnt to encode $G(x)$ as $G_E$ encodes $x$ {ratio}. ")
    elif zn < 0.5 * z0 and rn > 0.5 * r0:
        text += (f"The codes shrank about as much as $\\mathcal{{L}}_{{enc}}$ fell {ratio}: the drop reflects smaller "
                 "codes more than closer agreement. ")
    else:
        text += (f"Both happened: the codes' size changed by a factor of {zn / z0:.2f} and the encoders came closer "
                 f"{ratio}. ")

    def shares(s: dict[str, float]) -> str:
        return ", ".join(f"$w_{{{k[2:]}}}\\mathcal{{L}}_{{{k[2:]}}}$ {v + 0.0 if round(100 * v) else 0.0:.0%}"
                         for k, v in s.items())

    top_init, top_kept = max(shares_init, key=shares_init.get), max(shares_kept, key=shares_kept.get)
    negative = any(round(100 * v) < 0 for v in (*shares_init.values(), *shares_kept.values()))
    text += ("On one training batch, each weighted term's share of the gradient on $G_E$'s and $G_D$'s parameters "
             "(its gradient projected on the summed one; the shares add up to 1"
             + ("; a negative share means that term's gradient points partly against the sum, so the combined step "
                "slightly increases that term" if negative else "")
             + f"): at initialisation {shares(shares_init)}; with the network weights kept at epoch {kept_epoch} "
             f"{shares(shares_kept)}. ")
    if top_init == top_kept == "L_con":
        text += ("So $\\mathcal{L}_{con}$ dominates the gradient on $G_E$ and $G_D$, from the first step to the kept "
                 "weights. ")
    else:
        text += (f"The largest share is $\\mathcal{{L}}_{{{top_init[2:]}}}$'s at initialisation and "
                 f"$\\mathcal{{L}}_{{{top_kept[2:]}}}$'s for the kept weights: the objective's value alone would not "
                 "have told. ")
    return (text + "This is a first-order indication, not exactly what moves the weights: Adam rescales each "
            "parameter's step by its own gradient history. $E$ is moved by $\\mathcal{L}_{enc}$ alone: the other two "
            "terms do not depend on it.")


def score_baselines(names: Sequence[str], medians: dict[int, float], class_mean: dict[int, float], rho: float,
                    p: float, hard: list[int]) -> str:
    """The measured reading of a testable hypothesis for an AUROC under 0.5 (the notebook states the idea):
    each class's typical score as a *normal* class (``medians``: median A(x) of each normal class's test
    images under the notebook's model) predicts how hard it is as the anomaly (``class_mean``: the grid's
    mean AUROC), measured by the Spearman ``rho`` (p-value ``p``) over those classes; ``hard``: the classes
    under 0.5 in every seed. A p-value that is not small (0.05 or more) is not significant: with a correlation
    of some size (``|rho|`` 0.3 or more) weak, in its direction; a smaller one, no evidence either way."""
    order = sorted(medians, key=medians.get)
    n = len(order)
    low = ", ".join(f"{names[c]} {medians[c]:.3f}" for c in order[:3])
    high = ", ".join(f"{names[c]} {medians[c]:.3f}" for c in order[-3:])
    ranks = [f"{names[c]} ranks {order.index(c) + 1} of {n}" for c in hard if c in medians]
    text = ("**The hypothesis, measured.** In your bag model (the other "
            f"{n} classes normal), the normal test images' median $A(x)$ is lowest for {low} and highest for {high}"
            + (f"; {_in_words(ranks)} (1 = lowest)" if ranks else "") + ". Against the grid's mean AUROC of each "
            f"class as the anomaly, over the {n} classes: Spearman rank correlation {rho:.2f} (p = {p:.2f}), ")
    if p < 0.05:
        text += ("so the prediction holds" if rho > 0 else
                 "against the prediction: lower levels go with *higher* grid AUROCs")
    elif abs(rho) >= 0.3:
        text += (f"weak and not significant with {n} classes" if rho > 0 else
                 f"against the prediction, but not significant with {n} classes")
    else:
        text += (f"inconclusive, no evidence either way: with {n} classes a rank correlation of this size often "
                 "arises by chance alone")
    text += ". "
    if all(c in class_mean for c in order):
        by_auroc = sorted(order, key=lambda c: class_mean[c])   # hardest first, as the levels lowest first
        far = max(order, key=lambda c: abs(order.index(c) - by_auroc.index(c)))
        ranked_far = (f"rank {order.index(far) + 1} of {n} by level and {by_auroc.index(far) + 1} of {n} by grid "
                      "AUROC (1 = lowest)")
        text += (f"{names[far]} runs against the prediction: {ranked_far}. " if
                 abs(order.index(far) - by_auroc.index(far)) >= n // 2 else
                 f"The largest departure: {names[far]}, {ranked_far}. ")
    return text + ("(The grid's models are smaller, and each was trained without the class it scores, so even a "
                   "clear correlation would be indirect evidence.)")


def shown_bags(n_shown: int, low_cols: list[int], normal_hi: float, normal_hi_col: int, best_col: int,
               best_con: float, best_score: float, normals_above_best: int, hedged: bool = False) -> str:
    """Reading the figure of reconstructions, panel by panel (columns numbered from 1): which bags shown
    score no higher than the highest-scoring normal image shown (``low_cols``; that image: ``normal_hi`` in
    column ``normal_hi_col``), and the best-reconstructed bag shown (column ``best_col``, pixel error
    ``best_con``, score ``best_score``, below the scores of ``normals_above_best`` of the ``n_shown`` normal
    images shown). ``hedged``: read the one image as consistent with Section 1's intuition only, and point to
    the count over all bags further down."""
    cols = ("none" if not low_cols else f"column {low_cols[0]}" if len(low_cols) == 1 else
            "columns " + _in_words([str(c) for c in low_cols]))
    if normals_above_best == 0:
        reading = "above every normal image shown: here reconstructing a bag well did not hide it."
    elif hedged:
        reading = (f"inside the normal images' range (lower than {normals_above_best} of the {n_shown} shown): "
                   "consistent with Section 1's intuition that a bag coming back nearly intact looks normal to the "
                   "score. One image proves little: the count over all bags below (the Spearman correlation of the "
                   "two scores) measures how far that holds.")
    else:
        reading = (f"inside the normal images' range (lower than {normals_above_best} of the {n_shown} shown): a bag that "
                   "comes back nearly intact looks normal to the score, as Section 1's intuition predicts.")
    return ("**What to see:** the decoder has learnt only clothes and shoes: handles vanish and bags come back as "
            f"blurry boxes. Bags that score no higher than the highest-scoring normal image shown ($A$ {normal_hi:.3f}, "
            f"column {normal_hi_col}): {cols}. The bag in column {best_col} is the best reconstructed of the bags shown "
            f"($\\mathcal{{L}}_{{con}}$ {best_con:.2f}) and scores $A$ {best_score:.3f}, {reading}")


def what_drives_bullets(z_sq: Sequence[float], enc: Sequence[float], shares_init: dict[str, float],
                        shares_kept: dict[str, float], kept_epoch: int) -> str:
    """The reading of :func:`what_drives` as two bullets, each ending with a one-line conclusion: the codes'
    size against L_enc (did the codes shrink, or did E learn?), and each weighted term's share of the gradient
    on G_E and G_D at initialisation and for the weights of ``kept_epoch`` (which term drives)."""
    z0, z1, zn = z_sq[0], z_sq[1], z_sq[-1]
    e0, e1, en = enc[0], enc[1], enc[-1]
    r0, rn = e0 / z0, en / zn
    n = len(z_sq) - 1
    later = f" → {zn:.2f} (epoch {n})" if n > 1 else ""
    if zn >= 0.5 * z0 and rn < 0.2 * r0:
        codes = ("the codes did not shrink" + (" (they grew)" if zn > z0 else "")
                 + ": $\\mathcal{L}_{enc}$ fell because $E$ learnt to encode $G(x)$ as $G_E$ encodes $x$.")
    elif zn < 0.5 * z0 and rn > 0.5 * r0:
        codes = "the codes shrank about as much as $\\mathcal{L}_{enc}$ fell: smaller codes, not closer agreement."
    else:
        codes = f"both: the codes' size changed by a factor of {zn / z0:.2f} and the encoders came closer."

    def shares(s: dict[str, float]) -> str:
        return ", ".join(f"$w_{{{k[2:]}}}\\mathcal{{L}}_{{{k[2:]}}}$ {v + 0.0 if round(100 * v) else 0.0:.0%}"
                         for k, v in s.items())

    top_init, top_kept = max(shares_init, key=shares_init.get), max(shares_kept, key=shares_kept.get)
    negative = any(round(100 * v) < 0 for v in (*shares_init.values(), *shares_kept.values()))
    drives = ("$\\mathcal{L}_{con}$ drives $G_E$ and $G_D$, from the first step to the kept weights."
              if top_init == top_kept == "L_con" else
              f"the largest share is $\\mathcal{{L}}_{{{top_init[2:]}}}$'s at initialisation and "
              f"$\\mathcal{{L}}_{{{top_kept[2:]}}}$'s for the kept weights: the objective's value alone would not tell.")
    return ("**Why $\\mathcal{L}_{enc}$ falls fast, and which term drives** (validation images, training mode as the "
            "steps see them):\n\n"
            f"* **Codes' size** $\\tfrac{{1}}{{d}}\\lVert z\\rVert_2^2$: {z0:.2f} at initialisation → {z1:.2f} (epoch 1)"
            f"{later}; $\\mathcal{{L}}_{{enc}}$: {e0:.3f} → {e1:.3f}" + (f" → {en:.3f}" if n > 1 else "")
            + f"; their ratio, the relative disagreement: {r0:.2f} → {rn:.3f}. *So {codes}*\n"
            f"* **Gradient shares** on $G_E$'s and $G_D$'s parameters, one batch (each weighted term's gradient "
            "projected on their sum; the shares add up to 1"
            + ("; a negative share: that term's gradient points partly against the sum" if negative else "")
            + f"): initialisation {shares(shares_init)}; epoch {kept_epoch} {shares(shares_kept)}. *So {drives}* "
            "(A first-order indication: Adam rescales each parameter's step. $E$ is moved by $\\mathcal{L}_{enc}$ "
            "alone.)")


# ============================================================================================
# Notebook 01: GAN
# ============================================================================================

#: where a mode of the toy ring sits in the pictures, by its angle in steps of 45 degrees
POSITIONS = ("right", "upper right", "top", "upper left", "left", "lower left", "bottom", "lower right")


def mode_name(i: int, centers: np.ndarray) -> str:
    """Mode ``i`` of the ring with where it sits in the pictures: "mode 2 (top)" (``centers``: the modes' (x, y))."""
    x, y = (float(v) for v in centers[i])
    return f"mode {i} ({POSITIONS[int(round((np.degrees(np.arctan2(y, x)) % 360) / 45)) % 8]})"


def toy_run(steps: int, cover: dict, missed: list[str], missed_counts: list[int], d_missed: float,
            d_covered: float) -> str:
    """The toy GAN after ``steps`` steps: modes covered and share of high-quality samples (``cover``, from
    :func:`metrics.mode_coverage`), and the missed modes with their samples and the final D's mean verdict
    there (``d_missed``) against the covered modes (``d_covered``)."""
    text = (f"**This run.** After {steps} steps, {cover['modes_covered']} of 8 modes are covered and "
            f"{cover['high_quality']:.0%} of the samples are high quality. ")
    if not missed:
        return text + "Every mode holds at least a quarter of its fair share."
    if not cover["modes_covered"]:
        return text + "No mode is covered yet."
    red = (": $D$ still calls the under-sampled region real, pulling $G$ there" if d_missed > d_covered
           else ": the final $D$ does not single the missed region out")
    return (text + "Missed: " + ", ".join(f"{m}, {n} high-quality samples" for m, n in zip(missed, missed_counts))
            + f". There the final $D(x)$ is {d_missed:.2f}, against {d_covered:.2f} at the covered modes{red}.")


def _as_verb(kind: str) -> str:
    """A kind of toy run ("collapsed", "not converged", else covered) as a verb."""
    return {"collapsed": "collapsed", "not converged": "did not converge"}.get(kind, "covered five modes or more")


def _seeds(seeds: list) -> str:
    """"seed 3" or "seeds 1, 2"."""
    return f"seed{_s(len(seeds))} {', '.join(map(str, seeds))}"


def slow_d(seeds: list[int], kinds: list[str], spread0: list[float], spread: list[float], reach: list[float],
           radius: float, d_ranges: list[float], d_range_balanced: float, plane_wider: bool = False) -> str:
    """The slow D's runs: how each seed ended (``kinds``: "collapsed", "not converged", ...), whether the
    collapsed ones (final ``spread`` under 0.5) ever left G's starting blob (under twice ``spread0``), how far
    their samples reach against the ring's ``radius`` (a streak: beyond 1.5 times), and how flat the slow D's
    verdict is (``d_ranges``) against the balanced run's; ``plane_wider``: the slow runs were drawn on a larger
    square than the balanced one, which can only widen their range (so the comparison is conservative)."""
    if len(set(kinds)) == 1:
        text = (f"All {len(kinds)} seeds " if len(kinds) > 1 else "Its one seed ") + _as_verb(kinds[0]) + ". "
    else:
        text = f"Of {len(kinds)} seeds, " + ", ".join(f"{kinds.count(k)} {_as_verb(k)}" for k in dict.fromkeys(kinds)) + ". "
    small = [(s, a, b) for s, a, b in zip(seeds, spread0, spread) if b < 0.5]
    never = [s for s, a, b in small if b < 2 * a]
    if never:
        text += f"{_seeds(never).capitalize()} never left $G$'s starting blob (ended within twice its spread). "
    elif small:
        text += ("$G$ did move (every collapsed seed ended over twice as wide as its starting blob), but into a narrow "
                 "streak or clump, not onto the ring. ")
    far = [s for s, r in zip(seeds, reach) if r > 1.5 * radius]
    text += (f"In the top row, the slow seeds' farthest samples lie {', '.join(f'{r:.1f}' for r in reach)} from the "
             f"centre, against the ring's radius of {radius:.1f}: "
             + (f"{_seeds(far)} ran out as a streak up to {max(reach) / radius:.1f} times the radius. " if far else
                "none runs beyond 1.5 times the radius this time. "))
    return ("**Slow $D$.** " + text + f"The slow $D$'s verdict varies by at most {max(d_ranges):.2f} over the drawn "
            "plane" + (" (measured on its larger plane, which can only widen it)" if plane_wider else "")
            + f", against {d_range_balanced:.2f} for the balanced run: "
            + ("it has learned too little to show $G$ where the data are." if max(d_ranges) < 0.5 * d_range_balanced
               else "it is not much flatter than the balanced one here."))


def _neighbours(modes: list[int], n_modes: int = 8) -> bool:
    """Whether the covered ``modes`` (numbered round the ring, so 7 and 0 are neighbours) sit side by side."""
    modes = sorted(modes)
    gaps = np.diff(modes + [modes[0] + n_modes])
    return len(modes) > 1 and int((gaps > 1).sum()) <= 1


def strong_d(collapsed: list[tuple[int, list[int], float]], counts: dict[int, list[int]], centers: np.ndarray) -> str:
    """The strong D's runs that collapsed onto a few modes: per seed, the modes with good samples (``collapsed``:
    (seed, modes covered, high-quality share)), "only" when no other mode holds any (``counts``: {seed:
    high-quality samples per mode}), and whether those modes are neighbours on the ring."""
    if not collapsed:
        return ("**Strong $D$.** No seed collapsed onto a few modes this time: a strong discriminator does not always "
                "cause it.")
    seeds = []
    for sd, modes, q in collapsed:
        only = "only" if all(int(n) == 0 for m, n in enumerate(counts[sd]) if m not in modes) else "mostly"
        seeds.append(f"Seed {sd}: good samples {only} at {', '.join(mode_name(m, centers) for m in modes)}"
                     + (" (neighbours on the ring)" if _neighbours(modes) else "") + f", {q:.0%} high quality.")
    return ("**Strong $D$.** " + " ".join(seeds)
            + " Good samples, too few kinds: mode collapse in its classic form, with no slow $D$ needed.")


def red_empty_mode(seed: int, covered: list[int], counts: Sequence[int], d_modes: Sequence[float],
                   centers: np.ndarray) -> str:
    """Notebook 01, Section 5 (round 12): the clearest picture of "an empty mode where D says real does not pull
    G's samples". ``covered``: the modes this strong-D seed covers; ``counts``: its high-quality samples per mode;
    ``d_modes``: its D's verdict at each mode's centre. Names the uncovered mode where D says "real" most; empty
    when every mode is covered or D says "fake" at every uncovered one."""
    empty = [m for m in range(len(counts)) if m not in covered]
    if not empty:
        return ""
    m = max(empty, key=lambda i: d_modes[i])
    if d_modes[m] <= 0.5:
        return ""
    n = int(counts[m])
    who = f"Even seed {seed}, which covers {len(covered)} modes," if len(covered) > 4 else f"Seed {seed}"
    return (f"{who} leaves {mode_name(m, centers)} red with {n} high-quality sample{'' if n == 1 else 's'}: its $D$ "
            f"says \"real\" there ($D(x)$ = {d_modes[m]:.2f} at the mode's centre), yet $G$'s samples stay away.")


def loss_balance(loss_D: np.ndarray | list[float], loss_G: np.ndarray | list[float], d_real: float, d_fake: float) -> str:
    """Reading the loss curves (epoch means ``loss_D``, ``loss_G``) against their equilibrium values (2 log 2,
    log 2): which player is ahead, the shape of loss_G, and D's last-epoch verdicts ``d_real``, ``d_fake``."""
    top = int(np.argmax(loss_G))
    shape = (("climbs, then falls back below its epoch-1 mean" if loss_G[-1] < loss_G[0] else "climbs and then settles")
             if 0 < top < len(loss_G) - 1 else "climbs to the end" if top == len(loss_G) - 1 else "falls from the start")
    d_low, g_high = loss_D[-1] < 2 * np.log(2), loss_G[-1] > np.log(2)
    leader = ("D is ahead of G" if d_low and g_high else "G is ahead of D" if not d_low and not g_high
              else "neither player is clearly ahead")
    return (f"**What to see.** Against their dotted equilibrium lines, loss_D ends {'below' if d_low else 'above'} and "
            f"loss_G {'above' if g_high else 'below'}: {leader}; loss_G {shape}. The middle panel says it in $D$'s "
            f"verdicts: $D(x)$ = {d_real:.2f} and $D(G(z))$ = {d_fake:.2f} in the last epoch, where the equilibrium "
            "would put both on the dotted line at 1/2.")


def _who_leads(acc: float) -> str:
    """What D's accuracy ``acc`` says about the game."""
    return ("D wins almost every verdict: G learns from a critic it cannot fool" if acc > 0.97 else
            "D is clearly ahead, and still has something to teach G" if acc > 0.75 else
            "D is ahead, but far from certain" if acc > 0.6 else
            "D can hardly tell real from fake: the samples (measured in Section 7) say whether D is not learning or G "
            "fools it")


def d_accuracy(acc_train: float, acc_eval: float) -> str:
    """D's accuracy in training mode and image by image (eval mode), and what each says about the game."""
    same = _who_leads(acc_train) == _who_leads(acc_eval)
    return (f"**This run.** $D$'s accuracy: {acc_train:.2f} in training mode over the last epoch, {acc_eval:.2f} image "
            "by image (eval mode). "
            + (f"Both say: {_who_leads(acc_eval)}." if same else
               f"Training mode says {_who_leads(acc_train)}; eval mode says {_who_leads(acc_eval)}."))


def d_accuracy_over_run(share_high: float, n_steps: int, acc_last: float) -> str:
    """The accuracy panel read as a whole: the share of all ``n_steps`` minibatch steps on which D's
    training-mode accuracy was above 0.97 (``share_high``), against the last epoch's mean ``acc_last``."""
    head = f"Read as a whole, the right panel says more: on {share_high:.0%} of all {n_steps:,} minibatch steps, "
    if share_high >= 0.5:
        return (head + "$D$'s accuracy was above 0.97, so for most of the run $D$ won almost every verdict"
                + (f"; the last epoch's {acc_last:.2f} is a dip below that usual state, not the run's typical game."
                   if acc_last <= 0.97 else ", the last epoch included."))
    if share_high >= 0.1:
        return head + "$D$'s accuracy was above 0.97: for part of the run $D$ won almost every verdict."
    return head + "$D$'s accuracy was above 0.97: $D$ rarely won almost every verdict."


def judge_calls(reports: dict[str, dict], real_hist: np.ndarray, short: list[str], normal: list[int], anomaly: int,
                min_share: float) -> str:
    """What the judge calls each generator's samples (``reports``: {name: judge report with a ``histogram``}):
    the normal classes under ``min_share``, the most over-drawn class against the real images' ``real_hist``
    (else the most frequent), the share filed under the ``anomaly`` class; then where the untrained
    generator's blobs land."""
    lines = []
    for k in ("untrained", "your run", "long-trained"):
        hist = np.array(reports[k]["histogram"])
        below = [f"{short[c]} {hist[c]:.1%}" for c in normal if hist[c] < min_share]
        more = [c for c in normal if hist[c] > real_hist[c]]                   # drawn more often than in real images
        if more:
            over = max(more, key=lambda c: hist[c] / real_hist[c])
            drawn = f"; most over-drawn: {short[over]} ({hist[over]:.1%}, real images {real_hist[over]:.1%})"
        else:
            top = int(np.argmax(hist))
            drawn = f"; most frequent: {short[top]} ({hist[top]:.0%})"
        # the share filed under the anomaly class, unless "most frequent" already named it
        filed = ("" if not more and top == anomaly else f"; filed under {short[anomaly]}: {hist[anomaly]:.1%}")
        lines.append(f"* **{k}**: " + ("no normal class under 3 %" if not below else
                                       "every normal class under 3 %" if len(below) == len(normal) else
                                       f"under 3 %: {', '.join(below)}")
                     + drawn + filed + ".")
    hist_u = np.array(reports["untrained"]["histogram"])
    top_u = int(np.argmax(hist_u))
    lines.append(f"\nThe untrained generator's flat grey images land {hist_u[top_u]:.0%} under {short[top_u]}"
                 + (", the anomaly class no normal image has: to this judge, a featureless blob looks most like a bag."
                    if top_u == anomaly else ", with confidence that says nothing about sharpness."))
    return "**What the judge calls the samples:**\n\n" + "\n".join(lines)


def against_reference(low: float, high: float, bar: float) -> str:
    """Where a ratio's interval [``low``, ``high``] lies against the sharpness reference ``bar``, by the
    course's rule: reached or missed only when the whole interval lies on one side. An upper bound below the
    bar is a miss however close (:func:`ratio_with_interval` prints enough decimals to show it)."""
    if low >= bar:
        return "above the reference"
    return "below the reference" if high < bar else "straddling the reference"


def bound_text(x: float, bar: float) -> str:
    """A bound with three decimals, or more where three would round it onto ``bar`` from one side
    (0.8496 against 0.85, never "0.850")."""
    for nd in range(3, 7):
        if x == bar or round(x, nd) != round(bar, nd):
            return f"{x:.{nd}f}"
    return f"{x:.6f}"


def ratio_with_interval(ratio: float, interval: tuple[float, float], bar: float) -> str:
    """"0.827 (95 % interval 0.805 to 0.849)": three decimals, as elsewhere; a bound that three decimals would
    round onto the reference ``bar`` gets as many more as it takes to show its side (:func:`bound_text`)."""
    return f"{ratio:.3f} (95 % interval {bound_text(interval[0], bar)} to {bound_text(interval[1], bar)})"


def sharpness_reading(ratio: float, interval: tuple[float, float], bar: float, at_bar: float | None = None) -> str:
    """The sharpness verdict from one ratio of confident shares and its 95 % interval: it misses the reference
    ``bar`` when the whole interval lies below it ("narrowly" when the ratio is within 0.05 of it; an upper
    bound within 0.005 of the bar is named, with the caveat that an approximate interval cannot settle the
    third decimal), reaches it when the whole interval lies at or above it, else it is too close to call.

    With ``at_bar`` (notebook 01's wording), an upper end below the bar by less than ``at_bar`` is named with
    its margin: the whole interval lies below the bar, so it is a miss at the 5 % level, by a narrow margin."""
    where = against_reference(*interval, bar)
    if at_bar is not None and where == "below the reference":
        if bar - interval[1] < at_bar:
            return (f"its point estimate, {ratio:.3f}, misses the course's {bar} sharpness reference, and so does the "
                    f"whole 95 % interval: its upper end, {bound_text(interval[1], bar)}, lies below the reference by "
                    f"less than {at_bar:g}, a miss at the 5 % level by a narrow margin")
        return f"it misses the course's {bar} sharpness reference"
    if where == "below the reference":
        close = bar - interval[1] < 0.005
        return (f"it {'narrowly ' if ratio > bar - 0.05 else ''}misses the course's {bar} sharpness reference"
                + (f" (its upper bound, {bound_text(interval[1], bar)}, lies just below {bar}; an approximate Katz "
                   "interval cannot settle the third decimal)" if close else ""))
    if where == "above the reference":
        return f"it reaches the course's {bar} sharpness reference"
    return f"it sits at the course's {bar} sharpness reference, too close to call"


def factor_text(x: float) -> str:
    """A factor as notebook 01 prints it: one decimal under 10 ("4.2"), none from 10 on ("147")."""
    return f"{x:.1f}" if x < 10 else f"{x:.0f}"


def closeness(frechet: float, floor: float, floor_range: tuple[float, float], way: float,
              untrained: float | None = None) -> str:
    """Where a Fréchet distance lies against the two anchors: inside the real-against-real floor's range
    (``floor_range``, over random splits; ``floor`` its median) it cannot be told from real images; otherwise
    ``way`` (:func:`ganad_lib.judge.way_to_real`) says whether it is past the halfway point on a log scale
    (at least 0.5: the geometric mean of the ``untrained`` generator's distance and the floor) or short of it.
    With ``untrained``, the two factors behind ``way`` are spelled out (both are distances to real images)."""
    lo, hi = floor_range
    if frechet <= hi:
        return (f"inside the floor's range ({lo:.1f} to {hi:.1f}): by this measure its samples cannot be told from "
                "real images")
    half = "past the halfway point on a log scale" if way >= 0.5 else "short of the halfway point on a log scale"
    if untrained is None:
        return (f"above the floor's range ({lo:.1f} to {hi:.1f}), so the judge can still tell its samples from real "
                f"images ({factor_text(frechet / floor)} times the median floor), and {half}: {max(way, 0):.0%} of "
                "the way from the untrained generator's distance to the floor, counted in factors")
    than = (f"{factor_text(untrained / frechet)} times lower than" if frechet <= untrained else
            f"{factor_text(frechet / untrained)} times higher than")
    return (f"above the floor's range ({lo:.1f} to {hi:.1f}), so the judge can still tell its samples from real "
            f"images. Counted in factors, {frechet:.1f} is {than} the untrained generator's {untrained:.0f} and "
            f"{factor_text(frechet / floor)} times the median floor ({floor:.1f}), so it is {half} (where the two "
            f"factors would be equal): {max(way, 0):.0%} of the way on that scale")


def gan_verdict(long_: dict, live: dict, untrained_frechet: float, floor: float, floor_range: tuple[float, float],
                way_long: float, way_live: float, ratio: float, interval: tuple[float, float], bar: float,
                n_pooled: int) -> str:
    """The verdict on the long-trained generator (``long_``, a judge report), then on your run (``live``).

    Sharpness: the pooled ratio of confident shares (``n_pooled`` samples) and its interval against ``bar``
    (:func:`sharpness_reading`). Closeness (:func:`closeness`): the Fréchet distance against the floor's range
    and the share of the way from the untrained generator (``untrained_frechet``) to real images (``way_*``).
    What AnoGAN needs, by the course's rule: every normal class, and past the halfway point on a log scale
    from the untrained generator's distance to the floor (``way_long`` >= 0.5)."""
    at_floor = long_["frechet"] <= floor_range[1]
    sharp = sharpness_reading(ratio, interval, bar)
    if long_["classes_covered"] < 9:
        consequence = (f"It misses a normal class ({long_['classes_covered']} of 9 covered), which matters more than "
                       "sharpness: AnoGAN scores an image by how well $G$ can redraw it, so notebook 03 will flag normal "
                       "images of the missing class as anomalies.")
    elif way_long < 0.5:
        consequence = ("What AnoGAN needs it has only in part: all 9 normal classes (smallest "
                       f"{long_['min_normal_share']:.1%}), but it is still short of the halfway point on a log scale.")
    else:
        # a miss when the whole interval lies below the bar; straddling it, the sharpness is "not shown"
        sharp_gap = (None if "reaches" in sharp else "as sharp as real images" if "misses" in sharp else
                     "shown to be as sharp as real images")
        short_of = [w for w in ("at the floor" if not at_floor else None, sharp_gap) if w]
        consequence = (f"What AnoGAN needs, by the course's rule, it has: all 9 normal classes (smallest "
                       f"{long_['min_normal_share']:.1%}) and past the halfway point on a log scale. So the "
                       "course uses it" + (f"; it is {'neither ' + ' nor '.join(short_of) if len(short_of) > 1 else 'not ' + short_of[0]}, "
                                           "and notebook 03 measures what that costs." if short_of else
                                           ", and notebook 03 measures how well it redraws normal images and bags."))
    return (f"**Verdict on the long-trained generator.** *Sharpness:* confident on {long_['confident']:.0%} of its "
            f"samples, real images on {long_['confident_real']:.0%}; pooled over {n_pooled:,} samples, a ratio of "
            f"{ratio_with_interval(ratio, interval, bar)}, so {sharp}. *Closeness:* a Fréchet distance of "
            f"{long_['frechet']:.1f}, {closeness(long_['frechet'], floor, floor_range, way_long, untrained_frechet)}. "
            f"{consequence}\n\n"
            f"**Your run**: confident on {live['confident']:.0%}, {live['classes_covered']} of 9 classes, a Fréchet "
            f"distance of {live['frechet']:.1f}, "
            f"{closeness(live['frechet'], floor, floor_range, way_live, untrained_frechet)}. "
            + ("It is as close to real images as the long-trained GAN." if live["frechet"] <= long_["frechet"] else
               f"The long-trained GAN's distance is {factor_text(live['frechet'] / long_['frechet'])} times lower in d² "
               f"(about {factor_text(np.sqrt(live['frechet'] / long_['frechet']))} times in d); optional part (d) "
               "below looks at where that gap comes from."))


def gan_verdict_bullets(long_: dict, live: dict, untrained_frechet: float, floor: float,
                        floor_range: tuple[float, float], way_long: float, way_live: float, ratio: float,
                        interval: tuple[float, float], bar: float, n_pooled: int, *, at_bar: float = 0.0005,
                        z_draws: Sequence[float] | None = None, anchors: Sequence[float] | None = None,
                        way_ranges: dict[str, tuple[float, float]] | None = None) -> tuple[str, str]:
    """Notebook 01's verdict in short sentences, conclusion first: (on the long-trained generator, on your run).

    The same readings as :func:`gan_verdict` (sharpness by :func:`sharpness_reading` with ``at_bar``), plus
    where given: the long-trained G's distance over other draws of its codes z (``z_draws``, all read
    against the floor's range), and the untrained anchor over several seeds (``anchors``, their distances)
    with the share of the way each generator gets under them (``way_ranges``: {"long-trained": (low, high),
    "your run": (low, high)})."""
    lo, hi = floor_range
    sharp = sharpness_reading(ratio, interval, bar, at_bar=at_bar)
    sharp_gap = (None if "reaches" in sharp else
                 "shown to be as sharp as real images" if "too close" in sharp
                 else "as sharp as real images")
    at_floor = long_["frechet"] <= hi
    short_of = [w for w in (None if at_floor else "at the floor", sharp_gap) if w]
    gap = ("It is " + ("neither " + " nor ".join(short_of) if len(short_of) > 1 else "not " + short_of[0])
           + "; notebook 03 measures what that costs." if short_of else
           "Notebook 03 measures how well it redraws normal images and bags.")
    if long_["classes_covered"] < 9:
        head = (f"**Verdict on the long-trained generator: not usable for AnoGAN as it is.** It misses a normal class "
                f"({long_['classes_covered']} of 9 covered): AnoGAN would flag normal images of that class.")
    elif way_long < 0.5:
        head = ("**Verdict on the long-trained generator: usable only in part.** It covers all 9 normal classes, but "
                "is still short of halfway to real images on a log scale.")
    else:
        head = (f"**Verdict on the long-trained generator: the course uses it.** It meets the course's rule for AnoGAN: "
                f"all 9 normal classes (smallest {long_['min_normal_share']:.1%}) and past halfway to real images on a "
                f"log scale. {gap}")
    z_text = ""
    if z_draws is not None and len(z_draws) > 1:
        above = min(z_draws) > hi
        z_text = (f" Over {len(z_draws)} draws of $z$ it ranges from {min(z_draws):.1f} to {max(z_draws):.1f}: "
                  + ("every draw lies above the floor's range." if above else "some draws reach the floor's range."))
    where = (f"inside the floor's range ({lo:.1f} to {hi:.1f}): by this measure its samples cannot be told from real "
             "images." if at_floor else
             f"above the floor's range ({lo:.1f} to {hi:.1f}): the judge can still tell its samples from real images.")

    def factors(frechet: float, key: str) -> str:
        than = (f"{factor_text(untrained_frechet / frechet)} times lower than" if frechet <= untrained_frechet else
                f"{factor_text(frechet / untrained_frechet)} times higher than")
        text = (f"Its distance is {than} the untrained generator's {untrained_frechet:.0f} and "
                f"{factor_text(frechet / floor)} times the median floor ({floor:.1f}).")
        if anchors is not None and way_ranges is not None and key in way_ranges and len(anchors) > 1:
            a, b = (f"{max(v, 0):.0%}" for v in way_ranges[key])
            text += (f" With {len(anchors)} untrained seeds as the anchor (distances {min(anchors):.0f} to "
                     f"{max(anchors):.0f}), the share " + (f"stays at {a}." if a == b else f"is {a} to {b}."))
        return text

    def share(way: float) -> str:
        return f"{max(way, 0):.0%} of the way to real images on a log scale, {'past' if way >= 0.5 else 'short of'} halfway"

    long_text = "\n".join([
        head, "",
        f"* *Sharpness.* Confident on {long_['confident']:.0%} of its samples; real images on "
        f"{long_['confident_real']:.0%}. Pooled over {n_pooled:,} samples, the ratio is "
        f"{ratio_with_interval(ratio, interval, bar)}: {sharp}.",
        f"* *Closeness.* A Fréchet distance of {long_['frechet']:.1f}, {where}{z_text}",
        f"* *Way to real.* {share(way_long)}. {factors(long_['frechet'], 'long-trained')}"])
    live_text = (f"**Your run** is {share(way_live)}: {live['classes_covered']} of 9 classes, confident on "
                 f"{live['confident']:.0%}, a Fréchet distance of {live['frechet']:.1f} "
                 + ("(inside the floor's range). " if live["frechet"] <= hi else "(above the floor's range). ")
                 + factors(live["frechet"], "your run")
                 + (" It is as close to real images as the long-trained GAN." if live["frechet"] <= long_["frechet"] else
                    f" The long-trained GAN's distance is {factor_text(live['frechet'] / long_['frechet'])} times lower "
                    f"in d² (about {factor_text(np.sqrt(live['frechet'] / long_['frechet']))} times in d); optional "
                    "part (d) below looks at where that gap comes from."))
    return long_text, live_text


def seen_unseen(diff: float, low: float, high: float) -> str:
    """(a): the judge's confident share on unseen minus seen real images (``diff``, 95 % interval)."""
    return "* (a) " + ("Within noise at this number of unseen images." if low <= 0 <= high else
                       f"The judge is {'more' if diff > 0 else 'less'} often confident on unseen images, beyond noise.")


def floor_ranges(apart: bool, factor: float) -> str:
    """(b): whether the floors' ranges on unseen and on trained-on images are ``apart``, and by which ``factor``."""
    return "* (b) " + (f"The ranges do not overlap: the table's floor, mostly from images the judge trained on, is "
                       f"probably low by a factor of about {factor:.1f}." if apart and factor > 1 else
                       "The ranges overlap: a floor varies from split to split as much as between seen and unseen images.")


def sharpness_history(verdict: str, final_share: float, flat_epoch: int, n_epochs: int, where: str,
                      decay_from: int | None = None) -> str:
    """(c): the sharpness ``verdict`` (:func:`sharpness_reading`) and since which epoch the confident share
    on validation images stayed within 0.015 of its ``final_share``. With ``decay_from`` (the first epoch of
    a learning rate falling to 0 by the last), the plateau is said to be partly built in by that schedule."""
    decays = decay_from is not None and decay_from <= n_epochs
    return (f"* (c) Pooled, as in the verdict above: {verdict}. Its confident share on validation images has "
            f"stayed within 0.015 of its final {final_share:.2f} since epoch {flat_epoch} of {n_epochs}"
            + (f"; but the learning rate falls linearly to 0 over epochs {decay_from}–{n_epochs}, so that plateau is "
               "partly built in by the schedule: it does not show whether more training would sharpen it."
               if decays and where != "above the reference" else "."))


def gradient_probe(d_steps: int, grad_ratio: float, prediction: float) -> str:
    """The probe's measured gradient ratio against the predicted factor: explained within a factor of 2."""
    return (f"**This probe.** After {d_steps} steps of $D$ alone, the non-saturating gradient is {grad_ratio:.3g} times "
            f"the saturating one, {grad_ratio / prediction:.2f} times the predicted factor {prediction:.3g}"
            + (": the derivation explains the measurement." if 0.5 < grad_ratio / prediction < 2 else
               ": further from it than the approximation explains."))


def gradient_agreement(d_steps: int, grad_ratio: float, prediction: float) -> str:
    """Notebook 01's probe reading (round 3): the measured gradient ratio against the predicted factor, with
    how closely they agree in whole per cent (or that they are further apart than a factor of 2)."""
    rel = grad_ratio / prediction
    agree = (f"the two agree within {max(1, int(np.ceil(100 * abs(1 - rel) - 1e-9)))} %" if 0.5 < rel < 2 else
             "further apart than the approximation explains")
    return (f"**This probe.** After {d_steps} steps of $D$ alone, the non-saturating gradient is {grad_ratio:.3g} times "
            f"the saturating one, against the predicted factor {prediction:.3g}: {agree}.")


def sharpness_summary(side: str, side_other: str | None = None) -> str:
    """The summary's word for the long-trained GAN's sharpness against the reference: ``side`` (from
    :func:`against_reference`) on the verdict's draw of z, ``side_other`` on another draw. Where the two draws
    disagree by one step (below / straddling), the word says "at or just below"; across it, "close to"."""
    word = {"below the reference": "below", "above the reference": "at or above",
            "straddling the reference": "not separable from"}
    if side_other is None or side_other == side:
        return word[side]
    pair = {side, side_other}
    if pair == {"below the reference", "straddling the reference"}:
        return "at or just below"
    if pair == {"above the reference", "straddling the reference"}:
        return "at or just above"
    return "close to (the draws of $z$ disagree)"


def gap_bullets(factor: str, share_trained: float, c_ep: int, n_epochs: int, raw_first: float, raw_c: float,
                avg_c: float, noise: float, n_draws: int, ahead_from: int | None, like: bool, fewer_images: bool,
                build_frechet: float, build_floor_inside: bool, above_as_here: bool, answer_first: bool = False,
                end: tuple[int, float] | None = None, log_scale: bool = False) -> str:
    """Notebook 01's Going deeper (d) (round 4), one claim a bullet: where the gap to your run (``factor`` times
    in d²) comes from. By epoch ``c_ep`` (the last at a constant learning rate) more training took the long run's
    raw G from ``raw_first`` to ``raw_c`` and averaging to ``avg_c``; that gain is read against the draw-to-draw
    ``noise`` of a distance (within it, about its size up to 1.5 times, or beyond). Then the pair's fairness and
    the caveats. With ``end`` (the chosen epoch, the average's distance there; round 7), a bullet says what the
    epochs after ``c_ep``, at a falling learning rate, added, so that the pieces account for the whole gap.
    With ``log_scale`` (round 12) each piece's share is counted in log d², as Section 7 counts the way to real
    images (``share_trained`` is then ignored): a late gain is judged by its factor, not by its absolute size."""
    gain = raw_c - avg_c
    shares = None
    low = end[1] if end is not None and c_ep < n_epochs and end[0] > c_ep else avg_c   # where the split ends
    if log_scale:
        total = np.log(raw_first / low)
        shares = [np.log(raw_first / raw_c) / total, np.log(raw_c / avg_c) / total, np.log(avg_c / low) / total]
        share_trained = shares[0]
    part = "nearly all" if share_trained >= 0.9 else "most" if share_trained >= 0.5 else "less than half"
    size = "within" if gain <= noise else "about the size of" if gain <= 1.5 * noise else "beyond"

    def pct(i: int) -> str:   # a piece's share of the log gap, in brackets (log_scale only)
        return f" ({shares[i]:.0%} on the log scale)" if shares is not None else ""

    late_share = f"{shares[2]:.0%} on the log scale; " if shares is not None else ""

    items = [f"More training explains {part} of it{pct(0)}: by epoch {c_ep}, the last at a constant learning rate, the "
             f"long run's raw $G$ went from {raw_first:.1f} (after epoch 1, about your run's steps) to {raw_c:.1f}.",
             (f"Averaging took {gain:.1f} more, to {avg_c:.1f}{pct(1)}" if shares is not None else
              f"Averaging took {gain:.1f} more ({gain / raw_c:.0%}, to {avg_c:.1f})")
             + f": {size} the draw-to-draw noise of a distance ({noise:.1f} over {n_draws} draws of $z$)"
             + (f", but the average is ahead at every epoch from {ahead_from} to {c_ep}." if ahead_from is not None
                else ".")]
    later = ""
    if c_ep < n_epochs and end is not None and end[0] > c_ep:
        later = (f"; the falling learning rate of epochs {c_ep + 1}–{end[0]} took the average a further "
                 f"{(avg_c - end[1]) / avg_c:.0%} lower, to {end[1]:.1f}")
        items.append(f"The falling learning rate of epochs {c_ep + 1}–{end[0]} took the average from {avg_c:.1f} to "
                     f"{end[1]:.1f} ({late_share}the raw $G$ kept training too). These epochs cannot show what averaging does on "
                     "its own: as the rate falls to 0, the average ends close to the raw $G$ by construction.")
    elif c_ep < n_epochs:
        items.append(f"Later epochs cannot show what averaging does: the rate falls to 0 over epochs {c_ep + 1}–"
                     f"{n_epochs}, so the average ends close to the raw $G$ by construction.")
    items.append("Your run and the long run's first epoch are " + (
        "a like-for-like pair (steps within a factor of 2, distances within 1.5)." if like else
        "not a like-for-like pair (steps or distances too far apart): read the split with care."))
    items.append("Caveat: your distance is to test images, the long run's to validation images"
                 + ("; and your run saw fewer images, more often." if fewer_images else "."))
    items.append(f"At build time the long-trained GAN scored {build_frechet:.1f} against these test images"
                 + (", above the floor's range as here" if above_as_here else "")
                 + f"; its own floor (test against validation images) lay {'inside' if build_floor_inside else 'outside'} "
                 "this notebook's floor range.")
    head = f"* (d) Where the gap to your run ({factor} times in d²) comes from" + (
        f", each piece's share of the fall from {raw_first:.1f} to {low:.1f} counted in log d² (the scale of the way "
        "to real images):" if shares is not None else ":")
    if answer_first:   # round 6: the answer in one sentence, the evidence and caveats after it
        head = (f"* (d) Where the gap to your run ({factor} times in d²) comes from. In short: {part} of it is training "
                f"time; averaging the weights lowers the distance by a further {gain / raw_c:.0%} at epoch {c_ep}, {size} "
                f"the draw-to-draw noise{later}. "
                "In detail:")
    return head + "\n" + "\n".join(f"    * {s}" for s in items)


def gan_verdict_plain(long_: dict, live: dict, floor_range: tuple[float, float], way_long: float,
                      way_live: float) -> str:
    """Notebook 01's main-line verdict (round 11), one plain sentence: does the long-trained generator meet the
    course's rule for AnoGAN (every normal class, ``classes_covered`` 9, and past halfway on the way to real
    images, ``way_long`` >= 0.5), can the judge's features still tell its samples from real images (its Fréchet
    distance above the floor's range), and does your run meet the rule too. The sharpness ratio is read in
    Going deeper (c) (:func:`sharpness_c`)."""
    lo, hi = floor_range

    def meets(r: dict, way: float) -> bool:
        return r["classes_covered"] == 9 and way >= 0.5

    def where(r: dict, way: float) -> str:
        return f"{r['classes_covered']} of 9 normal classes, {max(way, 0):.0%} of the way to real images"

    if meets(long_, way_long):
        head = f"**Verdict.** The course uses the long-trained GAN for AnoGAN ({where(long_, way_long)})"
    else:
        head = (f"**Verdict.** The long-trained GAN misses the course's rule for AnoGAN ({where(long_, way_long)}), "
                "so notebook 03 must read its results with that in mind")
    close = (f"in the judge's features its samples are still distinguishable from real images (Fréchet distance "
             f"{long_['frechet']:.1f}, above the floor's range of {lo:.1f} to {hi:.1f})" if long_["frechet"] > hi else
             f"in the judge's features its samples cannot be told from real images (Fréchet distance "
             f"{long_['frechet']:.1f}, inside the floor's range of {lo:.1f} to {hi:.1f})")
    joint = ", though " if long_["frechet"] > hi and meets(long_, way_long) else ", and "
    mine = (f"your run ({where(live, way_live)}) {'meets that rule too' if meets(live, way_live) else 'falls short of that rule'}")
    return f"{head}{joint}{close}; {mine}."


def sharpness_c(here: tuple[float, float, float], other: tuple[float, float, float], bar: float) -> str:
    """Notebook 01's Going deeper (c) (round 11): the sharpness ratio (the samples' confident share over the real
    images', ``here``: ratio, low, high of its 95 % interval) placed against ``bar`` by :func:`against_reference`,
    then the same on another draw of codes z (``other``, the build's), and one word for both
    (:func:`sharpness_summary`)."""
    side, side_o = against_reference(*here[1:], bar), against_reference(*other[1:], bar)
    same = side == side_o
    return (f"* (c) The long-trained GAN's confident share is {ratio_with_interval(here[0], here[1:], bar)} times the "
            f"real images', {side} of {bar:g} on this draw of $z$; the build's draw gives {other[0]:.3f}, {side_o}"
            + (" too." if same else ".") + f" Its sharpness is {sharpness_summary(side, side_o)} the reference"
            + ("." if same else ": which side one draw names depends on the draw."))


def stopping_reading(val: Sequence[float], chosen: int, constant_epochs: int) -> str:
    """Notebook 01's reading of how the long-trained GAN's epoch was chosen (round 11). ``val``: the averaged G's
    validation Fréchet distance after each epoch; ``chosen``: the epoch the rule kept; the learning rate is
    constant for ``constant_epochs`` epochs, then falls linearly to 0. A flat end inside the falling phase is what
    the schedule gives, so whether the run had settled is judged on the last two constant-rate epochs."""
    n = len(val)
    if chosen != n:
        return f"The rule kept epoch {chosen}, before the distance rose again."
    lead = f"The lowest is the last, epoch {n}, so the rule picked the last epoch: here it changed nothing."   # round 12

    def change(a: int) -> tuple[float, str]:   # the change from epoch a to a + 1 (1-based)
        d = val[a] - val[a - 1]
        return d, f"{d:+.1f} ({d / val[a - 1]:+.1%})"

    if n > constant_epochs >= 2:
        d_c, t_c = change(constant_epochs - 1)
        _, t_last = change(n - 1) if n > 1 else (0.0, "")
        return (f"{lead} Its last change, {t_last}, says little: the learning rate falls "
                f"to 0 over epochs {constant_epochs + 1}–{n}, so the end is flat by construction, and whether more "
                f"epochs would help cannot be read from it. At the constant rate (epoch {constant_epochs - 1} to "
                f"{constant_epochs}) the distance changed by {t_c}: "
                + ("still falling, so the run had not settled when the rate began to fall." if d_c < -0.02 * val[constant_epochs - 2] else
                   "nearly flat: the run had settled before the rate fell."))
    if n < 2:
        return f"{lead} One epoch cannot say whether the run had settled."
    d, t = change(n - 1)
    return (f"{lead} Its last change, at a constant learning rate, {t}: "
            + ("still falling, so more epochs might help." if d < -0.02 * val[n - 2] else "nearly flat: the run had settled."))


def fake_confidence(q: Sequence[float], arith: float, geo: float, ratio_recorded: float) -> str:
    """Notebook 01's Going deeper (e) (round 11): how sure D was of your run's fakes, answered first. ``q``: the
    10th, 50th and 90th percentiles of D(G(z)) on one set of fakes (training mode); ``arith`` and ``geo``: their
    arithmetic and geometric means; ``ratio_recorded``: the ratio training recorded in its last epoch. For the
    median fake the saturating loss would push (1 - D)/D times less than the non-saturating one (Section 8)."""
    lo, med, hi = q
    factor = (1 - med) / med
    if hi < 0.01:
        sure = "nearly certain they were fake, so the saturating loss would have starved $G$ (Section 8)"
    elif hi < 0.5:
        sure = (f"confident they were fake, not certain, so even the saturating loss would still have pushed $G$, "
                f"for the median fake about {factor_text(factor)} times more weakly than the non-saturating one "
                "(Section 8)")
    elif lo > 0.5:
        sure = "fooled by most of them: it called them real"
    else:
        sure = "unsure: it called some real and some fake"
    spread = (f"The geometric mean, {geo:#.2g}, lies {arith / geo:.1f} times below the arithmetic one, {arith:#.2g}, "
              "because the verdicts spread (Jensen's inequality)")
    return (f"**Reading.** Most of your run's fakes got $D(G(z))$ between {lo:#.2g} and {hi:#.2g} (10th to 90th "
            f"percentile, training mode): $D$ was {sure}. {spread}; the {ratio_recorded:.1f} times that training "
            "recorded in its last epoch also mixes different minibatches and a $D$ updated in between.")


def d_balance(share_high: float, n_steps: int, acc_last: float, acc_eval: float) -> str:
    """Notebook 01's reading of D's accuracy (round 7): over the run (``share_high``: the share of the ``n_steps``
    minibatch steps with accuracy above 0.97) and at its end, in training mode (``acc_last``, the last epoch) and
    image by image (``acc_eval``, eval mode). How sure D was of the fakes is left to Going deeper (e)
    (:func:`fake_verdict_spread`), which measures both of its means on one set of logits."""
    often = ("most of" if share_high >= 0.5 else "part of" if share_high >= 0.1 else "little of")
    dip = share_high >= 0.5 and acc_last <= 0.97
    end = ("The last epoch was a dip: " if dip else "At the end: ") + (
        f"{acc_last:.2f} in training mode, {acc_eval:.2f} image by image (eval mode); "
        + (f"both say {_who_leads(acc_eval)}." if _who_leads(acc_last) == _who_leads(acc_eval) else
           f"training mode says {_who_leads(acc_last)}, eval mode {_who_leads(acc_eval)}."))
    return (f"**This run.** Over the whole run, $D$'s accuracy was above 0.97 on {share_high:.0%} of the {n_steps:,} "
            f"minibatch steps: for {often} the run $D$ won almost every verdict. {end} How sure $D$ was of the fakes, "
            "beyond its mean verdict, is measured in Going deeper (e).")


def strong_summary(collapsed_modes: Sequence[int], balanced_full: int, n_seeds: int) -> str:
    """The summary's sentence on the strong D (k = 5, as many G steps as k = 1): how many of ``n_seeds`` seeds
    collapsed, onto how many modes (``collapsed_modes``, one count per collapsed seed), against the balanced
    game's seeds that covered all 8 modes (``balanced_full``); hedged, since a few seeds show only that it can."""
    base = f"$k = 1$ covered all 8 modes in {balanced_full} of {n_seeds}"
    if not collapsed_modes:
        return ("A strong one ($k = 5$, as many $G$ steps) did not collapse "
                + ("its one seed" if n_seeds == 1 else f"any of the {n_seeds} seeds") + f" this time; {base}.")
    lo, hi = min(collapsed_modes), max(collapsed_modes)
    modes = f"{lo} mode{_s(lo)}" if lo == hi else f"{lo} to {hi} modes"
    return (f"A strong one ($k = 5$, as many $G$ steps) collapsed {len(collapsed_modes)} of {n_seeds} seed{_s(n_seeds)} onto "
            f"{modes}, where {base} (with {n_seeds} seeds: that it happens, not how often).")


def code_pair_cosine(cos: float, norms: tuple[float, float], mid_norm: float, nz: int) -> str:
    """Section 9's straight walk: two independent Gaussian codes in ``nz`` dimensions are nearly orthogonal
    (cosine about 0, standard deviation 1/sqrt(nz), so about 95 % of pairs within 2/sqrt(nz)), so the line between
    them dips in norm. ``cos`` is this pair's cosine; ``norms`` their norms and ``mid_norm`` the midpoint's, against
    what orthogonal codes of these norms would give at the midpoint, half of sqrt(|z0|² + |z1|²)."""
    ortho = 0.5 * float(np.hypot(*norms))
    sd = 1 / np.sqrt(nz)
    text = (f"Two independent Gaussian codes in {nz} dimensions are nearly orthogonal (the cosine's standard "
            f"deviation is $1/\\sqrt{{n_z}}$ = {sd:.2g}, so about 95 % of pairs lie within ±{2 * sd:.2g}), so the "
            "straight line between them passes through codes of unusually low norm. ")
    if abs(cos) <= sd:
        return text + (f"This pair's cosine is {cos:.2f}, as expected: its midpoint's norm is {mid_norm:.1f}, close to "
                       f"the {ortho:.1f} that orthogonal codes of these norms give.")
    where = ("inside that range" if abs(cos) < 1.5 * sd else "at the edge of that range" if abs(cos) <= 2.5 * sd
             else "outside that range, a rare draw")
    return text + (f"This pair, at {cos:.2f}, is {where}: {'opposed' if cos < 0 else 'aligned'} enough that its "
                   f"midpoint's norm, {mid_norm:.1f}, lies {'below' if cos < 0 else 'above'} the {ortho:.1f} that "
                   "orthogonal codes of these norms would give.")


def latent_walk(names: list[str], norms: list[float], nz: int, sure_mid: bool, p_mid: float,
                brightness: Sequence[float] | None = None, ts: Sequence[float] | None = None) -> str:
    """The straight walk from z0 to z1: the judge's class at each end and how often it changes (``names``
    along the walk), the lowest code norm against sqrt(n_z), and the judge at the midpoint.

    With ``brightness`` (each image's 99th-percentile pixel value on 0-255, along the walk at ``ts``), the
    text says whether the low-norm middle is visibly dimmer: its darkest image under 0.85 times the dimmer
    end's."""
    changes = sum(a != b for a, b in zip(names, names[1:]))
    text = (f"**This walk.** The judge calls $z_0$'s image {names[0]} and $z_1$'s {names[-1]}"
            + (": one class, so the walk changes the garment's style." if names[0] == names[-1] else
               f"; the class changes {changes} time{_s(changes)}, so the walk changes the garment itself.")
            + f" The code's norm falls to {min(norms):.1f} on the way ($\\sqrt{{n_z}}$ = {nz ** 0.5:.1f}); at the "
            f"midpoint the judge is {'confident' if sure_mid else 'unsure'} ({p_mid:.0%})")
    if brightness is None or len(brightness) < 3:
        return text + (": the low norm is a risk, not a visible failure here." if sure_mid else
                       ": the low-norm midpoint draws a less clear image.")
    b = [float(v) for v in brightness]
    ts = list(ts) if ts is not None else list(np.linspace(0, 1, len(b)))
    low = 1 + int(np.argmin(b[1:-1]))
    dim = b[low] < 0.85 * min(b[0], b[-1])
    return (text + (", yet" if sure_mid and dim else ",") + f" the images' brightness (each one's 99th-percentile "
            f"pixel, 0–255) goes from {b[0]:.0f} at $z_0$ to {b[low]:.0f} at t = {ts[low]:.3g} and {b[-1]:.0f} at "
            "$z_1$: " + ("the middle of the walk is visibly dimmer, the visible cost of its low norm."
                         if dim else "no visible dimming, so the low norm is a risk, not a visible failure here."))


def dip_below_ends(brightness: Sequence[float]) -> tuple[float, int]:
    """How far a walk's darkest inner image lies below its dimmer end (``brightness`` along the walk, ends
    included; 0 when no inner image is darker) and that image's index."""
    b = [float(v) for v in brightness]
    low = 1 + int(np.argmin(b[1:-1]))
    return max(0.0, min(b[0], b[-1]) - b[low]), low


def latent_walk_control(names: list[str], norms: list[float], nz: int, brightness: Sequence[float],
                        control: Sequence[float], ts: Sequence[float]) -> str:
    """Notebook 01's straight walk from z0 to z1 (round 5), with its control: the judge's class at each end and
    how often it changes (``names``), the lowest code norm against sqrt(n_z), the images' ``brightness`` along
    the walk at ``ts``, and the same line with every code rescaled to norm sqrt(n_z) (``control``). The dip of
    each below its dimmer end (:func:`dip_below_ends`) says how much of the dimming the low norm explains: all of
    it (the control's dip at most a quarter of the walk's), none (at least three quarters), or part."""
    changes = sum(a != b for a, b in zip(names, names[1:]))
    dip, low = dip_below_ends(brightness)
    dip_c, low_c = dip_below_ends(control)
    text = (f"**This walk.** The judge calls $z_0$'s image {names[0]} and $z_1$'s {names[-1]}"
            + (": one class, so the walk changes the garment's style." if names[0] == names[-1] else
               f"; the class changes {_times(changes)}, so the walk changes the garment itself.")
            + f" The code's norm falls to {min(norms):.1f} on the way ($\\sqrt{{n_z}}$ = {nz ** 0.5:.1f}), and the "
            f"brightness (each image's 99th-percentile pixel, 0–255) goes from {brightness[0]:.0f} at $z_0$ to "
            f"{brightness[low]:.0f} at t = {ts[low]:.3g} and {brightness[-1]:.0f} at $z_1$")
    if dip == 0:
        return text + ": no dip, so there is no dimming for the low norm to explain."
    text += (f", {dip:.0f} below the dimmer end. With every code rescaled to norm $\\sqrt{{n_z}}$ (last row) the "
             + (f"darkest middle image is {control[low_c]:.0f} (t = {ts[low_c]:.3g}), {dip_c:.0f} below its dimmer end"
                if dip_c > 0 else "middle is no darker than the ends"))
    if dip_c <= 0.25 * dip:
        return text + ": the dimming disappears, so the low norm explains it."
    if dip_c >= 0.75 * dip:
        return text + ": the dimming stays, so the low norm does not explain it."
    return text + (": the dip shrinks, so the low norm explains part of the dimming, not all of it; the rest comes "
                   "from something else along the walk, such as the change of garment.")


# --------------------------------------------------------------------------------------------
# Notebook 03 (AnoGAN): the paired bootstrap's verdicts, the λ sweep and the sweeps' table
# --------------------------------------------------------------------------------------------

#: notebook 03's verdicts on a paired difference, strongest first: every reading of it uses these words
BEYOND = "beyond the noise"
EDGE_BEYOND = "on the edge: beyond the noise or weak evidence"
WEAK = "weak evidence"
EDGE_WEAK = "on the edge: weak evidence or not distinguishable"
TIED = "not distinguishable"


#: a deciding widened end closer to 0 than this (in AUROC) is read as "only just" beyond it: other test
#: images could move it across 0
NEAR_ZERO = 0.005


def only_just(d: Sequence[float]) -> str:
    """", only just (...)" where :func:`paired_label` says *beyond the noise* and the deciding widened end of ``d``
    lies within :data:`NEAR_ZERO` of 0 (other test images could call it weak evidence); else ""."""
    if paired_label(d) != BEYOND:
        return ""
    end = float(d[3] if _pointing(d) > 0 else d[4])
    return f", only just (its widened interval ends at {end:+.3f})" if abs(end) < NEAR_ZERO else ""


def verdict_clause(verdict: str) -> str:
    """A verdict from :func:`paired_verdict` (or a bare label) as a clause, ", verdict *label* (reason)": the
    label in italics and no colon before it, so that "on the edge: ..." does not chain a second colon."""
    label = next((w for w in (EDGE_BEYOND, EDGE_WEAK, BEYOND, WEAK, TIED) if verdict.startswith(w)), None)
    if label is None:
        raise ValueError(f"not one of notebook 03's verdicts: {verdict!r}")
    return f", verdict *{label}*{verdict[len(label):]}"


def _pointing(d: Sequence[float]) -> int:
    """+1 where the difference points up (the 95 % interval above 0, or straddling it with d >= 0), else -1."""
    return 1 if d[1] > 0 or (d[2] >= 0 and d[0] >= 0) else -1


def _end_state(side: int, rng: Sequence[float]) -> str:
    """'clear': an end's whole Monte-Carlo range lies beyond 0 on ``side``; 'edge': it contains 0; 'no'."""
    beyond = sum(side * float(v) > 0 for v in rng)
    return "clear" if beyond == 2 else "edge" if beyond == 1 else "no"


def paired_label(d: Sequence[float], wobble: np.ndarray | Sequence[Sequence[float]] | None = None) -> str:
    """The verdict on a paired difference ``d`` = (difference, 95 % low, high, widened low, high, images).

    The deciding end is the one nearer 0 on the side the difference points to: the widened one separates
    "beyond the noise" from "weak evidence", the 95 % one "weak evidence" from "not distinguishable".

    ``wobble`` (optional) holds the Monte-Carlo range of each of the four interval ends (rows in ``d``'s
    order 1-4; columns: low, high), the range other bootstrap draws could move that end to. An end is a
    percentile of B bootstrap draws; the number of draws beyond a fixed value is binomial, so the end that
    endlessly many draws would give lies, with 95 % confidence, between the draws' percentiles at
    p ± 1.96·sqrt(p(1 - p)/B), p being the end's share. (A rerun's own end has an error of the same size, so
    it falls inside that range with only about 83 % chance, P(|N| < 1.96/√2).) Where an end's range
    contains 0 the draws, not the data, decide, and the verdict is "on the edge" between the two words.
    Without ``wobble`` each end is read as it is (notebook 03 since its sixth review: enough draws that the
    ends' noise is small)."""
    if wobble is None:
        wobble = [[d[i], d[i]] for i in range(1, 5)]
    side = _pointing(d)
    i95, iw = (0, 2) if side > 0 else (1, 3)
    widened, at95 = _end_state(side, wobble[iw]), _end_state(side, wobble[i95])
    if widened == "clear":
        return BEYOND
    if widened == "edge":
        return EDGE_BEYOND
    return WEAK if at95 == "clear" else EDGE_WEAK if at95 == "edge" else TIED


def paired_verdict(d: Sequence[float], wobble: np.ndarray | Sequence[Sequence[float]] | None, m: int, level_pct: str) -> str:
    """:func:`paired_label` with its reason: which interval excludes 0, or the deciding end and its
    Monte-Carlo range where the verdict is on the edge (``m`` comparisons, widened to ``level_pct``)."""
    if wobble is None:   # the ends read as they are (see paired_label)
        wobble = [[d[i], d[i]] for i in range(1, 5)]
    label = paired_label(d, wobble)
    side = _pointing(d)
    i95, iw = (0, 2) if side > 0 else (1, 3)

    def moved(i: int, name: str) -> str:
        return (f"the {name} interval ends at {d[i + 1]:+.4f}; other bootstrap draws could move that end anywhere "
                f"in [{wobble[i][0]:+.4f}, {wobble[i][1]:+.4f}], on either side of 0")

    near = abs(float(d[iw + 1])) < NEAR_ZERO   # the deciding widened end: close enough to 0 that a rerun may cross it
    why = {BEYOND: f"the {level_pct} interval, widened for all {m} comparisons, excludes 0"
                   + (f", but only just: it ends at {float(d[iw + 1]):+.4f}, so a rerun on other images could call "
                      "it weak evidence" if near else ""),
           EDGE_BEYOND: moved(iw, f"widened {level_pct}"),
           WEAK: "the 95 % interval excludes 0, the widened one does not",
           EDGE_WEAK: moved(i95, "95 %"),
           TIED: f"on {int(d[5])} images the 95 % interval allows differences up to ±{max(abs(d[1]), abs(d[2])):.2f}"}
    return f"{label} ({why[label]})"


def paired_verdict_shown(d: Sequence[float], wobble: np.ndarray | Sequence[Sequence[float]], m: int,
                         level_pct: str) -> str:
    """:func:`paired_verdict`, with a *not distinguishable* reason that prints the 95 % interval itself (which
    may be asymmetric) instead of its larger half-width."""
    text = paired_verdict(d, wobble, m, level_pct)
    if paired_label(d, wobble) != TIED:
        return text
    return f"{TIED} (on {int(d[5])} images the 95 % interval [{d[1]:+.3f}, {d[2]:+.3f}] contains 0)"


def _signed(v: float) -> str:
    text = f"{v:+.3f}"
    return "0.000" if text in ("+0.000", "-0.000") else text


def _lams(vs: list[float]) -> str:
    return "λ = " + " and ".join(f"{v:g}" for v in vs)


def lambda_reading(lam: float, auroc_lam: dict[float, float], lam_diffs: dict[float, Sequence[float]],
                   verdicts: dict[float, str], labels: dict[float, str], n_half: int, parts: dict[str, float],
                   combined: float, part_diff: Sequence[float], part_verdict: str, n_all: int) -> str:
    """Notebook 03, Section 8: every λ against the paper's (one verdict each, ``verdicts`` and ``labels``
    from :func:`paired_verdict` and :func:`paired_label`), the curve's shape, and the λ = ``lam`` score's
    two parts (``parts``: AUROC of L_R alone and of L_D alone, on all ``n_all`` images)."""
    higher = [v for v, d in lam_diffs.items() if d[0] > 0 and labels[v] != TIED]
    lower_firm = [v for v, d in lam_diffs.items() if d[0] < 0 and labels[v] == BEYOND]
    lower_soft = [v for v, d in lam_diffs.items() if d[0] < 0 and labels[v] not in (BEYOND, TIED)]
    steps = np.diff([auroc_lam[v] for v in sorted(auroc_lam)])
    monotone = bool((steps <= 0).all() or (steps >= 0).all())
    low = min(auroc_lam, key=auroc_lam.get)
    return (
        f"**Reading the λ sweep** (every λ searched with the step size chosen for λ = {lam:g}, on {n_half} test "
        f"images).\n\n* **Against λ = {lam:g}, the paper's value** (AUROC {auroc_lam[lam]:.3f}): "
        + "; ".join(f"λ = {v:g} scores {auroc_lam[v]:.3f}, a difference of {_signed(d[0])}{verdict_clause(verdicts[v])}"
                    for v, d in lam_diffs.items())
        + ". " + ((f"No λ scores above {lam:g} on this sample. " if all(d[0] <= 0 for d in lam_diffs.values()) else
                   f"No λ scores distinguishably above {lam:g} on this sample. ") if not higher else
                  f"{_lams(higher)} scores above {lam:g} ("
                  + ", ".join(labels[v] for v in higher) + "), read with test labels: no licence to retune. ")
        + f"\n* **The curve** is {'monotone' if monotone else 'not monotone'} in λ; its lowest point is "
        f"λ = {low:g} ({auroc_lam[low]:.3f})."
        + (f" The lower AUROC at {_lams(lower_firm)} is {BEYOND}; candidate causes, untested: the step size, chosen "
           f"for λ = {lam:g}, which may not suit another λ, and the search itself (a different loss to descend, "
           "from the same starting codes)." if lower_firm else "")
        + (" Lower, but short of *" + BEYOND + "*: " + "; ".join(f"λ = {v:g} (*{labels[v]}*)" for v in lower_soft)
           + f". Candidate causes: the same step size, and the test-sample noise ({n_half} images)."
           if lower_soft else "")
        + f"\n* **The parts of the λ = {lam:g} score:** L_R alone {parts['L_R alone']:.3f}, L_D alone "
        f"{parts['L_D alone']:.3f}, combined {combined:.3f}; the parts differ by {_signed(part_diff[0])}"
        f"{verdict_clause(part_verdict)}. (The curve uses {n_half} images, the parts all {n_all}, so λ = {lam:g} appears with "
        "two AUROCs.)")


def anogan_sweeps_table(gamma: int, reached: int, auroc_reached: float, auroc_final: float, n_all: int, lam: float,
                        auroc_lam: dict[float, float], lam_diffs: dict[float, Sequence[float]],
                        labels: dict[float, str], n_half: int, level_pct: str) -> str:
    """Notebook 03's summary: the Γ sweep's early stop and every λ against the paper's, one row each, with
    the same verdict words as Section 8 (``labels`` from :func:`paired_label`)."""
    rows = [f"| Γ | stopped at step {reached} of {gamma} | {auroc_reached:.3f} | "
            f"{_signed(auroc_reached - auroc_final)} against Γ = {gamma} ({auroc_final:.3f}), all {n_all} images | "
            "not tested (read off the trajectory) |",
            f"| λ | {lam:g}, the paper's (the reference) | {auroc_lam[lam]:.3f} | — ({n_half} images) | — |"]
    rows += [f"| λ | {v:g} | {auroc_lam[v]:.3f} | {_signed(d[0])}, {level_pct} interval [{_signed(d[3])}, "
             f"{_signed(d[4])}] | {labels[v]} |" for v, d in lam_diffs.items()]
    return ("| sweep | setting | AUROC | difference | verdict |\n|---|---|---|---|---|\n" + "\n".join(rows))


def _a_an(name: str) -> str:
    """'a Shirt', 'an Ankle boot'."""
    return ("an " if name[0].lower() in "aeiou" else "a ") + name


def search_pair_reading(last_frame: dict[str, dict], show_t: Sequence[int], gamma: int, lam: float, n_f: int, n_px: int,
                        true_normal: str, anomaly: str, before: dict[str, float], default_lr: float,
                        name_at) -> str:
    """Notebook 03, Section 5: the loss curves, the judge's names along the strip and the two parts of the
    score, for one normal image and one bag searched together. ``last_frame``: name -> the frame at Γ (arrays
    ``loss``, ``loss_R``, ``loss_D`` over the steps); ``before``: each image's score with ``default_lr``;
    ``name_at(row, t)``: the judge's name for G(z_t) of the image in that row."""
    curve = {name: np.asarray(f["loss"], dtype=float) for name, f in last_frame.items()}
    k_10 = max(1, gamma // 10)                                                        # a tenth of the steps
    early = {name: (c[0] - c[k_10]) / (c[0] - c[-1]) for name, c in curve.items()}    # share of the fall, first tenth
    late = {name: (c[-1 - k_10] - c[-1]) / (c[0] - c[-1]) for name, c in curve.items()}   # last tenth (< 0: a rise)
    settled = {name: -0.02 <= v <= 0.03 for name, v in late.items()}   # at most 3 % of the fall in the last tenth
    rose = [name for name, v in late.items() if v < -0.02]
    rows = {name: row for row, name in enumerate(curve)}
    strip = {name: [name_at(rows[name], t) for t in show_t] for name in curve}
    best_t = {name: int(np.argmin(c)) for name, c in curve.items()}
    best_class = {name: name_at(rows[name], best_t[name]) for name in curve}
    half = [i for i, t in enumerate(show_t) if t >= gamma // 2][0]
    bag_jumped = len(set(strip["bag"][half:])) > 1
    bag_best_gain = 1 - curve["bag"][best_t["bag"]] / curve["bag"][-1]
    bag_like = anomaly in strip["bag"] + [best_class["bag"]]
    i10 = next(i for i, t in enumerate(show_t) if t >= k_10)
    f_n = last_frame["normal image"]
    mean_R, mean_D = float(f_n["loss_R"][-1]) / n_px, float(f_n["loss_D"][-1]) / n_f
    share_D = {name: lam * float(f["loss_D"][-1]) / float(f["loss"][-1]) for name, f in last_frame.items()}
    late_w = {name: f"{v:.0%}" if v >= 0 else f"a rise of {-v:.0%}" for name, v in late.items()}
    unsettled = "".join(name for name in settled if not settled[name])
    if all(c[-1] < c[0] for c in curve.values()):
        fall = (f"* The first {k_10} of the {gamma} steps brought {early['normal image']:.0%} of the normal image's "
                f"fall and {early['bag']:.0%} of the bag's; the last {k_10} brought {late_w['normal image']} and "
                f"{late_w['bag']}.\n* ")
        if rose:
            fall += (f"The {' and the '.join(n + chr(39) + 's' for n in rose)} loss{'es' if len(rose) > 1 else ''} "
                     "rose again near the end: even the chosen step can overshoot one image's minimum, and the score "
                     "is the last loss, not the lowest (Exercise 1 keeps the best code).\n")
        elif all(settled.values()):
            fall += ("Both had nearly settled (at most 3 % of the fall in the last tenth): a longer search would "
                     "change these scores little.\n")
        elif not any(settled.values()):
            fall += "Both were still falling at Γ: a longer search would lower both scores.\n"
        else:
            fall += (f"The {unsettled}'s loss was still falling at Γ while the other had settled: a longer search "
                     f"would lower the {unsettled}'s score a little.\n")
    else:
        fall = ("* A loss ended above its start (" + ", ".join(f"{name} {c[0]:.1f} → {c[-1]:.1f}"
                                                               for name, c in curve.items())
                + "): the chosen step size overshoots for this pair, although it was the best of four on "
                "validation images.\n")
    a_b, a_n = curve["bag"][-1], curve["normal image"][-1]
    curves_md = (
        "**What to see in the loss curves.**\n\n" + fall
        + f"* The bag ends at A(x) = {a_b:.1f}, the normal image at {a_n:.1f}"
        + (": the gap the score relies on.\n" if a_b > a_n
           else ": here the bag scores lower; one pair proves nothing (Section 6 scores hundreds).\n")
        + f"* Section 3 searched the same two images with the default step {default_lr}: {before['normal image']:.1f} "
        f"and {before['bag']:.1f}. The step size alone moved their scores by {a_n - before['normal image']:+.1f} and "
        f"{a_b - before['bag']:+.1f}: a score belongs to the generator *and* the search (Section 4).")
    if best_t["bag"] < gamma and bag_best_gain > 0.01:
        best = (f"Its lowest loss came at step {best_t['bag']} ({best_class['bag']}), not at Γ: the score is the loss "
                "where the search *stopped*, not at the closest image it found (Exercise 1 keeps the best code). ")
    elif best_t["bag"] == gamma:
        best = "Its loss was lowest at Γ itself: the last code is also the best one visited. "
    else:
        best = (f"Its lowest loss (step {best_t['bag']}) is only {bag_best_gain:.1%} below the last: here the last "
                "code and the best one score the same. ")
    s = share_D["normal image"]
    strip_md = (
        "**Along the strip** (the judge's names for $G(\\mathbf{z}_t)$; it only reads, the search never sees it).\n\n"
        "* **The bag:** " + " → ".join(f"{c} (t = {t})" for c, t in zip(strip["bag"], show_t)) + ". "
        + ("The class changes in the second half: the code can jump between garments late in the search. "
           if bag_jumped else "")
        + best
        + (f"At some step the judge calls $G(\\mathbf{{z}}_t)$ {_a_an(anomaly)}: a generator trained without a single "
           "bag can still draw bag-like shapes (a rectangle, a rounded body), so some bags may be partly explained "
           "and score lower: one possible reason the score histograms of Section 6 overlap."
           if bag_like else
           "The generator, trained without a single bag, offered nothing of the bag's kind here; for other bags it "
           "may draw bag-like shapes, which would then score lower: one possible reason the score histograms of "
           "Section 6 overlap.")
        + f"\n* **The normal image** ({true_normal}): {' → '.join(strip['normal image'])}, "
        + ("already" if strip["normal image"][i10] == true_normal else "not yet")
        + f" the right kind at t = {show_t[i10]}, with {early['normal image']:.0%} of the fall done by step {k_10}."
        + f"\n* **The two parts at Γ** (normal image, λ = {lam:g}): λ L_D = {lam * float(f_n['loss_D'][-1]):.1f} "
        f"against (1 − λ) L_R = {(1 - lam) * float(f_n['loss_R'][-1]):.1f}, so the feature term makes {s:.0%} of "
        "the score, "
        + ("about half, although λ = 0.1 looks small" if 0.35 <= s <= 0.65 else
           "less than λ's share of the weight would suggest" if s < lam else
           "a minority, yet far more than λ = 0.1 suggests" if s < 0.35 else "most of it")
        + f" (the bag: {share_D['bag']:.0%}). The small weight is offset by size: L_D sums {n_f:,} feature "
        f"differences against {n_px:,} pixel differences"
        + (f", and each differs by more on average ({mean_D:.2f} against {mean_R:.2f})." if mean_D > mean_R else
           f", although each differs by less on average ({mean_D:.2f} against {mean_R:.2f}).")
        + " So the score mixes both distances; Section 8 scores each part alone to see which separates the bags.")
    return curves_md + "\n\n" + strip_md


def residual_reading(res_shown: dict[str, float], threshold: float, alarms: list[tuple], n_starts: int,
                     normal_shown: int, bag_scores: Sequence[float], normal_scores_all: Sequence[float],
                     recall: float, auroc: float) -> str:
    """Notebook 03, Section 7: what the residual maps of the shown images say. ``alarms``: one tuple per shown
    normal image above ``threshold``: (its column, its class, the judge's name for G(z_Γ), its score, the best
    score of ``n_starts`` other starts); ``bag_scores``: the shown bags' scores; ``normal_scores_all``: every
    normal test image's score."""
    bag_scores = np.asarray(bag_scores, dtype=float)
    caught = int((bag_scores > threshold).sum())
    normal_all = np.asarray(normal_scores_all, dtype=float)
    below = float((normal_all < bag_scores.min()).mean())
    alarm_text = [f"column {col}, {_a_an(cls)} scoring {score:.0f}, redrawn as {_a_an(drawn)} (the judge's name for "
                  "$G(\\mathbf{z}_\\Gamma)$)" for col, cls, drawn, score, best in alarms]
    restart_text = [f"* **Column {col} from {n_starts} other starts:** "
                    + (f"best score {best:.0f}, below the threshold: mostly a poor local minimum of its start, not "
                       "an image $G$ cannot draw"
                       + (f". Still, {best:.0f} is above {np.mean(normal_all < best):.0%} of the normal test "
                          f"images, and a best of {n_starts} flatters it"
                          if np.mean(normal_all < best) > 0.5 else "")
                       if best < threshold
                       else f"best score still {best:.0f}: $G$ draws this image badly") + ".\n"
                    for col, cls, drawn, score, best in alarms]
    n_b = len(bag_scores)
    return (
        "**What to see** (bottom row).\n\n"
        f"* The residual is {'darker' if res_shown['normal'] < res_shown['bag'] else 'not darker'} for the normal "
        f"images shown than for the bags (mean {res_shown['normal']:.2f} against {res_shown['bag']:.2f} per pixel).\n"
        "* For a bag, $G$ can only draw another garment or a bag-like shape: the residual is bright where the two "
        "differ (handles, corners, the outline).\n"
        f"* Normal images that the search redraws badly light up too, and become false alarms above the threshold "
        f"({threshold:.0f}): "
        + (f"here {'; '.join(alarm_text)}.\n" if alarm_text else f"none of the {normal_shown} shown here does.\n")
        + "".join(restart_text)
        + (f"* None of the {n_b} bags shown scores above it" if caught == 0 else
           f"* {caught} of the {n_b} bags shown score{'s' if caught == 1 else ''} above it")
        + ((f": scores of {bag_scores.min():.0f} to {bag_scores.max():.0f}, even the lowest above {below:.0%} of the "
            f"normal test images, yet below the threshold: hence Section 6's recall of {recall:.0%} next to an AUROC "
            f"of {auroc:.3f}." if below > 0.5 else
            ": bright residuals, yet scores among the normal images' (Section 6's recall).")
           if caught < n_b / 2 else "."))


def score_vs_objective(lam: float, ld_same: float, auroc_lam: dict[float, float], labels: dict[float, str],
                       n_same: int, diff: Sequence[float] | None = None,
                       replicates: dict[int, float] | None = None) -> str:
    """Notebook 03, Section 8: when L_D alone, read at the λ = ``lam`` codes on the sweep's ``n_same`` images
    (AUROC ``ld_same``), scores above the search with L_D alone (λ = 1, lower than λ = ``lam`` and not tied), say
    that a good score need not be a good search objective, with the cause hedged. Every number is on the same
    images. Empty otherwise. ``labels``: the λ verdicts of :func:`paired_label`.

    ``diff`` (optional): the paired difference (difference, 95 % low, high, ...) of the two, a side question read
    at 95 % only (:func:`label95`); where its interval holds 0 the heading is hedged. ``replicates`` (optional):
    {seed of the starting codes: the same difference} measured beforehand, quoted as context."""
    worse = [v for v in auroc_lam if v > lam and auroc_lam[v] < auroc_lam[lam] and labels.get(v) != TIED]
    if 1 not in worse or ld_same <= max(auroc_lam[v] for v in worse):
        return ""
    held = diff is None or label95(diff) != TIED
    text = (f"\n* **A good score, {'a' if held else 'perhaps a'} poor objective.** On the same {n_same} images, L_D "
            f"read at the λ = {lam:g} codes scores {ld_same:.3f} (the λ = {lam:g} score: {auroc_lam[lam]:.3f}), yet "
            f"searching with L_D alone (λ = 1) scores {auroc_lam[1]:.3f}"
            + "".join(f" (λ = {v:g}: {auroc_lam[v]:.3f})" for v in worse if v != 1))
    if diff is not None:
        text += (f": {signed(diff[0])}, 95 % interval [{signed(diff[1])}, {signed(diff[2])}], "
                 f"{plain_verdict(label95(diff))} (a side question, read at 95 % only)")
    text += "."
    if replicates:
        text += (" With other starting codes $\\mathbf{z}_0$ (seeds "
                 + _and_list([str(k) for k in replicates]) + ", measured beforehand), the same difference was "
                 + _and_list([signed(v) for v in replicates.values()]) + ".")
    return text + (" One possible reason, untested: descending on D's features alone can reach images that match x "
                   "in features but not in pixels.")


def shown_flaws_reading(panels: Sequence[tuple[int, str, bool, float, float, float]]) -> str:
    """Notebook 03, Section 7: which flaws of the figure the residual map hit and which it missed (the notebook's
    hit rule). ``panels``: one tuple per flawed panel shown, (row = image number, kind, hit, contrast, clean score, flawed score);
    contrast is the flaw's mean pixel change (0 to 2). One sentence, starting with a space; empty if none."""
    if not panels:
        return ""
    hits = [p for p in panels if p[2]]
    misses = [p for p in panels if not p[2]]

    def names(ps):
        return _and_list([f"the {p[1]} on image {p[0]}" for p in ps])

    def changes(ps):
        return " and ".join(f"{p[3]:.2f}" for p in ps)

    if not misses or not hits:
        text = (f" In the figure the map {'hits' if hits else 'misses'} all {len(panels)} flaws shown "
                f"(pixel change {changes(panels)})")
    else:
        fainter = max(p[3] for p in misses) < min(p[3] for p in hits)
        text = (f" In the figure, {names(hits)} {'is a hit' if len(hits) == 1 else 'are hits'}; {names(misses)} "
                f"{'is a miss' if len(misses) == 1 else 'are misses'}, "
                + ("the fainter " + ("flaw" if len(misses) == 1 else "ones") if fainter else "yet not the fainter")
                + f" (pixel change {changes(misses)} against {changes(hits)})")
    falls = [p for p in panels if p[5] < p[4]]
    return (text + "".join(f"; the score of {names([p])} even falls ({p[4]:.0f} → {p[5]:.0f})" for p in falls)
            + ".")


def plain_verdict(label: str) -> str:
    """Notebook 03's verdict for the main text, in italics: a label from :func:`paired_label`, where an "on the
    edge" label reads as the weaker of its two words, marked borderline (the rule lives in a details box)."""
    weaker = {EDGE_BEYOND: WEAK, EDGE_WEAK: TIED}
    if label in weaker:
        return f"*{weaker[label]}* (borderline)"
    if label in (BEYOND, WEAK, TIED):
        return f"*{label}*"
    raise ValueError(f"not one of notebook 03's verdicts: {label!r}")


def lambda_sweep_bullets(lam: float, auroc_lam: dict[float, float], lam_diffs: dict[float, Sequence[float]],
                         labels: dict[float, str], n_half: int, step_tested: float | None = None,
                         loss_tested: bool = False) -> str:
    """Notebook 03, Section 8: one bullet per λ against the paper's ``lam`` (its AUROC, the difference and the
    plain verdict of :func:`plain_verdict`), then whether any λ scored above it and, for the lower ones, the
    candidate causes. ``labels`` from :func:`paired_label`. ``step_tested``: a lower λ whose own step size the
    notebook tests (:func:`own_step_reading`); the causes bullet then points to that test. ``loss_tested``: the
    notebook also tests the loss (:func:`score_vs_objective` has a reading), so that cause points ahead too."""
    higher = [v for v, d in lam_diffs.items() if d[0] > 0 and labels[v] != TIED]
    lower = [v for v, d in lam_diffs.items() if d[0] < 0 and labels[v] != TIED]
    text = (f"**Reading the λ sweep** ({n_half} test images; every λ searched with the step size chosen for "
            f"λ = {lam:g}, the paper's value, which scores {auroc_lam[lam]:.3f}).\n\n"
            + "".join(f"* λ = {v:g}: {auroc_lam[v]:.3f}, {_signed(d[0])} against λ = {lam:g}, "
                      f"{plain_verdict(labels[v])}{only_just(d) if labels[v] == BEYOND else ''}.\n"
                      for v, d in lam_diffs.items()))
    if higher:
        text += f"* {_lams(higher)} scores above {lam:g}, read with test labels: no licence to retune.\n"
    else:
        text += (f"* No λ scores {'above' if all(d[0] <= 0 for d in lam_diffs.values()) else 'distinguishably above'} "
                 f"{lam:g} on this sample.\n")
    loss_note = "(tested below: *a good score, a poor objective*)" if loss_tested else "(untested)"
    if lower and step_tested in lower:
        text += (f"* Candidate causes of the drop at {_lams(lower)}: the step size, chosen for λ = {lam:g} (tested "
                 f"for λ = {step_tested:g} below), and a different loss to descend {loss_note}.\n")
    elif lower and loss_tested:
        text += (f"* Candidate causes of the drop at {_lams(lower)}: the step size, chosen for λ = {lam:g} "
                 f"(untested), and a different loss to descend {loss_note}.\n")
    elif lower:
        text += (f"* Candidate causes of the drop at {_lams(lower)}, untested: the step size, chosen for λ = {lam:g}, "
                 "and a different loss to descend.\n")
    return text


def anogan_sweeps_table_plain(gamma: int, reached: int, auroc_reached: float, auroc_final: float, n_all: int,
                              lam: float, auroc_lam: dict[float, float], lam_diffs: dict[float, Sequence[float]],
                              labels: dict[float, str], n_half: int) -> str:
    """:func:`anogan_sweeps_table` with the 95 % interval and the plain verdicts of :func:`plain_verdict`
    (the widened interval stays in the notebook's details)."""
    rows = [f"| Γ | stopped at step {reached} of {gamma} | {auroc_reached:.3f} | "
            f"{_signed(auroc_reached - auroc_final)} against Γ = {gamma} ({auroc_final:.3f}), {n_all} images | "
            "not tested |",
            f"| λ | {lam:g}, the paper's | {auroc_lam[lam]:.3f} | the reference ({n_half} images) | — |"]
    rows += [f"| λ | {v:g} | {auroc_lam[v]:.3f} | {_signed(d[0])} [{_signed(d[1])}, {_signed(d[2])}] | "
             f"{plain_verdict(labels[v])}{only_just(d) if labels[v] == BEYOND else ''} |" for v, d in lam_diffs.items()]
    return ("| sweep | setting | AUROC | difference [95 % interval] | verdict |\n|---|---|---|---|---|\n"
            + "\n".join(rows))


def signed(v: float) -> str:
    """Notebook 03: a difference with its sign, to three decimals ("+0.061", "-0.014"); one that rounds to zero
    prints as "0.000", without a sign."""
    return _signed(v)


def paired_intervals(d: Sequence[float], level_pct: str) -> str:
    """Notebook 03: both intervals of a paired difference ``d`` = (difference, 95 % low, high, widened low, high,
    ...), "95 % interval [low, high], <level_pct> [low, high]"."""
    return (f"95 % interval [{signed(d[1])}, {signed(d[2])}], {level_pct} [{signed(d[3])}, {signed(d[4])}]")


def label95(d: Sequence[float]) -> str:
    """Notebook 03: the verdict on a side question (outside the planned family), read at 95 % only: *weak
    evidence* where the 95 % interval (``d[1]``, ``d[2]``) excludes 0, else *not distinguishable*."""
    return WEAK if d[1] > 0 or d[2] < 0 else TIED


def class_table_reading(class_means: dict[str, float], bright: dict[str, float], drawn: dict[str, float],
                        kept: dict[str, float]) -> str:
    """Notebook 03, Section 7 (optional): the per-class table read against two candidate causes of a normal
    class's mean score, one column each: bright area (``bright``, share of bright pixels) and how often G draws
    the class (``drawn``). The third column, how often the search keeps the class (``kept``: G(z_Γ) judged the
    image's own class), is a symptom, not a cause: a search that ends on another class leaves a large residual by
    construction, so it is read apart. Spearman ρ over the classes, with its p-value: with a handful of classes a
    link is weak evidence at most."""
    from scipy import stats

    order = sorted(class_means, key=lambda k: -class_means[k])
    n = len(order)
    score = [class_means[c] for c in order]
    cols = {"bright px": bright, "G draws": drawn}
    rho = {k: stats.spearmanr(score, [col[c] for c in order]) for k, col in {**cols, "search keeps": kept}.items()}
    r = {k: float(v.statistic) for k, v in rho.items()}

    def p_words(k):
        p = float(rho[k].pvalue)
        return (f"not significant over {n} classes (p = {p:.2f})" if p >= 0.05 else
                f"p = {p:.2f}, but over only {n} classes: weak evidence at most")

    span = max(drawn.values()) - min(drawn.values())
    text = (f"* **The normal classes** (table) range from {order[0]} (mean score {class_means[order[0]]:.0f}) to "
            f"{order[-1]} ({class_means[order[-1]]:.0f}). Two candidate causes, one column each: bright area "
            "(*bright px*; a sum over pixels grows with it) and how often $G$ draws the class (*G draws*). Spearman "
            f"ρ of each with the mean score, over the {n} classes (from unrounded values): "
            + ", ".join(f"{k} {r[k]:+.2f}" for k in cols) + ".\n")
    text += ("* *Search keeps* is a symptom, not a cause: where the search ends on another class, the residual is "
             "large by construction. " + (
                 f"So classes whose search often lands on another class score high, as expected (ρ = "
                 f"{r['search keeps']:+.2f}; {order[0]} {kept[order[0]]:.0%}, {order[-1]} {kept[order[-1]]:.0%}).\n"
                 if r["search keeps"] <= -0.4 else
                 f"Here it barely follows the scores (ρ = {r['search keeps']:+.2f}): the high scores come with "
                 "searches that keep the class, on images $G$ redraws poorly within it.\n"))
    if span < 0.1:
        text += (f"* *G draws* spans only {min(drawn.values()):.0%} to {max(drawn.values()):.0%}: too narrow a "
                 "range to say anything about coverage.\n")
    best = max(cols, key=lambda k: abs(r[k]))
    if abs(r[best]) >= 0.4:
        col = cols[best]
        name = {"bright px": "bright area", "G draws": "how often G draws the class"}[best]
        text += (f"* **Of the two, the clearer link is with {name}** (*{best}*, ρ = {r[best]:+.2f}): high scores go "
                 f"with {'low' if r[best] < 0 else 'high'} values ({order[0]} {col[order[0]]:.0%}, {order[1]} "
                 f"{col[order[1]]:.0%}; the lowest-scoring class, {order[-1]}, {col[order[-1]]:.0%}); "
                 f"{p_words(best)}.\n")
    dim = min(bright, key=bright.get)
    pos = order.index(dim) + 1
    where = ("scores highest of all" if pos == 1 else "scores lowest of all" if pos == n
             else f"ranks {pos} of {n} by score")
    if abs(r[best]) < 0.4:                               # one bullet: neither orders, bright area's example
        text += (f"* **Neither candidate orders the scores clearly** (both |ρ| below 0.4 over {n} classes): {dim}, "
                 f"with the fewest bright pixels ({bright[dim]:.0%}), {where}. Section 8 finds bright images scoring "
                 "high *before* the search (t = 0); after it, bright area does not order these classes.\n")
    elif best != "bright px":
        if r["bright px"] < 0.4:
            text += (f"* **Bright area does not order these scores** (ρ = {r['bright px']:+.2f}): {dim}, with the "
                     f"fewest bright pixels ({bright[dim]:.0%}), {where}. Section 8 finds bright images scoring "
                     "high *before* the search (t = 0); across these classes, after it, bright area does not "
                     "order the scores.\n")
    return text


def own_step_reading(lam: float, lam_other: float, lr_shared: float, lr_own: float, n_val: int,
                     auroc_shared: float, auroc_own: float | None, d_shared: Sequence[float],
                     d_own: Sequence[float] | None) -> str:
    """Notebook 03, Section 8: the step-size test of the λ sweep. λ = ``lam_other`` was searched with the step
    ``lr_shared`` chosen for λ = ``lam``; ``lr_own`` is the step its own loss prefers on ``n_val`` validation
    images (Section 4's rule). Where it differs, the test images were searched again with it (AUROC
    ``auroc_own``; ``d_own``, its paired difference to λ = ``lam``, a side question read at 95 % only);
    ``d_shared``: the sweep's difference, with the shared step."""
    head = f"* **Is it the step size?** On the same {n_val} validation images, λ = {lam_other:g}'s own loss "
    if lr_own == lr_shared or d_own is None or auroc_own is None:
        return (head + f"also ends lowest with step {lr_own:g}, the step the sweep used: by Section 4's rule it would "
                "pick the same step, so that rule does not explain its drop (a step that fits best need not "
                "separate best); a different loss to descend remains the candidate (tested below).\n")
    text = (head + f"ends lowest with step {lr_own:g} (λ = {lam:g}'s choice: {lr_shared:g}). Searched with it, "
            f"λ = {lam_other:g} scores {auroc_own:.3f} (with {lr_shared:g}: {auroc_shared:.3f}), "
            f"{signed(d_own[0])} against λ = {lam:g} (95 % interval [{signed(d_own[1])}, {signed(d_own[2])}]), "
            f"{plain_verdict(label95(d_own))} (a side question, read at 95 % only). ")
    if label95(d_own) == TIED:
        return text + "With its own step the drop is no longer distinguishable: the step size may explain it.\n"
    if d_own[0] > 0:
        return text + (f"With its own step λ = {lam_other:g} scores above λ = {lam:g}, so the shared step caused "
                       "the drop (read with test labels: no licence to retune).\n")
    if d_own[0] > d_shared[0] + 0.01:
        return text + (f"The drop shrinks (from {signed(d_shared[0])}) but stays: the step size explains part of "
                       "it at most.\n")
    return text + ("The drop stays with its own step, so the step size does not explain it on this sample; a "
                   "different loss to descend remains the candidate (tested below).\n")


def split_bullets(md: str) -> tuple[str, list[str]]:
    """Notebook 03: a reading's head (the text before its first top-level bullet, stripped) and its bullets, each
    a line starting "* " with any lines that follow it up to the next bullet (trailing blank lines dropped)."""
    head, items = [], []
    for line in md.strip("\n").split("\n"):
        if line.startswith("* "):
            items.append(line)
        elif items:
            items[-1] += "\n" + line
        else:
            head.append(line)
    return "\n".join(head).strip(), [i.rstrip() for i in items]


def fold_bullets(md: str, keep: int, summary: str, visible_tail: str = "", hidden_tail: str = "",
                 keep_last: int = 0) -> str:
    """Notebook 03: a reading with its head, its first ``keep`` and last ``keep_last`` bullets in view, then
    ``visible_tail``; the other bullets, then ``hidden_tail``, go in a closed <details> box titled ``summary``
    (no box where nothing is left to fold)."""
    head, items = split_bullets(md)
    last = len(items) - keep_last if keep_last else len(items)
    shown = items[:keep] + items[max(keep, last):]
    folded = items[keep:max(keep, last)]
    tail = visible_tail.strip("\n")
    body = "\n".join(shown) + (("\n" if tail.startswith("* ") else "\n\n") + tail if shown and tail else tail)
    visible = "\n\n".join(p for p in (head, body) if p)                  # a bullet tail continues the list
    hidden = "\n".join(p for p in ("\n".join(folded), hidden_tail.strip("\n")) if p)
    if not hidden:
        return visible
    return f"{visible}\n\n<details><summary>{summary}</summary>\n\n{hidden}\n\n</details>"


def search_pair_reading_short(*args, **kwargs) -> str:
    """:func:`search_pair_reading` (same arguments), shorter and one claim per bullet: the default step's scores
    without the subtraction, no repeat of the early fall, no "best code = last code" aside where the two score
    alike, no speculation about other bags, and the two parts' share and its cause as two bullets."""
    text = search_pair_reading(*args, **kwargs)
    text = re.sub(r"Section 3 searched the same two images with the default step (\S+): (\S+) and (\S+)\. The step "
                  r"size alone moved their scores by \S+ and \S+: a score belongs to the generator \*and\* the search "
                  r"\(Section 4\)\.",
                  r"With the default step \1 (Section 3) they scored \2 and \3: a score belongs to the generator "
                  r"*and* the search.", text)
    text = re.sub(r", with \d+% of the fall done by step \d+\.", ".", text)
    text = re.sub(r"Its lowest loss \(step \d+\) is only [0-9.]+% below the last: here the last code and the best "
                  r"one score the same\. ", "", text)
    text = text.replace("; for other bags it may draw bag-like shapes, which would then score lower: one possible "
                        "reason the score histograms of Section 6 overlap.", ".")
    text = text.replace(" The small weight is offset by size:", "\n* **The small weight is offset by size:**")
    return text.replace(" So the score mixes both distances; Section 8 scores each part alone to see which separates "
                        "the bags.", "")


def threshold_table(*, auroc: float, auroc_se: float, auprc: float, share: float, threshold: float,
                    flagged_normal: float, z_fa: float, recall: float, precision: float, precision_rare: float,
                    fpr_at_95_tpr: float, spell_out: bool = False) -> str:
    """One table of a detector's test numbers, each with how to read it: the threshold-free AUROC with its
    standard error and AUPRC against chance (``share``: the share of anomalies); the validation threshold and,
    at it, the normal images flagged against the 5 % aim (``z_fa`` standard errors away), recall and precision
    (and ``precision_rare``: the same recall and false-alarm rate with 1 % anomalies); and the threshold-free
    false-positive rate at 95 % recall. Percentages to one decimal, so that no number disagrees with another
    rounding of itself. ``spell_out``: the AUPRC row names the area it measures before its chance level."""
    rows = [("AUROC", f"{auroc:.3f} (standard error {auroc_se:.3f})", "how well the score ranks bags above normal "
             "images, over all thresholds; 0.5 is chance"),
            ("AUPRC", f"{auprc:.3f}", f"area under the precision–recall curve; chance = share of bags, {share:.3f} "
             "(notebook 00)" if spell_out else f"(notebook 00) chance: the share of bags, {share:.3f}"),
            ("threshold", f"{threshold:.4g}", "95th percentile of the validation scores, used by the next three rows"),
            ("normal test images flagged", f"{flagged_normal:.1%}",
             f"aim 5 %: {abs(z_fa):.1f} standard errors {'below' if z_fa < 0 else 'above'}"),
            ("bags flagged (recall)", f"{recall:.1%}", "the rest are missed"),
            ("flagged images that are bags (precision)", f"{precision:.1%}",
             f"depends on the share of bags: with 1 % bags, the same recall and false alarms give {precision_rare:.1%}"),
            ("false-positive rate at 95 % recall", f"{fpr_at_95_tpr:.1%}",
             "normal images flagged once the threshold is low enough to catch 95 % of the bags")]
    return ("| measure | value | read as |\n|---|---|---|\n"
            + "\n".join(f"| {a} | {b} | {c} |" for a, b, c in rows))


def full_split_comparison(*, kept: dict[str, float], chance: dict[str, float], auroc_yours: float, auroc_full: float,
                          swing_late: float | None, bench_auroc: Sequence[float], images: tuple[int, int],
                          epochs: tuple[int, int], steps: tuple[int, int], full_still_falling: bool,
                          untrained_filed: tuple[str, float, bool] | None = None) -> str:
    """What the comparison of your run with the full-split model compares (one model each, seed 0; ``images``,
    ``epochs``, ``steps``: your run's and the full-split model's), what it measured (the judge's ``kept``
    shares of the untrained networks, your run and the full-split model, each beside its own ``chance`` level, same
    keys: its inputs' and reconstructions' classes paired at random; the two bag AUROCs against your run's late-epoch
    movement ``swing_late`` (None: left out) and the cpu seeds' ``bench_auroc``), and what it does not show.
    ``untrained_filed``: (class name, share, whether any normal test image has that class): the class the judge
    gives most of the untrained reconstructions, which explains a floor at 0 %."""
    gap = auroc_full - auroc_yours
    span = max(bench_auroc) - min(bench_auroc)
    size = (("" if swing_late is None else ("within" if abs(gap) <= swing_late else "larger than")
             + f" your run's own late-epoch movement ({swing_late:.3f}), ")
            + ("within" if abs(gap) <= span else "larger than")
            + f" the spread of three cpu seeds of your settings ({span:.3f}: {min(bench_auroc):.3f} to "
            f"{max(bench_auroc):.3f})")
    differs = [f"{images[1] / images[0]:.1f} times the images", f"{epochs[1]} epochs against {epochs[0]}",
               f"{steps[1] / steps[0]:.1f} times the steps"]
    return ("**What this compares.** One model against one model, seed 0 each, same networks, same test images: "
            f"your run ({images[0]:,} training images, {epochs[0]} epochs, {steps[0]:,} steps) and the full-split model "
            f"({images[1]:,} images, {epochs[1]} epochs, {steps[1]:,} steps).\n\n"
            f"* **The judge:** $G(x)$ keeps the class of {kept['your run']:.1%} of the normal test images in your run "
            f"(chance {chance['your run']:.1%}), {kept['full split']:.1%} in the full-split model (chance "
            f"{chance['full split']:.1%}); untrained networks {kept['untrained']:.1%} (chance {chance['untrained']:.1%})"
            + ("" if untrained_filed is None else
               f". The judge files {untrained_filed[1]:.0%} of the untrained reconstructions as *{untrained_filed[0]}*"
               + (", a class no normal test image has" if not untrained_filed[2] else ""))
            + ".\n"
            f"* **Bag AUROC:** {auroc_yours:.3f} against {auroc_full:.3f} ({gap:+.3f}), {size}.\n"
            "* **What it does not show:** whether more data makes a better detector. The runs differ in three things "
            f"at once ({', '.join(differs)})"
            + (", the full-split model had not converged (its validation $\\mathcal{L}_{con}$ still falling)"
               if full_still_falling else "")
            + ", and one seed each gives no spread for the full-split side.")


def wilcoxon_mechanism(pos_ranks: list[float], n: int, as_far: int, p: float) -> str:
    """Where a Wilcoxon p comes from, in three sentences: the ``n`` nonzero differences ranked by size, the ranks
    of the positive ones (``pos_ranks``) summed to W+, and ``as_far`` of the 2^n equally likely sign patterns giving
    a W+ at least as far from its centre n(n + 1)/4, so p = as_far / 2^n (``p``)."""
    total, centre = n * (n + 1) / 2, n * (n + 1) / 4
    w_plus = float(sum(pos_ranks))
    ranks = " + ".join(f"{r:g}" for r in sorted(pos_ranks)) or "0"
    return (f"**By hand.** Rank the {n} |differences| from 1 (smallest) to {n}. The positive ones hold ranks "
            f"{_and_list([f'{r:g}' for r in sorted(pos_ranks)]) or 'none'}, so W+ = {ranks} = {w_plus:g} "
            f"(W− = {total - w_plus:g}). With no difference each sign is a coin flip, so each of the 2^{n} = "
            f"{2 ** n:,} sign patterns is equally likely; {as_far:,} of them give a W+ at least as far from "
            f"n(n + 1)/4 = {centre:g} as {w_plus:g} is, so p = {as_far:,}/{2 ** n:,} = {p:.3f}.")


def wilcoxon_by_hand(lib: Paired, wins: int, p_value: float, mechanism: str = "") -> str:
    """Notebook 06's one test by hand, folded: ``scipy.stats.wilcoxon`` run on the library's per-class differences
    ``lib.diffs`` (``wins`` of them positive, raw ``p_value``) next to the library's own result; ``mechanism``
    (:func:`wilcoxon_mechanism`), where the p comes from, shown before them. The per-class
    differences are taken from the library, so the fold does not show Exercise 4's answer (how to form them)."""
    names = _class_names(lib.dataset)
    pair = f"{LABEL[lib.method]} − {LABEL[lib.baseline]}"
    return (f"<details><summary>One test by hand: Wilcoxon and Holm for {pair} on {DNAME[lib.dataset]} (click)"
            f"</summary>\n\nThe library's per-class differences ({pair}, each a mean over the seeds both ran): "
            + ", ".join(f"{names[c]} {v:+.3f}" for (c, _), v in zip(lib.pairs, lib.diffs))
            + (f".\n\n{mechanism.rstrip('.')}" if mechanism else "")
            + f".\n\n`scipy.stats.wilcoxon` on them: {LABEL[lib.method]} higher on {wins} of {len(lib.diffs)} classes, "
            f"raw p = {p_value:.4f}. The library: {lib.wins} of {lib.n}, raw p = {lib.p_value:.4f}, Holm-adjusted "
            f"p = {lib.p_adjusted:.4f}. Both agree, and `comparison.holm` on the family's raw p-values gives the "
            "adjusted ones of the table above.\n\n</details>")


def reproduction_threads(moved: list[float], total: int, thread_counts=None) -> str:
    """Section 1's visible sentence on the re-run rows that ran on the *other* thread count (``moved``: their
    absolute AUROC changes; ``total``: all rows of the re-run file): how far they moved, i.e. how unstable a
    training run is; ``thread_counts``: the thread counts the grid ran on, named in the sentence. Empty
    without such rows."""
    if not moved:
        return ""
    n = len(moved)
    counts = sorted(thread_counts or ())
    other = (f"the other thread count (the grid ran on {', '.join(map(str, counts[:-1]))} and {counts[-1]} threads)"
             if len(counts) > 1 else "the other thread count")
    return (f" {n} more row{_s(n)}, re-run on {other}, moved by "
            + (f"{min(moved):.4f} to {max(moved):.4f}" if n > 1 else f"{moved[0]:.4f}")
            + f" AUROC ({total} re-run rows in all): training is unstable enough that a seed fixes a run only "
            "together with its thread count.")


_PIXEL_SCORE = {"anogan": "AnoGAN's residual", "egbad": "EGBAD's $L_G$",
                "autoencoder": "the autoencoder's reconstruction error", "pca": "PCA's reconstruction error"}


def near_twins_all(ratio: dict[str, list[float]], rho: dict[str, float], names: dict[str, list[str]],
                   others: list[str], latent_rho: dict[str, float] | None = None) -> str:
    """Reading the near-twin scatter: over all classes of each data set, how closely the nearest-neighbour
    distance ratio (an anomaly's distance to its nearest normal training image over a normal test image's)
    ranks the classes as the methods ``others`` (all but kNN) do. ``ratio``: {data set: ratio per class};
    ``rho``: {data set: Spearman's rank correlation of the ratio with those methods' mean AUROC per class};
    ``names``: {data set: class names}. Which of ``others`` score by a pixel distance too, so that part of the
    correlation is shared pixel geometry; with ``latent_rho`` ({data set: ρ with GANomaly's AUROC alone}), that
    least circular check."""
    if not ratio:
        return ""
    order = sorted(ratio, key=lambda d: -rho[d])
    strength = ("much as" if min(rho.values()) >= 0.7 else "loosely as" if min(rho.values()) >= 0.3
                else "hardly as")
    sizes = sorted({len(ratio[d]) for d in order})
    low = ", ".join(f"{DNAME[d]} {names[d][int(np.argmin(ratio[d]))]} ({min(ratio[d]):.2f})" for d in order)
    below = [f"{DNAME[d]} {names[d][c]}" for d in order for c in range(len(ratio[d])) if ratio[d][c] < 1]
    return (f"**All classes.** The same ratio, for every class of both data sets (figure), ranks the classes "
            f"{strength} their difficulty does: Spearman's rank correlation ρ (the correlation of the two rankings: "
            f"1 = the same order, 0 = unrelated) between the ratio and the mean AUROC of "
            f"{listed(others)} is " + ", ".join(f"{rho[d]:.2f} on {DNAME[d]}" for d in order)
            + f" ({sizes[0] if len(sizes) == 1 else ' and '.join(map(str, sizes))} classes"
            + (" each" if len(order) > 1 else "") + ", seed 0's split). kNN is left out of that "
            "mean: its score *is* a nearest-neighbour distance, so for kNN the link holds nearly by construction. "
            + _shared_pixels(others, latent_rho or {})
            + f"Lowest ratio: {low}"
            + (f"; below 1 only for {_and_list(below)}, whose anomalies lie *closer* to the normal training images "
               "than normal test images do" if below else "")
            + ". A correlation over ten classes supports the near-twin reading; it does not show the cause.")


def _shared_pixels(others: list[str], latent_rho: dict[str, float]) -> str:
    """The circularity left after kNN is dropped: the pixel-distance scores among ``others``, and GANomaly's
    correlation alone (``latent_rho``), whose score compares latent codes."""
    pixel = [_PIXEL_SCORE[m] for m in others if m in _PIXEL_SCORE]
    if not pixel:
        return ""
    text = (f"Nor are the other methods wholly free of it: {_and_list(pixel)} {'is a pixel distance' if len(pixel) == 1 else 'are pixel distances'} "
            "too, so part of that correlation is a shared pixel geometry, not class difficulty as such. ")
    if latent_rho and "ganomaly" in others:
        vals = list(latent_rho.values())
        text += ("GANomaly's score compares latent codes, not pixels, so its correlation alone is the least circular "
                 "check: ρ = " + ", ".join(f"{v:.2f} on {DNAME[d]}" for d, v in latent_rho.items())
                 + (", so the link does not rest on the pixel scores alone. " if min(vals) >= 0.7 else
                    ", weaker: much of the link may be that shared pixel geometry. " if min(vals) >= 0.3 else
                    ", hardly any: the link may be mostly that shared pixel geometry. "))
    return text


def near_twins_ratio(hard_class: int, easy_class: int, nn_dist: dict[int, tuple[float, float]], k: int = 5) -> str:
    """Reading the nearest-neighbour figure, the hardest class's ratio read against the easiest class's: how far an anomaly lies
    from its nearest normal training image, as a multiple of a normal test image's distance, for both classes.
    ``nn_dist``: {class: (mean distance of the anomalies, mean distance of the normal test images)}."""
    fn = _class_names("fashion_mnist")
    (h_a, h_n), (e_a, e_n) = nn_dist[hard_class], nn_dist[easy_class]
    return ("**What to see:** each anomaly (top) above its nearest normal training image by pixel distance (bottom), "
            f"close to what kNN measures (it averages the {k} nearest). A {fn[hard_class].lower()}'s nearest neighbour lies on average {h_a:.2f} away "
            f"(Euclidean, intensities in [0, 1]), only {h_a / h_n:.2f} times a *normal* test image's {h_n:.2f}: it "
            f"has near twins among the normal classes. A {fn[easy_class].lower()} lies {e_a:.2f} away, "
            f"{e_a / e_n:.2f} times the normal images' {e_n:.2f}: nothing in training resembles it closely.")


def egbad_ablation_caveat(tests: list[Paired], egbad_means: dict[str, Interval], alpha: float = 0.05) -> str:
    """One bullet for Section 5's ablation reading: when EGBAD's own mean over classes is not distinguishable from
    0.5 on any data set (every interval in ``egbad_means``, {data set: Interval}, contains 0.5), its ablations say
    little about a working BiGAN; and a raw p below ``alpha`` for α = 0.9 against L_G alone that Holm's adjustment
    removes is named. Empty when EGBAD is above chance somewhere."""
    if not egbad_means or not all(iv.low <= 0.5 <= iv.high for iv in egbad_means.values()):
        return ""
    text = ("* *A caveat:* EGBAD itself ranks near chance (class means "
            + ", ".join(f"{iv.mean:.2f} on {DNAME[d]}" for d, iv in egbad_means.items())
            + "), so its ablations say little about a working BiGAN")
    raw = [r for r in tests if r.n and (r.method, r.baseline) == ("egbad", "egbad[L_G]") and r.p_value < alpha
           and not r.direction]
    for r in raw:
        lower = r.losses > r.wins
        text += (f"; on {DNAME[r.dataset]} $\\alpha = 0.9$ is {'below' if lower else 'above'} $L_G$ alone on "
                 f"{r.losses if lower else r.wins} of {r.n} classes (raw p = {r.p_value:.2g}, Holm-adjusted "
                 f"{r.p_adjusted:.2g})")
    return text + "."


# ============================================================================================
# Notebook 05, review round 3b: near-zero values and rare picks said plainly, chance per model
# ============================================================================================

def near_zero(x: float, digits: int = 3) -> str:
    """``x`` signed to ``digits`` decimals, or "about 0 (-0.0003)" where that rounding would print a signed zero."""
    if round(x, digits) != 0:
        return f"{x:+.{digits}f}"
    return f"about 0 ({x:+.1g})" if x != 0 else "0"


def pick_counts(picked: Sequence[int]) -> str:
    """How often each epoch was picked, as counts, most often first: "epoch 6 in 196 of 200, epoch 2 in 3,
    epoch 14 in 1" (at most three epochs named, the rest as "others in k"); "epoch 6 every time"."""
    epochs, counts = np.unique(np.asarray(picked), return_counts=True)
    n = int(counts.sum())
    top = sorted(zip(counts.tolist(), epochs.tolist()), key=lambda t: (-t[0], t[1]))[:3]
    if top[0][0] == n:
        return f"epoch {top[0][1]} every time"
    rest = n - sum(c for c, _ in top)
    return (", ".join([f"epoch {top[0][1]} in {top[0][0]} of {n}"] + [f"epoch {e} in {c}" for c, e in top[1:]])
            + (f", others in {rest}" if rest else ""))


def selection_verdict(honest: float, picked: float, picked_epoch: int, kept_epoch: int, opt: dict, se_half: float,
                      n_half: int, boot: tuple[float, float, float], n_test: int, real: bool,
                      rule_share: float = 0.95) -> str:
    """Is the test-picked epoch's extra AUROC luck? The verdict first, in plain words: the ``picked`` AUROC (epoch
    ``picked_epoch``) against the ``honest`` one (epoch ``kept_epoch``), how much of the gap the selection explains
    (the halvings' optimism scaled to the whole test set) and whether the rest is ``real`` (decided by the notebook:
    the epoch picked on half A beats the kept one on half B in at least ``rule_share`` of the halvings, and the
    whole test set's paired bootstrap interval ``boot`` = (difference, low, high) over ``n_test`` images lies above
    0). Then, folded, the statistics: the halvings' picks and optimism (``opt`` from
    :func:`ganad_lib.ganomaly.selection_optimism`; ``se_half``: the Hanley-McNeil standard error of one half of
    ``n_half`` images), the gain on B as a count of halvings (the halvings re-cut one test set, so their spread is
    no standard error for a new one), the bootstrap and the rule."""
    gap = round(round(picked, 3) - round(honest, 3), 3) + 0.0
    n_h = len(opt["picked"])
    mo, mg = opt["mean_optimism"], opt["mean_gain"]
    if gap <= 0:
        return ("**Picking on the test set added nothing here:** the epoch validation kept also had the highest test "
                f"AUROC ({honest:.3f}, epoch {kept_epoch}). In general the best of several AUROCs on one test set is "
                f"flattered by its noise; here, over {n_h} halvings, picking on half A and reading half B gave an "
                f"optimism of {near_zero(mo)} on average.")
    luck = mo / np.sqrt(2)   # the halving's optimism, scaled to twice the images (rough)
    if not real:
        short, rest = "Possibly all of it", (
            f"These checks do not show that epoch {picked_epoch} ranks bags better than the kept epoch, and finding it "
            f"needed the test labels, so {picked:.3f} cannot be reproduced in use.")
    else:
        short = "Almost none of it" if abs(luck) <= 0.1 * gap else f"Partly: about {near_zero(luck)} of it (rough)"
        rest = (("Epoch" if abs(luck) <= 0.1 * gap else "The rest is real: epoch")
                + f" {picked_epoch} really ranks bags better than the kept epoch. That AUROC would roughly carry over to "
                f"new data; what needed the test labels is *finding* epoch {picked_epoch}.")
    small = abs(mo) < 0.5 * se_half
    one = np.unique(np.asarray(opt["picked"]), return_counts=True)[1].max() >= 0.5 * n_h
    wins = int(np.sum(np.asarray(opt["gain"]) > 0))
    d, lo, hi = boot
    return (f"**Is the {gap:+.3f} luck? {short}.** Test-picking would report {picked:.3f} (epoch {picked_epoch}) "
            f"instead of the honest {honest:.3f} (epoch {kept_epoch}, kept by validation). {rest}\n\n"
            f"<details><summary>How the checks measured it: {n_h} halvings and a bootstrap</summary>\n\n"
            f"* **Selection (the optimism):** A picked {pick_counts(opt['picked'])}. AUROC on A minus on B for the "
            f"picked epoch: {near_zero(mo)} on average; one half's AUROC has a standard error of {se_half:.3f} "
            f"(Hanley-McNeil, {n_half:,} images). "
            + ("Small, because one epoch stands out. " if small and one else "Small. " if small else "Not small. ")
            + f"Scaled to the whole test set (× 1/√2, rough): {near_zero(luck)} of the {gap:+.3f}.\n"
            f"* **Real difference, on B:** the picked epoch minus the kept one, {mg:+.3f} on average, positive in "
            f"{wins} of {n_h} halvings. They re-cut the same {n_test:,} images: this counts the cut's effect, not a "
            "new test set's noise.\n"
            f"* **Whole test set:** {d:+.3f}, paired bootstrap 95 % interval {lo:+.3f} to {hi:+.3f} (test-sample "
            "noise; it reuses the images that chose the epoch, "
            + ("which matters little with so small an optimism).\n" if small else "so it leans upward).\n")
            + f"* **The rule:** the difference counts as real when it is positive on B in at least {100 * rule_share:.0f} % of "
            "the halvings and the bootstrap interval lies above 0.\n\n</details>")


def adv_follows_d(adv_at_peaks: float, adv_elsewhere: float, share: float) -> str:
    """The loss figure's L_adv read against D: ``adv_at_peaks``, the mean (smoothed) L_adv over the steps where
    the smoothed L_D is in its top ``share``, against ``adv_elsewhere`` over the other steps."""
    text = (f"**$\\mathcal{{L}}_{{adv}}$ and $D$:** at $\\mathcal{{L}}_D$'s spikes (top {share:.0%} of steps) "
            f"$\\mathcal{{L}}_{{adv}}$ averages {adv_at_peaks:.3g}, elsewhere {adv_elsewhere:.3g}")
    if adv_at_peaks < 0.5 * adv_elsewhere:
        return (text + ": a $D$ that loses its footing no longer separates $x$ from $G(x)$. $\\mathcal{L}_{adv}$ "
                "follows the contest with $D$, not reconstruction quality.")
    return text + ": here $\\mathcal{L}_{adv}$ did not drop with $D$'s spikes."


def p_value_text(p: float, alpha: float = 0.05) -> str:
    """A p-value as prose prints it: two significant digits below 0.01, else three decimals, with more
    decimals whenever rounding would lift it onto ``alpha`` (0.0504 reads 0.050, 0.0496 reads 0.0496), so that
    the printed number never hides which side of the threshold it lies on (read "p >= alpha: not shown")."""
    p = float(p)
    if p < 0.01:
        return f"{p:.2g}"
    digits = 3
    while p < alpha <= round(p, digits) and digits < 8:
        digits += 1
    return f"{p:.{digits}f}"


# ---------------------------------------------------------------- notebook 05, review round 6

def grid_gaps_t_interval(seeds: list[int], gaps: list[float], interval: Interval, *, live_gap: float,
                         live_low: float, live_high: float, n_test: int, live_sizes: tuple[int, int],
                         grid_sizes: tuple[int, int], live_images: tuple[int, int] | None = None,
                         grid_images: tuple[int, int] | None = None) -> str:
    """Latent minus pixel AUROC on bags, in short sentences: this run's gap ``live_gap`` with its paired bootstrap
    interval over the ``n_test`` test images (``live_low``, ``live_high``: test-sample noise for this one model),
    then the course grid's gaps (one per seed of ``seeds``) read with a paired t-``interval`` over the seeds.
    ``live_sizes`` and ``grid_sizes``: (width, nz) of this run's model and of the grid's; ``live_images`` and
    ``grid_images``: (training, test) image counts of each, when known. The closing sentence names every setting
    in which the two differ, without guessing which way any of them should move the gap."""
    n = len(gaps)
    if live_low > 0 or live_high < 0:
        live = ("so for this one trained model the gap is far beyond test-sample noise"
                if min(abs(live_low), abs(live_high)) > 0.5 * abs(live_gap) else
                "so for this one trained model the gap is beyond test-sample noise")
    else:
        live = "so for this one trained model the gap is within test-sample noise"
    if np.isnan(interval.low):
        t_text = f"Their mean is {interval.mean:+.3f}; {n} seed{'s' if n != 1 else ''} give no interval."
    else:
        t_text = (f"A paired t-interval over the {n} gaps gives a mean of {interval.mean:+.3f}, "
                  f"{100 * interval.confidence:.0f} % interval {interval.low:+.3f} to {interval.high:+.3f}. "
                  + ("It excludes 0, so across these seeds the latent distance is better" if interval.low > 0 else
                     "It excludes 0, so across these seeds the pixel error is better" if interval.high < 0 else
                     "It includes 0, so the seeds cannot tell which score is better")
                  + f" (with {n} seeds the interval leans on the gaps being roughly normal).")
    outside = live_gap < min(gaps) or live_gap > max(gaps)
    where = ("smaller than every grid gap" if live_gap < min(gaps) else
             "larger than every grid gap" if live_gap > max(gaps) else "within the grid gaps' range")
    pairs = [("width", live_sizes[0], grid_sizes[0]), ("nz", live_sizes[1], grid_sizes[1])]
    if live_images is not None and grid_images is not None:
        pairs += [("training images", live_images[0], grid_images[0]), ("test images", live_images[1], grid_images[1])]
    diffs = [f"{name} ({a:,} here, {b:,} in the grid)" for name, a, b in pairs if a != b]
    differ = ("the runs differ in " + (", ".join(diffs[:-1]) + " and " + diffs[-1] if len(diffs) > 1 else diffs[0])
              if diffs else "")
    if outside and diffs:
        close = (f"Your run's gap ({live_gap:.3f}) is {where}; {differ}, so the gap's size depends on the settings or "
                 "the run, not only on the method.")
    elif outside:
        close = (f"Your run's gap ({live_gap:.3f}) is {where}, at the grid's own settings: the gap's size varies from "
                 "run to run.")
    else:
        close = (f"Your run's gap ({live_gap:.3f}) is {where}" + (f", although {differ}." if diffs else
                                                                  ", at the grid's own settings."))
    return ("**One run, one training seed.** Here the latent distance's AUROC on bags minus the pixel error's is "
            f"{live_gap:+.3f}. Its paired bootstrap 95 % interval over the {n_test:,} test images is {live_low:+.3f} "
            f"to {live_high:+.3f}, {live}. One run cannot show how the gap varies from one training seed to another. "
            "The course grid (`results/cpu/runs.csv`, Section 6: this code at smaller sizes, one model per seed) has "
            + ", ".join(f"{g:+.3f} (seed {s})" for s, g in zip(seeds, gaps)) + f". {t_text}\n\n"
            f"{close} Notebook 06 tests the claim on every class with a paired test.")


def mistakes_recap(*, score_change: float, auroc_eval: float, shuffles: list[float], auroc_sorted: float,
                   honest: float, picked: float, picked_epoch: int, optimism_whole: float, real: bool) -> str:
    """Section 7's only recap, in short sentences: train-mode scoring (``score_change``: the mean relative change of
    a score with its batch mates; ``shuffles``: the AUROCs over shuffled batches against ``auroc_eval``;
    ``auroc_sorted``: label-sorted batches) and the test-picked epoch (``picked`` at ``picked_epoch`` against
    ``honest``; ``optimism_whole``: the selection part, "almost none" up to a tenth of the gap; ``real``: the
    notebook's verdict on the rest, from its halvings and bootstrap rule)."""
    shuffled = float(np.mean(shuffles))
    if abs(shuffled - auroc_eval) < 0.01:
        mode = (f"In shuffled batches the AUROC hardly moved ({shuffled:.3f} against {auroc_eval:.3f} in eval mode), "
                "so a shuffled benchmark hides the defect. ")
    else:
        mode = f"In shuffled batches the AUROC was {shuffled:.3f}, against {auroc_eval:.3f} in eval mode. "
    mode = (f"the same image's score moved by {100 * score_change:.0f} % on average when its batch mates changed. "
            + mode + f"In label-sorted batches the same model reported {auroc_sorted:.3f} "
            f"({auroc_sorted - shuffled:+.3f} against the shuffled batches), only because of how the test set was cut "
            "into batches.")
    gap = round(round(picked, 3) - round(honest, 3), 3) + 0.0
    if gap <= 0:
        pick = (f"it added nothing in this run. The epoch validation kept ({honest:.3f}) also had the highest test "
                "AUROC. Still, a choice made on test labels cannot be repeated in use.")
    else:
        pick = (f"it would report {picked:.3f} (epoch {picked_epoch}) instead of the honest {honest:.3f} ({gap:+.3f}). "
                "Selection explains "
                + ("almost none" if abs(optimism_whole) <= 0.1 * gap else near_zero(optimism_whole)) + " of that. "
                + (f"Epoch {picked_epoch} really ranks bags better, and the validation rule could not see it. Its AUROC "
                   "would roughly carry over to new data, but only the test labels could find it." if real else
                   "The checks show no real difference between the two epochs. Either way, finding epoch "
                   f"{picked_epoch} needed the test labels, so {picked:.3f} cannot be reproduced in use."))
    return ("**What the two mistakes did in this run.**\n\n"
            f"* **Scoring in training mode:** {mode}\n"
            f"* **Choosing the epoch by test AUROC:** {pick}")


# ---------------------------------------------------------------- notebook 05, review round 7

def ganomaly_story_so_far(*, kept_epoch: int, n_epochs: int, auroc: float, auroc_se: float, flagged_normal: float,
                          recall: float, latent: float, pixel: float, grid_gaps: Sequence[float], grid_low: float,
                          grid_high: float) -> str:
    """A short box opening notebook 05's Section 7: the results the two mistakes would change. ``kept_epoch`` of
    ``n_epochs`` (chosen on validation data), the bag ``auroc`` with its standard error, the validation threshold's
    ``flagged_normal`` share (aim 5 %) and ``recall``, and the latent distance's AUROC (``latent``) against the same
    model's pixel error (``pixel``), with the course grid's per-seed gaps and their t-interval."""
    if round(latent, 3) > round(pixel, 3):
        here = f"ranks bags better than the same model's pixel error ({latent:.3f} against {pixel:.3f})"
    elif round(latent, 3) < round(pixel, 3):
        here = f"ranks bags worse than the same model's pixel error ({latent:.3f} against {pixel:.3f})"
    else:
        here = f"ranks bags as well as the same model's pixel error ({latent:.3f} both)"
    n, wins = len(grid_gaps), sum(g > 0 for g in grid_gaps)
    ci = f"t-interval of the gap {grid_low:+.3f} to {grid_high:+.3f}"
    if grid_low > 0:
        grid = (f"in the course grid the latent distance is better in {'all ' if wins == n else ''}{wins} of {n} "
                f"seeds ({ci})").replace(f"all {n} of {n}", f"all {n}")
    elif grid_high < 0:
        grid = f"in the course grid the pixel error is better ({ci})"
    else:
        grid = f"the course grid's {n} seeds cannot tell the two apart ({ci})"
    return ("> **The story so far** (Sections 4-6)\n>\n"
            f"> * **Training:** epoch {kept_epoch} of {n_epochs} kept by validation $\\mathcal{{L}}_{{con}}$; no test "
            "label chose anything.\n"
            f"> * **Ranking:** bag AUROC {auroc:.3f} (standard error {auroc_se:.3f}).\n"
            f"> * **Threshold** (validation 95th percentile): {100 * flagged_normal:.1f} % of normal test images "
            f"flagged (aim 5 %), {100 * recall:.1f} % of the bags caught.\n"
            f"> * **Codes or pixels:** here the latent distance {here}; {grid}.\n>\n"
            "> Section 7 measures what two shortcuts of the authors' code would do to these numbers.")


def lookalike_bridge(names: Sequence[str], level: dict[int, float], group: Sequence[int],
                     group_name: str = "the four upper-body garments") -> str:
    """The assumption behind notebook 05's score-level hypothesis: a class's own level (median $A(x)$ as a normal
    class, ``level``) stands in for its look-alikes' level only if look-alikes share one. Reads how far the
    ``group``'s levels spread, as a share of the range over all classes in ``level``."""
    vals = {c: level[c] for c in group if c in level and np.isfinite(level[c])}
    every = [v for v in level.values() if np.isfinite(v)]
    text = ("**The bridge.** The idea is about the level of an unseen class's look-alikes; the prediction tests the "
            "class's *own* level. One stands in for the other only if look-alikes share a level. ")
    if len(vals) < 2 or max(every) == min(every):
        return text + "Your run gives too few levels to check that."
    lo, hi = min(every), max(every)
    span = (max(vals.values()) - min(vals.values())) / (hi - lo)
    text += (f"Your bag model's levels for {group_name}: " + ", ".join(f"{names[c]} {v:.3f}" for c, v in vals.items())
             + f". They span {span:.0%} of the range over all {len(every)} classes ({lo:.3f} to {hi:.3f}), ")
    if span <= 1 / 3:
        return text + "close together: for them the assumption is plausible."
    if span <= 2 / 3:
        return text + "so the assumption holds only loosely, even for them."
    return text + "so even they do not share a level, and the prediction tests the idea only indirectly."


# ----------------------------------------------------------------- notebook 04 (EGBAD)

_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")

#: Notebook 04's reading of Spearman's rho between L_G and lit area: below ``LIT_RHO_WEAK`` in size, L_G "hardly
#: follows" lit area; from there to ``LIT_RHO_STRONG`` "only loosely"; above, it follows it.
LIT_RHO_WEAK, LIT_RHO_STRONG = 0.2, 0.5


_COUNT_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _count(n: int) -> str:
    """3 -> 'three' (up to ten), 11 -> '11'."""
    return _COUNT_WORDS[n] if 0 <= n < len(_COUNT_WORDS) else f"{n:,}"


def _ordinal(i: int) -> str:
    """0 -> 'first', 1 -> 'second', ... (a tile's position, counted from 0)."""
    return _ORDINALS[i] if 0 <= i < len(_ORDINALS) else f"number {i + 1}"


#: Notebook 04: a median pixel correlation of x with G(E(x)) at or above this reads as "nearly copies".
EGBAD_COPY_CORR = 0.95


def egbad_fit_reading(med_corr: float, med_corr_mean: float, *, kept: float | None = None,
                      chance: float | None = None, where: str = "Over the normal test images") -> str:
    """Notebook 04, Section 2: how closely the reconstructions follow their inputs, the median pixel correlation of
    x with G(E(x)) (``med_corr``) against that of the mean training image used for every input (``med_corr_mean``)
    and a copy's 1. With ``kept`` and ``chance`` (the judge's class kept, and by chance) it says whether the
    class survives. A correlation is no linear scale, so the reading does not place 0.80 between 0.68 and 1."""
    text = (f"{where} the median pixel correlation of $x$ and $G(E(x))$ is {med_corr:.2f}, against "
            f"{med_corr_mean:.2f} for the mean training image used as every input's reconstruction (the black "
            "background alone lifts such correlations) and 1 for a copy. ")
    if med_corr <= med_corr_mean:
        return text + "So the reconstructions follow their inputs no better than an average silhouette does."
    if med_corr >= EGBAD_COPY_CORR:
        return text + "So the reconstructions are nearly copies of their inputs."
    why = ", as expected when $E$ learns only whether pairs look real, never a reconstruction error."
    if kept is not None and chance is not None and kept > 2 * chance:
        return text + (f"So the reconstructions are class-level shapes, not copies: the judge's class survives in "
                       f"{kept:.0%} of the images (chance {chance:.0%}), the detail does not" + why)
    return text + "So the reconstructions are rough shapes, not copies" + why


def egbad_open_score_reading(kinds: Sequence[str], score, l_g, l_d, *, l_g_all, rho_normal: float,
                             lit=None, rho_bags: float | None = None, tile: int | None = None,
                             lit_all=None) -> str:
    """Notebook 04, Section 3: the score written out for ``len(kinds)`` normal images (classes ``kinds``) and as many
    bags after them (``score``, ``l_g``, ``l_d``: normal images first). Names the normal images that score at or
    above the lowest bag and reads their L_G against the normal test images' (``l_g_all``), as a poor
    reconstruction when lit area hardly explains L_G (``rho_normal``, Section 2); then compares how far each term
    sets the two groups apart on these images (ratio of the bags' median to the normal images'). With ``lit`` (the
    normal images' lit areas) and ``rho_bags`` (rho over the bags) it also gives the lit area and both rhos; ``tile``
    (pixels per image) gives the lit area of an all-white tile for scale; ``lit_all`` (the lit areas of all the normal
    test images) places each exception's lit area among them instead of against the ``len(kinds)`` images' median."""
    score, l_g, l_d, l_g_all = (np.asarray(v, dtype=float) for v in (score, l_g, l_d, l_g_all))
    k = len(kinds)
    bags = score[k:]
    odd = [i for i in range(k) if score[i] >= bags.min()]
    text = f"The {_count(len(bags))} bags (the last {_count(len(bags))}) score {bags.min():.0f} to {bags.max():.0f}. "
    if not odd:
        text += (f"All {_count(k)} normal images ({', '.join(kinds)}) score below every bag: on these "
                 f"{_count(len(score))} a threshold would separate them perfectly. ")
    else:
        text += (f"Of the {_count(k)} normal images ({', '.join(kinds)}), {k - len(odd)} score below every bag; the exception"
                 f"{'s are' if len(odd) > 1 else ' is'} the "
                 + " and the ".join(f"{kinds[i].lower()} at {score[i]:.0f}, above {int((bags < score[i]).sum())} of "
                                    "the bags" for i in odd) + ". ")
    text += f"They are the first {_count(k)} tiles of each half of Section 2's figure"
    for i in odd:
        text += (f"; the {kinds[i].lower()} at {score[i]:.0f} is the {_ordinal(i)} tile" if len(odd) > 1
                 else f"; the exception is the {_ordinal(i)} tile")
        share = float(np.mean(l_g_all < l_g[i]))
        text += f", whose $L_G$, {l_g[i]:.0f}, is above {share:.0%} of the normal test images'"
        if lit is not None:
            among = (f", above {float(np.mean(np.asarray(lit_all, dtype=float) < float(lit[i]))):.0%} of the normal "
                     "test images'" if lit_all is not None else
                     f"; median lit area of the {_count(k)} normal images: {float(np.median(lit[:k])):.0f}")
            text += (f" (lit area {float(lit[i]):.0f}{among}" + (f"; an all-white tile: {tile:,}" if tile else "") + ")")
        bags_rho = f"; among the bags ρ = {rho_bags:.2f}" if rho_bags is not None else ""
        if rho_bags is not None and rho_bags > rho_normal + LIT_RHO_WEAK:
            bags_rho += ", so size matters more for images $G$ never learned"
        if abs(rho_normal) < LIT_RHO_WEAK and share >= 0.9:
            big = lit is not None and float(lit[i]) > float(np.median(lit[:k] if lit_all is None else lit_all))
            text += (f": {'a big image, but above all ' if big else ''}a poor reconstruction"
                     + ("" if big else ", not a big image")
                     + ". Across the normal test images $L_G$ hardly follows "
                     f"lit area (Spearman ρ = {rho_normal:.2f}{bags_rho})")
        elif rho_normal >= LIT_RHO_STRONG:
            text += (f". Across the normal test images $L_G$ follows lit area (Spearman ρ = {rho_normal:.2f}"
                     f"{bags_rho}): an L1 error grows with the pixels there are to miss")
    text += ". "
    r_g = float(np.median(l_g[k:]) / np.median(l_g[:k]))
    r_d = float(np.median(l_d[k:]) / np.median(l_d[:k]))
    if r_d < r_g:
        text += (f"Of the two terms, $L_G$ sets the groups further apart: on these {_count(len(score))} images the bags' median "
                 f"$L_G$ is {r_g:.1f} times the normal images', their median $L_D$ only {r_d:.1f} times. ")
    else:
        text += (f"On these {_count(len(score))} images $L_D$ sets the groups apart at least as far as $L_G$ (the bags' median "
                 f"over the normal images' median: {r_d:.1f} against {r_g:.1f}). ")
    return text + "Section 4 scores the whole test set, and Section 5 measures what $L_D$ adds to $L_G$ there."
