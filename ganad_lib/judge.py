"""A judge: a small classifier that measures how good a generator or a reconstruction is.

Eyeballing a grid of samples fails in two ways: blurred silhouettes look "about right", and a
generator that draws only three of nine classes looks varied. The judge is a CNN classifier
trained *with labels* on the official training split of a data set; it is a measuring
instrument, like the Inception network behind IS and FID, and **no detector ever uses it**.

What it measures (each a function below, tested on hand-made inputs):

* generated images: :func:`class_histogram` (what the judge thinks they are),
  :func:`confident_share` (share with max probability >= 0.8: a sharp, recognisable image),
  :func:`classes_covered` (how many normal classes get at least 3 % of the samples: mode
  collapse shows here), and :func:`frechet_distance` between the judge's features of generated
  and real normal images (as FID does with Inception features), reported beside the
  real-against-real distance of two disjoint sets of real images (the floor: what a perfect
  generator would get on this many images), whose draw-to-draw range :func:`floor_draws` measures,
  and :func:`way_to_real`, how far a generator has come from an untrained one towards that floor;
* reconstructions (BiGAN's G(E(x)), GANomaly's G(x), an autoencoder's):
  :func:`class_kept_share`, the share of images whose reconstruction is given the input's class.
  :func:`collapse_audit` adds chance, variety (0: one image for all, 1: as varied as the inputs),
  :func:`two_prototype_share` and merged classes, and words the verdict.

``Judge.load("fashion_mnist" | "mnist")`` loads the shipped weights (``ganad_lib/judges/``;
their manifest records test accuracy, data, command and SHA-256); ``python -m ganad_lib.judge
train --dataset fashion_mnist`` retrains one (about two minutes on 2 CPU cores).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from . import checkpoints
from .data import check_float_images, load_dataset, to_tensor

__all__ = ["JudgeNet", "Judge", "class_histogram", "confident_share", "classes_covered",
           "frechet_distance", "floor_draws", "way_to_real", "class_kept_share", "generator_report",
           "reconstruction_report", "collapse_audit", "CollapseAudit", "two_prototype_share",
           "JUDGE_DIR", "CONFIDENT"]

JUDGE_DIR = Path(__file__).resolve().parent / "judges"
#: a sample is "confident" when the judge's largest class probability is at least this
CONFIDENT = 0.8
#: a class is "covered" when it gets at least this share of the samples
MIN_CLASS_SHARE = 0.03


class JudgeNet(nn.Module):
    """Two conv blocks and a 128-unit feature layer: x (N x 1 x 32 x 32 in [-1, 1]) -> 10 logits."""

    def __init__(self, channels: int = 1, n_classes: int = 10, features: int = 128):
        super().__init__()
        self.trunk = nn.Sequential(
            nn.Conv2d(channels, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
            nn.Conv2d(32, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),  # 16
            nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(),
            nn.Conv2d(64, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),  # 8
            nn.Conv2d(64, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),  # 4
            nn.Flatten(), nn.Linear(64 * 4 * 4, features), nn.ReLU(),
        )
        self.head = nn.Sequential(nn.Dropout(0.3), nn.Linear(features, n_classes))

    def forward(self, x: torch.Tensor, features: bool = False):
        f = self.trunk(x)
        logits = self.head(f)
        return (logits, f) if features else logits


class Judge:
    """A trained :class:`JudgeNet` with its data set's class names; always used in eval mode."""

    def __init__(self, net: JudgeNet, dataset: str, classes: tuple[str, ...], manifest: dict | None = None):
        self.net, self.dataset, self.classes = net.eval(), dataset, tuple(classes)
        self.manifest = manifest or {}

    # ------------------------------------------------------------------ loading and saving
    @staticmethod
    def paths(dataset: str, folder: str | Path | None = None) -> tuple[Path, Path]:
        d = Path(folder) if folder is not None else JUDGE_DIR
        return d / f"{dataset}.pt", d / f"{dataset}.json"

    @classmethod
    def load(cls, dataset: str = "fashion_mnist", folder: str | Path | None = None) -> Judge:
        """The shipped judge of ``dataset``; its SHA-256 is checked against the manifest."""
        weights, manifest_path = cls.paths(dataset, folder)
        manifest = checkpoints.read_manifest(weights, manifest_path, f"judge for {dataset!r}",
                                             f"python -m ganad_lib.judge train --dataset {dataset}")
        state = checkpoints.load(weights)
        net = JudgeNet()
        net.load_state_dict(state["net"])
        return cls(net, dataset, tuple(state["classes"]), manifest)

    def save(self, folder: str | Path | None = None, **manifest) -> Path:
        """Weights and a manifest (with the weights' SHA-256), both written atomically."""
        weights, manifest_path = self.paths(self.dataset, folder)
        checkpoints.save({"net": self.net.state_dict(), "classes": list(self.classes)}, weights)
        self.manifest = checkpoints.write_manifest(weights, manifest_path, manifest)
        return weights

    # ------------------------------------------------------------------ measuring
    def _prepare(self, images) -> torch.Tensor:
        x = torch.as_tensor(images)
        if x.dtype == torch.uint8:
            x = to_tensor(x, 32, 1)
        if not x.is_floating_point() or x.dim() != 4 or tuple(x.shape[1:]) != (1, 32, 32):
            raise ValueError(f"the judge takes uint8 images (N x 28 x 28) or float images N x 1 x 32 x 32 "
                             f"in [-1, 1]; got {tuple(x.shape)} {x.dtype}")
        return check_float_images(x.float(), "judge input")

    @torch.no_grad()
    def logits_and_features(self, images, batch_size: int = 512) -> tuple[torch.Tensor, torch.Tensor]:
        x = self._prepare(images)
        self.net.eval()
        outs = [self.net(x[i:i + batch_size], features=True) for i in range(0, len(x), batch_size)]
        if not outs:
            return torch.zeros(0, len(self.classes)), torch.zeros(0, 128)
        return torch.cat([o[0] for o in outs]), torch.cat([o[1] for o in outs])

    def predict_proba(self, images) -> np.ndarray:
        return F.softmax(self.logits_and_features(images)[0], dim=1).double().numpy()

    def predict(self, images) -> np.ndarray:
        return self.predict_proba(images).argmax(axis=1)

    def features(self, images) -> np.ndarray:
        """The 128 features of the layer before the classifier (the judge's "Inception features")."""
        return self.logits_and_features(images)[1].double().numpy()

    def accuracy(self, images, labels) -> float:
        return float((self.predict(images) == np.asarray(labels)).mean())


# ---------------------------------------------------------------------- the measures


def class_histogram(proba: np.ndarray, n_classes: int | None = None) -> np.ndarray:
    """Share of images per predicted class (argmax of ``proba``, N x classes); sums to 1."""
    proba = np.asarray(proba, dtype=float)
    if proba.ndim != 2 or len(proba) == 0:
        raise ValueError(f"proba must be a non-empty N x classes array, got shape {proba.shape}")
    k = n_classes or proba.shape[1]
    return np.bincount(proba.argmax(axis=1), minlength=k) / len(proba)


def thumbnail_names(judge, images, threshold: float = CONFIDENT) -> tuple[int, Counter]:
    """How many of ``images`` the judge is sure of (top probability >= ``threshold``), and its best guess for each,
    counted by class name (notebook 03 reads the thumbnails of its sample grids with it)."""
    proba = judge.predict_proba(images)
    return int((proba.max(1) >= threshold).sum()), Counter(judge.classes[c] for c in proba.argmax(1))


def confident_share(proba: np.ndarray, threshold: float = CONFIDENT) -> float:
    """Share of images whose largest class probability is at least ``threshold``."""
    proba = np.asarray(proba, dtype=float)
    if proba.ndim != 2 or len(proba) == 0:
        raise ValueError(f"proba must be a non-empty N x classes array, got shape {proba.shape}")
    return float((proba.max(axis=1) >= threshold).mean())


def share_ratio_interval(share_a: float, n_a: int, share_b: float, n_b: int,
                         z: float = 1.96) -> tuple[float, float, float]:
    """(ratio, low, high): the ratio ``share_a / share_b`` of two shares measured on independent
    sets of ``n_a`` and ``n_b`` images (e.g. the confident share of samples against that of real
    images), with an approximate 95 % interval (``z`` = 1.96). The interval is the usual one for a
    ratio of two binomial proportions, computed on the log scale (Katz et al., 1978):
    se(log ratio) = sqrt((1 - p_a) / (n_a p_a) + (1 - p_b) / (n_b p_b))."""
    if not (0 < share_a <= 1 and 0 < share_b <= 1) or n_a < 1 or n_b < 1:
        raise ValueError(f"need shares in (0, 1] and set sizes >= 1, got {share_a}, {n_a}, {share_b}, {n_b}")
    ratio = share_a / share_b
    se = float(np.sqrt((1 - share_a) / (n_a * share_a) + (1 - share_b) / (n_b * share_b)))
    return float(ratio), float(ratio * np.exp(-z * se)), float(ratio * np.exp(z * se))


def classes_covered(hist: np.ndarray, classes, min_share: float = MIN_CLASS_SHARE) -> int:
    """How many of ``classes`` (e.g. the normal ones) get at least ``min_share`` of the samples."""
    hist = np.asarray(hist, dtype=float)
    return int(sum(hist[c] >= min_share for c in classes))


def frechet_distance(feats_a: np.ndarray, feats_b: np.ndarray) -> float:
    """Fréchet distance between Gaussians fitted to two feature sets (the FID formula):

        d^2 = ||mu_a - mu_b||^2 + Tr(S_a + S_b - 2 (S_a S_b)^(1/2))

    Lower is closer; it has a floor above zero for finite samples, so always report it beside
    the distance between two sets of *real* images of the same size.
    """
    from scipy import linalg

    a, b = np.asarray(feats_a, dtype=np.float64), np.asarray(feats_b, dtype=np.float64)
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[1] or len(a) < 2 or len(b) < 2:
        raise ValueError(f"need two N x D feature arrays with the same D and N >= 2, got {a.shape}, {b.shape}")
    mu_a, mu_b = a.mean(0), b.mean(0)
    s_a, s_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    import warnings

    with warnings.catch_warnings():  # sqrtm warns on singular products; handled just below
        warnings.simplefilter("ignore", RuntimeWarning)
        covmean = linalg.sqrtm(s_a @ s_b)
    if not np.isfinite(covmean).all():  # near-singular product: regularise, as the FID code does
        eps = np.eye(len(s_a)) * 1e-6
        covmean = linalg.sqrtm((s_a + eps) @ (s_b + eps))
    covmean = np.real(covmean)
    return float(((mu_a - mu_b) ** 2).sum() + np.trace(s_a) + np.trace(s_b) - 2 * np.trace(covmean))


def floor_draws(feats_real: np.ndarray, n: int, draws: int = 10, seed: int = 0) -> list[float]:
    """The real-against-real floor, ``draws`` times: each draw splits the first ``2 n`` rows of ``feats_real``
    (features of real images) at random into two disjoint sets of ``n`` and returns their Fréchet distance.

    Their range is how much one floor varies from draw to draw at this set size: a generator whose
    distance (``n`` samples against ``n`` real images) lies inside it cannot be told from real images by
    this measure."""
    f = np.asarray(feats_real, dtype=np.float64)
    if f.ndim != 2 or n < 2 or len(f) < 2 * n or draws < 1:
        raise ValueError(f"need an N x D feature array with N >= 2 n, n >= 2 and draws >= 1, got {f.shape}, n={n}, "
                         f"draws={draws}")
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(draws):
        order = rng.permutation(2 * n)
        out.append(frechet_distance(f[order[:n]], f[order[n:]]))
    return out


def way_to_real(frechet: float, frechet_untrained: float, frechet_floor: float) -> float:
    """How far a generator has come from an untrained one towards real images, counted in factors:

        log(untrained / frechet) / log(untrained / floor)

    0 at the untrained generator's distance, 1 at the floor, 0.5 when the distance is as many times
    below the untrained generator's as it is above the floor (their geometric mean). Fréchet distances
    span orders of magnitude, so factors, not differences, compare them; and the share is the same in
    d and in d² (both logs halve)."""
    if not (0 < frechet_floor < frechet_untrained) or frechet <= 0:
        raise ValueError(f"need 0 < floor < untrained and a positive distance, got {frechet}, {frechet_untrained}, "
                         f"{frechet_floor}")
    return float(np.log(frechet_untrained / frechet) / np.log(frechet_untrained / frechet_floor))


def class_kept_share(pred_inputs, pred_reconstructions) -> float:
    """Share of images whose reconstruction gets the same predicted class as the input."""
    a, b = np.asarray(pred_inputs), np.asarray(pred_reconstructions)
    if a.shape != b.shape or a.ndim != 1 or len(a) == 0:
        raise ValueError(f"need two equal, non-empty 1-D arrays of classes, got {a.shape} and {b.shape}")
    return float((a == b).mean())


def generator_report(judge: Judge, samples, real_normal, real_reference, normal_classes) -> dict:
    """Everything the judge says about generated ``samples``.

    ``real_normal`` and ``real_reference`` are two disjoint sets of real normal images: the
    samples are compared with the first, and the first with the second gives the real-against-
    real reference (use sets of the same size as ``samples``).
    """
    normal_classes = list(normal_classes)
    lg, fg = judge.logits_and_features(samples)
    lr, fr = judge.logits_and_features(real_normal)
    _, fr2 = judge.logits_and_features(real_reference)
    p_gen, p_real = F.softmax(lg, 1).double().numpy(), F.softmax(lr, 1).double().numpy()
    hist = class_histogram(p_gen, len(judge.classes))
    return {
        "n": len(p_gen),
        "histogram": hist.round(4).tolist(),
        "confident": confident_share(p_gen),
        "confident_real": confident_share(p_real),
        "classes_covered": classes_covered(hist, normal_classes),
        "n_normal_classes": len(normal_classes),
        "min_normal_share": float(min(hist[c] for c in normal_classes)),
        "frechet": frechet_distance(fg.double().numpy(), fr.double().numpy()),
        "frechet_real": frechet_distance(fr2.double().numpy(), fr.double().numpy()),
    }


def reconstruction_report(judge: Judge, images, reconstructions) -> dict:
    """The share of ``images`` whose ``reconstructions`` keep their class, and the judge's accuracy
    on the inputs themselves (the ceiling of that share is about this accuracy)."""
    pa, pb = judge.predict(images), judge.predict(reconstructions)
    return {"n": len(pa), "class_kept": class_kept_share(pa, pb)}


#: collapse_audit's thresholds (the course's rule of thumb): variety below which reconstructions are
#: one image for all (0.1) or a partial collapse (0.5); variety below which the judge sees less variety
#: than the inputs (0.8); how many times the inputs' two-prototype share reads as "a few shapes" (1.5);
#: share of an input class that must land in one other class for the two to count as merged (0.5)
COLLAPSE_THRESHOLDS = {"one_image": 0.1, "partial": 0.5, "less_varied": 0.8, "few_shapes": 1.5, "merged": 0.5}


def _mean_pairwise(f: torch.Tensor, p: float) -> float:
    """Mean distance between two different rows of ``f`` (L``p``)."""
    if len(f) < 2:
        raise ValueError("need at least two images to measure variety")
    return torch.cdist(f, f, p=p).sum().item() / (len(f) * (len(f) - 1))


def two_prototype_share(images, n: int = 500, seed: int = 0) -> float:
    """Share of the pixel variance of the first ``n`` images that two prototypes (k-means, k = 2)
    explain: high when the images fall into two tight groups (a collapse onto a few shapes).
    NaN when the images have no variance at all (one image for all)."""
    from sklearn.cluster import KMeans

    f = torch.as_tensor(images[:n]).flatten(1).double().numpy()
    total = float(((f - f.mean(0)) ** 2).sum())
    if len(f) < 3 or total <= 1e-12 * f.size:
        return float("nan")
    return float(1 - KMeans(2, n_init=10, random_state=seed).fit(f).inertia_ / total)


def _plural(name: str) -> str:
    return name.lower() + ("es" if name.endswith("s") else "s")


@dataclass
class CollapseAudit:
    """What :func:`collapse_audit` measured; each dict is keyed by the model's name (``"inputs"``
    too, for ``two_prototypes`` and ``histogram``)."""

    classes: tuple[str, ...]
    n: int                                  # images audited
    kept: dict[str, float]                  # class kept: the judge gives G(E(x)) the input's class
    chance: dict[str, float]                # class kept with each input paired with another's reconstruction
    variety: dict[str, float]               # judge-feature variety of the reconstructions over the inputs'
    pixel_variety: dict[str, float]         # the same in pixels (L1)
    two_prototypes: dict[str, float]        # two_prototype_share, inputs and each model (NaN: flat)
    histogram: dict[str, np.ndarray]        # share of the judge's classes, inputs and each model
    merged: dict[str, list[tuple[int, int, float]]] = field(default_factory=dict)   # (class, into, share)

    @property
    def models(self) -> list[str]:
        return list(self.kept)

    def top(self, name: str) -> tuple[int, float]:
        """The judge's most frequent class among ``name``'s reconstructions, and its share."""
        h = self.histogram[name]
        return int(h.argmax()), float(h.max())

    def over(self, name: str) -> float:
        """The top class's share among the reconstructions over its share among the inputs."""
        k, share = self.top(name)
        return share / max(float(self.histogram["inputs"][k]), 1e-9)

    def few_shapes(self, name: str) -> bool:
        """Two prototypes explain clearly more of the reconstructions' pixel variance than of the inputs'."""
        p = self.two_prototypes[name]
        return bool(p == p and p > COLLAPSE_THRESHOLDS["few_shapes"] * self.two_prototypes["inputs"])

    def verdict(self, name: str) -> str:
        """Both varieties and the two-prototype share in words."""
        v, px, t = self.variety[name], self.pixel_variety[name], COLLAPSE_THRESHOLDS
        if max(v, px) < t["one_image"]:
            return "one image for every input, a collapse"
        if max(v, px) < t["partial"]:
            return "a partial collapse"
        if self.few_shapes(name):
            return "a collapse onto a few shapes"
        if v < t["partial"]:
            return "blurred (the judge cannot read blur)"
        if min(v, px) < t["less_varied"]:
            return "less varied than the inputs, far from one image for all"
        return "as varied as the inputs"

    def merges(self, name: str) -> str:
        """The merged classes in words: '78% of the dresses come back as Trouser, ...' ('' if none)."""
        return ", ".join(f"{share:.0%} of the {_plural(self.classes[k])} "
                         + ("come back as " if i == 0 else "as ") + self.classes[d]
                         for i, (k, d, share) in enumerate(self.merged.get(name, [])))

    def describe(self, name: str) -> str:
        """One phrase for the main text: the collapse verdict with its variety, then the merged classes."""
        verdict, merges = self.verdict(name), self.merges(name)
        if verdict == "as varied as the inputs":
            head = f"no collapse onto one image or a few shapes (variety {self.variety[name]:.2f})"
            return head + (f", but some classes merge: {merges}" if merges else ", and no class merges into another")
        return f"{verdict} (variety {self.variety[name]:.2f})" + (f"; merged classes: {merges}" if merges else "")

    def table(self, full: bool = False) -> str:
        """Class kept, chance and variety per model; ``full`` adds pixel variety and two prototypes."""
        head = f"{'G(E(x)) of':12s} {'class kept':>10s} {'chance':>7s} {'variety':>8s}"
        if full:
            head += f" {'pixels':>7s} {'2 prototypes':>13s}"
        lines = [head + f"  (on {self.n:,} normal test images)"]
        for name in self.models:
            line = f"{name:12s} {self.kept[name]:10.1%} {self.chance[name]:7.1%} {self.variety[name]:8.2f}"
            if full:
                p = self.two_prototypes[name]
                line += f" {self.pixel_variety[name]:7.2f} " + (f"{p:13.0%}" if p == p else f"{'-':>13s}")
            lines.append(line)
        if full:
            lines.append(f"{'the inputs':12s} {'':>36s} {self.two_prototypes['inputs']:13.0%}")
        return "\n".join(lines)

    def class_table(self, names=None) -> str:
        """The judge's classes: the share of the inputs and of each model's reconstructions in each."""
        names = list(names or self.models)
        lines = [f"{'class':12s} {'inputs':>7s}" + "".join(f" {n:>12s}" for n in names)]
        for k, cname in enumerate(self.classes):
            lines.append(f"{cname:12s} {self.histogram['inputs'][k]:7.0%}"
                         + "".join(f" {self.histogram[n][k]:12.0%}" for n in names))
        return "\n".join(lines)


def collapse_audit(judge: Judge, inputs, reconstructions: dict, *, n_variety: int = 500, shuffles: int = 20,
                   seed: int = 0, min_class: int = 20) -> CollapseAudit:
    """Audit reconstructions G(E(x)) of ``inputs`` for each model in ``reconstructions`` (name ->
    images): class kept against chance (each input paired with another input's reconstruction,
    ``shuffles`` times), variety in the judge's features and in pixels over the first ``n_variety``
    images (mean distance between two reconstructions over that between two inputs: 0 = one image
    for all, 1 = as varied as the inputs), the two-prototype share, the judge's class histogram, and
    merged classes (an input class with at least ``min_class`` images whose reconstructions the
    judge mostly files under one other class)."""
    if not reconstructions:
        raise ValueError("need at least one model's reconstructions")
    classes = tuple(judge.classes)
    pred_in = judge.predict(inputs)
    f_in = torch.as_tensor(judge.features(inputs[:n_variety]))
    px_in = torch.as_tensor(inputs[:n_variety]).flatten(1).double()
    var_in, pxv_in = _mean_pairwise(f_in, 2), _mean_pairwise(px_in, 1)
    rng = np.random.default_rng(seed)
    counts_in = np.bincount(pred_in, minlength=len(classes))
    kept, chance, variety, pixel_variety, merged = {}, {}, {}, {}, {}
    protos = {"inputs": two_prototype_share(inputs, n_variety, seed)}
    hist = {"inputs": counts_in / len(pred_in)}
    for name, rec in reconstructions.items():
        if len(rec) != len(inputs):
            raise ValueError(f"{name}: {len(rec)} reconstructions for {len(inputs)} inputs")
        pred = judge.predict(rec)
        kept[name] = class_kept_share(pred_in, pred)
        chance[name] = float(np.mean([class_kept_share(pred_in, rng.permutation(pred)) for _ in range(shuffles)]))
        variety[name] = _mean_pairwise(torch.as_tensor(judge.features(rec[:n_variety])), 2) / var_in
        pixel_variety[name] = _mean_pairwise(torch.as_tensor(rec[:n_variety]).flatten(1).double(), 1) / pxv_in
        protos[name] = two_prototype_share(rec, n_variety, seed)
        hist[name] = np.bincount(pred, minlength=len(classes)) / len(pred)
        merged[name] = []
        for k in np.flatnonzero(counts_in >= min_class):
            dest = np.bincount(pred[pred_in == k], minlength=len(classes))
            if dest.argmax() != k and dest.max() > COLLAPSE_THRESHOLDS["merged"] * dest.sum():
                merged[name].append((int(k), int(dest.argmax()), float(dest.max() / dest.sum())))
    return CollapseAudit(classes, len(pred_in), kept, chance, variety, pixel_variety, protos, hist, merged)


# ---------------------------------------------------------------------- training


def train_judge(dataset: str = "fashion_mnist", *, epochs: int = 4, batch_size: int = 128, lr: float = 1e-3,
                seed: int = 0, progress: bool = True) -> tuple[Judge, dict]:
    """Train a judge on the official training split (with labels); returns it and its manifest."""
    from tqdm.auto import tqdm

    torch.manual_seed(seed)
    ds = load_dataset(dataset)
    tr, te = torch.nonzero(ds.is_train).flatten(), torch.nonzero(~ds.is_train).flatten()
    x_tr, y_tr = ds.tensor(tr), ds.labels[tr]
    x_te, y_te = ds.tensor(te), ds.labels[te]
    net = JudgeNet()
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr * 3, total_steps=epochs * (len(tr) // batch_size))
    g = torch.Generator().manual_seed(seed)
    t0 = time.perf_counter()
    for epoch in range(epochs):
        net.train()
        order = torch.randperm(len(tr), generator=g)
        bar = tqdm(range(len(tr) // batch_size), desc=f"judge {dataset} epoch {epoch + 1}", disable=not progress)
        for i in bar:
            idx = order[i * batch_size:(i + 1) * batch_size]
            xb = x_tr[idx]
            # small random shifts (up to 2 pixels) make the judge robust to slightly off-centre samples
            dx, dy = torch.randint(-2, 3, (2,), generator=g).tolist()
            xb = torch.roll(xb, shifts=(dy, dx), dims=(2, 3))
            loss = F.cross_entropy(net(xb), y_tr[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
    minutes = (time.perf_counter() - t0) / 60
    judge = Judge(net.eval(), dataset, ds.classes)
    acc = judge.accuracy(x_te, y_te.numpy())
    manifest = {
        "dataset": dataset, "data_source": ds.source, "train_images": len(tr), "test_images": len(te),
        "test_accuracy": round(acc, 4), "epochs": epochs, "batch_size": batch_size, "lr": lr, "seed": seed,
        "minutes": round(minutes, 1), "threads": torch.get_num_threads(),
        "torch_version": torch.__version__.split("+")[0],
        "command": f"python -m ganad_lib.judge train --dataset {dataset} --epochs {epochs} --seed {seed}",
        "purpose": "a measuring instrument for generated images and reconstructions; no detector uses it",
    }
    return judge, manifest


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m ganad_lib.judge", description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("train", help="train a judge on the official training split and ship it")
    t.add_argument("--dataset", default="fashion_mnist", choices=["fashion_mnist", "mnist"])
    t.add_argument("--epochs", type=int, default=4)
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--out", default=None, help=f"folder (default {JUDGE_DIR})")
    s = sub.add_parser("show", help="print a shipped judge's manifest")
    s.add_argument("--dataset", default="fashion_mnist", choices=["fashion_mnist", "mnist"])
    a = p.parse_args(argv)
    if a.cmd == "train":
        judge, manifest = train_judge(a.dataset, epochs=a.epochs, seed=a.seed)
        path = judge.save(a.out, **manifest)
        print(f"{a.dataset}: test accuracy {manifest['test_accuracy']:.4f} after {manifest['minutes']} min -> {path}")
    else:
        print(json.dumps(Judge.load(a.dataset).manifest, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
