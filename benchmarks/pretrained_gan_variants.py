"""The long-trained GAN's recipe with other optimiser settings: does the judge's confident share rise?

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/pretrained_gan_variants.py lrD4 --lr_D 4e-4
    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/pretrained_gan_variants.py width48 --width 48 --epochs 16 --constant 12
    # -> results/cpu/pretrained_gan_variants/lrD4.jsonl, one line per epoch (resumes from its checkpoints)

Issue 12 asks the shipped GAN (``ganad_lib.pretrained``, the `cpu` networks) for a confident share of at
least 0.85 times the real images'; the shipped recipe (Adam 2e-4, moving average of G, learning rate
decayed over the last 8 of 32 epochs) levels off near 0.84 of it (its manifest's ``per_epoch``). This
script trains the same networks on the same split with other settings and records, per epoch, the
judge's numbers on validation images exactly as the build does (the moving average's, and the raw G's),
so that a variant can be compared epoch by epoch with the shipped manifest. Nothing here is shipped.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import torch

from ganad_lib import pretrained as P
from ganad_lib.gan import GAN
from ganad_lib.judge import Judge

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("name", help="the variant's name (file results/cpu/pretrained_gan_variants/NAME.jsonl)")
    p.add_argument("--lr", type=float, default=2e-4, help="G's (and, without --lr_D, D's) learning rate")
    p.add_argument("--lr_D", type=float, default=None, help="D's own learning rate")
    p.add_argument("--epochs", type=int, default=32)
    p.add_argument("--constant", type=int, default=24, help="epochs at the full rate before the linear decay")
    p.add_argument("--k", type=int, default=1, help="D steps per G step")
    p.add_argument("--width", type=int, default=None, help="the networks' width (default: the `cpu` networks')")
    a = p.parse_args()
    s = P.setting()
    s["width"] = a.width or s["width"]
    ds, split = P._data(s)
    judge = Judge.load(s["dataset"])
    real_a, real_b = P._judge_sets(ds, split, s["seed"])
    normal = [c for c in range(10) if c != s["class"]]
    out = ROOT / "results" / "cpu" / "pretrained_gan_variants"
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(s["seed"])
    model = GAN.dcgan(s["image_size"], 1, s["nz"], s["width"], seed=s["seed"], ema=P.GAN_EMA, lr=a.lr,
                      lr_D=a.lr_D, k=a.k)
    z_fixed = torch.randn(P.N_JUDGE, s["nz"], generator=torch.Generator().manual_seed(s["seed"] + 1))
    t0 = time.time()

    def epoch_end(epoch):
        rep = P._judge_generator(model.G_ema, z_fixed, judge, real_a, real_b, normal)
        raw = P._judge_generator(model.G, z_fixed, judge, real_a, real_b, normal)
        r = {"val_frechet": rep["frechet"], "val_confident": rep["confident"], "val_confident_real": rep["confident_real"],
             "val_min_normal_share": rep["min_normal_share"], "raw_confident": raw["confident"],
             "raw_frechet": raw["frechet"], "minutes": (time.time() - t0) / 60}
        with open(out / f"{a.name}.jsonl", "a") as f:
            f.write(json.dumps({"epoch": epoch, **{k: round(v, 4) for k, v in r.items()}}) + "\n")
        return r

    model.fit(ds.tensor(split.train), epochs=a.epochs, batch_size=s["batch_size"],
              checkpoint_dir=ROOT / "checkpoints" / "gan_variants" / a.name, epoch_end=epoch_end, progress=False,
              lr_schedule=lambda t: P.gan_lr_factor(t, a.epochs, a.constant),
              config={"lr_schedule": f"x1 to epoch {a.constant}, linear to 0 at {a.epochs}", "variant": vars(a)})


if __name__ == "__main__":
    main()
