"""Review r11 of notebook 06: the Summary's protocol lesson names the two tops, the paired figure's reading says
what it shows, and the thread count joins the seed as a cause."""

from ganad_lib import narration
from ganad_lib.comparison import Interval, Paired


def _iv(mean: float, half: float = 0.01) -> Interval:
    return Interval(mean, mean - half, mean + half, 3)


def _paired(method, baseline, dataset, direction, wins=10, p=0.002, p_adj=0.016, n=10, protocol="one_class_anomalous"):
    return Paired(method, baseline, dataset, protocol, "auroc", n, wins, n - wins, 0, 0.1, 0.0, p, p_adj, 0.05,
                  direction, "Holm", direction or 1, (), ())


CMS = {"mnist": {"knn": _iv(0.797), "pca": _iv(0.636), "ganomaly": _iv(0.770)},
       "fashion_mnist": {"knn": _iv(0.726), "pca": _iv(0.670), "ganomaly": _iv(0.702)}}
NORMAL = {"mnist": {"knn": _iv(0.934), "pca": _iv(0.947), "ganomaly": _iv(0.726)},
          "fashion_mnist": {"knn": _iv(0.915), "pca": _iv(0.899), "ganomaly": _iv(0.920)}}


def test_protocol_lesson_keeps_its_parenthesis_short():
    # review r12, SHOULD 7: the leads of the two tops were cut to "(orders of means, not tests; Section 6)"
    tests_a = [_paired("ganomaly", "knn", "fashion_mnist", 0, wins=3, p=0.38, p_adj=1.0)]
    tests_n = [_paired("ganomaly", "knn", "fashion_mnist", 0, wins=4, p=0.62, p_adj=0.62, protocol="one_class_normal")]
    text = narration.protocol_lesson(CMS, NORMAL, tests_a, tests_n)
    assert ("the highest mean AUROC is kNN on both data sets under one class anomalous, PCA on MNIST and GANomaly on "
            "Fashion-MNIST under one class normal (orders of means, not tests; Section 6).") in text
    assert "leads" not in text and "neither gap" not in text


def test_paired_figure_reading_says_what_the_coloured_column_and_the_holm_gap_show():
    sig = _paired("ganomaly", "pca", "mnist", 1)
    holm_gap = _paired("ganomaly", "autoencoder", "mnist", 0, wins=8, p=0.01953, p_adj=0.137)
    flat = _paired("ganomaly", "knn", "mnist", 0, wins=3, p=0.32, p_adj=1.0)
    ivs = {("ganomaly", "pca", "mnist"): Interval(0.133, 0.052, 0.214, 10),
           ("ganomaly", "autoencoder", "mnist"): Interval(0.123, 0.003, 0.243, 10),
           ("ganomaly", "knn", "mnist"): Interval(-0.028, -0.089, 0.034, 10)}
    text = narration.paired_figure_reading([sig, holm_gap, flat], ivs)
    assert ("In GANomaly − PCA on MNIST, 10 of the 10 large dots lie above zero: with this few classes a verdict "
            "needs nearly every class on one side (Section 4).") in text
    assert ("In GANomaly − Autoencoder on MNIST the mean's t-interval, [+0.003, +0.243], excludes 0, yet 2 of the 10 "
            "large dots lie below zero (raw p = 0.02, Holm-adjusted 0.14): unadjusted, the interval and the test "
            "agree; Holm's adjustment for the family is what removes the verdict.") in text
    assert "GANomaly − kNN on MNIST the mean" not in text, "its interval contains 0"
    # a raw p above the level: the ranks, not Holm, part the test from the interval
    ranks = _paired("ganomaly", "autoencoder", "mnist", 0, wins=8, p=0.08, p_adj=0.5)
    text = narration.paired_figure_reading([ranks], ivs)
    assert "the rank-based test weighs every class alike" in text and "Holm's adjustment" not in text
    # without intervals: only the lead and the coloured columns, as before
    plain = narration.paired_figure_reading([sig, holm_gap])
    assert "t-interval" not in plain and "10 of the 10 large dots lie above zero" in plain


def test_provenance_leaves_the_thread_count_to_the_appendix():
    line = {"method": "knn", "dataset": "mnist", "protocol": "one_class_anomalous", "class": "0", "seed": "0",
            "row": "300", "threads": "1", "git_commit_then": "a", "auroc_then": "0.9", "git_commit_now": "c",
            "auroc_now": "0.9"}
    moved = narration.provenance_short([line])
    # round 13: the opening names no thread counts (undefined there); the Appendix gives them
    assert "thread" not in moved
    assert moved.endswith("so code changes did not move these numbers.")
