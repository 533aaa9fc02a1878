"""The collapsed view (draw_graph's collapse=True): one box per call of a leaf module,
labelled with its dotted name and short form, its input → output shapes, its parameter
count and, where known, the mean |grad| of its output and of its parameters. The input x,
the labels y*, the loss L and other leaves stay tensor nodes; ops that ran outside any leaf
module stay small op nodes with their shapes; edges follow the data between them."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from viz.drawing import (Drawing, DrawnEdge, LegendRow, Node, Options, Span, grad_of,
                         magnitude_bins, scale_rows)
from viz.layout import Box, Clusters, collapse, module_text, owner_module
from viz.model import GraphModel, TensorNode
from viz.style import (DARK_FROM, LAYER_BORDER, LAYER_COLOR, LAYER_PARAM_COLOR, OP_COLOR,
                       ROLE_COLORS, ROLE_TEXT, fill_of_bin)
from viz.text import mean_abs, shape_text, summary


def draw_collapsed(model: GraphModel, opt: Options, grads: Optional[dict] = None) -> Drawing:
    """One box per call of a leaf module instead of its ops."""
    boxes, box_of = collapse(model)
    wiring = _Wiring(model, boxes, box_of)
    grad_lines, magnitudes = _box_gradients(model, boxes, grads)
    bins, scale = magnitude_bins(magnitudes) if opt.color_by_grad else ({}, None)
    placed: list = []               # (forward order, scope, Node)
    for box in boxes:
        text = grad_lines.get(box.dot_id) if opt.show_grads or opt.color_by_grad else None
        placed.append((box.nodes[0].sequence, _container(model, box),
                       _box_node(box, opt, wiring, text, bins.get(box.dot_id))))
    for key, op in model.ops.items():
        if key not in box_of:
            placed.append((op.node.sequence, op.node.scope, _loose_op_node(op, opt, wiring)))
    for item in wiring.shown:
        order = -1.0 if item.node is None else item.node.sequence + 0.5
        placed.append((order, None, _tensor_node(item, opt)))
    placed.sort(key=lambda p: p[0])
    drawing = Drawing(opt, ("0.3", "0.15,0.06"))
    clusters = Clusters(model) if opt.group_by_module else None
    for _order, scope, node in placed:
        node.cluster = None if clusters is None else clusters.key_of(scope)
        drawing.nodes.append(node)
    if clusters is not None:
        drawing.clusters = clusters.found
    drawing.notes = list(model.notes)
    if opt.legend:
        drawing.legend = _legend(boxes, wiring.shown, len(model.ops) > len(box_of), opt, scale)
    seen: set = set()
    for _order, tail, head in sorted(wiring.edges, key=lambda e: e[0]):
        if (tail, head) not in seen:
            seen.add((tail, head))
            drawing.edges.append(DrawnEdge(tail, head))
    return drawing


def _container(model: GraphModel, box: Box) -> Any:
    # a box sits in the cluster of the container that holds its layer
    if not box.name:
        return None
    owner = box.name.rpartition(".")[0]
    return owner_module(model, owner) if owner else None


class _Wiring:
    """Which tensors stay nodes, the edges between boxes, ops and tensors (in forward
    order), and the shapes that flow into and out of each box and loose op."""

    def __init__(self, model: GraphModel, boxes: list, box_of: dict) -> None:
        self.model, self.box_of = model, box_of
        self.by_id = {box.dot_id: box for box in boxes}
        self.owned = {id(box): {id(p) for p in box.params} for box in boxes}
        self.op_inputs: dict = {}   # op dot_id -> {tensor key: shape}
        self.shown: list = []       # tensor nodes drawn
        self.edges: list = []       # (forward order, tail, head)
        for key, item in model.tensors.items():
            ends = self._leaf(key, item) if item.node is None else self._result(key, item)
            if ends is not None:
                self._uses(key, item, *ends)

    def endpoint(self, node: Any) -> str:
        box = self.box_of.get(id(node))
        return box.dot_id if box is not None else self.model.ops[id(node)].dot_id

    def _leaf(self, key: int, item: TensorNode) -> Optional[tuple]:
        # x, y*, a parameter, a constant: (tail, start) of its edges, None for no node
        inside = {id(self.box_of.get(id(use))) for use, _ in item.uses}
        box = self.box_of.get(id(item.uses[0][0])) if item.uses else None
        if box is not None and len(inside) == 1 and id(item.tensor) in self.owned[id(box)]:
            return None             # the layer's own parameter
        if not item.label and not item.tensor.requires_grad and item.role != "output":
            # an unnamed constant (a running mean, the 2 of x * 2): no node of its own; an
            # op outside the layers lists its shape among its inputs
            for use, _position in item.uses:
                if id(use) not in self.box_of:
                    self.op_inputs.setdefault(self.model.ops[id(use)].dot_id, {}).setdefault(
                        key, item.shape)
            return None
        self.shown.append(item)
        return item.dot_id, None

    def _result(self, key: int, item: TensorNode) -> tuple:
        # an op's output: its edges start at the op's box (or the op); a root is a node
        tail = start = self.endpoint(item.node)
        if item.role == "output":
            self.shown.append(item)
            self.edges.append((item.node.sequence + 0.5, tail, item.dot_id))
            tail = item.dot_id
        if start in self.by_id and (item.role == "output" or any(
                self.endpoint(use) != start for use, _ in item.uses)):
            self.by_id[start].outputs.setdefault(key, item.shape)
        return tail, start

    def _uses(self, key: int, item: TensorNode, tail: str, start: Optional[str]) -> None:
        for use, _position in item.uses:
            head = self.endpoint(use)
            if head == start:
                continue            # inside one box
            self.edges.append((use.sequence, tail, head))
            target = self.by_id[head].inputs if head in self.by_id else \
                self.op_inputs.setdefault(head, {})
            target.setdefault(key, item.shape)

    def shapes(self, found: dict) -> str:
        if not found:       # its input was data, freed by backward with the graph
            return "(freed)" if self.model.released else "?"
        return ", ".join(shape_text(s, None) for s in found.values())


def _box_gradients(model: GraphModel, boxes: list, grads: Optional[dict]) -> tuple:
    """Per box: the line "mean |grad|: output … · parameters …", and the magnitude it is
    coloured by (its output's, else its parameters')."""
    lines: dict = {}
    magnitudes: dict = {}
    for box in boxes:
        parts = []
        out_mag = None
        for key in box.outputs or {id(box.nodes[-1]): None}:
            item = model.tensors.get(key)
            g = grad_of(item, grads, key) if item is not None else None
            if g is not None and g.data.size:
                out_mag = mean_abs(g.data)
                parts.append(f"output {out_mag:.2g}")
                break
        total, size = 0.0, 0
        for p in box.params:
            g = grads.get(id(p)) if grads is not None else p.grad
            if g is not None and g.data.size:
                with np.errstate(all="ignore"):
                    total += float(np.abs(g.data.astype(np.float64)).sum())
                size += g.data.size
        param_mag = total / size if size else None
        if param_mag is not None:
            parts.append(f"parameters {param_mag:.2g}")
        if parts:
            lines[box.dot_id] = "mean |grad|: " + " · ".join(parts)
            magnitudes[box.dot_id] = out_mag if out_mag is not None else param_mag
    return lines, magnitudes


def _box_node(box: Box, opt: Options, wiring: _Wiring, grad_text: Optional[str],
              b: Optional[int]) -> Node:
    n_params = sum(p.data.size for p in box.params)
    head = module_text(box.module)
    if box.name:
        head = f"{box.name} · {head}"
    if box.calls > 1:
        head += f" · call {box.call} of {box.calls}"
    lines = [(Span(head, "bold"),)]
    if opt.show_shapes:
        lines.append((Span(f"{wiring.shapes(box.inputs)} → {wiring.shapes(box.outputs)}"),))
    if n_params:
        lines.append((Span(f"{n_params:,} parameter{'s' if n_params > 1 else ''}", "muted"),))
    attrs = {"shape": "box", "style": "filled", "penwidth": "1.5", "color": LAYER_BORDER,
             "fillcolor": LAYER_PARAM_COLOR if n_params else LAYER_COLOR}
    if opt.color_by_grad:
        attrs["fillcolor"] = fill_of_bin(b)
        if b is not None and b >= DARK_FROM:
            attrs["fontcolor"] = "white"
    if grad_text:
        lines.append((Span(grad_text, "small-grad"),))
    return Node(box.dot_id, lines, attrs, item=box)


def _loose_op_node(op: Any, opt: Options, wiring: _Wiring) -> Node:
    # an op that ran outside any leaf module: its name, arguments and shapes
    node = op.node
    lines = [(Span(node.name, "bold"),)]
    if op.args:
        lines.append((Span(op.args, "muted"),))
    if opt.show_shapes:
        into = wiring.op_inputs.get(op.dot_id, {})
        text = shape_text(node.output_shape, None)
        if into:
            text = f"{wiring.shapes(into)} → {text}"
        lines.append((Span(text, "small"),))
    attrs = {"shape": "ellipse", "style": "filled", "fillcolor": OP_COLOR,
             "margin": "0.04,0.02"}
    return Node(op.dot_id, lines, attrs, item=op)


def _tensor_node(item: TensorNode, opt: Options) -> Node:
    lines = [(Span(item.label, "bold"),)] if item.label else []
    if opt.show_shapes or not item.label:
        lines.append((Span(shape_text(item.shape, item.dtype), "muted"),))
    if opt.show_values and item.tensor is not None and item.tensor.data.size <= 1:
        lines += [(Span(text),) for text in summary(item.tensor.data)]
    attrs = {"shape": "box", "style": "rounded,filled", "fillcolor": ROLE_COLORS[item.role]}
    return Node(item.dot_id, lines, attrs, item=item)


def _legend(boxes: list, shown: list, loose_ops: bool, opt: Options,
            scale: Optional[tuple]) -> list:
    rows = [LegendRow("note", "one box per layer: its ops collapsed; input → output shapes")]
    total = sum(p.data.size for p in {id(p): p for b in boxes for p in b.params}.values())
    if total:
        rows.append(LegendRow("note", f"{total:,} parameters in all"))
    if opt.color_by_grad:
        rows.append(LegendRow("note", "box fill: mean |grad| of its output (else of its "
                              "parameters)"))
    else:
        with_params = [bool(b.params) for b in boxes]
        if True in with_params:
            rows.append(LegendRow("swatch", "layer with parameters", LAYER_PARAM_COLOR))
        if False in with_params:
            rows.append(LegendRow("swatch", "layer without parameters", LAYER_COLOR))
    if loose_ops:
        rows.append(LegendRow("swatch", "op outside any layer", OP_COLOR))
    roles = {item.role for item in shown}
    rows += [LegendRow("swatch", ROLE_TEXT[role].replace("intermediate value", "tensor"),
                       ROLE_COLORS[role])
             for role in ("param", "const", "value", "output") if role in roles]
    if opt.color_by_grad:
        rows += scale_rows(scale)
    return rows
