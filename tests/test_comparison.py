import csv

import numpy as np
import pytest

from ganad_lib import comparison
from ganad_lib.experiments import COLUMNS


def write(path, rows):
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS)
        w.writeheader()
        for r in rows:
            full = {k: "0" for k in COLUMNS}
            full.update({"protocol": "one_class_anomalous", "profile": "cpu", "device": "cpu",
                         "torch_version": "2", "data_source": "x", "git_commit": "y",
                         "score_images_per_second": "100"})
            full.update(r)
            w.writerow(full)


@pytest.fixture
def rows(tmp_path):
    p = tmp_path / "runs.csv"
    write(p, [
        {"method": "knn", "dataset": "mnist", "class": 0, "seed": 0, "auroc": 0.9},
        {"method": "knn", "dataset": "mnist", "class": 1, "seed": 0, "auroc": 0.7},
        {"method": "knn", "dataset": "mnist", "class": 0, "seed": 1, "auroc": 0.8},
        {"method": "knn", "dataset": "mnist", "class": 1, "seed": 1, "auroc": 0.6},
        {"method": "ganomaly", "dataset": "mnist", "class": 0, "seed": 0, "auroc": 0.5},
    ])
    return comparison.load_runs(p)


def test_summary_is_mean_over_classes_then_over_seeds(rows):
    s = comparison.summary(rows)
    # seed 0: (0.9 + 0.7) / 2 = 0.8; seed 1: (0.8 + 0.6) / 2 = 0.7 -> 0.75 +- 0.05
    assert s[("knn", "mnist")]["mean"] == pytest.approx(0.75)
    assert s[("knn", "mnist")]["std"] == pytest.approx(0.05)
    assert s[("knn", "mnist")]["n_classes"] == 2 and s[("knn", "mnist")]["n_seeds"] == 2


def test_per_class_means_and_missing_classes(rows):
    pc = comparison.per_class(rows, "mnist")
    assert list(pc) == ["ganomaly", "knn"], "methods in the course's order"
    means, stds = pc["knn"]
    assert means[0] == pytest.approx(0.85) and means[1] == pytest.approx(0.65)
    assert stds[0] == pytest.approx(0.05) and np.isnan(means[5])


def test_gan_vs_baseline_compares_the_best_gan_with_the_baseline(rows):
    v = comparison.gan_vs_baseline(rows, "mnist")
    # GANomaly's only run (class 0, seed 0): 0.5, against kNN on that same run: 0.9
    assert v["gan"] == "ganomaly" and v["gan_mean"] == pytest.approx(0.5)
    assert v["baseline_mean"] == pytest.approx(0.9) and v["beats"] is False
    assert "does **not** beat kNN (0.900)" in comparison.verdict(rows, "mnist")
    better = rows + [dict(rows[-1], method="egbad", auroc=0.95)]
    v = comparison.gan_vs_baseline(better, "mnist")
    assert v["gan"] == "egbad" and v["beats"] is True
    assert "EGBAD (0.950), beats kNN (0.900)" in comparison.verdict(better, "mnist")
    # only the runs GANomaly shares with kNN count: class 0, seed 0 -> kNN 0.9, not its mean 0.75
    shared = comparison.gan_vs_baseline(rows, "mnist")
    assert shared["runs"] == 1
    assert comparison.gan_vs_baseline(rows, "fashion_mnist") is None
    assert "no GAN method" in comparison.verdict(rows, "fashion_mnist")


def test_table_and_plots(rows):
    table = comparison.summary_table(rows)
    assert "| kNN | 0.750 ± 0.050 (2 cl., 2 seeds) | — |" in table
    import matplotlib

    matplotlib.use("Agg")
    assert comparison.plot_per_class(rows, "mnist") is not None
    assert comparison.plot_cost(rows) is not None
    assert comparison.plot_summary(rows) is not None


def test_missing_results_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="ganad_lib.experiments"):
        comparison.load_runs(tmp_path / "none.csv")
