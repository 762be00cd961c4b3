"""Notebook 05's readings from review round 6: the grid gaps without the sign test, the single recap of Section 7,
the recap's fallback rule, the judge's floor explained, the spelled-out AUPRC row, one number format, and the
exercise message for a detached f_fake (feed numbers, assert the words)."""

from ganad_lib import exercises, narration
from ganad_lib.comparison import Interval

GAPS = [0.084, 0.066, 0.060]
LIVE = dict(live_gap=0.033, live_low=0.023, live_high=0.045, n_test=3000, live_sizes=(32, 100), grid_sizes=(16, 100))


def test_grid_gaps_t_interval_has_no_sign_test_and_short_sentences():
    text = narration.grid_gaps_t_interval([0, 1, 2], GAPS, Interval(0.07, 0.039, 0.101, 3, 0.95), **LIVE)
    assert "sign" not in text and "p =" not in text
    assert ("Its paired bootstrap 95 % interval over the 3,000 test images is +0.023 to +0.045, so for this one trained "
            "model the gap is far beyond test-sample noise.") in text
    assert "+0.084 (seed 0), +0.066 (seed 1), +0.060 (seed 2). A paired t-interval over the 3 gaps gives a mean of "\
           "+0.070, 95 % interval +0.039 to +0.101. It excludes 0, so across these seeds the latent distance is better" \
           in text
    assert "Your run's gap (0.033) is smaller than every grid gap; the runs differ in width (32 here, 16 in the grid)" \
        in text
    wide = narration.grid_gaps_t_interval([0, 1, 2], [0.02, -0.01, 0.03], Interval(0.013, -0.04, 0.066, 3, 0.95),
                                          **{**LIVE, "live_gap": 0.005, "live_low": -0.004, "live_high": 0.014,
                                             "live_sizes": (16, 100)})
    assert "It includes 0, so the seeds cannot tell" in wide and "within test-sample noise" in wide
    assert "within the grid gaps' range, at the grid's own settings." in wide


KW = dict(score_change=0.53, auroc_eval=0.930, shuffles=[0.936, 0.936, 0.935, 0.937, 0.935], auroc_sorted=0.978,
          honest=0.930, picked=0.947, picked_epoch=6, optimism_whole=-0.0002)


def test_mistakes_recap_follows_the_verdict_in_short_sentences():
    real = narration.mistakes_recap(**KW, real=True)
    assert "instead of the honest 0.930 (+0.017). Selection explains almost none of that. Epoch 6 really ranks bags " \
           "better, and the validation rule could not see it." in real
    assert real.endswith("but only the test labels could find it.") and ": that epoch's" not in real
    assert "hardly moved (0.936 against 0.930 in eval mode), so a shuffled benchmark hides the defect. In label-sorted" \
           in real
    none = narration.mistakes_recap(**KW, real=False)
    assert "The checks show no real difference" in none and none.endswith("so 0.947 cannot be reproduced in use.")
    assert "Selection explains +0.004 of that." in narration.mistakes_recap(**{**KW, "optimism_whole": 0.004}, real=True)
    same = narration.mistakes_recap(**{**KW, "picked": 0.930}, real=False)
    assert "it added nothing in this run." in same
    moved = narration.mistakes_recap(**{**KW, "shuffles": [0.95, 0.96]}, real=True)
    assert "In shuffled batches the AUROC was 0.955, against 0.930 in eval mode." in moved


def _full(**kw):
    args = dict(kept={"untrained": 0.0, "your run": 0.839, "full split": 0.885},
                chance={"untrained": 0.0, "your run": 0.111, "full split": 0.111}, auroc_yours=0.930,
                auroc_full=0.915, swing_late=None, bench_auroc=[0.926, 0.937, 0.934], images=(6000, 45360),
                epochs=(15, 4), steps=(1395, 2832), full_still_falling=True, untrained_filed=("Bag", 1.0, False))
    args.update(kw)
    return narration.full_split_comparison(**args)


def test_full_split_comparison_explains_the_floor_and_may_leave_out_the_late_swing():
    text = _full()
    assert ("untrained networks 0.0% (chance 0.0%). The judge files 100% of the untrained reconstructions as *Bag*, a "
            "class no normal test image has.\n* **Bag AUROC:**") in text
    assert "late-epoch" not in text
    assert "0.930 against 0.915 (-0.015), larger than the spread of three cpu seeds of your settings (0.011" in text
    seen = _full(untrained_filed=("Shirt", 0.62, True))
    assert "as *Shirt*." in seen and "no normal test image" not in seen
    assert "within your run's own late-epoch movement (0.026), " in _full(swing_late=0.026)
    assert "The judge files" not in _full(untrained_filed=None)


def test_threshold_table_spells_out_the_auprc_row():
    kw = dict(auroc=0.93, auroc_se=0.006, auprc=0.839, share=0.357, threshold=0.084, flagged_normal=0.041, z_fa=-0.8,
              recall=0.539, precision=0.878, precision_rare=0.116, fpr_at_95_tpr=0.249)
    text = narration.threshold_table(**kw, spell_out=True)
    assert "| AUPRC | 0.839 | area under the precision–recall curve; chance = share of bags, 0.357 (notebook 00) |" \
           in text
    assert "(notebook 00) chance:" in narration.threshold_table(**kw)


def test_validation_rule_three_figures_keeps_trailing_zeros():
    weighted = {"L_con": 3.4, "L_adv": 0.276, "L_enc": 0.0337}
    text = narration.validation_rule(15, [0.3, 0.2, 0.1], weighted, value_only=True, three_figures=True)
    assert "$w_{con}\\mathcal{L}_{con}$ 3.40, $w_{adv}\\mathcal{L}_{adv}$ 0.276, $w_{enc}\\mathcal{L}_{enc}$ 0.0337" in text
    assert "$w_{con}\\mathcal{L}_{con}$ 3.4," in narration.validation_rule(15, [0.3, 0.2, 0.1], weighted, value_only=True)


def test_paper_adversarial_loss_check_names_a_detached_f_fake():
    def fake_detached(fr, ff):   # gradient only through f_real: the generator would learn nothing
        return (fr - ff.mean(0).detach()).norm(dim=1).mean()

    result = exercises.check_paper_adversarial_loss(fake_detached)
    assert not result.passed and "f_fake is detached, so the generator gets no gradient from this loss" in \
        result.message, result
    reference = exercises.check_paper_adversarial_loss(
        lambda fr, ff: (fr.detach() - ff.mean(dim=0, keepdim=True)).norm(dim=1).mean())
    assert reference.passed, reference
    doubled = exercises.check_paper_adversarial_loss(   # right value, twice the gradient on f_fake
        lambda fr, ff: (fr.detach() - (2 * ff - ff.detach()).mean(0)).norm(dim=1).mean())
    assert not doubled.passed and "wrong gradient with respect to f_fake" in doubled.message, doubled
