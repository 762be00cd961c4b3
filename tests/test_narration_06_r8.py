"""Notebook 06's narration after the eighth review round: what GANomaly's latent score adds, hedged (no control for
the adversarial training); AnoGAN's curve levelled only at the cap; overlapping intervals with a significant paired
test (the other direction of Section 4's fold) and the Summary's lesson from both; the pixel scores' share of the
near-twin correlation and GANomaly's correlation alone; the ratio named where it is computed; the ablations one line
per question; the post-hoc paragraph in three sentences; why one or two classes from the line; the arrowheads of
uneven seeds; and the small wording fixes. Each test feeds numbers, asserts the words and checks the other branch."""

import json

import numpy as np
from test_comparison_06_r7 import BUDGET, ROW, iv, paired  # shared builders and the budget study's numbers

from ganad_lib import narration
from ganad_lib.comparison import Interval
from ganad_lib.profiles import get_profile

COST = {"anogan": (47.1, 50.0), "egbad": (65.0, 3957.0), "ganomaly": (67.6, 4374.0), "autoencoder": (22.7, 5638.0),
        "knn": (0.0, 3666.0)}
CMS = {d: {"anogan": iv(0.59), "egbad": iv(0.52), "ganomaly": iv(0.77), "autoencoder": iv(0.65)}
       for d in ("mnist", "fashion_mnist")}


# ------------------------------------------------------------ MUST 1: what GANomaly's latent score adds, hedged

def test_cost_buys_does_not_credit_the_adversarial_training():
    abl = [paired("ganomaly", "ganomaly[L_con]", "mnist", 1, wins=10), paired("ganomaly", "ganomaly[L_con]")]
    text = narration.cost_buys({"mnist": paired(dataset="mnist")}, COST, CMS, abl)
    assert ("What GANomaly adds over its own pixel error is its latent score (Section 5, MNIST only); whether that "
            "needs the adversarial training is not tested here: the control, an autoencoder with a second encoder, "
            "was not run.") in text
    assert "only a GAN adds" not in text, "the overclaim of round 8"
    both = [paired("ganomaly", "ganomaly[L_con]", d, 1, wins=10) for d in ("mnist", "fashion_mnist")]
    assert "(Section 5, MNIST and Fashion-MNIST); whether" in narration.cost_buys({}, COST, CMS, both)
    none = narration.cost_buys({}, COST, CMS, [paired("ganomaly", "ganomaly[L_con]", "mnist", 0, wins=7)])
    assert "Section 5 found GANomaly's latent score not significantly better than its own pixel error." in none
    assert "Section 5" not in narration.cost_buys({}, COST, CMS, []), "no ablation rows: nothing to say about it"


# ------------------------------------------------------------ SHOULD 1: AnoGAN levelled only at the cap

def _budget_file(tmp_path, anogan_curve, levelled=15):
    path = tmp_path / "cpu" / "grid_budget.json"
    path.parent.mkdir()
    curve = [{"epoch": e + 1, "val_score": v} for e, v in enumerate(anogan_curve)]
    path.write_text(json.dumps({
        "grid_epochs": 15, "rule": "x: the first epoch after which the curve never improves by more than 10 %",
        "setting": {"dataset": "fashion_mnist", "class": 8, "seed": 0, "n_val": 300, "epochs": len(curve)},
        "methods": {"anogan": {"levelled_epoch": levelled, "epochs": curve},
                    "ganomaly": {"levelled_epoch": 11, "epochs": curve}}}))
    return path


def _budget(path):
    sizes = "max_train=3000;max_test=1000;epochs=15;width=16;steps=50"
    rows = [{"method": "knn", "dataset": "fashion_mnist", "class": 0, "seed": 0, "sizes": sizes, "n_train": 3000,
             "n_test": 1000, "protocol": "one_class_anomalous", "data_source": "Debian"}]
    return narration.budget(rows, rows, get_profile("cpu").for_grid(), loader_source="x", loader_size=1,
                            full_steps=500, budget_file=path)


def test_budget_says_anogan_levelled_only_at_the_cap_and_still_improved(tmp_path):
    curve = [200.0] * 14 + [163.7, 165.9, 164.8, 159.6, 150.2, 153.0]
    text = _budget(_budget_file(tmp_path, curve))
    assert "recorded for 20 epochs: by epoch 15 every GAN method's curve had levelled off (AnoGAN 15, GANomaly 11). " in text
    assert ("AnoGAN's curve levelled only at epoch 15, the grid's epoch count itself, with just 5 recorded epochs after "
            "it to check the rule. Its raw score still fell 8 % by epoch 19 (163.7 → 150.2; 153.0 at epoch 20), so it "
            "may be under-trained.") in text
    assert "cap itself" not in text, "'cap' is the image limits' word"
    assert "GANomaly's curve levelled only" not in text, "GANomaly levelled before the cap"


def test_budget_at_the_cap_without_later_gain_says_only_the_cap(tmp_path):
    text = _budget(_budget_file(tmp_path, [200.0] * 14 + [150.0, 151.0, 152.0]))
    assert "(AnoGAN 15, GANomaly 11). " in text
    assert "AnoGAN's curve levelled only at epoch 15, the grid's epoch count itself, with just 2 recorded epochs" in text
    assert "still fell" not in text and "under-trained" not in text
    (tmp_path / "early").mkdir()
    early = _budget(_budget_file(tmp_path / "early", [200.0] * 20, levelled=12))
    assert "levelled only" not in early and "(AnoGAN 12, GANomaly 11)." in early


# ------------------------------------------------------------ SHOULD 3: overlap is not a test, the other way

NORMAL = [paired("ganomaly", "pca", "mnist", -1, wins=0, p_adj=0.016, mean_diff=-0.22),
          paired("ganomaly", "knn", "mnist", -1, wins=0, p_adj=0.016, mean_diff=-0.21),
          paired("ganomaly", "autoencoder", "mnist", -1, wins=1, p_adj=0.023, mean_diff=-0.13),
          paired("ganomaly", "autoencoder", "fashion_mnist", 1, wins=8, p_adj=0.039, mean_diff=0.03)]
CMS_N = {"mnist": {"ganomaly": iv(0.726, 0.406, 1.046), "pca": iv(0.947, 0.946, 0.949), "knn": iv(0.934, 0.929, 0.94),
                   "autoencoder": iv(0.854, 0.614, 1.094)},
         "fashion_mnist": {"ganomaly": iv(0.920, 0.909, 0.931), "autoencoder": iv(0.887, 0.878, 0.895)}}
MAIN = [paired("ganomaly", "autoencoder", "mnist", 0, wins=8, p_adj=0.14, mean_diff=0.12)]
CMS_MAIN = {"mnist": {"ganomaly": iv(0.770, 0.737, 0.802), "autoencoder": iv(0.646, 0.619, 0.674)}}


def test_overlap_yet_significant_names_the_clearest_case_and_points_back():
    text = narration.overlap_yet_significant(NORMAL, CMS_N, MAIN, CMS_MAIN)
    assert text.startswith("**Overlapping intervals are not a test either.** 3 of the 4 significant verdicts above "
                           "join two methods whose class-mean intervals overlap.")
    assert ("GANomaly's class mean on MNIST, 0.726 [0.406, 1.046], overlaps PCA's 0.947 [0.946, 0.949] and kNN's "
            "0.934 [0.929, 0.940]; yet both are higher on 10 of 10 classes (Holm-adjusted p = 0.016).") in text
    assert text.endswith("Section 4's fold shows the reverse: intervals apart, no significant difference even before "
                         "Holm's adjustment (GANomaly and Autoencoder on MNIST).")
    # no reverse case given: no pointer to it
    assert "shows the reverse" not in narration.overlap_yet_significant(NORMAL, CMS_N)
    # one case only: named alone
    one = narration.overlap_yet_significant(NORMAL[2:], CMS_N)
    assert "overlaps Autoencoder's 0.854 [0.614, 1.094]; yet Autoencoder is higher on 9 of 10 classes" in one
    # every significant pair's intervals apart: nothing to say
    assert narration.overlap_yet_significant(NORMAL[3:], CMS_N) == ""


def test_interval_lesson_gives_both_directions_from_the_rows():
    text = narration.interval_lesson(MAIN, CMS_MAIN, NORMAL, CMS_N)
    assert text == ("A mean over seeds needs its interval; a mean over classes takes it from the per-seed class means. "
                    "A paired test over classes, seeds averaged first, asks another question than two intervals do: it "
                    "puts PCA above GANomaly on MNIST although their intervals overlap (Section 6, one class normal). "
                    "GANomaly and Autoencoder on MNIST have intervals apart but no significant difference even before "
                    "Holm's adjustment (raw p = 0.38; Section 4).")
    only_apart = narration.interval_lesson(MAIN, CMS_MAIN, [], {})
    assert "although their intervals overlap" not in only_apart and "(raw p = 0.38; Section 4)." in only_apart
    assert narration.interval_lesson([], {}, [], {}).endswith("asks another question than two intervals do.")


# ------------------------------------------------------------ SHOULD 4: the pixel scores share the geometry

NAMES = {"mnist": [str(c) for c in range(10)], "fashion_mnist": [f"c{c}" for c in range(10)]}
RATIO = {"mnist": [1.54, 0.97, 1.54, 1.42, 1.29, 1.41, 1.42, 1.21, 1.41, 1.14],
         "fashion_mnist": [1.07, 1.25, 1.11, 1.17, 1.05, 1.32, 1.09, 1.1, 1.76, 1.46]}
OTHERS = ["anogan", "egbad", "ganomaly", "autoencoder", "pca"]


def test_near_twins_all_says_the_pixel_scores_share_the_geometry_and_reads_ganomaly_alone():
    rho = {"mnist": 0.89, "fashion_mnist": 0.83}
    text = narration.near_twins_all(RATIO, rho, NAMES, OTHERS, latent_rho={"mnist": 0.86, "fashion_mnist": 0.84})
    assert ("Nor are the other methods wholly free of it: AnoGAN's residual, EGBAD's $L_G$, the autoencoder's "
            "reconstruction error and PCA's reconstruction error are pixel distances too, so part of that correlation "
            "is a shared pixel geometry, not class difficulty as such.") in text
    assert ("GANomaly's score compares latent codes, not pixels, so its correlation alone is the least circular check: "
            "ρ = 0.86 on MNIST, 0.84 on Fashion-MNIST, so the link does not rest on the pixel scores alone.") in text
    weak = narration.near_twins_all(RATIO, rho, NAMES, OTHERS, latent_rho={"mnist": 0.5, "fashion_mnist": 0.84})
    assert "weaker: much of the link may be that shared pixel geometry" in weak and "does not rest" not in weak
    none = narration.near_twins_all(RATIO, rho, NAMES, OTHERS, latent_rho={"mnist": 0.1, "fashion_mnist": 0.84})
    assert "hardly any" in none
    plain = narration.near_twins_all(RATIO, rho, NAMES, OTHERS)
    assert "pixel distances too" in plain and "least circular" not in plain
    assert "is a pixel distance too" in narration.near_twins_all(RATIO, rho, NAMES, ["pca"])
    assert "Nor are" not in narration.near_twins_all(RATIO, rho, NAMES, ["ganomaly"])


# ------------------------------------------------------------ SHOULD 5: the ratio named where it is computed

def test_faint_digit_points_to_the_ratio_where_it_is_computed():
    hard = {"mnist": [1, 9, 7, 3, 4, 8, 6, 5, 0, 2]}
    mom = {"mnist": np.linspace(0.3, 0.8, 10)}
    ivs = {"mnist": {"pca": [iv(0.16, 0.1, 0.2) if c == 1 else iv(0.7) for c in range(10)]}}
    ink = np.array([0.17, 0.077, 0.15, 0.15, 0.13, 0.14, 0.15, 0.12, 0.16, 0.14])
    for ratio in ({"mnist": [1.3, 0.97] + [1.3] * 8}, {"mnist": [1.2] * 10}):
        text = narration.hard_classes(hard, mom, ivs, ink, nn_ratio=ratio)
        assert "The nearest-neighbour ratio (computed in the cell above, plotted below: an anomaly's" in text
        assert "of Section 9" not in text


# ------------------------------------------------------------ SHOULD 6: one line per question, three sentences

def test_ablation_reading_one_line_per_question():
    tests = [paired("ganomaly", "ganomaly[L_con]", "mnist", 1, wins=10, mean_diff=0.237),
             paired("egbad", "egbad[L_G]", "mnist", 0, wins=4, mean_diff=-0.001),
             paired("ganomaly", "ganomaly[L_con]", "fashion_mnist", 0, wins=7, mean_diff=0.057),
             paired("egbad", "egbad[L_G]", "fashion_mnist", 0, wins=2, mean_diff=-0.002)]
    text = narration.ablation_reading(tests, {}, alpha_vs_lg={"mnist": (0.519, 0.519), "fashion_mnist": (0.520, 0.523)})
    assert text.count("\n* ") == 2, text
    assert ("(within 0.01). Equal class means need not mean equal per-class AUROCs; the paired test (the table above) "
            "compares them class by class — no significant difference on either data set (mean differences -0.001 on MNIST, -0.002 on Fashion-MNIST): the "
            "discriminator's share adds nothing detectable.") in text
    assert ("* *GANomaly's latent distance against its pixel error $L_{con}$:* significantly higher on MNIST (latent "
            "higher on 10 of 10 classes): there the latent comparison, not the pixel error, carries the score; no "
            "significant difference on Fashion-MNIST (latent higher on 7 of 10 classes), so not established there "
            "at this budget.") in text
    # without the question of the means, EGBAD's verdicts get their own line
    alone = narration.ablation_reading(tests[1:2], {})
    assert "* *EGBAD's $\\alpha = 0.9$ against $L_G$ alone:* no significant difference on MNIST (mean difference " \
           "-0.001)" in alone
    both_up = narration.ablation_reading([paired("ganomaly", "ganomaly[L_con]", d, 1, wins=10)
                                          for d in ("mnist", "fashion_mnist")], {})
    assert "significantly higher on both data sets (latent higher on 10 of 10 on MNIST, 10 of 10 on Fashion-MNIST)" \
        in both_up




def _gap_paragraph(did):
    rows = [{**ROW, "method": m, "class": 0} for m in BUDGET]
    text = narration.budget_reading(BUDGET, [], paired(mean_diff=0.005, p_adj=0.625), did, rows, rows, 0.76)
    return text.split("*GANomaly against kNN.* ", 1)[1].split("\n\n", 1)[0]


def test_post_hoc_paragraph_is_three_sentences():
    para = _gap_paragraph({"mean": -0.0242947, "n": 10, "p": 0.002, "ganomaly": -0.0175744, "knn": 0.0067202})
    assert para.count(". ") + para.endswith(".") == 3, para
    assert "exploratory" in para and "the runs differ in more than the budget (below)" in para
    assert "four decimals" not in para
    flat = _gap_paragraph({"mean": -0.01, "n": 10, "p": 0.3, "ganomaly": -0.005, "knn": 0.005})
    assert "not significant" in flat and "exploratory" not in flat


# ------------------------------------------------------------ SHOULD 8: why one or two classes from the line

def test_wins_and_losses_says_why_one_or_two_classes_from_the_line():
    main = [paired("ganomaly", "pca", "mnist", 1, wins=10, p_adj=0.016)]
    cms = {"mnist": {"ganomaly": iv(0.77)}}
    text = narration.wins_and_losses(main, [], cms, {}, floor=(2 / 2 ** 10, 0.0098, 0.05 / 8))
    assert ("With ten classes, every verdict above is one or two classes from the line (Section 4's fold: all classes "
            "on one side give p = 0.0020; one class on the other side, at rank 3 or above, gives p ≥ 0.0098, already "
            "above Holm's strictest level 0.0063).") in text
    plain = narration.wins_and_losses(main, [], cms, {})
    assert "one or two classes from the line (Section 4's fold)." in plain and "p = 0.0020" not in plain


# ------------------------------------------------------------ NITs

def test_normal_reading_explains_the_arrowheads_of_uneven_seeds():
    def ivs(mean, half):
        return [Interval(mean, mean - half, mean + half, 3) for _ in range(10)]

    rows = [{"dataset": "mnist", "n_train": 450, "method": "knn", "protocol": "one_class_normal"}]
    seeds = {"mnist": {"ganomaly": {0: 0.78, 1: 0.82, 2: 0.58}}}
    wide = {"mnist": {"ganomaly": ivs(0.8, 0.3), "pca": ivs(0.95, 0.02)}}
    text = narration.normal_reading(rows, wide, seeds, {})
    assert ("10 of the 20 intervals reach beyond [0, 1], so those whiskers end in a small "
            "black arrowhead at the axis (Section 2): not a plotting error. 10 of them are GANomaly's, from the "
            "uneven seeds.") in text
    inside = narration.normal_reading(rows, {"mnist": {"ganomaly": ivs(0.6, 0.3)}}, seeds, {})
    assert "arrowhead" not in inside
    steady = narration.normal_reading(rows, wide, {"mnist": {"ganomaly": {0: 0.8, 1: 0.81, 2: 0.79}}}, {})
    assert "arrowhead" not in steady, "only where whole seeds make the bars wide"


def test_cost_reading_says_about_0_01_s():
    q = {m: {"quality": iv(v), "train_seconds": COST[m][0]} for m, v in (("anogan", 0.58), ("ganomaly", 0.7),
                                                                           ("egbad", 0.52), ("knn", 0.73))}
    text = narration.cost_reading(COST, {"mnist": q, "fashion_mnist": q}, resolution=0.01)
    assert "kNN's training time is drawn at about 0.01 s, each data set's point nudged a little to its side.)" in text


def test_small_wordings():
    cms = {"mnist": {"knn": iv(0.8), "ganomaly": iv(0.77)}}
    assert "AUPRC weighs the highest-scored images more" in narration.class_means_reading(cms, cms, {})
    pilot = [{"method": "pca", "dataset": "fashion_mnist", "protocol": "one_class_anomalous", "class": c, "seed": 5,
              "auroc": 0.6} for c in range(2)]
    assert "AnoGAN (a search)? (Each is tested two-sided.)" in narration.questions([paired()], None, pilot, pilot, 1)
