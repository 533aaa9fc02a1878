"""gradcheck and gradgradcheck themselves: they pass right gradients and catch wrong ones,
with a message naming the input, the entry, and both values."""

import re

import numpy as np
import pytest

import autograd as ag
from autograd import Function, GradcheckError, Tensor, gradcheck, gradgradcheck
from tests.sample_ops import FlatSquare


class WrongCube(Function):
    """claims ∂a³/∂a = 2a² (it is 3a²)"""

    @staticmethod
    def forward(ctx, a):
        return a ** 3

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.inputs
        return grad * 2 * a * a


class WrongSecondInput(Function):
    """a·b with the sign of ∂/∂b flipped"""

    @staticmethod
    def forward(ctx, a, b):
        return a * b

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.inputs
        return grad * b, -(grad * a)


class NaNBackward(Function):
    @staticmethod
    def forward(ctx, a):
        return a * 1.0

    @staticmethod
    def backward(ctx, grad):
        return grad * float("nan")


def x64(*values):
    return Tensor(np.array(values, dtype=np.float64), requires_grad=True)


def test_gradcheck_passes_a_right_gradient():
    assert gradcheck(lambda a, b: (a * b).exp(), [x64(0.5, -1.0), x64(2.0, 0.3)])
    assert gradcheck(lambda a: a.tanh(), x64(0.1, 0.2))  # a single tensor, not a list


def test_gradcheck_catches_a_wrong_backward_and_says_where():
    x = x64(1.0, 2.0, -1.5)
    with pytest.raises(GradcheckError) as info:
        gradcheck(WrongCube.apply, [x])
    message = str(info.value)
    # with the random projection v: analytic 2a²·v, numeric 3a²·v, worst where |a²·v| is
    v = np.random.default_rng(0).standard_normal(3)
    worst = int(np.argmax(np.abs(x.data ** 2 * v)))
    assert f"input 0 at index ({worst},)" in message
    found = re.search(r"is (\S+) by backward but (\S+) by", message)
    analytic, numeric = map(float, found.groups())
    np.testing.assert_allclose(analytic, 2 * x.data[worst] ** 2 * v[worst], rtol=1e-6)
    np.testing.assert_allclose(numeric, 3 * x.data[worst] ** 2 * v[worst], rtol=1e-6)
    assert "by backward" in message and "by finite differences" in message
    assert gradcheck(WrongCube.apply, [x], raise_exception=False) is False


def test_gradcheck_names_the_wrong_input():
    with pytest.raises(GradcheckError, match="input 1"):
        gradcheck(WrongSecondInput.apply, [x64(1.0, 2.0), x64(3.0, 4.0)])
    a = x64(1.0, 2.0)
    b = Tensor(np.array([3.0, 4.0]))  # not checked: does not require grad
    assert gradcheck(WrongSecondInput.apply, [a, b])


def test_gradcheck_fails_a_nan_gradient():
    with pytest.raises(GradcheckError, match="nan by backward"):
        gradcheck(NaNBackward.apply, [x64(1.0, 2.0)])
    assert gradcheck(NaNBackward.apply, [x64(1.0)], raise_exception=False) is False


def test_gradgradcheck_catches_a_backward_that_is_not_differentiable():
    x = x64(1.0, -2.0)
    assert gradcheck(FlatSquare.apply, [x])
    with pytest.raises(GradcheckError, match="input 0"):
        gradgradcheck(FlatSquare.apply, [x])
    assert gradgradcheck(lambda a: a * a, [x])


def test_gradcheck_runs_in_float64_and_leaves_inputs_alone():
    x = Tensor(np.array([0.3, 0.7], dtype=np.float32), requires_grad=True)
    before = x.data.copy()
    assert gradcheck(lambda a: a.sigmoid() * a, [x])
    assert x.dtype == np.float32 and x.grad is None
    np.testing.assert_array_equal(x.data, before)


def test_gradcheck_with_several_outputs_and_non_tensor_arguments():
    def fn(a, axis):
        return a.sum(axis=axis), a.max(axis=axis)

    x = Tensor(np.array([[1.0, 2.0], [4.0, 3.0]]), requires_grad=True)
    assert gradcheck(fn, [x, 0])
    assert gradgradcheck(fn, [x, 1])


def test_gradcheck_needs_an_input_that_requires_grad():
    with pytest.raises(ValueError, match="no input requires grad"):
        gradcheck(lambda a: a * 2, [Tensor(np.ones(2))])


def test_gradcheck_of_an_output_independent_of_the_input():
    x = x64(1.0, 2.0)
    assert gradcheck(lambda a: Tensor(np.ones(2)) * 2.0, [x])
    assert ag.gradcheck(lambda a: a.step(), [x])


# ---------------------------------------------------------------- functions that call grad
def cube_gradient(a):
    """∂(Σ a³)/∂a = 3a², built with create_graph so that it can be differentiated again."""
    return ag.grad((a ** 3).sum(), [a], create_graph=True)[0]


def test_gradcheck_of_a_function_that_calls_grad():
    # as torch.autograd.gradcheck accepts: the function's own output is a gradient; its
    # Jacobian is diag(6a), and every finite-difference evaluation needs grad mode on
    x = x64(0.5, -1.2, 2.0)
    assert gradcheck(cube_gradient, [x])
    assert gradgradcheck(cube_gradient, [x])  # third order: ∂³(Σ a³) = 6
    # the check is real: FlatSquare's gradient is not differentiable (its 2nd derivative
    # comes out 0, the numbers say 2), and a gradient without create_graph has no graph
    with pytest.raises(GradcheckError, match="input 0"):
        gradcheck(lambda a: ag.grad(FlatSquare.apply(a).sum(), [a], create_graph=True)[0], [x])
    with pytest.raises(GradcheckError, match="by backward but"):
        gradcheck(lambda a: ag.grad((a ** 3).sum(), [a])[0], [x])


def test_gradcheck_of_a_gradient_penalty_with_two_inputs():
    # ‖∂/∂x Σ tanh(x·w)‖² = Σ (w·(1 − tanh²(x·w)))², the gradient penalty of a WGAN-GP
    def penalty(x, w):
        (gx,) = ag.grad((x * w).tanh().sum(), [x], create_graph=True)
        return (gx * gx).sum()

    x, w = x64(0.3, -0.8, 1.1), x64(1.5, 0.4, -0.7)
    assert gradcheck(penalty, [x, w])
    expected = ((w.data * (1 - np.tanh(x.data * w.data) ** 2)) ** 2).sum()
    np.testing.assert_allclose(penalty(x, w).item(), expected, rtol=1e-12)


def test_gradcheck_inside_no_grad_still_runs_fn_with_grad_mode_on():
    x = x64(0.5, -1.2)
    with ag.no_grad():
        assert gradcheck(cube_gradient, [x])
        assert gradcheck(lambda a: a.sigmoid(), [x])
        assert gradgradcheck(lambda a: a.sigmoid(), [x])
        assert not ag.is_grad_enabled()  # and the caller's mode is given back
    assert x.grad is None
