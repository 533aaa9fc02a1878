"""Learning-rate schedules: the course's formulas, evaluated at t = the number of step() calls.

    inverse time   η(t) = η0 / (1 + r·t)
    exponential    η(t) = η0 · e^(−λt)
    step           η(t) = η0 · r^⌊t/t_u⌋
    lambda         η(t) = η0 · fn(t)   (or one fn per parameter group)

η0 is each parameter group's lr when the schedule is made. Call `sched.step()` once per
epoch (after `opt.step()`); it sets every group's lr to η(t).
"""

from __future__ import annotations

import math
from typing import Any, Callable, Dict, Sequence, Tuple, Union

from optim.checks import check_count, check_nonnegative, check_positive_count, named
from optim.optimizer import Optimizer


class LRSchedule:
    """Base class: the bookkeeping (t, the groups' initial lrs, state_dict); a subclass
    gives only its formula, `lr_at(initial_lr, t)`, and the check of each of its numbers in
    `checks`.

    Making a schedule sets t = 0 and each group's lr to η(0) = its initial lr. Every lr a
    schedule computes is checked (finite, >= 0) before any group is changed.
    """

    # The formula's numbers (attribute name -> check), checked at construction and again in
    # load_state_dict, so that inf or nan never reaches a learning rate.
    checks: Dict[str, Callable[[str, Any], Any]] = {}
    # Attributes that state_dict leaves out besides the optimizer, the last lrs and plain
    # callables (a subclass's functions, e.g. a list of them, which no checkpoint can hold)
    not_saved: Tuple[str, ...] = ()

    def __init__(self, optimizer: Optimizer, **numbers: Any) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"a schedule needs an Optimizer, got {type(optimizer).__name__}")
        for name, check in self.checks.items():
            setattr(self, name, check(name, numbers[name]))
        self.optimizer = optimizer
        self.base_lrs = [float(group["lr"]) for group in optimizer.param_groups]
        self.last_epoch = 0
        self._apply(0)

    def lr_at(self, initial_lr: float, t: int) -> float:
        """The learning rate at step t of a group that started at `initial_lr`."""
        raise NotImplementedError(f"{type(self).__name__} must define lr_at(initial_lr, t)")

    def lrs_at(self, t: int) -> list:
        """Every group's learning rate at step t: `lr_at` of each group's initial lr, unless
        a subclass has a formula per group (LambdaDecay with one function per group)."""
        return [self.lr_at(base, t) for base in self.base_lrs]

    @property
    def t(self) -> int:
        """The number of step() calls so far (an alias of `last_epoch`)."""
        return self.last_epoch

    def step(self) -> None:
        """Advance t by one and set each group's lr to η(t)."""
        self._apply(self.last_epoch + 1)  # first: a refused lr leaves t as it was
        self.last_epoch += 1

    def get_last_lr(self) -> list:
        """The learning rate this schedule last set, one per parameter group."""
        return list(self._last_lr)

    def _apply(self, t: int) -> None:
        """Set each group's lr to η(t), all of them checked before the first is set."""
        groups = self.optimizer.param_groups
        if len(groups) != len(self.base_lrs):
            raise ValueError(f"the optimizer has {len(groups)} parameter groups, the schedule "
                             f"was made for {len(self.base_lrs)}")
        # the check also makes each a Python float: a formula giving a numpy float64 must
        # not upcast float32 parameters
        lrs = [check_nonnegative(f"learning rate of group {i} at t={t}", lr)
               for i, lr in enumerate(self.lrs_at(t))]
        for group, lr in zip(groups, lrs):
            group["lr"] = lr
        self._last_lr = lrs

    def state_dict(self) -> dict:
        """t, the initial lrs and the formula's numbers (not the optimizer, not functions)."""
        return {k: (list(v) if isinstance(v, list) else v) for k, v in vars(self).items()
                if k not in ("optimizer", "_last_lr") and k not in self.not_saved
                and not callable(v)}

    def load_state_dict(self, state_dict: dict) -> None:
        """Restore what `state_dict()` saved and set the groups' lrs to η(t).

        Every entry is checked (the formula's numbers, t, the initial lrs, and the lrs they
        give) before anything changes; a problem raises ValueError naming it.
        """
        expected = set(self.state_dict())
        if not isinstance(state_dict, dict) or set(state_dict) != expected:
            got = sorted(state_dict) if isinstance(state_dict, dict) else type(state_dict)
            raise ValueError(f"a {type(self).__name__} state_dict has keys {sorted(expected)}, "
                             f"got {got}")
        with named(f"{type(self).__name__} state_dict"):
            new = {k: (list(v) if isinstance(v, list) else v) for k, v in state_dict.items()}
            for name, check in self.checks.items():
                new[name] = check(name, state_dict[name])
            new["last_epoch"] = check_count("last_epoch", state_dict["last_epoch"])
            new["base_lrs"] = self._checked_base_lrs(state_dict["base_lrs"])
            previous = dict(vars(self))
            vars(self).update(new)
            try:
                self._apply(self.last_epoch)  # checks the lrs of the new numbers, then sets
            except Exception:
                vars(self).clear()
                vars(self).update(previous)
                raise

    def _checked_base_lrs(self, base_lrs: Any) -> list:
        n = len(self.optimizer.param_groups)
        if not isinstance(base_lrs, (list, tuple)):
            raise ValueError(f"base_lrs must be a list of {n} numbers, got {base_lrs!r}")
        if len(base_lrs) != n:
            raise ValueError(f"the state_dict has {len(base_lrs)} initial lrs, "
                             f"the optimizer has {n} groups")
        return [check_nonnegative(f"initial lr of group {i}", lr)
                for i, lr in enumerate(base_lrs)]

    def __repr__(self) -> str:
        numbers = ", ".join(f"{k}={v}" for k, v in self.state_dict().items())
        return f"{type(self).__name__}({numbers})"


class InverseTimeDecay(LRSchedule):
    """η(t) = η0 / (1 + r·t), with r = `decay_rate` (finite, >= 0)."""

    checks = {"decay_rate": check_nonnegative}

    def __init__(self, optimizer: Optimizer, decay_rate: float) -> None:
        super().__init__(optimizer, decay_rate=decay_rate)

    def lr_at(self, initial_lr: float, t: int) -> float:
        return initial_lr / (1.0 + self.decay_rate * t)


class ExponentialDecay(LRSchedule):
    """η(t) = η0 · e^(−λt), with λ = `decay_rate` (finite, >= 0)."""

    checks = {"decay_rate": check_nonnegative}

    def __init__(self, optimizer: Optimizer, decay_rate: float) -> None:
        super().__init__(optimizer, decay_rate=decay_rate)

    def lr_at(self, initial_lr: float, t: int) -> float:
        return initial_lr * math.exp(-self.decay_rate * t)


class StepDecay(LRSchedule):
    """η(t) = η0 · r^⌊t/t_u⌋, with r = `gamma` (finite, >= 0) and t_u = `step_size` (an
    integer >= 1): the lr is multiplied by gamma every step_size steps."""

    checks = {"step_size": check_positive_count, "gamma": check_nonnegative}

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1) -> None:
        super().__init__(optimizer, step_size=step_size, gamma=gamma)

    def lr_at(self, initial_lr: float, t: int) -> float:
        return initial_lr * self.gamma ** (t // self.step_size)


class LambdaDecay(LRSchedule):
    """η(t) = η0 · fn(t), for any function `fn` of the step count (fn(0) = 1 keeps η0).

    `fn` may also be a list or tuple of functions, one per parameter group (group i's lr is
    its η0 · fn[i](t)); a list of another length raises ValueError. `fn` is not part of
    `state_dict()`: make the schedule with the same fn before loading.
    """

    not_saved = ("fn", "fns")

    def __init__(self, optimizer: Optimizer,
                 fn: Union[Callable[[int], Any], Sequence[Callable[[int], Any]]]) -> None:
        if isinstance(fn, (list, tuple)):
            fns = list(fn)
            # (a non-Optimizer is refused by LRSchedule, with its own message)
            groups = len(optimizer.param_groups) if isinstance(optimizer, Optimizer) \
                else len(fns)
            if len(fns) != groups:
                raise ValueError(f"expected {groups} functions, one per parameter group, "
                                 f"got {len(fns)}")
        else:
            fns = None
        for f in [fn] if fns is None else fns:
            if not callable(f):
                raise TypeError(f"fn must be callable, got {type(f).__name__}")
        self.fn = fn
        self.fns = fns  # None: the one fn serves every group
        super().__init__(optimizer)

    def lr_at(self, initial_lr: float, t: int) -> float:
        if self.fns is not None:
            raise TypeError("this LambdaDecay has one function per group: use lrs_at(t)")
        return initial_lr * self.fn(t)

    def lrs_at(self, t: int) -> list:
        if self.fns is None:
            return super().lrs_at(t)
        return [base * f(t) for base, f in zip(self.base_lrs, self.fns)]
