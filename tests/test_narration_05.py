"""Notebook 05's readings added after the December review: the grid gaps with a paired t-interval beside the
sign test, the gradient-share bullets, and the hedged options of older readings (the defaults keep the old text,
tested in tests/test_narration.py)."""

from ganad_lib import narration


def test_what_drives_bullets_end_each_bullet_with_a_conclusion():
    text = narration.what_drives_bullets([0.4, 1.2, 0.99], [0.848, 0.047, 0.034], {"L_con": 0.99, "L_adv": -0.01,
                                         "L_enc": 0.02}, {"L_con": 0.95, "L_adv": 0.04, "L_enc": 0.01}, 2)
    bullets = [line for line in text.splitlines() if line.startswith("* ")]
    assert len(bullets) == 2
    assert "*So the codes did not shrink (they grew): $\\mathcal{L}_{enc}$ fell because $E$ learnt" in bullets[0]
    assert "*So $\\mathcal{L}_{con}$ drives $G_E$ and $G_D$, from the first step to the kept weights.*" in bullets[1]
    assert "a negative share" in bullets[1]
    shrunk = narration.what_drives_bullets([0.4, 0.1, 0.05], [0.8, 0.2, 0.09], {"L_con": 0.9, "L_adv": 0.05,
                                           "L_enc": 0.05}, {"L_con": 0.3, "L_adv": 0.6, "L_enc": 0.1}, 2)
    assert "smaller codes, not closer agreement" in shrunk and "the objective's value alone would not tell" in shrunk


def test_hedged_options_of_older_readings():
    val, test = [0.5, 0.4, 0.3, 0.2], [0.8, 0.85, 0.86, 0.87]
    here = narration.validation_proxy(val, test, 1, 50.0, 0.01, 0.0049, False, missed_better=2, here=True)
    assert here.endswith("did not see it here.") and "cannot see" not in here
    bags = narration.shown_bags(8, [5, 6], 0.065, 3, 5, 0.07, 0.033, 3, hedged=True)
    assert "consistent with Section 1's intuition" in bags and "as Section 1's intuition predicts" not in bags
    sorted_text = narration.sorted_batches(0.979, [0.935, 0.936], 0.934, True, True, 10, 700, mirror=0.44)
    assert "(the figure for normal images; the printed mirror for bags, +44 %)" in sorted_text


def test_judge_bullets_keep_the_yardsticks_and_the_confound():
    kept = {"untrained": 0.0, "your run": 0.841, "full split": 0.885}
    text = narration.judge_bullets(kept, 0.0, -0.019, 0.029, 0.011, blur_share=1.0, input_share=0.0, class_name="Bag",
                                   auroc_full=0.915, bench_auroc=[0.926, 0.937, 0.93], epochs=(4, 15),
                                   full_still_falling=True)
    assert len([line for line in text.splitlines() if line.startswith("* ")]) == 4
    assert "the floor is exactly at chance" in text and "your run 84.1%, the full-split model 88.5%" in text
    assert ("0.019 lower than your run's: within your run's late-epoch movement (0.029) but beyond the three cpu seeds' "
            "span (0.011), below every cpu seed.") in text
    assert "(4 epochs against your 15) and the full-split model had not converged" in text
    same = narration.judge_bullets(kept, 0.0, 0.0, 0.029, 0.011, blur_share=0.9, input_share=0.01, class_name="Bag",
                                   auroc_full=0.93, bench_auroc=[0.926, 0.937], epochs=(15, 15),
                                   full_still_falling=False)
    assert "agree to three decimals" in same and "gives no spread" in same and "90% of the untrained blurs" in same
