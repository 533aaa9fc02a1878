"""Computation graph -> graphviz: pictures that show the chain rule.

    from autograd.viz import draw_graph, backward_steps, save_graph
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
x, W and b), and an op's derivative shows only the parts for inputs that get a gradient.

A tensor is named by its `name` (Tensor(..., name="X")) or, for a parameter of `module`, its
dotted name; the others get the course's names: the data fed to the first layer is x, the
labels fed to the loss y*, a Linear layer's output s = xW + b (s = hW + b further on), an
activation's h = σ(s) (tanh, ReLU, ... alike), the model's output ŷ and the loss L. A tensor
with no name shows its shape and dtype: no box is empty.

After `backward()` without `retain_graph=True` the engine frees the graph's saved tensors:
the picture still shows every op and the shapes of the intermediate tensors, plus the values
and gradients of the leaves, and a note says the graph was released. Intermediate gradients
exist only for tensors that called `retain_grad()`, or when the picture computes them itself
(`compute_grads=True`, a dry run of backward that leaves every `.grad` untouched).

`collapse=True` draws a big model readably: one box per layer (each leaf module that ran ops),
labelled with its dotted name, a short form of the module ("layers.0 · Conv2d(1→8, 5×5, pad 2)"),
its input → output shapes and its parameter count; edges follow the data between layers, and
the input x, the labels y* and the loss L stay tensor nodes.

Nothing here needs the graphviz `dot` program except turning the picture into an image; the
DOT text is always in `picture.source`.
"""

from __future__ import annotations

import html
import inspect
import math
import os
import re
import shutil
import textwrap
import warnings
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Optional, Sequence, Union

import graphviz
import numpy as np

from autograd import engine, mode
from autograd.function import Function
from autograd.tensor import Tensor

__all__ = ["Graph", "GraphvizMissingWarning", "backward_steps", "draw_graph", "save_graph"]

Roots = Union[Tensor, Sequence[Tensor]]

INSTALL_HINT = ("install Graphviz: `sudo apt-get install graphviz` (Debian/Ubuntu), "
                "`brew install graphviz` (macOS) or `conda install graphviz`")

# Fill colours by role: pastel, so black text stays readable on all of them.
ROLE_COLORS = {
    "param": "#b7e1a1",     # a leaf that requires grad: what training updates
    "const": "#e3e3e3",     # a leaf without grad: data, labels, constants
    "value": "#ffffff",     # an intermediate result of an op
    "output": "#ffc08a",    # a root: what the picture was asked for (the loss)
}
ROLE_TEXT = {
    "param": "parameter (leaf, requires grad)",
    "const": "constant (leaf, no grad)",
    "value": "intermediate value",
    "output": "output (root)",
}
OP_COLOR = "#cfe0f5"
OP_DONE_COLOR = "#8fbce6"      # backward_steps: ops already visited
OP_PENDING_COLOR = "#f4f6f9"   # backward_steps: ops still to come
OP_CURRENT_COLOR = "#ffd84d"   # backward_steps: the op visited at this step
EMPHASIS = "#d62728"
GRAD_TEXT = "#a50f15"
MUTED_TEXT = "#555555"
NOTE_COLOR = "#fff4b3"
EDGE_LABEL_COLOR = "#1f4e8c"
# ColorBrewer YlOrRd: a sequential palette, pale = tiny gradient, dark red = large gradient.
GRAD_PALETTE = ["#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c",
                "#bd0026", "#800026"]
GRAD_ZERO_COLOR = "#bdbdbd"
DARK_FROM = 5       # palette entries from here on take white text
TINY = 6            # tensors with at most this many entries show every value
DERIVATIVE_CHARS = 64     # an op's derivative is wrapped to lines this long (at most 3)
ARG_CHARS = 44      # an op's arguments line (e.g. GetItem's index) is kept this short


class GraphvizMissingWarning(UserWarning):
    """The graphviz `dot` program is not installed, so only the DOT text could be written."""


class Graph(graphviz.Digraph):
    """A `graphviz.Digraph` that Jupyter shows inline; without the `dot` program it shows its
    DOT source and a warning with the install command instead of a traceback."""

    def _repr_mimebundle_(self, include: Optional[Iterable[str]] = None,
                          exclude: Optional[Iterable[str]] = None, **kwargs: Any) -> dict:
        if shutil.which("dot") is None:
            _warn_missing("the picture cannot be shown")
            return {"text/plain": self.source}
        try:
            return super()._repr_mimebundle_(include, exclude, **kwargs)
        except graphviz.ExecutableNotFound:
            _warn_missing("the picture cannot be shown")
            return {"text/plain": self.source}


# ====================================================================== public functions
def draw_graph(*roots: Roots, module: Any = None, show_values: bool = True,
               show_grads: bool = True, show_shapes: bool = True, show_derivatives: bool = True,
               show_order: bool = False, color_by_grad: bool = False,
               compute_grads: Optional[bool] = None, grad_outputs: Optional[Sequence[Any]] = None,
               group_by_module: Optional[bool] = None, legend: bool = True,
               max_nodes: Optional[int] = 500, rankdir: str = "TB",
               title: Optional[str] = None, fontname: str = "Helvetica",
               fontsize: float = 11, collapse: bool = False) -> Graph:
    """Draw the computation graph that produced `roots` (one or more Tensors).

    Options:
      module: an nn.Module (anything with `named_modules()` and `named_parameters()`):
        parameters are labelled with their dotted names and, with `group_by_module`, ops sit
        in a cluster per layer ("layers.0 (Linear)").
      show_values: each tensor's value (all entries when it has at most 6, else min/mean/max).
      show_grads: each tensor's gradient, where one is known: `.grad` of leaves and of tensors
        that called `retain_grad()`, or every gradient with `compute_grads`.
      show_shapes: shape and dtype of each tensor.
      show_derivatives: each op's local derivative (the first line of its docstring).
      show_order: number each op by the step at which backward visits it (1 = first).
      color_by_grad: fill tensors by mean |gradient| on a log scale (pale = tiny, dark red =
        large), the scale shown in the legend: vanishing gradients stand out at a glance.
      compute_grads: compute the gradient of every tensor with a dry run of backward (the
        user's `.grad` stays untouched; hooks are not run). Default: on with `color_by_grad`.
        Needs the graph alive: before backward, or after `backward(retain_graph=True)`.
      grad_outputs: the gradients the dry run starts from, one per root (default: ones).
      group_by_module: cluster ops and parameters by the module that ran them (`node.scope`).
        Default: on when `module` is given.
      legend: a small table explaining the colours.
      max_nodes: draw at most this many nodes (tensors and ops together; None: no limit);
        a note says how many were left out. The nodes nearest to the roots are kept.
      rankdir: "TB" (top to bottom: inputs on top, loss at the bottom) or "LR".
      title: a caption on top of the picture.
      fontname, fontsize: the font of every label.
      collapse: one box per layer instead of its ops: each leaf module that ran ops (Linear,
        Conv2d, ReLU, MaxPool2d, BatchNorm2d, Flatten, a loss module, ...) becomes one box
        "dotted name · short form of the module" with its input → output shapes, its
        parameter count and, where known, the mean |grad| of its output and of its
        parameters (coloured by it with `color_by_grad`). A module called twice gets a box
        per call. The module's parameters and unnamed constants collapse into its box; the
        input x, the labels y*, the loss L and other leaves stay tensor nodes, and ops that
        ran outside any leaf module (a `x.flatten(1)` in a model's own forward, a loss built
        from tensor ops) stay small op nodes with their shapes. `group_by_module` puts the
        boxes in a cluster per container (e.g. "features (Sequential)"). The whole graph is
        walked (`max_nodes` does not cut it); show_order and show_derivatives do not apply.
        Works on a released graph too (an input that backward freed shows as "(freed)").

    Returns a `Graph` (a `graphviz.Digraph`): displayed inline in Jupyter, its DOT text in
    `.source`, turned into a file by `save_graph`.
    """
    root_list = _flatten_roots(roots)
    options = _Options(module=module, show_values=show_values, show_grads=show_grads,
                       show_shapes=show_shapes, show_derivatives=show_derivatives,
                       show_order=show_order, color_by_grad=color_by_grad,
                       group_by_module=module is not None if group_by_module is None
                       else group_by_module,
                       legend=legend, rankdir=_check_rankdir(rankdir), title=title,
                       fontname=fontname, fontsize=fontsize)
    picture = _collect(root_list, module, None if collapse else max_nodes)
    if picture.omitted and module is not None:
        picture.notes[0] += "; draw_graph(..., collapse=True) draws one box per layer instead"
    if show_order and not collapse:
        picture.steps = {id(node): i for i, node in enumerate(_backward_order(root_list), 1)}
    grads = None
    if compute_grads is None:
        compute_grads = color_by_grad and not picture.released
    if compute_grads and (show_grads or color_by_grad):
        if picture.released:
            picture.notes.append("gradients of intermediate tensors: not available, the graph "
                                 "was released (use backward(retain_graph=True))")
        else:
            grads = _all_grads(root_list, grad_outputs)
    if collapse:
        return _render_collapsed(picture, options, grads=grads)
    return _render(picture, options, grads=grads)


def backward_steps(*roots: Roots, grad_outputs: Optional[Sequence[Any]] = None,
                   **draw_options: Any) -> Iterator[Graph]:
    """Walk through the backward pass: yield one picture per step, in the engine's order.

    Step k visits the k-th op of `engine.topological_order`: it takes the gradient of its
    output (complete by then) and, by its local derivative, sends one gradient to each input.
    In picture k the ops already visited are blue, the current one yellow with a red border,
    the ops still to come pale; the tensors that just received a gradient have a red border,
    and a gradient still waiting for more contributions is marked "so far". The gradients come
    from a dry run (`.grad` and hooks untouched), so the graph must be alive: call this before
    backward, or after `backward(retain_graph=True)`.

    `grad_outputs`: the starting gradients, one per root (default: ones). Other keyword
    arguments are those of `draw_graph` (show_order is on unless turned off).

        for picture in backward_steps(loss):
            display(picture)
    """
    root_list = _flatten_roots(roots)
    draw_options.setdefault("show_order", True)
    unknown = set(draw_options) - set(inspect.signature(draw_graph).parameters)
    if unknown:
        raise TypeError(f"backward_steps() got unexpected options {sorted(unknown)}")
    module = draw_options.get("module")
    group = draw_options.get("group_by_module")
    options = _Options(
        module=module,
        **{k: draw_options.get(k, d) for k, d in _Options.defaults().items()},
    )
    options.group_by_module = module is not None if group is None else group
    options.rankdir = _check_rankdir(options.rankdir)
    if draw_options.get("collapse"):
        raise ValueError("backward_steps walks the ops one by one; collapse=True (one box per "
                         "layer) is for draw_graph")
    if draw_options.get("compute_grads") is False:
        raise ValueError("backward_steps always computes gradients; compute_grads=False "
                         "makes no sense here")
    order = _backward_order(root_list, strict=True)
    picture = _collect(root_list, module, draw_options.get("max_nodes", 500))
    picture.steps = {id(node): i for i, node in enumerate(order, 1)}
    total = len(order)
    done: set = set()
    base_title = options.title
    for step, (node, grads, received) in enumerate(_dry_run(root_list, grad_outputs), 1):
        fresh = {id(parent) for parent in node.parents()}
        partial = {key for key, expected in picture.expected.items()
                   if key in grads and received.get(key, 0) < expected}
        caption = (f"backward step {step} of {total}: {node.name} sends ∂L/∂output to its "
                   "inputs")
        options.title = caption if base_title is None else f"{base_title}\n{caption}"
        yield _render(picture, options, grads=grads, partial=partial,
                      state=_StepState(done=set(done), current=id(node), fresh=fresh))
        done.add(id(node))
    options.title = base_title


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
    fmt = (format or os.path.splitext(path)[1].lstrip(".")).lower()
    if fmt not in ("svg", "png", "pdf", "dot", "gv"):
        raise ValueError(f"save_graph: unknown format {fmt!r} for {path!r}; use a path ending "
                         "in .svg, .png, .pdf, .dot or .gv (or pass format=)")
    if isinstance(graph_or_roots, (graphviz.Digraph, graphviz.Graph)):
        if draw_options:
            raise TypeError("save_graph: drawing options only apply when given tensors")
        graph = graph_or_roots
    else:
        graph = draw_graph(graph_or_roots, **draw_options)
    if fmt in ("dot", "gv"):
        _write_text(path, graph.source)
        return path
    try:
        if shutil.which("dot") is None:
            raise graphviz.ExecutableNotFound(("dot",))
        data = graph.pipe(format=fmt)
    except graphviz.ExecutableNotFound:
        dot_path = os.path.splitext(path)[0] + ".dot"
        _write_text(dot_path, graph.source)
        _warn_missing(f"{path} could not be drawn; its DOT text was saved to {dot_path}",
                      stacklevel=3)
        return dot_path
    with open(path, "wb") as f:
        f.write(data)
    return path


# ====================================================================== collecting the graph
@dataclass
class _Options:
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


@dataclass
class _TensorItem:
    dot_id: str
    role: str
    tensor: Optional[Tensor]        # None when only the shape survived (a released graph)
    node: Optional[Function]        # the op that made it; None for a leaf
    label: str
    scope: Any = None
    caption: str = ""               # a second line under the name, e.g. "ŷ = softmax(s)"
    uses: list = field(default_factory=list)    # (op node, argument index) it is fed to


@dataclass
class _OpItem:
    dot_id: str
    node: Function
    args: str                       # the op's non-tensor arguments, e.g. "axis=1"


@dataclass
class _Picture:
    tensors: dict = field(default_factory=dict)     # key -> _TensorItem
    ops: dict = field(default_factory=dict)         # id(node) -> _OpItem
    edges: list = field(default_factory=list)       # (from dot_id, to dot_id, label)
    expected: dict = field(default_factory=dict)    # key -> gradient contributions to expect
    cut: list = field(default_factory=list)         # tensor dot_ids whose op was left out
    omitted: int = 0
    released: bool = False
    notes: list = field(default_factory=list)
    steps: dict = field(default_factory=dict)       # id(node) -> backward step
    module_names: dict = field(default_factory=dict)  # id(module) -> (dotted name, module)


@dataclass
class _StepState:
    done: set
    current: int
    fresh: set


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


def _input_key(x: Tensor) -> int:
    # An op's output is keyed by its node (the tensor may be gone after release); a leaf by
    # the tensor itself.
    return id(x.grad_fn) if x.grad_fn is not None else id(x)


def _collect(roots: list, module: Any, max_nodes: Optional[int]) -> _Picture:
    """Walk the graph breadth-first from the roots (iteratively: any depth is fine), keeping
    the first `max_nodes` nodes, so that a cut keeps the part nearest the loss."""
    pic = _Picture()
    param_names: dict = {}
    if module is not None:
        pic.module_names = {id(m): (name, m) for name, m in module.named_modules()}
        param_names = {id(p): name for name, p in module.named_parameters()}
    budget = math.inf if max_nodes is None else max(int(max_nodes), 1)
    counter = [0]
    keep_alive: list = []       # ids are keys: the objects must outlive the walk

    def new_id(prefix: str) -> str:
        counter[0] += 1
        return f"{prefix}{counter[0]}"

    def room() -> bool:
        return len(pic.tensors) + len(pic.ops) < budget

    def tensor_item(key: int, tensor: Optional[Tensor], node: Optional[Function],
                    role: str) -> Optional[_TensorItem]:
        if key in pic.tensors:
            return pic.tensors[key]
        if not room():
            pic.omitted += 1
            pic.tensors[key] = None     # counted once; dropped after the walk
            return None
        keep_alive.append(tensor if tensor is not None else node)
        if role != "output":
            if node is not None:
                role = "value"
            else:
                role = "param" if tensor.requires_grad else "const"
        name = ""
        scope = node.scope if node is not None else None
        if tensor is not None and id(tensor) in param_names:
            name = param_names[id(tensor)]
            owner = name.rpartition(".")[0]
            scope = next((m for n, m in pic.module_names.values() if n == owner), None)
        elif tensor is not None and tensor.name:
            name = str(tensor.name)
        item = _TensorItem(new_id("t"), role, tensor, node, name, scope)
        pic.tensors[key] = item
        return item

    queue: deque = deque()
    seen: set = set()
    for r in roots:
        node = r.grad_fn
        tensor_item(_input_key(r), r, node, "output")
        if node is not None and id(node) not in seen:
            seen.add(id(node))
            queue.append(node)

    while queue:
        node = queue.popleft()
        out = pic.tensors.get(id(node))
        drawn = out is not None and room()
        if drawn:
            keep_alive.append(node)
            op = _OpItem(new_id("op"), node, _describe_args(node))
            pic.ops[id(node)] = op
            pic.edges.append((op.dot_id, out.dot_id, ""))
        else:
            pic.omitted += 1
            if out is not None:
                pic.cut.append(out.dot_id)
        if node.inputs is None:
            pic.released = pic.released or node.released
            # Only the edges survive a release: the inputs that required grad, in the order
            # of the arguments (needs_input_grad says which argument each one was).
            positions = [i for i, need in enumerate(node.needs_input_grad) if need]
            inputs = [(p.output if isinstance(p, Function) else p, p, i)
                      for p, i in zip(node.parents(), positions)]
            needs = [True] * len(inputs)
        else:
            edges = _edges(node)
            inputs = [(x, edges.get(i), i) for i, x in enumerate(node.inputs)
                      if isinstance(x, Tensor)]
            needs = [node.needs_input_grad[i] for _x, _f, i in inputs]
        operands = _operand_names(node, [i for _t, _p, i in inputs]) if drawn else None
        for (tensor, producer, position), need in zip(inputs, needs):
            if isinstance(producer, Function):
                key = id(producer)
                item = tensor_item(key, tensor, producer, "value")
                if id(producer) not in seen:
                    seen.add(id(producer))
                    queue.append(producer)
            else:
                key = id(producer if isinstance(producer, Tensor) else tensor)
                leaf = producer if isinstance(producer, Tensor) else tensor
                item = tensor_item(key, leaf, None, "leaf")
            if need:
                pic.expected[key] = pic.expected.get(key, 0) + 1
            if item is not None:
                item.uses.append((node, position))
            if drawn and item is not None:
                label = operands[position] if operands and position < len(operands) else ""
                pic.edges.append((item.dot_id, op.dot_id, label or ""))
            elif drawn and item is None and out is not None:
                pic.cut.append(op.dot_id)
    pic.tensors = {k: v for k, v in pic.tensors.items() if v is not None}
    pic.cut = list(dict.fromkeys(pic.cut))
    _name_tensors(pic, roots)
    if pic.omitted:
        pic.notes.append(f"{pic.omitted} more nodes not drawn (max_nodes={max_nodes}): "
                         "the picture shows the part nearest the output")
    if pic.released:
        pic.notes.append("graph released by backward(): the values of intermediate tensors "
                         "and the constants were freed (only shapes are shown). To see them, "
                         "draw before backward, or call backward(retain_graph=True)")
    pic._keep_alive = keep_alive  # type: ignore[attr-defined]
    return pic


_FORWARD_PARAMETERS: dict = {}


def _forward_names(cls: type) -> list:
    """The names of forward's parameters after ctx, one per positional argument; a `*args`
    parameter gives None (its arguments are numbered where they are used)."""
    names = _FORWARD_PARAMETERS.get(cls)
    if names is None:
        try:
            params = list(inspect.signature(cls.forward).parameters.values())[1:]
            names = [p.name if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) else None
                     for p in params]
        except (TypeError, ValueError):
            names = []
        _FORWARD_PARAMETERS[cls] = names
    return names


def _describe_args(node: Function) -> str:
    """The op's non-tensor arguments, named after forward's parameters: "axis=1"; an index
    reads as numpy does, "a[[0, 1], [2, 0]]"."""
    if not node.inputs:
        return ""
    names = _forward_names(type(node))
    parts = []
    for i, value in enumerate(node.inputs):
        if isinstance(value, Tensor) or value is None or value is False:
            continue    # None and False are the defaults: they would only clutter
        name = names[i] if i < len(names) else None
        if name == "index":
            parts.append(f"a[{_index_text(value)}]")
            continue
        text = _value_text(value)
        if len(text) > ARG_CHARS:
            text = text[:ARG_CHARS - 1] + "…"
        parts.append(f"{name}={text}" if name else text)
    return ", ".join(parts)


def _value_text(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"{value.dtype}{list(value.shape)}"
    return repr(value)


def _index_text(index: Any, room: int = ARG_CHARS - 3) -> str:
    """An index as numpy code would write it, short: `0, :`, `[0, 1], [2, 0]`, `mask (2, 3)`;
    an integer array too long to list shows its first entries and its length."""
    items = index if isinstance(index, tuple) else (index,)
    texts = [_index_item(item, full=True) for item in items]
    if sum(len(t) + 2 for t in texts) > room:
        texts = [_index_item(item, full=False) for item in items]
    text = ", ".join(texts)
    if isinstance(index, tuple) and len(index) == 1:
        text += ","
    return text if len(text) <= room else text[:room - 1] + "…"


def _index_item(item: Any, full: bool) -> str:
    if item is Ellipsis:
        return "..."
    if item is None:
        return "None"
    if isinstance(item, slice):
        start = "" if item.start is None else str(item.start)
        stop = "" if item.stop is None else str(item.stop)
        return f"{start}:{stop}" + ("" if item.step is None else f":{item.step}")
    if isinstance(item, (bool, np.bool_)):
        return str(bool(item))
    if isinstance(item, (int, np.integer)):
        return str(int(item))
    array = np.asarray(item)
    if array.dtype.kind == "b":
        return f"mask {_shape_text(array.shape, None)}"
    if array.dtype.kind in "iu":
        if array.size <= (8 if full else 3) and array.ndim <= 2:
            return str(array.tolist())
        if array.ndim == 1:
            return "[" + ", ".join(str(v) for v in array[:3].tolist()) + f", … ({array.size})]"
        return f"{array.dtype} {_shape_text(array.shape, None)}"
    text = repr(item)
    return text if len(text) <= 16 else text[:15] + "…"


_OPERAND_NAMES: dict = {}
_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _operand_names(node: Function, positions: list) -> Optional[list]:
    """The edge labels of an op with two or more tensor operands: per argument, forward's
    parameter name, written the way the op's derivative writes it (MatMul's A and B,
    Affine's x, W, b, Sub's a and b); the arguments of a `*args` parameter are a₁, a₂, ...
    None for an op with a single operand. A released op knows only its inputs that required
    grad: those are labelled when there are two, or when the one left is not the first."""
    if len(positions) < 2 and not (node.released and positions and positions[0] > 0):
        return None
    cls = type(node)
    names = _OPERAND_NAMES.get(cls)
    if names is None:
        doc = cls.derivative()
        names = []
        for name in _forward_names(cls):
            if name is not None and not re.search(rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])",
                                                  doc):
                spelling = name.upper()     # MatMul's A and B, Affine's W
                if re.search(rf"(?<![A-Za-z]){re.escape(spelling)}(?![A-Za-z])", doc):
                    name = spelling
            names.append(name)
        _OPERAND_NAMES[cls] = names
    labels = list(names)
    if len(names) and names[-1] is None:         # *args: a₁, a₂, ...
        first = len(names) - 1
        labels = names[:first] + [f"a{str(k + 1).translate(_SUBSCRIPTS)}"
                                  for k in range(max(positions) + 1 - first)]
    return labels


_DERIVATIVE_PART = re.compile(r",\s{2,}(?=∂)")
_WITH_RESPECT_TO = re.compile(r"/∂\s*([A-Za-z]+)")


def _derivative_text(node: Function) -> str:
    """The op's local derivative, only the parts for the inputs that need a gradient: a Pow
    by a constant exponent shows ∂/∂a, not ∂/∂b; a first layer's Affine (x is data) shows
    ∂/∂W and ∂/∂b."""
    text = node.derivative()
    if text.count("(") > text.count(")"):
        # the first line stops inside parentheses: the docstring goes on, take it to the end
        lines = [line.strip() for line in (type(node).__doc__ or "").strip().splitlines()]
        for line in lines[1:3]:
            if not line:
                break
            text = f"{text} {line}"
            if text.count("(") <= text.count(")"):
                break
    parts = _DERIVATIVE_PART.split(text)
    if len(parts) < 2:
        return text
    names = _forward_names(type(node))
    needs = node.needs_input_grad
    kept = []
    for part in parts:
        match = _WITH_RESPECT_TO.search(part)
        wrt = match.group(1).lower() if match else None
        index = [i for i, name in enumerate(names) if name is not None and wrt is not None
                 and (name.lower() == wrt or (len(wrt) == 1 and name[:1].lower() == wrt
                                              and not any(n and n.lower() == wrt
                                                          for n in names)))]
        if len(index) == 1 and index[0] < len(needs) and not needs[index[0]]:
            continue    # the derivative for an input that gets no gradient
        kept.append(part)
    return ",  ".join(kept) if kept else text


def _wrap_derivative(text: str) -> list:
    """A derivative as lines of at most DERIVATIVE_CHARS, broken between its parts
    (∂/∂a,  ∂/∂b) where it can, else between words; never more than three lines."""
    if len(text) <= DERIVATIVE_CHARS:
        return [text] if text else []
    lines: list = []
    for part in _DERIVATIVE_PART.split(text):
        if lines and len(lines[-1]) + 3 + len(part) <= DERIVATIVE_CHARS:
            lines[-1] += ",  " + part
        else:
            if lines:
                lines[-1] += ","
            lines += textwrap.wrap(part, DERIVATIVE_CHARS) or [part]
    if len(lines) > 3:
        lines = lines[:3]
        lines[-1] = lines[-1][:DERIVATIVE_CHARS - 2].rstrip(" ,") + " …"
    return lines


# ====================================================================== names after the course
ACTIVATION_SYMBOLS = {"Sigmoid": "σ", "Tanh": "tanh", "ReLU": "ReLU", "Step": "H",
                      "Softmax": "softmax", "LogSoftmax": "log softmax"}
INPUT_NAME, LABEL_NAME, LOSS_NAME, OUTPUT_NAME = "x", "y*", "L", "ŷ"


def _name_tensors(pic: _Picture, roots: list) -> None:
    """Give the tensors that have no name of their own the course's names: the input batch
    x and the labels y*, the output of each layer (s = xW + b, then s = hW + b; h = σ(s)),
    the model's output ŷ and the loss L. A name the user gave (Tensor(..., name=...)) or a
    parameter's dotted name is kept. Data fed to a layer is drawn in that layer's cluster,
    the labels in the loss's."""
    model = {key for key, (name, _m) in pic.module_names.items() if name}
    root_scopes = {id(r.grad_fn.scope) for r in roots
                   if r.grad_fn is not None and r.grad_fn.scope is not None and not r.shape}
    root_nodes = {id(r.grad_fn) for r in roots if r.grad_fn is not None and not r.shape}
    loss_scope: dict = {}

    def is_loss_scope(scope: Any) -> bool:
        if scope is None:
            return False
        key = id(scope)
        if key not in loss_scope:
            kind = type(scope).__name__
            loss_scope[key] = ((key in root_scopes and key not in model)
                               or kind.endswith(("Loss", "CrossEntropy")))
        return loss_scope[key]

    def is_loss_op(node: Function) -> bool:
        return id(node) in root_nodes or is_loss_scope(node.scope)

    def is_layer_op(node: Function) -> bool:
        return node.scope is not None and not is_loss_scope(node.scope)

    items = list(pic.tensors.values())
    for item in items:              # leaves first: a layer's formula names its input
        tensor = item.tensor
        if item.node is not None or tensor is None or item.scope is not None:
            continue                # (a parameter of `module` already sits in its layer)
        for node, position in item.uses:
            first = _first_tensor(node)
            if (is_loss_op(node) and not tensor.requires_grad and position != first
                    and (tensor.dtype.kind in "iub" or tensor.ndim >= 1)):
                item.label, item.scope = item.label or LABEL_NAME, node.scope
                break
            if is_layer_op(node) and position == first and tensor.dtype.kind == "f":
                item.label, item.scope = item.label or INPUT_NAME, node.scope
                break
            if is_layer_op(node) and node.name == "Affine" and position in (1, 2):
                # a layer's weights, not named by a module: W and b, in their layer
                item.label = item.label or ("W" if position == 1 else "b")
                item.scope = node.scope
                break
    for item in items:
        node = item.node
        if node is None or item.label:
            continue
        if item.role == "output" and not node.output_shape:
            item.label = LOSS_NAME
            continue
        if not is_layer_op(node):
            continue
        scope = node.scope
        leaves_scope = item.role == "output" or any(use.scope is not scope
                                                    for use, _ in item.uses)
        formula = _layer_formula(node, pic, leaves_scope)
        if formula is None:
            continue
        symbol, right = formula
        is_output = leaves_scope and (item.role == "output" or any(
            use.scope is None or is_loss_op(use) for use, _ in item.uses))
        if not is_output:
            item.label = f"{symbol} = {right}" if right else symbol
        elif symbol == "h":
            item.label = f"{OUTPUT_NAME} = {right}"        # ŷ = σ(s): the output activation
        else:
            item.label = f"{symbol} = {right}"
            item.caption = _output_caption(item, is_loss_op)


def _first_tensor(node: Function) -> int:
    """The position of the op's first tensor argument (0 but for ops like Concatenate)."""
    if node.inputs is None:
        return 0
    return next((i for i, x in enumerate(node.inputs) if isinstance(x, Tensor)), 0)


def _layer_formula(node: Function, pic: _Picture, leaves_scope: bool) -> Optional[tuple]:
    """(symbol, right-hand side) for the output of a layer's op: ("s", "xW + b"),
    ("h", "σ(s)"); the inner product of an unfused Linear is ("xW", ""). None: no name."""
    name = node.name
    if not leaves_scope:
        if name == "MatMul" and type(node.scope).__name__ == "Linear":
            return f"{_input_symbol(node, pic)}W", ""
        return None
    if name in ACTIVATION_SYMBOLS:
        return "h", f"{ACTIVATION_SYMBOLS[name]}(s)"
    if _elementwise(node):          # an activation of the user's own, e.g. Softplus
        return "h", f"{name.lower()}(s)"
    if name == "Affine":
        return "s", f"{_input_symbol(node, pic)}W + b"
    if type(node.scope).__name__ == "Linear":
        if name == "MatMul":
            return "s", f"{_input_symbol(node, pic)}W"
        if name == "Add":
            producer = _producer(node, 0)
            if producer is not None and producer.name == "MatMul":
                return "s", f"{_input_symbol(producer, pic)}W + b"
    return None


def _elementwise(node: Function) -> bool:
    """One tensor in, one of its shape out: how an activation looks from outside."""
    if node.inputs is not None:
        tensors = [x for x in node.inputs if isinstance(x, Tensor)]
        return (len(tensors) == 1 and len(node.inputs) == 1
                and tensors[0].shape == node.output_shape)
    parents = node.parents()
    if len(node.needs_input_grad) != 1 or len(parents) != 1:
        return False
    parent = parents[0]
    shape = parent.output_shape if isinstance(parent, Function) else parent.shape
    return shape is not None and shape == node.output_shape


def _producer(node: Function, position: int) -> Optional[Function]:
    """The op that made the node's argument `position` (None for a leaf or a constant)."""
    return _edges(node).get(position)


def _edges(node: Function) -> dict:
    """{argument position: the op that made it} for the arguments the gradient flows to, as
    recorded (an argument changed in place since then has another grad_fn now)."""
    positions = [i for i, need in enumerate(node.needs_input_grad) if need]
    return {i: p for i, p in zip(positions, node.parents()) if isinstance(p, Function)}


def _input_symbol(node: Function, pic: _Picture) -> str:
    """How a layer's formula names its input: h when an op made it, else the input's own
    short name (x, or the user's X)."""
    if _producer(node, 0) is not None:
        return "h"
    x = node.inputs[0] if node.inputs is not None else None
    item = pic.tensors.get(id(x)) if isinstance(x, Tensor) else None
    label = item.label if item is not None else ""
    return label if label and len(label) <= 2 and label.isalpha() else INPUT_NAME


def _output_caption(item: _TensorItem, is_loss_op: Any) -> str:
    """What a model's last linear output is to the course: the scores s, from which the loss
    computes ŷ (softmax or σ, read off its derivative), else ŷ itself."""
    for use, _ in item.uses:
        if is_loss_op(use):
            derivative = use.derivative()
            if "softmax" in derivative.lower():
                return f"the scores; {OUTPUT_NAME} = softmax(s) in the loss"
            if "σ" in derivative:
                return f"the scores; {OUTPUT_NAME} = σ(s) in the loss"
    return f"the output {OUTPUT_NAME} = s"


def _backward_order(roots: list, strict: bool = False) -> list:
    """The nodes in the order backward visits them (`engine.topological_order`, which walks
    the edges that `node.parents()` keeps, so it works on a released graph too). With
    `strict`, the graph must still be alive (a dry run of backward needs the inputs)."""
    order = engine.topological_order([r.grad_fn for r in roots if r.grad_fn is not None])
    if strict and any(node.released for node in order):
        raise RuntimeError(
            "this needs the graph alive, but backward() already released it: build it "
            "again, or call backward(retain_graph=True) the first time")
    return order


def _dry_run(roots: list, grad_outputs: Optional[Sequence[Any]]) -> Iterator[tuple]:
    """Backward without side effects: yields (node, grads so far, contributions received)
    after each node, grads keyed like the picture's tensors. No `.grad` is written and no
    hook runs; the graph is kept."""
    if grad_outputs is not None and len(grad_outputs) != len(roots):
        raise ValueError(f"got {len(grad_outputs)} grad_outputs for {len(roots)} roots")
    order = _backward_order(roots, strict=True)
    grads: dict = {}
    received: dict = {}
    for i, r in enumerate(roots):
        seed = None if grad_outputs is None else grad_outputs[i]
        seed = Tensor(np.ones(r.shape, dtype=r.dtype) if seed is None else seed, dtype=r.dtype)
        key = _input_key(r)
        grads[key] = seed if key not in grads else grads[key] + seed
    with mode.no_grad():
        for node in order:
            g = grads.get(id(node))
            inputs = node.inputs
            input_grads: Any = ()
            if g is not None:
                input_grads = node.backward(node, g)
                if not isinstance(input_grads, tuple):
                    input_grads = (input_grads,)
            input_grads = tuple(input_grads) + (None,) * (len(inputs) - len(input_grads))
            parents = iter(node.parents())
            for x, gx, need in zip(inputs, input_grads, node.needs_input_grad):
                if not need:
                    continue
                key = id(next(parents))
                received[key] = received.get(key, 0) + 1
                if gx is None:
                    continue
                if not isinstance(gx, Tensor):
                    gx = Tensor(gx, dtype=x.dtype)
                grads[key] = gx if key not in grads else grads[key] + gx
            yield node, grads, received


def _all_grads(roots: list, grad_outputs: Optional[Sequence[Any]]) -> dict:
    """Every gradient of the graph, keyed like the picture's tensors (a full dry run)."""
    grads: dict = {}
    for _node, so_far, _received in _dry_run(roots, grad_outputs):
        grads = so_far
    return grads


# ====================================================================== drawing
def _esc(text: Any) -> str:
    """Text made safe inside a graphviz HTML-like label (derivatives hold < > & too)."""
    return html.escape(str(text).replace("\n", " "), quote=False)


def _html(*lines: str) -> str:
    return "<" + "<br/>".join(lines) + ">"


def _fmt(value: Any) -> str:
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    value = float(value)
    return "0" if value == 0 else f"{value:.4g}"   # no "-0"


def _summary(array: np.ndarray) -> list:
    """A few short lines: every entry of a tiny array, else min / mean / max."""
    if array.size == 0:
        return ["empty"]
    if array.ndim == 0:
        return [_fmt(array.item())]
    if array.size <= TINY:
        if array.ndim == 2 and array.shape[1] > 1:   # a small matrix: one line per row
            return ["[" + ", ".join(_fmt(v) for v in row) + "]" for row in array]
        return ["[" + ", ".join(_fmt(v) for v in array.ravel()) + "]"]
    if array.dtype.kind == "b":
        return [f"{int(array.sum())} of {array.size} true"]
    with np.errstate(all="ignore"):
        mean = array.astype(np.float64).mean()
    return [f"min {_fmt(array.min())} · mean {_fmt(mean)} · max {_fmt(array.max())}"]


def _shape_text(shape: Optional[tuple], dtype: Any) -> str:
    if shape is None:  # a released node that no gradient reached, its output gone
        return "shape unknown"
    shape_text = "scalar" if shape == () else "(" + ", ".join(str(s) for s in shape) + \
        ("," if len(shape) == 1 else "") + ")"
    return f"{shape_text} {dtype}" if dtype is not None else shape_text


def _step_mark(step: int) -> str:
    # ① .. ⑳ read well at a glance; beyond twenty a plain "#21".
    return chr(0x2460 + step - 1) if 1 <= step <= 20 else f"#{step}"


def _grad_of(item: _TensorItem, grads: Optional[dict], key: int) -> Optional[Tensor]:
    if grads is not None:
        return grads.get(key)
    if item.tensor is not None:
        return item.tensor.grad
    return None


def _grad_colors(pic: _Picture, grads: Optional[dict]) -> tuple:
    """Per tensor key, the palette index (or -1 for an exactly zero gradient); the log10
    range of the scale; per tensor key, the mean |gradient|."""
    magnitudes = {}
    for key, item in pic.tensors.items():
        g = _grad_of(item, grads, key)
        if g is not None and g.data.size:
            with np.errstate(all="ignore"):
                magnitudes[key] = float(np.abs(g.data.astype(np.float64)).mean())
    bins, scale = _magnitude_bins(magnitudes)
    return bins, scale, magnitudes


def _magnitude_bins(magnitudes: dict) -> tuple:
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
        elif m > 0:
            bins[key] = n - 1     # inf or nan: the loudest colour
        else:
            bins[key] = -1
    return bins, (lo, hi)


def _render(pic: _Picture, opt: _Options, grads: Optional[dict] = None,
            partial: frozenset = frozenset(), state: Optional[_StepState] = None) -> Graph:
    small = max(opt.fontsize - 2, 6)
    graph = Graph(name="chainrule", graph_attr={
        "rankdir": opt.rankdir, "fontname": opt.fontname, "fontsize": str(opt.fontsize + 2),
        "nodesep": "0.3", "ranksep": "0.35", "labelloc": "t", "labeljust": "c",
        "newrank": "true",
    }, node_attr={
        "fontname": opt.fontname, "fontsize": str(opt.fontsize), "margin": "0.12,0.05",
        "penwidth": "1",
    }, edge_attr={"color": "#666666", "arrowsize": "0.7", "fontname": opt.fontname})
    if opt.title:
        graph.attr(label=_html(*(f"<b>{_esc(t)}</b>" for t in opt.title.split("\n"))))

    show_grads = opt.show_grads
    bins, scale, magnitudes = _grad_colors(pic, grads) if opt.color_by_grad else ({}, None, {})
    any_grad = False
    statements: list = []       # (scope, dot_id, attrs)

    for key, item in pic.tensors.items():
        tensor = item.tensor
        lines = []
        head = f"<b>{_esc(item.label)}</b>" if item.label else ""
        if opt.show_shapes or not item.label:     # no empty box: a nameless one shows its shape
            shape = tensor.shape if tensor is not None else item.node.output_shape
            dtype = tensor.dtype if tensor is not None else item.node.output_dtype
            shape_html = f'<font point-size="{small}" color="{MUTED_TEXT}">' \
                         f"{_esc(_shape_text(shape, dtype))}</font>"
            head = f"{head}  {shape_html}" if head else shape_html
        lines.append(head)
        if item.caption:
            lines.append(f'<font point-size="{small}">{_esc(item.caption)}</font>')
        if opt.show_values:
            if tensor is not None:
                lines += [_esc(line) for line in _summary(tensor.data)]
            else:
                lines.append(f'<i><font color="{MUTED_TEXT}">value released</font></i>')
        g = _grad_of(item, grads, key) if show_grads else None
        if g is not None and opt.color_by_grad:
            # the number behind the colour, so the two can be read together
            any_grad = True
            lines.append(f"<b>mean |grad| {magnitudes.get(key, 0.0):.2g}</b>")
        elif g is not None:
            any_grad = True
            so_far = " (so far)" if key in partial else ""
            text = _summary(g.data)
            prefix = f"grad{so_far} "
            lines.append(f'<font color="{GRAD_TEXT}">{_esc(prefix + text[0])}</font>')
            lines += [f'<font color="{GRAD_TEXT}">{_esc(t)}</font>' for t in text[1:]]
        attrs = {"shape": "box", "style": "rounded,filled",
                 "fillcolor": ROLE_COLORS[item.role], "label": _html(*lines)}
        if opt.color_by_grad:
            b = bins.get(key)
            attrs["fillcolor"] = "#ffffff" if b is None else \
                GRAD_ZERO_COLOR if b < 0 else GRAD_PALETTE[b]
            if b is not None and b >= DARK_FROM:
                attrs["fontcolor"] = "white"
                attrs["label"] = attrs["label"].replace(MUTED_TEXT, "#f0f0f0")
            # the role still shows, as the border colour
            if item.role != "value":
                attrs["color"] = {"param": "#238b22", "const": "#888888",
                                  "output": "#e6550d"}[item.role]
                attrs["penwidth"] = "2.5"
        if state is not None and key in state.fresh:
            attrs["color"] = EMPHASIS
            attrs["penwidth"] = "2.5"
        statements.append((item.scope, item.dot_id, attrs))

    for key, op in pic.ops.items():
        node = op.node
        name = node.name
        if opt.show_order and key in pic.steps:
            name = f"{_step_mark(pic.steps[key])} {name}"
        lines = [f"<b>{_esc(name)}</b>"]
        if op.args:
            lines.append(f'<font point-size="{small}" color="{MUTED_TEXT}">{_esc(op.args)}'
                         "</font>")
        if opt.show_derivatives:
            lines += [f'<font point-size="{small}">{_esc(line)}</font>'
                      for line in _wrap_derivative(_derivative_text(node))]
        attrs = {"shape": "ellipse", "style": "filled", "fillcolor": OP_COLOR,
                 "label": _html(*lines), "margin": "0.04,0.02"}
        if state is not None:
            if key == state.current:
                attrs.update(fillcolor=OP_CURRENT_COLOR, color=EMPHASIS, penwidth="3")
            elif key in state.done:
                attrs["fillcolor"] = OP_DONE_COLOR
            else:
                attrs.update(fillcolor=OP_PENDING_COLOR, color="#aaaaaa", fontcolor="#777777")
        statements.append((node.scope, op.dot_id, attrs))

    _place(graph, statements, pic, opt)

    if pic.notes:
        graph.node("note", shape="note", style="filled", fillcolor=NOTE_COLOR,
                   fontsize=str(small + 1),
                   label=_html(*(_esc(line) for note in pic.notes
                                 for line in textwrap.wrap(note, 60))))
        for dot_id in pic.cut[:20]:
            graph.edge("note", dot_id, style="dashed", color="#999999", arrowhead="none")
    if opt.legend:
        graph.node("legend", shape="plaintext", margin="0",
                   label=_legend(pic, opt, scale, state is not None, any_grad))
    for tail, head, label in pic.edges:
        if label:
            # which operand of the op this edge is (A @ B, a − b, x W + b), by the op's end
            graph.edge(tail, head, headlabel=_esc(label), fontsize=str(small),
                       fontcolor=EDGE_LABEL_COLOR, labeldistance="2.4", labelangle="30")
        else:
            graph.edge(tail, head)
    return graph


def _place(graph: Graph, statements: list, pic: _Picture, opt: _Options) -> None:
    """Add the nodes, inside one (nested) cluster per module when grouping."""
    if not opt.group_by_module:
        for _scope, dot_id, attrs in statements:
            graph.node(dot_id, **attrs)
        return
    clusters: dict = {}         # id(scope) -> (graphviz subgraph, parent id or None)

    def cluster_of(scope: Any) -> Optional[int]:
        if scope is None:
            return None
        key = id(scope)
        if key in clusters:
            return key
        name, _ = pic.module_names.get(key, (None, scope))
        if name == "":
            return None         # the root module: its ops sit at the top level
        parent = None
        if name:
            owner = name.rpartition(".")[0]
            while parent is None and owner:
                parent_module = next((m for n, m in pic.module_names.values() if n == owner),
                                     None)
                if parent_module is not None:
                    parent = cluster_of(parent_module)
                    break
                owner = owner.rpartition(".")[0]
        label = f"{name} ({type(scope).__name__})" if name else type(scope).__name__
        sub = graphviz.Digraph(name=f"cluster_{len(clusters) + 1}", graph_attr={
            "label": _html(f"<b>{_esc(label)}</b>"), "style": "rounded,filled",
            "fillcolor": "#f6f6f6", "color": "#9a9a9a", "fontsize": str(opt.fontsize),
            "labeljust": "l"})
        clusters[key] = (sub, parent)
        return key

    for scope, dot_id, attrs in statements:
        key = cluster_of(scope)
        target = graph if key is None else clusters[key][0]
        target.node(dot_id, **attrs)
    # A cluster's DOT text is copied into its parent when attached: deepest first.
    depth = {}
    for key in clusters:
        d, parent = 0, clusters[key][1]
        while parent is not None:
            d, parent = d + 1, clusters[parent][1]
        depth[key] = d
    for key in sorted(clusters, key=lambda k: -depth[k]):
        sub, parent = clusters[key]
        (graph if parent is None else clusters[parent][0]).subgraph(sub)


def _legend(pic: _Picture, opt: _Options, scale: Optional[tuple], stepping: bool,
            any_grad: bool) -> str:
    rows = ['<tr><td colspan="2"><b>legend</b></td></tr>']
    small = max(opt.fontsize - 2, 6)

    def row(color: str, text: str) -> None:
        rows.append(f'<tr><td bgcolor="{color}" width="22" border="1"></td>'
                    f'<td align="left"><font point-size="{small}">{_esc(text)}</font></td></tr>')

    roles = [item.role for item in pic.tensors.values()]
    if opt.color_by_grad:
        # the role is the border colour here; the fill is the gradient's size
        row("#ffffff", "tensor (border: green parameter, grey constant, orange output)")
    else:
        for role in ("param", "const", "value", "output"):
            if role in roles:
                row(ROLE_COLORS[role], ROLE_TEXT[role])
    if any_grad and not opt.color_by_grad:
        rows.append(f'<tr><td colspan="2" align="left"><font point-size="{small}" '
                    f'color="{GRAD_TEXT}">grad = ∂(output)/∂(this tensor)</font></td></tr>')
    if stepping:
        row(OP_DONE_COLOR, "op already visited by backward")
        row(OP_CURRENT_COLOR, "op visited at this step")
        row(OP_PENDING_COLOR, "op still to visit")
    else:
        row(OP_COLOR, "op (its local derivative below the name)")
    if opt.color_by_grad:
        _scale_rows(rows, row, scale, small)
    return _legend_table(rows)


def _legend_table(rows: list) -> str:
    return ('<<table border="0" cellborder="0" cellspacing="2" cellpadding="2" '
            'bgcolor="#fbfbfb" color="#bbbbbb">' + "".join(rows) + "</table>>")


def _scale_rows(rows: list, row: Any, scale: Optional[tuple], small: float) -> None:
    """The legend's colour scale of mean |grad| (color_by_grad)."""
    if scale is None:
        rows.append(f'<tr><td colspan="2"><font point-size="{small}">no gradients to colour'
                    "</font></td></tr>")
        return
    lo, hi = scale
    n = len(GRAD_PALETTE)
    cells = []
    for i, color in enumerate(GRAD_PALETTE):
        value = 10 ** (lo + (hi - lo) * (i + 0.5) / n)
        text_color = "white" if i >= DARK_FROM else "black"
        cells.append(f'<td bgcolor="{color}"><font point-size="{small}" '
                     f'color="{text_color}">{value:.0e}</font></td>')
    rows.append(f'<tr><td colspan="2"><font point-size="{small}">mean |grad| '
                "(log scale)</font></td></tr>")
    rows.append('<tr><td colspan="2"><table border="0" cellspacing="0" '
                f'cellpadding="2"><tr>{"".join(cells)}</tr></table></td></tr>')
    row(GRAD_ZERO_COLOR, "gradient exactly 0")
    row("#ffffff", "no gradient known")


# ====================================================================== the collapsed view
LAYER_COLOR = "#dbe7f6"         # collapse: a layer without parameters
LAYER_PARAM_COLOR = "#cfe8bf"   # collapse: a layer with parameters (what training updates)
LAYER_BORDER = "#4a6f96"
NAME_CHARS = 40                 # a module's short form is kept this short


@dataclass
class _Box:
    """One call of a leaf module in the collapsed view: its ops drawn as a single box."""

    dot_id: str
    module: Any
    name: Optional[str]             # dotted name under `module`; None for a module outside it
    call: int                       # 1, 2, ...: which call of the module this box is
    nodes: list = field(default_factory=list)       # its ops, in forward order
    inputs: dict = field(default_factory=dict)      # tensor key -> shape, coming in
    outputs: dict = field(default_factory=dict)     # tensor key -> shape, going out
    calls: int = 1


def _module_params(module: Any) -> list:
    """The module's parameters (its own and those of modules below it), each once."""
    try:
        found = {id(p): p for _name, p in module.named_parameters()}
    except (AttributeError, TypeError):
        return []
    return list(found.values())


def _int_pair(value: Any) -> Optional[tuple]:
    """An int or a sequence of ints as a tuple (5 -> (5, 5)); None for anything else."""
    def is_int(v: Any) -> bool:
        return isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_))

    if is_int(value):
        return (int(value), int(value))
    if isinstance(value, (tuple, list)) and value and all(is_int(v) for v in value):
        return tuple(int(v) for v in value)
    return None


def _module_text(module: Any) -> str:
    """A short form of a module, for its box: Linear(2→3), Conv2d(1→8, 5×5, pad 2),
    MaxPool2d(2×2), BatchNorm2d(8); else the class with its extra_repr, kept short."""
    kind = type(module).__name__
    parts: list = []

    def get(name: str) -> Any:
        return getattr(module, name, None)

    def ints(*names: str) -> bool:
        return all(isinstance(get(n), (int, np.integer)) and not isinstance(get(n), bool)
                   for n in names)

    def compact(pair: tuple) -> str:
        return str(pair[0]) if len(set(pair)) == 1 else "(" + ", ".join(map(str, pair)) + ")"

    dense = ints("in_features", "out_features")
    conv = ints("in_channels", "out_channels")
    if dense:
        parts.append(f"{get('in_features')}→{get('out_features')}")
    elif conv:
        parts.append(f"{get('in_channels')}→{get('out_channels')}")
    elif ints("num_features"):
        parts.append(str(get("num_features")))
    kernel = _int_pair(get("kernel_size"))
    if kernel is not None:
        parts.append("×".join(map(str, kernel)))
        stride = _int_pair(get("stride"))
        usual = (1,) * len(kernel) if conv else kernel     # a pooling's stride is its kernel
        if stride is not None and stride != usual:
            parts.append(f"stride {compact(stride)}")
        padding = _int_pair(get("padding"))
        if padding is not None and any(padding):
            parts.append(f"pad {compact(padding)}")
        dilation = _int_pair(get("dilation"))
        if dilation is not None and any(d != 1 for d in dilation):
            parts.append(f"dilation {compact(dilation)}")
    if (dense or conv) and hasattr(module, "bias") and get("bias") is None:
        parts.append("no bias")
    described = bool(parts)
    if not described and ints("start_dim", "end_dim"):      # Flatten
        described = True
        if (get("start_dim"), get("end_dim")) != (1, -1):
            parts.append(f"{get('start_dim')}…{get('end_dim')}")
    if not described:
        extra = ""
        extra_repr = get("extra_repr")
        if callable(extra_repr):
            try:
                extra = str(extra_repr()).replace("\n", " ")
            except Exception:       # a repr that fails must not break the picture
                extra = ""
        if extra:
            parts.append(extra if len(extra) <= NAME_CHARS else extra[:NAME_CHARS - 1] + "…")
    return f"{kind}({', '.join(parts)})" if parts else kind


def _collapse(pic: _Picture) -> tuple:
    """The boxes of the collapsed view: the picture's ops in forward order, each run of
    consecutive ops of one leaf module one box (a module called twice gets two). Returns
    (boxes, box of each node id)."""
    known = {key: name for key, (name, _m) in pic.module_names.items()}
    names = set(known.values())
    leaf: dict = {}

    def is_leaf(scope: Any) -> bool:
        if scope is None:
            return False
        key = id(scope)
        if key not in leaf:
            name = known.get(key)
            if name is None:
                leaf[key] = True    # a module outside `module` (a loss): one box
            else:
                prefix = f"{name}." if name else ""
                leaf[key] = not any(n != name and n.startswith(prefix) for n in names)
        return leaf[key]

    boxes: list = []
    box_of: dict = {}
    calls: dict = {}
    current: Optional[_Box] = None
    for op in sorted(pic.ops.values(), key=lambda op: op.node.sequence):
        scope = op.node.scope
        if not is_leaf(scope):
            current = None
            continue
        if current is None or current.module is not scope:
            calls[id(scope)] = calls.get(id(scope), 0) + 1
            current = _Box(f"m{len(boxes) + 1}", scope, known.get(id(scope)), calls[id(scope)])
            boxes.append(current)
        current.nodes.append(op.node)
        box_of[id(op.node)] = current
    for box in boxes:
        box.calls = calls[id(box.module)]
    return boxes, box_of


def _render_collapsed(pic: _Picture, opt: _Options, grads: Optional[dict] = None) -> Graph:
    """The collapsed view (draw_graph's collapse=True): one box per call of a leaf module."""
    small = max(opt.fontsize - 2, 6)
    graph = Graph(name="chainrule", graph_attr={
        "rankdir": opt.rankdir, "fontname": opt.fontname, "fontsize": str(opt.fontsize + 2),
        "nodesep": "0.3", "ranksep": "0.3", "labelloc": "t", "labeljust": "c",
        "newrank": "true",
    }, node_attr={
        "fontname": opt.fontname, "fontsize": str(opt.fontsize), "margin": "0.15,0.06",
        "penwidth": "1",
    }, edge_attr={"color": "#666666", "arrowsize": "0.7", "fontname": opt.fontname})
    if opt.title:
        graph.attr(label=_html(*(f"<b>{_esc(t)}</b>" for t in opt.title.split("\n"))))
    boxes, box_of = _collapse(pic)
    params = {id(box): _module_params(box.module) for box in boxes}
    owned = {id(box): {id(p) for p in params[id(box)]} for box in boxes}

    def endpoint(node: Function) -> str:
        box = box_of.get(id(node))
        return box.dot_id if box is not None else pic.ops[id(node)].dot_id

    def shape_of(item: _TensorItem) -> Optional[tuple]:
        return item.tensor.shape if item.tensor is not None else item.node.output_shape

    by_id = {box.dot_id: box for box in boxes}
    op_inputs: dict = {}            # op dot_id -> {tensor key: shape}
    shown: list = []                # tensor items drawn as nodes
    edges: list = []                # (forward order, tail, head)
    for key, item in pic.tensors.items():
        if item.node is None:       # a leaf: x, y*, a parameter, a constant
            inside = {id(box_of.get(id(use))) for use, _ in item.uses}
            box = box_of.get(id(item.uses[0][0])) if item.uses else None
            if box is not None and len(inside) == 1 and id(item.tensor) in owned[id(box)]:
                continue            # the layer's own parameter
            if not item.label and not item.tensor.requires_grad and item.role != "output":
                # an unnamed constant (a running mean, the 2 of x * 2): no node of its own;
                # an op outside the layers lists its shape among its inputs
                for use, _position in item.uses:
                    if id(use) not in box_of:
                        op_inputs.setdefault(pic.ops[id(use)].dot_id, {}).setdefault(
                            key, shape_of(item))
                continue
            shown.append(item)
            tail, start = item.dot_id, None
        else:
            tail = start = endpoint(item.node)
            if item.role == "output":
                shown.append(item)
                edges.append((item.node.sequence + 0.5, tail, item.dot_id))
                tail = item.dot_id
            if start in by_id and (item.role == "output" or any(
                    endpoint(use) != start for use, _ in item.uses)):
                by_id[start].outputs.setdefault(key, shape_of(item))
        for use, _position in item.uses:
            head = endpoint(use)
            if head == start:
                continue            # inside one box
            edges.append((use.sequence, tail, head))
            target = by_id[head].inputs if head in by_id else op_inputs.setdefault(head, {})
            target.setdefault(key, shape_of(item))

    def shapes(found: dict) -> str:
        if not found:       # its input was data, freed by backward with the graph
            return "(freed)" if pic.released else "?"
        return ", ".join(_shape_text(s, None) for s in found.values())

    # the gradients: of each box's output, and of its parameters
    magnitudes: dict = {}
    grad_lines: dict = {}
    for box in boxes:
        parts = []
        out_mag = None
        for key in box.outputs or {id(box.nodes[-1]): None}:
            item = pic.tensors.get(key)
            g = _grad_of(item, grads, key) if item is not None else None
            if g is not None and g.data.size:
                with np.errstate(all="ignore"):
                    out_mag = float(np.abs(g.data.astype(np.float64)).mean())
                parts.append(f"output {out_mag:.2g}")
                break
        total, size = 0.0, 0
        for p in params[id(box)]:
            g = grads.get(id(p)) if grads is not None else p.grad
            if g is not None and g.data.size:
                with np.errstate(all="ignore"):
                    total += float(np.abs(g.data.astype(np.float64)).sum())
                size += g.data.size
        param_mag = total / size if size else None
        if param_mag is not None:
            parts.append(f"parameters {param_mag:.2g}")
        if parts:
            grad_lines[box.dot_id] = "mean |grad|: " + " · ".join(parts)
            magnitudes[box.dot_id] = out_mag if out_mag is not None else param_mag
    bins, scale = _magnitude_bins(magnitudes) if opt.color_by_grad else ({}, None)

    statements: list = []           # (forward order, scope, dot_id, attrs)
    for box in boxes:
        n_params = sum(p.data.size for p in params[id(box)])
        head = _module_text(box.module)
        if box.name:
            head = f"{box.name} · {head}"
        if box.calls > 1:
            head += f" · call {box.call} of {box.calls}"
        lines = [f"<b>{_esc(head)}</b>"]
        if opt.show_shapes:
            lines.append(_esc(f"{shapes(box.inputs)} → {shapes(box.outputs)}"))
        if n_params:
            lines.append(f'<font point-size="{small}" color="{MUTED_TEXT}">'
                         f"{n_params:,} parameter{'s' if n_params > 1 else ''}</font>")
        grad_text = grad_lines.get(box.dot_id) if opt.show_grads or opt.color_by_grad else None
        attrs = {"shape": "box", "style": "filled", "penwidth": "1.5", "color": LAYER_BORDER,
                 "fillcolor": LAYER_PARAM_COLOR if n_params else LAYER_COLOR}
        if opt.color_by_grad:
            b = bins.get(box.dot_id)
            attrs["fillcolor"] = "#ffffff" if b is None else \
                GRAD_ZERO_COLOR if b < 0 else GRAD_PALETTE[b]
            if b is not None and b >= DARK_FROM:
                attrs["fontcolor"] = "white"
        if grad_text:
            color = attrs.get("fontcolor", GRAD_TEXT)
            lines.append(f'<font point-size="{small}" color="{color}">{_esc(grad_text)}</font>')
        label = _html(*lines)
        if attrs.get("fontcolor") == "white":
            label = label.replace(MUTED_TEXT, "#f0f0f0")
        attrs["label"] = label
        scope = None
        if box.name:                # in the cluster of the container that holds the layer
            owner = box.name.rpartition(".")[0]
            scope = next((m for n, m in pic.module_names.values() if n == owner and n), None)
        statements.append((box.nodes[0].sequence, scope, box.dot_id, attrs))
    for key, op in pic.ops.items():
        if key in box_of:
            continue
        node = op.node
        lines = [f"<b>{_esc(node.name)}</b>"]
        if op.args:
            lines.append(f'<font point-size="{small}" color="{MUTED_TEXT}">{_esc(op.args)}'
                         "</font>")
        if opt.show_shapes:
            into = op_inputs.get(op.dot_id, {})
            text = _shape_text(node.output_shape, None)
            if into:
                text = f"{shapes(into)} → {text}"
            lines.append(f'<font point-size="{small}">{_esc(text)}</font>')
        attrs = {"shape": "ellipse", "style": "filled", "fillcolor": OP_COLOR,
                 "label": _html(*lines), "margin": "0.04,0.02"}
        statements.append((node.sequence, node.scope, op.dot_id, attrs))
    for item in shown:
        lines = [f"<b>{_esc(item.label)}</b>"] if item.label else []
        if opt.show_shapes or not item.label:
            tensor = item.tensor
            shape = tensor.shape if tensor is not None else item.node.output_shape
            dtype = tensor.dtype if tensor is not None else item.node.output_dtype
            lines.append(f'<font point-size="{small}" color="{MUTED_TEXT}">'
                         f"{_esc(_shape_text(shape, dtype))}</font>")
        if opt.show_values and item.tensor is not None and item.tensor.data.size <= 1:
            lines += [_esc(line) for line in _summary(item.tensor.data)]
        order = -1.0 if item.node is None else item.node.sequence + 0.5
        statements.append((order, None, item.dot_id, {
            "shape": "box", "style": "rounded,filled", "fillcolor": ROLE_COLORS[item.role],
            "label": _html(*lines)}))
    statements.sort(key=lambda s: s[0])
    _place(graph, [(scope, dot_id, attrs) for _o, scope, dot_id, attrs in statements], pic, opt)

    if pic.notes:
        graph.node("note", shape="note", style="filled", fillcolor=NOTE_COLOR,
                   fontsize=str(small + 1),
                   label=_html(*(_esc(line) for note in pic.notes
                                 for line in textwrap.wrap(note, 60))))
    if opt.legend:
        graph.node("legend", shape="plaintext", margin="0",
                   label=_collapsed_legend(boxes, params, shown, len(pic.ops) > len(box_of),
                                           opt, scale, small))
    seen: set = set()
    for _order, tail, head in sorted(edges, key=lambda e: e[0]):
        if (tail, head) not in seen:
            seen.add((tail, head))
            graph.edge(tail, head)
    return graph


def _collapsed_legend(boxes: list, params: dict, shown: list, loose_ops: bool, opt: _Options,
                      scale: Optional[tuple], small: float) -> str:
    rows = ['<tr><td colspan="2"><b>legend</b></td></tr>']

    def row(color: str, text: str) -> None:
        rows.append(f'<tr><td bgcolor="{color}" width="22" border="1"></td>'
                    f'<td align="left"><font point-size="{small}">{_esc(text)}</font></td></tr>')

    def note(text: str) -> None:
        rows.append(f'<tr><td colspan="2" align="left"><font point-size="{small}">'
                    f"{_esc(text)}</font></td></tr>")

    note("one box per layer: its ops collapsed; input → output shapes")
    total = sum(p.data.size for p in {id(p): p for b in boxes for p in params[id(b)]}.values())
    if total:
        note(f"{total:,} parameters in all")
    if opt.color_by_grad:
        note("box fill: mean |grad| of its output (else of its parameters)")
    else:
        with_params = [bool(params[id(b)]) for b in boxes]
        if True in with_params:
            row(LAYER_PARAM_COLOR, "layer with parameters")
        if False in with_params:
            row(LAYER_COLOR, "layer without parameters")
    if loose_ops:
        row(OP_COLOR, "op outside any layer")
    roles = {item.role for item in shown}
    for role in ("param", "const", "value", "output"):
        if role in roles:
            row(ROLE_COLORS[role], ROLE_TEXT[role].replace("intermediate value", "tensor"))
    if opt.color_by_grad:
        _scale_rows(rows, row, scale, small)
    return _legend_table(rows)


# ====================================================================== files
def _write_text(path: str, text: str) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def _warn_missing(what: str, stacklevel: int = 3) -> None:
    warnings.warn(GraphvizMissingWarning(
        f"the graphviz `dot` program was not found, so {what}. To draw pictures, "
        f"{INSTALL_HINT}. The DOT text is always available as `graph.source`."),
        stacklevel=stacklevel)
