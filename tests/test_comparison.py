import csv

import numpy as np
import pytest

from ganad_lib import comparison
from ganad_lib.experiments import COLUMNS


def write(path, rows):
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS)
        w.writeheader()
        for r in rows:
            full = {k: "0" for k in COLUMNS}
            full.update({"protocol": "one_class_anomalous", "profile": "cpu", "device": "cpu",
                         "torch_version": "2", "data_source": "x", "git_commit": "y",
                         "score_images_per_second": "100"})
            full.update(r)
            w.writerow(full)


@pytest.fixture
def rows(tmp_path):
    p = tmp_path / "runs.csv"
    write(p, [
        {"method": "knn", "dataset": "mnist", "class": 0, "seed": 0, "auroc": 0.9},
        {"method": "knn", "dataset": "mnist", "class": 1, "seed": 0, "auroc": 0.7},
        {"method": "knn", "dataset": "mnist", "class": 0, "seed": 1, "auroc": 0.8},
        {"method": "knn", "dataset": "mnist", "class": 1, "seed": 1, "auroc": 0.6},
        {"method": "ganomaly", "dataset": "mnist", "class": 0, "seed": 0, "auroc": 0.5},
    ])
    return comparison.load_runs(p)


def test_summary_is_mean_over_classes_then_over_seeds(rows):
    s = comparison.summary(rows)
    # seed 0: (0.9 + 0.7) / 2 = 0.8; seed 1: (0.8 + 0.6) / 2 = 0.7 -> 0.75 +- 0.05
    assert s[("knn", "mnist")]["mean"] == pytest.approx(0.75)
    assert s[("knn", "mnist")]["std"] == pytest.approx(0.05)
    assert s[("knn", "mnist")]["n_classes"] == 2 and s[("knn", "mnist")]["n_seeds"] == 2


def test_per_class_means_and_missing_classes(rows):
    pc = comparison.per_class(rows, "mnist")
    assert list(pc) == ["ganomaly", "knn"], "methods in the course's order"
    means, stds = pc["knn"]
    assert means[0] == pytest.approx(0.85) and means[1] == pytest.approx(0.65)
    assert stds[0] == pytest.approx(0.05) and np.isnan(means[5])


def test_gan_vs_baseline_compares_the_best_gan_with_the_baseline(rows):
    v = comparison.gan_vs_baseline(rows, "mnist")
    # GANomaly's only run (class 0, seed 0): 0.5, against kNN on that same run: 0.9
    assert v["gan"] == "ganomaly" and v["gan_mean"] == pytest.approx(0.5)
    assert v["baseline_mean"] == pytest.approx(0.9) and v["beats"] is False
    assert "does **not** beat kNN (0.900)" in comparison.verdict(rows, "mnist")
    better = rows + [dict(rows[-1], method="egbad", auroc=0.95)]
    v = comparison.gan_vs_baseline(better, "mnist")
    assert v["gan"] == "egbad" and v["beats"] is True
    assert "EGBAD (0.950), beats kNN (0.900)" in comparison.verdict(better, "mnist")
    # only the runs GANomaly shares with kNN count: class 0, seed 0 -> kNN 0.9, not its mean 0.75
    shared = comparison.gan_vs_baseline(rows, "mnist")
    assert shared["runs"] == 1
    assert comparison.gan_vs_baseline(rows, "fashion_mnist") is None
    assert "no GAN method" in comparison.verdict(rows, "fashion_mnist")


def test_table_and_plots(rows):
    table = comparison.summary_table(rows)
    assert "| kNN | 0.750 ± 0.050 (2 cl., 2 seeds) | — |" in table
    import matplotlib

    matplotlib.use("Agg")
    assert comparison.plot_per_class(rows, "mnist") is not None
    assert comparison.plot_cost(rows) is not None
    assert comparison.plot_summary(rows) is not None


def test_missing_results_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="ganad_lib.experiments"):
        comparison.load_runs(tmp_path / "none.csv")


# ---- statistics over seeds, paired tests, filters (hand-computed values) -------------------

T975_1 = 12.706204736174694  # Student t, 97.5 % quantile, 1 degree of freedom
T975_2 = 4.302652729749462   # ... 2 degrees of freedom


def run(method, cls, seed, auroc, dataset="mnist", **kw):
    return {"method": method, "dataset": dataset, "class": cls, "seed": seed, "auroc": auroc, **kw}


def load(tmp_path, rows, name="runs.csv"):
    p = tmp_path / name
    write(p, rows)
    return comparison.load_runs(p)


def test_t_interval_by_hand():
    iv = comparison.t_interval([0.8, 0.7])
    # mean 0.75, s = 0.0707107 (ddof=1), half = t(0.975, 1) * s / sqrt(2) = 12.7062 * 0.05
    assert iv.mean == pytest.approx(0.75) and iv.n == 2
    assert iv.half_width == pytest.approx(T975_1 * 0.05)
    assert (iv.low, iv.high) == pytest.approx((0.75 - 0.6353102, 0.75 + 0.6353102))
    iv3 = comparison.t_interval([0.6, 0.7, 0.8])
    assert iv3.half_width == pytest.approx(T975_2 * 0.1 / np.sqrt(3))  # 0.24841
    assert iv3.format() == "0.700 [0.452, 0.948]"
    # a 90 % interval is narrower: t(0.95, 2) = 2.919986
    assert comparison.t_interval([0.6, 0.7, 0.8], 0.90).half_width == pytest.approx(2.919986 * 0.1 / np.sqrt(3))


def test_t_interval_one_seed_has_no_interval():
    one = comparison.t_interval([0.42])
    assert one.mean == 0.42 and one.n == 1 and not one.has_interval
    assert np.isnan(one.low) and np.isnan(one.high)
    assert one.format() == "0.420 (1 seed: no interval)"
    assert comparison.t_interval([]).format() == "—"
    with pytest.raises(ValueError, match="finite"):
        comparison.t_interval([0.5, float("nan")])


def test_per_class_stats_and_table(rows):
    st = comparison.per_class_stats(rows, "mnist")
    knn0 = st["knn"][0]  # seeds: 0.9, 0.8
    assert knn0.mean == pytest.approx(0.85) and knn0.half_width == pytest.approx(T975_1 * 0.05)
    assert st["ganomaly"][0].n == 1 and not st["ganomaly"][0].has_interval
    assert st["ganomaly"][1].n == 0 and st["knn"][5].n == 0
    table = comparison.per_class_table(rows, "mnist")
    assert "| class | GANomaly | kNN |" in table
    assert "| 0 | 0.500 (1 seed: no interval) | 0.850 [0.215, 1.485] |" in table
    assert "| 1 | — | 0.650 [0.015, 1.285] |" in table
    assert "| 5 |" not in table, "classes without any run are left out"
    assert "| **mean over classes** | 0.500 (1 seed: no interval) | 0.750 [0.115, 1.385] |" in table


def test_class_mean_interval_is_over_per_seed_class_means(rows, tmp_path):
    cm = comparison.class_mean_stats(rows, "mnist")
    # knn: seed 0 -> (0.9 + 0.7) / 2 = 0.8, seed 1 -> (0.8 + 0.6) / 2 = 0.7
    assert cm["knn"].mean == pytest.approx(0.75) and cm["knn"].n == 2 and cm["knn"].n_classes == 2
    assert cm["knn"].half_width == pytest.approx(T975_1 * 0.05)
    # a seed that misses a class is left out instead of averaging other classes
    more = load(tmp_path, [run("knn", 0, 0, 0.9), run("knn", 1, 0, 0.7), run("knn", 0, 1, 0.8),
                           run("knn", 1, 1, 0.6), run("knn", 0, 2, 0.1)])
    cm = comparison.class_mean_stats(more, "mnist")["knn"]
    assert cm.n == 2 and cm.dropped_seeds == (2,) and cm.mean == pytest.approx(0.75)
    assert "| kNN | 0.750 [0.115, 1.385] (2 cl., 2 seeds) | — |" in comparison.summary_table(rows, errors="ci")


def test_protocols_and_budgets_are_never_mixed(tmp_path):
    rows = load(tmp_path, [run("knn", 0, 0, 0.9, sizes="a"), run("knn", 0, 1, 0.8, sizes="a"),
                           run("knn", 0, 0, 0.1, sizes="b"),
                           run("knn", 0, 0, 0.3, protocol="one_class_normal", sizes="a")])
    assert comparison.protocols(rows) == ["one_class_anomalous", "one_class_normal"]
    with pytest.raises(ValueError, match="protocols"):
        comparison.per_class_stats(rows, "mnist")
    one = comparison.select(rows, protocol="one_class_anomalous")
    with pytest.raises(ValueError, match="budgets"):
        comparison.class_mean_stats(one, "mnist")
    sel = comparison.one_size_per_method(rows)
    assert sel.sizes == {("knn", "one_class_anomalous"): "a", ("knn", "one_class_normal"): "a"}
    assert sel.dropped == 1 and all(r["sizes"] == "a" for r in sel.rows)
    picked = comparison.one_size_per_method(one, choose={"knn": "b"})
    assert [r["auroc"] for r in picked.rows] == [0.1] and picked.dropped == 2
    assert comparison.per_class_stats(picked.rows, "mnist")["knn"][0].mean == pytest.approx(0.1)
    with pytest.raises(ValueError, match="no knn row with sizes"):
        comparison.one_size_per_method(one, choose={"knn": "c"})
    # a tie goes to the sizes written last
    tie = load(tmp_path, [run("pca", 0, 0, 0.5, sizes="old"), run("pca", 0, 0, 0.6, sizes="new")], "tie.csv")
    assert comparison.one_size_per_method(tie).sizes[("pca", "one_class_anomalous")] == "new"
    dup = load(tmp_path, [run("pca", 0, 0, 0.5), run("pca", 0, 0, 0.6)], "dup.csv")
    with pytest.raises(ValueError, match="twice"):
        comparison.per_class_stats(dup, "mnist")


def test_old_files_without_the_new_columns_load(tmp_path):
    from ganad_lib.experiments import COLUMNS

    old = COLUMNS[:COLUMNS.index("threshold_seconds")]
    p = tmp_path / "old.csv"
    with open(p, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=old)
        w.writeheader()
        w.writerow({k: "0" for k in old} | {"method": "knn", "dataset": "mnist", "protocol": "one_class_anomalous",
                                            "auroc": "0.7"})
    r = comparison.load_runs(p)[0]
    assert r["sizes"] == "" and r["n_train"] is None and np.isnan(r["threshold_seconds"])


def pairs(tmp_path, diffs, base=0.5, name="pairs.csv", method="ganomaly"):
    rows = []
    for i, d in enumerate(diffs):
        rows += [run("knn", i % 10, i // 10, base), run(method, i % 10, i // 10, base + d)]
    return load(tmp_path, rows, name)


def test_wilcoxon_verdicts_by_hand(tmp_path):
    # six positive differences: the exact two-sided p is 2 / 2**6 = 0.03125
    r = comparison.paired_comparison(pairs(tmp_path, [0.01, 0.02, 0.03, 0.04, 0.05, 0.06]), "mnist",
                                     "ganomaly", "knn")
    assert (r.n, r.wins, r.losses, r.ties) == (6, 6, 0, 0)
    assert r.p_value == pytest.approx(0.03125) and r.statistic == 0 and r.direction == 1
    assert r.mean_diff == pytest.approx(0.035)
    assert r.sentence == ("GANomaly beats kNN on MNIST: mean +0.035 AUROC, GANomaly higher in 6 of 6 paired "
                          "runs, Wilcoxon p = 0.031.")
    # five: p = 2 / 2**5 = 0.0625, not significant at 0.05, significant at 0.10
    five = pairs(tmp_path, [0.01, 0.02, 0.03, 0.04, 0.05], name="five.csv")
    r = comparison.paired_comparison(five, "mnist", "ganomaly", "knn")
    assert r.p_value == pytest.approx(0.0625) and r.direction == 0 and r.sign == 1
    assert r.sentence.startswith("No significant difference between GANomaly and kNN on MNIST at level 0.05:")
    assert comparison.paired_comparison(five, "mnist", "ganomaly", "knn", alpha=0.1).direction == 1
    # one loss of rank 2 and a tie: W- = 2, P(W <= 2) = 3 / 64 per side -> p = 6 / 64 = 0.09375
    mixed = pairs(tmp_path, [0.01, -0.02, 0.03, 0.04, 0.05, 0.06, 0.0], name="mixed.csv")
    r = comparison.paired_comparison(mixed, "mnist", "ganomaly", "knn")
    assert (r.n, r.wins, r.losses, r.ties) == (7, 5, 1, 1)
    assert r.statistic == 2 and r.p_value == pytest.approx(0.09375)
    assert r.mean_diff == pytest.approx(0.17 / 7) and "1 ties" in r.sentence
    # the other way round: kNN wins every pair
    worse = pairs(tmp_path, [-0.01, -0.02, -0.03, -0.04, -0.05, -0.06], name="worse.csv")
    r = comparison.paired_comparison(worse, "mnist", "ganomaly", "knn")
    assert r.direction == -1 and r.sentence.startswith("GANomaly loses to kNN on MNIST: mean -0.035 AUROC")
    # all tied: no test to run, p = 1
    same = comparison.paired_comparison(pairs(tmp_path, [0.0] * 4, name="same.csv"), "mnist", "ganomaly", "knn")
    assert same.ties == 4 and same.p_value == 1.0 and same.direction == 0


def test_paired_uses_only_shared_runs(tmp_path):
    rows = pairs(tmp_path, [0.01, 0.02, 0.03, 0.04, 0.05, 0.06])
    rows = rows + comparison.load_runs(_one(tmp_path, run("knn", 9, 9, 0.0)))
    r = comparison.paired_comparison(rows, "mnist", "ganomaly", "knn")
    assert r.n == 6 and r.p_value == pytest.approx(0.03125)
    assert r.pairs == tuple((i, 0) for i in range(6)) and r.diffs == pytest.approx([0.01, 0.02, 0.03, 0.04, 0.05, 0.06])
    none = comparison.paired_comparison(rows, "mnist", "egbad", "knn")
    assert none.n == 0 and none.sentence == "EGBAD and kNN share no run on MNIST: nothing to compare."


def _one(tmp_path, row):
    p = tmp_path / "one.csv"
    write(p, [row])
    return p


def test_holm_by_hand():
    assert comparison.holm([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06])
    out = comparison.holm([float("nan"), 0.02])
    assert np.isnan(out[0]) and out[1] == pytest.approx(0.02)


def test_paired_comparisons_adjust_for_the_family(tmp_path):
    d = [0.01, 0.02, 0.03, 0.04, 0.05, 0.06]
    rows = pairs(tmp_path, d)
    rows = rows + [dict(r, method="egbad") for r in rows if r["method"] == "ganomaly"]
    fam = comparison.paired_comparisons(rows, datasets=("mnist",), pairs=(("ganomaly", "knn"), ("egbad", "knn")))
    # two p-values of 0.03125: Holm doubles the smaller -> 0.0625 for both, no longer significant
    assert [r.p_adjusted for r in fam] == pytest.approx([0.0625, 0.0625])
    assert all(r.direction == 0 and r.sign == 1 for r in fam)
    assert "Holm-adjusted 0.062" in fam[0].sentence
    raw = comparison.paired_comparisons(rows, datasets=("mnist",), pairs=(("ganomaly", "knn"),), adjust=None)
    assert raw[0].direction == 1 and raw[0].p_adjusted == raw[0].p_value
    table = comparison.paired_table(fam)
    assert "| GANomaly − kNN | MNIST | 6 | +0.035 | 6 / 0 / 0 | 0.0312 | 0.0625 (Holm) | no significant difference |" \
        in table
    assert "| runs paired |" in table and "| classes paired |" in comparison.paired_table(fam, unit="classes")
    # a significant verdict is worded "higher", the one verdict word of notebook 06
    assert "| 0.0312 | 0.0312 | **GANomaly** higher |" in comparison.paired_table(raw)
    with pytest.raises(ValueError, match="unit must be"):
        comparison.paired_table(fam, unit="seeds")


def test_cost_quality_and_new_plots(rows, tmp_path):
    timed = load(tmp_path, [run("knn", 0, 0, 0.9, train_seconds="1", score_images_per_second="10"),
                            run("knn", 0, 1, 0.8, train_seconds="3", score_images_per_second="30"),
                            run("knn", 1, 0, 0.7, train_seconds="2", score_images_per_second="40")], "timed.csv")
    cq = comparison.cost_quality(timed, "mnist")["knn"]
    assert cq["train_seconds"] == 2.0 and cq["images_per_second"] == 30.0 and cq["runs"] == 3
    # seed 1 misses class 1, so the quality is seed 0's class mean alone: (0.9 + 0.7) / 2, no interval
    assert cq["quality"].mean == pytest.approx(0.8) and cq["quality"].n == 1
    import matplotlib

    matplotlib.use("Agg")
    assert comparison.plot_per_class(rows, "mnist", errors="ci") is not None
    assert comparison.plot_summary(rows, errors="ci") is not None
    assert len(comparison.plot_cost_quality(rows)) == 2
    with pytest.raises(ValueError, match="errors"):
        comparison.plot_per_class(rows, "mnist", errors="sem")


def test_reported_dict_for_the_slides_is_unchanged():
    rep = comparison.REPORTED
    assert rep["protocol"] == "one_class_normal" and rep["dataset"] == "mnist"
    assert rep["rows"]["AnoGAN"] == [99.0, 99.8, 88.8, 91.3, 94.4, 91.2, 92.5, 96.4, 88.3, 95.8, 93.7]
    assert rep["rows"]["OCGAN"][-1] == 97.5


def test_class_paired_comparisons_take_the_class_as_the_unit(tmp_path):
    """Seeds are averaged per class first (over the seeds both methods ran), then ten class means are paired."""
    from scipy import stats

    rng = np.random.default_rng(1)
    rows = []
    for c in range(10):
        for s in range(3):
            knn = 0.7 + 0.01 * c + rng.uniform(-0.02, 0.02)
            # GANomaly lower on classes 0-7, higher on 8 and 9; far more spread over seeds
            rows += [run("knn", c, s, knn), run("ganomaly", c, s, knn + (-0.05 if c < 8 else 0.04) + rng.uniform(-0.1, 0.1))]
    rows.append(run("knn", 0, 7, 0.0))  # a seed only kNN ran: left out of class 0's pair
    rows = load(tmp_path, rows)
    fam = comparison.class_paired_comparisons(rows, datasets=("mnist",), pairs=(("ganomaly", "knn"),), adjust=None)
    r = fam[0]
    mean = {(m, c): np.mean([x["auroc"] for x in rows if (x["method"], x["class"]) == (m, c) and x["seed"] in (0, 1, 2)])
            for m in ("ganomaly", "knn") for c in range(10)}
    diffs = [mean[("ganomaly", c)] - mean[("knn", c)] for c in range(10)]
    assert r.n == 10 and r.pairs == tuple((c, 3) for c in range(10))
    assert r.diffs == pytest.approx(diffs) and r.mean_diff == pytest.approx(np.mean(diffs))
    assert (r.wins, r.losses) == (sum(d > 0 for d in diffs), sum(d < 0 for d in diffs))
    assert r.p_value == pytest.approx(stats.wilcoxon(diffs).pvalue)
    # the same runs paired per (class, seed) count 30 pairs and give another p-value
    per_run = comparison.paired_comparison([x for x in rows if x["seed"] != 7], "mnist", "ganomaly", "knn")
    assert per_run.n == 30 and per_run.p_value != pytest.approx(r.p_value)
    # Holm over the family, as paired_comparisons: a second, identical pair doubles the smaller p-value
    two = rows + [dict(x, method="egbad") for x in rows if x["method"] == "ganomaly"]
    fam = comparison.class_paired_comparisons(two, datasets=("mnist",), pairs=(("ganomaly", "knn"), ("egbad", "knn")))
    assert [x.p_adjusted for x in fam] == pytest.approx([min(1.0, 2 * r.p_value)] * 2)
    assert all(x.adjusted == "Holm" for x in fam)
    assert all(x.direction == (x.sign if x.p_adjusted < 0.05 else 0) for x in fam)
    # no shared class: nothing to compare
    none = comparison.class_paired_comparisons(rows, datasets=("mnist",), pairs=(("egbad", "knn"),))
    assert none[0].n == 0
    mixed = load(tmp_path, [run("knn", 0, 0, 0.9), run("knn", 0, 1, 0.8, protocol="one_class_normal")], "mixed.csv")
    with pytest.raises(ValueError, match="protocols"):
        comparison.class_paired_comparisons(mixed, datasets=("mnist",))


def test_family_sentence_names_the_tests_holm_ran_over(tmp_path):
    """The family in words, from the tests themselves: every pair, grouped by method in the order of
    the family, on the data sets it was tested on; a test without a shared run is not in it."""
    rows = []
    for d in ("mnist", "fashion_mnist"):
        for c in range(6):
            for m, v in (("knn", 0.8), ("pca", 0.7), ("ganomaly", 0.6 + 0.01 * c), ("egbad", 0.5), ("anogan", 0.55)):
                rows.append(run(m, c, 0, v + 0.001 * c, dataset=d))
    rows = load(tmp_path, rows)
    fam = comparison.class_paired_comparisons(rows, pairs=(("ganomaly", "pca"), ("ganomaly", "knn"),
                                                           ("egbad", "anogan")))
    assert comparison.family_sentence(fam) == \
        "GANomaly vs PCA and kNN, and EGBAD vs AnoGAN, on each of MNIST and Fashion-MNIST"
    # notebook 06's family, PAIRS, read as the slides read it: one part per method, its baselines in order
    full = comparison.class_paired_comparisons(rows + [dict(r, method="autoencoder") for r in rows
                                                       if r["method"] == "pca"])
    methods = list(dict.fromkeys(m for m, _ in comparison.PAIRS))
    text = comparison.family_sentence(full)
    assert text.count(" vs ") == len(methods)
    for m in methods:
        bases = [comparison.METHOD_LABELS[b] for mm, b in comparison.PAIRS if mm == m]
        said = ", ".join(bases[:-1]) + " and " + bases[-1] if len(bases) > 1 else bases[0]
        assert f"{comparison.METHOD_LABELS[m]} vs {said}" in text, (m, text)
    # one data set; and a pair with no shared run on one data set is not in the family there
    one = comparison.class_paired_comparisons(rows, datasets=("mnist",), pairs=(("ganomaly", "knn"),))
    assert comparison.family_sentence(one) == "GANomaly vs kNN on MNIST"
    partial = [r for r in rows if not (r["method"] == "anogan" and r["dataset"] == "fashion_mnist")]
    fam = comparison.class_paired_comparisons(partial, pairs=(("ganomaly", "knn"), ("egbad", "anogan")))
    assert sum(r.n == 0 for r in fam) == 1
    assert comparison.family_sentence(fam) == \
        "GANomaly vs kNN (MNIST and Fashion-MNIST) and EGBAD vs AnoGAN (MNIST)"
    assert comparison.family_sentence([]) == ""


def test_ablations_become_rows_of_the_same_runs_and_are_tested_by_class(tmp_path):
    import json

    rows = []
    for c in range(6):
        for seed in (0, 1):
            own = 0.80 + 0.01 * c
            rows.append(run("ganomaly", c, seed, own, dataset="fashion_mnist",
                            ablations=json.dumps({"latent": own, "L_con": own - 0.05 - 0.01 * seed})))
    rows.append(run("knn", 0, 0, 0.7, dataset="fashion_mnist", ablations=""))  # no ablations: no pseudo-rows
    loaded = load(tmp_path, rows)
    abl = comparison.ablation_rows(loaded)
    assert len(abl) == 24 and {r["method"] for r in abl} == {"ganomaly[latent]", "ganomaly[L_con]"}
    first = next(r for r in abl if r["method"] == "ganomaly[L_con]" and r["class"] == 2 and r["seed"] == 1)
    assert first["auroc"] == pytest.approx(0.82 - 0.06) and first["protocol"] == "one_class_anomalous"
    # the method's own score and its "latent" variant are the same numbers
    assert all(a["auroc"] == pytest.approx(o["auroc"]) for a, o in
               zip([r for r in abl if r["method"] == "ganomaly[latent]"], [r for r in loaded if r["method"] == "ganomaly"]))
    # class as the unit: the class means differ by 0.055 on all six classes -> W = 0, exact p = 2 / 2**6
    (res,) = comparison.class_paired_comparisons(loaded + abl, datasets=("fashion_mnist",),
                                                 pairs=comparison.ABLATION_PAIRS[:1], adjust=None)
    assert (res.method, res.baseline, res.n, res.wins) == ("ganomaly", "ganomaly[L_con]", 6, 6)
    assert res.mean_diff == pytest.approx(0.055) and res.p_value == pytest.approx(2 / 64)
    table = comparison.summary_table(loaded + abl, errors="ci", datasets=("fashion_mnist",))
    assert "GANomaly scored by L_con" in table and "GANomaly, latent distance" in table
    with pytest.raises(ValueError, match="AUROC only"):
        comparison.ablation_rows(loaded, metric="auprc")
    broken = load(tmp_path, [run("egbad", 0, 0, 0.6, ablations="{L_G: 0.5")], name="broken.csv")
    with pytest.raises(ValueError, match="egbad mnist class 0 seed 0: its `ablations` entry is not JSON"):
        comparison.ablation_rows(broken)
    with pytest.raises(ValueError, match="must be a JSON object"):
        comparison.ablation_rows(load(tmp_path, [run("egbad", 0, 0, 0.6, ablations="0.5")], name="number.csv"))


def test_cost_quality_plot_dodges_the_data_sets_and_keeps_both_legends(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    both = [dict(r, dataset=d, train_seconds=10.0, score_images_per_second=1000.0)
            for r in comparison.load_runs(_runs_file(tmp_path)) for d in ("mnist", "fashion_mnist")]
    axes = comparison.plot_cost_quality(both, dodge=1.1)
    xs = sorted(float(line.get_xdata()[0]) for line in axes[0].lines if line.get_marker() in ("o", "s"))
    assert xs == pytest.approx([10 / 1.1, 10 * 1.1]), "one method's two points drawn apart, around its median"
    assert axes[0].get_legend() is not None and axes[1].get_legend() is not None, "data sets left, methods right"
    assert [t.get_text() for t in axes[0].get_legend().get_texts()] == ["MNIST", "Fashion-MNIST"]
    axes = comparison.plot_cost_quality(both, dodge=1.0)
    xs = {float(line.get_xdata()[0]) for line in axes[0].lines if line.get_marker() in ("o", "s")}
    assert xs == {10.0}
    plt.close("all")


def _runs_file(tmp_path):
    p = tmp_path / "one.csv"
    write(p, [{"method": "knn", "dataset": "mnist", "class": c, "seed": s, "auroc": 0.8 + 0.01 * s}
              for c in range(2) for s in range(2)])
    return p


def test_reproduction_lines_and_whether_the_code_reproduced(tmp_path):
    assert comparison.reproduction_lines(tmp_path / "missing.csv") == []
    assert comparison.code_reproduced([]) is None

    def line(row, threads, then, now):
        return {"row": str(row), "threads": str(threads), "auroc_then": then, "auroc_now": now}

    same = [line(100, 1, "0.700000", "0.700000"), line(50, 2, "0.600000", "0.6000004")]
    assert comparison.code_reproduced(same) is True, "rounding to six decimals is agreement"
    # a difference in the sixth decimal is the order of floating-point sums (as narration.reproduction reads it)
    assert comparison.code_reproduced([line(100, 1, "0.457924", "0.457929")]) is True
    assert comparison.code_reproduced([line(100, 1, "0.457924", "0.457929")], tol=5e-7) is False
    # row 100 ran on one thread: its run on two threads measures the threads, not the code
    assert comparison.code_reproduced(same + [line(100, 2, "0.700000", "0.710000")]) is True
    assert comparison.code_reproduced(same + [line(101, 1, "0.700000", "0.710000")]) is False
    assert comparison.code_reproduced([line(100, 2, "0.7", "0.71"), line(102, 1, "0.7", "")]) is None, \
        "nothing re-run on its own thread count"
    p = tmp_path / "grid_reproduce.csv"
    with open(p, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["row", "threads", "auroc_then", "auroc_now"])
        w.writeheader()
        w.writerows(same)
    assert comparison.code_reproduced(comparison.reproduction_lines(p)) is True


def test_plot_per_class_marks_intervals_cut_by_the_axes_and_cost_quality_labels_its_points(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    # two seeds far apart: the t-interval (t = 12.7) reaches beyond [0, 1] on both sides
    wide = [{"method": "knn", "dataset": "mnist", "protocol": "one_class_anomalous", "class": c, "seed": s,
             "auroc": (0.2, 0.9)[s]} for c in range(10) for s in range(2)]
    ax = comparison.plot_per_class(wide, "mnist", errors="ci")
    ys = sorted({round(float(y), 3) for c in ax.collections for _, y in np.asarray(c.get_offsets()) if len(c.get_offsets())})
    assert 0.0 in ys and 1.0 in ys, "an arrowhead at each edge the interval was cut at"
    assert "interval cut by the axis (▲ at 1, ▼ at 0)" in [t.get_text() for t in ax.get_legend().get_texts()]
    narrow = [dict(r, auroc=0.7 + 0.01 * r["seed"]) for r in wide]
    ax = comparison.plot_per_class(narrow, "mnist", errors="ci")
    assert not any("cut by the axis" in t.get_text() for t in ax.get_legend().get_texts())
    both = [dict(r, dataset=d, train_seconds=10.0, score_images_per_second=1000.0)
            for r in comparison.load_runs(_runs_file(tmp_path)) for d in ("mnist", "fashion_mnist")]
    axes = comparison.plot_cost_quality(both, labels=True)
    assert [t.get_text() for t in axes[0].texts] == ["kNN"] and [t.get_text() for t in axes[1].texts] == ["kNN"]
    assert not comparison.plot_cost_quality(both)[0].texts, "no labels unless asked"
    plt.close("all")
