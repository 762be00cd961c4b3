"""Figures shared by the notebooks and the slides."""

from __future__ import annotations

import numpy as np
import torch

__all__ = ["image_grid", "show_images", "plot_losses", "class_grid"]


def image_grid(images, nrow: int = 8, pad: int = 2) -> np.ndarray:
    """Tile images (uint8 N x H x W, or float N x C x H x W in [-1, 1]) into one H x W (x 3) array in [0, 1]."""
    import torchvision.utils as vutils

    x = torch.as_tensor(images)
    if x.dtype == torch.uint8:
        x = x.float() / 255.0
        if x.dim() == 3:
            x = x.unsqueeze(1)
    else:
        x = (x.detach().float().cpu() + 1) / 2
    grid = vutils.make_grid(x.clamp(0, 1), nrow=nrow, padding=pad, pad_value=1.0)
    grid = grid.permute(1, 2, 0).numpy()
    return grid[..., 0] if grid.shape[-1] == 1 or np.allclose(grid[..., 0], grid[..., 1]) else grid


def show_images(images, nrow: int = 8, title: str | None = None, ax=None):
    """Draw an image grid on ``ax`` (a new figure when None); returns the axes."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(nrow * 0.6 + 0.5, (len(images) + nrow - 1) // nrow * 0.6 + 0.6))
    grid = image_grid(images, nrow)
    ax.imshow(grid, cmap="gray", vmin=0, vmax=1)
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return ax


def class_grid(dataset, per_class: int = 8, seed: int = 0, ax=None):
    """One row of example images per class of an :class:`~ganad_lib.data.ImageDataset`."""
    rng = np.random.default_rng(seed)
    labels = dataset.labels.numpy()
    rows = [dataset.images[rng.choice(np.flatnonzero(labels == c), per_class, replace=False)]
            for c in range(len(dataset.classes))]
    ax = show_images(torch.cat(rows), nrow=per_class, ax=ax)
    ax.set_axis_on()
    ax.set_xticks([])
    h = dataset.images.shape[-1] + 2
    ax.set_yticks([h * c + h / 2 for c in range(len(dataset.classes))], dataset.classes)
    for s in ax.spines.values():
        s.set_visible(False)
    return ax


def plot_losses(history, keys=None, per: str = "step", ax=None, smooth: int = 1):
    """Loss curves from a :class:`~ganad_lib.training.History` (moving average over ``smooth`` steps)."""
    import matplotlib.pyplot as plt

    rows = history.steps if per == "step" else history.epochs
    keys = keys or [k for k in rows[0] if k not in ("epoch", "step")]
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3))
    for k in keys:
        y = history.series(k, per)
        if smooth > 1 and len(y) >= smooth:
            y = np.convolve(y, np.ones(smooth) / smooth, mode="valid")
        ax.plot(y, label=k)
    ax.set_xlabel(per)
    ax.legend(frameon=False)
    return ax


def plot_split(split, labels, classes=None, ax=None, title=None):
    """Draw a protocol's split: for train, val and test, how many images of each class."""
    import matplotlib.pyplot as plt

    labels = np.asarray(labels)
    n_classes = int(labels.max()) + 1
    classes = classes or [str(c) for c in range(n_classes)]
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 2.2))
    parts = [("train", split.train), ("val", split.val), ("test", split.test)]
    cmap = plt.get_cmap("tab10")
    for row, (name, idx) in enumerate(parts):
        counts = np.bincount(labels[idx], minlength=n_classes)
        left = 0
        for c in range(n_classes):
            if counts[c] == 0:
                continue
            is_anomaly = (c != split.target_class) if split.protocol == "one_class_normal" else (c == split.target_class)
            ax.barh(row, counts[c], left=left, color=cmap(c % 10), edgecolor="black" if is_anomaly else "white",
                    hatch="//" if is_anomaly else None, linewidth=0.8)
            left += counts[c]
        ax.text(left, row, f"  {len(idx)}", va="center", fontsize=8)
    ax.set_yticks(range(3), [p[0] for p in parts])
    ax.invert_yaxis()
    ax.set_xlabel("images (hatched = anomaly)")
    ax.set_title(title or split.protocol.replace("_", " "))
    handles = [plt.Rectangle((0, 0), 1, 1, color=cmap(c % 10)) for c in range(n_classes)]
    ax.legend(handles, classes, ncol=5, fontsize=7, frameon=False, bbox_to_anchor=(1.0, -0.45), loc="upper right")
    return ax
