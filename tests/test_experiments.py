import csv

import numpy as np
import pytest
import torch

from ganad_lib import experiments
from ganad_lib.data import ImageDataset
from ganad_lib.experiments import COLUMNS, grid, main, read_runs, run_grid
from ganad_lib.profiles import get_profile

PROFILE = get_profile("smoke").with_(max_train=60, max_val=20, max_test=60)


@pytest.fixture(autouse=True)
def tiny_data(monkeypatch):
    """A synthetic 10-class data set: class c is a blob whose brightness grows with c."""
    g = torch.Generator().manual_seed(0)
    labels = torch.arange(10).repeat_interleave(30)
    base = (labels.float() * 25).reshape(-1, 1, 1)
    images = (base + 20 * torch.rand(300, 28, 28, generator=g)).clamp(0, 255).to(torch.uint8)
    ds = ImageDataset("fashion_mnist", images, labels, torch.rand(300, generator=g) < 0.8,
                      tuple(map(str, range(10))), "synthetic test data")
    monkeypatch.setattr(experiments, "_DATA_CACHE", {"fashion_mnist": ds, "mnist": ds})
    monkeypatch.setattr(experiments, "_git_commit", lambda: "abc1234")


def runs():
    return grid(["knn", "pca"], ["fashion_mnist"], "one_class_anomalous", [0, 9], [0])


def test_rows_have_the_schema(tmp_path):
    path = run_grid(runs(), PROFILE, tmp_path, progress=False)
    assert path == tmp_path / "smoke" / "runs.csv"
    with open(path, newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == COLUMNS
        rows = list(reader)
    assert len(rows) == 4
    for r in rows:
        assert r["method"] in ("knn", "pca") and r["profile"] == "smoke" and r["git_commit"] == "abc1234"
        assert 0.0 <= float(r["auroc"]) <= 1.0 and float(r["train_seconds"]) >= 0
        assert float(r["score_images_per_second"]) > 0 and float(r["peak_memory_mb"]) > 0
        assert r["data_source"] == "synthetic test data" and r["device"] == "cpu"
    # class 9 (brightest) is far from the normal classes: kNN must find it
    knn9 = next(r for r in rows if r["method"] == "knn" and r["class"] == "9")
    assert float(knn9["auroc"]) > 0.9


def test_interrupted_grid_resumes_without_duplicates_or_losses(tmp_path, monkeypatch):
    real = experiments.run_one
    calls = []

    def flaky(run, profile, **kw):
        calls.append(run)
        if len(calls) == 3:
            raise KeyboardInterrupt  # the machine went down during the third run
        return real(run, profile, **kw)

    monkeypatch.setattr(experiments, "run_one", flaky)
    with pytest.raises(KeyboardInterrupt):
        run_grid(runs(), PROFILE, tmp_path, progress=False)
    path = tmp_path / "smoke" / "runs.csv"
    assert len(read_runs(path)) == 2
    assert not list(path.parent.glob("*.tmp")), "no half-written file is left"
    first_two = read_runs(path)
    monkeypatch.setattr(experiments, "run_one", real)
    run_grid(runs(), PROFILE, tmp_path, progress=False)
    rows = read_runs(path)
    keys = [(r["method"], r["class"], r["seed"]) for r in rows]
    assert len(rows) == 4 and len(set(keys)) == 4
    assert rows[:2] == first_two, "finished rows are kept as they were"
    run_grid(runs(), PROFILE, tmp_path, progress=False)  # nothing left to do
    assert read_runs(path) == rows


def test_seeded_runs_repeat(tmp_path):
    a = experiments.run_one(runs()[1], PROFILE)
    b = experiments.run_one(runs()[1], PROFILE)
    assert a["auroc"] == b["auroc"] and a["f1"] == b["f1"]


def test_wrong_csv_columns_are_refused(tmp_path):
    p = tmp_path / "smoke" / "runs.csv"
    p.parent.mkdir(parents=True)
    p.write_text("method,auc\nknn,0.5\n")
    with pytest.raises(ValueError, match="columns"):
        run_grid(runs(), PROFILE, tmp_path, progress=False)
    assert p.read_text() == "method,auc\nknn,0.5\n", "an existing file is never overwritten"


@pytest.mark.parametrize("args, message", [
    (["--methods", "knn,svm"], "Unknown method 'svm'"),
    (["--datasets", "cifar10"], "Unknown data set 'cifar10'"),
    (["--classes", "12"], "Unknown class 12"),
    (["--protocol", "leave_two_out"], "Unknown protocol"),
    (["--profile", "huge"], "Unknown profile 'huge'"),
])
def test_clear_errors(args, message, capsys, tmp_path):
    with pytest.raises(SystemExit) as info:
        main(args + ["--out", str(tmp_path), "--dry-run"])
    assert info.value.code != 0
    assert message in capsys.readouterr().err


def test_dry_run_prints_the_grid(capsys, tmp_path):
    assert main(["--profile", "smoke", "--methods", "knn", "--datasets", "mnist", "--classes", "0-2",
                 "--seeds", "0,1", "--out", str(tmp_path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert out.count("todo") == 6 and "6 runs, 0 done, 6 to do" in out
    assert not (tmp_path / "smoke" / "runs.csv").exists()


def test_estimate_uses_finished_runs(tmp_path):
    path = run_grid(runs()[:1], PROFILE, tmp_path, progress=False)
    rows = read_runs(path)
    est = experiments.estimate_seconds(runs()[:1], PROFILE, rows)
    assert est == pytest.approx(float(rows[0]["train_seconds"]) + float(rows[0]["threshold_seconds"])
                                + PROFILE.max_test / float(rows[0]["score_images_per_second"]))
    assert np.isfinite(est)


# ------------------------------------------------------------ issue 15: rows say what produced them


def test_rows_record_sizes_and_time_training_apart_from_threshold_scoring(tmp_path):
    path = run_grid(grid(["anogan"], ["fashion_mnist"], "one_class_anomalous", [0], [0]), PROFILE,
                    tmp_path, progress=False)
    (row,) = read_runs(path)
    assert float(row["train_seconds"]) > 0 and float(row["threshold_seconds"]) > 0
    assert int(row["n_train"]) == PROFILE.max_train and int(row["n_val"]) == PROFILE.max_val
    sizes = dict(part.split("=") for part in row["sizes"].split(";"))
    assert sizes["max_train"] == str(PROFILE.max_train) and sizes["epochs"] == str(PROFILE.epochs)
    assert sizes["width"] == str(PROFILE.width) and sizes["steps"] == str(PROFILE.search_steps)
    assert "progress" not in sizes and "seed" not in sizes


def test_rows_of_other_sizes_are_not_done(tmp_path):
    path = run_grid(runs(), PROFILE, tmp_path, progress=False)
    assert len(read_runs(path)) == 4
    bigger = PROFILE.with_(max_train=80)
    run_grid(runs(), bigger, tmp_path, progress=False)
    rows = read_runs(path)
    assert len(rows) == 8, "the grid's new sizes are run, the old rows kept"
    assert {r["n_train"] for r in rows} == {"60", "80"}
    run_grid(runs(), bigger, tmp_path, progress=False)
    assert len(read_runs(path)) == 8


def test_old_files_without_the_new_columns_are_read_and_rerun(tmp_path):
    path = run_grid(runs()[:1], PROFILE, tmp_path, progress=False)
    old_cols = COLUMNS[:16]
    rows = read_runs(path)
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=old_cols, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    (old,) = read_runs(path)
    assert old["sizes"] == "" and old["auroc"] == rows[0]["auroc"]
    run_grid(runs()[:1], PROFILE, tmp_path, progress=False)
    assert len(read_runs(path)) == 2, "a row without sizes is not taken as done"


def test_a_failing_run_is_recorded_and_the_grid_goes_on(tmp_path, monkeypatch, capsys):
    real = experiments.run_one

    def sometimes(run, profile, **kw):
        if run.method == "pca" and run.cls == 0:
            raise RuntimeError("out of memory")
        if run.method == "knn" and run.cls == 9:
            raise experiments.RunFailed("3 of 60 test scores are NaN or infinite")
        return real(run, profile, **kw)

    monkeypatch.setattr(experiments, "run_one", sometimes)
    failures = []
    path = run_grid(runs(), PROFILE, tmp_path, progress=False, failures=failures)
    assert len(read_runs(path)) == 2 and len(failures) == 2
    with open(path.parent / "failures.csv", newline="") as f:
        logged = list(csv.DictReader(f))
    assert [r["error"] for r in logged] == ["RunFailed: 3 of 60 test scores are NaN or infinite",
                                            "RuntimeError: out of memory"] or \
        sorted(r["error"] for r in logged) == ["RunFailed: 3 of 60 test scores are NaN or infinite",
                                               "RuntimeError: out of memory"]
    # the command line reports them and exits non-zero
    monkeypatch.setattr(experiments.Profile, "for_grid", lambda self: PROFILE)
    code = main(["--profile", "smoke", "--methods", "knn,pca", "--datasets", "fashion_mnist",
                 "--classes", "0,9", "--seeds", "0", "--out", str(tmp_path)])
    assert code == 1
    err = capsys.readouterr().err
    assert "2 of 2 runs FAILED" in err and "out of memory" in err


def test_nan_scores_fail_the_run(monkeypatch):
    from ganad_lib.baselines import KNNDetector

    monkeypatch.setattr(KNNDetector, "_score_batch", lambda self, x: torch.full((len(x),), float("nan")))
    with pytest.raises((experiments.RunFailed, ValueError), match="NaN"):
        experiments.run_one(runs()[0], PROFILE)


@pytest.mark.parametrize("method, own, parts", [
    ("ganomaly", "latent", {"latent", "L_con"}),
    ("egbad", "alpha_0.9", {"L_G", "L_D_feature_matching", "L_D_cross_entropy", "alpha_0.9"}),
])
def test_gan_rows_carry_ablations_of_the_same_model(method, own, parts):
    """The ablation scores the trained model with parts of its score: the method's own score is one of
    them and gives the row's AUROC (min-max normalisation is monotone), the others differ."""
    import json

    row = experiments.run_one(experiments.Run(method, "fashion_mnist", "one_class_anomalous", 9, 0), PROFILE)
    ablations = json.loads(row["ablations"])
    assert set(ablations) == parts
    assert abs(ablations[own] - float(row["auroc"])) < 1e-5
    assert all(0.0 <= v <= 1.0 for v in ablations.values())


def test_baseline_rows_have_no_ablations():
    row = experiments.run_one(runs()[0], PROFILE)
    assert row["ablations"] == ""


def test_levelled_epoch_finds_where_a_curve_stops_improving():
    from ganad_lib.experiments import levelled_epoch

    falling = [10.0, 5.0, 3.0, 2.6, 2.55, 2.5, 2.5, 2.5]
    # no smoothing: from 2.6 the best later value, 2.5, is 3.8 % lower (within 5 %); from 3.0 it is 17 % lower
    assert levelled_epoch(falling, tol=0.05, window=1) == 4
    assert levelled_epoch(falling, tol=0.5, window=1) == 2           # 5.0 -> 2.5 is exactly 50 %: levelled
    assert levelled_epoch(list(range(10, 0, -1)), tol=0.05) == 10    # still falling: the last epoch
    overfit = [3.0, 2.0, 2.1, 2.5, 3.0]                              # rises again: levelled where lowest
    assert levelled_epoch(overfit, tol=0.1, window=1) == 2
    dip = [5.0, 3.0, 3.0, 3.0, 2.5, 3.0, 3.0, 3.0]                   # one lucky epoch ...
    assert levelled_epoch(dip, tol=0.1, window=1) == 5               # ... decides without smoothing,
    # not with it: the trailing means are 5, 4, 3.67, 3, 2.83, 2.83, 2.83, 3, and 3 -> 2.83 is 5.6 %
    assert levelled_epoch(dip, tol=0.1, window=3) == 4
    with pytest.raises(ValueError, match="finite"):
        levelled_epoch([1.0, float("nan")])
    with pytest.raises(ValueError, match="tol"):
        levelled_epoch([1.0, 2.0], tol=0)


def test_grid_processes_sharing_one_runs_csv_lose_no_row(tmp_path):
    """Two grid processes (one per core) append to the same runs.csv; every row must survive."""
    import subprocess
    import sys
    from pathlib import Path

    code = ("import sys, time\nfrom pathlib import Path\nfrom ganad_lib import experiments as e\n"
            "row = {c: '' for c in e.COLUMNS}\n"
            "Path(sys.argv[1] + '.' + sys.argv[2]).touch()\n"  # both imported: start together
            "while not all(Path(sys.argv[1] + '.' + m).exists() for m in ('knn', 'pca')):\n"
            "    time.sleep(0.01)\n"
            "for i in range(150):\n"
            "    e._append_row(Path(sys.argv[1]), {**row, 'method': sys.argv[2], 'seed': str(i)})\n")
    path = tmp_path / "runs.csv"
    repo = Path(experiments.__file__).resolve().parents[1]
    procs = [subprocess.Popen([sys.executable, "-c", code, str(path), m], cwd=repo) for m in ("knn", "pca")]
    assert [p.wait(timeout=300) for p in procs] == [0, 0]
    got = sorted((r["method"], int(r["seed"])) for r in read_runs(path))
    assert got == sorted((m, i) for m in ("knn", "pca") for i in range(150))


def test_cpu_grid_threads_follow_the_results_readme():
    """results/cpu/README.md: the first row and rows 43-74 ran on two threads, all others on one."""
    assert [experiments.cpu_grid_threads(r) for r in (1, 2, 42, 43, 74, 75, 720)] == [2, 1, 1, 2, 2, 1, 1]
