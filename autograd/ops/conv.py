"""Convolutions on NCHW images, PyTorch's semantics: conv2d (a cross-correlation with stride,
padding and dilation), unfold (im2col) and fold (col2im). (autograd.pad, a constant border
around any tensor, is in padding.py.)

conv2d is unfold followed by one matrix product: the windows of the image are read as a
strided view (no loop over pixels), copied once into columns (N, C·kH·kW, L), and multiplied
by the weight reshaped to (C_out, C·kH·kW). Its backward is written in ops that are
differentiable themselves, so second derivatives work:

    ∂L/∂x = fold(Wᵀ G)           the transposed convolution (col2im sums the overlaps)
    ∂L/∂W = Σₙ G unfold(x)ᵀ      a correlation of the input with the output gradient
    ∂L/∂b = Σ over N, H, W of G

and fold and unfold are each other's backward. Shapes follow PyTorch: an output side is
⌊(H + 2p − d(k−1) − 1)/s⌋ + 1 for input side H, kernel k, stride s, padding p, dilation d.
"""

from __future__ import annotations

from typing import Any, Sequence, Union

import numpy as np

from autograd.function import Function
from autograd.ops.formula import ArraySafe
from autograd.tensor import Tensor, as_tensor

IntPair = Union[int, Sequence[int]]

OUTPUT_SIZE_RULE = "floor((H + 2p − d(k−1) − 1)/s) + 1"


# ---------------------------------------------------------------------- the two layouts
def _output_side(size: int, kernel: int, stride: int, padding: int, dilation: int) -> int:
    return (size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1


def _zero_padded(x: np.ndarray, ph: int, pw: int) -> np.ndarray:
    """x (N, C, H, W) with ph zero rows above and below and pw zero columns on each side."""
    if not (ph or pw):
        return x
    n, c, h, w = x.shape
    padded = np.zeros((n, c, h + 2 * ph, w + 2 * pw), dtype=x.dtype)
    padded[:, :, ph:ph + h, pw:pw + w] = x
    return padded


def _windows(x: np.ndarray, kernel: tuple, dilation: tuple, padding: tuple,
             stride: tuple) -> np.ndarray:
    """The read-only strided view (N, C, kH, kW, OH, OW) of x (N, C, H, W): entry
    [n, c, i, j, p, q] is the padded x[n, c, p·sH + i·dH, q·sW + j·dW]. No copy."""
    n, c, h, w = x.shape
    (kh, kw), (dh, dw), (ph, pw), (sh, sw) = kernel, dilation, padding, stride
    x = _zero_padded(x, ph, pw)
    oh = _output_side(h, kh, sh, ph, dh)
    ow = _output_side(w, kw, sw, pw, dw)
    bn, bc, bh, bw = x.strides
    return np.lib.stride_tricks.as_strided(
        x, (n, c, kh, kw, oh, ow), (bn, bc, dh * bh, dw * bw, sh * bh, sw * bw),
        writeable=False)


def _im2col(x: np.ndarray, kernel: tuple, dilation: tuple, padding: tuple,
            stride: tuple) -> np.ndarray:
    """The columns (N, C·kH·kW, OH·OW) of x (N, C, H, W): entry [n, (c, i, j), (p, q)] is
    the padded x[n, c, p·sH + i·dH, q·sW + j·dW]. One strided view, one copy."""
    windows = _windows(x, kernel, dilation, padding, stride)
    n, c, kh, kw, oh, ow = windows.shape
    return windows.reshape(n, c * kh * kw, oh * ow)  # the copy (a view when it can be one)


def _col2im(cols: np.ndarray, output_size: tuple, kernel: tuple, dilation: tuple,
            padding: tuple, stride: tuple) -> np.ndarray:
    """The image (N, C, H, W) whose every pixel is the sum of the column entries that
    _im2col would read from it: one strided slice added per kernel offset (kH·kW of them)."""
    n, ck, _ = cols.shape
    (h, w), (kh, kw), (dh, dw), (ph, pw), (sh, sw) = (output_size, kernel, dilation,
                                                       padding, stride)
    c = ck // (kh * kw)
    oh = _output_side(h, kh, sh, ph, dh)
    ow = _output_side(w, kw, sw, pw, dw)
    blocks = cols.reshape(n, c, kh, kw, oh, ow)
    out = np.zeros((n, c, h + 2 * ph, w + 2 * pw), dtype=cols.dtype)
    for i in range(kh):
        top = i * dh
        rows = slice(top, top + sh * (oh - 1) + 1, sh)
        for j in range(kw):
            left = j * dw
            out[:, :, rows, left:left + sw * (ow - 1) + 1:sw] += blocks[:, :, i, j]
    if ph or pw:
        out = np.ascontiguousarray(out[:, :, ph:ph + h, pw:pw + w])
    return out


# ---------------------------------------------------------------------- the ops
class Unfold(ArraySafe, Function):
    """∂unfold(x)/∂x: fold the gradient back (each pixel sums the entries that read it)"""

    @staticmethod
    def forward(ctx, x, kernel, dilation, padding, stride):
        cols = _im2col(x, kernel, dilation, padding, stride)
        return cols if cols.flags.writeable else cols.copy()  # (a view of the window view)

    @staticmethod
    def backward(ctx, grad):
        x, kernel, dilation, padding, stride = ctx.inputs
        return (Fold.run(grad, x.shape[2:], kernel, dilation, padding, stride),
                None, None, None, None)


class Fold(ArraySafe, Function):
    """∂fold(cols)/∂cols: unfold the gradient (each entry reads the pixel it was added to)"""

    @staticmethod
    def forward(ctx, cols, output_size, kernel, dilation, padding, stride):
        return _col2im(cols, output_size, kernel, dilation, padding, stride)

    @staticmethod
    def backward(ctx, grad):
        _, _, kernel, dilation, padding, stride = ctx.inputs
        return Unfold.run(grad, kernel, dilation, padding, stride), None, None, None, None, None


def _columns_t(x: np.ndarray, kernel: tuple, stride: tuple, padding: tuple,
               dilation: tuple) -> np.ndarray:
    """conv2d's own columns, transposed to ((c, i, j), (n, p, q)): entry [(c, i, j), (n, p, q)]
    is the padded x[n, c, p·sH + i·dH, q·sW + j·dW]. One strided view, one copy whose
    innermost runs are image rows; one matrix product then convolves the whole batch."""
    windows = _windows(x, kernel, dilation, padding, stride)
    n, c, kh, kw, oh, ow = windows.shape
    return windows.transpose(1, 2, 3, 0, 4, 5).reshape(c * kh * kw, n * oh * ow)  # the copy


def _conv(x: np.ndarray, weight: np.ndarray, bias: Any, stride: tuple, padding: tuple,
          dilation: tuple, cols: Any = None) -> tuple:
    """(y, cols): y = conv2d(x, weight) + bias as W (C_out, C·kH·kW) @ cols (C·kH·kW, N·L),
    one product for the whole batch, then one pass to NCHW that adds the bias."""
    n = x.shape[0]
    c_out = weight.shape[0]
    if cols is None:
        cols = _columns_t(x, weight.shape[2:], stride, padding, dilation)
    oh = _output_side(x.shape[2], weight.shape[2], stride[0], padding[0], dilation[0])
    ow = _output_side(x.shape[3], weight.shape[3], stride[1], padding[1], dilation[1])
    dtypes = (x.dtype, weight.dtype) if bias is None else (x.dtype, weight.dtype, bias.dtype)
    dtype = np.result_type(*dtypes)
    # the sizes written out: a −1 cannot be inferred beside C_out = 0 (numpy's rule)
    rows = weight.reshape(c_out, cols.shape[0])
    product = (rows @ cols).reshape(c_out, n, oh, ow).transpose(1, 0, 2, 3)
    out = np.empty((n, c_out, oh, ow), dtype=dtype)
    if bias is None:
        out[...] = product
    else:
        np.add(product, bias.reshape(c_out, 1, 1), out=out)
    return out, cols


def _conv_input(g: np.ndarray, weight: np.ndarray, size: tuple, stride: tuple,
                padding: tuple, dilation: tuple) -> np.ndarray:
    """The transposed convolution (∂conv2d/∂x applied to g), in NHWC inside: one small product
    per kernel offset, ∂z (N·L, C_out) @ W[:, :, i, j] (C_out, C), each added to its shifted
    place in the padded image: runs of OW·C floats (stride 1), not rows of OW."""
    n, c_out, oh, ow = g.shape
    _, c, kh, kw = weight.shape
    (h, w), (sh, sw), (ph, pw), (dh, dw) = size, stride, padding, dilation
    dtype = np.result_type(g.dtype, weight.dtype)
    rows = g.transpose(0, 2, 3, 1).reshape(n * oh * ow, c_out)
    offsets = weight.transpose(2, 3, 0, 1).reshape(kh * kw, c_out, c)
    parts = np.matmul(rows, offsets).reshape(kh, kw, n, oh, ow, c)
    out = np.zeros((n, h + 2 * ph, w + 2 * pw, c), dtype=dtype)
    for i in range(kh):
        top = i * dh
        for j in range(kw):
            left = j * dw
            out[:, top:top + sh * (oh - 1) + 1:sh, left:left + sw * (ow - 1) + 1:sw] += \
                parts[i, j]
    return np.ascontiguousarray(out[:, ph:ph + h, pw:pw + w].transpose(0, 3, 1, 2))


def _conv_weight(x: np.ndarray, g: np.ndarray, kernel: tuple, stride: tuple, padding: tuple,
                 dilation: tuple, cols: Any = None) -> np.ndarray:
    """∂conv2d/∂W applied to g: one contraction over (n, p, q), G (C_out, N·L) @ colsᵀ."""
    n, c_out, oh, ow = g.shape
    if cols is None:
        cols = _columns_t(x, kernel, stride, padding, dilation)
    rows = g.transpose(1, 0, 2, 3).reshape(c_out, n * oh * ow)
    return (rows @ cols.T).reshape(c_out, x.shape[1], *kernel)


class Conv2d(ArraySafe, Function):
    """∂L/∂x = convᵀ(G, W),  ∂L/∂W = corr(x, G),  ∂L/∂b = Σ_{n,h,w} G

    One class for the three bilinear maps, by `mode` (each is the others' backward, so that
    every order of derivative is one of them):
      "conv"    (x, W)  ↦ y = conv2d(x, W) (+ bias)   backward: convᵀ(G, W), corr(x, G)
      "input"   (G, W)  ↦ convᵀ(G, W), x-shaped         backward: conv(G', W), corr(G', G)
      "weight"  (x, G)  ↦ corr(x, G), W-shaped          backward: convᵀ(G, G'), conv(x, G')
    `size` is the result's spatial size for "input", the kernel for "weight"."""

    @staticmethod
    def forward(ctx, a, b, bias, stride, padding, dilation, mode="conv", size=None):
        if mode == "input":
            return _conv_input(a, b, size, stride, padding, dilation)
        if mode == "weight":
            return _conv_weight(a, b, size, stride, padding, dilation)
        out, cols = _conv(a, b, bias, stride, padding, dilation)
        if ctx.needs_input_grad[1]:
            ctx.save_for_backward(cols)  # the weight's gradient reads the same columns
        return out

    @staticmethod
    def backward(ctx, grad):
        a, b, bias, stride, padding, dilation = ctx.inputs[:6]
        mode = ctx.inputs[6] if len(ctx.inputs) > 6 else "conv"
        need_a, need_b, need_bias = ctx.needs_input_grad[:3]
        grad_a = grad_b = grad_bias = None
        args = (stride, padding, dilation)
        if mode == "conv":  # a = x, b = W
            if need_a:
                grad_a = Conv2d.run(grad, b, None, *args, "input", a.shape[2:])
            if need_b:
                if type(ctx.inputs) is list:  # on arrays: the columns forward made
                    (cols,) = ctx.saved_tensors
                    grad_b = _conv_weight(a, grad, b.shape[2:], *args, cols=cols)
                else:
                    grad_b = Conv2d.run(a, grad, None, *args, "weight", b.shape[2:])
            if need_bias:
                grad_bias = grad.sum(axis=(0, 2, 3))
        elif mode == "input":  # a = G, b = W
            if need_a:
                grad_a = Conv2d.run(grad, b, None, *args)
            if need_b:
                grad_b = Conv2d.run(grad, a, None, *args, "weight", b.shape[2:])
        else:  # "weight": a = x, b = G
            if need_a:
                grad_a = Conv2d.run(b, grad, None, *args, "input", a.shape[2:])
            if need_b:
                grad_b = Conv2d.run(a, grad, None, *args)
        return (grad_a, grad_b, grad_bias) + (None,) * (len(ctx.inputs) - 3)


# ---------------------------------------------------------------------- argument checks
def _pair(value: Any, name: str, op: str) -> tuple:
    """An int or a pair of ints as a pair of Python ints."""
    pair = (value, value) if isinstance(value, (int, np.integer)) else value
    try:
        pair = tuple(pair)
    except TypeError:
        pair = None
    if (pair is None or len(pair) != 2
            or not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool)
                       for v in pair)):
        raise TypeError(f"{op}: {name} must be an int or a pair of ints, got {value!r}")
    return int(pair[0]), int(pair[1])


def _window_arguments(op: str, kernel_size: Any, stride: Any, padding: Any,
                      dilation: Any) -> tuple:
    kernel = _pair(kernel_size, "kernel_size", op)
    stride = _pair(stride, "stride", op)
    padding = _pair(padding, "padding", op)
    dilation = _pair(dilation, "dilation", op)
    for name, pair in (("kernel_size", kernel), ("stride", stride), ("dilation", dilation)):
        if min(pair) <= 0:
            raise ValueError(f"{op}: {name} must be positive, got {pair}")
    if min(padding) < 0:
        raise ValueError(f"{op}: padding must be non-negative, got {padding}")
    return kernel, stride, padding, dilation


def _check_output_size(op: str, size: tuple, kernel: tuple, stride: tuple, padding: tuple,
                       dilation: tuple, shapes: str) -> tuple:
    sides = tuple(_output_side(*args) for args in zip(size, kernel, stride, padding, dilation))
    if min(sides) <= 0:
        raise ValueError(
            f"{op}: {shapes} give an output of size {sides[0]}×{sides[1]}, which is not "
            f"positive: for input size (H, W) = {size}, kernel k = {kernel}, stride "
            f"s = {stride}, padding p = {padding} and dilation d = {dilation}, each output "
            f"side is {OUTPUT_SIZE_RULE} (the dilated kernel must fit in the padded input)")
    return sides


def _check_image(op: str, x: Tensor, what: str = "input") -> None:
    if x.ndim != 4:
        raise ValueError(f"{op}: the {what} must be 4-D (N, C, H, W), got shape {x.shape}")


# ---------------------------------------------------------------------- the functions
def conv2d(x: Any, weight: Any, bias: Any = None, stride: IntPair = 1, padding: IntPair = 0,
           dilation: IntPair = 1) -> Tensor:
    """2-D cross-correlation, as PyTorch's F.conv2d: x (N, C_in, H, W), weight
    (C_out, C_in, kH, kW), bias (C_out,) or None; stride, padding (zeros on every side)
    and dilation an int or a pair (height, width). Returns (N, C_out, OH, OW). N, C_in or
    C_out may be 0: the output has that shape (with C_in = 0 each entry is an empty sum, so
    the bias alone); PyTorch's F.conv2d refuses C_out = 0."""
    x, weight = as_tensor(x), as_tensor(weight)
    stride, padding, dilation = (_pair(stride, "stride", "conv2d"),
                                 _pair(padding, "padding", "conv2d"),
                                 _pair(dilation, "dilation", "conv2d"))
    _check_image("conv2d", x)
    if weight.ndim != 4:
        raise ValueError(f"conv2d: the weight must be 4-D (C_out, C_in, kH, kW), got shape "
                         f"{weight.shape} (input shape {x.shape})")
    shapes = f"input of shape {x.shape} and weight of shape {weight.shape}"
    if x.shape[1] != weight.shape[1]:
        raise ValueError(f"conv2d: {shapes} do not fit: the input has {x.shape[1]} channels "
                         f"but the weight expects {weight.shape[1]} (weight.shape[1] must be "
                         f"the input's C_in = x.shape[1])")
    if min(weight.shape[2:]) <= 0:
        raise ValueError(f"conv2d: the kernel of a weight of shape {weight.shape} is empty")
    _, stride, padding, dilation = _window_arguments("conv2d", weight.shape[2:], stride,
                                                     padding, dilation)
    _check_output_size("conv2d", x.shape[2:], weight.shape[2:], stride, padding, dilation,
                       shapes)
    if bias is not None:
        bias = as_tensor(bias)
        if bias.shape != (weight.shape[0],):
            raise ValueError(f"conv2d: the bias must have shape ({weight.shape[0]},), one "
                             f"entry per output channel of a weight of shape {weight.shape}, "
                             f"got shape {bias.shape}")
    return Conv2d.apply(x, weight, bias, stride, padding, dilation)


def unfold(x: Any, kernel_size: IntPair, dilation: IntPair = 1, padding: IntPair = 0,
           stride: IntPair = 1) -> Tensor:
    """im2col, as PyTorch's F.unfold: the sliding kH×kW blocks of x (N, C, H, W) as columns,
    shape (N, C·kH·kW, L), L = OH·OW; row (c, i, j) in C-order, column (p, q) in C-order.
    conv2d(x, w) is (w.reshape(C_out, -1) @ unfold(x, k)).reshape(N, C_out, OH, OW)."""
    x = as_tensor(x)
    kernel, stride, padding, dilation = _window_arguments("unfold", kernel_size, stride,
                                                          padding, dilation)
    _check_image("unfold", x)
    _check_output_size("unfold", x.shape[2:], kernel, stride, padding, dilation,
                       f"input of shape {x.shape} and kernel_size {kernel}")
    return Unfold.apply(x, kernel, dilation, padding, stride)


def fold(cols: Any, output_size: IntPair, kernel_size: IntPair, dilation: IntPair = 1,
         padding: IntPair = 0, stride: IntPair = 1) -> Tensor:
    """col2im, as PyTorch's F.fold: columns (N, C·kH·kW, L) back to an image
    (N, C, *output_size), each pixel the sum of the entries unfold would read from it (so
    fold(unfold(x)) is x times the number of blocks that cover each pixel)."""
    cols = as_tensor(cols)
    size = _pair(output_size, "output_size", "fold")
    kernel, stride, padding, dilation = _window_arguments("fold", kernel_size, stride,
                                                          padding, dilation)
    if min(size) <= 0:
        raise ValueError(f"fold: output_size must be positive, got {size}")
    if cols.ndim != 3:
        raise ValueError(f"fold: the input must be 3-D (N, C·kH·kW, L), got shape "
                         f"{cols.shape}")
    blocks = kernel[0] * kernel[1]
    if cols.shape[1] % blocks:
        raise ValueError(f"fold: input of shape {cols.shape} does not fit kernel_size "
                         f"{kernel}: its dimension 1 ({cols.shape[1]}) must be C·kH·kW, a "
                         f"multiple of {blocks}")
    shapes = f"input of shape {cols.shape}, output_size {size} and kernel_size {kernel}"
    oh, ow = _check_output_size("fold", size, kernel, stride, padding, dilation, shapes)
    if cols.shape[2] != oh * ow:
        raise ValueError(f"fold: {shapes} do not fit: the input has L = {cols.shape[2]} "
                         f"blocks but output_size {size} holds {oh}×{ow} = {oh * ow} of "
                         f"them (each side {OUTPUT_SIZE_RULE})")
    return Fold.apply(cols, size, kernel, dilation, padding, stride)


__all__ = ["Conv2d", "Fold", "Unfold", "conv2d", "fold", "unfold"]
