"""The two evaluation protocols of the literature, with a validation split that holds no anomaly.

* :func:`one_class_anomalous` -- GANomaly / EGBAD ("leave one class out"): one class is the
  anomaly, the nine others are normal.
* :func:`one_class_normal` -- Deep SVDD: one class is normal, the nine others are anomalies.

Results under one protocol cannot be compared with results under the other: the share of
anomalies in the test set differs (about 1/3 against about 9/10 on MNIST), and AUPRC moves
with that share.

Both return a :class:`Split`. ``val`` holds only normal images carved out of the training
part: model selection, score normalisation and thresholds may use it. The test labels are
for the final evaluation alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Split", "one_class_anomalous", "one_class_normal", "PROTOCOLS", "make_split"]


@dataclass(frozen=True)
class Split:
    """Index arrays into a data set, plus which test images are anomalies."""

    protocol: str
    target_class: int
    train: np.ndarray
    val: np.ndarray
    test: np.ndarray
    test_is_anomaly: np.ndarray

    def __post_init__(self):
        if len(self.test) != len(self.test_is_anomaly):
            raise ValueError("test and test_is_anomaly must have the same length")

    def summary(self) -> str:
        a = int(self.test_is_anomaly.sum())
        return (f"{self.protocol} (class {self.target_class}): train {len(self.train)}, "
                f"val {len(self.val)}, test {len(self.test)} ({a} anomalies, "
                f"{a / max(len(self.test), 1):.0%})")


def _labels(labels) -> np.ndarray:
    y = np.asarray(labels)
    if y.ndim != 1:
        raise ValueError(f"labels must be one-dimensional, got shape {y.shape}")
    return y.astype(np.int64)


def _check_class(y: np.ndarray, c: int, role: str) -> int:
    if not isinstance(c, (int, np.integer)) or int(c) not in set(np.unique(y).tolist()):
        raise ValueError(f"{role} class {c!r} does not occur in the labels "
                         f"(classes present: {sorted(set(np.unique(y).tolist()))}).")
    return int(c)


def _carve_val(train: np.ndarray, val_fraction: float, max_val: int | None) -> tuple[np.ndarray, np.ndarray]:
    if not 0.0 <= val_fraction < 1.0:
        raise ValueError(f"val_fraction must be in [0, 1), got {val_fraction}")
    n_val = int(round(len(train) * val_fraction))
    if max_val is not None:
        n_val = min(n_val, max_val)
    return train[n_val:], train[:n_val]


def _subsample_test(rng, test, is_anomaly, max_test):
    """Keep at most ``max_test`` test images, keeping the share of anomalies."""
    if max_test is None or len(test) <= max_test:
        return test, is_anomaly
    n_anom = int(round(max_test * is_anomaly.mean()))
    anom = rng.permutation(np.flatnonzero(is_anomaly))[:n_anom]
    norm = rng.permutation(np.flatnonzero(~is_anomaly))[:max_test - n_anom]
    keep = np.sort(np.concatenate([anom, norm]))
    return test[keep], is_anomaly[keep]


def one_class_anomalous(labels, abnormal_class: int, seed: int, *, train_fraction: float = 0.8,
                        val_fraction: float = 0.1, max_train: int | None = None,
                        max_val: int | None = None, max_test: int | None = None) -> Split:
    """GANomaly / EGBAD protocol: ``abnormal_class`` is the anomaly.

    Normal images are pooled from both official splits and shuffled with ``seed``;
    ``train_fraction`` (80 %) of them are for training, and ``val_fraction`` of that part
    is held out as normal-only validation data. The test set is the other 20 % of normal
    images plus every image of the abnormal class. ``max_*`` subsample for small profiles.
    """
    y = _labels(labels)
    c = _check_class(y, abnormal_class, "abnormal")
    if not 0.0 < train_fraction < 1.0:
        raise ValueError(f"train_fraction must be in (0, 1), got {train_fraction}")
    rng = np.random.default_rng(seed)
    normal = rng.permutation(np.flatnonzero(y != c))
    n_train = int(round(len(normal) * train_fraction))
    train, val = _carve_val(normal[:n_train], val_fraction, max_val)
    if max_train is not None:
        train = train[:max_train]
    test = np.concatenate([normal[n_train:], np.flatnonzero(y == c)])
    is_anomaly = np.concatenate([np.zeros(len(normal) - n_train, bool), np.ones(int((y == c).sum()), bool)])
    order = rng.permutation(len(test))
    test, is_anomaly = _subsample_test(rng, test[order], is_anomaly[order], max_test)
    return Split("one_class_anomalous", c, train, val, test, is_anomaly)


def one_class_normal(labels, is_train, normal_class: int, seed: int, *, val_fraction: float = 0.1,
                     max_train: int | None = None, max_val: int | None = None,
                     max_test: int | None = None) -> Split:
    """Deep SVDD protocol: ``normal_class`` is normal, every other class is an anomaly.

    Training uses the official train split of that class (shuffled with ``seed``;
    ``val_fraction`` of it is held out for validation). The test set is the whole official
    test split.
    """
    y = _labels(labels)
    t = np.asarray(is_train, dtype=bool)
    if t.shape != y.shape:
        raise ValueError(f"is_train has shape {t.shape} but labels have {y.shape}")
    c = _check_class(y, normal_class, "normal")
    rng = np.random.default_rng(seed)
    train_all = rng.permutation(np.flatnonzero(t & (y == c)))
    if len(train_all) == 0:
        raise ValueError(f"class {c} has no image in the official train split")
    train, val = _carve_val(train_all, val_fraction, max_val)
    if max_train is not None:
        train = train[:max_train]
    test = np.flatnonzero(~t)
    if len(test) == 0:
        raise ValueError("the data set has no official test split (is_train is all True)")
    test = rng.permutation(test)
    test, is_anomaly = _subsample_test(rng, test, y[test] != c, max_test)
    return Split("one_class_normal", c, train, val, test, is_anomaly)


PROTOCOLS = {"one_class_anomalous": one_class_anomalous, "one_class_normal": one_class_normal}


def make_split(protocol: str, dataset, target_class: int, seed: int, profile=None, **kwargs) -> Split:
    """Build ``protocol``'s split for an :class:`~ganad_lib.data.ImageDataset`, sized by ``profile``."""
    if protocol not in PROTOCOLS:
        raise ValueError(f"Unknown protocol {protocol!r}. Choose one of {sorted(PROTOCOLS)}.")
    if profile is not None:
        kwargs = {"max_train": profile.max_train, "max_val": profile.max_val,
                  "max_test": profile.max_test, **kwargs}
    labels = dataset.labels.numpy()
    if protocol == "one_class_anomalous":
        return one_class_anomalous(labels, target_class, seed, **kwargs)
    return one_class_normal(labels, dataset.is_train.numpy(), target_class, seed, **kwargs)
