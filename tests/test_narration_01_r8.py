"""Round 8 of notebook 01: the slow D's flatness reading says when it was measured on a larger plane, and the
judge's reading names the untrained generator's flat grey images."""
from ganad_lib import narration


def _slow(**kw):
    return narration.slow_d([0, 1], ["collapsed", "collapsed"], [0.05, 0.05], [0.06, 0.3], [2.5, 6.0], 2.0,
                            [0.1, 0.26], 0.68, **kw)


def test_slow_d_says_the_larger_plane_can_only_widen_the_range():
    wide = _slow(plane_wider=True)
    assert ("varies by at most 0.26 over the drawn plane (measured on its larger plane, which can only widen it), "
            "against 0.68 for the balanced run: it has learned too little") in wide
    same = _slow()
    assert "larger plane" not in same and "at most 0.26 over the drawn plane, against 0.68" in same
