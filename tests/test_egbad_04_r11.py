"""Notebook 04 after review 11: the fit reading of Section 2 (class-level shapes, not a linear reading of a
correlation) and the lit area's scale in Section 3; after review 12, Section 3 places the exception's lit area among
all the normal test images."""
import numpy as np

from ganad_lib import narration

LABELS = ["Sandal", "Ankle boot", "Ankle boot", "Sneaker"]
SCORE = [163.4, 115.5, 331.7, 134.5, 304.7, 270.9, 335.1, 278.7]
LG = [160.3, 113.5, 340.6, 134.2, 316.3, 272.1, 350.6, 287.3]
LD = [191.9, 133.5, 251.4, 137.5, 200.4, 259.9, 195.7, 201.6]
LIT = [74, 187, 307, 159]
ALL = np.linspace(60, 360, 1929)


def test_fit_reading_class_level_shapes_when_the_class_survives():
    text = narration.egbad_fit_reading(0.80, 0.68, kept=0.543, chance=0.111)
    assert text.startswith("Over the normal test images the median pixel correlation of $x$ and $G(E(x))$ is 0.80, "
                           "against 0.68 for the mean training image")
    assert "and 1 for a copy." in text
    assert ("So the reconstructions are class-level shapes, not copies: the judge's class survives in 54% of the "
            "images (chance 11%), the detail does not") in text
    for wrong in ("loose", "average silhouette", "nearly copies", "rough shapes"):
        assert wrong not in text, wrong


def test_fit_reading_other_branches():
    rough = narration.egbad_fit_reading(0.80, 0.68, kept=0.15, chance=0.11)      # class hardly kept
    assert "rough shapes, not copies" in rough and "class-level" not in rough and "survives" not in rough
    assert "rough shapes, not copies" in narration.egbad_fit_reading(0.80, 0.68)  # no judge numbers given
    copy = narration.egbad_fit_reading(0.97, 0.68, kept=0.9, chance=0.1)
    assert "nearly copies of their inputs" in copy and "not copies" not in copy
    flat = narration.egbad_fit_reading(0.60, 0.68, kept=0.5, chance=0.1)
    assert "no better than an average silhouette" in flat and "class-level" not in flat


def test_open_score_reading_names_whose_median_and_the_tile():
    text = narration.egbad_open_score_reading(LABELS, SCORE, LG, LD, l_g_all=ALL, rho_normal=0.05, lit=LIT,
                                              rho_bags=0.40, tile=1024)
    assert "(lit area 307; median lit area of the four normal images: 173; an all-white tile: 1,024)" in text
    bare = narration.egbad_open_score_reading(LABELS, SCORE, LG, LD, l_g_all=ALL, rho_normal=0.05, lit=LIT)
    assert "(lit area 307; median lit area of the four normal images: 173)" in bare and "all-white" not in bare


def _read(lit_all):
    return narration.egbad_open_score_reading(LABELS, SCORE, LG, LD, l_g_all=ALL, rho_normal=0.05, lit=LIT,
                                              rho_bags=0.40, tile=1024, lit_all=lit_all)


def test_lit_area_placed_among_all_normal_images():
    lit_all = np.arange(1, 101) * 4.0                 # 76 of 100 images below 307
    text = _read(lit_all)
    assert "(lit area 307, above 76% of the normal test images'; an all-white tile: 1,024)" in text
    assert "median lit area of the four" not in text
    assert ": a big image, but above all a poor reconstruction" in text


def test_small_among_all_normal_images_is_not_called_big():
    lit_all = np.arange(1, 101) * 10.0                # 30 of 100 images below 307: under the median of all
    text = _read(lit_all)
    assert "above 30% of the normal test images'" in text
    assert "a big image, but" not in text and ": a poor reconstruction, not a big image" in text


def test_without_lit_all_the_old_wording_stays():
    assert "(lit area 307; median lit area of the four normal images: 173; an all-white tile: 1,024)" in _read(None)
