"""Atomic saving and safe loading of checkpoints and result files.

A write goes to a temporary file in the same folder and is renamed over the target only
when complete, so an interrupted run never leaves a half-written file behind.
Loading uses ``weights_only=True``: a checkpoint cannot run code on load.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import torch

__all__ = ["atomic_write", "save", "load", "write_manifest", "read_manifest"]


def atomic_write(path: str | os.PathLike, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp_path)``, then rename ``tmp_path`` to ``path``.

    If ``write`` raises, the temporary file is removed and ``path`` keeps its old content.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        write(tmp_path)
        os.chmod(tmp_path, 0o644)
        with open(tmp_path, "rb") as f:  # on disk before the rename, so a crash leaves old or new
            os.fsync(f.fileno())
        os.replace(tmp_path, path)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise
    return path


def save(obj, path: str | os.PathLike) -> Path:
    """``torch.save`` made atomic."""
    return atomic_write(path, lambda tmp: torch.save(obj, tmp))


def load(path: str | os.PathLike, map_location="cpu"):
    """``torch.load(..., weights_only=True)`` with a clear error for a bad file."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"No checkpoint at {path}. Train first, or check the path.")
    try:
        return torch.load(path, map_location=map_location, weights_only=True)
    except Exception as err:  # pickle errors, truncated zip files, ...
        raise ValueError(
            f"Could not read checkpoint {path}: {err}. The file is damaged or was not written "
            f"by ganad_lib; delete it and train again."
        ) from err


def write_manifest(weights: str | os.PathLike, manifest_path: str | os.PathLike, manifest: dict) -> dict:
    """Write ``manifest`` as JSON beside a shipped weights file, with the file's SHA-256 (atomic)."""
    import hashlib
    import json

    out = {**manifest, "sha256": hashlib.sha256(Path(weights).read_bytes()).hexdigest()}
    text = json.dumps(out, indent=2) + "\n"
    atomic_write(manifest_path, lambda tmp: tmp.write_text(text))
    return out


def read_manifest(weights: str | os.PathLike, manifest_path: str | os.PathLike, what: str, rebuild: str) -> dict:
    """The manifest of a shipped weights file, after checking the file's SHA-256 against it.

    A missing, truncated or altered file is a clear error naming the file and ``rebuild``, the
    command that makes it again.
    """
    import hashlib
    import json

    weights, manifest_path = Path(weights), Path(manifest_path)
    if not weights.is_file() or not manifest_path.is_file():
        raise FileNotFoundError(f"No {what} at {weights} (with its manifest {manifest_path.name}). "
                                f"Rebuild it with `{rebuild}`.")
    manifest = json.loads(manifest_path.read_text())
    digest = hashlib.sha256(weights.read_bytes()).hexdigest()
    if digest != manifest.get("sha256"):
        raise ValueError(f"{weights} does not match its manifest (SHA-256 {digest[:12]}..., expected "
                         f"{str(manifest.get('sha256'))[:12]}...): the file is truncated or altered. "
                         f"Restore it (git checkout {weights}) or rebuild it with `{rebuild}`.")
    return manifest
