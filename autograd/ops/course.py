"""The course's ops in one file. Each is a Function whose forward and backward sit side by
side, its local derivative the first line of its docstring, its function form right after it:

    arithmetic     Add Sub Mul Div Pow Neg
    linear maps    MatMul, Affine (the layer's s = xW + b in one node)
    activations    Exp Log Sqrt Sigmoid Tanh ReLU Step
    reductions     Sum Mean LogSumExp (with optional weights b)
    softmax        Softmax LogSoftmax
    shape          Reshape Transpose BroadcastTo GetItem (and IndexAdd, its backward)

and `unbroadcast`, which the backward of every op that broadcasts calls. A backward formula
runs on numpy arrays or on Tensors alike (formula.py says why), so it is written with the
operators both share. The other ops are grouped by concept: elementwise.py, reductions.py,
shape.py, linalg.py, conv.py, pool.py, pad.py and compositions.py.
"""

from __future__ import annotations

import math
from typing import Any, Optional, Sequence, Union

import numpy as np

from autograd.dtypes import as_floating, floating_result, operand_array
from autograd.function import Function
from autograd.ops.arguments import Axis, _checked, _operands, _reduction_args, normalize_axes
# formula.exp, .log and .broadcast_to take arrays or Tensors (this module's exp, log and
# broadcast_to are the ops, which make Tensors)
from autograd.ops import formula
from autograd.ops.formula import ArraySafe, constant, raw, where, zeros
from autograd.tensor import Tensor
from autograd.torch_keywords import torch_aliases


# ---------------------------------------------------------------------- broadcasting
_add_reduce = np.add.reduce  # an array's .sum() runs a Python layer first


def unbroadcast(grad: Any, shape: tuple) -> Any:
    """Sum `grad` over the axes that broadcasting added or stretched, giving `shape`.

    If x of shape (3, 1) was broadcast to (2, 3, 4), each x[i, 0] was used 2·4 times, so its
    gradient is the sum of those 8 entries of the output's gradient.
    """
    grad_shape = grad.shape  # grad: an array or a Tensor (one formula serves both)
    if grad_shape == shape:
        return grad
    extra = len(grad_shape) - len(shape)
    stretched = []
    for i, size in enumerate(shape):
        if size == 1 and grad_shape[extra + i] != 1:
            stretched.append(extra + i)
    if not stretched:  # only leading axes were added (a bias row): one sum does it
        axes = 0 if extra == 1 else tuple(range(extra))
        return _add_reduce(grad, axes) if type(grad) is np.ndarray else grad.sum(axis=axes)
    axes = tuple(range(extra)) + tuple(stretched)
    grad = (_add_reduce(grad, axes, keepdims=True) if type(grad) is np.ndarray
            else grad.sum(axis=axes, keepdims=True))
    return grad.reshape(shape) if extra else grad


# ---------------------------------------------------------------------- arithmetic
class Add(ArraySafe, Function):
    """∂(a+b)/∂a = 1,  ∂(a+b)/∂b = 1"""

    reads = ((), ())

    @staticmethod
    def forward(ctx, a, b):
        return a + b

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.inputs
        need_a, need_b = ctx.needs_input_grad
        return (unbroadcast(grad, a.shape) if need_a else None,
                unbroadcast(grad, b.shape) if need_b else None)


def add(a: Any, b: Any) -> Tensor:
    """a + b, broadcasting."""
    return Add.apply(*_operands(a, b))


class Sub(ArraySafe, Function):
    """∂(a−b)/∂a = 1,  ∂(a−b)/∂b = −1"""

    reads = ((), ())

    @staticmethod
    def forward(ctx, a, b):
        return a - b

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.inputs
        need_a, need_b = ctx.needs_input_grad
        return (unbroadcast(grad, a.shape) if need_a else None,
                unbroadcast(-grad, b.shape) if need_b else None)


def sub(a: Any, b: Any) -> Tensor:
    """a − b, broadcasting."""
    return Sub.apply(*_operands(a, b))


class Mul(ArraySafe, Function):
    """∂(a·b)/∂a = b,  ∂(a·b)/∂b = a"""

    reads = ((1,), (0,))

    @staticmethod
    def forward(ctx, a, b):
        return a * b

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.inputs
        need_a, need_b = ctx.needs_input_grad
        return (unbroadcast(grad * b, a.shape) if need_a else None,
                unbroadcast(grad * a, b.shape) if need_b else None)


def mul(a: Any, b: Any) -> Tensor:
    """a · b elementwise, broadcasting."""
    return Mul.apply(*_operands(a, b))


class Div(ArraySafe, Function):
    """∂(a/b)/∂a = 1/b,  ∂(a/b)/∂b = −a/b²"""

    reads = ((1,), (0, 1))

    @staticmethod
    def forward(ctx, a, b):
        return a / b

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.inputs
        need_a, need_b = ctx.needs_input_grad
        return (unbroadcast(grad / b, a.shape) if need_a else None,
                unbroadcast(-grad * a / (b * b), b.shape) if need_b else None)


def div(a: Any, b: Any) -> Tensor:
    """a / b elementwise, broadcasting."""
    return Div.apply(*_operands(a, b))


class Pow(ArraySafe, Function):
    """∂(aᵇ)/∂a = b·aᵇ⁻¹,  ∂(aᵇ)/∂b = aᵇ·ln a  (at a = 0: 0 for b ≥ 0, −inf for b < 0)"""

    @staticmethod
    def forward(ctx, a, b):
        return np.power(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.inputs
        need_a, need_b = ctx.needs_input_grad
        grad_a = grad_b = None
        if need_a:
            exponent = b - 1
            zero_zero = (raw(b) == 0) & (raw(a) == 0)
            if zero_zero.any():
                # a⁰ = 1 has derivative 0, also at a = 0 (where 0·0⁻¹ would give nan): b·a¹
                # is 0 and finite there, and `where` keeps the formula differentiable in b
                exponent = where(zero_zero, 1, exponent)
            grad_a = unbroadcast(grad * b * a ** exponent, a.shape)
        if need_b:
            # At a = 0, PyTorch's rule: 0 where b ≥ 0 (the limit of aᵇ·ln a for b > 0; 0⁰ = 1
            # for every b), −inf where b < 0 (∞·(−∞)); never 0·(−∞) = nan. ln is taken of 1
            # at a = 0, so that its own derivative 1/a never meets a zero there.
            zero = raw(a) == 0
            if zero.any():
                with np.errstate(divide="ignore", invalid="ignore"):  # entries replaced below
                    slope = a ** b * formula.log(where(zero, 1, a))
                below = zero & (raw(b) < 0)
                slope = where(below, -np.inf, slope) if below.any() else slope
            else:
                slope = a ** b * formula.log(a)
            grad_b = unbroadcast(grad * slope, b.shape)
        return grad_a, grad_b


def pow(a: Any, b: Any) -> Tensor:
    """a ** b elementwise, broadcasting (tensor or scalar on either side)."""
    return Pow.apply(*_operands(a, b))


class Neg(ArraySafe, Function):
    """∂(−a)/∂a = −1"""

    reads = ((),)

    @staticmethod
    def forward(ctx, a):
        return -a

    @staticmethod
    def backward(ctx, grad):
        return -grad


def neg(a: Tensor) -> Tensor:
    """−a."""
    return Neg.apply(a)


# ---------------------------------------------------------------------- linear maps
class MatMul(ArraySafe, Function):
    """∂(A@B)/∂A: G @ Bᵀ,  ∂(A@B)/∂B: Aᵀ @ G"""

    operands = ("A", "B")  # its operands as its derivative names them (pictures)

    reads = ((1,), (0,))

    @staticmethod
    def forward(ctx, a, b):
        if a.ndim == 0 or b.ndim == 0:
            raise ValueError("matmul needs operands of at least one dimension")
        return np.matmul(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.inputs
        need_a, need_b = ctx.needs_input_grad
        if a.ndim == 2 and b.ndim == 2:  # the layer case, kept free of reshapes
            return (grad @ b.T if need_a else None,
                    a.T @ grad if need_b else None)
        # A 1-D operand acts as a row (left) or column (right) vector: give it and the
        # gradient that axis back, then take it away again at the end.
        a2 = a.reshape(1, -1) if a.ndim == 1 else a
        b2 = b.reshape(-1, 1) if b.ndim == 1 else b
        g2 = grad
        if b.ndim == 1:
            g2 = g2.reshape(g2.shape + (1,))
        if a.ndim == 1:
            g2 = g2.reshape(g2.shape[:-1] + (1,) + g2.shape[-1:])
        grad_a = grad_b = None
        if need_a:
            grad_a = unbroadcast(g2 @ b2.swapaxes(-1, -2), a2.shape).reshape(a.shape)
        if need_b:
            grad_b = unbroadcast(a2.swapaxes(-1, -2) @ g2, b2.shape).reshape(b.shape)
        return grad_a, grad_b


def matmul(a: Any, b: Any) -> Tensor:
    """The matrix product a @ b, with numpy's rules for 1-D and batched operands."""
    return MatMul.apply(*_operands(a, b))


class Affine(ArraySafe, Function):
    """∂(xW+b)/∂x = G Wᵀ,  ∂(xW+b)/∂W = xᵀ G,  ∂(xW+b)/∂b = Σₙ G"""

    operands = ("x", "W", "b")  # its operands as its derivative names them (pictures)

    @staticmethod
    def forward(ctx, x, w, b):
        if x.ndim == 0 or w.ndim != 2:
            raise ValueError("affine needs x of at least one dimension and a 2-D W")
        out = np.matmul(x, w)
        out += b  # a fresh array: the bias is added in place, one pass and no temporary
        return out

    @staticmethod
    def backward(ctx, grad):
        x, w, b = ctx.inputs
        need_x, need_w, need_b = ctx.needs_input_grad
        grad_w = None
        if need_w:  # every row of x (over all leading axes) meets its row of G
            # the row count written out: reshape cannot infer −1 when an axis is 0
            rows = x.size // x.shape[-1] if x.shape[-1] else int(np.prod(x.shape[:-1]))
            grad_w = (x.T @ grad if x.ndim == 2 else
                      x.reshape(rows, x.shape[-1]).T @ grad.reshape(rows, grad.shape[-1]))
        return (grad @ w.T if need_x else None, grad_w,
                unbroadcast(grad, b.shape) if need_b else None)


def affine(x: Any, w: Any, b: Any) -> Tensor:
    """x W + b in one node: the course's s = xW + b of a dense layer (W is (in, out), b is
    (out,)); the same values and gradients as `x @ W + b`, one op fewer in the graph."""
    x, w = _operands(x, w)
    if not isinstance(b, Tensor):
        b = Tensor._make(operand_array(b, w.data))
    if b.shape != (w.shape[-1],):
        raise ValueError(f"affine: b must have shape ({w.shape[-1]},) for W of shape "
                         f"{w.shape}, got {b.shape}")
    return Affine.apply(x, w, b)


# ---------------------------------------------------------------------- activations
class Exp(ArraySafe, Function):
    """∂eᵃ/∂a = eᵃ"""

    reads = ((),)

    @staticmethod
    def forward(ctx, a):
        out = np.exp(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad * out


def exp(a: Tensor) -> Tensor:
    """eᵃ elementwise."""
    return Exp.apply(a)


class Log(ArraySafe, Function):
    """∂ln a/∂a = 1/a"""

    reads = ((0,),)

    @staticmethod
    def forward(ctx, a):
        return np.log(a)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.inputs
        return grad / a


def log(a: Tensor) -> Tensor:
    """Natural logarithm elementwise."""
    return Log.apply(a)


class Sqrt(ArraySafe, Function):
    """∂√a/∂a = 1/(2√a)"""

    reads = ((),)

    @staticmethod
    def forward(ctx, a):
        out = np.sqrt(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad / (2 * out)


def sqrt(a: Tensor) -> Tensor:
    """Square root elementwise."""
    return Sqrt.apply(a)


class Sigmoid(ArraySafe, Function):
    """∂σ(a)/∂a = σ(a)·(1 − σ(a))"""

    reads = ((),)

    @staticmethod
    def forward(ctx, a):
        # exp(−a) overflows to inf for very negative a, and 1/(1+inf) = 0 is the right
        # answer: only the warning is silenced (and exp(−a) → 0 for very positive a, also
        # right). This form is exact in both tails.
        a = as_floating(a, np.exp)  # integers: −a in uint8 would wrap (−1 = 255)
        with np.errstate(over="ignore", under="ignore"):
            out = 1 / (1 + np.exp(-a))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad * out * (1 - out)


def sigmoid(a: Tensor) -> Tensor:
    """σ(a) = 1/(1 + e⁻ᵃ) elementwise, finite and warning-free for any input."""
    return Sigmoid.apply(a)


class Tanh(ArraySafe, Function):
    """∂tanh(a)/∂a = 1 − tanh²(a)"""

    reads = ((),)

    @staticmethod
    def forward(ctx, a):
        out = np.tanh(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad * (1 - out * out)


def tanh(a: Tensor) -> Tensor:
    """Hyperbolic tangent elementwise."""
    return Tanh.apply(a)


class ReLU(ArraySafe, Function):
    """∂relu(a)/∂a = [a > 0]"""

    reads = ((0,),)

    @staticmethod
    def forward(ctx, a):
        return np.maximum(a, 0)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.inputs
        return grad * constant((raw(a) > 0).astype(grad.dtype), grad)


def relu(a: Tensor) -> Tensor:
    """max(a, 0) elementwise."""
    return ReLU.apply(a)


class Step(ArraySafe, Function):
    """∂H(a)/∂a = 0  (Heaviside: H(a) = 1 if a ≥ 0 else 0)"""

    @staticmethod
    def forward(ctx, a):
        return (a >= 0).astype(a.dtype)

    @staticmethod
    def backward(ctx, grad):
        return zeros(grad.shape, grad)


def step(a: Tensor) -> Tensor:
    """Heaviside step H(a): 1 where a ≥ 0, else 0; its gradient is zero."""
    return Step.apply(a)


# ---------------------------------------------------------------------- reductions
def kept_shape(shape: tuple, axes: tuple) -> tuple:
    """The shape of a reduction with keepdims=True: reduced axes become 1."""
    return tuple(1 if i in axes else size for i, size in enumerate(shape))


def _expand_back(grad: Any, shape: tuple, axes: tuple, keepdims: bool) -> Any:
    # Give the reduced gradient its kept size-1 axes, so it broadcasts against the input.
    return grad if keepdims else grad.reshape(kept_shape(shape, axes))


def _reduced_count(shape: tuple, axes: tuple) -> int:
    # n of the mean: how many entries each output averages
    return math.prod(shape[i] for i in axes)


class Sum(ArraySafe, Function):
    """∂(Σᵢ aᵢ)/∂aⱼ = 1"""

    reads = ((),)

    @staticmethod
    def forward(ctx, a, axis, keepdims):
        # the ufunc's own reduce: np.sum adds a Python layer that costs more than small sums
        return np.add.reduce(a, axis=axis, keepdims=keepdims)

    @staticmethod
    def backward(ctx, grad):
        a, axis, keepdims = ctx.inputs
        axes = normalize_axes(axis, a.ndim)
        grad = _expand_back(grad, a.shape, axes, keepdims)
        return formula.broadcast_to(grad, a.shape), None, None


@torch_aliases
def sum(a: Tensor, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Sum over `axis` (all axes when None)."""
    return Sum.apply(a, *_reduction_args(a, axis, keepdims))


class Mean(ArraySafe, Function):
    """∂(1/n Σᵢ aᵢ)/∂aⱼ = 1/n"""

    reads = ((),)

    @staticmethod
    def forward(ctx, a, axis, keepdims):
        count = _reduced_count(a.shape, normalize_axes(axis, a.ndim))
        # float16 sums in float32, as numpy's mean does: a float16 sum (or count) of more
        # than 65504 is inf. Integers and bools sum in float64 (floating_result), as numpy's
        # mean does: an int64 sum of [2⁶², 2⁶²] would wrap. An empty mean is 0/0 = nan, as
        # in numpy and PyTorch.
        half = a.dtype == np.float16
        dtype = np.float32 if half else None if a.dtype.kind == "f" else floating_result(a.dtype)
        with np.errstate(invalid="ignore"):
            total = np.add.reduce(a, axis=axis, keepdims=keepdims, dtype=dtype)
            mean = total / count  # a Python int: the float dtype of the sum is kept
        return mean.astype(np.float16) if half else mean

    @staticmethod
    def backward(ctx, grad):
        a, axis, keepdims = ctx.inputs
        axes = normalize_axes(axis, a.ndim)
        count = _reduced_count(a.shape, axes)
        # with count 0 the input is empty, and so is its gradient
        grad = _expand_back(grad, a.shape, axes, keepdims) * (1.0 / count if count else 0.0)
        return formula.broadcast_to(grad, a.shape), None, None


@torch_aliases
def mean(a: Tensor, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Mean over `axis` (all axes when None); nan for an empty one, as in numpy. Integer and
    bool input gives float64, summed in float64 (numpy's mean)."""
    return Mean.apply(a, *_reduction_args(a, axis, keepdims))


class LogSumExp(ArraySafe, Function):
    """∂ log Σᵢ bᵢe^{aᵢ} / ∂aⱼ = bⱼe^{aⱼ}/Σ,  ∂/∂bⱼ = e^{aⱼ}/Σ  (no b: bᵢ = 1, the softmax)"""

    @staticmethod
    def forward(ctx, a, b, axis, keepdims):
        a = as_floating(a)  # integers and bools: float64 before the max is subtracted
        if b is not None:  # the weights broadcast against a, and may be the bigger one
            a = np.broadcast_to(a, np.broadcast_shapes(a.shape, np.shape(b)))
        shift = np.maximum.reduce(a, axis=axis, keepdims=True)
        shift = np.where(np.isfinite(shift), shift, 0)  # all −inf (or inf) rows: no shift
        if b is None:
            out = np.log(np.add.reduce(np.exp(a - shift), axis=axis, keepdims=True)) + shift
        else:
            # weights can make a sum 0 (its log is −inf) or negative (nan), as in scipy
            with np.errstate(divide="ignore", invalid="ignore"):
                total = np.add.reduce(b * np.exp(a - shift), axis=axis, keepdims=True)
                out = np.log(total) + shift
        if not keepdims:
            out = out.reshape(()) if axis is None else out.squeeze(axis)
        if b is not None:
            out = np.asarray(out, dtype=np.result_type(a, b))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, b, axis, keepdims = ctx.inputs
        (out,) = ctx.saved_tensors
        shape = a.shape if b is None else np.broadcast_shapes(a.shape, np.shape(b))
        axes = normalize_axes(axis, len(shape))
        out = _expand_back(out, shape, axes, keepdims)
        share = _expand_back(grad, shape, axes, keepdims) * formula.exp(a - out)  # G·e^{aⱼ}/Σ
        if b is None:
            return share, None, None, None
        share = formula.broadcast_to(share, shape)  # b may be bigger than a
        grad_b = unbroadcast(share, np.shape(b)) if ctx.needs_input_grad[1] else None
        return unbroadcast(share * b, a.shape), grad_b, None, None


@torch_aliases
def logsumexp(x: Tensor, axis: Axis = None, keepdims: bool = False, b: Any = None) -> Tensor:
    """log Σ b·exp(x) over `axis`, stably: the maximum is subtracted first
    (scipy.special.logsumexp; `b` broadcasts, may be a Tensor and gets a gradient). Without
    b, the plain log-sum-exp. Integer and bool input in float64 (dtypes.floating_result)."""
    if b is None:
        return LogSumExp.apply(x, None, *_checked("logsumexp", x, axis, keepdims))
    shape = np.broadcast_shapes(np.shape(x), np.shape(b))
    axis, keepdims = _checked("logsumexp", np.empty(shape), axis, keepdims)
    return LogSumExp.apply(x, b if isinstance(b, Tensor) else np.asarray(b), axis, keepdims)


# ---------------------------------------------------------------------- softmax
def softmax_parts(a: np.ndarray, axis: int) -> tuple:
    """The stable core of softmax along `axis`: (a − max, e = exp(a − max), Σ e).

    softmax = e / Σ e and log_softmax = (a − max) − log Σ e; subtracting the maximum first
    keeps exp from overflowing, whatever the logits.
    """
    # ufunc reduces rather than np.max/np.sum: their Python layer costs more than the
    # arithmetic on a batch of logits
    shifted = a - np.maximum.reduce(a, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return shifted, e, np.add.reduce(e, axis=axis, keepdims=True)


class Softmax(ArraySafe, Function):
    """∂yᵢ/∂aⱼ = yᵢ(δᵢⱼ − yⱼ),  so  ∂L/∂a = y ⊙ (g − Σ g⊙y)"""

    @staticmethod
    def forward(ctx, a, axis):
        _, e, total = softmax_parts(as_floating(a), axis)
        out = e / total
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        _, axis = ctx.inputs
        (out,) = ctx.saved_tensors
        return out * (grad - (grad * out).sum(axis=axis, keepdims=True)), None


@torch_aliases
def softmax(a: Tensor, axis: int = -1) -> Tensor:
    """e^{aᵢ} / Σⱼ e^{aⱼ} along `axis`."""
    return Softmax.apply(a, axis)


class LogSoftmax(ArraySafe, Function):
    """∂(log yᵢ)/∂aⱼ = δᵢⱼ − yⱼ,  so  ∂L/∂a = g − softmax(a)·Σ g"""

    @staticmethod
    def forward(ctx, a, axis):
        shifted, _, total = softmax_parts(as_floating(a), axis)
        out = shifted - np.log(total)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        _, axis = ctx.inputs
        (out,) = ctx.saved_tensors
        return grad - formula.exp(out) * grad.sum(axis=axis, keepdims=True), None


@torch_aliases
def log_softmax(a: Tensor, axis: int = -1) -> Tensor:
    """log softmax(a) along `axis`, without forming the softmax (stable for large logits)."""
    return LogSoftmax.apply(a, axis)


# ---------------------------------------------------------------------- shape
class Reshape(ArraySafe, Function):
    """∂reshape(a)/∂a: reshape the gradient back to a's shape"""

    reads = ((),)

    @staticmethod
    def forward(ctx, a, shape):
        return a.reshape(shape)

    @staticmethod
    def backward(ctx, grad):
        a, _ = ctx.inputs
        return grad.reshape(a.shape), None


def reshape(a: Tensor, shape: Union[int, Sequence[int]]) -> Tensor:
    """The same values in a new shape (one entry may be −1)."""
    shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
    if shape == a.shape:
        return a
    return Reshape.apply(a, shape)


class Transpose(ArraySafe, Function):
    """∂transpose(a, p)/∂a: transpose the gradient by the inverse permutation p⁻¹"""

    reads = ((),)

    @staticmethod
    def forward(ctx, a, axes):
        return a.transpose(axes)  # the method: np.transpose adds a Python layer

    @staticmethod
    def backward(ctx, grad):
        _, axes = ctx.inputs
        if axes is None:
            return grad.transpose(), None
        return grad.transpose(tuple(np.argsort([ax % grad.ndim for ax in axes]))), None


def transpose(a: Tensor, axes: Optional[Sequence[int]] = None) -> Tensor:
    """Permute the axes (reverse them when `axes` is None)."""
    return Transpose.apply(a, None if axes is None else tuple(axes))


class BroadcastTo(ArraySafe, Function):
    """∂broadcast_to(a)/∂a: sum the gradient over the broadcast axes"""

    reads = ((),)

    @staticmethod
    def forward(ctx, a, shape):
        return np.broadcast_to(a, shape)

    @staticmethod
    def backward(ctx, grad):
        a, _ = ctx.inputs
        return unbroadcast(grad, a.shape), None


def broadcast_to(a: Tensor, shape: Sequence[int]) -> Tensor:
    """a repeated along new or size-1 axes to `shape`, as numpy broadcasting would."""
    shape = tuple(shape)
    if shape == a.shape:
        return a
    return BroadcastTo.apply(a, shape)


class GetItem(ArraySafe, Function):
    """∂a[i]/∂a: the gradient scattered back to the positions i (repeats add up)"""

    reads = ((),)

    @staticmethod
    def forward(ctx, a, index):
        return np.asarray(a[index])

    @staticmethod
    def backward(ctx, grad):
        a, index = ctx.inputs
        return IndexAdd.run(grad, index, a.shape), None


def getitem(a: Tensor, index: Any) -> Tensor:
    """a[index]: slices, integers, integer arrays and boolean masks."""
    return GetItem.apply(a, _plain_index(index))


def _plain_index(index: Any) -> Any:
    # Tensors and lists inside an index become arrays, so that numpy reads them as
    # advanced indices and backward knows when repeats must add up.
    if isinstance(index, tuple):
        return tuple(_plain_index(i) for i in index)
    if isinstance(index, Tensor):
        return index.data
    if isinstance(index, list):
        # [] alone reads as float64 in numpy; an index list is integers (or bools)
        return np.asarray(index) if index else np.zeros(0, dtype=np.intp)
    return index


class IndexAdd(ArraySafe, Function):
    """∂/∂g of (zeros(shape) with g added at i) = g[i]"""

    @staticmethod
    def forward(ctx, grad, index, shape):
        out = np.zeros(shape, dtype=grad.dtype)
        if _has_integer_array(index):
            np.add.at(out, index, grad)  # repeated indices must add up, not overwrite
        else:
            out[index] = grad
        return out

    @staticmethod
    def backward(ctx, grad):
        _, index, _ = ctx.inputs
        return grad[index], None, None


def _has_integer_array(index: Any) -> bool:
    parts = index if isinstance(index, tuple) else (index,)
    return any(isinstance(p, np.ndarray) and p.dtype.kind in "iu" for p in parts)
