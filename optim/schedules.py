"""Learning-rate schedules: the course's formulas, evaluated at t = the number of step() calls.

    inverse time   η(t) = η0 / (1 + r·t)
    exponential    η(t) = η0 · e^(−λt)
    step           η(t) = η0 · r^⌊t/t_u⌋
    lambda         η(t) = η0 · fn(t)

η0 is each parameter group's lr when the schedule is made. Call `sched.step()` once per
epoch (after `opt.step()`); it sets every group's lr to η(t).
"""

from __future__ import annotations

import math
from typing import Any, Callable

from optim.optimizer import Optimizer, check_nonnegative


class LRSchedule:
    """Base class: the bookkeeping (t, the groups' initial lrs, state_dict); a subclass
    gives only its formula, `lr_at(initial_lr, t)`.

    Making a schedule sets t = 0 and each group's lr to η(0) = its initial lr.
    """

    def __init__(self, optimizer: Optimizer) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"a schedule needs an Optimizer, got {type(optimizer).__name__}")
        self.optimizer = optimizer
        self.base_lrs = [float(group["lr"]) for group in optimizer.param_groups]
        self.last_epoch = 0
        self._apply()

    def lr_at(self, initial_lr: float, t: int) -> float:
        """The learning rate at step t of a group that started at `initial_lr`."""
        raise NotImplementedError(f"{type(self).__name__} must define lr_at(initial_lr, t)")

    @property
    def t(self) -> int:
        """The number of step() calls so far (an alias of `last_epoch`)."""
        return self.last_epoch

    def step(self) -> None:
        """Advance t by one and set each group's lr to η(t)."""
        self.last_epoch += 1
        self._apply()

    def get_last_lr(self) -> list:
        """The learning rate this schedule last set, one per parameter group."""
        return list(self._last_lr)

    def _apply(self) -> None:
        groups = self.optimizer.param_groups
        if len(groups) != len(self.base_lrs):
            raise ValueError(f"the optimizer has {len(groups)} parameter groups, the schedule "
                             f"was made for {len(self.base_lrs)}")
        # float(): a formula giving a numpy float64 must not upcast float32 parameters
        self._last_lr = [float(self.lr_at(base, self.last_epoch)) for base in self.base_lrs]
        for group, lr in zip(groups, self._last_lr):
            group["lr"] = lr

    def state_dict(self) -> dict:
        """t, the initial lrs and the formula's numbers (not the optimizer, not functions)."""
        return {k: (list(v) if isinstance(v, list) else v) for k, v in vars(self).items()
                if k not in ("optimizer", "_last_lr") and not callable(v)}

    def load_state_dict(self, state_dict: dict) -> None:
        """Restore what `state_dict()` saved and set the groups' lrs to η(t)."""
        expected = set(self.state_dict())
        if set(state_dict) != expected:
            raise ValueError(f"a {type(self).__name__} state_dict has keys {sorted(expected)}, "
                             f"got {sorted(state_dict)}")
        if len(state_dict["base_lrs"]) != len(self.optimizer.param_groups):
            raise ValueError(f"the state_dict has {len(state_dict['base_lrs'])} initial lrs, "
                             f"the optimizer has {len(self.optimizer.param_groups)} groups")
        previous = dict(vars(self))
        vars(self).update({k: (list(v) if isinstance(v, list) else v)
                           for k, v in state_dict.items()})
        try:
            self._apply()
        except Exception:
            vars(self).clear()
            vars(self).update(previous)
            raise

    def __repr__(self) -> str:
        numbers = ", ".join(f"{k}={v}" for k, v in self.state_dict().items())
        return f"{type(self).__name__}({numbers})"


class InverseTimeDecay(LRSchedule):
    """η(t) = η0 / (1 + r·t), with r = `decay_rate`."""

    def __init__(self, optimizer: Optimizer, decay_rate: float) -> None:
        self.decay_rate = check_nonnegative("decay_rate", decay_rate)
        super().__init__(optimizer)

    def lr_at(self, initial_lr: float, t: int) -> float:
        return initial_lr / (1.0 + self.decay_rate * t)


class ExponentialDecay(LRSchedule):
    """η(t) = η0 · e^(−λt), with λ = `decay_rate`."""

    def __init__(self, optimizer: Optimizer, decay_rate: float) -> None:
        self.decay_rate = check_nonnegative("decay_rate", decay_rate)
        super().__init__(optimizer)

    def lr_at(self, initial_lr: float, t: int) -> float:
        return initial_lr * math.exp(-self.decay_rate * t)


class StepDecay(LRSchedule):
    """η(t) = η0 · r^⌊t/t_u⌋, with r = `gamma` and t_u = `step_size`: the lr is multiplied
    by gamma every step_size steps."""

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1) -> None:
        if isinstance(step_size, bool) or not isinstance(step_size, int) or step_size < 1:
            raise ValueError(f"Invalid step_size: {step_size!r}, expected a positive integer")
        self.step_size = step_size
        self.gamma = check_nonnegative("gamma", gamma)
        super().__init__(optimizer)

    def lr_at(self, initial_lr: float, t: int) -> float:
        return initial_lr * self.gamma ** (t // self.step_size)


class LambdaDecay(LRSchedule):
    """η(t) = η0 · fn(t), for any function `fn` of the step count (fn(0) = 1 keeps η0).

    `fn` is not part of `state_dict()`: make the schedule with the same fn before loading.
    """

    def __init__(self, optimizer: Optimizer, fn: Callable[[int], Any]) -> None:
        if not callable(fn):
            raise TypeError(f"fn must be callable, got {type(fn).__name__}")
        self.fn = fn
        super().__init__(optimizer)

    def lr_at(self, initial_lr: float, t: int) -> float:
        return initial_lr * self.fn(t)
