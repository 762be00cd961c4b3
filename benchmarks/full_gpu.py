"""The ``full`` profile on one GPU machine: as many grid runs as fit before a deadline.

    python benchmarks/full_gpu.py --out results --deadline 480 --workers 12
    python benchmarks/full_gpu.py --profile smoke --deadline 60 --workers 2   # try it on a laptop

The grid's runner (``ganad_lib.experiments``) runs one detector after the other. A GPU is far
from busy with one small DCGAN at batch 64, so here several worker processes (one CUDA context
each) take runs from one ordered list and append their rows, under the runner's file lock, to
``<out>/<profile>/runs.csv``, the same file and columns as ``python -m ganad_lib.experiments``
writes (a run already there is skipped, so the command resumes).

The list is ordered by what a short lease should deliver first: seed 0 of Fashion-MNIST under one
class normal (every class, every method), then seed 0 of Fashion-MNIST under one class anomalous,
then MNIST under both, then seeds 1 and 2. A run starts only while the time left exceeds what
runs of the same kind took so far (plus a margin); at the hard deadline unfinished runs are
stopped and listed, so the command always ends inside its time limit.

Only the speed of scoring changes: detectors score ``--score-batch`` images at a time instead
of 256. Scores do not depend on the batch (a tested property of every detector), so results do
not change. Everything else is the profile's, exactly as ``ganad-run --profile full`` runs it.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ORDER = (  # (protocol, dataset, seeds): what a short lease should deliver first
    ("one_class_normal", "fashion_mnist", (0,)),
    ("one_class_anomalous", "fashion_mnist", (0,)),
    ("one_class_normal", "mnist", (0,)),
    ("one_class_anomalous", "mnist", (0,)),
    ("one_class_normal", "fashion_mnist", (1, 2)),
    ("one_class_anomalous", "fashion_mnist", (1, 2)),
    ("one_class_normal", "mnist", (1, 2)),
    ("one_class_anomalous", "mnist", (1, 2)),
)
#: the slow methods first inside a block, so that the long runs start early
METHOD_ORDER = ("anogan", "egbad", "ganomaly", "autoencoder", "knn", "pca")


def ordered_runs(datasets: list[str], protocols=None, seeds=None, methods=METHOD_ORDER) -> list:
    """The runs in the order above, keeping only the given data sets, protocols and seeds."""
    from ganad_lib.experiments import grid

    runs = []
    for protocol, dataset, block_seeds in ORDER:
        keep = [s for s in block_seeds if seeds is None or s in seeds]
        if dataset in datasets and (protocols is None or protocol in protocols) and keep:
            runs += grid(methods, [dataset], protocol, range(10), keep)
    return runs


def _init(profile_name: str, score_batch: int, data_root: str | None, commit: str, out: str) -> None:
    """Each worker process: one thread, the scoring batch, and what every run of it needs."""
    import torch

    torch.set_num_threads(1)
    from ganad_lib import detector

    detector.Detector.score_batch_size = score_batch
    global _STATE
    _STATE = {"profile": profile_name, "data_root": data_root, "commit": commit, "out": out}


def _work(run):
    from ganad_lib.experiments import _append_row, run_one
    from ganad_lib.profiles import get_profile

    t0 = time.time()
    profile = get_profile(_STATE["profile"]).for_grid()
    try:
        row = run_one(run, profile, data_root=_STATE["data_root"], git_commit=_STATE["commit"])
    except Exception as err:  # reported by the main process; the run is simply missing
        return run, "failed", f"{type(err).__name__}: {err}"[:300], time.time() - t0
    _append_row(Path(_STATE["out"]) / profile.name / "runs.csv", row)
    return run, "done", row["auroc"], time.time() - t0


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--profile", default="full")
    p.add_argument("--out", default=str(ROOT / "results"))
    p.add_argument("--deadline", type=float, default=480.0, help="seconds until unfinished runs are stopped")
    p.add_argument("--workers", type=int, default=12)
    p.add_argument("--score-batch", type=int, default=2048)
    p.add_argument("--datasets", default="fashion_mnist,mnist")
    p.add_argument("--protocols", default=None, help="comma-separated (default: both)")
    p.add_argument("--seeds", default=None, help="comma-separated (default: 0,1,2)")
    p.add_argument("--methods", default=",".join(METHOD_ORDER), help="the order runs of a block start in")
    p.add_argument("--data-root", default=None)
    p.add_argument("--commit", default=os.environ.get("GANAD_COMMIT", "unknown"))
    a = p.parse_args(argv)
    t_start = time.time()
    hard = t_start + a.deadline

    import torch

    from ganad_lib.experiments import DONE_KEY, read_runs
    from ganad_lib.profiles import get_profile

    profile = get_profile(a.profile).for_grid()
    out_csv = Path(a.out) / profile.name / "runs.csv"
    done = {tuple(r[k] for k in DONE_KEY) for r in read_runs(out_csv)}
    wanted = ordered_runs([d.strip() for d in a.datasets.split(",")], a.protocols.split(",") if a.protocols else None,
                          [int(x) for x in a.seeds.split(",")] if a.seeds else None,
                          [m.strip() for m in a.methods.split(",")])
    todo = [r for r in wanted if r.done_key(profile) not in done]
    env = {"python": platform.python_version(), "torch": torch.__version__,
           "cuda": torch.version.cuda, "gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
           "cpus": os.cpu_count(), "workers": a.workers, "score_batch": a.score_batch, "profile": profile.name,
           "commit": a.commit, "todo_at_start": len(todo)}
    print(json.dumps(env), flush=True)

    ctx = mp.get_context("spawn")
    pool = ctx.Pool(a.workers, initializer=_init, initargs=(a.profile, a.score_batch, a.data_root, a.commit, a.out))
    took: dict[tuple, float] = {}  # (method, dataset, protocol) -> longest run so far
    pending, results = list(todo), []
    running: dict = {}
    margin = 1.25
    try:
        while (pending or running) and time.time() < hard:
            # start what fits: a kind never seen yet starts while at least a quarter of the time is left
            while pending and len(running) < a.workers:
                run = pending[0]
                need = took.get((run.method, run.dataset, run.protocol), 0.25 * a.deadline) * margin
                if time.time() + need > hard:
                    pending.pop(0)
                    results.append((run, "not started", "no time left", 0.0))
                    continue
                pending.pop(0)
                running[run] = pool.apply_async(_work, (run,))
            for run, job in list(running.items()):
                if job.ready():
                    del running[run]
                    r = job.get()
                    results.append(r)
                    k = (run.method, run.dataset, run.protocol)
                    took[k] = max(took.get(k, 0.0), r[3])
                    print(f"{time.time() - t_start:6.0f}s {r[1]:6s} {run.method:11s} {run.dataset:13s} "
                          f"{run.protocol:19s} class {run.cls} seed {run.seed}: {r[2]} ({r[3]:.0f} s)", flush=True)
            n_done = sum(r[1] == "done" for r in results)
            if n_done == 0 and sum(r[1] == "failed" for r in results) >= 6:
                print("the first six runs failed: stopping (see the reasons above)", flush=True)
                break
            time.sleep(0.5)
    finally:
        pool.terminate()
        pool.join()
    stopped = list(running) + pending
    n_done = sum(r[1] == "done" for r in results)
    n_failed = sum(r[1] == "failed" for r in results)
    print(f"done {n_done}, failed {n_failed}, stopped or not started {len(stopped) + sum(r[1] == 'not started' for r in results)}"
          f", wall {time.time() - t_start:.0f} s", flush=True)
    summary = {**env, "wall_seconds": round(time.time() - t_start, 1), "done": n_done, "failed": n_failed,
               "failures": [[r[0].method, r[0].dataset, r[0].protocol, r[0].cls, r[0].seed, r[2]]
                            for r in results if r[1] == "failed"],
               "stopped_at_deadline": [[r.method, r.dataset, r.protocol, r.cls, r.seed] for r in running]}
    (Path(a.out) / profile.name).mkdir(parents=True, exist_ok=True)
    (Path(a.out) / profile.name / "gpu_run.json").write_text(json.dumps(summary, indent=1) + "\n")
    return 0 if n_done else 1


if __name__ == "__main__":
    sys.exit(main())
