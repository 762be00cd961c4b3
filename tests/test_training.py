import math

import pytest
import torch
from torch import nn

from ganad_lib import checkpoints
from ganad_lib.training import list_checkpoints, train


class TinyTrainer:
    """A linear autoencoder with dropout and noise, so that seeding matters."""

    def __init__(self, seed=0, lr=1e-2, blow_up_at=None):
        torch.manual_seed(seed)
        self.net = nn.Sequential(nn.Flatten(), nn.Linear(16, 4), nn.Dropout(0.3), nn.Linear(4, 16))
        self.modules = {"net": self.net}
        self.optimizers = {"opt": torch.optim.Adam(self.net.parameters(), lr=lr)}
        self.calls, self.blow_up_at = 0, blow_up_at

    def train_step(self, x):
        self.calls += 1
        noise = 0.1 * torch.randn_like(x.flatten(1))
        loss = ((self.net(x) - x.flatten(1) - noise) ** 2).mean()
        self.optimizers["opt"].zero_grad()
        loss.backward()
        self.optimizers["opt"].step()
        if self.blow_up_at == self.calls:
            return {"loss": math.nan}
        return {"loss": loss.item()}


X = torch.rand(40, 1, 4, 4) * 2 - 1


def weights(t):
    return {k: v.clone() for k, v in t.net.state_dict().items()}


def test_history_and_loss_decreases():
    t = TinyTrainer()
    h = train(t, X, epochs=6, batch_size=8, progress=False)
    assert len(h.steps) == 6 * 5 and len(h.epochs) == 6
    assert h.epochs[-1]["loss"] < h.epochs[0]["loss"]
    assert h.series("loss").shape == (30,)


def test_same_seed_same_weights():
    a, b = TinyTrainer(), TinyTrainer()
    train(a, X, epochs=2, batch_size=8, seed=3, progress=False)
    train(b, X, epochs=2, batch_size=8, seed=3, progress=False)
    for k, v in weights(a).items():
        assert torch.equal(v, weights(b)[k])
    c = TinyTrainer()
    train(c, X, epochs=2, batch_size=8, seed=4, progress=False)
    assert not all(torch.equal(v, weights(c)[k]) for k, v in weights(a).items())


def test_resume_equals_uninterrupted(tmp_path):
    full = TinyTrainer()
    h_full = train(full, X, epochs=4, batch_size=8, seed=1, checkpoint_dir=tmp_path / "a", progress=False)
    # "interrupted" after 2 epochs: a new process would rebuild the model and resume
    part = TinyTrainer()
    train(part, X, epochs=2, batch_size=8, seed=1, checkpoint_dir=tmp_path / "b", progress=False)
    resumed = TinyTrainer(seed=99)  # different init: everything must come from the checkpoint
    h = train(resumed, X, epochs=4, batch_size=8, seed=1, checkpoint_dir=tmp_path / "b", progress=False)
    assert resumed.calls == 2 * 5, "only the missing epochs are trained"
    for k, v in weights(full).items():
        assert torch.equal(v, weights(resumed)[k]), k
    assert [e["loss"] for e in h.epochs] == [e["loss"] for e in h_full.epochs]
    assert sorted(list_checkpoints(tmp_path / "b")) == [1, 2, 3, 4]


def test_checkpoints_are_loaded_with_weights_only(tmp_path):
    t = TinyTrainer()
    train(t, X, epochs=1, batch_size=8, checkpoint_dir=tmp_path, progress=False)
    state = checkpoints.load(tmp_path / "epoch_001.pt")
    assert state["epoch"] == 1 and "net" in state["modules"]
    assert not list(tmp_path.glob("*.tmp")), "no temporary file is left behind"


def test_nan_loss_stops_with_epoch_and_step(tmp_path):
    t = TinyTrainer(blow_up_at=8)  # 5 steps per epoch: epoch 2, step 3
    with pytest.raises(FloatingPointError, match=r"loss 'loss' became nan at epoch 2, step 3"):
        train(t, X, epochs=3, batch_size=8, checkpoint_dir=tmp_path, progress=False)
    assert sorted(list_checkpoints(tmp_path)) == [1], "the failed epoch writes no checkpoint"
    before = (tmp_path / "epoch_001.pt").read_bytes()
    checkpoints.load(tmp_path / "epoch_001.pt")
    assert before == (tmp_path / "epoch_001.pt").read_bytes()


def test_checkpoint_of_another_model_is_refused(tmp_path):
    train(TinyTrainer(), X, epochs=1, batch_size=8, checkpoint_dir=tmp_path, progress=False)

    class Other(TinyTrainer):
        def __init__(self):
            super().__init__()
            self.net = nn.Sequential(nn.Flatten(), nn.Linear(16, 3), nn.Linear(3, 16))
            self.modules = {"net": self.net}
            self.optimizers = {"opt": torch.optim.Adam(self.net.parameters())}

    with pytest.raises(ValueError, match="another run .*networks|does not fit this model"):
        train(Other(), X, epochs=2, batch_size=8, checkpoint_dir=tmp_path, progress=False)


def test_checkpoint_of_another_run_is_refused(tmp_path):
    train(TinyTrainer(), X, epochs=3, batch_size=8, seed=0, checkpoint_dir=tmp_path, progress=False)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    other = TinyTrainer(seed=1)
    with pytest.raises(ValueError, match=r"another run \(seed: 0 there, 1 here\)"):
        train(other, X, epochs=3, batch_size=8, seed=1, checkpoint_dir=tmp_path, progress=False)
    assert other.calls == 0, "nothing was trained on top of the other run's weights"
    with pytest.raises(ValueError, match="n_images: 40 there, 20 here"):
        train(TinyTrainer(), X[:20], epochs=3, batch_size=8, seed=0, checkpoint_dir=tmp_path, progress=False)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before, "its checkpoints are kept"


def test_atomic_write_keeps_old_file_on_failure(tmp_path):
    p = tmp_path / "x.pt"
    checkpoints.save({"a": 1}, p)

    def broken(tmp):
        tmp.write_bytes(b"half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        checkpoints.atomic_write(p, broken)
    assert checkpoints.load(p) == {"a": 1}
    assert [q.name for q in tmp_path.iterdir()] == ["x.pt"]


def test_damaged_checkpoint_is_a_clear_error(tmp_path):
    p = tmp_path / "bad.pt"
    p.write_bytes(b"not a checkpoint")
    with pytest.raises(ValueError, match="damaged"):
        checkpoints.load(p)
    with pytest.raises(FileNotFoundError, match="No checkpoint"):
        checkpoints.load(tmp_path / "missing.pt")


def test_bad_arguments():
    with pytest.raises(TypeError, match="float tensor"):
        train(TinyTrainer(), X.to(torch.uint8), epochs=1, batch_size=8)
    with pytest.raises(ValueError, match="batch_size"):
        train(TinyTrainer(), X, epochs=1, batch_size=0)


# ----------------------------------------------------------------- issue 15: a resume never changes the run


def test_resume_with_another_learning_rate_is_refused(tmp_path):
    train(TinyTrainer(lr=1e-2), X, epochs=2, batch_size=8, checkpoint_dir=tmp_path, progress=False)
    t = TinyTrainer(lr=1e-3)
    with pytest.raises(ValueError, match=r"optimizers\.opt.*0\.01 there.*0\.001 here"):
        train(t, X, epochs=4, batch_size=8, checkpoint_dir=tmp_path, progress=False)
    assert t.calls == 0
    assert t.optimizers["opt"].param_groups[0]["lr"] == 1e-3, "the checkpoint's lr was not loaded"


def test_resume_with_other_settings_or_data_is_refused(tmp_path):
    a = TinyTrainer()
    a.run_config = {"loss": "non_saturating"}
    train(a, X, epochs=1, batch_size=8, checkpoint_dir=tmp_path, progress=False, config={"profile": "cpu"})
    b = TinyTrainer()
    b.run_config = {"loss": "saturating"}
    with pytest.raises(ValueError, match="settings.loss: 'non_saturating' there, 'saturating' here"):
        train(b, X, epochs=2, batch_size=8, checkpoint_dir=tmp_path, progress=False, config={"profile": "cpu"})
    c = TinyTrainer()
    c.run_config = {"loss": "non_saturating"}
    with pytest.raises(ValueError, match="config.profile: 'cpu' there, 'smoke' here"):
        train(c, X, epochs=2, batch_size=8, checkpoint_dir=tmp_path, progress=False, config={"profile": "smoke"})
    with pytest.raises(ValueError, match="data:"):  # same count and shape, other images
        train(c, X.flip(0), epochs=2, batch_size=8, checkpoint_dir=tmp_path, progress=False,
              config={"profile": "cpu"})
    # the same settings resume
    d = TinyTrainer()
    d.run_config = {"loss": "non_saturating"}
    train(d, X, epochs=2, batch_size=8, checkpoint_dir=tmp_path, progress=False, config={"profile": "cpu"})
    assert d.calls == 5


def test_gan_resume_refuses_changed_lr_and_loss(tmp_path):
    from ganad_lib.gan import GAN

    pts = torch.randn(64, 2)
    GAN.mlp(lr=2e-4, hidden=8).fit(pts, epochs=1, batch_size=16, checkpoint_dir=tmp_path, progress=False)
    with pytest.raises(ValueError, match=r"lr.*0\.0002 there.*0\.01 here"):
        GAN.mlp(lr=1e-2, hidden=8).fit(pts, epochs=2, batch_size=16, checkpoint_dir=tmp_path, progress=False)
    with pytest.raises(ValueError, match="settings.loss: 'non_saturating' there, 'saturating' here"):
        GAN.mlp(lr=2e-4, hidden=8, loss="saturating").fit(pts, epochs=2, batch_size=16,
                                                          checkpoint_dir=tmp_path, progress=False)
    with pytest.raises(ValueError, match="settings.k: 1 there, 2 here"):
        GAN.mlp(lr=2e-4, hidden=8, k=2).fit(pts, epochs=2, batch_size=8, checkpoint_dir=tmp_path, progress=False)


def test_a_fresh_start_removes_stale_epoch_files(tmp_path):
    train(TinyTrainer(), X, epochs=5, batch_size=8, checkpoint_dir=tmp_path, progress=False)
    # start over with another learning rate; "interrupted" after 2 epochs
    train(TinyTrainer(lr=1e-3), X, epochs=2, batch_size=8, checkpoint_dir=tmp_path, resume=False, progress=False)
    assert sorted(list_checkpoints(tmp_path)) == [1, 2], "epochs 3-5 of the earlier run are gone"
    again = TinyTrainer(lr=1e-3)
    train(again, X, epochs=5, batch_size=8, checkpoint_dir=tmp_path, progress=False)
    assert again.calls == 3 * 5, "resumed from this run's epoch 2, not the old epoch 5"


def test_old_checkpoint_without_run_settings_is_refused(tmp_path):
    t = TinyTrainer()
    train(t, X, epochs=1, batch_size=8, checkpoint_dir=tmp_path, progress=False)
    state = checkpoints.load(tmp_path / "epoch_001.pt")
    state["run"] = None
    checkpoints.save(state, tmp_path / "epoch_001.pt")
    with pytest.raises(ValueError, match="records no run settings"):
        train(TinyTrainer(), X, epochs=2, batch_size=8, checkpoint_dir=tmp_path, progress=False)


class BlowsUpWeights(TinyTrainer):
    """Finite losses, but after step ``at`` a weight is infinite."""

    def __init__(self, at):
        super().__init__()
        self.at = at

    def train_step(self, x):
        out = super().train_step(x)
        if self.calls == self.at:
            with torch.no_grad():
                self.net[1].weight[0, 0] = math.inf
            return {"loss": 0.5}  # the loss of this step was computed before the step: finite
        return out


def test_infinite_weights_are_never_checkpointed(tmp_path):
    t = BlowsUpWeights(at=10)  # the last step of epoch 2
    with pytest.raises(FloatingPointError, match=r"net\.1\.weight .*after epoch 2.*last good checkpoint is epoch 1"):
        train(t, X, epochs=3, batch_size=8, checkpoint_dir=tmp_path, progress=False)
    assert sorted(list_checkpoints(tmp_path)) == [1]
    state = checkpoints.load(tmp_path / "epoch_001.pt")
    assert all(torch.isfinite(v).all() for v in state["modules"]["net"].values())


def test_no_good_checkpoint_is_named_when_none_was_written(tmp_path):
    t = BlowsUpWeights(at=10)
    with pytest.raises(FloatingPointError) as err:
        train(t, X, epochs=3, batch_size=8, progress=False)  # no checkpoint_dir
    assert "good checkpoint" not in str(err.value)


def test_a_checkpoint_with_infinite_values_is_not_resumed(tmp_path):
    t = TinyTrainer()
    train(t, X, epochs=1, batch_size=8, checkpoint_dir=tmp_path, progress=False)
    state = checkpoints.load(tmp_path / "epoch_001.pt")
    state["modules"]["net"]["1.bias"][0] = math.nan
    checkpoints.save(state, tmp_path / "epoch_001.pt")
    with pytest.raises(ValueError, match=r"non-finite values in net\.1\.bias"):
        train(TinyTrainer(), X, epochs=2, batch_size=8, checkpoint_dir=tmp_path, progress=False)


def test_lr_schedule_sets_each_step_and_a_resumed_run_continues_it(tmp_path):
    """The schedule multiplies the initial rate before every step (t counts epochs, fractional), and an
    interrupted run resumes mid-schedule with the same weights as an uninterrupted one."""
    def schedule(t):
        return 1.0 if t < 2 else (4 - t) / 2     # constant for 2 epochs, then linear to 0 at epoch 4

    seen = []

    class Recording(TinyTrainer):
        def train_step(self, x):
            seen.append(self.optimizers["opt"].param_groups[0]["lr"])
            return super().train_step(x)

    full = Recording(lr=1e-2)
    train(full, X, epochs=4, batch_size=8, seed=1, progress=False, lr_schedule=schedule)
    steps = 5  # 40 images, batches of 8
    expected = [1e-2 * schedule(e + s / steps) for e in range(4) for s in range(steps)]
    assert seen == pytest.approx(expected)
    assert seen[-1] == pytest.approx(1e-2 * 0.1) and seen[0] == 1e-2
    # without a schedule the rate never moves
    seen.clear()
    train(Recording(lr=1e-2), X, epochs=1, batch_size=8, progress=False)
    assert seen == [1e-2] * steps
    # interrupted after 3 epochs (mid-decay), resumed by a fresh process
    part = Recording(lr=1e-2)
    train(part, X, epochs=3, batch_size=8, seed=1, checkpoint_dir=tmp_path, progress=False, lr_schedule=schedule)
    seen.clear()
    resumed = Recording(lr=1e-2, seed=99)
    train(resumed, X, epochs=4, batch_size=8, seed=1, checkpoint_dir=tmp_path, progress=False, lr_schedule=schedule)
    assert seen == pytest.approx(expected[-steps:])
    for k, v in weights(full).items():
        assert torch.equal(v, weights(resumed)[k]), k


def test_a_finished_run_prints_one_plain_line(capsys):
    """A saved notebook keeps a progress widget's first state ("0/744"); the plain line after it says the run
    finished, how many steps, in how long. Without progress, nothing is printed."""
    train(TinyTrainer(), X, epochs=2, batch_size=8, desc="tiny")
    out = capsys.readouterr().out.strip().splitlines()
    assert out and out[-1].startswith("tiny: trained 10 steps (2 epochs) in "), out
    train(TinyTrainer(), X, epochs=2, batch_size=8, progress=False)
    assert capsys.readouterr().out == ""
