"""Interactive explorers for the notebooks (ipywidgets), built on pure, tested functions.

Each explorer is a thin ``ipywidgets.interactive`` around a pure function: the function
computes everything from its arguments (no hidden state, no printing), so it can be unit-tested
and called once directly in a notebook, while the widget only redraws its result. The
explorer's ``.result`` holds the last result, so a test can move a slider and check it headless.
"""

from __future__ import annotations

import numpy as np

__all__ = ["threshold_report", "plot_threshold_report", "threshold_explorer", "search_frame",
           "plot_search_frame", "search_explorer"]


def _scores_labels(scores, is_anomaly) -> tuple[np.ndarray, np.ndarray]:
    s = np.asarray(scores, dtype=np.float64).reshape(-1)
    y = np.asarray(is_anomaly)
    if y.dtype != bool:
        if not np.isin(y, (0, 1)).all():
            raise ValueError("is_anomaly must be boolean (or 0/1), one value per score")
        y = y.astype(bool)
    y = y.reshape(-1)
    if len(s) != len(y):
        raise ValueError(f"{len(s)} scores but {len(y)} labels: pass one label per score")
    if not np.isfinite(s).all():
        raise ValueError("scores hold NaN or infinite values; check the detector's scores")
    return s, y


def threshold_report(threshold: float, scores, is_anomaly) -> dict:
    """What a threshold does on labelled scores: an image is flagged when its score is above it.

    Returns the confusion matrix ``[[TN, FP], [FN, TP]]`` (rows: true normal / anomaly, columns:
    predicted normal / anomaly), its four counts, and precision, recall, F1 and the false-positive
    rate (each 0.0 where its denominator is 0). Pure: the same arguments give the same result.
    """
    s, y = _scores_labels(scores, is_anomaly)
    t = float(threshold)
    if not np.isfinite(t):
        raise ValueError(f"threshold must be a finite number, got {threshold!r}")
    pred = s > t
    tp = int(np.sum(pred & y))
    fp = int(np.sum(pred & ~y))
    fn = int(np.sum(~pred & y))
    tn = int(np.sum(~pred & ~y))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    fpr = fp / (fp + tn) if fp + tn else 0.0
    return {"threshold": t, "tn": tn, "fp": fp, "fn": fn, "tp": tp,
            "confusion": np.array([[tn, fp], [fn, tp]]), "precision": precision,
            "recall": recall, "f1": f1, "fpr": fpr, "flagged": int(pred.sum())}


def plot_threshold_report(report: dict, scores, is_anomaly, *, val_threshold: float | None = None,
                          bins: int = 50, axes=None):
    """Histogram of the scores with the threshold (and the validation threshold), and the
    confusion matrix with precision, recall and F1. Returns the two axes."""
    import matplotlib.pyplot as plt

    s, y = _scores_labels(scores, is_anomaly)
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(9, 3), gridspec_kw={"width_ratios": [2.2, 1]})
    ax, cx = axes
    edges = np.histogram_bin_edges(s, bins=bins)
    ax.hist(s[~y], bins=edges, alpha=0.6, label="normal", color="tab:blue")
    ax.hist(s[y], bins=edges, alpha=0.6, label="anomaly", color="tab:red")
    ax.axvline(report["threshold"], color="black", lw=1.5, label="threshold")
    if val_threshold is not None:
        ax.axvline(val_threshold, color="tab:green", lw=1.5, ls="--", label="chosen on validation")
    ax.set_xlabel("anomaly score")
    ax.set_ylabel("images")
    ax.legend(frameon=False, fontsize=8)
    cm = report["confusion"]
    cx.imshow(cm, cmap="Blues")
    for (i, j), v in np.ndenumerate(cm):
        cx.text(j, i, str(v), ha="center", va="center",
                color="white" if v > cm.max() / 2 else "black")
    cx.set_xticks([0, 1], ["normal", "anomaly"])
    cx.set_yticks([0, 1], ["normal", "anomaly"])
    cx.set_xlabel("predicted")
    cx.set_ylabel("true")
    cx.set_title(f"P {report['precision']:.2f} · R {report['recall']:.2f} · F1 {report['f1']:.2f}",
                 fontsize=10)
    return ax, cx


def threshold_explorer(scores, is_anomaly, *, val_threshold: float | None = None,
                       steps: int = 200, draw: bool = True):
    """An ``ipywidgets.interactive`` with a threshold slider over the range of ``scores``.

    Moving the slider recomputes :func:`threshold_report` (kept in ``.result``) and, with
    ``draw``, redraws the histogram and confusion matrix. The slider starts at
    ``val_threshold`` (the threshold chosen on normal validation images), marked in the plot.
    """
    import ipywidgets as w

    s, y = _scores_labels(scores, is_anomaly)
    if len(s) == 0:
        raise ValueError("no scores to explore")
    lo, hi = float(s.min()), float(s.max())
    if hi <= lo:
        hi = lo + 1.0
    start = lo if val_threshold is None else float(np.clip(val_threshold, lo, hi))
    slider = w.FloatSlider(value=start, min=lo, max=hi, step=(hi - lo) / steps, readout_format=".4g",
                           description="threshold", continuous_update=False,
                           layout=w.Layout(width="60%"))

    def show(threshold):
        report = threshold_report(threshold, s, y)
        if draw:
            import matplotlib.pyplot as plt

            ax, _ = plot_threshold_report(report, s, y, val_threshold=val_threshold)
            plt.show()
            plt.close(ax.figure)  # inline backends have shown it; others would pile figures up
        return report

    return w.interactive(show, threshold=slider)


# ----------------------------------------------------------------------------- notebook 03: AnoGAN's search


def search_frame(search, t: int, index: int = 0, generate=None) -> dict:
    """One moment of AnoGAN's latent search for image ``index`` of ``search`` (a
    :class:`~ganad_lib.anogan.LatentSearch` recorded with ``trajectory=True``): the image x,
    G(z_t), the residual |x - G(z_t)| and the losses L, L_R, L_D from step 0 to step ``t``.

    ``generate(z) -> G(z)`` maps codes to images (``AnoGAN.generate``); it is needed for
    0 <= t < Gamma, whose images the search does not keep. Pure: the same arguments give the
    same result.
    """
    traj = getattr(search, "trajectory", None)
    if traj is None:
        raise ValueError("this search kept no trajectory: run det.search(images, trajectory=True)")
    steps = int(search.steps)
    if not isinstance(t, (int, np.integer)) or not 0 <= t <= steps:
        raise ValueError(f"t must be an integer step in 0..{steps}, got {t!r}")
    if not isinstance(index, (int, np.integer)) or not 0 <= index < len(search.score):
        raise ValueError(f"index must pick one of the {len(search.score)} searched images, got {index!r}")
    x = search.x[index]
    if t == steps:
        x_gen = search.x_gen[index]
    elif generate is None:
        raise ValueError("pass generate= (e.g. det.generate) to see the images of steps before the last")
    else:
        x_gen = generate(traj["z_t"][t, index][None])[0]
    return {"t": int(t), "steps": steps, "index": int(index), "x": x, "x_gen": x_gen,
            "residual": (x - x_gen).abs(),
            "loss": traj["loss_t"][:t + 1, index].double().numpy(),
            "loss_R": traj["loss_R_t"][:t + 1, index].double().numpy(),
            "loss_D": traj["loss_D_t"][:t + 1, index].double().numpy(),
            "score_t": float(traj["loss_t"][t, index]), "lambda_": float(search.lambda_)}


def plot_search_frame(frame: dict, *, full_loss=None, axes=None, title: str | None = None):
    """Draw a :func:`search_frame`: x, G(z_t), |x - G(z_t)| and the loss curve up to step t
    (``full_loss``, the whole curve, is drawn faintly for context). Returns the four axes."""
    import matplotlib.pyplot as plt

    if axes is None:
        _, axes = plt.subplots(1, 4, figsize=(10, 2.6), gridspec_kw={"width_ratios": [1, 1, 1, 2]})
    ax_x, ax_g, ax_r, ax_l = axes

    def show(ax, img, name, **kw):
        a = img.detach().float().cpu().numpy()
        ax.imshow(a[0] if a.shape[0] == 1 else a.transpose(1, 2, 0), **kw)
        ax.set_title(name, fontsize=9)
        ax.set_axis_off()

    show(ax_x, frame["x"], "x", cmap="gray", vmin=-1, vmax=1)
    show(ax_g, frame["x_gen"], f"G(z_t), t = {frame['t']}", cmap="gray", vmin=-1, vmax=1)
    show(ax_r, frame["residual"], "|x - G(z_t)|", cmap="magma", vmin=0, vmax=2)
    steps = np.arange(len(frame["loss"]))
    if full_loss is not None:
        ax_l.plot(np.arange(len(full_loss)), full_loss, color="0.8", lw=1)
    ax_l.plot(steps, frame["loss"], color="tab:blue", label="L(z_t)")
    ax_l.plot(steps[-1:], frame["loss"][-1:], "o", color="tab:blue")
    ax_l.set_xlabel("step t")
    ax_l.set_ylabel("loss")
    ax_l.set_xlim(0, max(frame["steps"], 1))
    ax_l.set_title(title or f"L(z_t) = {frame['score_t']:.1f}", fontsize=9)
    return axes


def search_explorer(search, generate, *, index: int = 0, draw: bool = True):
    """An ``ipywidgets.interactive`` with a slider over the steps t = 0 .. Gamma of one image's
    latent search; moving it recomputes :func:`search_frame` (kept in ``.result``) and, with
    ``draw``, redraws x, G(z_t), the residual and the loss so far."""
    import ipywidgets as w

    search_frame(search, search.steps, index)  # fail early, outside the callback
    full = search.trajectory["loss_t"][:, index].double().numpy()
    slider = w.IntSlider(value=int(search.steps), min=0, max=int(search.steps), step=1, description="step t",
                         continuous_update=False, layout=w.Layout(width="60%"))

    def show(t):
        frame = search_frame(search, t, index, generate)
        if draw:
            import matplotlib.pyplot as plt

            axes = plot_search_frame(frame, full_loss=full)
            plt.show()
            plt.close(axes[0].figure)
        return frame

    return w.interactive(show, t=slider)


# ----------------------------------------------------------------------------- notebooks 01-02: latent explorer

__all__ += ["latent_directions", "latent_image", "plot_latent_image", "latent_explorer"]


def latent_directions(nz: int, n: int = 3, seed: int = 0):
    """``n`` orthonormal directions (rows, n x nz) in the latent space, drawn at random with ``seed``.

    Random directions are as good as any for a first look: under the prior N(0, I) no direction
    is special. (A BiGAN's encoder suggests better ones: principal axes of E(x).)
    """
    import torch

    if isinstance(nz, bool) or not isinstance(nz, int) or nz < 1:
        raise ValueError(f"nz must be a positive integer, got {nz!r}")
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= nz:
        raise ValueError(f"n (number of directions) must be an integer in 1..nz = {nz}, got {n!r}")
    g = torch.Generator().manual_seed(int(seed))
    q, _ = torch.linalg.qr(torch.randn(nz, n, generator=g, dtype=torch.float64))
    return q.T.float().contiguous()


def latent_image(G, z0, directions, coeffs) -> dict:
    """The image G(z) at z = z0 + sum_i coeffs[i] * directions[i].

    ``G`` is a generator module (run in eval mode, without gradients; its mode is restored) or
    any callable mapping codes (N x nz) to images. ``z0`` is one code (nz,), ``directions``
    n x nz, ``coeffs`` n numbers. Returns ``{"z", "image", "coeffs"}`` with the code (nz,) and
    the image (C x H x W, on the CPU). Pure: the same arguments give the same result.
    """
    import torch

    z0 = torch.as_tensor(z0, dtype=torch.float32).reshape(-1)
    d = torch.as_tensor(directions, dtype=torch.float32)
    if d.dim() == 1:
        d = d[None]
    c = torch.as_tensor(np.asarray(coeffs, dtype=np.float64).reshape(-1), dtype=torch.float32)
    if d.dim() != 2 or d.shape[1] != len(z0):
        raise ValueError(f"directions must be n x nz with nz = {len(z0)} (the size of z0), "
                         f"got shape {tuple(d.shape)}")
    if len(c) != len(d):
        raise ValueError(f"{len(c)} coefficients for {len(d)} directions: pass one per direction")
    if not (torch.isfinite(c).all() and torch.isfinite(z0).all()):
        raise ValueError("z0 and coeffs must be finite numbers")
    z = z0 + c @ d
    with torch.no_grad():
        if isinstance(G, torch.nn.Module):
            was_training = G.training
            G.eval()
            try:
                tensor = next(iter([*G.parameters(), *G.buffers()]), None)
                device = tensor.device if tensor is not None else "cpu"
                image = G(z[None].to(device))[0].cpu()
            finally:
                G.train(was_training)
        else:
            image = torch.as_tensor(G(z[None]))[0].cpu()
    return {"z": z, "image": image, "coeffs": tuple(float(v) for v in c)}


def plot_latent_image(frame: dict, ax=None, title: str | None = None):
    """Draw the image of a :func:`latent_image` result (pixels in [-1, 1]). Returns the axes."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(2.6, 2.6))
    a = frame["image"].detach().float().numpy()
    a = (a + 1) / 2
    ax.imshow(a[0] if a.shape[0] == 1 else a.transpose(1, 2, 0).clip(0, 1), cmap="gray", vmin=0, vmax=1)
    ax.set_axis_off()
    ax.set_title(title or "  ".join(f"d{i + 1} = {v:+.1f}" for i, v in enumerate(frame["coeffs"])),
                 fontsize=8)
    return ax


def latent_explorer(G, z0, directions=None, *, n_directions: int = 3, span: float = 3.0,
                    steps: int = 60, seed: int = 0, draw: bool = True):
    """An ``ipywidgets.interactive`` with one slider per latent direction (d1, d2, ...).

    Moving a slider recomputes :func:`latent_image` at z0 + sum_i d_i * direction_i (kept in
    ``.result``) and, with ``draw``, redraws the generated image. ``directions`` default to
    :func:`latent_directions` ``(nz, n_directions, seed)``; the sliders run over
    [-span, span] (the prior's bulk lies within 3 standard deviations).
    """
    import ipywidgets as w
    import torch

    z0 = torch.as_tensor(z0, dtype=torch.float32).reshape(-1)
    if directions is None:
        directions = latent_directions(len(z0), n_directions, seed)
    directions = torch.as_tensor(directions, dtype=torch.float32)
    if not span > 0 or steps < 2:
        raise ValueError(f"span must be positive and steps at least 2, got {span!r}, {steps!r}")
    latent_image(G, z0, directions, [0.0] * len(directions))  # fail early, outside the callback
    sliders = {f"d{i + 1}": w.FloatSlider(value=0.0, min=-span, max=span, step=2 * span / steps,
                                          description=f"d{i + 1}", continuous_update=False,
                                          readout_format=".1f")
               for i in range(len(directions))}

    def show(**coeffs):
        frame = latent_image(G, z0, directions, [coeffs[k] for k in sliders])
        if draw:
            import matplotlib.pyplot as plt

            ax = plot_latent_image(frame)
            plt.show()
            plt.close(ax.figure)
        return frame

    return w.interactive(show, **sliders)


# ---------------------------------------------------------------- saved progress bars

__all__ += ["settle_progress_bars"]

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def settle_progress_bars(nb: dict) -> int:
    """Give each saved tqdm bar of an executed notebook (``nb``, its JSON as a dict) its final text.

    A notebook bar is a widget; its saved output keeps the widget's id and, for every viewer that
    cannot show widgets (GitHub, the HTML of ``make course`` offline, a text dump), a plain-text
    copy taken when the bar appeared: "GAN:   0%|  | 0/744", which reads as a run that never started.
    The widget's final state is saved in the notebook's metadata; this writes it into that copy
    ("GAN: 100% 744/744 [02:13<00:00, ...]"). Outputs without a saved bar state are left alone.
    Returns how many outputs changed."""
    import html

    state = nb.get("metadata", {}).get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    changed = 0
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []):
            view = out.get("data", {}).get(WIDGET_VIEW)
            box = state.get(view["model_id"]) if view else None
            if not box or box.get("model_name") != "HBoxModel":
                continue
            parts = [state.get(c.replace("IPY_MODEL_", ""), {}) for c in box["state"].get("children", [])]
            if [p.get("model_name") for p in parts] != ["HTMLModel", "FloatProgressModel", "HTMLModel"]:
                continue
            text = html.unescape(parts[0]["state"].get("value", "") + parts[2]["state"].get("value", ""))
            text = " ".join(text.replace("\u2007", " ").split())
            if text and out["data"].get("text/plain") != text:
                out["data"]["text/plain"] = text
                changed += 1
    return changed


def _settle_files(paths) -> None:
    """``python -m ganad_lib.widgets NOTEBOOK...``: :func:`settle_progress_bars` on each file, in place."""
    import json
    from pathlib import Path

    for p in map(Path, paths):
        nb = json.loads(p.read_text())
        n = settle_progress_bars(nb)
        if n:
            p.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
        print(f"{p}: {n} progress bar{'s' if n != 1 else ''} settled")


if __name__ == "__main__":
    import sys

    _settle_files(sys.argv[1:])
