"""Notebook 01's readings added in review round 5: the latent walk's dimming read against its control (the same
line at norm sqrt(n_z)); Going deeper (c) compares the verdict's sharpness ratio with another draw of z."""

import numpy as np

from ganad_lib import narration

TS = list(np.linspace(0, 1, 9))
NAMES = ["Ankle boot"] * 6 + ["Sneaker"] * 3
NORMS = [9.1, 7.8, 6.8, 6.1, 5.9, 6.3, 7.1, 8.2, 9.5]
WALK = [242, 227, 203, 189, 174, 160, 167, 192, 212]


def test_dip_below_ends():
    assert narration.dip_below_ends(WALK) == (52.0, 5)
    assert narration.dip_below_ends([245, 241, 233, 231, 213, 197, 186, 203, 215]) == (29.0, 6)
    assert narration.dip_below_ends([200, 230, 240, 210])[0] == 0.0


def test_latent_walk_control_says_how_much_the_norm_explains():
    part = narration.latent_walk_control(NAMES, NORMS, 100, WALK, [245, 241, 233, 231, 213, 197, 186, 203, 215], TS)
    assert "Ankle boot and $z_1$'s Sneaker; the class changes once" in part
    assert "falls to 5.9 on the way ($\\sqrt{n_z}$ = 10.0)" in part
    assert "from 242 at $z_0$ to 160 at t = 0.625 and 212 at $z_1$, 52 below the dimmer end" in part
    assert "the darkest middle image is 186 (t = 0.75), 29 below its dimmer end" in part
    assert "explains part of the dimming, not all of it" in part and "visible cost" not in part
    gone = narration.latent_walk_control(NAMES, NORMS, 100, WALK, [242, 240, 238, 236, 232, 228, 224, 220, 212], TS)
    assert "middle is no darker than the ends" in gone and "the dimming disappears, so the low norm explains it" in gone
    stays = narration.latent_walk_control(NAMES, NORMS, 100, WALK, [242, 227, 203, 189, 174, 165, 167, 192, 212], TS)
    assert "47 below its dimmer end" in stays and "the low norm does not explain it" in stays
    flat = narration.latent_walk_control(["Coat"] * 9, NORMS, 100, [240] * 9, [240] * 9, TS)
    assert "one class" in flat and "no dip" in flat and "rescaled" not in flat

