"""Notebook 06, Exercise 4 after the sixth review round: Section 9's budget study and Section 6's other-protocol
study both hold class-level paired differences, so an answer that merely calls them is refused, like one that
calls ``comparison.class_paired_comparisons``; the reference answer still passes."""

import numpy as np
from exercise_helpers import failed_with

from ganad_lib import comparison, exercises


def with_protocol(rows):
    return [dict(r, protocol="one_class_normal") for r in rows]


def test_class_differences_refuses_the_budget_studys_full_size_tests():
    # the same rows as both budgets: the full-size-budget family's GANomaly - kNN test carries the differences
    def via_full_tests(rows, a, b, dataset):
        st = comparison.budget_study(with_protocol(rows), with_protocol(rows), dataset=dataset)
        return [r for r in st.full_tests if (r.method, r.baseline) == (a, b)][0].diffs

    failed_with(exercises.check_class_differences(via_full_tests), "budget_study")


def test_class_differences_refuses_the_budget_studys_per_class_effects():
    # b's rows as the grid budget and a's as the full-size budget, both renamed: "full - grid" per class is a - b
    def via_effects(rows, a, b, dataset):
        small = [dict(r, method="knn") for r in rows if r["method"] == b]
        full = [dict(r, method="knn") for r in rows if r["method"] == a]
        return list(comparison.budget_study(small, full, dataset=dataset).effects["knn"]["per_class"].values())

    failed_with(exercises.check_class_differences(via_effects), "budget_study")


def test_class_differences_refuses_the_other_protocol_study():
    def via_other(rows, a, b, dataset):
        tests = comparison.other_protocol(with_protocol(rows)).tests
        return [r for r in tests if (r.method, r.baseline, r.dataset) == (a, b, dataset)][0].diffs

    failed_with(exercises.check_class_differences(via_other), "other_protocol")


def test_the_shortcut_would_otherwise_pass_and_the_reference_still_does():
    # the shortcut is real: its numbers match the reference's (so only the refusal stops it)
    rows, a, b, d = exercises._pair_rows(__import__("torch").Generator().manual_seed(7))
    small = [dict(r, method="knn") for r in rows if r["method"] == b]
    full = [dict(r, method="knn") for r in rows if r["method"] == a]
    got = list(comparison.budget_study(small, full, dataset=d).effects["knn"]["per_class"].values())
    assert np.allclose(got, exercises._reference_class_differences(rows, a, b, d))

    def own(rows, a, b, dataset):
        out = []
        for c in sorted({r["class"] for r in rows if r["dataset"] == dataset and r["method"] == a}):
            va = {r["seed"]: r["auroc"] for r in rows if (r["dataset"], r["class"], r["method"]) == (dataset, c, a)}
            vb = {r["seed"]: r["auroc"] for r in rows if (r["dataset"], r["class"], r["method"]) == (dataset, c, b)}
            both = sorted(set(va) & set(vb))
            if both:
                out.append(np.mean([va[s] for s in both]) - np.mean([vb[s] for s in both]))
        return out

    assert exercises.check_class_differences(own).passed
