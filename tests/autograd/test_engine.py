"""The backward pass itself: accumulation over paths and calls, retain_graph, grad mode,
hooks, retain_grad, autograd.grad, create_graph, deep graphs, anomaly detection, user
Functions, and the engine's rows of the error table."""

import gc
import sys

import numpy as np
import pytest
from hypothesis import given

import autograd as ag
from autograd import Function, Tensor
from autograd.testing import check_gradients, floats, shapes, tensors


def leaf(values) -> Tensor:
    return Tensor(np.array(values, dtype=np.float64), requires_grad=True)


# ---------------------------------------------------------------------- paths and calls
def test_diamond_sums_both_paths():
    x = leaf(3.0)
    a = x * 2.0
    b = x * x
    (a + b).backward()  # d/dx (2x + x²) = 2 + 2x
    assert x.grad.item() == 8.0


def test_reuse_of_one_tensor_on_many_paths():
    x = leaf([1.0, 2.0])
    y = x * x * x + x.exp() * x - x  # 3x² + eˣ(1 + x) − 1
    y.sum().backward()
    np.testing.assert_allclose(x.grad.data, 3 * x.data ** 2 + np.exp(x.data) * (1 + x.data) - 1)


def test_non_leaf_reused_on_several_paths():
    x = leaf(2.0)
    h = x * 3.0  # used three times below
    (h * h + h).backward()  # d/dx (9x² + 3x) = 18x + 3
    assert x.grad.item() == 39.0


def test_gradients_accumulate_over_two_backward_calls():
    x = leaf([1.0, -2.0])
    (x * x).sum().backward()
    (x * 3.0).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [2.0 + 3.0, -4.0 + 3.0])
    x.zero_grad()
    assert x.grad is None


def test_second_backward_without_retain_graph_raises():
    x = leaf(2.0)
    y = x * x
    y.backward()
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        y.backward()
    assert x.grad.item() == 4.0  # nothing half done by the failed call


def test_retain_graph_allows_a_second_backward_and_doubles_grad():
    x = leaf([1.0, 2.0])
    y = (x.exp() * x).sum()
    y.backward(retain_graph=True)
    first = x.grad.data.copy()
    y.backward()
    np.testing.assert_allclose(x.grad.data, 2 * first)
    np.testing.assert_allclose(first, np.exp(x.data) * (1 + x.data))


def test_backward_on_a_leaf_root():
    x = leaf([1.0, 2.0])
    x.backward(np.array([3.0, 4.0]))
    np.testing.assert_array_equal(x.grad.data, [3.0, 4.0])


def test_backward_with_an_explicit_gradient():
    x = leaf([1.0, 2.0, 3.0])
    (x * x).backward(Tensor(np.array([1.0, 0.0, -1.0])))
    np.testing.assert_array_equal(x.grad.data, [2.0, 0.0, -6.0])


# ---------------------------------------------------------------------- grad mode
def test_no_grad_records_nothing():
    x = leaf([1.0, 2.0])
    with ag.no_grad():
        assert not ag.is_grad_enabled()
        y = x * 2 + 1
    assert ag.is_grad_enabled()
    assert y.grad_fn is None and not y.requires_grad and y.is_leaf
    np.testing.assert_array_equal(y.data, [3.0, 5.0])


def test_no_grad_as_a_decorator():
    @ag.no_grad()
    def predict(t):
        return (t * t).sum()

    x = leaf([1.0, 2.0])
    out = predict(x)
    assert out.grad_fn is None and not out.requires_grad and out.item() == 5.0
    assert ag.is_grad_enabled()


def test_enable_grad_inside_no_grad():
    x = leaf(2.0)
    with ag.no_grad():
        with ag.enable_grad():
            y = x * x
        z = x * x
    assert y.requires_grad and type(y.grad_fn).__name__ == "Mul"
    assert not z.requires_grad
    y.backward()
    assert x.grad.item() == 4.0


def test_set_grad_enabled_and_restore_after_an_exception():
    with ag.set_grad_enabled(False):
        assert not ag.is_grad_enabled()
    with pytest.raises(ZeroDivisionError):
        with ag.no_grad():
            raise ZeroDivisionError
    assert ag.is_grad_enabled()


def test_detach_cuts_the_graph_and_shares_data():
    x = leaf([1.0, 2.0])
    y = x * 3
    d = y.detach()
    assert d.is_leaf and not d.requires_grad and d.grad_fn is None
    assert np.shares_memory(d.data, y.data)
    (y * d).sum().backward()  # d is a constant: d/dx (3x · 3x₀) = 9x₀
    np.testing.assert_array_equal(x.grad.data, [9.0, 18.0])


# ---------------------------------------------------------------------- hooks, retain_grad
def test_hook_on_a_leaf_sees_the_gradient():
    x = leaf([1.0, 2.0])
    seen = []
    x.register_hook(lambda g: seen.append(g.data.copy()))
    (x * 5).sum().backward()
    np.testing.assert_array_equal(seen[0], [5.0, 5.0])
    np.testing.assert_array_equal(x.grad.data, [5.0, 5.0])


def test_hook_replaces_the_gradient_and_can_be_removed():
    x = leaf([1.0, 2.0])
    handle = x.register_hook(lambda g: g * 10)
    (x * 5).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [50.0, 50.0])
    handle.remove()
    x.grad = None
    (x * 5).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [5.0, 5.0])


def test_hook_on_a_non_leaf_changes_what_flows_upstream():
    x = leaf(3.0)
    h = x * x
    seen = []
    h.register_hook(lambda g: seen.append(g.item()))
    h.register_hook(lambda g: g * 0.5)
    (h * 4).backward()
    assert seen == [4.0]
    assert x.grad.item() == 0.5 * 4 * 2 * 3.0
    assert h.grad is None


def test_hook_on_a_non_leaf_whose_reference_was_dropped():
    x = leaf(2.0)
    h = x * 3
    seen = []
    h.register_hook(lambda g: seen.append(g.item()) or g * 2)
    y = h * h
    del h
    gc.collect()
    y.backward()  # dy/dh = 2h = 12, doubled by the hook, times dh/dx = 3
    assert seen == [12.0]
    assert x.grad.item() == 72.0


def test_retain_grad_on_a_non_leaf():
    x = leaf([1.0, 2.0])
    h = x * x
    h.retain_grad()
    other = x * 2
    (h * 3 + other).sum().backward()
    np.testing.assert_array_equal(h.grad.data, [3.0, 3.0])
    assert other.grad is None  # non-leaf without retain_grad()
    np.testing.assert_array_equal(x.grad.data, [8.0, 14.0])


def test_register_hook_on_a_constant_raises():
    with pytest.raises(RuntimeError, match="does not require grad"):
        Tensor([1.0]).register_hook(lambda g: g)


# ---------------------------------------------------------------------- autograd.grad
def test_grad_returns_gradients_and_leaves_grad_untouched():
    x, w = leaf([1.0, 2.0]), leaf([3.0, -1.0])
    gx, gw = ag.grad((x * w).sum(), [x, w])
    np.testing.assert_array_equal(gx.data, [3.0, -1.0])
    np.testing.assert_array_equal(gw.data, [1.0, 2.0])
    assert x.grad is None and w.grad is None


def test_grad_allow_unused():
    x, unused = leaf(1.0), leaf(2.0)
    with pytest.raises(RuntimeError, match="allow_unused=True"):
        ag.grad(x * 2, [x, unused])
    gx, gu = ag.grad(x * 2, [x, unused], allow_unused=True)
    assert gx.item() == 2.0 and gu is None


def test_grad_with_respect_to_a_non_leaf():
    x = leaf([1.0, 2.0])
    h = x * 3
    y = (h * h).sum()
    gh, gx = ag.grad(y, [h, x])
    np.testing.assert_array_equal(gh.data, 2 * h.data)
    np.testing.assert_array_equal(gx.data, 18 * x.data)


def test_grad_with_grad_outputs():
    x = leaf([1.0, 2.0])
    (g,) = ag.grad(x * x, x, grad_outputs=[np.array([1.0, -1.0])])
    np.testing.assert_array_equal(g.data, [2.0, -4.0])


@given(tensors(shapes(max_dims=2, max_side=3)))
def test_grad_equals_backward(x):
    def f(t):
        return (t.sigmoid() * t.tanh() + t * t).sum()

    (g,) = ag.grad(f(x), x)
    f(x).backward()
    np.testing.assert_allclose(g.data, x.grad.data, rtol=1e-12, atol=1e-15)


@given(tensors(shapes(max_dims=2, max_side=3)), floats(-2, 2), floats(-2, 2))
def test_grad_is_linear(x, a, b):
    def f(t):
        return (t.exp() * t).sum()

    def g(t):
        return t.tanh().sum()

    (combined,) = ag.grad(f(x) * a + g(x) * b, x)
    (gf,) = ag.grad(f(x), x)
    (gg,) = ag.grad(g(x), x)
    np.testing.assert_allclose(combined.data, a * gf.data + b * gg.data, rtol=1e-10,
                               atol=1e-12)


@given(tensors(shapes(max_dims=2, max_side=3), elements=floats(-2, 2)))
def test_chain_rule_through_composition(x):
    # d/dx sin-free composition: f(g(x)) with g = tanh, f = exp: f'(g(x)) · g'(x)
    (composed,) = ag.grad(x.tanh().exp().sum(), x)
    inner = x.tanh()
    (outer,) = ag.grad(inner.exp().sum(), inner)
    (g_inner,) = ag.grad(x.tanh(), x, grad_outputs=[outer.data])
    np.testing.assert_allclose(composed.data, g_inner.data, rtol=1e-12)
    np.testing.assert_allclose(composed.data,
                               np.exp(np.tanh(x.data)) * (1 - np.tanh(x.data) ** 2), rtol=1e-12)


# ---------------------------------------------------------------------- higher order
def test_hessian_vector_product_of_sum_of_cubes():
    x = leaf([1.0, -2.0, 0.5])
    v = np.array([1.0, 2.0, -3.0])
    (g,) = ag.grad((x ** 3).sum(), x, create_graph=True)
    np.testing.assert_allclose(g.data, 3 * x.data ** 2)
    (hv,) = ag.grad((g * Tensor(v)).sum(), x)
    np.testing.assert_allclose(hv.data, 6 * x.data * v)  # H = diag(6x)


def test_hessian_vector_product_of_a_quadratic_form(rng):
    a = rng.standard_normal((3, 3))
    x = Tensor(rng.standard_normal(3), requires_grad=True)
    v = rng.standard_normal(3)
    f = x @ Tensor(a) @ x  # xᵀAx: gradient (A + Aᵀ)x, Hessian A + Aᵀ
    f.backward(create_graph=True)
    np.testing.assert_allclose(x.grad.data, (a + a.T) @ x.data)
    (hv,) = ag.grad((x.grad * Tensor(v)).sum(), x)
    np.testing.assert_allclose(hv.data, (a + a.T) @ v)


def test_gradient_penalty_through_create_graph():
    w = leaf([1.0, 2.0])
    x = leaf([3.0, -1.0])
    (gx,) = ag.grad((w * x * x).sum(), x, create_graph=True)  # 2wx
    penalty = (gx * gx).sum()  # Σ 4w²x²
    penalty.backward()
    np.testing.assert_allclose(w.grad.data, 8 * w.data * x.data ** 2)


# ---------------------------------------------------------------------- deep graphs
def test_a_chain_100000_deep_backpropagates_without_recursion():
    assert sys.getrecursionlimit() <= 10_000
    x = leaf(1.0)
    y = x
    for _ in range(100_000):
        y = y * 1.00001
    y.backward()
    np.testing.assert_allclose(x.grad.item(), 1.00001 ** 100_000, rtol=1e-9)
    del y
    gc.collect()


def test_topological_order_puts_consumers_first():
    x = leaf(1.0)
    a = x * 2
    b = a + 1
    c = a * b
    order = ag.topological_order([c.grad_fn])
    assert order.index(c.grad_fn) < order.index(b.grad_fn) < order.index(a.grad_fn)
    assert len(order) == 3


# ---------------------------------------------------------------------- anomaly detection
def test_detect_anomaly_names_the_op_of_a_nan_in_backward():
    x = leaf([0.0, 1.0])
    with ag.detect_anomaly(), np.errstate(divide="ignore"):
        y = x.sqrt().sum()
        with pytest.raises(RuntimeError, match=r"Sqrt produced inf in its backward") as info:
            y.backward()
    assert "test_engine.py" in str(info.value)  # where the op was created
    assert not ag.is_anomaly_enabled()


class ReturnsNaN(Function):
    """a broken op whose backward returns nan"""

    @staticmethod
    def forward(ctx, a):
        return a * 2

    @staticmethod
    def backward(ctx, grad):
        return grad * float("nan")


def test_detect_anomaly_names_a_user_function_returning_nan():
    x = leaf([1.0])
    with ag.detect_anomaly():
        y = (ReturnsNaN.apply(x) * 3).sum()
        with pytest.raises(RuntimeError, match="ReturnsNaN produced nan") as info:
            y.backward()
    assert "ReturnsNaN.apply(x)" in str(info.value)


def test_detect_anomaly_in_forward():
    x = leaf([-1.0, 1.0])
    with ag.detect_anomaly(), np.errstate(invalid="ignore"):
        with pytest.raises(RuntimeError, match="Log produced nan in its forward"):
            x.log()


def test_without_detect_anomaly_nan_passes_silently():
    x = leaf([1.0])
    ReturnsNaN.apply(x).sum().backward()
    assert np.isnan(x.grad.data).all()


# ---------------------------------------------------------------------- user Functions
class Cube(Function):
    """∂a³/∂a = 3a²"""

    @staticmethod
    def forward(ctx, a, scale):
        ctx.save_for_backward(a)
        ctx.seen_needs = ctx.needs_input_grad
        return scale * a ** 3

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved_tensors
        _, scale = ctx.inputs
        return grad * scale * 3 * a * a, None


def test_user_function_forward_backward_and_context():
    x = leaf([1.0, 2.0])
    y = Cube.apply(x, 2.0)
    np.testing.assert_array_equal(y.data, [2.0, 16.0])
    assert isinstance(y.grad_fn, Cube) and y.grad_fn.needs_input_grad == (True, False)
    assert y.grad_fn.seen_needs == (True, False)
    (a,) = y.grad_fn.saved_tensors
    assert a is x  # a saved input array comes back as the input tensor
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [6.0, 24.0])
    assert y.grad_fn.released
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        _ = y.grad_fn.saved_tensors


def test_user_function_double_backward():
    x = leaf([1.0, 2.0])
    check_gradients(lambda t: Cube.apply(t, 2.0), x, second_order=True)
    (g,) = ag.grad(Cube.apply(x, 1.0).sum(), x, create_graph=True)
    (h,) = ag.grad(g.sum(), x)
    np.testing.assert_allclose(h.data, 6 * x.data)


def test_user_function_without_input_needing_grad_records_nothing():
    y = Cube.apply(Tensor(np.array([1.0])), 1.0)
    assert y.grad_fn is None and not y.requires_grad


class WrongShape(Function):
    """returns a gradient of the wrong shape"""

    @staticmethod
    def forward(ctx, a):
        return a.sum()

    @staticmethod
    def backward(ctx, grad):
        return Tensor(np.ones(3))


class WrongCount(Function):
    @staticmethod
    def forward(ctx, a):
        return a * 1

    @staticmethod
    def backward(ctx, grad):
        return grad, grad


def test_user_function_with_a_wrong_gradient_shape_is_a_clear_error():
    x = leaf([[1.0, 2.0], [3.0, 4.0]])
    with pytest.raises(RuntimeError, match=r"WrongShape.backward returned a gradient of shape "
                                           r"\(3,\) for input 0 of shape \(2, 2\)"):
        WrongShape.apply(x).backward()
    with pytest.raises(RuntimeError, match="WrongCount.backward returned 2 gradients for 1"):
        WrongCount.apply(x).sum().backward()


def test_user_backward_may_return_arrays():
    class Twice(Function):
        @staticmethod
        def forward(ctx, a):
            return 2 * a

        @staticmethod
        def backward(ctx, grad):
            return 2 * grad.data

    x = leaf([1.0, 5.0])
    Twice.apply(x).sum().backward()
    assert isinstance(x.grad, Tensor)
    np.testing.assert_array_equal(x.grad.data, [2.0, 2.0])


# ---------------------------------------------------------------------- error table
def test_shapes_that_do_not_broadcast_name_the_op_and_both_shapes():
    a, b = Tensor(np.ones((2, 3))), Tensor(np.ones((4,)))
    with pytest.raises(ValueError, match=r"Add.*\(2, 3\).*\(4,\)"):
        a + b
    with pytest.raises(ValueError, match=r"Mul.*\(2, 3\).*\(4,\)"):
        a * b


def test_matmul_mismatch_names_matmul_and_both_shapes():
    with pytest.raises(ValueError, match=r"MatMul.*\(2, 3\).*\(4, 5\)"):
        Tensor(np.ones((2, 3))) @ Tensor(np.ones((4, 5)))


def test_backward_on_a_non_scalar_needs_a_gradient_of_its_shape():
    y = leaf(np.ones((2, 3))) * 2
    with pytest.raises(RuntimeError, match=r"gradient of shape \(2, 3\)"):
        y.backward()
    with pytest.raises(ValueError, match=r"\(2, 3\).*got shape \(3,\)"):
        y.backward(np.ones(3))


def test_backward_of_a_tensor_without_graph_is_an_error():
    with pytest.raises(RuntimeError, match="does not require grad"):
        Tensor([1.0]).sum().backward()
