"""Notebook 03's round-3 readings: the search pair, the residual maps, and a score against a search objective."""
import numpy as np

from ganad_lib import narration


def _frame(loss, loss_r, loss_d):
    return {"loss": np.array(loss, dtype=float), "loss_R": np.array(loss_r, dtype=float),
            "loss_D": np.array(loss_d, dtype=float)}


def test_search_pair_reading_settled_pair():
    steps = np.arange(11)
    normal = 100 * np.exp(-steps)        # almost all of the fall in the first step, settled at the end
    bag = 200 - 10 * steps               # a straight line: still falling
    frames = {"normal image": _frame(normal, normal * 0.5, normal * 5), "bag": _frame(bag, bag * 0.5, bag * 5)}
    names = {0: "Shirt", 1: "Bag"}
    text = narration.search_pair_reading(frames, [0, 1, 2, 5, 10], 10, 0.1, 1000, 1024, "Shirt", "Bag",
                                         {"normal image": 120.0, "bag": 150.0}, 0.01,
                                         name_at=lambda row, t: names[row])
    assert "The bag's loss was still falling at Γ while the other had settled" in text
    assert "The bag ends at A(x) = 100.0" in text and "the gap the score relies on" in text
    assert "At some step the judge calls $G(\\mathbf{z}_t)$ a Bag" in text
    assert "**The normal image** (Shirt): Shirt → Shirt" in text and "already the right kind at t = 1" in text
    assert "Its loss was lowest at Γ itself" in text


def test_search_pair_reading_overshoot_and_lower_bag():
    normal = np.array([10, 5, 4, 3, 2, 1, 1, 1, 1, 1, 12.0])   # ends above its start
    bag = np.array([10, 8, 6, 5, 4, 3, 2, 1.5, 1.2, 1.1, 1.0])
    frames = {"normal image": _frame(normal, normal, normal), "bag": _frame(bag, bag, bag)}
    text = narration.search_pair_reading(frames, [0, 1, 5, 10], 10, 0.1, 10, 10, "Coat", "Bag",
                                         {"normal image": 1.0, "bag": 1.0}, 0.01,
                                         name_at=lambda row, t: "Pullover" if t < 5 else "Coat")
    assert "* A loss ended above its start" in text
    assert "here the bag scores lower" in text
    assert "offered nothing of the bag's kind" in text
    assert "not yet the right kind" in text


def test_residual_reading_alarm_and_missed_bags():
    text = narration.residual_reading({"normal": 0.1, "bag": 0.3}, 50.0, [(2, "Shirt", "Ankle boot", 60.0, 40.0)], 8,
                                      6, [30, 40, 45], np.arange(100) / 4, 0.06, 0.9)
    assert "The residual is darker for the normal images" in text
    assert "column 2, a Shirt scoring 60, redrawn as an Ankle boot" in text
    assert "* **Column 2 from 8 other starts:** best score 40, below the threshold: mostly a poor local minimum of " \
           "its start, not an image $G$ cannot draw. Still, 40 is above 100% of the normal test images" in text
    low = narration.residual_reading({"normal": 0.1, "bag": 0.3}, 50.0, [(2, "Shirt", "Ankle boot", 60.0, 5.0)], 8,
                                     6, [30, 40, 45], np.arange(100) / 4, 0.06, 0.9)
    assert "best score 5, below the threshold" in low and "Still," not in low
    bad = narration.residual_reading({"normal": 0.1, "bag": 0.3}, 50.0, [(2, "Shirt", "Ankle boot", 60.0, 55.0)], 8,
                                     6, [30, 40, 45], np.arange(100) / 4, 0.06, 0.9)
    assert "best score still 55: $G$ draws this image badly" in bad and "local minimum" not in bad
    assert "* None of the 3 bags shown scores above it: scores of 30 to 45, even the lowest above 100% of the normal" in text
    assert "recall of 6% next to an AUROC of 0.900" in text


def test_residual_reading_no_alarm_and_caught_bags():
    text = narration.residual_reading({"normal": 0.4, "bag": 0.3}, 50.0, [], 8, 6, [60, 70, 45],
                                      np.arange(100), 0.5, 0.9)
    assert "not darker" in text and "none of the 6 shown here does" in text
    assert text.endswith("* 2 of the 3 bags shown score above it.")


def test_score_vs_objective():
    labels = {0: narration.TIED, 0.5: narration.BEYOND, 1: "weak evidence"}
    auroc = {0: 0.888, 0.1: 0.902, 0.5: 0.831, 1: 0.841}
    text = narration.score_vs_objective(0.1, 0.899, auroc, labels, 256)
    assert "On the same 256 images, L_D read at the λ = 0.1 codes scores 0.899 (the λ = 0.1 score: 0.902)" in text
    assert "searching with L_D alone (λ = 1) scores 0.841 (λ = 0.5: 0.831)." in text
    assert "One possible reason, untested: " in text and "match x in features but not in pixels" in text
    assert narration.score_vs_objective(0.1, 0.84, auroc, labels, 256) == ""     # no better than the search
    assert narration.score_vs_objective(0.1, 0.95, auroc, {**labels, 1: narration.TIED}, 256) == ""


def test_paired_verdict_shown_prints_the_interval():
    d = (-0.014, -0.046, 0.017, -0.058, 0.030, 256)
    wobble = [[-0.047, -0.045], [0.016, 0.018], [-0.06, -0.056], [0.028, 0.032]]
    text = narration.paired_verdict_shown(d, wobble, 7, "99.3 %")
    assert text == "not distinguishable (on 256 images the 95 % interval [-0.046, +0.017] contains 0)"
    beyond = (-0.07, -0.116, -0.027, -0.133, -0.011, 256)
    wob = [[-0.117, -0.115], [-0.028, -0.026], [-0.134, -0.132], [-0.012, -0.010]]
    assert narration.paired_verdict_shown(beyond, wob, 7, "99.3 %") == narration.paired_verdict(beyond, wob, 7, "99.3 %")
