"""Long-trained models shipped with the course, trained with the course's own code on 2 CPU cores.

A live run in a notebook is short (the profile sizes it); the analysis sections load these
models, trained for longer in exactly the setting notebooks 01-05 show: Fashion-MNIST, "bag"
(class 8) as the anomaly, protocol "one class anomalous", seed 0, the ``cpu`` networks (32 x 32
images, width 32, latent size 100), on the split's *whole* normal training part.

    from ganad_lib import pretrained
    gan = pretrained.load("gan")             # a GAN: gan.sample(n), gan.G, gan.D
    bigan = pretrained.load("bigan")         # a BiGAN: bigan.reconstruct(images) = G(E(x))
    ganomaly = pretrained.load("ganomaly")   # a GANomaly detector: .reconstruct(images) = G(x)

The stopping epoch is chosen on validation data and the judge (:mod:`ganad_lib.judge`), never on
test labels: the GAN's by the lowest Fréchet distance of 2,000 samples to validation images, the
BiGAN's by the largest share of validation images whose G(E(x)) keeps its class, GANomaly's by
its own rule (lowest validation L_con). Each file has a manifest beside it (command, data, split,
seed, epochs and steps, minutes, torch version, git commit, SHA-256, the judge's numbers); loading
checks the hash. ``make pretrained`` (``python -m ganad_lib.pretrained build all``) rebuilds them;
training checkpoints every epoch into ``checkpoints/pretrained/`` and resumes from there.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import torch

from . import checkpoints
from .bigan import BiGAN
from .data import load_dataset
from .gan import GAN
from .profiles import get_profile
from .protocols import make_split

__all__ = ["MODELS", "PRETRAINED_DIR", "load", "paths", "build", "setting"]

PRETRAINED_DIR = Path(__file__).resolve().parent / "pretrained"
CHECKPOINT_ROOT = Path(__file__).resolve().parents[1] / "checkpoints" / "pretrained"
MODELS = ("gan", "bigan", "ganomaly")
#: epochs trained by ``make pretrained`` (the stopping epoch is then chosen on validation data)
EPOCHS = {"gan": 32, "bigan": 8, "ganomaly": 4}
#: the GAN is trained with a moving average of G's weights (decay per generator step); the shipped
#: G *is* that average (a plain GAN once loaded). Yazıcı et al. (2019), ICLR.
GAN_EMA = 0.9995
#: the GAN's learning rates stay at 2e-4 for its first 24 epochs, then fall linearly to zero by the
#: end of training (every step). Measured on validation images: the moving average's Fréchet distance
#: fell from 17.4 (epoch 24) to 14.2 (epoch 32), its confident share only from 0.717 to 0.719
GAN_LR_CONSTANT_EPOCHS = 24
#: the GAN's learning rate (Adam, both networks) before the decay: DCGAN's 2e-4
GAN_LR = 2e-4
#: the GAN's width (None: the ``cpu`` networks' 32, which the other long-trained models use)
GAN_WIDTH = None


def gan_lr_factor(t: float, epochs: int, constant: int = GAN_LR_CONSTANT_EPOCHS) -> float:
    """The GAN's learning-rate factor after ``t`` epochs: 1 up to ``constant``, then linear to 0 at ``epochs``."""
    if t <= constant or epochs <= constant:
        return 1.0
    return max(0.0, (epochs - t) / (epochs - constant))


#: images per judge measurement during training (samples, and each set of real images)
N_JUDGE = 2000


def setting(dataset: str = "fashion_mnist", cls: int = 8, seed: int = 0) -> dict:
    """The setting of the shipped models: data, protocol, class, seed and the ``cpu`` networks."""
    p = get_profile("cpu")
    return {"dataset": dataset, "protocol": "one_class_anomalous", "class": cls, "seed": seed,
            "image_size": p.image_size, "nz": p.nz, "width": p.width, "batch_size": p.batch_size}


def paths(name: str, dataset: str = "fashion_mnist", cls: int = 8, folder=None) -> tuple[Path, Path]:
    d = Path(folder) if folder is not None else PRETRAINED_DIR
    stem = f"{dataset}_class{cls}_{name}"
    return d / f"{stem}.pt", d / f"{stem}.json"


def _command(name: str, dataset: str, cls: int, epochs: int | None = None, width: int | None = None,
             constant: int | None = None, ema: float | None = None, lr: float | None = None,
             device: str | None = None) -> str:
    return (f"python -m ganad_lib.pretrained build {name} --dataset {dataset} --class {cls}"
            + (f" --epochs {epochs}" if epochs else "") + (f" --width {width}" if width else "")
            + (f" --constant-epochs {constant}" if constant is not None else "")
            + (f" --ema {ema}" if ema is not None else "") + (f" --lr {lr}" if lr is not None else "")
            + (f" --device {device}" if device else ""))


def _check_name(name: str) -> str:
    if name not in MODELS:
        raise ValueError(f"Unknown pretrained model {name!r}. Choose one of {', '.join(MODELS)}.")
    return name


def _build_model(name: str, s: dict, device=None, ema: float | None = None, lr: float = GAN_LR):
    if name == "gan":
        return GAN.dcgan(s["image_size"], 1, s["nz"], s["width"], seed=s["seed"], device=device, ema=ema, lr=lr)
    if name == "bigan":
        return BiGAN(s["image_size"], 1, s["nz"], s["width"], seed=s["seed"], device=device)
    from .ganomaly import GANomaly

    return GANomaly.from_profile("cpu", seed=s["seed"], device=device, progress=True)


def load(name: str, dataset: str = "fashion_mnist", cls: int = 8, *, folder=None, device=None):
    """The long-trained ``"gan"``, ``"bigan"`` or ``"ganomaly"``, checked against its manifest.

    A missing, truncated or altered file is a clear error naming the file and the command that
    rebuilds it. The models come in eval mode; ``.manifest`` holds the manifest.
    """
    name = _check_name(name)
    weights, manifest_path = paths(name, dataset, cls, folder)
    manifest = checkpoints.read_manifest(weights, manifest_path, f"pretrained {name}",
                                         f"{_command(name, dataset, cls)} (or make pretrained)")
    if name == "ganomaly":
        from .ganomaly import GANomaly

        model = GANomaly.load(weights, device=device)
    else:
        state = checkpoints.load(weights)
        model = _build_model(name, manifest["setting"], device=device)
        model.load_state_dict(state["model"])
        for m in model.modules.values():
            m.eval()
    model.manifest = manifest
    return model


# ---------------------------------------------------------------------- building


def _git_commit() -> str:
    """The short commit, with "+dirty" when the working tree has uncommitted changes (as the grid's rows)."""
    root = Path(__file__).resolve().parents[1]
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True,
                              timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                               capture_output=True, text=True, timeout=10, check=True).stdout.strip()
        return head + ("+dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):  # a copy without .git (a GPU machine): say it, if told
        return os.environ.get("GANAD_COMMIT", "unknown")


def _data(s: dict):
    ds = load_dataset(s["dataset"])
    split = make_split(s["protocol"], ds, s["class"], seed=s["seed"])  # the whole split, no profile cap
    return ds, split


def _judge_sets(ds, split, seed: int):
    """Two disjoint sets of N_JUDGE real normal validation images (reference and floor)."""
    rng = np.random.default_rng(seed)
    val = rng.permutation(split.val)
    n = min(N_JUDGE, len(val) // 2)
    return ds.tensor(val[:n]), ds.tensor(val[n:2 * n])


def build(name: str, dataset: str = "fashion_mnist", cls: int = 8, *, epochs: int | None = None,
          seed: int = 0, folder=None, checkpoint_root=None, progress: bool = True, width: int | None = None,
          constant: int | None = None, ema: float | None = None, lr: float | None = None,
          device: str | None = None) -> dict:
    """Train one model (resuming from its epoch checkpoints), choose the epoch on validation
    data and the judge, write weights and manifest atomically; returns the manifest. ``width``
    overrides the networks' width (the GAN's default: :data:`GAN_WIDTH`) and ``constant`` the GAN's
    epochs at the full learning rate (:data:`GAN_LR_CONSTANT_EPOCHS`); both are recorded in the
    manifest's command. For the GAN, ``ema`` overrides the moving average's decay (:data:`GAN_EMA`)
    and ``lr`` the learning rate (:data:`GAN_LR`). ``device`` (default: the CPU) is where the
    networks train, for instance ``"cuda"``; the shipped weights are saved from the CPU either way."""
    from .judge import Judge, class_kept_share

    name = _check_name(name)
    s = setting(dataset, cls, seed)
    if width is not None and width < 1:
        raise ValueError(f"width must be a positive number of channels, got {width}.")
    width = width or (GAN_WIDTH if name == "gan" else None)
    if width:
        s["width"] = width
    constant = GAN_LR_CONSTANT_EPOCHS if constant is None else constant
    if name != "gan" and (ema is not None or lr is not None):
        raise ValueError(f"ema and lr are the GAN's settings; {name} takes its own from the cpu profile.")
    ema_used, lr_used = (GAN_EMA if ema is None else ema), (GAN_LR if lr is None else lr)
    if not 0 < ema_used < 1 or not lr_used > 0:
        raise ValueError(f"ema must lie in (0, 1) and lr be positive, got ema={ema_used}, lr={lr_used}.")
    epochs = epochs or EPOCHS[name]
    ds, split = _data(s)
    x_train, x_val = ds.tensor(split.train), ds.tensor(split.val)
    judge = Judge.load(dataset)
    real_a, real_b = _judge_sets(ds, split, seed)
    normal = [c for c in range(10) if c != cls]
    ckpt = Path(checkpoint_root or CHECKPOINT_ROOT) / f"{dataset}_class{cls}_{name}"
    torch.manual_seed(seed)
    model = (_build_model(name, s, device=device, ema=ema_used, lr=lr_used) if name == "gan"
             else _build_model(name, s, device=device))
    t0 = time.perf_counter()
    g = torch.Generator().manual_seed(seed + 1)
    z_fixed = torch.randn(N_JUDGE, s["nz"], generator=g)
    pred_val = judge.predict(real_a)

    if name == "gan":
        def epoch_end(epoch):  # the moving average is what is shipped, so it is what is judged
            rep = _judge_generator(model.G_ema, z_fixed, judge, real_a, real_b, normal)
            raw = _judge_generator(model.G, z_fixed, judge, real_a, real_b, normal)
            return {"val_frechet": rep["frechet"], "val_confident": rep["confident"],
                    "val_classes_covered": rep["classes_covered"], "val_min_normal_share": rep["min_normal_share"],
                    # the raw G too (recorded, not used to choose): what a run without the average reaches
                    "val_frechet_raw": raw["frechet"]}

        # what a checkpoint must share to be resumed: the decay's end, once training reaches the decay
        schedule = (f"lr x1 to epoch {constant}, then linear to 0 at epoch {epochs}"
                    if epochs > constant else f"lr x1 (a run of at most {constant} epochs)")
        config = {"lr_schedule": schedule, **({"width": s["width"]} if s["width"] != setting()["width"] else {})}
        history = model.fit(x_train, epochs=epochs, batch_size=s["batch_size"], checkpoint_dir=ckpt,
                            epoch_end=epoch_end, progress=progress, desc="pretrained GAN",
                            lr_schedule=lambda t: gan_lr_factor(t, epochs, constant), config=config)
        scores = [e["val_frechet"] for e in history.epochs]
        best = int(np.argmin(scores)) + 1
        rule = ("lowest Fréchet distance (judge features) of 2,000 samples of the moving-average G "
                "to validation images")
    elif name == "bigan":
        def epoch_end(epoch):
            rec = model.reconstruct(real_a)
            return {"val_class_kept": class_kept_share(pred_val, judge.predict(rec))}

        history = model.fit(x_train, epochs=epochs, batch_size=s["batch_size"], checkpoint_dir=ckpt,
                            epoch_end=epoch_end, progress=progress, desc="pretrained BiGAN")
        scores = [e["val_class_kept"] for e in history.epochs]
        best = int(np.argmax(scores)) + 1
        rule = "largest share of 2,000 validation images whose G(E(x)) keeps its class (judge)"
    else:
        model.checkpoint_dir = ckpt
        model.config["epochs"] = epochs
        model.monitor = lambda det, epoch: {"val_class_kept": class_kept_share(
            pred_val, judge.predict(det.reconstruct(real_a)))}
        model.fit(x_train, x_val)
        history = model.history
        best = model.best_epoch_
        rule = "GANomaly's own rule: lowest contextual loss L_con on validation images"
    minutes = (time.perf_counter() - t0) / 60  # this call only; a resumed build adds its earlier part

    if name in ("gan", "bigan"):
        from .training import list_checkpoints, load_checkpoint

        for m in model.modules.values():  # the shipped weights live on the CPU
            m.cpu()

        load_checkpoint(model, list_checkpoints(ckpt)[best])
        if name == "gan":  # ship the average as G: the loaded model is a plain GAN
            model.G.load_state_dict(model.G_ema.module.state_dict())
        for m in model.modules.values():
            m.eval()

    weights, manifest_path = paths(name, dataset, cls, folder)
    if name == "ganomaly":
        model.save(weights)
    else:
        state = model.state_dict()
        state.pop("G_ema", None)  # its weights are G's now
        checkpoints.save({"model": state}, weights)
    report = _report(name, model, judge, ds, split, real_a, real_b, normal, z_fixed)
    steps = sum(1 for r in history.steps if r["epoch"] <= best)
    manifest = {
        "model": name, "setting": s,
        "command": _command(name, dataset, cls, epochs,
                            s["width"] if name == "gan" and s["width"] != setting()["width"] else None,
                            constant if name == "gan" and constant != GAN_LR_CONSTANT_EPOCHS else None,
                            ema if name == "gan" and ema is not None and ema != GAN_EMA else None,
                            lr if name == "gan" and lr is not None and lr != GAN_LR else None,
                            str(device) if device is not None and str(device) != "cpu" else None),
        "device": _device_name(device),
        "data_source": ds.source, "split": {"train": len(split.train), "val": len(split.val),
                                            "test": len(split.test)},
        **({"generator": f"G is the exponential moving average of the generator's weights (decay {ema_used} "
                         f"per step; Yazıcı et al., 2019), D the discriminator trained against the raw G",
            "learning_rate": f"Adam, {lr_used:g} for G and D for epochs 1-{constant}, then falling "
                             f"linearly (every step) to 0 at the end of epoch {epochs}"}
           if name == "gan" else {}),
        "epochs_trained": epochs, "epoch_chosen": best, "steps_to_chosen_epoch": steps,
        "stopping_rule": rule + "; never test labels",
        "per_epoch": [{k: (round(v, 4) if isinstance(v, float) else v) for k, v in e.items()}
                      for e in history.epochs],
        "minutes_this_call": round(minutes, 1), "threads": torch.get_num_threads(),
        "torch_version": torch.__version__.split("+")[0], "git_commit": _git_commit(),
        "judge": report, "size_mb": round(weights.stat().st_size / 2**20, 2),
    }
    return checkpoints.write_manifest(weights, manifest_path, manifest)


def _device_name(device) -> str:
    """Where a model trained, in words: the GPU's name, or the CPU with its thread count."""
    if device is not None and torch.device(device).type == "cuda":
        return f"{torch.cuda.get_device_name(torch.device(device))} (CUDA {torch.version.cuda})"
    return f"CPU, {torch.get_num_threads()} threads"


def _judge_generator(G, z, judge, real, reference, normal) -> dict:
    """The judge's report (:func:`ganad_lib.judge.generator_report`) on G's samples at the codes ``z``,
    G in eval mode; G leaves in the mode it came in."""
    from .judge import generator_report

    was = G.training
    G.eval()
    with torch.no_grad():
        samples = G(z.to(next(G.parameters()).device)).cpu()
    G.train(was)
    return generator_report(judge, samples, real, reference, normal)


def _report(name, model, judge, ds, split, real_a, real_b, normal, z_fixed) -> dict:
    """The judge's numbers on held-out *test* normal images (reported, never used to choose)."""
    from .judge import reconstruction_report

    test_normal = split.test[~split.test_is_anomaly]
    rng = np.random.default_rng(0)
    pick = rng.permutation(test_normal)[:N_JUDGE]
    x_test = ds.tensor(pick)
    if name == "gan":
        rep = _judge_generator(model.G, z_fixed, judge, x_test, real_a, normal)
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in rep.items()}
    rec = model.reconstruct(x_test)
    return {k: (round(v, 4) if isinstance(v, float) else v)
            for k, v in reconstruction_report(judge, x_test, rec).items()}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m ganad_lib.pretrained", description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="train (resuming) and ship a model")
    b.add_argument("name", choices=[*MODELS, "all"])
    b.add_argument("--dataset", default="fashion_mnist")
    b.add_argument("--class", dest="cls", type=int, default=8)
    b.add_argument("--epochs", type=int, default=None)
    b.add_argument("--width", type=int, default=None, help="the networks' width (default: the GAN's GAN_WIDTH, "
                                                           "else the cpu profile's)")
    b.add_argument("--constant-epochs", dest="constant", type=int, default=None,
                   help="the GAN's epochs at the full learning rate before the linear decay")
    b.add_argument("--ema", type=float, default=None, help=f"the GAN's moving-average decay (default {GAN_EMA})")
    b.add_argument("--lr", type=float, default=None, help=f"the GAN's learning rate (default {GAN_LR})")
    b.add_argument("--device", default=None, help="where to train, e.g. cuda (default: the CPU)")
    c = sub.add_parser("check", help="load every shipped model (checks the hashes) and print its judge numbers")
    c.add_argument("--dataset", default="fashion_mnist")
    c.add_argument("--class", dest="cls", type=int, default=8)
    a = p.parse_args(argv)
    if a.cmd == "build":
        for name in (MODELS if a.name == "all" else [a.name]):
            m = build(name, a.dataset, a.cls, epochs=a.epochs, width=a.width, constant=a.constant,
                      **({"ema": a.ema, "lr": a.lr} if name == "gan" else {}), device=a.device)
            print(f"{name}: epoch {m['epoch_chosen']} of {m['epochs_trained']}, judge {m['judge']}, "
                  f"{m['size_mb']} MB")
    else:
        for name in MODELS:
            m = load(name, a.dataset, a.cls).manifest
            print(f"{name}: epoch {m['epoch_chosen']} of {m['epochs_trained']}, judge {m['judge']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
