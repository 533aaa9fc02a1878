"""Integer and bool inputs (autograd/dtypes.py's one rule): an op that computes in floats
casts them first, to the float numpy gives them (float64 for a reduction or a statistic, the
ufunc's loop for an elementwise op), so nothing is computed in the integer dtype; and a value
written into an array of another dtype must fit it (check_fits), or the op refuses. Values
and dtypes are numpy's (or, where numpy's own integer arithmetic wraps, the exact answer)."""

import numpy as np
import pytest

import autograd as ag
import nn
from autograd import Tensor, dtypes
from autograd.ops import compositions as N
from autograd.ops import padding as P
from autograd.ops import course as C
from autograd.ops import reductions as S

INTEGER_DTYPES = [np.bool_, np.int8, np.uint8, np.int16, np.uint16, np.int32, np.uint32,
                  np.int64, np.uint64]


def same(out, expected, rtol=1e-12):
    """out is a Tensor of expected's shape, dtype and values."""
    expected = np.asarray(expected)
    assert out.shape == expected.shape and out.dtype == expected.dtype, (out, expected)
    np.testing.assert_allclose(out.data, expected, rtol=rtol)


# ---------------------------------------------------------------------- the rule
@pytest.mark.parametrize("dtype", INTEGER_DTYPES + [np.float16, np.float32, np.float64])
def test_floating_result_is_numpys_float(dtype):
    zeros = np.zeros(2, dtype)
    assert dtypes.floating_result(dtype) == np.mean(zeros).dtype  # float64, floats kept
    assert dtypes.floating_result(dtype, np.exp) == np.exp(zeros).dtype
    assert dtypes.floating_result(dtype, np.logaddexp) == np.logaddexp(zeros, zeros).dtype
    floating = dtypes.as_floating(zeros)
    assert floating.dtype == np.mean(zeros).dtype
    assert (floating is zeros) == (zeros.dtype.kind == "f")


@pytest.mark.parametrize("dtype", ["complex128", "U3", "datetime64[s]", "O"])
def test_floating_result_refuses_what_is_not_real_numbers(dtype):
    with pytest.raises(TypeError, match="real numbers"):
        dtypes.floating_result(dtype)


@pytest.mark.parametrize("values, dtype", [
    (np.array([2**64 - 1], np.uint64), np.int64),  # numpy's cast: −1
    (np.array([2**63], np.uint64), np.int64),
    (np.array([-1]), np.uint64),
    (np.array([300]), np.uint8),  # 44
    (np.array([np.nan]), np.int64),  # int64's minimum
    (np.array([np.inf]), np.int32),
    (np.array([-np.inf]), np.uint8),
    (np.array([256.0]), np.uint8),
    (np.array([-1.0]), np.uint8),
    (np.array([2.0**63]), np.int64),
    (np.array([1e300]), np.float32),  # inf
    (np.array([70000]), np.float16),
    (np.array([2**64 - 1], np.uint64), np.float16),
])
def test_check_fits_refuses_what_a_cast_would_turn_into_garbage(values, dtype):
    with pytest.raises(ValueError, match=f"what: .* does not fit {np.dtype(dtype).name}"):
        dtypes.check_fits("what", values, dtype)


@pytest.mark.parametrize("values, dtype, cast", [
    (np.array([2**63 - 1], np.uint64), np.int64, [2**63 - 1]),
    (np.array([-(2.0**63)]), np.int64, [-(2**63)]),
    (np.array([255.9, -0.9]), np.uint8, [255, 0]),  # truncated, as numpy's and torch's casts
    (np.array([np.nan, np.inf, -np.inf, 3.4e38]), np.float32,
     np.array([np.nan, np.inf, -np.inf, 3.4e38], np.float32)),
    (np.array([65504.0]), np.float16, [65504.0]),
    (np.array([True, False]), np.uint8, [1, 0]),
    (np.array([5.0, np.nan]), np.bool_, [True, True]),
    (np.zeros(0), np.int8, []),
    (np.float32(3.5), np.int8, 3),
])
def test_check_fits_takes_what_survives_a_cast_as_a_value(values, dtype, cast):
    dtypes.check_fits("what", values, dtype)
    np.testing.assert_array_equal(values.astype(dtype), cast)


# ---------------------------------------------------------------------- reductions
def test_mean_of_int64_sums_in_float64():
    x = np.array([2**62, 2**62], np.int64)
    same(ag.mean(Tensor(x)), np.mean(x))  # an int64 sum would wrap to −2⁶³: −4.6e18
    assert ag.mean(Tensor(x)).item() == 2.0**62
    same(np.mean(Tensor(x)), np.mean(x))
    m = np.array([[250, 10, 7], [3, 4, 255]], np.uint8)
    for axis in (None, 0, 1, (0, 1)):
        same(ag.mean(Tensor(m), axis), np.mean(m, axis=axis))
    same(ag.mean(Tensor(m), 1, keepdims=True), np.mean(m, axis=1, keepdims=True))
    mask = np.array([True, False, True, True])
    same(ag.mean(Tensor(mask)), np.mean(mask))


@pytest.mark.parametrize("dtype", INTEGER_DTYPES)
def test_var_std_and_mean_of_integers_are_numpys(dtype):
    x = np.array([[1, 0, 1], [1, 1, 0]], dtype)
    for axis in (None, 0, 1):
        same(ag.mean(Tensor(x), axis), np.mean(x, axis=axis))
        same(S.var(Tensor(x), axis), np.var(x, axis=axis))
        same(S.std(Tensor(x), axis, ddof=1), np.std(x, axis=axis, ddof=1))


def test_logsumexp_softmax_log_softmax_of_uint8_do_not_wrap():
    # in uint8 the max is subtracted as 1 − 3 = 254, and exp(254) is inf
    u = np.array([[1, 3, 2], [250, 0, 255]], np.uint8)
    f = u.astype(np.float64)
    shifted = f - f.max(axis=1, keepdims=True)
    total = np.exp(shifted).sum(axis=1, keepdims=True)
    same(ag.logsumexp(Tensor(u), 1), (np.log(total) + f.max(axis=1, keepdims=True))[:, 0])
    same(C.logsumexp(Tensor(u), 1, b=np.array([1.0, 2.0, 0.5])),
         C.logsumexp(Tensor(f), 1, b=np.array([1.0, 2.0, 0.5])).data)
    same(ag.softmax(Tensor(u), 1), np.exp(shifted) / total)
    same(ag.log_softmax(Tensor(u), 1), shifted - np.log(total))
    np.testing.assert_allclose(ag.softmax(Tensor(u), 1).data[0], [0.09003057, 0.66524096,
                                                                  0.24472847], rtol=1e-7)


def test_softmax_of_a_bool_mask_works_as_logsumexp_of_it():
    # the regression: numpy's "boolean subtract" TypeError from softmax, not from logsumexp
    mask = np.array([[True, False, True], [False, False, False]])
    f = mask.astype(np.float64)
    lse = ag.logsumexp(Tensor(mask), 1)
    same(lse, np.log(np.exp(f).sum(axis=1)))
    same(ag.softmax(Tensor(mask), 1), np.exp(f - lse.data[:, None]))
    same(ag.log_softmax(Tensor(mask), 1), f - lse.data[:, None])
    same(nn.functional.softmax(Tensor(mask)), np.exp(f - lse.data[:, None]))
    np.testing.assert_allclose(ag.softmax(Tensor(mask), 1).data[0], [0.4223188, 0.1553624,
                                                                     0.4223188], rtol=1e-6)


def test_norm_of_integers_casts_first_as_numpy():
    u = np.array([250, 3, 7], np.uint8)  # squared in uint8: 9.70
    for ord in (None, 1, 2, 3, 1.5, np.inf, -np.inf):
        same(S.norm(Tensor(u), ord), np.linalg.norm(u, ord))
    assert S.norm(Tensor(u)).item() == pytest.approx(250.1159731)
    big = np.array([2**62, 2**62], np.int64)  # squared in int64: wraps
    for ord in (None, 3):
        same(S.norm(Tensor(big), ord), np.linalg.norm(big, ord))
    m = np.array([[250, 3], [7, 1]], np.uint8)
    same(S.norm(Tensor(m)), np.linalg.norm(m))
    same(S.norm(Tensor(m), "fro", (0, 1)), np.linalg.norm(m, "fro", (0, 1)))
    same(S.norm(Tensor(m), 3, 1, keepdims=True), np.linalg.norm(m, 3, 1, keepdims=True))
    mask = np.array([True, False, True])
    same(S.norm(Tensor(mask)), np.linalg.norm(mask))
    same(np.linalg.norm(Tensor(u)), np.linalg.norm(u))


def test_statistics_of_integers_are_numpys_or_exact():
    u = np.array([250, 10], np.uint8)
    same(N.median(Tensor(u)), np.median(u))
    q = np.array([0.3], np.float32)
    i8 = np.array([1, 2, 4, 9], np.int8)
    same(N.quantile(Tensor(i8), 0.3), np.quantile(i8, 0.3))
    same(N.quantile(Tensor(i8), q), np.quantile(i8, q), rtol=1e-6)  # float32, as numpy's
    same(N.quantile(Tensor(i8.astype(np.int64)), q), np.quantile(i8.astype(np.int64), q))
    # numpy's trapezoid adds y[i+1] + y[i] in uint8: (250 + 10) mod 256 / 2 = 2.0
    same(N.trapezoid(Tensor(u)), np.float64(130.0))
    same(N.trapezoid(Tensor(u), x=np.array([0, 2], np.uint8)), np.float64(260.0))
    same(np.trapezoid(Tensor(u)), np.float64(130.0))


def test_sigmoid_and_softplus_of_integers_do_not_wrap():
    # −a in uint8 is 256 − a: sigmoid(1) came out 0. PyTorch's torch.sigmoid of uint8
    # [1, 3, 250]: [0.7311, 0.9526, 1.0000]; numpy's float for uint8 is float16 (np.exp's)
    u = np.array([1, 3, 250], np.uint8)
    out = ag.sigmoid(Tensor(u))
    assert out.dtype == np.exp(u[:1]).dtype == np.float16
    np.testing.assert_allclose(out.data, [0.7311, 0.9526, 1.0], atol=1e-3)
    soft = ag.softplus(Tensor(u))
    assert soft.dtype == np.logaddexp(u, u).dtype
    np.testing.assert_allclose(soft.data, np.logaddexp(0.0, u.astype(np.float64)), rtol=1e-3)
    i = np.array([-3, 0, 3, 40], np.int64)
    same(ag.sigmoid(Tensor(i)), 1 / (1 + np.exp(-i.astype(np.float64))))
    same(ag.softplus(Tensor(i)), np.logaddexp(0.0, i.astype(np.float64)))


# ---------------------------------------------------------------------- written values fit
@pytest.mark.parametrize("dtype", [np.int64, np.uint8, np.int32])
@pytest.mark.parametrize("value", [np.nan, np.inf])
def test_pad_of_integers_with_nan_refuses(dtype, value):
    # numpy raises for nan into int64 ("cannot convert float NaN to integer") and inf
    # (OverflowError), but writes nan into uint8 as 0 with a warning; PyTorch's F.pad refuses
    x = np.array([1, 2], dtype)
    if dtype is np.int64:
        with pytest.raises((ValueError, OverflowError), match="cannot convert float"):
            np.pad(x, 1, constant_values=value)
    with pytest.raises(ValueError, match=f"pad_array of {np.dtype(dtype).name}: "
                                         f"constant_values: {value} does not fit"):
        np.pad(Tensor(x), 1, constant_values=value)
    with pytest.raises(ValueError, match="does not fit"):
        P.pad_array(Tensor(x), 1, constant_values=((0, value),))


def test_pad_constants_that_fit_are_numpys():
    x = np.array([1, 2], np.uint8)
    for value in (0, 255, 7.9, (3, 4)):
        same(np.pad(Tensor(x), 1, constant_values=value), np.pad(x, 1, constant_values=value))
    with pytest.raises(ValueError, match="pad_array of uint8: constant_values: 300 does not fit"):
        np.pad(Tensor(x), 1, constant_values=300)
    same(np.pad(Tensor(np.ones(2, np.float32)), 1, constant_values=np.nan),
         np.pad(np.ones(2, np.float32), 1, constant_values=np.nan))


def test_checkpoint_count_too_large_for_int64_is_refused(tmp_path):
    # numpy's same_kind cast would load uint64 2⁶⁴ − 1 into the int64 count as −1
    model = nn.BatchNorm1d(2)
    state = model.state_dict()
    assert state["num_batches_tracked"].dtype == np.int64
    before = {name: value.copy() for name, value in state.items()}
    path = tmp_path / "big.npz"
    np.savez(path, **{**state, "num_batches_tracked": np.array(2**64 - 1, np.uint64),
                      "running_mean": np.array([1.0, 2.0])})
    with pytest.raises(ValueError, match=r"nothing was loaded: array 'num_batches_tracked': "
                                         r"18446744073709551615 does not fit int64"):
        nn.load(model, path)
    for name, value in model.state_dict().items():  # nothing written, the mean included
        np.testing.assert_array_equal(value, before[name])
    # a uint64 count that fits loads as its value; float64 into float32 rounds
    np.savez(path, **{**state, "num_batches_tracked": np.array(2**63 - 1, np.uint64),
                      "running_mean": np.array([0.1, 1e30])})
    nn.load(model, path)
    assert model.num_batches_tracked.item() == 2**63 - 1
    np.testing.assert_array_equal(model.running_mean.data, np.array([0.1, 1e30], np.float32))
    np.savez(path, **{**state, "running_mean": np.array([0.0, 1e300])})  # inf in float32
    with pytest.raises(ValueError, match="array 'running_mean': 1e\\+300 does not fit float32"):
        nn.load(model, path)


def test_load_state_dict_refuses_a_count_too_large_for_int64():
    model = nn.BatchNorm1d(2)
    state = model.state_dict()
    before = {name: value.copy() for name, value in state.items()}
    with pytest.raises(ValueError, match=r"state does not fit BatchNorm1d; nothing was loaded: "
                                         r"array 'num_batches_tracked': 18446744073709551615"):
        model.load_state_dict({**state, "num_batches_tracked": np.array(2**64 - 1, np.uint64),
                               "running_mean": np.array([1.0, 2.0])})
    for name, value in model.state_dict().items():
        np.testing.assert_array_equal(value, before[name])
