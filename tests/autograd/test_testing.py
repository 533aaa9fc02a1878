"""autograd.testing, the helpers users write their property tests with: the strategies give
what they promise, and the checks pass right ops and fail wrong ones readably."""

import math
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import find, given
from hypothesis import strategies as st

from autograd import GradcheckError, Tensor
from tests.sample_ops import FlatSquare, Square, WrongSquare

from autograd.testing import (
    arrays, away_from, broadcastable_shapes, check_gradients, distinct_arrays, floats,
    gradient_test, positive, shapes, tensors,
)


# What a user writes: pytest collects and runs these like any other test.
test_square_by_gradient_test = gradient_test(Square.apply, tensors(shape=(3,)),
                                             second_order=True)
test_division_by_gradient_test = gradient_test(
    lambda a, b: a / b, tensors(shapes(max_side=3)), tensors((), elements=positive()),
    max_examples=5)


def test_importing_autograd_does_not_import_hypothesis():
    code = ("import sys, autograd; assert 'hypothesis' not in sys.modules; "
            "assert 'autograd.testing' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


# ---------------------------------------------------------------------- strategies
@given(shapes(min_dims=1, max_dims=3, min_side=2, max_side=4))
def test_shapes_respect_their_bounds(shape):
    assert 1 <= len(shape) <= 3 and all(2 <= side <= 4 for side in shape)


@given(broadcastable_shapes(num_shapes=3, max_side=3))
def test_broadcastable_shapes_broadcast(shape_list):
    assert len(shape_list) == 3
    np.broadcast_shapes(*shape_list)


def test_broadcastable_shapes_include_0d_and_size_1_axes():
    assert () in find(broadcastable_shapes(), lambda s: () in s)
    stretched = find(broadcastable_shapes(min_dims=1), lambda s: any(
        len(a) == len(b) and any(x == 1 != y for x, y in zip(a, b)) for a in s for b in s))
    assert any(1 in shape for shape in stretched)


@given(floats(-2, 5), positive(0.5, 2))
def test_floats_and_positive_are_bounded(x, p):
    assert math.isfinite(x) and -2 <= x <= 5
    assert 0.5 <= p <= 2


def test_positive_rejects_a_non_positive_bound():
    with pytest.raises(ValueError):
        positive(0.0)


@given(away_from([0.0, 1.0], margin=0.2, min_value=-1, max_value=2))
def test_away_from_keeps_its_margin(x):
    assert -1 <= x <= 2 and abs(x) >= 0.2 - 1e-12 and abs(x - 1) >= 0.2 - 1e-12


def test_away_from_with_no_room_is_an_error():
    with pytest.raises(ValueError):
        away_from(0.0, margin=5.0)


@given(st.data())
def test_arrays_and_tensors_take_a_shape_or_a_strategy(data):
    a = data.draw(arrays((2, 3)))
    assert a.shape == (2, 3) and a.dtype == np.float64 and np.isfinite(a).all()
    assert data.draw(arrays(4)).shape == (4,)
    b = data.draw(arrays(shapes(max_dims=2), elements=positive()))
    assert b.ndim <= 2 and (b >= 0.1).all()
    t = data.draw(tensors((3,)))
    assert isinstance(t, Tensor) and t.dtype == np.float64 and t.requires_grad and t.is_leaf
    assert not data.draw(tensors((3,), requires_grad=False)).requires_grad
    assert np.abs(data.draw(tensors((5,), elements=away_from(0))).data).min() >= 0.1


@given(distinct_arrays(shapes(max_side=3), min_gap=0.05))
def test_distinct_arrays_are_pairwise_separated(a):
    values = np.sort(a.reshape(-1))
    assert (np.diff(values) >= 0.05 - 1e-12).all()
    assert (values >= -3).all() and (values <= 3).all()


@given(tensors((4,), distinct=True))
def test_distinct_tensors(t):
    assert len(set(t.data.tolist())) == 4 and t.requires_grad


def test_distinct_arrays_that_cannot_fit_are_an_error():
    with pytest.raises(ValueError, match="do not fit"):
        find(distinct_arrays((10,), min_gap=1.0, min_value=0, max_value=2), lambda a: True)


# ---------------------------------------------------------------------- checks
def test_check_gradients_passes_a_right_op():
    x = Tensor(np.array([1.0, -2.0]), requires_grad=True)
    assert check_gradients(Square.apply, x, second_order=True)


def test_check_gradients_fails_readably():
    x = Tensor(np.array([1.0, -2.0]), requires_grad=True)
    with pytest.raises(GradcheckError) as info:
        check_gradients(WrongSquare.apply, x)
    message = str(info.value)
    assert message.startswith("gradcheck of WrongSquare.apply")
    assert "input 0" in message and "shape=(2,)" in message and "-2." in message


def test_check_gradients_second_order():
    x = Tensor(np.array([1.0, -2.0]), requires_grad=True)
    assert check_gradients(FlatSquare.apply, x)
    with pytest.raises(GradcheckError, match="gradgradcheck of FlatSquare.apply"):
        check_gradients(FlatSquare.apply, x, second_order=True)


def test_check_gradients_passes_tolerances_through():
    x = Tensor(np.array([1.0, -2.0]), requires_grad=True)
    assert check_gradients(WrongSquare.apply, x, atol=10.0)


def test_gradient_test_fails_a_wrong_op():
    test = gradient_test(WrongSquare.apply, tensors(shape=(2,), elements=away_from(0, 0.5)),
                         max_examples=5)
    assert test.__name__ == "test_gradients_of_WrongSquare_apply"
    with pytest.raises(GradcheckError, match="input 0"):
        test()


def test_gradient_test_needs_strategies():
    with pytest.raises(ValueError):
        gradient_test(Square.apply)


@given(data=st.data(), ndim=st.integers(0, 4))
def test_axis_strategies_give_valid_axes(data, ndim):
    from autograd.testing import axes_of, axis_of

    axis = data.draw(axis_of(ndim))
    assert axis is None or -ndim <= axis < ndim
    if ndim:
        assert data.draw(axis_of(ndim, none=False)) is not None
    axes = data.draw(axes_of(ndim))
    if axes is not None:
        chosen = (axes,) if isinstance(axes, int) else axes
        normalized = [a % ndim for a in chosen]
        assert len(set(normalized)) == len(normalized)
        np.sum(np.zeros((2,) * ndim), axis=axes)  # numpy takes it
