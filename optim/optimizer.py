"""Optimizer: parameter groups, per-parameter state, zero_grad, and checkpoints.

A subclass says how one group of parameters is updated (`_update_group`) and which
hyperparameters are valid (`_check_group`); everything else lives here.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Optional, Union

import numpy as np

from autograd import Tensor, enable_grad

Params = Union[Iterable[Tensor], Iterable[dict]]


class Optimizer:
    """Base class of the optimizers.

    `param_groups` is a list of dicts, each with its own hyperparameters (`lr`,
    `weight_decay`, ...) and its `params`; `state[p]` is the per-parameter state (numpy
    arrays updated in place, e.g. a momentum buffer). Like PyTorch, the constructor takes an
    iterable of Tensors (one group) or of dicts (several groups; a missing hyperparameter
    takes the constructor's value).
    """

    # The per-parameter state a subclass keeps: a parameter has all of these or none.
    state_keys: tuple = ()

    def __init__(self, params: Params, defaults: dict) -> None:
        if isinstance(params, (Tensor, dict)):
            raise TypeError("params must be an iterable of Tensors or of dicts (parameter "
                            f"groups), got a single {type(params).__name__}; wrap it in a list")
        self.defaults = dict(defaults)
        self.param_groups: list = []
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
        elif isinstance(params, (set, frozenset)):
            # a set has no order, so state_dict indices would not survive a restart
            raise TypeError("parameters must be given in an ordered collection, not a set")
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
        self._check_group(group)
        self.param_groups.append(group)

    def zero_grad(self) -> None:
        """Forget every parameter's gradient (`p.grad = None`)."""
        for group in self.param_groups:
            for p in group["params"]:
                p.grad = None

    def step(self, closure: Optional[Callable[[], Any]] = None) -> Any:
        """Update every parameter that has a gradient; parameters whose grad is None are
        left alone. `closure`, if given, recomputes the loss (and gradients) first and its
        result is returned."""
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        for group in self.param_groups:
            self._update_group(group)
        return loss

    # ------------------------------------------------------------------ subclass hooks
    def _update_group(self, group: dict) -> None:
        """Update the parameters of one group in place (`p.data`), reading `p.grad.data`."""
        raise NotImplementedError(f"{type(self).__name__} must define _update_group(group)")

    def _check_group(self, group: dict) -> None:
        """Raise ValueError for invalid hyperparameters; may normalise them (to floats)."""
        group["lr"] = check_nonnegative("learning rate", group["lr"])

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

        Everything is checked before anything is changed: group and parameter counts, state
        names and shapes. A mismatch raises ValueError and leaves the optimizer as it was.
        """
        try:
            saved_groups = list(state_dict["param_groups"])
            saved_state = dict(state_dict["state"])
        except (KeyError, TypeError):
            raise ValueError("an optimizer state_dict is a dict with 'state' and "
                             "'param_groups'") from None
        if len(saved_groups) != len(self.param_groups):
            raise ValueError(f"the state_dict has {len(saved_groups)} parameter groups, "
                             f"this optimizer has {len(self.param_groups)}")
        new_groups = []
        for i, (saved, group) in enumerate(zip(saved_groups, self.param_groups)):
            n_saved, n_here = len(saved.get("params", ())), len(group["params"])
            if n_saved != n_here:
                raise ValueError(f"parameter group {i} has {n_saved} parameters in the "
                                 f"state_dict and {n_here} in this optimizer")
            missing = sorted(set(self.defaults) - set(saved))
            if missing:
                raise ValueError(f"parameter group {i} of the state_dict lacks {missing}")
            new_group = {**saved, "params": group["params"]}
            self._check_group(new_group)
            new_groups.append(new_group)
        params = [p for group in self.param_groups for p in group["params"]]
        new_state = {}
        for index, entry in saved_state.items():
            if not isinstance(index, (int, np.integer)) or not 0 <= index < len(params):
                raise ValueError(f"state for parameter {index!r}, but there are "
                                 f"{len(params)} parameters")
            p = params[index]
            if set(entry) != set(self.state_keys):
                raise ValueError(f"state of parameter {index} has {sorted(entry)}, "
                                 f"{type(self).__name__} keeps {sorted(self.state_keys)}")
            restored = {}
            for name, value in entry.items():
                if isinstance(value, np.ndarray):
                    if value.shape != p.shape:
                        raise ValueError(f"state {name!r} of parameter {index} has shape "
                                         f"{value.shape}, the parameter has shape {p.shape}")
                    value = np.array(value, dtype=p.dtype)  # a copy, in the parameter's dtype
                restored[name] = value
            new_state[p] = restored
        self.param_groups[:] = new_groups
        self.state = new_state

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines.extend(f"    {k}: {v}" for k, v in group.items() if k != "params")
        return "\n".join(lines) + "\n)"


def _is_real(value: Any) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)


def check_nonnegative(name: str, value: Any) -> float:
    """`value` as a float, or ValueError naming it when it is negative or NaN."""
    # `not 0.0 <= value` also rejects NaN
    if not _is_real(value) or not 0.0 <= value:
        raise ValueError(f"Invalid {name}: {value!r}")
    return float(value)


def check_beta(index: int, value: Any) -> float:
    """A beta of Adam as a float in [0, 1), or ValueError."""
    if not _is_real(value) or not 0.0 <= value < 1.0:
        raise ValueError(f"Invalid beta parameter at index {index}: {value!r}")
    return float(value)
