"""Saved progress bars get their final text (ganad_lib.widgets.settle_progress_bars)."""

import copy

from ganad_lib.widgets import WIDGET_STATE, WIDGET_VIEW, settle_progress_bars


def _nb(desc="BiGAN:\u2007100%", post="\u2007744/744\u2007[02:13&lt;00:00,\u2007loss_D=0.298]"):
    def model(name, **state):
        return {"model_name": name, "model_module": "@jupyter-widgets/controls", "state": state}

    state = {"box": model("HBoxModel", children=["IPY_MODEL_a", "IPY_MODEL_b", "IPY_MODEL_c"]),
             "a": model("HTMLModel", value=desc), "b": model("FloatProgressModel", value=744.0, max=744.0),
             "c": model("HTMLModel", value=post), "other": model("ButtonModel")}
    bar = {"output_type": "display_data", "metadata": {},
           "data": {WIDGET_VIEW: {"model_id": "box"}, "text/plain": "BiGAN:   0%|          | 0/744 [00:00<?, ?it/s]"}}
    button = {"output_type": "display_data", "metadata": {}, "data": {WIDGET_VIEW: {"model_id": "other"},
                                                                      "text/plain": "Button()"}}
    text = {"output_type": "stream", "name": "stdout", "text": "done\n"}
    return {"metadata": {"widgets": {WIDGET_STATE: {"state": state}}},
            "cells": [{"cell_type": "code", "outputs": [bar, button, text]}, {"cell_type": "markdown"}]}


def test_a_saved_bar_reads_its_final_state():
    nb = _nb()
    assert settle_progress_bars(nb) == 1
    outs = nb["cells"][0]["outputs"]
    assert outs[0]["data"]["text/plain"] == "BiGAN: 100% 744/744 [02:13<00:00, loss_D=0.298]"
    assert outs[1]["data"]["text/plain"] == "Button()" and outs[2]["text"] == "done\n", "other outputs untouched"
    assert settle_progress_bars(nb) == 0, "a second pass changes nothing"


def test_without_saved_state_nothing_changes():
    nb = _nb()
    del nb["metadata"]["widgets"]
    before = copy.deepcopy(nb)
    assert settle_progress_bars(nb) == 0 and nb == before
    half = _nb()
    half["metadata"]["widgets"][WIDGET_STATE]["state"]["box"]["state"]["children"] = ["IPY_MODEL_a"]
    assert settle_progress_bars(half) == 0, "not a tqdm bar (HTML, progress, HTML): left alone"
