"""Shipped long-trained models: hash-checked loading, clear errors, the objects notebooks use (issue 12)."""

import hashlib
import json

import pytest
import torch

from ganad_lib import checkpoints, pretrained
from ganad_lib.bigan import BiGAN
from ganad_lib.gan import GAN
from ganad_lib.ganomaly import GANomaly

TINY = {"dataset": "fashion_mnist", "protocol": "one_class_anomalous", "class": 8, "seed": 0,
        "image_size": 32, "nz": 4, "width": 4, "batch_size": 8}


def _ship(tmp_path, name):
    """Write a tiny model and its manifest the way ``build`` does."""
    weights, manifest = pretrained.paths(name, folder=tmp_path)
    if name == "ganomaly":
        x = torch.rand(16, 1, 32, 32) * 2 - 1
        GANomaly(nz=4, width=4, epochs=1, batch_size=8, progress=False, device="cpu").fit(x).save(weights)
    else:
        model = pretrained._build_model(name, TINY)
        checkpoints.save({"model": model.state_dict()}, weights)
    manifest.write_text(json.dumps({"setting": TINY, "sha256": hashlib.sha256(weights.read_bytes()).hexdigest()}))
    return weights


@pytest.mark.parametrize("name, cls", [("gan", GAN), ("bigan", BiGAN), ("ganomaly", GANomaly)])
def test_load_returns_the_notebooks_objects(tmp_path, name, cls):
    _ship(tmp_path, name)
    model = pretrained.load(name, folder=tmp_path)
    assert isinstance(model, cls) and model.manifest["setting"]["nz"] == 4
    u8 = torch.randint(0, 256, (3, 28, 28), dtype=torch.uint8)
    if name == "gan":
        assert model.sample(5).shape == (5, 1, 32, 32)
        assert not model.G.training
    else:
        from ganad_lib.data import to_tensor

        out = model.reconstruct(u8)
        assert out.shape == (3, 1, 32, 32) and out.dtype == torch.float32
        assert out.min() >= -1 and out.max() <= 1
        torch.testing.assert_close(out, model.reconstruct(to_tensor(u8)))


@pytest.mark.parametrize("damage", ["truncate", "alter", "delete"])
def test_a_damaged_file_is_a_clear_error_naming_it_and_the_rebuild(tmp_path, damage):
    weights = _ship(tmp_path, "gan")
    raw = weights.read_bytes()
    if damage == "truncate":
        weights.write_bytes(raw[: len(raw) // 2])
    elif damage == "alter":
        weights.write_bytes(raw[:100] + bytes([raw[100] ^ 1]) + raw[101:])
    else:
        weights.unlink()
    err = FileNotFoundError if damage == "delete" else ValueError
    with pytest.raises(err, match=rf"{weights.name}.*python -m ganad_lib\.pretrained build gan"):
        pretrained.load("gan", folder=tmp_path)


def test_unknown_model_name():
    with pytest.raises(ValueError, match="Unknown pretrained model 'vae'"):
        pretrained.load("vae")


@pytest.mark.parametrize("name", pretrained.MODELS)
def test_shipped_models_match_their_manifests(name):
    weights, manifest = pretrained.paths(name)
    assert weights.is_file(), f"{name} is not shipped: run `make pretrained`"
    m = json.loads(manifest.read_text())
    assert hashlib.sha256(weights.read_bytes()).hexdigest() == m["sha256"]
    assert m["epoch_chosen"] <= m["epochs_trained"] and "never test labels" in m["stopping_rule"]
    assert m["epochs_trained"] == pretrained.EPOCHS[name], "`make pretrained` must rebuild what is shipped"
    pretrained.load(name)


def _tiny_build(monkeypatch, name):
    """Make ``pretrained.build`` train tiny networks on 200 synthetic images, judged by an untrained judge."""
    from ganad_lib import judge as J
    from ganad_lib.data import ImageDataset
    from ganad_lib.protocols import make_split

    g = torch.Generator().manual_seed(0)
    labels = torch.arange(10).repeat_interleave(20)
    images = torch.randint(0, 256, (200, 28, 28), dtype=torch.uint8, generator=g)
    ds = ImageDataset("fashion_mnist", images, labels, torch.ones(200, dtype=torch.bool),
                      tuple(map(str, range(10))), "synthetic")
    split = make_split("one_class_anomalous", ds, 8, seed=0)
    monkeypatch.setattr(pretrained, "setting", lambda *a, **k: dict(TINY))
    monkeypatch.setattr(pretrained, "_data", lambda s: (ds, split))
    monkeypatch.setattr(pretrained, "N_JUDGE", 8)
    torch.manual_seed(0)
    tiny_judge = J.Judge(J.JudgeNet(), "fashion_mnist", tuple(map(str, range(10))))
    monkeypatch.setattr(J.Judge, "load", classmethod(lambda cls, *a, **k: tiny_judge))
    if name == "ganomaly":
        real_from_profile = GANomaly.from_profile
        monkeypatch.setattr(GANomaly, "from_profile", classmethod(
            lambda cls, *a, **k: real_from_profile(*a, **{**k, "nz": 4, "width": 4, "batch_size": 8})))


@pytest.mark.parametrize("name", pretrained.MODELS)
def test_build_chooses_on_validation_writes_manifest_and_resumes(tmp_path, monkeypatch, name):
    _tiny_build(monkeypatch, name)
    ckpt = tmp_path / "ckpt"
    m = pretrained.build(name, epochs=2, folder=tmp_path, checkpoint_root=ckpt, progress=False)
    assert m["epochs_trained"] == 2 and 1 <= m["epoch_chosen"] <= 2 and len(m["per_epoch"]) == 2
    key = {"gan": "val_frechet", "bigan": "val_class_kept", "ganomaly": "val_L_con"}[name]
    vals = [e[key] for e in m["per_epoch"]]
    best = max(vals) if name == "bigan" else min(vals)  # (rounded in the manifest: ties by value)
    assert vals[m["epoch_chosen"] - 1] == best, f"the epoch is the best by the validation rule: {vals}"
    model = pretrained.load(name, folder=tmp_path)
    assert model.manifest["sha256"] == m["sha256"]
    if name == "gan":  # the shipped G is the moving average of the chosen epoch, judged as such
        from ganad_lib.training import list_checkpoints

        saved = checkpoints.load(list_checkpoints(ckpt / "fashion_mnist_class8_gan")[m["epoch_chosen"]])
        for k, v in model.G.state_dict().items():
            assert torch.equal(v, saved["modules"]["G_ema"][f"module.{k}"]), k
        assert model.G_ema is None and "moving average" in m["generator"]
    # a longer build resumes from the two epochs already trained
    m3 = pretrained.build(name, epochs=3, folder=tmp_path, checkpoint_root=ckpt, progress=False)
    assert len(m3["per_epoch"]) == 3 and m3["per_epoch"][:2] == m["per_epoch"]


def test_a_wider_gan_and_its_schedule_are_in_the_manifest_and_its_command(tmp_path, monkeypatch):
    """The GAN's width and its constant-rate epochs can be set; the manifest's setting holds the width
    (so that loading builds the same networks) and its command the flags that rebuild the model."""
    _tiny_build(monkeypatch, "gan")
    m = pretrained.build("gan", epochs=2, width=6, constant=1, folder=tmp_path, checkpoint_root=tmp_path / "c",
                         progress=False)
    assert m["setting"]["width"] == 6 and m["command"].endswith("--epochs 2 --width 6 --constant-epochs 1")
    assert "epochs 1-1, then falling" in m["learning_rate"]
    model = pretrained.load("gan", folder=tmp_path)
    assert model.G(torch.randn(2, TINY["nz"])).shape[1:] == (1, TINY["image_size"], TINY["image_size"])
    with pytest.raises(ValueError, match="width"):
        pretrained.build("gan", epochs=1, width=-3, folder=tmp_path, checkpoint_root=tmp_path / "c", progress=False)
    plain = pretrained.build("gan", epochs=1, folder=tmp_path / "p", checkpoint_root=tmp_path / "d", progress=False)
    assert "--width" not in plain["command"] and plain["setting"]["width"] == TINY["width"]


def test_the_gan_learning_rate_is_constant_then_falls_linearly_to_zero():
    f = pretrained.gan_lr_factor
    assert f(0, 32) == f(23.9, 32) == f(24, 32) == 1.0
    assert f(28, 32) == pytest.approx(0.5) and f(31, 32) == pytest.approx(0.125)
    assert f(32, 32) == 0.0 and f(33, 32) == 0.0
    assert f(30, 20) == 1.0, "a run no longer than the constant part never decays"


def test_the_gan_average_and_learning_rate_are_used_and_recorded_and_bad_values_refused(tmp_path, monkeypatch):
    """``ema`` and ``lr`` reach the optimisers and the average, the manifest's command and text name them
    (so the command rebuilds that model), the device is recorded, and bad values are clear errors."""
    _tiny_build(monkeypatch, "gan")
    seen = {}
    real_build = pretrained._build_model

    def spy(name, s, device=None, **kw):
        model = real_build(name, s, device=device, **kw)
        seen["lr"] = model.optimizers["G"].param_groups[0]["lr"]
        seen["ema"] = kw.get("ema")
        return model

    monkeypatch.setattr(pretrained, "_build_model", spy)
    m = pretrained.build("gan", epochs=1, ema=0.99, lr=1e-4, folder=tmp_path, checkpoint_root=tmp_path / "c",
                         progress=False)
    assert seen == {"lr": 1e-4, "ema": 0.99}
    assert m["command"].endswith("--epochs 1 --ema 0.99 --lr 0.0001")
    assert "decay 0.99 per step" in m["generator"] and m["learning_rate"].startswith("Adam, 0.0001 for G and D")
    assert m["device"].startswith("CPU")
    plain = pretrained.build("gan", epochs=1, folder=tmp_path / "p", checkpoint_root=tmp_path / "d", progress=False)
    assert "--ema" not in plain["command"] and "--lr" not in plain["command"] and "--device" not in plain["command"]
    assert f"decay {pretrained.GAN_EMA} per step" in plain["generator"]
    for bad in ({"ema": 1.0}, {"ema": 0.0}, {"lr": -1e-4}):
        with pytest.raises(ValueError, match="ema must lie in|lr be positive"):
            pretrained.build("gan", epochs=1, folder=tmp_path / "x", checkpoint_root=tmp_path / "e",
                             progress=False, **bad)
    with pytest.raises(ValueError, match="GAN's settings"):
        pretrained.build("bigan", epochs=1, lr=1e-4, folder=tmp_path / "x", checkpoint_root=tmp_path / "e",
                         progress=False)


def test_recipe_strings_of_the_gpu_script_parse_or_fail_clearly():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "gan_recipes_gpu.py"
    spec = importlib.util.spec_from_file_location("gan_recipes_gpu", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.parse_recipe("long:64:48") == {"name": "long", "epochs": 64, "constant": 48}
    assert mod.parse_recipe("e:48:36:0.9999:1e-4") == {"name": "e", "epochs": 48, "constant": 36,
                                                        "ema": 0.9999, "lr": 1e-4}
    for bad in ("long:64", ":3:1", "x:0:0", "x:3:-1", "a:1:2:3:4:5"):
        with pytest.raises(ValueError, match="recipe|epochs must"):
            mod.parse_recipe(bad)
