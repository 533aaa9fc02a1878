"""numpy calls on Tensors (ARCHITECTURE.md "numpy interop"): `np.exp(t)`, `np.sum(t, axis=0)`,
`np.concatenate([t, u])` run chainrule's ops, return Tensors and stay differentiable.

numpy hands a call to `Tensor.__array_ufunc__` (ufuncs: `np.add`, `np.exp`, `a + t` with an
ndarray `a`, ...) or `Tensor.__array_function__` (the other functions: `np.sum`,
`np.reshape`, ...); both come here. A call is translated by name: numpy's own signature binds
the arguments, each is passed to the op under the op's name for it, and an argument the op
lacks (`out=`, `dtype=`, ...) raises TypeError unless it has numpy's default value. A numpy
function without an op raises TypeError naming it: the graph is never silently dropped.
Functions whose results carry no gradient (shapes, indices, comparisons) run on the values.
"""

from __future__ import annotations

import inspect
from typing import Any, Callable, Optional

import numpy as np

from autograd import factories, linalg, ops
from autograd.mode import per_thread as _per_thread
from autograd.tensor import Tensor, attach

# ------------------------------------------------------------------ ufuncs
# numpy's ufunc -> chainrule's op, called with the ufunc's inputs
UFUNCS: dict = {
    np.add: ops.add, np.subtract: ops.sub, np.multiply: ops.mul, np.divide: ops.div,
    np.power: ops.pow, np.negative: ops.neg, np.positive: ops.clone, np.absolute: ops.abs,
    np.fabs: ops.abs, np.matmul: ops.matmul, np.maximum: ops.maximum, np.minimum: ops.minimum,
    np.exp: ops.exp, np.exp2: ops.exp2, np.expm1: ops.expm1, np.log: ops.log,
    np.log2: ops.log2, np.log10: ops.log10, np.log1p: ops.log1p, np.sqrt: ops.sqrt,
    np.square: ops.square, np.reciprocal: ops.reciprocal, np.sign: ops.sign,
    np.sin: ops.sin, np.cos: ops.cos, np.tan: ops.tan, np.arcsin: ops.arcsin,
    np.arccos: ops.arccos, np.arctan: ops.arctan, np.sinh: ops.sinh, np.cosh: ops.cosh,
    np.tanh: ops.tanh, np.arcsinh: ops.arcsinh, np.arccosh: ops.arccosh,
    np.arctanh: ops.arctanh, np.arctan2: ops.arctan2, np.hypot: ops.hypot,
    np.logaddexp: ops.logaddexp, np.logaddexp2: ops.logaddexp2, np.floor: ops.floor,
    np.ceil: ops.ceil, np.trunc: ops.trunc, np.rint: ops.round, np.remainder: ops.mod,
    np.fmod: ops.fmod, np.fmax: ops.fmax, np.fmin: ops.fmin, np.deg2rad: ops.deg2rad,
    np.radians: ops.radians, np.rad2deg: ops.rad2deg, np.degrees: ops.degrees,
    np.cbrt: ops.cbrt, np.floor_divide: ops.floor_divide, np.heaviside: ops.heaviside,
    np.copysign: ops.copysign, np.float_power: ops.float_power,
    np.conjugate: ops.clone,  # a Tensor is real: its conjugate is itself
}

# ufuncs whose results are bool (or integer on integer inputs): no gradient to lose
ON_VALUES_UFUNCS = frozenset({
    np.equal, np.not_equal, np.less, np.less_equal, np.greater, np.greater_equal,
    np.isnan, np.isinf, np.isfinite, np.signbit, np.logical_and, np.logical_or,
    np.logical_xor, np.logical_not,
})

# ufunc.reduce / ufunc.accumulate -> the reduction (numpy's default axis there is 0)
UFUNC_METHODS: dict = {
    (np.add, "reduce"): ops.sum, (np.multiply, "reduce"): ops.prod,
    (np.maximum, "reduce"): ops.max, (np.minimum, "reduce"): ops.min,
    (np.add, "accumulate"): ops.cumsum, (np.multiply, "accumulate"): ops.cumprod,
}


def array_ufunc(ufunc: np.ufunc, method: str, inputs: tuple, kwargs: dict) -> Any:
    """`ufunc.method(*inputs, **kwargs)` with a Tensor among the inputs or outputs."""
    where = f"numpy.{ufunc.__name__}" + ("" if method == "__call__" else f".{method}")
    out = kwargs.pop("out", None)
    if out is not None:
        raise TypeError(
            f"{where}(..., out=...) with a Tensor: chainrule does not write results into "
            "arrays (an ndarray cannot hold a Tensor's graph, and `arr += t` would need one). "
            "Write `y = np.add(a, t)` (or `a + t`) for a new Tensor, or use t.detach().numpy() "
            "for the values.")
    if method == "__call__":
        _refuse_keywords(where, kwargs)
        if ufunc in ON_VALUES_UFUNCS:
            return Tensor._make(np.asarray(ufunc(*[_values(x) for x in inputs])))
        op = UFUNCS.get(ufunc)
        if op is None:
            raise TypeError(_no_op(where))
        return op(*inputs)
    if method == "outer" and ufunc in UFUNCS and len(inputs) == 2:
        _refuse_keywords(where, kwargs)
        a, b = (x if isinstance(x, Tensor) else Tensor(x) for x in inputs)
        return UFUNCS[ufunc](a.reshape(a.shape + (1,) * b.ndim), b)
    op = UFUNC_METHODS.get((ufunc, method))
    if op is None or len(inputs) != 1:
        raise TypeError(_no_op(where))
    axis = kwargs.pop("axis", 0)
    keepdims = kwargs.pop("keepdims", False)
    _refuse_keywords(where, kwargs)
    if method == "accumulate":
        if keepdims:
            raise TypeError(f"{where} takes no keepdims")
        return op(inputs[0], axis)
    return op(inputs[0], axis, keepdims)


def _refuse_keywords(where: str, kwargs: dict) -> None:
    # where=True, casting and order at their defaults change nothing; anything else would be
    # silently ignored by the op
    defaults = {"where": True, "casting": "same_kind", "order": "K", "subok": True,
                "dtype": None, "signature": None}
    for name, value in kwargs.items():
        if not (name in defaults and _is_default(value, defaults[name])):
            raise TypeError(f"{where}(..., {name}=...) on a Tensor: chainrule's op takes "
                            f"no {name}=. Call it without, or on t.detach().numpy() for values.")


# ------------------------------------------------------------------ functions
class Dispatch:
    """How one numpy function maps onto a chainrule op: `renames` maps numpy's parameter
    names to the op's where they differ; `ignored` names numpy parameters that change how
    numpy computes, never the values (einsum's optimize)."""

    def __init__(self, op: Callable[..., Any], ignored: tuple = (), **renames: str) -> None:
        self.op = op
        self.ignored = ignored
        self.renames = renames
        self._op_parameters: Optional[dict] = None

    def __call__(self, func: Callable[..., Any], args: tuple, kwargs: dict) -> Any:
        signature, by_position = _signature(func)
        bound = signature.bind(*args, **kwargs)
        parameters = signature.parameters
        op_parameters = self.op_parameters
        # the array argument comes first in both, whatever each calls it (a, x, arrays, ...)
        first, op_first = next(iter(parameters)), next(iter(op_parameters))
        positional: list = []
        keywords: dict = {}
        for name, value in bound.arguments.items():
            if name in self.ignored:
                continue
            target = self.renames.get(name, op_first if name == first else name)
            kind = parameters[name].kind
            if name in by_position:
                positional.append(value)
            elif kind is inspect.Parameter.VAR_POSITIONAL:
                positional.extend(value)
            elif kind is inspect.Parameter.VAR_KEYWORD:
                for key, item in value.items():
                    self._keyword(func, key, item, None, op_parameters, keywords)
            else:
                self._keyword(func, target, value, parameters[name].default, op_parameters,
                              keywords, numpy_name=name)
        return self.op(*positional, **keywords)

    @property
    def op_parameters(self) -> dict:
        if self._op_parameters is None:
            self._op_parameters = dict(inspect.signature(self.op).parameters)
        return self._op_parameters

    def _keyword(self, func: Callable[..., Any], name: str, value: Any, default: Any,
                 op_parameters: dict, keywords: dict, numpy_name: Optional[str] = None) -> None:
        if name in op_parameters:
            keywords[name] = value
        elif not _is_default(value, default):
            shown = numpy_name or name
            raise TypeError(
                f"numpy.{func.__name__}(..., {shown}=...) on a Tensor: chainrule's "
                f"{self.op.__name__}({', '.join(op_parameters)}) has no {shown}. Leave it "
                f"out, or call numpy on t.detach().numpy() for the values.")


class OnValues:
    """A numpy function whose result carries no gradient (a shape, indices, a comparison):
    it runs on the Tensors' values."""

    def __call__(self, func: Callable[..., Any], args: tuple, kwargs: dict) -> Any:
        return func(*[_values(a) for a in args], **{k: _values(v) for k, v in kwargs.items()})


class InPlace:
    """A numpy function that changes its array in place: chainrule's op returns a new Tensor
    instead, so the call says what to write."""

    def __init__(self, op: str) -> None:
        self.op = op

    def __call__(self, func: Callable[..., Any], args: tuple, kwargs: dict) -> Any:
        raise TypeError(f"numpy.{func.__name__} changes its array in place, which a Tensor's "
                        f"graph cannot follow; write `result = autograd.{self.op}(...)`, "
                        "which returns a new Tensor")


def _where(condition: Any, x: Any = None, y: Any = None) -> Any:
    """np.where(condition) (the indices, no gradient) or np.where(condition, x, y)."""
    if x is None and y is None:
        return np.nonzero(_values(condition))
    if x is None or y is None:
        raise ValueError("where needs either condition alone or condition, x and y")
    return ops.where(condition, x, y)


_SAME = OnValues()

FUNCTIONS: dict = {
    # reductions and statistics
    np.sum: Dispatch(ops.sum), np.mean: Dispatch(ops.mean), np.max: Dispatch(ops.max),
    np.amax: Dispatch(ops.max), np.min: Dispatch(ops.min), np.amin: Dispatch(ops.min),
    np.prod: Dispatch(ops.prod), np.var: Dispatch(ops.var, correction="ddof"),
    np.std: Dispatch(ops.std, correction="ddof"),
    np.cumsum: Dispatch(ops.cumsum), np.cumprod: Dispatch(ops.cumprod),
    np.ptp: Dispatch(ops.ptp), np.average: Dispatch(ops.average),
    np.argmax: Dispatch(ops.argmax), np.argmin: Dispatch(ops.argmin),
    np.any: Dispatch(ops.any), np.all: Dispatch(ops.all),
    np.round: Dispatch(ops.round), np.around: Dispatch(ops.round),
    np.clip: Dispatch(ops.clip), np.nan_to_num: Dispatch(ops.nan_to_num),
    np.sinc: Dispatch(ops.sinc), np.fix: Dispatch(ops.fix),
    np.linalg.norm: Dispatch(ops.norm),
    # linear algebra
    np.linalg.inv: Dispatch(ops.inv), np.linalg.det: Dispatch(ops.det),
    np.linalg.slogdet: Dispatch(ops.slogdet), np.linalg.solve: Dispatch(ops.solve),
    np.linalg.cholesky: Dispatch(ops.cholesky), np.linalg.eigh: Dispatch(ops.eigh),
    np.linalg.svd: Dispatch(ops.svd), np.linalg.matrix_power: Dispatch(linalg.matrix_power),
    np.linalg.pinv: Dispatch(linalg.pinv), np.linalg.multi_dot: Dispatch(linalg.multi_dot),
    # numerics
    np.diff: Dispatch(ops.diff), np.ediff1d: Dispatch(ops.ediff1d),
    np.gradient: Dispatch(ops.gradient), np.cross: Dispatch(ops.cross),
    np.trapezoid: Dispatch(ops.trapezoid),
    np.median: Dispatch(ops.median, ignored=("overwrite_input",)),
    np.quantile: Dispatch(ops.quantile, ignored=("overwrite_input",)),
    np.percentile: Dispatch(ops.percentile, ignored=("overwrite_input",)),
    np.nansum: Dispatch(ops.nansum), np.nanmean: Dispatch(ops.nanmean),
    np.nanmax: Dispatch(ops.nanmax), np.nanmin: Dispatch(ops.nanmin),
    np.nanprod: Dispatch(ops.nanprod), np.nanvar: Dispatch(ops.nanvar, correction="ddof"),
    np.nanstd: Dispatch(ops.nanstd, correction="ddof"), np.partition: Dispatch(ops.partition),
    np.append: Dispatch(ops.append), np.delete: Dispatch(ops.delete),
    np.insert: Dispatch(ops.insert), np.convolve: Dispatch(ops.convolve),
    np.correlate: Dispatch(ops.correlate), np.cov: Dispatch(ops.cov),
    np.corrcoef: Dispatch(ops.corrcoef), np.pad: Dispatch(ops.pad_array),
    # shapes
    np.reshape: Dispatch(ops.reshape, newshape="shape"), np.transpose: Dispatch(ops.transpose),
    np.swapaxes: Dispatch(ops.swapaxes), np.expand_dims: Dispatch(ops.expand_dims),
    np.squeeze: Dispatch(ops.squeeze), np.broadcast_to: Dispatch(ops.broadcast_to),
    np.concatenate: Dispatch(ops.concatenate),
    np.stack: Dispatch(ops.stack), np.where: Dispatch(_where),
    np.copy: Dispatch(ops.clone),
    # a Tensor is real: its real part is itself, its imaginary part a constant 0
    np.real: Dispatch(ops.clone), np.real_if_close: Dispatch(ops.clone),
    np.imag: Dispatch(factories.zeros_like),
    # rearranging and copying
    np.flip: Dispatch(ops.flip), np.fliplr: Dispatch(ops.fliplr), np.flipud: Dispatch(ops.flipud),
    np.rot90: Dispatch(ops.rot90), np.roll: Dispatch(ops.roll), np.repeat: Dispatch(ops.repeat),
    np.tile: Dispatch(ops.tile), np.split: Dispatch(ops.split),
    np.array_split: Dispatch(ops.array_split), np.hsplit: Dispatch(ops.hsplit),
    np.vsplit: Dispatch(ops.vsplit), np.dsplit: Dispatch(ops.dsplit),
    np.hstack: Dispatch(ops.hstack), np.vstack: Dispatch(ops.vstack),
    np.dstack: Dispatch(ops.dstack), np.column_stack: Dispatch(ops.column_stack),
    np.moveaxis: Dispatch(ops.moveaxis), np.rollaxis: Dispatch(ops.rollaxis),
    np.atleast_1d: Dispatch(ops.atleast_1d), np.atleast_2d: Dispatch(ops.atleast_2d),
    np.atleast_3d: Dispatch(ops.atleast_3d), np.ravel: Dispatch(ops.ravel),
    np.take: Dispatch(ops.take), np.take_along_axis: Dispatch(ops.take_along_axis),
    np.sort: Dispatch(ops.sort), np.argsort: Dispatch(ops.argsort),
    np.select: Dispatch(ops.select),
    np.put_along_axis: InPlace("put_along_axis"),
    # products
    np.dot: Dispatch(ops.dot), np.inner: Dispatch(ops.inner), np.outer: Dispatch(ops.outer),
    np.vdot: Dispatch(ops.vdot),
    np.tensordot: Dispatch(ops.tensordot), np.einsum: Dispatch(ops.einsum, ignored=("optimize",)),
    np.kron: Dispatch(ops.kron), np.trace: Dispatch(ops.trace), np.diag: Dispatch(ops.diag),
    np.diagonal: Dispatch(ops.diagonal), np.tril: Dispatch(ops.tril),
    np.triu: Dispatch(ops.triu),
    # factories from a tensor: new constants, no graph to keep
    np.zeros_like: Dispatch(factories.zeros_like),
    np.ones_like: Dispatch(factories.ones_like),
    np.full_like: Dispatch(factories.full_like),
    np.empty_like: Dispatch(factories.empty_like),
    # what carries no gradient
    np.shape: _SAME, np.ndim: _SAME, np.size: _SAME, np.nonzero: _SAME,
    np.flatnonzero: _SAME, np.argwhere: _SAME, np.count_nonzero: _SAME,
    np.searchsorted: _SAME, np.isclose: _SAME, np.allclose: _SAME, np.array_equal: _SAME,
    np.array_equiv: _SAME, np.result_type: _SAME, np.can_cast: _SAME,
    np.may_share_memory: _SAME, np.shares_memory: _SAME, np.iscomplexobj: _SAME,
    np.isrealobj: _SAME,
}


def array_function(func: Callable[..., Any], types: tuple, args: tuple, kwargs: dict) -> Any:
    """`func(*args, **kwargs)`, a numpy function called with a Tensor among its arguments."""
    if not all(issubclass(t, (Tensor, np.ndarray)) for t in types):
        return NotImplemented  # another library's arrays: let it (or numpy) decide
    dispatch = FUNCTIONS.get(func)
    if dispatch is None:
        raise TypeError(_no_op(_numpy_name(func)))
    return dispatch(func, args, kwargs)


def _no_op(where: str) -> str:
    return (f"{where} has no chainrule op, so calling it on a Tensor would drop the graph "
            f"and give a wrong gradient. Use a chainrule op (the README's op table), or call "
            f"it on t.detach().numpy() for the values only.")


def _numpy_name(func: Callable[..., Any]) -> str:
    module = getattr(func, "__module__", "numpy") or "numpy"
    public = "numpy.linalg" if module.startswith("numpy.linalg") else (
        "numpy.fft" if module.startswith("numpy.fft") else "numpy")
    return f"{public}.{func.__name__}"


_SIGNATURES: dict = {}


def _signature(func: Callable[..., Any]) -> tuple:
    """(numpy's signature of func, the names before its *args), worked out once per function:
    what precedes numpy's *args (np.gradient(f, *varargs)) is passed by position."""
    known = _SIGNATURES.get(func)
    if known is None:
        signature = inspect.signature(func)
        names = list(signature.parameters)
        before: frozenset = frozenset()
        for i, parameter in enumerate(signature.parameters.values()):
            if parameter.kind is inspect.Parameter.VAR_POSITIONAL:
                before = frozenset(names[:i])
        known = _SIGNATURES[func] = (signature, before)
    return known


def _is_default(value: Any, default: Any) -> bool:
    if value is default or default is inspect.Parameter.empty:
        return value is default
    if isinstance(default, (bool, int, float, str, type(None))):
        return type(value) is type(default) and value == default
    return False


def _values(x: Any) -> Any:
    """A Tensor's array, inside lists and tuples too; anything else as it is."""
    if isinstance(x, Tensor):
        return x.data
    if isinstance(x, (list, tuple)):
        return type(x)(_values(v) for v in x)
    return x


# ------------------------------------------------------------------ the protocol
class NumpyProtocol:
    """numpy's hooks on Tensor: numpy calls on Tensors run chainrule's ops (`np.exp(t)`,
    `ndarray + t`, `np.sum(t)` return Tensors in the graph), and numpy functions without an
    op raise instead of converting the Tensor and dropping its graph. Never instantiated:
    `attach` puts them on Tensor (below)."""

    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
        return array_ufunc(ufunc, method, inputs, kwargs)

    def __array_function__(self, func: Callable[..., Any], types: tuple, args: tuple,
                           kwargs: dict) -> Any:
        return array_function(func, types, args, kwargs)

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        # As in PyTorch: a tensor in the graph is not turned into an array behind the user's
        # back (`np.array([t, u])`, `np.mean([t, u])`, `Tensor([t, u])` would drop the graph).
        if self._requires_grad and _per_thread.modes.grad_enabled:
            raise TypeError(
                f"a Tensor that requires grad (shape {self.shape}) was converted to a numpy "
                "array, which would drop its graph (np.array([...]) and np.mean([...]) of "
                "Tensors, Tensor([...]) of Tensors, np.asarray(t) do this). To stay in the "
                "graph use the chainrule op: autograd.stack([...]), autograd.mean(...), ...; "
                "for the values only, use t.detach().numpy() (or convert under no_grad()).")
        # numpy 2's protocol: copy=True asks for an array of the caller's own (np.array(t)
        # is one, and must not change with t), copy=False for this very buffer or an error,
        # None for a copy only where the dtype needs one
        if dtype is not None and np.dtype(dtype) != self.data.dtype:
            if copy is False:
                raise ValueError(f"a Tensor of dtype {self.data.dtype} cannot become an array "
                                 f"of dtype {np.dtype(dtype)} without a copy (copy=False)")
            return self.data.astype(dtype)
        return self.data.copy() if copy else self.data


attach(Tensor, NumpyProtocol)
