"""benchmarks/full_gpu.py: which runs a short GPU lease does, and in what order."""

import importlib.util
from pathlib import Path

import pytest

_SPEC = importlib.util.spec_from_file_location(
    "full_gpu", Path(__file__).resolve().parents[1] / "benchmarks" / "full_gpu.py")
full_gpu = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(full_gpu)


def test_order_starts_with_the_cheap_protocol_and_seed_zero():
    runs = full_gpu.ordered_runs(["fashion_mnist", "mnist"])
    assert len(runs) == 720 and len(set(runs)) == 720  # both protocols x 6 methods x 2 data sets x 10 classes x 3 seeds
    first = runs[:60]
    assert {(r.dataset, r.protocol, r.seed) for r in first} == {("fashion_mnist", "one_class_normal", 0)}
    assert {(r.dataset, r.protocol, r.seed) for r in runs[60:120]} == {("fashion_mnist", "one_class_anomalous", 0)}
    # every seed-0 run comes before any run of another seed
    last_seed0 = max(i for i, r in enumerate(runs) if r.seed == 0)
    assert all(r.seed == 0 for r in runs[:last_seed0 + 1])
    # inside a class the slow methods start first
    assert [r.method for r in first[:6]] == list(full_gpu.METHOD_ORDER)


def test_filters_keep_only_what_was_asked():
    runs = full_gpu.ordered_runs(["fashion_mnist"], ["one_class_normal"], [1], ["ganomaly", "knn"])
    assert len(runs) == 20
    assert {(r.dataset, r.protocol, r.seed) for r in runs} == {("fashion_mnist", "one_class_normal", 1)}
    assert [r.method for r in runs[:2]] == ["ganomaly", "knn"]
    assert full_gpu.ordered_runs(["mnist"], ["one_class_normal"], [5]) == []


def test_unknown_method_is_a_clear_error():
    with pytest.raises(ValueError, match="Unknown method"):
        full_gpu.ordered_runs(["mnist"], None, None, ["bigan"])
