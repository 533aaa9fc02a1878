"""Graph pictures (autograd.viz), checked on the DOT text: no `dot` program needed, except in
the one test that renders real SVG and PNG files."""

from __future__ import annotations

import html
import os
import re
import shutil
import time
import warnings

import graphviz
import numpy as np
import pytest

import autograd
from autograd import Function, Tensor, engine, mode
from autograd import viz
from autograd.viz import GraphvizMissingWarning, backward_steps, draw_graph, save_graph

NODE_LINE = re.compile(r"^\s*(t\d+|op\d+) \[(.*)\]$", re.MULTILINE)
EDGE_LINE = re.compile(r"^\s*(\w+) -> (\w+)", re.MULTILINE)


# ---------------------------------------------------------------------------- helpers
def nodes(source: str) -> dict:
    """dot id -> attribute text, for tensor (t..) and op (op..) nodes."""
    return {m.group(1): m.group(2) for m in NODE_LINE.finditer(source)}


def graph_edges(source: str) -> list:
    """(tail, head) of the graph's own edges (not the note's dashed pointers)."""
    return [(a, b) for a, b in EDGE_LINE.findall(source) if a != "note"]


def attr(attrs: str, name: str) -> str:
    match = re.search(rf'\b{name}="?([^" ]+)"?', attrs)
    assert match, f"no {name} in {attrs}"
    return match.group(1)


def node_with(source: str, text: str) -> str:
    """The attributes of the one node whose label contains `text`."""
    found = [a for a in nodes(source).values() if text in a]
    assert len(found) == 1, f"{len(found)} nodes contain {text!r}"
    return found[0]


def neuron(retain_graph: bool = True, backward: bool = True) -> tuple:
    """The formal neuron y = σ(w·x + b) with named tensors."""
    w = Tensor([0.5, -1.0, 0.25], requires_grad=True, name="w")
    x = Tensor([1.0, 2.0, 3.0], name="x")
    b = Tensor(0.1, requires_grad=True, name="b")
    y = (w @ x + b).sigmoid()
    y.name = "y"
    if backward:
        y.backward(retain_graph=retain_graph)
    return w, x, b, y


class FakeModule:
    """Duck-typed like nn.Module: named_modules() and named_parameters(), and a forward that
    sets autograd.mode.current().scope the way nn.Module.__call__ does."""

    def __init__(self, children: dict | None = None, params: dict | None = None) -> None:
        self.children = children or {}
        self.params = params or {}

    def named_modules(self, prefix: str = ""):
        stack = [(prefix, self)]
        while stack:
            name, module = stack.pop()
            yield name, module
            stack.extend(reversed([(f"{name}.{k}" if name else k, c)
                                   for k, c in module.children.items()]))

    def named_parameters(self):
        for name, module in self.named_modules():
            for k, p in module.params.items():
                yield (f"{name}.{k}" if name else k), p

    def __call__(self, x: Tensor) -> Tensor:
        previous = mode.current().scope
        mode.current().scope = self
        try:
            return self.forward(x)
        finally:
            mode.current().scope = previous


class Linear(FakeModule):
    def __init__(self, n_in: int, n_out: int, rng: np.random.Generator) -> None:
        super().__init__(params={
            "W": Tensor(rng.normal(size=(n_in, n_out)), requires_grad=True, dtype=np.float64),
            "b": Tensor(np.zeros(n_out), requires_grad=True, dtype=np.float64)})

    def forward(self, x: Tensor) -> Tensor:
        return x @ self.params["W"] + self.params["b"]


class Sigmoid(FakeModule):
    def forward(self, x: Tensor) -> Tensor:
        return x.sigmoid()


class Sequential(FakeModule):
    def forward(self, x: Tensor) -> Tensor:
        for child in self.children.values():
            x = child(x)
        return x


def mlp_loss(rng: np.random.Generator) -> tuple:
    """A 2-layer sigmoid MLP under a fake module, softmax cross-entropy from Tensor ops."""
    layers = Sequential({"0": Linear(2, 3, rng), "1": Sigmoid(), "2": Linear(3, 3, rng)})
    model = Sequential({"layers": layers})
    x = Tensor(rng.normal(size=(4, 2)), name="X")
    labels = Tensor(np.eye(3)[[0, 1, 2, 1]], name="Y")
    logits = model(x)
    loss = -(labels * (logits - logits.logsumexp(axis=1, keepdims=True))).sum(axis=1).mean()
    loss.name = "loss"
    return model, loss


def sigmoid_chain(depth: int, rng: np.random.Generator) -> tuple:
    x = Tensor(rng.normal(size=(4, 8)), name="x")
    weights = []
    h = x
    for i in range(depth):
        w = Tensor(rng.normal(size=(8, 8)), requires_grad=True, name=f"W{i}")
        weights.append(w)
        h = (h @ w).sigmoid()
    return weights, h.sum()


# ---------------------------------------------------------------------------- structure
def test_formal_neuron_nodes_and_edges() -> None:
    w, x, b, y = neuron()
    source = draw_graph(y).source
    found = nodes(source)
    tensors = [k for k in found if k.startswith("t")]
    ops = [k for k in found if k.startswith("op")]
    # w, x, b, w·x, w·x + b, y  and  MatMul, Add, Sigmoid
    assert len(tensors) == 6 and len(ops) == 3
    edges = graph_edges(source)
    assert len(edges) == 8
    # edges go forward: w -> MatMul -> w·x -> Add -> ... -> Sigmoid -> y
    w_id = next(k for k, a in found.items() if "<b>w</b>" in a)
    matmul_id = next(k for k, a in found.items() if "MatMul" in a)
    sigmoid_id = next(k for k, a in found.items() if "Sigmoid" in a)
    y_id = next(k for k, a in found.items() if "<b>y</b>" in a)
    assert (w_id, matmul_id) in edges and (sigmoid_id, y_id) in edges
    # tensors and ops are different shapes
    assert {attr(found[k], "shape") for k in tensors} == {"box"}
    assert {attr(found[k], "shape") for k in ops} == {"ellipse"}


def test_labels_show_names_shapes_values_grads_derivatives() -> None:
    w, x, b, y = neuron()
    source = draw_graph(y).source
    w_label = node_with(source, "<b>w</b>")
    assert "(3,) float32" in w_label and "[0.5, -1, 0.25]" in w_label
    expected = " ".join(f"{v:.4g}" for v in w.grad.data)
    assert "grad [" + expected.replace(" ", ", ") + "]" in w_label
    assert "grad" not in node_with(source, "<b>x</b>")          # a constant has none
    assert "scalar float32" in node_with(source, "<b>b</b>")
    assert f"{y.item():.4g}" in node_with(source, "<b>y</b>")
    assert autograd.Sigmoid.derivative() in node_with(source, "Sigmoid")
    # a big tensor is summarised
    big = Tensor(np.arange(12.0).reshape(3, 4), requires_grad=True, name="big")
    source = draw_graph((big * 2).sum()).source
    assert "min 0 · mean 5.5 · max 11" in node_with(source, "<b>big</b>")
    # the options switch the parts off
    source = draw_graph(y, show_values=False, show_grads=False, show_shapes=False,
                        show_derivatives=False, legend=False).source
    assert "grad" not in source and "∂" not in source and "legend" not in source
    assert "float32" not in node_with(source, "<b>w</b>")
    # a tensor without a name still shows its shape: no box is empty
    unnamed = [a for a in nodes(source).values() if attr(a, "shape") == "box" and "<b>" not in a]
    assert len(unnamed) == 2 and all("scalar float32" in a for a in unnamed)


def test_intermediate_grads_from_retain_grad_or_compute_grads() -> None:
    w = Tensor([0.5, -1.0, 0.25], requires_grad=True, name="w")
    x = Tensor([1.0, 2.0, 3.0], name="x")
    z = w @ x
    z.name = "z"
    z.retain_grad()
    y = z.sigmoid()
    y.backward(retain_graph=True)
    assert "grad" in node_with(draw_graph(y).source, "<b>z</b>")
    # compute_grads: a dry run, the user's .grad untouched
    w2 = Tensor([0.5, -1.0, 0.25], requires_grad=True, name="w2")
    z2 = w2 @ x
    z2.name = "z2"
    y2 = z2.sigmoid()
    source = draw_graph(y2, compute_grads=True).source
    s = 1 / (1 + np.exp(0.75))
    assert f"grad {s * (1 - s):.4g}" in node_with(source, "<b>z2</b>")
    assert w2.grad is None and z2.grad is None


def test_fill_colours_differ_by_role() -> None:
    w, x, b, y = neuron()
    source = draw_graph(y).source
    fills = {name: attr(node_with(source, f"<b>{name}</b>"), "fillcolor")
             for name in ("w", "x", "y")}
    middle = [a for a in nodes(source).values()
              if attr(a, "shape") == "box" and "<b>" not in a]
    fills["value"] = attr(middle[0], "fillcolor")
    assert len(set(fills.values())) == 4
    assert attr(node_with(source, "MatMul"), "fillcolor") not in fills.values()
    legend = source[source.index("legend ["):]
    for color in fills.values():
        assert color in legend


def test_module_clusters() -> None:
    model, loss = mlp_loss(np.random.default_rng(0))
    source = draw_graph(loss, module=model).source
    assert source.count("subgraph cluster_") == 4       # layers, layers.0, layers.1, layers.2
    for label in ("layers (Sequential)", "layers.0 (Linear)", "layers.1 (Sigmoid)",
                  "layers.2 (Linear)"):
        assert label in source
    # parameters carry their dotted names and sit in their layer's cluster, nested in layers
    start = source.index("subgraph cluster_", source.index("layers.0 (Linear)") - 200)
    block = source[start:source.index("}", start)]
    assert "layers.0 (Linear)" in block and "layers.0.W" in block and "layers.0.b" in block
    assert "MatMul" in block and "layers.2.W" not in block
    outer_start = source.index("subgraph cluster_")
    assert "layers (Sequential)" in source[outer_start:start]
    # no module: no clusters; group_by_module=False: none either
    assert "cluster_" not in draw_graph(loss).source
    assert "cluster_" not in draw_graph(loss, module=model, group_by_module=False).source


def test_show_order_matches_topological_order() -> None:
    model, loss = mlp_loss(np.random.default_rng(1))
    loss.backward(retain_graph=True)
    picture = viz._collect([loss], None, None)
    order = engine.topological_order([loss.grad_fn])
    source = draw_graph(loss, show_order=True, max_nodes=None).source
    found = nodes(source)
    for step, node in enumerate(order, 1):
        attrs = found[picture.ops[id(node)].dot_id]
        assert f"<b>{viz._step_mark(step)} {node.name}</b>" in attrs
    assert viz._step_mark(1) == "①" and viz._step_mark(21) == "#21"


def test_color_by_grad_follows_gradient_size() -> None:
    weights, out = sigmoid_chain(8, np.random.default_rng(0))
    source = draw_graph(out, color_by_grad=True).source
    palette = viz.GRAD_PALETTE
    first = palette.index(attr(node_with(source, "<b>W0</b>"), "fillcolor"))
    last = palette.index(attr(node_with(source, "<b>W7</b>"), "fillcolor"))
    assert first < last                                 # vanishing: pale near the input
    fills = {attr(a, "fillcolor") for a in nodes(source).values() if attr(a, "shape") == "box"}
    assert len(fills) >= 4
    assert "mean |grad| (log scale)" in source
    assert all(w.grad is None for w in weights)         # the dry run left .grad alone


# ---------------------------------------------------------------------------- big graphs
def test_ten_thousand_nodes_draw_quickly() -> None:
    x = Tensor(np.linspace(-1, 1, 5), requires_grad=True, name="x")
    h = x
    for _ in range(5000):
        h = h.tanh()
    start = time.perf_counter()
    source = draw_graph(h, max_nodes=None, show_order=True).source
    elapsed = time.perf_counter() - start
    assert len(nodes(source)) == 10001                   # 5000 ops, 5001 tensors
    assert len(graph_edges(source)) == 10000
    assert elapsed < 10, f"drawing took {elapsed:.1f}s"


def test_max_nodes_cap_leaves_a_note() -> None:
    x = Tensor(np.ones(3), requires_grad=True, name="x")
    h = x
    for _ in range(300):
        h = h.tanh()
    source = draw_graph(h, max_nodes=50).source
    assert len(nodes(source)) == 50
    note = source.replace("<br/>", " ")
    assert "551 more nodes not drawn (max_nodes=50)" in note     # 601 in all
    assert re.search(r"note -> \w+ \[", source)                 # pointing at the cut


# ---------------------------------------------------------------------------- special graphs
def test_create_graph_gradient_draws_the_backward_pass() -> None:
    x = Tensor([0.5, -1.0], requires_grad=True, name="x")
    y = (x * x * x).sum()
    (g,) = autograd.grad(y, x, create_graph=True)
    assert g.grad_fn is not None
    source = draw_graph(g, show_order=True).source
    ops = [a for k, a in nodes(source).items() if k.startswith("op")]
    assert len(ops) == len(engine.topological_order([g.grad_fn]))
    assert "<b>x</b>" in source
    assert "grad" not in node_with(source, "<b>x</b>")      # backward with grad() left it
    # and its own backward steps walk through
    frames = list(backward_steps(g.sum()))
    assert len(frames) == len(engine.topological_order([g.sum().grad_fn]))


def test_released_graph_still_draws_with_a_note() -> None:
    w, x, b, y = neuron(retain_graph=False)
    source = draw_graph(y, show_order=True).source
    assert "graph released" in source.replace("<br/>", " ") and "value released" in source
    assert len([k for k in nodes(source) if k.startswith("op")]) == 3
    released = [a for a in nodes(source).values() if "value released" in a]
    assert len(released) == 2 and all("scalar" in a for a in released)   # shapes survive
    assert "grad" in node_with(source, "<b>w</b>")                     # leaf grads too
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        next(backward_steps(y))
    note = draw_graph(y, compute_grads=True).source.replace("<br/>", " ")
    assert "intermediate tensors: not available, the graph was released" in note


def test_released_node_that_no_gradient_reached_still_draws() -> None:
    class Blocked(Function):
        """∂/∂a: none (the gradient stops here)"""

        @staticmethod
        def forward(ctx, a):
            return a * 2

        @staticmethod
        def backward(ctx, grad):
            return None

    x = Tensor([1.0, 2.0], requires_grad=True)
    u = x * 3
    z = x * 5
    y = (Blocked.apply(u) + z).sum()
    del u, z
    y.backward()
    assert x.grad.tolist() == [5.0, 5.0]
    source = draw_graph(y).source
    # the output of x * 3 is gone and no gradient told its shape: drawn, marked unknown
    assert source.count("shape unknown") == 1
    assert len([k for k in nodes(source) if k.startswith("op")]) == 5


def test_user_function_docstring_is_escaped() -> None:
    class Weird(Function):
        """∂f/∂a = [a < b] & <i>not html</i> "quoted" ⊙ Wᵀ"""

        @staticmethod
        def forward(ctx, a):
            return a * 2

        @staticmethod
        def backward(ctx, grad):
            return grad * 2

    a = Tensor([1.0, 2.0], requires_grad=True, name="<a & b>")
    source = draw_graph(Weird.apply(a)).source
    label = node_with(source, "Weird")
    assert "[a &lt; b] &amp; &lt;i&gt;not html&lt;/i&gt;" in label and "⊙ Wᵀ" in label
    assert "&lt;a &amp; b&gt;" in source and "<i>not html" not in source
    if shutil.which("dot"):
        assert graphviz.Source(source).pipe(format="svg")    # dot parses it


# ---------------------------------------------------------------------------- backward steps
def test_backward_steps_walk_the_engine_order() -> None:
    w, x, b, y = neuron(backward=False)
    order = engine.topological_order([y.grad_fn])
    frames = list(backward_steps(y))
    assert len(frames) == len(order) == 3
    assert w.grad is None and b.grad is None                 # a dry run
    first, last = frames[0].source, frames[-1].source
    assert viz.OP_CURRENT_COLOR in node_with(first, "① Sigmoid")
    assert viz.OP_PENDING_COLOR in node_with(first, "③ MatMul")
    assert "grad" not in node_with(first, "<b>w</b>")       # not reached yet
    assert viz.OP_DONE_COLOR in node_with(last, "① Sigmoid")
    assert viz.OP_CURRENT_COLOR in node_with(last, "③ MatMul")
    assert viz.EMPHASIS in node_with(last, "<b>w</b>")      # just received its gradient
    y.backward()
    expected = ", ".join(f"{v:.4g}" for v in w.grad.data)
    assert f"grad [{expected}]" in node_with(last, "<b>w</b>")


def test_backward_steps_mark_partial_gradients() -> None:
    a = Tensor([1.0, 2.0], requires_grad=True, name="a")
    h = a.exp()
    h.name = "h"
    y = (h * 2 + h.tanh()).sum()
    frames = [f.source for f in backward_steps(y)]
    marks = ["(so far)" in node_with(s, "<b>h</b>") for s in frames]
    assert True in marks and not marks[-1]        # h gets two contributions, then is final


# ---------------------------------------------------------------------------- files
def test_save_graph_writes_dot_text(tmp_path) -> None:
    w, x, b, y = neuron()
    picture = draw_graph(y)
    for name in ("g.dot", "g.gv"):
        assert save_graph(picture, tmp_path / name) == str(tmp_path / name)
        assert (tmp_path / name).read_text(encoding="utf-8") == picture.source
    assert save_graph(y, tmp_path / "h.dot", show_order=True) == str(tmp_path / "h.dot")
    assert "①" in (tmp_path / "h.dot").read_text(encoding="utf-8")
    with pytest.raises(ValueError, match="unknown format"):
        save_graph(picture, tmp_path / "g.bmp")


def test_missing_dot_warns_and_saves_dot_text(tmp_path, monkeypatch) -> None:
    w, x, b, y = neuron()
    picture = draw_graph(y)
    monkeypatch.setattr(viz.shutil, "which", lambda name: None)
    with pytest.warns(GraphvizMissingWarning, match="apt-get install graphviz") as caught:
        written = save_graph(picture, tmp_path / "neuron.png")
    assert "brew install graphviz" in str(caught[0].message)
    assert written == str(tmp_path / "neuron.dot")
    assert (tmp_path / "neuron.dot").read_text(encoding="utf-8") == picture.source
    assert not (tmp_path / "neuron.png").exists()
    # Jupyter shows the DOT text instead of a traceback
    with pytest.warns(GraphvizMissingWarning):
        assert picture._repr_mimebundle_() == {"text/plain": picture.source}


def test_dot_failing_to_start_warns_too(tmp_path, monkeypatch) -> None:
    w, x, b, y = neuron()

    def missing(*args, **kwargs):
        raise graphviz.ExecutableNotFound(("dot",))

    monkeypatch.setattr(viz.shutil, "which", lambda name: "/usr/bin/dot")
    monkeypatch.setattr(graphviz.Digraph, "pipe", missing)
    with pytest.warns(GraphvizMissingWarning):
        written = save_graph(y, tmp_path / "out.svg")
    assert written == str(tmp_path / "out.dot") and os.path.exists(written)


def test_renders_real_svg_and_png(tmp_path) -> None:
    if shutil.which("dot") is None:
        message = "the graphviz `dot` program is missing (apt-get install graphviz)"
        if os.environ.get("CI"):
            pytest.fail(message + ": CI must render real pictures")
        pytest.skip(message)
    model, loss = mlp_loss(np.random.default_rng(0))
    loss.backward(retain_graph=True)
    picture = draw_graph(loss, module=model, show_order=True, title="MLP & <loss>")
    with warnings.catch_warnings():
        warnings.simplefilter("error")       # no fallback warning when dot is there
        svg = save_graph(picture, tmp_path / "mlp.svg")
        png = save_graph(picture, tmp_path / "mlp.png")
    head = open(svg, "rb").read(200).lstrip()
    assert head.startswith(b"<?xml") or head.startswith(b"<svg")
    assert b"MatMul" in open(svg, "rb").read()
    assert open(png, "rb").read(8) == b"\x89PNG\r\n\x1a\n"


# ---------------------------------------------------------------------------- names and labels
EDGE_WITH_ATTRS = re.compile(r"^\s*(\w+) -> (\w+)(?: \[(.*)\])?$", re.MULTILINE)


def label_text(attrs: str) -> str:
    """The visible text of a node's HTML label: tags and entities taken out."""
    label = re.search(r"label=<(.*)>", attrs).group(1)
    return html.unescape(re.sub(r"<[^>]*>", " ", label)).strip()


def names(source: str) -> list:
    """The bold names of the tensor boxes."""
    return [html.unescape(m) for a in nodes(source).values() if attr(a, "shape") == "box"
            for m in re.findall(r"<b>(.*?)</b>", a)]


def edge_labels(source: str, head: str) -> dict:
    """tail -> operand label of the edges into `head`."""
    found = {}
    for tail, to, attrs in EDGE_WITH_ATTRS.findall(source):
        if to == head:
            match = re.search(r'headlabel="?([^" ]+)"?', attrs or "")
            found.setdefault(tail, []).append(match.group(1) if match else None)
    return found


def cluster_block(source: str, label: str) -> str:
    """The DOT text of the cluster whose label contains `label`, nested clusters included."""
    start = source.rindex("subgraph cluster_", 0, source.index(label))
    depth, i = 0, source.index("{", start)
    for j in range(i, len(source)):
        depth += {"{": 1, "}": -1}.get(source[j], 0)
        if depth == 0:
            return source[start:j + 1]
    raise AssertionError("unbalanced braces")


def node_id(source: str, text: str) -> str:
    found = [k for k, a in nodes(source).items() if text in a]
    assert len(found) == 1, f"{len(found)} nodes contain {text!r}"
    return found[0]


def mlp_step(activation: str = "sigmoid", sizes=(2, 3, 3), **kwargs) -> tuple:
    """A training step of the course's MLP on plain numpy data and integer labels."""
    import nn

    rng = np.random.default_rng(0)
    model = nn.MLP(list(sizes), activation=activation, rng=rng, **kwargs)
    loss = nn.SoftmaxCrossEntropy()(model(rng.normal(size=(4, sizes[0]))),
                                    np.array([0, 1, 2, 1]))
    return model, loss


def test_mlp_step_is_named_after_the_course() -> None:
    model, loss = mlp_step()
    source = draw_graph(loss, module=model).source
    found = names(source)
    for name in ("x", "y*", "s = xW + b", "h = σ(s)", "s = hW + b", "L",
                 "layers.0.weight", "layers.2.bias"):
        assert name in found, f"{name!r} not among {found}"
    assert "ŷ = softmax(s)" in node_with(source, "<b>s = hW + b</b>")   # the scores
    assert "(4,) int64" in node_with(source, "<b>y*</b>")
    assert "(4, 2) float32" in node_with(source, "<b>x</b>")
    # the same names after backward, on the released graph (x and y* were freed)
    loss.backward()
    released = names(draw_graph(loss, module=model).source)
    for name in ("s = xW + b", "h = σ(s)", "s = hW + b", "L", "layers.0.weight"):
        assert name in released
    # other activations; a model whose last layer is an activation outputs ŷ itself
    assert "h = tanh(s)" in names(draw_graph(mlp_step("tanh")[1]).source)
    assert "h = ReLU(s)" in names(draw_graph(mlp_step("relu")[1]).source)
    model, loss = mlp_step(output_activation="softmax")
    assert "ŷ = softmax(s)" in names(draw_graph(loss, module=model).source)


def test_user_names_win_and_name_the_formula() -> None:
    model, loss = mlp_loss(np.random.default_rng(0))      # the user named X, Y and loss
    found = names(draw_graph(loss, module=model).source)
    assert {"X", "Y", "loss", "s = XW + b", "h = σ(s)", "s = hW + b"} <= set(found)
    assert "x" not in found and "y*" not in found and "L" not in found


def test_unfused_linear_names_its_two_nodes() -> None:
    import nn

    rng = np.random.default_rng(0)
    model = nn.Sequential(nn.Linear(2, 3, rng=rng, fused=False), nn.Tanh(),
                          nn.Linear(3, 2, rng=rng, fused=False))
    loss = nn.SoftmaxCrossEntropy()(model(rng.normal(size=(4, 2))), np.array([0, 1, 1, 0]))
    found = names(draw_graph(loss, module=model).source)
    assert {"x", "xW", "s = xW + b", "h = tanh(s)", "hW", "s = hW + b", "y*", "L"} <= set(found)


def test_no_box_is_empty() -> None:
    import nn

    rng = np.random.default_rng(0)
    model = nn.MLP([8, 4, 4, 3], activation="sigmoid", rng=rng)
    loss = nn.SoftmaxCrossEntropy()(model(rng.random((4, 8))), np.array([0, 1, 2, 0]))
    # notebook 09's options: before, the input and the labels were empty white boxes
    for options in ({"color_by_grad": True, "show_values": False, "show_shapes": False,
                     "show_derivatives": False},
                    {"show_values": False, "show_shapes": False, "show_grads": False}):
        source = draw_graph(loss, module=model, **options).source
        labels = {k: label_text(a) for k, a in nodes(source).items()}
        assert all(labels.values()), [k for k, text in labels.items() if not text]
        assert {"x", "y*"} <= set(names(source))
    # nameless tensors show their shape and dtype, whatever show_shapes says
    h = (Tensor(np.ones((2, 3), dtype=np.float32), requires_grad=True) * 2).sum()
    source = draw_graph(h, show_values=False, show_shapes=False, show_grads=False).source
    boxes = [label_text(a) for a in nodes(source).values() if attr(a, "shape") == "box"]
    assert sorted(boxes) == ["(2, 3) float32", "(2, 3) float32", "L", "scalar float32"]


def test_edges_say_which_operand_they_are() -> None:
    x = Tensor(np.ones((4, 2)), name="x")
    w = Tensor(np.ones((2, 3)), requires_grad=True, name="W")
    source = draw_graph((x @ w).sum()).source
    matmul = node_id(source, "MatMul")
    into = edge_labels(source, matmul)
    assert into == {node_id(source, "<b>x</b>"): ["A"], node_id(source, "<b>W</b>"): ["B"]}
    # Sub and Div: which one is first (a) and which second (b); Affine: x, W, b
    a = Tensor([1.0, 2.0], requires_grad=True, name="p")
    c = Tensor([3.0, 4.0], requires_grad=True, name="q")
    source = draw_graph(((c - a) / a).sum()).source
    p, q = node_id(source, "<b>p</b>"), node_id(source, "<b>q</b>")
    assert edge_labels(source, node_id(source, "Sub")) == {q: ["a"], p: ["b"]}
    assert edge_labels(source, node_id(source, "Div"))[p] == ["b"]
    model, loss = mlp_step()
    source = draw_graph(loss, module=model).source
    first = cluster_block(source, "layers.0 (Linear)")
    affine = node_id(first, "Affine")
    into = edge_labels(source, affine)
    assert into == {node_id(source, "<b>x</b>"): ["x"],
                    node_id(source, "layers.0.weight"): ["W"],
                    node_id(source, "layers.0.bias"): ["b"]}
    # a single-operand op has no label; x * x labels both of its edges
    t = Tensor([1.0, 2.0], requires_grad=True, name="t")
    source = draw_graph((t * t).tanh()).source
    assert list(edge_labels(source, node_id(source, "Tanh")).values()) == [[None]]
    assert sorted(edge_labels(source, node_id(source, "Mul"))[node_id(source, "<b>t</b>")]) \
        == ["a", "b"]
    if shutil.which("dot"):
        assert graphviz.Source(source).pipe(format="svg")


def test_pow_by_a_constant_shows_only_the_derivative_it_uses() -> None:
    a = Tensor([1.0, 2.0], requires_grad=True, name="a")
    source = draw_graph((a ** 2).sum()).source
    pow_label = node_with(source, "<b>Pow</b>")
    assert "∂(aᵇ)/∂a = b·aᵇ⁻¹" in pow_label and "/∂b" not in pow_label
    # a tensor exponent that requires grad: both parts
    b = Tensor([3.0, 0.5], requires_grad=True, name="b")
    y = (a ** b).sum()
    assert "∂(aᵇ)/∂b = aᵇ·ln a" in node_with(draw_graph(y).source, "<b>Pow</b>")
    # a constant base: only ∂/∂b; and a released graph still knows which
    z = (Tensor([2.0, 3.0]) ** b).sum()
    z.backward()
    released = node_with(draw_graph(z).source, "<b>Pow</b>")
    assert "/∂b" in released and "/∂a" not in released
    # the first layer's Affine: x is data, so no ∂/∂x
    model, loss = mlp_step()
    source = draw_graph(loss, module=model).source
    first = node_with(cluster_block(source, "layers.0 (Linear)"), "Affine")
    last = node_with(cluster_block(source, "layers.2 (Linear)"), "Affine")
    assert "/∂x" not in first and "/∂W" in first and "/∂x" in last


def test_fancy_index_label_is_short_and_complete() -> None:
    probs = Tensor(np.full((2, 3), 1 / 3), requires_grad=True, name="Ŷ")
    picked = probs[np.arange(2), np.array([0, 2])]
    label = label_text(node_with(draw_graph(picked.sum()).source, "GetItem"))
    assert "a[[0, 1], [0, 2]]" in label and "array(" not in label
    assert "(repeats add up)" in label and "…" not in label       # the derivative is whole
    big = Tensor(np.arange(200.0).reshape(20, 10), requires_grad=True)
    cases = [((np.arange(20), np.arange(20) % 10), "a[[0, 1, 2, … (20)], [0, 1, 2, … (20)]]"),
             ((slice(None), 0), "a[:, 0]"),
             ((Ellipsis, None, slice(1, 5, 2)), "a[..., None, 1:5:2]"),
             (3, "a[3]"), (big.data > 50, "a[mask (20, 10)]")]
    for index, expected in cases:
        assert viz._describe_args(big[index].grad_fn) == expected
    long = viz._describe_args(big[np.arange(20).reshape(4, 5), :, None].grad_fn)
    assert len(long) <= viz.ARG_CHARS and "array(" not in long


def test_input_sits_in_the_first_layer_and_labels_in_the_loss() -> None:
    model, loss = mlp_step()
    source = draw_graph(loss, module=model).source
    x, labels = node_id(source, "<b>x</b>"), node_id(source, "<b>y*</b>")
    first = cluster_block(source, "layers.0 (Linear)")
    assert re.search(rf"^\s*{x} \[", first, re.MULTILINE)
    assert not re.search(rf"^\s*{x} \[", cluster_block(source, "layers.2 (Linear)"),
                         re.MULTILINE)
    assert re.search(rf"^\s*{labels} \[", cluster_block(source, "SoftmaxCrossEntropy"),
                     re.MULTILINE)
    # without clusters both are drawn at the top level, still named
    flat = draw_graph(loss, module=model, group_by_module=False).source
    assert "cluster_" not in flat and {"x", "y*"} <= set(names(flat))
    # a name the user gave moves along: notebook 10's X sits in its first layer too
    model, loss = mlp_loss(np.random.default_rng(0))
    source = draw_graph(loss, module=model).source
    assert re.search(rf"^\s*{node_id(source, '<b>X</b>')} \[",
                     cluster_block(source, "layers.0 (Linear)"), re.MULTILINE)


def test_an_activation_of_ones_own_is_named_h() -> None:
    import nn

    class Softplus(Function):
        """∂softplus(a)/∂a = σ(a)"""

        @staticmethod
        def forward(ctx, a):
            return np.logaddexp(0, a)

        @staticmethod
        def backward(ctx, grad):
            (a,) = ctx.inputs
            return grad * a.sigmoid()

    class SoftplusLayer(nn.Module):
        def forward(self, x):
            return Softplus.apply(x)

    rng = np.random.default_rng(0)
    model = nn.Sequential(nn.Linear(2, 2, rng=rng), SoftplusLayer(), nn.Linear(2, 1, rng=rng))
    loss = nn.MSELoss()(model(rng.normal(size=(3, 2))), np.ones((3, 1)))
    source = draw_graph(loss, module=model).source
    assert {"x", "s = xW + b", "h = softplus(s)", "s = hW + b", "y*", "L"} <= set(names(source))
    assert "the output ŷ = s" in node_with(source, "<b>s = hW + b</b>")
    loss.backward()                                     # released: still named
    assert "h = softplus(s)" in names(draw_graph(loss, module=model).source)


# ---------------------------------------------------------------------------- collapsed view
ANY_NODE = re.compile(r"^\s*(\w+) \[(.*)\]$", re.MULTILINE)


def all_nodes(source: str) -> dict:
    """dot id -> attributes of every node (the graph/node/edge defaults left out)."""
    return {k: a for k, a in ANY_NODE.findall(source) if k not in ("graph", "node", "edge")}


def boxes(source: str) -> dict:
    """The layer boxes of a collapsed picture: dot id -> visible label text."""
    return {k: label_text(a) for k, a in all_nodes(source).items() if re.fullmatch(r"m\d+", k)}


def box_id(source: str, text: str) -> str:
    found = [k for k, label in boxes(source).items() if text in label]
    assert len(found) == 1, f"{len(found)} boxes contain {text!r}: {boxes(source)}"
    return found[0]


def ellipses(source: str) -> list:
    return [label_text(a) for a in all_nodes(source).values() if "shape=ellipse" in a]


def tensor_id(source: str, name: str) -> str:
    found = [k for k, a in all_nodes(source).items()
             if "shape=box" in a and "rounded" in a and f"<b>{html.escape(name)}</b>" in a]
    assert len(found) == 1, f"{len(found)} tensor nodes named {name!r}"
    return found[0]


def test_collapse_draws_one_box_per_layer_of_an_mlp() -> None:
    model, loss = mlp_step(sizes=(2, 3, 3))
    source = draw_graph(loss, module=model, collapse=True).source
    found = boxes(source)
    assert len(found) == 4                  # layers.0, layers.1, layers.2 and the loss
    first = found[box_id(source, "layers.0 · Linear(2→3)")]
    assert "(4, 2) → (4, 3)" in first and "9 parameters" in first
    assert "(4, 3) → (4, 3)" in found[box_id(source, "layers.1 · Sigmoid")]
    assert "12 parameters" in found[box_id(source, "layers.2 · Linear(3→3)")]
    assert "parameters" not in found[box_id(source, "layers.1")]        # a ReLU has none
    assert "(4, 3), (4,) → scalar" in found[box_id(source, "SoftmaxCrossEntropy")]
    # no op nodes: every op ran inside a layer (or the loss); the parameters are in the boxes
    assert ellipses(source) == []
    assert "Affine" not in source and "layers.0.weight" not in source
    # x, y* and L stay tensor nodes; the edges follow the data
    x, labels, out = (tensor_id(source, n) for n in ("x", "y*", "L"))
    chain = [x] + [box_id(source, n) for n in ("layers.0", "layers.1", "layers.2",
                                               "SoftmaxCrossEntropy")] + [out]
    edges = graph_edges(source)
    assert set(edges) == set(zip(chain, chain[1:])) | {(labels, chain[-2])}
    assert [e for e in edges if e[0] != labels] == list(zip(chain, chain[1:]))  # in order
    assert "layers (Sequential)" in cluster_block(source, "layers.0 · Linear")
    assert "21 parameters in all" in source                  # in the legend
    # the default picture is the op graph, unchanged
    default = draw_graph(loss, module=model).source
    assert default == draw_graph(loss, module=model, collapse=False).source
    assert "Affine" in default and "m1 [" not in default
    # ... and a released graph still collapses, the parameters' gradients shown
    loss.backward()
    source = draw_graph(loss, module=model, collapse=True).source
    assert len(boxes(source)) == 4 and ellipses(source) == []
    first = boxes(source)[box_id(source, "layers.0 · Linear(2→3)")]
    assert "(freed) → (4, 3)" in first                      # x was freed with the graph
    grad = model.layers[0].weight.grad.data, model.layers[0].bias.grad.data
    mean = (np.abs(grad[0]).sum() + np.abs(grad[1]).sum()) / (grad[0].size + grad[1].size)
    assert f"mean |grad|: parameters {mean:.2g}" in first
    assert "graph released" in source.replace("<br/>", " ")
    assert "layers.1" in source and "L" in names(source)


def cnn_step() -> tuple:
    """A small CNN without convolutions: modules that exist, a layer of one's own (a max
    pooling written with the autograd function) and a reshape in the model's own forward."""
    import nn

    class Pool(nn.Module):
        def forward(self, x):
            return autograd.max_pool2d(x, 2)

    class SmallCNN(nn.Module):
        def __init__(self, rng: np.random.Generator) -> None:
            self.features = nn.Sequential(nn.BatchNorm2d(2), nn.ReLU(), nn.MaxPool2d(2))
            self.pool = Pool()
            self.fc = nn.Linear(8, 3, rng=rng)

        def forward(self, x):
            h = self.pool(self.features(x))
            return self.fc(h.flatten(1))

    rng = np.random.default_rng(0)
    model = SmallCNN(rng)
    x = rng.normal(size=(2, 2, 8, 8)).astype(np.float32)
    return model, nn.SoftmaxCrossEntropy()(model(x), np.array([0, 2]))


def test_collapse_a_small_cnn() -> None:
    model, loss = cnn_step()
    source = draw_graph(loss, module=model, collapse=True).source
    expected = [("features.0 · BatchNorm2d(2)", "(2, 2, 8, 8) → (2, 2, 8, 8)", "4 parameters"),
                ("features.1 · ReLU", "(2, 2, 8, 8) → (2, 2, 8, 8)", None),
                ("features.2 · MaxPool2d(2×2)", "(2, 2, 8, 8) → (2, 2, 4, 4)", None),
                ("pool · Pool", "(2, 2, 4, 4) → (2, 2, 2, 2)", None),
                ("fc · Linear(8→3)", "(2, 8) → (2, 3)", "27 parameters")]
    found = boxes(source)
    assert len(found) == len(expected) + 1
    for head, shapes, params in expected:
        label = found[box_id(source, head)]
        assert shapes in label
        assert (params in label) if params else "parameter" not in label
    # the model's own x.flatten(1) ran outside any layer: an op node with its shapes
    (reshape,) = ellipses(source)
    assert reshape.startswith("Reshape") and "(2, 2, 2, 2) → (2, 8)" in reshape
    reshape_id = next(k for k, a in all_nodes(source).items() if "shape=ellipse" in a)
    chain = [tensor_id(source, "x")] + [box_id(source, h) for h, _, _ in expected[:4]] + \
        [reshape_id, box_id(source, "fc · Linear"), box_id(source, "SoftmaxCrossEntropy"),
         tensor_id(source, "L")]
    edges = [e for e in graph_edges(source) if e[0] != tensor_id(source, "y*")]
    assert edges == list(zip(chain, chain[1:]))
    assert "features (Sequential)" in cluster_block(source, "features.2 · MaxPool2d")
    assert "BatchNorm" not in " ".join(ellipses(source))
    if shutil.which("dot"):
        assert b"MaxPool2d" in graphviz.Source(source).pipe(format="svg")
    # released: the same boxes
    loss.backward()
    released = draw_graph(loss, module=model, collapse=True).source
    assert [label.split(" (")[0] for label in boxes(released).values()] == \
        [label.split(" (")[0] for label in found.values()]
    assert len(ellipses(released)) == 1


def test_collapse_gradients_per_box() -> None:
    model, loss = cnn_step()
    source = draw_graph(loss, module=model, collapse=True, compute_grads=True).source
    fc = boxes(source)[box_id(source, "fc · Linear")]
    assert "mean |grad|: output" in fc and "parameters" in fc
    assert model.fc.weight.grad is None                     # a dry run: .grad untouched
    colored = draw_graph(loss, module=model, collapse=True, color_by_grad=True).source
    fills = {attr(all_nodes(colored)[k], "fillcolor") for k in boxes(colored)}
    assert fills <= set(viz.GRAD_PALETTE) | {viz.GRAD_ZERO_COLOR, "#ffffff"} and len(fills) >= 3
    assert "mean |grad| (log scale)" in colored
    loss.backward()         # after backward: the parameters' gradients are known
    plain = draw_graph(loss, module=model, collapse=True).source
    assert "mean |grad|: parameters" in boxes(plain)[box_id(plain, "fc · Linear")]
    assert "mean |grad|" not in boxes(plain)[box_id(plain, "features.1 · ReLU")]


def test_collapse_a_module_called_twice_gets_a_box_per_call() -> None:
    import nn

    rng = np.random.default_rng(0)

    class Twice(nn.Module):
        def __init__(self) -> None:
            self.fc1, self.act, self.fc2 = nn.Linear(2, 3, rng=rng), nn.Tanh(), \
                nn.Linear(3, 1, rng=rng)

        def forward(self, x):
            return self.act(self.fc2(self.act(self.fc1(x))))

    model = Twice()
    loss = nn.MSELoss()(model(rng.normal(size=(4, 2))), np.zeros((4, 1)))
    source = draw_graph(loss, module=model, collapse=True).source
    first, second = box_id(source, "act · Tanh · call 1 of 2"), \
        box_id(source, "act · Tanh · call 2 of 2")
    edges = graph_edges(source)
    assert (box_id(source, "fc1"), first) in edges and (first, box_id(source, "fc2")) in edges
    assert (box_id(source, "fc2"), second) in edges and (second, first) not in edges
    assert "(4, 1) → (4, 1)" in boxes(source)[second]


def test_collapse_with_duck_typed_modules_and_a_loss_of_tensor_ops() -> None:
    model, loss = mlp_loss(np.random.default_rng(0))
    source = draw_graph(loss, module=model, collapse=True).source
    assert {"layers.0 · Linear", "layers.1 · Sigmoid", "layers.2 · Linear"} == \
        {label.split("(")[0].strip() for label in boxes(source).values()}
    # the loss was written with tensor ops outside any module: they stay op nodes
    assert {text.split()[0] for text in ellipses(source)} == \
        {"LogSumExp", "Sub", "Mul", "Sum", "Mean", "Neg"}
    assert {"X", "Y", "loss"} <= set(names(source))
    assert "layers.0.W" not in source


def test_collapse_short_module_forms() -> None:
    import nn

    assert viz._module_text(nn.Linear(4, 2, bias=False)) == "Linear(4→2, no bias)"
    assert viz._module_text(nn.MaxPool2d(3, stride=2, padding=1)) == \
        "MaxPool2d(3×3, stride 2, pad 1)"
    assert viz._module_text(nn.BatchNorm2d(8)) == "BatchNorm2d(8)"
    assert viz._module_text(nn.Softmax(axis=1)) == "Softmax(axis=1)"
    assert viz._module_text(nn.ReLU()) == "ReLU"
    assert viz._module_text(Sigmoid()) == "Sigmoid"            # duck-typed, no extra_repr
    from nn.conv import Conv2d, Flatten

    assert viz._module_text(Conv2d(1, 8, 5, padding=2)) == "Conv2d(1→8, 5×5, pad 2)"
    assert viz._module_text(Conv2d(3, 4, (3, 1), stride=2)) == "Conv2d(3→4, 3×1, stride 2)"
    assert viz._module_text(Flatten()) == "Flatten"


def test_collapse_a_lenet_with_conv2d() -> None:
    import nn
    from nn.conv import Conv2d, Flatten

    rng = np.random.default_rng(0)
    model = nn.Sequential(Conv2d(1, 4, 5, padding=2, rng=rng), nn.ReLU(), nn.MaxPool2d(2),
                          Conv2d(4, 8, 5, rng=rng), nn.ReLU(), nn.MaxPool2d(2), Flatten(),
                          nn.Linear(8 * 5 * 5, 10, rng=rng))
    x = rng.normal(size=(2, 1, 28, 28)).astype(np.float32)
    loss = nn.SoftmaxCrossEntropy()(model(x), np.array([3, 7]))
    source = draw_graph(loss, module=model, collapse=True).source
    conv = boxes(source)[box_id(source, "0 · Conv2d(1→4, 5×5, pad 2)")]
    assert "(2, 1, 28, 28) → (2, 4, 28, 28)" in conv and "104 parameters" in conv
    assert "(2, 4, 14, 14) → (2, 8, 10, 10)" in boxes(source)[box_id(source, "3 · Conv2d")]
    assert "(2, 8, 5, 5) → (2, 200)" in boxes(source)[box_id(source, "6 · Flatten")]
    assert len(boxes(source)) == 9 and ellipses(source) == []
    loss.backward()
    assert len(boxes(draw_graph(loss, module=model, collapse=True).source)) == 9


def test_collapse_options_elsewhere() -> None:
    model, loss = mlp_step(sizes=(8, 8, 8, 3))
    note = draw_graph(loss, module=model, max_nodes=5).source.replace("<br/>", " ")
    assert "collapse=True) draws one box per layer" in note
    assert "collapse" not in draw_graph(loss, max_nodes=5).source     # no module, no hint
    assert "more nodes not drawn" not in draw_graph(loss, module=model, max_nodes=5,
                                                    collapse=True).source
    with pytest.raises(ValueError, match="collapse"):
        next(backward_steps(loss, module=model, collapse=True))
