"""results/cpu/knn_budget.json (benchmarks/knn_budget.py): kNN with the grid's 3,000 remembered training
images, the library's cap of 10,000 and all of them, on the grid's own splits. Checks the committed file
against runs.csv and against its own runs, and recomputes one run."""

import importlib.util
import json
import warnings
from pathlib import Path

import numpy as np
import pytest

from ganad_lib import experiments

ROOT = Path(__file__).resolve().parents[1]
PATH = ROOT / "results" / "cpu" / "knn_budget.json"


def _bench():
    spec = importlib.util.spec_from_file_location("knn_budget", ROOT / "benchmarks" / "knn_budget.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def result():
    return json.loads(PATH.read_text())


def test_the_grid_memory_reproduces_every_knn_run_of_the_grid(result):
    recorded = {(r["dataset"], int(r["class"]), int(r["seed"])): float(r["auroc"])
                for r in experiments.read_runs(ROOT / "results" / "cpu" / "runs.csv")
                if r["method"] == "knn" and r["protocol"] == "one_class_anomalous"}
    assert len(result["runs"]) == 2 * 10 * 3
    for r in result["runs"]:
        assert r["grid"] == pytest.approx(recorded[(r["dataset"], r["class"], r["seed"])], abs=1e-6), r


def test_the_memories_grow_and_the_summary_is_the_mean_of_the_runs(result):
    mod = _bench()
    for d, entry in result["summary"].items():
        runs = [r for r in result["runs"] if r["dataset"] == d]
        assert {r["n_grid"] for r in runs} == {3000}
        assert min(r["n_all"] for r in runs) > max(r["n_cap"] for r in runs) >= 3000
        for m in mod.MEMORIES:
            assert entry[m]["mean"] == pytest.approx(np.mean([r[m] for r in runs]), abs=1e-4)
            assert entry[m]["low"] <= entry[m]["mean"] <= entry[m]["high"]
    assert mod.summarise(result["runs"], list(result["summary"]), result["seeds"]) == result["summary"]


def test_one_run_recomputed_matches_the_file(result):
    from ganad_lib.data import load_dataset
    from ganad_lib.profiles import get_profile

    mod = _bench()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "Full MNIST was not found": the sample is what the file used
        ds = load_dataset("mnist")
    if len(ds.labels) != 15_000:
        pytest.skip("the file was computed on the 15,000-digit MNIST the course has offline, not on full MNIST")
    r = mod.knn_aurocs(ds, "mnist", 0, 0, get_profile("cpu").for_grid())
    kept = next(x for x in result["runs"] if (x["dataset"], x["class"], x["seed"]) == ("mnist", 0, 0))
    for m in mod.MEMORIES:
        assert r[m] == pytest.approx(kept[m], abs=1e-6), m
        assert r[f"n_{m}"] == kept[f"n_{m}"]
