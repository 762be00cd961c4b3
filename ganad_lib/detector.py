"""The one interface every detector of the course implements, and a check that proves it.

    det = GANomaly(image_size=32, channels=1).fit(train_images, val_images)
    scores = det.anomaly_score(test_images)   # numpy, higher = more anomalous
    det.save("ganomaly.pt"); det = GANomaly.load("ganomaly.pt")

Images are uint8 arrays or tensors (N x 28 x 28, as ``load_dataset`` gives them), converted
with the detector's own settings, or float tensors N x C x S x S in [-1, 1] prepared with
``ganad_lib.data.to_tensor``. Scores are computed in ``eval()`` mode under
``torch.no_grad()`` (AnoGAN alone enables gradients, for its latent codes only), one batch
at a time; no image's score depends on the other images of its batch.

Like scikit-learn's outlier detectors, ``score_samples`` is the negated score (higher = more
normal) and ``predict`` flags images above the threshold chosen on validation scores.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from pathlib import Path

import numpy as np
import torch
from torch import nn

from . import checkpoints
from .data import check_float_images, to_tensor
from .metrics import threshold_from_validation
from .runtime import device as default_device

__all__ = ["Detector", "NotFittedError", "check_detector"]

FORMAT = "ganad-detector-1"
_REGISTRY: dict[str, type] = {}


class NotFittedError(RuntimeError):
    """The detector was used before ``fit`` or ``load``."""


class Detector(ABC):
    """Base class: subclasses set ``name`` and implement ``_build``, ``_fit``, ``_score_batch``."""

    name = "detector"
    #: images per forward pass when scoring; does not change any score
    score_batch_size = 256

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        _REGISTRY[cls.__name__] = cls

    def __init__(self, *, image_size: int = 32, channels: int = 1, resize: str = "pad",
                 threshold_percentile: float = 95.0, device: str | None = None, **config):
        self.config = {"image_size": int(image_size), "channels": int(channels),
                       "resize": resize, "threshold_percentile": float(threshold_percentile),
                       **config}
        self.device = torch.device(device) if device else default_device()
        self.input_shape_: tuple[int, int, int] | None = None
        self.threshold_: float | None = None
        #: scores of the validation images given to ``fit`` or ``set_threshold``
        self.val_scores_: np.ndarray | None = None
        self.fit_seconds_: float | None = None
        self.threshold_seconds_: float | None = None
        self.history = None

    # --------------------------------------------------------------- for subclasses
    def _build(self) -> None:  # noqa: B027 - optional hook
        """Create the networks from ``self.config`` (called by ``fit`` and ``load``)."""

    def networks(self) -> dict[str, nn.Module]:
        """The trainable networks, by name (saved by ``save``)."""
        return {}

    def _extra_state(self) -> dict:
        """Anything else ``save`` must keep (tensors, numbers, strings, lists, dicts)."""
        return {}

    def _load_extra_state(self, state: dict) -> None:  # noqa: B027 - optional hook
        """Restore what ``_extra_state`` returned."""

    @abstractmethod
    def _fit(self, x: torch.Tensor, x_val: torch.Tensor | None) -> None:
        """Train on prepared float images."""

    @abstractmethod
    def _score_batch(self, x: torch.Tensor) -> torch.Tensor:
        """Scores (N,) of one prepared batch, in eval mode under no_grad."""

    # --------------------------------------------------------------- public API
    @property
    def expected_shape(self) -> tuple[int, int, int]:
        c = self.config
        return self.input_shape_ or (c["channels"], c["image_size"], c["image_size"])

    def prepare(self, images) -> torch.Tensor:
        """uint8 or float images -> float tensor N x C x S x S in [-1, 1], checked."""
        x = torch.as_tensor(images)
        if x.dtype == torch.uint8:
            x = to_tensor(x, self.config["image_size"], self.config["channels"], self.config["resize"])
        elif x.is_floating_point():
            if x.dim() != 4:
                raise ValueError(f"float images must be N x C x H x W, got shape {tuple(x.shape)}")
            x = check_float_images(x.float(), f"{type(self).__name__}: input")
        else:
            raise TypeError(f"images must be uint8 (0..255) or float in [-1, 1], got {x.dtype}")
        if tuple(x.shape[1:]) != self.expected_shape:
            c, s, _ = self.expected_shape
            raise ValueError(
                f"This {type(self).__name__} works on {c}x{s}x{s} images (channels x height x "
                f"width) but got {'x'.join(map(str, x.shape[1:]))}. Convert them with "
                f"ganad_lib.data.to_tensor(images, size={s}, channels={c}), or train a new "
                f"model with image_size and channels that match your data."
            )
        return x

    def fit(self, train_images, val_images=None):
        """Train on normal images; with ``val_images`` (normal) also set the threshold."""
        x = self.prepare(train_images)
        if len(x) == 0:
            raise ValueError("fit needs at least one training image")
        x_val = self.prepare(val_images) if val_images is not None else None
        self.input_shape_ = tuple(x.shape[1:])
        self.threshold_ = self.val_scores_ = None
        self.fit_seconds_ = self.threshold_seconds_ = None
        try:
            t0 = time.perf_counter()
            self._build()
            for m in self.networks().values():
                m.to(self.device)
            self._fit(x, x_val)
            self._check_finite_weights()
            #: seconds spent training (``_fit``) and scoring validation images for the threshold
            self.fit_seconds_ = time.perf_counter() - t0
            t0 = time.perf_counter()
            if x_val is not None and len(x_val):
                self.set_threshold(x_val)
            self.threshold_seconds_ = time.perf_counter() - t0
        except BaseException:
            # a detector whose training failed must not look fitted
            self.input_shape_ = self.threshold_ = self.val_scores_ = None
            raise
        return self

    def _check_finite_weights(self) -> None:
        from .training import first_nonfinite

        bad = first_nonfinite(self.networks())
        if bad is not None:
            raise FloatingPointError(f"{type(self).__name__}: training left non-finite values in {bad}. "
                                     "Lower the learning rate, check the images, or try another seed.")

    def _check_fitted(self) -> None:
        if self.input_shape_ is None:
            raise NotFittedError(f"This {type(self).__name__} is not fitted yet: call fit() or load().")

    def eval(self):
        for m in self.networks().values():
            m.eval()
        return self

    def anomaly_score(self, images, batch_size: int | None = None) -> np.ndarray:
        """One score per image (numpy float64); higher = more anomalous."""
        self._check_fitted()
        x = self.prepare(images)
        self.eval()
        bs = batch_size or self.score_batch_size
        out = []
        with torch.no_grad():
            for i in range(0, len(x), bs):
                out.append(self._score_batch(x[i:i + bs].to(self.device)).detach().double().cpu())
        return torch.cat(out).numpy() if out else np.zeros(0)

    def score_samples(self, images) -> np.ndarray:
        """scikit-learn convention: higher = more normal."""
        return -self.anomaly_score(images)

    def set_threshold(self, val_images, percentile: float | None = None) -> float:
        """Threshold = a percentile of the scores of normal validation images."""
        p = self.config["threshold_percentile"] if percentile is None else percentile
        self.val_scores_ = self.anomaly_score(val_images)
        self.threshold_ = threshold_from_validation(self.val_scores_, p)
        return self.threshold_

    def predict(self, images) -> np.ndarray:
        """True where an image is flagged as an anomaly (score above the validation threshold)."""
        if self.threshold_ is None:
            raise NotFittedError("No threshold: fit with val_images or call set_threshold(val_images).")
        return self.anomaly_score(images) > self.threshold_

    def save(self, path) -> Path:
        """Write the detector atomically (weights, settings, threshold, history)."""
        self._check_fitted()
        state = {
            "format": FORMAT,
            "class": type(self).__name__,
            "config": self.config,
            "input_shape": list(self.input_shape_),
            "threshold": self.threshold_,
            "networks": {k: m.state_dict() for k, m in self.networks().items()},
            "extra": self._extra_state(),
            "history": self.history.to_dict() if hasattr(self.history, "to_dict") else None,
        }
        return checkpoints.save(state, path)

    @classmethod
    def load(cls, path, device: str | None = None):
        """Load a saved detector (``Detector.load`` picks the right class itself)."""
        state = checkpoints.load(path)
        if not isinstance(state, dict) or state.get("format") != FORMAT:
            raise ValueError(f"{path} is not a detector saved by ganad_lib (no '{FORMAT}' marker).")
        name = state["class"]
        target = _REGISTRY.get(name)
        if target is None:
            raise ValueError(f"{path} holds a {name}, which is not defined; import its module first.")
        if cls is not Detector and not issubclass(target, cls):
            raise ValueError(f"{path} holds a {name}, not a {cls.__name__}; use {name}.load.")
        obj = target(device=device, **state["config"])
        obj.input_shape_ = tuple(state["input_shape"])
        obj.threshold_ = state["threshold"]
        obj._build()
        for k, m in obj.networks().items():
            m.load_state_dict(state["networks"][k])
            m.to(obj.device)
        obj._load_extra_state(state["extra"])
        if state.get("history") is not None:
            from .training import History

            obj.history = History.from_dict(state["history"])
        return obj.eval()


def _weights(det: Detector) -> dict[str, torch.Tensor]:
    out = {}
    for name, m in det.networks().items():
        for k, v in m.state_dict().items():
            out[f"{name}.{k}"] = v.detach().clone()
    return out


def check_detector(make, train_images, val_images, test_images, tmp_dir, *, atol: float = 1e-5,
                   rtol: float = 1e-4) -> np.ndarray:
    """Run a detector through the course's contract; raise AssertionError on the first breach.

    ``make()`` returns a fresh, unfitted detector. Checks: scores are a finite float array of
    one value per image; scoring changes no weight; an image's score does not depend on its
    batch (alone, in the whole batch, in shuffled order); a saved and reloaded detector gives
    the same scores; images of another shape are refused with a ValueError.
    Returns the test scores.
    """
    det = make()
    try:
        det.anomaly_score(test_images)
    except NotFittedError:
        pass
    else:
        raise AssertionError("an unfitted detector must raise NotFittedError")
    assert det.fit(train_images, val_images) is det, "fit must return the detector"
    before = _weights(det)
    s = det.anomaly_score(test_images)
    assert isinstance(s, np.ndarray) and s.dtype == np.float64, "scores must be a float64 numpy array"
    assert s.shape == (len(test_images),), f"one score per image expected, got shape {s.shape}"
    assert np.isfinite(s).all(), "scores must be finite"
    after = _weights(det)
    for k in before:
        assert torch.equal(before[k], after[k]), f"scoring changed the weight or buffer {k}"
    alone = np.concatenate([det.anomaly_score(test_images[i:i + 1]) for i in range(len(test_images))])
    np.testing.assert_allclose(alone, s, atol=atol, rtol=rtol,
                               err_msg="an image's score changed when scored alone")
    perm = np.random.default_rng(0).permutation(len(test_images))
    shuffled = det.anomaly_score(test_images[torch.as_tensor(perm)] if torch.is_tensor(test_images)
                                 else test_images[perm])
    np.testing.assert_allclose(shuffled, s[perm], atol=atol, rtol=rtol,
                               err_msg="scores changed when the batch was shuffled")
    path = Path(tmp_dir) / "detector.pt"
    det.save(path)
    again = Detector.load(path)
    assert type(again) is type(det)
    np.testing.assert_allclose(again.anomaly_score(test_images), s, atol=atol, rtol=rtol,
                               err_msg="a reloaded detector gives other scores")
    c, h, w = det.expected_shape
    wrong = torch.zeros(2, c + 2, h, w)
    try:
        det.anomaly_score(wrong)
    except ValueError:
        pass
    else:
        raise AssertionError("images of another channel count must be refused with ValueError")
    if det.threshold_ is not None:
        assert det.predict(test_images).dtype == bool
    return s
