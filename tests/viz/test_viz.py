"""Graph pictures (the viz package), checked on what a picture is written from: its graph
model (`picture.drawing.model`: tensors, ops, edges, names) and its drawing
(`picture.drawing`: each node's text, colours and cluster, the edges, notes and legend).
Two tests read the DOT text itself (escaping, clusters, operand labels); no `dot` program is
needed, except where real SVG and PNG files are rendered."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import warnings

import graphviz
import numpy as np
import pytest

import autograd
import viz
from autograd import Function, Tensor, engine, mode
from viz import GraphvizMissingWarning, backward_steps, draw_graph, save_graph, style
from viz.layout import Box, module_text
from viz.text import step_mark


# ---------------------------------------------------------------------------- helpers
def drawn(*roots, **options) -> viz.Drawing:
    """What draw_graph draws."""
    return draw_graph(*roots, **options).drawing


def tensors(drawing: viz.Drawing) -> list:
    return [n for n in drawing.nodes if n.attrs["shape"] == "box" and not isinstance(n.item, Box)]


def ops(drawing: viz.Drawing) -> list:
    return [n for n in drawing.nodes if n.attrs["shape"] == "ellipse"]


def titles(drawing: viz.Drawing) -> list:
    """The names of the tensor nodes."""
    return [n.title for n in tensors(drawing) if n.title]


def edges(drawing: viz.Drawing) -> list:
    return [(e.tail, e.head) for e in drawing.edges]


def operands_into(drawing: viz.Drawing, head: viz.drawing.Node) -> dict:
    """The operand label of each edge into `head`, by the title of its tail."""
    found: dict = {}
    by_id = {n.dot_id: n for n in drawing.nodes}
    for e in drawing.edges:
        if e.head == head.dot_id:
            found.setdefault(by_id[e.tail].title, []).append(e.operand)
    return found


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
    graph_role = "affine"       # describes itself as nn.Linear does: s = xW + b

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


def mlp_step(activation: str = "sigmoid", sizes=(2, 3, 3), **kwargs) -> tuple:
    """A training step of the course's MLP on plain numpy data and integer labels."""
    import nn

    rng = np.random.default_rng(0)
    model = nn.MLP(list(sizes), activation=activation, rng=rng, **kwargs)
    loss = nn.SoftmaxCrossEntropy()(model(rng.normal(size=(4, sizes[0]))),
                                    np.array([0, 1, 2, 1]))
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


# ---------------------------------------------------------------------------- the graph model
def test_formal_neuron_nodes_and_edges() -> None:
    w, x, b, y = neuron()
    picture = drawn(y)
    model = picture.model
    # w, x, b, w·x, w·x + b, y  and  MatMul, Add, Sigmoid
    assert len(model.tensors) == 6 and [op.name for op in model.ops.values()] == \
        ["Sigmoid", "Add", "MatMul"]
    assert {t.role for t in model.tensors.values()} == {"param", "const", "value", "output"}
    assert model.tensor("w").role == "param" and model.tensor("x").role == "const"
    assert len(model.edges) == 8
    # edges go forward: w -> MatMul -> w·x -> Add -> ... -> Sigmoid -> y
    (matmul,) = model.ops_named("MatMul")
    (sigmoid,) = model.ops_named("Sigmoid")
    pairs = [(e.tail, e.head) for e in model.edges]
    assert (model.tensor("w").dot_id, matmul.dot_id) in pairs
    assert (sigmoid.dot_id, model.tensor("y").dot_id) in pairs
    # the drawing: a box per tensor, an ellipse per op, the same edges
    assert len(tensors(picture)) == 6 and len(ops(picture)) == 3 and edges(picture) == pairs


def test_labels_show_names_shapes_values_grads_derivatives() -> None:
    w, x, b, y = neuron()
    picture = drawn(y)
    w_text = picture.named("w").text
    assert "(3,) float32" in w_text and "[0.5, -1, 0.25]" in w_text
    assert "grad [" + ", ".join(f"{v:.4g}" for v in w.grad.data) + "]" in w_text
    assert "grad" not in picture.named("x").text                  # a constant has none
    assert "scalar float32" in picture.named("b").text
    assert f"{y.item():.4g}" in picture.named("y").text
    assert autograd.Sigmoid.derivative() in picture.named("Sigmoid").text
    # a big tensor is summarised
    big = Tensor(np.arange(12.0).reshape(3, 4), requires_grad=True, name="big")
    assert "min 0 · mean 5.5 · max 11" in drawn((big * 2).sum()).named("big").text
    # the options switch the parts off
    plain = drawn(y, show_values=False, show_grads=False, show_shapes=False,
                  show_derivatives=False, legend=False)
    text = "\n".join(n.text for n in plain.nodes)
    assert "grad" not in text and "∂" not in text and plain.legend == []
    assert plain.named("w").text == "w"
    # a tensor without a name still shows its shape: no box is empty
    assert sorted(n.text for n in tensors(plain) if not n.title) == ["scalar float32"] * 2


def test_intermediate_grads_from_retain_grad_or_compute_grads() -> None:
    w = Tensor([0.5, -1.0, 0.25], requires_grad=True, name="w")
    x = Tensor([1.0, 2.0, 3.0], name="x")
    z = w @ x
    z.name = "z"
    z.retain_grad()
    y = z.sigmoid()
    y.backward(retain_graph=True)
    assert "grad" in drawn(y).named("z").text
    # compute_grads: the engine's pass again, the user's .grad untouched
    w2 = Tensor([0.5, -1.0, 0.25], requires_grad=True, name="w2")
    z2 = w2 @ x
    z2.name = "z2"
    picture = drawn(z2.sigmoid(), compute_grads=True)
    s = 1 / (1 + np.exp(0.75))
    assert f"grad {s * (1 - s):.4g}" in picture.named("z2").text
    assert w2.grad is None and z2.grad is None


def test_one_backward_pass_the_engines(monkeypatch) -> None:
    """compute_grads and backward_steps run the engine's pass (engine.walk) once each."""
    calls = []
    walk = engine.walk

    def counted(*args, **kwargs):
        calls.append(args)
        return walk(*args, **kwargs)

    monkeypatch.setattr(engine, "walk", counted)
    w, x, b, y = neuron(backward=False)
    picture = drawn(y, compute_grads=True)
    assert len(calls) == 1
    frames = list(backward_steps(y))
    assert len(calls) == 2 and len(frames) == 3
    y.backward()
    expected = "grad [" + ", ".join(f"{v:.4g}" for v in w.grad.data) + "]"
    assert expected in picture.named("w").text and expected in frames[-1].drawing.named("w").text
    assert not hasattr(viz.backward, "_dry_run")


def test_fill_colours_differ_by_role() -> None:
    w, x, b, y = neuron()
    picture = drawn(y)
    fills = {name: picture.named(name).attrs["fillcolor"] for name in ("w", "x", "y")}
    fills["value"] = next(n for n in tensors(picture) if not n.title).attrs["fillcolor"]
    assert fills == {"w": style.ROLE_COLORS["param"], "x": style.ROLE_COLORS["const"],
                     "y": style.ROLE_COLORS["output"], "value": style.ROLE_COLORS["value"]}
    assert len(set(fills.values())) == 4
    assert picture.named("MatMul").attrs["fillcolor"] not in fills.values()
    assert {row.color for row in picture.legend if row.kind == "swatch"} >= set(fills.values())


def test_module_clusters() -> None:
    model, loss = mlp_loss(np.random.default_rng(0))
    picture = drawn(loss, module=model)
    assert sorted(c.label for c in picture.clusters.values()) == \
        ["layers (Sequential)", "layers.0 (Linear)", "layers.1 (Sigmoid)", "layers.2 (Linear)"]
    # parameters carry their dotted names and sit in their layer's cluster, nested in layers
    for name in ("layers.0.W", "layers.0.b"):
        assert picture.cluster_path(picture.named(name)) == \
            ["layers.0 (Linear)", "layers (Sequential)"]
    assert picture.cluster_label(picture.named("layers.2.W")) == "layers.2 (Linear)"
    matmuls = [n for n in ops(picture) if n.title == "MatMul"]
    assert sorted(picture.cluster_label(n) for n in matmuls) == \
        ["layers.0 (Linear)", "layers.2 (Linear)"]
    # no module: no clusters; group_by_module=False: none either
    assert drawn(loss).clusters == {}
    assert drawn(loss, module=model, group_by_module=False).clusters == {}


def test_show_order_matches_topological_order() -> None:
    model, loss = mlp_loss(np.random.default_rng(1))
    loss.backward(retain_graph=True)
    picture = drawn(loss, show_order=True, max_nodes=None)
    order = engine.topological_order([loss.grad_fn])
    by_node = {id(n.item.node): n for n in ops(picture)}
    assert len(by_node) == len(order)
    for step, node in enumerate(order, 1):
        assert by_node[id(node)].title == f"{step_mark(step)} {node.name}"
    assert step_mark(1) == "①" and step_mark(21) == "#21"


def test_color_by_grad_follows_gradient_size() -> None:
    weights, out = sigmoid_chain(8, np.random.default_rng(0))
    picture = drawn(out, color_by_grad=True)
    palette = style.GRAD_PALETTE
    first = palette.index(picture.named("W0").attrs["fillcolor"])
    last = palette.index(picture.named("W7").attrs["fillcolor"])
    assert first < last                                 # vanishing: pale near the input
    assert len({n.attrs["fillcolor"] for n in tensors(picture)}) >= 4
    assert "mean |grad| (log scale)" in [row.text for row in picture.legend]
    assert all(w.grad is None for w in weights)         # .grad left alone
    # the number behind the colour is written in the box: ∂L/∂L = 1
    assert picture.named("L").text.endswith("mean |grad| 1")


# ---------------------------------------------------------------------------- big graphs
def test_ten_thousand_nodes_draw_quickly() -> None:
    x = Tensor(np.linspace(-1, 1, 5), requires_grad=True, name="x")
    h = x
    for _ in range(5000):
        h = h.tanh()
    start = time.perf_counter()
    picture = draw_graph(h, max_nodes=None, show_order=True)
    assert picture.source.count(" -> ") == 10000
    elapsed = time.perf_counter() - start
    assert len(picture.drawing.nodes) == 10001           # 5000 ops, 5001 tensors
    assert len(picture.drawing.edges) == 10000
    assert elapsed < 10, f"drawing took {elapsed:.1f}s"


def test_max_nodes_cap_leaves_a_note() -> None:
    x = Tensor(np.ones(3), requires_grad=True, name="x")
    h = x
    for _ in range(300):
        h = h.tanh()
    picture = drawn(h, max_nodes=50)
    assert len(picture.nodes) == 50
    assert picture.notes[0].startswith("551 more nodes not drawn (max_nodes=50)")  # 601 in all
    assert picture.note_targets                                     # pointing at the cut
    assert set(picture.note_targets) <= {n.dot_id for n in picture.nodes}


# ---------------------------------------------------------------------------- special graphs
def test_create_graph_gradient_draws_the_backward_pass() -> None:
    x = Tensor([0.5, -1.0], requires_grad=True, name="x")
    y = (x * x * x).sum()
    (g,) = autograd.grad(y, x, create_graph=True)
    assert g.grad_fn is not None
    picture = drawn(g, show_order=True)
    assert len(ops(picture)) == len(engine.topological_order([g.grad_fn]))
    assert "grad" not in picture.named("x").text        # backward with grad() left it
    # and its own backward steps walk through
    frames = list(backward_steps(g.sum()))
    assert len(frames) == len(engine.topological_order([g.sum().grad_fn]))


def test_released_graph_still_draws_with_a_note() -> None:
    w, x, b, y = neuron(retain_graph=False)
    picture = drawn(y, show_order=True)
    assert picture.model.released and "graph released" in picture.notes[0]
    assert len(ops(picture)) == 3
    released = [n for n in picture.nodes if "value released" in n.text]
    assert len(released) == 2 and all("scalar" in n.text for n in released)   # shapes survive
    assert "grad" in picture.named("w").text                           # leaf grads too
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        next(backward_steps(y))
    notes = drawn(y, compute_grads=True).notes
    assert "intermediate tensors: not available, the graph was released" in notes[-1]


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
    picture = drawn(y)
    # the output of x * 3 is gone and no gradient told its shape: drawn, marked unknown
    assert [n.text for n in picture.nodes].count("shape unknown\nvalue released") == 1
    assert len(ops(picture)) == 5


def test_dot_text_escapes_labels() -> None:
    class Weird(Function):
        """∂f/∂a = [a < b] & <i>not html</i> "quoted" ⊙ Wᵀ"""

        @staticmethod
        def forward(ctx, a):
            return a * 2

        @staticmethod
        def backward(ctx, grad):
            return grad * 2

    a = Tensor([1.0, 2.0], requires_grad=True, name="<a & b>")
    picture = draw_graph(Weird.apply(a))
    assert Weird.derivative() in picture.drawing.named("Weird").text
    source = picture.source
    assert "[a &lt; b] &amp; &lt;i&gt;not html&lt;/i&gt;" in source and "⊙ Wᵀ" in source
    assert "&lt;a &amp; b&gt;" in source and "<i>not html" not in source
    if shutil.which("dot"):
        assert graphviz.Source(source).pipe(format="svg")    # dot parses it


def test_dot_text_of_clusters_and_operand_labels() -> None:
    model, loss = mlp_loss(np.random.default_rng(0))
    picture = draw_graph(loss, module=model)
    source = picture.source
    assert source.count("subgraph cluster_") == 4
    # clusters nest: layers.0's block sits inside the block of layers
    outer = source.index("layers (Sequential)")
    inner = source.index("layers.0 (Linear)")
    assert outer < inner < source.rindex("}")
    start = source.rindex("subgraph cluster_", 0, inner)
    block = source[start:source.index("}", start)]
    assert "layers.0.W" in block and "MatMul" in block and "layers.2.W" not in block
    # an operand label is the edge's headlabel; a node's label comes first
    a, b = Tensor([1.0, 2.0], requires_grad=True, name="p"), Tensor([3.0, 4.0], name="q")
    source = draw_graph(a - b).source
    labels = re.findall(r'-> op\d+ \[.*headlabel="?(\w)"?', source)
    assert sorted(labels) == ["a", "b"]
    assert re.search(r"^\s*t\d+ \[label=<<b>p</b>", source, re.MULTILINE)


# ---------------------------------------------------------------------------- backward steps
def test_backward_steps_walk_the_engine_order() -> None:
    w, x, b, y = neuron(backward=False)
    order = engine.topological_order([y.grad_fn])
    frames = [picture.drawing for picture in backward_steps(y)]
    assert len(frames) == len(order) == 3
    assert w.grad is None and b.grad is None                 # .grad untouched
    first, last = frames[0], frames[-1]
    assert first.named("① Sigmoid").attrs["fillcolor"] == style.OP_CURRENT_COLOR
    assert first.named("③ MatMul").attrs["fillcolor"] == style.OP_PENDING_COLOR
    assert "grad" not in first.named("w").text             # not reached yet
    assert last.named("① Sigmoid").attrs["fillcolor"] == style.OP_DONE_COLOR
    assert last.named("③ MatMul").attrs["fillcolor"] == style.OP_CURRENT_COLOR
    assert last.named("w").attrs["color"] == style.EMPHASIS  # just received its gradient
    assert "backward step 3 of 3: MatMul sends" in last.options.title
    y.backward()
    expected = ", ".join(f"{v:.4g}" for v in w.grad.data)
    assert f"grad [{expected}]" in last.named("w").text


def test_backward_steps_mark_partial_gradients() -> None:
    a = Tensor([1.0, 2.0], requires_grad=True, name="a")
    h = a.exp()
    h.name = "h"
    y = (h * 2 + h.tanh()).sum()
    marks = ["(so far)" in picture.drawing.named("h").text for picture in backward_steps(y)]
    assert True in marks and not marks[-1]        # h gets two contributions, then is final


def test_backward_steps_seeds_and_options() -> None:
    x = Tensor([1.0, -2.0], requires_grad=True, name="x")
    y = x * 3
    y.name = "y"
    frames = list(backward_steps(y, grad_outputs=[np.array([1.0, 10.0])]))
    assert "grad [3, 30]" in frames[-1].drawing.named("x").text
    with pytest.raises(ValueError, match="1 roots"):
        next(backward_steps(y, grad_outputs=[None, None]))
    with pytest.raises(TypeError, match="unexpected options"):
        next(backward_steps(y, colour=True))
    with pytest.raises(ValueError, match="compute_grads=False"):
        next(backward_steps(y, compute_grads=False))


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
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.warns(GraphvizMissingWarning, match="apt-get install graphviz") as caught:
        written = save_graph(picture, tmp_path / "neuron.png")
    assert "brew install graphviz" in str(caught[0].message)
    assert caught[0].filename == __file__          # pointing at the caller of save_graph
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

    monkeypatch.setattr(shutil, "which", lambda name: "/usr/bin/dot")
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


# ---------------------------------------------------------------------------- the public API
def test_autograd_exports_the_pictures_lazily() -> None:
    assert autograd.draw_graph is viz.draw_graph and autograd.save_graph is viz.save_graph
    assert autograd.backward_steps is viz.backward_steps
    from autograd.viz import draw_graph as old_spelling

    assert old_spelling is viz.draw_graph
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        autograd.nothing  # noqa: B018  (the lookup is the test)
    # autograd (and nn, optim) never import viz themselves
    code = "import sys, autograd, nn, optim; print('viz' in sys.modules)"
    here = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=here, env={**os.environ, "PYTHONPATH": here}, timeout=60)
    assert done.stdout.strip() == "False", done.stderr


# ---------------------------------------------------------------------------- names and labels
def test_mlp_step_is_named_after_the_course() -> None:
    model, loss = mlp_step()
    picture = drawn(loss, module=model)
    found = titles(picture)
    for name in ("x", "y*", "s = xW + b", "h = σ(s)", "s = hW + b", "L",
                 "layers.0.weight", "layers.2.bias"):
        assert name in found, f"{name!r} not among {found}"
    scores = picture.named("s = hW + b")
    assert scores.item.caption == "the scores; ŷ = softmax(s) in the loss"
    assert "ŷ = softmax(s)" in scores.text
    assert "(4,) int64" in picture.named("y*").text
    assert "(4, 2) float32" in picture.named("x").text
    # the same names after backward, on the released graph (x and y* were freed)
    loss.backward()
    released = titles(drawn(loss, module=model))
    for name in ("s = xW + b", "h = σ(s)", "s = hW + b", "L", "layers.0.weight"):
        assert name in released
    # other activations; a model whose last layer is an activation outputs ŷ itself
    assert "h = tanh(s)" in titles(drawn(mlp_step("tanh")[1]))
    assert "h = ReLU(s)" in titles(drawn(mlp_step("relu")[1]))
    model, loss = mlp_step(output_activation="softmax")
    assert "ŷ = softmax(s)" in titles(drawn(loss, module=model))


def test_binary_cross_entropy_says_its_scores_go_through_sigma() -> None:
    import nn

    rng = np.random.default_rng(0)
    model = nn.Sequential(nn.Linear(3, 1, rng=rng))
    loss = nn.BCEWithLogitsLoss()(model(rng.normal(size=(4, 3))), np.ones((4, 1)))
    scores = drawn(loss, module=model).named("s = xW + b")
    assert scores.item.caption == "the scores; ŷ = σ(s) in the loss"


def test_user_names_win_and_name_the_formula() -> None:
    model, loss = mlp_loss(np.random.default_rng(0))      # the user named X, Y and loss
    found = titles(drawn(loss, module=model))
    assert {"X", "Y", "loss", "s = XW + b", "h = σ(s)", "s = hW + b"} <= set(found)
    assert "x" not in found and "y*" not in found and "L" not in found


def test_modules_describe_themselves() -> None:
    """A module says it is an affine layer or a loss (graph_role), not its class name."""
    rng = np.random.default_rng(0)
    model, loss = mlp_loss(rng)
    Linear.graph_role = None
    try:
        found = titles(drawn(loss, module=model))
    finally:
        Linear.graph_role = "affine"
    assert "s = XW + b" not in found and "h = σ(s)" in found
    import nn

    class Hinge(nn.Module):                     # a loss of one's own, named as such
        graph_role = "loss"

        def forward(self, scores, target):
            return (1 - scores * target).relu().mean()

    layer = nn.Linear(2, 1, rng=rng)
    x, target = rng.normal(size=(3, 2)), np.array([[1.0], [-1.0], [1.0]])
    loss = Hinge()(layer(x), target) * 0.5      # not the root: only its role says "loss"
    picture = drawn(loss, module=layer)
    assert {"x", "y*", "L", "s = xW + b"} <= set(titles(picture))
    assert picture.cluster_label(picture.named("y*")) == "Hinge"
    Hinge.graph_role = None
    assert "y*" not in titles(drawn(Hinge()(layer(x), target) * 0.5, module=layer))


def test_unfused_linear_names_its_two_nodes() -> None:
    import nn

    rng = np.random.default_rng(0)
    model = nn.Sequential(nn.Linear(2, 3, rng=rng, fused=False), nn.Tanh(),
                          nn.Linear(3, 2, rng=rng, fused=False))
    loss = nn.SoftmaxCrossEntropy()(model(rng.normal(size=(4, 2))), np.array([0, 1, 1, 0]))
    found = titles(drawn(loss, module=model))
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
        picture = drawn(loss, module=model, **options)
        assert all(n.text for n in picture.nodes), [n.dot_id for n in picture.nodes
                                                    if not n.text]
        assert {"x", "y*"} <= set(titles(picture))
    # nameless tensors show their shape and dtype, whatever show_shapes says
    h = (Tensor(np.ones((2, 3), dtype=np.float32), requires_grad=True) * 2).sum()
    picture = drawn(h, show_values=False, show_shapes=False, show_grads=False)
    assert sorted(n.text for n in tensors(picture)) == \
        ["(2, 3) float32", "(2, 3) float32", "L", "scalar float32"]


def test_edges_say_which_operand_they_are() -> None:
    x = Tensor(np.ones((4, 2)), name="x")
    w = Tensor(np.ones((2, 3)), requires_grad=True, name="W")
    picture = drawn((x @ w).sum())
    assert operands_into(picture, picture.named("MatMul")) == {"x": ["A"], "W": ["B"]}
    # Sub and Div: which one is first (a) and which second (b); Affine: x, W, b
    a = Tensor([1.0, 2.0], requires_grad=True, name="p")
    c = Tensor([3.0, 4.0], requires_grad=True, name="q")
    picture = drawn(((c - a) / a).sum())
    assert operands_into(picture, picture.named("Sub")) == {"q": ["a"], "p": ["b"]}
    assert operands_into(picture, picture.named("Div"))["p"] == ["b"]
    model, loss = mlp_step()
    picture = drawn(loss, module=model)
    (affine,) = [n for n in ops(picture) if n.title == "Affine"
                 and picture.cluster_label(n) == "layers.0 (Linear)"]
    assert operands_into(picture, affine) == {"x": ["x"], "layers.0.weight": ["W"],
                                              "layers.0.bias": ["b"]}
    # a single-operand op has no label; x * x labels both of its edges; *args are numbered
    t = Tensor([1.0, 2.0], requires_grad=True, name="t")
    picture = drawn((t * t).tanh())
    assert list(operands_into(picture, picture.named("Tanh")).values()) == [[""]]
    assert sorted(operands_into(picture, picture.named("Mul"))["t"]) == ["a", "b"]
    u = Tensor([3.0], requires_grad=True, name="u")
    picture = drawn(autograd.concatenate([t, u, t]).sum())
    assert operands_into(picture, picture.named("Concatenate")) == \
        {"t": ["a₁", "a₃"], "u": ["a₂"]}


def test_an_op_declares_its_operand_names() -> None:
    class Scale(Function):
        """∂(k·v)/∂k = v,  ∂(k·v)/∂v = k"""

        operands = ("k", "v")

        @staticmethod
        def forward(ctx, first, second):
            return first * second

        @staticmethod
        def backward(ctx, grad):
            first, second = ctx.inputs
            return (grad * second).sum(), grad * first

    k = Tensor(2.0, name="K")
    v = Tensor([1.0, 2.0], requires_grad=True, name="V")
    picture = drawn(Scale.apply(k, v).sum())
    op = picture.named("Scale")
    assert operands_into(picture, op) == {"K": ["k"], "V": ["v"]}
    # the derivative shows only ∂/∂v: k needs no gradient
    assert "∂(k·v)/∂v = k" in op.text and "/∂k" not in op.text


def test_pow_by_a_constant_shows_only_the_derivative_it_uses() -> None:
    a = Tensor([1.0, 2.0], requires_grad=True, name="a")
    pow_text = drawn((a ** 2).sum()).named("Pow").text
    assert "∂(aᵇ)/∂a = b·aᵇ⁻¹" in pow_text and "/∂b" not in pow_text
    # a tensor exponent that requires grad: both parts
    b = Tensor([3.0, 0.5], requires_grad=True, name="b")
    assert "∂(aᵇ)/∂b = aᵇ·ln a" in drawn((a ** b).sum()).named("Pow").text
    # a constant base: only ∂/∂b; and a released graph still knows which
    z = (Tensor([2.0, 3.0]) ** b).sum()
    z.backward()
    released = drawn(z).named("Pow").text
    assert "/∂b" in released and "/∂a" not in released
    # the first layer's Affine: x is data, so no ∂/∂x
    model, loss = mlp_step()
    picture = drawn(loss, module=model)
    affine = {picture.cluster_label(n): n.text for n in ops(picture) if n.title == "Affine"}
    first, last = affine["layers.0 (Linear)"], affine["layers.2 (Linear)"]
    assert "/∂x" not in first and "/∂W" in first and "/∂x" in last


def test_fancy_index_label_is_short_and_complete() -> None:
    probs = Tensor(np.full((2, 3), 1 / 3), requires_grad=True, name="Ŷ")
    picked = probs[np.arange(2), np.array([0, 2])]
    op = drawn(picked.sum()).named("GetItem")
    assert op.item.args == "a[[0, 1], [0, 2]]"
    assert "(repeats add up)" in op.text and "…" not in op.text      # the derivative is whole
    big = Tensor(np.arange(200.0).reshape(20, 10), requires_grad=True)
    cases = [((np.arange(20), np.arange(20) % 10), "a[[0, 1, 2, … (20)], [0, 1, 2, … (20)]]"),
             ((slice(None), 0), "a[:, 0]"),
             ((Ellipsis, None, slice(1, 5, 2)), "a[..., None, 1:5:2]"),
             (3, "a[3]"), (big.data > 50, "a[mask (20, 10)]")]
    for index, expected in cases:
        assert viz.describe.arguments(big[index].grad_fn) == expected
    long = viz.describe.arguments(big[np.arange(20).reshape(4, 5), :, None].grad_fn)
    assert len(long) <= style.ARG_CHARS and "array(" not in long


def test_input_sits_in_the_first_layer_and_labels_in_the_loss() -> None:
    model, loss = mlp_step()
    picture = drawn(loss, module=model)
    assert picture.cluster_label(picture.named("x")) == "layers.0 (Linear)"
    assert picture.cluster_label(picture.named("y*")) == "SoftmaxCrossEntropy"
    # without clusters both are drawn at the top level, still named
    flat = drawn(loss, module=model, group_by_module=False)
    assert flat.clusters == {} and {"x", "y*"} <= set(titles(flat))
    # a name the user gave moves along: notebook 10's X sits in its first layer too
    model, loss = mlp_loss(np.random.default_rng(0))
    picture = drawn(loss, module=model)
    assert picture.cluster_label(picture.named("X")) == "layers.0 (Linear)"


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
    picture = drawn(loss, module=model)
    assert {"x", "s = xW + b", "h = softplus(s)", "s = hW + b", "y*", "L"} <= \
        set(titles(picture))
    assert picture.named("s = hW + b").item.caption == "the output ŷ = s"
    loss.backward()                                     # released: still named
    assert "h = softplus(s)" in titles(drawn(loss, module=model))


# ---------------------------------------------------------------------------- collapsed view
def boxes(drawing: viz.Drawing) -> dict:
    """The layer boxes of a collapsed picture: title -> text."""
    return {n.title: n.text for n in drawing.nodes if isinstance(n.item, Box)}


def box(drawing: viz.Drawing, start: str) -> viz.drawing.Node:
    found = [n for n in drawing.nodes if isinstance(n.item, Box) and n.title.startswith(start)]
    assert len(found) == 1, f"{len(found)} boxes start with {start!r}: {list(boxes(drawing))}"
    return found[0]


def chain(drawing: viz.Drawing, *nodes) -> list:
    ids = [n.dot_id for n in nodes]
    return list(zip(ids, ids[1:]))


def test_collapse_draws_one_box_per_layer_of_an_mlp() -> None:
    model, loss = mlp_step(sizes=(2, 3, 3))
    picture = drawn(loss, module=model, collapse=True)
    assert list(boxes(picture)) == ["layers.0 · Linear(2→3)", "layers.1 · Sigmoid(a=1.0)",
                                    "layers.2 · Linear(3→3)",
                                    "SoftmaxCrossEntropy(reduction='mean')"]
    first = box(picture, "layers.0").text
    assert "(4, 2) → (4, 3)" in first and "9 parameters" in first
    assert "(4, 3) → (4, 3)" in box(picture, "layers.1").text
    assert "12 parameters" in box(picture, "layers.2").text
    assert "parameter" not in box(picture, "layers.1").text     # a Sigmoid has none
    assert "(4, 3), (4,) → scalar" in box(picture, "SoftmaxCrossEntropy").text
    # no op nodes: every op ran inside a layer (or the loss); the parameters are in the boxes
    assert ops(picture) == [] and set(titles(picture)) == {"x", "y*", "L"}
    # x, y* and L stay tensor nodes; the edges follow the data, in forward order
    path = chain(picture, picture.named("x"), *(box(picture, n) for n in (
        "layers.0", "layers.1", "layers.2", "SoftmaxCrossEntropy")), picture.named("L"))
    labels = picture.named("y*").dot_id
    assert set(edges(picture)) == set(path) | {(labels, path[-1][0])}
    assert [e for e in edges(picture) if e[0] != labels] == path
    assert picture.cluster_label(box(picture, "layers.0")) == "layers (Sequential)"
    assert "21 parameters in all" in [row.text for row in picture.legend]
    # the default picture is the op graph, unchanged
    default = draw_graph(loss, module=model)
    assert default.source == draw_graph(loss, module=model, collapse=False).source
    assert boxes(default.drawing) == {} and "Affine" in [n.title for n in ops(default.drawing)]
    # ... and a released graph still collapses, the parameters' gradients shown
    loss.backward()
    picture = drawn(loss, module=model, collapse=True)
    assert len(boxes(picture)) == 4 and ops(picture) == []
    first = box(picture, "layers.0").text
    assert "(freed) → (4, 3)" in first                      # x was freed with the graph
    grad = model.layers[0].weight.grad.data, model.layers[0].bias.grad.data
    mean = (np.abs(grad[0]).sum() + np.abs(grad[1]).sum()) / (grad[0].size + grad[1].size)
    assert f"mean |grad|: parameters {mean:.2g}" in first
    assert "graph released" in picture.notes[0] and "L" in titles(picture)


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
    picture = drawn(loss, module=model, collapse=True)
    expected = [("features.0 · BatchNorm2d(2)", "(2, 2, 8, 8) → (2, 2, 8, 8)", "4 parameters"),
                ("features.1 · ReLU", "(2, 2, 8, 8) → (2, 2, 8, 8)", None),
                ("features.2 · MaxPool2d(2×2)", "(2, 2, 8, 8) → (2, 2, 4, 4)", None),
                ("pool · Pool", "(2, 2, 4, 4) → (2, 2, 2, 2)", None),
                ("fc · Linear(8→3)", "(2, 8) → (2, 3)", "27 parameters")]
    found = boxes(picture)
    assert len(found) == len(expected) + 1
    for head, shapes, params in expected:
        assert shapes in found[head]
        assert (params in found[head]) if params else "parameter" not in found[head]
    # the model's own x.flatten(1) ran outside any layer: an op node with its shapes
    (reshape,) = ops(picture)
    assert reshape.title == "Reshape" and "(2, 2, 2, 2) → (2, 8)" in reshape.text
    path = chain(picture, picture.named("x"), *(box(picture, h) for h, _, _ in expected[:4]),
                 reshape, box(picture, "fc"), box(picture, "SoftmaxCrossEntropy"),
                 picture.named("L"))
    assert [e for e in edges(picture) if e[0] != picture.named("y*").dot_id] == path
    assert picture.cluster_label(box(picture, "features.2")) == "features (Sequential)"
    if shutil.which("dot"):
        assert b"MaxPool2d" in draw_graph(loss, module=model, collapse=True).pipe(format="svg")
    # released: the same boxes
    loss.backward()
    released = drawn(loss, module=model, collapse=True)
    assert list(boxes(released)) == list(found) and len(ops(released)) == 1


def test_collapse_gradients_per_box() -> None:
    model, loss = cnn_step()
    fc = box(drawn(loss, module=model, collapse=True, compute_grads=True), "fc").text
    assert "mean |grad|: output" in fc and "parameters" in fc
    assert model.fc.weight.grad is None                     # .grad untouched
    colored = drawn(loss, module=model, collapse=True, color_by_grad=True)
    fills = {n.attrs["fillcolor"] for n in colored.nodes if isinstance(n.item, Box)}
    assert fills <= set(style.GRAD_PALETTE) | {style.GRAD_ZERO_COLOR, "#ffffff"}
    assert len(fills) >= 3
    assert "mean |grad| (log scale)" in [row.text for row in colored.legend]
    loss.backward()         # after backward: the parameters' gradients are known
    plain = drawn(loss, module=model, collapse=True)
    assert "mean |grad|: parameters" in box(plain, "fc").text
    assert "mean |grad|" not in box(plain, "features.1").text


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
    picture = drawn(loss, module=model, collapse=True)
    first, second = picture.named("act · Tanh · call 1 of 2"), \
        picture.named("act · Tanh · call 2 of 2")
    pairs = edges(picture)
    assert (box(picture, "fc1").dot_id, first.dot_id) in pairs
    assert (first.dot_id, box(picture, "fc2").dot_id) in pairs
    assert (box(picture, "fc2").dot_id, second.dot_id) in pairs
    assert (second.dot_id, first.dot_id) not in pairs
    assert "(4, 1) → (4, 1)" in second.text


def test_collapse_with_duck_typed_modules_and_a_loss_of_tensor_ops() -> None:
    model, loss = mlp_loss(np.random.default_rng(0))
    picture = drawn(loss, module=model, collapse=True)
    assert list(boxes(picture)) == ["layers.0 · Linear", "layers.1 · Sigmoid",
                                    "layers.2 · Linear"]
    # the loss was written with tensor ops outside any module: they stay op nodes
    assert {n.title for n in ops(picture)} == {"LogSumExp", "Sub", "Mul", "Sum", "Mean", "Neg"}
    assert {"X", "Y", "loss"} <= set(titles(picture))
    assert "layers.0.W" not in titles(picture)


def test_collapse_short_module_forms() -> None:
    import nn
    from nn.conv import Conv2d, Flatten

    assert nn.Linear(4, 2, bias=False).short_repr() == "4→2, no bias"
    assert module_text(nn.Linear(4, 2, bias=False)) == "Linear(4→2, no bias)"
    assert module_text(nn.MaxPool2d(3, stride=2, padding=1)) == \
        "MaxPool2d(3×3, stride 2, pad 1)"
    assert module_text(nn.AvgPool2d((2, 3), padding=(0, 1))) == \
        "AvgPool2d(2×3, pad (0, 1))"
    assert module_text(nn.BatchNorm2d(8)) == "BatchNorm2d(8)"
    assert module_text(nn.Softmax(axis=1)) == "Softmax(axis=1)"      # its extra_repr
    assert module_text(nn.ReLU()) == "ReLU"
    assert module_text(Sigmoid()) == "Sigmoid"            # duck-typed, no extra_repr
    assert module_text(Conv2d(1, 8, 5, padding=2)) == "Conv2d(1→8, 5×5, pad 2)"
    assert module_text(Conv2d(3, 4, (3, 1), stride=2)) == "Conv2d(3→4, 3×1, stride 2)"
    assert module_text(Conv2d(3, 4, (3, 1), dilation=(1, 2), bias=False)) == \
        "Conv2d(3→4, 3×1, dilation (1, 2), no bias)"
    assert module_text(Flatten()) == "Flatten" and module_text(Flatten(2, 3)) == "Flatten(2…3)"
    long = module_text(nn.LayerNorm((6, 7), eps=1e-3))
    assert len(long) <= len("LayerNorm()") + style.NAME_CHARS and long.endswith("…)")
    assert nn.MSELoss.graph_role == nn.CrossEntropyLoss.graph_role == "loss"
    assert nn.Linear.graph_role == "affine" and nn.ReLU.graph_role is None


def test_collapse_a_lenet_with_conv2d() -> None:
    import nn
    from nn.conv import Conv2d, Flatten

    rng = np.random.default_rng(0)
    model = nn.Sequential(Conv2d(1, 4, 5, padding=2, rng=rng), nn.ReLU(), nn.MaxPool2d(2),
                          Conv2d(4, 8, 5, rng=rng), nn.ReLU(), nn.MaxPool2d(2), Flatten(),
                          nn.Linear(8 * 5 * 5, 10, rng=rng))
    x = rng.normal(size=(2, 1, 28, 28)).astype(np.float32)
    loss = nn.SoftmaxCrossEntropy()(model(x), np.array([3, 7]))
    picture = drawn(loss, module=model, collapse=True)
    conv = boxes(picture)["0 · Conv2d(1→4, 5×5, pad 2)"]
    assert "(2, 1, 28, 28) → (2, 4, 28, 28)" in conv and "104 parameters" in conv
    assert "(2, 4, 14, 14) → (2, 8, 10, 10)" in boxes(picture)["3 · Conv2d(4→8, 5×5)"]
    assert "(2, 8, 5, 5) → (2, 200)" in boxes(picture)["6 · Flatten"]
    assert len(boxes(picture)) == 9 and ops(picture) == []
    loss.backward()
    assert len(boxes(drawn(loss, module=model, collapse=True))) == 9


def test_collapse_options_elsewhere() -> None:
    model, loss = mlp_step(sizes=(8, 8, 8, 3))
    assert "collapse=True) draws one box per layer" in drawn(loss, module=model,
                                                             max_nodes=5).notes[0]
    assert "collapse" not in drawn(loss, max_nodes=5).notes[0]     # no module, no hint
    assert drawn(loss, module=model, max_nodes=5, collapse=True).notes == []
    with pytest.raises(ValueError, match="collapse"):
        next(backward_steps(loss, module=model, collapse=True))
