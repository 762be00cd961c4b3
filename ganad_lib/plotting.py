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
    for row, (_name, idx) in enumerate(parts):
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


# ----------------------------------------------------------------------------- notebooks 01-02: GAN, BiGAN

__all__ += ["plot_decision_surface", "plot_generator_losses", "plot_gradient_norms", "show_image_rows",
            "plot_embedding"]


def plot_decision_surface(D, real, fake, ax=None, *, lim: float | None = None, resolution: int = 120,
                          title: str | None = None, colorbar: bool = False, max_points: int = 1000):
    """D's verdict D(x) = sigmoid(logit) over the plane, with real points (black) and G's samples
    (orange) on top: where D says "real", G's samples are pulled. 2-D data only.

    ``D`` maps N x 2 points to logits; it runs in eval mode without gradients (its mode is
    restored). Returns the axes.
    """
    import matplotlib.pyplot as plt

    real = torch.as_tensor(real, dtype=torch.float32)
    fake = torch.as_tensor(fake, dtype=torch.float32)
    if real.dim() != 2 or real.shape[1] != 2 or fake.dim() != 2 or fake.shape[1] != 2:
        raise ValueError(f"the decision surface needs 2-D points (N x 2), got {tuple(real.shape)} and "
                         f"{tuple(fake.shape)}")
    if lim is None:
        lim = 1.3 * float(real.abs().max())
    axis = torch.linspace(-lim, lim, resolution)
    gx, gy = torch.meshgrid(axis, axis, indexing="xy")
    grid = torch.stack([gx.reshape(-1), gy.reshape(-1)], dim=1)
    was_training = D.training
    D.eval()
    try:
        with torch.no_grad():
            device = next(D.parameters()).device
            p = torch.sigmoid(D(grid.to(device))).reshape(resolution, resolution).cpu().numpy()
    finally:
        D.train(was_training)
    if ax is None:
        _, ax = plt.subplots(figsize=(3.2, 3.2))
    cs = ax.contourf(gx.numpy(), gy.numpy(), p, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.75)
    ax.scatter(*real[:max_points].T.numpy(), s=2, c="black", alpha=0.5, label="real")
    ax.scatter(*fake[:max_points].T.numpy(), s=2, c="tab:orange", alpha=0.7, label="G(z)")
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title, fontsize=9)
    if colorbar:
        ax.figure.colorbar(cs, ax=ax, fraction=0.046, pad=0.04, label="D(x)")
    return ax


def plot_generator_losses(axes=None):
    """The two generator losses as functions of D(G(z)) (left) and the size of their gradient with
    respect to D's logit (right): |d/dl log(1 - sigmoid(l))| = D(G(z)) vanishes where D rejects
    the fakes; |d/dl -log sigmoid(l)| = 1 - D(G(z)) is largest there. Returns the two axes."""
    import matplotlib.pyplot as plt

    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(8, 2.8))
    p = np.linspace(1e-3, 1 - 1e-3, 400)
    a, b = axes
    a.plot(p, np.log(1 - p), label=r"saturating: $\log(1 - D(G(z)))$")
    a.plot(p, -np.log(p), label=r"non-saturating: $-\log D(G(z))$")
    a.set_xlabel("D(G(z))")
    a.set_ylabel("generator loss (G descends it)")
    a.legend(frameon=False, fontsize=8)
    b.plot(p, p, label="saturating")
    b.plot(p, 1 - p, label="non-saturating")
    b.axvspan(0, 0.1, color="0.9")
    b.text(0.02, 0.5, "early training:\nD rejects fakes", fontsize=8)
    b.set_xlabel("D(G(z))")
    b.set_ylabel("|gradient w.r.t. D's logit|")
    b.legend(frameon=False, fontsize=8)
    return axes


def plot_gradient_norms(records: dict, ax=None):
    """Measured ||grad of G's loss|| per step (log scale) for each loss in ``records`` (keys
    ``"saturating"``, ``"non_saturating"``), with ``records["D(G(z))"]`` on a second axis."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 3))
    for key, style in (("saturating", "-"), ("non_saturating", "-")):
        if key in records:
            ax.plot(records[key], style, label=f"{key.replace('_', '-')} loss")
    ax.set_yscale("log")
    ax.set_xlabel("discriminator step (G frozen)")
    ax.set_ylabel(r"$\|\nabla_{\theta_G}\,$loss$\|$")
    if "D(G(z))" in records:
        twin = ax.twinx()
        twin.plot(records["D(G(z))"], ":", color="0.4", label="D(G(z))")
        twin.set_ylim(0, 1)
        twin.set_ylabel("mean D(G(z))", color="0.4")
        twin.spines["right"].set_visible(True)
        lines = ax.get_lines() + twin.get_lines()
        ax.legend(lines, [ln.get_label() for ln in lines], frameon=False, fontsize=8, loc="center right")
    else:
        ax.legend(frameon=False, fontsize=8)
    return ax


def show_image_rows(rows: dict, ax=None, pad: int = 2):
    """Several rows of images in one picture, each row labelled (``{label: images}``, float
    images in [-1, 1], N x C x H x W, at most as many per row as the first row). Returns the axes."""
    import matplotlib.pyplot as plt

    if not rows:
        raise ValueError("rows is empty: pass {label: images}")
    labels = list(rows)
    ncol = len(next(iter(rows.values())))
    tiles = [torch.as_tensor(v)[:ncol].detach().float().cpu() for v in rows.values()]
    h = tiles[0].shape[-2] + pad
    blank = torch.ones_like(tiles[0][:1])
    padded = [torch.cat([t, blank.repeat(ncol - len(t), 1, 1, 1)]) if len(t) < ncol else t for t in tiles]
    grid = image_grid(torch.cat(padded), nrow=ncol, pad=pad)
    if ax is None:
        _, ax = plt.subplots(figsize=(ncol * 0.55 + 1.2, len(rows) * 0.55 + 0.3))
    ax.imshow(grid, cmap="gray", vmin=0, vmax=1)
    ax.set_xticks([])
    ax.set_yticks([pad + h * i + h / 2 - pad for i in range(len(labels))], labels, fontsize=8)
    for s in ax.spines.values():
        s.set_visible(False)
    ax.tick_params(length=0)
    return ax


def plot_embedding(points, labels, class_names=None, ax=None, title: str | None = None, s: float = 4):
    """A 2-D view of codes (N x 2, e.g. PCA or t-SNE of E(x)), one colour per class."""
    import matplotlib.pyplot as plt

    pts = np.asarray(points, dtype=np.float64)
    y = np.asarray(labels)
    if pts.ndim != 2 or pts.shape[1] != 2 or len(pts) != len(y):
        raise ValueError(f"points must be N x 2 with one label each, got {pts.shape} and {y.shape}")
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 4))
    cmap = plt.get_cmap("tab10")
    for c in np.unique(y):
        name = class_names[int(c)] if class_names is not None else str(c)
        ax.scatter(*pts[y == c].T, s=s, color=cmap(int(c) % 10), alpha=0.6, label=name)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.legend(frameon=False, fontsize=7, markerscale=3, loc="center left", bbox_to_anchor=(1.0, 0.5))
    if title:
        ax.set_title(title, fontsize=10)
    return ax


def _mode_counts_text(ax, centers, counts, fontsize: int = 8, skip_zero: bool = False):
    """Each mode's count of high-quality samples, written just outside the ring (where dots overplot)."""
    for (cx, cy), n in zip(np.asarray(centers, dtype=float).tolist(), np.asarray(counts).tolist()):
        if n or not skip_zero:
            ax.text(1.27 * cx, 1.27 * cy, str(int(n)), ha="center", va="center", fontsize=fontsize)


def _d_colorbar(fig, axes):
    import matplotlib.pyplot as plt

    fig.colorbar(plt.cm.ScalarMappable(plt.Normalize(0, 1), "RdBu_r"), ax=list(axes), shrink=0.85, label="D(x)")


def plot_toy_snapshots(frames, real, centers, coverage: dict, lim: float = 3.0, zoom_half: float = 0.3):
    """Notebook 01, Section 4: one panel per snapshot ``(step, D, samples)`` of ``frames``: D's verdict on
    [-lim, lim]² with the data ``real`` (black) and G's samples (orange). The last panel carries each mode's
    count of high-quality samples (``coverage``: :func:`ganad_lib.metrics.mode_coverage` of the last
    samples) and, if a mode is not covered, an inset that zooms on the first such mode. Returns the figure."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(frames), figsize=(2.3 * len(frames) + 0.8, 3.2), layout="constrained")
    axes = np.atleast_1d(axes)
    for ax, (step, D, s) in zip(axes, frames):
        plot_decision_surface(D, real, s, ax=ax, lim=lim, title=f"step {step}")
        ax.set_xlabel("$x_1$")
    _mode_counts_text(axes[-1], centers, coverage["counts"])
    missed = np.flatnonzero(~np.asarray(coverage["covered"]))
    if len(missed):   # zoom on the first missed mode, in the ring's empty centre
        centre = torch.as_tensor(np.asarray(centers, dtype=np.float32)[missed[0]])
        cx, cy = centre.tolist()
        h = zoom_half
        ins = axes[-1].inset_axes([0.32, 0.32, 0.36, 0.36])
        gx, gy = torch.meshgrid(torch.linspace(cx - h, cx + h, 81), torch.linspace(cy - h, cy + h, 81), indexing="xy")
        D = frames[-1][1]
        was_training = D.training
        D.eval()
        with torch.no_grad():
            p = torch.sigmoid(D(torch.stack([gx.reshape(-1), gy.reshape(-1)], 1))).reshape(gx.shape)
        D.train(was_training)
        ins.contourf(gx.numpy(), gy.numpy(), p.numpy(), levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.75)
        for pts, style in ((torch.as_tensor(real)[:2000], dict(s=2, c="black", alpha=0.5)),
                           (torch.as_tensor(frames[-1][2]), dict(s=4, c="tab:orange"))):
            ins.scatter(*pts[((pts - centre).abs() < h).all(1)].T.numpy(), **style)
        ins.set(xlim=(cx - h, cx + h), ylim=(cy - h, cy + h), xticks=[], yticks=[], aspect="equal")
        axes[-1].indicate_inset_zoom(ins, edgecolor="0.3")
    axes[0].set_ylabel("$x_2$")
    axes[0].legend(loc="lower left", fontsize=7, markerscale=4, frameon=True)
    _d_colorbar(fig, axes)
    fig.suptitle(f"D(x) on [-{lim:g}, {lim:g}]² (red: 'real', blue: 'fake') with the data (black) and G's samples "
                 f"(orange); last panel: high-quality samples per mode, of {len(frames[-1][2]):,}"
                 + (f", and the missed mode {missed[0]} zoomed in the centre" if len(missed) else ""), fontsize=10)
    return fig


def plot_unbalanced_runs(top: list, middle: list, coverage: dict, real, centers, samples, std: float,
                         seeds=None, min_lim: float = 3.0, shared_top: bool = False):
    """Notebook 01, Section 5: D's verdict and G's samples for the runs of ``top`` (a balanced run, then the
    slow-D runs) and ``middle`` (the strong-D runs), each a list of ``(title, gan)``, above bars of the modes
    each run covers (``coverage``: {setting: [modes covered per seed]}, the bars labelled by ``seeds``).
    ``samples(gan)`` draws a run's points.
    Each row gets one scale wide enough for all its samples (never below ``min_lim``; the balanced run its own,
    unless ``shared_top``: then the whole top row shares one square, round 11);
    the middle row's panels carry each mode's count of high-quality samples (``std``: the modes' width).

    Returns ``(fig, d_range)``: ``d_range[title]`` is how much that D's verdict varies over its drawn plane
    (max - min of D(x) on a 61 x 61 grid), the measure of a flat D."""
    import matplotlib.pyplot as plt

    from . import metrics

    pts = {title: torch.as_tensor(samples(g)) for title, g in [*top, *middle]}

    def scale(row):
        return max(min_lim, *(1.1 * float(pts[t].abs().max()) for t, _ in row))

    n_cols = max(len(top), len(middle), 1)
    fig = plt.figure(figsize=(max(9.0, 2.6 * n_cols + 0.8), 9.6), layout="constrained")
    top_fig, mid_fig, bottom_fig = fig.subfigures(3, 1, height_ratios=[1, 1, 0.8])
    axes = np.atleast_1d(top_fig.subplots(1, n_cols))
    axes_mid = np.atleast_1d(mid_fig.subplots(1, n_cols))
    for ax in [*axes[len(top):], *axes_mid[len(middle):]]:
        ax.set_axis_off()
    lim_top0, lim_top, lim_mid = scale(top[:1]), scale(top[1:] or top), scale(middle) if middle else min_lim
    if shared_top:
        lim_top0 = lim_top = scale(top)
    d_range = {}
    for i, (ax, (title, g)) in enumerate([*zip(axes, top), *zip(axes_mid, middle)]):
        lim = lim_top0 if i == 0 else lim_top if i < len(top) else lim_mid
        plot_decision_surface(g.D, real, pts[title], ax=ax, lim=lim, title=title)
        ax.set_xlabel("$x_1$")
        grid = torch.cartesian_prod(torch.linspace(-lim, lim, 61), torch.linspace(-lim, lim, 61))
        was_training = g.D.training
        g.D.eval()
        with torch.no_grad():
            d_grid = torch.sigmoid(g.D(grid))
        g.D.train(was_training)
        d_range[title] = (d_grid.max() - d_grid.min()).item()
    for ax, (title, _) in zip(axes_mid, middle):
        _mode_counts_text(ax, centers, metrics.mode_coverage(pts[title], centers, std)["counts"], 7, skip_zero=True)
    axes[0].set_ylabel("$x_2$")
    axes_mid[0].set_ylabel("$x_2$")
    axes[0].legend(loc="lower left", fontsize=8, markerscale=4, framealpha=0.8)
    top_fig.suptitle(f"the data's ring, G's samples and D's verdict; the balanced run on [-{lim_top0:.1f}, "
                     f"{lim_top0:.1f}]², the slow runs on [-{lim_top:.1f}, {lim_top:.1f}]²" if not shared_top else
                     f"the data's ring, G's samples and D's verdict, this row on [-{lim_top:.1f}, {lim_top:.1f}]²",
                     fontsize=10)
    n_mid = len(pts[middle[0][0]]) if middle else 0
    mid_fig.suptitle(f"this row on [-{lim_mid:.1f}, {lim_mid:.1f}]²; the numbers give the high-quality samples at "
                     f"each mode, of {n_mid:,}", fontsize=10)
    _d_colorbar(top_fig, axes)
    _d_colorbar(mid_fig, axes_mid)
    ax_bar = bottom_fig.subplots(1, 1)
    n_seeds = max(len(v) for v in coverage.values())
    width = 0.8 / len(coverage)
    for i, (name, covered) in enumerate(coverage.items()):
        bars = ax_bar.bar(np.arange(len(covered)) + i * width, covered, width, label=name)
        ax_bar.bar_label(bars, fontsize=8)            # a count of 0 has no bar, but still a label
    labels = [f"seed {s}" for s in (seeds if seeds is not None else range(n_seeds))]
    ax_bar.set_xticks(np.arange(n_seeds) + width * (len(coverage) - 1) / 2, labels)
    ax_bar.set_ylim(0, 8.5)
    ax_bar.set_ylabel("modes covered (of 8)")
    ax_bar.set_title("modes covered by each run", fontsize=10)
    ax_bar.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return fig, d_range


def label_points(ax, xs, ys, labels, fontsize: int = 8) -> list:
    """Write each label beside its point, at the first of four offsets (right above, right below, left above,
    left below) whose box overlaps neither a label placed before nor any point; the last offset when all
    overlap. Call it after the axes' limits and layout are final (it measures the labels in pixels). Returns
    the annotations."""
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    pts = ax.transData.transform(np.column_stack([np.asarray(xs, float), np.asarray(ys, float)]))
    placed, out = [], []
    offsets = ((4, 3, "left", "bottom"), (4, -3, "left", "top"), (-4, 3, "right", "bottom"), (-4, -3, "right", "top"))
    for i, (x, y, lab) in enumerate(zip(xs, ys, labels)):
        for k, (dx, dy, ha, va) in enumerate(offsets):
            t = ax.annotate(str(lab), (x, y), xytext=(dx, dy), textcoords="offset points", fontsize=fontsize,
                            ha=ha, va=va)
            box = t.get_window_extent(renderer=renderer)
            hits_point = any(box.contains(px, py) for j, (px, py) in enumerate(pts) if j != i)
            if k == len(offsets) - 1 or not (hits_point or any(box.overlaps(b) for b in placed)):
                placed.append(box)
                out.append(t)
                break
            t.remove()
    return out


def plot_ganomaly_training(history, best_epoch: int, smooth: int = 10):
    """Notebook 05's training figure: the generator's three losses (unweighted, moving average over ``smooth``
    steps, log scale), the discriminator's loss, and the validation L_con per epoch with the kept epoch
    ``best_epoch`` dashed. Returns (fig, axes)."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(13, 3.2))
    plot_losses(history, ["L_con", "L_enc", "L_adv"], ax=axes[0], smooth=smooth)
    axes[0].set_yscale("log")
    lo, hi = axes[0].get_ylim()   # a few plain ticks (1, 2, 5 times a power of ten) in place of crowded minor labels
    axes[0].set_ylim(lo, hi * 2.5)   # headroom: the legend sits above the curves
    ticks = [t for t in (m * 10.0 ** e for e in range(-5, 3) for m in (1, 2, 5)) if lo <= t <= hi]
    axes[0].set_yticks(ticks if len(ticks) <= 7 else ticks[::3], minor=False)
    axes[0].yaxis.set_major_formatter(plt.FormatStrFormatter("%g"))
    axes[0].yaxis.set_minor_locator(plt.NullLocator())
    axes[0].set_ylabel("loss (log scale)")
    axes[0].legend(["$\\mathcal{L}_{con}$", "$\\mathcal{L}_{enc}$", "$\\mathcal{L}_{adv}$"], frameon=False,
                   fontsize=9, loc="upper right", ncol=3)
    axes[0].set_title("generator losses (moving average)")
    plot_losses(history, ["loss_D"], ax=axes[1], smooth=smooth)
    if axes[1].get_legend():   # one curve: the title names it
        axes[1].get_legend().remove()
    axes[1].set_ylabel("loss")
    axes[1].set_title("discriminator loss $\\mathcal{L}_D$ (moving average)")
    ep = history.series("epoch", per="epoch")
    axes[2].plot(ep, history.series("val_L_con", per="epoch"), "o-", label="validation $\\mathcal{L}_{con}$")
    axes[2].axvline(best_epoch, color="tab:green", ls="--", label="kept epoch")
    axes[2].set_xlim(0.5, len(ep) + 0.5)   # the kept epoch may be the last: keep its line off the frame
    axes[2].xaxis.set_major_locator(plt.MaxNLocator(integer=True))   # epochs are whole numbers
    axes[2].set_xlabel("epoch")
    axes[2].set_ylabel("validation $\\mathcal{L}_{con}$")
    axes[2].legend(frameon=False)
    axes[2].set_title("model selection on normal images")
    fig.tight_layout()
    return fig, axes


def reconstruction_blocks(x, x_hat, scores, errors, n_show: int,
                          row_labels=("normal $x$", "$G(x)$", "bag $x$", "$G(x)$"), title: str | None = None):
    """Two blocks of ``n_show`` columns: the first ``n_show`` images of ``x`` (N, 1, H, W in [-1, 1]) above their
    reconstructions ``x_hat``, then the next ``n_show`` above theirs. Under each reconstruction: its image's
    score $A$ (``scores``) and pixel error $\\mathcal{L}_{con}$ (``errors``). Returns (fig, axes), axes 4 × n_show."""
    import matplotlib.pyplot as plt

    x, x_hat = (torch.as_tensor(a).detach().cpu().numpy() for a in (x, x_hat))
    scores, errors = np.asarray(scores, float), np.asarray(errors, float)
    if not (len(x) == len(x_hat) == len(scores) == len(errors) == 2 * n_show):
        raise ValueError(f"need 2 × n_show = {2 * n_show} images, reconstructions, scores and errors; got "
                         f"{len(x)}, {len(x_hat)}, {len(scores)}, {len(errors)}")
    fig = plt.figure(figsize=(1.1 * n_show, 5.0))
    # two blocks, each an input row tight above its reconstruction row; the gap between the blocks holds the
    # numbers written under the first block's reconstructions
    outer = fig.add_gridspec(2, 1, hspace=0.22, top=0.91, bottom=0.1, left=0.09, right=0.99)
    inner = [outer[k].subgridspec(2, n_show, hspace=0.04, wspace=0.08) for k in range(2)]
    axes = np.array([[fig.add_subplot(inner[row // 2][row % 2, col]) for col in range(n_show)] for row in range(4)])
    for row in range(4):
        pics, first = (x if row % 2 == 0 else x_hat), (0 if row < 2 else n_show)
        for col in range(n_show):
            ax = axes[row, col]
            ax.imshow((pics[first + col, 0] + 1) / 2, cmap="gray", vmin=0, vmax=1)
            ax.set_xticks([])
            ax.set_yticks([])
            if row % 2 == 1:
                k = first + col
                ax.set_xlabel(f"$A$ {scores[k]:.3f}\n$\\mathcal{{L}}_{{con}}$ {errors[k]:.2f}", fontsize=8, labelpad=2)
        axes[row, 0].set_ylabel(row_labels[row])
    if title:
        fig.suptitle(title, fontsize=10)
    return fig, axes


def search_strip(frames: dict, lam: float):
    """Notebook 03, Section 5: one row per searched image. ``frames`` maps a row's name ("normal image", "bag") to
    its :func:`ganad_lib.widgets.search_frame` dicts at a few steps, the last at Γ. Each row: the query x, G(z_t)
    at those steps, the residual at Γ (with a colour bar), then the loss L and its two weighted parts.
    Returns (fig, axes)."""
    import matplotlib.pyplot as plt

    n_img = len(next(iter(frames.values()))) + 2                 # x, the strip G(z_t), the residual
    fig, axes = plt.subplots(len(frames), n_img + 3, figsize=(12.5, 2.1 * len(frames)), squeeze=False,
                             gridspec_kw={"width_ratios": [1] * n_img + [0.08, 0.45, 3], "wspace": 0.05,
                                          "hspace": 0.5})               # colour bar, spacer, loss curves
    for row, (name, fr) in enumerate(frames.items()):
        axes[row, 0].imshow(fr[0]["x"][0], vmin=-1, vmax=1)
        axes[row, 0].set_title(f"x ({name.replace(' image', '')})", fontsize=10)
        for j, f in enumerate(fr, start=1):
            axes[row, j].imshow(f["x_gen"][0], vmin=-1, vmax=1)
            axes[row, j].set_title(f"$G(z_{{{f['t']}}})$", fontsize=10)
        im = axes[row, n_img - 1].imshow(fr[-1]["residual"][0], cmap="magma", vmin=0, vmax=2)
        axes[row, n_img - 1].set_title(r"$|x - G(z_\Gamma)|$", fontsize=10)
        fig.colorbar(im, cax=axes[row, n_img])
        for a in [*axes[row, :n_img], axes[row, -2]]:
            a.set_axis_off()
        ax = axes[row, -1]
        ax.plot(fr[-1]["loss"], label="L")
        ax.plot((1 - lam) * np.asarray(fr[-1]["loss_R"]), "--", label="(1-λ) L_R")
        ax.plot(lam * np.asarray(fr[-1]["loss_D"]), ":", label="λ L_D")
        ax.set_title(f"A(x) = {fr[-1]['score_t']:.1f}", fontsize=10)
        if row == 0:                                               # one legend, where the curves are low
            ax.legend(frameon=False, fontsize=8.5, loc="upper right")
        ax.set_ylabel("loss")
        ax.yaxis.set_label_position("right")
        ax.yaxis.tick_right()
        ax.yaxis.set_major_locator(plt.MaxNLocator(6))              # more ticks, and a grid to read them by
        ax.grid(axis="y", alpha=0.3)
    axes[-1, -1].set_xlabel("step t")
    return fig, axes


def flaw_panels(rows: list, side: int):
    """Notebook 03, Section 7: one row per image; each row a list of panels (name, x, G(z_Γ), residual, score,
    corner), corner None for the clean image, else the top-left pixel of the ``side`` × ``side`` flaw (boxed in
    cyan on x and on the residual). Rows are labelled "image 1", "image 2", ... Returns (fig, axes)."""
    import matplotlib.pyplot as plt

    n_col = 3 * len(rows[0])
    fig, axes = plt.subplots(len(rows), n_col + 1, figsize=(13.5, 1.8 * len(rows)), squeeze=False,
                             gridspec_kw={"wspace": 0.08, "width_ratios": [1] * n_col + [0.35]})
    for row, panels in enumerate(rows):
        for p, (name, img, gen, res, score, corner) in enumerate(panels):
            for q, (pic, kw) in enumerate([(img, {"vmin": -1, "vmax": 1}), (gen, {"vmin": -1, "vmax": 1}),
                                           (res, {"cmap": "magma", "vmin": 0, "vmax": 2})]):
                ax = axes[row, 3 * p + q]
                im = ax.imshow(torch.as_tensor(pic)[0], **kw)
                ax.set_axis_off()
                if corner is not None and q != 1:
                    ax.add_patch(plt.Rectangle((corner[1] - 0.5, corner[0] - 0.5), side, side, fill=False,
                                               ec="cyan", lw=1))
                if row == 0:
                    ax.set_title([f"x ({name})", r"$G(z_\Gamma)$", r"$|x - G(z_\Gamma)|$"][q], fontsize=9)
            axes[row, 3 * p].text(0.5, -0.04, f"A(x) = {score:.0f}", transform=axes[row, 3 * p].transAxes,
                                  fontsize=8, ha="center", va="top")
        axes[row, 0].text(-0.12, 0.5, f"image {row + 1}", transform=axes[row, 0].transAxes, rotation=90,
                          fontsize=9, ha="right", va="center")
    for ax in axes[:, -1]:
        ax.set_axis_off()
    fig.colorbar(im, ax=list(axes[:, -1]), fraction=0.5, aspect=15, label=r"$|x - G(z_\Gamma)|$")
    return fig, axes
