"""Function: the base of every differentiable op, and the node type of the graph.

An op is a subclass with two static methods side by side:

    class Mul(Function):
        '''d(a·b)/da = b,  d(a·b)/db = a'''

        @staticmethod
        def forward(ctx, a, b):             # numpy arrays in, numpy array out
            return a * b

        @staticmethod
        def backward(ctx, grad):            # Tensors in, one gradient per input out
            a, b = ctx.inputs
            return grad * b, grad * a

`Mul.apply(x, y)` runs forward on the arrays and, when grad mode is on and an input requires
grad, records the call: the instance `ctx` becomes the output's `grad_fn`, the node of the
graph. Backward is written with Tensor operations, so with `create_graph=True` the backward
pass is itself recorded and gradients of gradients work.
"""

from __future__ import annotations

import functools
import operator
import weakref
from typing import Any, Optional

import numpy as np

from autograd import anomaly, versions, views
from autograd.mode import per_thread as _per_thread
from autograd.tensor import Tensor

_new_tensor = object.__new__  # Tensor._make without the call: ops make a tensor each
# numbers recorded nodes in creation order, and in-place changes in the same sequence
# (autograd/versions.py), so a node is stale when a change numbered after it touched it
_next_sequence = versions.next_sequence
_ndarray = np.ndarray
_SHARED_NEEDS: dict = {}
_is_edge = functools.partial(operator.is_not, None)  # needs_input_grad from the edges, in C


class _NothingNeeded(dict):
    """needs_input_grad of an op that records nothing: one shared (False, ...) per length."""

    def __missing__(self, n: int) -> tuple:
        return self.setdefault(n, (False,) * n)


_NOTHING_NEEDED = _NothingNeeded()
# A set lookup is cheaper than `dtype.kind == "f"` on the path every recorded op takes.
_FLOATING = frozenset(np.dtype(t) for t in (np.float16, np.float32, np.float64, np.longdouble))

# Values that pass straight to a forward as arrays: checked there to hold real numbers, as a
# Tensor's data is (np.exp(complex array) would make a complex "tensor" otherwise).
_NUMERIC_DOOR = (np.ndarray, np.number, complex)

RELEASED_GRAPH_MESSAGE = (
    "backward through a part of the graph that was already released: a first backward() or "
    "grad() freed its saved tensors. Pass retain_graph=True to the first call if you need to "
    "backpropagate through the same graph twice.")


class Function:
    """Base class of differentiable ops; subclass it for your own (see the module docstring).

    Inside `forward` and `backward`, `ctx` is the node: `ctx.inputs` are the arguments given
    to `apply` (Tensors stay Tensors), `ctx.needs_input_grad` says which of them need a
    gradient, `ctx.save_for_backward(...)` / `ctx.saved_tensors` keep extra values, and any
    other attribute may be set on it. The first line of the docstring is the op's derivative,
    shown in graph pictures.
    """

    # Per-node state, set by apply(); class-level defaults keep unrecorded nodes cheap.
    inputs: Optional[tuple] = None
    needs_input_grad: tuple = ()
    _saved: tuple = ()
    _output_ref: Optional[weakref.ref] = None
    _arrays: Optional[list] = None  # the inputs' arrays (what the formula reads on arrays)
    _edges: tuple = ()  # per input: the node that made it, the leaf itself, or None
    _hooks: Optional[list] = None
    _retained: Optional[weakref.ref] = None
    created_at: Optional[str] = None
    scope: Any = None
    _released_shape: Optional[tuple] = None
    _released_dtype: Any = None
    sequence: int = 0  # creation order; newest first is a topological order (engine)
    _stale: Optional[str] = None  # why backward through this node would be wrong, if it would
    # True when `backward` uses only what numpy arrays and Tensors share (operators, @, .T,
    # .reshape, .sum(axis, keepdims), ...) and `Function.run` for anything else: then the
    # engine runs it on raw arrays when nothing is recorded (no Tensor, no apply), and on
    # Tensors under create_graph. A Function of your own gets Tensors unless it says so.
    # While it runs on arrays, `inputs` is a list of them (a recorded node's is a tuple).
    array_safe: bool = False
    # For each input, the inputs whose values its gradient formula reads (Mul: ((1,), (0,)),
    # a's gradient reads b and b's reads a; shapes don't count, an in-place op keeps them).
    # Backward refuses a node only when one of those, or a saved value, changed in place
    # since it was recorded (PyTorch's rule). None: the formula may read any input.
    reads: Optional[tuple] = None
    # The engine makes sure each gradient a formula returns has its input's shape and dtype
    # (a numpy scalar for a 0-d input becomes an array, a float64 result for float32 is
    # cast, a wrong shape raises). The built-in ops, whose formulas the test suite checks
    # op by op (shapes, dtypes, 0-d inputs), skip it: less work per node.
    check_gradients: bool = True

    @staticmethod
    def forward(ctx: "Function", *args: Any) -> np.ndarray:
        """Compute the output array from the input arrays (and other arguments)."""
        raise NotImplementedError(f"{type(ctx).__name__} must define forward(ctx, *args)")

    @staticmethod
    def backward(ctx: "Function", grad_output: Tensor) -> Any:
        """Return one gradient (Tensor or None) per argument of forward."""
        raise NotImplementedError(f"{type(ctx).__name__} must define backward(ctx, grad)")

    # ------------------------------------------------------------------ recording
    @classmethod
    def apply(cls, *args: Any) -> Tensor:
        """Run the op on Tensors (or arrays and other values) and record it in the graph:
        the node remembers its inputs, which of them need a gradient, and its edges (where
        each input's gradient goes: the node that made it, or the leaf itself)."""
        ctx = cls()
        arrays = []
        edges = []
        record = False
        for a in args:
            if isinstance(a, Tensor):
                arrays.append(a.data)
                if a._requires_grad:
                    record = True
                    edges.append(a.grad_fn or a)
                    continue
            else:
                if isinstance(a, _NUMERIC_DOOR):
                    _check_real(cls, a)
                arrays.append(a)
            edges.append(None)
        if record and _per_thread.modes.grad_enabled:
            # one shared tuple per pattern: one object fewer per node for the cyclic GC
            needs = tuple(map(_is_edge, edges))
            ctx.needs_input_grad = _SHARED_NEEDS.setdefault(needs, needs)
        else:  # nothing to record (no_grad, or no input requires grad): plain numpy
            record = False
            ctx.needs_input_grad = _NOTHING_NEEDED[len(args)]
        try:
            data = cls.forward(ctx, *arrays)
        except ValueError as error:
            shapes = " and ".join(str(np.shape(a)) for a in arrays if isinstance(a, np.ndarray))
            raise ValueError(f"{cls.__name__} of shapes {shapes}: {error}") from None
        if type(data) is not _ndarray:
            data = _forward_result(ctx, data)
        out = _new_tensor(Tensor)
        out.data = data
        if data.base is not None or (arrays and data is arrays[0]):
            views.link(out, args)  # a view of an input shares its version counter
        if not record:
            return out
        if data.dtype not in _FLOATING:
            _check_output_dtype(ctx, data)
            return out  # an integer or bool result (a cast, a comparison) has no gradient
        out._requires_grad = True
        out.grad_fn = ctx
        ctx.inputs = args
        ctx._arrays = arrays
        ctx._edges = tuple(edges)
        ctx.sequence = _next_sequence()
        ctx._output_ref = weakref.ref(out)
        modes = _per_thread.modes
        if modes.scope is not None:
            ctx.scope = modes.scope
        if modes.anomaly_enabled:
            anomaly.remember(ctx, data, arrays)
        return out

    @classmethod
    def run(cls, *args: Any) -> Any:
        """The op inside a backward formula: `apply` when an argument is a Tensor (so that it
        is recorded under create_graph), else its forward on the arrays as they are, with a
        context that is thrown away. One formula then serves both ways of running it."""
        for a in args:
            if isinstance(a, Tensor):
                return cls.apply(*args)
        ctx = _Throwaway()
        ctx.needs_input_grad = _NOTHING_NEEDED[len(args)]
        return cls.forward(ctx, *args)

    def save_for_backward(self, *values: Any) -> None:
        """Keep arrays (or other values) for backward; read them back with `saved_tensors`."""
        self._saved = values

    @property
    def saved_tensors(self) -> tuple:
        """The saved values, arrays turned into Tensors. An input's array comes back as that
        input Tensor and the output's array as the output Tensor, so that a backward formula
        written on them stays differentiable under create_graph=True."""
        inputs = self.inputs
        if type(inputs) is list:  # the engine runs the formula on arrays: saved as they are
            return self._saved
        if inputs is None:
            raise RuntimeError(RELEASED_GRAPH_MESSAGE)
        values = []
        for value in self._saved:
            values.append(self._as_tensor(value) if isinstance(value, np.ndarray) else value)
        return tuple(values)

    def _as_tensor(self, value: np.ndarray) -> Tensor:
        for arg in self.inputs:
            if isinstance(arg, Tensor) and arg.data is value:
                return arg
        out = self.output
        if out is not None and out.data is value:
            return out
        return Tensor._make(value)

    @property
    def output(self) -> Optional[Tensor]:
        """The tensor this node produced, while it is alive."""
        return self._output_ref() if self._output_ref is not None else None

    # ------------------------------------------------------------------ graph structure
    def parents(self) -> tuple:
        """Where this node's gradient flows: for each input that requires grad, its grad_fn
        (a non-leaf) or the tensor itself (a leaf), as they were when the node was recorded.
        Kept after the graph is released."""
        return tuple(e for e in self._edges if e is not None)

    @property
    def output_shape(self) -> Optional[tuple]:
        """The shape of the tensor this node produced; after release, while that tensor is
        gone, the shape of the gradient that reached it (None if none did)."""
        out = self.output
        return out.data.shape if out is not None else self._released_shape

    @property
    def output_dtype(self) -> Any:
        """The dtype of the tensor this node produced (see `output_shape`)."""
        out = self.output
        return out.data.dtype if out is not None else self._released_dtype

    @property
    def released(self) -> bool:
        """True once backward freed this node's inputs and saved values."""
        return self.inputs is None

    def release(self, grad: Any = None) -> None:
        """Free the inputs and saved values; keep the edges, and the output's shape and dtype
        (from the output, or from `grad`, the gradient that reached it), for pictures."""
        like = grad if grad is not None else self.output
        if like is not None:
            self._released_shape = like.shape
            self._released_dtype = like.dtype
        self.inputs = self._arrays = None
        self._saved = ()

    @classmethod
    def derivative(cls) -> str:
        """The op's local derivative: the first line of its docstring."""
        doc = cls.__doc__ or ""
        for line in doc.strip().splitlines():
            if line.strip():
                return line.strip()
        return ""

    @property
    def name(self) -> str:
        """The op's name, e.g. 'Mul'."""
        return type(self).__name__

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


class _Throwaway:
    """The context of a forward run by `Function.run` on arrays: what it saves is dropped."""

    def save_for_backward(self, *values: Any) -> None:
        pass


def _forward_result(ctx: Function, data: Any) -> np.ndarray:
    """The array a forward returned other than as an ndarray: numpy returns scalars
    (np.float64) for 0-d results, and a Python number is accepted too; anything else is a
    bug in the op, refused here rather than turned into a tensor of nan or objects."""
    if not isinstance(data, (np.generic, bool, int, float)) or isinstance(data, np.object_):
        raise TypeError(f"{type(ctx).__name__}.forward must return a numpy array, got "
                        f"{type(data).__name__}")
    array = np.asarray(data)
    # keep a saved output recognisable as the output, so its backward stays differentiable
    if ctx._saved:
        ctx._saved = tuple(array if v is data else v for v in ctx._saved)
    return array


def _check_real(cls: type, value: Any) -> None:
    """A value that passes straight to a forward must hold real numbers, as a Tensor does
    (np.exp of a complex array would make a complex "tensor" otherwise)."""
    if np.asarray(value).dtype.kind not in "biuf":
        shown = (f"an array of dtype {value.dtype}" if isinstance(value, np.ndarray)
                 else f"{type(value).__name__} {value!r}")
        raise TypeError(f"{cls.__name__}: got {shown}; a tensor holds real numbers (float, "
                        "int or bool)")


def _check_output_dtype(ctx: Function, data: np.ndarray) -> None:
    if data.dtype.kind not in "biu":
        raise TypeError(f"{type(ctx).__name__}.forward returned an array of dtype {data.dtype}; "
                        "a tensor holds floating, integer or bool numbers")
