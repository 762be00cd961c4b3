"""Round 9, notebook 03: the λ sweep's causes bullet points to the loss test when the notebook runs it."""
from ganad_lib import narration as n

AUROC = {0.1: 0.902, 0.0: 0.90, 0.5: 0.831, 1: 0.841}
DIFFS = {0.0: (-0.002, -0.02, 0.016, -0.03, 0.02, 256), 0.5: (-0.07, -0.1, -0.04, -0.11, -0.03, 256),
         1: (-0.06, -0.09, -0.03, -0.1, -0.02, 256)}
LABELS = {0.0: n.TIED, 0.5: n.BEYOND, 1: n.BEYOND}


def test_loss_cause_points_to_its_test():
    both = n.lambda_sweep_bullets(0.1, AUROC, DIFFS, LABELS, 256, step_tested=1.0, loss_tested=True)
    assert "(tested for λ = 1 below), and a different loss to descend (tested below: *a good score, a poor " \
           "objective*)" in both
    assert "(untested)" not in both
    only_loss = n.lambda_sweep_bullets(0.1, AUROC, DIFFS, LABELS, 256, loss_tested=True)
    assert "the step size, chosen for λ = 0.1 (untested), and a different loss to descend (tested below" in only_loss
    neither = n.lambda_sweep_bullets(0.1, AUROC, DIFFS, LABELS, 256)
    assert "tested below" not in neither and ", untested: the step size" in neither
    step_only = n.lambda_sweep_bullets(0.1, AUROC, DIFFS, LABELS, 256, step_tested=1.0)
    assert "a different loss to descend (untested)" in step_only


def test_class_table_bright_bullet_kept_when_g_draws_is_the_clear_link():
    score = dict(Sandal=192, Dress=180, Boot=146, Shirt=146, Pullover=134, Top=126, Coat=123, Sneaker=122, Trouser=83)
    order = sorted(score, key=lambda k: -score[k])
    drawn = {c: 0.05 + 0.02 * i for i, c in enumerate(order)}          # ρ = -1 with the scores
    bright = dict(Sandal=0.11, Sneaker=0.2, Trouser=0.3, Dress=0.25, Shirt=0.4, Boot=0.35, Top=0.38, Coat=0.45,
                  Pullover=0.42)
    kept = {c: 0.8 for c in score}
    text = n.class_table_reading(score, bright, drawn, kept)
    assert "the clearer link is with how often G draws the class" in text
    assert "**Bright area does not order these scores**" in text and "Neither candidate" not in text
