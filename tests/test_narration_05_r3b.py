"""Notebook 05's readings added in review round 3b: near-zero values and rare picks said plainly, each model's judge
share beside its own chance level, L_adv read against D's spikes (feed numbers, assert the words)."""

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


def _sel(**kw):
    opt = {**OPT, **kw}
    return narration.selection_bullets_plain(0.930, 0.947, 6, 15, 15, opt, 0.008, 1501, (0.017, 0.012, 0.021), 3000)


def test_selection_bullets_plain_says_near_zero_counts_and_what_carries_over():
    text = _sel()
    assert "A picked epoch 6 in 196 of 200, epoch 2 in 3, epoch 14 in 1." in text and "in 0%" not in text
    assert "about 0 (-0.0003) on average, well under the standard error of one half's AUROC (0.008" in text
    assert "(× 1/√2, rough): about 0 (-0.0002) of the +0.017." in text and "-0.000 " not in text
    assert "epoch 6's AUROC would roughly carry over to new data; only *finding* that epoch needed the test labels" in text
    assert "**Real difference, two checks:** on B, picked minus kept epoch +0.016" in text and "Two things" not in text
    assert "(test-sample noise only). *So epoch 6 likely ranks bags better than the kept epoch:* half B" in text
    weak = _sel(mean_optimism=0.012, mean_gain=0.001)
    assert "+0.012 on average, 1.5 times the standard error" in weak and "Not small." in weak
    assert "carry over" not in weak and "0.947 cannot be reproduced on new data" in weak


def _mistakes(**kw):
    args = dict(score_change=0.53, auroc_eval=0.930, shuffles=[0.936, 0.936, 0.935, 0.937, 0.935], auroc_sorted=0.978,
                honest=0.930, picked=0.947, picked_epoch=6, optimism_whole=-0.0002, gain=0.0163, sd_gain=0.003)
    args.update(kw)
    return narration.mistakes_in_this_run_plain(**args)


def test_mistakes_plain_names_systematic_shift_and_near_zero_selection():
    text = _mistakes()
    assert "(0.936 against 0.930 in eval mode; 3 times the shufflings' spread: systematic, set by the share of bags)" in text
    assert "Selection accounts for about 0 (-0.0002) of that" in text and "Roughly" not in text
    assert ("the rest is a real difference the validation rule could not see: that epoch's AUROC would roughly carry "
            "over, but finding it needed the test labels.") in text
    assert "systematic" not in _mistakes(auroc_eval=0.9358)
    assert "no measurable real difference" in _mistakes(gain=0.001) and "carry over" not in _mistakes(gain=0.001)


def test_judge_against_chance_puts_each_share_beside_its_own_chance():
    base = ("**What this compares.** x.\n\n* **The judge:** old line, chance pairing 0.0%.\n"
            "* **Bag AUROC:** 0.930.")
    text = narration.judge_against_chance(base, {"untrained": 0.0, "your run": 0.839, "full split": 0.885},
                                          {"untrained": 0.0, "your run": 0.152, "full split": 0.161})
    assert ("* **The judge:** $G(x)$ keeps the class of 83.9% of the normal test images in your run (chance 15.2%), "
            "88.5% in the full-split model (chance 16.1%); untrained networks 0.0% (chance 0.0%).\n* **Bag AUROC:**") in text
    assert "old line" not in text and text.startswith("**What this compares.** x.\n\n")


def test_adv_follows_d_reads_the_drop_only_when_there_is_one():
    text = narration.adv_follows_d(0.021, 0.31, 0.02)
    assert "top 2% of steps" in text and "averages 0.021, elsewhere 0.31" in text
    assert "follows the contest with $D$, not reconstruction quality" in text
    flat = narration.adv_follows_d(0.25, 0.31, 0.02)
    assert "did not drop" in flat and "contest" not in flat


def test_threshold_table_split_and_weak_correlation():
    kw = dict(auroc=0.93, auroc_se=0.006, auprc=0.839, share=0.357, threshold=0.084, flagged_normal=0.041, z_fa=-0.8,
              recall=0.539, precision=0.878, precision_rare=0.116, fpr_at_95_tpr=0.249)
    text = narration.threshold_table_split(**kw)
    assert text.startswith("| measure | value | read as |") and "at the validation threshold" not in text
    assert "used by the next three rows" in text and "(notebook 00) chance: the share of bags, 0.357" in text
    names = [f"c{i}" for i in range(10)]
    med = {c: 0.01 * c for c in range(1, 10)}
    mean = {c: 0.5 + 0.01 * c for c in range(1, 10)}
    assert "weak and not significant with 9 classes." in narration.score_baselines_weak(names, med, mean, 0.48, 0.19, [])
    assert "inconclusive" in narration.score_baselines_weak(names, med, mean, 0.1, 0.8, [])
    assert "so the prediction holds" in narration.score_baselines_weak(names, med, mean, 0.9, 0.001, [])
