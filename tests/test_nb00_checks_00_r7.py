"""Notebook 00, round 7: what its new numbers rest on.

* Results check 7 now asserts "reweighting moved the cut, not the ranking": the balanced model's bag AUROC
  stays within 0.02 of the unweighted one (cpu and full; 0.03 under smoke). The committed cpu seeds must sit
  well inside that margin.
* Section 5's "fine point" counts how many validation scores ``np.percentile`` lands too low, from
  :func:`ganad_lib.exercises.flag_probability`: ``ceil((p - alpha) (n + 1))``. That count must equal the
  number of validation scores between the interpolated threshold and the exact order statistic.
"""

import json
import math
from pathlib import Path

import numpy as np
import pytest

from ganad_lib import exercises

SEEDS = Path(__file__).resolve().parents[1] / "results" / "cpu" / "nb00_seeds.json"
CHECK7_SAME_CPU = 0.02   # results check 7: |balanced minus unweighted bag AUROC| below this (cpu, full)


def n_low_as_in_notebook(val_scores, percentile):
    """Notebook 00, Section 5 (the histogram cell): validation scores np.percentile lands too low."""
    alpha = 1 - percentile / 100
    flag_p = exercises.flag_probability(val_scores, np.percentile(val_scores, percentile))
    return max(int(np.ceil((flag_p - alpha) * (len(val_scores) + 1) - 1e-9)), 0)


def n_low_by_ranks(val_scores, percentile):
    """The same count from the ranks: the exact rule takes the k-th smallest score, k = ceil((n + 1) q)."""
    n = len(val_scores)
    k = math.ceil((n + 1) * percentile / 100 - 1e-9)
    below = int((np.asarray(val_scores) <= np.percentile(val_scores, percentile)).sum())
    return max(k - below, 0)


def test_reweighting_keeps_the_bag_auroc_in_every_committed_seed():
    seeds = json.loads(SEEDS.read_text())
    shifts = [abs(s["bal_bag_auroc"] - s["sup_bag_auroc"]) for s in seeds["per_seed"]]
    assert len(shifts) == 5
    # the check's margin is at least three times the largest shift measured
    assert 3 * max(shifts) < CHECK7_SAME_CPU, shifts


@pytest.mark.parametrize("percentile", [80.0, 90.0, 95.0, 99.0])
def test_the_count_from_flag_probability_matches_the_ranks(percentile):
    rng = np.random.default_rng(0)
    for n in range(20, 701, 7):
        val = rng.normal(size=n)
        assert n_low_as_in_notebook(val, percentile) == n_low_by_ranks(val, percentile), (n, percentile)


def test_at_the_95th_percentile_np_percentile_is_one_or_two_scores_low():
    rng = np.random.default_rng(1)
    for n in range(20, 701):
        assert n_low_as_in_notebook(rng.normal(size=n), 95.0) in (1, 2), n


def test_section_5s_case_600_validation_scores_is_one_score_low():
    val = np.random.default_rng(2).normal(size=600)
    assert n_low_as_in_notebook(val, 95.0) == 1
    # an exact threshold (the 571st smallest of 600) is not low at all
    exact = np.sort(val)[570]
    assert exercises.flag_probability(val, exact) <= 0.05
