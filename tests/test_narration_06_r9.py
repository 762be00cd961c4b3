"""Review r9 of notebook 06: the words of the narration functions changed for it."""

from ganad_lib import narration
from ganad_lib.comparison import Interval, Paired


def _iv(mean: float, half: float) -> Interval:
    return Interval(mean, mean - half, mean + half, 3)


ROWS = [{"dataset": "mnist", "n_train": 450, "method": "knn", "protocol": "one_class_normal"}]


def test_normal_reading_splits_the_intervals_beyond_0_1_by_cause():
    anogan = [_iv(0.8, 0.1)] * 10
    anogan[2], anogan[8] = _iv(0.67, 0.37), _iv(0.74, 0.38)   # wide class by class, its seeds even
    by = {"mnist": {"egbad": [_iv(0.7, 0.35)] * 10, "anogan": anogan,
                    "pca": [_iv(0.994, 0.01), _iv(0.995, 0.01)] + [_iv(0.9, 0.02)] * 8,
                    "knn": [_iv(0.993, 0.01), _iv(0.5, 0.02)] + [_iv(0.9, 0.02)] * 8}}
    seeds = {"mnist": {"egbad": {0: 0.8, 1: 0.58, 2: 0.59}, "anogan": {0: 0.8, 1: 0.8, 2: 0.81}}}
    text = narration.normal_reading(ROWS, by, seeds, {})
    assert "The wide bars of EGBAD come from whole seeds — class means per seed" in text
    assert "not classes" not in text
    assert ("15 of the 40 intervals reach beyond [0, 1], so those whiskers end in a small black arrowhead at the axis "
            "(Section 2): not a plotting error. 10 of them are EGBAD's, from the uneven seeds; AnoGAN's digits 2 and 8 "
            "are wide class by class; PCA's digits 0 and 1 and kNN's digit 0 cross only because their means lie within "
            "0.01 of the bound.") in text
    # an uneven-seed method's interval near the bound is counted with the bound, not with the seeds
    by["mnist"]["egbad"] = [_iv(0.995, 0.01)] + [_iv(0.7, 0.35)] * 9
    text = narration.normal_reading(ROWS, by, seeds, {})
    assert "9 of them are EGBAD's (apart from EGBAD's digit 0), from the uneven seeds" in text
    assert "EGBAD's and kNN's digit 0 and PCA's digits 0 and 1 cross only because" in text


def test_normal_reading_one_edge_interval_alone_and_no_wrong_branch():
    by = {"mnist": {"egbad": [_iv(0.7, 0.1)] * 10, "pca": [_iv(0.995, 0.01)] + [_iv(0.9, 0.02)] * 9}}
    seeds = {"mnist": {"egbad": {0: 0.8, 1: 0.6, 2: 0.7}}}
    text = narration.normal_reading(ROWS, by, seeds, {})
    assert "1 of the 20 intervals reaches beyond" in text
    assert "PCA's digit 0 crosses only because its mean lies within 0.01 of the bound." in text
    assert "from the uneven seeds" not in text and "class by class" not in text
    # a wide interval whose mean is far from the bound is not blamed on the bound
    by["mnist"]["pca"][0] = _iv(0.9, 0.2)
    text = narration.normal_reading(ROWS, by, seeds, {})
    assert "PCA's digit 0 is wide class by class." in text and "within 0.01" not in text


def test_gap_change_names_the_count_behind_its_test_apart_from_ganomalys_own():
    budget = {"ganomaly": {"classes": 10, "runs": 20, "small": 0.922, "full": 0.904, "diff": -0.018, "higher": 1,
                           "p": 0.010, "p_holm": 0.059},
              "knn": {"classes": 10, "runs": 30, "small": 0.915, "full": 0.923, "diff": 0.008, "higher": 9, "p": 0.037,
                      "p_holm": 0.148}}
    rows = [{"dataset": "fashion_mnist", "n_train": 3000, "n_val": 300, "n_test": 1000, "torch_version": "2.14.1",
             "device": "cpu", "seed": 0, "method": m, "class": 0} for m in budget]
    grid_gk = Paired("ganomaly", "knn", "fashion_mnist", "one_class_normal", "auroc", 10, 5, 5, 0, 0.005, 0.0, 0.5,
                     0.625, 0.05, 0, "Holm", 0, (), ())
    text = narration.budget_reading(budget, [], grid_gk, {"mean": -0.0243, "n": 10, "p": 0.002, "fell": 10, "ganomaly": -0.0176, "knn": 0.0067},
                                    rows, rows, 0.76)
    assert ("it changed by -0.024 (GANomaly -0.018, kNN +0.007, each rounded, over the runs both share) at the full-size budget, "
            "falling on 10 of 10 classes (Wilcoxon p = 0.002).") in text
    assert "GANomaly's own AUROC (not the gap) was lower at the full-size budget on 9 of 10 classes" in text
    assert "Wilcoxon p = 0.002 over 10 classes" not in text


def _paired(method, baseline, dataset, direction, p_adj, protocol="one_class_anomalous"):
    return Paired(method, baseline, dataset, protocol, "auroc", 10, 10 if direction > 0 else 0,
                  0 if direction > 0 else 10, 0, 0.1 * direction, 0.0, 0.002, p_adj, 0.05, direction, "Holm",
                  direction, (), ())


def test_protocol_lesson_anchors_on_the_tested_reversal_and_names_the_training_size():
    cms = {d: {"knn": _iv(0.8, 0.01), "pca": _iv(0.64, 0.01), "ganomaly": _iv(0.77, 0.01)}
           for d in ("mnist", "fashion_mnist")}
    normal = {"mnist": {"knn": _iv(0.93, 0.01), "pca": _iv(0.947, 0.01), "ganomaly": _iv(0.73, 0.01)},
              "fashion_mnist": {"knn": _iv(0.915, 0.01), "pca": _iv(0.9, 0.01), "ganomaly": _iv(0.92, 0.01)}}
    tests_a = [_paired("ganomaly", "knn", "mnist", 0, 1.0), _paired("ganomaly", "pca", "mnist", 1, 0.016)]
    tests_n = [_paired("ganomaly", "pca", "mnist", -1, 0.0164, "one_class_normal")]
    rows_a = [{"dataset": "mnist", "n_train": 3000}]
    rows_n = [{"dataset": "mnist", "n_train": 450}]
    text = narration.protocol_lesson(cms, normal, tests_a, tests_n, rows_a, rows_n)
    assert text.startswith("The protocol can reverse a tested verdict: GANomaly − PCA on MNIST is significantly "
                           "positive under one class anomalous (Holm-adjusted p = 0.016, Section 4) and significantly "
                           "negative under one class normal (p = 0.016, Section 6). The change also moves a run's "
                           "training set from 3,000 to 450 images there, so it mixes protocol with training size. "
                           "The highest mean moves too:")
    assert "(orders of means, not tests; Section 6). A comparison holds for its protocol only." in text
    # the same direction under both protocols is no reversal
    same = narration.protocol_lesson(cms, normal, tests_a, [_paired("ganomaly", "pca", "mnist", 1, 0.02)])
    assert same.startswith("The protocol reorders the methods:") and "reverse" not in same


def test_headline_names_the_auprc_flip_as_untested_only_where_it_happens():
    aim = _paired("ganomaly", "knn", "fashion_mnist", 0, 1.0)
    cms = {"mnist": {"knn": Interval(0.797, 0.785, 0.810, 3), "ganomaly": Interval(0.770, 0.737, 0.802, 3)},
           "fashion_mnist": {"knn": Interval(0.726, 0.701, 0.751, 3), "ganomaly": Interval(0.702, 0.659, 0.745, 3)}}
    cms_pr = {"mnist": {"knn": Interval(0.685, 0.68, 0.69, 3), "ganomaly": Interval(0.627, 0.59, 0.66, 3)},
              "fashion_mnist": {"knn": Interval(0.551, 0.52, 0.58, 3), "ganomaly": Interval(0.568, 0.53, 0.61, 3)}}
    tests = [aim, _paired("ganomaly", "knn", "mnist", 0, 1.0)]
    iv = Interval(-0.024, -0.082, 0.035, 10)
    with_pr = narration.headline_bullets_auroc(aim, iv, cms, tests, cms_pr=cms_pr)
    assert with_pr[1].endswith("(Section 4). By AUPRC, GANomaly's mean is higher on Fashion-MNIST: 0.568 against "
                               "kNN's 0.551 (untested, and it may not survive other seeds; Section 3).")
    assert "kNN has the highest mean AUROC on both data sets (MNIST 0.797, Fashion-MNIST 0.726)" in with_pr[1]
    assert not any("AUPRC" in b for b in narration.headline_bullets_auroc(aim, iv, cms, tests))
    same = {d: {m: Interval(v.mean - 0.1, v.low - 0.1, v.high - 0.1, 3) for m, v in cm.items()} for d, cm in cms.items()}
    assert not any("AUPRC" in b for b in narration.headline_bullets_auroc(aim, iv, cms, tests, cms_pr=same))


def test_wilcoxon_mechanism_ranks_sums_and_counts_the_sign_patterns():
    import itertools

    import numpy as np
    from scipy import stats

    d = np.array([-0.039, 0.076, -0.116, -0.012, -0.104, 0.081, -0.147, 0.074, -0.025, -0.022])
    ranks = stats.rankdata(np.abs(d))
    w = ranks[d > 0].sum()
    all_w = np.array(list(itertools.product((0, 1), repeat=10))) @ ranks
    as_far = int((np.abs(all_w - 27.5) >= abs(w - 27.5) - 1e-9).sum())
    p = as_far / 1024
    assert np.isclose(p, stats.wilcoxon(d).pvalue)
    text = narration.wilcoxon_mechanism(list(ranks[d > 0]), 10, as_far, p)
    assert ("The positive ones hold ranks 5, 6 and 7, so W+ = 5 + 6 + 7 = 18 (W− = 37). With no difference each sign "
            "is a coin flip, so each of the 2^10 = 1,024 sign patterns is equally likely; 384 of them give a W+ at "
            "least as far from n(n + 1)/4 = 27.5 as 18 is, so p = 384/1,024 = 0.375.") in text
    lib = _paired("ganomaly", "knn", "fashion_mnist", 0, 1.0)
    lib = Paired(**{**lib.__dict__, "diffs": tuple(d), "pairs": tuple((c, 0) for c in range(10))})
    folded = narration.wilcoxon_by_hand(lib, 3, 0.375, text)
    assert "= 0.375.\n\n`scipy.stats.wilcoxon` on them" in folded and ".." not in folded
    assert "By hand" not in narration.wilcoxon_by_hand(lib, 3, 0.375)


def test_cost_lesson_says_whether_the_order_of_means_has_intervals_apart():
    cost = {"anogan": (47.1, 50.0), "egbad": (65.0, 3950.0), "ganomaly": (67.6, 4400.0)}
    cms = {d: {"anogan": _iv(0.59, 0.05), "egbad": _iv(0.52, 0.05), "ganomaly": _iv(0.77, 0.05)}
           for d in ("mnist", "fashion_mnist")}
    assert "than AnoGAN on both data sets (an order of means, not tested, though their intervals lie apart; Section 8)." in \
        narration.cost_lesson(cost, cms)
    cms["mnist"]["ganomaly"] = _iv(0.62, 0.1)   # still the higher mean, but the intervals overlap
    text = narration.cost_lesson(cost, cms)
    assert "than AnoGAN on both data sets (an order of means, not tested; Section 8)." in text and "apart" not in text


def test_plot_paired_differences_names_the_most_extreme_class_of_each_column():
    import matplotlib

    matplotlib.use("Agg")
    from ganad_lib import comparison

    base = _paired("ganomaly", "knn", "mnist", 0, 1.0)
    diffs = (0.1, -0.5, 0.2) + (0.0,) * 7
    by_class = Paired(**{**base.__dict__, "diffs": diffs, "pairs": tuple((c, 0) for c in range(10))})
    fm = Paired(**{**by_class.__dict__, "dataset": "fashion_mnist", "diffs": (0.0,) * 6 + (0.3,) + (0.0,) * 3})
    names = {"mnist": [str(c) for c in range(10)], "fashion_mnist": [f"c{c}" for c in range(10)]}
    ax = comparison.plot_paired_differences([by_class, fm], {}, names, n_tests=2)
    labels = [t.get_text() for t in ax.texts]
    assert labels == ["digit 1", "c6"]
    assert "Holm over 2 tests" in ax.get_title()
    matplotlib.pyplot.close("all")
