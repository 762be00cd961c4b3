"""One training loop for every method of the course.

A method supplies a *trainer*: an object with ``modules`` (dict of ``nn.Module``),
``optimizers`` (dict of optimisers) and ``train_step(x) -> dict of float losses``. The loop
adds what every method needs and none should write twice: seeded shuffling, a tqdm
progress bar, a loss history, an atomic checkpoint per epoch, resume from the last one, and
a clear error when a loss becomes NaN or infinite.

Every epoch re-seeds the random generators from ``(seed, epoch)``. An interrupted run that
resumes from its checkpoint therefore ends with exactly the weights of an uninterrupted one
(on the CPU).
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
from tqdm.auto import tqdm

from . import checkpoints

__all__ = ["History", "train", "epoch_seed", "list_checkpoints", "load_checkpoint", "run_identity",
           "first_nonfinite"]

_CKPT = re.compile(r"^epoch_(\d{3,})\.pt$")


@dataclass
class History:
    """Losses per step and a summary per epoch (means of the step losses plus extras)."""

    steps: list[dict] = field(default_factory=list)
    epochs: list[dict] = field(default_factory=list)

    def series(self, key: str, per: str = "step") -> np.ndarray:
        rows = self.steps if per == "step" else self.epochs
        return np.array([r[key] for r in rows if key in r], dtype=float)

    def to_dict(self) -> dict:
        return {"steps": self.steps, "epochs": self.epochs}

    @classmethod
    def from_dict(cls, d: dict) -> History:
        return cls(list(d.get("steps", [])), list(d.get("epochs", [])))


def epoch_seed(seed: int, epoch: int) -> int:
    """The seed of one epoch: distinct per (seed, epoch), so resuming repeats the run."""
    return (int(seed) * 1_000_003 + int(epoch) * 7919) % (2**63 - 1)


def list_checkpoints(checkpoint_dir: str | Path) -> dict[int, Path]:
    """``{epoch: path}`` of the checkpoints in a folder (epochs counted from 1)."""
    d = Path(checkpoint_dir)
    if not d.is_dir():
        return {}
    return {int(m.group(1)): p for p in d.iterdir() if (m := _CKPT.match(p.name))}


_OPT_KEYS = ("lr", "betas", "eps", "weight_decay", "momentum", "amsgrad", "nesterov", "alpha")


def _plain(x):
    """Tuples to lists and numbers to Python numbers, so a saved key compares equal after loading."""
    if isinstance(x, dict):
        return {str(k): _plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    if isinstance(x, bool) or x is None or isinstance(x, str):
        return x
    if isinstance(x, (int, np.integer)):
        return int(x)
    if isinstance(x, (float, np.floating)):
        return float(x)
    if torch.is_tensor(x) and x.numel() == 1:
        return float(x)
    return repr(x)


def _data_fingerprint(images: torch.Tensor) -> list[float]:
    """Three sums that change when the images, or their order, change (cheap, on any device)."""
    x = images.detach().reshape(len(images), -1).double()
    per = x.mean(dim=1)
    w = torch.arange(1, len(per) + 1, dtype=torch.float64, device=per.device) / len(per)
    return [round(float(per.sum()), 6), round(float((x * x).mean()), 9), round(float((per * w).sum()), 6)]


def run_identity(trainer, images: torch.Tensor, batch_size: int, seed: int,
                 config: dict | None = None) -> dict:
    """Everything that makes two trainings the same run; a checkpoint is resumed only on a match.

    The seed, the images (count, shape and a fingerprint of their content and order), the batch
    size, the trainer's class and its ``run_config`` (losses, loss weights, k, ...: whatever a
    method declares), every optimiser's hyper-parameters (learning rates, betas, ...), every
    network's class and parameter shapes (sizes), and ``config`` from the caller (for example
    the profile).
    """
    nets = {k: [type(m).__name__, [[n, list(p.shape)] for n, p in m.state_dict().items()]]
            for k, m in trainer.modules.items()}
    opts = {k: {f"group{i}": {h: g[h] for h in _OPT_KEYS if h in g} for i, g in enumerate(o.param_groups)}
            for k, o in trainer.optimizers.items()}
    return _plain({
        "seed": int(seed), "n_images": len(images), "image_shape": list(images.shape[1:]),
        "data": _data_fingerprint(images), "batch_size": int(batch_size),
        "method": type(trainer).__name__, "settings": dict(getattr(trainer, "run_config", {}) or {}),
        "optimizers": opts, "networks": nets, "config": dict(config or {}),
    })


def _differences(saved, here, prefix: str = "") -> list[str]:
    if isinstance(saved, dict) and isinstance(here, dict):
        out = []
        for k in sorted(set(saved) | set(here), key=str):
            out += _differences(saved.get(k), here.get(k), f"{prefix}{k}.")
        return out
    if saved != here:
        name = prefix.rstrip(".") or "run"
        s, h = repr(saved), repr(here)
        return [f"{name}: {s[:80]} there, {h[:80]} here"]
    return []


def first_nonfinite(modules: dict) -> str | None:
    """The first parameter or buffer of ``{name: module}`` holding NaN or inf (as "name.tensor"), else None."""
    for name, m in modules.items():
        for k, v in list(m.named_parameters()) + list(m.named_buffers()):
            if v.is_floating_point() and not bool(torch.isfinite(v).all()):
                return f"{name}.{k}"
    return None


def _state(trainer, epoch: int, history: History, run: dict | None = None) -> dict:
    return {
        "run": run,
        "epoch": epoch,
        "modules": {k: m.state_dict() for k, m in trainer.modules.items()},
        "optimizers": {k: o.state_dict() for k, o in trainer.optimizers.items()},
        "history": history.to_dict(),
    }


def load_checkpoint(trainer, path: str | Path, run: dict | None = None) -> tuple[int, History]:
    """Load modules and optimisers from a checkpoint; returns (epoch, history).

    With ``run`` (seed, number and shape of the images, batch size), a checkpoint written by a
    different run is refused instead of silently continued.
    """
    state = checkpoints.load(path)
    saved = state.get("run")
    if run is not None and saved != run:
        diff = "; ".join(_differences(saved, run)[:8]) if isinstance(saved, dict) else \
            "it records no run settings (written by an older version)"
        raise ValueError(
            f"Checkpoint {path} was written by another run ({diff}). Resuming from it would mix two "
            f"runs: use another checkpoint_dir, or remove its epoch_*.pt files to start afresh.")
    try:
        for k, m in trainer.modules.items():
            m.load_state_dict(state["modules"][k])
        for k, o in trainer.optimizers.items():
            o.load_state_dict(state["optimizers"][k])
    except (KeyError, RuntimeError, ValueError) as err:
        raise ValueError(
            f"Checkpoint {path} does not fit this model ({type(err).__name__}: {str(err)[:200]}). "
            f"It was written by another method or configuration: use another checkpoint_dir, "
            f"or remove its epoch_*.pt files to start afresh."
        ) from err
    bad = first_nonfinite(trainer.modules)
    if bad is not None:
        raise ValueError(f"Checkpoint {path} holds non-finite values in {bad}; it cannot be resumed. "
                         f"Remove it (and later epochs) to go back to an earlier one.")
    return int(state["epoch"]), History.from_dict(state["history"])


def train(trainer, images: torch.Tensor, *, epochs: int, batch_size: int, seed: int = 0,
          checkpoint_dir: str | Path | None = None, resume: bool = True,
          keep_checkpoints: bool = True, progress: bool = True, desc: str = "train",
          epoch_end=None, device: torch.device | str | None = None,
          config: dict | None = None, lr_schedule=None) -> History:
    """Train ``trainer`` on ``images`` (float, N x C x H x W in [-1, 1], or N x D) for ``epochs``.

    ``epoch_end(epoch) -> dict`` runs after each epoch (for example the validation loss) and
    its values join that epoch's summary. With ``checkpoint_dir`` every epoch is saved
    atomically as ``epoch_NNN.pt``; with ``resume`` training continues from the newest one,
    but only when it was written by the same run (:func:`run_identity`; ``config`` adds the
    caller's own settings, e.g. the profile): any difference is refused with a message naming
    it. Starting afresh (``resume=False``) removes the folder's epoch files, so that no file of
    an earlier run is picked up later. Raises ``FloatingPointError`` naming epoch and step when
    a loss is not finite, and naming the network when a parameter or buffer is: a checkpoint is
    written only when every value in it is finite.

    ``lr_schedule(t) -> factor`` (optional), with ``t`` the epochs done so far (fractional, e.g.
    24.5 halfway through the 25th), sets every optimiser's learning rate to its initial rate
    times the factor before each step; the initial rate is kept in the optimiser's state
    (``initial_lr``, as torch's own schedulers keep it), so a resumed run continues the schedule.
    Describe the schedule in ``config``: a checkpoint cannot tell two schedules apart otherwise.
    """
    if not torch.is_tensor(images) or not images.is_floating_point() or images.dim() < 2:
        raise TypeError("images must be a float tensor (N x C x H x W for images, N x D for toy "
                        "data); use ganad_lib.data.to_tensor")
    if epochs < 0 or batch_size < 1:
        raise ValueError(f"epochs must be >= 0 and batch_size >= 1 (got {epochs}, {batch_size})")
    n = len(images)
    if n == 0:
        raise ValueError("no training images")
    dev = torch.device(device) if device is not None else next(
        iter(trainer.modules.values())).parameters().__next__().device
    images = images.to(dev)
    drop_last = n > batch_size  # a last batch of one image breaks batch norm
    steps_per_epoch = n // batch_size if drop_last else 1

    history, start = History(), 0
    run = run_identity(trainer, images, batch_size, seed, config) if checkpoint_dir is not None else None
    last_good: int | None = None  # the newest epoch whose checkpoint this run wrote or loaded
    if checkpoint_dir is not None:
        checkpoint_dir = Path(checkpoint_dir)
        found = list_checkpoints(checkpoint_dir)
        usable = [e for e in found if e <= epochs]
        if resume and usable:
            start, history = load_checkpoint(trainer, found[max(usable)], run)
            last_good = start
        elif not resume:
            for p in found.values():  # a fresh start: files of an earlier run must not be resumed
                p.unlink(missing_ok=True)

    bar = tqdm(total=epochs * steps_per_epoch, initial=start * steps_per_epoch, desc=desc,
               disable=not progress, leave=True)
    t0 = time.perf_counter()
    try:
        for epoch in range(start, epochs):
            for m in trainer.modules.values():
                m.train()
            s = epoch_seed(seed, epoch)
            torch.manual_seed(s)
            order = torch.randperm(n, generator=torch.Generator().manual_seed(s)).to(dev)
            sums: dict[str, float] = {}
            for step in range(steps_per_epoch):
                idx = order[step * batch_size:(step + 1) * batch_size]
                if lr_schedule is not None:
                    factor = float(lr_schedule(epoch + step / steps_per_epoch))
                    for o in trainer.optimizers.values():
                        for g in o.param_groups:
                            g["lr"] = g.setdefault("initial_lr", g["lr"]) * factor
                losses = trainer.train_step(images[idx])
                for k, v in losses.items():
                    v = float(v)
                    if not math.isfinite(v):
                        where = (f"; the last good checkpoint is epoch {last_good}"
                                 if last_good else "")
                        raise FloatingPointError(
                            f"Training stopped: loss '{k}' became {v} at epoch {epoch + 1}, "
                            f"step {step + 1}{where}. Lower the learning rate, check that the "
                            f"images are scaled to [-1, 1], or try another seed."
                        )
                    sums[k] = sums.get(k, 0.0) + v
                history.steps.append({"epoch": epoch + 1, "step": step + 1,
                                      **{k: float(v) for k, v in losses.items()}})
                bar.update(1)
                bar.set_postfix({k: f"{float(v):.3g}" for k, v in losses.items()}, refresh=False)
            summary = {"epoch": epoch + 1, **{k: v / steps_per_epoch for k, v in sums.items()}}
            if epoch_end is not None:
                summary.update({k: float(v) for k, v in (epoch_end(epoch + 1) or {}).items()})
            history.epochs.append(summary)
            bad = first_nonfinite(trainer.modules)
            if bad is not None:
                where = f"; the last good checkpoint is epoch {last_good}" if last_good else ""
                raise FloatingPointError(
                    f"Training stopped: {bad} holds NaN or infinite values after epoch {epoch + 1} "
                    f"(its losses were finite){where}. Lower the learning rate, check that the images "
                    f"are scaled to [-1, 1], or try another seed.")
            if checkpoint_dir is not None:
                path = checkpoint_dir / f"epoch_{epoch + 1:03d}.pt"
                checkpoints.save(_state(trainer, epoch + 1, history, run), path)
                last_good = epoch + 1
                if not keep_checkpoints:
                    for e, p in list_checkpoints(checkpoint_dir).items():
                        if e != epoch + 1:
                            p.unlink(missing_ok=True)
    finally:
        bar.close()
    if progress:   # one plain line that survives in a saved notebook, where a progress widget shows its first state
        print(f"{desc}: trained {(epochs - start) * steps_per_epoch:,} steps ({epochs - start} epoch"
              f"{'s' if epochs - start != 1 else ''}) in {time.perf_counter() - t0:.0f} s")
    return history
