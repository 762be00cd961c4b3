"""results/cpu/nb00_seeds.json: the ranges over seeds that notebook 00 reads (Section 2), written by
benchmarks/nb00_seeds.py. Checks the committed file only (rerunning the benchmark takes minutes)."""

import json
from pathlib import Path

import pytest

PATH = Path(__file__).resolve().parents[1] / "results" / "cpu" / "nb00_seeds.json"
#: the quantities notebook 00 quotes from the file
READ_BY_NB00 = ("sup_boots", "knn_boots", "sup_boot_auroc", "knn_boot_auroc", "sup_bag_auroc", "knn_bag_auroc",
                "bags_at_half", "gain_from_weights", "bal_bag_auroc", "bal_boot_auroc", "knn_minus_bal_boot",
                "ctrl_boot_auroc", "boots_footwear_nn", "knn_boots_low", "knn_boots_tall")


@pytest.fixture(scope="module")
def seeds():
    return json.loads(PATH.read_text())


def test_the_file_is_the_cpu_profile_over_five_seeds(seeds):
    assert seeds["profile"] == "cpu" and seeds["seeds"] == [0, 1, 2, 3, 4]
    assert len(seeds["per_seed"]) == len(seeds["seeds"])


def test_every_quantity_the_notebook_reads_has_a_range(seeds):
    for key in READ_BY_NB00:
        lo, hi = seeds["ranges"][key]
        assert lo <= hi, key


def test_the_ranges_are_the_lowest_and_highest_per_seed_values(seeds):
    for key, (lo, hi) in seeds["ranges"].items():
        values = [row[key] for row in seeds["per_seed"]]
        assert (lo, hi) == (min(values), max(values)), key
