import csv

import numpy as np
import pytest

from ganad_lib import comparison, published
from ganad_lib.data import DATASETS
from ganad_lib.experiments import COLUMNS
from ganad_lib.protocols import PROTOCOLS


def test_every_entry_is_complete_and_sourced():
    assert published.REPORTED, "at least the second-hand MNIST rows"
    for e in published.REPORTED:
        assert e.dataset in DATASETS and e.protocol in PROTOCOLS and e.metric in ("auroc", "auprc"), e.key
        assert e.unit in ("percent", "fraction")
        assert e.source and e.where and e.data and e.budget and e.selection and e.not_comparable, e.key
        if e.second_hand:
            assert e.second_hand_from, f"{e.key}: a second-hand number says where it was copied from"
        else:
            assert e.arxiv, f"{e.key}: a first-hand number names its paper"
        assert e.values is not None and len(e.values) == 10
        top = 100.0 if e.unit == "percent" else 1.0
        assert all(0.0 <= v <= top for v in e.values)
    assert len({e.key for e in published.REPORTED}) == len(published.REPORTED)


def test_reported_means_agree_with_the_per_class_values():
    # a typo in one class would move the mean by more than the source's rounding (0.05 points)
    for e in published.REPORTED:
        assert abs(np.mean(e.values) - e.mean) <= 0.05 + 1e-9, (e.key, np.mean(e.values), e.mean)


def test_fractions_and_lookup():
    (anogan,) = published.find(method="anogan", dataset="mnist")
    assert anogan.fractions()[1] == pytest.approx(0.998) and anogan.mean_fraction() == pytest.approx(0.937)
    assert anogan.second_hand and "second-hand" in anogan.citation()
    assert published.find(protocol="one_class_anomalous") == []
    assert {e.label for e in published.find(dataset="mnist")} == {"AnoGAN", "OCGAN (not in this course)"}


def test_not_available_says_why():
    for n in published.NOT_AVAILABLE:
        assert n["source"] and len(n["reason"]) > 40
    methods = " ".join(n["method"] for n in published.NOT_AVAILABLE)
    assert "ganomaly" in methods and "egbad" in methods


def test_table_marks_second_hand_rows():
    t = published.table()
    assert "| AnoGAN | mnist | one class normal | AUROC (%) | 99.0 | 99.8 |" in t
    assert t.count("**second-hand**") == 2


def write(path, rows):
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS)
        w.writeheader()
        for r in rows:
            full = {k: "0" for k in COLUMNS}
            full.update({"method": "anogan", "dataset": "mnist", "profile": "cpu", "device": "cpu",
                         "score_images_per_second": "1", "sizes": "s"})
            full.update(r)
            w.writerow(full)


def test_side_by_side_only_under_the_same_protocol(tmp_path):
    (entry,) = published.find(method="anogan", dataset="mnist")
    p = tmp_path / "runs.csv"
    write(p, [{"protocol": "one_class_anomalous", "class": 0, "seed": 0, "auroc": 0.5}])
    other = comparison.load_runs(p)
    assert not published.ours_available(other, entry)
    text = published.side_by_side(other, entry)
    assert "**No run of ours**" in text and "| 0 | 0.990 | — | — |" in text
    write(p, [{"protocol": "one_class_normal", "class": 0, "seed": 0, "auroc": 0.9},
              {"protocol": "one_class_normal", "class": 0, "seed": 1, "auroc": 1.0},
              {"protocol": "one_class_anomalous", "class": 0, "seed": 0, "auroc": 0.1}])
    rows = comparison.load_runs(p)
    assert published.ours_available(rows, entry)
    text = published.side_by_side(rows, entry)
    # ours: mean 0.95, half-width t(0.975, 1) * 0.0707107 / sqrt(2) = 0.6353; 0.95 - 0.99 = -0.040
    assert "| 0 | 0.990 | 0.950 [0.315, 1.585] | -0.040 |" in text
    assert "| 1 | 0.998 | — | — |" in text
    assert "| **mean** | 0.937 | 0.950 [0.315, 1.585] | +0.013 |" in text
    assert "No run of ours" not in text and published.OUR_SETTING in text
