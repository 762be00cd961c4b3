"""Notebook 04 after review 9: the fit reading of Section 2 and the per-image reading moved into Section 3."""
import numpy as np

from ganad_lib import narration

LABELS = ["Sandal", "Ankle boot", "Ankle boot", "Sneaker"]
SCORE = [163.4, 115.5, 331.7, 134.5, 304.7, 270.9, 335.1, 278.7]
LG = [160.3, 113.5, 340.6, 134.2, 316.3, 272.1, 350.6, 287.3]
LD = [191.9, 133.5, 251.4, 137.5, 200.4, 259.9, 195.7, 201.6]
LIT = [74, 187, 307, 159]
ALL = np.linspace(60, 360, 1929)              # the normal test images' L_G: 341 sits near the top


def open_score(**kw):
    args = dict(l_g_all=ALL, rho_normal=0.05, lit=LIT, rho_bags=0.40)
    args.update(kw)
    return narration.egbad_open_score_reading(LABELS, SCORE, LG, LD, **args)


# the fit reading's tests moved to test_egbad_04_r11.py (its wording changed after review 11)


def test_open_score_reading_reads_the_exception_with_lit_area_and_rho():
    text = open_score()
    assert "the exception is the third tile, whose $L_G$, 341, is above" in text
    assert "(lit area 307; median lit area of the four normal images: 173)" in text
    assert ": a big image, but above all a poor reconstruction." in text and "not a big image" not in text
    assert ("Across the normal test images $L_G$ hardly follows lit area (Spearman ρ = 0.05; among the bags "
            "ρ = 0.40, so size matters more for images $G$ never learned)") in text
    assert "pixels there are to miss" not in text


def test_open_score_reading_branches_on_size_and_rho():
    small = open_score(lit=[74, 187, 20, 159])
    assert "a poor reconstruction, not a big image" in small and "above all" not in small
    same_bags = open_score(rho_bags=0.10)
    assert "among the bags ρ = 0.10" in same_bags and "size matters more" not in same_bags
    strong = open_score(rho_normal=0.62)
    assert "$L_G$ follows lit area (Spearman ρ = 0.62" in strong and "pixels there are to miss" in strong
    assert "poor reconstruction" not in strong and "hardly" not in strong
    bare = open_score(lit=None, rho_bags=None)
    assert "lit area 307" not in bare and "among the bags" not in bare and "hardly follows lit area" in bare
