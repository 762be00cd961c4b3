# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 06 · The comparison: GAN detectors against honest baselines
#
# The seminar ends with *"BiGAN/EGBAD and GANomaly performance comparison on MNIST and Fashion-MNIST"*.
# Here that comparison is an experiment one command reruns and resumes: AnoGAN, EGBAD, GANomaly and three
# non-GAN baselines, on every class of both data sets, over several seeds, with every threshold and model
# choice made on validation data. Then we ask how sure we can be of each difference.
#
# **Learning objectives.** After this notebook you can
#
# 1. run the experiment grid yourself (`python -m ganad_lib.experiments`, or `ganad-run`) and resume it
#    when it is interrupted;
# 2. read per-class results *with their uncertainty*: a mean over seeds and its Student-t interval,
#    and say what one or two seeds can and cannot tell you;
# 3. compare two methods with a paired test over the runs they share (Wilcoxon signed-rank, wins and
#    losses) instead of eyeballing two means;
# 4. put reported numbers next to your own *with their protocol and source*, and say when they are not
#    comparable;
# 5. weigh quality against cost: training time, scoring speed, AnoGAN's latent search;
# 6. state plainly when a GAN loses to a baseline;
# 7. run several tests at once without fooling yourself (Holm's adjustment), and say what a test over
#    ten classes can and cannot detect.
#
# **The aim, fixed in advance.** *GANomaly, the course's most elaborate method, beats kNN on Fashion-MNIST*
# under one class anomalous (the protocol of Sections 2–5: one class is the anomaly, the nine others
# normal). The test is two-sided, so the aim is met only by a significant difference in GANomaly's favour;
# Section 4 lists the other questions fixed with it, Section 9 gives the verdict.
#
# **One caveat, said once here.** The grid is small (Section 1 gives its caps), so its numbers are not
# comparable with published ones. Sources for outside facts:
# [`docs/references.md`](../docs/references.md).

# %%
import json
import re
import tempfile
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import torch
from IPython.display import Markdown, display
from scipy import stats

import ganad_lib
from ganad_lib import comparison, data, exercises, experiments, plotting, published
from ganad_lib.profiles import get_profile, unrecorded_grid
from ganad_lib.protocols import make_split

P, DEVICE = ganad_lib.setup_notebook(seed=0)
CONF = 0.95   # confidence level of every interval in this notebook
ALPHA = 0.05  # significance level of the paired tests
LABEL = comparison.METHOD_LABELS
DNAME = comparison.DATASET_LABELS

# %% [markdown]
# ## 1 · Where the numbers come from
#
# <details>
# <summary>The six detectors and the terms used below, in one place (click).</summary>
#
# * **AnoGAN** (notebook 03): a GAN; the score is the loss left after Γ gradient steps that search the
#   generator's latent space for the test image.
# * **EGBAD** (notebook 04): a BiGAN, whose encoder $E$ replaces the search; the score
#   $\alpha L_G + (1 - \alpha) L_D$ mixes the reconstruction error $L_G$ and a discriminator term $L_D$
#   (feature matching: a distance between the discriminator's features).
# * **GANomaly** (notebook 05): an encoder $G_E$, a decoder and a second encoder $E$; the score is the
#   distance between the two codes.
# * **Baselines** (notebook 00 and `ganad_lib.baselines`): **kNN**, the mean Euclidean pixel distance to
#   the $k = 5$ nearest normal training images; **PCA**, the error of reconstructing an image from the
#   normal images' principal components; **Autoencoder**, the reconstruction error of a convolutional
#   autoencoder trained on normal images.
# * **AUROC** and **AUPRC**: notebook 00, Section 5. **Width**: the networks' base number of channels.
# </details>
#
# The runner trains and scores one detector per *(method, data set, class, seed)* and appends one row per
# finished run to `results/<profile>/runs.csv` (atomically; a rerun skips finished rows). The `cpu` grid
# was run on a small shared CPU machine and committed; in the `smoke` profile (CI) the cell below runs a
# tiny grid instead, whose numbers mean nothing. Two filters come first: rows of different **protocols**
# are never averaged together, and `comparison.one_size_per_method` keeps one **budget** (the `sizes`
# column) per method.

# %%
if P.name == "smoke":
    smoke_dir = Path(tempfile.mkdtemp(prefix="ganad-smoke-"))
    small = (experiments.grid(list(experiments.METHODS), ["fashion_mnist"], "one_class_anomalous", [8], [0])
             + experiments.grid(["knn"], ["mnist"], "one_class_anomalous", [1], [0])
             + experiments.grid(["anogan", "knn"], ["mnist"], "one_class_normal", [1], [0]))
    csv_path = experiments.run_grid(small, P.for_grid(), smoke_dir, progress=False)
    shown = "a smoke grid run just now"
else:
    csv_path = comparison.results_path(P.name)
    # the `full` rows are used only once they hold every method under the main protocol (a GPU run of
    # part of the grid is read in Section 9 instead)
    if not csv_path.is_file() or {r["method"] for r in comparison.load_runs(csv_path)
                                  if r["protocol"] == "one_class_anomalous"} != set(experiments.METHODS):
        csv_path = comparison.results_path("cpu")
    shown = f"results/{csv_path.parent.name}/runs.csv"
all_rows = comparison.load_runs(csv_path)
kept = comparison.one_size_per_method(all_rows)
by_protocol = {p: comparison.select(kept.rows, protocol=p) for p in comparison.protocols(kept.rows)}
PROTOCOL = "one_class_anomalous"   # the protocol of the grid and of GANomaly's and EGBAD's papers
rows = by_protocol[PROTOCOL]
methods = sorted({r["method"] for r in rows}, key=comparison.METHOD_ORDER.index)

print(f"{len(all_rows)} runs from {shown}")
print("protocols:", ", ".join(f"{p} ({len(v)} runs)" for p, v in by_protocol.items()))
old_style = sorted({m for (m, _), s in kept.sizes.items() if not s}, key=comparison.METHOD_ORDER.index)
print(f"budgets: one `sizes` value kept per method and protocol, {kept.dropped} runs of other budgets left out"
      + (f"; the rows of {len(old_style)} methods predate the `sizes` column and count as one budget each"
         if old_style else ""))
print("methods:", ", ".join(methods))
for d in ("mnist", "fashion_mnist"):
    sel = [r for r in rows if r["dataset"] == d]
    if sel:
        source = re.sub(r"\s*\(/[^)]*\)", "", sel[0]["data_source"])  # without the folder it was read from
        print(f"{DNAME[d]}: classes {sorted({r['class'] for r in sel})}, seeds {sorted({r['seed'] for r in sel})}, "
              f"source: {source}")
print("profile:", ", ".join(sorted({r["profile"] for r in kept.rows})), "| device:",
      ", ".join(sorted({r["device"] for r in kept.rows})), "| torch", ", ".join(sorted({r["torch_version"] for r in kept.rows})))
# Which code produced the rows: a row records the commit it ran at, "+dirty" when the code had uncommitted changes.
commits = {r["git_commit"] for r in kept.rows}
n_dirty = sum(r["git_commit"].endswith("+dirty") for r in kept.rows)
by_seed = {s: {r["git_commit"] for r in kept.rows if r["seed"] == s} for s in sorted({r["seed"] for r in kept.rows})}
shared_commits = sorted({c for s, cs in by_seed.items() for c in cs
                         if any(c in other for t, other in by_seed.items() if t != s)})
print(f"code: {len(commits)} commit labels over {len(kept.rows)} rows, {n_dirty} of them '+dirty' (the paragraph "
      "below says what that means)")

# %% jupyter={"source_hidden": true} tags=["hide-input"]
if len(by_seed) > 1 and len(commits) > 1:
    display(Markdown(
        f"**Provenance.** {n_dirty} of the {len(kept.rows)} rows ran with uncommitted changes ('+dirty'), and the "
        "seeds ran in separate sessions on " + ("different" if not shared_commits else "mostly different"
                                               if 2 * len(shared_commits) < len(commits) else "partly shared")
        + " code versions ("
        + ", ".join(f"seed {s_}: {len(cs)} label{'s' if len(cs) != 1 else ''}" for s_, cs in by_seed.items()) + "; "
        f"{len(shared_commits)} of {len(commits)} commit labels {'spans' if len(shared_commits) == 1 else 'span'} "
        "more than one seed; "
        f"`results/{csv_path.parent.name}/README.md`). So a seed that stands out may do so because of its code."))

# %%
# What data and budget produced these rows: from the rows where recorded, else the profile's grid sizes.
with warnings.catch_warnings():   # offline, the loader warns that it uses the 15,000-digit sample: the paragraph below says so
    warnings.simplefilter("ignore", UserWarning)
    mnist = data.load_dataset("mnist")
fmnist = data.load_dataset("fashion_mnist")
FULL_MNIST = 70_000  # 60,000 training + 10,000 test digits in the original MNIST
mn_rows = [r for r in rows if r["dataset"] == "mnist"]
# the grid's sizes: today's profile for rows that record them, else the sizes such rows were run with
grid_p = (get_profile(rows[0]["profile"]).for_grid() if all(r["sizes"] for r in rows)
          else unrecorded_grid(rows[0]["profile"]))
if all(r["n_train"] for r in rows):
    n_train, n_test = int(np.median([r["n_train"] for r in rows])), int(np.median([r["n_test"] for r in rows]))
else:
    n_train, n_test = grid_p.max_train, grid_p.max_test
# the caps as printed: read from the rows' `sizes` column where every row that records a value agrees on it
recorded = {}
for r in rows:
    for kv in (kv for kv in r["sizes"].split(";") if "=" in kv):
        k, v = kv.split("=", 1)
        recorded.setdefault(k, set()).add(v)
caps = {k: (int(float(next(iter(recorded[k])))) if len(recorded.get(k, ())) == 1 else getattr(grid_p, attr))
        for k, attr in (("max_train", "max_train"), ("max_test", "max_test"), ("epochs", "epochs"),
                        ("width", "width"), ("steps", "search_steps"))}
from_rows = all(len(recorded.get(k, ())) == 1 for k in caps)
budget_from = ("read from the rows' `sizes` column" if from_rows else
               f"the `{grid_p.name}` profile's grid sizes" + ("" if all(r["sizes"] for r in rows) else
                                                              ": these rows predate the recorded sizes"))
row_source = re.sub(r"\s*\(/[^)]*\)", "", mn_rows[0]["data_source"]) if mn_rows else None
# what each run actually trained and tested on, per protocol and data set (column n_train / n_test)
seen = {}
for r in kept.rows:
    seen.setdefault((r["protocol"], r["dataset"]), []).append(r)
text = (f"**Budget.** Every grid run is capped at {caps['max_train']:,} training and {caps['max_test']:,} test images, "
        f"{caps['epochs']} epoch{'s' if caps['epochs'] != 1 else ''}, width {caps['width']} ({budget_from}); the papers "
        "train on whole splits at width 64, so no number here is comparable with a published one.\n\n"
        "<details><summary>Sizes, data and epochs in detail (click)</summary>\n\n"
        "Median training / test images per run: "
        + "; ".join(f"{p.replace('_', ' ')}, {DNAME[d]}: {int(np.median([r['n_train'] for r in v])):,} / "
                    f"{int(np.median([r['n_test'] for r in v])):,}" for (p, d), v in seen.items() if v[0]["n_train"])
        + ". ")
if row_source:
    text += f"The MNIST rows used *{row_source}*, far from the full {FULL_MNIST:,} digits"
    if row_source != mnist.source:
        text += (f"; on this machine the loader now finds *{mnist.source}* "
                 f"({len(mnist.labels):,} digits), so a rerun would give MNIST numbers on that data")
    text += (" (under one class normal a run learns one digit of that sample, hence the small training sets). "
             "More data does not lift the caps: runs at the papers' sizes need the `full` profile (Section 9). ")
budget_file = Path(ganad_lib.__file__).resolve().parents[1] / "results" / "cpu" / "grid_budget.json"
if budget_file.is_file() and all(r["sizes"] for r in rows):
    gb = json.loads(budget_file.read_text())
    if gb.get("grid_epochs") == caps["epochs"]:
        st_ = gb["setting"]
        levelled = ", ".join(f"{LABEL[m]} {v['levelled_epoch']}" for m, v in gb["methods"].items())
        rule = gb.get("rule", "").split(": ", 1)[-1]
        text += (f"The {caps['epochs']} epochs are the latest at which a GAN method's validation curve levelled off "
                 f"({levelled}" + (f"; levelled: {rule}, so a curve may still improve slowly after it" if rule else "")
                 + f"), on one setting only: {DNAME[st_['dataset']]}, class {st_['class']} anomalous, seed "
                 f"{st_['seed']} (`results/cpu/grid_budget.json`). ")

# %% jupyter={"source_hidden": true} tags=["hide-input"]
text += (f"AnoGAN's latent search runs Γ = {caps['steps']} steps in the grid and "
         f"{get_profile('full').search_steps} in the `full` profile (the AnoGAN paper's own Γ is not checked, "
         "`docs/references.md`).\n\n</details>")
display(Markdown(text))

# %% [markdown]
# ## 2 · Per class, with intervals over seeds
#
# Under *one class anomalous* each experiment names one class the anomaly; the nine others are normal.
# A run's AUROC depends on its seed (split, initial weights, batch order), so each bar is a **mean over
# seeds** with a **Student-t interval**: mean ± t · s / √n, with s the standard deviation over the n seeds
# (`ddof=1`) and t Student's quantile with n − 1 degrees of freedom (`comparison.t_interval`). One seed
# gives no interval; with few seeds t is large, and the interval, symmetric while an AUROC is bounded,
# can reach below 0 or above 1 — a plain sign that it says little (the bars are clipped at the axes).
# Dotted bars are the non-GAN baselines, the dotted line is chance (0.5). An AUROC *below* 0.5 means the
# detector finds the anomalous class more normal than the normal ones (Section 9 returns to it).

# %%
fig, axes = plt.subplots(2, 1, figsize=(11, 7.5))
for ax, d in zip(axes, ("mnist", "fashion_mnist")):
    if any(r["dataset"] == d for r in rows):
        comparison.plot_per_class(rows, d, ax=ax, class_names=list(data.DATASETS[d]["classes"]), errors="ci",
                                  confidence=CONF)
    else:
        ax.set_axis_off()
plt.tight_layout()
plt.show()

# Reading the figure: how many seeds, how wide the intervals, how many include chance.
lines = []
for d in ("mnist", "fashion_mnist"):
    if not any(r["dataset"] == d for r in rows):
        continue
    st = comparison.per_class_stats(rows, d, confidence=CONF)
    cells = [iv for ivs in st.values() for iv in ivs if iv.n]
    with_iv = [iv for iv in cells if iv.has_interval]
    n_seeds = sorted({iv.n for iv in cells})
    if with_iv:
        t = stats.t.ppf((1 + CONF) / 2, max(n_seeds) - 1)
        spans = sum(iv.low <= 0.5 <= iv.high for iv in with_iv)
        beyond = sum(iv.low < 0 or iv.high > 1 for iv in with_iv)
        lines.append(f"* {DNAME[d]}: {max(n_seeds)} seeds, t = {t:.2f}; median half-width "
                     f"{np.median([iv.half_width for iv in with_iv]):.2f} AUROC; {spans} of {len(with_iv)} intervals "
                     f"contain chance, {beyond} reach{'es' if beyond == 1 else ''} beyond [0, 1].")
    else:
        lines.append(f"* {DNAME[d]}: one seed per class, so no interval can be drawn.")
    # which method's bar is highest, class by class, and whose bars are widest
    pc_means = {m: {c: float(v) for c, v in enumerate(means) if np.isfinite(v)}
                for m, (means, _) in comparison.per_class(rows, d).items()}
    classes_d = sorted({c for v in pc_means.values() for c in v})
    top_count = {}
    for c in classes_d:
        m_top = max((m for m in pc_means if c in pc_means[m]), key=lambda m: pc_means[m][c])
        top_count[m_top] = top_count.get(m_top, 0) + 1
    widest = max(st, key=lambda m: np.median([iv.half_width for iv in st[m] if iv.has_interval] or [0]))
    lines.append("  Highest bar: "
                 + ", ".join(f"{LABEL[m]} on {k} of {len(classes_d)}" for m, k in
                             sorted(top_count.items(), key=lambda kv: -kv[1]))
                 + (f" classes; widest bars: {LABEL[widest]}'s." if with_iv else " classes."))

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown("\n".join(lines)))

# %% [markdown]
# **What to see:** which method's bar is highest class by class (printed above), the classes where
# several methods fall below chance, and whose bars are widest (least repeatable from seed to seed).
# Overlapping intervals are *not* a test — Section 4 explains why and tests properly; read an interval as
# the precision of one bar. The folded tables below give the same numbers.

# %%
display(Markdown("<details><summary>The per-class tables behind the figure (click)</summary>\n\n" + "\n\n".join(
    f"**{DNAME[d]}**, AUROC per anomalous class: mean over seeds [{CONF:.0%} t-interval]\n\n"
    + comparison.per_class_table(rows, d, class_names=data.DATASETS[d]["classes"], confidence=CONF)
    for d in ("mnist", "fashion_mnist") if any(r["dataset"] == d for r in rows)) + "\n\n</details>"))

# %% [markdown]
# ## 3 · Mean over classes
#
# The mean over classes summarises a method on a data set. Its interval comes from the seeds: average each
# seed's AUROC over the classes, then take the t-interval over these per-seed class means
# (`comparison.class_mean_stats`; a seed that misses a class is left out). It answers *on these ten classes,
# how far would the mean move with other seeds?* Section 4 asks a different question — is one method
# higher *across classes?* — and there each class is one observation.
#
# <details><summary>Two cautions on the class as a unit (click)</summary>
#
# The ten tasks share their images (each class is normal data in the nine other tasks), so they are not
# fully independent; and they are all the tasks there are, so "tasks like these ten" is a population we
# imagine, not one we sampled from.
# </details>

# %%
display(Markdown(f"**AUROC**, mean over anomalous classes [{CONF:.0%} t-interval over the per-seed class means]\n\n"
                 + comparison.summary_table(rows, "auroc", errors="ci", confidence=CONF)))
# AUPRC's chance level is the share of anomalies among the test images (a random score's precision)
prevalence = {d: np.mean([make_split(PROTOCOL, ds_, c, seed=0, profile=grid_p).test_is_anomaly.mean()
                          for c in range(10)]) for d, ds_ in (("mnist", mnist), ("fashion_mnist", fmnist))}
whole = make_split(PROTOCOL, fmnist, 0, seed=0)   # one class's test set before the grid subsamples it
display(Markdown("**AUPRC** (anomaly = positive), same protocol\n\n"
                 + comparison.summary_table(rows, "auprc", errors="ci", confidence=CONF)
                 + "\n\nAUPRC's chance level is the share of anomalies among the test images: "
                 + ", ".join(f"{prevalence[d]:.1%} on {DNAME[d]}" for d in prevalence) + " (AUROC's is 0.5 whatever "
                 + "the share).\n\n<details><summary>Why that share is not 10 % (click)</summary>\n\nThe test set holds "
                 + "the normal images kept out of training (20 % of them) plus *every* image of the anomalous class — for "
                 + f"{DNAME['fashion_mnist']} class 0, {int(whole.test_is_anomaly.sum()):,} anomalies among "
                 + f"{len(whole.test):,} test images; the grid subsamples this to {grid_p.max_test:,} images and keeps "
                 + "the share.\n\n</details>"))
comparison.plot_summary(rows, errors="ci", confidence=CONF)
plt.title(f"Mean AUROC over anomalous classes ({CONF:.0%} t-intervals over seeds)")
plt.show()


def seed_means(rows_, d):
    """{method: {seed: AUROC averaged over the classes}}, for the seeds that finished every class of data set d."""
    by = {}
    for r in rows_:
        if r["dataset"] == d:
            by.setdefault(r["method"], {}).setdefault(r["seed"], {})[r["class"]] = r["auroc"]
    classes = {r["class"] for r in rows_ if r["dataset"] == d}
    return {m: {s: float(np.mean(list(v.values()))) for s, v in sorted(sv.items()) if set(v) == classes}
            for m, sv in by.items()}


def failed_seeds(rows_, d, gap=0.1):
    """[(method, seed, its class mean, the other seeds' class means)] for a seed more than `gap` below every other."""
    out = []
    for m, sm in seed_means(rows_, d).items():
        for s, v in sm.items():
            others = [w for t, w in sm.items() if t != s]
            if len(others) >= 2 and all(w - v > gap for w in others):
                out.append((m, s, v, others))
    return out


lines = []
for d in ("mnist", "fashion_mnist"):
    if not any(r["dataset"] == d for r in rows):
        continue
    cm = comparison.class_mean_stats(rows, d, confidence=CONF)
    cm_pr = comparison.class_mean_stats(rows, d, "auprc", confidence=CONF)
    best = max(cm, key=lambda m: cm[m].mean)
    gan = max((m for m in comparison.GAN_METHODS if m in cm), key=lambda m: cm[m].mean, default=None)
    line = f"* {DNAME[d]}: highest mean {LABEL[best]}, {cm[best].format()}"
    if gan and gan != best:
        line += f"; best GAN method {LABEL[gan]}, {cm[gan].format()}"
        if cm[gan].has_interval and cm[best].has_interval:
            line += " (intervals overlap)" if cm[gan].high >= cm[best].low else " (intervals apart)"
    swapped = [(a, b) for a in cm for b in cm if cm[a].mean > cm[b].mean and cm_pr[a].mean < cm_pr[b].mean]
    line += (". AUPRC gives the same order" if not swapped else
             ". AUPRC swaps " + "; ".join(f"{LABEL[a]} and {LABEL[b]} ({cm_pr[a].mean:.3f} against {cm_pr[b].mean:.3f})"
                                          for a, b in swapped))
    for m, s_, v, others in failed_seeds(rows, d):
        line += (f". {LABEL[m]}'s seed {s_} failed as a whole (class mean {v:.3f} against "
                 f"{' and '.join(f'{w:.3f}' for w in others)}) and alone makes {LABEL[m]}'s wide interval: unstable "
                 "training or that seed's code version (Section 1), the rows cannot tell which")
    lines.append(line + ".")
lines.append("* AUPRC weighs the top of each ranking more, so it can order close methods differently; every test "
             "in this notebook is on AUROC.")

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown("\n".join(lines)))

# %% [markdown]
# ## 4 · Paired comparisons
#
# Section 3's intervals hold the classes fixed and ask how far a mean would move with other seeds. A
# **paired** comparison asks another question: is one method higher *across classes?* Pairing by class
# cancels the class's difficulty (a hard class is hard for every method), so the two answers need not
# agree. On each class both methods ran, take the difference of their AUROC, count wins and losses, and run
# the two-sided **Wilcoxon signed-rank test** (`scipy.stats.wilcoxon`), which ranks the absolute
# differences and asks whether either sign's rank sum is larger than chance gives.
#
# <details><summary>The questions, fixed in advance, and the five families of tests (click)</summary>
#
# The pairs were written in `comparison.PAIRS` after a first small grid (`results/grid_v1/`) and before
# the grid read here ran: does GANomaly beat each baseline, and does EGBAD (an encoder) score worse than
# AnoGAN (a search)? The aim is one of them. Each family below is Holm-adjusted on its own: **main**
# (this section, those pairs on each data set, one class anomalous); **ablations** (Section 5, each model's
# own score against variants of it); **other protocol** (Section 6, the main pairs under one class normal);
# and, in Section 9 (optional), **budget** (each method at two budgets) and **papers' budget** (each method
# against kNN at the papers' sizes). Section 9 adds one post-hoc test outside any family.
# </details>
#
# * **The unit is the class.** The test assumes independent pairs, but the seeds of one class share its
#   data and its difficulty: pairing (class, seed) runs counts one piece of evidence several times
#   (*pseudo-replication*) and looks surer than it is. So each method's seeds are averaged per class first
#   (`comparison.class_paired_comparisons`).
# * **Holm's adjustment.** The more tests at level `ALPHA`, the likelier at least one false "significant".
#   Holm (`comparison.holm`) keeps that chance, the *family-wise error rate*, at most `ALPHA`: sort the p-values,
#   multiply the smallest by the number of tests, the next by one fewer, and so on, never letting an
#   adjusted value fall below the one before it.
# * **A verdict is not a size.** The mean difference over classes and its t-interval say how large a
#   difference could be; and "no significant difference" is not equality — with ten classes a real but
#   small difference goes undetected.

# %%
tests = comparison.paired_comparisons(rows, alpha=ALPHA)               # one pair per (class, seed)
tests_class = comparison.class_paired_comparisons(rows, alpha=ALPHA)   # one pair per class: the verdicts
per_run = {(r.method, r.baseline, r.dataset): r for r in tests}
n_tests = sum(r.n > 0 for r in tests_class)
n_units = max((r.n for r in tests_class), default=0)


def verdict(r):
    """One line for a class-level test: which method is higher on how many classes, and is it significant."""
    if not r.n:
        return f"{LABEL[r.method]} vs {LABEL[r.baseline]}, {DNAME[r.dataset]}: no shared classes"
    word = {1: f"{LABEL[r.method]} higher", -1: f"{LABEL[r.baseline]} higher", 0: "no significant difference"}
    iv = comparison.t_interval(r.diffs, CONF)
    diff = (f"mean difference {r.mean_diff:+.3f} [{iv.low:+.3f}, {iv.high:+.3f}]" if iv.has_interval
            else f"mean difference {r.mean_diff:+.3f}")
    return (f"{LABEL[r.method]} vs {LABEL[r.baseline]}, {DNAME[r.dataset]}: {LABEL[r.method]} higher on {r.wins} of "
            f"{r.n} classes, {diff}, Holm-adjusted p = {r.p_adjusted:.2g} — {word[r.direction]}")


def wilcoxon_p(n, losing_ranks):
    """Two-sided Wilcoxon p for n differences with ranks 1..n, no ties, negative at `losing_ranks`."""
    d = np.arange(1, n + 1, dtype=float)
    d[[r - 1 for r in losing_ranks]] *= -1
    return float(stats.wilcoxon(d).pvalue)


first_step = ALPHA / max(n_tests, 1)
power = ""
if n_units >= 4:
    p9 = [wilcoxon_p(n_units, [r]) for r in range(1, n_units + 1)]   # one class on the other side, at rank r
    p8 = wilcoxon_p(n_units, [1, 2])                                  # two classes, at the smallest ranks
    k9 = sum(p < first_step for p in p9)
    k_pass = max(1, int(ALPHA / p8))   # p8 passes Holm's step whose level is ALPHA / k_pass or looser
    power = (f"\n\n*How many classes must agree* (`scipy.stats.wilcoxon` on constructed differences). Holm's first "
             f"step compares the smallest p with {ALPHA:g} / {n_tests} = {first_step:.4f}. {n_units - 1} of {n_units} "
             "classes on one side "
             + (f"pass it only if the odd class has one of the {k9} smallest differences" if k9 else "never pass it")
             + f" (p = {min(p9):.4f} to {max(p9):.4f}); {n_units - 2} of {n_units} "
             + (f"can pass it too (p = {p8:.4f} at best)." if p8 < first_step else
                f"never pass any step (p ≥ {p8:.4f})." if p8 >= ALPHA else
                f"never do (p ≥ {p8:.4f}), and reach the level {ALPHA:g} / {k_pass} only after "
                f"{max(0, n_tests - k_pass)} smaller p-values of the family have been declared."))
# Section 3's intervals against these tests: pairs whose class means have disjoint intervals but no verdict here
cm3 = {d: comparison.class_mean_stats(rows, d, confidence=CONF) for d in {r.dataset for r in tests_class if r.n}}
apart = [r for r in tests_class if r.n and r.direction == 0
         and all(cm3[r.dataset][m].has_interval for m in (r.method, r.baseline))
         and (cm3[r.dataset][r.method].high < cm3[r.dataset][r.baseline].low
              or cm3[r.dataset][r.baseline].high < cm3[r.dataset][r.method].low)]
sig4 = [r for r in tests_class if r.n and r.direction]
def higher_word(r):
    """The verdict of a class-level test in two or three words."""
    return {1: f"**{LABEL[r.method]}** higher", -1: f"**{LABEL[r.baseline]}** higher",
            0: "no significant difference"}[r.direction]


def diff_iv(r):
    iv = comparison.t_interval(r.diffs, CONF)
    return f"{r.mean_diff:+.3f} [{iv.low:+.3f}, {iv.high:+.3f}]" if iv.has_interval else f"{r.mean_diff:+.3f}"


shown4 = [r for r in tests_class if r.n]
display(Markdown(
    "**What to take from this section:** after Holm's adjustment "
    + (f"{len(sig4)} of the {n_tests} tests {'is' if len(sig4) == 1 else 'are'} significant ("
       + "; ".join(f"{LABEL[r.method] if r.direction > 0 else LABEL[r.baseline]} higher than "
                   f"{LABEL[r.baseline] if r.direction > 0 else LABEL[r.method]} on {DNAME[r.dataset]}" for r in sig4)
       + ")" if sig4 else f"none of the {n_tests} tests is significant")
    + f". With {n_units} class{'es' if n_units != 1 else ''} the smallest Wilcoxon p is 2 / 2^{n_units} = "
    f"{2 / 2 ** n_units:.4f} (every class on one side), against Holm's strictest level {ALPHA} / {n_tests} = "
    f"{first_step:.4f}: only a difference that nearly every class agrees on can be declared. More seeds do not "
    "lower this floor, but they make the class means, and so their signs, less noisy; more classes per test would "
    "lower it (e.g. one test pooling both data sets' 20 classes), while more data sets tested separately only "
    "make Holm stricter.\n\n"
    f"| comparison | data set | first-named higher on | mean difference [{CONF:.0%} t-interval] | Holm-adjusted p "
    "| verdict |\n|---|---|---|---|---|---|\n"
    + "\n".join(f"| {LABEL[r.method]} − {LABEL[r.baseline]} | {DNAME[r.dataset]} | {r.wins} of {r.n} classes | "
                f"{diff_iv(r)} | {r.p_adjusted:.2g} | {higher_word(r)} |" for r in shown4)
    + "\n\n<details><summary>The family, raw and per-run p-values, and what ten classes can detect (click)"
    "</summary>\n\n"
    f"*The family:* {comparison.family_sentence(tests_class)} — {n_tests} tests. Unadjusted, if no difference existed "
    f"anywhere, the chance of at least one false \"significant\" among {n_tests} independent tests at level {ALPHA} "
    f"would be 1 − (1 − {ALPHA})^{n_tests} = {1 - (1 - ALPHA) ** n_tests:.0%}.\n\n"
    "*Raw and per-run p-values.* The per-run test pairs single (class, seed) runs: more pairs, and a certainty it has "
    "not earned. The t-interval above is not adjusted for the family, so it can exclude 0 where the Holm-adjusted, "
    "rank-based verdict does not.\n\n"
    "| comparison | data set | raw p | Holm-adjusted p | per-run test, Holm-adjusted p |\n|---|---|---|---|---|\n"
    + "\n".join(f"| {LABEL[r.method]} − {LABEL[r.baseline]} | {DNAME[r.dataset]} | {r.p_value:.2g} | "
                f"{r.p_adjusted:.2g} | {per_run[(r.method, r.baseline, r.dataset)].p_adjusted:.2g} |" for r in shown4)
    + f"{power}\n\n"
    "*Section 3 against this section* (they answer different questions, see above). Two intervals of Section 3 "
    "that do not overlap need not give a significant test here"
    + (": " + "; ".join(f"{LABEL[r.method]} and {LABEL[r.baseline]} on {DNAME[r.dataset]} (Section 3: "
                        f"{cm3[r.dataset][r.method].format()} against {cm3[r.dataset][r.baseline].format()}; here "
                        f"Holm-adjusted p = {r.p_adjusted:.2g})" for r in apart) + "." if apart
       else " (in these rows no pair shows this).")
    + "\n\n</details>"))

# %%
# One test by hand (optional): the aim's test redone with NumPy and `scipy.stats.wilcoxon` only, then checked
# against the library, and `comparison.holm` checked against the family's adjusted p-values.
m_, b_, d_ = "ganomaly", "knn", "fashion_mnist"
lib = {(r.method, r.baseline, r.dataset): r for r in tests_class}.get((m_, b_, d_))
if lib is not None and lib.n:
    runs_ = {m: {(r["class"], r["seed"]): r["auroc"] for r in rows if r["method"] == m and r["dataset"] == d_}
             for m in (m_, b_)}
    by_hand = []   # per class: each method's mean over the seeds both ran, GANomaly minus kNN
    for c in sorted({c for c, _ in runs_[m_]} & {c for c, _ in runs_[b_]}):
        seeds_c = sorted({s for c2, s in runs_[m_] if c2 == c} & {s for c2, s in runs_[b_] if c2 == c})
        by_hand.append(np.mean([runs_[m_][(c, s)] for s in seeds_c]) - np.mean([runs_[b_][(c, s)] for s in seeds_c]))
    by_hand = np.array(by_hand)
    wins_hand = int((by_hand > 0).sum())
    p_hand = float(stats.wilcoxon(by_hand[by_hand != 0]).pvalue) if np.any(by_hand != 0) else 1.0
    names_ = data.DATASETS[d_]["classes"]
    assert np.allclose(by_hand, lib.diffs) and wins_hand == lib.wins and np.isclose(p_hand, lib.p_value)
    holm_again = comparison.holm([r.p_value for r in tests_class])
    assert np.allclose(holm_again, [r.p_adjusted for r in tests_class], equal_nan=True)
    display(Markdown(
        "<details><summary>One test by hand: GANomaly − kNN on Fashion-MNIST with NumPy and SciPy only, "
        "checked against the library (click)</summary>\n\n"
        "Per class (mean over seeds): " + ", ".join(f"{names_[c]} {v:+.3f}" for (c, _), v in zip(lib.pairs, by_hand))
        + f".\n\nBy hand: GANomaly higher on {wins_hand} of {len(by_hand)} classes, Wilcoxon raw p = {p_hand:.4f}. "
        f"Library: {lib.wins} of {lib.n}, raw p = {lib.p_value:.4f}, Holm-adjusted p = {lib.p_adjusted:.4f}. "
        "Both agree, and `comparison.holm` on the family's raw p-values gives the adjusted ones of the table above."
        "\n\n</details>"))

# %%
# The differences behind each verdict: one large dot per class (the unit of the test), coloured by the
# class-level verdict; the small grey dots are the single (class, seed) runs behind each class mean.
shown_tests = [r for r in tests_class if r.n]
fig, ax = plt.subplots(figsize=(12, 4.2))
rng = np.random.default_rng(0)
for i, r in enumerate(shown_tests):
    runs = per_run[(r.method, r.baseline, r.dataset)]
    ax.scatter(i + rng.uniform(-0.25, 0.25, runs.n), runs.diffs, s=6, color="0.75", zorder=1)
    color = "tab:green" if r.direction > 0 else "tab:red" if r.direction < 0 else "0.35"
    ax.scatter(i + rng.uniform(-0.12, 0.12, r.n), r.diffs, s=28, color=color, zorder=2)
    ax.hlines(r.mean_diff, i - 0.3, i + 0.3, color="k", lw=1.5, zorder=3)
ax.axhline(0, color="grey", lw=0.8, ls=":")
# the legend, drawn with empty proxies (only the colours that occur)
legend_keys = (("class, first-named significantly higher", "tab:green", 28, 1),
               ("class, second significantly higher", "tab:red", 28, -1),
               ("class, no significant difference", "0.35", 28, 0))
for lab_, col_, s_dot, dir_ in legend_keys:
    if any(r.direction == dir_ for r in shown_tests):
        ax.scatter([], [], s=s_dot, color=col_, label=lab_)
ax.scatter([], [], s=6, color="0.75", label="single (class, seed) run")
ax.plot([], [], color="k", lw=1.5, label="mean over classes")
ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
ax.set_xticks(range(len(shown_tests)),
              [f"{LABEL[r.method]}\n− {LABEL[r.baseline]}\n{DNAME[r.dataset]}" for r in shown_tests], fontsize=8)
ax.set_ylabel("AUROC difference")
ax.set_title(f"Paired AUROC differences (first-named − second), one large dot per class; Holm over {n_tests} tests",
             fontsize=10)
plt.tight_layout()
plt.show()

lines = []
for r in shown_tests:
    if r.method == "ganomaly" and r.baseline == "knn":
        names = data.DATASETS[r.dataset]["classes"]
        up = [names[c] for (c, _), dv in zip(r.pairs, r.diffs) if dv > 0]
        lines.append(f"* {DNAME[r.dataset]}: above kNN on "
                     + (f"{len(up)} of {r.n} classes ({', '.join(up)})" if up else f"none of the {r.n} classes")
                     + f": {verdict(r).split(' — ')[-1]}.")

# %% jupyter={"source_hidden": true} tags=["hide-input"]
if lines:
    display(Markdown("GANomaly − kNN per data set (the aim is the Fashion-MNIST line):\n\n" + "\n".join(lines)))

# %%
n_colour = sum(r.direction != 0 for r in shown_tests)
# the trap shown on a pair whose verdict flips: significant per run, not per class (else where the p-values differ most)
flips = [r for r in shown_tests if per_run[(r.method, r.baseline, r.dataset)].direction != 0 and r.direction == 0]
inflated = min(flips or shown_tests,
               key=lambda r: per_run[(r.method, r.baseline, r.dataset)].p_adjusted / max(r.p_adjusted, 1e-300))
inflated_run = per_run[(inflated.method, inflated.baseline, inflated.dataset)]

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown(
    "**What to see:** one large dot per class, coloured by the class-level verdict (legend), the black line their "
    f"mean. {n_colour} of the {len(shown_tests)} columns {'is' if n_colour == 1 else 'are'} coloured. Counting the "
    f"light grey runs as independent pairs is the trap: for {LABEL[inflated.method]} − {LABEL[inflated.baseline]} on "
    f"{DNAME[inflated.dataset]} it gives a Holm-adjusted p of {inflated_run.p_adjusted:.2g} over {inflated_run.n} runs, "
    f"against {inflated.p_adjusted:.2g} over the {inflated.n} class means"
    + (f" (significant per run, not per class at level {ALPHA:g})" if flips else "")
    + " — more pairs, not more independent evidence."))

# %% [markdown]
# ## 5 · Ablations: the same models, scored another way
#
# Section 4 compares *different* models. To ask what one part of a score contributes, keep the trained
# model and change only the score; the grid does that for every EGBAD and GANomaly run, with no retraining
# (runs.csv's `ablations` column; `EGBAD.ablation_scores`, `GANomaly.ablation_scores`):
#
# * **GANomaly** by its own latent distance $\lVert G_E(x) - E(G(x)) \rVert_2^2$ (the official code's score;
#   the paper prints it with the L1 norm, `docs/references.md`) and by its pixel error
#   $L_{con} = \lVert x - G(x) \rVert_1$. If comparing codes rather than pixels is what GANomaly adds, the latent
#   distance must beat $L_{con}$ *on the same model*.
# * **EGBAD** by its own $A(x) = \alpha L_G + (1 - \alpha) L_D$ ($\alpha = 0.9$, feature matching), by $L_G$ alone
#   ($\alpha = 1$), and by each form of $L_D$ alone ($\alpha = 0$): feature matching, and the cross-entropy
#   $-\log D(G(E(x)), E(x))$ of the official code's other option (notebook 04). Does $\alpha = 0.9$ rank
#   much as $L_G$ does? $L_G$ varies over a far larger range (notebook 04, Section 5), so its 0.9 may swamp
#   $L_D$'s 0.1 — a statement about scales, not about the discriminator's usefulness. The reading below says.
#
# Each own score is paired with each ablation, class as the unit, Holm over this *ablation family*.

# %%
abl = comparison.ablation_rows(rows)
OWN = {"ganomaly": "ganomaly[latent]", "egbad": "egbad[alpha_0.9]"}   # the methods' own scores, recomputed
if abl:
    own_auroc = {(r["method"], r["dataset"], r["class"], r["seed"]): r["auroc"] for r in rows}
    gap = max(abs(a["auroc"] - own_auroc[(m, a["dataset"], a["class"], a["seed"])])
              for m, variant in OWN.items() for a in abl if a["method"] == variant)
    # Both AUROCs are stored rounded to 6 decimals (up to 1e-6 apart on that alone), and the ablation scores
    # the test images again in float32, which can break a near-tie between two scores: a few 1e-6 is agreement.
    TOL = 5e-6
    print(f"check: the ablation's own-score variants reproduce the rows' AUROC to {gap:.1e} "
          f"({'within' if gap <= TOL else 'OUTSIDE'} the tolerance {TOL:.0e}: both values rounded to 6 decimals, "
          "scores recomputed in float32)")
    shown_abl = [m for m in ("ganomaly", "ganomaly[L_con]", "egbad", "egbad[L_G]", "egbad[L_D_feature_matching]",
                             "egbad[L_D_cross_entropy]") if any(r["method"] == m for r in rows + abl)]
    abl_table_rows = [r for r in rows + abl if r["method"] in shown_abl]
    display(Markdown(f"**AUROC of the same trained models under each score**, mean over classes [{CONF:.0%} t-interval "
                     "over the per-seed class means]\n\n" + comparison.summary_table(abl_table_rows, errors="ci",
                                                                                    confidence=CONF)))
    tests_abl = comparison.class_paired_comparisons(rows + abl, pairs=comparison.ABLATION_PAIRS, alpha=ALPHA)
    display(Markdown("**Own score against each ablation** (one pair per class; Holm over these tests)\n\n"
                     + comparison.paired_table([r for r in tests_abl if r.n], unit="classes")))
    # what the two central ablations say, in words computed from their verdicts
    reading = []
    for r in tests_abl:
        if r.n and r.baseline == "ganomaly[L_con]":
            reading.append(f"* {DNAME[r.dataset]}, GANomaly's latent distance against its pixel error $L_{{con}}$: "
                           + {1: "the latent distance is significantly higher — here comparing codes is what the "
                                 "score gains from",
                              -1: "$L_{con}$ is significantly higher — on these models the pixels carry more",
                              0: "no significant difference, so the claim is not shown at this budget"}[r.direction]
                           + f" (latent higher on {r.wins} of {r.n} classes).")
        if r.n and r.baseline == "egbad[L_G]":
            reading.append(f"* {DNAME[r.dataset]}, EGBAD's $\\alpha = 0.9$ against $L_G$ alone: "
                           + {1: "the discriminator's share helps",
                              -1: "$L_G$ alone is higher, so the discriminator's share costs quality",
                              0: "no significant difference — the discriminator's share adds nothing detectable"}[
                                  r.direction] + f" (mean difference {r.mean_diff:+.3f}).")
    # EGBAD's discriminator term alone: at chance where its interval over seeds contains 0.5 on every data set
    ld_rows = [a for a in abl if a["method"].startswith("egbad[L_D")]
    ld_iv = {d: comparison.class_mean_stats(ld_rows, d, confidence=CONF)
             for d in ("mnist", "fashion_mnist") if any(a["dataset"] == d for a in ld_rows)}
    ld_chance = [m for m in sorted({a["method"] for a in ld_rows})
                 if ld_iv and all(m in v and v[m].has_interval and v[m].low <= 0.5 <= v[m].high for v in ld_iv.values())]
    if ld_chance:
        reading.append("* EGBAD's $L_D$ alone is at chance (its interval contains 0.5) on "
                       + ("both data sets" if len(ld_iv) > 1 else DNAME[next(iter(ld_iv))]) + ": "
                       + "; ".join(f"{LABEL[m]}, " + ", ".join(f"{DNAME[d]} {v[m].format()}" for d, v in ld_iv.items())
                                   for m in ld_chance) + ".")
    display(Markdown("**Reading the ablations** (the other EGBAD variants are in the table):\n\n" + "\n".join(reading)))
else:
    tests_abl = []
    display(Markdown("These rows predate the grid's `ablations` column, so there is nothing to show here: "
                     "rerun the grid (`python -m ganad_lib.experiments`) and this section fills in."))

# %% [markdown]
# ## 6 · The other protocol: one class normal
#
# Most later work (Deep SVDD, OCGAN and the tables that copy them) uses the opposite protocol: **one class
# is normal** and the nine others are anomalies. The detector learns one class and must flag everything
# else — usually easier, since an anomaly rarely looks like the one class it learned; and nine tenths of
# the test set are anomalies, which raises AUPRC on its own. Same runner, methods, caps and seeds
# (`--protocol one_class_normal`), never mixed with Sections 2–5; a run trains on one class only, so its
# training set can be far below the cap.
#
# **What to read below:** the paired table (the *other-protocol family*), the hedge where whole seeds
# failed, and the last lines: does the order of the methods change with the protocol? The per-class
# tables are folded.

# %%
normal_rows = by_protocol.get("one_class_normal", [])
tests_normal, failed_n = [], {}
hedge_check = {}   # data set -> (verdicts kept, verdicts the seed-dropping check tests, verdicts it cannot test)
if normal_rows:
    display(Markdown(f"**One class normal: AUROC**, mean over normal classes [{CONF:.0%} t-interval over the "
                     "per-seed class means]\n\n" + comparison.summary_table(normal_rows, "auroc", errors="ci",
                                                                            confidence=CONF)))
    present = [d for d in ("mnist", "fashion_mnist") if any(r["dataset"] == d for r in normal_rows)]
    fig, axes = plt.subplots(len(present), 1, figsize=(11, 3.75 * len(present)), squeeze=False)
    for ax, d in zip(axes[:, 0], present):
        comparison.plot_per_class(normal_rows, d, ax=ax, class_names=list(data.DATASETS[d]["classes"]), errors="ci",
                                  confidence=CONF)
    plt.tight_layout()
    plt.show()
    # Reading the figure: training sizes, interval widths, and seeds that failed as a whole
    failed_n = {d: failed_seeds(normal_rows, d) for d in present}
    lines = []
    for d in present:
        sel = [r for r in normal_rows if r["dataset"] == d]
        ivs = {m: [iv for iv in v if iv.has_interval]
               for m, v in comparison.per_class_stats(normal_rows, d, confidence=CONF).items()}
        hw = {m: np.median([iv.half_width for iv in v]) for m, v in ivs.items() if v}
        n_out = sum(iv.low < 0 or iv.high > 1 for v in ivs.values() for iv in v)
        spread = {m: sm for m, sm in seed_means(normal_rows, d).items() if len(sm) > 1 and np.ptp(list(sm.values())) > 0.1}
        line = f"* {DNAME[d]}: a run trains on {int(np.median([r['n_train'] for r in sel])):,} images of its normal class. "
        if spread:
            line += ("The wide bars come from whole seeds, not classes — class means per seed (seeds "
                     + ", ".join(str(s_) for s_ in next(iter(spread.values()))) + "): " + "; ".join(
                         f"{LABEL[m]} " + " / ".join(f"{v:.2f}" for v in sm.values()) for m, sm in spread.items())
                     + ". ")
        if failed_n[d]:
            line += ("Whole seeds failed: " + " and ".join(f"{LABEL[m]}'s seed {s_}" for m, s_, _, _ in failed_n[d])
                     + ".")
        elif not spread and hw:
            line += (f"No method's class mean moves by more than 0.1 between seeds; the widest bars are "
                     f"{LABEL[max(hw, key=hw.get)]}'s.")
        lines.append(line.strip())
    display(Markdown("**What to see:** the same bars as Section 2, now per *normal* class.\n\n" + "\n".join(lines)))
    display(Markdown("<details><summary>Per-class tables, one class normal (click)</summary>\n\n" + "\n\n".join(
        f"**{DNAME[d]}**, AUROC per *normal* class, mean over seeds [{CONF:.0%} t-interval]\n\n"
        + comparison.per_class_table(normal_rows, d, class_names=data.DATASETS[d]["classes"], confidence=CONF)
        for d in present) + "\n\n</details>"))
    tests_normal = comparison.class_paired_comparisons(normal_rows, alpha=ALPHA)
    display(Markdown("**Paired comparisons under one class normal** (class as the unit; Holm over these tests)\n\n"
                     + (comparison.paired_table([r for r in tests_normal if r.n], unit="classes") if any(r.n for r in tests_normal)
                        else "No pair of Section 4's methods shares a run under this protocol in these results.")))
    # How much the verdicts lean on the failed seeds: the same family without them
    for d, fs in failed_n.items():
        sig = [r for r in tests_normal if r.dataset == d and r.n and r.direction]
        if not fs or not sig:
            continue
        drop = {(m, s_) for m, s_, _, _ in fs}
        again = {(r.method, r.baseline): r for r in comparison.class_paired_comparisons(
            [r for r in normal_rows if (r["method"], r["seed"]) not in drop], alpha=ALPHA) if r.dataset == d}
        # the check can only move verdicts that involve a method that lost a seed
        tested = [r for r in sig if {r.method, r.baseline} & {m for m, _ in drop}]
        untested = [r for r in sig if r not in tested]
        kept_dir = [r for r in tested if again[(r.method, r.baseline)].direction == r.direction]
        hedge_check[d] = (len(kept_dir), len(tested), untested)
        n_one = int(np.median([r["n_train"] for r in normal_rows if r["dataset"] == d]))
        in_untested = {m for r in untested for m in (r.method, r.baseline)}
        uneven = {m: sm for m, sm in seed_means(normal_rows, d).items()
                  if m in in_untested and len(sm) > 1 and np.ptp(list(sm.values())) > 0.1}
        display(Markdown(
            f"**Hedge on {DNAME[d]}.** These verdicts rest on runs that learned {n_one:,} images each, with whole seeds "
            f"failing. Without {', '.join(f'{LABEL[m]} seed {s_}' for m, s_ in sorted(drop))} (a check, not a new "
            f"verdict: those seeds were chosen after seeing them), {len(kept_dir)} of the {len(tested)} significant "
            "verdicts involving those methods keep their direction"
            + (" (" + "; ".join(f"{LABEL[r.method]} − {LABEL[r.baseline]} {again[(r.method, r.baseline)].mean_diff:+.3f}, "
                                f"p = {again[(r.method, r.baseline)].p_adjusted:.2g}" for r in tested) + ")"
               if tested else "")
            + ". "
            + (("The check cannot test " + " and ".join(f"{LABEL[r.method]} − {LABEL[r.baseline]}" for r in untested)
                + (" (neither of its methods lost a seed)" if len(untested) == 1 else " (none of their methods lost a seed)")
                + ("; yet " + "; ".join(f"{LABEL[m]}'s class means per seed are uneven too ("
                                         + " / ".join(f"{v:.2f}" for v in sm.values()) + ", seeds "
                                         + ", ".join(str(s_) for s_ in sm) + ")" for m, sm in uneven.items())
                   if uneven else "") + ". ") if untested else "")
            + f"All of it holds for {n_one:,} images of one class, not for {DNAME[d]} as the papers use it."))


    lines = []
    for d in ("mnist", "fashion_mnist"):
        sel_a = [r for r in rows if r["dataset"] == d]
        sel_n = [r for r in normal_rows if r["dataset"] == d]
        if not sel_a or not sel_n:
            continue
        cm_a = comparison.class_mean_stats(sel_a, d, confidence=CONF)
        cm_n = comparison.class_mean_stats(sel_n, d, confidence=CONF)
        both = [m for m in methods if m in cm_a and m in cm_n]
        best_n = max(cm_n, key=lambda m: cm_n[m].mean)
        order_a = sorted(both, key=lambda m: -cm_a[m].mean)
        order_n = sorted(both, key=lambda m: -cm_n[m].mean)
        n_tr = ([int(np.median([r["n_train"] for r in sel])) for sel in (sel_a, sel_n)]
                if all(r["n_train"] for r in sel_a + sel_n) else None)
        lines.append(f"* {DNAME[d]}" + (f" ({n_tr[0]:,} → {n_tr[1]:,} training images per run)" if n_tr else "")
                     + f": highest mean {LABEL[best_n]}, {cm_n[best_n].format()}. Class means, one class "
                     "anomalous → one class normal: "
                     + ", ".join(f"{LABEL[m]} {cm_a[m].mean:.2f} → {cm_n[m].mean:.2f}" for m in both) + ". "
                     + ("Same order of methods under both protocols." if order_a == order_n else
                        "The order changes: " + " > ".join(LABEL[m] for m in order_a) + " becomes "
                        + " > ".join(LABEL[m] for m in order_n) + " (an order of means, not a test)."))
    display(Markdown("**The protocol is part of the task**; the same methods under the same caps move this far "
                     "between the two (where the training sizes differ, the change mixes protocol with training "
                     "size):\n\n" + "\n".join(lines)))
else:
    display(Markdown("No runs under *one class normal* in these results: run the grid with "
                     "`--protocol one_class_normal` and this section fills in."))

# %% [markdown]
# ## 7 · Reported numbers, with their protocol
#
# `ganad_lib.published` holds what the papers report, each row with its data, protocol, budget, how epoch
# and threshold were chosen, and its source. A number copied from somebody else's table is marked
# *second-hand* (shown, not verified against its primary source); numbers we could not read are left out,
# and the fold below says why ([`docs/references.md`](../docs/references.md), section 3).

# %%
display(Markdown(published.table()))

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown("<details><summary>Not shown, and why (click)</summary>\n\n" + "\n".join(
    f"* {n['method']} on {n['dataset']} ({n['protocol'].replace('_', ' ')}): {n['reason']}. Source: {n['source']}."
    for n in published.NOT_AVAILABLE) + "\n\n</details>"))

# %%
# Side by side, only under the published row's own protocol, data set and metric.
for entry in published.REPORTED:
    display(Markdown(f"**{entry.label}, {DNAME[entry.dataset]}, {entry.protocol.replace('_', ' ')}**\n\n"
                     + published.side_by_side(kept.rows, entry, class_names=data.DATASETS[entry.dataset]["classes"],
                                              confidence=CONF)))
matched = [e.label for e in published.REPORTED if published.ours_available(kept.rows, e)]

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown(
    f"Runs of ours under a published row's protocol: {', '.join(matched)}." if matched else
    f"None of our {len(kept.rows)} runs is under the protocol of these published rows "
    f"({', '.join(sorted({e.protocol.replace('_', ' ') for e in published.REPORTED}))}), so the columns of ours are "
    "empty: a bar-by-bar comparison with the grid above would compare two different tasks."))

# %% [markdown]
# **What to see:** ours next to a published row only under the same protocol; our runs are far smaller
# (Section 1), so a gap measures budget and data as much as method. The published GANomaly
# and EGBAD MNIST results use our protocol (one class anomalous, harder when the anomaly resembles a
# normal class, a 9 among 4s and 7s) but could not be copied (a figure; a table we could not open).
#
# <details><summary>Choices of the original codes that this course refuses (click)</summary>
#
# GANomaly's code keeps the epoch with the best *test* AUC and scores in training mode, which bears on its
# MNIST figure. EGBAD's KDD99 script takes its threshold from the test scores; that moves F1 on KDD99, not
# the threshold-free AUPRC of its MNIST results, measured once after the last epoch
# (`docs/references.md`, section 4). Our tables are what those methods reach at a small budget when every
# choice is made on validation data.
# </details>
#
# ## 8 · Quality against cost

# %%
comparison.plot_cost_quality(rows, confidence=CONF)
plt.tight_layout()
plt.show()
cost = {}
for m in methods:
    sel = [r for r in rows if r["method"] == m]
    cost[m] = (np.median([r["train_seconds"] for r in sel]), np.median([r["score_images_per_second"] for r in sel]))
    print(f"{LABEL[m]:12s} train {cost[m][0]:7.1f} s   score {cost[m][1]:9.0f} images/s   (medians over runs)")

# %%
lines = []
if {"anogan", "egbad", "ganomaly"} <= set(cost):
    lines.append(f"AnoGAN scores {cost['egbad'][1] / cost['anogan'][1]:.0f} and {cost['ganomaly'][1] / cost['anogan'][1]:.0f} "
                 "times slower than EGBAD and GANomaly: its latent search runs gradient steps per image, where they "
                 "need one forward pass.")
if {"ganomaly", "knn"} <= set(cost):
    cq = {d: comparison.cost_quality(rows, d, confidence=CONF) for d in ("mnist", "fashion_mnist")
          if any(r["dataset"] == d for r in rows)}
    knn_t = f"{cost['knn'][0]:.2f} s" if cost["knn"][0] >= 0.01 else "under 0.01 s"
    best_pt = {d: max(v, key=lambda m: v[m]["quality"].mean) for d, v in cq.items()}
    lines.append(f"kNN trains in {knn_t} (it only stores its training images), GANomaly in "
                 f"{cost['ganomaly'][0]:.1f} s; the highest point is "
                 + (f"{LABEL[next(iter(best_pt.values()))]}'s on both data sets" if len(cq) > 1 and len(set(best_pt.values())) == 1
                    else "; ".join(f"{LABEL[m]}'s on {DNAME[d]}" for d, m in best_pt.items())) + ".")
    at_floor = sorted({m for v in cq.values() for m, c in v.items() if c["train_seconds"] < 0.01},
                      key=comparison.METHOD_ORDER.index)
    if at_floor:
        lines.append(f"(A log axis has no zero: {' and '.join(LABEL[m] for m in at_floor)}'s training time, "
                     f"{', '.join(f'{1000 * cost[m][0]:.2g} ms' if cost[m][0] >= 0.001 else 'under 1 ms' for m in at_floor)}, is drawn at 0.01 s.)")

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown("**What to see:** good deals sit high and left (cheap to train) and high and right (fast to score). "
                 + " ".join(lines) + " Times are per run at the grid's sizes on a shared machine: compare ratios, not "
                 "absolute seconds."))

# %% [markdown]
# ## 9 · Discussion
#
# Which classes are hard and why, where the GANs win and lose, what the cost buys, and the verdict on the
# course's aim. Every number is computed from the rows loaded above; a rerun moves them a little, the pattern
# is what to read.

# %%
# Which classes are hardest? The mean AUROC over all methods, per data set and class.
hard, mean_over_methods = {}, {}
for d in ("mnist", "fashion_mnist"):
    pc = comparison.per_class(rows, d)
    if not pc:
        continue
    stacked = np.stack([v[0] for v in pc.values()])
    mom = np.array([col[np.isfinite(col)].mean() if np.isfinite(col).any() else np.nan for col in stacked.T])
    mean_over_methods[d] = mom
    hard[d] = [int(c) for c in np.argsort(mom) if np.isfinite(mom[c])]
    names = data.DATASETS[d]["classes"]
    print(f"{d:14s} hardest: " + ", ".join(f"{names[c]} ({mom[c]:.2f})" for c in hard[d][:3])
          + " | easiest: " + ", ".join(f"{names[c]} ({mom[c]:.2f})" for c in hard[d][::-1][:3]))

# %%
# The share of ink per digit: how bright an average image of each class is.
ink = np.array([mnist.images[mnist.labels == c].float().mean().item() / 255 for c in range(10)])
text = ["**Which classes are hard, and why.**"]
if "fashion_mnist" in hard:
    fn, h = data.DATASETS["fashion_mnist"]["classes"], hard["fashion_mnist"]
    mom = mean_over_methods["fashion_mnist"]
    pc = comparison.per_class(rows, "fashion_mnist")
    easy = h[-1]
    lows = {m: pc[m][0][easy] for m in pc}
    tops = {0, 2, 4, 6}  # T-shirt/top, pullover, coat, shirt
    hard_tops = [fn[c] for c in h[:4] if c in tops]
    why = (f"{len(hard_tops)} of the {len(h[:4])} are tops ({', '.join(hard_tops)}), which differ in sleeves, collars "
           "and buttons more than in outline, so a model of the nine other classes has seen the anomaly's shape and "
           "may reconstruct it well. " if h[0] in tops else "")
    text.append(f"*Fashion-MNIST.* Hardest anomalies: {', '.join(fn[c] for c in h[:4])} (mean AUROC over all methods "
                f"{min(mom[c] for c in h[:4]):.2f}–{max(mom[c] for c in h[:4]):.2f}). {why}Easiest: "
                f"{fn[easy].lower()}, a shape no normal class shares (lowest method {LABEL[min(lows, key=lows.get)]}, "
                f"{min(lows.values()):.2f}; " + ", ".join(f"{LABEL[m]} {lows[m]:.2f}" for m in ("ganomaly", "knn")
                                                           if m in lows) + "). The figure below shows both.")
if "mnist" in hard:
    pc = comparison.per_class(rows, "mnist")
    stats1 = {m: v[1] for m, v in comparison.per_class_stats(rows, "mnist", confidence=CONF).items()}
    below = sorted((iv.mean, m) for m, iv in stats1.items() if np.isfinite(iv.high) and iv.high < 0.5)
    others = np.delete(ink, 1)
    text.append(f"*MNIST.* Hardest anomalies: the digits {' and '.join(str(c) for c in hard['mnist'][:2])}. "
                + (f"{', '.join(f'{LABEL[m]} ({v:.2f})' for v, m in below)} score{'s' if len(below) == 1 else ''} "
                   f"the 1 *below* chance (the whole {CONF:.0%} interval under 0.5). " if below else "")
                + (f"A 1 has the least ink of all digits ({ink[1]:.1%} of the maximal intensity on average, against "
                   f"{others.min():.1%}–{others.max():.1%} for the others). A hypothesis, not measured here: pixel "
                   "distances shrink with the amount of ink, so a faint image is close to everything, and any pixel "
                   "score — a reconstruction error, kNN's distance — can call it more normal than the normal digits. "
                   "An AUROC below 0.5 is then a finding, not a bug."
                   if 1 in hard["mnist"][:3] else ""))

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown("\n\n".join(text)))

# %%
# Why a class is hard: each anomaly above its nearest normal *training* image, by pixel distance (what kNN
# measures), for the hardest and the easiest Fashion-MNIST class (seed 0's split at the grid's sizes).
order = hard.get("fashion_mnist", list(range(10)))
pick = [order[0], order[-1]] if len(order) > 1 else order
fig, axes = plt.subplots(len(pick), 1, figsize=(10, 3.0 * len(pick)), squeeze=False)
nn_dist = {}
for ax, c in zip(axes[:, 0], pick):
    sp = make_split(PROTOCOL, fmnist, c, seed=0, profile=grid_p)
    train_px = fmnist.images[sp.train].reshape(len(sp.train), -1).float() / 255
    test_px = fmnist.images[sp.test].reshape(len(sp.test), -1).float() / 255
    dist, nearest = torch.cdist(test_px, train_px).min(dim=1)
    is_anom = torch.as_tensor(sp.test_is_anomaly)
    nn_dist[c] = (dist[is_anom].mean().item(), dist[~is_anom].mean().item())
    show = torch.nonzero(is_anom).flatten()[:8]
    top = fmnist.images[sp.test[show]]
    bottom = fmnist.images[sp.train[nearest[show].numpy()]]
    plotting.show_images(torch.cat([top, bottom]), nrow=8, ax=ax,
                         title=f"top: {fmnist.classes[c]} (the anomaly); bottom: its nearest normal training image — "
                               + ", ".join(fmnist.classes[int(fmnist.labels[sp.train[nearest[i]]])] for i in show))
plt.tight_layout()
plt.show()
if len(pick) == 2:
    (h_c, e_c), fn = pick, fmnist.classes
    easy_stats = comparison.per_class_stats(rows, "fashion_mnist", confidence=CONF)
    easy_means = {m: ivs[e_c].mean for m, ivs in easy_stats.items() if np.isfinite(ivs[e_c].mean)}
    easy_low = {m: (easy_stats[m][e_c].low if easy_stats[m][e_c].has_interval else easy_means[m]) for m in easy_means}
    low_e = min(easy_means, key=easy_means.get)
    display(Markdown(
        "**What to see:** each anomaly (top) above its nearest normal training image by pixel distance, what kNN "
        f"measures (bottom). A {fn[h_c].lower()}'s nearest neighbour lies on average {nn_dist[h_c][0]:.2f} away "
        f"(Euclidean, intensities in [0, 1]), {nn_dist[h_c][0] / nn_dist[h_c][1]:.2f} times a *normal* test image's "
        f"{nn_dist[h_c][1]:.2f}: it has near twins among the normal classes. A {fn[e_c].lower()} lies "
        f"{nn_dist[e_c][0]:.2f} away, against {nn_dist[e_c][1]:.2f} for the normal images: nothing in training "
        "resembles it closely."))

# %% [markdown]
# **Where the GANs win and lose** — every significant verdict of Sections 4 and 6 in one place (nothing
# new is tested), then the best GAN method per data set.

# %%
res = {(r.method, r.baseline, r.dataset): r for r in tests_class}
cms = {d: comparison.class_mean_stats(rows, d, confidence=CONF) for d in ("mnist", "fashion_mnist")
       if any(r["dataset"] == d for r in rows)}
parts = []


def side(r, with_dataset=True):
    """The higher method of a significant class-level verdict, its class count and Holm-adjusted p."""
    hi, lo = (r.method, r.baseline) if r.direction > 0 else (r.baseline, r.method)
    n_hi = r.wins if r.direction > 0 else r.losses
    where = f" on {DNAME[r.dataset]}" if with_dataset else ""
    return f"{LABEL[hi]} above {LABEL[lo]}{where} ({n_hi} of {r.n} classes, Holm-adjusted p = {r.p_adjusted:.2g})"


for name, fam in (("One class anomalous (Section 4)", tests_class), ("One class normal (Section 6)", tests_normal)):
    sig = [r for r in fam if r.n and r.direction]
    gan_up = [r for r in sig if (r.method if r.direction > 0 else r.baseline) in comparison.GAN_METHODS
              and (r.baseline if r.direction > 0 else r.method) in comparison.BASELINES]
    if fam and any(r.n for r in fam):
        parts.append(f"* *{name}:* " + ("; ".join(side(r) for r in sig) if sig else "no significant verdict")
                     + (f" — {len(gan_up)} of them put{'s' if len(gan_up) == 1 else ''} a GAN method above a baseline."
                        if sig else "."))
for d, cm in cms.items():
    gan = max((m for m in comparison.GAN_METHODS if m in cm), key=lambda m: cm[m].mean, default=None)
    if gan is None:
        continue
    s = f"* {DNAME[d]}: best GAN method {LABEL[gan]}, {cm[gan].format()}. "
    near = [m for m in ("anogan", "egbad") if m in cm and cm[m].low < 0.5 < cm[m].high]
    if near:
        s += (f"{' and '.join(LABEL[m] for m in near)} {'are' if len(near) > 1 else 'is'} not distinguishable from "
              f"chance ({', '.join(f'{LABEL[m]} {cm[m].mean:.2f}' for m in near)}), so EGBAD against AnoGAN says little "
              "about what an encoder costs at a working budget.")
        for m, s_, v, others in failed_seeds(rows, d):
            if m in near:
                s += f" For {LABEL[m]} that rests on its failed seed {s_} (Section 3)."
    parts.append(s.strip())
parts.append("<details><summary>Why two of the pairs are not clean tests (click)</summary>\n\n"
             "*GANomaly against the autoencoder* does not isolate what the latent comparison adds: the two also differ "
             "in the adversarial loss, the second encoder and the networks. The clean test is Section 5's ablation "
             "(the same GANomaly scored by its latent distance and by $L_{con}$). *EGBAD against AnoGAN* compares two "
             "whole pipelines, differing in training (a BiGAN trained jointly with its encoder against a plain GAN) "
             "and in the score (α = 0.9 with feature matching against the search loss). The clean test of the "
             "encoder alone would score one trained BiGAN both ways: by its encoder, and by AnoGAN's search on its "
             "generator (or a search started at E(x)).\n\n</details>")

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown("\n\n".join(parts)))

# %% [markdown]
# ### Is it the method or the budget? (optional)
#
# The obvious objection: the GANs lose because the grid starves them. So part of the grid was rerun on a
# lent GPU at the **papers' sizes** (profile `full`: every image, width 64, AnoGAN's search with Γ = 500;
# `results/full/README.md`) — Fashion-MNIST under *one class normal* only, not Section 4's protocol. The
# cells compare the same (class, seed) settings at both budgets, class as the unit, Holm over the methods
# (the *budget family*); then test each method against kNN at the papers' budget (the *papers'-budget
# family*, Holm again); then, post hoc, whether GANomaly − kNN changed between the budgets. Read two things:
# does any budget effect survive Holm, and where does kNN stand?

# %%
full_path = comparison.results_path("full")   # results/full/runs.csv
full_rows = []
if full_path.is_file():
    full_rows = comparison.select(comparison.one_size_per_method(comparison.load_runs(full_path)).rows,
                                  protocol="one_class_normal", dataset="fashion_mnist")
small_rows = comparison.select(by_protocol.get("one_class_normal", []), dataset="fashion_mnist")
auroc_full = {(r["method"], r["class"], r["seed"]): r["auroc"] for r in full_rows}
auroc_small = {(r["method"], r["class"], r["seed"]): r["auroc"] for r in small_rows}

budget = {}   # method -> per-class means over the seeds both budgets ran: (small, full)
for m in comparison.METHOD_ORDER:
    shared = [k for k in auroc_full if k[0] == m and k in auroc_small]
    classes = sorted({c for _, c, _ in shared})
    if len(classes) >= 2:
        small = np.array([np.mean([auroc_small[k] for k in shared if k[1] == c]) for c in classes])
        big = np.array([np.mean([auroc_full[k] for k in shared if k[1] == c]) for c in classes])
        d = big - small
        p = stats.wilcoxon(d).pvalue if np.any(d != 0) else 1.0
        budget[m] = {"classes": len(classes), "runs": len(shared), "small": small.mean(), "full": big.mean(),
                     "diff": d.mean(), "higher": int((d > 0).sum()), "p": p, "per_class": dict(zip(classes, d))}
# one family: the budget effect of every method, Holm-adjusted as in Section 4
for b, pa in zip(budget.values(), comparison.holm([b["p"] for b in budget.values()])):
    b["p_holm"] = pa
if budget:
    display(Markdown(
        "| method | classes (runs) | grid budget | papers' budget | difference | papers' budget higher in | "
        "Wilcoxon p | Holm-adjusted p |\n|---|---|---|---|---|---|---|---|\n" + "\n".join(
            f"| {LABEL[m]} | {b['classes']} ({b['runs']}) | {b['small']:.3f} | {b['full']:.3f} | {b['diff']:+.3f} | "
            f"{b['higher']} of {b['classes']} classes | {b['p']:.3f} | {b['p_holm']:.3f} |" for m, b in budget.items())))
else:
    print("No (class, seed) run of Fashion-MNIST under one class normal is in both files: nothing to compare"
          + (" (the smoke grid runs MNIST only)." if P.name == "smoke" else "."))

# At the papers' budget itself: every GAN method and the autoencoder against kNN, one family, Holm-adjusted
full_pairs = tuple((m, "knn") for m in ("ganomaly", "egbad", "anogan", "autoencoder")
                   if any(r["method"] == m for r in full_rows))
full_tests = (comparison.class_paired_comparisons(full_rows, datasets=("fashion_mnist",), pairs=full_pairs,
                                                   alpha=ALPHA) if full_rows and full_pairs else [])
for r in full_tests:
    print(f"{LABEL[r.method]:12s} - kNN: mean {r.mean_diff:+.3f}, higher in {r.wins} of {r.n} classes, "
          f"Holm-adjusted p {r.p_adjusted:.4f}")
# Did the budget change the gap between GANomaly and kNN? A verdict that differs between two budgets is not yet
# a difference: test it directly, per class, on (GANomaly - kNN at the papers' budget) - (the same at the grid's)
# (a post-hoc test, asked because the two verdicts differ; only the (class, seed) runs BOTH methods have at both
# budgets, so that GANomaly and kNN are compared on the same seeds)
did = None
if {"ganomaly", "knn"} <= set(budget):
    pairs_both = sorted({(c, sd) for m, c, sd in auroc_full if m == "ganomaly" and ("ganomaly", c, sd) in auroc_small
                         and ("knn", c, sd) in auroc_full and ("knn", c, sd) in auroc_small})
    change = {}   # class -> [(GANomaly - kNN at the papers' budget) - (the same at the grid's), one per seed]
    for c, sd in pairs_both:
        change.setdefault(c, []).append((auroc_full[("ganomaly", c, sd)] - auroc_full[("knn", c, sd)])
                                        - (auroc_small[("ganomaly", c, sd)] - auroc_small[("knn", c, sd)]))
    dd = np.array([np.mean(v) for v in change.values()])
    if len(dd) >= 2:
        did = {"mean": float(dd.mean()), "n": len(dd), "p": stats.wilcoxon(dd).pvalue if np.any(dd != 0) else 1.0,
               "seeds": sorted({sd for _, sd in pairs_both})}
        print(f"change of GANomaly - kNN from the grid's run to the papers'-budget run: mean {did['mean']:+.3f} over "
              f"{did['n']} classes (seeds {did['seeds']} of both methods), Wilcoxon p = {did['p']:.3f} (one post-hoc "
              "test, not in the Holm family above)")

# %%
if budget:
    fig, ax = plt.subplots(figsize=(6.5, 4.2))
    # label heights at the right end, pushed apart so that close lines keep readable labels
    ends = [v for b in budget.values() for v in (b["small"], b["full"])]
    gap_y, label_y = 0.05 * (max(ends) - min(ends)), {}
    for m in sorted(budget, key=lambda m: budget[m]["full"]):
        label_y[m] = max(budget[m]["full"], max(label_y.values(), default=-1.0) + gap_y)
    for m, b in budget.items():
        ax.plot([0, 1], [b["small"], b["full"]], marker="o", lw=2, label=LABEL[m],
                color=plt.cm.tab10(comparison.METHOD_ORDER.index(m)))
        ax.annotate(LABEL[m], (1, b["full"]), xytext=(1.06, label_y[m]), textcoords="data", va="center", fontsize=9,
                    arrowprops={"arrowstyle": "-", "color": "0.6", "lw": 0.6})
    ax.set_xticks([0, 1], [f"grid budget\n({get_profile('cpu').for_grid().max_train:,} images at most, width "
                           f"{get_profile('cpu').for_grid().width})",
                           f"papers' budget\n(all images, width {get_profile('full').width})"])
    ax.set_xlim(-0.3, 1.45)
    ax.set_ylabel("mean AUROC over classes\n(shared (class, seed) runs)")
    ax.set_title("Fashion-MNIST, one class normal: the same (class, seed) settings at two budgets")
    ax.grid(axis="y", alpha=0.3)
    plt.tight_layout()
    plt.show()
    y_low = ax.get_ylim()[0]


def listed(methods):
    names = [LABEL[m] for m in methods]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


if budget and full_tests:
    size = {k: {name: int(np.median([r[k] for r in rs if r["method"] in budget])) for name, rs in
                (("grid", small_rows), ("full", full_rows))} for k in ("n_train", "n_val", "n_test")}
    soft = {name: ", ".join(sorted({f"torch {r['torch_version']} on {r['device'].upper()}" for r in rs}))
            for name, rs in (("grid", small_rows), ("full", full_rows))}
    up = [m for m, b in budget.items() if b["diff"] > 0 and b["p_holm"] < ALPHA]
    down = [m for m, b in budget.items() if b["diff"] < 0 and b["p_holm"] < ALPHA]
    raw = [m for m, b in budget.items() if b["p"] < ALPHA]
    seeds_full = {m: len({r["seed"] for r in full_rows if r["method"] == m}) for m in budget}
    n_seeds = max(seeds_full[m] for m in budget if m in comparison.GAN_METHODS)
    best_full = max(budget, key=lambda m: budget[m]["full"])
    lose_knn = [r for r in full_tests if r.direction < 0]
    grid_gk = {(r.method, r.baseline): r for r in tests_normal if r.dataset == "fashion_mnist"}.get(("ganomaly", "knn"))
    text = ("**What to see:** each line joins a method's mean AUROC at the grid's budget (left) to the same settings "
            f"at the papers' budget (right); the axis starts at {y_low:.2f}, so the slopes look steeper than the "
            f"changes are (at most {max(abs(b['diff']) for b in budget.values()):.3f} AUROC). ")
    if up or down:
        text += (" and ".join(part for part in (f"More budget raised {listed(up)}" if up else "",
                                                 f"{'lowered' if up else 'More budget lowered'} {listed(down)}"
                                                 if down else "") if part)
                 + f" (Holm-adjusted p < {ALPHA:g} over the {len(budget)} methods). ")
    else:
        text += (f"No budget effect survives Holm over the {len(budget)} methods (smallest adjusted p = "
                 f"{min(b['p_holm'] for b in budget.values()):.2g}"
                 + (f"; unadjusted, {listed(raw)} would pass {ALPHA:g}). " if raw else "). "))
    text += (f"At the papers' budget the highest mean is {LABEL[best_full]}'s ({budget[best_full]['full']:.3f}), and "
             + (f"{listed([r.method for r in lose_knn])} {'are' if len(lose_knn) > 1 else 'is'} significantly below kNN. "
                if lose_knn else "no method is significantly below kNN. ")
             + "This run says nothing about Section 4's verdicts or the course's aim (another protocol): whether a "
             "larger budget changes those is not measured.\n\n"
             "<details><summary>GANomaly against kNN across the budgets, and what else differs between the runs "
             "(click)</summary>\n\n")
    if grid_gk is not None and grid_gk.n and "ganomaly" in budget and "knn" in budget:
        text += (f"At the grid's budget GANomaly − kNN was {grid_gk.mean_diff:+.3f} (Holm-adjusted p = "
                 f"{grid_gk.p_adjusted:.2g}, Section 6). Two verdicts that differ are not a tested difference, so the "
                 "change of GANomaly − kNN between the runs is tested directly, per class: "
                 + (f"{did['mean']:+.3f} (Wilcoxon p = {did['p']:.2g} over {did['n']} classes, seeds both methods ran) — "
                    + ("beyond chance, but a change of the two runs as wholes, found by a test chosen after seeing the "
                       "verdicts differ, outside any Holm family. " if did["p"] < ALPHA else
                       "not significant: the budget is not shown to change the gap, and it did not lift GANomaly above "
                       "kNN. ") if did is not None else
                    "too few shared classes to test. ")
                 + f"GANomaly itself moved {budget['ganomaly']['diff']:+.3f} and kNN {budget['knn']['diff']:+.3f}"
                 + (f"; GANomaly scored lower at the papers' budget on "
                    f"{budget['ganomaly']['classes'] - budget['ganomaly']['higher']} of {budget['ganomaly']['classes']} "
                    "classes, with its authors' hyperparameters, not retuned — these runs cannot say why. "
                    if budget["ganomaly"]["diff"] < 0 else ". "))
    text += ("Besides the budget, the runs differ in the seeds (at most "
             f"{n_seeds} per GAN method; "
             + ", ".join(f"{LABEL[m]} {budget[m]['runs']} runs" for m in budget if m in comparison.GAN_METHODS)
             + f" over {budget[next(iter(budget))]['classes']} classes), the images per run (training "
             f"{size['n_train']['grid']:,} → {size['n_train']['full']:,}, validation {size['n_val']['grid']:,} → "
             f"{size['n_val']['full']:,}, test {size['n_test']['grid']:,} → {size['n_test']['full']:,}), the data "
             f"subsamples, and software and hardware ({soft['grid']} against {soft['full']}, whose GPU kernels are not "
             "bit-for-bit repeatable). Any of these may lie behind a change of this size.\n\n</details>")
    display(Markdown(text))

# %%
# What the extra cost of the GANs buys against kNN, from the class-level verdicts of Section 4
updates = n_train // grid_p.batch_size * grid_p.epochs
against_knn = {d: res[("ganomaly", "knn", d)] for d in cms if ("ganomaly", "knn", d) in res and res[("ganomaly", "knn", d)].n}
higher = [DNAME[d] for d, r in against_knn.items() if r.direction > 0]
lower = [DNAME[d] for d, r in against_knn.items() if r.direction < 0]
level = [DNAME[d] for d, r in against_knn.items() if r.direction == 0]
found = "; ".join(part for part in (
    f"significantly higher than kNN on {' and '.join(higher)}" if higher else "",
    f"significantly lower than kNN on {' and '.join(lower)}" if lower else "",
    f"not distinguishable from kNN on {' and '.join(level)}" if level else "") if part)
text = [f"**What the cost buys.** GANomaly is {found} (Section 4). Besides its AUROC, a GAN detector buys a model: a "
        "latent space, reconstructions and residual maps that show *where* an image is unusual; and EGBAD's and "
        "GANomaly's scoring cost does not grow with the training set, as kNN's does."]
pc_f = comparison.per_class(rows, "fashion_mnist")
knn_hard = (float(pc_f["knn"][0][hard["fashion_mnist"][0]])
            if "knn" in pc_f and "fashion_mnist" in hard else None)
knn_above = [r.method for r in full_tests if r.direction < 0 and r.method in comparison.GAN_METHODS]
latent_wins = [r for r in tests_abl if r.baseline == "ganomaly[L_con]" and r.n and r.direction > 0]
if not higher:
    text += ["**Why GANomaly does not beat kNN here.** Three candidate reasons, none tested here as the cause: the small "
             "budget, near twins that fool any pixel measure, and no tuning on anomalies.",
             "<details><summary>The three reasons in detail (click)</summary>\n\n"
             f"1. *The budget.* A grid GAN sees {n_train:,} images for {grid_p.epochs} "
             f"epoch{'s' if grid_p.epochs != 1 else ''}, about {updates:,} generator updates, at width {grid_p.width} "
             f"where the papers use {get_profile('full').width}"
             + ("; the epochs are where the validation curves levelled off on one setting (Section 1)"
                if all(r["sizes"] for r in rows) else
                "; these rows predate the budget chosen on validation curves (`results/cpu/grid_budget.json`)")
             + (f". The papers'-budget run does not support this reason: there GANomaly moved "
                f"{budget['ganomaly']['diff']:+.3f}"
                + (f" and kNN is significantly above {listed(knn_above)}" if knn_above else "")
                + "; but it covers one class normal on Fashion-MNIST only, so the budget stays a reason these small "
                "runs cannot rule out." if budget and "ganomaly" in budget else
                ". The papers'-budget run covers one class normal on Fashion-MNIST only.")
             + "\n2. *Near twins (a hypothesis).* On the hardest Fashion-MNIST class kNN itself reaches only "
             + (f"{knn_hard:.2f}" if knn_hard is not None else "little")
             + ": an anomaly with close normal training images (the nearest-neighbour figure) is close to the normal "
             "data by any pixel measure, and a model of nine classes may also reproduce a tenth that shares their shapes."
             + (" Comparing codes helps GANomaly over its own pixel error on "
                + " and ".join(DNAME[r.dataset] for r in latent_wins) + " (Section 5), but not enough to beat kNN's "
                "direct question: is some *training* image close?" if latent_wins else "")
             + "\n3. *No tuning on anomalies.* Validation data hold normal images only; the honest tuning signals "
             "(validation losses, and pseudo-anomalies: normal classes held out of training, as "
             "`benchmarks/ganomaly_bag.py --pseudo` does) are proxies, and the grid tunes nothing per class. The "
             "official GANomaly code keeps the epoch with the best *test* AUC (`docs/references.md`, section 4); "
             "notebook 05 measures what that dishonest choice adds.\n\n</details>"]

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown("\n\n".join(text)))

# %%
# The course's aim, judged by its paired test: does GANomaly beat kNN on Fashion-MNIST?
aim = res.get(("ganomaly", "knn", "fashion_mnist"))
if aim is not None and aim.n:
    word = {1: "**met**", 0: "**not shown** (no significant difference)", -1: "**not met**"}[aim.direction]
    iv = comparison.t_interval(aim.diffs, CONF)
    bound = (f" The {CONF:.0%} t-interval of the mean difference over classes (two-sided, not adjusted for the "
             f"family) has its upper end at {iv.high:+.3f} AUROC." if iv.has_interval else "")
    display(Markdown(f"So the course's aim, *GANomaly beats kNN on Fashion-MNIST* under one class anomalous, stated at "
                     f"the top, is {word} at this budget: {verdict(aim)}.{bound}"))
# The other fixed question: does EGBAD (an encoder) score worse than AnoGAN (a search)?
ea = [res[("egbad", "anogan", d)] for d in cms if res.get(("egbad", "anogan", d)) is not None
      and res[("egbad", "anogan", d)].n]
if ea:
    display(Markdown("The other fixed question, *does EGBAD score worse than AnoGAN?* (one class anomalous): " + "; ".join(
        f"{DNAME[r.dataset]}, EGBAD higher on {r.wins} of {r.n} classes, Holm-adjusted p = {r.p_adjusted:.2g} — "
        + {-1: "**yes**", 0: "**not shown**", 1: "**no**, EGBAD is significantly higher"}[r.direction]
        for r in ea) + "."))


# %% [markdown]
# ## 10 · Exercises
#
# Each stub raises `NotImplementedError`; the check runs your function on random inputs and names the
# usual mistakes; a function that only calls a ready-made interval or summary is refused. Solutions are in
# [`docs/solutions.md`](../docs/solutions.md) — try first.
#
# **Exercise 1 — the mean over classes.** Write `mean_auroc(rows, method, dataset)`: for each seed,
# average the AUROC over the classes; return the mean of those per-seed averages, leaving out any seed that
# has not finished every class. (`rows` is a list of dicts with keys `method`, `dataset`, `class`, `seed`,
# `auroc`.) When every seed is complete this equals the plain mean of all rows — so why the detour? Work out
# what the plain mean does while one seed has finished only the easy classes.

# %%
def mean_auroc(rows, method, dataset):
    raise NotImplementedError

exercises.check_mean_auroc(mean_auroc)

# %% [markdown]
# **Exercise 2 — an interval from three seeds.** The tables of this notebook give a 95 % interval for each
# mean over seeds. Write `interval(values, confidence)` returning `(low, high)` for the mean of a few values
# (one AUROC per seed). Three choices decide whether it is right with three seeds: which standard
# deviation, which quantile, and how the spread of the *mean* shrinks with the number of values. Then
# compute how much wider your interval is than "mean ± 1.96 standard errors" for 3 seeds, and say what that
# means for a claim that one method beats another by 0.01.

# %%
def interval(values, confidence):
    raise NotImplementedError

exercises.check_confidence_interval(interval)

# %% [markdown]
# **Exercise 3 — Holm's adjustment.** Section 4 ran a family of tests and adjusted their p-values with
# Holm's procedure. Write `holm(p_values)`: it takes the raw p-values of one family (a list of floats, no
# NaN) and returns the adjusted ones **in the same order**. Decide for yourself: which p-value gets the
# largest multiplier, what keeps an adjusted value from falling below the one before it, and what happens
# to a product above 1. Then predict, for Section 4's family of eight tests at level 0.05: could a test
# with raw p = 0.007 be declared significant if it is the smallest p-value of the family? If it is the
# third smallest? (Work it out before running anything; the two answers differ, and
# [`docs/solutions.md`](../docs/solutions.md) explains why.)

# %%
def holm(p_values):
    raise NotImplementedError

exercises.check_holm(holm)

# %% [markdown]
# **Exercise 4 — the unit of a paired test.** Section 4 pairs *classes*, not runs. Write
# `class_differences(rows, a, b, dataset)`: for each class that both methods ran (in increasing order),
# the mean AUROC of `a` minus that of `b`, each averaged over the seeds **both** methods ran on that class.
# (`rows` as in Exercise 1; on some classes one method has not run every seed.) Then think before you
# compute: the per-run version gives three times as many differences for three seeds. Would a Wilcoxon test
# on those give a smaller or a larger p-value than on your ten, and which of the two should a verdict use?
# Check your prediction on the committed grid with the cell after the check.

# %%
def class_differences(rows, a, b, dataset):
    raise NotImplementedError

exercises.check_class_differences(class_differences)

# %%
try:   # your prediction, measured: GANomaly against kNN on Fashion-MNIST, by class and by run
    d_class = np.asarray(class_differences(rows, "ganomaly", "knn", "fashion_mnist"))
    r_run = per_run.get(("ganomaly", "knn", "fashion_mnist"))
    if len(d_class) >= 2 and r_run is not None and r_run.n:
        print(f"{len(d_class)} class differences: Wilcoxon p = {stats.wilcoxon(d_class).pvalue:.3g}; "
              f"{r_run.n} run differences: p = {r_run.p_value:.3g} (both before Holm's adjustment)")
except NotImplementedError:
    print("write class_differences above first")

# %% [markdown]
# **Exercise 5 (open) — run a grid yourself.** In a terminal, from the repository's root:
#
# ```bash
# python -m ganad_lib.experiments --profile cpu --methods knn,pca --datasets fashion_mnist --classes 0-9 --seeds 0 --out /tmp/my-grid --dry-run
# ```
#
# (`--out` keeps your rows apart from the course's `results/`.) Remove `--dry-run` to run it, interrupt it
# with Ctrl-C half-way, and run it again: the finished rows are kept and only the missing ones run — a row
# counts as done when its method, data set, protocol, class, seed *and sizes* match, so rows made with
# other sizes are run again. Then add `--protocol one_class_normal` and compare kNN's numbers
# under the two protocols.

# %% [markdown]
# ## Pitfalls
#
# * **Comparing across protocols.** A published number belongs beside ours only under its own protocol;
#   `comparison` refuses to average rows of two protocols or two budgets.
# * **Best-of-N on the test set.** Reporting the best epoch's test AUROC (as the original GANomaly code does)
#   or the best seed inflates a method. The runner picks nothing on test data.
# * **Too few seeds.** With few seeds the t quantile is large (12.71 for two), a per-class interval is wider
#   than the differences it should settle, and one failed seed can set a mean's interval. Compare methods
#   with a paired test over all classes.
# * **Many tests at once.** Some come out "significant" by chance: adjust (Holm) or at least say how many
#   tests you ran.
# * **Timing on a busy machine.** Compare ratios within one run, not absolute seconds.
#
# ## Summary

# %%
# The headline results, computed from the verdicts above
heads = []
aim_iv = comparison.t_interval(aim.diffs, CONF) if aim is not None and aim.n else None
central = []   # the aim's verdict, the highest mean per data set, GANomaly's significant wins and losses
if aim_iv is not None and aim_iv.has_interval:
    central.append("the aim, GANomaly above kNN on Fashion-MNIST under one class anomalous, is "
                   + {1: "**met**", 0: "**not shown**", -1: "**not met**"}[aim.direction]
                   + f" (Holm-adjusted p = {aim.p_adjusted:.2g}; the {CONF:.0%} interval of the mean difference over "
                   f"classes has its upper end at {aim_iv.high:+.3f} AUROC)")
tops_ = {d: max(cm, key=lambda m: cm[m].mean) for d, cm in cms.items()}
tops_pr = {d: max(v, key=lambda m: v[m].mean) for d, v in
           ((d, comparison.class_mean_stats(rows, d, "auprc", confidence=CONF)) for d in cms)}
if len(tops_) > 1 and len(set(tops_.values())) == 1:
    m_top = next(iter(tops_.values()))
    central.append(f"{LABEL[m_top]} has the highest mean AUROC on both data sets, one class anomalous ("
                   + "; ".join(f"{DNAME[d]} {cms[d][m_top].format()}" for d in tops_) + ")")
elif tops_:
    central.append("the highest mean AUROC, one class anomalous: "
                   + "; ".join(f"{LABEL[m]}'s on {DNAME[d]}, {cms[d][m].format()}" for d, m in tops_.items()))
pr_differs = [d for d in tops_ if tops_pr[d] != tops_[d]]
if pr_differs:
    central[-1] += " (by AUPRC: " + "; ".join(f"{LABEL[tops_pr[d]]} on {DNAME[d]}" for d in pr_differs) + ", Section 3)"
# GANomaly's significant wins and losses against a baseline, per protocol, flagged as in the bullets below
for name, fam in (("one class anomalous (Section 4, the aim's protocol)", tests_class),
                  ("one class normal (Section 6)", tests_normal)):
    g_sig = [r for r in fam if r.n and r.direction and "ganomaly" in (r.method, r.baseline)
             and ({r.method, r.baseline} - {"ganomaly"}) <= set(comparison.BASELINES)]
    g_flag = {id(r): side(r) + (" — borderline" if r.p_adjusted >= 0.02 else "") for r in g_sig}
    g_up = [g_flag[id(r)] for r in g_sig if (r.method if r.direction > 0 else r.baseline) == "ganomaly"]
    g_down = [g_flag[id(r)] for r in g_sig if (r.method if r.direction > 0 else r.baseline) != "ganomaly"]
    if any(r.n for r in fam):
        central.append(f"GANomaly against a baseline, {name}, significant after Holm: wins: "
                       + ("; ".join(g_up) or "none") + "; losses: " + ("; ".join(g_down) or "none"))
if budget and full_tests and lose_knn:
    central.append(f"at the papers' sizes (Fashion-MNIST, one class normal, at most {n_seeds} seeds per GAN method, "
                   f"Section 9), kNN is significantly above {listed([r.method for r in lose_knn])}; "
                   + ("no method's own budget effect survives Holm's adjustment" if not (up or down) else
                      f"budget effects after Holm: {listed(up + down)}"))
heads.append("**Central result.**\n" + "\n".join(f"  * {c if c.startswith('kNN') else c[:1].upper() + c[1:]}." for c in central))
for name, fam in (("one class anomalous", tests_class), ("one class normal", tests_normal)):
    sig = [r for r in fam if r.n and r.direction]
    if not any(r.n for r in fam):
        continue
    groups = []   # one sub-item per data set, the hedge (if any) attached to its own data set
    for d in ("mnist", "fashion_mnist"):
        sd = [r for r in sig if r.dataset == d]
        if sd:
            hedge = fam is tests_normal and failed_n.get(d)
            hc = hedge_check.get(d)
            hedge_txt = (f" *Hedged (Section 6): these {DNAME[d]} verdicts come from small runs with failed seeds"
                         + (f"; without those seeds {hc[0]} of the {hc[1]} verdicts involving their methods keep "
                            "their direction" if hc and hc[1] else "")
                         + ("; the check does not cover " + " and ".join(
                             f"{LABEL[r.method]} − {LABEL[r.baseline]}" for r in hc[2]) if hc and hc[2] else "")
                         + ".*")
            groups.append(f"  * {DNAME[d]}: " + "; ".join(
                side(r, with_dataset=False) + (" — borderline" if r.p_adjusted >= 0.02 else "")
                for r in sd) + "." + (hedge_txt if hedge else ""))
    heads.append(f"Significant after Holm, {name}:" + ("\n" + "\n".join(groups) if groups else " nothing.")
                 + (" (*Borderline*: a Holm-adjusted p between 0.02 and 0.05, where one class changing sides can "
                    "undo the verdict.)" if any(r.p_adjusted >= 0.02 for r in sig) else ""))
if budget and full_tests and lose_knn:
    if grid_gk is not None and grid_gk.n and grid_gk.direction == 0 and did is not None:
        heads.append("GANomaly − kNN, not significant under one class normal at the grid's budget, changed by "
                     f"{did['mean']:+.3f} between the two runs (p = {did['p']:.2g}, one post-hoc test outside any Holm family): "
                     + ("beyond chance, but the runs differ in more than budget." if did["p"] < ALPHA else
                        "not itself significant."))

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown("**Headline results.**\n\n" + "\n".join(f"* {h}" for h in heads if h)))

# %% [markdown]
# * The comparison is one command, resumable, and every number comes from a row of
#   `results/<profile>/runs.csv` that records its protocol, sizes, data source, versions and commit:
#   traceable, not exactly reproducible (Section 1).
# * A mean over seeds needs its interval; a mean over classes takes it from the per-seed class means. A
#   paired test over classes, seeds averaged first, says more than two overlapping intervals.
# * Class difficulty may depend on how much the anomalous class resembles the normal ones; one
#   nearest-neighbour measurement supports it on Fashion-MNIST.
# * Reported numbers come with their protocol and source ([`docs/references.md`](../docs/references.md));
#   here they are not comparable with the grid.
# * Baselines belong in every comparison: they tell you what the GAN actually adds, and at what cost.

# %% [markdown]
# ## References
#
# 1. The course's sources, with the files and tables each fact was read in: [`docs/references.md`](../docs/references.md).
# 2. Di Mattia et al. *A Survey on GANs for Anomaly Detection.* arXiv:1906.11632, 2019.
# 3. Akçay et al. *GANomaly.* arXiv:1805.06725, 2018.
# 4. Zenati et al. *Efficient GAN-Based Anomaly Detection.* arXiv:1802.06222, 2018.
# 5. Schlegl et al. *Unsupervised Anomaly Detection with GANs to Guide Marker Discovery.* arXiv:1703.05921, 2017.
# 6. Wilcoxon. *Individual Comparisons by Ranking Methods.* Biometrics Bulletin 1(6), 1945.
# 7. Holm. *A Simple Sequentially Rejective Multiple Test Procedure.* Scandinavian Journal of Statistics 6(2), 1979.
# 8. Goodfellow et al. *Generative Adversarial Nets.* NeurIPS 2014.

# %%
# Results checks.
assert all(0.0 <= r["auroc"] <= 1.0 and 0.0 <= r["auprc"] <= 1.0 for r in kept.rows)
keys = [(r["method"], r["dataset"], r["protocol"], r["class"], r["seed"]) for r in kept.rows]
assert len(keys) == len(set(keys)), "no run appears twice within one budget"
assert {r["protocol"] for r in rows} == {PROTOCOL}
assert all(0.0 <= r.p_value <= 1.0 and r.p_value <= r.p_adjusted <= 1.0 for r in tests if r.n)
if P.name == "smoke":
    assert len(all_rows) == len(small)
    # the one-class-normal runs stay out of the grid's tables and meet the published row of their protocol
    assert len(by_protocol["one_class_normal"]) == 2 and all(r.n <= 1 for r in tests)
    assert published.ours_available(kept.rows, published.find(method="anogan")[0])
    # the ablations of the smoke grid's EGBAD and GANomaly run, whose own-score variants reproduce the rows
    assert {a["method"] for a in abl} == set(comparison.ABLATION_LABELS) and gap < 2e-6
    assert [r.n for r in tests_abl if r.dataset == "fashion_mnist"] == [1, 1, 1, 1]
    assert all(r.n == 0 for r in tests_normal)
else:
    # the committed grid is complete: both protocols x 6 methods x 2 data sets x 10 classes x >= 3 seeds, one
    # budget per method (every row records its sizes)
    for proto_rows in (rows, normal_rows):
        for m in experiments.METHODS:
            for d in ("mnist", "fashion_mnist"):
                got = {(r["class"], r["seed"]) for r in proto_rows if r["method"] == m and r["dataset"] == d}
                assert all(len({sd for c2, sd in got if c2 == c}) >= 3 for c in range(10)), (m, d, sorted(got))
    assert kept.dropped == 0 and all(r["sizes"] for r in kept.rows)
    # AnoGAN's latent search scores far more slowly than EGBAD's and GANomaly's single pass
    speed = {m: np.median([r["score_images_per_second"] for r in rows if r["method"] == m]) for m in methods}
    assert speed["egbad"] > 10 * speed["anogan"] and speed["ganomaly"] > 10 * speed["anogan"], speed
    # the verdicts of the paired tests (class as the unit, Holm over each protocol's family of eight, level
    # ALPHA), as measured on the committed grid. One class anomalous: GANomaly above PCA on MNIST on 10 of 10
    # classes (Holm p 0.016, the smallest ten pairs allow); no other verdict (next smallest Holm p 0.14);
    # GANomaly against kNN on Fashion-MNIST 3 of 10 classes, p 0.38. One class normal, MNIST: kNN and PCA
    # above GANomaly on 10 of 10 classes (Holm p 0.016). Borderline verdicts (Holm p between 0.02 and 0.05:
    # GANomaly against the autoencoder, EGBAD against AnoGAN) are printed above but not asserted.
    res_n = {(r.method, r.baseline, r.dataset): r for r in tests_normal}
    assert res[("ganomaly", "pca", "mnist")].direction == 1, verdict(res[("ganomaly", "pca", "mnist")])
    assert res_n[("ganomaly", "knn", "mnist")].direction == -1, verdict(res_n[("ganomaly", "knn", "mnist")])
    assert res_n[("ganomaly", "pca", "mnist")].direction == -1, verdict(res_n[("ganomaly", "pca", "mnist")])
    # under one class normal on Fashion-MNIST the grid found no gap between GANomaly and kNN (Holm p 0.62), and
    # an MNIST run learns one digit of the 5,000-digit sample (about 450 images), far below the cap
    assert res_n[("ganomaly", "knn", "fashion_mnist")].direction == 0, verdict(res_n[("ganomaly", "knn", "fashion_mnist")])
    assert all(r["n_train"] < 1000 for r in normal_rows if r["dataset"] == "mnist")
    # EGBAD's seed 0 on Fashion-MNIST (one class anomalous) failed as a whole: 0.36 against about 0.60
    assert ("egbad", 0) in {(m, s_) for m, s_, _, _ in failed_seeds(rows, "fashion_mnist")}
    # GANomaly is the best GAN method on both data sets under one class anomalous, and EGBAD stays below AnoGAN
    for d, cm in cms.items():
        assert max(comparison.GAN_METHODS, key=lambda m: cm[m].mean) == "ganomaly", d
        assert cm["egbad"].mean < cm["anogan"].mean, d
    # the course's aim is not met at this budget: GANomaly does not beat kNN on Fashion-MNIST
    assert aim.direction == 0, verdict(aim)   # "not shown": no significant difference either way
    # the headline's highest mean under one class anomalous is kNN's on both data sets (measured: kNN 0.797
    # against GANomaly 0.770 on MNIST, 0.726 against 0.702 on Fashion-MNIST)
    for d, cm in cms.items():
        assert max(cm, key=lambda m: cm[m].mean) == "knn", (d, {m: round(cm[m].mean, 3) for m in cm})
    # Section 5: on MNIST GANomaly's own latent score beats its pixel error L_con on the same models (measured:
    # 10 of 10 classes, Holm p 0.016 over the eight ablation tests)
    res_abl = {(r.method, r.baseline, r.dataset): r for r in tests_abl}
    assert res_abl[("ganomaly", "ganomaly[L_con]", "mnist")].direction == 1, res_abl[("ganomaly", "ganomaly[L_con]", "mnist")]
    # at the papers' budget (results/full, one class normal, Fashion-MNIST) kNN beats every GAN method
    assert full_tests and all(r.direction == -1 for r in full_tests if r.method in comparison.GAN_METHODS), \
        [r.sentence for r in full_tests]
    # the headline's "GANomaly above PCA on MNIST" is the only significant verdict under one class anomalous
    assert sum(r.direction != 0 for r in tests_class if r.n) == 1, [verdict(r) for r in tests_class if r.direction]
    # "no budget effect survives Holm's adjustment" (measured: smallest Holm-adjusted p 0.059, so the prose is
    # worded from the value; asserted here so that a re-run that flips it cannot pass unnoticed)
    assert all(b["p_holm"] >= ALPHA for b in budget.values()), {m: round(b["p_holm"], 3) for m, b in budget.items()}
    # ... yet the change of GANomaly - kNN between the two budgets is, tested directly per class (Section 6;
    # measured: mean -0.024, lower at the papers' budget on 10 of 10 classes, Wilcoxon p 0.002): the gap that
    # the papers' budget shows and the grid's does not is a change, not only a difference of two verdicts
    assert did is not None and did["p"] < ALPHA and did["mean"] < 0, did
    # Section 5: the ablation's own-score variants reproduce the grid's rows (as in smoke)
    assert gap <= TOL, gap
print("all results checks passed")
