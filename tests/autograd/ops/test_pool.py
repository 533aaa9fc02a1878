"""max_pool2d and avg_pool2d (PyTorch's semantics, NCHW): values and gradients against naive
loops, finite differences in float64 (first and second order), max pool's gradient routing
(the course's 4×4 example, ties, overlapping windows, padding), every error, the modules."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
from autograd import Tensor
from autograd.gradcheck import gradcheck, gradgradcheck
from autograd.ops.pool import max_pool2d, avg_pool2d
from autograd.testing import arrays, distinct_arrays
from nn.module import Module
from nn.pooling import AvgPool2d, MaxPool2d


# ---------------------------------------------------------------------- naive references
def loop_pool(x, kernel, stride, padding, kind):
    """Pooling by plain loops over every output pixel (the definition, written out); for max
    pool also where each output's gradient goes (its window's first strict maximum)."""
    n, c, h, w = x.shape
    (kh, kw), (sh, sw), (ph, pw) = kernel, stride, padding
    oh, ow = (h + 2 * ph - kh) // sh + 1, (w + 2 * pw - kw) // sw + 1
    out = np.zeros((n, c, oh, ow))
    routes = {}  # (b, ch, i, j) -> input position (row, col) of the window's first maximum
    for b in range(n):
        for ch in range(c):
            for i in range(oh):
                for j in range(ow):
                    inside = [(r, q) for r in range(i * sh - ph, i * sh - ph + kh)
                              for q in range(j * sw - pw, j * sw - pw + kw)
                              if 0 <= r < h and 0 <= q < w]
                    if kind == "avg":
                        out[b, ch, i, j] = sum(x[b, ch, r, q] for r, q in inside) / (kh * kw)
                    else:
                        best = inside[0]
                        for r, q in inside:  # row-major; only a strictly greater one wins
                            if x[b, ch, r, q] > x[b, ch][best]:
                                best = (r, q)
                        out[b, ch, i, j] = x[b, ch][best]
                        routes[b, ch, i, j] = best
    return out, routes


def loop_max_pool_grad(x, grad_out, routes):
    grad = np.zeros(x.shape)
    for (b, ch, i, j), (r, q) in routes.items():
        grad[b, ch, r, q] += grad_out[b, ch, i, j]
    return grad


@st.composite
def pool_settings(draw, max_batch=2, max_channels=3, max_side=8):
    """(shape, kernel, stride, padding) that fit: kernels up to 3×3 (non-square too),
    strides 1–3, padding up to half the kernel, batch 1 and one channel included."""
    kernel = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    padding = (draw(st.integers(0, kernel[0] // 2)), draw(st.integers(0, kernel[1] // 2)))
    h = draw(st.integers(max(1, kernel[0] - 2 * padding[0]), max_side))
    w = draw(st.integers(max(1, kernel[1] - 2 * padding[1]), max_side))
    shape = (draw(st.integers(1, max_batch)), draw(st.integers(1, max_channels)), h, w)
    return shape, kernel, stride, padding


def _arg(pair, as_int):
    # the same setting spelled as an int where it is square, to test both spellings
    return pair[0] if as_int and pair[0] == pair[1] else pair


# ---------------------------------------------------------------------- values
@given(pool_settings().flatmap(lambda s: st.tuples(
    st.just(s), arrays(s[0], elements=st.integers(-2, 2).map(float)))), st.booleans())
def test_max_pool2d_values_and_routing_match_loops(drawn, as_int):
    # few distinct values: ties everywhere, so this is also the tie rule on random inputs
    (shape, kernel, stride, padding), x = drawn
    expected, routes = loop_pool(x, kernel, stride, padding, "max")
    t = Tensor(x, requires_grad=True)
    y = max_pool2d(t, _arg(kernel, as_int), _arg(stride, as_int), _arg(padding, as_int))
    np.testing.assert_array_equal(y.data, expected)
    grad_out = np.random.default_rng(0).standard_normal(y.shape)
    y.backward(Tensor(grad_out))
    np.testing.assert_allclose(t.grad.data, loop_max_pool_grad(x, grad_out, routes),
                               rtol=1e-12, atol=1e-12)


@given(pool_settings().flatmap(lambda s: st.tuples(st.just(s), arrays(s[0]))), st.booleans())
def test_avg_pool2d_values_match_a_loop(drawn, as_int):
    (shape, kernel, stride, padding), x = drawn
    expected, _ = loop_pool(x, kernel, stride, padding, "avg")
    y = avg_pool2d(Tensor(x), _arg(kernel, as_int), _arg(stride, as_int), _arg(padding, as_int))
    np.testing.assert_allclose(y.data, expected, rtol=1e-12, atol=1e-12)


def test_stride_defaults_to_the_kernel_and_dtype_is_kept():
    x = np.random.default_rng(0).standard_normal((2, 3, 6, 6)).astype(np.float32)
    for pool in (max_pool2d, avg_pool2d):
        y = pool(Tensor(x), 3)
        assert y.shape == (2, 3, 2, 2) and y.dtype == np.float32
        np.testing.assert_array_equal(y.data, pool(Tensor(x), 3, 3).data)
        assert pool(Tensor(x), (2, 3)).shape == (2, 3, 3, 2)


# ---------------------------------------------------------------------- gradients
@st.composite
def distinct_inputs(draw, **sizes):
    """pool settings and a float64 input whose entries are all distinct (no ties)."""
    shape, kernel, stride, padding = draw(pool_settings(**sizes))
    x = draw(distinct_arrays(shape, min_gap=0.004))
    return Tensor(x, requires_grad=True), kernel, stride, padding


@given(distinct_inputs())
def test_max_pool2d_gradcheck(drawn):
    x, kernel, stride, padding = drawn
    assert gradcheck(lambda a: max_pool2d(a, kernel, stride, padding), [x])


@given(pool_settings().flatmap(lambda s: st.tuples(st.just(s), arrays(s[0]))))
def test_avg_pool2d_gradcheck(drawn):
    (shape, kernel, stride, padding), x = drawn
    x = Tensor(x, requires_grad=True)
    assert gradcheck(lambda a: avg_pool2d(a, kernel, stride, padding), [x])


SMALL = dict(max_batch=2, max_channels=2, max_side=5)  # second order costs more per entry


@given(pool_settings(**SMALL).flatmap(lambda s: st.tuples(st.just(s), arrays(s[0]))))
def test_avg_pool2d_gradgradcheck(drawn):
    (shape, kernel, stride, padding), x = drawn
    x = Tensor(x, requires_grad=True)
    # squared, so that the first derivative depends on x and the spread's backward is used
    assert gradgradcheck(lambda a: avg_pool2d(a, kernel, stride, padding) ** 2, [x])


@given(distinct_inputs(**SMALL))
def test_max_pool2d_gradgradcheck(drawn):
    # away from ties the routing is fixed: d²(maxpool(x)²) is the same routing, twice
    x, kernel, stride, padding = drawn
    assert gradgradcheck(lambda a: max_pool2d(a, kernel, stride, padding) ** 2, [x])


@given(distinct_inputs(**SMALL))
def test_the_routing_is_differentiable_in_the_output_gradient(drawn):
    # g ↦ ∂(g·maxpool(x))/∂x is linear in g (the routing); its derivative is the gather
    x, kernel, stride, padding = drawn
    with ag.no_grad():
        shape = max_pool2d(x, kernel, stride, padding).shape
    g = Tensor(np.random.default_rng(1).standard_normal(shape), requires_grad=True)

    def routed(g):
        with ag.enable_grad():  # (grad_outputs would be taken as a constant: g enters here)
            y = (max_pool2d(x, kernel, stride, padding) * g).sum()
            return ag.grad(y, x, create_graph=True)[0]

    assert gradcheck(routed, [g])


def test_backward_on_arrays_and_on_tensors_agree():
    x = Tensor(np.random.default_rng(2).standard_normal((2, 2, 5, 5)), requires_grad=True)
    for pool in (max_pool2d, avg_pool2d):
        y = (pool(x, 3, 2, 1) ** 2).sum()
        (plain,) = ag.grad(y, x, retain_graph=True)
        (recorded,) = ag.grad(y, x, create_graph=True)
        assert recorded.requires_grad and not plain.requires_grad
        np.testing.assert_allclose(plain.data, recorded.data, rtol=1e-12)


# ---------------------------------------------------------------------- the non-overlapping path
def _general_path(monkeypatch):
    """Make max pool take its general path (argmax and a flat index), as it does for a NaN."""
    import autograd.ops.pool as pool

    monkeypatch.setattr(pool, "_block_max", lambda x, kernel: (None, None, None))


def _values_and_gradients(x, kernel, grad_out, second):
    t = Tensor(x, requires_grad=True)
    y = max_pool2d(t, kernel)
    (g,) = ag.grad(y, t, grad_outputs=Tensor(grad_out), create_graph=True)
    if not second:
        return y.data, g.data, None
    (gg,) = ag.grad((g * g).sum(), t) if g.requires_grad else (np.zeros(x.shape),)
    return y.data, g.data, gg.data


@given(st.tuples(st.integers(1, 3), st.integers(1, 3)).flatmap(lambda k: st.tuples(
    st.just(k), arrays(st.tuples(st.integers(1, 2), st.integers(1, 2), st.integers(k[0], 7),
                                 st.integers(k[1], 7)),
                       elements=st.sampled_from([-np.inf, -1.0, 0.0, 1.0, np.inf])))),
    st.booleans())
def test_non_overlapping_fast_path_equals_the_general_path(drawn, inf_grad):
    # stride = kernel, no padding: the fast path (no argmax), ties and ±∞ everywhere, sides
    # that the kernel does not divide (cropped), an infinite output gradient too
    kernel, x = drawn
    rng = np.random.default_rng(3)
    shape = max_pool2d(Tensor(x), kernel).shape
    grad_out = rng.standard_normal(shape)
    if inf_grad:
        grad_out.flat[::3] = np.inf
    fast = _values_and_gradients(x, kernel, grad_out, second=not inf_grad)
    with pytest.MonkeyPatch.context() as mp:
        _general_path(mp)
        general = _values_and_gradients(x, kernel, grad_out, second=not inf_grad)
    for a, b in zip(fast, general):
        np.testing.assert_array_equal(a, b)


def test_non_overlapping_fast_path_routes_ties_to_the_first_maximum_float32():
    x = np.zeros((1, 1, 5, 7), dtype=np.float32)  # all ties (a ReLU's zeros), cropped sides
    x[0, 0, 1, 1] = x[0, 0, 0, 3] = x[0, 0, 1, 2] = 1.0
    t = Tensor(x, requires_grad=True)
    y = max_pool2d(t, 2)
    assert y.shape == (1, 1, 2, 3) and y.dtype == np.float32
    y.backward(Tensor(np.arange(1, 7, dtype=np.float32).reshape(1, 1, 2, 3)))
    expected = np.zeros((5, 7), dtype=np.float32)  # row 4 and column 6 are cropped
    expected[1, 1] = 1                              # the one maximum of window (0, 0)
    expected[0, 3] = 2                              # (0, 3) comes before (1, 2)
    expected[0, 4], expected[2, 0], expected[2, 2], expected[2, 4] = 3, 4, 5, 6  # all zeros
    np.testing.assert_array_equal(t.grad.data[0, 0], expected)


@given(distinct_inputs(**SMALL).map(lambda d: (d[0], d[1])))
def test_non_overlapping_fast_path_second_order(drawn):
    x, kernel = drawn
    if min(x.shape[2] // kernel[0], x.shape[3] // kernel[1]) < 1:
        return
    assert gradgradcheck(lambda a: max_pool2d(a, kernel) ** 2, [x])
    with ag.no_grad():
        shape = max_pool2d(x, kernel).shape
    g = Tensor(np.random.default_rng(1).standard_normal(shape), requires_grad=True)

    def routed(g):
        with ag.enable_grad():
            return ag.grad((max_pool2d(x, kernel) * g).sum(), x, create_graph=True)[0]

    assert gradcheck(routed, [g])


# ---------------------------------------------------------------------- max pool's routing
def test_max_pool2d_routes_the_gradient_on_the_course_example():
    x = Tensor([[[[1., 3., 2., 1.],
                  [4., 2., 0., 6.],
                  [7., 1., 5., 8.],
                  [2., 9., 3., 4.]]]], requires_grad=True)
    y = max_pool2d(x, 2)
    np.testing.assert_array_equal(y.data, [[[[4., 6.], [9., 8.]]]])
    y.backward(Tensor([[[[10., 20.], [30., 40.]]]]))
    np.testing.assert_array_equal(x.grad.data, [[[[0., 0., 0., 0.],
                                                   [10., 0., 0., 20.],
                                                   [0., 0., 0., 40.],
                                                   [0., 30., 0., 0.]]]])


def test_ties_send_the_whole_gradient_to_the_first_maximum_in_row_major_order():
    x = Tensor([[[[5., 5., 1., 7.],
                  [5., 5., 7., 7.]]]], requires_grad=True)
    y = max_pool2d(x, 2)
    y.backward(Tensor([[[[1., 2.]]]]))
    np.testing.assert_array_equal(x.grad.data, [[[[1., 0., 0., 2.],
                                                   [0., 0., 0., 0.]]]])
    assert x.grad.data.sum() == 3.0  # the gradient sums to the output gradient


def test_overlapping_windows_add_up():
    # kernel 3, stride 1 on 4×4: the centre-ish 9 is the maximum of all four windows
    x = np.zeros((1, 1, 4, 4))
    x[0, 0, 1, 2] = 9.0
    x = Tensor(x, requires_grad=True)
    y = max_pool2d(x, 3, stride=1)
    assert y.shape == (1, 1, 2, 2)
    y.backward(Tensor([[[[1., 2.], [3., 4.]]]]))
    assert x.grad.data[0, 0, 1, 2] == 10.0
    assert x.grad.data.sum() == 10.0


def test_padding_is_never_the_maximum():
    x = Tensor(-np.arange(1., 10.).reshape(1, 1, 3, 3), requires_grad=True)  # all negative
    y = max_pool2d(x, 2, stride=1, padding=1)
    assert np.isfinite(y.data).all()
    np.testing.assert_array_equal(y.data[0, 0, 0], [-1., -1., -2., -3.])
    x_inf = Tensor(np.full((1, 1, 2, 2), -np.inf), requires_grad=True)
    y = max_pool2d(x_inf, 2, stride=1, padding=1)  # windows of −inf only: PyTorch's rule
    y.backward(Tensor(np.ones(y.shape)))  # each routes to its first position in the image
    np.testing.assert_array_equal(x_inf.grad.data, [[[[4., 2.], [2., 1.]]]])


def test_avg_pool2d_counts_padded_zeros():
    x = Tensor(np.ones((1, 1, 2, 2)), requires_grad=True)
    y = avg_pool2d(x, 2, stride=1, padding=1)
    np.testing.assert_array_equal(y.data, [[[[.25, .5, .25], [.5, 1., .5], [.25, .5, .25]]]])
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.data, np.ones((1, 1, 2, 2)))


# ---------------------------------------------------------------------- errors
@pytest.mark.parametrize("pool, name", [(max_pool2d, "max_pool2d"), (avg_pool2d, "avg_pool2d")])
@pytest.mark.parametrize("shape, args, words", [
    ((3, 4, 4), (2,), ["4-D", "(N, C, H, W)", "(3, 4, 4)"]),
    ((1, 1, 2, 2), (3,), ["kernel (3, 3)", "stride (3, 3)", "padding (0, 0)", "2×2",
                          "floor((H + 2p − k) / s) + 1", "(1, 1, 2, 2)"]),
    ((1, 1, 5, 2), ((2, 3), 1), ["kernel (2, 3)", "5×2", "4×0"]),
    ((1, 1, 4, 4), (0,), ["kernel_size must be positive", "(0, 0)"]),
    ((1, 1, 4, 4), ((2, -1),), ["kernel_size must be positive", "(2, -1)"]),
    ((1, 1, 4, 4), (2, 0), ["stride must be positive", "(0, 0)"]),
    ((1, 1, 4, 4), (2, 1, -1), ["padding must be non-negative"]),
    ((1, 1, 4, 4), (2, 1, 2), ["padding (2, 2)", "half the kernel size (2, 2)",
                               "padding ≤ kernel_size / 2"]),
    ((1, 1, 4, 4), ((3, 1), 1, (1, 1)), ["padding (1, 1)", "half the kernel size (3, 1)"]),
])
def test_errors_name_the_op_the_shapes_and_the_rule(pool, name, shape, args, words):
    with pytest.raises(ValueError) as error:
        pool(Tensor(np.zeros(shape)), *args)
    message = str(error.value)
    assert name in message
    for word in words:
        assert word in message, (word, message)


@pytest.mark.parametrize("args", [(2.5,), ((2, 2, 2),), (True,), (2, "1"), (2, 1, 0.5)])
def test_settings_must_be_ints_or_pairs(args):
    with pytest.raises(TypeError, match="max_pool2d: .* must be an int or a pair of ints"):
        max_pool2d(Tensor(np.zeros((1, 1, 4, 4))), *args)


# ---------------------------------------------------------------------- modules
def test_modules_match_the_functions():
    x = Tensor(np.random.default_rng(3).standard_normal((2, 3, 7, 6)), requires_grad=True)
    for module, pool in ((MaxPool2d((3, 2), stride=2, padding=1), max_pool2d),
                         (AvgPool2d((3, 2), stride=2, padding=1), avg_pool2d)):
        assert isinstance(module, Module)
        assert list(module.parameters()) == []
        np.testing.assert_array_equal(module(x).data, pool(x, (3, 2), 2, 1).data)
        assert module(x).requires_grad
    assert MaxPool2d(2)(x).shape == (2, 3, 3, 3)
    assert repr(MaxPool2d(2)) == "MaxPool2d(kernel_size=2, stride=2, padding=0)"
    assert repr(AvgPool2d((2, 3), 1, 1)) == "AvgPool2d(kernel_size=(2, 3), stride=1, padding=1)"
    with pytest.raises(ValueError, match="avg_pool2d expects a 4-D input"):
        AvgPool2d(2)(Tensor(np.zeros((4, 4))))


def test_pooled_sizes_follow_the_formula():
    for h, k, s, p in [(8, 3, 2, 1), (7, 2, 2, 0), (5, 3, 1, 1), (1, 1, 1, 0), (6, 3, 3, 1)]:
        expected = math.floor((h + 2 * p - k) / s) + 1
        assert max_pool2d(Tensor(np.zeros((1, 1, h, h))), k, s, p).shape[2:] == (expected,) * 2

