"""Notebook 02, review round 8: the prose cells rewritten after it. Each collapsed cell is run on fed numbers
(display and Markdown replaced by a capture), so that every branch says what its numbers say; and Section 6
keeps its structure (four ### steps, an "In short" before Section 7)."""
import json
from pathlib import Path

import numpy as np
import pytest

NB = Path(__file__).resolve().parents[1] / "notebooks" / "02_bigan.ipynb"
CELLS = json.loads(NB.read_text())["cells"]


def _cell(start: str) -> str:
    found = [c for c in CELLS if "".join(c["source"]).startswith(start)]
    assert len(found) == 1, start
    return "".join(found[0]["source"])


def _run(source: str, **numbers) -> str:
    shown = []
    exec(source, {"display": shown.append, "Markdown": str, "np": np, **numbers})
    return "\n".join(shown)


# ---------------------------------------------------------------- Section 8's "In short" (review SHOULD 3)
PROBE = _cell("probe_words = (f\"linear probe")


def _probe(codes=0.76, pixels=0.75, untrained=0.69, p_pixels=0.631, p_untrained=6e-5, bags=0.66, bags_pixels=0.75):
    return _run(PROBE, probe={"long-trained": codes, "pixels": pixels, "untrained": untrained},
                clear={"pixels": codes > pixels and p_pixels < 0.05, "untrained": codes > untrained and p_untrained < 0.05},
                mcnemar={"pixels": p_pixels}, p_text=lambda p: f"{p:.3g}", bag_nbr_share=bags,
                bag_nbr_pixels=bags_pixels, n_embed=600, n_bags_shown=66)


def test_the_run_s_numbers_claim_no_grouping_beyond_the_pixels():
    text = _probe()
    assert "add no grouping measurable beyond what the raw pixels already have" in text
    assert "0.76 against the pixels' 0.75" in text and "66% of a bag's 5 nearest codes are bags, 75%" in text
    assert "they do beat random weights (+0.07)" in text
    assert "even the bags" not in text and "better" not in text


def test_codes_that_beat_the_pixels_are_said_to():
    text = _probe(codes=0.85, p_pixels=0.001, bags=0.9)
    assert "add no grouping" not in text
    assert "group garments better (linear probe 0.85" in text and "and bags more tightly (90%" in text


def test_looser_bags_with_better_garments_say_both():
    text = _probe(codes=0.85, p_pixels=0.001, bags=0.5)
    assert "group garments better (" in text and "and bags less tightly (50%" in text


def test_codes_no_better_than_random_weights():
    assert "nor do they clearly beat random weights" in _probe(untrained=0.75, p_untrained=0.4)


# ---------------------------------------------------------------- Section 6's "In short" (review SHOULD 1)
SEC6 = _cell('display(Markdown(\n    "**In short:**\\n\\n"\n    "* *Codes:* the code "')


def _sec6(r2=0.072, r2_pixels=0.202, img_rt=0.19, img_mate=0.28, length=1.09, tell_apart=1.0, move_code=0.026,
          move_image=0.334):
    return _run(SEC6, r2={"long-trained": r2}, inverts=r2 >= 0.2, r2_pixels=r2_pixels, img_rt=img_rt,
                img_mate=img_mate, code_length={"long-trained": length}, tell_apart=tell_apart,
                move_code=move_code, move_image=move_image)


def test_section_6_in_short_on_the_run_s_numbers():
    text = _sec6()
    assert "does not come back (held-out $R^2$ 0.07; a linear read of $G(z)$'s pixels gets 0.20)" in text
    assert "a similar image does (0.19 per pixel" in text and "0.28 to another sample" in text
    assert "have the prior's length but not its distribution" in text and "accuracy 1.00" in text
    assert "reads mostly the image" in text and "13 times more" in text


def test_section_6_in_short_other_branches():
    text = _sec6(r2=0.5, img_rt=0.27, length=0.5, tell_apart=0.55, move_code=0.2, move_image=0.3)
    assert "comes back in part" in text and "nor does the image" in text
    assert "do not have the prior's length" in text and "roughly its distribution too" in text
    assert "weighs the code too" in text and "reads mostly the image" not in text


# ---------------------------------------------------------------- explanation 1 and the side study (SHOULD 6)
EXPL = _cell("expl2 = (")


@pytest.mark.parametrize("gain, said", [(0.08, True), (0.01, False)])
def test_explanation_1_points_to_batch_statistics_only_when_they_help(gain, said):
    text = _run(EXPL, rt_ratio=0.67, real_ratio=0.70, move_image=0.334, move_code=0.026, r2_pixels=0.2,
                r2={"long-trained": 0.07}, below_ceiling=True, img_rt=0.19, d_real_vs_gen=0.884,
                d_batch_stats=0.884 + gain, d_eval_live=0.913, d_batch_live=0.913 + gain, d_mixed=0.89, xv=range(256))
    assert ("A candidate cause, from the side study below" in text) is said
    assert "0.884 → 0.964" in text if said else "→" not in text.split("Optional side study")[0]


# ---------------------------------------------------------------- structure (SHOULD 1, 5; NIT 2)
def _texts():
    return ["".join(c["source"]) for c in CELLS]


def test_section_6_steps_are_headings_and_it_ends_in_short():
    texts = _texts()
    start = next(i for i, t in enumerate(texts) if "## 6 · Codes" in t)
    end = next(i for i, t in enumerate(texts) if t.startswith("## 7 ·"))
    section = "\n".join(texts[start:end])
    for step in ("### The code round trip", "### The image round trip", "### Codes against prior draws",
                 "### What does $D$ look at?"):
        assert step in section, step
    assert texts[end - 1].startswith('display(Markdown(\n    "**In short:**')


def test_what_to_see_comes_right_after_its_figure():
    texts = _texts()
    loss_fig = next(i for i, t in enumerate(texts) if t.startswith("smooth = max(1"))
    assert texts[loss_fig + 1].startswith("**What to see.** Left:") and "Right:" in texts[loss_fig + 1]
    embed_fig = next(i for i, t in enumerate(texts) if t.startswith("from sklearn.manifold import TSNE"))
    assert texts[embed_fig + 1].startswith("**What to see.** In t-SNE")
