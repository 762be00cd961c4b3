"""Notebook 05's readings added in the third review round: one table of the threshold's numbers and what the
full-split comparison compares (feed numbers, assert the words)."""

from ganad_lib import narration


def _table(**kw):
    args = dict(auroc=0.9341, auroc_se=0.0049, auprc=0.849, share=0.357, threshold=0.079232, flagged_normal=0.0358,
                z_fa=-1.43, recall=0.549, precision=0.89498, precision_rare=0.1344, fpr_at_95_tpr=0.2411)
    args.update(kw)
    return narration.threshold_table(**args)


def test_threshold_table_gives_each_number_once_with_one_rounding():
    text = _table()
    assert text.startswith("| measure | value | read as |\n|---|---|---|\n")
    assert "| AUROC | 0.934 (standard error 0.005) |" in text and "0.5 is chance" in text
    assert "| (notebook 00) chance: the share of bags, 0.357 |" in text and "| threshold | 0.07923 |" in text
    assert "used by the next three rows" in text and "at the validation threshold" not in text
    assert "| normal test images flagged | 3.6% | aim 5 %: 1.4 standard errors below |" in text
    assert "| bags flagged (recall) | 54.9% |" in text
    assert "| flagged images that are bags (precision) | 89.5% |" in text and "with 1 % bags" in text
    assert "give 13.4%" in text and "| false-positive rate at 95 % recall | 24.1% |" in text
    assert "89%" not in text and "90%" not in text   # one rounding: no other form of the precision
    assert "1.4 standard errors above" in _table(z_fa=1.43) and len(text.splitlines()) == 9


def _full(**kw):
    args = dict(kept={"untrained": 0.0, "your run": 0.841, "full split": 0.885},
                chance={"untrained": 0.0, "your run": 0.152, "full split": 0.161}, auroc_yours=0.934,
                auroc_full=0.915, swing_late=0.029, bench_auroc=[0.934, 0.937, 0.926], images=(6000, 45360),
                epochs=(15, 4), steps=(1395, 2832), full_still_falling=True)
    args.update(kw)
    return narration.full_split_comparison(**args)


def test_full_split_comparison_says_what_it_compares_and_what_it_does_not_show():
    text = _full()
    assert text.startswith("**What this compares.** One model against one model, seed 0 each")
    assert "your run (6,000 training images, 15 epochs, 1,395 steps)" in text
    assert "full-split model (45,360 images, 4 epochs, 2,832 steps)" in text
    assert ("* **The judge:** $G(x)$ keeps the class of 84.1% of the normal test images in your run (chance 15.2%), "
            "88.5% in the full-split model (chance 16.1%); untrained networks 0.0% (chance 0.0%).\n* **Bag AUROC:**") in text
    assert ("0.934 against 0.915 (-0.019), within your run's own late-epoch movement (0.029), larger than the spread "
            "of three cpu seeds of your settings (0.011: 0.926 to 0.937)") in text
    assert "whether more data makes a better detector" in text
    assert "7.6 times the images, 4 epochs against 15, 2.0 times the steps" in text
    assert "had not converged" in text and "one seed each" in text
    assert "had not converged" not in _full(full_still_falling=False)
    assert "(+0.000), within your run's own late-epoch movement (0.029), within the spread" in _full(auroc_full=0.934)
    assert "larger than your run's own late-epoch movement (0.029), larger than the spread" in _full(auroc_full=0.88)
    assert "larger than your run's own late-epoch movement (0.010), within the spread of three cpu seeds of your " \
        "settings (0.050: 0.900 to 0.950)" in _full(swing_late=0.010, bench_auroc=[0.90, 0.95, 0.93])
