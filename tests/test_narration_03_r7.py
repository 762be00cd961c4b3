"""Notebook 03 (seventh review): the narration moved out of the notebook or added for it."""

import pytest

from ganad_lib import narration as n

LAM_AUROC = {0.0: 0.888, 0.1: 0.902, 0.5: 0.831, 1.0: 0.841}
LAM_LABELS = {0.0: n.TIED, 0.5: n.BEYOND, 1.0: n.BEYOND}
LAM_DIFFS = {0.0: (-0.014, -0.046, 0.017, -0.056, 0.027, 256), 0.5: (-0.070, -0.116, -0.027, -0.131, -0.014, 256),
             1.0: (-0.060, -0.106, -0.016, -0.120, -0.001, 256)}


def test_signed_and_intervals():
    assert n.signed(0.061) == "+0.061"
    assert n.signed(-0.014) == "-0.014"
    assert n.signed(0.0004) == "0.000" and n.signed(-0.0004) == "0.000"
    d = (0.061, 0.040, 0.084, 0.034, 0.092, 512)
    assert n.paired_intervals(d, "99.0 %") == "95 % interval [+0.040, +0.084], 99.0 % [+0.034, +0.092]"


def test_label95_reads_the_95_interval_only():
    assert n.label95((0.03, 0.01, 0.05, -0.01, 0.07)) == n.WEAK        # excludes 0 at 95 %: weak at most
    assert n.label95((-0.03, -0.05, -0.01, -0.07, 0.01)) == n.WEAK
    assert n.label95((-0.008, -0.020, 0.003, -0.03, 0.01)) == n.TIED


BRIGHT = dict(Sandal=.11, Dress=.21, Boot=.26, Shirt=.25, Pullover=.33, Top=.29, Coat=.32, Sneaker=.14, Trouser=.18)
DRAWN = dict(Sandal=.11, Dress=.10, Boot=.12, Shirt=.09, Pullover=.13, Top=.12, Coat=.10, Sneaker=.11, Trouser=.12)
KEPT = dict(Sandal=.58, Dress=.71, Boot=.90, Shirt=.69, Pullover=.85, Top=.95, Coat=.65, Sneaker=.89, Trouser=.91)
SCORE = dict(Sandal=192, Dress=180, Boot=146, Shirt=146, Pullover=134, Top=126, Coat=123, Sneaker=122, Trouser=83)


def test_class_table_names_two_causes_and_reads_search_keeps_as_a_symptom():
    text = n.class_table_reading(SCORE, BRIGHT, DRAWN, KEPT)
    assert "from Sandal (mean score 192) to Trouser (83)" in text
    assert "Two candidate causes" in text and "bright area" in text and "how often $G$ draws the class" in text
    assert "bright px -0.14, G draws" in text and "search keeps -0.54" not in text.split("\n")[0]
    assert "*Search keeps* is a symptom, not a cause" in text
    assert "score high, as expected (ρ = -0.54; Sandal 58%, Trouser 91%)" in text
    assert "clearest link is with how often the search keeps" not in text       # no longer a candidate cause
    assert "suggestive, untested" not in text
    assert "spans only 9% to 13%" in text
    assert "**Neither candidate orders the scores clearly** (both |ρ| below 0.4 over 9 classes): Sandal, with the " \
           "fewest bright pixels (11%), scores highest of all" in text      # one bullet, not two (round 9)
    assert "Bright area does not order" not in text


def test_class_table_other_branches():
    # the scores follow bright area: the clearer link is bright area, significant, and no "does not order" bullet
    score = {k: 100 + 300 * v for k, v in BRIGHT.items()}
    text = n.class_table_reading(score, BRIGHT, DRAWN, KEPT)
    assert "**Of the two, the clearer link is with bright area**" in text and "high scores go with high values" in text
    assert "but over only 9 classes: weak evidence at most" in text and "not significant" not in text
    assert "does not order" not in text
    # a moderate link, not significant: says so with its p-value
    ranks = dict(Sandal=5, Sneaker=1, Trouser=2, Dress=7, Shirt=3, Boot=9, Top=4, Coat=8, Pullover=6)   # ρ = +0.52
    score = {k: 100 + 10 * v for k, v in ranks.items()}
    text = n.class_table_reading(score, BRIGHT, DRAWN, KEPT)
    assert "**Of the two, the clearer link is with bright area**" in text
    assert "not significant over 9 classes (p = 0." in text and "weak evidence at most" not in text
    # search keeps not following the scores: the symptom bullet says so
    flat_kept = {k: 0.8 for k in KEPT}
    flat_kept["Trouser"] = 0.7
    assert "barely follows the scores" in n.class_table_reading(SCORE, BRIGHT, DRAWN, flat_kept)
    # no column linked: the scores shuffled against every column
    score = dict(Sandal=130, Dress=126, Boot=124, Shirt=140, Pullover=128, Top=150, Coat=122, Sneaker=135, Trouser=133)
    drawn = {k: v * 3 for k, v in DRAWN.items()}                 # a wide coverage column: no "too narrow" bullet
    text = n.class_table_reading(score, BRIGHT, drawn, KEPT)
    assert "Neither candidate orders the scores clearly" in text
    assert "too narrow" not in text


def test_own_step_reading_branches():
    d_shared = LAM_DIFFS[1.0]
    same = n.own_step_reading(0.1, 1.0, 0.1, 0.1, 64, 0.841, None, d_shared, None)
    assert ("also ends lowest with step 0.1, the step the sweep used: by Section 4's rule it would pick the same step, "
            "so that rule does not explain its drop") in same
    assert "the step size does not explain" not in same
    stays = n.own_step_reading(0.1, 1.0, 0.1, 0.3, 64, 0.841, 0.846, d_shared, (-0.056, -0.10, -0.012))
    assert "ends lowest with step 0.3 (λ = 0.1's choice: 0.1)" in stays
    assert "λ = 1 scores 0.846 (with 0.1: 0.841), -0.056 against λ = 0.1 (95 % interval [-0.100, -0.012])" in stays
    assert "*weak evidence*" in stays and "The drop stays with its own step" in stays
    shrinks = n.own_step_reading(0.1, 1.0, 0.1, 0.3, 64, 0.841, 0.87, d_shared, (-0.032, -0.06, -0.004))
    assert "The drop shrinks (from -0.060) but stays" in shrinks and "The drop stays" not in shrinks
    gone = n.own_step_reading(0.1, 1.0, 0.1, 0.3, 64, 0.841, 0.895, d_shared, (-0.007, -0.03, 0.02))
    assert "*not distinguishable*" in gone and "the step size may explain it" in gone
    above = n.own_step_reading(0.1, 1.0, 0.1, 0.3, 64, 0.841, 0.93, d_shared, (0.028, 0.01, 0.05))
    assert "scores above λ = 0.1, so the shared step caused the drop" in above


def test_lambda_sweep_bullets_points_to_the_step_test():
    plain = n.lambda_sweep_bullets(0.1, LAM_AUROC, LAM_DIFFS, LAM_LABELS, 256)
    assert "Candidate causes of the drop at λ = 0.5 and 1, untested: the step size" in plain
    tested = n.lambda_sweep_bullets(0.1, LAM_AUROC, LAM_DIFFS, LAM_LABELS, 256, step_tested=1.0)
    assert "the step size, chosen for λ = 0.1 (tested for λ = 1 below), and a different loss to descend " \
           "(untested)" in tested
    assert ", untested: the step size" not in tested


def test_score_vs_objective_interval_and_replicates():
    base = n.score_vs_objective(0.1, 0.916, LAM_AUROC, LAM_LABELS, 256)
    assert "**A good score, a poor objective.**" in base and "interval" not in base
    held = n.score_vs_objective(0.1, 0.916, LAM_AUROC, LAM_LABELS, 256, diff=(0.075, 0.031, 0.121, 0, 0, 256),
                                replicates={1: 0.048, 2: 0.067})
    assert "**A good score, a poor objective.**" in held
    assert "(λ = 0.5: 0.831): +0.075, 95 % interval [+0.031, +0.121], *weak evidence*" in held
    assert "(seeds 1 and 2, measured beforehand), the same difference was +0.048 and +0.067." in held
    hedged = n.score_vs_objective(0.1, 0.916, LAM_AUROC, LAM_LABELS, 256, diff=(0.075, -0.01, 0.15, 0, 0, 256))
    assert "**A good score, perhaps a poor objective.**" in hedged and "*not distinguishable*" in hedged
    assert n.score_vs_objective(0.1, 0.80, LAM_AUROC, LAM_LABELS, 256, diff=(0.075, 0.03, 0.1)) == ""


@pytest.mark.parametrize("fn", [n.signed, n.label95, n.class_table_reading, n.own_step_reading])
def test_documented(fn):
    assert fn.__doc__ and "otebook 03" in fn.__doc__
