"""Products of arrays with numpy's semantics: dot, outer, inner, tensordot, einsum, kron,
and the diagonal family (trace, diag, diagonal) with tril and triu. Most are compositions of
reshape, transpose, matmul, sum and mul; einsum and the diagonal read and scatter are
Functions of their own. Float dtypes are kept; each is differentiable twice. Empty operands
give numpy's answer (an empty sum is 0) and gradients of their shapes."""

from __future__ import annotations

import functools
import operator
import string
from typing import Any, Sequence, Union

import numpy as np

from autograd.function import Function
from autograd.ops.arguments import _operands
from autograd.ops.course import IndexAdd, MatMul, unbroadcast
from autograd.ops.formula import ArraySafe, broadcast_to
from autograd.tensor import Tensor, as_tensor

__all__ = [
    "Diagonal", "DiagonalEmbed", "Einsum",
    "diag", "diagonal", "dot", "einsum", "inner", "kron", "outer", "tensordot", "trace",
    "tril", "triu", "vdot",
]


def _pair(a: Any, b: Any) -> tuple:
    """Both operands as Tensors (numbers take the dtype of a Tensor beside them)."""
    return _operands(a if isinstance(b, Tensor) else as_tensor(a), b)


def _shape_error(op: str, a: Tensor, b: Tensor, why: str) -> ValueError:
    return ValueError(f"{op}: shapes {a.shape} and {b.shape} {why}")


# ---------------------------------------------------------------------- einsum
# numpy's labels: a-z and A-Z; a sublist's integer k is the k-th of A..Z a..z (numpy's own
# mapping, so that the implicit output's order, by label, is the same)
_LABELS = string.ascii_uppercase + string.ascii_lowercase
_ELLIPSIS = "..."


def _sublist_subscripts(args: tuple) -> tuple:
    """numpy's sublist form einsum(op0, sub0, op1, sub1, ..., [output sublist]) as
    (subscripts string, operands): integer k in [0, 52) is the k-th of A..Z a..z, and
    Ellipsis is '...'."""
    operands, sublists = list(args[0::2]), list(args[1::2])
    output = None
    if len(args) % 2:  # an odd count: the last one is the output's sublist
        output = operands.pop()
    if not operands:
        raise ValueError("einsum needs at least one operand and its sublist")

    def letters(sublist: Any, what: str) -> str:
        if not isinstance(sublist, (list, tuple, np.ndarray)):
            raise TypeError(f"einsum: the subscripts of {what} must be a list or a tuple, got "
                            f"{type(sublist).__name__}")
        out = []
        for item in sublist:
            if item is Ellipsis:
                if _ELLIPSIS in out:
                    raise ValueError(f"einsum: the sublist of {what} has more than one "
                                     "Ellipsis")
                out.append(_ELLIPSIS)
                continue
            if isinstance(item, (bool, np.bool_)):
                raise TypeError(f"einsum: each subscript must be an integer or Ellipsis, got "
                                f"{item!r} in the sublist of {what}")
            try:
                k = operator.index(item)
            except TypeError:
                raise TypeError(f"einsum: each subscript must be an integer or Ellipsis, got "
                                f"{item!r} in the sublist of {what}") from None
            if not 0 <= k < len(_LABELS):
                raise ValueError(f"einsum: subscript {k} in the sublist of {what} is not "
                                 f"within the valid range [0, {len(_LABELS)})")
            out.append(_LABELS[k])
        return "".join(out)

    terms = [letters(s, f"operand {i}") for i, s in enumerate(sublists)]
    subscripts = ",".join(terms)
    if output is not None:
        subscripts += "->" + letters(output, "the output")
    return subscripts, operands


def _letters(subscripts: str, term: str, what: str) -> str:
    """A term's letters, '...' (at most once) kept; anything else is an error."""
    if term.count(_ELLIPSIS) > 1 or "." in term.replace(_ELLIPSIS, "", 1):
        raise ValueError(f"einsum {subscripts!r}: {what} has a '.' that is not part of one "
                         "ellipsis '...'")
    for c in term.replace(_ELLIPSIS, ""):
        if c not in _LABELS:
            raise ValueError(f"einsum {subscripts!r}: invalid subscript {c!r} in {what}; "
                             "subscripts must be letters a-z, A-Z")
    return term


def _count(n: int) -> str:
    return f"{n} axis" if n == 1 else f"{n} axes"


@functools.lru_cache(maxsize=1024)
def _explicit(subscripts: str, shapes: tuple) -> tuple:
    """(input terms, output term) of an einsum over operands of `shapes`, made explicit:
    the output spelt out (implicit mode: '...' then the letters used once, in order), and
    each '...' replaced by letters of its own, one per axis it covers (right-aligned: an
    operand with fewer such axes takes the last ones, numpy's broadcasting). Checks every
    rule numpy checks: counts, one '->', letters, axes per operand, an output letter once
    and from an input, repeated letters of one operand equal in size, sizes 1 or equal
    across operands."""
    if not isinstance(subscripts, str):
        raise TypeError(f"einsum: subscripts must be a string, got {type(subscripts).__name__}")
    spec = subscripts.replace(" ", "")
    inputs, arrow, output = spec.partition("->")
    if "-" in inputs + output or ">" in inputs + output:
        raise ValueError(f"einsum {subscripts!r}: '-' and '>' may appear only as one '->' "
                         "before the output")
    terms = inputs.split(",")
    if len(terms) != len(shapes):
        raise ValueError(f"einsum {subscripts!r}: {len(terms)} operand subscripts for "
                         f"{len(shapes)} operands")
    terms = [_letters(subscripts, t, f"operand {i}") for i, t in enumerate(terms)]
    covered = []  # how many axes each operand's '...' covers
    for i, (term, shape) in enumerate(zip(terms, shapes)):
        named = len(term.replace(_ELLIPSIS, ""))
        if (named > len(shape)) or (_ELLIPSIS not in term and named != len(shape)):
            raise ValueError(f"einsum {subscripts!r}: subscripts {term!r} name {_count(named)} "
                             f"of operand {i}, which has {len(shape)} (shape {shape})")
        covered.append(len(shape) - named if _ELLIPSIS in term else 0)
    broadcast = max(covered)
    used = set("".join(terms) + output) - set(".")
    spare = [c for c in _LABELS if c not in used]
    if broadcast > len(spare):
        raise ValueError(f"einsum {subscripts!r}: the ellipsis covers {broadcast} axes and "
                         f"only {len(spare)} letters are left to name them (numpy's 52)")
    ellipsis = "".join(spare[:broadcast])
    terms = [t.replace(_ELLIPSIS, ellipsis[broadcast - n:]) for t, n in zip(terms, covered)]
    if arrow:
        _letters(subscripts, output, "the output")
        for c in output.replace(_ELLIPSIS, ""):
            if output.count(c) > 1:
                raise ValueError(f"einsum {subscripts!r}: the output has subscript {c!r} "
                                 "more than once")
            if not any(c in t for t in terms):
                raise ValueError(f"einsum {subscripts!r}: output subscript {c!r} is in no "
                                 "operand's subscripts")
        if broadcast and _ELLIPSIS not in output:
            raise ValueError(f"einsum {subscripts!r}: the ellipsis covers {_count(broadcast)} "
                             "of an operand and the output has no '...'")
        output = output.replace(_ELLIPSIS, ellipsis)
    else:  # implicit mode: the broadcast axes, then the letters used once, in order
        letters = "".join(terms)
        output = ellipsis + "".join(sorted(c for c in set(letters) - set(ellipsis)
                                           if letters.count(c) == 1))
    sizes: dict = {}  # letter -> (size, operand) of its first size other than 1
    for i, (term, shape) in enumerate(zip(terms, shapes)):
        for c, n in zip(term, shape):
            what = (f"subscript {c!r}" if c not in ellipsis else
                    f"axis {ellipsis.index(c) - broadcast} under '...'")
            first = shape[term.index(c)]
            if n != first:
                raise ValueError(f"einsum {subscripts!r}: {what} is repeated in operand {i} "
                                 f"(shape {shape}) over axes of sizes {first} and {n}")
            if n != 1:
                size, j = sizes.setdefault(c, (n, i))
                if size != n:
                    raise ValueError(f"einsum {subscripts!r}: {what} has size {size} in "
                                     f"operand {j} and {n} in operand {i}, which do not "
                                     "broadcast")
    return tuple(terms), output


class Einsum(ArraySafe, Function):
    """∂einsum(..., Aᵢ, ...)/∂Aᵢ: einsum of G with the other operands into Aᵢ's subscripts"""

    @staticmethod
    def forward(ctx, subscripts, *operands):
        terms, output = _explicit(subscripts, tuple(np.shape(o) for o in operands))
        out = np.einsum(f"{','.join(terms)}->{output}", *operands)
        return out if type(out) is np.ndarray else np.asarray(out)

    @staticmethod
    def backward(ctx, grad):
        subscripts, *operands = ctx.inputs
        terms, output = _explicit(subscripts, tuple(o.shape for o in operands))
        grads = [None]
        for i in range(len(operands)):
            needed = ctx.needs_input_grad[i + 1]
            grads.append(_operand_grad(grad, output, terms, operands, i) if needed else None)
        return tuple(grads)


def _operand_grad(grad: Any, output: str, terms: tuple, operands: list, i: int) -> Any:
    """∂/∂Aᵢ of the einsum (explicit terms and output) given its output's gradient G: the
    einsum of G and the other operands into Aᵢ's letters (each once); summed back over the
    axes Aᵢ broadcast from size 1, spread over a letter Aᵢ alone has, and, for a letter
    Aᵢ repeats, put on that diagonal (zeros elsewhere: it read only the diagonal)."""
    term, shape = terms[i], operands[i].shape
    unique = "".join(dict.fromkeys(term))  # each letter once, in order
    others = [j for j in range(len(terms)) if j != i]
    seen = set(output).union(*(terms[j] for j in others))
    kept = "".join(c for c in unique if c in seen)
    spec = ",".join([output] + [terms[j] for j in others]) + "->" + kept
    g = Einsum.run(spec, grad, *[operands[j] for j in others])
    size = {c: shape[term.index(c)] for c in unique}
    wanted = tuple(size[c] for c in unique)
    if kept != unique:  # a letter in Aᵢ alone, summed there: G is the same along it
        g = g.reshape(tuple(g.shape[kept.index(c)] if c in kept else 1 for c in unique))
    g = unbroadcast(g, wanted)  # Aᵢ's size-1 axes, broadcast against larger ones
    if g.shape != wanted:
        g = broadcast_to(g, wanted)
    if unique != term:  # a repeated letter: Aᵢ's entries off its diagonal were not read
        index = tuple(np.arange(size[c]).reshape([-1 if d == c else 1 for d in unique])
                      for c in term)
        g = IndexAdd.run(g, index, shape)
    return g


def einsum(subscripts: Any, *operands: Any) -> Tensor:
    """numpy's einsum: `einsum('ij,jk->ik', a, b)` (explicit output or implicit, repeated
    subscripts for diagonals and traces, '...' for broadcast axes) or the sublist form
    `einsum(a, [0, 1], b, [1, 2], [0, 2])` (Ellipsis allowed in a sublist)."""
    if isinstance(subscripts, str):
        if not operands:
            raise ValueError("einsum needs at least one operand")
        return Einsum.apply(subscripts, *[as_tensor(o) for o in operands])
    spec, arrays = _sublist_subscripts((subscripts,) + operands)
    tensors = [as_tensor(o) for o in arrays]
    try:
        return Einsum.apply(spec, *tensors)
    except ValueError as error:
        raise ValueError(f"{error} (the sublists read as subscripts {spec!r}: 0-25 are A-Z, "
                         "26-51 are a-z)") from None


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
    # every size written out: a −1 cannot be inferred beside an axis of size 0 (numpy's rule)
    rows, size, columns = (_size(a.shape, free_a), _size(a.shape, axes_a),
                           _size(b.shape, free_b))
    out_shape = tuple(a.shape[i] for i in free_a) + tuple(b.shape[j] for j in free_b)
    a2 = a.transpose(*(free_a + axes_a)).reshape(rows, size)
    b2 = b.transpose(*(axes_b + free_b)).reshape(size, columns)
    return MatMul.apply(a2, b2).reshape(out_shape)


def _size(shape: tuple, axes: list) -> int:
    """The number of entries over `axes` of `shape` (1 for none)."""
    return int(np.prod([shape[i] for i in axes], dtype=np.int64))


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


def vdot(a: Any, b: Any) -> Tensor:
    """numpy's vdot of real arrays: Σᵢ aᵢ bᵢ over the flattened a and b (0 when empty)."""
    a, b = _pair(a, b)
    if a.size != b.size:
        raise _shape_error("vdot", a, b, f"have different sizes ({a.size} != {b.size})")
    return MatMul.apply(a.reshape(a.size), b.reshape(b.size))


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


class Diagonal(ArraySafe, Function):
    """∂diagonal(a)/∂a: G scattered back onto that diagonal, zeros elsewhere"""

    @staticmethod
    def forward(ctx, a, offset, axis1, axis2):
        return np.diagonal(a, offset, axis1, axis2).copy()

    @staticmethod
    def backward(ctx, grad):
        a, offset, axis1, axis2 = ctx.inputs
        return DiagonalEmbed.run(grad, a.shape, offset, axis1, axis2), None, None, None


class DiagonalEmbed(ArraySafe, Function):
    """∂/∂g of (zeros(shape) with g on a diagonal) = that diagonal of G"""

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
