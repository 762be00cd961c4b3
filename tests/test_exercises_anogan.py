"""The exercise checks of notebooks 03 (AnoGAN) and 04 (EGBAD)."""

import torch
import torch.nn.functional as F

from ganad_lib import exercises


def stub(*args):
    raise NotImplementedError


def solution_anogan_loss(x, x_gen, f_x, f_gen, lambda_):
    l_r = (x - x_gen).abs().flatten(1).sum(1)
    l_d = (f_x - f_gen).abs().flatten(1).sum(1)
    return (1 - lambda_) * l_r + lambda_ * l_d


def solution_search(G, f, x, z0, steps, lr, lambda_):
    z = z0.clone().requires_grad_(True)
    opt = torch.optim.Adam([z], lr=lr)
    f_x = f(x).detach()
    for _ in range(steps):
        x_gen = G(z)
        loss = (1 - lambda_) * (x - x_gen).abs().flatten(1).sum(1) + lambda_ * (f_x - f(x_gen)).abs().sum(1)
        opt.zero_grad()
        loss.sum().backward()
        opt.step()
    return z.detach()


def test_anogan_loss_check():
    assert exercises.check_anogan_loss(solution_anogan_loss).passed
    r = exercises.check_anogan_loss(stub)
    assert not r.attempted and r.message == exercises.NOT_ATTEMPTED
    # weights swapped: lambda on the residual
    swapped = exercises.check_anogan_loss(
        lambda x, g, fx, fg, lam: solution_anogan_loss(x, g, fx, fg, 1 - lam))
    assert swapped.attempted and not swapped.passed and "differs" in swapped.message
    # one number for the whole batch instead of one per image
    batch_sum = exercises.check_anogan_loss(lambda *a: solution_anogan_loss(*a).sum())
    assert not batch_sum.passed and "shape" in batch_sum.message


def test_latent_search_check():
    assert exercises.check_latent_search(solution_search).passed
    assert not exercises.check_latent_search(stub).attempted
    # returning the starting codes: no search at all
    lazy = exercises.check_latent_search(lambda G, f, x, z0, *rest: z0)
    assert lazy.attempted and not lazy.passed and "Hint" in lazy.message
    # the residual term alone (lambda ignored) finds other codes
    no_d = exercises.check_latent_search(lambda G, f, x, z0, s, lr, lam: solution_search(G, f, x, z0, s, lr, 0.0))
    assert not no_d.passed
    # one code shared by the whole batch
    def shared(G, f, x, z0, steps, lr, lambda_):
        z = solution_search(G, f, x, z0[:1].expand_as(z0).clone(), steps, lr, lambda_)
        return z
    assert not exercises.check_latent_search(shared).passed


def test_egbad_score_check():
    def solution(x, x_rec, f_real, f_rec, alpha):
        return alpha * (x - x_rec).abs().flatten(1).sum(1) + (1 - alpha) * (f_real - f_rec).abs().sum(1)

    assert exercises.check_egbad_score(solution).passed
    assert not exercises.check_egbad_score(stub).attempted
    # the squared (L2) norm instead of the L1 norm
    l2 = exercises.check_egbad_score(
        lambda x, r, a, b, al: al * ((x - r) ** 2).flatten(1).sum(1) + (1 - al) * ((a - b) ** 2).sum(1))
    assert l2.attempted and not l2.passed
    # alpha on the wrong term
    assert not exercises.check_egbad_score(lambda x, r, a, b, al: solution(x, r, a, b, 1 - al)).passed


def test_cross_entropy_check():
    assert exercises.check_cross_entropy_score(lambda logit: F.softplus(-logit)).passed
    assert exercises.check_cross_entropy_score(lambda logit: -F.logsigmoid(logit)).passed
    assert not exercises.check_cross_entropy_score(stub).attempted
    naive = exercises.check_cross_entropy_score(lambda logit: -torch.log(torch.sigmoid(logit)))
    assert naive.attempted and not naive.passed and "infinity" in naive.message
    fake_label = exercises.check_cross_entropy_score(lambda logit: F.softplus(logit))  # against "fake"
    assert not fake_label.passed and "differs" in fake_label.message
