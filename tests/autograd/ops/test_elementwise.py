"""The elementwise ops of autograd.ops.elementwise: values equal numpy's (broadcasting for
the binary ones), gradients against finite differences (and second derivatives for the
smooth ones) on random float64 inputs inside each domain, the array path and the Tensor path
of each backward agree, float32 stays float32, and the edge cases numpy defines (rounding
halves to even, mod's sign, nan_to_num's replacements, softplus in the tails, fmax/fmin with
nan, sinc at 0, heaviside at 0, floor_divide of negative operands, copysign of −0)."""

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
    "deg2rad": (ew.deg2rad, np.deg2rad, floats(-200.0, 200.0), True),
    "rad2deg": (ew.rad2deg, np.rad2deg, floats(), True),
    "radians": (ew.radians, np.radians, floats(-200.0, 200.0), True),
    "degrees": (ew.degrees, np.degrees, floats(), True),
    "sinc": (ew.sinc, np.sinc, floats(), True),  # 0 included: a series there, exact at 0
    "cbrt": (ew.cbrt, np.cbrt, away_from(0, margin=0.2), True),
    "fix": (ew.fix, np.fix, away_from(INTEGERS, margin=0.05), False),
}

# mod and fmod are smooth only away from a/b ∈ ℤ: with b ∈ {±½, ±1, ±2} and a = n + f,
# f ∈ [0.3, 0.45] ∪ [0.55, 0.7], a/b is at least 0.1 from every integer
QUOTIENT_SAFE_A = st.builds(lambda n, f: n + f, st.integers(-3, 2),
                            st.one_of(floats(0.3, 0.45), floats(0.55, 0.7)))
QUOTIENT_SAFE_B = st.sampled_from([-2.0, -1.0, -0.5, 0.5, 1.0, 2.0])
# fmax and fmin are smooth away from ties: a ∈ n + [0.1, 0.4] and b ∈ n + [0.6, 0.9] are at
# least 0.2 apart, and either may be the larger
BELOW_HALVES = st.builds(lambda n, f: n + f, st.integers(-3, 2), floats(0.1, 0.4))
ABOVE_HALVES = st.builds(lambda n, f: n + f, st.integers(-3, 2), floats(0.6, 0.9))

# name -> (function, numpy's function, elements of a, elements of b, smooth)
BINARY = {
    "logaddexp": (ew.logaddexp, np.logaddexp, floats(), floats(), True),
    "logaddexp2": (ew.logaddexp2, np.logaddexp2, floats(), floats(), True),
    # y ≠ 0 keeps away from the origin and from the branch cut (x < 0, y = 0)
    "arctan2": (ew.arctan2, np.arctan2, away_from(0, margin=0.2), floats(), True),
    "hypot": (ew.hypot, np.hypot, away_from(0, margin=0.2), floats(), True),
    "mod": (ew.mod, np.mod, QUOTIENT_SAFE_A, QUOTIENT_SAFE_B, False),
    "fmod": (ew.fmod, np.fmod, QUOTIENT_SAFE_A, QUOTIENT_SAFE_B, False),
    "fmax": (ew.fmax, np.fmax, BELOW_HALVES, ABOVE_HALVES, False),
    "fmin": (ew.fmin, np.fmin, ABOVE_HALVES, BELOW_HALVES, False),
    "floor_divide": (ew.floor_divide, np.floor_divide, QUOTIENT_SAFE_A, QUOTIENT_SAFE_B, False),
    # x1 ≠ 0: the step; x2 is only the value at 0
    "heaviside": (ew.heaviside, np.heaviside, away_from(0), floats(), False),
    # x1 ≠ 0: |x1|'s kink; x2 ≠ 0: the sign flips there
    "copysign": (ew.copysign, np.copysign, away_from(0), away_from(0), True),
    "float_power": (ew.float_power, np.float_power, positive(), floats(), True),
}
# the inputs of test_binary_values_on_any_inputs where floats() would divide by zero or take
# a negative number to a fractional power
ANY_INPUTS = {
    "mod": (floats(), away_from(0, margin=0.1)),
    "fmod": (floats(), away_from(0, margin=0.1)),
    "floor_divide": (floats(), away_from(0, margin=0.1)),
    "float_power": (away_from(0, margin=0.1), st.integers(-3, 3).map(float)),
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
    a, b = data.draw(tensor_pairs(*ANY_INPUTS.get(name, (floats(), floats()))))
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
    "tan": (-1.2, 1.2), "reciprocal": (0.5, 2.0), "cbrt": (0.5, 2.0),
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
    result = np.float64 if name == "float_power" else np.float32  # as numpy's
    out = BINARY[name][0](a, b)
    assert out.dtype == result and out.shape == (2, 3)
    assert out.dtype == BINARY[name][1](a.data, b.data).dtype
    (out * 2.0).sum().backward()
    assert a.grad.dtype == np.float32 and b.grad.dtype == np.float32
    assert BINARY[name][0](a, 2.0).dtype == result


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


@pytest.mark.parametrize("fn", [ew.sign, ew.floor, ew.ceil, ew.round, ew.trunc, ew.fix])
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
    # radians and degrees are deg2rad and rad2deg; float_power is pow of float64 casts
    assert len(classes) == 47 and len(functions) == 50
    assert ew.radians is ew.deg2rad and ew.degrees is ew.rad2deg
    for n in classes:
        op = getattr(ew, n)
        assert issubclass(op, autograd.function.Function) and op.array_safe
        assert op.__doc__.startswith("∂")


# ---------------------------------------------------------------------- the newer ops' edges
NAN = np.nan


@pytest.mark.parametrize("fn, reference", [(ew.fmax, np.fmax), (ew.fmin, np.fmin)])
def test_fmax_and_fmin_take_the_number_beside_nan_and_pass_it_the_gradient(fn, reference):
    a = Tensor(np.array([NAN, 2.0, NAN, 1.0, 3.0, -1.0]), requires_grad=True)
    b = Tensor(np.array([5.0, NAN, NAN, 1.0, -3.0, 4.0]), requires_grad=True)
    out = fn(a, b)
    np.testing.assert_array_equal(out.data, reference(a.data, b.data))
    np.testing.assert_array_equal(out.data[:4], [5.0, 2.0, NAN, 1.0])
    ga, gb = ag.grad((out * 3.0).sum(), [a, b])
    wins = 1.0 if fn is ew.fmax else 0.0  # does a win at 3 vs −3 and −1 vs 4 (fmax: one)
    np.testing.assert_array_equal(ga.data, 3.0 * np.array([0, 1, 0.5, 0.5, wins, 1 - wins]))
    np.testing.assert_array_equal(gb.data, 3.0 * np.array([1, 0, 0.5, 0.5, 1 - wins, wins]))
    # maximum and minimum, unlike them, let nan through
    assert np.isnan(ag.maximum(a, b).data[0]) and not np.isnan(out.data[0])


def test_fmax_broadcasts_and_its_gradient_sums_back():
    a = Tensor(np.array([[NAN], [1.0]]), requires_grad=True)
    b = Tensor(np.array([0.0, 1.0, 2.0]), requires_grad=True)
    out = ew.fmax(a, b)
    np.testing.assert_array_equal(out.data, [[0.0, 1.0, 2.0], [1.0, 1.0, 2.0]])
    ga, gb = ag.grad(out.sum(), [a, b])
    np.testing.assert_array_equal(ga.data, [[0.0], [1.5]])
    np.testing.assert_array_equal(gb.data, [1.0, 1.5, 2.0])


def test_sinc_is_one_at_zero_with_gradient_zero_and_curvature_minus_pi_squared_over_three():
    x = Tensor(np.array([0.0, -0.0, 1e-9, 0.5, 1.0]), requires_grad=True)
    out = ew.sinc(x)
    np.testing.assert_array_equal(out.data[:2], [1.0, 1.0])
    np.testing.assert_allclose(out.data, np.sinc(x.data), rtol=1e-15)
    (g,) = ag.grad(out.sum(), x, create_graph=True)
    np.testing.assert_allclose(g.data[:2], [0.0, 0.0], atol=0)
    # at 1e-9 the quotient (cos(πx)·πx − sin(πx))/(πx²) cancels to 0: the series gives
    # −π²x/3 (the next term is 1e-18 of it)
    np.testing.assert_allclose(g.data[2], -np.pi ** 2 * 1e-9 / 3, rtol=1e-15)
    t = np.pi * x.data[3:]
    np.testing.assert_allclose(g.data[3:], (np.cos(t) * t - np.sin(t)) / (np.pi * x.data[3:] ** 2),
                               rtol=1e-14)
    np.testing.assert_allclose(g.data[4], -1.0, rtol=1e-14)  # sinc′(1) = cos π = −1
    (gg,) = ag.grad(g.sum(), x)
    np.testing.assert_allclose(gg.data[:3], [-np.pi ** 2 / 3] * 3, rtol=1e-12)
    with np.errstate(all="raise"):  # no 0/0 on either branch, nor in the second backward
        ag.grad(ag.grad(ew.sinc(x).sum(), x, create_graph=True)[0].sum(), x)


@given(data=st.data())
def test_sinc_near_zero_is_differentiable_twice(data):
    x = data.draw(tensors(shapes(**SMALL), elements=floats(-0.3, 0.3)))
    check_gradients(ew.sinc, x, second_order=True)


def test_cbrt_of_negatives_and_its_infinite_slope_at_zero():
    x = Tensor(np.array([-8.0, 0.0, 27.0]), requires_grad=True)
    out = ew.cbrt(x)
    np.testing.assert_array_equal(out.data, np.cbrt(x.data))
    np.testing.assert_allclose(out.data, [-2.0, 0.0, 3.0], rtol=1e-15)  # numpy's ∛27 is 3 + ulp
    (g,) = ag.grad(out.sum(), x)
    np.testing.assert_allclose(g.data, [1 / 12, np.inf, 1 / 27], rtol=1e-15)


def test_heaviside_takes_x2_at_zero():
    x1 = Tensor(np.array([-2.0, 0.0, -0.0, 3.0, 0.0]), requires_grad=True)
    x2 = Tensor(np.array([0.5, 0.5, 0.25, 0.5, 7.0]), requires_grad=True)
    out = ew.heaviside(x1, x2)
    np.testing.assert_array_equal(out.data, [0.0, 0.5, 0.25, 1.0, 7.0])
    np.testing.assert_array_equal(ew.heaviside(x1, 1.0).data, [0.0, 1.0, 1.0, 1.0, 1.0])
    g1, g2 = ag.grad(out.sum(), [x1, x2])
    np.testing.assert_array_equal(g1.data, np.zeros(5))
    np.testing.assert_array_equal(g2.data, np.zeros(5))


def test_floor_divide_equals_numpys_exactly_with_negative_operands():
    a = Tensor(np.array([7.0, -7.0, 7.0, -7.0, 0.3, -0.3, 6.0, -1e-300]), requires_grad=True)
    b = Tensor(np.array([2.0, 2.0, -2.0, -2.0, 0.1, 0.1, -3.0, 5.0]), requires_grad=True)
    out = ew.floor_divide(a, b)
    np.testing.assert_array_equal(out.data, np.floor_divide(a.data, b.data))
    np.testing.assert_array_equal(out.data[:4], [3.0, -4.0, -4.0, 3.0])
    assert out.data[4] == np.floor_divide(0.3, 0.1) == 2.0  # 0.3/0.1 rounds up to 3.0000…4
    np.testing.assert_array_equal(ew.floor_divide(-7.5, b).data, np.floor_divide(-7.5, b.data))
    ga, gb = ag.grad(out.sum(), [a, b])
    np.testing.assert_array_equal(ga.data, np.zeros(8))
    np.testing.assert_array_equal(gb.data, np.zeros(8))
    ints = ew.floor_divide(Tensor(np.array([-7, 7])), Tensor(np.array([2, -2])))
    assert ints.dtype == np.int64 and list(ints.data) == [-4, -4]


def test_floor_divide_gradients_sum_back_to_broadcast_shapes():
    a = Tensor(np.ones((2, 1, 3)), requires_grad=True)
    b = Tensor(np.full((4, 1), 0.7), requires_grad=True)
    ga, gb = ag.grad(ew.floor_divide(a, b).sum(), [a, b])
    assert ga.shape == (2, 1, 3) and gb.shape == (4, 1)


def test_copysign_follows_the_sign_bit_of_x2_including_negative_zero():
    x1 = Tensor(np.array([3.0, 3.0, -3.0, -3.0, 0.0, 2.0]), requires_grad=True)
    x2 = Tensor(np.array([-0.0, 0.0, -0.0, 5.0, -1.0, -NAN]), requires_grad=True)
    out = ew.copysign(x1, x2)
    np.testing.assert_array_equal(out.data, np.copysign(x1.data, x2.data))
    np.testing.assert_array_equal(out.data[:4], [-3.0, 3.0, -3.0, 3.0])
    assert np.signbit(out.data[4]) and np.signbit(out.data[5])  # −0.0, and −nan's sign bit
    g1, g2 = ag.grad((out * 2.0).sum(), [x1, x2])
    np.testing.assert_array_equal(g1.data, [-2.0, 2.0, 2.0, -2.0, 0.0, -2.0])
    np.testing.assert_array_equal(g2.data, np.zeros(6))


def test_pow_gradients_at_a_zero_base_are_pytorchs():
    # torch.pow's backward at a = 0: ∂/∂b is 0 where b ≥ 0 and −inf where b < 0 (aᵇ·ln a =
    # ∞·(−∞)); the regression gave nan for b < 0. ∂/∂a is b·aᵇ⁻¹ (0 where b = 0).
    a = Tensor(np.array([0.0, 0.0, 0.0, 0.0, 2.0], np.float32), requires_grad=True)
    b = Tensor(np.array([-1.0, -0.5, 0.0, 2.0, 3.0], np.float32), requires_grad=True)
    with np.errstate(divide="ignore"):  # 0⁻¹ = inf: numpy's own warning, in the forward
        out = a ** b
        ga, gb = ag.grad(out.sum(), [a, b])
    assert ga.dtype == gb.dtype == np.float32
    np.testing.assert_array_equal(ga.data, [-np.inf, -np.inf, 0.0, 0.0, 12.0])
    np.testing.assert_array_equal(gb.data, [-np.inf, -np.inf, 0.0, 0.0, np.float32(8 * np.log(2))])
    # a zero base beside a scalar exponent Tensor: the −inf survives the sum back to b's shape
    e = Tensor(np.float64(-2.0), requires_grad=True)
    with np.errstate(divide="ignore"):
        (Tensor(np.array([0.0, 1.0, 2.0])) ** e).sum().backward()
    assert e.grad.item() == -np.inf
    # where b ≥ 0 the exponent's gradient is differentiable again, and finite
    x = Tensor(np.array([0.0, 0.0, 1.5]), requires_grad=True)
    y = Tensor(np.array([0.0, 2.0, 2.0]), requires_grad=True)
    with np.errstate(all="raise"):
        (gy,) = ag.grad((x ** y).sum(), [y], create_graph=True)
        hx, hy = ag.grad(gy.sum(), [x, y])
    np.testing.assert_array_equal(gy.data[:2], 0.0)
    # ∂²(aᵇ)/∂b² = aᵇ·ln²a and ∂²(aᵇ)/∂a∂b = aᵇ⁻¹(1 + b·ln a), at a = 1.5, b = 2
    np.testing.assert_allclose(hy.data, [0.0, 0.0, 2.25 * np.log(1.5) ** 2], rtol=1e-12)
    np.testing.assert_allclose(hx.data[2], 1.5 * (1 + 2 * np.log(1.5)), rtol=1e-12)


def test_float_power_is_float64_with_pows_gradient_cast_back():
    a = Tensor(np.array([1.5, 2.0, 0.5], dtype=np.float32), requires_grad=True)
    b = Tensor(np.array([2.0, -1.0, 0.5], dtype=np.float32), requires_grad=True)
    out = ew.float_power(a, b)
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out.data, np.float_power(a.data, b.data))
    ga, gb = ag.grad(out.sum(), [a, b])
    assert ga.dtype == gb.dtype == np.float32
    a64, b64 = a.data.astype(np.float64), b.data.astype(np.float64)
    np.testing.assert_allclose(ga.data, b64 * a64 ** (b64 - 1), rtol=1e-7)
    np.testing.assert_allclose(gb.data, a64 ** b64 * np.log(a64), rtol=1e-7)
    # a number is taken as numpy takes it, a double: not first rounded to the tensor's float32
    np.testing.assert_array_equal(ew.float_power(2.7, b).data, np.float_power(2.7, b.data))
    np.testing.assert_array_equal(ew.float_power(a, 0.1).data, np.float_power(a.data, 0.1))
    ints = ew.float_power(Tensor(np.array([2, 3])), 2)
    assert ints.dtype == np.float64 and list(ints.data) == [4.0, 9.0]
    with pytest.raises(TypeError):
        ew.float_power(a, "2")


@pytest.mark.parametrize("fn", [ew.deg2rad, ew.rad2deg])
def test_angle_conversions_are_exact_inverses_up_to_rounding(fn):
    x = Tensor(np.array([0.0, 90.0, -180.0, 360.0]), requires_grad=True)
    back = ew.rad2deg(ew.deg2rad(x)) if fn is ew.deg2rad else ew.deg2rad(ew.rad2deg(x))
    np.testing.assert_allclose(back.data, x.data, rtol=1e-15)
    (g,) = ag.grad(back.sum(), x)
    np.testing.assert_allclose(g.data, np.ones(4), rtol=1e-15)


# the nodes of the ops above, for tests/autograd/test_array_path.py's checks (its array path
# and its Tensor path agree; backward with and without create_graph agree)
def _t(*shape, low=-2.0, high=2.0):
    return Tensor(rng.uniform(low, high, shape), requires_grad=True)


ARRAY_PATH_CASES = {
    "deg2rad": lambda: ew.deg2rad(_t(3, 2)),
    "rad2deg": lambda: ew.rad2deg(_t(3)),
    "sinc": lambda: ew.sinc(Tensor(np.array([0.0, 1e-3, -0.2, 0.3, 1.0, -2.5]),
                                   requires_grad=True)),  # both branches
    "cbrt": lambda: ew.cbrt(_t(3, low=0.5, high=2.0) * np.array([1.0, -1.0, 1.0])),
    "fmax": lambda: ew.fmax(Tensor(np.array([[NAN, 1.0, 2.0], [0.5, NAN, 1.0]]),
                                   requires_grad=True), _t(3)),
    "fmin": lambda: ew.fmin(_t(2, 1), Tensor(np.array([NAN, 0.0, 1.0]), requires_grad=True)),
    "fix": lambda: ew.fix(_t(4)),
    "floor_divide": lambda: ew.floor_divide(_t(3, 2), Tensor(np.array([0.7, -1.3]),
                                                             requires_grad=True)),
    "heaviside": lambda: ew.heaviside(Tensor(np.array([-1.0, 0.0, 2.0]), requires_grad=True),
                                      _t(2, 1)),
    "copysign": lambda: ew.copysign(_t(3, 2), Tensor(np.array([-0.0, 1.5]), requires_grad=True)),
    "float_power": lambda: ew.float_power(_t(3, 2, low=0.5, high=2.0), _t(2)),  # its Pow
}


def test_the_floor_divide_and_mod_operators_are_the_ops():
    a = Tensor(np.array([5.5, -3.25, 7.0]), requires_grad=True)
    b = np.array([2.0, 1.5, -4.0])
    np.testing.assert_array_equal((a // b).data, np.floor_divide(a.data, b))
    np.testing.assert_array_equal((10.0 // a).data, np.floor_divide(10.0, a.data))
    np.testing.assert_array_equal((a % b).data, np.mod(a.data, b))
    np.testing.assert_array_equal((10.0 % a).data, np.mod(10.0, a.data))
    ((a // b) + a % b).sum().backward()
    np.testing.assert_array_equal(a.grad.data, [1.0, 1.0, 1.0])  # ∂(a mod b)/∂a = 1, ∂(a//b) = 0
