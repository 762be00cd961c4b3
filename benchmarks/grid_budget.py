"""How long must the grid train? Validation curves of every GAN method, to choose the grid's budget.

    .venv/bin/python benchmarks/grid_budget.py                       # -> results/cpu/grid_budget.json
    .venv/bin/python benchmarks/grid_budget.py --epochs 20 --width 32 --max-train 6000

For AnoGAN (its DCGAN), EGBAD (its BiGAN) and GANomaly, on one class (Fashion-MNIST, bag anomalous,
protocol "one class anomalous", seed 0): train for ``--epochs`` epochs and, after every epoch, score
the split's *normal validation images* with the method's own anomaly score (AnoGAN after its latent
search of the grid's Gamma steps). The mean validation score is the validation loss of a detector: how
well the model explains normal images it has not seen. GANomaly's validation L_con (its own stopping
rule) is recorded too. No test image is scored. ``ganad_lib.experiments.levelled_epoch`` then names
the first epoch after which the smoothed curve stops improving by more than 10 %; the grid trains
every method for the latest of these epochs (``grid_epochs`` in the file), never chosen on test
labels. The file is rewritten after every epoch (atomically), and a rerun continues from the methods
already finished.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import torch

from ganad_lib import anogan, data, experiments, protocols
from ganad_lib.anogan import AnoGAN
from ganad_lib.bigan import BiGAN
from ganad_lib.checkpoints import atomic_write
from ganad_lib.egbad import EGBAD
from ganad_lib.gan import GAN
from ganad_lib.ganomaly import GANomaly
from ganad_lib.profiles import get_profile

ROOT = Path(__file__).resolve().parents[1]


def _save(path: Path, out: dict) -> None:
    text = json.dumps(out, indent=2) + "\n"
    atomic_write(path, lambda tmp: tmp.write_text(text))


def run_method(method: str, prof, ds, split, x_train, x_val, epochs: int, out: dict, path: Path) -> None:
    """Train one method for ``epochs`` epochs, recording its mean validation score after each."""
    torch.manual_seed(0)
    rec: list[dict] = []
    t0 = time.perf_counter()

    def record(epoch: int, val_score: float, **extra) -> dict:
        rec.append({"epoch": epoch, "seconds": round(time.perf_counter() - t0, 1),
                    "val_score": round(float(val_score), 6), **extra})
        out["methods"][method] = {"epochs": rec, "levelled_epoch": experiments.levelled_epoch(
            [r["val_score"] for r in rec]) if len(rec) == epochs else None}
        _save(path, out)
        print(f"{method} epoch {epoch}: mean validation score {val_score:.4f} ({rec[-1]['seconds']:.0f} s)")
        return {}

    if method == "anogan":
        gan = GAN.dcgan(prof.image_size, 1, prof.nz, prof.width, seed=0)
        kw = {k: v for k, v in anogan.settings(prof).items() if k in ("lambda_", "search_lr")}
        kw["steps"] = prof.search_steps

        def end(epoch):
            # the search costs Gamma steps per image: the first 128 validation images stand for all
            return record(epoch, np.mean(AnoGAN.from_gan(gan, **kw).anomaly_score(x_val[:128])))

        gan.fit(x_train, epochs=epochs, batch_size=prof.batch_size, epoch_end=end, progress=False)
    elif method == "egbad":
        bigan = BiGAN(prof.image_size, 1, prof.nz, prof.width, seed=0)

        def end(epoch):
            score = np.mean(EGBAD.from_bigan(bigan).anomaly_score(x_val))
            for m in bigan.modules.values():  # back to training mode for the next epoch
                m.train()
            return record(epoch, score)

        bigan.fit(x_train, epochs=epochs, batch_size=prof.batch_size, epoch_end=end, progress=False)
    else:
        det = GANomaly.from_profile(prof, seed=0, progress=False, epochs=epochs, width=prof.width)

        def monitor(d, epoch):
            con, score = d.validation_losses(x_val)
            return record(epoch, score, val_L_con=round(con, 6))

        det.monitor = monitor
        det.fit(ds.images[split.train], ds.images[split.val])


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--dataset", default="fashion_mnist")
    p.add_argument("--class", dest="cls", type=int, default=8)
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--width", type=int, default=None, help="network width (default: the cpu grid's)")
    p.add_argument("--max-train", type=int, default=None, help="training images (default: the cpu grid's)")
    p.add_argument("--methods", default="anogan,egbad,ganomaly")
    p.add_argument("--out", default=str(ROOT / "results" / "cpu" / "grid_budget.json"))
    a = p.parse_args(argv)
    grid = get_profile("cpu").for_grid()
    prof = grid.with_(width=a.width or grid.width, max_train=a.max_train or grid.max_train, epochs=a.epochs)
    ds = data.load_dataset(a.dataset)
    split = protocols.make_split("one_class_anomalous", ds, a.cls, seed=0, profile=prof)
    x_train, x_val = ds.tensor(split.train), ds.tensor(split.val)
    path = Path(a.out)
    out = json.loads(path.read_text()) if path.is_file() else {}
    setting = {"dataset": a.dataset, "class": a.cls, "protocol": "one_class_anomalous", "seed": 0,
               "n_train": len(split.train), "n_val": len(split.val), "width": prof.width, "nz": prof.nz,
               "batch_size": prof.batch_size, "search_steps": prof.search_steps, "epochs": a.epochs,
               "threads": torch.get_num_threads(), "torch_version": torch.__version__.split("+")[0]}
    if out.get("setting") != setting:
        out = {"setting": setting, "methods": {}}
    for method in [m.strip() for m in a.methods.split(",") if m.strip()]:
        if method not in ("anogan", "egbad", "ganomaly"):
            p.error(f"unknown method {method!r}: choose from anogan, egbad, ganomaly")
        if method in out["methods"] and len(out["methods"][method]["epochs"]) == a.epochs:
            print(f"{method}: done already")
            continue
        run_method(method, prof, ds, split, x_train, x_val, a.epochs, out, path)
    # the rule (experiments.levelled_epoch, recomputed so that a change of rule reaches finished curves)
    for rec in out["methods"].values():
        if len(rec["epochs"]) == a.epochs:
            rec["levelled_epoch"] = experiments.levelled_epoch([r["val_score"] for r in rec["epochs"]])
    done = [m for m, rec in out["methods"].items() if rec["levelled_epoch"] is not None]
    out["rule"] = ("experiments.levelled_epoch (defaults): the first epoch after which the validation curve, "
                   "smoothed by a trailing mean over 3 epochs, never improves by more than 10 %")
    out["grid_epochs"] = max((out["methods"][m]["levelled_epoch"] for m in done), default=None)
    _save(path, out)
    for m in done:
        print(f"{m}: levelled after epoch {out['methods'][m]['levelled_epoch']}")
    print(f"the grid's epochs (the latest of these): {out['grid_epochs']}")
    print(f"-> {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
