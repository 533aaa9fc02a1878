"""numpy calls on Tensors (ARCHITECTURE.md "numpy interop"): every ufunc and numpy function that has
a chainrule op returns a Tensor with numpy's value and a gradient that agrees with finite
differences; those that carry no gradient give numpy's answer; every other one raises
TypeError naming itself, and so does a conversion that would drop a graph."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import autograd as ag  # noqa: E402
from autograd import Tensor, gradcheck, gradgradcheck, interop, no_grad  # noqa: E402

rng = np.random.default_rng(3)


def u(*shape, low=-2.0, high=2.0):
    return rng.uniform(low, high, shape)


def pos(*shape):
    return u(*shape, low=0.5, high=2.0)


def distinct(*shape):
    n = int(np.prod(shape))
    return (rng.permutation(n) * 0.37 + rng.uniform(0, 0.1, n) - n / 5).reshape(shape)


def well_conditioned(n=3):
    return u(n, n) + 3 * np.eye(n)


def spd(n=3):
    b = u(n, n)
    return b @ b.T + n * np.eye(n)


def separated(n=3):
    q, _ = np.linalg.qr(u(n, n))
    return q @ np.diag(np.arange(1.0, n + 1) * 1.5) @ q.T


MASK = np.array([[True, False, True], [False, True, True]])

# ufunc -> (the call, its float64 inputs)
UFUNC_CASES = {
    np.add: (np.add, [u(2, 3), u(3)]), np.subtract: (np.subtract, [u(3), u(2, 3)]),
    np.multiply: (np.multiply, [u(2, 3), u(2, 1)]), np.divide: (np.divide, [u(3), pos(3)]),
    np.power: (np.power, [pos(3), u(3)]), np.negative: (np.negative, [u(3)]),
    np.positive: (np.positive, [u(3)]), np.absolute: (np.absolute, [distinct(4)]),
    np.fabs: (np.fabs, [distinct(4)]), np.matmul: (np.matmul, [u(2, 3), u(3, 4)]),
    np.maximum: (np.maximum, [distinct(4), distinct(4)]),
    np.minimum: (np.minimum, [distinct(4), distinct(4)]),
    np.exp: (np.exp, [u(3)]), np.exp2: (np.exp2, [u(3)]), np.expm1: (np.expm1, [u(3)]),
    np.log: (np.log, [pos(3)]), np.log2: (np.log2, [pos(3)]),
    np.log10: (np.log10, [pos(3)]), np.log1p: (np.log1p, [pos(3)]),
    np.sqrt: (np.sqrt, [pos(3)]), np.square: (np.square, [u(3)]),
    np.reciprocal: (np.reciprocal, [pos(3)]), np.sign: (np.sign, [distinct(4)]),
    np.sin: (np.sin, [u(3)]), np.cos: (np.cos, [u(3)]), np.tan: (np.tan, [u(3, low=-1, high=1)]),
    np.arcsin: (np.arcsin, [u(3, low=-0.9, high=0.9)]),
    np.arccos: (np.arccos, [u(3, low=-0.9, high=0.9)]), np.arctan: (np.arctan, [u(3)]),
    np.sinh: (np.sinh, [u(3)]), np.cosh: (np.cosh, [u(3)]), np.tanh: (np.tanh, [u(3)]),
    np.arcsinh: (np.arcsinh, [u(3)]), np.arccosh: (np.arccosh, [pos(3) + 1.0]),
    np.arctanh: (np.arctanh, [u(3, low=-0.9, high=0.9)]),
    np.arctan2: (np.arctan2, [u(3), pos(3)]), np.hypot: (np.hypot, [pos(3), u(3)]),
    np.logaddexp: (np.logaddexp, [u(3), u(3)]), np.logaddexp2: (np.logaddexp2, [u(3), u(3)]),
    np.floor: (np.floor, [np.array([0.3, 1.6, -2.2])]),
    np.ceil: (np.ceil, [np.array([0.3, 1.6, -2.2])]),
    np.trunc: (np.trunc, [np.array([0.3, 1.6, -2.2])]),
    np.rint: (np.rint, [np.array([0.3, 1.6, -2.2])]),
    np.remainder: (np.remainder, [np.array([2.3, -1.4]), np.array([1.5, 0.9])]),
    np.fmod: (np.fmod, [np.array([2.3, -1.4]), np.array([1.5, 0.9])]),
    np.fmax: (np.fmax, [np.array([1.0, np.nan, -2.0]), np.array([0.5, 3.0, np.nan])]),
    np.fmin: (np.fmin, [distinct(4), distinct(4)]),
    np.deg2rad: (np.deg2rad, [u(3) * 90]), np.radians: (np.radians, [u(3) * 90]),
    np.rad2deg: (np.rad2deg, [u(3)]), np.degrees: (np.degrees, [u(3)]),
    np.cbrt: (np.cbrt, [pos(3)]),
    np.floor_divide: (np.floor_divide, [np.array([2.3, -1.4]), np.array([1.5, 0.9])]),
    np.heaviside: (np.heaviside, [np.array([-1.0, 0.5, 2.0]), np.array([0.5, 0.5, 0.5])]),
    np.copysign: (np.copysign, [distinct(4), distinct(4)]),
    np.float_power: (np.float_power, [pos(3), u(3)]),
    np.conjugate: (np.conj, [u(3)]),
}

# numpy function -> (a call, its float64 inputs)
FUNCTION_CASES = {
    np.sum: (lambda x: np.sum(x, axis=0), [u(3, 4)]),
    np.mean: (lambda x: np.mean(x, axis=(0, 1), keepdims=True), [u(3, 4)]),
    np.max: (lambda x: np.max(x, axis=1), [distinct(3, 4)]),
    np.amax: (lambda x: np.amax(x), [distinct(3, 4)]),
    np.min: (lambda x: np.min(x, 0, keepdims=True), [distinct(3, 4)]),
    np.amin: (lambda x: np.amin(x, axis=-1), [distinct(3, 4)]),
    np.prod: (lambda x: np.prod(x, axis=1), [u(3, 4)]),
    np.var: (lambda x: np.var(x, axis=0, ddof=1), [u(3, 4)]),
    np.std: (lambda x: np.std(x, 1, None, None, 1), [u(3, 4)]),  # numpy's positions
    np.cumsum: (lambda x: np.cumsum(x, axis=1), [u(3, 4)]),
    np.cumprod: (lambda x: np.cumprod(x), [u(3, 4)]),
    np.ptp: (lambda x: np.ptp(x, axis=0), [distinct(3, 4)]),
    np.average: (lambda x, w: np.average(x, axis=1, weights=w), [u(3, 4), pos(4)]),
    np.round: (lambda x: np.round(x, 1), [np.array([0.33, 1.61, -2.27])]),
    np.around: (lambda x: np.around(x), [np.array([0.33, 1.61, -2.27])]),
    np.clip: (lambda x: np.clip(x, -0.5, 0.5), [np.array([-1.3, -0.2, 0.4, 0.9])]),
    np.sinc: (np.sinc, [u(4)]), np.fix: (np.fix, [np.array([0.3, 1.6, -2.2])]),
    np.nan_to_num: (lambda x: np.nan_to_num(x, nan=2.0), [np.array([np.nan, 1.0, -3.0])]),
    np.linalg.norm: (lambda x: np.linalg.norm(x, axis=1), [u(3, 4)]),
    np.linalg.inv: (np.linalg.inv, [well_conditioned()]),
    np.linalg.det: (np.linalg.det, [well_conditioned()]),
    np.linalg.slogdet: (lambda a: np.linalg.slogdet(a)[1], [well_conditioned()]),
    np.linalg.solve: (np.linalg.solve, [well_conditioned(), u(3, 2)]),
    np.linalg.cholesky: (lambda a: np.linalg.cholesky(a + a.T), [spd()]),
    np.linalg.eigh: (lambda a: np.linalg.eigh(a + a.T)[0], [separated()]),
    np.linalg.svd: (lambda a: np.linalg.svd(a, compute_uv=False), [u(3, 2)]),
    np.linalg.matrix_power: (lambda a: np.linalg.matrix_power(a, 3), [u(3, 3)]),
    np.linalg.pinv: (np.linalg.pinv, [separated()[:, :2]]),
    np.linalg.multi_dot: (lambda a, b, c: np.linalg.multi_dot([a, b, c]),
                          [u(2, 3), u(3, 4), u(4, 2)]),
    np.diff: (lambda x: np.diff(x, 2, axis=0), [u(4, 3)]),
    np.ediff1d: (lambda x: np.ediff1d(x, to_begin=[0.5]), [u(2, 3)]),
    np.gradient: (lambda x: np.gradient(x, 0.5, axis=1), [u(3, 4)]),
    np.cross: (np.cross, [u(2, 3), u(2, 3)]),
    np.trapezoid: (lambda y: np.trapezoid(y, dx=0.5), [u(2, 4)]),
    np.median: (lambda x: np.median(x, axis=1, overwrite_input=True), [distinct(3, 4)]),
    np.quantile: (lambda x: np.quantile(x, [0.2, 0.7], axis=0), [distinct(5, 2)]),
    np.percentile: (lambda x: np.percentile(x, 30.0), [distinct(5, 2)]),
    np.nansum: (lambda x: np.nansum(x, axis=0), [np.array([[1.0, np.nan], [2.0, 3.0]])]),
    np.nanmean: (np.nanmean, [np.array([[1.0, np.nan], [2.0, 3.0]])]),
    np.nanmax: (lambda x: np.nanmax(x, axis=1), [np.array([[1.0, np.nan], [2.0, 3.0]])]),
    np.nanmin: (lambda x: np.nanmin(x, axis=0), [np.array([[1.0, np.nan], [2.0, 3.0]])]),
    np.nanprod: (np.nanprod, [np.array([[1.5, np.nan], [2.0, 3.0]])]),
    np.nanvar: (lambda x: np.nanvar(x, axis=0, ddof=1),
                [np.array([[1.0, np.nan], [2.0, 3.0], [0.5, 1.0]])]),
    np.nanstd: (lambda x: np.nanstd(x, correction=1), [np.array([[1.0, np.nan], [2.0, 3.0]])]),
    np.partition: (lambda x: np.partition(x, 2), [distinct(5)]),
    np.append: (lambda x, y: np.append(x, y, axis=0), [u(2, 3), u(1, 3)]),
    np.delete: (lambda x: np.delete(x, [0, 2], axis=1), [u(2, 4)]),
    np.insert: (lambda x, v: np.insert(x, 1, v, axis=0), [u(2, 3), u(3)]),
    np.convolve: (lambda a, v: np.convolve(a, v, mode="same"), [u(5), u(3)]),
    np.correlate: (np.correlate, [u(5), u(3)]),
    np.cov: (np.cov, [u(3, 5)]),
    np.corrcoef: (np.corrcoef, [u(3, 5)]),
    np.pad: (lambda x: np.pad(x, ((1, 0), (2, 1)), constant_values=0.5), [u(2, 3)]),
    np.reshape: (lambda x: np.reshape(x, (2, 6)), [u(3, 4)]),
    np.transpose: (lambda x: np.transpose(x, (1, 2, 0)), [u(2, 3, 4)]),
    np.swapaxes: (lambda x: np.swapaxes(x, 0, 2), [u(2, 3, 4)]),
    np.expand_dims: (lambda x: np.expand_dims(x, 1), [u(2, 3)]),
    np.squeeze: (lambda x: np.squeeze(x, axis=1), [u(2, 1, 3)]),
    np.broadcast_to: (lambda x: np.broadcast_to(x, (4, 3)), [u(3)]),
    np.concatenate: (lambda x, y: np.concatenate([x, y], axis=1), [u(2, 3), u(2, 1)]),
    np.stack: (lambda x, y: np.stack((x, y), axis=-1), [u(2, 3), u(2, 3)]),
    np.where: (lambda x, y: np.where(MASK, x, y), [u(2, 3), u(3)]),
    np.copy: (np.copy, [u(3)]),
    np.real: (np.real, [u(3)]), np.real_if_close: (np.real_if_close, [u(2, 2)]),
    np.imag: (np.imag, [u(3)]),
    np.dot: (np.dot, [u(2, 3), u(3)]), np.inner: (np.inner, [u(2, 3), u(4, 3)]),
    np.vdot: (np.vdot, [u(2, 3), u(3, 2)]),
    np.outer: (np.outer, [u(3), u(2)]),
    np.tensordot: (lambda a, b: np.tensordot(a, b, axes=([1], [0])), [u(2, 3), u(3, 4)]),
    np.einsum: (lambda a, b: np.einsum("ij,jk->ik", a, b, optimize=True), [u(2, 3), u(3, 2)]),
    np.kron: (np.kron, [u(2, 2), u(2, 3)]), np.trace: (np.trace, [u(3, 3)]),
    np.diag: (lambda v: np.diag(v, 1), [u(3)]),
    np.diagonal: (lambda a: np.diagonal(a, 0, 1, 2), [u(2, 3, 3)]),
    np.tril: (lambda a: np.tril(a, -1), [u(3, 3)]), np.triu: (np.triu, [u(3, 3)]),
    np.flip: (lambda x: np.flip(x, axis=0), [u(3, 2)]), np.fliplr: (np.fliplr, [u(3, 2)]),
    np.flipud: (np.flipud, [u(3, 2)]), np.rot90: (np.rot90, [u(3, 2)]),
    np.roll: (lambda x: np.roll(x, 2, axis=1), [u(2, 4)]),
    np.repeat: (lambda x: np.repeat(x, [1, 0, 2], axis=0), [u(3, 2)]),
    np.tile: (lambda x: np.tile(x, (2, 1)), [u(2, 3)]),
    np.split: (lambda x: tuple(np.split(x, 2, axis=1)), [u(3, 4)]),
    np.array_split: (lambda x: tuple(np.array_split(x, 3)), [u(4, 2)]),
    np.hsplit: (lambda x: tuple(np.hsplit(x, [1])), [u(2, 3)]),
    np.vsplit: (lambda x: tuple(np.vsplit(x, 2)), [u(4, 3)]),
    np.dsplit: (lambda x: tuple(np.dsplit(x, 2)), [u(2, 2, 4)]),
    np.hstack: (lambda x, y: np.hstack([x, y]), [u(3), u(2)]),
    np.vstack: (lambda x, y: np.vstack([x, y]), [u(3), u(2, 3)]),
    np.dstack: (lambda x, y: np.dstack([x, y]), [u(2, 3), u(2, 3)]),
    np.column_stack: (lambda x, y: np.column_stack([x, y]), [u(3), u(3, 2)]),
    np.moveaxis: (lambda x: np.moveaxis(x, 0, -1), [u(2, 3, 4)]),
    np.rollaxis: (lambda x: np.rollaxis(x, 2), [u(2, 3, 4)]),
    np.atleast_1d: (np.atleast_1d, [u()]), np.atleast_2d: (np.atleast_2d, [u(3)]),
    np.atleast_3d: (lambda x, y: np.atleast_3d(x, y), [u(3), u(2, 3)]),
    np.ravel: (np.ravel, [u(2, 3)]),
    np.take: (lambda x: np.take(x, [0, 2, 2], axis=1), [u(2, 3)]),
    np.take_along_axis: (lambda x: np.take_along_axis(x, np.array([[0, 2], [1, 1]]), 1),
                         [u(2, 3)]),
    np.sort: (lambda x: np.sort(x, axis=0), [distinct(3, 2)]),
    np.select: (lambda x, y: np.select([MASK, ~MASK], [x, y], default=0.5), [u(2, 3), u(3)]),
    np.zeros_like: (np.zeros_like, [u(2, 3)]), np.ones_like: (np.ones_like, [u(2, 3)]),
    np.full_like: (lambda x: np.full_like(x, 7.0), [u(2, 3)]),
}

# results without a gradient: numpy's own answer on the values
ON_VALUES_CASES = {
    np.shape: lambda x: np.shape(x), np.ndim: lambda x: np.ndim(x), np.size: np.size,
    np.argsort: lambda x: np.argsort(x, axis=0), np.nonzero: lambda x: np.nonzero(x > 0),
    np.flatnonzero: lambda x: np.flatnonzero(x > 0), np.argwhere: lambda x: np.argwhere(x > 0),
    np.count_nonzero: lambda x: np.count_nonzero(x > 0),
    np.searchsorted: lambda x: np.searchsorted(np.sort(x[0]), 0.1),
    np.isclose: lambda x: np.isclose(x, x + 1e-12), np.allclose: lambda x: np.allclose(x, x),
    np.array_equal: lambda x: np.array_equal(x, x), np.array_equiv: lambda x: np.array_equiv(x, x),
    np.result_type: lambda x: np.result_type(x, np.float32),
    np.can_cast: lambda x: np.can_cast(x, np.float32),
    np.may_share_memory: lambda x: np.may_share_memory(x, x),
    np.shares_memory: lambda x: np.shares_memory(x, x),
    np.iscomplexobj: lambda x: np.iscomplexobj(x), np.isrealobj: lambda x: np.isrealobj(x),
    np.argmax: lambda x: np.argmax(x, axis=1), np.argmin: lambda x: np.argmin(x),
    np.any: lambda x: np.any(x > 1, axis=0), np.all: lambda x: np.all(x > -5),
    np.empty_like: lambda x: np.empty_like(x).shape,
}


def as_tuple(out):
    return tuple(out) if isinstance(out, (tuple, list)) else (out,)


def test_every_dispatched_ufunc_and_function_is_tested():
    assert set(interop.UFUNCS) == set(UFUNC_CASES)
    assert set(interop.FUNCTIONS) - {np.put_along_axis} == set(FUNCTION_CASES) | set(
        ON_VALUES_CASES)


@pytest.mark.parametrize("ufunc", list(UFUNC_CASES), ids=lambda f: f.__name__)
def test_ufunc_on_tensors_records_numpys_value_and_the_right_gradient(ufunc):
    call, arrays = UFUNC_CASES[ufunc]
    tensors = [Tensor(a, requires_grad=True) for a in arrays]
    out = call(*tensors)
    assert isinstance(out, Tensor) and out.requires_grad
    np.testing.assert_allclose(out.data, call(*arrays), rtol=1e-12, atol=1e-12)
    assert gradcheck(call, tensors)


@pytest.mark.parametrize("func", list(FUNCTION_CASES), ids=lambda f: f.__name__)
def test_numpy_function_on_tensors_dispatches_to_the_op(func):
    call, arrays = FUNCTION_CASES[func]
    tensors = [Tensor(a, requires_grad=True) for a in arrays]
    outs, expected = as_tuple(call(*tensors)), as_tuple(call(*arrays))
    assert len(outs) == len(expected)
    for out, want in zip(outs, expected):
        assert isinstance(out, Tensor), type(out)
        assert out.shape == np.shape(want)
        np.testing.assert_allclose(out.data, want, rtol=1e-10, atol=1e-12)
    if any(out.requires_grad for out in outs):
        assert gradcheck(call, tensors)


@pytest.mark.parametrize("func", [np.sum, np.linalg.det, np.sort, np.einsum, np.kron],
                         ids=lambda f: f.__name__)
def test_numpy_functions_on_tensors_differentiate_twice(func):
    call, arrays = FUNCTION_CASES[func]
    assert gradgradcheck(call, [Tensor(a, requires_grad=True) for a in arrays])


@pytest.mark.parametrize("func", list(ON_VALUES_CASES), ids=lambda f: f.__name__)
def test_numpy_functions_without_a_gradient_give_numpys_answer(func):
    call = ON_VALUES_CASES[func]
    x = distinct(3, 4)
    got, want = call(Tensor(x, requires_grad=True)), call(x)
    got = got.data if isinstance(got, Tensor) else got
    if isinstance(want, tuple) and want and isinstance(want[0], np.ndarray):
        for g, w in zip(got, want):
            np.testing.assert_array_equal(g, w)
    else:
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("ufunc", [np.equal, np.less, np.greater_equal, np.logical_and])
def test_comparison_ufuncs_give_bool_tensors(ufunc):
    a, b = distinct(4), distinct(4)
    out = ufunc(Tensor(a, requires_grad=True) > 0 if ufunc is np.logical_and else
                Tensor(a, requires_grad=True), b > 0 if ufunc is np.logical_and else b)
    assert isinstance(out, Tensor) and out.dtype == bool and not out.requires_grad
    np.testing.assert_array_equal(out.data, ufunc(a > 0, b > 0) if ufunc is np.logical_and
                                  else ufunc(a, b))
    np.testing.assert_array_equal(np.isnan(Tensor(np.array([np.nan, 1.0]))).data,
                                  [True, False])


def test_an_ndarray_or_numpy_scalar_on_the_left_gives_a_tensor_in_the_graph():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    y = np.array([3.0, 4.0]) * x + np.float64(2.0) * x - np.array(1.0) / (x + 1)
    assert isinstance(y, Tensor)
    y.sum().backward()
    np.testing.assert_allclose(x.grad.data, 3.0 + np.array([0, 1.0]) + 2.0 + 1 / (x.data + 1) ** 2)


def test_ufunc_reduce_accumulate_and_outer():
    x = Tensor(u(3, 4), requires_grad=True)
    for got, want in [(np.add.reduce(x), x.data.sum(0)),
                      (np.multiply.reduce(x, axis=1, keepdims=True), x.data.prod(1, keepdims=1)),
                      (np.maximum.reduce(x, axis=None), x.data.max()),
                      (np.minimum.reduce(x), x.data.min(0)),
                      (np.add.accumulate(x, axis=1), np.cumsum(x.data, 1)),
                      (np.multiply.accumulate(x), np.cumprod(x.data, 0)),
                      (np.multiply.outer(x[0], x[1]), np.outer(x.data[0], x.data[1]))]:
        assert isinstance(got, Tensor) and got.requires_grad
        np.testing.assert_allclose(got.data, want, rtol=1e-12)
    assert gradcheck(lambda a: np.subtract.outer(a, a), [Tensor(u(3), requires_grad=True)])
    with pytest.raises(TypeError, match=r"numpy.add.at has no chainrule op"):
        np.add.at(x, [0], 1.0)


@pytest.mark.parametrize("call, name", [
    (lambda x: np.nanmedian(x), "numpy.nanmedian"),
    (lambda x: np.histogram(x), "numpy.histogram"),
    (lambda x: np.unique(x), "numpy.unique"),
    (lambda x: np.ldexp(x, 2), "numpy.ldexp"),
    (lambda x: np.spacing(x), "numpy.spacing"),
    (lambda x: np.interp(x, x, x), "numpy.interp"),
    (lambda x: np.linalg.qr(x.reshape(2, 2)), "numpy.linalg.qr"),
    (lambda x: np.fft.fft(x), "numpy.fft.fft"),
    (lambda x: np.unwrap(x), "numpy.unwrap"),
])
def test_a_numpy_function_without_an_op_raises_naming_it(call, name):
    x = Tensor(u(4), requires_grad=True)
    with pytest.raises(TypeError, match=rf"{name} has no chainrule op.*detach\(\)\.numpy\(\)"):
        call(x)


def test_keywords_the_op_lacks_raise_instead_of_being_ignored():
    x = Tensor(u(3, 4), requires_grad=True)
    with pytest.raises(TypeError, match=r"numpy\.sum\(\.\.\., dtype=\.\.\.\).*has no dtype"):
        np.sum(x, dtype=np.float32)
    with pytest.raises(TypeError, match=r"numpy\.average\(\.\.\., returned=\.\.\.\)"):
        np.average(x, returned=True)
    with pytest.raises(TypeError, match=r"numpy\.exp\(\.\.\., where=.*takes no where="):
        np.exp(x, where=np.ones((3, 4), bool) & False)
    with pytest.raises(TypeError, match=r"numpy\.exp\(\.\.\., dtype="):
        np.exp(x, dtype=np.float32)
    # defaults spelled out change nothing
    np.testing.assert_allclose(np.sum(x, axis=0, dtype=None, out=None).data, x.data.sum(0))
    np.testing.assert_allclose(np.exp(x, where=True).data, np.exp(x.data))


def test_out_raises_and_an_ndarray_is_never_updated_with_a_tensor():
    x = Tensor(u(3), requires_grad=True)
    a = np.zeros(3)
    with pytest.raises(TypeError, match=r"numpy\.add\(\.\.\., out=\.\.\.\).*arr \+= t"):
        a += x
    with pytest.raises(TypeError, match=r"out="):
        np.exp(x, out=np.empty(3))
    with pytest.raises(TypeError, match=r"out="):
        np.multiply.reduce(x, out=np.empty(()))
    np.testing.assert_array_equal(a, 0.0)


def test_put_along_axis_says_to_use_the_out_of_place_op():
    x = Tensor(u(2, 3), requires_grad=True)
    before = x.data.copy()
    with pytest.raises(TypeError, match=r"in place.*autograd\.put_along_axis"):
        np.put_along_axis(x, np.array([[0], [1]]), 5.0, 1)
    np.testing.assert_array_equal(x.data, before)


def test_converting_a_tensor_in_the_graph_to_an_array_raises():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    y = x * 2
    for convert in (lambda: np.array([x, y]), lambda: np.mean([x, y]),
                    lambda: Tensor([x, y]), lambda: np.asarray(y), lambda: float(np.sum([x]))):
        with pytest.raises(TypeError, match=r"requires grad.*drop its graph.*autograd\.stack"
                                            r".*t\.detach\(\)\.numpy\(\)"):
            convert()
    # the ops stay in the graph
    np.testing.assert_allclose(ag.stack([x, y]).data, [[1, 2], [2, 4]])


def test_asarray_and_matplotlib_work_for_tensors_without_a_graph():
    x = Tensor(np.array([1.0, 2.0, 3.0]), requires_grad=True)
    y = x ** 2
    assert np.asarray(x.detach()) is x.data
    assert np.asarray(Tensor([1.0, 2.0])).tolist() == [1.0, 2.0]
    with no_grad():  # converting inside no_grad says: values, no graph
        assert np.asarray(y) is y.data
        np.testing.assert_allclose(np.array([x, y]), [[1, 2, 3], [1, 4, 9]])
    fig, ax = plt.subplots()
    ax.plot(x.detach(), y.detach())
    ax.scatter(Tensor([1.0, 2.0]), Tensor([3.0, 4.0]))
    ax.imshow(Tensor(u(4, 4)))
    ax.hist(Tensor(u(50)), bins=5)
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [1, 4, 9])
    plt.close(fig)
