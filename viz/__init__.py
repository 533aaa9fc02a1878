"""Computation graph -> graphviz: pictures that show the chain rule.

    from viz import draw_graph, backward_steps, save_graph   # also autograd.draw_graph, ...
    loss.backward(retain_graph=True)        # keep the graph to see intermediate values
    draw_graph(loss)                        # a graphviz.Digraph: Jupyter shows it inline
    draw_graph(loss, module=model, color_by_grad=True)
    draw_graph(loss, module=model, collapse=True)   # one box per layer: for big models
    for picture in backward_steps(loss):    # one picture per step of the backward pass
        display(picture)
    save_graph(loss, "graph.svg")           # svg, png, pdf, or dot/gv (DOT text only)

The picture is bipartite, like the graph the engine records: rounded boxes are tensors (name,
shape and dtype, value, gradient), ellipses are ops (name and local derivative), and edges go
forward, input -> op -> output. Backward walks the same edges in reverse. An edge into an op
with two or more operands says which operand it is (MatMul's A and B, Sub's a and b, Affine's
x, W and b: the names an op declares, `operands = ("x", "W", "b")`, else its forward's
parameters), and an op's derivative shows only the parts for inputs that get a gradient.

A tensor is named by its `name` (Tensor(..., name="X")) or, for a parameter of `module`, its
dotted name; the others get the course's names (viz.names): the data fed to the first layer
is x, the labels fed to the loss y*, an affine layer's output s = xW + b (s = hW + b further
on), an activation's h = σ(s) (tanh, ReLU, ... alike), the model's output ŷ and the loss L.
A tensor with no name shows its shape and dtype: no box is empty.

After `backward()` without `retain_graph=True` the engine frees the graph's saved tensors:
the picture still shows every op and the shapes of the intermediate tensors, plus the values
and gradients of the leaves, and a note says the graph was released. Intermediate gradients
exist only for tensors that called `retain_grad()`, or when the picture computes them itself
(`compute_grads=True`: the engine's backward pass run once more by `engine.walk`, which
leaves every `.grad` untouched and runs no hook).

`collapse=True` draws a big model readably: one box per layer (each leaf module that ran ops),
labelled with its dotted name and the module's own short form (`Module.short_repr`:
"layers.0 · Conv2d(1→8, 5×5, pad 2)"), its input → output shapes and its parameter count;
edges follow the data between layers, and the input x, the labels y* and the loss L stay
tensor nodes.

The package, from the autograd graph to the DOT text: viz.model collects the graph model
(tensors, ops, edges; viz.names names them, viz.describe says what each op is), viz.backward
runs the pass, viz.layout groups nodes by module (clusters, collapsed boxes), viz.drawing and
viz.collapsed lay out each node's label, viz.dot writes DOT, viz.files shows and saves it.
Each picture keeps what it was written from: `picture.drawing` (its nodes, labels, clusters
and edges) and `picture.drawing.model` (the graph model).

Nothing here needs the graphviz `dot` program except turning the picture into an image; the
DOT text is always in `picture.source`.
"""

from __future__ import annotations

import dataclasses
import inspect
import os
from typing import Any, Iterator, Optional, Sequence, Union

import graphviz

from autograd.tensor import Tensor
from viz.backward import backward_order, gradients, steps
from viz.collapsed import draw_collapsed
from viz.dot import to_graph
from viz.drawing import Drawing, Options, StepState, draw_ops
from viz.files import Graph, GraphvizMissingWarning, file_format, save
from viz.model import GraphModel, collect

__all__ = ["Drawing", "Graph", "GraphModel", "GraphvizMissingWarning", "backward_steps",
           "draw_graph", "save_graph"]

Roots = Union[Tensor, Sequence[Tensor]]


def draw_graph(*roots: Roots, module: Any = None, show_values: bool = True,
               show_grads: bool = True, show_shapes: bool = True, show_derivatives: bool = True,
               show_order: bool = False, color_by_grad: bool = False,
               compute_grads: Optional[bool] = None, grad_outputs: Optional[Sequence[Any]] = None,
               group_by_module: Optional[bool] = None, legend: bool = True,
               max_nodes: Optional[int] = 500, rankdir: str = "TB",
               title: Optional[str] = None, fontname: str = "Helvetica",
               fontsize: float = 11, collapse: bool = False) -> Graph:
    """Draw the computation graph that produced `roots` (one or more Tensors).

    module: an nn.Module (anything with `named_modules()` and `named_parameters()`):
      parameters carry their dotted names; with `group_by_module` (default: on when given)
      ops and parameters sit in a cluster per module ("layers.0 (Linear)").
    show_values, show_grads, show_shapes, show_derivatives: each tensor's value (every entry
      of one with at most 6, else min/mean/max), its gradient where one is known (`.grad` of
      leaves and of tensors that called `retain_grad()`, or every one with compute_grads),
      its shape and dtype; each op's local derivative (the first line of its docstring).
    show_order: number each op by the step at which backward visits it (1 = first).
    color_by_grad: fill tensors by mean |gradient| on a log scale (pale = tiny, dark red =
      large), the scale in the legend: vanishing gradients stand out at a glance.
    compute_grads: every gradient, from the engine's backward pass run once more (the
      user's `.grad` untouched, no hook run); default: on with color_by_grad. Needs the graph
      alive: before backward, or after `backward(retain_graph=True)`. grad_outputs: the
      gradients it starts from, one per root (default: ones).
    legend: a small table explaining the colours. title: a caption on top. rankdir: "TB"
      (inputs on top, loss at the bottom) or "LR". fontname, fontsize: of every label.
    max_nodes: draw at most this many nodes (None: no limit), the nearest to the roots; a
      note says how many were left out.
    collapse: one box per call of each leaf module that ran ops, "dotted name · short form"
      (`short_repr()`), with its input → output shapes, parameter count and, where known,
      the mean |grad| of its output and parameters (coloured by it with color_by_grad). The
      input x, the labels y*, the loss L and other leaves stay tensor nodes; ops outside any
      leaf module stay small op nodes. The whole graph is walked (max_nodes does not cut
      it); show_order and show_derivatives do not apply. Works on a released graph too.

    Returns a `Graph` (a `graphviz.Digraph`): displayed inline in Jupyter, its DOT text in
    `.source`, what it shows in `.drawing`, turned into a file by `save_graph`.
    """
    options = Options(module=module, show_values=show_values, show_grads=show_grads,
                      show_shapes=show_shapes, show_derivatives=show_derivatives,
                      show_order=show_order, color_by_grad=color_by_grad,
                      group_by_module=module is not None if group_by_module is None
                      else group_by_module,
                      legend=legend, rankdir=_check_rankdir(rankdir), title=title,
                      fontname=fontname, fontsize=fontsize)
    return _draw(_flatten_roots(roots), options, collapse, compute_grads, grad_outputs,
                 max_nodes)


def _draw(roots: list, opt: Options, collapse: bool, compute_grads: Optional[bool],
          grad_outputs: Optional[Sequence[Any]], max_nodes: Optional[int]) -> Graph:
    model = collect(roots, opt.module, None if collapse else max_nodes)
    if model.omitted and opt.module is not None:
        model.notes[0] += "; draw_graph(..., collapse=True) draws one box per layer instead"
    if opt.show_order and not collapse:
        model.steps = {id(node): i for i, node in enumerate(backward_order(roots), 1)}
    grads = None
    if compute_grads is None:
        compute_grads = opt.color_by_grad and not model.released
    if compute_grads and (opt.show_grads or opt.color_by_grad):
        if model.released:
            model.notes.append("gradients of intermediate tensors: not available, the graph "
                               "was released (use backward(retain_graph=True))")
        else:
            grads = gradients(roots, grad_outputs)
    drawing = draw_collapsed(model, opt, grads) if collapse else draw_ops(model, opt, grads)
    return _written(drawing, model)


def backward_steps(*roots: Roots, grad_outputs: Optional[Sequence[Any]] = None,
                   **draw_options: Any) -> Iterator[Graph]:
    """Walk through the backward pass: yield one picture per step, in the engine's order.

    Step k visits the k-th op of `engine.topological_order`: it takes the gradient of its
    output (complete by then) and, by its local derivative, sends one gradient to each input.
    In picture k the ops already visited are blue, the current one yellow with a red border,
    the ops still to come pale; the tensors that just received a gradient have a red border,
    and a gradient still waiting for more contributions is marked "so far". The gradients come
    from the engine's pass run once more (`.grad` and hooks untouched), so the graph must be
    alive: call this before backward, or after `backward(retain_graph=True)`.

    `grad_outputs`: the starting gradients, one per root (default: ones). Other keyword
    arguments are those of `draw_graph` (show_order is on unless turned off).

        for picture in backward_steps(loss):
            display(picture)
    """
    root_list = _flatten_roots(roots)
    options = _step_options(draw_options)
    order = backward_order(root_list, strict=True)
    model = collect(root_list, options.module, draw_options.get("max_nodes", 500))
    model.steps = {id(node): i for i, node in enumerate(order, 1)}
    done: set = set()
    for step, (node, grads, received) in enumerate(steps(root_list, grad_outputs), 1):
        fresh = {id(parent) for parent in node.parents()}
        partial = {key for key, expected in model.expected.items()
                   if key in grads and received.get(key, 0) < expected}
        caption = (f"backward step {step} of {len(order)}: {node.name} sends ∂L/∂output to "
                   "its inputs")
        title = caption if options.title is None else f"{options.title}\n{caption}"
        drawing = draw_ops(model, dataclasses.replace(options, title=title), grads=grads,
                           partial=partial,
                           state=StepState(done=set(done), current=id(node), fresh=fresh))
        yield _written(drawing, model)
        done.add(id(node))


def _step_options(draw_options: dict) -> Options:
    # backward_steps' keyword arguments, checked, as the display options
    draw_options.setdefault("show_order", True)
    unknown = set(draw_options) - set(inspect.signature(draw_graph).parameters)
    if unknown:
        raise TypeError(f"backward_steps() got unexpected options {sorted(unknown)}")
    module = draw_options.get("module")
    options = Options(module=module, **{k: draw_options.get(k, default)
                                        for k, default in Options.defaults().items()})
    group = draw_options.get("group_by_module")
    options.group_by_module = module is not None if group is None else group
    options.rankdir = _check_rankdir(options.rankdir)
    if draw_options.get("collapse"):
        raise ValueError("backward_steps walks the ops one by one; collapse=True (one box per "
                         "layer) is for draw_graph")
    if draw_options.get("compute_grads") is False:
        raise ValueError("backward_steps always computes gradients; compute_grads=False "
                         "makes no sense here")
    return options


def save_graph(graph_or_roots: Union[graphviz.Digraph, Roots], path: Union[str, os.PathLike],
               format: Optional[str] = None, **draw_options: Any) -> str:
    """Write a picture to `path` and return the path written.

    `graph_or_roots` is a picture from `draw_graph` (any graphviz graph) or the root Tensors
    to draw (then `draw_options` go to `draw_graph`). `format` comes from the extension when
    not given: svg, png, pdf, or dot/gv for the DOT text itself. When the `dot` program is
    missing, warns with a `GraphvizMissingWarning` naming the install command, writes the DOT
    text next to `path` (same name, extension .dot) and returns that path instead.
    """
    path = os.fspath(path)
    fmt = file_format(path, format)
    if isinstance(graph_or_roots, (graphviz.Digraph, graphviz.Graph)):
        if draw_options:
            raise TypeError("save_graph: drawing options only apply when given tensors")
        graph = graph_or_roots
    else:
        graph = draw_graph(graph_or_roots, **draw_options)
    return save(graph, path, fmt)


def _written(drawing: Drawing, model: GraphModel) -> Graph:
    drawing.model = model
    graph = to_graph(drawing)
    graph.drawing = drawing
    return graph


def _flatten_roots(roots: tuple) -> list:
    flat: list = []
    for r in roots:
        if isinstance(r, Tensor):
            flat.append(r)
        elif isinstance(r, (list, tuple)):
            flat.extend(r)
        else:
            raise TypeError(f"expected Tensors to draw, got {type(r).__name__}")
    if not flat:
        raise ValueError("nothing to draw: pass at least one Tensor")
    for r in flat:
        if not isinstance(r, Tensor):
            raise TypeError(f"expected Tensors to draw, got {type(r).__name__}")
    return flat


def _check_rankdir(rankdir: str) -> str:
    if rankdir not in ("TB", "LR", "BT", "RL"):
        raise ValueError(f"rankdir must be 'TB' or 'LR' (or 'BT', 'RL'), got {rankdir!r}")
    return rankdir
