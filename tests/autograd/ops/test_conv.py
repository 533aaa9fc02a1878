"""Convolutions: conv2d, unfold, fold and pad against naive loops and finite differences
(first and second order) over random shapes, strides, paddings and dilations; the closed
forms (a Sobel filter, a 1×1 conv is a matmul, conv = unfold + matmul, fold ∘ unfold counts
overlaps); every error message; nn.Conv2d and nn.Flatten."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nn
from autograd import Tensor, gradcheck, no_grad
from autograd.ops import conv as conv_ops
from autograd.ops.conv import conv2d, fold, unfold
from autograd.ops.padding import pad
from autograd.testing import check_gradients, shapes, tensors
from nn.conv import Conv2d, Flatten


# ---------------------------------------------------------------------- naive references
def out_side(size, k, s, p, d):
    return (size + 2 * p - d * (k - 1) - 1) // s + 1


def naive_conv2d(x, w, b, stride, padding, dilation):
    """Cross-correlation by its definition, one output entry at a time."""
    n, c_in, h, wd = x.shape
    c_out, _, kh, kw = w.shape
    (sh, sw), (ph, pw), (dh, dw) = stride, padding, dilation
    xp = np.zeros((n, c_in, h + 2 * ph, wd + 2 * pw))
    xp[:, :, ph:ph + h, pw:pw + wd] = x
    oh, ow = out_side(h, kh, sh, ph, dh), out_side(wd, kw, sw, pw, dw)
    out = np.zeros((n, c_out, oh, ow))
    for i in range(n):
        for o in range(c_out):
            for p in range(oh):
                for q in range(ow):
                    total = 0.0 if b is None else b[o]
                    for c in range(c_in):
                        for a in range(kh):
                            for e in range(kw):
                                total += xp[i, c, p * sh + a * dh, q * sw + e * dw] * w[o, c, a, e]
                    out[i, o, p, q] = total
    return out


def naive_unfold(x, kernel, dilation, padding, stride):
    """PyTorch's F.unfold layout: row (c, i, j), column (p, q), both in C order."""
    n, c, h, w = x.shape
    (kh, kw), (dh, dw), (ph, pw), (sh, sw) = kernel, dilation, padding, stride
    xp = np.zeros((n, c, h + 2 * ph, w + 2 * pw))
    xp[:, :, ph:ph + h, pw:pw + w] = x
    oh, ow = out_side(h, kh, sh, ph, dh), out_side(w, kw, sw, pw, dw)
    cols = np.zeros((n, c * kh * kw, oh * ow))
    for ch in range(c):
        for i in range(kh):
            for j in range(kw):
                for p in range(oh):
                    for q in range(ow):
                        cols[:, (ch * kh + i) * kw + j, p * ow + q] = \
                            xp[:, ch, p * sh + i * dh, q * sw + j * dw]
    return cols


# ---------------------------------------------------------------------- strategies
@st.composite
def windows(draw, max_side=7):
    """kernel, stride, padding, dilation (pairs) and an input size (H, W) they fit."""
    kernel = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    stride = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    padding = (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
    dilation = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    size = tuple(draw(st.integers(max(1, d * (k - 1) + 1 - 2 * p), max_side))
                 for k, p, d in zip(kernel, padding, dilation))
    return dict(kernel=kernel, stride=stride, padding=padding, dilation=dilation, size=size)


@st.composite
def conv_cases(draw, max_side=7, max_batch=2, max_channels=3):
    """x, weight, bias (or None) and the window arguments of a conv2d that fits."""
    win = draw(windows(max_side))
    n = draw(st.integers(1, max_batch))
    c_in = draw(st.integers(1, max_channels))
    c_out = draw(st.integers(1, max_channels))
    x_needs_grad = draw(st.sampled_from([True, True, False]))  # mostly: x's gradient checked
    x = draw(tensors((n, c_in) + win["size"], requires_grad=x_needs_grad))
    w = draw(tensors((c_out, c_in) + win["kernel"]))
    b = draw(st.none() | tensors((c_out,)))
    if not x.requires_grad and b is None:
        w.requires_grad = True
    return x, w, b, win


def conv_of(win):
    return lambda x, w, b=None: conv2d(x, w, b, stride=win["stride"], padding=win["padding"],
                                       dilation=win["dilation"])


def unfold_of(win):
    return lambda x: unfold(x, win["kernel"], dilation=win["dilation"],
                            padding=win["padding"], stride=win["stride"])


def fold_of(win):
    return lambda cols: fold(cols, win["size"], win["kernel"], dilation=win["dilation"],
                             padding=win["padding"], stride=win["stride"])


def cols_shape(n, c, win):
    oh, ow = (out_side(*a) for a in zip(win["size"], win["kernel"], win["stride"],
                                        win["padding"], win["dilation"]))
    return (n, c * win["kernel"][0] * win["kernel"][1], oh * ow)


# ---------------------------------------------------------------------- conv2d
@settings(max_examples=25)
@given(conv_cases(max_side=6))
def test_conv2d_matches_naive_loops(case):
    x, w, b, win = case
    expected = naive_conv2d(x.data, w.data, None if b is None else b.data, win["stride"],
                            win["padding"], win["dilation"])
    out = conv_of(win)(x, w, b)
    assert out.shape == expected.shape and out.dtype == np.float64
    assert out.data.flags.c_contiguous
    np.testing.assert_allclose(out.data, expected, rtol=1e-12, atol=1e-12)


@given(conv_cases())
def test_conv2d_gradients(case):
    x, w, b, win = case
    inputs = (x, w) if b is None else (x, w, b)
    check_gradients(conv_of(win), *inputs)


@settings(max_examples=8)
@given(conv_cases(max_side=5, max_channels=2))
def test_conv2d_second_order(case):
    x, w, b, win = case
    inputs = (x, w) if b is None else (x, w, b)
    check_gradients(conv_of(win), *inputs, second_order=True)


def test_conv2d_edge_shapes_gradients(rng):
    # batch 1, one channel, a 1×1 kernel; a kernel as large as the input; non-square ones
    cases = [((1, 1, 3, 4), (1, 1, 1, 1), dict()),
             ((1, 1, 3, 4), (2, 1, 3, 4), dict()),
             ((2, 1, 1, 5), (1, 1, 1, 2), dict(stride=(1, 3), padding=(0, 1))),
             ((1, 2, 5, 3), (2, 2, 2, 1), dict(stride=2, padding=1, dilation=(3, 1)))]
    for x_shape, w_shape, kwargs in cases:
        x = Tensor(rng.standard_normal(x_shape), requires_grad=True)
        w = Tensor(rng.standard_normal(w_shape), requires_grad=True)
        b = Tensor(rng.standard_normal(w_shape[0]), requires_grad=True)
        check_gradients(lambda x, w, b, kwargs=kwargs: conv2d(x, w, b, **kwargs), x, w, b,
                        second_order=True)


def test_conv2d_int_arguments_mean_pairs(rng):
    x, w = rng.standard_normal((2, 2, 7, 6)), rng.standard_normal((3, 2, 3, 2))
    np.testing.assert_array_equal(
        conv2d(x, w, stride=2, padding=1, dilation=2).data,
        conv2d(x, w, stride=(2, 2), padding=[1, 1], dilation=(2, 2)).data)


def test_conv2d_keeps_float32_and_skips_unneeded_input_gradient(rng, monkeypatch):
    x = Tensor(rng.standard_normal((2, 1, 6, 6)).astype(np.float32))  # data: no grad
    w = Tensor(rng.standard_normal((4, 1, 3, 3)).astype(np.float32), requires_grad=True)
    b = Tensor(np.zeros(4, np.float32), requires_grad=True)

    def fail(*args):
        raise AssertionError("the input gradient was computed though x needs none")

    monkeypatch.setattr(conv_ops.Fold, "run", fail)
    out = conv2d(x, w, b, padding=1)
    assert out.dtype == np.float32 and out.shape == (2, 4, 6, 6)
    out.sum().backward()
    assert x.grad is None
    assert w.grad.dtype == np.float32 and w.grad.shape == w.shape
    np.testing.assert_allclose(b.grad.data, np.full(4, 72.0))


def test_sobel_kernel_on_a_known_image():
    gx = np.array([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])
    sobel = np.stack([gx, gx.T])[:, None]  # (2, 1, 3, 3): horizontal and vertical gradients
    step = np.zeros((1, 1, 5, 6))
    step[..., 3:] = 1.0  # a vertical edge between columns 2 and 3
    out = conv2d(step, sobel).data
    np.testing.assert_array_equal(out[0, 0], np.tile([0.0, 4.0, 4.0, 0.0], (3, 1)))
    np.testing.assert_array_equal(out[0, 1], np.zeros((3, 4)))
    ramp = np.broadcast_to(np.arange(6.0), (1, 1, 5, 6))  # x[i, j] = j: slope 1 to the right
    out = conv2d(ramp, sobel, padding=0).data
    np.testing.assert_array_equal(out[0, 0], np.full((3, 4), 8.0))  # (1 + 2 + 1) · 2
    np.testing.assert_array_equal(out[0, 1], np.zeros((3, 4)))


def test_1x1_conv_is_a_matmul_over_channels(rng):
    x, w, b = (rng.standard_normal((2, 3, 4, 5)), rng.standard_normal((6, 3, 1, 1)),
               rng.standard_normal(6))
    expected = np.einsum("oc,nchw->nohw", w[:, :, 0, 0], x) + b[:, None, None]
    np.testing.assert_allclose(conv2d(x, w, b).data, expected, rtol=1e-12)


@given(conv_cases())
def test_unfold_then_matmul_is_conv2d(case):
    x, w, _, win = case
    n, c_out = x.shape[0], w.shape[0]
    cols = unfold_of(win)(x)
    oh, ow = (out_side(*a) for a in zip(win["size"], win["kernel"], win["stride"],
                                        win["padding"], win["dilation"]))
    via_unfold = (w.reshape(c_out, -1) @ cols).reshape(n, c_out, oh, ow)
    np.testing.assert_allclose(via_unfold.data, conv_of(win)(x, w).data, rtol=1e-12,
                               atol=1e-12)


# ---------------------------------------------------------------------- unfold and fold
@settings(max_examples=25)
@given(windows(), st.integers(1, 2), st.integers(1, 3), st.data())
def test_unfold_matches_naive_loops_and_its_gradients(win, n, c, data):
    x = data.draw(tensors((n, c) + win["size"]))
    cols = unfold_of(win)(x)
    np.testing.assert_array_equal(cols.data, naive_unfold(
        x.data, win["kernel"], win["dilation"], win["padding"], win["stride"]))
    check_gradients(unfold_of(win), x, second_order=n * c * math.prod(win["size"]) <= 40)


@settings(max_examples=25)
@given(windows(), st.integers(1, 2), st.integers(1, 3), st.data())
def test_fold_is_the_adjoint_of_unfold_and_its_gradients(win, n, c, data):
    x = data.draw(tensors((n, c) + win["size"]))
    cols = data.draw(tensors(cols_shape(n, c, win)))
    folded = fold_of(win)(cols)
    assert folded.shape == x.shape
    # ⟨unfold(x), cols⟩ = ⟨x, fold(cols)⟩: fold is col2im, the transpose of im2col
    np.testing.assert_allclose((unfold_of(win)(x).data * cols.data).sum(),
                               (x.data * folded.data).sum(), rtol=1e-10, atol=1e-10)
    check_gradients(fold_of(win), cols, second_order=cols.data.size <= 60)


def test_fold_of_unfold_is_x_times_the_overlap_count(rng):
    x = rng.standard_normal((2, 3, 4, 5))
    # 2×2 blocks, stride 1: a pixel is in as many blocks as its row and column allow
    rows, cols = np.array([1, 2, 2, 1]), np.array([1, 2, 2, 2, 1])
    counts = np.outer(rows, cols)
    np.testing.assert_allclose(fold(unfold(x, 2), (4, 5), 2).data, x * counts, rtol=1e-12)
    # stride 2 with 2×2 blocks tiles the image: every pixel once (the last column: none)
    tiled = fold(unfold(x, 2, stride=2), (4, 5), 2, stride=2).data
    np.testing.assert_allclose(tiled[..., :4], x[..., :4])
    np.testing.assert_array_equal(tiled[..., 4], 0.0)
    # with padding and dilation, the count is fold(unfold(ones))
    kwargs = dict(dilation=(2, 1), padding=1, stride=(1, 2))
    ones = np.ones_like(x)
    overlap = fold(unfold(ones, (2, 3), **kwargs), (4, 5), (2, 3), **kwargs).data
    np.testing.assert_allclose(fold(unfold(x, (2, 3), **kwargs), (4, 5), (2, 3), **kwargs).data,
                               x * overlap, rtol=1e-12)


def test_unfold_of_a_1x1_kernel_is_a_reshape_and_writable(rng):
    x = rng.standard_normal((2, 3, 4, 5))
    cols = unfold(x, 1)
    np.testing.assert_array_equal(cols.data, x.reshape(2, 3, 20))
    cols.data[...] = 0.0  # its own array (or a writable view), never a read-only window view


# ---------------------------------------------------------------------- pad
@st.composite
def pad_cases(draw):
    shape = draw(shapes(min_dims=0, max_dims=4, max_side=3))
    form = draw(st.sampled_from(["int", "pair", "per-axis"] if shape else ["int", "pair"]))
    width = st.integers(0, 2)
    if form == "int":
        pad_width = draw(width)
    elif form == "pair":
        pad_width = (draw(width), draw(width))
    else:
        pad_width = tuple((draw(width), draw(width)) for _ in shape)
    return draw(tensors(shape)), pad_width, draw(st.sampled_from([0.0, -1.5]))


@given(pad_cases())
def test_pad_matches_numpy_and_its_gradients(case):
    x, pad_width, value = case
    out = pad(x, pad_width, value)
    np.testing.assert_array_equal(out.data, np.pad(x.data, pad_width, constant_values=value))
    check_gradients(lambda t: pad(t, pad_width, value), x, second_order=True)


def test_pad_keeps_dtype_and_its_gradient_is_the_slice(rng):
    x = Tensor(rng.standard_normal((2, 3)).astype(np.float32), requires_grad=True)
    out = pad(x, ((1, 0), (2, 1)), value=7)
    assert out.dtype == np.float32 and out.shape == (3, 6)
    (out * Tensor(np.arange(18.0, dtype=np.float32).reshape(3, 6))).sum().backward()
    np.testing.assert_array_equal(x.grad.data, np.arange(18.0).reshape(3, 6)[1:, 2:5])


# ---------------------------------------------------------------------- errors
def test_conv2d_errors_name_the_op_the_shapes_and_the_rule():
    x, w = np.ones((2, 3, 5, 5)), np.ones((4, 2, 3, 3))
    with pytest.raises(ValueError, match=r"conv2d: input of shape \(2, 3, 5, 5\) and weight of "
                                         r"shape \(4, 2, 3, 3\).*3 channels.*expects 2"):
        conv2d(x, w)
    with pytest.raises(ValueError, match=r"conv2d: the input must be 4-D.*\(3, 5, 5\)"):
        conv2d(np.ones((3, 5, 5)), w)
    with pytest.raises(ValueError, match=r"conv2d: the weight must be 4-D.*\(4, 3, 3\)"):
        conv2d(x, np.ones((4, 3, 3)))
    with pytest.raises(ValueError, match=r"conv2d: the bias must have shape \(4,\).*got shape "
                                         r"\(3,\)"):
        conv2d(x, np.ones((4, 3, 3, 3)), np.ones(3))
    with pytest.raises(ValueError, match=r"conv2d: stride must be positive, got \(0, 0\)"):
        conv2d(x, np.ones((4, 3, 3, 3)), stride=0)
    with pytest.raises(ValueError, match=r"conv2d: dilation must be positive, got \(1, -1\)"):
        conv2d(x, np.ones((4, 3, 3, 3)), dilation=(1, -1))
    with pytest.raises(ValueError, match=r"conv2d: padding must be non-negative, got \(-1, -1\)"):
        conv2d(x, np.ones((4, 3, 3, 3)), padding=-1)
    with pytest.raises(TypeError, match=r"conv2d: stride must be an int or a pair"):
        conv2d(x, np.ones((4, 3, 3, 3)), stride=(1, 2, 3))


def test_conv2d_output_size_error_gives_every_number_and_the_formula():
    message = (r"conv2d: input of shape \(1, 1, 4, 6\) and weight of shape \(1, 1, 3, 3\) "
               r"give an output of size 0×2, which is not positive: for input size \(H, W\) = "
               r"\(4, 6\), kernel k = \(3, 3\), stride s = \(1, 2\), padding p = \(0, 0\) and "
               r"dilation d = \(2, 1\), each output side is "
               r"floor\(\(H \+ 2p − d\(k−1\) − 1\)/s\) \+ 1")
    with pytest.raises(ValueError, match=message):
        conv2d(np.ones((1, 1, 4, 6)), np.ones((1, 1, 3, 3)), stride=(1, 2), dilation=(2, 1))
    with pytest.raises(ValueError, match=r"kernel k = \(5, 5\)"):  # kernel larger than input
        conv2d(np.ones((1, 1, 4, 4)), np.ones((1, 1, 5, 5)))


def test_unfold_fold_pad_errors():
    with pytest.raises(ValueError, match=r"unfold: the input must be 4-D.*\(4, 4\)"):
        unfold(np.ones((4, 4)), 2)
    with pytest.raises(ValueError, match=r"unfold: input of shape \(1, 1, 2, 2\) and "
                                         r"kernel_size \(3, 3\) give an output of size"):
        unfold(np.ones((1, 1, 2, 2)), 3)
    with pytest.raises(ValueError, match=r"unfold: kernel_size must be positive"):
        unfold(np.ones((1, 1, 2, 2)), 0)
    with pytest.raises(ValueError, match=r"fold: the input must be 3-D"):
        fold(np.ones((1, 4)), (3, 3), 2)
    with pytest.raises(ValueError, match=r"fold: input of shape \(1, 6, 4\) does not fit "
                                         r"kernel_size \(2, 2\).*multiple of 4"):
        fold(np.ones((1, 6, 4)), (3, 3), 2)
    with pytest.raises(ValueError, match=r"fold: input of shape \(1, 4, 5\), output_size "
                                         r"\(3, 3\) and kernel_size \(2, 2\) do not fit: the "
                                         r"input has L = 5 blocks but.*2×2 = 4"):
        fold(np.ones((1, 4, 5)), (3, 3), 2)
    with pytest.raises(ValueError, match=r"fold: output_size must be positive"):
        fold(np.ones((1, 4, 1)), (0, 3), 2)
    with pytest.raises(ValueError, match=r"pad: pad_width must be non-negative"):
        pad(np.ones((2, 2)), -1)
    with pytest.raises(ValueError, match=r"pad: pad_width \(\(1, 1\), \(1, 1\), \(1, 1\)\) "
                                         r"\(shape \(3, 2\)\) does not fit a tensor of shape "
                                         r"\(2, 2\)"):
        pad(np.ones((2, 2)), ((1, 1), (1, 1), (1, 1)))
    with pytest.raises(TypeError, match=r"pad: pad_width must be integers"):
        pad(np.ones((2, 2)), 1.5)


# ---------------------------------------------------------------------- nn.Conv2d, Flatten
def test_conv2d_layer_shapes_repr_and_dtype():
    layer = Conv2d(3, 8, 5, padding=2)
    assert layer.weight.shape == (8, 3, 5, 5) and layer.bias.shape == (8,)
    assert layer.weight.dtype == np.float32
    assert [name for name, _ in layer.named_parameters()] == ["weight", "bias"]
    out = layer(np.ones((2, 3, 28, 28)))  # float64 data, computed in the layer's float32
    assert out.shape == (2, 8, 28, 28) and out.dtype == np.float32
    assert repr(layer).startswith(
        "Conv2d(3, 8, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2))")
    odd = Conv2d(2, 4, (3, 1), stride=(2, 1), dilation=2, bias=False, dtype=np.float64)
    assert odd.bias is None and odd.weight.dtype == np.float64
    assert odd.extra_repr() == ("2, 4, kernel_size=(3, 1), stride=(2, 1), dilation=(2, 2), "
                                "bias=False")
    assert odd(np.ones((1, 2, 9, 4))).shape == (1, 4, 3, 4)
    with pytest.raises(ValueError, match=r"conv2d: input of shape \(1, 3, 9, 4\).*3 channels "
                                         r"but the weight expects 2"):
        odd(np.ones((1, 3, 9, 4)))
    with pytest.raises(ValueError, match=r"Conv2d: kernel_size must be positive"):
        Conv2d(1, 1, 0)
    with pytest.raises(ValueError, match=r"Conv2d: in_channels must be a positive int"):
        Conv2d(0, 1, 3)


def test_conv2d_layer_init_is_pytorchs():
    layer = Conv2d(16, 64, (3, 5), rng=np.random.default_rng(0))
    bound = 1 / math.sqrt(16 * 3 * 5)  # kaiming_uniform_(a=√5): U(±1/√fan_in)
    for values in (layer.weight.data, layer.bias.data):
        assert np.abs(values).max() <= bound
        assert np.abs(values).max() > 0.9 * bound
    assert abs(layer.weight.data.std() - bound / math.sqrt(3)) < 0.05 * bound
    same = Conv2d(16, 64, (3, 5), rng=np.random.default_rng(0))
    np.testing.assert_array_equal(same.weight.data, layer.weight.data)


def test_small_conv_model_gradients_pass_gradcheck(rng):
    model = nn.Sequential(Conv2d(2, 3, 3, padding=1, rng=rng, dtype=np.float64), nn.Tanh(),
                          Conv2d(3, 2, 2, stride=2, rng=rng, dtype=np.float64), Flatten(),
                          nn.Linear(8, 2, rng=rng, dtype=np.float64))
    x = Tensor(rng.standard_normal((2, 2, 4, 4)), requires_grad=True)
    gradcheck(model, [x])  # the gradient with respect to the input, through every layer
    projection = rng.standard_normal((2, 2))
    loss = lambda: float((model(x).data * projection).sum())  # noqa: E731
    model.zero_grad()
    (model(x) * Tensor(projection)).sum().backward()
    eps = 1e-6
    with no_grad():
        for name, p in model.named_parameters():
            numeric = np.zeros(p.shape)
            for k in range(p.data.size):
                original = p.data.flat[k]
                p.data.flat[k] = original + eps
                up = loss()
                p.data.flat[k] = original - eps
                down = loss()
                p.data.flat[k] = original
                numeric.flat[k] = (up - down) / (2 * eps)
            np.testing.assert_allclose(p.grad.data, numeric, rtol=1e-5, atol=1e-7, err_msg=name)


def test_flatten_follows_pytorch():
    x = Tensor(np.arange(120.0).reshape(2, 3, 4, 5), requires_grad=True)
    assert Flatten()(x).shape == (2, 60)
    assert Flatten(0)(x).shape == (120,)
    assert Flatten(1, 2)(x).shape == (2, 12, 5)
    assert Flatten(-3, -2)(x).shape == (2, 12, 5)
    assert Flatten(2, 2)(x).shape == (2, 3, 4, 5)
    assert Flatten(0)(Tensor(3.0)).shape == (1,)
    np.testing.assert_array_equal(Flatten()(x).data, x.data.reshape(2, 60))
    check_gradients(Flatten(1, 2), x)
    assert repr(Flatten()).startswith("Flatten(start_dim=1, end_dim=-1)")
    with pytest.raises(ValueError, match=r"flatten: start_dim 2 comes after end_dim 1"):
        Flatten(2, 1)(x)
    with pytest.raises(ValueError, match=r"flatten: start_dim=4 is out of range.*\(2, 3, 4, 5\)"):
        Flatten(4)(x)
