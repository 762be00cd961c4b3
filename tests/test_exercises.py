"""The exercise checks of notebooks 01 (GAN) and 02 (BiGAN): the wrong answers learners give fail with
a message that names the mistake; the library's own function is refused; an untouched stub is "not
attempted yet". (The reference solutions pass: tests/test_solutions.py.)"""

import math

import numpy as np
import torch
from exercise_helpers import failed_with, stub

from ganad_lib import exercises
from ganad_lib.exercises import NOT_ATTEMPTED

# ----------------------------------------------------------------------------- the best discriminator


def best_d(p_data, p_g, dx, swap=False, integrate=True, sign=1.0):
    d = (p_g if swap else p_data) / (p_data + p_g)
    w = dx if integrate else 1.0
    return d, sign * ((p_data * np.log(d)).sum() * w + (p_g * np.log(1 - d)).sum() * w)


def test_optimal_discriminator_check():
    r = exercises.check_optimal_discriminator(best_d, V_apart=0.0)
    assert r.passed and "log 1 + log 1 = 0" in r.message, r
    assert exercises.check_optimal_discriminator(best_d, V_apart=-0.001).passed      # rounded is fine
    r = exercises.check_optimal_discriminator(stub)
    assert not r.attempted and r.message == NOT_ATTEMPTED and "TODO" in repr(r)


def test_optimal_discriminator_check_asks_for_and_checks_the_prediction():
    r = exercises.check_optimal_discriminator(best_d)                     # right function, no prediction yet
    assert not r.passed and not r.attempted and "V_apart" in r.message, r
    failed_with(exercises.check_optimal_discriminator(best_d, V_apart=-math.log(4)), "prediction", "perfect generator")
    failed_with(exercises.check_optimal_discriminator(best_d, V_apart=math.log(4)), "prediction", "V <= 0")
    failed_with(exercises.check_optimal_discriminator(best_d, V_apart=-math.log(2)), "prediction", "log 1")
    failed_with(exercises.check_optimal_discriminator(best_d, V_apart=1), "prediction", "not V")
    failed_with(exercises.check_optimal_discriminator(best_d, V_apart=-1.0), "prediction", "D*(x)")
    failed_with(exercises.check_optimal_discriminator(best_d, V_apart="zero"), "a number")


def test_optimal_discriminator_check_names_the_mistake():
    failed_with(exercises.check_optimal_discriminator(lambda a, b, dx: best_d(a, b, dx, swap=True)), "swapped")
    failed_with(exercises.check_optimal_discriminator(lambda a, b, dx: best_d(a, b, dx, integrate=False)), "dx")
    failed_with(exercises.check_optimal_discriminator(lambda a, b, dx: best_d(a, b, dx, sign=-1.0)), "sign")
    failed_with(exercises.check_optimal_discriminator(lambda a, b, dx: best_d(a, b, dx)[0]), "two things")
    failed_with(exercises.check_optimal_discriminator(lambda a, b, dx: (np.full_like(a, 0.5), -math.log(4))),
                "Hint")
    failed_with(exercises.check_optimal_discriminator(lambda a, b, dx: a.undefined), "AttributeError")


# ----------------------------------------------------------------------------- Fréchet distance


def frechet(a, b, elementwise=False, mean_term=True, two=2.0, squared=True):
    from scipy import linalg

    mu_a, mu_b = a.mean(0), b.mean(0)
    s_a, s_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    root = np.sqrt(np.abs(s_a * s_b)) if elementwise else np.real(linalg.sqrtm(s_a @ s_b))
    d2 = ((mu_a - mu_b) ** 2).sum()
    return (d2 if squared else np.sqrt(d2)) * mean_term + np.trace(s_a) + np.trace(s_b) - two * np.trace(root)


def test_frechet_check_fails_the_usual_mistakes():
    assert exercises.check_frechet_distance(frechet).passed
    assert not exercises.check_frechet_distance(stub).attempted
    failed_with(exercises.check_frechet_distance(lambda a, b: frechet(a, b, elementwise=True)), "matrix")
    failed_with(exercises.check_frechet_distance(lambda a, b: frechet(a, b, mean_term=False)), "means")
    failed_with(exercises.check_frechet_distance(lambda a, b: frechet(a, b, two=1.0)), "twice")
    failed_with(exercises.check_frechet_distance(lambda a, b: frechet(a, b, squared=False)), "squared")
    failed_with(exercises.check_frechet_distance(lambda a, b: frechet(a.T, b.T)), "")  # images as variables


def test_frechet_check_refuses_the_judge():
    from ganad_lib import judge
    from ganad_lib.judge import frechet_distance

    failed_with(exercises.check_frechet_distance(judge.frechet_distance), "yourself")
    failed_with(exercises.check_frechet_distance(lambda a, b: judge.frechet_distance(a, b)), "frechet_distance")
    failed_with(exercises.check_frechet_distance(lambda a, b: frechet_distance(a, b)), "frechet_distance")


# ----------------------------------------------------------------------------- chance agreement


def chance(pred_x, pred_rec):
    classes = np.union1d(pred_x, pred_rec)
    return sum((pred_x == c).mean() * (pred_rec == c).mean() for c in classes)


def test_chance_agreement_check_fails_the_usual_mistakes():
    assert exercises.check_chance_agreement(chance).passed
    assert not exercises.check_chance_agreement(stub).attempted
    failed_with(exercises.check_chance_agreement(lambda a, b: 1 / 9), "observed")
    failed_with(exercises.check_chance_agreement(lambda a, b: 0.1), "10 classes")
    failed_with(exercises.check_chance_agreement(lambda a, b: (a == b).mean()), "actually kept")
    failed_with(exercises.check_chance_agreement(lambda a, b: chance(a, a)), "their own")



def kappa(pred_x, pred_rec):
    kept = (pred_x == pred_rec).mean()
    return (kept - chance(pred_x, pred_rec)) / (1 - chance(pred_x, pred_rec))


def test_rescaled_share_check_fails_the_usual_mistakes():
    assert exercises.check_rescaled_share(kappa).passed
    assert exercises._check_cohen_kappa is exercises.check_rescaled_share   # the former name, now private
    assert not hasattr(exercises, "check_cohen_kappa")
    assert not exercises.check_rescaled_share(stub).attempted
    failed_with(exercises.check_rescaled_share(lambda a, b: (a == b).mean() / chance(a, b)), "multiple of chance")
    failed_with(exercises.check_rescaled_share(lambda a, b: (a == b).mean() - chance(a, b)), "room")
    failed_with(exercises.check_rescaled_share(lambda a, b: ((a == b).mean() - chance(a, b)) / chance(a, b)),
                "not by chance itself")
    failed_with(exercises.check_rescaled_share(lambda a, b: ((a == b).mean() - 1 / 9) / (1 - 1 / 9)), "1/9")
    failed_with(exercises.check_rescaled_share(lambda a, b: (a == b).mean()), "share kept itself")
    failed_with(exercises.check_rescaled_share(lambda a, b: 100 * kappa(a, b)), "percentage")
    failed_with(exercises.check_rescaled_share(
        lambda a, b: ((a == b).mean() - chance(a, a)) / (1 - chance(a, a))), "their own")

# ----------------------------------------------------------------------------- slerp


def slerp(z_a, z_b, ts):
    omega = torch.arccos(torch.dot(z_a, z_b) / (z_a.norm() * z_b.norm()))
    return torch.stack([(torch.sin((1 - t) * omega) * z_a + torch.sin(t * omega) * z_b) / torch.sin(omega)
                        for t in ts])


def test_slerp_check_fails_the_usual_mistakes():
    assert exercises.check_slerp(slerp).passed
    assert not exercises.check_slerp(stub).attempted
    failed_with(exercises.check_slerp(lambda a, b, ts: torch.stack([(1 - t) * a + t * b for t in ts])),
                "straight line")
    failed_with(exercises.check_slerp(
        lambda a, b, ts: torch.stack([((1 - t) * a + t * b) / ((1 - t) * a + t * b).norm() * a.norm() for t in ts])),
        "constant speed")
    failed_with(exercises.check_slerp(lambda a, b, ts: slerp(a, b, 1 - ts)), "backwards")
    failed_with(exercises.check_slerp(lambda a, b, ts: slerp(a, b, ts)[0]), "shape")


def test_slerp_check_accepts_directions_slerped_and_length_interpolated():
    """The other right answer (equal angles exactly, whatever the two lengths) passes and says which it is;
    its variant that forgets the length (the unit sphere) still fails."""
    def by_direction(z_a, z_b, ts):
        na, nb = z_a.norm(), z_b.norm()
        return torch.stack([((1 - t) * na + t * nb) * row for t, row in zip(ts, slerp(z_a / na, z_b / nb, ts))])

    result = exercises.check_slerp(by_direction)
    assert result.passed and "length interpolated" in result.message, result.message
    z_a, z_b = torch.randn(50, dtype=torch.float64), 2 * torch.randn(50, dtype=torch.float64)
    ts = torch.linspace(0, 1, 7, dtype=torch.float64)
    path = by_direction(z_a, z_b, ts)
    angles = torch.stack([torch.arccos(torch.clamp(torch.dot(p, z_a) / (p.norm() * z_a.norm()), -1, 1)) for p in path])
    assert torch.allclose(angles.diff(), angles.diff()[0].expand(6), atol=1e-9)   # equal steps, equal angles
    failed_with(exercises.check_slerp(lambda a, b, ts: slerp(a / a.norm(), b / b.norm(), ts)), "unit sphere")


def test_the_straight_line_really_shortens_codes():
    """What the slerp exercise teaches: half-way along the straight line between two prior draws, the
    code is about 1/sqrt(2) as long as a prior draw; on the great circle it is not."""
    g = torch.Generator().manual_seed(0)
    z_a, z_b = torch.randn(100, generator=g), torch.randn(100, generator=g)
    mid_line = (0.5 * z_a + 0.5 * z_b).norm() / z_a.norm()
    mid_arc = slerp(z_a, z_b, torch.tensor([0.5]))[0].norm() / z_a.norm()
    assert 0.6 < mid_line < 0.8 and 0.9 < mid_arc < 1.15


def test_chance_agreement_check_names_more_mistakes():
    failed_with(exercises.check_chance_agreement(lambda a, b: 100 * chance(a, b)), "percentage")
    failed_with(exercises.check_chance_agreement(lambda a, b: chance(a, b) / len(np.union1d(a, b))), "average")

    def shuffled(a, b):  # an estimate by shuffling: close, but noisy
        rng = np.random.default_rng(0)
        return float(np.mean([(a == rng.permutation(b)).mean() for _ in range(20)]))

    failed_with(exercises.check_chance_agreement(shuffled), "expectation")


def test_chance_agreement_hint_does_not_give_the_formula():
    """An unnamed wrong answer gets the generic hint, which must not spell out the solution."""
    result = exercises.check_chance_agreement(lambda a, b: 0.3)
    failed_with(result, "independent")
    assert "P(" not in result.message and "summed" not in result.message, result.message


def test_slerp_check_names_more_mistakes():
    import math

    failed_with(exercises.check_slerp(
        lambda a, b, ts: torch.stack([torch.cos(t * math.pi / 2) * a + torch.sin(t * math.pi / 2) * b for t in ts])),
        "orthogonal")
    failed_with(exercises.check_slerp(lambda a, b, ts: slerp(a / a.norm(), b / b.norm(), ts)), "unit sphere")


def test_slerp_check_messages_leave_the_formula_to_the_learner():
    """Deriving the weights of z_a and z_b is the exercise: no failure message may hand them over."""
    import math

    wrong_answers = [
        lambda a, b, ts: torch.stack([(1 - t) * a + t * b for t in ts]),
        lambda a, b, ts: torch.stack([((1 - t) * a + t * b) / ((1 - t) * a + t * b).norm() * a.norm() for t in ts]),
        lambda a, b, ts: torch.stack([torch.cos(t * math.pi / 2) * a + torch.sin(t * math.pi / 2) * b for t in ts]),
        lambda a, b, ts: slerp(a, b, ts) * 1.01,                      # falls through to the generic hint
        lambda a, b, ts: torch.stack([torch.sin(1 - t) * a + torch.sin(t) * b for t in ts]),
    ]
    for wrong in wrong_answers:
        r = exercises.check_slerp(wrong)
        assert not r.passed and r.attempted, r
        assert "sin((1 - t)" not in r.message and "sin(t omega)" not in r.message and "/ sin(" not in r.message, r


def test_optimal_discriminator_check_accepts_goodfellows_identity_and_names_a_wrong_integral():
    def via_jsd(p_data, p_g, dx):  # V(D*, G) = -log 4 + 2 JSD(p_data || p_g)
        d = p_data / (p_data + p_g)
        m = (p_data + p_g) / 2
        jsd = 0.5 * (p_data * np.log(p_data / m)).sum() * dx + 0.5 * (p_g * np.log(p_g / m)).sum() * dx
        return d, -np.log(4) + 2 * jsd

    assert exercises.check_optimal_discriminator(via_jsd, V_apart=0).passed
    failed_with(exercises.check_optimal_discriminator(
        lambda a, b, dx: (best_d(a, b, dx)[0], np.mean(a * np.log(best_d(a, b, dx)[0])))), "D* is right")


def test_frechet_check_names_more_mistakes():
    from scipy import linalg

    def separate_roots(a, b):
        s_a, s_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
        return (((a.mean(0) - b.mean(0)) ** 2).sum() + np.trace(s_a) + np.trace(s_b)
                - 2 * np.trace(np.real(linalg.sqrtm(s_a) @ linalg.sqrtm(s_b))))

    failed_with(exercises.check_frechet_distance(separate_roots), "commute")
    failed_with(exercises.check_frechet_distance(lambda a, b: frechet(a.T, b.T)), "covariance")
    r = exercises.check_frechet_distance(lambda a, b: frechet(a, b) + 1.0)
    assert not r.passed and "rowvar" not in r.message and "sqrtm" not in r.message   # no recipe in the hint


def test_frechet_check_names_the_square_root():
    failed_with(exercises.check_frechet_distance(lambda a, b: float(np.sqrt(frechet(a, b)))), "square root")


def floor(feats, n, second=None):
    return frechet(feats[:n], feats[n:2 * n] if second is None else second(feats, n))


def test_frechet_floor_check():
    r = exercises.check_frechet_floor(floor, factor=8)
    assert r.passed and "N = 250" in r.message, r
    assert exercises.check_frechet_floor(floor, factor=7.9).passed and exercises.check_frechet_floor(floor, factor=6).passed
    assert not exercises.check_frechet_floor(stub, factor=8).attempted
    r = exercises.check_frechet_floor(floor)                      # right function, no prediction yet
    assert not r.passed and not r.attempted and "factor" in r.message, r
    failed_with(exercises.check_frechet_floor(floor, factor="eight"), "a number")
    failed_with(exercises.check_frechet_floor(lambda f, n: floor(f, n, lambda f, n: f[:n]), factor=8), "itself")
    failed_with(exercises.check_frechet_floor(lambda f, n: floor(f, n, lambda f, n: f[n:]), factor=8), "n rows")
    failed_with(exercises.check_frechet_floor(lambda f, n: floor(f, n, lambda f, n: f), factor=8), "includes")
    failed_with(exercises.check_frechet_floor(lambda f, n: float(np.sqrt(floor(f, n))), factor=8), "square root")


def test_frechet_floor_check_refuses_the_factors_learners_guess():
    failed_with(exercises.check_frechet_floor(floor, factor=1), "prediction", "depends on N")
    failed_with(exercises.check_frechet_floor(floor, factor=2.8), "prediction", "1/sqrt(N)")
    failed_with(exercises.check_frechet_floor(floor, factor=math.sqrt(8)), "prediction", "1/sqrt(N)")
    failed_with(exercises.check_frechet_floor(floor, factor=64), "prediction", "too steep")
    failed_with(exercises.check_frechet_floor(floor, factor=1 / 8), "prediction", "inverse")
    r = exercises.check_frechet_floor(floor, factor=20)
    assert not r.passed and r.attempted and "8" not in r.message.split(":", 1)[-1], r    # no answer given away

