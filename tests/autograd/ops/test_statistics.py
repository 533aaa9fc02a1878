"""Statistics ops (autograd/ops/reductions.py): values against numpy, gradients against
finite differences over random shapes, axes and keepdims, zeros of prod and cumprod by hand,
the non-differentiable ones' types, and the array path against the Tensor path."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd as ag
from autograd import Tensor
from autograd.ops import course as C
from autograd.ops import reductions as S
from autograd.testing import (
    away_from, axes_of, broadcastable_shapes, check_gradients, distinct_arrays, positive, shapes,
    tensors,
)

SMALL = dict(max_dims=3, max_side=3)


@st.composite
def reduction(draw, elements=None, distinct=False, min_dims=0):
    x = draw(tensors(shapes(min_dims=min_dims, **SMALL), elements=elements,
                     distinct=distinct))
    return x, draw(axes_of(x.ndim)), draw(st.booleans())


# ---------------------------------------------------------------------- smooth reductions
@given(reduction(elements=away_from(0, 0.3, -2.0, 2.0)))
def test_prod(case):
    x, axis, keepdims = case
    np.testing.assert_allclose(S.prod(x, axis, keepdims).data,
                               np.prod(x.data, axis=axis, keepdims=keepdims))
    check_gradients(lambda a: S.prod(a, axis, keepdims), x, second_order=True)


@given(reduction(elements=st.one_of(st.just(0.0), away_from(0, 0.3, -2.0, 2.0))))
def test_prod_with_random_zeros(case):
    # prod is a polynomial, smooth at zeros too: first and second derivatives are exact there
    x, axis, keepdims = case
    np.testing.assert_allclose(S.prod(x, axis, keepdims).data,
                               np.prod(x.data, axis=axis, keepdims=keepdims))
    with np.errstate(all="raise"):
        check_gradients(lambda a: S.prod(a, axis, keepdims), x, second_order=True)


def test_prod_with_one_and_two_zeros():
    x = Tensor(np.array([2.0, 0.0, 3.0, 4.0]), requires_grad=True)
    S.prod(x).backward()
    np.testing.assert_array_equal(x.grad.data, [0.0, 24.0, 0.0, 0.0])
    y = Tensor(np.array([[2.0, 0.0, 0.0], [1.0, 2.0, 3.0]]), requires_grad=True)
    with np.errstate(all="raise"):
        S.prod(y, axis=1).sum().backward()
    np.testing.assert_array_equal(y.grad.data, [[0.0, 0.0, 0.0], [6.0, 3.0, 2.0]])
    check_gradients(lambda a: S.prod(a), Tensor(np.array([2.0, 0.0, 3.0]), requires_grad=True))


def _hessian(fn, values):
    x = Tensor(np.array(values), requires_grad=True)
    (g,) = ag.grad(fn(x), [x], create_graph=True)
    return np.stack([ag.grad(g[i], [x], retain_graph=True)[0].data for i in range(x.size)])


def test_prod_second_derivatives_at_zeros():
    # ∂²(x₀x₁x₂)/∂xᵢ∂xⱼ = x_k (i, j, k distinct), 0 on the diagonal: the regression of a
    # Prod.backward that wrote a constant 0 where a slice had one or two zeros
    x = Tensor(np.array([2.0, 0.0, 3.0]), requires_grad=True)
    (g,) = ag.grad(S.prod(x), [x], create_graph=True)
    np.testing.assert_array_equal(g.data, [0.0, 6.0, 0.0])
    (h,) = ag.grad(g[0], [x])
    np.testing.assert_array_equal(h.data, [0.0, 3.0, 0.0])
    with np.errstate(all="raise"):
        np.testing.assert_array_equal(_hessian(S.prod, [2.0, 0.0, 3.0]),
                                      [[0, 3, 0], [3, 0, 2], [0, 2, 0]])
        np.testing.assert_array_equal(_hessian(S.prod, [0.0, 0.0, 3.0]),
                                      [[0, 3, 0], [3, 0, 0], [0, 0, 0]])
        np.testing.assert_array_equal(_hessian(S.prod, [0.0, 0.0, 0.0]), np.zeros((3, 3)))
    # the third derivative is exact too: ∂³(x₀x₁x₂)/∂x₀∂x₁∂x₂ = 1, at all zeros
    x = Tensor(np.zeros(3), requires_grad=True)
    (g,) = ag.grad(S.prod(x), [x], create_graph=True)
    (h,) = ag.grad(g[0], [x], create_graph=True)
    (third,) = ag.grad(h[1], [x])
    np.testing.assert_array_equal(third.data, [0.0, 0.0, 1.0])
    # over several axes, zeros in two rows
    y = Tensor(np.array([[[2.0, 0.0], [1.5, 3.0]], [[0.0, 0.0], [-1.0, 2.0]],
                         [[1.0, 2.0], [0.5, -3.0]]]), requires_grad=True)
    with np.errstate(all="raise"):
        check_gradients(lambda a: S.prod(a, (0, 2)), y, second_order=True)
        check_gradients(lambda a: S.prod(a, (-1, 0), True), y, second_order=True)


@pytest.mark.filterwarnings("ignore:Degrees of freedom")
@pytest.mark.parametrize("op", ["var", "std"])
@given(case=reduction(), ddof=st.sampled_from([0, 1]))
def test_var_std(op, case, ddof):
    x, axis, keepdims = case
    n = math.prod(x.shape[i] for i in ag.ops.arguments.normalize_axes(axis, x.ndim))
    with np.errstate(all="ignore"):
        expected = getattr(np, op)(x.data, axis=axis, ddof=ddof, keepdims=keepdims)
    np.testing.assert_allclose(getattr(S, op)(x, axis, ddof, keepdims).data, expected)
    if n - ddof <= 0 or (op == "std" and np.any(expected < 1e-3)):
        return
    check_gradients(lambda a: getattr(S, op)(a, axis, ddof, keepdims), x, second_order=True)


def test_std_gradient_is_zero_at_zero_variance():
    x = Tensor(np.array([[1.5, 1.5, 1.5], [1.0, 2.0, 3.0]]), requires_grad=True)
    S.std(x, axis=1).sum().backward()
    np.testing.assert_allclose(x.grad.data[0], 0.0)
    assert np.all(np.isfinite(x.grad.data))


@pytest.mark.parametrize("op", ["cumsum", "cumprod"])
@given(data=st.data())
def test_cumulative(op, data):
    x = data.draw(tensors(shapes(**SMALL), elements=away_from(0, 0.3, -2.0, 2.0)))
    axis = data.draw(st.one_of(st.none(), st.integers(-x.ndim, x.ndim - 1))
                     if x.ndim else st.none())
    np.testing.assert_allclose(getattr(S, op)(x, axis).data, getattr(np, op)(x.data, axis=axis))
    check_gradients(lambda a: getattr(S, op)(a, axis), x, second_order=True)


@pytest.mark.parametrize("op", ["cumsum", "cumprod"])
@pytest.mark.parametrize("axis", [0, -1, None])
def test_cumulative_of_a_0d_tensor_is_1d_as_numpy(op, axis):
    x = Tensor(np.float64(2.5), requires_grad=True)
    out = getattr(S, op)(x, axis)
    expected = getattr(np, op)(np.float64(2.5), axis=axis)
    assert out.shape == expected.shape == (1,)
    np.testing.assert_array_equal(out.data, expected)
    out.sum().backward()
    assert type(x.grad.data) is np.ndarray and x.grad.shape == () and x.grad.item() == 1.0
    check_gradients(lambda a: getattr(S, op)(a, axis) * 3.0, x, second_order=True)
    with pytest.raises(ValueError, match=f"{op} of shape \\(\\): axis 1 is out of bounds"):
        getattr(S, op)(x, 1)


@given(data=st.data())
def test_cumprod_with_random_zeros(data):
    x = data.draw(tensors(shapes(min_dims=1, **SMALL),
                          elements=st.one_of(st.just(0.0), away_from(0, 0.3, -2.0, 2.0))))
    axis = data.draw(st.one_of(st.none(), st.integers(-x.ndim, x.ndim - 1)))
    np.testing.assert_allclose(S.cumprod(x, axis).data, np.cumprod(x.data, axis=axis))
    with np.errstate(all="raise"):
        check_gradients(lambda a: S.cumprod(a, axis), x, second_order=True)


@pytest.mark.parametrize("values", [[2.0, 0.0, 3.0, 4.0], [0.0, 2.0, 0.0, 3.0],
                                    [2.0, 3.0, 0.0], [0.0, 0.0, 1.5]])
def test_cumprod_with_zeros(values):
    x = Tensor(np.array(values), requires_grad=True)
    with np.errstate(all="raise"):
        check_gradients(lambda a: S.cumprod(a, 0), x, second_order=True)
        check_gradients(lambda a: S.cumprod(a.reshape(2, -1) if a.size % 2 == 0 else a, None),
                        x, second_order=True)


def test_cumprod_second_derivatives_at_zeros():
    # Σ cumprod(x) = x₀ + x₀x₁ + x₀x₁x₂: ∂²/∂x₀∂x₁ = 1 + x₂, ∂²/∂x₁∂x₂ = x₀, ∂²/∂x₀∂x₂ = x₁.
    # The regression: (2, 1) came out 0 where x₁ = 0 (a constant 0 after a slice's first zero)
    with np.errstate(all="raise"):
        np.testing.assert_array_equal(_hessian(lambda a: S.cumprod(a, 0).sum(), [2.0, 0.0, 3.0]),
                                      [[0, 4, 0], [4, 0, 2], [0, 2, 0]])
        np.testing.assert_array_equal(_hessian(lambda a: S.cumprod(a, 0).sum(), [0.0, 0.0, 3.0]),
                                      [[0, 4, 0], [4, 0, 0], [0, 0, 0]])
    x = Tensor(np.array([2.0, 0.0, 3.0]), requires_grad=True)
    check_gradients(lambda a: S.cumprod(a, 0), x, second_order=True)
    # a long axis (several doubling steps of the backward), zeros at the start, middle, end
    values = np.linspace(0.6, 1.4, 37)
    values[[0, 11, 12, 36]] = 0.0
    with np.errstate(all="raise"):
        check_gradients(lambda a: S.cumprod(a, 0), Tensor(values, requires_grad=True),
                        second_order=True)


@st.composite
def distinct_magnitudes(draw, shape):
    """Nonzero entries with pairwise distinct |x| (no kink of |x|, no tie of max |x|)."""
    magnitudes = draw(distinct_arrays(shape, min_gap=0.02, min_value=0.2, max_value=2.0))
    signs = draw(hnp.arrays(bool, magnitudes.shape))
    return Tensor(np.where(signs, -magnitudes, magnitudes), requires_grad=True)


@given(data=st.data(), ord=st.sampled_from([None, 1, 2, 3, 1.5, math.inf, -math.inf]),
       keepdims=st.booleans())
def test_vector_norms(data, ord, keepdims):
    x = data.draw(shapes(min_dims=1, **SMALL).flatmap(distinct_magnitudes))
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1)
                     | (st.sampled_from([None, (0,), (-1,)]) if x.ndim == 1 else st.nothing()))
    np.testing.assert_allclose(S.norm(x, ord, axis, keepdims).data,
                               np.linalg.norm(x.data, ord, axis, keepdims), rtol=1e-12)
    check_gradients(lambda a: S.norm(a, ord, axis, keepdims), x, second_order=True)


@given(data=st.data(), keepdims=st.booleans())
def test_frobenius_norm(data, keepdims):
    x = data.draw(tensors(shapes(min_dims=2, **SMALL)))
    pair = data.draw(st.permutations(range(x.ndim)))[:2]
    axis = tuple(data.draw(st.sampled_from([a, a - x.ndim])) for a in pair)
    ord = data.draw(st.sampled_from(["fro", None]))
    cases = [(ord, axis)] + ([("fro", None), (None, None)] if x.ndim == 2 else [])
    for ord, axis in cases:
        np.testing.assert_allclose(S.norm(x, ord, axis, keepdims).data,
                                   np.linalg.norm(x.data, ord, axis, keepdims), rtol=1e-12)
        if np.all(np.linalg.norm(x.data, ord, axis) > 1e-2):
            check_gradients(lambda a, o=ord, ax=axis: S.norm(a, o, ax, keepdims), x,
                            second_order=True)


P_NORMS = [None, 1, 2, 3, 1.5, math.inf, -math.inf]


@pytest.mark.parametrize("ord", P_NORMS)
@pytest.mark.parametrize("keepdims", [False, True])
def test_norm_gradient_is_zero_at_a_zero_row_for_every_ord(ord, keepdims):
    # PyTorch: the gradient at the zero vector is 0 for every p (the regression: nan for p
    # other than 1, 2, ±inf). The other row keeps its closed form sign(x)·|x|^(p−1)/‖x‖^(p−1).
    x = Tensor(np.array([[0.0, 0.0, 0.0], [1.0, -2.0, 0.5]]), requires_grad=True)
    with np.errstate(all="raise"):
        out = S.norm(x, ord, 1, keepdims)
        out.sum().backward()
    np.testing.assert_allclose(out.data.ravel(), [0.0, np.linalg.norm(x.data[1], ord)])
    row = x.data[1]
    p = 2 if ord is None else ord
    if p == math.inf:
        expected = [0.0, -1.0, 0.0]
    elif p == -math.inf:
        expected = [0.0, 0.0, 1.0]
    else:
        expected = np.sign(row) * np.abs(row) ** (p - 1) / np.linalg.norm(row, p) ** (p - 1)
    np.testing.assert_array_equal(x.grad.data[0], [0.0, 0.0, 0.0])
    np.testing.assert_allclose(x.grad.data[1], expected, rtol=1e-12)


@pytest.mark.parametrize("ord", [None, 2, 3, 1.5])
def test_norm_second_derivatives_are_zero_at_a_zero_row(ord):
    x = Tensor(np.array([[0.0, 0.0], [1.0, -2.0]]), requires_grad=True)
    with np.errstate(all="raise"):
        (g,) = ag.grad(S.norm(x, ord, 1).sum(), [x], create_graph=True)
        (h,) = ag.grad((g * Tensor(np.array([[1.0, 2.0], [3.0, 4.0]]))).sum(), [x])
    np.testing.assert_array_equal(g.data[0], 0.0)
    np.testing.assert_array_equal(h.data[0], 0.0)


@given(data=st.data(), ord=st.sampled_from(P_NORMS), keepdims=st.booleans())
def test_vector_norms_with_zero_rows(data, ord, keepdims):
    # whole rows zeroed (constants of the graph, so finite differences see them as zero
    # too): the others' gradients and second derivatives stay those of finite differences
    x = data.draw(shapes(min_dims=2, **SMALL).flatmap(distinct_magnitudes))
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1))
    rows = data.draw(hnp.arrays(bool, tuple(1 if i == axis % x.ndim else n
                                            for i, n in enumerate(x.shape))))
    zeroed = lambda a: ag.where(np.broadcast_to(rows, x.shape), 0.0, a)  # noqa: E731
    np.testing.assert_allclose(S.norm(zeroed(x), ord, axis, keepdims).data,
                               np.linalg.norm(zeroed(x).data, ord, axis, keepdims), rtol=1e-12)
    with np.errstate(divide="raise", invalid="raise"):
        check_gradients(lambda a: S.norm(zeroed(a), ord, axis, keepdims), x,
                        second_order=ord not in (1, math.inf, -math.inf))


def test_norm_of_a_zero_vector_and_a_zero_matrix_for_every_ord():
    for ord in P_NORMS:
        x = Tensor(np.zeros(3), requires_grad=True)
        S.norm(x, ord).backward()
        assert type(x.grad.data) is np.ndarray and x.grad.shape == (3,)
        np.testing.assert_array_equal(x.grad.data, 0.0)
    x = Tensor(np.zeros((2, 3), np.float32), requires_grad=True)
    S.norm(x, "fro").backward()
    assert x.grad.dtype == np.float32
    np.testing.assert_array_equal(x.grad.data, 0.0)


def test_norm_gradient_at_zero_is_zero_and_bad_ords_raise():
    x = Tensor(np.zeros(3), requires_grad=True)
    S.norm(x).backward()
    np.testing.assert_array_equal(x.grad.data, 0.0)
    with pytest.raises(ValueError, match="norm"):
        S.norm(Tensor(np.ones((2, 2))), 2, (0, 1))
    with pytest.raises(ValueError, match="norm"):
        S.norm(Tensor(np.ones(3)), 0.5)


def _weighted_lse(a, b, axis, keepdims):
    # scipy.special.logsumexp's formula with b=, written out in numpy
    a = np.broadcast_to(a, np.broadcast_shapes(a.shape, b.shape))
    m = np.max(a, axis=axis, keepdims=True)
    out = np.log(np.sum(b * np.exp(a - m), axis=axis, keepdims=True)) + m
    return out if keepdims else (out.reshape(()) if axis is None else np.squeeze(out, axis))


@given(data=st.data(), keepdims=st.booleans())
def test_weighted_logsumexp(data, keepdims):
    # x and b broadcast together, each possibly the bigger one (as scipy's a and b)
    x_shape, b_shape = data.draw(broadcastable_shapes(**SMALL))
    x = data.draw(tensors(x_shape))
    b = data.draw(tensors(b_shape, elements=positive(0.2, 2.0)))
    axis = data.draw(axes_of(len(np.broadcast_shapes(x_shape, b_shape))))
    np.testing.assert_allclose(C.logsumexp(x, axis, keepdims, b=b).data,
                               _weighted_lse(x.data, b.data, axis, keepdims))
    check_gradients(lambda a, w: C.logsumexp(a, axis, keepdims, b=w), x, b, second_order=True)
    check_gradients(lambda a: C.logsumexp(a, axis, keepdims, b=b.data), x)


def test_logsumexp_with_b_bigger_than_x():
    # the regression: backward gave b a gradient of x's shape (1,) for b of shape (2,)
    x = Tensor(np.array([0.0]), requires_grad=True)
    b = Tensor(np.array([1.0, 1.0]), requires_grad=True)
    out = C.logsumexp(x, b=b)
    np.testing.assert_allclose(out.data, np.log(2.0))  # log(1·e⁰ + 1·e⁰)
    out.backward()
    np.testing.assert_allclose(x.grad.data, [1.0])  # Σⱼ bⱼeˣ / Σ
    np.testing.assert_allclose(b.grad.data, [0.5, 0.5])  # eˣ / Σ
    # x (2, 1), b (2, 3), axis 1: log Σⱼ bᵢⱼ e^{xᵢ} = xᵢ + log Σⱼ bᵢⱼ
    x = Tensor(np.array([[0.5], [-1.0]]), requires_grad=True)
    b = Tensor(np.array([[1.0, 2.0, 0.5], [0.25, 1.0, 3.0]]), requires_grad=True)
    out = C.logsumexp(x, axis=1, b=b)
    by_hand = np.log((b.data * np.exp(x.data)).sum(axis=1))
    np.testing.assert_allclose(out.data, by_hand)
    np.testing.assert_allclose(out.data, x.data[:, 0] + np.log(b.data.sum(axis=1)))
    out.sum().backward()
    np.testing.assert_allclose(x.grad.data, [[1.0], [1.0]])
    np.testing.assert_allclose(b.grad.data, 1.0 / b.data.sum(axis=1, keepdims=True)
                               * np.ones((2, 3)))
    check_gradients(lambda a, w: C.logsumexp(a, 1, b=w), x, b, second_order=True)
    check_gradients(lambda a: C.logsumexp(a, 1, True, b=b.data), x, second_order=True)


def test_logsumexp_is_stable_and_plain_without_b():
    x = Tensor(np.array([1000.0, 1000.0]), requires_grad=True)
    np.testing.assert_allclose(C.logsumexp(x, b=np.array([0.5, 1.5])).data,
                               1000.0 + np.log(2.0))
    assert type(C.logsumexp(x).grad_fn).__name__ == "LogSumExp"


# ---------------------------------------------------------------------- compositions
@given(data=st.data())
def test_average(data):
    x = data.draw(tensors(shapes(min_dims=1, **SMALL)))
    axis = data.draw(st.one_of(st.none(), st.integers(-x.ndim, x.ndim - 1)))
    full = data.draw(st.booleans()) or axis is None
    w_shape = x.shape if full else (x.shape[axis],)
    w = data.draw(tensors(w_shape, elements=positive(0.2, 2.0)))
    np.testing.assert_allclose(S.average(x, axis, w).data,
                               np.average(x.data, axis, w.data))
    np.testing.assert_allclose(S.average(x, axis).data, np.average(x.data, axis))
    check_gradients(lambda a, v: S.average(a, axis, v), x, w, second_order=True)


def test_average_with_weights_summing_to_zero_raises():
    with pytest.raises(ZeroDivisionError, match="average"):
        S.average(Tensor(np.ones(2)), weights=np.array([1.0, -1.0]))


@given(reduction(distinct=True))
def test_ptp(case):
    x, axis, keepdims = case
    np.testing.assert_allclose(S.ptp(x, axis, keepdims).data,
                               np.ptp(x.data, axis=axis, keepdims=keepdims))
    check_gradients(lambda a: S.ptp(a, axis, keepdims), x, second_order=True)


def test_ptp_ties_share_the_gradient():
    x = Tensor(np.array([3.0, 1.0, 3.0, 1.0]), requires_grad=True)
    S.ptp(x).backward()
    np.testing.assert_array_equal(x.grad.data, [0.5, -0.5, 0.5, -0.5])


# ---------------------------------------------------------------------- not differentiable
def test_argmax_argmin_any_all_types():
    data = np.array([[1.0, 5.0, 2.0], [7.0, 0.0, 3.0]])
    x = Tensor(data, requires_grad=True)
    for op, dtype_kind in [("argmax", "i"), ("argmin", "i"), ("any", "b"), ("all", "b")]:
        for axis, keepdims in [(None, False), (1, False), (0, True)]:
            out = getattr(S, op)(x, axis, keepdims)
            assert isinstance(out, Tensor) and out.grad_fn is None and not out.requires_grad
            assert out.dtype.kind == dtype_kind
            np.testing.assert_array_equal(out.data, getattr(np, op)(data, axis=axis,
                                                                    keepdims=keepdims))
            raw = getattr(S, op)(data, axis, keepdims)
            assert isinstance(raw, np.ndarray) and not isinstance(raw, Tensor)
    assert S.any(x, (0, 1)).data.item() and not S.all(x, (0, 1)).data.item()


# ---------------------------------------------------------------------- errors
@pytest.mark.parametrize("name, call", [
    ("prod", lambda x: S.prod(x, 2)), ("var", lambda x: S.var(x, (0, 3))),
    ("std", lambda x: S.std(x, -3)), ("cumsum", lambda x: S.cumsum(x, 2)),
    ("cumprod", lambda x: S.cumprod(x, -3)), ("norm", lambda x: S.norm(x, None, 5)),
    ("logsumexp", lambda x: C.logsumexp(x, 2, b=np.ones(3))), ("argmax", lambda x: S.argmax(x, 2)),
    ("argmin", lambda x: S.argmin(x, 4)), ("any", lambda x: S.any(x, 2)),
    ("all", lambda x: S.all(x, 2)), ("average", lambda x: S.average(x, 2)),
    ("ptp", lambda x: S.ptp(x, 2)),
])
def test_bad_axis_names_the_op(name, call):
    with pytest.raises((ValueError, TypeError), match=name):
        call(Tensor(np.ones((2, 3)), requires_grad=True))


def test_floats_kept():
    x = Tensor(np.array([[1.0, 2.0], [3.0, 4.0]], dtype=np.float32), requires_grad=True)
    for out in [S.prod(x, 0), S.var(x), S.std(x, 1), S.cumsum(x), S.cumprod(x, 1), S.norm(x),
                C.logsumexp(x, 0, b=np.float32(2.0)), S.average(x, 0), S.ptp(x)]:
        assert out.dtype == np.float32
        out.sum().backward()
    assert x.grad.dtype == np.float32


