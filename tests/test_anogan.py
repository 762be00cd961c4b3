import numpy as np
import pytest
import torch

from ganad_lib.anogan import (
    AnoGAN,
    LatentSearch,
    discrimination_loss,
    frozen,
    initial_z,
    latent_search,
    residual_loss,
    settings,
    total_loss,
)
from ganad_lib.detector import Detector, check_detector
from ganad_lib.gan import GAN
from ganad_lib.profiles import get_profile

NZ, WIDTH = 8, 4


@pytest.fixture
def gan():
    """A tiny DCGAN (untrained, weights seeded) on 1 x 16 x 16 images."""
    return GAN.dcgan(image_size=16, channels=1, nz=NZ, width=WIDTH, seed=0)


def images(n, size=16, seed=0):
    g = torch.Generator().manual_seed(seed)
    return torch.rand(n, 1, size, size, generator=g) * 2 - 1


def weights(*modules):
    return [{k: v.clone() for k, v in m.state_dict().items()} for m in modules]


# ----------------------------------------------------------------------------- losses by hand


def test_losses_equal_hand_computed_values():
    x = torch.tensor([[[[1.0, -1.0], [0.5, 0.0]]], [[[0.0, 0.0], [0.0, 0.0]]]])
    x_gen = torch.tensor([[[[0.0, 0.0], [0.0, 0.0]]], [[[0.25, -0.25], [1.0, -1.0]]]])
    # image 0: |1| + |-1| + |0.5| + |0| = 2.5; image 1: 0.25 + 0.25 + 1 + 1 = 2.5
    torch.testing.assert_close(residual_loss(x, x_gen), torch.tensor([2.5, 2.5]))
    f_x = torch.tensor([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    f_gen = torch.tensor([[0.0, 2.0, 5.0], [-1.0, 1.0, 0.5]])
    torch.testing.assert_close(discrimination_loss(f_x, f_gen), torch.tensor([3.0, 2.5]))
    # (1 - lambda) L_R + lambda L_D, lambda = 0.1: 0.9 * 2.5 + 0.1 * 3 = 2.55 and 0.9 * 2.5 + 0.1 * 2.5
    torch.testing.assert_close(total_loss(torch.tensor([2.5, 2.5]), torch.tensor([3.0, 2.5])),
                               torch.tensor([2.55, 2.5]))
    torch.testing.assert_close(total_loss(torch.tensor([2.0]), torch.tensor([4.0]), lambda_=0.5),
                               torch.tensor([3.0]))


def test_score_is_the_loss_at_the_last_step(gan):
    x = images(3)
    z0 = initial_z(x, NZ, seed=0)
    r = latent_search(gan.G, gan.D, x, z0, steps=4, lambda_=0.1, lr=0.05, trajectory=True)
    gan.G.eval(), gan.D.eval()
    with torch.no_grad():
        x_gen = gan.G(r["z"])
        by_hand = 0.9 * (x - x_gen).abs().sum(dim=(1, 2, 3)) + 0.1 * (
            gan.D(x, features=True)[1] - gan.D(x_gen, features=True)[1]).abs().sum(dim=1)
    torch.testing.assert_close(r["score"], by_hand)
    torch.testing.assert_close(r["residual"], (x - x_gen).abs())
    # the trajectory holds t = 0 .. Gamma; its first code is z_0, its last loss the score
    assert r["z_t"].shape == (5, 3, NZ) and r["loss_t"].shape == (5, 3)
    torch.testing.assert_close(r["z_t"][0], z0)
    torch.testing.assert_close(r["loss_t"][-1], r["score"])
    torch.testing.assert_close(r["loss_t"], 0.9 * r["loss_R_t"] + 0.1 * r["loss_D_t"])
    # Gamma = 0: the score is L(z_0)
    r0 = latent_search(gan.G, gan.D, x, z0, steps=0)
    torch.testing.assert_close(r0["score"], r["loss_t"][0])


def test_the_search_lowers_the_loss(gan):
    r = latent_search(gan.G, gan.D, images(8), initial_z(images(8), NZ), steps=30, lr=0.1, trajectory=True)
    assert (r["loss_t"][-1] < r["loss_t"][0]).all()


# ----------------------------------------------------------------------------- guarantees


def test_search_changes_no_weight_and_restores_the_networks(gan):
    gan.G.train()  # whatever mode they come in, they are searched in eval mode and given back as they were
    gan.D.eval()
    before = weights(gan.G, gan.D)
    latent_search(gan.G, gan.D, images(16), initial_z(images(16), NZ), steps=5, lr=0.1)
    for b, a in zip(before, weights(gan.G, gan.D)):
        for k in b:
            assert torch.equal(b[k], a[k]), f"the search changed {k}"
    assert gan.G.training and not gan.D.training
    params = list(gan.G.parameters()) + list(gan.D.parameters())
    assert all(p.requires_grad for p in params)
    assert all(p.grad is None for p in params), "gradients reached the weights: only z may get them"


def test_frozen_sets_eval_and_no_grad_inside():
    net = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.BatchNorm1d(2)).train()
    with frozen(net):
        assert not net.training and not any(p.requires_grad for p in net.parameters())
    assert net.training and all(p.requires_grad for p in net.parameters())
    with pytest.raises(RuntimeError), frozen(net):
        raise RuntimeError("boom")
    assert net.training and all(p.requires_grad for p in net.parameters())


def test_initial_z_depends_on_the_image_and_seed_only():
    x = images(10)
    z = initial_z(x, 16, seed=3)
    assert z.shape == (10, 16)
    torch.testing.assert_close(initial_z(x[4:5], 16, seed=3)[0], z[4], rtol=0, atol=0)
    torch.testing.assert_close(initial_z(x.flip(0), 16, seed=3), z.flip(0), rtol=0, atol=0)
    assert not torch.equal(initial_z(x, 16, seed=4), z)
    assert not torch.equal(z[0], z[1])
    many = initial_z(images(400, size=4), 64, seed=0)  # draws from N(0, I)
    assert abs(many.mean().item()) < 0.02 and abs(many.std().item() - 1) < 0.02


def test_score_does_not_depend_on_the_batch(gan):
    det = AnoGAN.from_gan(gan, steps=10, search_lr=0.1)
    x = images(64, seed=1)
    batch = det.anomaly_score(x)
    alone = np.array([det.anomaly_score(x[i:i + 1])[0] for i in range(len(x))])
    np.testing.assert_allclose(alone, batch, rtol=1e-5, atol=1e-5)
    perm = torch.randperm(64, generator=torch.Generator().manual_seed(0))
    np.testing.assert_allclose(det.anomaly_score(x[perm]), batch[perm.numpy()], rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(det.anomaly_score(x, batch_size=7), batch, rtol=1e-5, atol=1e-5)


def plain_loop(G, D, x, steps, lambda_, lr, seed):
    """The textbook AnoGAN search: one image at a time, written out without the library."""
    G.eval()
    D.eval()
    scores = []
    for i in range(len(x)):
        xi = x[i:i + 1]
        z = initial_z(xi, NZ, seed).clone().requires_grad_(True)
        opt = torch.optim.Adam([z], lr=lr)
        f_x = D(xi, features=True)[1].detach()
        for _ in range(steps):
            g = G(z)
            loss = (1 - lambda_) * (xi - g).abs().sum() + lambda_ * (f_x - D(g, features=True)[1]).abs().sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
        with torch.no_grad():
            g = G(z)
            loss = (1 - lambda_) * (xi - g).abs().sum() + lambda_ * (f_x - D(g, features=True)[1]).abs().sum()
        scores.append(loss.item())
    return np.array(scores)


def test_batched_search_equals_a_plain_per_image_loop(gan):
    x = images(12, seed=2)
    det = AnoGAN.from_gan(gan, steps=8, lambda_=0.3, search_lr=0.05, seed=5)
    batched = det.anomaly_score(x)
    looped = plain_loop(gan.G, gan.D, x, steps=8, lambda_=0.3, lr=0.05, seed=5)
    np.testing.assert_allclose(batched, looped, rtol=1e-5, atol=1e-5)


def test_scoring_works_inside_no_grad(gan):
    det = AnoGAN.from_gan(gan, steps=3)
    x = images(4)
    with torch.no_grad():
        inside = det.anomaly_score(x)
    np.testing.assert_allclose(inside, det.anomaly_score(x))


# ----------------------------------------------------------------------------- the detector


def test_anogan_fulfils_the_detector_contract(rng_images, tmp_path):
    train, val, test = rng_images
    make = lambda: AnoGAN(nz=NZ, width=WIDTH, epochs=1, batch_size=16, steps=4, search_lr=0.1,  # noqa: E731
                          progress=False, device="cpu")
    check_detector(make, train, val, test, tmp_path)


def test_from_gan_reads_the_sizes_and_round_trips(gan, tmp_path):
    det = AnoGAN.from_gan(gan, steps=3)
    assert (det.config["nz"], det.config["width"], det.config["image_size"]) == (NZ, WIDTH, 16)
    assert det.expected_shape == (1, 16, 16)
    x = images(5)
    s = det.anomaly_score(x)
    again = Detector.load(det.save(tmp_path / "anogan.pt"))
    assert isinstance(again, AnoGAN)
    np.testing.assert_allclose(again.anomaly_score(x), s, rtol=1e-6)


def test_search_returns_maps_codes_and_trajectory(gan):
    det = AnoGAN.from_gan(gan, steps=3, search_lr=0.1)
    x = images(5)
    r = det.search(x, trajectory=True, batch_size=2)
    assert isinstance(r, LatentSearch) and len(r) == 5
    assert r.z.shape == (5, NZ) and r.x_gen.shape == x.shape and r.residual.shape == x.shape
    torch.testing.assert_close(r.residual, (r.x - r.x_gen).abs())
    torch.testing.assert_close(det.generate(r.z), r.x_gen)
    assert r.trajectory["z_t"].shape == (4, 5, NZ)
    np.testing.assert_allclose(r.scores_at(3), r.score, rtol=1e-6)
    np.testing.assert_allclose(r.score, det.anomaly_score(x), rtol=1e-6)
    with pytest.raises(ValueError, match="0..3"):
        r.scores_at(4)
    with pytest.raises(ValueError, match="trajectory=True"):
        det.search(x).scores_at(0)
    # per-call options override the detector's settings
    np.testing.assert_allclose(det.anomaly_score(x, steps=0), r.scores_at(0), rtol=1e-6)


def test_settings_follow_the_profile():
    for name in ("smoke", "cpu", "full"):
        p, s = get_profile(name), settings(name)
        assert s["steps"] == p.search_steps and s["nz"] == p.nz and s["width"] == p.width
        det = AnoGAN.from_profile(p, seed=2)
        assert det.config["steps"] == p.search_steps and det.config["seed"] == 2


def test_clear_errors(gan):
    with pytest.raises(ValueError, match="lambda_"):
        AnoGAN(lambda_=1.5)
    with pytest.raises(ValueError, match="steps"):
        AnoGAN(steps=-1)
    with pytest.raises(ValueError, match="learning rate"):
        AnoGAN(search_lr=0.0)
    with pytest.raises(TypeError, match="GAN.dcgan"):
        AnoGAN.from_gan(GAN.mlp())
    det = AnoGAN.from_gan(gan, steps=2)
    with pytest.raises(ValueError, match="steps"):
        det.anomaly_score(images(2), steps=2.5)
    with pytest.raises(ValueError, match="1x16x16"):
        det.anomaly_score(images(2, size=32))
    with pytest.raises(ValueError, match="z0"):
        latent_search(gan.G, gan.D, images(3), torch.zeros(2, NZ), steps=1)


def test_benchmark_writes_its_report(tmp_path, capsys):
    import json

    from ganad_lib import bench

    out = tmp_path / "sub" / "anogan_bench.json"
    bench.main(["anogan", "--profile", "smoke", "--batch-size", "3", "--steps", "1", "--repeats", "1",
                "--threads", str(torch.get_num_threads()), "--out", str(out)])
    report = json.loads(out.read_text())
    assert report["batch_size"] == 3 and report["steps"] == 1 and report["torch_version"]
    (row,) = report["results"]
    assert row["nets"] == "smoke" and row["ratio"] > 0
    assert row["max_abs_score_difference"] < 1e-3  # batched and per-image loop agree
    assert not list(out.parent.glob(".*.tmp")), "the report is written atomically"
    assert "ratio" in capsys.readouterr().out
    with pytest.raises(ValueError, match="Unknown network size"):
        bench.bench_anogan(profile="smoke", nets=["huge"])


# ----------------------------------------------------------------------------- notebook 03's verdict words


def test_paired_label_reads_the_deciding_end_and_its_monte_carlo_range():
    from ganad_lib import narration as n

    def w(*ends):   # the four ends' Monte-Carlo ranges, each end ± 0.002
        return np.array([[e - 0.002, e + 0.002] for e in ends])

    # (difference, 95 % low, high, widened low, high, images)
    down = (-0.05, -0.10, -0.02, -0.12, -0.010, 256)
    assert n.paired_label(down, w(*down[1:5])) == n.BEYOND
    edge = (-0.05, -0.10, -0.02, -0.12, -0.001, 256)            # the widened upper end 0.001 below 0
    assert n.paired_label(edge, w(*edge[1:5])) == n.EDGE_BEYOND
    weak = (-0.05, -0.10, -0.01, -0.12, +0.010, 256)
    assert n.paired_label(weak, w(*weak[1:5])) == n.WEAK
    weak_edge = (-0.05, -0.10, -0.001, -0.12, +0.010, 256)
    assert n.paired_label(weak_edge, w(*weak_edge[1:5])) == n.EDGE_WEAK
    tied = (0.01, -0.02, 0.04, -0.03, 0.05, 256)
    assert n.paired_label(tied, w(*tied[1:5])) == n.TIED
    up = (0.06, 0.04, 0.09, 0.036, 0.10, 512)                      # mirrored: the lower ends decide
    assert n.paired_label(up, w(*up[1:5])) == n.BEYOND
    assert n.paired_label((0.06, 0.04, 0.09, 0.001, 0.10, 512), w(0.04, 0.09, 0.001, 0.10)) == n.EDGE_BEYOND
    # the verdict with its reason starts with the same words, and names the range only on the edge
    text = n.paired_verdict(edge, w(*edge[1:5]), 6, "99.2 %")
    assert text.startswith(n.EDGE_BEYOND + " (") and "[-0.0030, +0.0010]" in text
    assert n.paired_verdict(tied, w(*tied[1:5]), 6, "99.2 %") == (
        "not distinguishable (on 256 images the 95 % interval allows differences up to ±0.04)")


def test_lambda_reading_and_table_use_one_verdict_per_lambda():
    from ganad_lib import narration as n

    auroc = {0.0: 0.888, 0.1: 0.892, 0.5: 0.835, 1.0: 0.845}
    diffs = {0.0: (-0.004, -0.038, 0.031, -0.049, 0.043, 256), 0.5: (-0.057, -0.101, -0.015, -0.116, -0.001, 256),
             1.0: (-0.047, -0.091, -0.003, -0.106, 0.014, 256)}
    labels = {0.0: n.TIED, 0.5: n.EDGE_BEYOND, 1.0: n.WEAK}
    verdicts = {v: labels[v] + " (reason)" for v in labels}
    text = n.lambda_reading(0.1, auroc, diffs, verdicts, labels, 256, {"L_R alone": 0.892, "L_D alone": 0.9}, 0.895,
                            (-0.008,), "not distinguishable (reason)", 512)
    assert "λ = 0.5 scores 0.835, a difference of -0.057, verdict *on the edge: beyond the noise or weak evidence* " \
           "(reason)" in text
    assert "the parts differ by -0.008, verdict *not distinguishable* (reason)" in text
    assert "Lower, but short of *beyond the noise*: λ = 0.5 (*on the edge: beyond the noise or weak evidence*); " \
           "λ = 1 (*weak evidence*)." in text
    assert "No λ scores above 0.1" in text and "not monotone" in text and "lowest point is λ = 0.5 (0.835)" in text
    up = {**diffs, 0.5: (0.02, -0.02, 0.06, -0.03, 0.07, 256)}   # higher, but not distinguishable
    text_up = n.lambda_reading(0.1, auroc, up, verdicts, {**labels, 0.5: n.TIED}, 256,
                               {"L_R alone": 0.892, "L_D alone": 0.9}, 0.895, (-0.008,), "not distinguishable (r)", 512)
    assert "No λ scores distinguishably above 0.1" in text_up
    assert "Against λ = 0.1, the paper's value**" in text   # its source: the notebook's one caveat (Section 1)
    table = n.anogan_sweeps_table(100, 44, 0.891, 0.895, 512, 0.1, auroc, diffs, labels, 256, "99.2 %")
    assert len(table.splitlines()) == 2 + 5
    assert "| λ | 0.5 | 0.835 | -0.057, 99.2 % interval [-0.116, -0.001] | on the edge: beyond the noise or weak " \
           "evidence |" in table
    assert "| Γ | stopped at step 44 of 100 | 0.891 | -0.004 against Γ = 100 (0.895), all 512 images |" in table
    assert "| λ | 0.1, the paper's (the reference) | 0.892 |" in table


def test_verdict_clause_italicises_the_label_without_a_second_colon():
    from ganad_lib import narration as n

    assert n.verdict_clause(n.EDGE_BEYOND + " (reason)") == ", verdict *" + n.EDGE_BEYOND + "* (reason)"
    assert n.verdict_clause(n.BEYOND) == ", verdict *beyond the noise*"
    assert n.verdict_clause(n.EDGE_WEAK + " (r)").startswith(", verdict *on the edge: weak evidence or not")
    with pytest.raises(ValueError):
        n.verdict_clause("maybe")
