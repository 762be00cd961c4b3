"""Train several recipes of the long-trained GAN side by side on one GPU, before a deadline.

    python benchmarks/gan_recipes_gpu.py --out OUT --deadline 480 --device cuda \\
        --recipe base:32:24 --recipe long:64:48 --recipe slow_ema:64:48:0.9999
    python benchmarks/gan_recipes_gpu.py --out /tmp/r --deadline 90 --device cpu --recipe try:1:0  # a laptop

Each recipe is ``name:epochs:constant_epochs[:ema[:lr]]`` and runs
``ganad_lib.pretrained.build("gan", ...)`` in its own process (one thread, one CUDA context): the
course's own training loop, the shipped setting (Fashion-MNIST, bag anomalous, seed 0, the ``cpu``
networks), the epoch chosen on validation data by the judge's Fréchet distance, never test labels.
A finished recipe leaves ``<out>/<name>/`` with the weights and manifest ``build`` ships; one
stopped at the deadline leaves ``<out>/<name>/stopped.json`` with its per-epoch validation numbers
read from its last checkpoint. ``<out>/summary.json`` lists every recipe.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def parse_recipe(text: str) -> dict:
    """``name:epochs:constant[:ema[:lr]]`` -> a dict of ``build``'s arguments, with clear errors."""
    parts = text.split(":")
    if not 3 <= len(parts) <= 5 or not parts[0]:
        raise ValueError(f"a recipe is name:epochs:constant_epochs[:ema[:lr]], got {text!r}")
    r = {"name": parts[0], "epochs": int(parts[1]), "constant": int(parts[2])}
    if len(parts) > 3 and parts[3]:
        r["ema"] = float(parts[3])
    if len(parts) > 4 and parts[4]:
        r["lr"] = float(parts[4])
    if r["epochs"] < 1 or r["constant"] < 0:
        raise ValueError(f"epochs must be >= 1 and constant_epochs >= 0, got {text!r}")
    return r


def _work(recipe: dict, out: str, ckpt: str, device: str) -> None:
    import torch

    torch.set_num_threads(1)
    from ganad_lib import pretrained

    args = {k: v for k, v in recipe.items() if k != "name"}
    folder = Path(out) / recipe["name"]
    folder.mkdir(parents=True, exist_ok=True)
    pretrained.build("gan", folder=folder, checkpoint_root=Path(ckpt) / recipe["name"], progress=False,
                     device=device, **args)


def _epochs_so_far(ckpt_dir: Path) -> list[dict]:
    from ganad_lib.training import list_checkpoints

    found = list_checkpoints(ckpt_dir / "fashion_mnist_class8_gan")
    if not found:
        return []
    from ganad_lib import checkpoints

    state = checkpoints.load(found[max(found)])
    return state.get("history", {}).get("epochs", [])


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", required=True)
    p.add_argument("--checkpoints", default="/tmp/gan_recipes_ckpt")
    p.add_argument("--deadline", type=float, default=480.0, help="seconds until unfinished recipes are stopped")
    p.add_argument("--device", default="cuda")
    p.add_argument("--recipe", action="append", required=True, type=parse_recipe)
    a = p.parse_args(argv)
    t0 = time.time()
    names = [r["name"] for r in a.recipe]
    if len(set(names)) != len(names):
        raise SystemExit(f"recipe names must differ, got {names}")
    ctx = mp.get_context("spawn")
    procs = {r["name"]: ctx.Process(target=_work, args=(r, a.out, a.checkpoints, a.device)) for r in a.recipe}
    for proc in procs.values():
        proc.start()
    last_report = 0.0
    while any(proc.is_alive() for proc in procs.values()) and time.time() - t0 < a.deadline:
        time.sleep(2)
        if time.time() - last_report > 30:
            last_report = time.time()
            done = {n: len(_safe_epochs(Path(a.checkpoints) / n)) for n in names}
            print(f"{time.time() - t0:6.0f}s epochs so far: {done}", flush=True)
    summary = {}
    for r in a.recipe:
        proc, folder = procs[r["name"]], Path(a.out) / r["name"]
        if proc.is_alive():
            proc.terminate()
            proc.join(10)
        manifest = folder / "fashion_mnist_class8_gan.json"
        if manifest.exists() and proc.exitcode == 0:
            m = json.loads(manifest.read_text())
            summary[r["name"]] = {"recipe": r, "status": "done", "epoch_chosen": m["epoch_chosen"],
                                  "judge": m["judge"], "minutes": m["minutes_this_call"]}
        else:
            epochs = _safe_epochs(Path(a.checkpoints) / r["name"])
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "stopped.json").write_text(json.dumps({"recipe": r, "per_epoch": epochs}, indent=1))
            summary[r["name"]] = {"recipe": r, "status": f"stopped (exit {proc.exitcode})",
                                  "epochs_done": len(epochs), "last": epochs[-1] if epochs else None}
        print(r["name"], json.dumps(summary[r["name"]]), flush=True)
    Path(a.out).mkdir(parents=True, exist_ok=True)
    (Path(a.out) / "summary.json").write_text(json.dumps(summary, indent=1))
    print(f"wall {time.time() - t0:.0f} s", flush=True)
    return 0


def _safe_epochs(ckpt_dir: Path) -> list[dict]:
    try:
        return _epochs_so_far(ckpt_dir)
    except Exception:  # a checkpoint being written at this moment: count it next time
        return []


if __name__ == "__main__":
    sys.exit(main())
