import numpy as np
import pytest
import torch

from ganad_lib.baselines import AutoencoderDetector, KNNDetector, PCADetector
from ganad_lib.detector import Detector, NotFittedError, check_detector


@pytest.mark.parametrize("make", [
    lambda: KNNDetector(k=3, device="cpu"),
    lambda: PCADetector(n_components=5, device="cpu"),
    lambda: AutoencoderDetector(nz=8, width=8, epochs=1, batch_size=16, progress=False, device="cpu"),
], ids=["knn", "pca", "autoencoder"])
def test_baselines_fulfil_the_contract(make, rng_images, tmp_path):
    train, val, test = rng_images
    check_detector(make, train, val, test, tmp_path)


class Cheater(Detector):
    """Normalises by the batch: the score of an image depends on its neighbours."""

    def _fit(self, x, x_val):
        pass

    def _score_batch(self, x):
        s = x.flatten(1).mean(1)
        return s - s.mean()


def test_contract_catches_batch_dependent_scores(rng_images, tmp_path):
    train, val, test = rng_images
    with pytest.raises(AssertionError, match="alone"):
        check_detector(lambda: Cheater(device="cpu"), train, val, test, tmp_path)


def test_knn_scores_are_distances(tmp_path):
    x = torch.zeros(4, 1, 8, 8) - 1
    x[1] += 0.5
    det = KNNDetector(k=1, image_size=8, device="cpu").fit(x)
    far = x[:1].clone() + 1.0  # every pixel 1.0 away from image 0: distance 8
    np.testing.assert_allclose(det.anomaly_score(far), [np.sqrt(64 * 0.25)])  # nearest is image 1
    np.testing.assert_allclose(det.anomaly_score(x[:1]), [0.0])


def test_clear_errors(rng_images):
    train, val, test = rng_images
    det = KNNDetector(k=3, device="cpu")
    with pytest.raises(NotFittedError, match="fit"):
        det.anomaly_score(test)
    det.fit(train)
    with pytest.raises(ValueError, match=r"1x32x32 .* got 3x32x32"):
        det.anomaly_score(torch.zeros(2, 3, 32, 32))
    with pytest.raises(ValueError, match=r"\[-1, 1\]"):
        det.anomaly_score(torch.full((2, 1, 32, 32), 3.0))
    with pytest.raises(TypeError, match="uint8"):
        det.anomaly_score(torch.zeros(2, 1, 32, 32, dtype=torch.int32))
    with pytest.raises(NotFittedError, match="threshold"):
        det.predict(test)
    det.set_threshold(val)
    assert det.predict(test).dtype == bool
    assert np.array_equal(det.score_samples(test), -det.anomaly_score(test))


def test_load_refuses_wrong_class_and_foreign_files(rng_images, tmp_path):
    train, val, _ = rng_images
    p = KNNDetector(k=3, device="cpu").fit(train, val).save(tmp_path / "knn.pt")
    assert isinstance(Detector.load(p), KNNDetector)
    with pytest.raises(ValueError, match="not a PCADetector"):
        PCADetector.load(p)
    torch.save({"weights": torch.zeros(1)}, tmp_path / "other.pt")
    with pytest.raises(ValueError, match="not a detector saved by ganad_lib"):
        Detector.load(tmp_path / "other.pt")


def test_save_is_atomic_and_keeps_old_file(rng_images, tmp_path, monkeypatch):
    train, val, _ = rng_images
    det = KNNDetector(k=3, device="cpu").fit(train, val)
    p = det.save(tmp_path / "d.pt")
    before = p.read_bytes()

    def fail(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(torch, "save", fail)
    with pytest.raises(OSError):
        det.save(p)
    assert p.read_bytes() == before
    assert [q.name for q in tmp_path.iterdir()] == ["d.pt"]
