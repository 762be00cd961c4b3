"""Notebook 01, review round 7: D's confidence measured on ONE set of logits (Going deeper (e)), Section 6's shorter
reading of D's accuracy, the other draw of z in the sharpness verdict and the summary, the falling learning rate's
part of the gap in Going deeper (d), the strong D's summary sentence and the cosine of the latent walk's codes."""

from ganad_lib import narration


def test_d_balance_reads_accuracy_and_points_to_going_deeper():
    text = narration.d_balance(0.69, 744, 0.94, 0.85)
    assert text.startswith("**This run.** Over the whole run") and "69% of the 744 minibatch steps" in text
    assert "The last epoch was a dip: 0.94 in training mode, 0.85 image by image" in text
    assert "D is clearly ahead" in text and "Going deeper (e)" in text
    # no reading of the geometric mean here any more
    assert "geometric" not in text and "loss\\_G" not in text
    steady = narration.d_balance(0.2, 500, 0.9, 0.85)
    assert "At the end: 0.90" in steady and "dip" not in steady and "part of the run" in steady


def test_strong_summary_states_the_measurement_with_its_hedge():
    text = narration.strong_summary([3, 3], 3, 3)
    assert text == ("A strong one ($k = 5$, as many $G$ steps) collapsed 2 of 3 seeds onto 3 modes, where $k = 1$ "
                    "covered all 8 modes in 3 of 3 (with 3 seeds: that it happens, not how often).")
    assert "2 to 4 modes" in narration.strong_summary([2, 4], 2, 3)
    assert "onto 1 mode," in narration.strong_summary([1], 3, 3)
    none = narration.strong_summary([], 3, 3)
    assert "did not collapse any of the 3 seeds this time" in none and "prevent" not in none
    assert "did not collapse its one seed this time; $k = 1$ covered all 8 modes in 0 of 1." in \
        narration.strong_summary([], 0, 1)
    assert "collapsed 1 of 1 seed onto" in narration.strong_summary([3], 0, 1)


def test_code_pair_cosine_names_the_pair():
    opposed = narration.code_pair_cosine(-0.20, (9.1, 9.5), 5.9, 100)
    assert "standard deviation is $1/\\sqrt{n_z}$ = 0.1, so about 95 % of pairs lie within ±0.2" in opposed
    assert "This pair, at -0.20, is at the edge of that range: opposed enough" in opposed
    assert "5.9, lies below the 6.6" in opposed and "slightly" not in opposed
    aligned = narration.code_pair_cosine(0.12, (9.1, 9.5), 7.4, 100)
    assert "inside that range: aligned" in aligned and "above the 6.6" in aligned
    rare = narration.code_pair_cosine(-0.3, (9.1, 9.5), 5.5, 100)
    assert "outside that range, a rare draw" in rare
    usual = narration.code_pair_cosine(0.05, (9.1, 9.5), 6.7, 100)
    assert "as expected" in usual and "opposed" not in usual and "edge" not in usual


def test_sharpness_summary_hedges_when_the_draws_disagree():
    b, s, a = "below the reference", "straddling the reference", "above the reference"
    assert narration.sharpness_summary(b, s) == "at or just below"
    assert narration.sharpness_summary(s, b) == "at or just below"
    assert narration.sharpness_summary(a, s) == "at or just above"
    assert narration.sharpness_summary(b, b) == "below" and narration.sharpness_summary(b) == "below"
    assert narration.sharpness_summary(a, a) == "at or above"
    assert narration.sharpness_summary(s, s) == "not separable from"
    assert "disagree" in narration.sharpness_summary(b, a)


def _gap(**kw):
    args = dict(factor="33", share_trained=0.96, c_ep=24, n_epochs=32, raw_first=456.7, raw_c=22.2, avg_c=17.4,
                noise=3.8, n_draws=5, ahead_from=19, like=True, fewer_images=True, build_frechet=15.4,
                build_floor_inside=True, above_as_here=True, answer_first=True)
    return narration.gap_bullets(**dict(args, **kw))


def test_gap_bullets_account_for_the_falling_rate():
    text = _gap(end=(32, 14.2))
    head = text.split("\n")[0]
    assert "the falling learning rate of epochs 25–32 took the average a further 18% lower, to 14.2. In detail:" in head
    assert ("The falling learning rate of epochs 25–32 took the average from 17.4 to 14.2 (the raw $G$ kept training "
            "too).") in text
    assert "cannot show what averaging does on its own" in text and "Later epochs cannot" not in text
    # without the chosen epoch's distance, the round-6 wording stays
    old = _gap()
    assert "Later epochs cannot show what averaging does" in old and "14.2" not in old


