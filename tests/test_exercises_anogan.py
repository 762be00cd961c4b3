"""The exercise checks of notebooks 03 (AnoGAN), 04 (EGBAD) and 05 (GANomaly): the wrong answers
learners give fail with a message naming the mistake; the library's own function is refused.
(The reference solutions pass: tests/test_solutions.py.)"""

import numpy as np
import torch
from exercise_helpers import failed_with, stub

from ganad_lib import anogan, exercises, ganomaly


def anogan_loss(x, x_gen, f_x, f_gen, lambda_):
    return (1 - lambda_) * (x - x_gen).abs().flatten(1).sum(1) + lambda_ * (f_x - f_gen).abs().flatten(1).sum(1)


# ----------------------------------------------------------------------------- 03: the latent search


def search(G, f, x, z0, steps, lr, lambda_, *, eval_mode=True, freeze=True, optimise_G=False, per_image=False,
           score_before_last=False, mean=False):
    if eval_mode:
        G.eval()
    if freeze:
        for p in G.parameters():
            p.requires_grad_(False)
    if per_image:
        out = [search(G, f, x[i:i + 1], z0[i:i + 1], steps, lr, lambda_) for i in range(len(x))]
        return torch.cat([o[0] for o in out]), torch.cat([o[1] for o in out])
    z = z0.clone().requires_grad_(True)
    opt = torch.optim.Adam([z, *G.parameters()] if optimise_G else [z], lr=lr)
    f_x = f(x).detach()
    loss = None
    for _ in range(steps):
        x_gen = G(z)
        loss = anogan_loss(x, x_gen, f_x, f(x_gen), lambda_)
        opt.zero_grad()
        (loss.mean() if mean else loss.sum()).backward()
        opt.step()
    if not score_before_last:
        with torch.no_grad():
            x_gen = G(z)
            loss = anogan_loss(x, x_gen, f_x, f(x_gen), lambda_)
    return z.detach(), loss.detach()


def test_latent_search_check_passes_the_batched_search():
    r = exercises.check_latent_search(search)
    assert r.passed, r
    assert not exercises.check_latent_search(stub).attempted


def test_latent_search_check_fails_each_detail_of_section_3():
    failed_with(exercises.check_latent_search(lambda *a: search(*a, eval_mode=False)), "G.eval()")
    failed_with(exercises.check_latent_search(lambda *a: search(*a, freeze=False, optimise_G=True)), "optimiser")
    failed_with(exercises.check_latent_search(lambda *a: search(*a, freeze=False)), "requires_grad_(False)")
    failed_with(exercises.check_latent_search(lambda *a: search(*a, per_image=True)), "at once")


def test_latent_search_check_fails_wrong_scores_and_codes():
    failed_with(exercises.check_latent_search(lambda *a: search(*a, score_before_last=True)), "before")
    failed_with(exercises.check_latent_search(lambda *a: (search(*a)[0], search(*a)[1].sum())), "per image")
    failed_with(exercises.check_latent_search(lambda G, f, x, z0, *r: (z0, search(G, f, x, z0, *r)[1])), "z_Gamma")
    failed_with(exercises.check_latent_search(lambda *a: search(*a)[0]), "two things")
    failed_with(exercises.check_latent_search(
        lambda G, f, x, z0, s, lr, lam: search(G, f, x, z0[:1].expand_as(z0).clone(), s, lr, lam)), "z_Gamma")

    def library(G, f, x, z0, steps, lr, lambda_):
        return anogan.latent_search(G, f, x, z0, steps=steps, lr=lr, lambda_=lambda_)

    failed_with(exercises.check_latent_search(library), "yourself")


def test_a_mean_of_the_losses_gives_the_same_codes_with_adam():
    """Adam divides each step by the gradient's running scale, so a mean over the batch instead of a
    sum leaves the path almost unchanged: the check accepts it (the notebook says why)."""
    assert exercises.check_latent_search(lambda *a: search(*a, mean=True)).passed


# ----------------------------------------------------------------------------- 04: EGBAD


def standardised(l_g, l_d, alpha, val_g, val_d, ddof=1):
    return (alpha * (l_g - val_g.mean()) / val_g.std(correction=ddof)
            + (1 - alpha) * (l_d - val_d.mean()) / val_d.std(correction=ddof))


def test_standardised_score_check():
    assert exercises.check_standardised_score(standardised).passed
    assert exercises.check_standardised_score(lambda *a: standardised(*a, ddof=0)).passed
    assert not exercises.check_standardised_score(stub).attempted
    failed_with(exercises.check_standardised_score(lambda g, d, al, vg, vd: standardised(g, d, al, g, d)),
                "test scores' own")
    failed_with(exercises.check_standardised_score(lambda g, d, al, vg, vd: standardised(g, d, 1 - al, vg, vd)),
                "wrong term")
    failed_with(exercises.check_standardised_score(lambda g, d, al, vg, vd: al * g + (1 - al) * d), "raw mix")
    failed_with(exercises.check_standardised_score(lambda g, d, al, vg, vd: g.undefined), "AttributeError")


# ----------------------------------------------------------------------------- 03: bootstrap interval


def bootstrap(scores, is_anomaly, n_boot, seed, replace=True, percentiles=(2.5, 97.5), same_seed=True):
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(seed if same_seed else None)
    n, aucs = len(scores), []
    for _ in range(n_boot):
        idx = rng.choice(n, n, replace=replace)
        if is_anomaly[idx].all() or not is_anomaly[idx].any():
            continue
        aucs.append(roc_auc_score(is_anomaly[idx], scores[idx]))
    return tuple(np.percentile(aucs, percentiles))


def test_bootstrap_check_fails_the_usual_mistakes():
    assert exercises.check_bootstrap_auroc(bootstrap).passed
    assert not exercises.check_bootstrap_auroc(stub).attempted
    failed_with(exercises.check_bootstrap_auroc(lambda *a: bootstrap(*a, replace=False)), "*with* replacement")
    failed_with(exercises.check_bootstrap_auroc(lambda *a: bootstrap(*a, same_seed=False)), "seed")
    failed_with(exercises.check_bootstrap_auroc(lambda *a: bootstrap(*a, percentiles=(25, 75))), "narrow")
    failed_with(exercises.check_bootstrap_auroc(lambda *a: bootstrap(*a, percentiles=(0, 100))), "wide")
    failed_with(exercises.check_bootstrap_auroc(lambda s, y, n, seed: (0.0, 0.4)), "does not contain")
    failed_with(exercises.check_bootstrap_auroc(lambda *a: 0.5), "two numbers")


# ----------------------------------------------------------------------------- 04: permutation test


def permutation_p(scores, is_anomaly, n_perm, seed, plus_one=True, two_sided=False, shuffle_both=False):
    """A permutation test written as learners do, vectorised with ranks so that the tests stay quick."""
    from scipy.stats import rankdata

    rng = np.random.default_rng(seed)
    n, n1 = len(scores), int(is_anomaly.sum())

    def auroc(ranks, positives):  # rank-sum form of the AUROC, one row of positions per labelling
        return (ranks[positives].sum(-1) - n1 * (n1 + 1) / 2) / (n1 * (n - n1))

    ranks = rankdata(scores)
    obs = auroc(ranks, np.flatnonzero(is_anomaly))
    perms = np.argsort(rng.random((n_perm, n)), axis=1)
    if shuffle_both:  # scores and labels moved together: every labelling is the observed one
        stats = np.full(n_perm, obs)
    else:
        stats = auroc(ranks, perms[:, :n1])
    if two_sided:
        obs, stats = abs(obs - 0.5), np.abs(stats - 0.5)
    hits = int((stats >= obs - 1e-12).sum())
    return (hits + plus_one) / (n_perm + plus_one)


def test_permutation_check_fails_the_usual_mistakes():
    assert exercises.check_permutation_test(permutation_p).passed
    assert not exercises.check_permutation_test(stub).attempted
    failed_with(exercises.check_permutation_test(lambda *a: permutation_p(*a, plus_one=False)), "(hits + 1)")
    failed_with(exercises.check_permutation_test(lambda *a: permutation_p(*a, two_sided=True)), "one-sided")
    failed_with(exercises.check_permutation_test(lambda *a: permutation_p(*a, shuffle_both=True)), "labels only")
    failed_with(exercises.check_permutation_test(lambda *a: 0.05), "(0 + 1) / (n_perm + 1)")


# ----------------------------------------------------------------------------- 05: GANomaly


def test_latent_score_check_accepts_every_rank_equivalent_norm():
    assert exercises.check_latent_score(lambda z, zh: ((z - zh) ** 2).mean(dim=1)).passed
    assert exercises.check_latent_score(lambda z, zh: (z - zh).norm(dim=1)).passed       # the seminar's norm
    assert exercises.check_latent_score(lambda z, zh: ((z - zh) ** 2).sum(dim=1)).passed
    assert not exercises.check_latent_score(stub).attempted


def test_latent_score_check_fails_the_usual_mistakes():
    failed_with(exercises.check_latent_score(lambda z, zh: ((z - zh) ** 2).mean(dim=0)), "dim=0")
    failed_with(exercises.check_latent_score(lambda z, zh: ((z - zh) ** 2).mean()), "one score per image")
    failed_with(exercises.check_latent_score(lambda z, zh: (z - zh).abs().sum(1)), "L1")
    failed_with(exercises.check_latent_score(lambda z, zh: (z - zh).sum(1)), "cancel")
    failed_with(exercises.check_latent_score(ganomaly.latent_score), "yourself")


def test_validation_minmax_check():
    assert exercises.check_validation_minmax(lambda v, s: (s - v.min()) / (v.max() - v.min())).passed
    failed_with(exercises.check_validation_minmax(lambda v, s: (s - s.min()) / (s.max() - s.min())), "batch")
    failed_with(exercises.check_validation_minmax(lambda v, s: (s - v.min()) / v.max()), "range")
    failed_with(exercises.check_validation_minmax(
        lambda v, s: np.clip((s - v.min()) / (v.max() - v.min()), 0, 1)), "clip")
    assert exercises.check_validation_minmax(lambda v, s: (s - np.min(v)) / (np.max(v) - np.min(v))).passed
    failed_with(exercises.check_validation_minmax(
        lambda v, s: ganomaly.minmax_normalise(s, v.min().item(), v.max().item())), "yourself")


def test_permutation_check_names_direction_and_reseeding_mistakes():
    failed_with(exercises.check_permutation_test(lambda *a: 1 - permutation_p(*a) + 1 / 1000), "not 1 minus")

    def reseeded(scores, is_anomaly, n_perm, seed):   # a new generator in every iteration: one shuffle, repeated
        from sklearn.metrics import roc_auc_score

        obs = roc_auc_score(is_anomaly, scores)
        hits = 0
        perm = np.random.default_rng(seed).permutation(len(scores))
        a = roc_auc_score(is_anomaly[perm], scores)
        hits = n_perm * (a >= obs)
        return (hits + 1) / (n_perm + 1)

    failed_with(exercises.check_permutation_test(reseeded), "all different")


def test_standardised_check_accepts_a_score_off_by_a_constant():
    r = exercises.check_standardised_score(
        lambda g, d, al, vg, vd: al * g / vg.std() + (1 - al) * d / vd.std())
    assert r.passed and "constant" in r.message, r
    # the hint no longer gives the formula away
    r = exercises.check_standardised_score(lambda g, d, al, vg, vd: g * 0)
    assert not r.passed and "val_g.mean()" not in r.message
