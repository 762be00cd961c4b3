"""Notebook 03, review 12: folding a reading's detail into a <details> box."""
from ganad_lib import narration

READING = ("**What to see.**\n\n* first\n* second, with\n  a continuation\n* third\n* fourth\n")


def test_split_bullets_keeps_continuations():
    head, items = narration.split_bullets(READING)
    assert head == "**What to see.**"
    assert items == ["* first", "* second, with\n  a continuation", "* third", "* fourth"]
    assert narration.split_bullets("* only\n")[0] == ""


def test_fold_bullets_keeps_the_first_and_folds_the_rest():
    out = narration.fold_bullets(READING, keep=2, summary="More")
    visible, hidden = out.split("<details>")
    assert "* first" in visible and "a continuation" in visible
    assert "* third" not in visible and "* fourth" not in visible
    assert hidden.startswith("<summary>More</summary>") and "* third\n* fourth" in hidden
    assert out.endswith("</details>")


def test_fold_bullets_tails_and_last():
    out = narration.fold_bullets(READING, keep=0, keep_last=1, summary="S", visible_tail="\nshown after",
                                 hidden_tail="* extra")
    visible, hidden = out.split("<details>")
    assert "* fourth" in visible and "shown after" in visible and "* first" not in visible
    assert visible.index("* fourth") < visible.index("shown after")
    assert "* first" in hidden and "* third" in hidden and hidden.index("* third") < hidden.index("* extra")


def test_fold_bullets_without_anything_to_fold_has_no_box():
    out = narration.fold_bullets(READING, keep=4, summary="S")
    assert "<details>" not in out and out.count("* ") == 4
    assert narration.fold_bullets(READING, keep=9, summary="S", hidden_tail="* x").count("<details>") == 1


def test_fold_bullets_a_bullet_tail_continues_the_list():
    out = narration.fold_bullets(READING, keep=1, summary="S", visible_tail="\n* tail bullet\n\nA paragraph.")
    assert "* first\n* tail bullet\n\nA paragraph." in out
    out = narration.fold_bullets(READING, keep=1, summary="S", visible_tail="A paragraph.")
    assert "* first\n\nA paragraph." in out
