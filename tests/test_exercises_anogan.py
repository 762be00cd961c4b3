"""The exercise checks of notebooks 03 (AnoGAN), 04 (EGBAD) and 05 (GANomaly): the wrong answers
learners give fail with a message naming the mistake; the library's own function is refused.
(The reference solutions pass: tests/test_solutions.py.)"""

import copy

import numpy as np
import torch
from exercise_helpers import failed_with, stub

from ganad_lib import anogan, exercises, ganomaly


def anogan_loss(x, x_gen, f_x, f_gen, lambda_):
    return (1 - lambda_) * (x - x_gen).abs().flatten(1).sum(1) + lambda_ * (f_x - f_gen).abs().flatten(1).sum(1)


# ----------------------------------------------------------------------------- 03: the latent search


def best_search(G, f, x, z0, steps, lr, lambda_, *, keep="image", eval_mode=True, per_image=False, freeze=True,
                optimise_G=False):
    """A learner's best-code search: ``keep`` is "image" (right), "batch" (one step for all images),
    "loop" (z_Gamma's own loss never considered), "last" (no best kept at all), "best_loss_last_z"
    (the right scores with the last codes)."""
    if eval_mode:
        G.eval()
    if freeze:
        for p in G.parameters():
            p.requires_grad_(False)
    if per_image:
        out = [best_search(G, f, x[i:i + 1], z0[i:i + 1], steps, lr, lambda_) for i in range(len(x))]
        return torch.cat([o[0] for o in out]), torch.cat([o[1] for o in out])
    z = z0.clone().requires_grad_(True)
    opt = torch.optim.Adam([z, *G.parameters()] if optimise_G else [z], lr=lr)
    f_x = f(x).detach()
    best_z, best_loss = z0.clone(), torch.full((len(x),), float("inf"))
    batch_best = (float("inf"), None, None)

    def keep_if_better(loss):
        nonlocal best_z, best_loss, batch_best
        better = loss < best_loss
        best_z = torch.where(better[:, None], z.detach(), best_z)
        best_loss = torch.where(better, loss, best_loss)
        if loss.sum() < batch_best[0]:
            batch_best = (float(loss.sum()), z.detach().clone(), loss.clone())

    for t in range(steps):
        x_gen = G(z)
        loss = anogan_loss(x, x_gen, f_x, f(x_gen), lambda_)
        if not (keep == "no_z0" and t == 0):   # "no_z0": the starting code is never compared
            keep_if_better(loss.detach())
        opt.zero_grad()
        loss.sum().backward()
        opt.step()
    with torch.no_grad():
        x_gen = G(z)
        last = anogan_loss(x, x_gen, f_x, f(x_gen), lambda_)
    if keep == "last":
        return z.detach(), last
    if keep != "loop":
        keep_if_better(last)
    if keep == "batch":
        return batch_best[1], batch_best[2]
    if keep == "best_loss_last_z":
        return z.detach(), best_loss
    return best_z, best_loss


def test_best_code_check_passes_the_per_image_best_and_its_inputs_make_the_last_code_wrong():
    r = exercises.check_best_code_search(best_search)
    assert r.passed, r
    assert not exercises.check_best_code_search(stub).attempted
    # the check's inputs overshoot: for some images an earlier code beats z_Gamma, and the batch's best
    # step is not every image's best step
    for trial in range(2):
        G, f, x, z0, steps, lr, lam = exercises._best_code_inputs(trial)
        last = best_search(copy.deepcopy(G), f, x, z0, steps, lr, lam, keep="last")[1]
        best = best_search(copy.deepcopy(G), f, x, z0, steps, lr, lam)[1]
        batch = best_search(copy.deepcopy(G), f, x, z0, steps, lr, lam, keep="batch")[1]
        assert (best < last - 1e-3).any() and (best < batch - 1e-3).any(), (best, last, batch)


def test_best_code_check_fails_the_usual_wrong_answers():
    failed_with(exercises.check_best_code_search(lambda *a: best_search(*a, keep="last")), "last code")
    failed_with(exercises.check_best_code_search(lambda *a: best_search(*a, keep="batch")), "whole batch")
    failed_with(exercises.check_best_code_search(lambda *a: best_search(*a, keep="loop")), "inside the loop")
    failed_with(exercises.check_best_code_search(lambda *a: best_search(*a, keep="no_z0")), "z_0 is never compared")
    failed_with(exercises.check_best_code_search(lambda *a: best_search(*a, keep="best_loss_last_z")), "codes")
    failed_with(exercises.check_best_code_search(lambda *a: (best_search(*a)[0], best_search(*a)[1].min())),
                "one score per image")
    failed_with(exercises.check_best_code_search(lambda *a: best_search(*a, eval_mode=False)), "G.eval()")
    failed_with(exercises.check_best_code_search(lambda *a: best_search(*a, per_image=True)), "at once")
    failed_with(exercises.check_best_code_search(lambda *a: best_search(*a, freeze=False, optimise_G=True)),
                "optimiser")
    failed_with(exercises.check_best_code_search(lambda *a: best_search(*a, freeze=False)), "requires_grad_(False)")
    failed_with(exercises.check_best_code_search(lambda *a: best_search(*a)[0]), "two things")

    def in_place(G, f, x, z0, *rest):  # optimises the caller's z0 itself
        out = best_search(G, f, x, z0, *rest)
        z0.copy_(out[0])
        return out

    failed_with(exercises.check_best_code_search(in_place), "in place")

    def library(G, f, x, z0, steps, lr, lambda_):
        return anogan.latent_search(G, f, x, z0, steps=steps, lr=lr, lambda_=lambda_)

    failed_with(exercises.check_best_code_search(library), "yourself")


def test_best_code_check_accepts_the_librarys_losses(monkeypatch):
    """A search written by the learner that computes L with the library's loss functions (as Section 3
    of notebook 03 does) is an answer, not a borrowed one: it passes."""
    import sys

    def library_loss(x, x_gen, f_x, f_gen, lambda_):
        return anogan.total_loss(anogan.residual_loss(x, x_gen), anogan.discrimination_loss(f_x, f_gen), lambda_)

    monkeypatch.setattr(sys.modules[__name__], "anogan_loss", library_loss)
    result = exercises.check_best_code_search(best_search)
    assert result.passed, result


# ----------------------------------------------------------------------------- 04: EGBAD


def standardised(l_g, l_d, alpha, val_g, val_d, ddof=1):
    return (alpha * (l_g - val_g.mean()) / val_g.std(ddof=ddof)
            + (1 - alpha) * (l_d - val_d.mean()) / val_d.std(ddof=ddof))


def test_standardised_score_check():
    assert exercises.check_standardised_score(standardised).passed
    assert exercises.check_standardised_score(lambda *a: standardised(*a, ddof=0)).passed
    assert exercises.check_standardised_score(
        lambda g, d, al, vg, vd: al * (g - np.mean(vg)) / np.std(vg) + (1 - al) * (d - np.mean(vd)) / np.std(vd)).passed
    assert not exercises.check_standardised_score(stub).attempted
    failed_with(exercises.check_standardised_score(lambda g, d, al, vg, vd: standardised(g, d, al, g, d)),
                "test scores' own")
    failed_with(exercises.check_standardised_score(lambda g, d, al, vg, vd: standardised(g, d, 1 - al, vg, vd)),
                "wrong term")
    failed_with(exercises.check_standardised_score(lambda g, d, al, vg, vd: al * g + (1 - al) * d), "raw mix")
    failed_with(exercises.check_standardised_score(lambda g, d, al, vg, vd: g.undefined), "AttributeError")


def test_standardised_check_feeds_numpy_arrays_as_det_losses_returns_them():
    seen = []

    def recording(*a):
        seen.extend(type(v) for v in a if not isinstance(v, float))
        return standardised(*a)

    assert exercises.check_standardised_score(recording).passed
    assert seen and all(t is np.ndarray for t in seen)
    l_g, l_d, alpha, val_g, val_d = exercises._two_terms(torch.Generator().manual_seed(0))
    assert all(v.dtype == np.float64 for v in (l_g, l_d, val_g, val_d))
    # torch-only code fails with its own error and a note on the inputs' type
    failed_with(exercises.check_standardised_score(
        lambda g, d, al, vg, vd: al * (g - torch.mean(vg)) / torch.std(vg) + (1 - al) * (d - torch.mean(vd)) / torch.std(vd)),
        "TypeError", "numpy arrays")


def test_standardised_check_messages_name_no_particular_magnitudes():
    r = exercises.check_standardised_score(lambda g, d, al, vg, vd: al * g + (1 - al) * d)
    assert "different scales" in r.message and "near 4" not in r.message and "hundreds" not in r.message


# ----------------------------------------------------------------------------- 03: interval for the recall


def recall_interval(val, scores, is_anomaly, n_boot, seed, *, fixed=False, val_only=False, stratified=False,
                    threshold_from="val", flag_rate=False, q=95, percentiles=(2.5, 97.5), replace=True,
                    same_seed=True):
    """A learner's bootstrap of the recall at the validation threshold, written as a loop over rounds. The
    keywords make the usual wrong answers: ``fixed`` keeps the threshold of the data (Section 6's paired
    bootstrap resamples the test images only), ``val_only`` resamples the validation scores only, and so on."""
    rng = np.random.default_rng(seed if same_seed else None)
    base = {"val": val, "test normals": scores[~is_anomaly], "test": scores}[threshold_from]
    recalls = []
    for _ in range(n_boot):
        if fixed:
            threshold = np.percentile(val, q)
        else:
            drawn = rng.integers(0, len(base), len(base)) if replace else rng.permutation(len(base))
            threshold = np.percentile(base[drawn], q)
        if val_only:
            s, y = scores, is_anomaly
        elif stratified:   # anomalies and normal images drawn apart, each as many as there are
            a, n = scores[is_anomaly], scores[~is_anomaly]
            s = np.r_[n[rng.integers(0, len(n), len(n))], a[rng.integers(0, len(a), len(a))]]
            y = np.r_[np.zeros(len(n), bool), np.ones(len(a), bool)]
        else:
            i = rng.integers(0, len(scores), len(scores)) if replace else rng.permutation(len(scores))
            s, y = scores[i], is_anomaly[i]
        if flag_rate:
            recalls.append((s > threshold).mean())
        elif y.any():
            recalls.append((s[y] > threshold).mean())
    return tuple(np.percentile(recalls, percentiles))


def recall_resamples(val, scores, is_anomaly, n_boot, seed, stratified=False):
    """The right answer's resampled recalls, vectorised in blocks of rounds (quick enough to repeat over
    many seeds); the same distribution as the loop above."""
    rng, out, a = np.random.default_rng(seed), [], scores[is_anomaly]
    for start in range(0, n_boot, 1000):
        k = min(1000, n_boot - start)
        thresholds = np.percentile(val[rng.integers(0, len(val), (k, len(val)))], 95, axis=1)
        if stratified:
            drawn_a = a[rng.integers(0, len(a), (k, len(a)))]
            out.append((drawn_a > thresholds[:, None]).mean(1))
        else:
            i = rng.integers(0, len(scores), (k, len(scores)))
            above, anomalous = scores[i] > thresholds[:, None], is_anomaly[i]
            out.append((above & anomalous).sum(1) / anomalous.sum(1))
    return np.concatenate(out)


def test_recall_check_passes_right_answers_drawn_either_way():
    r = exercises.check_recall_interval(recall_interval)
    assert r.passed and "two data sets" in r.message, r
    assert exercises.check_recall_interval(lambda *a: recall_interval(*a, stratified=True)).passed
    assert not exercises.check_recall_interval(stub).attempted


def test_recall_check_fails_the_copy_of_section_6():
    """Section 6's paired bootstrap resamples the test images and keeps everything else: copied here, the
    threshold stays fixed and the interval misses the threshold's own chance."""
    failed_with(exercises.check_recall_interval(lambda *a: recall_interval(*a, fixed=True)),
                "keeps the threshold fixed", "Section 6", "another threshold")


def test_recall_check_fails_the_usual_mistakes():
    def fails(message_words, **kw):
        failed_with(exercises.check_recall_interval(lambda *a: recall_interval(*a, **kw)), *message_words)

    fails(["the test images are a sample too"], val_only=True)
    fails(["does not know which test images are normal"], threshold_from="test normals")
    fails(["comes from the test scores"], threshold_from="test")
    fails(["share of the anomalies"], flag_rate=True)
    fails(["np.quantile"], q=0.95)
    fails(["*with* replacement"], replace=False)
    fails(["seed"], same_seed=False)
    fails(["90 %"], percentiles=(5, 95))
    fails(["99 %"], percentiles=(0.5, 99.5))
    fails(["too narrow", "Which numbers"], percentiles=(25, 75))
    failed_with(exercises.check_recall_interval(lambda *a: 0.5), "two numbers")
    failed_with(exercises.check_recall_interval(lambda *a: recall_interval(*a)[::-1]), "lower end first")


def test_recall_check_passes_a_right_answer_whatever_its_random_draws():
    """The check compares with a reference within bands (width within 10 %, ends within 12 % of the width)
    that a right answer's resampling noise at n_boot = 5000 stays well inside, while a 90 % interval falls
    outside them on the data set where the test sample makes most of the width."""
    from ganad_lib.exercises import _RECALL_SETS, _recall_reference, _recall_set

    for trial in range(len(_RECALL_SETS)):
        val, s, y = _recall_set(trial)
        ref_low, ref_high = _recall_reference(trial)
        ref_width = ref_high - ref_low
        for seed in range(12):
            recalls = recall_resamples(val, s, y, 5000, 1000 + seed, stratified=seed % 2 == 1)
            low, high = np.percentile(recalls, [2.5, 97.5])
            assert 0.93 < (high - low) / ref_width < 1.07                               # the check: 0.9 to 1.1
            assert max(abs(low - ref_low), abs(high - ref_high)) < 0.08 * ref_width     # the check: 0.12
            if trial == 1:
                low_90, high_90 = np.percentile(recalls, [5, 95])
                assert (high_90 - low_90) / ref_width < 0.9

    for seed in range(2):   # the whole check, with other draws than its own seed
        assert exercises.check_recall_interval(lambda v, s, y, n, _, seed=seed: recall_interval(v, s, y, n, seed)).passed


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


def paper_adv(fr, ff):
    return (fr.detach() - ff.mean(dim=0, keepdim=True)).norm(dim=1).mean()


def test_paper_adversarial_loss_check_accepts_the_paper_form():
    assert exercises.check_paper_adversarial_loss(paper_adv).passed
    assert exercises.check_paper_adversarial_loss(        # the same, written with an explicit square root
        lambda fr, ff: ((fr.detach() - ff.mean(0)) ** 2).sum(1).sqrt().mean()).passed
    assert not exercises.check_paper_adversarial_loss(stub).attempted
    detached = exercises.check_paper_adversarial_loss(paper_adv)
    assert "f_real is detached" in detached.message, detached


def test_paper_adversarial_loss_check_accepts_f_real_not_detached():
    # the paper's equation written faithfully, as the authors' code does: G's gradient is the same
    result = exercises.check_paper_adversarial_loss(lambda fr, ff: (fr - ff.mean(0)).norm(dim=1).mean())
    assert result.passed, result
    assert "not detached" in result.message and "same" in result.message, result


def test_paper_adversarial_loss_check_fails_the_usual_mistakes():
    check = exercises.check_paper_adversarial_loss
    failed_with(check(lambda fr, ff: ((fr.detach() - ff) ** 2).mean()), "per-image form of Section 2")
    failed_with(check(lambda fr, ff: (fr.detach() - ff).norm(dim=1).mean()), "its own reconstruction")
    failed_with(check(lambda fr, ff: ((fr.detach() - ff.mean(0)) ** 2).sum(1).mean()), "squared norm")
    failed_with(check(lambda fr, ff: ((fr.detach() - ff.mean(0)) ** 2).mean()), "mean of squares")
    failed_with(check(lambda fr, ff: (fr.detach() - ff.mean(0)).norm()), "whole batch")
    failed_with(check(lambda fr, ff: (fr.detach() - ff.mean(0)).norm(dim=1).sum()), "sum over images")
    failed_with(check(lambda fr, ff: (fr.detach() - ff.mean(1, keepdim=True)).norm(dim=1).mean()), "dim=1")
    failed_with(check(lambda fr, ff: (fr.detach() - ff.mean(0)).norm(dim=0).mean()), "norm over the images")
    failed_with(check(lambda fr, ff: (fr.detach().mean(0) - ff).norm(dim=1).mean()), "averaged f(x)")
    failed_with(check(lambda fr, ff: (2 * fr - fr.detach() - ff.mean(0)).norm(dim=1).mean()),  # doubled d/df_real
                "wrong gradient with respect to f_real")
    failed_with(check(lambda fr, ff: (fr - ff.mean(0)).detach().norm(dim=1).mean()), "no gradient reaches f_fake")
    failed_with(check(lambda fr, ff: paper_adv(fr, ff).item()), "torch tensor")
    failed_with(check(lambda fr, ff: (fr.detach() - ff.mean(0)).norm(dim=1)), "one number")
    failed_with(check(ganomaly.adversarial_loss), "yourself")


def test_validation_minmax_check():
    assert exercises.check_validation_minmax(lambda v, s: (s - v.min()) / (v.max() - v.min())).passed
    failed_with(exercises.check_validation_minmax(lambda v, s: (s - s.min()) / (s.max() - s.min())), "batch")
    failed_with(exercises.check_validation_minmax(lambda v, s: (s - v.min()) / v.max()), "range")
    failed_with(exercises.check_validation_minmax(
        lambda v, s: np.clip((s - v.min()) / (v.max() - v.min()), 0, 1)), "clip")
    assert exercises.check_validation_minmax(lambda v, s: (s - np.min(v)) / (np.max(v) - np.min(v))).passed
    failed_with(exercises.check_validation_minmax(
        lambda v, s: ganomaly.minmax_normalise(s, v.min().item(), v.max().item())), "yourself")


def test_minmax_flip_check():
    def flagged_then_cleared(v):   # just above the validation percentile, beside one far larger score
        return np.array([np.percentile(v, 95) + 0.01 * np.ptp(v), 10 * v.max()])

    def cleared_then_flagged(v):   # just below it, but the largest of the test set
        return np.array([np.percentile(v, 95) - 0.01 * np.ptp(v), v.min()])

    assert exercises.check_minmax_flip(flagged_then_cleared).passed
    assert exercises.check_minmax_flip(cleared_then_flagged).passed
    assert exercises.check_minmax_flip(lambda v: torch.tensor(flagged_then_cleared(v))).passed
    assert not exercises.check_minmax_flip(stub).attempted
    failed_with(exercises.check_minmax_flip(lambda v: v), "under both")             # the validation set itself
    failed_with(exercises.check_minmax_flip(lambda v: np.array([10 * v.max(), v.min()])), "under both")
    failed_with(exercises.check_minmax_flip(lambda v: np.array([10 * v.max()])), "0 / 0", "one score")
    failed_with(exercises.check_minmax_flip(lambda v: np.full(4, v.max())), "equal")
    failed_with(exercises.check_minmax_flip(lambda v: np.array([np.nan, 1.0])), "nan")
    failed_with(exercises.check_minmax_flip(lambda v: "scores"), "array")

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


def split_optimism(scores, y, in_a, *, pick_on="A", read="A", minus="B", base=1, best_of_each=False):
    """A learner's answer: pick the epoch on one half, subtract two AUROCs (defaults: the right answer)."""
    from sklearn.metrics import roc_auc_score

    half = {"A": in_a, "B": ~in_a, "all": np.ones(len(y), bool)}
    auc = {k: np.array([roc_auc_score(y[m], s[m]) for s in scores]) for k, m in half.items()}
    k = int(np.argmax(auc[pick_on]))
    if best_of_each:
        return k + base, auc["A"].max() - auc["B"].max()
    return k + base, auc[read][k] - auc[minus][k]


def test_split_optimism_check_accepts_the_reference_and_a_hand_written_auroc():
    assert exercises.check_split_optimism(split_optimism).passed
    assert not exercises.check_split_optimism(stub).attempted

    def by_pairs(scores, y, in_a):   # the AUROC as the share of (anomaly, normal) pairs ranked right
        def auroc(s, yy):
            d = s[yy][:, None] - s[~yy][None, :]
            return ((d > 0).sum() + 0.5 * (d == 0).sum()) / d.size
        on_a = [auroc(s[in_a], y[in_a]) for s in scores]
        k = int(np.argmax(on_a))
        return k + 1, on_a[k] - auroc(scores[k][~in_a], y[~in_a])

    assert exercises.check_split_optimism(by_pairs).passed


def test_split_optimism_check_names_the_usual_mistakes():
    check = exercises.check_split_optimism
    failed_with(check(lambda s, y, a: split_optimism(s, y, a, pick_on="all")), "whole test set", "Pick on A alone")
    failed_with(check(lambda s, y, a: split_optimism(s, y, a, pick_on="B")), "picked the epoch on half B")
    failed_with(check(lambda s, y, a: split_optimism(s, y, a, base=0)), "numbered from 1")
    failed_with(check(lambda s, y, a: split_optimism(s, y, a, read="B", minus="A")), "wrong sign")
    failed_with(check(lambda s, y, a: split_optimism(s, y, a, minus="all")), "subtracted", "half B alone")
    failed_with(check(lambda s, y, a: split_optimism(s, y, a, read="all", minus="B")), "take it on half A")
    failed_with(check(lambda s, y, a: split_optimism(s, y, a, best_of_each=True)), "picks again")
    failed_with(check(lambda s, y, a: (1, 0.0)), "expected")
    failed_with(check(lambda s, y, a: 0.01), "a pair")
    failed_with(check(ganomaly.split_optimism), "yourself")
    failed_with(check(lambda s, y, a: ganomaly.selection_optimism(s, y, 1, n_halvings=1)["picked"][0]), "yourself")


def test_split_optimism_check_names_the_lowest_auroc():
    def lowest(s, y, a):
        from sklearn.metrics import roc_auc_score

        on_a = np.array([roc_auc_score(y[a], r[a]) for r in s])
        on_b = np.array([roc_auc_score(y[~a], r[~a]) for r in s])
        k = int(np.argmin(on_a))
        return k + 1, on_a[k] - on_b[k]

    failed_with(exercises.check_split_optimism(lowest), "lowest AUROC")
