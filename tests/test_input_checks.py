"""Bad input is refused with a clear error by every detector, in every method of the interface.

Issue 11: images holding NaN or infinity; issue 15: float images on the [0, 1] scale of
torchvision's ToTensor() instead of the course's [-1, 1]; a failed training leaves no detector
that looks fitted.
"""

import math

import numpy as np
import pytest
import torch

from ganad_lib.anogan import AnoGAN
from ganad_lib.baselines import AutoencoderDetector, KNNDetector, PCADetector
from ganad_lib.bigan import BiGAN
from ganad_lib.data import check_float_images, to_tensor
from ganad_lib.detector import NotFittedError
from ganad_lib.egbad import EGBAD
from ganad_lib.gan import GAN, generator_gradient_norm
from ganad_lib.ganomaly import GANomaly

S = 16
TINY = {"image_size": S, "device": "cpu"}
MAKERS = {
    "knn": lambda: KNNDetector(k=2, **TINY),
    "pca": lambda: PCADetector(n_components=3, **TINY),
    "autoencoder": lambda: AutoencoderDetector(nz=4, width=4, epochs=1, batch_size=8, progress=False, **TINY),
    "anogan": lambda: AnoGAN(nz=4, width=4, epochs=1, batch_size=8, steps=2, progress=False, **TINY),
    "egbad": lambda: EGBAD(nz=4, width=4, epochs=1, batch_size=8, progress=False, **TINY),
    "ganomaly": lambda: GANomaly(nz=4, width=4, epochs=1, batch_size=8, progress=False, **TINY),
}


def images(n, seed=0):
    g = torch.Generator().manual_seed(seed)
    return to_tensor(torch.randint(0, 256, (n, S, S), dtype=torch.uint8, generator=g), size=S)


def poisoned(n, bad, value):
    x = images(n, seed=1)
    for i in bad:
        x[i, 0, 3, 5] = value
    return x


@pytest.fixture(scope="module")
def fitted():
    """Each detector fitted once on clean images (with a threshold)."""
    return {name: make().fit(images(24), images(8, seed=2)) for name, make in MAKERS.items()}


@pytest.mark.parametrize("name", list(MAKERS))
@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf], ids=["nan", "inf", "-inf"])
def test_fit_refuses_non_finite_images_and_names_them(name, value):
    det = MAKERS[name]()
    with pytest.raises(ValueError, match=r"images 2, 5 .*NaN or infinite"):
        det.fit(poisoned(8, [2, 5], value))
    with pytest.raises(ValueError, match=r"image 1 .*NaN or infinite"):
        det.fit(images(8), poisoned(4, [1], value))
    with pytest.raises(NotFittedError):
        det.anomaly_score(images(2))


@pytest.mark.parametrize("name", list(MAKERS))
def test_scoring_refuses_non_finite_images(name, fitted):
    det = fitted[name]
    threshold = det.threshold_
    for call in (det.anomaly_score, det.score_samples, det.predict, det.set_threshold):
        with pytest.raises(ValueError, match=r"images 0, 3 .*NaN or infinite"):
            call(poisoned(4, [0, 3], math.nan))
    assert det.threshold_ == threshold, "a refused set_threshold keeps the old threshold"
    assert np.isfinite(det.anomaly_score(images(3))).all()


def test_many_bad_images_are_counted():
    x = poisoned(30, range(12), math.inf)
    with pytest.raises(ValueError, match=r"images 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, \.\.\. \(12 in all\)"):
        check_float_images(x)


@pytest.mark.parametrize("name", ["knn", "ganomaly"])
def test_unit_range_float_images_are_refused_naming_to_tensor(name, fitted):
    x01 = (images(4) + 1) / 2  # what torchvision.transforms.ToTensor() gives
    with pytest.raises(ValueError, match=r"\[0, 1\].*ToTensor.*to_tensor"):
        fitted[name].anomaly_score(x01)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        MAKERS[name]().fit(x01)
    fitted[name].anomaly_score(images(4))  # the same images on the right scale pass


def test_unit_range_check_has_no_false_alarm_on_course_images():
    x = images(6)
    assert check_float_images(x) is x
    check_float_images(torch.full((2, 1, 4, 4), -1.0))  # blank background
    check_float_images(torch.zeros(2, 1, 4, 4))  # a constant image is not ToTensor data
    with pytest.raises(ValueError, match=r"\[-1, 1\]"):
        check_float_images(x * 3)


def test_gan_and_bigan_fit_refuse_bad_images():
    gan = GAN.dcgan(image_size=S, nz=4, width=4)
    with pytest.raises(ValueError, match="NaN or infinite"):
        gan.fit(poisoned(8, [0], math.nan), epochs=1, batch_size=4, progress=False)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        gan.fit((images(8) + 1) / 2, epochs=1, batch_size=4, progress=False)
    bigan = BiGAN(image_size=S, nz=4, width=4)
    with pytest.raises(ValueError, match="NaN or infinite"):
        bigan.fit(poisoned(8, [0], math.inf), epochs=1, batch_size=4, progress=False)


class Exploding(KNNDetector):
    def _fit(self, x, x_val):
        raise FloatingPointError("training diverged")


def test_a_failed_fit_leaves_no_fitted_looking_detector(fitted):
    det = Exploding(k=2, **TINY)
    with pytest.raises(FloatingPointError):
        det.fit(images(8), images(4))
    assert det.input_shape_ is None and det.threshold_ is None
    with pytest.raises(NotFittedError):
        det.anomaly_score(images(2))
    with pytest.raises(NotFittedError):
        det.predict(images(2))


def test_fit_with_infinite_weights_fails_and_is_not_fitted():
    class InfPCA(PCADetector):
        def _fit(self, x, x_val):
            super()._fit(x, x_val)

        def networks(self):
            net = torch.nn.Linear(2, 2)
            with torch.no_grad():
                net.weight[0, 0] = math.inf
            return {"net": net}

    det = InfPCA(n_components=2, **TINY)
    with pytest.raises(FloatingPointError, match=r"net\.weight"):
        det.fit(images(8), images(4))
    with pytest.raises(NotFittedError):
        det.anomaly_score(images(2))


def test_fit_times_training_and_threshold_separately():
    det = MAKERS["anogan"]().fit(images(16), images(8, seed=2))
    assert det.fit_seconds_ > 0 and det.threshold_seconds_ > 0
    no_val = MAKERS["knn"]().fit(images(16))
    assert no_val.threshold_seconds_ < 0.05 and no_val.threshold_ is None


def test_generator_gradient_norm_leaves_batchnorm_statistics_alone():
    gan = GAN.dcgan(image_size=S, nz=4, width=4)
    gan.G.train()
    gan.D.train()
    before = {f"{n}.{k}": v.clone() for n, m in (("G", gan.G), ("D", gan.D)) for k, v in m.state_dict().items()}
    norm = generator_gradient_norm(gan.G, gan.D, torch.randn(8, 4))
    assert norm > 0
    after = {f"{n}.{k}": v for n, m in (("G", gan.G), ("D", gan.D)) for k, v in m.state_dict().items()}
    assert any("running_mean" in k for k in before), "the test needs BatchNorm layers"
    for k, v in before.items():
        assert torch.equal(v, after[k]), f"{k} changed"
    assert gan.G.training and gan.D.training, "modes are kept"
