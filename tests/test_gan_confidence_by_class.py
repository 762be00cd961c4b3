"""benchmarks/gan_confidence_by_class.py: the truncated prior and the per-class reading, and the committed
results/cpu/pretrained_gan_variants/confidence_by_class.json against the shipped GAN's manifest."""

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest
import torch

ROOT = Path(__file__).resolve().parents[1]
PATH = ROOT / "results" / "cpu" / "pretrained_gan_variants" / "confidence_by_class.json"


def _bench():
    spec = importlib.util.spec_from_file_location("gan_confidence_by_class",
                                                  ROOT / "benchmarks" / "gan_confidence_by_class.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_truncated_normal_stays_inside_and_none_is_the_plain_prior():
    b = _bench()
    z = b.truncated_normal(500, 100, 1.0, torch.Generator().manual_seed(3))
    assert z.shape == (500, 100) and z.abs().max() <= 1.0
    assert z.std() < 0.6                                  # a N(0,1) cut at 1 has SD about 0.54
    plain = b.truncated_normal(4, 100, None, torch.Generator().manual_seed(1))
    assert torch.equal(plain, torch.randn(4, 100, generator=torch.Generator().manual_seed(1)))
    with pytest.raises(ValueError, match="positive"):
        b.truncated_normal(4, 100, 0.0, torch.Generator())


def test_per_class_counts_share_and_confidence():
    b = _bench()
    proba = np.array([[0.9, 0.1], [0.6, 0.4], [0.2, 0.8], [0.1, 0.9]])
    rows = b.per_class(proba, ("a", "b"))
    assert rows[0] == {"class": 0, "name": "a", "share": 0.5, "confident": 0.5}
    assert rows[1] == {"class": 1, "name": "b", "share": 0.5, "confident": 1.0}
    assert b.per_class(np.array([[0.9, 0.1]]), ("a", "b"))[1]["confident"] is None


def test_committed_file_matches_the_manifest():
    d = json.loads(PATH.read_text())
    m = json.loads((ROOT / "ganad_lib" / "pretrained" / "fashion_mnist_class8_gan.json").read_text())["judge"]
    untruncated = [r for r in d["truncation"] if r["t"] is None][0]
    assert untruncated["confident"] == pytest.approx(m["confident"], abs=1e-4)   # same codes, same model
    assert d["real_confident"] == pytest.approx(m["confident_real"], abs=1e-4)
    shares = sum(r["share"] for r in d["generated_per_class"])
    assert shares == pytest.approx(1.0, abs=1e-3)
