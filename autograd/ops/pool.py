"""Pooling over NCHW images, PyTorch's semantics: max_pool2d and avg_pool2d.

Both read each window through a strided view of the (padded) image (numpy stride tricks, no
copy and no Python loop over pixels), then reduce over the two window axes. Their backward
passes are ops that are themselves differentiable, so second order works:

- max pool's gradient is *routed*: each output's gradient goes to the input that was the
  maximum of its window (MaxPoolRoute); the routing's own derivative is the gather of the
  gradient at those inputs, so the second derivative is the same fixed routing;
- average pool's gradient is *spread*: each output's gradient, divided by kH·kW, goes to every
  position of its window (AvgPoolSpread); spreading and averaging are each other's adjoint.

Output size along each spatial axis: floor((H + 2p − k) / s) + 1 (PyTorch's, ceil_mode off).
"""

from __future__ import annotations

from typing import Any, Sequence, Union

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from autograd.function import Function
from autograd.ops.formula import ArraySafe, raw, where
from autograd.tensor import Tensor

Size2 = Union[int, Sequence[int]]


def _windows(padded: np.ndarray, kernel: tuple, stride: tuple) -> np.ndarray:
    """The (N, C, OH, OW, kH, kW) read-only view of every window of a padded NCHW image."""
    view = sliding_window_view(padded, kernel, axis=(2, 3))
    return view[:, :, ::stride[0], ::stride[1]]


def _pad(x: np.ndarray, padding: tuple, value: Any) -> np.ndarray:
    if padding == (0, 0):
        return x
    (ph, pw) = padding
    return np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=value)


def _lowest(dtype: np.dtype) -> Any:
    """What max pool pads with: −inf, or the smallest integer for integer images."""
    return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min if dtype.kind in "iu" else 0


class MaxPool2d(ArraySafe, Function):
    """∂maxpool(x)ₒ/∂xᵢ = [xᵢ is the first maximum of window o]  (gradients of overlapping
    windows add up)"""

    @staticmethod
    def forward(ctx, x, kernel, stride, padding):
        if stride == kernel and padding == (0, 0):
            out, row, column = _block_max(x, kernel)
            if row is not None:
                ctx.save_for_backward(row, column)
                return out
        n, c, h, w = x.shape
        kh, kw = kernel
        windows = _windows(_pad(x, padding, _lowest(x.dtype)), kernel, stride)
        oh, ow = windows.shape[2:4]
        flat = windows.reshape(n, c, oh, ow, kh * kw)
        # argmax gives the first maximum in row-major order, as PyTorch's kernel does (it
        # replaces the running maximum only on a strictly greater value); a NaN is the maximum
        offset = np.argmax(flat, axis=-1)
        out = np.take_along_axis(flat, offset[..., None], axis=-1)[..., 0]
        rows = np.arange(oh)[:, None] * stride[0] - padding[0]  # window origins in x
        cols = np.arange(ow)[None, :] * stride[1] - padding[1]
        if padding != (0, 0):
            # a window whose values are all −inf (padding included) routes, as in PyTorch,
            # to its first position inside the image, never to the padding
            first = np.maximum(-rows, 0) * kw + np.maximum(-cols, 0)
            offset = np.where(out == _lowest(x.dtype), first, offset)
        di, dj = np.divmod(offset, kw)
        # the flat position in x of each window's maximum
        planes = np.arange(n * c).reshape(n, c, 1, 1) * (h * w)
        index = planes + (rows + di) * w + (cols + dj)
        ctx.save_for_backward(index)
        return out

    @staticmethod
    def backward(ctx, grad):
        x, kernel = ctx.inputs[0], ctx.inputs[1]
        saved = ctx.saved_tensors
        if len(saved) == 2:  # non-overlapping windows: the first maxima's row and column
            row, column = raw(saved[0]), raw(saved[1])
            return MaxPoolRoute.run(grad, (row, column, kernel), x.shape), None, None, None
        return MaxPoolRoute.run(grad, raw(saved[0]), x.shape), None, None, None


def _columns(x: np.ndarray, kernel: tuple, rows: int, cols: int) -> list:
    """Where windows do not overlap (stride = kernel, no padding): the kW views
    x[:, :, :rows, j:cols:kW], each (N, C, rows, cols / kW), column j of every window. Rows
    and columns past the last whole window are cropped (the output size floor((H − k) / k) + 1)."""
    kw = kernel[1]
    return [x[:, :, :rows, j:cols:kw] for j in range(kw)]


def _first(parts: list, best: np.ndarray) -> np.ndarray:
    """int8 selector: the index of the first of the parts equal to `best` (one of them is),
    counted as the number of leading parts that are not."""
    behind = parts[0] != best
    select = behind.astype(np.int8)
    for part in parts[1:-1]:
        behind &= part != best
        select += behind
    return select


def _pick(select: np.ndarray, parts: list) -> np.ndarray:
    """parts[select] elementwise: Σₖ [select = k]·partsₖ where the parts are finite (a
    product by a mask is several times faster than np.where), else a chain of wheres (exact
    for ±∞ and NaN, which a product by a zero would turn into NaN)."""
    if len(parts) == 1:
        return parts[0].copy()
    if all(np.isfinite(part).all() for part in parts):
        out = parts[0] * (select == 0)
        for k in range(1, len(parts)):
            out += parts[k] * (select == k)
        return out
    out = parts[-1]
    for k in range(len(parts) - 2, -1, -1):
        out = np.where(select == k, parts[k], out)
    return out


def _keep(grad: np.ndarray, mask: np.ndarray, finite: bool, out: np.ndarray) -> None:
    """out = grad where mask, else 0: a product by the mask when grad is finite, else a where."""
    if finite:
        np.multiply(grad, mask, out=out)
    else:
        out[...] = np.where(mask, grad, np.zeros((), dtype=grad.dtype))


def _block_max(x: np.ndarray, kernel: tuple) -> tuple:
    """Max pool with stride = kernel and no padding, without argmax: (out, row selector,
    column selector), or (out, None, None) where a NaN is among the maxima (the general path
    handles it). A window's maximum is found in two halves, over each of its rows (r: the
    maximum of the kW column views), then over its rows (m); the first maximum in row-major
    order is in the first row i with rᵢ = m, at that row's first column j with xᵢⱼ = rᵢ."""
    kh, kw = kernel
    oh, ow = x.shape[2] // kh, x.shape[3] // kw
    cols = _columns(x, kernel, oh * kh, ow * kw)
    r = cols[0] if kw == 1 else np.maximum(cols[0], cols[1])
    for j in range(2, kw):
        np.maximum(r, cols[j], out=r)
    rows = [r[:, :, i::kh] for i in range(kh)]
    m = rows[0] if kh == 1 else np.maximum(rows[0], rows[1])
    for i in range(2, kh):
        np.maximum(m, rows[i], out=m)
    m = np.ascontiguousarray(m)
    if x.dtype.kind == "f" and np.isnan(m).any():
        return m, None, None
    return m, _first(rows, m), _first(cols, r)


class MaxPoolRoute(ArraySafe, Function):
    """∂route(g)ᵢ/∂gₒ = [i is where output o's maximum came from]; its backward is the gather
    g'[index]"""

    @staticmethod
    def forward(ctx, grad, index, shape):
        if type(index) is tuple:  # (row, column, kernel) of non-overlapping windows
            return _block_route(grad, *index, shape)
        out = np.zeros(int(np.prod(shape)), dtype=grad.dtype)
        np.add.at(out, index.reshape(-1), grad.reshape(-1))  # overlapping windows add up
        return out.reshape(shape)

    @staticmethod
    def backward(ctx, grad):
        _, index, _ = ctx.inputs
        if type(index) is tuple:
            return _block_gather(grad, *index), None, None
        return grad.reshape(-1)[index], None, None


def _block_route(grad: np.ndarray, row: np.ndarray, column: np.ndarray, kernel: tuple,
                 shape: tuple) -> np.ndarray:
    """Max pool's routing where windows do not overlap (stride = kernel, no padding): g of
    window o goes to its row row[o], then that row's column column[...], zeros elsewhere."""
    kh, kw = kernel
    finite = bool(np.isfinite(grad).all())
    by_row = np.empty(column.shape, dtype=grad.dtype)  # g in its window's chosen row
    for i in range(kh):
        _keep(grad, row == i, finite, by_row[:, :, i::kh])
    rows, cols = column.shape[2], column.shape[3] * kw
    out = (np.empty if (rows, cols) == tuple(shape[2:]) else np.zeros)(shape, grad.dtype)
    for j, part in enumerate(_columns(out, kernel, rows, cols)):
        _keep(by_row, column == j, finite, part)
    return out


def _block_gather(grad: Any, row: np.ndarray, column: np.ndarray, kernel: tuple) -> Any:
    """The adjoint of _block_route: g at each window's first maximum (an array, or a Tensor
    through indexing and where, so that it is recorded under create_graph)."""
    kh, kw = kernel
    rows, cols = column.shape[2], column.shape[3] * kw
    pick = _pick if type(grad) is np.ndarray else _pick_recorded
    by_row = pick(column, [grad[:, :, :rows, j:cols:kw] for j in range(kw)])
    return pick(row, [by_row[:, :, i::kh] for i in range(kh)])


def _pick_recorded(select: np.ndarray, parts: list) -> Any:
    out = parts[-1]
    for k in range(len(parts) - 2, -1, -1):
        out = where(select == k, parts[k], out)
    return out


class AvgPool2d(ArraySafe, Function):
    """∂avgpool(x)ₒ/∂xᵢ = [i in window o] / (kH·kW)  (padded zeros count: count_include_pad)"""

    @staticmethod
    def forward(ctx, x, kernel, stride, padding):
        windows = _windows(_pad(x, padding, 0), kernel, stride)
        total = np.add.reduce(windows, axis=(-2, -1))
        return total / (kernel[0] * kernel[1])  # a Python int keeps the float dtype

    @staticmethod
    def backward(ctx, grad):
        x, kernel, stride, padding = ctx.inputs
        return AvgPoolSpread.run(grad, kernel, stride, padding, x.shape), None, None, None


class AvgPoolSpread(ArraySafe, Function):
    """∂spread(g)ᵢ/∂gₒ = [i in window o] / (kH·kW); its backward is the average pool"""

    @staticmethod
    def forward(ctx, grad, kernel, stride, padding, shape):
        n, c, h, w = shape
        (kh, kw), (sh, sw), (ph, pw) = kernel, stride, padding
        oh, ow = grad.shape[2:]
        padded = np.zeros((n, c, h + 2 * ph, w + 2 * pw), dtype=grad.dtype)
        share = grad / (kh * kw)
        for di in range(kh):  # one slice per kernel offset, never a loop over pixels
            for dj in range(kw):
                padded[:, :, di:di + sh * oh:sh, dj:dj + sw * ow:sw] += share
        return padded[:, :, ph:ph + h, pw:pw + w].copy()

    @staticmethod
    def backward(ctx, grad):
        _, kernel, stride, padding, _ = ctx.inputs
        return AvgPool2d.run(grad, kernel, stride, padding), None, None, None, None


# ---------------------------------------------------------------------- the functions
def max_pool2d(x: Tensor, kernel_size: Size2, stride: Size2 = None,
               padding: Size2 = 0) -> Tensor:
    """The maximum of each kH×kW window of an (N, C, H, W) image, as torch's max_pool2d.

    `stride` defaults to `kernel_size`; each of them and `padding` is an int or a pair
    (rows, columns). Padding adds −inf borders (never chosen) and is at most half the kernel.
    The output is (N, C, OH, OW) with OH = floor((H + 2p − kH) / s) + 1.

    Gradient: each output's gradient goes to the position of its window's maximum. Of tied
    maxima only the first in row-major order gets it (as in PyTorch), so the gradient still
    sums to the output gradient; where windows overlap (stride < kernel) an input that is the
    maximum of several windows receives the sum of their gradients.
    """
    x, kernel, stride, padding = _pool_args("max_pool2d", x, kernel_size, stride, padding)
    return MaxPool2d.apply(x, kernel, stride, padding)


def avg_pool2d(x: Tensor, kernel_size: Size2, stride: Size2 = None,
               padding: Size2 = 0) -> Tensor:
    """The mean of each kH×kW window of an (N, C, H, W) image, as torch's avg_pool2d.

    `stride` defaults to `kernel_size`; each of them and `padding` is an int or a pair.
    Padding adds zeros that count in the mean (PyTorch's count_include_pad=True): a corner
    window of a 2×2 kernel with padding 1 is a quarter of its one pixel. Padding is at most
    half the kernel; the output size is floor((H + 2p − kH) / s) + 1 along each axis.
    Gradient: each output's gradient, divided by kH·kW, goes to every position of its window.
    """
    x, kernel, stride, padding = _pool_args("avg_pool2d", x, kernel_size, stride, padding)
    return AvgPool2d.apply(x, kernel, stride, padding)


def _pair(op: str, name: str, value: Any) -> tuple:
    """An int or a pair of ints as a pair, else a TypeError naming the op and argument."""
    items = (value, value) if not isinstance(value, (tuple, list)) else tuple(value)
    if len(items) != 2 or not all(
            isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_))
            for v in items):
        raise TypeError(f"{op}: {name} must be an int or a pair of ints, got {value!r}")
    return int(items[0]), int(items[1])


def _pool_args(op: str, x: Any, kernel_size: Size2, stride: Size2, padding: Size2) -> tuple:
    """Check a pooling call as PyTorch does; every error names the op, the shapes and the rule."""
    if not isinstance(x, Tensor):
        x = Tensor(x)
    kernel = _pair(op, "kernel_size", kernel_size)
    stride = kernel if stride is None else _pair(op, "stride", stride)
    padding = _pair(op, "padding", padding)
    if x.ndim != 4:
        raise ValueError(f"{op} expects a 4-D input (N, C, H, W), got shape {x.shape}")
    if min(kernel) <= 0:
        raise ValueError(f"{op}: kernel_size must be positive, got {kernel}")
    if min(stride) <= 0:
        raise ValueError(f"{op}: stride must be positive, got {stride}")
    if min(padding) < 0:
        raise ValueError(f"{op}: padding must be non-negative, got {padding}")
    if padding[0] > kernel[0] // 2 or padding[1] > kernel[1] // 2:
        raise ValueError(f"{op}: padding {padding} must be at most half the kernel size "
                         f"{kernel} (rule: padding ≤ kernel_size / 2)")
    size = x.shape[2:]
    out = tuple((size[i] + 2 * padding[i] - kernel[i]) // stride[i] + 1 for i in range(2))
    if min(out) <= 0:
        raise ValueError(
            f"{op} of input shape {x.shape}: kernel {kernel} with stride {stride} and padding "
            f"{padding} does not fit in the input of size {size[0]}×{size[1]}: the output size "
            f"floor((H + 2p − k) / s) + 1 is {out[0]}×{out[1]}, and must be at least 1×1")
    return x, kernel, stride, padding
