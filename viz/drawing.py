"""A drawing: the nodes, clusters, edges, notes and legend of a picture, with the text of
every label, before it is written as DOT (viz.dot). `draw_ops` draws a graph model op by op:
rounded boxes for tensors (name, shape and dtype, value, gradient), ellipses for ops (name,
arguments, local derivative); viz.collapsed draws one box per layer.

A label is a list of lines, a line a tuple of spans, a span some text in one of a few
styles: "bold" (a name), "plain", "small", "muted" (small and grey: shapes, arguments),
"grad" (a gradient, red), "small-grad" and "released" (a value freed by backward).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Optional

from viz.layout import Clusters
from viz.model import GraphModel, OpNode, TensorNode
from viz.style import (DARK_FROM, EMPHASIS, GRAD_PALETTE, GRAD_TEXT, GRAD_ZERO_COLOR,
                       NO_GRAD_COLOR,
                       OP_COLOR, OP_CURRENT_COLOR, OP_DONE_COLOR, OP_PENDING_COLOR,
                       ROLE_BORDERS, ROLE_COLORS, ROLE_TEXT, fill_of_bin)
from viz.describe import derivative, wrap_derivative
from viz.text import mean_abs, shape_text, step_mark, summary


@dataclass
class Options:
    """How to draw (draw_graph's display options)."""

    module: Any = None
    show_values: bool = True
    show_grads: bool = True
    show_shapes: bool = True
    show_derivatives: bool = True
    show_order: bool = False
    color_by_grad: bool = False
    group_by_module: bool = False
    legend: bool = True
    rankdir: str = "TB"
    title: Optional[str] = None
    fontname: str = "Helvetica"
    fontsize: float = 11

    @classmethod
    def defaults(cls) -> dict:
        """The display options (all but module) with their defaults."""
        return {k: v.default for k, v in cls.__dataclass_fields__.items() if k != "module"}

    @property
    def small(self) -> float:
        """The size of second lines (shapes, arguments, derivatives)."""
        return max(self.fontsize - 2, 6)


@dataclass(frozen=True)
class Span:
    text: str
    style: str = "plain"


@dataclass
class Node:
    """One node of the drawing: its DOT id, label, graphviz attributes and cluster."""

    dot_id: str
    lines: list                     # of tuples of Spans
    attrs: dict                     # graphviz attributes but the label
    cluster: Optional[int] = None   # key in Drawing.clusters; None: the top level
    item: Any = None                # what it draws: a TensorNode, an OpNode or a layout.Box

    @property
    def text(self) -> str:
        """The visible text, a line per line."""
        return "\n".join("  ".join(span.text for span in line) for line in self.lines)

    @property
    def title(self) -> str:
        """The bold text of the first line (a tensor's or op's name), or ""."""
        return next((s.text for s in self.lines[0] if s.style == "bold"), "") \
            if self.lines else ""


@dataclass
class LegendRow:
    """A row of the legend: "swatch" (a colour and what it means), "note" (text, in a
    colour if given), "centered" (text) or "scale" (the cells of the gradient scale:
    (fill, value text, text colour))."""

    kind: str
    text: str = ""
    color: Optional[str] = None
    cells: tuple = ()


@dataclass
class DrawnEdge:
    tail: str
    head: str
    operand: str = ""               # which operand of the head op it is ("" for none)


@dataclass
class Drawing:
    """A whole picture, ready to be written as DOT."""

    options: Options
    spacing: tuple                  # (ranksep, node margin): the collapsed view is tighter
    nodes: list = field(default_factory=list)
    clusters: dict = field(default_factory=dict)    # key -> layout.Cluster
    notes: list = field(default_factory=list)       # lines of the note
    note_targets: list = field(default_factory=list)  # dot ids the note points at
    legend: list = field(default_factory=list)      # LegendRows (empty: no legend)
    edges: list = field(default_factory=list)
    model: Any = None               # the GraphModel drawn

    def named(self, title: str) -> Node:
        """The one node whose name (the bold text of its first line) is `title`."""
        found = [n for n in self.nodes if n.title == title]
        if len(found) != 1:
            raise KeyError(f"{len(found)} nodes are named {title!r}")
        return found[0]

    def cluster_label(self, node: Node) -> Optional[str]:
        """The label of the cluster the node is drawn in (None: the top level)."""
        return None if node.cluster is None else self.clusters[node.cluster].label

    def cluster_path(self, node: Node) -> list:
        """The labels of the clusters around the node, innermost first."""
        path, key = [], node.cluster
        while key is not None:
            path.append(self.clusters[key].label)
            key = self.clusters[key].parent
        return path


@dataclass
class StepState:
    """backward_steps: the ops already visited, the current one, the tensors just reached."""

    done: set
    current: int
    fresh: set


def magnitude_bins(magnitudes: dict) -> tuple:
    """Per key, the palette index of a mean |gradient| on a log scale (-1 for exactly 0),
    and the log10 range of the scale (None when no gradient is positive)."""
    positive = [m for m in magnitudes.values() if m > 0 and math.isfinite(m)]
    if not positive:
        return {k: -1 for k in magnitudes}, None
    lo, hi = math.log10(min(positive)), math.log10(max(positive))
    if hi - lo < 1:         # at least one decade, so equal gradients do not look different
        middle = (lo + hi) / 2
        lo, hi = middle - 0.5, middle + 0.5
    n = len(GRAD_PALETTE)
    bins = {}
    for key, m in magnitudes.items():
        if m > 0 and math.isfinite(m):
            bins[key] = min(n - 1, int((math.log10(m) - lo) / (hi - lo) * n))
        else:
            bins[key] = n - 1 if m > 0 else -1     # inf or nan: the loudest colour
    return bins, (lo, hi)


def grad_of(item: TensorNode, grads: Optional[dict], key: int) -> Any:
    """The gradient to show for a tensor: from `grads` (computed) if given, else its own
    `.grad` (a leaf's, or one kept by retain_grad)."""
    if grads is not None:
        return grads.get(key)
    return item.tensor.grad if item.tensor is not None else None


def draw_ops(model: GraphModel, opt: Options, grads: Optional[dict] = None,
             partial: frozenset = frozenset(), state: Optional[StepState] = None) -> Drawing:
    """The op graph: a node per tensor and per op, edges input -> op -> output."""
    drawing = Drawing(opt, ("0.35", "0.12,0.05"))
    clusters = Clusters(model) if opt.group_by_module else None
    magnitudes: dict = {}
    if opt.color_by_grad:
        for key, item in model.tensors.items():
            g = grad_of(item, grads, key)
            if g is not None and g.data.size:
                magnitudes[key] = mean_abs(g.data)
    bins, scale = magnitude_bins(magnitudes) if opt.color_by_grad else ({}, None)
    any_grad = False
    for key, item in model.tensors.items():
        g = grad_of(item, grads, key) if opt.show_grads else None
        any_grad = any_grad or g is not None
        lines = _tensor_lines(item, opt, g, magnitudes.get(key, 0.0), key in partial)
        attrs = _tensor_attrs(item, opt, bins.get(key), state is not None and key in state.fresh)
        drawing.nodes.append(Node(item.dot_id, lines, attrs, _cluster(clusters, item.scope),
                                  item))
    for key, op in model.ops.items():
        lines = _op_lines(op, opt, model.steps.get(key) if opt.show_order else None)
        drawing.nodes.append(Node(op.dot_id, lines, _op_attrs(key, state),
                                  _cluster(clusters, op.node.scope), op))
    if clusters is not None:
        drawing.clusters = clusters.found
    drawing.notes = list(model.notes)
    drawing.note_targets = model.cut[:20] if model.notes else []
    if opt.legend:
        drawing.legend = _legend(model, opt, scale, state is not None, any_grad)
    drawing.edges = [DrawnEdge(e.tail, e.head, e.operand) for e in model.edges]
    return drawing


def _cluster(clusters: Optional[Clusters], scope: Any) -> Optional[int]:
    return None if clusters is None else clusters.key_of(scope)


def _tensor_lines(item: TensorNode, opt: Options, g: Any, magnitude: float,
                  so_far: bool) -> list:
    head = [Span(item.label, "bold")] if item.label else []
    if opt.show_shapes or not item.label:     # no empty box: a nameless one shows its shape
        head.append(Span(shape_text(item.shape, item.dtype), "muted"))
    lines = [tuple(head)]
    if item.caption:
        lines.append((Span(item.caption, "small"),))
    if opt.show_values:
        if item.tensor is not None:
            lines += [(Span(text),) for text in summary(item.tensor.data)]
        else:
            lines.append((Span("value released", "released"),))
    if g is not None and opt.color_by_grad:
        # the number behind the colour, so the two can be read together
        lines.append((Span(f"mean |grad| {magnitude:.2g}", "bold"),))
    elif g is not None:
        text = summary(g.data)
        prefix = "grad (so far) " if so_far else "grad "
        lines += [(Span(t, "grad"),) for t in [prefix + text[0], *text[1:]]]
    return lines


def _tensor_attrs(item: TensorNode, opt: Options, b: Optional[int], fresh: bool) -> dict:
    attrs = {"shape": "box", "style": "rounded,filled", "fillcolor": ROLE_COLORS[item.role]}
    if opt.color_by_grad:
        attrs["fillcolor"] = fill_of_bin(b)
        if b is not None and b >= DARK_FROM:
            attrs["fontcolor"] = "white"
        if item.role != "value":    # the role still shows, as the border colour
            attrs["color"] = ROLE_BORDERS[item.role]
            attrs["penwidth"] = "2.5"
    if fresh:
        attrs["color"] = EMPHASIS
        attrs["penwidth"] = "2.5"
    return attrs


def _op_lines(op: OpNode, opt: Options, step: Optional[int]) -> list:
    name = op.name if step is None else f"{step_mark(step)} {op.name}"
    lines = [(Span(name, "bold"),)]
    if op.args:
        lines.append((Span(op.args, "muted"),))
    if opt.show_derivatives:
        lines += [(Span(text, "small"),) for text in wrap_derivative(derivative(op.node))]
    return lines


def _op_attrs(key: int, state: Optional[StepState]) -> dict:
    attrs = {"shape": "ellipse", "style": "filled", "fillcolor": OP_COLOR,
             "margin": "0.04,0.02"}
    if state is not None:
        if key == state.current:
            attrs.update(fillcolor=OP_CURRENT_COLOR, color=EMPHASIS, penwidth="3")
        elif key in state.done:
            attrs["fillcolor"] = OP_DONE_COLOR
        else:
            attrs.update(fillcolor=OP_PENDING_COLOR, color="#aaaaaa", fontcolor="#777777")
    return attrs


def _legend(model: GraphModel, opt: Options, scale: Optional[tuple], stepping: bool,
            any_grad: bool) -> list:
    rows = []
    roles = {item.role for item in model.tensors.values()}
    if opt.color_by_grad:
        # the role is the border colour here; the fill is the gradient's size
        rows.append(LegendRow("swatch", "tensor (border: green parameter, grey constant, "
                              "orange output)", NO_GRAD_COLOR))
    else:
        rows += [LegendRow("swatch", ROLE_TEXT[role], ROLE_COLORS[role])
                 for role in ("param", "const", "value", "output") if role in roles]
    if any_grad and not opt.color_by_grad:
        rows.append(LegendRow("note", "grad = ∂(output)/∂(this tensor)", GRAD_TEXT))
    if stepping:
        rows += [LegendRow("swatch", "op already visited by backward", OP_DONE_COLOR),
                 LegendRow("swatch", "op visited at this step", OP_CURRENT_COLOR),
                 LegendRow("swatch", "op still to visit", OP_PENDING_COLOR)]
    else:
        rows.append(LegendRow("swatch", "op (its local derivative below the name)", OP_COLOR))
    if opt.color_by_grad:
        rows += scale_rows(scale)
    return rows


def scale_rows(scale: Optional[tuple]) -> list:
    """The legend's colour scale of mean |grad| (color_by_grad)."""
    if scale is None:
        return [LegendRow("centered", "no gradients to colour")]
    lo, hi = scale
    n = len(GRAD_PALETTE)
    cells = tuple((color, f"{10 ** (lo + (hi - lo) * (i + 0.5) / n):.0e}",
                   "white" if i >= DARK_FROM else "black")
                  for i, color in enumerate(GRAD_PALETTE))
    return [LegendRow("centered", "mean |grad| (log scale)"), LegendRow("scale", cells=cells),
            LegendRow("swatch", "gradient exactly 0", GRAD_ZERO_COLOR),
            LegendRow("swatch", "no gradient known", NO_GRAD_COLOR)]
