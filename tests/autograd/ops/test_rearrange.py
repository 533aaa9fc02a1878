"""autograd.ops.shape: every function's value equals numpy's on random float64 arrays of
random shapes (0-d and size-1 axes included), its gradient and second derivatives match
finite differences, the split family returns lists, put_along_axis's repeated positions give
their gradient to the value written last, argsort gives integers, bad arguments raise errors
naming the function and the shapes, and the array path of backward agrees with the Tensor
path on the nodes these functions build."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Tensor
from autograd.ops import shape as R
from autograd.testing import (
    arrays, axes_of, axis_of, broadcastable_shapes, check_gradients, floats, shapes, tensors,
)

_rng = np.random.default_rng(11)


def _t(*shape):
    return Tensor(_rng.uniform(-2.0, 2.0, shape), requires_grad=True)


# rearrange adds no Function class: each function is a composition of shape.py's (and Clone).
# These cases are the nodes its functions build whose index forms the suite's CASES do not
# have (full fancy indices with repeats, SetItem with repeated fancy writes and broadcast
# values, gathers along one axis); tests/autograd/test_array_path.py runs its checks on them.
ARRAY_PATH_CASES = {
    "rearrange_take_along_axis": lambda: R.take_along_axis(
        _t(3, 4), np.array([[0, 0, 3], [1, 2, 1], [3, 3, 3]]), axis=1),  # GetItem
    "rearrange_put_along_axis": lambda: R.put_along_axis(
        _t(3, 4), np.array([[0, 0], [1, 2], [3, 3]]), _t(3, 1), axis=1),  # SetItem
    "rearrange_sort": lambda: R.sort(_t(2, 5), axis=0),  # GetItem
    "rearrange_roll": lambda: R.roll(_t(3, 4), 2, axis=1),  # GetItem
    "rearrange_repeat_counts": lambda: R.repeat(_t(3, 2), [2, 0, 1], axis=0),  # GetItem
    "rearrange_repeat_tile": lambda: R.tile(_t(2, 3), (2, 1, 2)),  # Reshape of a broadcast
    "rearrange_rot90": lambda: R.rot90(_t(2, 3), 1),  # Transpose
    "rearrange_select": lambda: R.select(  # Where, its default broadcast from (3, 1)
        [np.array([True, False, False, True]), np.array([True, True, False, False])],
        [_t(4), _t(3, 4)], _t(3, 1)),
}

SMALL = dict(max_dims=3, max_side=3)


def same_as_numpy(out, expected):
    assert isinstance(out, Tensor)
    expected = np.asarray(expected)
    assert out.shape == expected.shape
    assert out.dtype == expected.dtype
    np.testing.assert_array_equal(out.data, expected)


def all_of(pieces):
    return tuple(pieces) if isinstance(pieces, (list, tuple)) else pieces


def x_of(min_dims=0, distinct=False):
    return tensors(shapes(min_dims=min_dims, **SMALL), distinct=distinct)


# ---------------------------------------------------------------------- reversal, rotation
@given(data=st.data())
def test_flip(data):
    x = data.draw(x_of())
    axis = data.draw(axes_of(x.ndim))
    same_as_numpy(R.flip(x, axis), np.flip(x.data, axis))
    check_gradients(lambda a: R.flip(a, axis), x, second_order=True)


@given(x=x_of(min_dims=2))
def test_fliplr(x):
    same_as_numpy(R.fliplr(x), np.fliplr(x.data))
    check_gradients(R.fliplr, x, second_order=True)


@given(x=x_of(min_dims=1))
def test_flipud(x):
    same_as_numpy(R.flipud(x), np.flipud(x.data))
    check_gradients(R.flipud, x, second_order=True)


@given(data=st.data(), k=st.integers(-5, 5))
def test_rot90(data, k):
    x = data.draw(x_of(min_dims=2))
    first, second = data.draw(st.lists(st.integers(0, x.ndim - 1), min_size=2, max_size=2,
                                       unique=True))
    axes = (first - data.draw(st.sampled_from([0, x.ndim])), second)
    same_as_numpy(R.rot90(x, k, axes), np.rot90(x.data, k, axes))
    check_gradients(lambda a: R.rot90(a, k, axes), x, second_order=True)


@given(data=st.data())
def test_roll(data):
    x = data.draw(x_of())
    if x.ndim and data.draw(st.booleans()):
        axis = tuple(data.draw(st.lists(st.integers(-x.ndim, x.ndim - 1), min_size=1,
                                        max_size=3)))  # an axis may come twice: shifts add
        shift = tuple(data.draw(st.integers(-5, 5)) for _ in axis)
    else:
        axis, shift = data.draw(axis_of(x.ndim)), data.draw(st.integers(-5, 5))
    same_as_numpy(R.roll(x, shift, axis), np.roll(x.data, shift, axis))
    check_gradients(lambda a: R.roll(a, shift, axis), x, second_order=True)


# ---------------------------------------------------------------------- repeat, tile
@given(data=st.data())
def test_repeat(data):
    x = data.draw(x_of())
    axis = data.draw(axis_of(x.ndim))
    length = x.size if axis is None else x.shape[axis]
    repeats = data.draw(st.one_of(st.integers(0, 3),
                                  st.lists(st.integers(0, 3), min_size=length,
                                           max_size=length)))
    same_as_numpy(R.repeat(x, repeats, axis), np.repeat(x.data, repeats, axis))
    check_gradients(lambda a: R.repeat(a, repeats, axis), x, second_order=True)


@given(x=x_of(), reps=st.one_of(st.integers(0, 3),
                                 st.lists(st.integers(0, 2), max_size=4).map(tuple)))
def test_tile(x, reps):
    same_as_numpy(R.tile(x, reps), np.tile(x.data, reps))
    check_gradients(lambda a: R.tile(a, reps), x, second_order=True)


def test_repeat_and_tile_copy_even_when_nothing_repeats():
    x = Tensor(np.arange(6.0).reshape(3, 2, 1), requires_grad=True)
    for out in (R.repeat(x, 1, axis=0), R.repeat(x, 2, axis=2), R.tile(x, (1, 1)),
                R.tile(x, (1, 1, 2)), R.roll(x, 0), R.take(x, 1)):
        assert not np.shares_memory(out.data, x.data)
        assert out.data.flags.writeable


# ---------------------------------------------------------------------- splitting
@st.composite
def sections_or_indices(draw, length, equal):
    if draw(st.booleans()):  # split points, unsorted and out of range included
        return draw(st.lists(st.integers(-length - 1, length + 1), max_size=3))
    if equal:
        return draw(st.sampled_from([n for n in range(1, length + 1) if length % n == 0]
                                    or [1]))
    return draw(st.integers(1, length + 2))


def check_split(name, x, how, axis_args):
    pieces = getattr(R, name)(x, how, *axis_args)
    expected = getattr(np, name)(x.data, how, *axis_args)
    assert isinstance(pieces, list) and len(pieces) == len(expected)
    for piece, value in zip(pieces, expected):
        same_as_numpy(piece, value)
    if any(p.size for p in pieces):
        check_gradients(lambda a: all_of(getattr(R, name)(a, how, *axis_args)), x,
                        second_order=True)


@pytest.mark.parametrize("name", ["split", "array_split"])
@given(data=st.data())
def test_split_and_array_split(name, data):
    x = data.draw(x_of(min_dims=1))
    axis = data.draw(axis_of(x.ndim, none=False))
    how = data.draw(sections_or_indices(x.shape[axis], equal=name == "split"))
    check_split(name, x, how, (axis,))


@pytest.mark.parametrize("name, min_dims, axis", [("hsplit", 1, None), ("vsplit", 2, 0),
                                                   ("dsplit", 3, 2)])
@given(data=st.data())
def test_hsplit_vsplit_dsplit(name, min_dims, axis, data):
    x = data.draw(x_of(min_dims=min_dims))
    axis = axis if axis is not None else (1 if x.ndim > 1 else 0)
    check_split(name, x, data.draw(sections_or_indices(x.shape[axis], equal=True)), ())


# ---------------------------------------------------------------------- stacking
@st.composite
def joinable(draw, expand, axis_of_first):
    """1 to 3 float64 Tensors that numpy's stack function joins: one shape, except along
    the axis where they are joined (after `expand`, numpy's atleast_*d)."""
    base = draw(shapes(max_dims=3, max_side=3))
    count = draw(st.integers(1, 3))
    expanded = expand(np.zeros(base)).shape
    axis = axis_of_first(len(expanded))
    out = []
    for _ in range(count):
        shape = list(base)
        if len(base) == len(expanded) and base:  # not expanded: its size may vary
            shape[axis] = draw(st.integers(1, 3))
        out.append(draw(tensors(tuple(shape))))
    return out


def _column(a):
    return a.reshape(-1, 1) if np.ndim(a) < 2 else a


STACKS = {
    "hstack": (np.atleast_1d, lambda n: 0 if n == 1 else 1),
    "vstack": (np.atleast_2d, lambda n: 0),
    "dstack": (np.atleast_3d, lambda n: 2),
    "column_stack": (_column, lambda n: 1),
}


@pytest.mark.parametrize("name", sorted(STACKS))
@given(data=st.data())
def test_stacks(name, data):
    xs = data.draw(joinable(*STACKS[name]))
    same_as_numpy(getattr(R, name)(xs), getattr(np, name)([x.data for x in xs]))
    check_gradients(lambda *a: getattr(R, name)(list(a)), *xs, second_order=True)


# ---------------------------------------------------------------------- axes
@given(data=st.data())
def test_moveaxis(data):
    x = data.draw(x_of())
    n = data.draw(st.integers(0, x.ndim))
    source = data.draw(st.permutations(range(x.ndim)))[:n]
    destination = [d - data.draw(st.sampled_from([0, x.ndim]))
                   for d in data.draw(st.permutations(range(x.ndim)))[:n]]
    if n == 1 and data.draw(st.booleans()):
        source, destination = source[0], destination[0]
    same_as_numpy(R.moveaxis(x, source, destination),
                  np.moveaxis(x.data, source, destination))
    check_gradients(lambda a: R.moveaxis(a, source, destination), x, second_order=True)


@given(data=st.data())
def test_rollaxis(data):
    x = data.draw(x_of(min_dims=1))
    axis = data.draw(axis_of(x.ndim, none=False))
    start = data.draw(st.integers(-x.ndim, x.ndim))
    same_as_numpy(R.rollaxis(x, axis, start), np.rollaxis(x.data, axis, start))
    check_gradients(lambda a: R.rollaxis(a, axis, start), x, second_order=True)


@pytest.mark.parametrize("name", ["atleast_1d", "atleast_2d", "atleast_3d"])
@given(x=tensors(shapes(max_dims=4, max_side=2)), y=x_of())
def test_atleast_nd(name, x, y):
    ours, theirs = getattr(R, name), getattr(np, name)
    same_as_numpy(ours(x), theirs(x.data))
    both = ours(x, y)
    assert isinstance(both, tuple) and len(both) == 2  # numpy 2 gives a tuple for several
    for out, expected in zip(both, theirs(x.data, y.data)):
        same_as_numpy(out, expected)
    check_gradients(lambda a, b: ours(a, b), x, y, second_order=True)


@given(x=x_of(), order=st.sampled_from(["C", "F"]))
def test_ravel(x, order):
    same_as_numpy(R.ravel(x, order), np.ravel(x.data, order))
    check_gradients(lambda a: R.ravel(a, order), x, second_order=True)


# ---------------------------------------------------------------------- gathers, scatters
@given(data=st.data(), mode=st.sampled_from(["raise", "wrap", "clip"]))
def test_take(data, mode):
    x = data.draw(x_of())
    axis = data.draw(axis_of(x.ndim))
    length = x.size if axis is None else x.shape[axis]
    bound = length if mode == "raise" else 2 * length + 2
    index_shape = data.draw(shapes(max_dims=2, max_side=3))
    indices = np.asarray(data.draw(st.lists(st.integers(-bound, bound - 1),
                                            min_size=int(np.prod(index_shape)),
                                            max_size=int(np.prod(index_shape))))
                         ).reshape(index_shape)
    same_as_numpy(R.take(x, indices, axis, mode=mode), np.take(x.data, indices, axis,
                                                                mode=mode))
    check_gradients(lambda a: R.take(a, indices, axis, mode=mode), x, second_order=True)


@st.composite
def along_axis_case(draw):
    """(x, indices, axis): indices of x's number of dimensions whose sizes broadcast against
    x's outside `axis` (axis None: 1-D indices into the flattened x)."""
    x = draw(x_of())
    axis = draw(axis_of(x.ndim))
    length = x.size if axis is None else x.shape[axis]
    if axis is None:
        shape = (draw(st.integers(0, 4)),)
    else:
        shape = tuple(draw(st.integers(0, 4)) if d == axis else
                      draw(st.sampled_from([1, n])) for d, n in enumerate(x.shape))
    indices = draw(st.lists(st.integers(-length, length - 1), min_size=int(np.prod(shape)),
                            max_size=int(np.prod(shape))))
    return x, np.asarray(indices, dtype=np.intp).reshape(shape), axis


@given(case=along_axis_case())
def test_take_along_axis(case):
    x, indices, axis = case
    same_as_numpy(R.take_along_axis(x, indices, axis),
                  np.take_along_axis(x.data, indices, axis))
    check_gradients(lambda a: R.take_along_axis(a, indices, axis), x, second_order=True)


@given(case=along_axis_case(), data=st.data())
def test_put_along_axis(case, data):
    x, indices, axis = case
    target = np.take_along_axis(x.data, indices, axis).shape
    # values of the written shape, or broadcasting to it (size-1 axes, fewer axes)
    shape = tuple(data.draw(st.sampled_from([1, n])) for n in target)
    values = data.draw(tensors(shape[data.draw(st.integers(0, len(shape))):]))
    expected = x.data.copy()
    np.put_along_axis(expected, indices, values.data, axis)
    same_as_numpy(R.put_along_axis(x, indices, values, axis), expected)
    check_gradients(lambda a, v: R.put_along_axis(a, indices, v, axis), x, values,
                    second_order=True)


def test_put_along_axis_gives_a_twice_written_position_to_the_last_value():
    arr = Tensor(np.zeros((2, 3)), requires_grad=True)
    values = Tensor(np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]), requires_grad=True)
    indices = np.array([[1, 1, 0], [2, 2, 2]])
    out = R.put_along_axis(arr, indices, values, axis=1)
    np.testing.assert_array_equal(out.data, [[3.0, 2.0, 0.0], [0.0, 0.0, 6.0]])
    weights = np.array([[10.0, 20.0, 30.0], [40.0, 50.0, 60.0]])
    (out * Tensor(weights)).sum().backward()
    # numpy wrote 2 (not 1) at [0, 1] and 6 (not 4, 5) at [1, 2]: only those get gradient
    np.testing.assert_array_equal(values.grad.data, [[0.0, 20.0, 10.0], [0.0, 0.0, 60.0]])
    np.testing.assert_array_equal(arr.grad.data, [[0.0, 0.0, 30.0], [40.0, 50.0, 0.0]])
    np.testing.assert_array_equal(arr.data, 0.0)  # out of place: arr is unchanged


@given(data=st.data())
def test_sort(data):
    x = data.draw(x_of(distinct=True))
    axis = data.draw(axis_of(x.ndim))
    same_as_numpy(R.sort(x, axis), np.sort(x.data, axis))
    check_gradients(lambda a: R.sort(a, axis), x, second_order=True)


def test_sort_routes_tied_gradients_one_to_one():
    x = Tensor(np.array([2.0, 1.0, 2.0, 1.0]), requires_grad=True)
    out = R.sort(x)
    (out * Tensor(np.array([1.0, 2.0, 3.0, 4.0]))).sum().backward()
    # each output position's gradient reaches exactly one input holding that value
    assert sorted(x.grad.data[[1, 3]]) == [1.0, 2.0]
    assert sorted(x.grad.data[[0, 2]]) == [3.0, 4.0]


@given(data=st.data())
def test_argsort(data):
    x = data.draw(x_of(distinct=True))
    axis = data.draw(axis_of(x.ndim))
    order = R.argsort(x, axis)
    assert type(order) is np.ndarray and order.dtype.kind == "i"
    np.testing.assert_array_equal(order, np.argsort(x.data, axis))


def test_argsort_is_no_tensor_and_takes_lists():
    order = R.argsort([3.0, 1.0, 2.0])
    assert type(order) is np.ndarray and order.dtype == np.intp
    np.testing.assert_array_equal(order, [1, 2, 0])


# ---------------------------------------------------------------------- inputs, outputs
def test_arrays_and_lists_are_accepted():
    same_as_numpy(R.flip(np.arange(3.0)), np.arange(3.0)[::-1])
    np.testing.assert_array_equal(R.roll([1.0, 2.0, 3.0], 1).data, [3.0, 1.0, 2.0])
    np.testing.assert_array_equal(R.hstack([[1.0], np.array([2.0]), Tensor([3.0])]).data,
                                  [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(R.take_along_axis([[1.0, 2.0]], [[1, 1]], 1).data,
                                  [[2.0, 2.0]])
    np.testing.assert_array_equal(R.put_along_axis([1.0, 2.0], [0], [5.0], 0).data,
                                  [5.0, 2.0])
    pieces = R.split(np.arange(4.0), 2)
    assert isinstance(pieces, list) and all(isinstance(p, Tensor) for p in pieces)


def test_split_family_returns_lists_of_tensors_with_gradients():
    x = Tensor(np.arange(12.0).reshape(2, 6), requires_grad=True)
    pieces = R.hsplit(x, [1, 4])
    assert isinstance(pieces, list) and [p.shape for p in pieces] == [(2, 1), (2, 3), (2, 2)]
    (pieces[0].sum() + 2 * pieces[2].sum()).backward()
    np.testing.assert_array_equal(x.grad.data, [[1, 0, 0, 0, 2, 2]] * 2)
    assert [p.shape for p in R.array_split(x, 4, axis=1)] == [(2, 2), (2, 2), (2, 1), (2, 1)]


FLOAT32_CALLS = {
    "flip": lambda a: R.flip(a, 1), "rot90": lambda a: R.rot90(a, 3, (2, 0)),
    "roll": lambda a: R.roll(a, (1, 2), (0, 2)), "repeat": lambda a: R.repeat(a, 2, 1),
    "repeat_counts": lambda a: R.repeat(a, [0, 1, 2], 1), "tile": lambda a: R.tile(a, (2, 1)),
    "array_split": lambda a: R.hstack(R.array_split(a, 2, axis=2)),
    "column_stack": lambda a: R.column_stack([a[0, 0], a[1, 1]]),
    "dstack": lambda a: R.dstack([a, a]), "moveaxis": lambda a: R.moveaxis(a, 0, -1),
    "ravel": lambda a: R.ravel(a, "F"), "take": lambda a: R.take(a, [[1, 1]], axis=1),
    "take_along_axis": lambda a: R.take_along_axis(a, np.zeros((1, 3, 2), int), 2),
    "put_along_axis": lambda a: R.put_along_axis(a, np.zeros((2, 1, 4), int), 1.5, 1),
    "sort": lambda a: R.sort(a, axis=None),
}


# ---------------------------------------------------------------------- select
@st.composite
def select_case(draw):
    """(conditions, choices, default): 1 to 3 conditions (bool arrays or bool Tensors) and
    choices (Tensors), and a default (a number or a Tensor), of shapes that broadcast
    together (size-1 and missing axes included)."""
    n = draw(st.integers(1, 3))
    all_shapes = draw(broadcastable_shapes(2 * n + 1, max_dims=3, max_side=3))
    conditions = [draw(arrays(s, dtype=bool, elements=st.booleans())) for s in all_shapes[:n]]
    conditions = [Tensor(c) if draw(st.booleans()) else c for c in conditions]
    choices = [draw(tensors(s)) for s in all_shapes[n:2 * n]]
    default = draw(st.one_of(floats(), tensors(all_shapes[-1])))
    return conditions, choices, default


@given(case=select_case())
def test_select(case):
    conditions, choices, default = case
    expected = np.select([np.asarray(c.data if isinstance(c, Tensor) else c)
                          for c in conditions], [c.data for c in choices],
                         default.data if isinstance(default, Tensor) else default)
    same_as_numpy(R.select(conditions, choices, default), expected)
    if isinstance(default, Tensor):
        check_gradients(lambda d, *cs: R.select(conditions, list(cs), d), default, *choices,
                        second_order=True)
    else:
        check_gradients(lambda *cs: R.select(conditions, list(cs), default), *choices,
                        second_order=True)


def test_select_gives_each_position_to_its_first_true_condition():
    x = Tensor(np.arange(5.0), requires_grad=True)
    y = Tensor(np.full(5, 10.0), requires_grad=True)
    d = Tensor(np.array(-1.0), requires_grad=True)
    first, second = np.array([1, 1, 0, 0, 0], bool), np.array([0, 1, 1, 0, 0], bool)
    out = R.select([first, Tensor(second)], [x, y], d)
    np.testing.assert_array_equal(out.data, [0.0, 1.0, 10.0, -1.0, -1.0])
    out.backward(Tensor(np.arange(1.0, 6.0)))
    np.testing.assert_array_equal(x.grad.data, [1.0, 2.0, 0.0, 0.0, 0.0])
    np.testing.assert_array_equal(y.grad.data, [0.0, 0.0, 3.0, 0.0, 0.0])
    np.testing.assert_array_equal(d.grad.data, 4.0 + 5.0)  # summed over its broadcast


@pytest.mark.parametrize("choices, default", [
    ([np.arange(3)], 0), ([np.arange(3)], 0.5), ([np.arange(3.0)], 0),
    ([np.arange(3.0, dtype=np.float32)], 0.5), ([np.arange(3.0, dtype=np.float32)], 2),
    ([np.arange(3.0, dtype=np.float32), np.arange(3.0)], 0),
    ([np.arange(3, dtype=np.int8)], np.float32(1)), ([1.5], 0), ([[1, 2, 3]], True),
])
def test_select_dtype_is_numpys(choices, default):
    conditions = [np.array([True, False, True])] * len(choices)
    expected = np.select(conditions, choices, default)
    same_as_numpy(R.select(conditions, choices, default), expected)
    # a float32 Tensor among the choices gives what numpy gives for its array
    if np.asarray(choices[0]).dtype == np.float32:
        tensor_choices = [Tensor(choices[0], requires_grad=True)] + choices[1:]
        out = R.select(conditions, tensor_choices, default)
        assert out.dtype == expected.dtype
        out.sum().backward()
        assert tensor_choices[0].grad.dtype == np.float32


@pytest.mark.parametrize("name", sorted(FLOAT32_CALLS))
def test_float32_stays_float32(name):
    x = Tensor(_rng.normal(size=(2, 3, 4)).astype(np.float32), requires_grad=True)
    out = FLOAT32_CALLS[name](x)
    assert out.dtype == np.float32
    out.sum().backward()
    assert x.grad.dtype == np.float32 and x.grad.shape == x.shape


# ---------------------------------------------------------------------- errors
X23 = np.zeros((2, 3))
X234 = np.zeros((2, 3, 4))

ERRORS = [
    (lambda: R.flip(X23, 2), ValueError, r"flip of shape \(2, 3\): axis 2 is out of bounds"),
    (lambda: R.flip(X23, (0, -2)), ValueError, r"flip of shape \(2, 3\): repeated axis"),
    (lambda: R.flip(np.zeros(()), 0), np.exceptions.AxisError, r"flip of shape \(\)"),
    (lambda: R.flip(X23, 1.0), TypeError, "flip: axis must be an integer"),
    (lambda: R.fliplr(np.zeros(3)), ValueError, r"fliplr: input must be >= 2-d.*\(3,\)"),
    (lambda: R.flipud(np.zeros(())), ValueError, r"flipud: input must be >= 1-d"),
    (lambda: R.rot90(X23, 1, (0, 0)), ValueError, r"rot90 of shape \(2, 3\): axes must be"),
    (lambda: R.rot90(X23, 1, (0, -2)), ValueError, "axes must be different"),
    (lambda: R.rot90(X23, 1, (0, 2)), ValueError,
     r"rot90 of shape \(2, 3\): an axis in axes 2 is out"),
    (lambda: R.rot90(X23, 1, (0,)), ValueError, "rot90: len.axes. must be 2"),
    (lambda: R.rot90(np.zeros(3)), ValueError, r"rot90 of shape \(3,\)"),
    (lambda: R.roll(X23, 1, 2), ValueError, r"roll of shape \(2, 3\): axis 2 is out"),
    (lambda: R.roll(X23, (1, 2), (0, 1, 1)), ValueError, r"roll of shape \(2, 3\).*pair up"),
    (lambda: R.roll(X23, 1.5, 0), TypeError, "roll: shift must be integers"),
    (lambda: R.repeat(X23, [1, 2], axis=1), ValueError,
     r"repeat of shape \(2, 3\): 2 repeats for axis 1 of size 3"),
    (lambda: R.repeat(X23, -1), ValueError, "repeat: repeats may not contain negative"),
    (lambda: R.repeat(X23, 2, axis=-3), ValueError, r"repeat of shape \(2, 3\): axis -3"),
    (lambda: R.repeat(X23, 1.5), TypeError, "repeat: repeats must be integers"),
    (lambda: R.tile(X23, (2, -1)), ValueError, r"tile of shape \(2, 3\): reps must be non-n"),
    (lambda: R.tile(X23, 1.5), TypeError, "tile: reps must be an integer"),
    (lambda: R.split(np.zeros(5), 2), ValueError,
     r"split: array split does not result in an equal division: axis 0 of shape \(5,\)"),
    (lambda: R.split(X23, 2, axis=1), ValueError,
     "array split does not result in an equal division"),
    (lambda: R.hsplit(np.zeros((2, 5)), 3), ValueError,
     "array split does not result in an equal division"),
    (lambda: R.array_split(X23, 0), ValueError, "array_split: number sections must be larger"),
    (lambda: R.split(X23, 2, axis=2), ValueError, r"split of shape \(2, 3\): axis 2"),
    (lambda: R.array_split(np.zeros(()), 1), ValueError, r"array_split of shape \(\)"),
    (lambda: R.hsplit(np.zeros(()), 1), ValueError, "hsplit only works on arrays of 1 or more"),
    (lambda: R.vsplit(np.zeros(4), 2), ValueError,
     r"vsplit only works on arrays of 2 or more dimensions, got shape \(4,\)"),
    (lambda: R.dsplit(X23, 2), ValueError, r"dsplit only works on arrays of 3 or more.*\(2, 3\)"),
    (lambda: R.hstack([X23, np.zeros((3, 3))]), ValueError, r"hstack: .*\(2, 3\) and \(3, 3\)"),
    (lambda: R.vstack([X23, np.zeros((2, 4))]), ValueError, r"vstack: .*\(2, 3\) and \(2, 4\)"),
    (lambda: R.dstack([X23, np.zeros((3, 3))]), ValueError,
     r"dstack: .*\(2, 3, 1\) and \(3, 3, 1\)"),
    (lambda: R.column_stack([np.zeros(2), np.zeros(3)]), ValueError,
     r"column_stack: .*\(2, 1\) and \(3, 1\)"),
    (lambda: R.hstack([]), ValueError, "hstack: need at least one array"),
    (lambda: R.hstack(Tensor(X23)), TypeError, "hstack: arrays to stack must be passed as a"),
    (lambda: R.moveaxis(X23, (0, 1), 0), ValueError,
     "moveaxis: `source` and `destination` arguments must have the same number"),
    (lambda: R.moveaxis(X23, 2, 0), ValueError, r"moveaxis of shape \(2, 3\): source 2"),
    (lambda: R.moveaxis(X23, (0, 0), (0, 1)), ValueError, "repeated source"),
    (lambda: R.rollaxis(X23, 0, 4), ValueError,
     r"rollaxis of shape \(2, 3\): 'start' arg requires -2 <= start < 3, but 4"),
    (lambda: R.rollaxis(X23, 0, -3), ValueError, "but -3 was passed in"),
    (lambda: R.rollaxis(X23, 3), ValueError, r"rollaxis of shape \(2, 3\): axis 3"),
    (lambda: R.ravel(X23, "K"), ValueError, "ravel: order must be 'C' or 'F'"),
    (lambda: R.take(X23, [6]), IndexError,
     r"take of shape \(2, 3\): index 6 is out of bounds for the flattened"),
    (lambda: R.take(X23, [-4], axis=1), IndexError,
     r"take of shape \(2, 3\): index -4 is out of bounds for axis 1 with size 3"),
    (lambda: R.take(X23, [0.5]), TypeError, "take: indices must be an integer array"),
    (lambda: R.take(X23, [0], axis=2), ValueError, r"take of shape \(2, 3\): axis 2"),
    (lambda: R.take(X23, [0], mode="bad"), ValueError, "take: mode must be"),
    (lambda: R.take(np.zeros((2, 0)), [0], axis=1, mode="wrap"), IndexError,
     "cannot do a non-empty take from an empty axis"),
    (lambda: R.take_along_axis(X23, np.zeros(2, int), 1), ValueError,
     r"take_along_axis: indices of shape \(2,\) and arr of shape \(2, 3\) must have the same"),
    (lambda: R.take_along_axis(X23, np.zeros((3, 1), int), 1), ValueError,
     r"take_along_axis: indices of shape \(3, 1\) do not broadcast against arr of shape"),
    (lambda: R.take_along_axis(X23, np.zeros((2, 1)), 1), IndexError,
     "take_along_axis: indices must be an integer array"),
    (lambda: R.take_along_axis(X23, np.full((2, 1), 3), 1), IndexError,
     r"take_along_axis of shape \(2, 3\): index 3 is out of bounds for axis 1"),
    (lambda: R.take_along_axis(X23, np.zeros((2, 1), int), None), ValueError,
     "when axis=None, indices must have a single dimension"),
    (lambda: R.take_along_axis(X23, np.zeros((2, 1), int), -3), ValueError,
     r"take_along_axis of shape \(2, 3\): axis -3"),
    (lambda: R.put_along_axis(X23, np.zeros((2, 2), int), np.zeros(3), 1), ValueError,
     r"put_along_axis: values of shape \(3,\) do not broadcast to the shape \(2, 2\)"),
    (lambda: R.put_along_axis(X23, np.zeros((2, 1), int), np.zeros((2, 2, 1)), 1), ValueError,
     r"put_along_axis: values of shape \(2, 2, 1\) do not broadcast to the shape \(2, 1\)"),
    (lambda: R.put_along_axis(X234, np.zeros((2, 3), int), 0.0, 1), ValueError,
     r"put_along_axis: indices of shape \(2, 3\) and arr of shape \(2, 3, 4\)"),
    (lambda: R.sort(np.zeros(())), ValueError, r"sort of shape \(\): axis -1 is out"),
    (lambda: R.sort(X23, 2), ValueError, r"sort of shape \(2, 3\): axis 2"),
    (lambda: R.argsort(X23, -3), ValueError, r"argsort of shape \(2, 3\): axis -3"),
    (lambda: R.select([X23 > 0], [X23, X23]), ValueError,
     r"select: list of cases must be same length as list of conditions \(1 conditions, 2"),
    (lambda: R.select([], []), ValueError, "select with an empty condition list"),
    (lambda: R.select([X23], [X23]), TypeError,
     "select: invalid entry 0 in condlist: should be boolean ndarray, got dtype float64"),
    (lambda: R.select([X23 > 0, np.ones(3, int)], [X23, X23]), TypeError,
     "select: invalid entry 1 in condlist"),
    (lambda: R.select([X23 > 0], [np.zeros(2)]), ValueError,
     r"select: the conditions' shapes \[\(2, 3\)\], the choices' shapes \[\(2,\)\] and the "
     r"default's \(\) do not broadcast"),
    (lambda: R.select([np.ones(3, bool)], [X23], np.zeros(2)), ValueError,
     r"the default's \(2,\) do not broadcast"),
    (lambda: R.select([X23 > 0], [X23], "x"), TypeError,
     "select: the choices and the default must be real numbers .* dtype <U32"),
    (lambda: R.select([X23 > 0], [X23], None), TypeError, "must be real numbers .* object"),
    (lambda: R.select([X23 > 0], [np.datetime64(1, "D")]), TypeError,
     "select: choicelist and default value do not have a common dtype"),
    (lambda: R.select([X23 > 0], [np.datetime64(1, "D")], np.datetime64(2, "D")), TypeError,
     "must be real numbers"),
]


@pytest.mark.parametrize("call, error, match", ERRORS)
def test_bad_arguments_raise_errors_naming_the_function(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_bad_axes_raise_numpys_axis_error():
    for call in (lambda: R.flip(X23, 5), lambda: R.moveaxis(X23, 0, 3),
                 lambda: R.sort(X23, -3), lambda: R.split(X23, 1, axis=2)):
        with pytest.raises(np.exceptions.AxisError):
            call()


