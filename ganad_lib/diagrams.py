"""Architecture diagrams of the course's models, drawn in code with matplotlib.

A diagram is data: :class:`Node` boxes (an image, a latent code, a network, a loss, a score),
:class:`Edge` arrows between them and optional dashed :class:`Group` frames. :meth:`Diagram.draw`
turns it into a figure, so the notebooks and the slides draw the same pictures and a notebook can
change one (highlight the part being trained, add a node) without copying drawing code::

    from ganad_lib import diagrams
    diagrams.draw_architecture("anogan")                       # AnoGAN's latent search
    diagrams.draw_architecture("ganomaly", highlight=["G_E", "G_D", "E"])
    d = diagrams.diagram("gan")                                # the spec, to edit
    d.node("G").label                                          # '$G$'

Names follow the papers' symbols (``G``, ``D``, ``E``, ``G_E``, ``z``); labels use matplotlib's
mathtext. :data:`ARCHITECTURES` lists the built-in diagrams.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

__all__ = ["KINDS", "EDGE_STYLES", "Node", "Edge", "Group", "Diagram", "ARCHITECTURES", "AS_TRAINED", "diagram",
           "draw_architecture", "gan", "bigan", "anogan_search", "egbad", "ganomaly"]

#: kind of a node -> (face colour, edge colour, shape, default (width, height))
KINDS: dict[str, tuple[str, str, str, tuple[float, float]]] = {
    "data": ("#eef1f5", "#55606e", "box", (1.1, 0.8)),             # an image or a pair of inputs
    "latent": ("#efe6f7", "#7a4f9e", "box", (0.55, 0.95)),         # a latent code z
    "generator": ("#dbe7f6", "#2f5f98", "expand", (1.0, 1.1)),     # G, a decoder: small -> large
    "encoder": ("#dcefdf", "#2e7d44", "contract", (1.0, 1.1)),     # E, G_E: large -> small
    "discriminator": ("#f7dede", "#a33b3b", "contract", (1.1, 1.1)),  # D: image -> verdict / features
    "loss": ("#fff2d9", "#b7791f", "round", (1.5, 0.75)),          # a loss term
    "score": ("#fde2c8", "#c0561b", "round", (1.6, 0.8)),          # the anomaly score
    "text": ("none", "none", "none", (1.4, 0.6)),                  # a label without a frame
}

#: how much shorter the narrow side of a network's trapezoid is than its wide side, at each end, as a
#: share of the trapezoid's height
TAPER = 0.28

#: style of an edge -> (line style, colour, line width)
EDGE_STYLES: dict[str, tuple[str, str, float]] = {
    "flow": ("-", "#333333", 1.4),       # data flows forward
    "compare": ("-", "#b7791f", 1.2),    # an input of a loss term
    "update": ("--", "#c0392b", 1.5),    # a gradient step / update
}


@dataclass(frozen=True)
class Node:
    """A box of a diagram, centred at ``xy`` (diagram units; one unit is about 1 inch)."""

    name: str
    label: str
    xy: tuple[float, float]
    kind: str = "data"
    size: tuple[float, float] | None = None
    fontsize: float | None = None

    @property
    def wh(self) -> tuple[float, float]:
        return self.size or KINDS[self.kind][3]

    def bounds(self) -> tuple[float, float, float, float]:
        """(x0, y0, x1, y1) of the node's box."""
        (x, y), (w, h) = self.xy, self.wh
        return (x - w / 2, y - h / 2, x + w / 2, y + h / 2)


@dataclass(frozen=True)
class Edge:
    """An arrow from node ``src`` to node ``dst``; ``bend`` curves it (matplotlib's arc3 radius)."""

    src: str
    dst: str
    label: str = ""
    style: str = "flow"
    bend: float = 0.0


@dataclass(frozen=True)
class Group:
    """A dashed frame around some nodes, with a caption above them."""

    label: str
    members: tuple[str, ...]
    pad: float = 0.18


@dataclass(frozen=True)
class Diagram:
    """Nodes, edges and groups; :meth:`draw` renders it, :meth:`check` validates it."""

    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...] = ()
    groups: tuple[Group, ...] = ()
    title: str = ""
    caption: str = field(default="", compare=False)

    def node(self, name: str) -> Node:
        for n in self.nodes:
            if n.name == name:
                return n
        raise KeyError(f"No node {name!r} in this diagram; its nodes are {', '.join(self.names)}.")

    @property
    def names(self) -> list[str]:
        return [n.name for n in self.nodes]

    def with_nodes(self, *nodes: Node, edges: Iterable[Edge] = ()) -> Diagram:
        """A copy with ``nodes`` added (a node of the same name is replaced) and ``edges`` appended."""
        new = {n.name: n for n in nodes}
        kept = tuple(new.pop(n.name, n) for n in self.nodes)
        return replace(self, nodes=kept + tuple(new.values()), edges=self.edges + tuple(edges))

    def check(self) -> Diagram:
        """Raise ValueError on an unknown kind or style, a duplicate name or a dangling edge."""
        names = self.names
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ValueError(f"Node names must be unique; repeated: {', '.join(dup)}.")
        for n in self.nodes:
            if n.kind not in KINDS:
                raise ValueError(f"Node {n.name!r} has unknown kind {n.kind!r}; choose from {', '.join(KINDS)}.")
            if min(n.wh) <= 0:
                raise ValueError(f"Node {n.name!r} needs a positive size, got {n.wh}.")
        for e in self.edges:
            for end in (e.src, e.dst):
                if end not in names:
                    raise ValueError(f"Edge {e.src!r} -> {e.dst!r} names no node {end!r}; "
                                     f"the nodes are {', '.join(names)}.")
            if e.style not in EDGE_STYLES:
                raise ValueError(f"Edge {e.src!r} -> {e.dst!r} has unknown style {e.style!r}; "
                                 f"choose from {', '.join(EDGE_STYLES)}.")
        for g in self.groups:
            missing = [m for m in g.members if m not in names]
            if missing or not g.members:
                raise ValueError(f"Group {g.label!r} names unknown nodes {missing or '(none given)'}; "
                                 f"the nodes are {', '.join(names)}.")
        return self

    def extent(self, margin: float = 0.25) -> tuple[float, float, float, float]:
        """(x0, x1, y0, y1) that holds every node, edge label, group caption and the caption, plus ``margin``."""
        boxes = [n.bounds() for n in self.nodes]
        for g in self.groups:
            x0, y0, x1, y1 = self._group_bounds(g)
            boxes.append((x0, y0, x1, y1 + 0.35))
        for e in self.edges:
            if e.label or e.bend:
                mx, my = self.edge_midpoint(e)
                boxes.append((mx, my - 0.25, mx, my + 0.25))
        x0, x1 = min(b[0] for b in boxes) - margin, max(b[2] for b in boxes) + margin
        y0, y1 = min(b[1] for b in boxes) - margin, max(b[3] for b in boxes) + margin
        return x0, x1, y0 - (0.45 if self.caption else 0.0), y1

    def edge_midpoint(self, e: Edge) -> tuple[float, float]:
        """The middle of an edge's arc (where its label goes)."""
        (ax_, ay), (bx, by) = self.node(e.src).xy, self.node(e.dst).xy
        # arc3 puts its control point ``bend`` times the chord off the chord's middle, rotated
        # clockwise; the quadratic curve's middle lies half as far
        return (ax_ + bx) / 2 + e.bend * (by - ay) / 2, (ay + by) / 2 - e.bend * (bx - ax_) / 2

    def _group_bounds(self, g: Group) -> tuple[float, float, float, float]:
        bs = [self.node(m).bounds() for m in g.members]
        return (min(b[0] for b in bs) - g.pad, min(b[1] for b in bs) - g.pad,
                max(b[2] for b in bs) + g.pad, max(b[3] for b in bs) + g.pad)

    def fitted(self, ax, fontsize: float = 12.0) -> Diagram:
        """A copy whose boxes are grown, where needed, to hold their labels as drawn on ``ax``.

        Centres stay where they are, so a box that grows a lot may reach a neighbour: give such a
        node a larger ``size`` or move it.
        """
        x0, x1, y0, y1 = self.extent()
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_aspect("equal")
        ax.apply_aspect()
        canvas = ax.figure.canvas
        renderer = canvas.get_renderer() if hasattr(canvas, "get_renderer") else ax.figure._get_renderer()
        box = ax.get_window_extent(renderer)
        px_per_unit = min(box.width / (x1 - x0), box.height / (y1 - y0))
        nodes = []
        for n in self.nodes:
            t = ax.text(0, 0, n.label, fontsize=n.fontsize or fontsize, ha="center", va="center")
            ext = t.get_window_extent(renderer)
            t.remove()
            tw, th = ext.width / px_per_unit, ext.height / px_per_unit
            shape = KINDS[n.kind][2]
            if shape == "none":
                need = (tw, th)
            elif shape in ("expand", "contract"):
                # the label's corners on the narrow side must stay inside the slanted edges: a side is
                # TAPER * h shorter at each end, so at x = tw / 2 from the centre the edge lies
                # h / 2 - TAPER * h * (1 / 2 + tw / (2 w)) above it; keep the label's top (th / 2) a
                # margin below that
                w = max(n.wh[0], tw + 0.35)
                need = (w, (th / 2 + 0.1) / (0.5 - TAPER * (0.5 + 0.5 * min(tw / w, 1.0))))
            else:
                need = (tw + 0.3, th + 0.2)
            w, h = n.wh
            nodes.append(replace(n, size=(max(w, need[0]), max(h, need[1]))))
        return replace(self, nodes=tuple(nodes))

    def draw(self, ax=None, *, highlight: Iterable[str] = (), fontsize: float = 12.0, scale: float = 0.85):
        """Draw the diagram on ``ax`` (when None, a new figure with ``scale`` inches per diagram unit);
        returns the axes. Boxes grow to hold their labels (see :meth:`fitted`).

        ``highlight``: names of nodes to emphasise; the others, and edges between them, are faded.
        """
        import matplotlib.pyplot as plt

        self.check()
        highlight = set(highlight)
        unknown = highlight - set(self.names)
        if unknown:
            raise ValueError(f"Cannot highlight unknown nodes {sorted(unknown)}; the nodes are {', '.join(self.names)}.")
        title_in = 0.45 if self.title else 0.0
        created = ax is None
        if created:
            x0, x1, y0, y1 = self.extent()
            fig = plt.figure(figsize=(scale * (x1 - x0), scale * (y1 - y0) + title_in))
            ax = fig.add_axes((0, 0, 1, 1))
        d = self.fitted(ax, fontsize)
        if created:
            x0, x1, y0, y1 = d.extent()
            w_in, h_in = scale * (x1 - x0), scale * (y1 - y0)
            fig.set_size_inches(w_in, h_in + title_in)
            ax.set_position((0, 0, 1, h_in / (h_in + title_in)))
        d._render(ax, highlight, fontsize)
        return ax

    def _render(self, ax, highlight: set, fontsize: float):
        from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Polygon

        x0, x1, y0, y1 = self.extent()

        def faded(*names) -> bool:
            return bool(highlight) and not all(n in highlight for n in names)

        patches = {}
        for n in self.nodes:
            face, edge, shape, _ = KINDS[n.kind]
            (x, y), (w, h) = n.xy, n.wh
            alpha = 0.3 if faded(n.name) else 1.0
            lw = 2.4 if n.name in highlight else 1.3
            if shape in ("expand", "contract"):
                s = TAPER * h  # how much the narrow side is shorter, at each end
                left, right = (s, 0.0) if shape == "expand" else (0.0, s)
                pts = [(x - w / 2, y - h / 2 + left), (x + w / 2, y - h / 2 + right),
                       (x + w / 2, y + h / 2 - right), (x - w / 2, y + h / 2 - left)]
                patch = Polygon(pts, closed=True, fc=face, ec=edge, lw=lw, alpha=alpha, zorder=2)
            else:
                style = "round,pad=0,rounding_size=0.12" if shape == "round" else "square,pad=0"
                patch = FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle=style, fc=face,
                                       ec=edge, lw=lw, alpha=alpha, zorder=2,
                                       visible=shape != "none")
            patch.set_gid(f"box:{n.name}")
            ax.add_patch(patch)
            patches[n.name] = patch
            ax.text(x, y, n.label, ha="center", va="center", fontsize=n.fontsize or fontsize,
                    alpha=max(alpha, 0.45), zorder=4, gid=f"node:{n.name}")

        for e in self.edges:
            ls, color, lw = EDGE_STYLES[e.style]
            alpha = 0.25 if faded(e.src, e.dst) else 1.0
            a, b = self.node(e.src), self.node(e.dst)
            arrow = FancyArrowPatch(a.xy, b.xy, patchA=patches[e.src], patchB=patches[e.dst],
                                    arrowstyle="-|>", mutation_scale=14, connectionstyle=f"arc3,rad={e.bend}",
                                    linestyle=ls, color=color, lw=lw, alpha=alpha, shrinkA=3, shrinkB=3, zorder=3,
                                    gid=f"arrow:{e.src}->{e.dst}")
            ax.add_patch(arrow)
            if e.label:
                mx, my = self.edge_midpoint(e)
                ax.text(mx, my, e.label, ha="center", va="center", fontsize=0.8 * fontsize, color=color,
                        alpha=alpha, zorder=5, gid=f"edge:{e.src}->{e.dst}",
                        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.9})

        for g in self.groups:
            gx0, gy0, gx1, gy1 = self._group_bounds(g)
            ax.add_patch(FancyBboxPatch((gx0, gy0), gx1 - gx0, gy1 - gy0, boxstyle="round,pad=0,rounding_size=0.15",
                                        fc="none", ec="#777777", ls=(0, (4, 3)), lw=1.1, zorder=1,
                                        gid=f"frame:{g.label}"))
            ax.text((gx0 + gx1) / 2, gy1 + 0.05, g.label, ha="center", va="bottom", fontsize=0.85 * fontsize,
                    color="#555555", zorder=4, gid=f"group:{g.label}")

        if self.caption:
            ax.text((x0 + x1) / 2, y0 + 0.3, self.caption, ha="center", va="center", fontsize=0.9 * fontsize,
                    color="#333333", gid="caption")
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_aspect("equal")
        ax.set_axis_off()
        if self.title:
            ax.set_title(self.title, fontsize=1.1 * fontsize)
        return ax


# --- the course's architectures ------------------------------------------------------------------

def gan() -> Diagram:
    """Vanilla GAN: G maps noise z to an image; D tells real images from generated ones."""
    return Diagram(
        nodes=(
            Node("z", r"$\mathbf{z}$", (0.0, -0.7), "latent"),
            Node("G", r"$G$", (1.5, -0.7), "generator"),
            Node("G(z)", "$G(\\mathbf{z})$\nfake", (3.1, -0.7), "data", (1.2, 0.8)),
            Node("x", "$\\mathbf{x}$\nreal", (3.1, 0.7), "data", (1.2, 0.8)),
            Node("D", r"$D$", (4.8, 0.0), "discriminator"),
            Node("out", "real or\nfake?", (6.4, 0.0), "text"),
        ),
        edges=(
            Edge("z", "G"), Edge("G", "G(z)"), Edge("G(z)", "D"), Edge("x", "D"), Edge("D", "out"),
        ),
        caption=r"$\mathbf{z}\sim p_z$ (noise prior), $\mathbf{x}\sim p_{data}$",
    )


def bigan() -> Diagram:
    """BiGAN: G maps z to an image, E maps an image to a code; D judges (image, code) pairs."""
    return Diagram(
        nodes=(
            Node("z", r"$\mathbf{z}$", (0.0, 0.8), "latent"),
            Node("G", r"$G$", (1.4, 0.8), "generator"),
            Node("pair_fake", r"$(G(\mathbf{z}),\ \mathbf{z})$", (3.4, 0.8), "data", (2.0, 0.75)),
            Node("x", r"$\mathbf{x}$", (0.0, -0.8), "data", (0.8, 0.8)),
            Node("E", r"$E$", (1.4, -0.8), "encoder"),
            Node("pair_real", r"$(\mathbf{x},\ E(\mathbf{x}))$", (3.4, -0.8), "data", (2.0, 0.75)),
            Node("D", r"$D$", (5.4, 0.0), "discriminator"),
            Node("out", "real pair or\nfake pair?", (7.1, 0.0), "text", (1.7, 0.6)),
        ),
        edges=(
            Edge("z", "G"), Edge("G", "pair_fake"), Edge("x", "E"), Edge("E", "pair_real"),
            Edge("pair_fake", "D"), Edge("pair_real", "D"), Edge("D", "out"),
        ),
    )


def anogan_search() -> Diagram:
    """AnoGAN at test time: G and D are frozen; gradient steps on z_gamma make G(z_gamma) close to x."""
    return Diagram(
        nodes=(
            Node("z", r"$\mathbf{z}_\gamma$", (0.0, 0.0), "latent", (0.65, 0.95)),
            Node("G", "$G$\nfixed", (1.5, 0.0), "generator"),
            Node("G(z)", r"$G(\mathbf{z}_\gamma)$", (3.3, 0.0), "data", (1.3, 0.8)),
            Node("x", "$\\mathbf{x}$\nquery", (3.3, 1.7), "data", (1.3, 0.8)),
            Node("L_R", r"$\mathcal{L}_R = \sum|\mathbf{x} - G(\mathbf{z}_\gamma)|$", (6.6, 1.7), "loss", (3.0, 0.7)),
            Node("L_D", "$\\mathcal{L}_D = \\sum|f(\\mathbf{x}) - f(G(\\mathbf{z}_\\gamma))|$\n"
                 "$f$: features of $D$ (fixed)", (6.6, 0.0), "loss", (3.4, 1.0)),
            Node("L", r"$\mathcal{L} = (1-\lambda)\,\mathcal{L}_R + \lambda\,\mathcal{L}_D$", (10.9, 0.85), "score",
                 (3.3, 0.75)),
        ),
        edges=(
            Edge("z", "G"), Edge("G", "G(z)"), Edge("G(z)", "L_R", style="compare"),
            Edge("x", "L_R", style="compare"), Edge("G(z)", "L_D", style="compare"),
            Edge("x", "L_D", style="compare"), Edge("L_R", "L", style="compare"),
            Edge("L_D", "L", style="compare"),
            # steps gamma = 0, ..., Gamma - 1 take a random z_0 to z_1, ..., z_Gamma; the score is the loss at z_Gamma
            Edge("L", "z", r"update $\mathbf{z}_\gamma \to \mathbf{z}_{\gamma+1}$ along $-\nabla_{\mathbf{z}}\mathcal{L}$, "
                 r"for $\gamma = 0, \dots, \Gamma-1$", style="update", bend=-0.3),
        ),
        caption=r"from a random $\mathbf{z}_0$, after $\Gamma$ steps the loss is the anomaly score: "
                r"$A(\mathbf{x}) = \mathcal{L}(\mathbf{z}_\Gamma)$",
    )


def egbad() -> Diagram:
    """EGBAD at test time: one pass x -> E -> G reconstructs the image; D compares the two pairs."""
    return Diagram(
        nodes=(
            Node("x", r"$\mathbf{x}$", (0.0, 0.0), "data", (0.8, 0.8)),
            Node("E", r"$E$", (1.4, 0.0), "encoder"),
            Node("E(x)", r"$E(\mathbf{x})$", (2.8, 0.0), "latent", (1.0, 0.95)),
            Node("G", r"$G$", (4.2, 0.0), "generator"),
            Node("G(E(x))", r"$G(E(\mathbf{x}))$", (5.8, 0.0), "data", (1.5, 0.8)),
            Node("L_G", r"$L_G = \|\mathbf{x} - G(E(\mathbf{x}))\|_1$", (4.2, 1.7), "loss", (3.0, 0.7)),
            # the joint discriminator reads the pairs (x, E(x)) and (G(E(x)), E(x)): the arrows from x, E(x)
            # and G(E(x)); L_D compares its features of the two
            Node("D", "$D$\nfeatures $f_D$", (4.2, -1.75), "discriminator", (1.8, 1.1)),
            Node("L_D", r"$L_D = \|f_D(\cdot) - f_D(\cdot)\|_1$", (8.3, -1.75), "loss", (2.6, 0.7)),
            Node("A", r"$A(\mathbf{x}) = \alpha L_G + (1-\alpha) L_D$", (8.3, 0.9), "score", (3.1, 0.75)),
        ),
        edges=(
            Edge("x", "E"), Edge("E", "E(x)"), Edge("E(x)", "G"), Edge("G", "G(E(x))"),
            Edge("x", "L_G", style="compare", bend=-0.2), Edge("G(E(x))", "L_G", style="compare", bend=0.2),
            # D reads both pairs: x and G(E(x)), each with the code E(x)
            Edge("x", "D", bend=0.2), Edge("E(x)", "D"), Edge("G(E(x))", "D", bend=-0.2),
            Edge("D", "L_D", style="compare"), Edge("L_G", "A", style="compare"), Edge("L_D", "A", style="compare"),
        ),
    )


def ganomaly() -> Diagram:
    """GANomaly: encoder G_E, decoder G_D, second encoder E; D compares x and its reconstruction."""
    return Diagram(
        nodes=(
            Node("x", r"$\mathbf{x}$", (0.0, 0.0), "data", (0.8, 0.8)),
            Node("G_E", r"$G_E$", (1.35, 0.0), "encoder"),
            Node("z", r"$\mathbf{z}$", (2.6, 0.0), "latent"),
            Node("G_D", r"$G_D$", (3.85, 0.0), "generator"),
            Node("x_hat", r"$\hat{\mathbf{x}}$", (5.2, 0.0), "data", (0.8, 0.8)),
            Node("E", r"$E$", (6.55, 0.0), "encoder"),
            Node("z_hat", r"$\hat{\mathbf{z}}$", (7.8, 0.0), "latent"),
            Node("L_con", r"$\mathcal{L}_{con} = \|\mathbf{x} - \hat{\mathbf{x}}\|_1$", (2.6, -1.85), "loss", (2.6, 0.7)),
            Node("D", "$D$\nfeatures $f$", (6.2, 2.0), "discriminator", (1.3, 1.1)),
            Node("L_adv", r"$\mathcal{L}_{adv} = \|f(\mathbf{x}) - \mathbb{E}\,f(\hat{\mathbf{x}})\|_2$", (9.2, 2.0),
                 "loss", (2.9, 0.7)),
            Node("L_enc", r"$\mathcal{L}_{enc} = \|\mathbf{z} - \hat{\mathbf{z}}\|_2$", (6.55, -1.85), "loss",
                 (2.5, 0.7)),
            # the score as the official code and the course compute it: the mean over the d entries of
            # the code of the squared difference (the paper writes the L1 norm)
            Node("A", "score\n" r"$A(\mathbf{x}) = \|\mathbf{z} - \hat{\mathbf{z}}\|_2^2\,/\,d$", (9.6, -1.85),
                 "score", (2.4, 1.0)),
        ),
        edges=(
            Edge("x", "G_E"), Edge("G_E", "z"), Edge("z", "G_D"), Edge("G_D", "x_hat"), Edge("x_hat", "E"),
            Edge("E", "z_hat"),
            Edge("x", "L_con", style="compare", bend=0.15), Edge("x_hat", "L_con", style="compare", bend=-0.15),
            Edge("x", "D", bend=-0.2), Edge("x_hat", "D"), Edge("D", "L_adv", style="compare"),
            Edge("z", "L_enc", style="compare", bend=0.15), Edge("z_hat", "L_enc", style="compare", bend=-0.15),
            Edge("L_enc", "A", style="compare"),
        ),
        # the paper's generator G is the autoencoder G_D(G_E(x)); the second encoder E is a network of its
        # own (the official code's NetG holds E as well)
        groups=(Group("generator $G$: encoder - decoder", ("G_E", "z", "G_D", "x_hat")),),
    )


#: name -> function returning a fresh :class:`Diagram`
ARCHITECTURES = {"gan": gan, "bigan": bigan, "anogan": anogan_search, "egbad": egbad, "ganomaly": ganomaly}

#: name -> {node: label}: the labels that make a diagram show the losses as the course's code computes them
#: (``draw_architecture(..., as_trained=True)``). GANomaly's library diagram writes L_adv as the seminar
#: states it (the batch mean of f(x_hat) inside the norm); ``ganad_lib.ganomaly`` computes each image's
#: features against its own reconstruction's, as means over pixels, code entries and features.
AS_TRAINED = {
    "ganomaly": {
        "L_con": r"$\mathcal{L}_{con} = \|\mathbf{x} - \hat{\mathbf{x}}\|_1\,/\,n$",
        "L_enc": r"$\mathcal{L}_{enc} = \|\mathbf{z} - \hat{\mathbf{z}}\|_2^2\,/\,d$",
        "L_adv": r"$\mathcal{L}_{adv} = \|f(\mathbf{x}) - f(\hat{\mathbf{x}})\|_2^2\,/\,m$",
    },
}


def diagram(name: str) -> Diagram:
    """A fresh copy of one of the course's diagrams (see :data:`ARCHITECTURES`)."""
    key = name.lower().replace("-", "").replace("_", "")
    if key not in ARCHITECTURES:
        raise ValueError(f"No diagram named {name!r}; choose from {', '.join(ARCHITECTURES)}.")
    return ARCHITECTURES[key]()


def draw_architecture(name: str, ax=None, *, highlight: Iterable[str] = (), title: str | None = None,
                      fontsize: float = 12.0, scale: float = 0.85, as_trained: bool = False):
    """Draw one of the course's architectures (``"gan"``, ``"bigan"``, ``"anogan"``, ``"egbad"``,
    ``"ganomaly"``) on ``ax`` (a new figure, ``scale`` inches per diagram unit, when None); returns
    the axes. ``highlight`` and ``fontsize`` as in :meth:`Diagram.draw`; ``as_trained``: the loss labels
    of :data:`AS_TRAINED` (the forms the course's code computes), where the diagram has any."""
    d = diagram(name)
    if as_trained:
        labels = AS_TRAINED.get(name.lower().replace("-", "").replace("_", ""), {})
        d = replace(d, nodes=tuple(replace(n, label=labels.get(n.name, n.label)) for n in d.nodes))
    if title is not None:
        d = replace(d, title=title)
    return d.draw(ax, highlight=highlight, fontsize=fontsize, scale=scale)
