"""Notebook 01's reading added in review round 3: how sure D was over the DCGAN run, with the saturating loss
as a counterfactual (its gradient factor at the lowest D(G(z))), never as what the run used."""

from ganad_lib import narration


def test_gradient_agreement_gives_the_agreement_in_whole_per_cent():
    assert "agree within 5 %" in narration.gradient_agreement(50, 216, 227)
    assert "agree within 1 %" in narration.gradient_agreement(50, 227, 227)
    assert "further apart" in narration.gradient_agreement(50, 500, 227)
    assert "explains the measurement" not in narration.gradient_agreement(50, 216, 227)


