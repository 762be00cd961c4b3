"""AnoGAN, EGBAD and GANomaly on the bag split with the long-trained models (ganad_lib.pretrained).

    .venv/bin/python benchmarks/pretrained_bag.py                  # -> results/cpu/pretrained_bag.json
    .venv/bin/python benchmarks/pretrained_bag.py --max-test 2000  # a stratified test sample (AnoGAN is slow)

Protocol "one class anomalous" on Fashion-MNIST, bags anomalous, seed 0: the split the shipped models
were trained on (its whole normal training part). Every choice is made on validation data only:
AnoGAN's search settings and EGBAD's alpha are the `cpu` settings of their modules (chosen there
without test labels), the models' epochs were chosen on validation data when they were built, and
each threshold is the 95th percentile of normal validation scores. The test labels are used for the
metrics alone. Reported, not a target.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import time
from pathlib import Path

import numpy as np
import torch

from ganad_lib import anogan, data, egbad, metrics, pretrained, protocols
from ganad_lib.anogan import AnoGAN
from ganad_lib.checkpoints import atomic_write
from ganad_lib.egbad import EGBAD

ROOT = Path(__file__).resolve().parents[1]
BAG = 8


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--max-test", type=int, default=3000, help="test images (stratified sample; 0 = all)")
    p.add_argument("--max-val", type=int, default=1000, help="validation images for the thresholds")
    p.add_argument("--out", default=str(ROOT / "results" / "cpu" / "pretrained_bag.json"))
    a = p.parse_args(argv)
    ds = data.load_dataset("fashion_mnist")
    split = protocols.make_split("one_class_anomalous", ds, BAG, seed=0)
    rng = np.random.default_rng(0)
    test, y = split.test, split.test_is_anomaly
    if a.max_test and a.max_test < len(test):  # the same share of bags as the whole test set
        keep = np.sort(rng.choice(len(test), a.max_test, replace=False))
        test, y = test[keep], y[keep]
    val = split.val[: a.max_val]
    x_test, x_val = ds.tensor(test), ds.tensor(val)
    detectors = {
        "AnoGAN": AnoGAN.from_gan(pretrained.load("gan"), **{k: v for k, v in anogan.settings("cpu").items()
                                                           if k in ("steps", "lambda_", "search_lr")}),
        "EGBAD": EGBAD.from_bigan(pretrained.load("bigan"), **{k: v for k, v in egbad.settings("cpu").items()
                                                              if k in ("alpha", "discrimination")}),
        "GANomaly": pretrained.load("ganomaly"),
    }
    out = {"setting": "Fashion-MNIST, bag anomalous, one class anomalous, seed 0, long-trained models",
           "test_images": len(test), "test_anomalies": int(y.sum()), "validation_images": len(val),
           "torch_version": torch.__version__.split("+")[0], "threads": torch.get_num_threads(), "methods": {}}
    for name, det in detectors.items():
        t0 = time.perf_counter()
        s_val = det.anomaly_score(x_val)
        s_test = det.anomaly_score(x_test)
        seconds = time.perf_counter() - t0
        r = metrics.evaluate(s_test, y, s_val)
        out["methods"][name] = {**{k: round(float(v), 4) for k, v in r.items()}, "score_seconds": round(seconds, 1),
                                "settings": {k: det.config[k] for k in ("steps", "lambda_", "search_lr", "alpha",
                                                                       "discrimination") if k in det.config}}
        print(f"{name:9s} AUROC {r['auroc']:.3f}  AUPRC {r['auprc']:.3f}  F1 {r['f1']:.3f}  ({seconds:.0f} s)")
    try:
        out["git_commit"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                           text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        out["git_commit"] = None
    text = json.dumps(out, indent=2) + "\n"
    atomic_write(Path(a.out), lambda tmp: tmp.write_text(text))
    print(f"-> {a.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
