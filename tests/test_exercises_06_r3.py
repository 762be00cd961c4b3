"""Notebook 06's exercises after the third review round: the helpers the notebook used to define in plain view
(the per-seed class means, the per-class differences of the test done by hand) now come from the library, and a
learner's answer that merely calls them, or copies the notebook's cell, is refused."""

import numpy as np
from exercise_helpers import failed_with

from ganad_lib import comparison, exercises


def helper(rows, dataset):
    return comparison.seed_means(rows, dataset)


def through_helper(rows, method, dataset):
    return float(np.mean(list(helper(rows, dataset)[method].values())))


def test_mean_auroc_refuses_the_librarys_seed_means():
    # what notebook 06's Section 3 cell used to make easy: the mean of the per-seed class means
    def copied(rows, method, dataset):
        return float(np.mean(list(comparison.seed_means(rows, dataset)[method].values())))

    failed_with(exercises.check_mean_auroc(copied), "seed_means")

    # ... also through a helper of the learner's own, defined beside it (as in a notebook)
    failed_with(exercises.check_mean_auroc(through_helper), "seed_means")


def test_class_differences_refuses_the_test_by_hand_cell():
    # Section 4's "one test by hand" now starts from the library's per-class differences: copying it is refused
    def copied(rows, a, b, dataset):
        lib = {(r.method, r.baseline, r.dataset): r for r in comparison.class_paired_comparisons(rows)}.get((a, b, dataset))
        return np.asarray(lib.diffs)

    failed_with(exercises.check_class_differences(copied), "class_paired_comparisons")
