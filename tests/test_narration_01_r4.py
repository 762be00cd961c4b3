"""Notebook 01's reading added in review round 4: Going deeper (d) is one claim a bullet."""

from ganad_lib import narration


def _gap(**kw):
    args = dict(factor="33", share_trained=0.96, c_ep=24, n_epochs=32, raw_first=456.7, raw_c=22.2, avg_c=17.4,
                noise=3.7, n_draws=5, ahead_from=19, like=True, fewer_images=True, build_frechet=15.4,
                build_floor_inside=True, above_as_here=True)
    return narration.gap_bullets(**dict(args, **kw))


def test_gap_bullets_one_claim_each():
    text = _gap()
    lines = text.split("\n")
    assert lines[0] == "* (d) Where the gap to your run (33 times in d²) comes from:"
    assert all(line.startswith("    * ") for line in lines[1:]) and len(lines) == 7
    assert "More training explains nearly all of it: by epoch 24" in text and "from 456.7" in text and "to 22.2." in text
    assert "Averaging took 4.8 more (22%, to 17.4): about the size of the draw-to-draw noise" in text
    assert "(3.7 over 5 draws of $z$), but the average is ahead at every epoch from 19 to 24." in text
    assert "falls to 0 over epochs 25–32" in text and "a like-for-like pair" in text
    assert "fewer images, more often" in text and "scored 15.4 against these test images, above the floor's range" in text
    assert "lay inside this notebook's floor range" in text


def test_gap_bullets_follow_the_numbers():
    text = _gap(share_trained=0.4, c_ep=32, avg_c=21.0, ahead_from=None, like=False, fewer_images=False,
                build_floor_inside=False, above_as_here=False)
    assert "explains less than half of it" in text and "Averaging took 1.2 more" in text
    assert "within the draw-to-draw noise" in text and "ahead at every epoch" not in text
    assert "Later epochs" not in text and "not a like-for-like pair" in text and "more often" not in text
    assert "above the floor's range" not in text and "lay outside" in text
    assert "beyond the draw-to-draw noise" in _gap(avg_c=10.0) and "explains most of it" in _gap(share_trained=0.6)
