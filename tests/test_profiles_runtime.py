import numpy as np
import pytest
import torch

from ganad_lib import get_profile, seed_everything
from ganad_lib.profiles import PROFILES
from ganad_lib.runtime import device


def test_profile_from_environment(monkeypatch):
    monkeypatch.setenv("GANAD_PROFILE", "cpu")
    assert get_profile().name == "cpu"
    monkeypatch.setenv("GANAD_PROFILE", "SMOKE")
    assert get_profile().name == "smoke"
    monkeypatch.delenv("GANAD_PROFILE")
    assert get_profile().name == ("full" if torch.cuda.is_available() else "cpu")


def test_unknown_profile_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("GANAD_PROFILE", "fast")
    with pytest.raises(ValueError, match=r"Unknown profile 'fast'.*smoke"):
        get_profile()


def test_profiles_grow_from_smoke_to_full():
    s, c, f = PROFILES["smoke"], PROFILES["cpu"], PROFILES["full"]
    assert s.max_train < c.max_train and f.max_train is None
    assert s.epochs <= c.epochs <= f.epochs and s.width <= c.width <= f.width
    assert s.search_steps < c.search_steps < f.search_steps
    assert f.epochs == 15 and f.nz == 100 and f.batch_size == 64  # GANomaly's settings (docs/references.md)


def test_seed_everything_repeats():
    seed_everything(7)
    a = (np.random.rand(3), torch.rand(3))
    seed_everything(7)
    b = (np.random.rand(3), torch.rand(3))
    assert np.array_equal(a[0], b[0]) and torch.equal(a[1], b[1])
    with pytest.raises(ValueError):
        seed_everything(-1)


def test_device(monkeypatch):
    monkeypatch.setenv("GANAD_DEVICE", "cpu")
    assert device().type == "cpu"
    monkeypatch.delenv("GANAD_DEVICE")
    assert device().type in ("cpu", "cuda", "mps")


def test_cpu_grid_trains_as_long_as_the_measured_validation_curves_ask():
    """The grid's epochs come from benchmarks/grid_budget.py (validation curves only): keep them in step."""
    import json
    from pathlib import Path

    budget = json.loads((Path(__file__).resolve().parents[1] / "results" / "cpu" / "grid_budget.json").read_text())
    from ganad_lib.experiments import levelled_epoch

    levelled = {m: levelled_epoch([e["val_score"] for e in r["epochs"]]) for m, r in budget["methods"].items()}
    assert set(levelled) == {"anogan", "egbad", "ganomaly"}
    assert budget["grid_epochs"] == max(levelled.values())
    assert get_profile("cpu").for_grid().epochs == budget["grid_epochs"]
