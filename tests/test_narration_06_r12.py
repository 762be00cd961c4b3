"""Review r12 of notebook 06: the EGBAD pointer to notebook 04's Section 6, the hedge that counts which verdicts
involve a failed seed, the arrowheads counted on both data sets, the budget change at the tables' precision, and the
Summary's shorter asides."""

from ganad_lib import narration
from ganad_lib.comparison import Interval, Paired


def _paired(method, baseline, dataset, direction, wins=10, p_adj=0.016, protocol="one_class_normal", mean_diff=-0.1):
    return Paired(method, baseline, dataset, protocol, "auroc", 10, wins, 10 - wins, 0, mean_diff, 0.0, 0.002, p_adj,
                  0.05, direction, "Holm", direction or 1, (), ())


def _iv(mean, low, high, n=3):
    return Interval(mean, low, high, n)


NORMAL_MNIST = [_paired("ganomaly", "autoencoder", "mnist", -1, wins=1, p_adj=0.023),
                _paired("ganomaly", "pca", "mnist", -1, wins=0),
                _paired("ganomaly", "knn", "mnist", -1, wins=0),
                _paired("egbad", "anogan", "mnist", -1, wins=1, p_adj=0.023)]
FAILED_N = {"mnist": [("ganomaly", 2, 0.578, [0.784, 0.816]), ("autoencoder", 1, 0.742, [0.91, 0.909])]}
ROWS_N = [{"dataset": "mnist", "n_train": 450, "method": "knn", "protocol": "one_class_normal"}]


def test_wins_and_losses_counts_the_verdicts_that_involve_a_failed_seed_and_names_the_run_size():
    text = narration.wins_and_losses([], NORMAL_MNIST, {}, {}, hedged=FAILED_N, normal_rows=ROWS_N)
    assert "3 of the 4 MNIST verdicts involve a method with a failed seed; all rest on 450-image runs (Section 6)." \
        in text
    assert "The MNIST verdicts rest on small runs with failed seeds" not in text, "EGBAD − AnoGAN lost no seed"
    # every verdict involves a failed seed: "All", and without the rows no size is invented
    only = narration.wins_and_losses([], NORMAL_MNIST[:3], {}, {}, hedged=FAILED_N)
    assert "All of the 3 MNIST verdicts involve a method with a failed seed; all rest on small runs (Section 6)." in only
    # a list of data sets (older callers) keeps the short hedge
    assert "The MNIST verdicts rest on small runs with failed seeds (Section 6)." in narration.wins_and_losses(
        [], NORMAL_MNIST, {}, {}, hedged=["mnist"])


def test_egbad_failed_seed_points_to_notebook_04s_section_6_not_section_2():
    cms = {d: {"ganomaly": _iv(0.7, 0.66, 0.74), "egbad": _iv(0.52, 0.18, 0.87), "anogan": _iv(0.58, 0.54, 0.63)}
           for d in ("mnist", "fashion_mnist")}
    failed = {"fashion_mnist": [("egbad", 0, 0.36, [0.604, 0.597])]}
    text = narration.wins_and_losses([], [], cms, failed, egbad_span={"fashion_mnist": 0.2612})
    assert ("On Fashion-MNIST the wide interval comes from EGBAD's failed seed 0 (Section 3): its class mean 0.36 lies "
            "below chance") in text
    assert ("Short BiGAN runs are that unstable: notebook 04 (its Section 6) plots these runs class by class, where a "
            "class's seeds span a median 0.26 AUROC.") in text
    assert "Section 2" not in text and "land anywhere" not in text and "that rests on" not in text
    assert "class by class." in narration.wins_and_losses([], [], cms, failed), "no span given: the pointer alone"


def test_normal_reading_counts_the_arrowheads_where_no_whole_seed_failed():
    def ivs(*bounds):
        return [_iv((lo + hi) / 2, lo, hi) for lo, hi in bounds] + [_iv(0.9, 0.88, 0.92)] * (10 - len(bounds))

    rows = [{"dataset": "fashion_mnist", "n_train": 3000, "method": "knn", "protocol": "one_class_normal"}]
    seeds = {"fashion_mnist": {"egbad": {0: 0.75, 1: 0.76, 2: 0.76}, "ganomaly": {0: 0.92, 1: 0.92, 2: 0.92}}}
    wide = {"fashion_mnist": {"egbad": ivs((0.8, 1.001), (0.9, 1.146), (0.9, 1.032)),
                              "ganomaly": ivs((0.85, 1.005))}}
    text = narration.normal_reading(rows, wide, seeds, {})
    assert "the widest bars are EGBAD's. 4 of the 20 intervals reach beyond [0, 1], 3 of them EGBAD's." in text
    one = narration.normal_reading(rows, {"fashion_mnist": {"egbad": ivs((0.8, 1.001)), "ganomaly": ivs()}}, seeds, {})
    assert "1 of the 20 intervals reaches beyond [0, 1]." in one and "of them" not in one
    inside = narration.normal_reading(rows, {"fashion_mnist": {"egbad": ivs(), "ganomaly": ivs()}}, seeds, {})
    assert "beyond [0, 1]" not in inside


def test_budget_reading_gives_three_decimals_and_says_when_the_rounded_parts_do_not_add_up():
    budget = {m: {"classes": 10, "runs": 20, "small": 0.9, "full": 0.9, "diff": d, "higher": h, "p": 0.5,
                  "p_holm": 0.6} for m, d, h in (("ganomaly", -0.018, 1), ("knn", 0.008, 9))}
    rows = [{"dataset": "fashion_mnist", "n_train": 3000, "n_val": 300, "n_test": 1000, "torch_version": "2",
             "device": "cpu", "seed": 0, "method": m, "class": 0} for m in budget]
    grid_gk = _paired("ganomaly", "knn", "fashion_mnist", 0, wins=4, p_adj=0.625, mean_diff=0.005)
    did = {"mean": -0.0242947, "n": 10, "p": 0.002, "fell": 10, "ganomaly": -0.0175744, "knn": 0.0067202}
    text = narration.budget_reading(budget, [], grid_gk, did, rows, rows, 0.76)
    assert "it changed by -0.024 (GANomaly -0.018, kNN +0.007, each rounded, over the runs both share)" in text
    assert "0.0243" not in text and "0.0176" not in text
    exact = narration.budget_reading(budget, [], grid_gk, {**did, "ganomaly": -0.018, "knn": 0.006}, rows, rows, 0.76)
    assert "it changed by -0.024 (GANomaly -0.018, kNN +0.006, over the runs both share)" in exact


def test_levelled_at_the_epoch_count_is_not_called_the_cap(tmp_path):
    methods = {"anogan": {"levelled_epoch": 15, "epochs": [{"epoch": e, "val_score": v} for e, v in
                                                          zip(range(1, 21), [200.0] * 14 + [163.7, 165.9, 164.8,
                                                                                            159.6, 150.2, 153.0])]}}
    text = narration._levelled_at_cap(methods, 15)
    assert text == ("AnoGAN's curve levelled only at epoch 15, the grid's epoch count itself, with just 5 recorded "
                    "epochs after it to check the rule. Its raw score still fell 8 % by epoch 19 (163.7 → 150.2; "
                    "153.0 at epoch 20), so it may be under-trained. ")
    # the lowest score at the last epoch: no second value
    methods["anogan"]["epochs"][-1]["val_score"] = 140.0
    assert "(163.7 → 140.0), so" in narration._levelled_at_cap(methods, 15)
    assert narration._levelled_at_cap(methods, 20) == "", "levelled before the epoch count: nothing to say"


def test_summary_asides_hedge_the_untested_auprc_order_and_the_borderline_verdict():
    aim = _paired("ganomaly", "knn", "fashion_mnist", 0, wins=3, p_adj=1.0, protocol="one_class_anomalous")
    cms = {"fashion_mnist": {"knn": _iv(0.726, 0.701, 0.751), "ganomaly": _iv(0.702, 0.659, 0.745)}}
    cms_pr = {"fashion_mnist": {"knn": _iv(0.551, 0.52, 0.58), "ganomaly": _iv(0.568, 0.53, 0.61)}}
    b = narration.headline_bullets_auroc(aim, _iv(-0.024, -0.082, 0.035, 10), cms, [aim], cms_pr=cms_pr)
    assert any(x.endswith("0.568 against kNN's 0.551 (untested, and it may not survive other seeds; Section 3).")
               for x in b), b
    border = narration.protocol_verdict_bullets("Section 6", "one class normal",
                                                [_paired("ganomaly", "autoencoder", "fashion_mnist", 1, 8, 0.039)])
    assert border[0].endswith("(8 of 10 classes, Holm-adjusted p = 0.039; borderline: it may not survive other seeds).")
    firm = narration.protocol_verdict_bullets("Section 6", "one class normal",
                                              [_paired("ganomaly", "pca", "mnist", -1, 0, 0.016)])
    assert "borderline" not in firm[0]


def test_cost_buys_points_back_to_the_verdict_when_nothing_is_significant():
    level = {"mnist": _paired("ganomaly", "knn", "mnist", 0, 3, 1.0), "fashion_mnist":
             _paired("ganomaly", "knn", "fashion_mnist", 0, 3, 1.0)}
    text = narration.cost_buys(level)
    assert text.startswith("**What the cost buys.** Not a higher AUROC than kNN's, as far as Section 4's tests show")
    assert "not distinguishable" not in text
    lower = narration.cost_buys({"mnist": _paired("ganomaly", "knn", "mnist", -1, 0)})
    assert "significantly lower than kNN on MNIST (Section 4)" in lower and "Not a higher" not in lower


def test_ablation_reading_says_equal_means_need_not_mean_equal_per_class_aurocs():
    tests = [_paired("egbad", "egbad[L_G]", "mnist", 0, 4, 1.0, "one_class_anomalous", -0.001)]
    text = narration.ablation_reading(tests, {}, alpha_vs_lg={"mnist": (0.519, 0.519)})
    assert ("Equal class means need not mean equal per-class AUROCs; the paired test (the table above) compares them "
            "class by class — no significant difference on MNIST") in text
    assert "rankings" not in text
    lcon = [_paired("ganomaly", "ganomaly[L_con]", "fashion_mnist", 0, 7, 1.0, "one_class_anomalous", 0.057)]
    assert "so not established there at this budget" in narration.ablation_reading(lcon, {})


def test_headline_hedge_says_how_many_verdicts_involve_a_failed_seed():
    text = narration.protocol_verdict_bullets("Section 6", "one class normal", NORMAL_MNIST, FAILED_N)[0]
    assert text.endswith("Hedged: small runs; 3 of the 4 involve a method with a failed seed (Section 6).")
    only = narration.protocol_verdict_bullets("Section 6", "one class normal", NORMAL_MNIST[:3], FAILED_N)[0]
    assert only.endswith("Hedged: small runs, failed seeds (Section 6).")
    assert "Hedged" not in narration.protocol_verdict_bullets("Section 6", "one class normal", NORMAL_MNIST)[0]
