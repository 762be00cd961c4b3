"""Notebook 05's readings added in review round 3b: near-zero values and rare picks said plainly, L_adv read against
D's spikes, the threshold table's header and a weak correlation (feed numbers, assert the words)."""

import numpy as np

from ganad_lib import narration

OPT = dict(picked=np.array([6] * 196 + [2] * 3 + [14]), mean_optimism=-0.0003, sd_optimism=0.008, mean_gain=0.0163,
           sd_gain=0.003)


def test_near_zero_and_pick_counts():
    assert narration.near_zero(-0.0003) == "about 0 (-0.0003)" and narration.near_zero(0.0) == "0"
    assert narration.near_zero(0.0123) == "+0.012" and narration.near_zero(-0.02) == "-0.020"
    assert narration.pick_counts(OPT["picked"]) == "epoch 6 in 196 of 200, epoch 2 in 3, epoch 14 in 1"
    assert narration.pick_counts([3, 3]) == "epoch 3 every time"
    assert narration.pick_counts([1, 1, 1, 2, 3, 4]) == "epoch 1 in 3 of 6, epoch 2 in 1, epoch 3 in 1, others in 1"


def test_adv_follows_d_reads_the_drop_only_when_there_is_one():
    text = narration.adv_follows_d(0.021, 0.31, 0.02)
    assert "top 2% of steps" in text and "averages 0.021, elsewhere 0.31" in text
    assert "follows the contest with $D$, not reconstruction quality" in text
    flat = narration.adv_follows_d(0.25, 0.31, 0.02)
    assert "did not drop" in flat and "contest" not in flat


def test_threshold_table_header_and_weak_correlation():
    kw = dict(auroc=0.93, auroc_se=0.006, auprc=0.839, share=0.357, threshold=0.084, flagged_normal=0.041, z_fa=-0.8,
              recall=0.539, precision=0.878, precision_rare=0.116, fpr_at_95_tpr=0.249)
    text = narration.threshold_table(**kw)
    assert text.startswith("| measure | value | read as |") and "at the validation threshold" not in text
    assert "used by the next three rows" in text and "(notebook 00) chance: the share of bags, 0.357" in text
    names = [f"c{i}" for i in range(10)]
    med = {c: 0.01 * c for c in range(1, 10)}
    mean = {c: 0.5 + 0.01 * c for c in range(1, 10)}
    assert "(p = 0.19), weak and not significant with 9 classes." in narration.score_baselines(names, med, mean, 0.48, 0.19,
                                                                                              [])
    assert "against the prediction, but not significant with 9 classes." in narration.score_baselines(names, med, mean,
                                                                                                     -0.48, 0.19, [])
    assert "inconclusive" in narration.score_baselines(names, med, mean, 0.1, 0.8, [])
    assert "so the prediction holds" in narration.score_baselines(names, med, mean, 0.9, 0.001, [])
