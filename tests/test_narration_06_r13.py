"""Round 13 of notebook 06: intervals apart without a verdict are explained by Holm's adjustment when the raw
paired p passes the level (multiplicity, not another question), and 'no significant difference' is never written
'no difference'."""
from test_comparison_06_r7 import iv, paired

from ganad_lib import narration

NORMAL = [paired("ganomaly", "pca", "mnist", -1, wins=0, p_adj=0.016, mean_diff=-0.22),
          paired("ganomaly", "knn", "mnist", -1, wins=0, p_adj=0.016, mean_diff=-0.21)]
CMS_N = {"mnist": {"ganomaly": iv(0.726, 0.406, 1.046), "pca": iv(0.947, 0.946, 0.949), "knn": iv(0.934, 0.929, 0.94)}}
# GANomaly and Autoencoder on MNIST, one class anomalous: raw p 0.02 (8 of 10 classes), Holm-adjusted 0.14
HOLM = [paired("ganomaly", "autoencoder", "mnist", 0, wins=8, p_adj=0.14, mean_diff=0.12, p=0.02)]
RANKS = [paired("ganomaly", "autoencoder", "mnist", 0, wins=6, p_adj=1.0, mean_diff=0.12, p=0.3)]
CMS = {"mnist": {"ganomaly": iv(0.770, 0.737, 0.802), "autoencoder": iv(0.646, 0.619, 0.674)}}


def test_interval_lesson_blames_holm_when_the_raw_p_passes():
    text = narration.interval_lesson(HOLM, CMS, NORMAL, CMS_N, 0.05)
    assert "puts PCA above GANomaly on MNIST although their intervals overlap (Section 6, one class normal)." in text
    assert ("The reverse, intervals apart but no significant difference (GANomaly and Autoencoder on MNIST, "
            "Section 4), comes from Holm's adjustment for the family of tests: the raw paired p is 0.02.") in text
    assert "no difference" not in text.replace("no significant difference", "")
    assert "even before" not in text
    # the wrong branch: a raw p above the level is not Holm's doing
    ranks = narration.interval_lesson(RANKS, CMS, NORMAL, CMS_N, 0.05)
    assert "Holm's adjustment for the family" not in ranks
    assert ("GANomaly and Autoencoder on MNIST have intervals apart but no significant difference even before "
            "Holm's adjustment (raw p = 0.3; Section 4).") in ranks
    # a stricter level moves the same row to the other branch
    assert "even before" in narration.interval_lesson(HOLM, CMS, NORMAL, CMS_N, 0.01)


def test_overlap_note_names_the_reverse_as_multiplicity():
    text = narration.overlap_yet_significant(NORMAL, CMS_N, HOLM, CMS, alpha=0.05)
    assert text.endswith("The reverse, intervals apart but no significant difference (GANomaly and Autoencoder on "
                         "MNIST, Section 4's fold), comes from Holm's adjustment for the family: their raw paired p "
                         "is 0.02.")
    ranks = narration.overlap_yet_significant(NORMAL, CMS_N, RANKS, CMS, alpha=0.05)
    assert "comes from Holm's adjustment" not in ranks and "even before Holm's adjustment" in ranks
    assert "no significant test" not in text + ranks


def test_family_fold_says_holm_removes_the_verdict_only_where_the_raw_p_passes():
    text = narration.family_details_by_class(HOLM, CMS, "", 0.05)
    assert ("GANomaly and Autoencoder on MNIST (Section 3: 0.770 [0.737, 0.802] against 0.646 [0.619, 0.674]; here "
            "Holm-adjusted p = 0.14, raw p = 0.02: Holm's adjustment for the family removes the verdict).") in text
    ranks = narration.family_details_by_class(RANKS, CMS, "", 0.05)
    assert "here Holm-adjusted p = 1)." in ranks and "removes the verdict" not in ranks


def test_normal_reading_tells_to_read_the_dots():
    rows = [{"dataset": "mnist", "n_train": 450, "method": "knn", "protocol": "one_class_normal"}]
    per_class = {"mnist": {"pca": [iv(0.95, 0.93, 0.97)] * 10, "knn": [iv(0.93, 0.9, 0.96)] * 10}}
    seeds = {"mnist": {"pca": {0: 0.95, 1: 0.94, 2: 0.96}}}
    assert "Where whiskers run off the axis, read the dots." in narration.normal_reading(rows, per_class, seeds, {},
                                                                                         dots=True)
    assert "read the dots" not in narration.normal_reading(rows, per_class, seeds, {})
