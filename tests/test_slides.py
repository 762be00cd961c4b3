"""The seminar deck, built as `make slides` builds it and opened in real headless Chromium.

Chromium runs with no network (every host name fails to resolve), so reveal.js and KaTeX must come
from the deck's own lib/ folder. Without Chromium the browser tests are skipped on a learner's
machine and fail under CI=true (.ci/run installs Debian's chromium).
"""

import csv
import importlib.util
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

from ganad_lib.experiments import COLUMNS

REPO = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("ganad_slides_build", REPO / "slides" / "build.py")
build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build)

IN_CI = os.environ.get("CI", "").lower() == "true"

#: the seed's outline, in order: (what, a pattern the deck's slide headings must match)
OUTLINE = [
    ("title", r"Anomaly Detection with GANs"),
    ("overview", r"^Overview"),
    ("introduction", r"^Introduction"),
    ("motivation", r"^Motivation"),
    ("unsupervised detection with GANs", r"^Unsupervised anomaly detection with GANs"),
    ("GAN intuition", r"^Generative adversarial networks"),
    ("Algorithm 1", r"Algorithm 1"),
    ("BiGAN", r"^BiGAN"),
    ("AnoGAN", r"^AnoGAN"),
    ("AnoGAN's losses and score", r"^AnoGAN: residual loss, discrimination loss, score"),
    ("EGBAD", r"^EGBAD"),
    ("GANomaly", r"^GANomaly"),
    ("GANomaly's three losses and score", r"^GANomaly: three losses and the score"),
    ("experiments", r"^Experiments"),
    ("results", r"^Results"),
    ("summary", r"^Summary"),
    ("references", r"^References"),
]

#: the seed's five references (the deck may quote more)
REFERENCES = ["1906.11632", "1805.06725", "1802.06222", "1703.05921", "5423-generative-adversarial-nets"]


def fail_or_skip(reason: str):
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: .ci/run must install it)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def chromium():
    exe = build.find_chromium()
    if exe is None:
        fail_or_skip("no Chromium found (Debian: apt-get install chromium)")
    return exe


def write_runs(path: Path, *, seeds=(0, 1)):
    """A results file in the runner's format: every method, both data sets, ten classes."""
    rng = np.random.default_rng(0)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        for method, base in (("anogan", 0.6), ("egbad", 0.65), ("ganomaly", 0.7), ("autoencoder", 0.75),
                             ("pca", 0.75), ("knn", 0.85)):
            for dataset in ("mnist", "fashion_mnist"):
                for cls in range(10):
                    for seed in seeds:
                        w.writerow({"method": method, "dataset": dataset, "protocol": "one_class_anomalous",
                                    "class": cls, "seed": seed, "auroc": f"{base + rng.uniform(-0.1, 0.1):.4f}",
                                    "auprc": "0.5", "f1": "0.5", "train_seconds": f"{rng.uniform(1, 60):.1f}",
                                    "score_images_per_second": f"{rng.uniform(100, 5000):.0f}",
                                    "peak_memory_mb": "800", "profile": "cpu", "device": "cpu",
                                    "torch_version": "2.4.0", "data_source": "test data (/some/folder)",
                                    "git_commit": "abc1234"})
    return path


def build_or_skip(**kw):
    try:
        return build.build(**kw)
    except build.BuildError as err:
        if "npm" in str(err) and "was not found" in str(err):
            fail_or_skip(str(err))
        raise


@pytest.fixture(scope="module")
def deck(tmp_path_factory, chromium):
    """The deck built with results, HTML and PDF, as `make slides RESULTS=...` builds it."""
    tmp = tmp_path_factory.mktemp("deck")
    return build_or_skip(results=write_runs(tmp / "results" / "runs.csv"), out=tmp / "slides", require_pdf=True)


class DomText(HTMLParser):
    """Visible text, slide headings, slides and notes of a rendered reveal.js page."""

    SKIP = {"script", "style", "annotation", "title", "head"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack = []  # (tag, skip, classes)
        self.text, self.headings, self.slides = [], [], []  # slides: {"id", "notes", "text"}
        self.section_depth = 0
        self.katex = self.katex_errors = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = set((a.get("class") or "").split())
        self.katex += "katex" in classes
        self.katex_errors += "katex-error" in classes
        if tag in self.VOID:
            return
        skip = tag in self.SKIP or "katex-mathml" in classes or any(s[1] for s in self.stack)
        self.stack.append((tag, skip, classes))
        if tag == "section":
            self.section_depth += 1
            if self.section_depth == 2:
                self.slides.append({"id": a.get("id"), "notes": "", "text": "", "headings": [],
                                    "overflow": a.get("data-overflow")})
        if tag in ("h1", "h2"):
            self._heading = ""

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        while self.stack:
            t, _, _ = self.stack.pop()
            if t == "section":
                self.section_depth -= 1
            if t in ("h1", "h2") and self.slides:
                h = " ".join(self._heading.split())
                self.headings.append(h)
                self.slides[-1]["headings"].append(h)
            if t == tag:
                break

    def handle_data(self, data):
        if any(s[1] for s in self.stack):
            return
        self.text.append(data)
        if any(s[0] in ("h1", "h2") for s in self.stack):
            self._heading += data
        if self.section_depth >= 2 and self.slides:
            in_notes = any(s[0] == "aside" and "notes" in s[2] for s in self.stack)
            self.slides[-1]["notes" if in_notes else "text"] += data


def render(chromium, url: str) -> DomText:
    out = build.run_chromium(chromium, url, "--window-size=1280,720", "--virtual-time-budget=8000", "--dump-dom")
    dom = DomText()
    dom.feed(out.stdout)
    return dom


@pytest.fixture(scope="module")
def dom(deck, chromium):
    return render(chromium, deck["html"].as_uri())


def test_deck_loads_nothing_from_the_network(deck):
    html = deck["html"].read_text(encoding="utf-8")
    refs = re.findall(r"""<(?:script|link)\b[^>]*?(?:src|href)=["']([^"']+)""", html)
    assert refs, "the deck loads reveal.js and KaTeX"
    for ref in refs:
        assert not re.match(r"^(https?:)?//", ref), f"{ref} comes from the network"
        assert (deck["html"].parent / ref).is_file(), f"{ref} is not in the built folder"
    assert any("reveal.js" in r for r in refs) and any("katex" in r for r in refs)
    fonts = list((deck["html"].parent / "lib" / "katex" / "fonts").glob("*.woff2"))
    assert fonts, "KaTeX's fonts are copied next to its style sheet"


def test_rendered_deck_follows_the_outline(dom):
    assert len(dom.slides) >= len(OUTLINE)
    first_heading = [s["headings"][0] if s["headings"] else "" for s in dom.slides]
    positions = []
    for what, pattern in OUTLINE:
        hits = [i for i, h in enumerate(first_heading) if re.search(pattern, h)]
        assert hits, f"no slide for the outline's {what!r} (headings: {first_heading})"
        positions.append(hits[0])
    assert positions == sorted(positions), f"the slides are not in the outline's order: {positions}"
    refs = next(s for s in dom.slides if s["headings"] and s["headings"][0].startswith("References"))
    html_refs = refs["text"]
    for key in ("Di Mattia", "Akcay", "Zenati", "Schlegl", "Goodfellow"):
        assert key in html_refs, f"reference {key} missing"


def test_references_link_the_seed_sources(deck):
    html = deck["html"].read_text(encoding="utf-8")
    for ref in REFERENCES:
        assert ref in html


def test_equations_are_typeset(dom, deck):
    visible = " ".join(dom.text)
    raw = re.findall(r"\\[A-Za-z]+|\$\$|\\\(|\\\[|\$[^$\s][^$]*\$", visible)
    assert not raw, f"raw TeX left in the rendered deck: {raw[:10]}"
    assert dom.katex_errors == 0, "KaTeX could not parse some equations"
    # every maths span of the source's markdown became a KaTeX formula
    import nbformat

    nb = nbformat.read(build.DECK, as_version=4)
    source = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    n_math = len(re.findall(r"\$\$.+?\$\$|\$[^$\n]+?\$", source, flags=re.S))
    assert n_math > 40
    assert dom.katex >= n_math, f"{dom.katex} formulas rendered, the source has {n_math}"
    for needle in ("\\mathbb", "\\min", "\\mathcal{L}_{con}", "\\nabla_{\\theta_d}"):
        assert needle in source, "the seed's equations are in the deck"


def test_every_slide_fits_on_its_page(dom):
    too_tall = {s["id"]: s["overflow"] for s in dom.slides if s["overflow"]}
    assert not too_tall, f"slides taller than 720 px (cut off on screen and in the PDF): {too_tall}"


def test_every_content_slide_has_speaker_notes(dom):
    for s in dom.slides:
        words = len(s["notes"].split())
        assert words >= 25, f"slide {s['id'] or s['headings']} has {words} words of notes"


def test_results_slide_is_not_blank(deck, chromium, tmp_path):
    import matplotlib.image as mpimg

    shot = tmp_path / "results.png"
    build.run_chromium(chromium, deck["html"].as_uri() + "#/results", "--window-size=1280,720",
                       "--virtual-time-budget=8000", f"--screenshot={shot}")
    img = mpimg.imread(shot)[..., :3]
    assert img.shape[:2] == (720, 1280)
    assert img.std() > 0.05, "the results slide is (nearly) one colour"
    coloured = (img.max(axis=2) - img.min(axis=2)) > 0.25
    assert coloured.mean() > 0.01, f"only {coloured.mean():.2%} of the results slide is coloured: no chart"
    html = deck["html"].read_text(encoding="utf-8")
    results = html[html.index('id="results"'):html.index('id="results-per-class"')]
    assert "<img" in results and "kNN" in results, "the chart and the table come from the results file"
    assert "/some/folder" not in html, "folders of the machine that made the results are not shown"


def test_pdf_has_one_page_per_slide(deck, dom):
    data = deck["pdf"].read_bytes()
    assert data.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))
    assert pages == len(dom.slides), f"{pages} PDF pages for {len(dom.slides)} slides"


def test_build_without_results_says_how_to_make_them(tmp_path):
    r = build_or_skip(results=tmp_path / "nowhere" / "runs.csv", out=tmp_path / "slides", pdf=False)
    html = r["html"].read_text(encoding="utf-8")
    results = html[html.index('id="results"'):html.index('id="results-per-class"')]
    assert "No results yet" in results and "python -m ganad_lib.experiments" in results
    assert "make slides RESULTS=" in results
    assert r["pdf"] is None
    import nbformat

    executed = nbformat.read(r["html"].parent / build.DECK.name, as_version=4)
    outputs = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error" or o.get("name") == "stderr"], \
        "the deck ran without errors or warnings"


def test_chromium_setting_that_points_nowhere_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("CHROMIUM", "/no/such/chrome")
    with pytest.raises(build.BuildError, match="CHROMIUM='/no/such/chrome' is not an executable"):
        build.find_chromium()
