"""Notebook 06 after the seventh review round: the budget fold's parts that add up to the tested change, the aim's
interval worded as a bound of an interval, the ablation question the table answers, the faint-digit reading measured
by the nearest-neighbour ratio, the autoencoder in "what the cost buys", provenance in one visible sentence, seed dots
on the per-class bars, the failed-seed checks said once, the validation curve defined, the Summary's protocol and
cost lessons, and the small wording fixes (each fed numbers, asserting the words and the other branch)."""

import json
import math

import matplotlib
import numpy as np
import pytest

from ganad_lib import comparison, narration, plotting, published
from ganad_lib.comparison import Interval, Paired
from ganad_lib.profiles import get_profile

matplotlib.use("Agg")


def paired(method="ganomaly", baseline="knn", dataset="fashion_mnist", direction=0, n=10, wins=3, p_adj=1.0,
           mean_diff=-0.024, p=0.38):
    return Paired(method, baseline, dataset, "one_class_anomalous", "auroc", n, wins, n - wins, 0, mean_diff, 0.0,
                  p, p_adj, 0.05, direction, "Holm", direction, (), ())


def iv(mean, low=None, high=None, n=3):
    return Interval(mean, mean - 0.01 if low is None else low, mean + 0.01 if high is None else high, n)


def rows_of(method, per_seed, dataset="fashion_mnist", protocol="one_class_normal"):
    """per_seed[seed] = [AUROC per class]."""
    return [{"method": method, "dataset": dataset, "protocol": protocol, "class": c, "seed": s, "auroc": float(v),
             "auprc": float(v), "git_commit": f"c{s}", "train_seconds": 1.0, "score_images_per_second": 100.0}
            for s, vals in enumerate(per_seed) for c, v in enumerate(vals)]


# ------------------------------------------------------------ MUST 1: the parts add up to the change

def test_budget_study_gives_each_methods_move_over_the_runs_the_change_uses():
    # GANomaly ran seeds 0 and 1 at the full-size budget, kNN seeds 0, 1 and 2; kNN's seed 2 moved a lot, so its
    # move over its own runs differs from its move over the runs both share
    small = rows_of("ganomaly", [[0.90] * 10] * 3) + rows_of("knn", [[0.90] * 10] * 3)
    full = (rows_of("ganomaly", [[0.88 + 0.001 * c for c in range(10)]] * 2)
            + rows_of("knn", [[0.91] * 10, [0.91] * 10, [0.99] * 10]))
    st = comparison.budget_study(small, full)
    ch = st.change
    assert ch["ganomaly"] - ch["knn"] == pytest.approx(ch["mean"])
    assert ch["knn"] == pytest.approx(0.01) and st.effects["knn"]["diff"] == pytest.approx(0.0366667, abs=1e-6)
    assert st.effects["ganomaly"]["diff"] == pytest.approx(ch["ganomaly"])


BUDGET = {"ganomaly": {"classes": 10, "runs": 20, "small": 0.922, "full": 0.904, "diff": -0.018, "higher": 1,
                       "p": 0.010, "p_holm": 0.059},
          "knn": {"classes": 10, "runs": 30, "small": 0.915, "full": 0.923, "diff": 0.008, "higher": 9, "p": 0.037,
                  "p_holm": 0.148}}
ROW = {"dataset": "fashion_mnist", "n_train": 3000, "n_val": 300, "n_test": 1000, "torch_version": "2.14.1",
       "device": "cpu", "seed": 0}


def _budget_text(did):
    rows = [{**ROW, "method": m, "class": 0} for m in BUDGET]
    return narration.budget_reading(BUDGET, [], paired(mean_diff=0.005, p_adj=0.625), did, rows, rows, 0.76)


def test_budget_reading_states_parts_that_add_up_and_the_tables_precision():
    text = _budget_text({"mean": -0.0242947, "n": 10, "p": 0.002, "ganomaly": -0.0175744, "knn": 0.0067202})
    assert ("it changed by -0.024 (GANomaly -0.018, kNN +0.007, each rounded, over the runs both share) at the "
            "full-size budget, Wilcoxon p = 0.002 over 10 classes.") in text
    assert "four decimals" not in text, "the aside was cut (review r8, SHOULD 6)"
    assert "Holm-adjusted p = 0.625, Section 6" in text, "the precision of Section 6's table"
    # a change without its parts (older callers): the change alone, at the table's precision
    old = _budget_text({"mean": -0.024, "n": 10, "p": 0.002})
    assert "it changed by -0.024 at the full-size budget, Wilcoxon p = 0.002" in old and "GANomaly -0." not in old


# ------------------------------------------------------------ MUST 2: a bound of an interval, not a hard limit

def test_aim_verdict_and_headline_word_the_interval_as_compatible_values():
    text = narration.aim_verdict(paired(), iv(-0.024, -0.082, 0.035, 10))
    assert ("so these data are compatible with GANomaly being up to about 0.035 AUROC above kNN (the interval's upper "
            "end), and with kNN being up to about 0.082 above GANomaly (its lower end).") in text
    assert "at most" not in text
    head = narration.headline_bullets_auroc(paired(), iv(-0.024, -0.082, 0.035, 10),
                                            {"fashion_mnist": {"knn": iv(0.726), "ganomaly": iv(0.702)}}, [paired()])
    assert "(unadjusted) is compatible with GANomaly being up to about 0.035 AUROC above kNN" in head[0]
    assert "allows it at most" not in head[0]


def test_compatible_gap_on_either_side_of_zero():
    assert narration.compatible_gap(iv(0.03, 0.01, 0.05), "GANomaly", "kNN") == (
        "GANomaly being about 0.010 to 0.050 AUROC above kNN (the interval's ends)")
    assert narration.compatible_gap(iv(-0.03, -0.05, -0.01), "GANomaly", "kNN") == (
        "kNN being about 0.010 to 0.050 AUROC above GANomaly (the interval's ends)")


# ------------------------------------------------------------ SHOULD 1: the question the table answers

def test_ablation_question_is_about_scoring_as_well_not_ranking():
    same = narration.ablation_reading([], {}, alpha_vs_lg={"mnist": (0.519, 0.519)})
    assert "*Does $\\alpha = 0.9$ score about as well as $L_G$ alone?* On average, yes" in same
    assert "Equal class means need not mean equal per-class AUROCs" in same and "rank" not in same
    apart = narration.ablation_reading([], {}, alpha_vs_lg={"mnist": (0.60, 0.52)})
    assert "Not everywhere: class means 0.600 against 0.520 on MNIST." in apart and "Equal class means" not in apart


# ------------------------------------------------------------ SHOULD 2: the faint digit, measured

HARD = {"mnist": [1, 9, 7, 3, 4, 8, 6, 5, 0, 2]}
MOM = {"mnist": np.linspace(0.3, 0.8, 10)}
IVS = {"mnist": {"pca": [iv(0.16, 0.1, 0.2) if c == 1 else iv(0.7) for c in range(10)]}}
INK = np.array([0.17, 0.077, 0.15, 0.15, 0.13, 0.14, 0.15, 0.12, 0.16, 0.14])


def test_hard_classes_reads_the_ones_nearest_neighbour_ratio():
    ratio = {"mnist": [1.54, 0.97, 1.54, 1.42, 1.29, 1.41, 1.42, 1.21, 1.41, 1.14], "fashion_mnist": [1.05] * 10}
    text = narration.hard_classes(HARD, MOM, IVS, INK, nn_ratio=ratio)
    assert "not measured here" not in text
    assert ("supports this: 0.97 for the 1, the only value under 1 of the 20 classes of both data sets, so its "
            "anomalies lie closer to the normal training images than the normal test images do. That the lack of ink "
            "is the cause is not tested.") in text
    two = {"mnist": ratio["mnist"][:9] + [0.99]}
    assert "0.97 for the 1, one of 2 values under 1 of the 10 classes of MNIST" in narration.hard_classes(
        HARD, MOM, IVS, INK, nn_ratio=two)
    above = narration.hard_classes(HARD, MOM, IVS, INK, nn_ratio={"mnist": [1.2] * 10})
    assert "is 1.20 for the 1, not below 1, so it does not support this." in above and "A hypothesis" in above
    assert "A hypothesis, not measured here" in narration.hard_classes(HARD, MOM, IVS, INK), "without the ratio"


# ------------------------------------------------------------ SHOULD 3: the autoencoder gives maps too

def test_cost_buys_names_the_autoencoder():
    cost = {"anogan": (47.1, 50.0), "egbad": (65.0, 3957.0), "ganomaly": (67.6, 4374.0), "autoencoder": (22.7, 9000.0),
            "knn": (0.0, 3666.0)}
    cms = {d: {"anogan": iv(0.59), "egbad": iv(0.52), "ganomaly": iv(0.77), "autoencoder": iv(0.65)}
           for d in ("mnist", "fashion_mnist")}
    abl = [paired("ganomaly", "ganomaly[L_con]", "mnist", 1, wins=10), paired("ganomaly", "ganomaly[L_con]")]
    text = narration.cost_buys({"mnist": paired(dataset="mnist")}, cost, cms, abl)
    assert ("The autoencoder offers reconstructions and residual maps too, at a third of GANomaly's training time "
            "(22.7 s against 67.6 s), and its mean AUROC is above AnoGAN's and EGBAD's on both data sets. What GANomaly "
            "adds over its own pixel error is its latent score (Section 5, MNIST only); whether that needs the "
            "adversarial training is not tested here") in text
    cms["mnist"]["anogan"] = iv(0.70)   # above the autoencoder on one data set: not named
    assert "above EGBAD's on both data sets" in narration.cost_buys({}, cost, cms, [])
    assert "autoencoder" not in narration.cost_buys({"mnist": paired(dataset="mnist")})


# ------------------------------------------------------------ SHOULD 4: provenance in one sentence

def _line(then, now, threads=1, row_=300):
    return {"method": "knn", "dataset": "mnist", "protocol": "one_class_anomalous", "class": "0", "seed": "0",
            "row": str(row_), "threads": str(threads), "git_commit_then": "a", "auroc_then": then,
            "git_commit_now": "c", "auroc_now": now}


def test_provenance_short_is_one_sentence():
    lines = [_line("0.900000", "0.900000"), _line("0.457924", "0.457929")]
    assert narration.provenance_short(lines) == (
        "**Provenance.** A re-run of 2 sampled rows at one commit gave their recorded AUROC (to within 0.000005), so "
        "code changes did not move these numbers.")
    assert narration.provenance_short(lines[:1]) == (
        "**Provenance.** A re-run of 1 sampled rows at one commit gave their recorded AUROC to all six decimals, so "
        "code changes did not move these numbers.")
    moved = narration.provenance_short([_line("0.5", "0.6")])
    assert "changes results" in moved and "did not move" not in moved
    assert narration.provenance_short([]) == ""


# ------------------------------------------------------------ SHOULD 5: the seeds as dots

def test_plot_per_class_draws_one_dot_per_seed_only_when_asked():
    rows = rows_of("knn", [[0.9] * 10, [0.8] * 10, [0.7] * 10], "mnist")
    ax = comparison.plot_per_class(rows, "mnist", errors="ci", points=True)
    dots = [c for c in ax.collections if len(c.get_offsets()) == 3]
    assert len(dots) == 10 and sorted(np.asarray(dots[0].get_offsets())[:, 1]) == pytest.approx([0.7, 0.8, 0.9])
    assert "one seed" in [t.get_text() for t in ax.get_legend().get_texts()]
    plain = comparison.plot_per_class(rows, "mnist", errors="ci")
    assert not [c for c in plain.collections if len(c.get_offsets()) == 3]
    axes = comparison.plot_per_class_panels(rows, ["mnist"], points=True)
    assert "one seed" in [t.get_text() for t in axes[0].get_legend().get_texts()]


def test_normal_reading_says_what_the_dots_show_and_the_tightest_bars():
    def ivs(mean, half):
        return [Interval(mean, mean - half, mean + half, 3) for _ in range(10)]

    per_class = {"mnist": {"ganomaly": ivs(0.7, 0.3), "pca": ivs(0.95, 0.02), "knn": ivs(0.93, 0.03)}}
    rows = [{"dataset": "mnist", "n_train": 450, "method": "knn", "protocol": "one_class_normal"}]
    seeds = {"mnist": {"ganomaly": {0: 0.78, 1: 0.82, 2: 0.58}}}
    text = narration.normal_reading(rows, per_class, seeds, {}, dots=True)
    assert "with each seed's AUROC as a dot: where a bar's dots agree its interval is tight" in text
    assert ("GANomaly 0.78 / 0.82 / 0.58. Tightest bars: PCA's and kNN's (median half-width 0.02 and 0.03; class "
            "means 0.95 and 0.93).") in text
    plain = narration.normal_reading(rows, per_class, seeds, {})
    assert "Tightest" not in plain and "dot" not in plain


# ------------------------------------------------------------ SHOULD 6: the failed-seed checks said once

FAILED = [("ganomaly", 2, 0.578, [0.784, 0.816]), ("autoencoder", 1, 0.742, [0.910, 0.909])]


def _evidence(half=0.005):
    line = {**_line("0.549231", "0.549231"), "method": "ganomaly"}
    return {"rerun": {("ganomaly", 2): [line], ("autoencoder", 1): [{**line, "method": "autoencoder"}]},
            "labels": {("ganomaly", 2): ["d"], ("autoencoder", 1): ["e"]},
            "labels_rerun": {("ganomaly", 2): ["d"], ("autoencoder", 1): ["e"]},
            "steady": {"pca": iv(0.947, 0.947 - half, 0.947 + half), "knn": iv(0.934, 0.934 - half, 0.934 + half)}}


def test_failed_seeds_brief_points_to_section_3_with_the_values_here():
    text = narration.failed_seeds_brief("mnist", FAILED, _evidence(), True)
    assert text.startswith("**Why whole seeds failed on MNIST.** GANomaly's seed 2 (class mean 0.578, against 0.784 "
                           "and 0.816) and Autoencoder's seed 1")
    assert ("Section 3's two checks, applied here: the cause is most likely the seeds' training runs (initial "
            "weights, batch order, thread count)") in text
    assert "holds a row of each failed seed and reproduced each." in text
    assert "On the same seeds' splits PCA's and kNN's class-mean intervals are at most 0.010 wide, against drops of " \
           "at least 0.167." in text
    assert "Two checks tell these apart" not in text, "the explanation is Section 3's"
    wide = narration.failed_seeds_brief("mnist", FAILED, _evidence(half=0.2), True)
    assert "so the split is not ruled out." in wide
    assert narration.failed_seeds_brief("mnist", [], _evidence(), True) == ""


def test_hedge_can_leave_the_cause_to_the_paragraph_above_and_wins_and_losses_points_to_section_6():
    rows = [{"dataset": "mnist", "n_train": 450, "method": m, "seed": s, "protocol": "one_class_normal"}
            for m in ("ganomaly", "knn") for s in range(3)]
    tested = [paired("ganomaly", "knn", "mnist", -1, wins=0)]
    again = {("ganomaly", "knn"): paired("ganomaly", "knn", "mnist", -1, wins=0, mean_diff=-0.133, p_adj=0.016)}
    args = ("mnist", rows, {("ganomaly", 2)}, tested, 1, [], again, {})
    assert "Why those seeds failed" in narration.hedge(*args, why="WHY")
    short = narration.hedge(*args, why="WHY", say_why=False)
    assert "Why those seeds failed" not in short and short.endswith("not for MNIST as the papers use it.")
    sig = [paired("ganomaly", "knn", "mnist", -1, wins=0, p_adj=0.016)]
    text = narration.wins_and_losses([], sig, {}, {}, hedged=["mnist"])
    assert "The MNIST verdicts rest on small runs with failed seeds (Section 6)." in text and "The cause" not in text
    assert "failed seeds" not in narration.wins_and_losses([], sig, {}, {})


# ------------------------------------------------------------ SHOULD 7: what the validation curve is

def test_budget_defines_the_validation_curve_and_levelled(tmp_path):
    path = tmp_path / "cpu" / "grid_budget.json"
    path.parent.mkdir()
    path.write_text(json.dumps({
        "grid_epochs": 15, "setting": {"dataset": "fashion_mnist", "class": 8, "seed": 0, "n_val": 300},
        "rule": "experiments.levelled_epoch (defaults): the first epoch after which the validation curve, smoothed by "
                "a trailing mean over 3 epochs, never improves by more than 10 %",
        "methods": {"anogan": {"levelled_epoch": 15}}}))
    sizes = "max_train=3000;max_test=1000;epochs=15;width=16;steps=50"
    rows = [{"method": "knn", "dataset": "fashion_mnist", "class": 0, "seed": 0, "sizes": sizes, "n_train": 3000,
             "n_test": 1000, "protocol": "one_class_anomalous", "data_source": "Debian"}]
    text = narration.budget(rows, rows, get_profile("cpu").for_grid(), loader_source="x", loader_size=1,
                            full_steps=500, budget_file=path)
    assert ("The 15 epochs come from validation curves, each method's mean anomaly score on the 300 normal validation "
            "images after every epoch (lower is better): by epoch 15") in text
    assert "(no later smoothed value lies more than 10 % below the smoothed value at that epoch)" in text


# ------------------------------------------------------------ SHOULD 8: the Summary's lessons

def test_protocol_lesson_names_the_reordering_or_says_the_top_stays():
    cms = {d: {"knn": iv(0.8), "pca": iv(0.64), "ganomaly": iv(0.77)} for d in ("mnist", "fashion_mnist")}
    normal = {"mnist": {"knn": iv(0.93), "pca": iv(0.95), "ganomaly": iv(0.73)},
              "fashion_mnist": {"knn": iv(0.915), "pca": iv(0.9), "ganomaly": iv(0.92)}}
    text = narration.protocol_lesson(cms, normal)
    assert text.startswith("The protocol reorders the methods: the highest mean AUROC is kNN on both data sets under "
                           "one class anomalous, PCA on MNIST and GANomaly on Fashion-MNIST under one class normal")
    same = narration.protocol_lesson(cms, cms)
    assert "the highest stays kNN on both data sets under both protocols" in same and "reorders" not in same
    assert narration.protocol_lesson(cms, {}) == ""


def test_cost_lesson_gives_the_ratio_and_who_still_scores_higher():
    cost = {"anogan": (47.1, 50.0), "egbad": (65.0, 3950.0), "ganomaly": (67.6, 4400.0)}
    cms = {d: {"anogan": iv(0.59), "egbad": iv(0.52), "ganomaly": iv(0.77)} for d in ("mnist", "fashion_mnist")}
    text = narration.cost_lesson(cost, cms)
    assert text == ("Cost is a result too: AnoGAN's latent search scores about 79 to 88 times slower than EGBAD's and "
                    "GANomaly's single forward pass, and GANomaly, about 88 times faster to score, also has a higher mean "
                    "AUROC than AnoGAN on both data sets (an order of means, not tested, though their intervals lie apart; Section 8).")
    assert "still" not in text, "faster and better: no 'despite' (review r8, NIT 1)"
    cms["mnist"]["ganomaly"] = iv(0.5)
    assert "also ha" not in narration.cost_lesson(cost, cms)
    assert narration.cost_lesson({"anogan": (1.0, 1.0)}, cms) == ""


# ------------------------------------------------------------ NITs

def test_near_twins_wording():
    names = {"mnist": [str(c) for c in range(10)]}
    text = narration.near_twins_all({"mnist": [1.5, 0.97] + [1.3] * 8}, {"mnist": 0.89}, names, ["pca"])
    assert "below 1 only for MNIST 1, whose anomalies lie *closer*" in text
    assert "Spearman's rank correlation ρ (the correlation of the two rankings: 1 = the same order, 0 = unrelated)" in text
    assert "below 1" not in narration.near_twins_all({"mnist": [1.2] * 10}, {"mnist": 0.89}, names, ["pca"])
    ratio = narration.near_twins_ratio(6, 8, {6: (4.64, 4.24), 8: (7.35, 4.19)}, k=7)
    assert "close to what kNN measures (it averages the 7 nearest)" in ratio


def test_why_not_knn_and_the_published_table_wording():
    grid = get_profile("cpu").for_grid()
    text = narration.why_not_knn(n_train=3000, updates=690, grid=grid, full_width=64, sizes_recorded=True, budget={},
                                 full_tests=[], tests_abl=[], knn_hardest=0.58)
    assert "test-peeking choice" in text and "dishonest" not in text
    head = published.table().splitlines()[0]
    assert "| mean | runs / budget | source |" in head


def test_label_points_moves_a_label_that_would_hide_another():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4, 3))
    xs, ys = [1.0, 1.005, 2.0], [0.70, 0.701, 0.3]
    ax.scatter(xs, ys)
    ax.set_xlim(0.8, 2.2)
    ax.set_ylim(0.2, 0.8)
    texts = plotting.label_points(ax, xs, ys, ["Pullover", "Dress", "Bag"])
    boxes = [t.get_window_extent(renderer=fig.canvas.get_renderer()) for t in texts]
    assert len(texts) == 3 and not boxes[0].overlaps(boxes[1])
    assert not math.isclose(texts[0].xyann[1], texts[1].xyann[1]) or texts[0].xyann[0] != texts[1].xyann[0]
    plt.close(fig)
