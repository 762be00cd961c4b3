"""Speed benchmarks whose numbers go to ``results/``, not into timed tests.

    python -m ganad_lib.bench anogan                          # batched search vs per-image loop
    python -m ganad_lib.bench anogan --nets cpu,smoke --threads 1 --steps 20

``anogan`` times AnoGAN's latent search in one process: the same images, the same networks and
the same number of steps, once as one batch (every image its own row of one latent tensor) and
once as the per-image loop of the classic implementations (the same search code, one image at a
time). It checks that both give the same scores and writes images per second and their ratio
to ``results/<profile>/anogan_bench.json`` (atomically). The networks are freshly initialised
DCGANs of the profile's sizes: the cost of a search step does not depend on the weights.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from pathlib import Path

import torch

from . import checkpoints
from .profiles import PROFILES, get_profile

__all__ = ["bench_anogan", "main"]

#: the ratio the course aims for at batch 256 (issue 4)
GOAL_RATIO = 50.0


def _time(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def bench_anogan_nets(nets_profile: str, *, batch_size: int, steps: int, repeats: int, device: torch.device,
                      lambda_: float = 0.1, lr: float = 0.05, seed: int = 0) -> dict:
    """Time one network size (that of profile ``nets_profile``); returns one result row."""
    from .anogan import initial_z, latent_search
    from .gan import GAN

    p = get_profile(nets_profile)
    gan = GAN.dcgan(p.image_size, 1, p.nz, p.width, seed=seed, device=device)
    G, D = gan.G.eval(), gan.D.eval()
    g = torch.Generator().manual_seed(seed)
    x = (torch.rand(batch_size, 1, p.image_size, p.image_size, generator=g) * 2 - 1).to(device)
    z0 = initial_z(x, p.nz, seed)

    def sync():
        if device.type == "cuda":
            torch.cuda.synchronize(device)

    def batched():
        out = latent_search(G, D, x, z0, steps=steps, lambda_=lambda_, lr=lr)["score"]
        sync()
        return out

    def looped():
        out = [latent_search(G, D, x[i:i + 1], z0[i:i + 1], steps=steps, lambda_=lambda_, lr=lr)["score"]
               for i in range(batch_size)]
        sync()
        return torch.cat(out)

    latent_search(G, D, x[:8], z0[:8], steps=2)  # warm-up of both shapes
    latent_search(G, D, x[:1], z0[:1], steps=2)
    sync()
    batched_s = []
    for _ in range(repeats):
        batched_s.append(_time(batched))
    t0 = time.perf_counter()
    loop_scores = looped()
    loop_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    batch_scores = batched()  # once more after the loop, so that the batched runs bracket it
    batched_s.append(time.perf_counter() - t0)
    diff = (batch_scores - loop_scores).abs().max().item()
    rel = diff / max(batch_scores.abs().max().item(), 1e-12)
    t_batch = statistics.median(batched_s)
    return {
        "nets": nets_profile, "image_size": p.image_size, "nz": p.nz, "width": p.width,
        "batch_size": batch_size, "steps": steps,
        "batched_seconds": round(t_batch, 4), "batched_seconds_all": [round(t, 4) for t in batched_s],
        "loop_seconds": round(loop_s, 4),
        "batched_images_per_second": round(batch_size / t_batch, 3),
        "loop_images_per_second": round(batch_size / loop_s, 3),
        "batched_ms_per_image_step": round(1000 * t_batch / (batch_size * steps), 4),
        "loop_ms_per_image_step": round(1000 * loop_s / (batch_size * steps), 4),
        "ratio": round(loop_s / t_batch, 2),
        "max_abs_score_difference": diff, "max_rel_score_difference": rel,
    }


def bench_anogan(*, profile: str, nets: list[str], batch_size: int = 256, steps: int = 20, repeats: int = 3,
                 threads: int | None = None, device: str = "cpu", note: str = "") -> dict:
    """Run :func:`bench_anogan_nets` for every network size in ``nets``; returns the report."""
    if batch_size < 1 or steps < 1 or repeats < 1:
        raise ValueError("batch_size, steps and repeats must all be at least 1")
    for n in nets:
        if n not in PROFILES:
            raise ValueError(f"Unknown network size {n!r}: use profile names, e.g. {', '.join(PROFILES)}")
    if threads is not None:
        torch.set_num_threads(threads)
    dev = torch.device(device)
    load_before = os.getloadavg() if hasattr(os, "getloadavg") else None
    t0 = time.perf_counter()
    rows = [bench_anogan_nets(n, batch_size=batch_size, steps=steps, repeats=repeats, device=dev) for n in nets]
    load_after = os.getloadavg() if hasattr(os, "getloadavg") else None
    from .experiments import _git_commit

    return {
        "benchmark": "anogan latent search: one batch vs a per-image loop, same code, same steps",
        "profile": profile, "device": dev.type,
        "device_name": (torch.cuda.get_device_name(dev) if dev.type == "cuda" else platform.processor()
                        or platform.machine()),
        "torch_version": torch.__version__.split("+")[0], "torch_threads": torch.get_num_threads(),
        "cpu_count": os.cpu_count(), "load_average_before": load_before, "load_average_after": load_after,
        "batch_size": batch_size, "steps": steps, "repeats_of_batched": repeats,
        "goal_ratio": GOAL_RATIO, "results": rows,
        "goal_met": {r["nets"]: r["ratio"] >= GOAL_RATIO for r in rows},
        "seconds_total": round(time.perf_counter() - t0, 1), "git_commit": _git_commit(),
        "note": note or ("both sides run in this one process on the same machine, so "
                         "the ratio is robust to other load; the absolute images per second are not. The batched "
                         "time is the median of its runs before and after the loop"),
    }


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="python -m ganad_lib.bench", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="what", required=True)
    a = sub.add_parser("anogan", help="AnoGAN: batched latent search vs a per-image loop")
    a.add_argument("--profile", default=None, help="results go to results/<profile>/ (default: $GANAD_PROFILE)")
    a.add_argument("--nets", default=None, help="comma-separated profiles whose network sizes are timed "
                                                "(default: the profile's)")
    a.add_argument("--batch-size", type=int, default=256)
    a.add_argument("--steps", type=int, default=20, help="search steps Gamma on both sides")
    a.add_argument("--repeats", type=int, default=3, help="timed batched runs before the loop (one more follows it; median kept)")
    a.add_argument("--threads", type=int, default=None, help="torch threads (default: torch's)")
    a.add_argument("--device", default="cpu")
    a.add_argument("--note", default="", help="free text stored with the result (e.g. the machine's load)")
    a.add_argument("--out", default=None, help="output file (default: results/<profile>/anogan_bench.json)")
    args = ap.parse_args(argv)
    profile = get_profile(args.profile).name
    nets = args.nets.split(",") if args.nets else [profile]
    report = bench_anogan(profile=profile, nets=nets, batch_size=args.batch_size, steps=args.steps,
                          repeats=args.repeats, threads=args.threads, device=args.device, note=args.note)
    from .experiments import default_results_dir

    out = Path(args.out) if args.out else default_results_dir() / profile / "anogan_bench.json"
    text = json.dumps(report, indent=2) + "\n"
    checkpoints.atomic_write(out, lambda tmp: tmp.write_text(text))
    for r in report["results"]:
        print(f"{r['nets']:6s} nets (width {r['width']}, nz {r['nz']}): batched {r['batched_images_per_second']:.1f} "
              f"img/s, loop {r['loop_images_per_second']:.2f} img/s, ratio {r['ratio']:.1f}x "
              f"(goal {GOAL_RATIO:.0f}x), max score difference {r['max_abs_score_difference']:.2g}")
    print(f"written to {out}")


if __name__ == "__main__":
    main()
