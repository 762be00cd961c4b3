"""Device choice and seeding, so that a CPU run repeats exactly."""

from __future__ import annotations

import os
import random

import numpy as np
import torch

__all__ = ["device", "seed_everything", "setup_notebook"]


def device(prefer: str | None = None) -> torch.device:
    """The best available device: ``cuda``, then ``mps`` (Apple), then ``cpu``.

    ``prefer`` (or ``$GANAD_DEVICE``) forces one, e.g. ``"cpu"`` on a GPU machine.
    """
    prefer = prefer or os.environ.get("GANAD_DEVICE") or None
    if prefer:
        return torch.device(prefer)
    if torch.cuda.is_available():
        return torch.device("cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def seed_everything(seed: int) -> None:
    """Seed Python, NumPy and PyTorch (CPU and CUDA).

    On the CPU this makes a run repeat exactly. On a GPU some kernels stay
    non-deterministic; results then agree to a few decimals only.
    """
    if not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    random.seed(int(seed))
    np.random.seed(int(seed) % (2**32))
    torch.manual_seed(int(seed))
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(int(seed))
    torch.backends.cudnn.deterministic = True
    torch.backends.cudnn.benchmark = False


def _short_warning(message, category, filename, lineno, line=None):
    return f"{category.__name__}: {message}\n"


def setup_notebook(seed: int = 0, profile=None, quiet: bool = False):
    """The first cell of every notebook: profile, device and seed, printed.

    Also shortens warnings to "Category: message" (no file paths) and sets figure defaults.
    Returns ``(profile, device)``.
    """
    import warnings

    from .profiles import get_profile

    profile = get_profile(profile) if not hasattr(profile, "name") else profile
    dev = device()
    seed_everything(seed)
    warnings.formatwarning = _short_warning
    try:
        import matplotlib as mpl

        mpl.rcParams.update({"figure.dpi": 90, "axes.spines.top": False, "axes.spines.right": False,
                             "image.cmap": "gray"})
    except ImportError:
        pass
    if not quiet:
        print(f"profile: {profile.name} | device: {dev.type} | seed: {seed} | torch {torch.__version__.split('+')[0]}")
    return profile, dev
