"""Products of arrays with numpy's semantics: dot, outer, inner, tensordot, einsum, kron,
and the diagonal family (trace, diag, diagonal) with tril and triu. Most are compositions of
reshape, transpose, matmul, sum and mul; einsum and the diagonal read and scatter are
Functions of their own. Float dtypes are kept; each is differentiable twice."""

from __future__ import annotations

from typing import Any, Sequence, Union

import numpy as np

from autograd.function import Function
from autograd.ops.arithmetic import _operands
from autograd.ops.formula import constant
from autograd.ops.linalg import MatMul
from autograd.tensor import Tensor, as_tensor

__all__ = [
    "Diagonal", "DiagonalEmbed", "Einsum",
    "diag", "diagonal", "dot", "einsum", "inner", "kron", "outer", "tensordot", "trace",
    "tril", "triu",
]


def _pair(a: Any, b: Any) -> tuple:
    """Both operands as Tensors (numbers take the dtype of a Tensor beside them)."""
    return _operands(a if isinstance(b, Tensor) else as_tensor(a), b)


def _shape_error(op: str, a: Tensor, b: Tensor, why: str) -> ValueError:
    return ValueError(f"{op}: shapes {a.shape} and {b.shape} {why}")


# ---------------------------------------------------------------------- einsum
def _parse(subscripts: str, count: int) -> tuple:
    """(input subscripts, output subscripts) of an einsum, the output made explicit."""
    subscripts = subscripts.replace(" ", "")
    if "." in subscripts:
        raise ValueError("einsum: the ellipsis '...' is not supported")
    inputs, arrow, output = subscripts.partition("->")
    terms = inputs.split(",")
    if len(terms) != count:
        raise ValueError(f"einsum: {len(terms)} subscripts for {count} operands")
    letters = "".join(terms)
    if not all(c.isalpha() for c in letters + output):
        raise ValueError(f"einsum: subscripts must be letters, got {subscripts!r}")
    if not arrow:  # implicit mode: the letters that appear once, in alphabetical order
        output = "".join(sorted(c for c in set(letters) if letters.count(c) == 1))
    return terms, output


class Einsum(Function):
    """∂einsum(..., Aᵢ, ...)/∂Aᵢ: einsum of G with the other operands into Aᵢ's subscripts"""

    array_safe = True

    @staticmethod
    def forward(ctx, subscripts, *operands):
        terms, output = _parse(subscripts, len(operands))
        for term, operand in zip(terms, operands):
            if len(set(term)) != len(term):
                raise ValueError(f"einsum: a repeated subscript within one operand ({term!r}) "
                                 "is not supported; use diagonal or trace")
            if len(term) != operand.ndim:
                raise ValueError(f"einsum: subscripts {term!r} for an operand of shape "
                                 f"{operand.shape}")
        return np.einsum(f"{','.join(terms)}->{output}", *operands)

    @staticmethod
    def backward(ctx, grad):
        subscripts, *operands = ctx.inputs
        terms, output = _parse(subscripts, len(operands))
        grads = [None]
        for i, (term, operand) in enumerate(zip(terms, operands)):
            if not ctx.needs_input_grad[i + 1]:
                grads.append(None)
                continue
            others = [(terms[j], operands[j]) for j in range(len(operands)) if j != i]
            seen = output + "".join(t for t, _ in others)
            if any(c not in seen for c in term):  # a letter summed in Aᵢ alone: G spreads
                others.append((term, constant(np.ones(operand.shape, grad.dtype), grad)))
            spec = ",".join([output] + [t for t, _ in others]) + "->" + term
            grads.append(Einsum.run(spec, grad, *[o for _, o in others]))
        return tuple(grads)


def einsum(subscripts: str, *operands: Any) -> Tensor:
    """numpy's einsum (explicit '->' output or implicit), each subscript once per operand."""
    if not operands:
        raise ValueError("einsum needs at least one operand")
    return Einsum.apply(subscripts, *[as_tensor(o) for o in operands])


# ---------------------------------------------------------------------- contractions
def tensordot(a: Any, b: Any, axes: Union[int, Sequence] = 2) -> Tensor:
    """Σ over a's `axes[0]` against b's `axes[1]` (an int N: a's last N, b's first N)."""
    a, b = _pair(a, b)
    if isinstance(axes, (int, np.integer)):
        if axes < 0 or axes > min(a.ndim, b.ndim):
            raise _shape_error("tensordot", a, b, f"cannot be contracted over {axes} axes")
        axes_a, axes_b = list(range(a.ndim - axes, a.ndim)), list(range(axes))
    else:
        axes_a, axes_b = axes
        axes_a = [axes_a] if isinstance(axes_a, (int, np.integer)) else list(axes_a)
        axes_b = [axes_b] if isinstance(axes_b, (int, np.integer)) else list(axes_b)
    try:
        axes_a = [int(x) + a.ndim if x < 0 else int(x) for x in axes_a]
        axes_b = [int(x) + b.ndim if x < 0 else int(x) for x in axes_b]
        bad = (len(axes_a) != len(axes_b) or len(set(axes_a)) != len(axes_a)
               or len(set(axes_b)) != len(axes_b)
               or any(a.shape[i] != b.shape[j] for i, j in zip(axes_a, axes_b)))
    except IndexError:
        bad = True
    if bad:
        raise _shape_error("tensordot", a, b, f"do not match over axes {axes_a} and {axes_b}")
    free_a = [i for i in range(a.ndim) if i not in axes_a]
    free_b = [j for j in range(b.ndim) if j not in axes_b]
    size = int(np.prod([a.shape[i] for i in axes_a]))
    out_shape = tuple(a.shape[i] for i in free_a) + tuple(b.shape[j] for j in free_b)
    a2 = a.transpose(*(free_a + axes_a)).reshape(-1, size)
    b2 = b.transpose(*(axes_b + free_b)).reshape(size, -1)
    return MatMul.apply(a2, b2).reshape(out_shape)


def dot(a: Any, b: Any) -> Tensor:
    """numpy's dot: a product with a scalar, the inner product of vectors, else Σ over a's
    last axis against b's second-to-last (its only one when b is 1-D)."""
    a, b = _pair(a, b)
    if a.ndim == 0 or b.ndim == 0:
        return a * b
    k = 0 if b.ndim == 1 else b.ndim - 2
    if a.shape[-1] != b.shape[k]:
        raise _shape_error("dot", a, b, f"are not aligned ({a.shape[-1]} != {b.shape[k]})")
    if b.ndim <= 2:
        return MatMul.apply(a, b)
    return tensordot(a, b, axes=([a.ndim - 1], [k]))


def inner(a: Any, b: Any) -> Tensor:
    """Σ over the last axes of a and b (a product when either is a scalar)."""
    a, b = _pair(a, b)
    if a.ndim == 0 or b.ndim == 0:
        return a * b
    if a.shape[-1] != b.shape[-1]:
        raise _shape_error("inner", a, b, "differ in their last axis")
    return tensordot(a, b, axes=([a.ndim - 1], [b.ndim - 1]))


def outer(a: Any, b: Any) -> Tensor:
    """aᵢ bⱼ of the flattened a and b."""
    a, b = _pair(a, b)
    return a.reshape(-1, 1) * b.reshape(1, -1)


def kron(a: Any, b: Any) -> Tensor:
    """The Kronecker product: blocks a[i] · b (the shorter shape padded with leading 1s)."""
    a, b = _pair(a, b)
    n = max(a.ndim, b.ndim)
    sa = (1,) * (n - a.ndim) + a.shape
    sb = (1,) * (n - b.ndim) + b.shape
    spread_a = a.reshape(*[d for s in sa for d in (s, 1)]) if n else a
    spread_b = b.reshape(*[d for s in sb for d in (1, s)]) if n else b
    return (spread_a * spread_b).reshape(tuple(x * y for x, y in zip(sa, sb)))


# ---------------------------------------------------------------------- diagonals
def _diagonal_index(shape: tuple, offset: int) -> tuple:
    """Rows and columns of the diagonal at `offset` of the last two axes of `shape`."""
    rows, cols = shape[-2], shape[-1]
    n = max(0, min(rows + min(offset, 0), cols - max(offset, 0)))
    i = np.arange(n)
    return i + max(-offset, 0), i + max(offset, 0)


class Diagonal(Function):
    """∂diagonal(a)/∂a: G scattered back onto that diagonal, zeros elsewhere"""

    array_safe = True

    @staticmethod
    def forward(ctx, a, offset, axis1, axis2):
        return np.diagonal(a, offset, axis1, axis2).copy()

    @staticmethod
    def backward(ctx, grad):
        a, offset, axis1, axis2 = ctx.inputs
        return DiagonalEmbed.run(grad, a.shape, offset, axis1, axis2), None, None, None


class DiagonalEmbed(Function):
    """∂/∂g of (zeros(shape) with g on a diagonal) = that diagonal of G"""

    array_safe = True

    @staticmethod
    def forward(ctx, g, shape, offset, axis1, axis2):
        out = np.zeros(shape, dtype=g.dtype)
        moved = np.moveaxis(out, (axis1, axis2), (-2, -1))  # a view: writing fills out
        rows, cols = _diagonal_index(moved.shape, offset)
        moved[..., rows, cols] = g
        return out

    @staticmethod
    def backward(ctx, grad):
        _, shape, offset, axis1, axis2 = ctx.inputs
        return Diagonal.run(grad, offset, axis1, axis2), None, None, None, None


def diagonal(a: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Tensor:
    """numpy's diagonal: the (axis1, axis2) diagonal at `offset`, as the last axis."""
    a = as_tensor(a)
    if a.ndim < 2:
        raise ValueError(f"diagonal needs at least 2 dimensions, got shape {a.shape}")
    axis1, axis2 = int(axis1) % a.ndim, int(axis2) % a.ndim
    if axis1 == axis2:
        raise ValueError(f"diagonal: axis1 and axis2 are the same ({axis1}) for shape "
                         f"{a.shape}")
    return Diagonal.apply(a, int(offset), axis1, axis2)


def trace(a: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Tensor:
    """Σ of the (axis1, axis2) diagonal at `offset`."""
    return diagonal(a, offset, axis1, axis2).sum(axis=-1)


def diag(v: Any, k: int = 0) -> Tensor:
    """numpy's diag: a 1-D v on the k-th diagonal of a square matrix, or a 2-D v's k-th
    diagonal."""
    v = as_tensor(v)
    if v.ndim == 1:
        n = v.shape[0] + abs(int(k))
        return DiagonalEmbed.apply(v, (n, n), int(k), 0, 1)
    if v.ndim == 2:
        return diagonal(v, k)
    raise ValueError(f"diag needs a 1-D or 2-D input, got shape {v.shape}")


def _triangle(name: str, m: Any, k: int, lower: bool) -> Tensor:
    m = as_tensor(m)
    if m.ndim < 2:
        raise ValueError(f"{name} needs at least 2 dimensions, got shape {m.shape}")
    rows, cols = m.shape[-2:]
    mask = np.tri(rows, cols, k if lower else k - 1, dtype=bool)
    mask = mask if lower else ~mask
    return m * Tensor._make(mask.astype(m.dtype))


def tril(m: Any, k: int = 0) -> Tensor:
    """The lower triangle: m where column ≤ row + k (last two axes), else 0."""
    return _triangle("tril", m, k, lower=True)


def triu(m: Any, k: int = 0) -> Tensor:
    """The upper triangle: m where column ≥ row + k (last two axes), else 0."""
    return _triangle("triu", m, k, lower=False)
