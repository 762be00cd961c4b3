"""Notebook 03's round-5 readings: which of the figure's pasted flaws the residual map hit."""
from ganad_lib import narration


def test_shown_flaws_reading_names_hits_misses_and_falls():
    panels = [(1, "spot", False, 0.41, 164.0, 158.0), (1, "hole", True, 1.60, 164.0, 239.0),
              (2, "spot", True, 1.25, 124.0, 237.0), (2, "hole", False, 0.30, 124.0, 145.0)]
    text = narration.shown_flaws_reading(panels)
    assert text == (" In the figure, the hole on image 1 and the spot on image 2 are hits; the spot on image 1 and the hole "
                    "on image 2 are misses, the fainter ones (pixel change 0.41 and 0.30 against 1.60 and 1.25); the "
                    "score of the spot on image 1 even falls (164 → 158).")


def test_shown_flaws_reading_when_a_miss_is_not_fainter_or_all_hit():
    panels = [(1, "spot", False, 1.9, 100.0, 120.0), (1, "hole", True, 1.2, 100.0, 130.0)]
    text = narration.shown_flaws_reading(panels)
    assert "the hole on image 1 is a hit; the spot on image 1 is a miss, yet not the fainter" in text
    assert "falls" not in text
    all_hit = narration.shown_flaws_reading([(1, "spot", True, 1.0, 10.0, 20.0), (2, "hole", True, 0.8, 10.0, 9.0)])
    assert all_hit == (" In the figure the map hits all 2 flaws shown (pixel change 1.00 and 0.80); the score of the "
                       "hole on image 2 even falls (10 → 9).")
    assert narration.shown_flaws_reading([]) == ""
