"""Notebook 03, sixth review: verdicts read from the interval ends themselves (no Monte-Carlo ranges)."""
import numpy as np

from ganad_lib import narration as n


def test_paired_label_without_wobble_reads_the_ends_as_they_are():
    # (difference, 95 % low, high, widened low, high, images)
    assert n.paired_label((-0.05, -0.10, -0.02, -0.12, -0.001, 256)) == n.BEYOND      # widened upper end below 0
    assert n.paired_label((-0.05, -0.10, -0.02, -0.12, +0.001, 256)) == n.WEAK        # only the 95 % one excludes 0
    assert n.paired_label((-0.01, -0.04, +0.002, -0.05, +0.01, 256)) == n.TIED
    assert n.paired_label((0.06, 0.04, 0.09, 0.001, 0.10, 512)) == n.BEYOND          # mirrored: lower ends decide
    assert n.paired_label((0.06, 0.04, 0.09, -0.001, 0.10, 512)) == n.WEAK
    assert n.paired_label((0.06, -0.001, 0.09, -0.01, 0.10, 512)) == n.TIED
    # an end exactly at 0 does not exclude it
    assert n.paired_label((0.06, 0.04, 0.09, 0.0, 0.10, 512)) == n.WEAK


def test_paired_label_with_wobble_still_marks_the_edge():
    edge = (-0.05, -0.10, -0.02, -0.12, -0.001, 256)
    w = np.array([[e - 0.002, e + 0.002] for e in edge[1:5]])
    assert n.paired_label(edge, w) == n.EDGE_BEYOND
    assert n.paired_label(edge) == n.BEYOND


def test_plain_words_of_the_simple_labels():
    assert n.plain_verdict(n.paired_label((-0.05, -0.10, -0.02, -0.12, -0.001, 256))) == "*beyond the noise*"
    assert n.plain_verdict(n.paired_label((-0.05, -0.10, -0.02, -0.12, +0.001, 256))) == "*weak evidence*"


def test_beyond_the_noise_only_just_when_the_widened_end_is_near_zero():
    # (difference, 95 % low, high, widened low, high, images): pointing down, the widened high end decides
    near = (-0.02, -0.035, -0.006, -0.040, -0.001, 1500)
    far = (-0.05, -0.07, -0.03, -0.08, -0.02, 1500)
    text = n.paired_verdict(near, None, 5, "99 %")
    assert text.startswith(n.BEYOND) and "only just: it ends at -0.0010" in text
    assert "only just" not in n.paired_verdict(far, None, 5, "99 %")
    up = (0.02, 0.006, 0.035, 0.004, 0.040, 1500)   # pointing up: the widened low end, +0.004, decides
    assert "only just: it ends at +0.0040" in n.paired_verdict(up, None, 5, "99 %")


def test_only_just_marks_a_beyond_verdict_whose_widened_end_is_near_zero():
    assert n.only_just((-0.06, -0.106, -0.016, -0.120, -0.001, 256)) == ", only just (its widened interval ends at -0.001)"
    assert n.only_just((-0.07, -0.116, -0.027, -0.131, -0.014, 256)) == ""           # well clear of 0
    assert n.only_just((-0.05, -0.10, -0.02, -0.12, +0.001, 256)) == ""              # weak evidence: no hedge
    assert n.only_just((0.03, 0.01, 0.05, 0.004, 0.06, 256)).endswith("ends at +0.004)")
    bullets = n.lambda_sweep_bullets(0.1, {0.1: 0.902, 1: 0.841, 0.5: 0.831},
                                     {0.5: (-0.070, -0.116, -0.027, -0.131, -0.014, 256),
                                      1: (-0.060, -0.106, -0.016, -0.120, -0.001, 256)},
                                     {0.5: n.BEYOND, 1: n.BEYOND}, 256)
    assert "λ = 1: 0.841, -0.060 against λ = 0.1, *beyond the noise*, only just (its widened interval ends at -0.001)." \
        in bullets
    assert "λ = 0.5: 0.831, -0.070 against λ = 0.1, *beyond the noise*.\n" in bullets
