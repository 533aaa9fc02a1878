"""Optimizer: parameter groups, per-parameter state, zero_grad, and checkpoints.

A subclass says how one group of parameters is updated (`_update_group`) and which
hyperparameters are valid (`_check_group`); everything else lives here.
"""

from __future__ import annotations

from itertools import compress, repeat
from operator import attrgetter, is_, is_not
from typing import Any, Callable, Iterable, Iterator, Optional, Union

import numpy as np

from autograd import Tensor, enable_grad
from autograd.versions import record_changes
from optim.checks import check_count, check_nonnegative, is_integer, named

Params = Union[Iterable[Tensor], Iterable[dict]]


class Optimizer:
    """Base class of the optimizers.

    `param_groups` is a list of dicts, each with its own hyperparameters (`lr`,
    `weight_decay`, ...) and its `params`; `state[p]` is the per-parameter state (numpy
    arrays updated in place, e.g. a momentum buffer). Like PyTorch, the constructor takes an
    iterable of Tensors (one group) or of dicts (several groups; a missing hyperparameter
    takes the constructor's value).
    """

    # The per-parameter state a subclass keeps: a parameter has all of these or none. The
    # names in `state_counters` are integers (a step count); the others are arrays of the
    # parameter's shape and dtype.
    state_keys: tuple = ()
    state_counters: tuple = ()

    def __init__(self, params: Params, defaults: dict) -> None:
        if isinstance(params, (Tensor, dict)):
            raise TypeError("params must be an iterable of Tensors or of dicts (parameter "
                            f"groups), got a single {type(params).__name__}; wrap it in a list")
        check_ordered(params)  # before list() below, which would hide a set's lack of order
        self.defaults = dict(defaults)
        self.param_groups: list = []
        self._checked_groups: dict = {}  # index -> (group, its checked copy): see step()
        self.state: dict = {}  # Tensor -> {name: value}; Tensors hash by identity
        groups = list(params)
        if not groups:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, param_group: dict) -> None:
        """Add a group of parameters with its own hyperparameters (the rest from defaults)."""
        if not isinstance(param_group, dict):
            raise TypeError(f"a parameter group must be a dict, got {type(param_group).__name__}")
        params = param_group.get("params")
        if params is None:
            raise ValueError("a parameter group needs a 'params' entry")
        if isinstance(params, Tensor):
            params = [params]
        check_ordered(params)
        params = list(params)
        seen = {id(p) for group in self.param_groups for p in group["params"]}
        for i, p in enumerate(params):
            if not isinstance(p, Tensor):
                raise TypeError(f"parameter {i} is a {type(p).__name__}, not a Tensor")
            if not p.requires_grad:
                raise ValueError(f"parameter {i} (shape {p.shape}) does not require grad, "
                                 "so the optimizer could never update it")
            if not p.is_leaf:
                raise ValueError(f"parameter {i} (shape {p.shape}) is not a leaf tensor: "
                                 "only leaves receive .grad")
            if id(p) in seen:
                raise ValueError(f"parameter {i} (shape {p.shape}) is given twice "
                                 "(within a group or in more than one group)")
            seen.add(id(p))
        group = {**self.defaults, **param_group, "params": params}
        self.param_groups.append(self._checked_group(len(self.param_groups), group))

    def zero_grad(self) -> None:
        """Forget every parameter's gradient (`p.grad = None`)."""
        for group in self.param_groups:
            for p in group["params"]:
                p._grad = None  # all that the `grad` setter does with None, without its call

    def step(self, closure: Optional[Callable[[], Any]] = None) -> Any:
        """Update every parameter that has a gradient; parameters whose grad is None are
        left alone. `closure`, if given, recomputes the loss (and gradients) first and its
        result is returned."""
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        # Everything the updates need is checked, for every group and parameter, before the
        # first write: a step that raises leaves every parameter and state buffer as it was.
        # Hyperparameters are checked again because they may have been set by hand since.
        work = []
        for i, group in enumerate(self.param_groups):
            work.append((self._current_group(i, group), check_ready(i, group["params"])))
        for group, ready in work:
            if ready:
                self._update_group(group, ready)
                # a graph that saved the old values must refuse to backpropagate through them
                # (bump_versions(ready), without finding the roots first: record_changes does)
                record_changes(ready)
        return loss

    # ------------------------------------------------------------------ subclass hooks
    def _update_group(self, group: dict, params: list) -> None:
        """Update `params`, the parameters of `group` that have a gradient, in place
        (`p.data`), reading `p.grad.data` (`for p, w, g in arrays(params)` reads both);
        `step` then counts the change in their versions.

        `group` has passed `_check_group`, and every one of `params` has passed
        `check_ready`, so nothing here should raise half-way through.
        """
        raise NotImplementedError(
            f"{type(self).__name__} must define _update_group(group, params)")

    def _check_group(self, group: dict) -> None:
        """Raise ValueError for invalid hyperparameters; normalise them (to floats) in
        `group`."""
        group["lr"] = check_nonnegative("learning rate", group["lr"])

    def _checked_group(self, index: int, group: dict) -> dict:
        """A checked, normalised copy of `group` (the one given is not changed); errors name
        the group."""
        checked = dict(group)
        # try/except rather than `named`: this runs in every step, and a try costs nothing
        # until a check fails
        try:
            self._check_group(checked)
        except ValueError as error:
            raise ValueError(f"parameter group {index}: {error}") from None
        return checked

    def _current_group(self, index: int, group: dict) -> dict:
        """`_checked_group(index, group)`, remembered: a step re-checks a group only when one
        of its values is not the very object that passed last time (a learning rate set by
        hand or by a schedule is checked once)."""
        last = self._checked_groups.get(index)
        # (one identity test per value, in C: this runs for every group of every step)
        if (last is not None and last[0] is group and len(group) == len(last[1])
                and all(map(is_, group.values(), last[1]))):
            return last[2]
        checked = self._checked_group(index, group)
        self._checked_groups[index] = (group, tuple(group.values()), checked)
        return checked

    # ------------------------------------------------------------------ checkpoints
    def state_dict(self) -> dict:
        """The hyperparameters of each group and the per-parameter state (copied), with
        parameters referred to by their index in the order of `param_groups`."""
        groups, state = [], {}
        index = 0
        for group in self.param_groups:
            saved = {k: v for k, v in group.items() if k != "params"}
            saved["params"] = list(range(index, index + len(group["params"])))
            groups.append(saved)
            for p in group["params"]:
                if p in self.state:
                    state[index] = {k: np.copy(v) if isinstance(v, np.ndarray) else v
                                    for k, v in self.state[p].items()}
                index += 1
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict) -> None:
        """Restore hyperparameters and per-parameter state saved by `state_dict()`.

        Everything is checked before anything is changed: group and parameter counts, the
        hyperparameters' types and ranges, the indices, the state's names, types, shapes and
        values. A problem raises ValueError naming it and leaves the optimizer as it was.
        As in PyTorch, each group's `params` say which saved index is which parameter.
        """
        try:
            saved_groups = list(state_dict["param_groups"])
            saved_state = dict(state_dict["state"])
        except (KeyError, TypeError, ValueError):
            raise ValueError("an optimizer state_dict is a dict with 'state' and "
                             "'param_groups'") from None
        if len(saved_groups) != len(self.param_groups):
            raise ValueError(f"the state_dict has {len(saved_groups)} parameter groups, "
                             f"this optimizer has {len(self.param_groups)}")
        new_groups = []
        by_index: dict = {}  # saved index -> parameter
        for i, (saved, group) in enumerate(zip(saved_groups, self.param_groups)):
            if not isinstance(saved, dict):
                raise ValueError(f"parameter group {i} of the state_dict is a "
                                 f"{type(saved).__name__}, expected a dict")
            indices = saved.get("params", [])
            n_saved = len(indices) if isinstance(indices, (list, tuple)) else None
            if n_saved != len(group["params"]):
                raise ValueError(f"parameter group {i} has {n_saved} parameters in the "
                                 f"state_dict and {len(group['params'])} in this optimizer")
            if (not all(is_integer(k) for k in indices) or len(set(indices)) != n_saved
                    or any(k in by_index for k in indices)):
                raise ValueError(f"parameter group {i} lists {list(indices)!r} as its "
                                 "parameters, expected integer indices, each used once")
            by_index.update(zip(indices, group["params"]))
            missing = sorted(set(self.defaults) - set(saved))
            if missing:
                raise ValueError(f"parameter group {i} of the state_dict lacks {missing}")
            new_groups.append(self._checked_group(i, {**saved, "params": group["params"]}))
        new_state = {}
        for index, entry in saved_state.items():
            p = by_index.get(index) if is_integer(index) else None
            if p is None:
                raise ValueError(f"state for parameter {index!r}, but the parameter groups "
                                 f"list the indices {list(by_index)}")
            new_state[p] = self._restored_state(index, entry, p)
        self.param_groups[:] = new_groups
        self.state = new_state

    def _restored_state(self, index: Any, entry: Any, p: Tensor) -> dict:
        """The state of parameter `index` from a state_dict, checked and copied."""
        if not isinstance(entry, dict):
            raise ValueError(f"state of parameter {index} is a {type(entry).__name__}, "
                             "expected a dict")
        if set(entry) != set(self.state_keys):
            raise ValueError(f"state of parameter {index} has {sorted(entry)}, "
                             f"{type(self).__name__} keeps {sorted(self.state_keys)}")
        restored = {}
        for name, value in entry.items():
            if name in self.state_counters:
                with named(f"state of parameter {index}"):
                    restored[name] = check_count(name, value)
            else:
                restored[name] = restored_array(f"state {name!r} of parameter {index}", value, p)
        return restored

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines.extend(f"    {k}: {v}" for k, v in group.items() if k != "params")
        return "\n".join(lines) + "\n)"


def with_weight_decay(w: np.ndarray, g: np.ndarray, weight_decay: float) -> np.ndarray:
    """g + λ·w, the gradient with weight decay folded in, as one new array (λ·w + g in one
    pass, not two): g may be shared with other tensors and is never written into."""
    decayed = np.multiply(w, weight_decay)
    decayed += g
    return decayed


def check_ordered(params: Any) -> None:
    """TypeError for a set of parameters: it has no order, so the indices of `state_dict()`
    would name other parameters after a restart."""
    if isinstance(params, (set, frozenset)):
        raise TypeError("parameters must be given in an ordered collection (a list or "
                        "tuple), not a set")


# Read in C for a whole group at once: a step pays no Python bytecode per parameter to read
# and check them. `_grad` is the Tensor behind the `grad` property, whose getter returns it.
_grad_of = attrgetter("_grad")
_array_of = attrgetter("data")
_grad_array_of = attrgetter("_grad.data")
_layout_of = attrgetter("shape", "dtype")
_writeable = attrgetter("flags.writeable")
_PLAIN = frozenset((np.ndarray,))


def arrays(params: list) -> Iterator[tuple]:
    """(p, p.data, p.grad.data) for each of `params` (parameters that have a gradient: those
    `check_ready` returns), the arrays read in C."""
    return zip(params, map(_array_of, params), map(_grad_array_of, params))


def check_ready(group_index: int, params: list) -> list:
    """The parameters that have a gradient, once they are all known to be updatable: raise,
    before a step writes anything, if a gradient is not an array of its parameter's shape and
    dtype, or a parameter's array is read-only."""
    ready = list(compress(params, map(is_not, map(_grad_of, params), repeat(None))))
    w = list(map(_array_of, ready))
    g = list(map(_grad_array_of, ready))
    # The common case in one test: plain arrays (types first: the layouts of anything else
    # are not read), each gradient of its parameter's shape and dtype, every parameter
    # writeable. Otherwise check_each looks parameter by parameter and names what is wrong.
    if not (_PLAIN.issuperset(map(type, w + g))
            and list(map(_layout_of, g)) == list(map(_layout_of, w))
            and all(map(_writeable, w))):
        check_each(group_index, params)
    return ready


def check_each(group_index: int, params: list) -> None:
    """`check_ready`'s checks one parameter at a time, in order: the first problem raises,
    naming the parameter (its index in the group) and what is wrong."""
    for index, p in enumerate(params):
        grad = p._grad
        if grad is not None:
            w = p.data
            check_grad_matches(group_index, index, w, grad.data)
            check_writeable(group_index, index, w)


def check_grad_matches(group_index: int, index: int, w: np.ndarray, g: Any) -> None:
    """ValueError (shape) or TypeError (dtype, or no array) unless the gradient `g` is an
    array of the parameter's shape and dtype: a (1,) gradient would silently broadcast over
    a (2,) parameter, and a float64 one would be silently rounded into a float32 one."""
    if not isinstance(g, np.ndarray):
        raise TypeError(f"parameter {index} of group {group_index}: its gradient is a "
                        f"{type(g).__name__}, expected a numpy array of shape {w.shape} and "
                        f"dtype {w.dtype} (was p.grad.data replaced by hand?)")
    # `is not` first: dtypes are nearly always the same cached object, and == costs more
    if g.shape != w.shape or (g.dtype is not w.dtype and g.dtype != w.dtype):
        error = ValueError if g.shape != w.shape else TypeError
        raise error(f"parameter {index} of group {group_index}: its gradient has shape "
                    f"{g.shape} and dtype {g.dtype}, the parameter has shape {w.shape} and "
                    f"dtype {w.dtype}; they must be the same (was p.grad.data replaced by "
                    "hand?)")


def check_writeable(group_index: int, index: int, w: np.ndarray) -> None:
    """ValueError if the parameter's array is read-only: the update is in place."""
    if not w.flags.writeable:
        raise ValueError(f"parameter {index} of group {group_index} (shape {w.shape}) is "
                         "read-only (its array is not writeable), so the optimizer cannot "
                         "update it in place")


def restored_array(what: str, value: Any, p: Tensor) -> np.ndarray:
    """A copy of a saved state array in `p`'s dtype, or ValueError naming `what` unless it is
    a finite numeric array of `p`'s shape."""
    if not isinstance(value, np.ndarray):
        raise ValueError(f"{what} is a {type(value).__name__}, expected an array of shape "
                         f"{p.shape}")
    if value.shape != p.shape:
        raise ValueError(f"{what} has shape {value.shape}, the parameter has shape {p.shape}")
    if value.dtype.kind not in "iuf":
        raise ValueError(f"{what} has dtype {value.dtype}, expected numbers")
    if not np.isfinite(value).all():
        raise ValueError(f"{what} has non-finite values (nan or inf)")
    return np.array(value, dtype=p.dtype)
