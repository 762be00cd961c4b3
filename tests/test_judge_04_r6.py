"""collapse_audit (ganad_lib.judge), the audit notebook 04 prints in Section 2."""

import math

import numpy as np
import pytest
import torch

from ganad_lib import judge as J

CLASSES = ("T-shirt", "Dress", "Trouser")


class FakeJudge:
    """Reads the class off pixel (0, 0): value k / 10 is class k; features are the pixels."""

    classes = CLASSES

    def predict(self, images):
        return np.rint(torch.as_tensor(images)[:, 0, 0, 0].numpy() * 10).astype(int)

    def features(self, images):
        return torch.as_tensor(images).flatten(1).float().numpy()


def make_inputs(n=60, size=8, seed=0):
    g = torch.Generator().manual_seed(seed)
    x = torch.rand(n, 1, size, size, generator=g) * 2 - 1
    labels = torch.arange(n) % 3
    x[:, 0, 0, 0] = labels / 10
    return x, labels


def test_identity_reconstruction_is_as_varied_and_keeps_every_class():
    x, _ = make_inputs()
    a = J.collapse_audit(FakeJudge(), x, {"same": x.clone()}, min_class=5)
    assert a.kept["same"] == 1.0 and a.chance["same"] < 0.6
    assert a.variety["same"] == pytest.approx(1.0) and a.pixel_variety["same"] == pytest.approx(1.0)
    assert a.verdict("same") == "as varied as the inputs" and not a.few_shapes("same")
    assert a.merged["same"] == [] and a.merges("same") == ""
    assert a.describe("same") == ("no collapse onto one image or a few shapes (variety 1.00), "
                                  "and no class merges into another")
    assert a.over("same") == pytest.approx(1.0)


def test_one_image_for_all_is_a_collapse_with_no_two_prototype_share():
    x, _ = make_inputs()
    rec = x[:1].repeat(len(x), 1, 1, 1)
    a = J.collapse_audit(FakeJudge(), x, {"flat": rec}, min_class=5)
    assert a.variety["flat"] < 1e-2 and a.pixel_variety["flat"] == 0
    assert math.isnan(a.two_prototypes["flat"]) and not a.few_shapes("flat")
    assert a.verdict("flat") == "one image for every input, a collapse"
    assert a.top("flat") == (0, 1.0) and a.over("flat") == pytest.approx(3.0)
    assert a.kept["flat"] == pytest.approx(1 / 3)
    assert a.describe("flat").startswith("one image for every input, a collapse (variety 0.00); merged classes: ")
    assert a.table(full=True).splitlines()[1].endswith(" -")      # no two-prototype share for a flat set


def test_merged_classes_are_named_in_the_main_phrase():
    x, labels = make_inputs()
    rec = x.clone()
    dress, trouser = labels == 1, labels == 2
    rec[dress] = x[trouser][: int(dress.sum())]            # every dress comes back as a trouser image
    a = J.collapse_audit(FakeJudge(), x, {"m": rec}, min_class=5)
    assert a.merged["m"] == [(1, 2, 1.0)]
    assert a.top("m") == (2, pytest.approx(2 / 3)) and a.over("m") == pytest.approx(2.0)
    assert a.verdict("m") == "as varied as the inputs"
    assert a.describe("m").endswith("but some classes merge: 100% of the dresses come back as Trouser")
    # a class with too few images is not audited for merging
    assert J.collapse_audit(FakeJudge(), x, {"m": rec}, min_class=100).merged["m"] == []


def test_two_shapes_read_as_a_collapse_onto_a_few_shapes():
    x, labels = make_inputs(n=90, size=10)
    rec = torch.where((torch.arange(len(x)) % 2 == 0)[:, None, None, None], torch.ones_like(x), -torch.ones_like(x))
    rec[:, 0, 0, 0] = labels / 10                           # class kept, so only the shapes collapse
    a = J.collapse_audit(FakeJudge(), x, {"two": rec}, min_class=5)
    assert a.kept["two"] == 1.0 and a.pixel_variety["two"] > 0.5
    assert a.two_prototypes["two"] > 0.9 > 1.5 * a.two_prototypes["inputs"]
    assert a.few_shapes("two") and a.verdict("two") == "a collapse onto a few shapes"


def test_tables_list_every_model_and_class():
    x, _ = make_inputs()
    a = J.collapse_audit(FakeJudge(), x, {"a": x.clone(), "b": x[:1].repeat(len(x), 1, 1, 1)}, min_class=5)
    short, full = a.table().splitlines(), a.table(full=True).splitlines()
    assert len(short) == 3 and "variety" in short[0] and "pixels" not in short[0] and "60 normal" in short[0]
    assert len(full) == 4 and "2 prototypes" in full[0] and full[-1].startswith("the inputs")
    classes = a.class_table().splitlines()
    assert len(classes) == 4 and classes[2].startswith("Dress") and classes[0].split()[-2:] == ["a", "b"]


def test_collapse_audit_refuses_bad_input():
    x, _ = make_inputs()
    with pytest.raises(ValueError):
        J.collapse_audit(FakeJudge(), x, {})
    with pytest.raises(ValueError):
        J.collapse_audit(FakeJudge(), x, {"short": x[:10]})
