"""The experiment runner: every method on every class of both data sets, resumable.

    python -m ganad_lib.experiments --profile cpu                 # the whole grid
    python -m ganad_lib.experiments --methods knn,ganomaly --datasets fashion_mnist --classes 8 --seeds 0
    python -m ganad_lib.experiments --profile cpu --dry-run       # the grid and a time estimate
    ganad-run ...                                                 # the same, as an entry point

Each finished run appends one row to ``results/<profile>/runs.csv``. The file is rewritten
atomically (write a temporary file, then rename), so a half-written row is impossible, and a
rerun skips the rows already present, so an interrupted grid resumes where it stopped.
Epochs, normalisation and thresholds are chosen on the validation split inside each detector;
the test labels are used by :func:`ganad_lib.metrics.evaluate` alone.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from . import checkpoints
from .data import DATASETS, load_dataset
from .metrics import evaluate
from .profiles import PROFILES, Profile, get_profile
from .protocols import PROTOCOLS, make_split
from .runtime import device, seed_everything

__all__ = ["COLUMNS", "METHODS", "Run", "grid", "run_one", "run_grid", "read_runs", "default_results_dir",
           "make_detector", "levelled_epoch", "main"]

COLUMNS = ["method", "dataset", "protocol", "class", "seed", "auroc", "auprc", "f1", "train_seconds",
           "score_images_per_second", "peak_memory_mb", "profile", "device", "torch_version",
           "data_source", "git_commit",
           # added later: older files without them are still read (the cells are empty)
           "threshold_seconds", "n_train", "n_val", "n_test", "sizes",
           # AUROC of the same trained model scored with parts of its score (JSON; empty for
           # methods without ablations): GANomaly's L_con against its latent distance, EGBAD's parts
           "ablations"]
KEY = ("method", "dataset", "protocol", "class", "seed")
#: a row counts as done for a run only when it was produced with the same sizes
DONE_KEY = (*KEY, "sizes")
FAILURE_COLUMNS = ["method", "dataset", "protocol", "class", "seed", "sizes", "profile", "error",
                   "git_commit", "time"]
#: detector settings that do not change a result, left out of ``sizes``
_NOT_SIZES = ("progress", "device", "seed")


def _baseline(name: str) -> Callable[[Profile, int], object]:
    def make(profile: Profile, seed: int):
        from . import baselines

        cls = {"knn": baselines.KNNDetector, "pca": baselines.PCADetector,
               "autoencoder": baselines.AutoencoderDetector}[name]
        return cls.from_profile(profile, seed=seed, progress=False) if name == "autoencoder" \
            else cls.from_profile(profile, seed=seed)
    return make


def _gan_method(module: str, cls_name: str) -> Callable[[Profile, int], object]:
    def make(profile: Profile, seed: int):
        import importlib

        cls = getattr(importlib.import_module(f"ganad_lib.{module}"), cls_name)
        # the grid's sizes win over a method's own per-profile settings, so that every method
        # of a grid trains on the same budget
        return cls.from_profile(profile, seed=seed, progress=False, epochs=profile.epochs,
                                width=profile.width, batch_size=profile.batch_size)
    return make


#: method name (lower case, as in runs.csv) -> factory(profile, seed) of an unfitted detector
METHODS: dict[str, Callable[[Profile, int], object]] = {
    "anogan": _gan_method("anogan", "AnoGAN"),
    "egbad": _gan_method("egbad", "EGBAD"),
    "ganomaly": _gan_method("ganomaly", "GANomaly"),
    "autoencoder": _baseline("autoencoder"),
    "knn": _baseline("knn"),
    "pca": _baseline("pca"),
}

#: rough seconds per run on 2 CPU cores, for --dry-run before any result exists
ESTIMATE_SECONDS = {"smoke": 3.0, "cpu": 60.0, "full": 600.0}


def make_detector(method: str, profile: Profile, seed: int):
    """An unfitted detector of ``method``, sized by ``profile``."""
    if method not in METHODS:
        raise ValueError(f"Unknown method {method!r}. Choose from {', '.join(METHODS)}.")
    return METHODS[method](profile, seed)


@dataclass(frozen=True)
class Run:
    method: str
    dataset: str
    protocol: str
    cls: int
    seed: int

    def key(self) -> tuple[str, str, str, str, str]:
        return (self.method, self.dataset, self.protocol, str(self.cls), str(self.seed))

    def done_key(self, profile: Profile) -> tuple[str, ...]:
        return (*self.key(), run_sizes(self.method, profile))


def run_sizes(method: str, profile: Profile) -> str:
    """The sizes that produce a run's result, as one string (``runs.csv``'s ``sizes`` column).

    The split's image budget (the profile's max_train / max_val / max_test) and every setting of
    the detector except those that cannot change a result (progress bars, device, seed). A row
    with other sizes is not a result of this grid: after the grid's sizes change, it is run again.
    """
    det = make_detector(method, profile, 0)
    parts = {"max_train": profile.max_train, "max_val": profile.max_val, "max_test": profile.max_test}
    parts.update({k: v for k, v in sorted(det.config.items()) if k not in _NOT_SIZES})
    return ";".join(f"{k}={v}" for k, v in parts.items())

def grid(methods: Iterable[str], datasets: Iterable[str], protocol: str, classes: Iterable[int],
         seeds: Iterable[int]) -> list[Run]:
    """All runs of the grid, in the order they are executed (seed, data set, class, method).

    Seeds come first, so a grid stopped half-way already holds every class for the first seed.
    """
    methods, datasets, classes, seeds = list(methods), list(datasets), list(classes), list(seeds)
    for m in methods:
        if m not in METHODS:
            raise ValueError(f"Unknown method {m!r}. Choose from {', '.join(METHODS)}.")
    for d in datasets:
        if d not in DATASETS:
            raise ValueError(f"Unknown data set {d!r}. Choose from {', '.join(DATASETS)}.")
    if protocol not in PROTOCOLS:
        raise ValueError(f"Unknown protocol {protocol!r}. Choose from {', '.join(PROTOCOLS)}.")
    for c in classes:
        if not isinstance(c, int) or not 0 <= c <= 9:
            raise ValueError(f"Unknown class {c!r}: classes are the integers 0 to 9.")
    if not methods or not datasets or not classes or not seeds:
        raise ValueError("the grid is empty: give at least one method, data set, class and seed")
    return [Run(m, d, protocol, c, s) for s in seeds for d in datasets for c in classes for m in methods]


def default_results_dir() -> Path:
    """``results/`` of the repository this package lives in, else of the working directory."""
    repo = Path(__file__).resolve().parents[1]
    return repo / "results" if (repo / "pyproject.toml").is_file() else Path.cwd() / "results"


def read_runs(path: str | os.PathLike) -> list[dict]:
    """Rows of a runs.csv (empty when the file does not exist); checks the columns."""
    path = Path(path)
    if not path.is_file():
        return []
    with open(path, newline="") as f:
        reader = csv.DictReader(f)
        names = reader.fieldnames or []
        if names != COLUMNS[:len(names)] or len(names) < len(KEY):
            raise ValueError(f"{path} has columns {names}, expected {COLUMNS}. "
                             f"Move it away (it was written by another version) and run again.")
        return [{c: row.get(c) or "" for c in COLUMNS} for row in reader]


def _write_rows(path: Path, rows: list[dict], columns: list[str]) -> None:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    checkpoints.atomic_write(path, lambda tmp: tmp.write_text(buf.getvalue()))


@contextmanager
def _locked(path: Path):
    """Hold an exclusive lock on ``<path>.lock`` while a row is added, so that grid processes
    sharing one ``runs.csv`` (one per core, each on other classes or seeds) never lose a row
    by writing the file from two stale copies. Without ``fcntl`` (Windows) it does not lock:
    run one grid process at a time there."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _append_row(path: Path, row: dict) -> None:
    with _locked(path):
        _write_rows(path, read_runs(path) + [row], COLUMNS)


def _append_failure(path: Path, row: dict) -> None:
    with _locked(path):
        rows = []
        if path.is_file():
            with open(path, newline="") as f:
                rows = list(csv.DictReader(f))
        _write_rows(path, rows + [row], FAILURE_COLUMNS)


class RunFailed(RuntimeError):
    """A run of the grid produced no usable result (for example NaN scores)."""


def _git_commit() -> str:
    repo = Path(__file__).resolve().parents[1]
    try:
        sha = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=repo, capture_output=True,
                             text=True, timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=repo,
                               capture_output=True, text=True, timeout=10).stdout.strip()
        return sha + ("+dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


class PeakMemory:
    """Peak memory of a block: CUDA's allocator peak on a GPU, else sampled resident memory (MB)."""

    def __init__(self, dev: torch.device, interval: float = 0.05):
        self.dev, self.interval, self.peak_mb = dev, interval, float("nan")
        self._stop = threading.Event()

    @staticmethod
    def _rss_mb() -> float:
        try:
            with open("/proc/self/statm") as f:
                return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
        except (OSError, ValueError):
            import resource

            r = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            return r / 2**20 if sys.platform == "darwin" else r / 2**10

    def _sample(self):
        while not self._stop.wait(self.interval):
            self.peak_mb = max(self.peak_mb, self._rss_mb())

    def __enter__(self):
        if self.dev.type == "cuda":
            torch.cuda.reset_peak_memory_stats(self.dev)
        else:
            self.peak_mb = self._rss_mb()
            self._thread = threading.Thread(target=self._sample, daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc):
        if self.dev.type == "cuda":
            self.peak_mb = torch.cuda.max_memory_allocated(self.dev) / 2**20
        else:
            self._stop.set()
            self._thread.join()
            self.peak_mb = max(self.peak_mb, self._rss_mb())
        return False


_DATA_CACHE: dict[str, object] = {}


def cpu_grid_threads(row: int) -> int:
    """The threads row ``row`` (1 = the first after the header) of ``results/cpu/runs.csv`` ran on, as its
    README records: the first row and rows 43-74 on two, every other row on one. A seeded CPU run repeats
    itself bit for bit only on the same thread count (``benchmarks/grid_reproduce.py``)."""
    return 2 if row == 1 or 43 <= row <= 74 else 1


def run_one(run: Run, profile: Profile, *, data_root=None, git_commit: str | None = None) -> dict:
    """Train and evaluate one detector; returns its row (not yet written)."""
    if run.dataset not in _DATA_CACHE:
        _DATA_CACHE[run.dataset] = load_dataset(run.dataset, root=data_root)
    ds = _DATA_CACHE[run.dataset]
    split = make_split(run.protocol, ds, run.cls, seed=run.seed, profile=profile)
    images = ds.images
    seed_everything(run.seed)
    det = make_detector(run.method, profile, run.seed)
    dev = getattr(det, "device", device())
    with PeakMemory(torch.device(dev)) as mem:
        det.fit(images[split.train], images[split.val])
        # fit times its two parts: training, and scoring the validation images for the threshold
        train_seconds, threshold_seconds = det.fit_seconds_, det.threshold_seconds_
        t0 = time.perf_counter()
        test_scores = det.anomaly_score(images[split.test])
        score_seconds = time.perf_counter() - t0
    val_scores = det.val_scores_ if getattr(det, "val_scores_", None) is not None else det.anomaly_score(images[split.val])
    for what, s in (("test", test_scores), ("validation", val_scores)):
        bad = int((~np.isfinite(s)).sum())
        if bad:
            raise RunFailed(f"{bad} of {len(s)} {what} scores are NaN or infinite")
    r = evaluate(test_scores, split.test_is_anomaly, val_scores)
    ablations = ""
    if hasattr(det, "ablation_scores"):
        from sklearn.metrics import roc_auc_score

        ablations = json.dumps({k: round(float(roc_auc_score(split.test_is_anomaly, v)), 6)
                                for k, v in det.ablation_scores(images[split.test]).items()}, sort_keys=True)
    return {
        "method": run.method, "dataset": run.dataset, "protocol": run.protocol, "class": run.cls,
        "seed": run.seed, "auroc": f"{r['auroc']:.6f}", "auprc": f"{r['auprc']:.6f}", "f1": f"{r['f1']:.6f}",
        "train_seconds": f"{train_seconds:.2f}",
        "score_images_per_second": f"{len(split.test) / max(score_seconds, 1e-9):.1f}",
        "peak_memory_mb": f"{mem.peak_mb:.0f}", "profile": profile.name, "device": torch.device(dev).type,
        "torch_version": torch.__version__.split("+")[0], "data_source": ds.source,
        "git_commit": git_commit or _git_commit(),
        "threshold_seconds": f"{threshold_seconds:.2f}", "n_train": len(split.train),
        "n_val": len(split.val), "n_test": len(split.test), "sizes": run_sizes(run.method, profile),
        "ablations": ablations,
    }


def run_grid(runs: list[Run], profile: Profile, out: str | os.PathLike | None = None, *,
             progress: bool = True, data_root=None, failures: list | None = None) -> Path:
    """Run every run of ``runs`` not yet done in ``<out>/<profile>/runs.csv``.

    "Done" means a row with the same method, data set, protocol, class, seed *and sizes*
    (:func:`run_sizes`). ``profile`` sizes the runs as given; the command line passes
    ``profile.for_grid()``. A run that fails (an error, NaN scores) does not stop the grid: it is
    recorded with its reason in ``failures.csv`` beside ``runs.csv`` (and appended to
    ``failures`` when given) and tried again next time. Returns the CSV's path.
    """
    from tqdm.auto import tqdm

    path = Path(out or default_results_dir()) / profile.name / "runs.csv"
    done = {tuple(r[k] for k in DONE_KEY) for r in read_runs(path)}
    todo = [r for r in runs if r.done_key(profile) not in done]
    commit = _git_commit()
    failures = [] if failures is None else failures
    bar = tqdm(todo, desc=f"grid ({len(runs) - len(todo)} of {len(runs)} already done)", disable=not progress)
    for run in bar:
        bar.set_postfix_str(f"{run.method} {run.dataset} class {run.cls} seed {run.seed}")
        try:
            row = run_one(run, profile, data_root=data_root, git_commit=commit)
        except (KeyboardInterrupt, SystemExit):
            raise
        except Exception as err:  # record, go on, report at the end
            fail = {"method": run.method, "dataset": run.dataset, "protocol": run.protocol,
                    "class": run.cls, "seed": run.seed, "sizes": run_sizes(run.method, profile),
                    "profile": profile.name, "error": f"{type(err).__name__}: {err}"[:500],
                    "git_commit": commit, "time": time.strftime("%Y-%m-%d %H:%M:%S")}
            failures.append(fail)
            _append_failure(path.parent / "failures.csv", fail)
            bar.write(f"FAILED {run.method} {run.dataset} class {run.cls} seed {run.seed}: {fail['error']}")
            continue
        _append_row(path, row)
    return path


def levelled_epoch(values, tol: float = 0.1, window: int = 3) -> int:
    """The first epoch (1-based) after which a validation curve (lower is better) stops improving:
    no later epoch improves on it by more than ``tol`` of its value. The curve is first smoothed by a
    trailing mean over ``window`` epochs, because GAN validation curves jump from epoch to epoch and
    one lucky epoch must not decide. Returns the last epoch when the curve still improves at the end;
    a curve that rises again (over-fitting) levels where it was lowest. Validation data only: this is
    how the grid's number of epochs is chosen (``benchmarks/grid_budget.py``)."""
    v = np.asarray(values, dtype=float)
    if v.ndim != 1 or len(v) == 0 or not np.isfinite(v).all():
        raise ValueError(f"need a non-empty 1-D curve of finite values, got {values!r}")
    if tol <= 0 or window < 1:
        raise ValueError(f"tol must be > 0 and window >= 1, got tol={tol}, window={window}")
    smooth = np.array([v[max(0, i - window + 1):i + 1].mean() for i in range(len(v))])
    for e in range(len(smooth)):
        if np.all(smooth[e] - smooth[e:] <= tol * abs(smooth[e])):
            return e + 1
    return len(v)  # not reached: the last epoch always qualifies


def estimate_seconds(runs: list[Run], profile: Profile, existing: list[dict]) -> float:
    """Seconds the runs will take: the mean time of finished runs of the same method, else a guess."""
    per_method: dict[str, list[float]] = {}
    for r in existing:
        if r["profile"] == profile.name:
            n_test = profile.max_test or 10000
            score_s = n_test / max(float(r["score_images_per_second"]), 1e-9)
            extra = float(r["threshold_seconds"]) if r.get("threshold_seconds") else 0.0
            per_method.setdefault(r["method"], []).append(float(r["train_seconds"]) + extra + score_s)
    guess = ESTIMATE_SECONDS.get(profile.name, 60.0)
    return sum((sum(v) / len(v)) if (v := per_method.get(r.method)) else guess for r in runs)


def _int_list(text: str, what: str) -> list[int]:
    out = []
    for part in text.split(","):
        part = part.strip()
        try:
            if "-" in part:
                a, b = part.split("-")
                out.extend(range(int(a), int(b) + 1))
            elif part:
                out.append(int(part))
        except ValueError:
            raise SystemExit(f"error: --{what} takes integers like '0,1,2' or '0-9', got {text!r}") from None
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="ganad-run", description=__doc__.split("\n\n")[0])
    p.add_argument("--profile", default=None, help=f"one of {', '.join(PROFILES)} (default: $GANAD_PROFILE)")
    p.add_argument("--methods", default=",".join(METHODS), help="comma-separated, from: " + ", ".join(METHODS))
    p.add_argument("--datasets", default=",".join(DATASETS), help="comma-separated, from: " + ", ".join(DATASETS))
    p.add_argument("--protocol", default="one_class_anomalous", help="one of " + ", ".join(PROTOCOLS))
    p.add_argument("--classes", default="0-9", help="e.g. '0-9' or '1,8'")
    p.add_argument("--seeds", default=None, help="e.g. '0,1' (default: the profile's first two seeds)")
    p.add_argument("--out", default=None, help="results folder (default: the repository's results/)")
    p.add_argument("--data-root", default=None, help="data folder (default: $GANAD_DATA or ~/.cache/ganad)")
    p.add_argument("--dry-run", action="store_true", help="print the grid and a time estimate, run nothing")
    a = p.parse_args(argv)
    try:
        profile = get_profile(a.profile).for_grid()
        seeds = _int_list(a.seeds, "seeds") if a.seeds else list(profile.seeds[:2])
        runs = grid([m.strip().lower() for m in a.methods.split(",") if m.strip()],
                    [d.strip().lower() for d in a.datasets.split(",") if d.strip()], a.protocol,
                    _int_list(a.classes, "classes"), seeds)
    except ValueError as err:
        p.error(str(err))
    path = Path(a.out or default_results_dir()) / profile.name / "runs.csv"
    existing = read_runs(path)
    done = {tuple(r[k] for k in DONE_KEY) for r in existing}
    todo = [r for r in runs if r.done_key(profile) not in done]
    if a.dry_run:
        for r in runs:
            print(f"{'done' if r.done_key(profile) in done else 'todo'}  {r.method:12s} {r.dataset:14s} {r.protocol} "
                  f"class {r.cls} seed {r.seed}")
        est = estimate_seconds(todo, profile, existing)
        print(f"{len(runs)} runs, {len(runs) - len(todo)} done, {len(todo)} to do; "
              f"estimated {est / 60:.0f} min on this machine (profile {profile.name}); results -> {path}")
        return 0
    failures: list[dict] = []
    path = run_grid(runs, profile, a.out, data_root=a.data_root, failures=failures)
    if failures:
        print(f"{len(failures)} of {len(todo)} runs FAILED (reasons in {path.parent / 'failures.csv'}):",
              file=sys.stderr)
        for f in failures:
            print(f"  {f['method']} {f['dataset']} class {f['class']} seed {f['seed']}: {f['error']}",
                  file=sys.stderr)
        return 1
    print(f"{len(runs)} runs complete in {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
