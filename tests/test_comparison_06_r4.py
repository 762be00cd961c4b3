"""Notebook 06's plumbing moved into ``ganad_lib.comparison`` in the fourth review round: loading the grid, the
statistics of the other protocol (Section 6), the budget study and its slope chart (Section 9)."""

from types import SimpleNamespace

import matplotlib
import numpy as np
import pytest

from ganad_lib import comparison

matplotlib.use("Agg")


def rows_of(method, per_seed, dataset="mnist", protocol="one_class_normal"):
    """per_seed[seed] = [AUROC per class]."""
    return [{"method": method, "dataset": dataset, "protocol": protocol, "class": c, "seed": s, "auroc": float(v),
             "auprc": float(v), "git_commit": f"c{s}"} for s, vals in enumerate(per_seed) for c, v in enumerate(vals)]


def test_course_grid_reads_the_committed_cpu_grid_and_describes_it():
    g = comparison.course_grid(SimpleNamespace(name="cpu"))
    assert g.source == "results/cpu/runs.csv" and g.planned is None
    assert set(g.by_protocol) == {"one_class_anomalous", "one_class_normal"}
    assert {r["protocol"] for r in g.rows} == {"one_class_anomalous"} and len(g.rows) == len(g.by_protocol[g.protocol])
    assert g.methods == comparison.METHOD_ORDER and g.datasets == ["mnist", "fashion_mnist"]
    # the re-run at one commit, split by thread count: every re-run row with a value lands on exactly one side
    done = [x for x in g.repro if x["auroc_now"]]
    assert len(g.own_repro) + len(g.other_threads) == len(done) and len(g.thread_moved) == len(g.other_threads)
    text = g.describe()
    assert text.startswith(f"{len(g.all_rows)} runs from results/cpu/runs.csv\nprotocols: one_class_anomalous (")
    assert "methods: AnoGAN, EGBAD, GANomaly, Autoencoder, PCA, kNN" in text and "\nFashion-MNIST: classes [0, 1" in text
    assert "/" not in text.split("source: ")[1].split("\n")[0].split("(")[-1] or "(/" not in text   # no machine path


def test_course_grid_falls_back_to_cpu_when_the_full_rows_lack_a_method():
    # results/full holds no GAN run under one class anomalous, so the grid read is the cpu one
    g = comparison.course_grid(SimpleNamespace(name="full"))
    assert g.csv_path.parent.name == "cpu" and g.source == "results/cpu/runs.csv"


def _normal_grid():
    """Ten classes, three seeds: kNN steady at 0.9; GANomaly at 0.8 except seed 2, which failed (0.5)."""
    rows = rows_of("knn", [[0.9 + 0.001 * c for c in range(10)]] * 3)
    rows += rows_of("ganomaly", [[0.8] * 10, [0.81] * 10, [0.5] * 10])
    rows += rows_of("pca", [[0.7 + 0.01 * c for c in range(10)]] * 3)
    return rows


def test_other_protocol_finds_the_failed_seed_and_checks_the_verdicts_without_it():
    o = comparison.other_protocol(_normal_grid(), reruns=[], alpha=0.05)
    assert o.datasets == ["mnist"]
    assert [(m, s) for m, s, _, _ in o.failed["mnist"]] == [("ganomaly", 2)]
    assert o.class_means["mnist"]["knn"].mean == pytest.approx(0.9045)
    res = {(r.method, r.baseline): r for r in o.tests if r.n}
    assert res[("ganomaly", "knn")].direction == -1 and res[("ganomaly", "knn")].losses == 10
    h = o.hedges["mnist"]
    # both verdicts involve GANomaly, which lost a seed: without it kNN stays above, but PCA (0.745 on average) no
    # longer beats GANomaly's 0.805
    assert h["drop"] == {("ganomaly", 2)} and len(h["tested"]) == 2 and h["untested"] == [] and h["kept"] == 1
    assert h["again"][("ganomaly", "pca")].direction == 1
    assert h["again"][("ganomaly", "knn")].mean_diff == pytest.approx(0.805 - 0.9045)
    assert set(o.evidence) == {"mnist"} and set(o.evidence["mnist"]["steady"]) == {"pca", "knn"}
    assert comparison.other_protocol([]).tests == [] and comparison.other_protocol([]).failed == {}


def test_budget_study_pairs_the_same_settings_and_tests_the_change():
    fm = "fashion_mnist"
    small = rows_of("ganomaly", [[0.80 + 0.01 * c for c in range(10)]] * 3, fm)
    small += rows_of("knn", [[0.85 + 0.01 * c for c in range(10)]] * 3, fm)
    small += rows_of("knn", [[0.1] * 10] * 2, "mnist")                     # another data set: ignored
    full = rows_of("ganomaly", [[0.83 + 0.01 * c + 0.001 * s for c in range(10)] for s in range(2)], fm)
    full += rows_of("knn", [[0.85 + 0.01 * c for c in range(10)]] * 2, fm)
    st = comparison.budget_study(small, full, alpha=0.05)
    g, k = st.effects["ganomaly"], st.effects["knn"]
    assert g["classes"] == 10 and g["runs"] == 20 and g["higher"] == 10     # only seeds 0 and 1 ran at both budgets
    assert g["diff"] == pytest.approx(0.0305) and g["p"] == pytest.approx(2 / 2 ** 10)
    assert k["diff"] == pytest.approx(0.0) and k["p"] == 1.0 and k["p_holm"] == 1.0
    assert g["p_holm"] == pytest.approx(2 * 2 / 2 ** 10)                    # Holm over the two methods
    assert [(r.method, r.baseline) for r in st.full_tests] == [("ganomaly", "knn")]
    assert st.full_tests[0].wins == 0 and st.full_tests[0].losses == 10
    assert st.change["mean"] == pytest.approx(0.0305) and st.change["n"] == 10 and st.change["seeds"] == [0, 1]
    # nothing shared: no effect, no change
    empty = comparison.budget_study(small, [])
    assert empty.effects == {} and empty.full_tests == [] and empty.change is None


def test_plots_draw_one_line_per_method_and_one_panel_per_data_set():
    import matplotlib.pyplot as plt
    effects = {"ganomaly": {"small": 0.92, "full": 0.90}, "knn": {"small": 0.915, "full": 0.923}}
    ax = comparison.plot_budget(effects, "grid", "full")
    assert len(ax.lines) == 2 and [t.get_text() for t in ax.get_xticklabels()] == ["grid", "full"]
    assert np.allclose(ax.lines[0].get_ydata(), [0.92, 0.90])
    axes = comparison.plot_per_class_panels(_normal_grid() + rows_of("knn", [[0.9] * 10] * 2, "fashion_mnist"),
                                            ["mnist", "fashion_mnist"], {"mnist": [str(c) for c in range(10)]})
    assert len(axes) == 2
    plt.close("all")
