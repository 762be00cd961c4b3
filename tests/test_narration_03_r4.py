"""Notebook 03's round-4 readings: plain verdicts, the λ sweep one claim per bullet, the summary table."""
import pytest

from ganad_lib import narration

# (difference, 95 % low, high, widened low, high, images)
DIFFS = {0.0: (-0.014, -0.046, 0.017, -0.058, 0.030, 256), 0.5: (-0.070, -0.116, -0.027, -0.133, -0.011, 256),
         1.0: (-0.060, -0.105, -0.016, -0.122, 0.0004, 256)}
AUROC = {0.0: 0.888, 0.1: 0.902, 0.5: 0.831, 1.0: 0.841}
LABELS = {0.0: narration.TIED, 0.5: narration.BEYOND, 1.0: narration.EDGE_BEYOND}


def test_plain_verdict_reads_the_edge_as_the_weaker_word():
    assert narration.plain_verdict(narration.BEYOND) == "*beyond the noise*"
    assert narration.plain_verdict(narration.EDGE_BEYOND) == "*weak evidence* (borderline)"
    assert narration.plain_verdict(narration.EDGE_WEAK) == "*not distinguishable* (borderline)"
    assert narration.plain_verdict(narration.TIED) == "*not distinguishable*"
    with pytest.raises(ValueError):
        narration.plain_verdict("significant")


def test_lambda_sweep_bullets_one_claim_each():
    text = narration.lambda_sweep_bullets(0.1, AUROC, DIFFS, LABELS, 256)
    assert "(256 test images;" in text and "the paper's value, which scores 0.902" in text
    assert "* λ = 0: 0.888, -0.014 against λ = 0.1, *not distinguishable*.\n" in text
    assert "* λ = 0.5: 0.831, -0.070 against λ = 0.1, *beyond the noise*.\n" in text
    assert "* λ = 1: 0.841, -0.060 against λ = 0.1, *weak evidence* (borderline).\n" in text
    assert "* No λ scores above 0.1 on this sample." in text
    assert "drop at λ = 0.5 and 1, untested" in text
    assert "on the edge" not in text and "%" not in text


def test_lambda_sweep_bullets_a_higher_lambda():
    diffs = {**DIFFS, 0.5: (0.05, 0.01, 0.09, -0.01, 0.11, 256)}
    text = narration.lambda_sweep_bullets(0.1, AUROC, diffs, {**LABELS, 0.5: narration.WEAK}, 256)
    assert "* λ = 0.5 scores above 0.1, read with test labels: no licence to retune." in text
    assert "drop at λ = 1, untested" in text


def test_anogan_sweeps_table_plain():
    text = narration.anogan_sweeps_table_plain(100, 64, 0.895, 0.900, 512, 0.1, AUROC, DIFFS, LABELS, 256)
    assert "| Γ | stopped at step 64 of 100 | 0.895 | -0.005 against Γ = 100 (0.900), 512 images | not tested |" in text
    assert "| λ | 1 | 0.841 | -0.060 [-0.105, -0.016] | *weak evidence* (borderline) |" in text
    assert "| λ | 0.1, the paper's | 0.902 | the reference (256 images) | — |" in text
    assert "99.3" not in text and "on the edge" not in text


def _frame(loss, loss_r, loss_d):
    import numpy as np
    return {"loss": np.array(loss, dtype=float), "loss_R": np.array(loss_r, dtype=float),
            "loss_D": np.array(loss_d, dtype=float)}


def test_search_pair_reading_short_cuts_and_splits():
    import numpy as np
    steps = np.arange(11)
    normal = 100 * np.exp(-steps)
    bag = np.where(steps < 10, 200 - 10 * steps, 110.05).astype(float)   # lowest at step 9, a hair below the last
    frames = {"normal image": _frame(normal, normal * 0.5, normal * 5), "bag": _frame(bag, bag * 0.5, bag * 5)}
    names = {0: "Shirt", 1: "Pullover"}
    args = (frames, [0, 1, 2, 5, 10], 10, 0.1, 1000, 1024, "Shirt", "Bag", {"normal image": 120.0, "bag": 150.0}, 0.3)
    long = narration.search_pair_reading(*args, name_at=lambda row, t: names[row])
    text = narration.search_pair_reading_short(*args, name_at=lambda row, t: names[row])
    assert len(text) < len(long)
    assert "Its lowest loss (step 9) is only 0.0% below the last" in long and "Its lowest loss" not in text
    assert "* With the default step 0.3 (Section 3) they scored 120.0 and 150.0: a score belongs to the generator " \
           "*and* the search.\n" in text
    assert "moved their scores" not in text and "of the fall done by step" not in text
    assert "offered nothing of the bag's kind here.\n" in text and "histograms" not in text
    assert "\n* **The small weight is offset by size:** L_D sums 1,000 feature differences" in text
    assert "Section 8 scores each part alone" not in text
    assert "already the right kind at t = 1.\n" in text
