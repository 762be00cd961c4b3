"""Notebook 01's reading added in review round 3: how sure D was over the DCGAN run, with the saturating loss
as a counterfactual (its gradient factor at the lowest D(G(z))), never as what the run used."""

from ganad_lib import narration


def _report(classes, frechet, confident=0.7, smallest=0.09, real=0.858):
    return {"classes_covered": classes, "frechet": frechet, "confident": confident, "min_normal_share": smallest,
            "confident_real": real}


def test_gan_verdict_short_states_the_rule_closeness_and_sharpness_once():
    long_text, live_text = narration.gan_verdict_short(_report(9, 13.4, 0.701), _report(6, 444.3, 0.22), 1365.1,
                                                       (2.5, 5.3), 0.76, 0.19, 0.817, (0.790, 0.845), 0.85)
    assert "the course uses it" in long_text and "76% of the way" in long_text and "past halfway" in long_text
    assert "above the floor's range (2.5 to 5.3)" in long_text
    assert "confident on 70.1% of these samples against 85.8% of real images" in long_text
    assert "a ratio of 0.817 (95 % interval 0.790 to 0.845), slightly below the 0.85 reference." in long_text
    assert long_text.count("0.85 reference") == 1 and "two decimals" not in long_text
    assert "19% of the way" in live_text and "short of halfway" in live_text and "33 times lower" in live_text
    missing, _ = narration.gan_verdict_short(_report(8, 13.4), _report(6, 444.3), 1365.1, (2.5, 5.3), 0.76, 0.19,
                                             0.7, (0.66, 0.74), 0.85)
    assert "not usable" in missing and "8 of 9" in missing and ", below the 0.85 reference" in missing
    inside, _ = narration.gan_verdict_short(_report(9, 4.0), _report(6, 444.3), 1365.1, (2.5, 5.3), 0.95, 0.19,
                                            0.9, (0.87, 0.93), 0.85)
    assert "inside the floor's range" in inside and "at or above the 0.85 reference" in inside
    # an upper end just under the reference is a miss, printed with the decimals that show it (never "0.850")
    near, _ = narration.gan_verdict_short(_report(9, 13.4), _report(6, 444.3), 1365.1, (2.5, 5.3), 0.76, 0.19,
                                          0.827, (0.805, 0.8496), 0.85)
    assert "0.805 to 0.8496), slightly below the 0.85 reference" in near
    straddle, _ = narration.gan_verdict_short(_report(9, 13.4), _report(6, 444.3), 1365.1, (2.5, 5.3), 0.76, 0.19,
                                              0.837, (0.810, 0.865), 0.85)
    assert "an interval that contains the 0.85 reference: it cannot separate them." in straddle


def test_gradient_agreement_gives_the_agreement_in_whole_per_cent():
    assert "agree within 5 %" in narration.gradient_agreement(50, 216, 227)
    assert "agree within 1 %" in narration.gradient_agreement(50, 227, 227)
    assert "further apart" in narration.gradient_agreement(50, 500, 227)
    assert "explains the measurement" not in narration.gradient_agreement(50, 216, 227)


