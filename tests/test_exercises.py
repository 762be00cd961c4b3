"""The exercise checks of notebooks 01 and 02: pass the solutions, fail the usual mistakes with a
message that names them, report an untouched stub as "not attempted yet"."""

import torch
import torch.nn.functional as F

from ganad_lib import exercises
from ganad_lib.exercises import NOT_ATTEMPTED


def stub(*args):
    raise NotImplementedError


def failed_with(result, *words):
    assert not result.passed and result.attempted, result
    for w in words:
        assert w in result.message, (w, result.message)


# ----------------------------------------------------------------------------- D's loss


def solution_d_loss(d_real, d_fake):
    return -(F.logsigmoid(d_real).mean() + F.logsigmoid(-d_fake).mean())


def test_discriminator_loss_check():
    r = exercises.check_discriminator_loss(solution_d_loss)
    assert r.passed and "confident" in r.message
    r = exercises.check_discriminator_loss(stub)
    assert not r.passed and not r.attempted and r.message == NOT_ATTEMPTED
    assert "TODO" in repr(r)


def test_discriminator_loss_check_names_the_mistake():
    failed_with(exercises.check_discriminator_loss(lambda r, f: -solution_d_loss(r, f)), "ascends", "-V")
    failed_with(exercises.check_discriminator_loss(lambda r, f: solution_d_loss(f, r)), "swapped")
    failed_with(exercises.check_discriminator_loss(
        lambda r, f: -(F.logsigmoid(r).sum() + F.logsigmoid(-f).sum())), "means")
    failed_with(exercises.check_discriminator_loss(
        lambda r, f: -(F.logsigmoid(r).mean() + F.logsigmoid(f).mean())), "logsigmoid(-logit)")
    # an unexplained error still fails, with the size of the difference and the hint
    failed_with(exercises.check_discriminator_loss(lambda r, f: solution_d_loss(r, f) + 0.1), "differs", "Hint")
    failed_with(exercises.check_discriminator_loss(lambda r, f: r.undefined), "AttributeError")
    failed_with(exercises.check_discriminator_loss(lambda r, f: solution_d_loss(r, f).repeat(2)), "shape")


def test_discriminator_loss_check_fails_probabilities_that_overflow():
    def naive(d_real, d_fake):  # right on paper, infinite when D is confident
        p_real, p_fake = torch.sigmoid(d_real), torch.sigmoid(d_fake)
        return -(torch.log(p_real).mean() + torch.log(1 - p_fake).mean())

    failed_with(exercises.check_discriminator_loss(naive), "moderate logits", "logsigmoid")


# ----------------------------------------------------------------------------- Algorithm 1


def solution_inner_loop(D, G, opt_D, x_batches, z_batches):
    for x, z in zip(x_batches, z_batches):
        loss = -(F.logsigmoid(D(x)).mean() + F.logsigmoid(-D(G(z).detach())).mean())
        opt_D.zero_grad()
        loss.backward()
        opt_D.step()


def variant(sign=1.0, zero_grad=True, detach=True, steps=None, step=True):
    def fn(D, G, opt_D, x_batches, z_batches):
        for i, (x, z) in enumerate(zip(x_batches, z_batches)):
            if steps is not None and i >= steps:
                break
            fake = G(z).detach() if detach else G(z)
            loss = -sign * (F.logsigmoid(D(x)).mean() + F.logsigmoid(-D(fake)).mean())
            if zero_grad:
                opt_D.zero_grad()
            loss.backward()
            if step:
                opt_D.step()
    return fn


def test_inner_loop_check():
    r = exercises.check_algorithm1_inner_loop(solution_inner_loop)
    assert r.passed, r
    r = exercises.check_algorithm1_inner_loop(stub)
    assert not r.attempted and r.message == NOT_ATTEMPTED


def test_inner_loop_check_names_the_mistake():
    failed_with(exercises.check_algorithm1_inner_loop(variant(sign=-1.0)), "ascend")
    failed_with(exercises.check_algorithm1_inner_loop(variant(zero_grad=False)), "zero_grad")
    failed_with(exercises.check_algorithm1_inner_loop(variant(detach=False)), "detach")
    failed_with(exercises.check_algorithm1_inner_loop(variant(steps=1)), "k = 3")
    failed_with(exercises.check_algorithm1_inner_loop(variant(step=False)), "opt_D.step()")

    def also_updates_G(D, G, opt_D, xs, zs):
        solution_inner_loop(D, G, opt_D, xs, zs)
        with torch.no_grad():
            for p in G.parameters():
                p.add_(0.1)

    failed_with(exercises.check_algorithm1_inner_loop(also_updates_G), "updates D only")

    def wrong_data(D, G, opt_D, xs, zs):
        solution_inner_loop(D, G, opt_D, [x * 2 for x in xs], zs)

    failed_with(exercises.check_algorithm1_inner_loop(wrong_data), "differ from the reference")
    failed_with(exercises.check_algorithm1_inner_loop(lambda *a: 1 / 0), "ZeroDivisionError")


def test_inner_loop_check_leaves_the_global_random_state_alone():
    torch.manual_seed(5)
    before = torch.random.get_rng_state()
    exercises.check_algorithm1_inner_loop(solution_inner_loop)
    assert torch.equal(torch.random.get_rng_state(), before)


# ----------------------------------------------------------------------------- BiGAN


def solution_bigan_loss(D, E, G, x, z):
    d_real, d_fake = D(x, E(x)), D(G(z), z)
    return -(F.logsigmoid(d_real).mean() + F.logsigmoid(-d_fake).mean())


def test_bigan_loss_check():
    assert exercises.check_bigan_loss(solution_bigan_loss).passed
    r = exercises.check_bigan_loss(stub)
    assert not r.attempted and r.message == NOT_ATTEMPTED


def test_bigan_loss_check_names_the_mistake():
    def from_logits(real, fake):
        return -(F.logsigmoid(real).mean() + F.logsigmoid(-fake).mean())

    failed_with(exercises.check_bigan_loss(lambda D, E, G, x, z: -solution_bigan_loss(D, E, G, x, z)), "-V")
    failed_with(exercises.check_bigan_loss(lambda D, E, G, x, z: from_logits(D(G(z), z), D(x, E(x)))),
                "swapped")
    failed_with(exercises.check_bigan_loss(lambda D, E, G, x, z: from_logits(D(x, z), D(G(z), E(x)))),
                "mixed up")
    failed_with(exercises.check_bigan_loss(lambda D, E, G, x, z: from_logits(D(x, E(x)), D(G(E(x)), E(x)))),
                "prior")
    failed_with(exercises.check_bigan_loss(lambda D, E, G, x, z: D(x, E(x)).mean()), "differs")


def solution_ge_loss(d_real_pair, d_fake_pair):
    return -F.logsigmoid(-d_real_pair).mean() - F.logsigmoid(d_fake_pair).mean()


def test_bigan_generator_encoder_loss_check():
    assert exercises.check_bigan_generator_encoder_loss(solution_ge_loss).passed
    assert not exercises.check_bigan_generator_encoder_loss(stub).attempted
    failed_with(exercises.check_bigan_generator_encoder_loss(
        lambda r, f: F.logsigmoid(r).mean() + F.logsigmoid(-f).mean()), "saturating")
    failed_with(exercises.check_bigan_generator_encoder_loss(
        lambda r, f: -(F.logsigmoid(r).mean() + F.logsigmoid(-f).mean())), "D's own loss")
    failed_with(exercises.check_bigan_generator_encoder_loss(lambda r, f: -F.logsigmoid(f).mean()),
                "E learns only through")

    def naive(r, f):
        return -torch.log(1 - torch.sigmoid(r)).mean() - torch.log(torch.sigmoid(f)).mean()

    failed_with(exercises.check_bigan_generator_encoder_loss(naive), "confident")
