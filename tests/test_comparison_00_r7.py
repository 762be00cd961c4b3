"""Notebook 00's grid bookkeeping: comparison.seed_paired_difference and comparison.baseline_vs_gans."""

import math

import numpy as np
import pytest

from ganad_lib import comparison


def row(method, cls, seed, auroc, protocol="one_class_anomalous", dataset="fashion_mnist", sizes="s"):
    return dict(method=method, protocol=protocol, dataset=dataset, **{"class": cls}, seed=seed, auroc=auroc,
                sizes=sizes)


def test_seed_paired_difference_means_the_classes_per_seed_then_takes_a_t_interval():
    a = {(0, 0): 0.9, (1, 0): 0.7, (0, 1): 0.8, (1, 1): 0.6, (0, 2): 0.95, (1, 2): 0.75}
    b = {(0, 0): 0.8, (1, 0): 0.8, (0, 1): 0.7, (1, 1): 0.7, (0, 2): 0.7, (1, 2): 0.7}
    rows = [row("knn", c, s, v) for (c, s), v in a.items()] + [row("ganomaly", c, s, v) for (c, s), v in b.items()]
    iv = comparison.seed_paired_difference(rows, "knn", "ganomaly")
    per_seed = [np.mean([a[(c, s)] - b[(c, s)] for c in (0, 1)]) for s in (0, 1, 2)]   # 0, 0, 0.15
    expected = comparison.t_interval(per_seed)
    assert iv.n == 3 and math.isclose(iv.mean, 0.05)
    assert (iv.mean, iv.low, iv.high) == pytest.approx((expected.mean, expected.low, expected.high))
    # the opposite order flips the sign; one class alone uses that class only
    flipped = comparison.seed_paired_difference(rows, "ganomaly", "knn")
    assert flipped.mean == pytest.approx(-iv.mean) and flipped.low == pytest.approx(-iv.high)
    one = comparison.seed_paired_difference(rows, "knn", "ganomaly", cls=1)
    assert one.mean == pytest.approx(np.mean([a[(1, s)] - b[(1, s)] for s in (0, 1, 2)]))


def test_seed_paired_difference_leaves_out_seeds_one_method_lacks():
    rows = [row("knn", 0, s, 0.9) for s in (0, 1, 2)] + [row("ganomaly", 0, s, 0.8) for s in (0, 1)]
    rows += [row("knn", 1, 0, 0.5), row("ganomaly", 1, 1, 0.5)]     # class 1: seed 0 knn only, seed 1 GANomaly only
    iv = comparison.seed_paired_difference(rows, "knn", "ganomaly")
    assert iv.n == 2 and iv.mean == pytest.approx(0.1)              # seed 2 dropped; class 1 never shared
    assert comparison.seed_paired_difference(rows, "knn", "ganomaly", cls=1).n == 0
    assert comparison.seed_paired_difference(rows, "knn", "anogan").n == 0
    # other data sets' rows are ignored
    rows.append(row("knn", 0, 0, 0.1, dataset="mnist"))
    assert comparison.seed_paired_difference(rows, "knn", "ganomaly").mean == pytest.approx(0.1)


def test_seed_paired_difference_refuses_mixed_protocols_and_budgets():
    rows = [row("knn", 0, 0, 0.9), row("ganomaly", 0, 0, 0.8, protocol="one_class_normal")]
    with pytest.raises(ValueError, match="protocol"):
        comparison.seed_paired_difference(rows, "knn", "ganomaly")
    rows = [row("knn", 0, 0, 0.9), row("knn", 0, 1, 0.9, sizes="other"), row("ganomaly", 0, 0, 0.8)]
    with pytest.raises(ValueError, match="budget"):
        comparison.seed_paired_difference(rows, "knn", "ganomaly")


def _grid(protocol, values, classes=range(10), seeds=(0, 1, 2)):
    """values: {method: (base, per-seed step)}; every class gets base + step * seed + 0.001 * class."""
    return [row(m, c, s, base + step * s + 0.001 * c, protocol=protocol)
            for m, (base, step) in values.items() for c in classes for s in seeds]


def test_baseline_vs_gans_picks_the_best_gan_and_pairs_it_with_the_baseline():
    small = (_grid("one_class_anomalous", {"knn": (0.72, 0.01), "ganomaly": (0.70, 0.0), "anogan": (0.60, 0.0)})
             + _grid("one_class_normal", {"knn": (0.9, 0.0), "egbad": (0.99, 0.0)}))   # other protocol: unused
    full = (_grid("one_class_normal", {"knn": (0.92, 0.0), "ganomaly": (0.88, 0.02), "egbad": (0.95, 0.0)},
                  seeds=(0, 1))
            + _grid("one_class_normal", {"anogan": (0.99, 0.0)}, classes=(0, 1), seeds=(0,))
            + _grid("one_class_anomalous", {"pca": (0.8, 0.0)}, seeds=(0,)))
    out = comparison.baseline_vs_gans(small, full)
    assert out.best_gan == "ganomaly"                                       # not EGBAD of the other protocol
    assert out.small_diff.n == 3 and out.small_diff.mean == pytest.approx(0.03)
    assert out.small_ordered                                               # 0.02, 0.03, 0.04: excludes 0
    assert out.full_gans["one_class_normal"] == ["egbad", "ganomaly"]      # AnoGAN ran 2 classes: left out
    assert out.full_gan == "egbad" and out.full_diff.n == 2 and out.full_diff.mean == pytest.approx(-0.03)
    assert out.full_gans["one_class_anomalous"] == []
    assert out.methods == ("anogan", "ganomaly", "knn", "pca", "egbad")    # the small grid's, then the others
    assert out.full["one_class_normal"]["egbad"].mean == pytest.approx(0.9545)
    assert out.full_cell("one_class_normal", "egbad") == f"{out.full['one_class_normal']['egbad'].mean:.3f} (2 seeds)"
    assert out.full_cell("one_class_normal", "anogan") == "2 of 10 classes (1 seed)"
    assert out.full_cell("one_class_anomalous", "pca") == f"{out.full['one_class_anomalous']['pca'].mean:.3f} (1 seed)"
    assert out.full_cell("one_class_anomalous", "knn") == "—"


def test_baseline_vs_gans_without_a_full_grid_or_a_pair():
    small = _grid("one_class_anomalous", {"knn": (0.7, 0.0), "egbad": (0.72, 0.0)}, seeds=(0,))
    out = comparison.baseline_vs_gans(small, [])
    assert out.best_gan == "egbad" and out.small_diff.n == 1 and not out.small_ordered   # one seed: no interval
    assert out.full_gan is None and out.full_diff is None and not out.full_ordered
    assert out.full_gans == {"one_class_anomalous": [], "one_class_normal": []}
    assert out.full_cell("one_class_normal", "knn") == "—"
    # a full-size GAN run without the baseline beside it: no pair
    full = _grid("one_class_normal", {"ganomaly": (0.9, 0.0)})
    out = comparison.baseline_vs_gans(small, full)
    assert out.full_gan == "ganomaly" and out.full_diff is None
