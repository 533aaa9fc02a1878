"""autograd.ops.compositions: every function's value equals numpy's (rtol 1e-12, float64) on
random arrays of random shapes (0-d and size-1 axes included where numpy takes them), its
gradient and second derivatives match finite differences, the nan* family gives NaN entries
gradient 0 and all-NaN slices numpy's values, the selecting functions route the gradient to
the entries they read, and bad arguments raise errors naming the function and the shapes.

numerics adds no Function class (every function is a composition of existing ops), so it has
no ARRAY_PATH_CASES for tests/autograd/test_array_path.py."""

import warnings

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from autograd import Tensor, grad
from autograd.ops import compositions as N
from autograd.ops import padding as P
from autograd.ops import linalg as L
from autograd.ops.shape import where
from autograd.testing import (
    axes_of, axis_of, broadcastable_shapes, check_gradients, floats, shapes, tensors,
)

SMALL = dict(max_dims=3, max_side=3)


def same_as_numpy(out, expected):
    """out is a Tensor (a tuple of them for a tuple) of numpy's shape, dtype and values."""
    if isinstance(expected, (tuple, list)):
        assert isinstance(out, tuple) and len(out) == len(expected)
        for o, e in zip(out, expected):
            same_as_numpy(o, e)
        return
    assert isinstance(out, Tensor)
    expected = np.asarray(expected)
    assert out.shape == expected.shape
    assert out.dtype == expected.dtype
    np.testing.assert_allclose(out.data, expected, rtol=1e-12, atol=0)


def quiet(fn, *args, **kwargs):
    """fn(...) with numpy's RuntimeWarnings (all-NaN slices) and DeprecationWarnings
    (2-vectors in cross) silenced: both sides give them, the values are what is compared."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        return fn(*args, **kwargs)


def t(x):
    return Tensor(np.asarray(x, dtype=np.float64), requires_grad=True)


def x_of(min_dims=0, distinct=False, **kwargs):
    return tensors(shapes(min_dims=min_dims, **{**SMALL, **kwargs}), distinct=distinct)


# ---------------------------------------------------------------------- differences
@given(data=st.data(), n=st.integers(0, 3))
def test_diff(data, n):
    x = data.draw(x_of(min_dims=1))
    axis = data.draw(axis_of(x.ndim, none=False))
    side = x.shape[:axis % x.ndim] + (data.draw(st.integers(1, 2)),) + x.shape[axis % x.ndim + 1:]
    prepend = data.draw(st.sampled_from([None, "scalar", "tensor"]))
    append = data.draw(st.sampled_from([None, "scalar", "array"]))
    extra = {}
    if prepend == "scalar":
        extra["prepend"] = 1.5
    if append == "scalar":
        extra["append"] = -0.5
    if append == "array":
        extra["append"] = np.linspace(-1, 1, int(np.prod(side))).reshape(side)
    p = data.draw(tensors(side)) if prepend == "tensor" else None
    numpy_extra = dict(extra, **({"prepend": p.data} if p is not None else {}))
    same_as_numpy(N.diff(x, n, axis, **extra, **({"prepend": p} if p is not None else {})),
                  np.diff(x.data, n, axis, **numpy_extra))
    if p is None:
        check_gradients(lambda a: N.diff(a, n, axis, **extra), x, second_order=True)
    else:
        check_gradients(lambda a, b: N.diff(a, n, axis, prepend=b, **extra), x, p,
                        second_order=True)


@given(x=x_of(), to_begin=st.sampled_from([None, 2.5, [1.0, -1.0]]), end=st.booleans())
def test_ediff1d(x, to_begin, end):
    e = Tensor(np.array([[0.5], [1.5]]), requires_grad=True) if end else None
    same_as_numpy(N.ediff1d(x, to_end=e, to_begin=to_begin),
                  np.ediff1d(x.data, to_end=None if e is None else e.data, to_begin=to_begin))
    if end:
        check_gradients(lambda a, b: N.ediff1d(a, b, to_begin), x, e, second_order=True)
    else:
        check_gradients(lambda a: N.ediff1d(a, None, to_begin), x, second_order=True)


@given(data=st.data(), edge_order=st.sampled_from([1, 2]))
def test_gradient(data, edge_order):
    x = data.draw(x_of(min_dims=1))
    eligible = [i for i, n in enumerate(x.shape) if n > edge_order]
    assume(eligible)
    if len(eligible) == x.ndim and data.draw(st.booleans()):
        axis, axes = None, list(range(x.ndim))
    else:
        axes = data.draw(st.lists(st.sampled_from(eligible), min_size=1, unique=True))
        axis = axes[0] if len(axes) == 1 and data.draw(st.booleans()) else tuple(axes)
    how = data.draw(st.sampled_from(["none", "one", "each"]))
    if how == "none":
        spacing = ()
    elif how == "one":
        spacing = (data.draw(floats(0.2, 2.0)),)
    else:  # per axis: a scalar, or coordinates (uneven, or even: numpy's scalar case)
        spacing = tuple(data.draw(st.sampled_from([
            0.5, np.cumsum(np.linspace(0.5, 1.5, x.shape[ax])), np.arange(x.shape[ax]) * 2,
        ])) for ax in axes)
    out = N.gradient(x, *spacing, axis=axis, edge_order=edge_order)
    expected = np.gradient(x.data, *spacing, axis=axis, edge_order=edge_order)
    same_as_numpy(out, expected)  # one Tensor for one axis, else a tuple (numpy 2)
    check_gradients(lambda a: N.gradient(a, *spacing, axis=axis, edge_order=edge_order), x,
                    second_order=True)


@given(data=st.data())
def test_cross(data):
    batch_a, batch_b = data.draw(broadcastable_shapes(2, max_dims=2, max_side=3))
    size_a, size_b = data.draw(st.sampled_from([(3, 3), (3, 3), (2, 3), (3, 2), (2, 2)]))
    a = data.draw(tensors(batch_a + (size_a,)))
    b = data.draw(tensors(batch_b + (size_b,)))
    # the vector axis moved to a random place in each, and the result's put anywhere
    axisa = data.draw(st.integers(-a.ndim, a.ndim - 1))
    axisb = data.draw(st.integers(-b.ndim, b.ndim - 1))
    a, b = t(np.moveaxis(a.data, -1, axisa)), t(np.moveaxis(b.data, -1, axisb))
    out_ndim = max(len(batch_a), len(batch_b)) + 1
    axisc = data.draw(st.integers(-out_ndim, out_ndim - 1))
    kwargs = dict(axisa=axisa, axisb=axisb, axisc=axisc)
    same_as_numpy(quiet(N.cross, a, b, **kwargs), quiet(np.cross, a.data, b.data, **kwargs))
    quiet(check_gradients, lambda p, q: N.cross(p, q, **kwargs), a, b, second_order=True)


def test_cross_of_2_vectors_warns_as_numpy_2():
    for fn in (np.cross, N.cross):
        with pytest.warns(DeprecationWarning, match="2-dimensional vectors are deprecated"):
            fn(np.array([1.0, 2.0]), np.array([3.0, 4.0, 5.0]))


@given(data=st.data())
def test_trapezoid(data):
    y = data.draw(x_of(min_dims=1))
    axis = data.draw(axis_of(y.ndim, none=False))
    how = data.draw(st.sampled_from(["dx", "x1", "xn"]))
    if how == "dx":
        dx = data.draw(floats(0.1, 2.0))
        same_as_numpy(N.trapezoid(y, dx=dx, axis=axis), np.trapezoid(y.data, dx=dx, axis=axis))
        check_gradients(lambda a: N.trapezoid(a, dx=dx, axis=axis), y, second_order=True)
        return
    shape = (y.shape[axis],) if how == "x1" else y.shape
    x = data.draw(tensors(shape))
    same_as_numpy(N.trapezoid(y, x, axis=axis), np.trapezoid(y.data, x.data, axis=axis))
    check_gradients(lambda a, b: N.trapezoid(a, b, axis=axis), y, x, second_order=True)


def test_trapz_is_gone_from_numpy_2():
    # numpy 2.4 removed np.trapz (numpy 2.0 deprecated it): this module has trapezoid alone
    assert not hasattr(np, "trapz") and not hasattr(N, "trapz")


# ---------------------------------------------------------------------- order statistics
@given(data=st.data(), keepdims=st.booleans())
def test_median(data, keepdims):
    x = data.draw(x_of(distinct=True))
    axis = data.draw(axes_of(x.ndim))
    same_as_numpy(N.median(x, axis, keepdims=keepdims),
                  np.median(x.data, axis, keepdims=keepdims))
    check_gradients(lambda a: N.median(a, axis, keepdims=keepdims), x, second_order=True)


@st.composite
def qs(draw, scale=1.0):
    """A quantile: a Python float, an exact end (0, 1), or a 1-D array of them."""
    one = st.one_of(floats(0.0, 1.0), st.sampled_from([0.0, 0.5, 1.0]))
    q = draw(st.one_of(one, st.lists(one, min_size=1, max_size=3).map(np.array)))
    return q * scale


@pytest.mark.parametrize("name, scale", [("quantile", 1.0), ("percentile", 100.0)])
@given(data=st.data(), keepdims=st.booleans())
def test_quantile_and_percentile(name, scale, data, keepdims):
    x = data.draw(x_of(distinct=True))
    axis = data.draw(axes_of(x.ndim))
    q = data.draw(qs(scale))
    ours, theirs = getattr(N, name), getattr(np, name)
    same_as_numpy(ours(x, q, axis, keepdims=keepdims), theirs(x.data, q, axis, keepdims=keepdims))
    check_gradients(lambda a: ours(a, q, axis, keepdims=keepdims), x, second_order=True)


def test_quantile_gradient_reaches_the_two_entries_it_interpolates():
    x = t([4.0, 1.0, 3.0, 2.0])
    out = N.quantile(x, [0.25, 1.0])  # sorted 1 2 3 4: 1.75 = 0.25·1 + 0.75·2, and 4
    np.testing.assert_allclose(out.data, [1.75, 4.0], rtol=1e-12)
    (out * Tensor(np.array([1.0, 10.0]))).sum().backward()
    np.testing.assert_allclose(x.grad.data, [10.0, 0.25, 0.0, 0.75], rtol=1e-12)
    y = t([[3.0, 1.0, 2.0, 5.0]])
    N.median(y, axis=1).sum().backward()  # the mean of the two middle entries, 2 and 3
    np.testing.assert_allclose(y.grad.data, [[0.5, 0.0, 0.5, 0.0]])


def test_median_and_quantile_of_a_slice_with_nan_are_nan():
    x = t([[1.0, np.nan, 3.0], [1.0, 2.0, 4.0]])
    for ours, theirs in ((N.median(x, 1), np.median(x.data, 1)),
                         (N.quantile(x, [0.2, 0.9], 1), np.quantile(x.data, [0.2, 0.9], 1))):
        same_as_numpy(ours, theirs)
        (g,) = grad(ours.sum(), [x])
        assert np.isfinite(g.data).all() and not g.data[0].any()  # the nan row: gradient 0


@pytest.mark.parametrize("shape, axis, keepdims", [((0,), None, False), ((0, 3), None, True),
                                                   ((2, 0), 1, False), ((2, 0), -1, True),
                                                   ((0, 3), 0, False)])
def test_median_of_an_empty_slice_is_nan_in_the_graph(shape, axis, keepdims):
    # PyTorch's median of an empty tensor is nan with a grad_fn and an empty gradient; numpy's
    # is nan with the "Mean of empty slice" warning (the regression: a constant, no graph)
    x = Tensor(np.zeros(shape, np.float32), requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = np.median(x.data, axis, keepdims=keepdims)
    with pytest.warns(RuntimeWarning, match="Mean of empty slice"):
        out = N.median(x, axis, keepdims=keepdims)
    same_as_numpy(out, expected)
    assert out.requires_grad and out.grad_fn is not None
    out.sum().backward()
    assert type(x.grad.data) is np.ndarray and x.grad.shape == shape
    assert x.grad.dtype == np.float32


@given(data=st.data())
def test_partition(data):
    x = data.draw(x_of(distinct=True))
    axis = data.draw(axis_of(x.ndim)) if x.ndim else None
    size = x.size if axis is None else x.shape[axis]
    kth = data.draw(st.one_of(st.integers(-size, size - 1),
                              st.lists(st.integers(-size, size - 1), min_size=1, max_size=3)))
    # numpy's own arrangement: argpartition gives the same permutation as partition
    np.testing.assert_array_equal(N.partition(x, kth, axis).data,
                                  np.partition(x.data, kth, axis))
    same_as_numpy(N.partition(x, kth, axis), np.partition(x.data, kth, axis))
    check_gradients(lambda a: N.partition(a, kth, axis), x, second_order=True)


# ---------------------------------------------------------------------- nan reductions
NAN_FUNCTIONS = ["nansum", "nanmean", "nanmax", "nanmin", "nanprod", "nanvar", "nanstd"]


def finite(out):
    """out with numpy's nan results (slices without numbers) set to the constant 0: finite
    differences need finite outputs, and a slice's nan-ness never changes when one entry
    moves by eps (a NaN entry stays NaN)."""
    return where(np.isnan(out.data), 0.0, out)


@pytest.mark.parametrize("name", NAN_FUNCTIONS)
@given(data=st.data(), keepdims=st.booleans())
def test_nan_reductions(name, data, keepdims):
    # distinct values: nanmax and nanmin select; NaN at random places, whole slices included
    x = data.draw(x_of(distinct=True)).data.copy()
    x[data.draw(st.lists(st.booleans(), min_size=x.size, max_size=x.size).map(
        lambda m: np.array(m, dtype=bool).reshape(x.shape)))] = np.nan
    x = Tensor(x, requires_grad=True)
    axis = data.draw(axes_of(x.ndim))
    kwargs = {"keepdims": keepdims}
    if name in ("nanvar", "nanstd"):
        kwargs["ddof"] = data.draw(st.integers(0, 2))
    ours = getattr(N, name)
    same_as_numpy(quiet(ours, x, axis, **kwargs), quiet(getattr(np, name), x.data, axis,
                                                            **kwargs))
    (g,) = quiet(grad, quiet(ours, x, axis, **kwargs).sum(), [x])
    assert np.isfinite(g.data).all()
    assert not g.data[np.isnan(x.data)].any()  # NaN entries get gradient 0
    quiet(check_gradients, lambda a: finite(ours(a, axis, **kwargs)), x, second_order=True)


@pytest.mark.parametrize("name", NAN_FUNCTIONS)
def test_all_nan_slices_give_numpy_values_and_its_warnings(name):
    x = t([[np.nan, np.nan], [1.0, np.nan]])
    with warnings.catch_warnings(record=True) as theirs:
        warnings.simplefilter("always")
        expected = getattr(np, name)(x.data, axis=1)
    with warnings.catch_warnings(record=True) as ours:
        warnings.simplefilter("always")
        out = getattr(N, name)(x, axis=1)
    same_as_numpy(out, expected)
    assert {str(w.message).rstrip(".") for w in ours} == \
        {str(w.message).rstrip(".") for w in theirs if w.category is RuntimeWarning}
    (g,) = grad(out.sum(), [x])
    np.testing.assert_array_equal(g.data[np.isnan(x.data)], 0.0)


# ---------------------------------------------------------------------- append, delete, insert
@given(data=st.data())
def test_append(data):
    x = data.draw(x_of())
    axis = data.draw(axis_of(x.ndim)) if x.ndim else None
    if axis is None:
        values = data.draw(tensors(shapes(max_dims=2, max_side=3)))
    else:
        side = list(x.shape)
        side[axis] = data.draw(st.integers(0, 2))
        values = data.draw(tensors(tuple(side)))
    same_as_numpy(N.append(x, values, axis), np.append(x.data, values.data, axis))
    check_gradients(lambda a, b: N.append(a, b, axis), x, values, second_order=True)


@st.composite
def obj_of(draw, size, insert=False):
    """An index argument of numpy's delete / insert along an axis of `size` entries."""
    top = size if insert else size - 1
    choices = [st.lists(st.integers(-size, top), max_size=3),
               st.builds(slice, st.integers(-size, size), st.integers(-size, size),
                         st.sampled_from([1, 2, -1]))]
    if size or insert:
        choices.append(st.integers(-size, top))
    if not insert:
        choices.append(st.lists(st.booleans(), min_size=size, max_size=size).map(np.array))
    return draw(st.one_of(*choices))


@given(data=st.data())
def test_delete(data):
    x = data.draw(x_of())
    axis = data.draw(axis_of(x.ndim))
    obj = data.draw(obj_of(x.size if axis is None else x.shape[axis]))
    same_as_numpy(N.delete(x, obj, axis), np.delete(x.data, obj, axis))
    check_gradients(lambda a: N.delete(a, obj, axis), x, second_order=True)


@given(data=st.data())
def test_insert(data):
    x = data.draw(x_of())
    axis = data.draw(axis_of(x.ndim))
    size = x.size if axis is None else x.shape[axis]
    obj = data.draw(obj_of(size, insert=True))
    # values numpy broadcasts: a scalar, one entry per inserted position, or a whole block
    count = len(range(*obj.indices(size))) if isinstance(obj, slice) else np.size(obj)
    shape = data.draw(st.sampled_from([(), (1,), (count,) if count else ()]))
    values = data.draw(tensors(shape))
    try:
        expected = np.insert(x.data, obj, values.data, axis)
    except ValueError as error:  # values that do not broadcast to the block: numpy's error
        with pytest.raises(ValueError, match="insert of shape"):
            N.insert(x, obj, values, axis)
        assume(False)
        raise AssertionError from error
    same_as_numpy(N.insert(x, obj, values, axis), expected)
    check_gradients(lambda a, v: N.insert(a, obj, v, axis), x, values, second_order=True)


# ---------------------------------------------------------------------- convolve, correlate
@pytest.mark.parametrize("name, default", [("convolve", "full"), ("correlate", "valid")])
@given(a=tensors(shapes(0, 1, 1, 5)), v=tensors(shapes(0, 1, 1, 5)),
       mode=st.sampled_from([None, "full", "same", "valid"]))
def test_convolve_and_correlate(name, default, a, v, mode):
    if name == "correlate":  # numpy's correlate takes 1-D arrays only (convolve 0-d too)
        a, v = (x if x.ndim else x.reshape(1).detach().requires_grad_(True) for x in (a, v))
    ours, theirs = getattr(N, name), getattr(np, name)
    args = () if mode is None else (mode,)
    same_as_numpy(ours(a, v, *args), theirs(a.data, v.data, *args))
    check_gradients(lambda p, q: ours(p, q, *args), a, v, second_order=True)


# ---------------------------------------------------------------------- cov, corrcoef
@st.composite
def variables(draw, distinct=False):
    """m (1-D or 2-D, observations along rowvar's axis), y or None, and rowvar."""
    rowvar = draw(st.booleans())
    variables, observations = draw(st.integers(1, 3)), draw(st.integers(2, 4))
    shape = (variables, observations) if rowvar else (observations, variables)
    m = draw(tensors(draw(st.sampled_from([shape, (observations,)])), distinct=distinct))
    y = None
    if draw(st.booleans()):
        y_shape = (draw(st.integers(1, 2)), observations)
        y = draw(tensors(y_shape if rowvar else y_shape[::-1], distinct=distinct))
    return m, y, rowvar


@given(data=st.data(), bias=st.booleans(), ddof=st.sampled_from([None, 0, 1]))
def test_cov(data, bias, ddof):
    m, y, rowvar = data.draw(variables())
    expected = np.cov(m.data, None if y is None else y.data, rowvar, bias, ddof)
    same_as_numpy(N.cov(m, y, rowvar, bias, ddof), expected)
    inputs = (m,) if y is None else (m, y)
    check_gradients(lambda *a: N.cov(a[0], a[1] if len(a) > 1 else None, rowvar, bias, ddof),
                    *inputs, second_order=True)


@given(data=st.data())
def test_corrcoef(data):
    m, y, rowvar = data.draw(variables(distinct=True))  # no constant variable (σ = 0)
    expected = np.corrcoef(m.data, None if y is None else y.data, rowvar)
    # two perfectly correlated variables sit on the clip to [−1, 1], a kink (numpy's too)
    off_diagonal = expected[~np.eye(expected.shape[0], dtype=bool)] if expected.ndim else []
    assume(np.all(np.abs(off_diagonal) < 1 - 1e-6))
    same_as_numpy(N.corrcoef(m, y, rowvar), expected)
    inputs = (m,) if y is None else (m, y)
    check_gradients(lambda *a: N.corrcoef(a[0], a[1] if len(a) > 1 else None, rowvar),
                    *inputs, second_order=True)


def test_cov_with_too_few_observations_follows_numpy():
    m = t([[1.0, 2.0]])
    with pytest.warns(RuntimeWarning, match="Degrees of freedom"):
        out = N.cov(m, ddof=2)
    same_as_numpy(out, quiet(np.cov, m.data, ddof=2))


# ---------------------------------------------------------------------- numpy's pad
@st.composite
def pad_widths(draw, ndim):
    """numpy's pad_width forms: an int, a pair, a 1-tuple of a pair, or one pair per axis."""
    width = st.integers(0, 4)
    pair = st.tuples(width, width)
    forms = [width, pair, pair.map(lambda p: (p,))]
    if ndim:  # () for a 0-d array is a float array to numpy, which it refuses
        forms.append(st.lists(pair, min_size=ndim, max_size=ndim).map(tuple))
    return draw(st.one_of(*forms))


PAD_MODES = [("constant", {}), ("constant", {"constant_values": 1.5}),
             ("constant", {"constant_values": (-1.0, 2.0)}), ("edge", {}), ("wrap", {}),
             ("reflect", {}), ("reflect", {"reflect_type": "odd"}), ("symmetric", {}),
             ("symmetric", {"reflect_type": "odd"})]


@pytest.mark.parametrize("mode, kwargs", PAD_MODES)
@given(data=st.data())
def test_pad_array(mode, kwargs, data):
    x = data.draw(x_of(max_dims=2))
    width = data.draw(pad_widths(x.ndim))
    same_as_numpy(P.pad_array(x, width, mode, **kwargs), np.pad(x.data, width, mode, **kwargs))
    check_gradients(lambda a: P.pad_array(a, width, mode, **kwargs), x, second_order=True)


def test_pad_array_constant_per_axis_and_corners_as_numpy():
    x = t(np.arange(6.0).reshape(2, 3))
    values = ((1.0, 2.0), (3.0, 4.0))  # numpy: the later axis's value fills the corners
    same_as_numpy(P.pad_array(x, 1, constant_values=values),
                  np.pad(x.data, 1, constant_values=values))
    same_as_numpy(P.pad_array(x, {1: (0, 2)}), np.pad(x.data, {1: (0, 2)}))


# ---------------------------------------------------------------------- numpy.linalg
@given(data=st.data(), n=st.integers(-3, 9))
def test_linalg_matrix_power(data, n):
    k = data.draw(st.integers(1, 3))
    batch = data.draw(shapes(max_dims=1, max_side=2))
    # well conditioned, so that a⁻¹ (n < 0) is accurate: a small perturbation of 2·I
    noise = data.draw(tensors(batch + (k, k), elements=floats(-1.0, 1.0))).data
    a = t(2.0 * np.eye(k) + 0.2 * noise)
    same_as_numpy(L.linalg_matrix_power(a, n), np.linalg.matrix_power(a.data, n))
    if n:  # a⁰ is the constant identity
        check_gradients(lambda m: L.linalg_matrix_power(m, n), a, second_order=True)


@given(data=st.data())
def test_linalg_pinv(data):
    rows, cols = data.draw(st.integers(1, 3)), data.draw(st.integers(1, 3))
    batch = data.draw(shapes(max_dims=1, max_side=2))
    noise = data.draw(tensors(batch + (rows, cols), elements=floats(-1.0, 1.0))).data
    # full rank with singular values near 2, 3, 4 (distinct: svd's gradient needs them so)
    base = np.zeros((rows, cols))
    base[np.arange(min(rows, cols)), np.arange(min(rows, cols))] = [2.0, 3.0, 4.0][:min(rows,
                                                                                       cols)]
    a = t(base + 0.05 * noise)
    same_as_numpy(L.linalg_pinv(a), np.linalg.pinv(a.data))
    check_gradients(L.linalg_pinv, a, second_order=True)


@given(data=st.data())
def test_linalg_multi_dot(data):
    dims = data.draw(st.lists(st.integers(1, 4), min_size=3, max_size=6))
    arrays = [data.draw(tensors((p, q))) for p, q in zip(dims[:-1], dims[1:])]
    if len(arrays) > 2 and data.draw(st.booleans()):
        arrays[0] = arrays[0][0].detach().requires_grad_(True)  # a row vector first
    if len(arrays) > 2 and data.draw(st.booleans()):
        arrays[-1] = arrays[-1][:, 0].detach().requires_grad_(True)  # a column vector last
    same_as_numpy(L.linalg_multi_dot(arrays), np.linalg.multi_dot([a.data for a in arrays]))
    check_gradients(lambda *a: L.linalg_multi_dot(list(a)), *arrays, second_order=True)


# ---------------------------------------------------------------------- inputs
def test_arrays_and_lists_are_accepted():
    same_as_numpy(N.diff(np.array([1.0, 4.0, 9.0])), np.array([3.0, 5.0]))
    same_as_numpy(N.append(np.array([1.0]), [2.5]), np.array([1.0, 2.5]))
    np.testing.assert_allclose(N.median([3.0, 1.0, 2.0]).data, 2.0)
    np.testing.assert_allclose(N.convolve([1.0, 2.0], [1.0, 1.0]).data, [1.0, 3.0, 2.0])
    out = N.gradient(np.array([1.0, 4.0, 9.0]))
    assert isinstance(out, Tensor)
    np.testing.assert_allclose(out.data, np.gradient(np.array([1.0, 4.0, 9.0])))
    assert N.gradient(np.float64(3.0)) == ()  # numpy 2: no axes, an empty tuple


# ---------------------------------------------------------------------- errors
X = np.zeros((3, 4))
Q_GRAD = Tensor(np.array(0.5), requires_grad=True)

ERRORS = [
    (lambda: N.diff(np.float64(1.0)), ValueError, r"diff requires input that is at least one"),
    (lambda: N.diff(X, -1), ValueError, r"diff: order must be non-negative but got -1"),
    (lambda: N.diff(X, prepend=np.zeros((2, 2))), ValueError,
     r"diff: shapes \[\(2, 2\), \(3, 4\)\] do not join along axis 1"),
    (lambda: N.diff(X, axis=2), ValueError, r"diff of shape \(3, 4\): axis 2 is out of bounds"),
    (lambda: N.ediff1d(np.arange(3), to_begin=[1.5]), TypeError,
     r"ediff1d: dtype of `to_begin` \(float64\) must be compatible"),
    (lambda: N.gradient(np.ones((1, 3)), axis=0), ValueError,
     r"gradient of shape \(1, 3\): shape of array too small"),
    (lambda: N.gradient(X, 1.0, 2.0, 3.0), TypeError,
     r"gradient of shape \(3, 4\): invalid number of arguments"),
    (lambda: N.gradient(X, [1.0, 2.0], 1.0), ValueError,
     r"gradient of shape \(3, 4\): when 1d, distances must match"),
    (lambda: N.gradient(X, edge_order=3), ValueError, r"gradient: edge_order must be 1 or 2"),
    (lambda: N.gradient(X, Q_GRAD), TypeError, r"gradient: a spacing is not differentiable"),
    (lambda: N.cross(np.ones(4), np.ones(3)), ValueError,
     r"cross: incompatible dimensions .* vectors of 4 and 3"),
    (lambda: N.cross(np.ones((2, 3)), np.ones((3, 3))), ValueError,
     r"cross: the shapes \(2,\) and \(3,\) around the vectors do not broadcast"),
    (lambda: N.trapezoid(np.float64(1.0)), ValueError, r"trapezoid: y must have at least one"),
    (lambda: N.trapezoid(X, [1.0, 2.0]), ValueError,
     r"trapezoid: 1-D x of shape \(2,\) needs the length of axis 1 of y \(shape \(3, 4\)\)"),
    (lambda: N.quantile(X, 0.5, method="nearest"), ValueError,
     r"quantile: method 'nearest' is not supported"),
    (lambda: N.percentile(X, 50, method="lower"), ValueError,
     r"percentile: method 'lower' is not supported"),
    (lambda: N.quantile(X, 1.5), ValueError, r"quantile: Quantiles must be in the range"),
    (lambda: N.percentile(X, [10, 150]), ValueError,
     r"percentile: Percentiles must be in the range \[0, 100\]"),
    (lambda: N.quantile(X, Q_GRAD), TypeError, r"quantile: q is not differentiable"),
    (lambda: N.quantile(np.zeros((0, 2)), 0.5, axis=0), ValueError,
     r"quantile of shape \(0, 2\): the axis reduced is empty"),
    (lambda: N.median(X, axis=(0, 0)), ValueError, r"median of shape \(3, 4\): repeated axis"),
    (lambda: N.nansum(X, axis=3), ValueError, r"nansum of shape \(3, 4\): axis 3 is out of"),
    (lambda: N.nanmax(np.zeros((2, 0)), axis=1), ValueError,
     r"nanmax of shape \(2, 0\): zero-size array"),
    (lambda: N.nanmean(X, keepdims="yes"), TypeError, r"nanmean: keepdims must be True or"),
    (lambda: N.nanvar(X, ddof="1"), TypeError, r"nanvar: ddof must be a number"),
    (lambda: N.partition(X, 4), ValueError, r"partition of shape \(3, 4\): kth\(=4\) out of"),
    (lambda: N.partition(X, 1.5), TypeError, r"partition: kth must be integers"),
    (lambda: N.append(X, np.ones((2, 3)), axis=0), ValueError,
     r"append: shapes \[\(3, 4\), \(2, 3\)\] do not join along axis 0"),
    (lambda: N.delete(X, 5, axis=0), IndexError,
     r"delete of shape \(3, 4\): index 5 is out of bounds for axis 0 with size 3"),
    (lambda: N.insert(X, 9, 1.0, axis=1), IndexError,
     r"insert of shape \(3, 4\): index 9 is out of bounds for axis 1 with size 4"),
    (lambda: N.insert(X, [[0]], 1.0, axis=1), ValueError, r"insert of shape \(3, 4\): index"),
    (lambda: N.convolve(np.ones(3), np.ones(0)), ValueError, r"convolve: v cannot be empty"),
    (lambda: N.correlate(np.ones((2, 2)), np.ones(3)), ValueError,
     r"correlate: a and v must be 1-D, got shapes \(2, 2\) and \(3,\)"),
    (lambda: N.correlate(np.ones(2), np.float64(1.0)), ValueError,
     r"correlate: a and v must be 1-D, got shapes \(2,\) and \(\)"),
    (lambda: N.convolve(np.ones(2), np.ones((1, 1))), ValueError,
     r"convolve: a and v must be 1-D \(or 0-d\)"),
    (lambda: N.convolve(np.ones(3), np.ones(2), "middle"), ValueError,
     r"convolve: mode must be 'full', 'same' or 'valid', got 'middle'"),
    (lambda: N.cov(X, fweights=[1, 2, 3, 4]), TypeError, r"cov: fweights and aweights are not"),
    (lambda: N.cov(X, aweights=[1, 2, 3, 4]), TypeError, r"cov: fweights and aweights are not"),
    (lambda: N.cov(np.ones((2, 2, 2))), ValueError,
     r"cov: m has more than 2 dimensions \(shape \(2, 2, 2\)\)"),
    (lambda: N.corrcoef(X, np.ones(3)), ValueError,
     r"cov: m and y have different numbers of observations: 4 and 3"),
    (lambda: P.pad_array(X, 1, "mean"), ValueError, r"pad_array: mode 'mean' is not supported"),
    (lambda: P.pad_array(X, 1, "linear_ramp"), ValueError,
     r"pad_array: mode 'linear_ramp' is not supported"),
    (lambda: P.pad_array(X, -1), ValueError, r"pad_array: pad_width must be non-negative"),
    (lambda: P.pad_array(X, 1.5), TypeError, r"pad_array: pad_width must be integers"),
    (lambda: P.pad_array(X, 1, "edge", constant_values=3), ValueError,
     r"pad_array: unsupported keyword arguments for mode 'edge'"),
    (lambda: P.pad_array(np.zeros((0, 2)), 1, "edge"), ValueError,
     r"pad_array of shape \(0, 2\): can't extend empty axis 0"),
    (lambda: P.pad_array(X, [[1, 2], [3, 4], [5, 6]]), ValueError,
     r"pad_array: pad_width .* does not fit a tensor of shape \(3, 4\)"),
    (lambda: P.pad_array(X, 1, "reflect", reflect_type="weird"), ValueError,
     r"pad_array: reflect_type must be 'even' or 'odd'"),
    (lambda: P.pad_array(X, 1, constant_values=Q_GRAD), TypeError,
     r"pad_array: constant_values is not differentiable"),
    (lambda: L.linalg_matrix_power(X, 2), np.linalg.LinAlgError,
     r"matrix_power: last 2 dimensions of the array must be square, got shape \(3, 4\)"),
    (lambda: L.linalg_matrix_power(np.eye(2), 1.5), TypeError,
     r"matrix_power: exponent must be an integer"),
    (lambda: L.linalg_pinv(np.ones(3)), ValueError,
     r"pinv: 1-dimensional array given \(shape \(3,\)\)"),
    (lambda: L.linalg_pinv(np.eye(2), rcond=1e-3, rtol=1e-3), ValueError,
     r"pinv: `rtol` and `rcond` can't be both set"),
    (lambda: L.linalg_pinv(np.eye(2), hermitian=True), ValueError,
     r"pinv: hermitian=True .* is not supported"),
    (lambda: L.linalg_multi_dot([X]), ValueError, r"multi_dot: expecting at least two arrays"),
    (lambda: L.linalg_multi_dot([X, X, X]), ValueError,
     r"multi_dot: shapes \[\(3, 4\), \(3, 4\), \(3, 4\)\] are not aligned"),
    (lambda: L.linalg_multi_dot([X, np.ones((4, 2, 2)), X]), ValueError,
     r"multi_dot: 3-dimensional array given \(shape \(4, 2, 2\)\)"),
]


@pytest.mark.parametrize("call, error, match", ERRORS)
def test_errors_name_the_function_and_the_shapes(call, error, match):
    with pytest.raises(error, match=match):
        call()
