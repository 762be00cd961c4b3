import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import ConnectionStyle  # noqa: E402

from ganad_lib import diagrams  # noqa: E402
from ganad_lib.diagrams import Diagram, Edge, Group, Node  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def by_gid(ax, prefix):
    """{name: artist} of the artists drawn with gid '<prefix>:<name>'."""
    out = {}
    for a in list(ax.texts) + list(ax.patches):
        gid = a.get_gid() or ""
        if gid.startswith(prefix + ":"):
            out[gid[len(prefix) + 1:]] = a
    return out


# the symbols each architecture must show, as in the papers
EXPECTED = {
    "gan": {"z", "G", "G(z)", "x", "D"},
    "bigan": {"z", "G", "x", "E", "D", "pair_fake", "pair_real"},
    "anogan": {"z", "G", "G(z)", "x", "L_R", "L_D", "L"},
    "egbad": {"x", "E", "E(x)", "G", "G(E(x))", "D", "L_G", "L_D", "A"},
    "ganomaly": {"x", "G_E", "z", "G_D", "x_hat", "E", "z_hat", "D", "L_con", "L_enc", "L_adv", "A"},
}


@pytest.mark.parametrize("name", sorted(diagrams.ARCHITECTURES))
def test_architecture_draws_every_node_and_edge(name):
    ax = diagrams.draw_architecture(name)
    d = diagrams.diagram(name)
    assert set(d.names) >= EXPECTED[name]
    assert set(by_gid(ax, "node")) == set(d.names)
    assert set(by_gid(ax, "arrow")) == {f"{e.src}->{e.dst}" for e in d.edges}
    ax.figure.canvas.draw()  # mathtext of every label must parse


@pytest.mark.parametrize("name", sorted(diagrams.ARCHITECTURES))
def test_labels_fit_their_boxes_and_boxes_do_not_overlap(name):
    ax = diagrams.draw_architecture(name)
    fig = ax.figure
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    texts, boxes = by_gid(ax, "node"), by_gid(ax, "box")
    d = diagrams.diagram(name)
    for n in d.nodes:
        if diagrams.KINDS[n.kind][2] == "none":
            continue
        t, b = texts[n.name].get_window_extent(r), boxes[n.name].get_window_extent(r)
        assert b.x0 <= t.x0 and t.x1 <= b.x1 and b.y0 <= t.y0 and t.y1 <= b.y1, \
            f"{name}: the label of {n.name!r} sticks out of its box"
    fitted = d.fitted(ax)
    bounds = {n.name: n.bounds() for n in fitted.nodes}
    names = list(bounds)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            ax0, ay0, ax1, ay1 = bounds[a]
            bx0, by0, bx1, by1 = bounds[b]
            overlap = min(ax1, bx1) - max(ax0, bx0) > 1e-9 and min(ay1, by1) - max(ay0, by0) > 1e-9
            assert not overlap, f"{name}: boxes {a!r} and {b!r} overlap"


def test_fitted_grows_a_box_to_its_label_and_keeps_its_centre():
    d = Diagram(nodes=(Node("loss", r"$\mathcal{L} = a\ very\ long\ label\ indeed$", (1.0, 2.0), "loss", (0.5, 0.3)),
                       Node("x", "x", (1.0, 0.0), "data", (3.0, 1.0))))
    ax = d.draw(scale=1.0)  # one inch per diagram unit
    fig = ax.figure
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    text = by_gid(ax, "node")["loss"].get_window_extent(r)
    box = by_gid(ax, "box")["loss"].get_window_extent(r)
    assert box.width > text.width > 0.5 * fig.dpi, "the label is wider than the given size, and the box holds it"
    fitted = d.fitted(ax)
    assert fitted.node("loss").xy == (1.0, 2.0)
    assert fitted.node("loss").wh[0] == pytest.approx(text.width / fig.dpi + 0.3, rel=0.05)
    assert fitted.node("x").wh == (3.0, 1.0), "a box larger than its label keeps its size"


@pytest.mark.parametrize("bend", [0.0, 0.3, -0.42])
def test_edge_label_sits_on_the_middle_of_the_arc(bend):
    d = Diagram(nodes=(Node("a", "a", (0.0, 0.0)), Node("b", "b", (4.0, 1.0))), edges=(Edge("a", "b", bend=bend),))
    path = ConnectionStyle.Arc3(rad=bend)((0.0, 0.0), (4.0, 1.0), shrinkA=0.0, shrinkB=0.0)
    p0, c, p2 = path.vertices[:3]
    middle = 0.25 * p0 + 0.5 * c + 0.25 * p2  # a quadratic Bezier curve at t = 1/2
    np.testing.assert_allclose(d.edge_midpoint(d.edges[0]), middle, atol=1e-6)


def test_highlight_fades_the_other_nodes():
    ax = diagrams.draw_architecture("ganomaly", highlight=["G_E", "G_D"])
    boxes = by_gid(ax, "box")
    assert boxes["G_E"].get_alpha() == 1.0 and boxes["G_D"].get_alpha() == 1.0
    assert boxes["D"].get_alpha() < 0.5
    arrows = by_gid(ax, "arrow")
    assert arrows["G_E->z"].get_alpha() < 0.5, "an edge to a faded node is faded"


def test_draw_on_a_given_axes_and_with_a_title():
    fig, axes = plt.subplots(1, 2, figsize=(10, 3))
    out = diagrams.draw_architecture("gan", ax=axes[1], title="GAN")
    assert out is axes[1] and axes[1].get_title() == "GAN"
    assert not axes[1].axison and axes[0].axison


def test_with_nodes_adds_and_replaces():
    d = diagrams.diagram("gan")
    d2 = d.with_nodes(Node("G", "$G_\\theta$", (1.5, -0.7), "generator"), Node("noise", "noise", (0, -2), "text"),
                      edges=[Edge("noise", "z")])
    assert d2.node("G").label == "$G_\\theta$" and d2.names[:len(d.names)] == d.names
    assert "noise" in d2.names and d2.edges[-1] == Edge("noise", "z")
    assert d.node("G").label == "$G$", "the original is unchanged"
    d2.check()


@pytest.mark.parametrize("bad, message", [
    (Diagram(nodes=(Node("a", "a", (0, 0)), Node("a", "b", (1, 0)))), "unique"),
    (Diagram(nodes=(Node("a", "a", (0, 0), "gnerator"),)), "unknown kind 'gnerator'"),
    (Diagram(nodes=(Node("a", "a", (0, 0), size=(0.0, 1.0)),)), "positive size"),
    (Diagram(nodes=(Node("a", "a", (0, 0)),), edges=(Edge("a", "b"),)), "names no node 'b'"),
    (Diagram(nodes=(Node("a", "a", (0, 0)), Node("b", "b", (2, 0))), edges=(Edge("a", "b", style="dotted"),)),
     "unknown style 'dotted'"),
    (Diagram(nodes=(Node("a", "a", (0, 0)),), groups=(Group("g", ("a", "c")),)), "unknown nodes ['c']"),
])
def test_bad_diagrams_get_clear_errors(bad, message):
    with pytest.raises(ValueError) as err:
        bad.draw()
    assert message in str(err.value)


def test_unknown_names_get_clear_errors():
    with pytest.raises(ValueError, match="choose from gan, bigan, anogan, egbad, ganomaly"):
        diagrams.diagram("vae")
    with pytest.raises(ValueError, match="Cannot highlight unknown nodes"):
        diagrams.draw_architecture("gan", highlight=["Q"])
    with pytest.raises(KeyError, match="No node 'Q'"):
        diagrams.diagram("gan").node("Q")


def test_names_are_forgiving_about_spelling():
    assert diagrams.diagram("GANomaly") == diagrams.diagram("ganomaly")
    assert diagrams.diagram("Bi-GAN") == diagrams.diagram("bigan")


def label_margin(ax, name):
    """How far (pixels) the label of node ``name`` stays inside its trapezoid: the smallest distance of
    its corners to the trapezoid's edges, negative when a corner is outside."""
    from matplotlib.path import Path as MplPath

    fig = ax.figure
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    box, text = by_gid(ax, "box")[name], by_gid(ax, "node")[name]
    poly = box.get_transform().transform(box.get_xy())[:4]
    e = text.get_window_extent(r)
    out = []
    for p in ((e.x0, e.y0), (e.x1, e.y0), (e.x0, e.y1), (e.x1, e.y1)):
        d = min(np.linalg.norm(np.subtract(p, a + np.clip(np.dot(np.subtract(p, a), b - a) / np.dot(b - a, b - a), 0, 1)
                                           * (b - a))) for a, b in zip(poly, np.roll(poly, -1, axis=0)))
        out.append(d if MplPath(poly).contains_point(p) else -d)
    return min(out)


@pytest.mark.parametrize("name", sorted(diagrams.ARCHITECTURES))
@pytest.mark.parametrize("fontsize", [12.0, 20.0])
def test_network_labels_stay_inside_their_slanted_edges(name, fontsize):
    """A network's trapezoid grows until its label's corners on the narrow side clear the slanted edges
    (EGBAD's two-line D label touched them), at the notebooks' and the slides' text size."""
    ax = diagrams.draw_architecture(name, fontsize=fontsize)
    d = diagrams.diagram(name)
    for n in d.nodes:
        if diagrams.KINDS[n.kind][2] in ("expand", "contract"):
            assert label_margin(ax, n.name) >= 2, (name, n.name, label_margin(ax, n.name))
    plt.close(ax.figure)


def test_a_long_label_widens_and_heightens_its_trapezoid():
    """The check above can fail: the old rule (height from the label's height alone) left the corners
    of a wide two-line label outside; the geometric rule keeps them inside."""
    wide = Node("D", "$D$: features $f_D$ of\n$(\\mathbf{x}, E(\\mathbf{x}))$ and $(G(E(\\mathbf{x})), E(\\mathbf{x}))$",
                (0.0, 0.0), "discriminator", (4.2, 1.1))
    ax = Diagram(nodes=(wide,)).draw(fontsize=20.0)
    assert label_margin(ax, "D") >= 2
    plt.close(ax.figure)


def test_egbad_discriminator_reads_both_pairs():
    """EGBAD's D judges (x, E(x)) and (G(E(x)), E(x)): arrows from x, E(x) and G(E(x)) run into it."""
    d = diagrams.diagram("egbad")
    into_d = {e.src for e in d.edges if e.dst == "D"}
    assert into_d == {"x", "E(x)", "G(E(x))"}, into_d


def test_anogan_search_indices_agree_with_its_score():
    """Steps γ = 0, ..., Γ-1 take a random z_0 to z_1, ..., z_Γ, and the score is the loss at z_Γ."""
    d = diagrams.diagram("anogan")
    loop = next(e for e in d.edges if (e.src, e.dst) == ("L", "z"))
    assert r"\gamma = 0, \dots, \Gamma-1" in loop.label and r"\mathbf{z}_{\gamma+1}" in loop.label, loop.label
    assert r"\mathbf{z}_0" in d.caption and r"A(\mathbf{x}) = \mathcal{L}(\mathbf{z}_\Gamma)" in d.caption
    assert r"\gamma = 1, \dots, \Gamma" not in loop.label


def test_ganomaly_as_trained_shows_the_losses_the_code_computes():
    """GANomaly drawn ``as_trained``: each loss label is the code's form (L_adv: each image's features against
    its own reconstruction's, a mean of squares; no batch mean inside the norm), its labels fit their boxes, and
    the library's default diagram keeps the seminar's L_adv."""
    import torch

    from ganad_lib import ganomaly

    ax = diagrams.draw_architecture("ganomaly", as_trained=True)
    ax.figure.canvas.draw()
    r = ax.figure.canvas.get_renderer()
    texts, boxes = by_gid(ax, "node"), by_gid(ax, "box")
    for name, label in diagrams.AS_TRAINED["ganomaly"].items():
        assert texts[name].get_text() == label
        t, b = texts[name].get_window_extent(r), boxes[name].get_window_extent(r)
        assert b.x0 <= t.x0 and t.x1 <= b.x1, f"the label of {name!r} sticks out of its box"
    adv = texts["L_adv"].get_text()
    assert r"\mathbb{E}" not in adv and r"f(\hat{\mathbf{x}})\|_2^2\,/\,m" in adv
    assert r"\|_2^2\,/\,d" in texts["L_enc"].get_text() and texts["A"].get_text() == diagrams.diagram("ganomaly").node("A").label
    assert r"\mathbb{E}" in diagrams.diagram("ganomaly").node("L_adv").label
    # the label's form is the library's loss: per image against its own reconstruction, not the batch mean
    torch.manual_seed(0)
    f_real, f_fake = torch.randn(4, 6), torch.randn(4, 6)
    per_image = ((f_real - f_fake) ** 2).sum(1).div(6).mean()
    batch_mean = ((f_real - f_fake.mean(0)) ** 2).sum(1).div(6).mean()
    assert torch.allclose(ganomaly.adversarial_loss(f_real, f_fake), per_image)
    assert not torch.allclose(ganomaly.adversarial_loss(f_real, f_fake), batch_mean)
    plain = diagrams.draw_architecture("gan", as_trained=True)   # a diagram without such labels is unchanged
    assert {k: t.get_text() for k, t in by_gid(plain, "node").items()} == \
        {n.name: n.label for n in diagrams.diagram("gan").nodes}
