"""Notebook 06 after the sixth review round: the full-size-budget family tests every other method against kNN
(PCA included, so the prose's "each method against kNN" holds), the ablation means table can follow the paired
table's order, and the figures' small fixes (headroom for cut-interval arrows, pale whiskers on the cost plot)."""

import matplotlib
import numpy as np
import pytest

from ganad_lib import comparison

matplotlib.use("Agg")


def rows_of(method, per_seed, dataset="fashion_mnist", protocol="one_class_normal"):
    """per_seed[seed] = [AUROC per class]."""
    return [{"method": method, "dataset": dataset, "protocol": protocol, "class": c, "seed": s, "auroc": float(v),
             "auprc": float(v), "git_commit": f"c{s}", "train_seconds": 1.0, "score_images_per_second": 100.0}
            for s, vals in enumerate(per_seed) for c, v in enumerate(vals)]


def test_budget_study_tests_pca_against_knn_too():
    small, full = [], []
    for m, base in (("ganomaly", 0.80), ("autoencoder", 0.82), ("pca", 0.84), ("knn", 0.86)):
        small += rows_of(m, [[base + 0.01 * c for c in range(10)]] * 2)
        full += rows_of(m, [[base + 0.01 * c + 0.002 * s for c in range(10)] for s in range(2)])
    st = comparison.budget_study(small, full, alpha=0.05)
    assert [(r.method, r.baseline) for r in st.full_tests] == [("ganomaly", "knn"), ("autoencoder", "knn"),
                                                                 ("pca", "knn")]
    assert all(r.losses == 10 and r.direction == -1 for r in st.full_tests)
    # Holm over the three tests of the family: the smallest p times three
    assert st.full_tests[0].p_adjusted == pytest.approx(3 * 2 / 2 ** 10)
    # a method absent from the full-size rows is not tested
    no_pca = comparison.budget_study(small, [r for r in full if r["method"] != "pca"])
    assert ("pca", "knn") not in {(r.method, r.baseline) for r in no_pca.full_tests}


def test_summary_table_follows_an_explicit_order():
    rows = [r for m in ("egbad", "ganomaly", "ganomaly[L_con]", "egbad[L_G]")
            for r in rows_of(m, [[0.6] * 10, [0.7] * 10], "mnist", "one_class_anomalous")]
    default = comparison.summary_table(rows, errors="ci")
    order = ["ganomaly", "ganomaly[L_con]", "egbad", "egbad[L_G]", "pca"]   # pca: not in the rows, skipped
    table = comparison.summary_table(rows, errors="ci", order=order)
    first = [line.split(" | ")[0].strip("| ") for line in table.splitlines()[2:]]
    assert first == [comparison.METHOD_LABELS.get(m, m) for m in order[:4]]
    assert [line.split(" | ")[0] for line in default.splitlines()[2:]] != [line.split(" | ")[0]
                                                                            for line in table.splitlines()[2:]]
    std = comparison.summary_table(rows, order=["egbad[L_G]", "egbad"])
    assert len(std.splitlines()) == 4 and "L_G" in std.splitlines()[2]


def test_per_class_panels_leave_room_above_the_arrows():
    rows = rows_of("knn", [[0.99] * 10, [0.5] * 10], "mnist")   # intervals cut at 1: arrowheads under the title
    axes = comparison.plot_per_class_panels(rows, ["mnist"])
    assert axes[0].title.get_text() and axes[0].titleOffsetTrans.get_matrix()[1, 2] >= 12 * 0.99 * \
        axes[0].figure.dpi / 72


def test_cost_plot_whiskers_are_thin_and_pale():
    rows = rows_of("egbad", [[0.2] * 10, [0.9] * 10], "fashion_mnist", "one_class_anomalous")
    rows += rows_of("knn", [[0.7] * 10, [0.72] * 10], "fashion_mnist", "one_class_anomalous")
    axes = comparison.plot_cost_quality(rows, datasets=("fashion_mnist",))
    bars = [c for c in axes[1].collections if len(c.get_segments())]
    assert bars and all(c.get_alpha() <= 0.3 and np.all(c.get_linewidths() <= 0.8) for c in bars)
