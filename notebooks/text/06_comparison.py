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
# The seminar this course follows, *Anomaly Detection using GANs* ([`README.md`](../README.md)), ends by comparing
# BiGAN/EGBAD and GANomaly on MNIST and Fashion-MNIST.
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
# 3. compare two methods with a paired test over the classes both ran (each method's seeds averaged per
#    class first; Wilcoxon signed-rank, wins and losses) instead of eyeballing two means;
# 4. put reported numbers next to your own *with their protocol and source*, and say when they are not
#    comparable;
# 5. weigh quality against cost: training time, scoring speed, AnoGAN's latent search;
# 6. state plainly when a GAN loses to a baseline;
# 7. run several tests at once without fooling yourself (Holm's adjustment), and say what a test over
#    ten classes can and cannot detect.
#
# **The aim:** *GANomaly, the course's most elaborate method, beats kNN on Fashion-MNIST* under one class
# anomalous (one class is the anomaly, the nine others normal: the protocol of Sections 2–5). It counts as met
# only if the two-sided paired test of Section 4 is significant in GANomaly's favour; Section 10 gives the verdict.
#
# It was fixed before the main grid ran, but after a smaller pilot grid that already had kNN ahead (Section 4).
# We kept it: swapping an aim for one the first data favour is how one fools oneself.
#
# Sources for outside facts: [`docs/references.md`](../docs/references.md).

# %%
import json
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import torch
from IPython.display import Markdown, display
from scipy import stats

import ganad_lib
from ganad_lib import baselines, comparison, data, exercises, experiments, narration, plotting, published
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
PROTOCOL = "one_class_anomalous"   # Sections 2–5: the protocol of the grid and of GANomaly's and EGBAD's papers
grid = comparison.course_grid(P, PROTOCOL)   # results/<profile>/runs.csv; the smoke profile runs a tiny grid now
print(grid.describe())
rows, kept, by_protocol, methods, dsets = grid.rows, grid.kept, grid.by_protocol, grid.methods, grid.datasets
code_reproduced, own_repro = grid.code_reproduced, grid.own_repro   # the re-run at one commit, read below
# one row as the notebook holds it, a dict per finished run: the keys Exercises 1 and 4 use, the two metrics and the
# budget; the other columns in a fold (`f1` and `threshold_seconds` come from a threshold chosen on validation data;
# the notebook compares the threshold-free AUROC and AUPRC)
SHOWN = ("method", "dataset", "protocol", "class", "seed", "auroc", "auprc", "sizes")
print("\nrows[0]:\n" + "\n".join(f"  {key:9s} {rows[0][key]!r}" for key in SHOWN))
display(Markdown("<details><summary>The other columns of rows[0] (click)</summary>\n\n"
                 + "\n".join(f"* `{key}`: `{value!r}`" for key, value in rows[0].items() if key not in SHOWN)
                 + "\n\n</details>"))

# %% jupyter={"source_hidden": true} tags=["hide-input"]
# one visible sentence; the commit labels, the re-run at one commit and the thread counts: the Appendix, at the end
display(Markdown(narration.provenance_short(grid.repro)
                 + (" Details: the Appendix at the end." if grid.repro else "")))

# %%
# What data and budget produced these rows: from the rows where recorded, else the profile's grid sizes.
with warnings.catch_warnings():   # offline, the loader warns that it uses a sample (5,000 training + 10,000 test digits): the paragraph below says so
    warnings.simplefilter("ignore", UserWarning)
    mnist = data.load_dataset("mnist")
fmnist = data.load_dataset("fashion_mnist")
# the grid's sizes: today's profile for rows that record them, else the sizes such rows were run with
grid_p = (get_profile(rows[0]["profile"]).for_grid() if all(r["sizes"] for r in rows)
          else unrecorded_grid(rows[0]["profile"]))
n_train = (int(np.median([r["n_train"] for r in rows])) if all(r["n_train"] for r in rows)
           else grid_p.max_train)   # training images per run (Section 10)
budget_file = Path(ganad_lib.__file__).resolve().parents[1] / "results" / "cpu" / "grid_budget.json"

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown(narration.budget(rows, kept.rows, grid_p, loader_source=mnist.source, loader_size=len(mnist.labels),
                                  full_steps=get_profile("full").search_steps, budget_file=budget_file)))

# %% [markdown]
# ## 2 · Per class, with intervals over seeds
#
# Under *one class anomalous* each experiment names one class the anomaly; the nine others are normal.
# A run's AUROC depends on its seed (split, initial weights, batch order), so each bar is a **mean over
# seeds** with a **Student-t interval**: mean ± t · s / √n, with s the standard deviation over the n seeds
# (`ddof=1`) and t the (1 + 0.95)/2 = 0.975 quantile of Student's t with n − 1 degrees of freedom (4.30 for 3
# seeds; `comparison.t_interval`). One seed gives no interval. With few seeds t is large, and the interval is
# symmetric about the mean although AUROC is bounded, so it can reach below 0 or above 1: a plain sign that it
# says little.
#
# **Reading the figure.** Each dot is one seed's AUROC. Dotted bars are the non-GAN baselines; the dotted line is
# chance (0.5). A whisker reaching beyond [0, 1] is cut at the axis, and a small black arrowhead marks the cut (▲ at
# 1, ▼ at 0). An AUROC *below* 0.5 means the detector finds the anomalous class more normal than the normal ones
# (Section 9 returns to it).

# %%
fig, axes = plt.subplots(2, 1, figsize=(11, 7.5))
for ax, d in zip(axes, ("mnist", "fashion_mnist")):
    if d in dsets:
        comparison.plot_per_class(rows, d, ax=ax, class_names=list(data.DATASETS[d]["classes"]), errors="ci",
                                  confidence=CONF, points=True)   # points: each seed's AUROC as a dot
    else:
        ax.set_axis_off()
plt.tight_layout()
plt.show()

# the intervals the figure draws: {data set: {method: [Interval per class]}}
pcs = {d: comparison.per_class_stats(rows, d, confidence=CONF) for d in dsets}

# %% [markdown]
# **What to see:** a wide whisker whose dots lie apart shows the spread over seeds, often one seed far from
# the other two. Then: which method's bar is highest class by class, the classes where several methods fall
# below chance, and whose bars are widest (least repeatable from seed to seed): the lines below name them.

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown(narration.per_class_reading(pcs, CONF)))

# %%
display(Markdown("<details><summary>The per-class tables behind the figure (click)</summary>\n\n" + "\n\n".join(
    f"**{DNAME[d]}**, AUROC per anomalous class: mean over seeds [{CONF:.0%} t-interval]\n\n"
    + comparison.per_class_table(rows, d, class_names=data.DATASETS[d]["classes"], confidence=CONF)
    for d in dsets) + "\n\n</details>"))

# %% [markdown]
# ## 3 · Mean over classes
#
# The mean over classes summarises a method on a data set; we call it the method's **class mean** (an average
# over the ten classes, not the mean *of* one class). Its interval comes from the seeds: average each
# seed's AUROC over the classes, then take the t-interval over these per-seed class means
# (`comparison.class_mean_stats`; a seed that misses a class is left out). It answers *on these ten classes,
# how far would the mean move with other seeds?*
#
# We call a seed **failed** when its method's class mean on that seed lies more than 0.1 below each of the other
# seeds' (`comparison.failed_seeds`): a screening rule whose threshold was set after seeing the runs, not a test.
# A failed seed widens its method's interval; the notebook names such seeds and checks why they failed.
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
comparison.plot_summary(rows, errors="ci", confidence=CONF)
plt.title(f"Mean AUROC over anomalous classes ({CONF:.0%} t-intervals over seeds)")
plt.show()
# the bars and whiskers of the figure: {data set: {method: Interval}}
cms = {d: comparison.class_mean_stats(rows, d, confidence=CONF) for d in dsets}

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown(narration.summary_figure_reading(cms, CONF)))

# %%
# AUPRC's chance level is the share of anomalies among the test images (a random score's precision)
prevalence = {d: [make_split(PROTOCOL, ds_, c, seed=0, profile=grid_p).test_is_anomaly.mean() for c in range(10)]
              for d, ds_ in (("mnist", mnist), ("fashion_mnist", fmnist))}   # per class
whole = make_split(PROTOCOL, fmnist, 0, seed=0)   # one class's test set before the grid subsamples it
n_normal_test = int((~whole.test_is_anomaly).sum())
held_out = n_normal_test / (n_normal_test + len(whole.train) + len(whole.val))   # the normal images kept for testing
display(Markdown("**AUPRC** (anomaly = positive), same protocol\n\n"
                 + comparison.summary_table(rows, "auprc", errors="ci", confidence=CONF) + "\n\n"
                 + narration.auprc_chance(prevalence, "fashion_mnist", 0, int(whole.test_is_anomaly.sum()),
                                          len(whole.test), grid_p.max_test, held_out)))

# %%
# the means over classes for AUPRC; the seeds that failed as a whole (class mean more than 0.1 below each other
# seed's: `comparison.failed_seeds`); and two checks on why (`comparison.seed_evidence`): (a) rows of Section 1's
# re-run of that seed, or of its method under the seed's commit labels; (b) PCA and kNN, which train nothing
cms_pr = {d: comparison.class_mean_stats(rows, d, "auprc", confidence=CONF) for d in dsets}
failed_a = {d: comparison.failed_seeds(rows, d) for d in dsets}
evidence_a = {d: comparison.seed_evidence(rows, d, fs, cms[d], own_repro) for d, fs in failed_a.items() if fs}

# %% jupyter={"source_hidden": true} tags=["hide-input"]
# the failed seeds are read in their own paragraph below, not inside the data set's line
display(Markdown(narration.class_means_reading(cms, cms_pr, {}, code_reproduced, rows=kept.rows, protocol=PROTOCOL)))
if evidence_a:
    display(Markdown("<details><summary>Optional: why a whole seed failed, and what it was not (click)</summary>\n\n"
                     + "\n\n".join(narration.failed_seeds_reading(d, failed_a[d], ev, code_reproduced, rows=kept.rows)
                                   for d, ev in evidence_a.items()) + "\n\n</details>"))

# %% [markdown]
# ## 4 · Paired comparisons
#
# Section 3's intervals hold the classes fixed and ask how far a mean would move with other seeds. A
# **paired** comparison asks another question: is one method higher *across classes?* Pairing by class
# cancels the part of a class's difficulty that all methods share (a class hard for one method is mostly
# hard for the others, though not always: compare GANomaly and the autoencoder on MNIST's digit 1 in
# Section 2's tables), so the two answers need not agree. On each class both methods ran, take the
# difference of their AUROC, count wins and losses, and run the two-sided **Wilcoxon signed-rank test**
# (`scipy.stats.wilcoxon`), which ranks the absolute differences and asks whether either sign's rank sum is
# larger than chance gives. Under no difference, the differences are assumed symmetric about 0, so each sign is a
# coin flip.
#
# * **The unit is the class.** The test assumes independent pairs, but the seeds of one class share its
#   data and its difficulty (pairing (class, seed) runs is *pseudo-replication*). So each method's seeds are
#   averaged per class first (`comparison.class_paired_comparisons`).
# * **Holm's adjustment.** The more tests at level `ALPHA`, the likelier at least one false "significant".
#   Holm (`comparison.holm`) keeps that chance, the *family-wise error rate*, at most `ALPHA`: sort the p-values,
#   multiply the smallest by the number of tests, the next by one fewer, and so on, never letting an
#   adjusted value fall below the one before it, and capping it at 1 (so the tables print "Holm-adjusted p = 1").
#   A test is declared significant where its adjusted p ≤ `ALPHA`; Exercise 3 builds it.
# * **A verdict is not a size.** The mean difference over classes and its t-interval say how large a
#   difference could be; and "no significant difference" is not equality — with ten classes a real but
#   small difference goes undetected.

# %%
tests = comparison.paired_comparisons(rows, alpha=ALPHA)               # one pair per (class, seed)
tests_class = comparison.class_paired_comparisons(rows, alpha=ALPHA)   # one pair per class: the verdicts
per_run = {(r.method, r.baseline, r.dataset): r for r in tests}
# the size of each difference: the t-interval of the mean difference over classes (not adjusted for the family)
diff_iv = {(r.method, r.baseline, r.dataset): comparison.t_interval(r.diffs, CONF) for r in tests_class}
n_tests = sum(r.n > 0 for r in tests_class)
n_units = max((r.n for r in tests_class), default=0)

# %%
# For the two folds below. "The questions": the pilot grid they were fixed after (its rows predate the recorded
# sizes) and its GANomaly - kNN test. "How many classes must agree": the smallest p-values ten classes allow.
pilot_rows = comparison.load_runs(Path(ganad_lib.__file__).resolve().parents[1] / "results/grid_v1/cpu/runs.csv")
pilot_gk = comparison.class_paired_comparisons(pilot_rows, datasets=("fashion_mnist",), pairs=(("ganomaly", "knn"),),
                                               alpha=ALPHA)[0]
pilot_epochs = unrecorded_grid("cpu").epochs


def wilcoxon_p(n, losing_ranks):
    """Two-sided Wilcoxon p for n differences with ranks 1..n, no ties, negative at `losing_ranks`."""
    d = np.arange(1, n + 1, dtype=float)
    d[[r - 1 for r in losing_ranks]] *= -1
    return float(stats.wilcoxon(d).pvalue)


# How many classes must agree for a verdict? The smallest p-values that n_units classes allow, against Holm's steps
p_one_off, p_two_off = [], None
if n_units >= 4:
    p_one_off = [wilcoxon_p(n_units, [r]) for r in range(1, n_units + 1)]   # one class on the other side, at rank r
    p_two_off = wilcoxon_p(n_units, [1, 2])                                 # two classes, at the smallest ranks

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown(narration.questions(tests_class, pilot_gk, pilot_rows, rows, pilot_epochs, ALPHA)))
display(Markdown(narration.paired_summary(tests_class, diff_iv, ALPHA, CONF)))
display(Markdown(narration.family_details_by_class(
    tests_class, cms, narration.how_many_classes(n_units, n_tests, p_one_off, p_two_off, ALPHA), ALPHA)))

# %%
# One test by hand (optional): the aim's Wilcoxon p from its ranks and sign patterns, then redone with
# `scipy.stats.wilcoxon` on the library's per-class differences, and `comparison.holm` checked against the family's adjusted p-values.
lib = {(r.method, r.baseline, r.dataset): r for r in tests_class}.get(("ganomaly", "knn", "fashion_mnist"))
if lib is not None and lib.n:
    d_lib = np.asarray(lib.diffs)   # GANomaly - kNN per class, each a mean over the seeds both ran
    wins_hand = int((d_lib > 0).sum())
    p_hand = float(stats.wilcoxon(d_lib[d_lib != 0]).pvalue) if np.any(d_lib != 0) else 1.0
    assert wins_hand == lib.wins and np.isclose(p_hand, lib.p_value)
    holm_again = comparison.holm([r.p_value for r in tests_class])
    assert np.allclose(holm_again, [r.p_adjusted for r in tests_class], equal_nan=True)
    # where the p comes from: rank |d|, sum the positive ranks (W+), and count the 2^n equally likely sign patterns
    # whose W+ lies at least as far from its centre n(n + 1)/4 (exact when no two |d| tie; scipy does the same)
    nz = d_lib[d_lib != 0]
    ranks = stats.rankdata(np.abs(nz))
    patterns = np.array(np.meshgrid(*[[0, 1]] * len(nz))).reshape(len(nz), -1).T   # 1 = positive sign
    w_all, w_plus, centre = patterns @ ranks, ranks[nz > 0].sum(), len(nz) * (len(nz) + 1) / 4
    as_far = int((np.abs(w_all - centre) >= abs(w_plus - centre) - 1e-9).sum())
    exact = len(np.unique(np.abs(nz))) == len(nz)
    assert not exact or np.isclose(as_far / len(w_all), p_hand)
    display(Markdown(narration.wilcoxon_by_hand(lib, wins_hand, p_hand, narration.wilcoxon_mechanism(
        list(ranks[nz > 0]), len(nz), as_far, as_far / len(w_all)) if exact else "")))

# %%
# The differences behind each verdict: one large dot per class (the unit of the test), coloured by the
# class-level verdict, the most extreme class named; small grey dots: the single (class, seed) runs
shown_tests = [r for r in tests_class if r.n]
comparison.plot_paired_differences(shown_tests, per_run, {d: data.DATASETS[d]["classes"] for d in dsets},
                                   n_tests=n_tests)
plt.tight_layout()
plt.show()

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown(narration.paired_figure_reading(shown_tests, diff_iv)))

# %% [markdown]
# ## 5 · Ablations: the same models, scored another way
#
# Section 4 compares *different* models. To ask what one part of a score contributes, keep the trained
# model and change only the score; the grid does that for every EGBAD and GANomaly run, with no retraining
# (runs.csv's `ablations` column; `EGBAD.ablation_scores`, `GANomaly.ablation_scores`):
#
# * **GANomaly** by its own latent distance $\lVert G_E(x) - E(G(x)) \rVert_2^2$ (the official code's score;
#   the paper prints it with the L1 norm, `docs/references.md`), where $G(x) = G_D(G_E(x))$ is the
#   reconstruction of $x$ (the decoder $G_D$ applied to the code $G_E(x)$), and by its pixel error
#   $L_{con} = \lVert x - G(x) \rVert_1$. If comparing codes rather than pixels is what GANomaly adds, the
#   latent distance must beat $L_{con}$ *on the same model*.
# * **EGBAD** by its own $A(x) = \alpha L_G + (1 - \alpha) L_D$ ($\alpha = 0.9$, feature matching), by $L_G$ alone
#   ($\alpha = 1$), and by each form of $L_D$ alone ($\alpha = 0$): feature matching, and the cross-entropy
#   $-\log D(G(E(x)), E(x))$ of the official code's other option (the paper's form scores the input pair
#   $D(x, E(x))$; notebook 04 compares the two). Does $\alpha = 0.9$ score about as well as $L_G$ alone?
#   $L_G$ varies over a far larger range (notebook 04, Section 5), so its 0.9 may swamp
#   $L_D$'s 0.1 — a statement about scales, not about the discriminator's usefulness.
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
                                                                                    confidence=CONF, order=shown_abl)
                     .replace("| GANomaly |", "| GANomaly (own: latent distance) |")
                     .replace("| EGBAD |", "| EGBAD (own: α = 0.9) |")))
    tests_abl = comparison.class_paired_comparisons(rows + abl, pairs=comparison.ABLATION_PAIRS, alpha=ALPHA)
    display(Markdown("**Own score against each ablation** (one pair per class; Holm over these tests)\n\n"
                     + comparison.paired_table([r for r in tests_abl if r.n], unit="classes")))
    # EGBAD's discriminator term alone: its mean over classes with the interval over seeds, and its per-class means
    ld_rows = [a for a in abl if a["method"].startswith("egbad[L_D")]
    ld_iv = {d: comparison.class_mean_stats(ld_rows, d, confidence=CONF) for d in dsets
             if any(a["dataset"] == d for a in ld_rows)}
    ld_pc = {d: comparison.per_class_stats(ld_rows, d, confidence=CONF) for d in ld_iv}
    # the question above: does alpha = 0.9 score about as well as L_G alone? Both class means, per data set
    cm_abl = {d: comparison.class_mean_stats(abl_table_rows, d, confidence=CONF) for d in dsets}
    alpha_vs_lg = {d: (cm["egbad"].mean, cm["egbad[L_G]"].mean) for d, cm in cm_abl.items()
                   if {"egbad", "egbad[L_G]"} <= set(cm)}
    # and what EGBAD's ablations can say at all, when EGBAD itself is near chance
    caveat = narration.egbad_ablation_caveat(tests_abl, {d: cms[d]["egbad"] for d in dsets if "egbad" in cms[d]}, ALPHA)
    display(Markdown(narration.ablation_reading(tests_abl, ld_iv, ld_per_class=ld_pc, alpha_vs_lg=alpha_vs_lg)
                     + ("\n" + caveat if caveat else "")))
else:
    tests_abl = []
    display(Markdown("These rows predate the grid's `ablations` column, so there is nothing to show here: "
                     "rerun the grid (`python -m ganad_lib.experiments`) and this section fills in."))

# %% [markdown]
# ## 6 · The other protocol: one class normal
#
# Most later work (Deep SVDD, a network that maps normal images into a small sphere; OCGAN, a GAN whose
# latent space is constrained to the normal class; and the tables that copy them) uses the opposite protocol: **one class
# is normal** and the nine others are anomalies, usually easier, since an anomaly rarely looks like the one
# class the detector learned. Same runner, methods, caps and seeds (`--protocol one_class_normal`), never
# mixed with Sections 2–5; a run learns one class only, so its training set can be far below the cap.
#
# **The question: does the order of the methods change with the protocol?** The figure gives the bars per
# *normal* class, the table the paired tests (Holm over this *other-protocol family*), the last lines the
# answer; the means, the failed seeds and the per-class tables are folded.

# %%
normal_rows = by_protocol.get("one_class_normal", [])
# every statistic of this section: intervals, failed seeds and the checks on why, class means, the paired family
other = comparison.other_protocol(normal_rows, own_repro, alpha=ALPHA, confidence=CONF)
if normal_rows:
    comparison.plot_per_class_panels(normal_rows, other.datasets,
                                     {d: data.DATASETS[d]["classes"] for d in other.datasets}, confidence=CONF,
                                     points=True)
    plt.show()
tests_normal, failed_n, cms_n, evidence_n = other.tests, other.failed, other.class_means, other.evidence
# why whole seeds failed, as far as the two checks tell (for the hedge here and the summaries of Section 10)
why_n = {d: narration.failed_seeds_cause(failed_n[d], evidence_n[d], code_reproduced) for d in other.hedges}
# the other direction of Section 4's fold: significant verdicts whose two class-mean intervals overlap (read below)
overlap_note = narration.overlap_yet_significant(tests_normal, cms_n, tests_class, cms, alpha=ALPHA)

# %% jupyter={"source_hidden": true} tags=["hide-input"]
if normal_rows:
    display(Markdown(narration.normal_reading(normal_rows, other.per_class, other.seed_means, {}, code_reproduced,
                                              kept.rows, dots=True)))
    display(Markdown("**Paired comparisons under one class normal** (class as the unit; Holm over these tests)\n\n"
                     + (comparison.paired_table([r for r in tests_normal if r.n], unit="classes")
                        if any(r.n for r in tests_normal)
                        else "No pair of Section 4's methods shares a run under this protocol in these results.")))
    if overlap_note:   # overlapping intervals, yet a significant paired test (computed in the cell above)
        display(Markdown(overlap_note))
    display(Markdown(narration.protocol_change(cms, cms_n, rows, normal_rows)
                     + "\n\n<details><summary>The means table, why whole seeds failed and how much the verdicts lean "
                     "on them, and the per-class tables (click)</summary>\n\n"
                     + f"**One class normal: AUROC**, mean over normal classes [{CONF:.0%} t-interval over the per-seed "
                     "class means]\n\n" + comparison.summary_table(normal_rows, "auroc", errors="ci", confidence=CONF)
                     # Section 3 explains the two checks on a failed seed; here they are applied in short
                     + "".join("\n\n" + (narration.failed_seeds_brief(d, failed_n[d], ev, code_reproduced) if evidence_a
                                         else narration.failed_seeds_reading(d, failed_n[d], ev, code_reproduced,
                                                                             rows=kept.rows))
                               for d, ev in evidence_n.items())
                     + "".join("\n\n" + narration.hedge(d, normal_rows, h["drop"], h["tested"], h["kept"], h["untested"],
                                                        h["again"], other.seed_means[d], code_reproduced,
                                                        why=why_n[d], say_why=d not in evidence_n)
                               for d, h in other.hedges.items())
                     + "".join(f"\n\n**{DNAME[d]}**, AUROC per *normal* class, mean over seeds [{CONF:.0%} t-interval]\n\n"
                               + comparison.per_class_table(normal_rows, d, class_names=data.DATASETS[d]["classes"],
                                                            confidence=CONF) for d in other.datasets)
                     + "\n\n</details>"))
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
published_table = published.table()
for d_key, d_name in DNAME.items():   # the data sets by the labels used elsewhere in this notebook
    published_table = published_table.replace(f"| {d_key} |", f"| {d_name} |")
display(Markdown(published_table))

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown("<details><summary>Not shown, and why (click)</summary>\n\n" + "\n".join(
    f"* {', '.join(LABEL[m] for m in n['method'].split(', '))} on {' / '.join(DNAME[d] for d in n['dataset'].split(' / '))}"
    f" ({n['protocol'].replace('_', ' ')}): {n['reason']}. Source: {n['source']}."
    for n in published.NOT_AVAILABLE) + "\n\n</details>"))

# %%
# Side by side, only under the published row's own protocol, data set and metric.
# (a published row with no run of ours gets one sentence instead of a table of dashes)
for entry in published.REPORTED:
    display(Markdown(narration.published_beside_ours(kept.rows, entry, class_names=data.DATASETS[entry.dataset]["classes"],
                                                     confidence=CONF)))
matched = [e.label for e in published.REPORTED if published.ours_available(kept.rows, e)]

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown(
    narration.published_gap(kept.rows, published.REPORTED, CONF) if matched else
    f"None of our {len(kept.rows)} runs is under the protocol of these published rows "
    f"({', '.join(sorted({e.protocol.replace('_', ' ') for e in published.REPORTED}))}), so the columns of ours are "
    "empty: a bar-by-bar comparison with the grid above would compare two different tasks."))

# %% [markdown]
# The published GANomaly and EGBAD MNIST results use Sections 2–5's protocol (one class anomalous,
# harder when the anomaly resembles a normal class, a 9 among 4s and 7s) but could not be copied:
# GANomaly's are a figure, and EGBAD's paper we could not open (the fold above; [`docs/references.md`](../docs/references.md), section 3).
#
# <details><summary>Choices of the original codes that this course refuses (click)</summary>
#
# GANomaly's code keeps the epoch with the best *test* AUC and scores in training mode, which bears on its
# MNIST figure. EGBAD's KDD99 script takes its threshold from the test scores; that moves F1 on KDD99, not
# the threshold-free AUPRC of its MNIST results, measured once after the last epoch
# (`docs/references.md`, section 4). Our tables are what those methods reach at a small budget when every
# choice is made on validation data.
# </details>

# %% [markdown]
# ## 8 · Quality against cost
#
# Each point is a method's mean AUROC over classes (with its interval over seeds) against its median cost per
# run; each method's MNIST point is nudged a little left of its Fashion-MNIST point so that neither hides the
# other, and its name stands beside its points.

# %%
# quality (mean over classes, with its interval) against the median costs, per data set: the points of the figure
cq = {d: comparison.cost_quality(rows, d, confidence=CONF) for d in dsets}
# (MNIST points drawn at cost / 1.1, Fashion-MNIST points at cost × 1.1 on the log axis: near, not at, the medians)
axes = comparison.plot_cost_quality(rows, confidence=CONF, labels=True)
# a log axis has no zero: a training time under 0.01 s (kNN only stores its images) is drawn at about 0.01 s (each
# data set's point nudged a little to its side); say so
fast = [(m, v) for d in dsets for m, v in cq[d].items() if v["train_seconds"] < 0.01]
for m in sorted({m for m, _ in fast}):
    y = max(v["quality"].mean for m2, v in fast if m2 == m)
    axes[0].annotate(f"{LABEL[m]}: drawn at about 0.01 s\n(trains in < 0.01 s)", (0.01, y), xytext=(14, 22),
                     textcoords="offset points", fontsize=8, arrowprops={"arrowstyle": "-", "color": "0.5", "lw": 0.6})
plt.tight_layout()
plt.show()
cost = {}
for m in methods:
    sel = [r for r in rows if r["method"] == m]
    cost[m] = (np.median([r["train_seconds"] for r in sel]), np.median([r["score_images_per_second"] for r in sel]))
    print(f"{LABEL[m]:12s} train {cost[m][0]:7.1f} s   score {cost[m][1]:9.0f} images/s   (medians over runs)")

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown(narration.cost_reading(cost, cq, resolution=0.01)))   # runs.csv records times to 0.01 s

# %% [markdown]
# ## 9 · Why: class difficulty and budget
#
# Two questions about *why* the methods score as they do, each with its figure and a takeaway: which classes
# are hard, and whether the grid's small budget is to blame. The budget study is the one place after Section 6
# with tests of its own (two Holm families and one exploratory test); Section 10 then gathers the verdicts.
# A run can move by several hundredths with another seed (Section 2's intervals): read the pattern, not the third
# decimal.

# %% [markdown]
# ### Which classes are hard

# %%
# Which classes are hardest? The mean AUROC over all methods, per data set and class.
hard, mean_over_methods = {}, {}
N_HARD = 3   # the hardest and easiest classes printed (and read below)
for d in ("mnist", "fashion_mnist"):
    pc = comparison.per_class(rows, d)
    if not pc:
        continue
    stacked = np.stack([v[0] for v in pc.values()])
    mom = np.array([col[np.isfinite(col)].mean() if np.isfinite(col).any() else np.nan for col in stacked.T])
    mean_over_methods[d] = mom
    hard[d] = [int(c) for c in np.argsort(mom) if np.isfinite(mom[c])]
    names = data.DATASETS[d]["classes"]
    print(f"{DNAME[d]:14s} hardest: " + ", ".join(f"{names[c]} ({mom[c]:.2f})" for c in hard[d][:N_HARD])
          + " | easiest: " + ", ".join(f"{names[c]} ({mom[c]:.2f})" for c in hard[d][::-1][:N_HARD]))

# %%
# The share of ink per digit: how bright an average image of each class is.
ink = np.array([mnist.images[mnist.labels == c].float().mean().item() / 255 for c in range(10)])
# Per class (seed 0's split): an anomaly's mean distance to its nearest normal training image, over a normal test
# image's; below 1, the anomalies lie closer to the training images than normal images do (the figure below draws it)
nn_ratio = {}
for d, ds_ in (("mnist", mnist), ("fashion_mnist", fmnist)):
    if d not in mean_over_methods:
        continue
    ratio_d = []
    for c in range(10):
        sp = make_split(PROTOCOL, ds_, c, seed=0, profile=grid_p)
        dist = torch.cdist(ds_.images[sp.test].reshape(len(sp.test), -1).float() / 255,
                           ds_.images[sp.train].reshape(len(sp.train), -1).float() / 255).min(dim=1).values
        is_anom = torch.as_tensor(sp.test_is_anomaly)
        ratio_d.append(dist[is_anom].mean().item() / dist[~is_anom].mean().item())
    nn_ratio[d] = np.array(ratio_d)

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown(narration.hard_classes_folded(hard, mean_over_methods, pcs, ink, CONF, N_HARD, nn_ratio)))

# %%
# Why a class is hard: each anomaly above its nearest normal *training* image, by pixel distance (close to what
# kNN measures: it averages the K_NN nearest), for the hardest and the easiest Fashion-MNIST class (seed 0's split at the grid's sizes).
K_NN = baselines.KNNDetector.from_profile(grid_p).config["k"]   # kNN's k in the grid
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

# %% jupyter={"source_hidden": true} tags=["hide-input"]
if len(pick) == 2:
    display(Markdown(narration.near_twins_ratio(pick[0], pick[1], nn_dist, K_NN)))

# %%
# The ratio of every class (computed above, seed 0's split) against the difficulty measured without kNN (kNN's
# score is itself a nearest-neighbour distance): the mean AUROC per class of the other methods
no_knn, rho = {}, {}
for d in nn_ratio:
    pc = {m: v for m, v in comparison.per_class(rows, d).items() if m != "knn"}
    if not pc:   # kNN alone ran on this data set (the smoke grid's MNIST): nothing to set the ratio against
        continue
    stacked = np.stack([v[0] for v in pc.values()])
    no_knn[d] = np.array([col[np.isfinite(col)].mean() if np.isfinite(col).any() else np.nan for col in stacked.T])
    ok = np.isfinite(no_knn[d])
    rho[d] = float(stats.spearmanr(nn_ratio[d][ok], no_knn[d][ok]).statistic) if ok.sum() >= 3 else float("nan")
# GANomaly alone: its score compares latent codes, not pixels, so its correlation is the least circular check
rho_latent = {}
for d in rho:
    g = comparison.per_class(rows, d).get("ganomaly")
    if g is not None and np.isfinite(g[0]).sum() >= 3:
        ok = np.isfinite(g[0])
        rho_latent[d] = float(stats.spearmanr(nn_ratio[d][ok], g[0][ok]).statistic)
others = [m for m in methods if m != "knn"]
fig, axes = plt.subplots(1, len(rho), figsize=(5.2 * len(rho), 3.8), squeeze=False)
for ax, d in zip(axes[0], rho):
    ax.scatter(nn_ratio[d], no_knn[d], color="tab:blue")
    ax.axhline(0.5, color="grey", lw=0.8, ls=":")
    ax.axvline(1, color="grey", lw=0.8, ls=":")   # ratio 1: left of it, anomalies lie closer to training than normals do
    ax.set_xlabel("anomaly's nearest-neighbour distance /\nnormal test image's (seed 0's split)")
    ax.set_title(f"{DNAME[d]}: Spearman ρ = {rho[d]:.2f}", fontsize=10)
axes[0, 0].set_ylabel("mean AUROC per anomalous class\n(all methods but kNN)")
plt.tight_layout()
for ax, d in zip(axes[0], rho):   # each class's name beside its point, moved where it would hide another
    plotting.label_points(ax, nn_ratio[d], no_knn[d], data.DATASETS[d]["classes"])
plt.show()


# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown(narration.near_twins_all({d: nn_ratio[d] for d in rho}, rho, {d: data.DATASETS[d]["classes"] for d in rho},
                                          others, latent_rho=rho_latent)))

# %% [markdown]
# ### Is it the method or the budget? (optional)
#
# The obvious objection: the grid starves the GANs. So part of the grid was rerun on a lent GPU at the
# **papers' sizes** (profile `full`: every image, width 64, AnoGAN's search with Γ = 500, the paper's
# step count as a third-party summary reports it, not checked against the paper itself; `results/full/README.md`), but only Fashion-MNIST under *one class normal* (why: folded below). The table
# and the figure set the same (class, seed) settings at both budgets, class as the unit, Holm over the
# methods (the *budget family*); the lines under them say whether any budget effect survives Holm, and
# where kNN stands at the full-size budget (each other method against kNN, Holm again: the *full-size-budget
# family*, its table folded last).

# %%
full_path = comparison.results_path("full")   # results/full/runs.csv
full_all = comparison.load_runs(full_path) if full_path.is_file() else []   # both protocols
# the GPU runs' summaries: among them, the runs stopped at the deadline of the lease
full_logs = [json.loads(f.read_text()) for f in sorted(full_path.parent.glob("gpu_run_*.json"))]

# %% jupyter={"source_hidden": true} tags=["hide-input"]
if full_all and narration.full_run_scope(full_all, full_logs):
    display(Markdown("<details><summary>Why one class normal only, not the aim's protocol (click)</summary>\n\n"
                     + narration.full_run_scope(full_all, full_logs) + "\n\n</details>"))

# %%
# Fashion-MNIST, one class normal, at both budgets; the study: each method's budget effect (Holm over the methods),
# each method against kNN at the full-size budget (Holm again), and the post-hoc test of GANomaly - kNN's change
full_rows = comparison.select(comparison.one_size_per_method(full_all).rows, protocol="one_class_normal",
                              dataset="fashion_mnist")
small_rows = comparison.select(normal_rows, dataset="fashion_mnist")
study = comparison.budget_study(small_rows, full_rows, alpha=ALPHA)
budget, full_tests, did = study.effects, study.full_tests, study.change

# %%
if budget:
    ax = comparison.plot_budget(budget, f"grid budget\n({get_profile('cpu').for_grid().max_train:,} images at most, width "
                                        f"{get_profile('cpu').for_grid().width})",
                                f"full-size budget\n(all images, width {get_profile('full').width})")
    ax.set_title("Fashion-MNIST, one class normal: grid vs full-size budget")
    plt.tight_layout()
    plt.show()
    y_low = ax.get_ylim()[0]
# each method's mean over classes at the grid's budget over all its seeds (Section 6), against the lines' left ends
grid_fm = {m: iv.mean for m, iv in cms_n.get("fashion_mnist", {}).items()}
# GANomaly - kNN under one class normal at the grid's budget (Section 6), to set against the full-size budget
grid_gk = {(r.method, r.baseline): r for r in tests_normal if r.dataset == "fashion_mnist"}.get(("ganomaly", "knn"))

# %% jupyter={"source_hidden": true} tags=["hide-input"]
if budget:
    display(Markdown(narration.budget_table(budget)))
else:
    display(Markdown("No (class, seed) run of Fashion-MNIST under one class normal is in both files: nothing to compare"
                     + (" (the smoke grid runs MNIST only)." if P.name == "smoke" else ".")))
if budget and full_tests:
    display(Markdown(narration.budget_reading(budget, full_tests, grid_gk, did, small_rows, full_rows, y_low, ALPHA,
                                              grid_means=grid_fm)))
    display(Markdown("<details><summary>Each method against kNN at the full-size budget: the tests (click)</summary>"
                     "\n\nFashion-MNIST, one class normal, class as the unit (seeds averaged per class first), Holm "
                     "over these tests (the full-size-budget family)\n\n"
                     + comparison.paired_table([r for r in full_tests if r.n], unit="classes") + "\n\n</details>"))

# %% [markdown]
# ## 10 · Verdict
#
# No new tests: the verdicts of Sections 4 and 6 in one place, the course's aim, and what the GANs' extra cost buys.
#
# ### Where the GANs win and lose

# %%
res = {(r.method, r.baseline, r.dataset): r for r in tests_class}   # Section 4's verdicts, by pair
# Notebook 04's Section 6 plots these EGBAD runs (Fashion-MNIST) class by class: a class's range over its seeds,
# the median over classes (said beside EGBAD's failed seed below)
egbad_by_class = {}
for r in rows:
    if r["method"] == "egbad" and r["dataset"] == "fashion_mnist":
        egbad_by_class.setdefault(r["class"], []).append(r["auroc"])
spans = [max(v) - min(v) for v in egbad_by_class.values() if len(v) > 1]
egbad_span = {"fashion_mnist": float(np.median(spans))} if spans else {}

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown(narration.wins_and_losses(tests_class, tests_normal, cms, failed_a, pcs, fold_rest=True,
                                           hedged={d: fs for d, fs in failed_n.items() if fs},
                                           normal_rows=normal_rows, egbad_span=egbad_span)))

# %% [markdown]
# ### The verdict on the aim

# %%
# The course's aim, judged by its paired test: does GANomaly beat kNN on Fashion-MNIST?
aim = res.get(("ganomaly", "knn", "fashion_mnist"))
# The other fixed question: does EGBAD (an encoder) score worse than AnoGAN (a search)? (tested two-sided)
ea = [res[("egbad", "anogan", d)] for d in cms if res.get(("egbad", "anogan", d)) is not None
      and res[("egbad", "anogan", d)].n]
# The tests this notebook reads, by family (each family Holm-adjusted on its own), and the post-hoc test (Pitfalls)
families = {"main": sum(r.n > 0 for r in tests_class), "ablation": sum(r.n > 0 for r in tests_abl),
            "other-protocol": sum(r.n > 0 for r in tests_normal), "budget": len(budget),
            "full-size-budget": len(full_tests)}
n_posthoc = int(did is not None)

# %% jupyter={"source_hidden": true} tags=["hide-input"]
if aim is not None and aim.n:
    display(Markdown(narration.aim_verdict(aim, diff_iv[("ganomaly", "knn", "fashion_mnist")], CONF)))
if ea:
    display(Markdown(narration.egbad_vs_anogan(ea)))

# %% [markdown]
# ### What the cost buys

# %%
# What the extra cost of the GANs buys against kNN, from the class-level verdicts of Section 4
against_knn = {d: res[("ganomaly", "knn", d)] for d in cms if ("ganomaly", "knn", d) in res and res[("ganomaly", "knn", d)].n}
gan_beats_knn = any(r.direction > 0 for r in against_knn.values())
updates = n_train // grid_p.batch_size * grid_p.epochs   # generator updates in one grid run
sizes_recorded = all(r["sizes"] for r in rows)          # the grid's epochs were chosen on validation curves
knn_hard = (pcs["fashion_mnist"]["knn"][hard["fashion_mnist"][0]].mean   # kNN on the hardest Fashion-MNIST class
            if "fashion_mnist" in hard and "knn" in pcs["fashion_mnist"] else None)

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown(narration.cost_buys(against_knn, cost, cms, tests_abl)))
if not gan_beats_knn:
    display(Markdown(narration.why_not_knn(
        n_train=n_train, updates=updates, grid=grid_p, full_width=get_profile("full").width,
        sizes_recorded=sizes_recorded, budget=budget, full_tests=full_tests, tests_abl=tests_abl,
        knn_hardest=knn_hard, alpha=ALPHA)))

# %% [markdown]
# ## 11 · Exercises
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
# (`rows` as in Exercise 1; on some classes one method has not run every seed.) Then predict before
# you run the cell after the check (GANomaly against kNN on MNIST): copying each of your ten differences
# three times adds no evidence. Does Wilcoxon's p on the 30 copies stay at the ten's? How close does it come
# to the p of the 30 (class, seed) runs, and what does that say about the per-run test?

# %%
def class_differences(rows, a, b, dataset):
    raise NotImplementedError

exercises.check_class_differences(class_differences)

# %%
try:   # your prediction, measured: GANomaly against kNN on MNIST, by class, by copies, by run
    d_class = np.asarray(class_differences(rows, "ganomaly", "knn", "mnist"))
    r_run = per_run.get(("ganomaly", "knn", "mnist"))
    if len(d_class) >= 2 and r_run is not None and r_run.n:
        print(f"{len(d_class)} class differences: Wilcoxon p = {stats.wilcoxon(d_class).pvalue:.3g}; the same copied "
              f"3 times: p = {stats.wilcoxon(np.repeat(d_class, 3)).pvalue:.3g}; {r_run.n} run differences: "
              f"p = {r_run.p_value:.3g} (all before Holm's adjustment)")
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
# other sizes are run again. Your rows land in `/tmp/my-grid/cpu/runs.csv` (the profile's folder under
# `--out`; the run prints the path); load them as this notebook loads the course's:
#
# ```python
# my_rows = comparison.load_runs("/tmp/my-grid/cpu/runs.csv")
# ```
#
# Then add `--protocol one_class_normal` and compare kNN's numbers under the two protocols.

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
# * **Timing on a busy machine.** Compare ratios within one run, not absolute seconds.

# %% jupyter={"source_hidden": true} tags=["hide-input"]
display(Markdown(narration.many_tests(families, n_posthoc, ALPHA, illustrations=True)))

# %% [markdown]
# ## Summary

# %% jupyter={"source_hidden": true} tags=["hide-input"]
# The Summary: the aim's protocol first; then the other protocol, its lesson with its verdicts (Sections 6 and 9)
# below it; then what the run shows about cost, ablation, intervals and class difficulty
display(Markdown("\n".join(f"* {b}" for b in (
    *narration.headline_bullets_auroc(aim, diff_iv.get(("ganomaly", "knn", "fashion_mnist")), cms, tests_class,
                                      CONF, cms_pr=cms_pr),
    (narration.protocol_lesson(cms, cms_n, tests_class, tests_normal,
                               [r for r in kept.rows if r["protocol"] == PROTOCOL], normal_rows) or "*Other protocol:*")
    + "".join("\n  * " + b for b in (
        *narration.protocol_verdict_bullets("Section 6", "one class normal", tests_normal, failed_n, ALPHA),
        narration.other_protocol_bullet("Section 9", narration.papers_budget_line(budget, full_tests, full_rows, ALPHA,
                                                                                  section=False))) if b),
    narration.cost_lesson(cost, cms),
    "Scoring the same trained GANomaly two ways isolates what its latent comparison adds. On MNIST its latent "
    "distance gives a significantly higher AUROC than its pixel error $L_{con}$: the one significant ablation "
    "(Section 5).",
    narration.interval_lesson(tests_class, cms, tests_normal, cms_n, ALPHA),
    "Class difficulty follows how close the anomalous class lies to the normal training images: on both data sets "
    "the nearest-neighbour distance ratio ranks the classes much as the non-kNN methods' AUROC does (Section 9; a "
    "correlation over ten classes, not a cause).") if b)))

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
# 9. Ruff et al. *Deep One-Class Classification.* ICML 2018 (Deep SVDD).
# 10. Perera, Nallapati, Xiang. *OCGAN: One-Class Novelty Detection Using GANs with Constrained Latent
#     Representations.* CVPR 2019, arXiv:1903.08550.

# %% [markdown]
# ## Appendix · Provenance in detail
#
# Section 1's one line, in full: the commit labels the grid ran under, uncommitted ('+dirty') changes, the
# re-run of sampled rows at one commit, and the thread counts.

# %% jupyter={"source_hidden": true} tags=["hide-input"]
# Provenance in detail (from Section 1): commit labels, uncommitted changes, the re-run at one commit, thread counts
display(Markdown(narration.provenance(kept.rows, readme=f"results/{grid.csv_path.parent.name}/README.md",
                                      tested=code_reproduced is not None).replace("**Provenance.** ", "", 1)
                 + ("\n\n" + narration.reproduction([x for x in grid.repro if x not in grid.other_threads],
                                                  f"results/{grid.csv_path.parent.name}/grid_reproduce.csv")
                    if code_reproduced is not None else "")
                 + ("\n\n" + narration.reproduction_threads(grid.thread_moved, len(grid.repro),
                                                          {int(x["threads"]) for x in grid.repro}).strip()
                    if grid.thread_moved else "")))

# %% [markdown]
# *Automatic checks of this notebook's claims follow (for maintainers; the course's tests run this cell).*

# %% jupyter={"source_hidden": true} tags=["hide-input"]
# Results checks.
assert all(0.0 <= r["auroc"] <= 1.0 and 0.0 <= r["auprc"] <= 1.0 for r in kept.rows)
keys = [(r["method"], r["dataset"], r["protocol"], r["class"], r["seed"]) for r in kept.rows]
assert len(keys) == len(set(keys)), "no run appears twice within one budget"
assert all(0.0 <= r.p_value <= 1.0 and r.p_value <= r.p_adjusted <= 1.0 for r in tests if r.n)
if P.name == "smoke":
    assert len(grid.all_rows) == grid.planned
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
    assert res[("ganomaly", "pca", "mnist")].direction == 1, narration.verdict(res[("ganomaly", "pca", "mnist")])
    assert res_n[("ganomaly", "knn", "mnist")].direction == -1, narration.verdict(res_n[("ganomaly", "knn", "mnist")])
    assert res_n[("ganomaly", "pca", "mnist")].direction == -1, narration.verdict(res_n[("ganomaly", "pca", "mnist")])
    # under one class normal on Fashion-MNIST the grid found no gap between GANomaly and kNN (Holm p 0.62), and
    # an MNIST run learns one digit of the 5,000-digit sample (about 450 images), far below the cap
    assert res_n[("ganomaly", "knn", "fashion_mnist")].direction == 0, narration.verdict(res_n[("ganomaly", "knn", "fashion_mnist")])
    assert all(r["n_train"] < 1000 for r in normal_rows if r["dataset"] == "mnist")
    # EGBAD's seed 0 on Fashion-MNIST (one class anomalous) failed as a whole: 0.36 against about 0.60
    assert ("egbad", 0) in {(m, s_) for m, s_, _, _ in comparison.failed_seeds(rows, "fashion_mnist")}
    # the top of the notebook: the pilot already had kNN ahead of GANomaly on most Fashion-MNIST classes
    # (measured: 9 of 10)
    assert pilot_gk.n and pilot_gk.losses > pilot_gk.n / 2, (pilot_gk.wins, pilot_gk.losses)
    # Section 4: a hard class is not hard for every method alike: on MNIST's digit 1 GANomaly is far above the
    # autoencoder (measured: 0.58 against 0.07)
    assert pcs["mnist"]["ganomaly"][1].mean - pcs["mnist"]["autoencoder"][1].mean > 0.3
    # GANomaly is the best GAN method on both data sets under one class anomalous, and EGBAD stays below AnoGAN
    for d, cm in cms.items():
        assert max(comparison.GAN_METHODS, key=lambda m: cm[m].mean) == "ganomaly", d
        assert cm["egbad"].mean < cm["anogan"].mean, d
    # the course's aim is not met at this budget: GANomaly does not beat kNN on Fashion-MNIST
    assert aim.direction == 0, narration.verdict(aim)   # "not shown": no significant difference either way
    # the headline's highest mean under one class anomalous is kNN's on both data sets (measured: kNN 0.797
    # against GANomaly 0.770 on MNIST, 0.726 against 0.702 on Fashion-MNIST)
    for d, cm in cms.items():
        assert max(cm, key=lambda m: cm[m].mean) == "knn", (d, {m: round(cm[m].mean, 3) for m in cm})
    # Section 5: on MNIST GANomaly's own latent score beats its pixel error L_con on the same models (measured:
    # 10 of 10 classes, Holm p 0.016 over the eight ablation tests)
    res_abl = {(r.method, r.baseline, r.dataset): r for r in tests_abl}
    assert res_abl[("ganomaly", "ganomaly[L_con]", "mnist")].direction == 1, res_abl[("ganomaly", "ganomaly[L_con]", "mnist")]
    # ... and the Summary's "the one significant ablation" (measured: next smallest Holm-adjusted p 0.34)
    assert sum(r.direction != 0 for r in tests_abl if r.n) == 1, [narration.verdict(r) for r in tests_abl if r.direction]
    # Section 9: class difficulty follows the nearest-neighbour distance ratio, measured without kNN (measured:
    # Spearman rho 0.89 on MNIST, 0.83 on Fashion-MNIST, one split, so deterministic; the Summary's "much as")
    assert min(rho.values()) >= 0.7 and len(rho) == 2, rho
    # at the full-size budget (results/full, one class normal, Fashion-MNIST) kNN beats every GAN method (measured:
    # kNN higher on 9 or 10 of 10 classes, Holm-adjusted p 0.0098 to 0.012 over the five tests of that family)
    assert full_tests and all(r.direction == -1 for r in full_tests if r.method in comparison.GAN_METHODS), \
        [r.sentence for r in full_tests]
    # the headline's "GANomaly above PCA on MNIST" is the only significant verdict under one class anomalous
    assert sum(r.direction != 0 for r in tests_class if r.n) == 1, [narration.verdict(r) for r in tests_class if r.direction]
    # "no budget effect survives Holm's adjustment" (measured: smallest Holm-adjusted p 0.059, so the prose is
    # worded from the value; asserted here so that a re-run that flips it cannot pass unnoticed)
    assert all(b["p_holm"] >= ALPHA for b in budget.values()), {m: round(b["p_holm"], 3) for m, b in budget.items()}
    # ... yet the change of GANomaly - kNN between the two budgets is, tested directly per class (Section 9;
    # measured: mean -0.024, lower at the full-size budget on 10 of 10 classes, Wilcoxon p 0.002): the gap that
    # the full-size budget shows and the grid's does not is a change, not only a difference of two verdicts
    assert did is not None and did["p"] < ALPHA and did["mean"] < 0, did
    # ... and its two parts, each method's own move over the same runs, add up to it (the fold's sentence)
    assert abs(did["ganomaly"] - did["knn"] - did["mean"]) < 1e-9, did
    # Section 6: the paired test says more than overlapping intervals (measured: GANomaly's MNIST class mean 0.726
    # [0.406, 1.046] overlaps PCA's and kNN's, yet both are higher on 10 of 10 classes, Holm-adjusted p 0.016)
    assert overlap_note and "GANomaly's class mean on MNIST" in overlap_note, overlap_note
    # Section 9: GANomaly alone, the least circular check, ranks the classes as the ratio does (measured: rho 0.89
    # on MNIST, 0.84 on Fashion-MNIST; the prose says "does not rest on the pixel scores alone" from 0.7 up)
    assert len(rho_latent) == 2 and min(rho_latent.values()) >= 0.7, rho_latent
    # Section 5: the ablation's own-score variants reproduce the grid's rows (as in smoke)
    assert gap <= TOL, gap
    # Sections 1, 3 and 6 read failed seeds as unstable training once the re-run at one commit exists; it
    # reproduced its rows (measured: 73 re-run on their own thread count, 72 to six decimals, one 5e-6 apart)
    assert code_reproduced is not False, [(x["method"], x["git_commit_then"]) for x in grid.repro]
    # Section 6: why MNIST's whole seeds failed under one class normal (GANomaly seed 2, Autoencoder seed 1). The
    # re-run holds a row of each, reproduced to six decimals (measured: 0.549231 and 0.541414, then and now), and
    # PCA's and kNN's class means stay tight on the same seeds (measured: intervals 0.003 and 0.011 wide, against
    # drops of at least 0.167): the cause is the seeds' training runs, not their splits or code versions
    assert {(m, s_) for m, s_, _, _ in failed_n["mnist"]} == {("ganomaly", 2), ("autoencoder", 1)}, failed_n["mnist"]
    assert narration.seed_checks(failed_n["mnist"], evidence_n["mnist"], code_reproduced) == ("own", True)
    assert all(x["auroc_now"] == x["auroc_then"] for v in evidence_n["mnist"]["rerun"].values() for x in v)
    assert max(iv.high - iv.low for iv in evidence_n["mnist"]["steady"].values()) < 0.05
    # Section 3: EGBAD's failed seed 0 on Fashion-MNIST has no re-run row of its own, but all its commit labels were
    # re-run for EGBAD; PCA and kNN stay tight (measured: intervals 0.029 and 0.050 wide, against a drop of 0.237)
    assert narration.seed_checks(failed_a["fashion_mnist"], evidence_a["fashion_mnist"], code_reproduced) == ("labels", True)
    # Section 1: "training is unstable enough": the rows re-run on the other thread count moved (measured:
    # 3 rows, by 0.0036 to 0.0669)
    assert grid.thread_moved and max(grid.thread_moved) > 0.02, grid.thread_moved
    # Section 9: the full-size-budget run holds no GAN run under one class anomalous (why_not_knn: "silent under
    # the aim's protocol"; full_run_scope: none of them finished)
    assert not [r for r in full_all if r["protocol"] == "one_class_anomalous" and r["method"] in comparison.GAN_METHODS]
    # Exercise 4's pair: on MNIST, GANomaly - kNN per run passes ALPHA and per class does not (measured: per run raw
    # p 0.047, per class 0.32), the choice of unit flipping the verdict
    gk_m = res[("ganomaly", "knn", "mnist")]
    assert per_run[("ganomaly", "knn", "mnist")].p_value < ALPHA <= gk_m.p_value, (per_run[("ganomaly", "knn", "mnist")].p_value, gk_m.p_value)
    # ... and copying the ten class differences three times, no new evidence, takes most of that step (measured:
    # p 0.068 against 0.32 per class and 0.047 per run; docs/solutions.md, Exercise 4)
    p_copies = stats.wilcoxon(np.repeat(gk_m.diffs, 3)).pvalue
    assert p_copies < gk_m.p_value / 3 and p_copies < 2 * per_run[("ganomaly", "knn", "mnist")].p_value, p_copies
print("all results checks passed")
