"""One backward formula, two ways to run it (ARCHITECTURE.md): on raw arrays when nothing is
recorded, on Tensors under create_graph. The two ways agree for every built-in op, and a
backward pass without create_graph makes no Tensor for an intermediate gradient."""

import numpy as np
import pytest

import autograd as ag
import autograd.function
import nn
from autograd import Function, Tensor, no_grad
from autograd.engine import derivative
from autograd.ops.pool import AvgPoolSpread, MaxPoolRoute
from nn.functional import BinaryCrossEntropyFn, SoftmaxCrossEntropyFn
from tests.autograd.ops.test_elementwise import ARRAY_PATH_CASES as ELEMENTWISE_CASES
from tests.autograd.ops.test_linalg import ARRAY_PATH_CASES as LINALG_CASES
from tests.autograd.ops.test_rearrange import ARRAY_PATH_CASES as REARRANGE_CASES
from tests.sample_ops import Square

rng = np.random.default_rng(7)


def t(*shape, low=-2.0, high=2.0):
    return Tensor(rng.uniform(low, high, shape), requires_grad=True)


def positive(*shape):
    return t(*shape, low=0.5, high=2.0)


# name -> (a function of fresh inputs returning the op's output)
CASES = {
    "sin": lambda: ag.sin(t(3, 2)),
    "cos": lambda: ag.cos(t(3)),
    "tan": lambda: ag.tan(t(3, low=-1.2, high=1.2)),
    "arcsin": lambda: ag.arcsin(t(3, low=-0.9, high=0.9)),
    "arccos": lambda: ag.arccos(t(2, 3, low=-0.9, high=0.9)),
    "arctan": lambda: ag.arctan(t(4)),
    "sinh": lambda: ag.sinh(t(3)),
    "cosh": lambda: ag.cosh(t(3)),
    "arcsinh": lambda: ag.arcsinh(t(3)),
    "arccosh": lambda: ag.arccosh(t(3, low=1.1, high=3.0)),
    "arctanh": lambda: ag.arctanh(t(3, low=-0.9, high=0.9)),
    "log2": lambda: ag.log2(positive(3)),
    "log10": lambda: ag.log10(positive(3)),
    "log1p": lambda: ag.log1p(positive(3)),
    "expm1": lambda: ag.expm1(t(3)),
    "exp2": lambda: ag.exp2(t(3)),
    "logaddexp": lambda: ag.logaddexp(t(3, 2), t(2)),
    "logaddexp2": lambda: ag.logaddexp2(t(3), t(2, 3)),
    "square": lambda: ag.square(t(3)),
    "reciprocal": lambda: ag.reciprocal(positive(3)),
    "sign": lambda: ag.sign(t(4)),
    "arctan2": lambda: ag.arctan2(t(3, 2), positive(2)),
    "hypot": lambda: ag.hypot(t(3, 1), positive(3, 2)),
    "floor": lambda: ag.floor(t(4)),
    "ceil": lambda: ag.ceil(t(4)),
    "round": lambda: ag.round(t(4), 1),
    "trunc": lambda: ag.trunc(t(4)),
    "mod": lambda: ag.mod(t(3, 2), Tensor(np.array([1.5, -0.7]), requires_grad=True)),
    "fmod": lambda: ag.fmod(t(3, 2), Tensor(np.array([1.5, -0.7]), requires_grad=True)),
    "softplus": lambda: ag.softplus(t(3, 2)),
    "nan_to_num": lambda: ag.nan_to_num(Tensor(np.array([np.nan, np.inf, -np.inf, 1.5]),
                                              requires_grad=True)),
    "prod": lambda: ag.prod(t(3, 4), axis=1),
    "prod_zeros": lambda: ag.prod(Tensor(np.array([[2.0, 0.0, 3.0], [0.0, 0.0, 1.0]]),
                                         requires_grad=True), axis=1),
    "var": lambda: ag.var(t(3, 4), axis=0, ddof=1),
    "std": lambda: ag.std(t(3, 4), axis=(0, 1), keepdims=True),
    "cumsum": lambda: ag.cumsum(t(3, 4), axis=1),
    "cumprod": lambda: ag.cumprod(t(3, 4), axis=0),
    "cumprod_zeros": lambda: ag.cumprod(Tensor(np.array([2.0, 0.0, 3.0, 0.0]),
                                               requires_grad=True)),
    "norm": lambda: ag.norm(t(3, 4), axis=1),
    "logsumexp_b": lambda: ag.logsumexp(t(3, 4), axis=1, b=positive(4)),
    "conv2d": lambda: ag.conv2d(t(2, 2, 5, 6), t(3, 2, 3, 2), t(3), stride=(2, 1), padding=1,
                                dilation=(1, 2)),
    "conv2d_no_bias": lambda: ag.conv2d(t(1, 1, 4, 4), t(2, 1, 2, 2)),
    "unfold": lambda: ag.unfold(t(2, 2, 4, 5), (2, 3), padding=1, stride=2),
    "fold": lambda: ag.fold(t(2, 8, 9), (4, 5), (2, 2), stride=2, padding=1),
    "pad": lambda: ag.pad(t(2, 3), ((1, 0), (2, 1)), value=0.5),
    "max_pool2d": lambda: ag.max_pool2d(t(2, 2, 5, 5), 3, 2, 1),
    "max_pool_route": lambda: MaxPoolRoute.apply(
        t(1, 1, 2, 2), np.array([0, 3, 3, 8]).reshape(1, 1, 2, 2), (1, 1, 3, 3)),
    "avg_pool2d": lambda: ag.avg_pool2d(t(2, 2, 5, 5), (3, 2), 2, 1),
    "avg_pool_spread": lambda: AvgPoolSpread.apply(
        t(1, 2, 3, 3), (3, 3), (2, 2), (1, 1), (1, 2, 5, 5)),
    "add": lambda: ag.add(t(3, 4), t(4)),
    "sub": lambda: ag.sub(t(3, 1), t(3, 4)),
    "mul": lambda: ag.mul(t(2, 3), t(3)),
    "div": lambda: ag.div(t(3), positive(2, 3)),
    "pow": lambda: ag.pow(positive(2, 3), t(3)),
    "pow_zero": lambda: ag.pow(Tensor(np.array([0.0, 2.0]), requires_grad=True),
                               Tensor(np.array([0.0, 0.0]), requires_grad=True)),
    "neg": lambda: ag.neg(t(4)),
    "maximum": lambda: ag.maximum(t(3, 2), t(2)),
    "minimum": lambda: ag.minimum(t(3), t(2, 3)),
    "matmul": lambda: ag.matmul(t(3, 4), t(4, 2)),
    "matmul_vec": lambda: ag.matmul(t(4), t(2, 4, 3)),
    "matmul_batch": lambda: ag.matmul(t(2, 3, 4), t(4)),
    "einsum": lambda: ag.einsum("bij,bjk->bik", t(2, 3, 4), t(2, 4, 2)),
    "einsum_implicit_summed_alone": lambda: ag.einsum("ij,k", t(2, 3), t(4)),
    "diagonal": lambda: ag.diagonal(t(3, 2, 4), 1, 2, 0),
    "diag_embed": lambda: ag.diag(t(3), -1),
    "affine": lambda: ag.affine(t(5, 3), t(3, 2), t(2)),
    "affine_vector": lambda: ag.affine(t(3), t(3, 2), t(2)),
    "affine_batch": lambda: ag.affine(t(2, 5, 3), t(3, 4), t(4)),
    "exp": lambda: ag.exp(t(3)),
    "log": lambda: ag.log(positive(3)),
    "sqrt": lambda: ag.sqrt(positive(3)),
    "abs": lambda: ag.abs(t(5)),
    "sigmoid": lambda: ag.sigmoid(t(3, 2)),
    "tanh": lambda: ag.tanh(t(3)),
    "relu": lambda: ag.relu(t(6)),
    "step": lambda: ag.step(t(4)),
    "clip": lambda: ag.clip(t(6), -0.5, 0.5),
    "clone": lambda: ag.clone(t(3)),
    "cast": lambda: ag.cast(t(3), np.float32),
    "sum": lambda: ag.sum(t(3, 4), axis=1),
    "mean": lambda: ag.mean(t(3, 4), axis=(0, 1), keepdims=True),
    "max": lambda: ag.max(Tensor(np.array([[1.0, 3.0, 3.0], [2.0, 0.0, 1.0]]),
                                 requires_grad=True), axis=1),
    "min": lambda: ag.min(t(3, 4)),
    "logsumexp": lambda: ag.logsumexp(t(3, 4), axis=0),
    "softmax": lambda: ag.softmax(t(3, 4), axis=1),
    "log_softmax": lambda: ag.log_softmax(t(3, 4), axis=0),
    "reshape": lambda: ag.reshape(t(3, 4), (2, 6)),
    "transpose": lambda: ag.transpose(t(2, 3, 4), (2, 0, 1)),
    "expand_dims": lambda: ag.expand_dims(t(3), 0),
    "squeeze": lambda: ag.squeeze(t(3, 1), 1),
    "broadcast_to": lambda: ag.broadcast_to(t(3, 1), (2, 3, 4)),
    "getitem": lambda: ag.getitem(t(4, 3), (slice(1, 3), 0)),
    "getitem_repeats": lambda: ag.getitem(t(4), np.array([0, 0, 2])),
    "index_add": lambda: ag.IndexAdd.apply(t(3), np.array([0, 0, 2]), (4,)),
    "set_item": lambda: ag.set_item(t(4), np.array([1, 1]), t(2)),
    "concatenate": lambda: ag.concatenate([t(2, 3), t(1, 3)], axis=0),
    "stack": lambda: ag.stack([t(3), t(3)], axis=1),
    "where": lambda: ag.where(np.array([True, False, True]), t(3), t(2, 3)),
    "softmax_cross_entropy": lambda: nn.functional.softmax_cross_entropy(
        t(4, 3), np.array([0, 2, 1, 2])),
    "softmax_cross_entropy_probs": lambda: nn.functional.softmax_cross_entropy(
        t(2, 3), Tensor(np.array([[0.2, 0.3, 0.5], [1.0, 0.0, 0.0]]), requires_grad=True),
        reduction="none"),
    "binary_cross_entropy": lambda: nn.functional.binary_cross_entropy_with_logits(
        t(2, 3), Tensor(rng.uniform(0, 1, (2, 3)), requires_grad=True), reduction="sum"),
}


# the linear algebra's cases, the later elementwise ops', and more index forms from the
# rearranging functions
CASES.update(ELEMENTWISE_CASES)
CASES.update(LINALG_CASES)
CASES.update(REARRANGE_CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_array_path_and_tensor_path_agree(name):
    out = CASES[name]()
    node = out.grad_fn
    g = rng.normal(size=out.shape)
    with no_grad():
        by_tensors = node.backward(node, Tensor(g.copy()))
    by_arrays = derivative(node, g.copy(), raw=True)
    by_tensors = by_tensors if isinstance(by_tensors, tuple) else (by_tensors,)
    by_arrays = by_arrays if isinstance(by_arrays, tuple) else (by_arrays,)
    assert len(by_tensors) == len(by_arrays)
    for x, from_tensors, from_arrays, needed in zip(node.inputs, by_tensors, by_arrays,
                                                    node.needs_input_grad):
        if not needed:
            continue
        assert isinstance(from_tensors, Tensor)
        assert not isinstance(from_arrays, Tensor)  # the array path stays on arrays
        np.testing.assert_allclose(np.asarray(from_arrays), from_tensors.data, rtol=1e-12,
                                   atol=1e-12)
        assert np.shape(from_arrays) == x.shape


def all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from all_subclasses(sub)


@pytest.mark.parametrize("name", sorted(CASES))
def test_backward_with_and_without_create_graph_agree(name):
    # the engine's two ways through the same formula give the same gradients
    out = CASES[name]()
    inputs = [x for x in out.grad_fn.inputs if isinstance(x, Tensor) and x.requires_grad]
    g = Tensor(rng.normal(size=out.shape))
    plain = ag.grad(out, inputs, g, retain_graph=True)
    graphed = ag.grad(out, inputs, g, create_graph=True)
    for p, q in zip(plain, graphed):
        np.testing.assert_allclose(p.data, q.data, rtol=1e-12, atol=1e-12)


def test_every_built_in_op_is_array_safe_and_covered():
    built_in = {c for c in all_subclasses(Function)
                if c.__module__.startswith(("autograd.ops", "nn."))}
    assert all(c.array_safe for c in built_in), [c for c in built_in if not c.array_safe]
    covered = {type(CASES[name]().grad_fn) for name in CASES}
    assert built_in <= covered | {SoftmaxCrossEntropyFn, BinaryCrossEntropyFn}, \
        built_in - covered


def test_backward_without_create_graph_makes_no_intermediate_tensors(monkeypatch):
    model = nn.MLP([8, 16, 16, 3], activation="sigmoid", rng=np.random.default_rng(0),
                   dtype=np.float64)
    X = rng.normal(size=(10, 8))
    y = rng.integers(0, 3, 10)
    loss = nn.SoftmaxCrossEntropy()(model(X), y)
    made = []
    real_new = autograd.function._new_tensor
    real_make = Tensor._make.__func__

    def counting_new(cls):
        made.append("apply")
        return real_new(cls)

    def counting_make(cls, data):
        made.append("make")
        return real_make(cls, data)

    monkeypatch.setattr(autograd.function, "_new_tensor", counting_new)
    monkeypatch.setattr(Tensor, "_make", classmethod(counting_make))
    loss.backward()
    monkeypatch.undo()
    parameters = list(model.parameters())
    assert all(p.grad is not None for p in parameters)
    # one Tensor per .grad handed to a parameter: none for the seed (∂loss/∂loss = 1) or
    # the gradients in between
    assert made == ["make"] * len(parameters)


def test_a_function_of_your_own_gets_tensors_unless_it_says_it_is_array_safe():
    seen = []

    class Recording(Square):
        @staticmethod
        def backward(ctx, grad):
            seen.append((type(grad), type(ctx.inputs[0])))
            return Square.backward(ctx, grad)

    class ArrayRecording(Recording):
        array_safe = True

    for op in (Recording, ArrayRecording):
        x = Tensor(np.array([1.0, -2.0]), requires_grad=True)
        op.apply(x).sum().backward()
        np.testing.assert_array_equal(x.grad.data, [2.0, -4.0])
        x.grad = None
        (g,) = ag.grad(op.apply(x).sum(), x, create_graph=True)
        g.sum().backward()  # second order: both get Tensors under create_graph
        np.testing.assert_array_equal(x.grad.data, [2.0, 2.0])
    assert seen == [(Tensor, Tensor), (Tensor, Tensor),
                    (np.ndarray, np.ndarray), (Tensor, Tensor)]
