import matplotlib.pyplot as plt
import numpy as np
import pytest

from ganad_lib.widgets import plot_threshold_report, threshold_explorer, threshold_report

# 4 normal images, 3 anomalies
SCORES = np.array([0.1, 0.2, 0.3, 0.9, 0.5, 0.8, 0.95])
LABELS = np.array([False, False, False, False, True, True, True])


def test_report_counts_by_hand():
    r = threshold_report(0.6, SCORES, LABELS)
    # flagged (> 0.6): 0.9 (normal), 0.8 and 0.95 (anomalies)
    assert (r["tn"], r["fp"], r["fn"], r["tp"]) == (3, 1, 1, 2)
    assert r["confusion"].tolist() == [[3, 1], [1, 2]]
    assert r["precision"] == pytest.approx(2 / 3)
    assert r["recall"] == pytest.approx(2 / 3)
    assert r["f1"] == pytest.approx(2 / 3)
    assert r["fpr"] == pytest.approx(1 / 4)
    assert r["flagged"] == 3


def test_report_strict_inequality_and_empty_denominators():
    # a score equal to the threshold is not flagged
    assert threshold_report(0.9, SCORES, LABELS)["fp"] == 0
    r = threshold_report(10.0, SCORES, LABELS)  # nothing flagged: precision 0/0 -> 0
    assert (r["tp"], r["fp"], r["precision"], r["recall"], r["f1"]) == (0, 0, 0.0, 0.0, 0.0)
    r = threshold_report(-1.0, SCORES, LABELS)  # everything flagged
    assert r["recall"] == 1.0 and r["fpr"] == 1.0 and r["precision"] == pytest.approx(3 / 7)


def test_report_is_pure_and_accepts_01_labels():
    s, y = SCORES.copy(), LABELS.copy()
    a = threshold_report(0.4, s, y.astype(int))
    b = threshold_report(0.4, s, y)
    assert a["confusion"].tolist() == b["confusion"].tolist()
    np.testing.assert_array_equal(s, SCORES)
    np.testing.assert_array_equal(y, LABELS)


def test_report_clear_errors():
    with pytest.raises(ValueError, match="7 scores but 6 labels"):
        threshold_report(0.5, SCORES, LABELS[:-1])
    with pytest.raises(ValueError, match="NaN"):
        threshold_report(0.5, np.r_[SCORES[:-1], np.nan], LABELS)
    with pytest.raises(ValueError, match="boolean"):
        threshold_report(0.5, SCORES, np.arange(7))
    with pytest.raises(ValueError, match="finite"):
        threshold_report(float("nan"), SCORES, LABELS)


def test_explorer_slider_updates_result_headless():
    ex = threshold_explorer(SCORES, LABELS, val_threshold=0.35)
    slider = ex.kwargs_widgets[0]
    assert slider.value == pytest.approx(0.35)
    assert slider.min == pytest.approx(0.1) and slider.max == pytest.approx(0.95)
    assert ex.result["threshold"] == pytest.approx(0.35)
    slider.value = 0.6
    assert ex.result["confusion"].tolist() == threshold_report(0.6, SCORES, LABELS)["confusion"].tolist()
    assert plt.get_fignums() == []  # the drawn figures were closed


def test_plot_marks_both_thresholds():
    r = threshold_report(0.6, SCORES, LABELS)
    ax, cx = plot_threshold_report(r, SCORES, LABELS, val_threshold=0.35)
    xs = sorted(line.get_xdata()[0] for line in ax.get_lines())
    assert xs == pytest.approx([0.35, 0.6])
    assert "F1 0.67" in cx.get_title()
    plt.close(ax.figure)
