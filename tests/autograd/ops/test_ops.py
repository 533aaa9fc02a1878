"""Every differentiable op against finite differences: hypothesis picks shapes (0-d, size-1
axes, broadcasting pairs) and values in float64; gradcheck checks first derivatives and
gradgradcheck second ones for the smooth ops. Inputs come from autograd.testing."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd as ag
from autograd import Tensor
from autograd.testing import (
    away_from, axes_of, broadcastable_shapes, check_gradients, distinct_arrays, floats, positive,
    shapes, tensors,
)

# gradcheck costs two forward passes per input entry: small shapes keep the suite fast
SMALL = dict(max_dims=3, max_side=3)


@st.composite
def tensor_pairs(draw, elements=None, elements_b=None):
    """Two float64 tensors of mutually broadcastable shapes."""
    shape_a, shape_b = draw(broadcastable_shapes(**SMALL))
    a = draw(tensors(shape_a, elements=elements))
    b = draw(tensors(shape_b, elements=elements if elements_b is None else elements_b))
    return a, b


@st.composite
def distinct_tensor_pairs(draw):
    """Two tensors of broadcastable shapes whose entries are all distinct (no ties)."""
    shape_a, shape_b = draw(broadcastable_shapes(**SMALL))
    size_a = math.prod(shape_a)
    values = draw(distinct_arrays((size_a + math.prod(shape_b),), min_gap=0.01))
    return (Tensor(values[:size_a].reshape(shape_a), requires_grad=True),
            Tensor(values[size_a:].reshape(shape_b), requires_grad=True))


# ---------------------------------------------------------------------- arithmetic
@given(tensor_pairs())
def test_add(pair):
    check_gradients(ag.add, *pair, second_order=True)


@given(tensor_pairs())
def test_sub(pair):
    check_gradients(ag.sub, *pair, second_order=True)


@given(tensor_pairs())
def test_mul(pair):
    check_gradients(ag.mul, *pair, second_order=True)


@given(tensor_pairs(elements_b=away_from(0, margin=0.3)))
def test_div(pair):
    check_gradients(ag.div, *pair, second_order=True)


@given(tensor_pairs(elements=positive(0.2, 3.0), elements_b=floats(-2, 2)))
def test_pow_tensor_tensor(pair):
    check_gradients(ag.pow, *pair, second_order=True)


@given(tensors(shapes(**SMALL), elements=positive(0.2, 3.0)),
       st.sampled_from([2, 3, 0.5, -1.5, 2.7, 0]))
def test_pow_tensor_scalar(x, exponent):
    check_gradients(lambda a: a ** exponent, x, second_order=True)


@given(tensors(shapes(**SMALL)), st.sampled_from([1, 2, 3]))
def test_pow_integer_exponent_any_sign_base(x, exponent):
    check_gradients(lambda a: a ** exponent, x, second_order=True)


@given(tensors(shapes(**SMALL), elements=floats(-2, 2)), positive(0.2, 3.0))
def test_pow_scalar_tensor(x, base):
    check_gradients(lambda a: base ** a, x, second_order=True)


@given(tensors(shapes(**SMALL)))
def test_neg(x):
    check_gradients(ag.neg, x, second_order=True)


@given(distinct_tensor_pairs())
def test_maximum(pair):
    check_gradients(ag.maximum, *pair, second_order=True)


@given(distinct_tensor_pairs())
def test_minimum(pair):
    check_gradients(ag.minimum, *pair, second_order=True)


@given(tensors(shapes(**SMALL)), floats(-3, 3))
def test_maximum_minimum_with_a_scalar(x, c):
    x = Tensor(np.where(np.abs(x.data - c) < 0.01, x.data + 0.05, x.data), requires_grad=True)
    check_gradients(lambda a: ag.maximum(a, c) + ag.minimum(c, a) * 2, x)


def test_pow_values_and_derivatives():
    a = Tensor(np.array([1.0, 2.0, 4.0]), requires_grad=True)
    b = Tensor(np.array([2.0, 0.5, -1.0]), requires_grad=True)
    (a ** b).sum().backward()
    np.testing.assert_allclose(a.grad.data, [2.0, 0.5 * 2.0 ** -0.5, -1 / 16])
    np.testing.assert_allclose(b.grad.data, [0.0, np.sqrt(2) * np.log(2), 0.25 * np.log(4)])


def test_pow_exponent_gradient_at_zero_base_is_finite():
    b = Tensor(np.array([2.0, 3.0]), requires_grad=True)
    (Tensor(np.array([0.0, 2.0])) ** b).sum().backward()
    np.testing.assert_allclose(b.grad.data, [0.0, 8 * np.log(2)])


def test_pow_zero_exponent_has_zero_gradient_at_zero():
    # x⁰ = 1 everywhere: d/dx is 0, also at x = 0 (not 0·0⁻¹ = nan); x¹'s second derivative too
    x = Tensor(np.array([0.0, 2.0]), requires_grad=True)
    with np.errstate(divide="raise", invalid="raise"):
        (x ** 0).sum().backward()
        np.testing.assert_array_equal(x.grad.data, [0.0, 0.0])
        (g,) = ag.grad((x ** 1).sum(), x, create_graph=True)
        (h,) = ag.grad(g.sum(), x, allow_unused=True)
    np.testing.assert_array_equal(g.data, [1.0, 1.0])
    assert h is None or np.array_equal(h.data, [0.0, 0.0])


def test_maximum_minimum_ties_share_the_gradient():
    a = Tensor(np.array([1.0, 2.0, 3.0]), requires_grad=True)
    b = Tensor(np.array([2.0, 2.0, 1.0]), requires_grad=True)
    ag.maximum(a, b).sum().backward()
    np.testing.assert_array_equal(a.grad.data, [0.0, 0.5, 1.0])
    np.testing.assert_array_equal(b.grad.data, [1.0, 0.5, 0.0])
    a.grad = b.grad = None
    ag.minimum(a, b).sum().backward()
    np.testing.assert_array_equal(a.grad.data, [1.0, 0.5, 0.0])
    np.testing.assert_array_equal(b.grad.data, [0.0, 0.5, 1.0])


# ---------------------------------------------------------------------- elementwise
SMOOTH_UNARY = {
    "exp": (ag.exp, floats(-3, 3)),
    "log": (ag.log, positive(0.1, 3)),
    "sqrt": (ag.sqrt, positive(0.1, 3)),
    "sigmoid": (ag.sigmoid, floats(-6, 6)),
    "tanh": (ag.tanh, floats(-3, 3)),
}


@pytest.mark.parametrize("name", sorted(SMOOTH_UNARY))
@given(data=st.data())
def test_smooth_unary(name, data):
    fn, elements = SMOOTH_UNARY[name]
    x = data.draw(tensors(shapes(**SMALL), elements=elements))
    check_gradients(fn, x, second_order=True)


KINKED_UNARY = {
    "abs": (ag.abs, away_from(0, 0.05)),
    "relu": (ag.relu, away_from(0, 0.05)),
    "step": (ag.step, away_from(0, 0.05)),
    "clip": (lambda a: ag.clip(a, -1.0, 1.0), away_from([-1, 1], 0.05)),
    "clip_min": (lambda a: a.clip(min=-1.0), away_from(-1, 0.05)),
    "clip_max": (lambda a: a.clip(max=0.5), away_from(0.5, 0.05)),
}


@pytest.mark.parametrize("name", sorted(KINKED_UNARY))
@given(data=st.data())
def test_kinked_unary(name, data):
    # piecewise linear away from the kink: second derivatives are zero, and checked too
    fn, elements = KINKED_UNARY[name]
    x = data.draw(tensors(shapes(**SMALL), elements=elements))
    check_gradients(fn, x, second_order=True)


def test_kinked_unary_values():
    x = Tensor(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]), requires_grad=True)
    (x.abs() + x.relu() * 10 + x.step() * 100 + x.clip(-1, 1) * 1000).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [-1.0, 999.0, 1000.0, 1011.0, 11.0])
    np.testing.assert_array_equal(x.step().data, [0, 0, 1, 1, 1])


@given(tensors(shapes(**SMALL)))
def test_cast_round_trip(x):
    # float64 -> float32 -> float64: the derivative is 1, up to float32 rounding
    check_gradients(lambda a: a.astype(np.float32).astype(np.float64) * 3.0, x, eps=1e-3,
                    atol=1e-3)


def test_cast_gradient_has_the_input_dtype():
    x = Tensor(np.array([1.0, 2.0], dtype=np.float32), requires_grad=True)
    y = ag.cast(x, np.float64)
    assert y.dtype == np.float64
    (y * y).sum().backward()
    assert x.grad.dtype == np.float32
    np.testing.assert_allclose(x.grad.data, [2.0, 4.0])
    assert ag.cast(x, np.float32) is x


# ---------------------------------------------------------------------- reductions
@pytest.mark.parametrize("op", ["sum", "mean", "logsumexp"])
@given(data=st.data())
def test_smooth_reductions(op, data):
    x = data.draw(tensors(shapes(**SMALL)))
    axis = data.draw(axes_of(x.ndim))
    keepdims = data.draw(st.booleans())
    check_gradients(lambda a: getattr(a, op)(axis=axis, keepdims=keepdims), x,
                    second_order=True)


@pytest.mark.parametrize("op", ["max", "min"])
@given(data=st.data())
def test_max_min_without_ties(op, data):
    x = Tensor(data.draw(distinct_arrays(shapes(**SMALL))), requires_grad=True)
    axis = data.draw(axes_of(x.ndim))
    keepdims = data.draw(st.booleans())
    check_gradients(lambda a: getattr(a, op)(axis=axis, keepdims=keepdims), x,
                    second_order=True)


def test_max_min_ties_split_the_gradient_evenly():
    x = Tensor(np.array([1.0, 3.0, 3.0]), requires_grad=True)
    x.max().backward()
    np.testing.assert_array_equal(x.grad.data, [0.0, 0.5, 0.5])
    y = Tensor(np.array([[2.0, 2.0, 2.0], [5.0, 1.0, 1.0]]), requires_grad=True)
    y.min(axis=1).sum().backward()
    np.testing.assert_allclose(y.grad.data, [[1 / 3, 1 / 3, 1 / 3], [0.0, 0.5, 0.5]])
    z = Tensor(np.array([[4.0, 4.0], [4.0, 0.0]]), requires_grad=True)
    z.max(axis=(0, 1), keepdims=True).backward(np.array([[6.0]]))
    np.testing.assert_array_equal(z.grad.data, [[2.0, 2.0], [2.0, 0.0]])


def test_reduction_values():
    x = Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    np.testing.assert_allclose(x.sum(axis=-1).data, [3.0, 12.0])
    np.testing.assert_allclose(x.mean(axis=(0,), keepdims=True).data, [[1.5, 2.5, 3.5]])
    np.testing.assert_allclose(x.logsumexp(axis=1).data,
                               np.log(np.exp(x.data).sum(axis=1)))
    x.mean().backward()
    np.testing.assert_allclose(x.grad.data, np.full((2, 3), 1 / 6))


# ---------------------------------------------------------------------- matmul
MATMUL_SHAPES = [
    ((3,), (3,)), ((3,), (3, 2)), ((2, 3), (3,)), ((2, 3), (3, 4)), ((1, 3), (3, 1)),
    ((2, 1, 3, 4), (5, 4, 2)), ((4,), (2, 4, 3)), ((2, 2, 3), (3,)), ((3, 2, 3), (1, 3, 2)),
]


@pytest.mark.parametrize("shape_a, shape_b", MATMUL_SHAPES)
def test_matmul_shapes(shape_a, shape_b, rng):
    a = Tensor(rng.standard_normal(shape_a), requires_grad=True)
    b = Tensor(rng.standard_normal(shape_b), requires_grad=True)
    np.testing.assert_allclose((a @ b).data, a.data @ b.data)
    check_gradients(ag.matmul, a, b, second_order=True)


@given(data=st.data())
def test_affine_is_matmul_plus_bias(data):
    lead = data.draw(st.sampled_from([(), (3,), (2, 3)]))
    n_in, n_out = data.draw(st.tuples(st.integers(1, 4), st.integers(1, 4)))
    x = data.draw(tensors(lead + (n_in,)))
    w = data.draw(tensors((n_in, n_out)))
    b = data.draw(tensors((n_out,)))
    np.testing.assert_allclose(ag.affine(x, w, b).data, (x @ w + b).data, rtol=1e-12)
    check_gradients(ag.affine, x, w, b, second_order=True)


def test_affine_checks_the_bias_shape():
    x, w = Tensor(np.ones((2, 3))), Tensor(np.ones((3, 4)))
    with pytest.raises(ValueError, match=r"affine: b must have shape \(4,\) for W of shape "
                                         r"\(3, 4\), got \(3,\)"):
        ag.affine(x, w, Tensor(np.ones(3)))
    with pytest.raises(ValueError, match=r"Affine of shapes \(2, 3\) and \(2, 4\)"):
        ag.affine(x, Tensor(np.ones((2, 4))), Tensor(np.ones(4)))


@given(data=st.data())
def test_matmul_batched_broadcasting(data):
    batch_a, batch_b = data.draw(broadcastable_shapes(max_dims=2, max_side=2))
    n, k, m = data.draw(st.tuples(*[st.integers(1, 3)] * 3))
    vector_a, vector_b = data.draw(st.booleans()), data.draw(st.booleans())
    shape_a = (k,) if vector_a else batch_a + (n, k)
    shape_b = (k,) if vector_b else batch_b + (k, m)
    a = data.draw(tensors(shape_a))
    b = data.draw(tensors(shape_b))
    check_gradients(ag.matmul, a, b, second_order=True)


# ---------------------------------------------------------------------- shapes
@given(data=st.data())
def test_reshape(data):
    x = data.draw(tensors(shapes(**SMALL)))
    sides = list(x.shape) + [1] * data.draw(st.integers(0, 2))
    target = data.draw(st.permutations(sides))
    if target and data.draw(st.booleans()):
        target[data.draw(st.integers(0, len(target) - 1))] = -1
    y = x.reshape(target)
    assert y.size == x.size
    check_gradients(lambda a: a.reshape(target), x, second_order=True)


@given(data=st.data())
def test_transpose(data):
    x = data.draw(tensors(shapes(**SMALL)))
    perm = data.draw(st.permutations(range(x.ndim)))
    perm = [data.draw(st.sampled_from([p, p - x.ndim])) for p in perm]
    np.testing.assert_array_equal(x.transpose(perm).data, np.transpose(x.data, perm))
    check_gradients(lambda a: a.transpose(perm), x, second_order=True)
    check_gradients(lambda a: a.T, x)


def test_transpose_negative_axes():
    x = Tensor(np.arange(24.0).reshape(2, 3, 4), requires_grad=True)
    y = x.transpose(-1, 0, 1)
    assert y.shape == (4, 2, 3)
    (y * Tensor(np.arange(24.0).reshape(4, 2, 3))).sum().backward()
    np.testing.assert_array_equal(x.grad.data, np.arange(24.0).reshape(4, 2, 3).transpose(1, 2, 0))


@given(data=st.data())
def test_swapaxes(data):
    x = data.draw(tensors(shapes(min_dims=1, **SMALL)))
    a1, a2 = data.draw(st.tuples(*[st.integers(-x.ndim, x.ndim - 1)] * 2))
    np.testing.assert_array_equal(x.swapaxes(a1, a2).data, np.swapaxes(x.data, a1, a2))
    check_gradients(lambda a: a.swapaxes(a1, a2), x, second_order=True)


@given(data=st.data())
def test_expand_dims(data):
    x = data.draw(tensors(shapes(**SMALL)))
    axis = data.draw(st.integers(-x.ndim - 1, x.ndim))
    assert x.expand_dims(axis).shape == np.expand_dims(x.data, axis).shape
    check_gradients(lambda a: a.expand_dims(axis), x, second_order=True)


@given(data=st.data())
def test_squeeze(data):
    x = data.draw(tensors(shapes(max_dims=3, min_side=1, max_side=2)))
    ones = [i for i, side in enumerate(x.shape) if side == 1]
    axis = data.draw(st.one_of(st.none(), st.sampled_from(ones))) if ones else None
    assert x.squeeze(axis).shape == np.squeeze(x.data, axis).shape
    check_gradients(lambda a: a.squeeze(axis), x, second_order=True)


@given(data=st.data())
def test_broadcast_to(data):
    shape, other = data.draw(broadcastable_shapes(**SMALL))
    target = np.broadcast_shapes(shape, other)
    x = data.draw(tensors(shape))
    assert x.broadcast_to(target).shape == target
    check_gradients(lambda a: a.broadcast_to(target), x, second_order=True)


# ---------------------------------------------------------------------- indexing
@given(data=st.data())
def test_getitem_basic(data):
    x = data.draw(tensors(shapes(min_dims=1, **SMALL)))
    index = data.draw(hnp.basic_indices(x.shape, allow_newaxis=True))
    np.testing.assert_array_equal(x[index].data, x.data[index])
    check_gradients(lambda a: a[index], x, second_order=True)


@given(data=st.data())
def test_getitem_integer_arrays_with_repeats(data):
    x = data.draw(tensors(shapes(min_dims=1, **SMALL)))
    index = data.draw(hnp.integer_array_indices(x.shape, result_shape=shapes(1, 2, 1, 4)))
    np.testing.assert_array_equal(x[index].data, x.data[index])
    check_gradients(lambda a: a[index], x, second_order=True)


@given(data=st.data())
def test_getitem_boolean_mask(data):
    x = data.draw(tensors(shapes(min_dims=1, **SMALL)))
    mask = data.draw(hnp.arrays(bool, x.shape))
    np.testing.assert_array_equal(x[mask].data, x.data[mask])
    check_gradients(lambda a: a[mask], x, second_order=True)


@given(data=st.data())
def test_getitem_mixed(data):
    x = data.draw(tensors(shapes(min_dims=2, **SMALL)))
    rows = data.draw(hnp.arrays(np.intp, st.integers(1, 4),
                                elements=st.integers(-x.shape[0], x.shape[0] - 1)))
    cols = slice(data.draw(st.integers(0, 1)), None)
    mask = data.draw(hnp.arrays(bool, (x.shape[1],)))
    for index in [(rows, cols), (cols, rows % x.shape[1]), (slice(None), mask),
                  (Ellipsis, rows % x.shape[-1]), (rows.tolist(),)]:
        np.testing.assert_array_equal(x[index].data, x.data[index])
        check_gradients(lambda a, index=index: a[index], x)


def test_getitem_repeated_indices_add_up():
    x = Tensor(np.arange(4.0), requires_grad=True)
    x[np.array([0, 2, 2, 2, -1])].sum().backward()
    np.testing.assert_array_equal(x.grad.data, [1.0, 0.0, 3.0, 1.0])
    y = Tensor(np.zeros((2, 3)), requires_grad=True)
    y[[1, 1], [0, 0]].sum().backward()
    np.testing.assert_array_equal(y.grad.data, [[0, 0, 0], [2, 0, 0]])


# ---------------------------------------------------------------------- joining and where
@given(data=st.data())
def test_concatenate(data):
    base = data.draw(shapes(min_dims=1, **SMALL))
    axis = data.draw(st.integers(-len(base), len(base) - 1))
    count = data.draw(st.integers(1, 3))
    parts = []
    for _ in range(count):
        shape = list(base)
        shape[axis] = data.draw(st.integers(1, 3))
        parts.append(data.draw(tensors(tuple(shape))))
    out = ag.concatenate(parts, axis=axis)
    np.testing.assert_array_equal(out.data, np.concatenate([p.data for p in parts], axis=axis))
    check_gradients(lambda *ts: ag.concatenate(ts, axis=axis), *parts, second_order=True)


@given(data=st.data())
def test_stack(data):
    shape = data.draw(shapes(**SMALL))
    axis = data.draw(st.integers(-len(shape) - 1, len(shape)))
    parts = [data.draw(tensors(shape)) for _ in range(data.draw(st.integers(1, 3)))]
    out = ag.stack(parts, axis=axis)
    np.testing.assert_array_equal(out.data, np.stack([p.data for p in parts], axis=axis))
    check_gradients(lambda *ts: ag.stack(ts, axis=axis), *parts, second_order=True)


def test_concatenate_with_a_constant():
    a = Tensor(np.ones((2, 2)), requires_grad=True)
    out = ag.concatenate([a, np.zeros((1, 2))], axis=0)
    (out * Tensor(np.arange(6.0).reshape(3, 2))).sum().backward()
    np.testing.assert_array_equal(a.grad.data, [[0.0, 1.0], [2.0, 3.0]])


@given(data=st.data())
def test_where(data):
    shape_c, shape_a, shape_b = data.draw(broadcastable_shapes(num_shapes=3, **SMALL))
    condition = data.draw(hnp.arrays(bool, shape_c))
    a, b = data.draw(tensors(shape_a)), data.draw(tensors(shape_b))
    out = ag.where(condition, a, b)
    np.testing.assert_array_equal(out.data, np.where(condition, a.data, b.data))
    check_gradients(lambda p, q: ag.where(condition, p, q), a, b, second_order=True)
    check_gradients(lambda p: ag.where(condition, p, 0.5), a)


# ---------------------------------------------------------------------- softmax
@pytest.mark.parametrize("op", ["softmax", "log_softmax"])
@given(data=st.data())
def test_softmax(op, data):
    x = data.draw(tensors(shapes(min_dims=1, **SMALL)))
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1))
    out = getattr(x, op)(axis=axis)
    probabilities = np.exp(out.data) if op == "log_softmax" else out.data
    np.testing.assert_allclose(probabilities.sum(axis=axis), 1.0)
    check_gradients(lambda a: getattr(a, op)(axis=axis), x, second_order=True)


def test_softmax_values():
    x = Tensor(np.log(np.array([[1.0, 3.0], [2.0, 2.0]])), requires_grad=True)
    np.testing.assert_allclose(x.softmax(axis=1).data, [[0.25, 0.75], [0.5, 0.5]])
    np.testing.assert_allclose(x.log_softmax(axis=0).data,
                               np.log([[1 / 3, 0.6], [2 / 3, 0.4]]))


# ---------------------------------------------------------------------- 0-d inputs
@pytest.mark.parametrize("op", ["exp", "sqrt", "sigmoid", "tanh", "max", "min", "logsumexp"])
def test_second_derivative_of_a_0d_input(op):
    # numpy hands back scalars for 0-d results; backward must still see the output tensor
    x = Tensor(np.array(0.7), requires_grad=True)
    check_gradients(lambda a: getattr(a, op)(), x, second_order=True)
    (g,) = ag.grad(getattr(x, op)(), x, create_graph=True)
    if op in ("max", "min"):  # piecewise linear: the gradient is a constant 1
        assert g.item() == 1.0 and not g.requires_grad
        return
    (h,) = ag.grad(g, x)
    expected = {"exp": np.exp(0.7), "sqrt": -0.25 * 0.7 ** -1.5,
                "tanh": -2 * np.tanh(0.7) * (1 - np.tanh(0.7) ** 2), "logsumexp": 0.0}
    s = 1 / (1 + np.exp(-0.7))
    expected["sigmoid"] = s * (1 - s) * (1 - 2 * s)
    np.testing.assert_allclose(h.data, expected[op], atol=1e-12)
