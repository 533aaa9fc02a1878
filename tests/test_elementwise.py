"""The elementwise ops of autograd.ops.elementwise: values equal numpy's (broadcasting for
the binary ones), gradients against finite differences (and second derivatives for the
smooth ones) on random float64 inputs inside each domain, the array path and the Tensor path
of each backward agree, float32 stays float32, and the edge cases numpy defines (rounding
halves to even, mod's sign, nan_to_num's replacements, softplus in the tails)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
from autograd import Tensor
from autograd.ops import elementwise as ew
from autograd.testing import (
    away_from, broadcastable_shapes, check_gradients, floats, positive, shapes, tensors,
)

SMALL = dict(max_dims=2, max_side=3)
INTEGERS = list(range(-3, 4))
HALVES = [k + 0.5 for k in range(-4, 4)]

# name -> (function, numpy's function, element strategy, smooth)
UNARY = {
    "sin": (ew.sin, np.sin, floats(), True),
    "cos": (ew.cos, np.cos, floats(), True),
    "tan": (ew.tan, np.tan, floats(-1.2, 1.2), True),
    "arcsin": (ew.arcsin, np.arcsin, floats(-0.9, 0.9), True),
    "arccos": (ew.arccos, np.arccos, floats(-0.9, 0.9), True),
    "arctan": (ew.arctan, np.arctan, floats(), True),
    "sinh": (ew.sinh, np.sinh, floats(), True),
    "cosh": (ew.cosh, np.cosh, floats(), True),
    "arcsinh": (ew.arcsinh, np.arcsinh, floats(), True),
    "arccosh": (ew.arccosh, np.arccosh, positive(1.1, 3.0), True),
    "arctanh": (ew.arctanh, np.arctanh, floats(-0.9, 0.9), True),
    "log2": (ew.log2, np.log2, positive(), True),
    "log10": (ew.log10, np.log10, positive(), True),
    "log1p": (ew.log1p, np.log1p, positive(), True),
    "expm1": (ew.expm1, np.expm1, floats(), True),
    "exp2": (ew.exp2, np.exp2, floats(), True),
    "square": (ew.square, np.square, floats(), True),
    "reciprocal": (ew.reciprocal, np.reciprocal, away_from(0, margin=0.2), True),
    "sign": (ew.sign, np.sign, away_from(0), False),
    "floor": (ew.floor, np.floor, away_from(INTEGERS, margin=0.05), False),
    "ceil": (ew.ceil, np.ceil, away_from(INTEGERS, margin=0.05), False),
    "round": (ew.round, np.round, away_from(HALVES, margin=0.05), False),
    "trunc": (ew.trunc, np.trunc, away_from(INTEGERS, margin=0.05), False),
    "softplus": (ew.softplus, lambda x: np.logaddexp(0, x), floats(), True),
    "nan_to_num": (ew.nan_to_num, np.nan_to_num, floats(), True),
}

# mod and fmod are smooth only away from a/b ∈ ℤ: with b ∈ {±½, ±1, ±2} and a = n + f,
# f ∈ [0.3, 0.45] ∪ [0.55, 0.7], a/b is at least 0.1 from every integer
QUOTIENT_SAFE_A = st.builds(lambda n, f: n + f, st.integers(-3, 2),
                            st.one_of(floats(0.3, 0.45), floats(0.55, 0.7)))
QUOTIENT_SAFE_B = st.sampled_from([-2.0, -1.0, -0.5, 0.5, 1.0, 2.0])

# name -> (function, numpy's function, elements of a, elements of b, smooth)
BINARY = {
    "logaddexp": (ew.logaddexp, np.logaddexp, floats(), floats(), True),
    "logaddexp2": (ew.logaddexp2, np.logaddexp2, floats(), floats(), True),
    # y ≠ 0 keeps away from the origin and from the branch cut (x < 0, y = 0)
    "arctan2": (ew.arctan2, np.arctan2, away_from(0, margin=0.2), floats(), True),
    "hypot": (ew.hypot, np.hypot, away_from(0, margin=0.2), floats(), True),
    "mod": (ew.mod, np.mod, QUOTIENT_SAFE_A, QUOTIENT_SAFE_B, False),
    "fmod": (ew.fmod, np.fmod, QUOTIENT_SAFE_A, QUOTIENT_SAFE_B, False),
}


@st.composite
def tensor_pairs(draw, elements_a, elements_b):
    shape_a, shape_b = draw(broadcastable_shapes(**SMALL))
    return draw(tensors(shape_a, elements=elements_a)), draw(tensors(shape_b,
                                                                     elements=elements_b))


@pytest.mark.parametrize("name", sorted(UNARY))
@given(data=st.data())
def test_unary_values_and_gradients(name, data):
    fn, reference, elements, smooth = UNARY[name]
    x = data.draw(tensors(shapes(**SMALL), elements=elements))
    out = fn(x)
    assert out.shape == x.shape and out.dtype == np.float64
    np.testing.assert_allclose(out.data, reference(x.data), rtol=1e-12, atol=1e-12)
    check_gradients(fn, x, second_order=smooth)


@pytest.mark.parametrize("name", sorted(BINARY))
@given(data=st.data())
def test_binary_values_and_gradients(name, data):
    fn, reference, elements_a, elements_b, smooth = BINARY[name]
    a, b = data.draw(tensor_pairs(elements_a, elements_b))
    out = fn(a, b)
    expected = reference(a.data, b.data)
    assert out.shape == expected.shape and out.dtype == np.float64
    np.testing.assert_allclose(out.data, expected, rtol=1e-12, atol=1e-12)
    check_gradients(fn, a, b, second_order=smooth)


@pytest.mark.parametrize("name", sorted(BINARY))
@given(data=st.data())
def test_binary_values_on_any_inputs(name, data):
    fn, reference = BINARY[name][:2]
    nonzero = away_from(0, margin=0.1) if name in ("mod", "fmod") else floats()
    a, b = data.draw(tensor_pairs(floats(), nonzero))
    np.testing.assert_allclose(fn(a, b).data, reference(a.data, b.data), rtol=1e-12,
                               atol=1e-12)


def test_binary_ops_take_a_scalar_on_either_side():
    x = Tensor(np.array([0.3, 1.7]), requires_grad=True)
    for name, (fn, reference, *_) in BINARY.items():
        np.testing.assert_allclose(fn(x, 1.5).data, reference(x.data, 1.5), err_msg=name)
        np.testing.assert_allclose(fn(2.5, x).data, reference(2.5, x.data), err_msg=name)


# (that the array path and the Tensor path of each backward agree, with and without
# create_graph, is checked for every built-in op in test_array_path.py)
rng = np.random.default_rng(3)
FIXED_UNARY = {  # the domains of the fixed-input checks below
    "arcsin": (-0.9, 0.9), "arccos": (-0.9, 0.9), "arctanh": (-0.9, 0.9),
    "arccosh": (1.1, 3.0), "log2": (0.1, 3.0), "log10": (0.1, 3.0), "log1p": (0.1, 3.0),
    "tan": (-1.2, 1.2), "reciprocal": (0.5, 2.0),
}


# ---------------------------------------------------------------------- dtypes
@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_float32_stays_float32(name):
    low, high = FIXED_UNARY.get(name, (-2.0, 2.0))
    x = Tensor(rng.uniform(low, high, (3,)).astype(np.float32), requires_grad=True)
    out = UNARY[name][0](x)
    assert out.dtype == np.float32
    out.sum().backward()
    assert x.grad.dtype == np.float32


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_float32_stays_float32(name):
    a = Tensor(np.array([[0.7], [1.3]], dtype=np.float32), requires_grad=True)
    b = Tensor(np.array([1.5, -0.6, 2.0], dtype=np.float32), requires_grad=True)
    out = BINARY[name][0](a, b)
    assert out.dtype == np.float32 and out.shape == (2, 3)
    (out * 2.0).sum().backward()
    assert a.grad.dtype == np.float32 and b.grad.dtype == np.float32
    assert BINARY[name][0](a, 2.0).dtype == np.float32


# ---------------------------------------------------------------------- edge cases
def test_softplus_is_finite_and_exact_in_the_tails():
    x = Tensor(np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0]), requires_grad=True)
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        out = ew.softplus(x)
        out.sum().backward()
    np.testing.assert_allclose(out.data, [0.0, np.exp(-50.0), np.log(2.0), 50.0, 1000.0],
                               rtol=1e-12, atol=0)
    np.testing.assert_allclose(x.grad.data, [0.0, np.exp(-50.0), 0.5, 1.0, 1.0], rtol=1e-12)
    x32 = Tensor(np.array([-1000.0, 1000.0], dtype=np.float32), requires_grad=True)
    assert np.all(np.isfinite(ew.softplus(x32).data))


def test_round_halves_to_even_and_takes_decimals():
    x = Tensor(np.array([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.26]), requires_grad=True)
    np.testing.assert_array_equal(ew.round(x).data, [-2.0, -2.0, -0.0, 0.0, 2.0, 2.0, 0.0])
    np.testing.assert_array_equal(ew.round(x, 1).data, np.round(x.data, 1))
    np.testing.assert_array_equal(ew.round(x, decimals=-1).data, np.round(x.data, -1))


@pytest.mark.parametrize("fn", [ew.sign, ew.floor, ew.ceil, ew.round, ew.trunc])
def test_zero_gradient_ops_give_zeros_of_the_input_shape(fn):
    x = Tensor(np.array([[-1.3, 0.4, 2.7]]), requires_grad=True)
    (grad,) = ag.grad(fn(x).sum(), x)
    assert grad is not None
    np.testing.assert_array_equal(grad.data, np.zeros((1, 3)))


def test_mod_takes_the_sign_of_b_and_fmod_the_sign_of_a():
    a = Tensor(np.array([-7.0, 7.0, -7.0, 7.0]), requires_grad=True)
    b = Tensor(np.array([3.0, -3.0, -3.0, 3.0]), requires_grad=True)
    np.testing.assert_array_equal(ew.mod(a, b).data, [2.0, -2.0, -1.0, 1.0])
    np.testing.assert_array_equal(ew.fmod(a, b).data, [-1.0, 1.0, -1.0, 1.0])
    ga, gb = ag.grad(ew.mod(a, b).sum(), [a, b])
    np.testing.assert_array_equal(ga.data, np.ones(4))
    np.testing.assert_array_equal(gb.data, -np.floor(a.data / b.data))
    ga, gb = ag.grad(ew.fmod(a, b).sum(), [a, b])
    np.testing.assert_array_equal(ga.data, np.ones(4))
    np.testing.assert_array_equal(gb.data, -np.trunc(a.data / b.data))


def test_nan_to_num_replaces_and_stops_the_gradient_where_it_replaced():
    x = Tensor(np.array([np.nan, np.inf, -np.inf, 1.5]), requires_grad=True)
    out = ew.nan_to_num(x)
    np.testing.assert_array_equal(out.data, np.nan_to_num(x.data))
    out = ew.nan_to_num(x, nan=-1.0, posinf=9.0, neginf=-9.0)
    np.testing.assert_array_equal(out.data, [-1.0, 9.0, -9.0, 1.5])
    (grad,) = ag.grad((out * 3.0).sum(), x)
    np.testing.assert_array_equal(grad.data, [0.0, 0.0, 0.0, 3.0])
    assert not np.shares_memory(out.data, x.data)


def test_every_function_and_class_is_exported():
    import autograd.function

    classes = [n for n in ew.__all__ if n[0].isupper()]
    functions = [n for n in ew.__all__ if n[0].islower()]
    assert len(classes) == len(functions) == 31
    for n in classes:
        op = getattr(ew, n)
        assert issubclass(op, autograd.function.Function) and op.array_safe
        assert op.__doc__.startswith("∂")
