"""PyTorch's names for the course's schedules: `from optim.lr_scheduler import StepLR`.

    StepLR(opt, step_size, gamma=0.1)  η(t) = η0 · γ^⌊t/step_size⌋  (StepDecay)
    ExponentialLR(opt, gamma)          η(t) = η0 · γ^t              (ExponentialDecay, λ = −ln γ)
    LambdaLR(opt, lr_lambda)           η(t) = η0 · lr_lambda(t)     (LambdaDecay)

They step as PyTorch's do, which is also how the course's schedules step: making one sets
`last_epoch = 0` and each group's lr to η(0) (η0 · lr_lambda(0) for LambdaLR); each
`sched.step()`, called once per epoch after the epoch's `opt.step()` calls, adds one to
`last_epoch` and sets η(last_epoch); `get_last_lr()` is the list of the lrs it last set.
So `StepLR(opt, step_size=2, gamma=0.5)` from lr 1.0 trains epochs 0..4 with
1.0, 1.0, 0.5, 0.5, 0.25.

Where they differ from PyTorch, on purpose:
- η(t) is computed from η0 (the closed form), as the course writes it. PyTorch's StepLR and
  ExponentialLR multiply the group's current lr by γ (their "chainable" form): the same
  numbers (to rounding), unless something else changes the lr between steps (a hand edit,
  a second schedule on the same optimizer), whose change the next step here overwrites.
- `last_epoch=` is accepted only as -1, a fresh start; to resume, make the schedule and
  call `load_state_dict(saved)` (PyTorch's resume reads an "initial_lr" that chainrule's
  optimizers do not keep). `step(epoch)`, deprecated in PyTorch, raises TypeError.
- γ must be finite and >= 0 and step_size an integer >= 1 (PyTorch takes a negative γ, and
  a step_size of -1 or 2.5).
- `state_dict()` holds this module's numbers, not PyTorch's keys.
"""

from __future__ import annotations

import math
from typing import Any, Callable, Sequence, Union

from optim.checks import check_nonnegative
from optim.optimizer import Optimizer
from optim.schedules import LambdaDecay, LRSchedule, StepDecay

__all__ = ["ExponentialLR", "LambdaLR", "StepLR"]


def _fresh_start(schedule: str, last_epoch: Any) -> None:
    # PyTorch's default, -1, means "not started": the only value with one meaning here
    if isinstance(last_epoch, bool) or last_epoch != -1:
        raise ValueError(f"{schedule}: last_epoch must be -1 (a fresh start), got "
                         f"{last_epoch!r}; to resume, make the schedule and call "
                         "load_state_dict(saved)")


class StepLR(StepDecay):
    """PyTorch's name for `StepDecay`: η(t) = η0 · γ^⌊t/step_size⌋, the lr multiplied by
    `gamma` every `step_size` epochs (step_size an integer >= 1, gamma finite and >= 0)."""

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1,
                 last_epoch: int = -1) -> None:
        _fresh_start(type(self).__name__, last_epoch)
        super().__init__(optimizer, step_size, gamma)


class ExponentialLR(LRSchedule):
    """PyTorch's exponential schedule, η(t) = η0 · γ^t with γ = `gamma` (finite, >= 0).

    It is the course's `ExponentialDecay` η0 · e^(−λt) with λ = −ln γ, i.e. γ = e^(−λ)
    (`decay_rate` gives that λ). γ > 1 (a growing lr, λ < 0) is allowed here, as in
    PyTorch, though not in ExponentialDecay.
    """

    checks = {"gamma": check_nonnegative}

    def __init__(self, optimizer: Optimizer, gamma: float, last_epoch: int = -1) -> None:
        _fresh_start(type(self).__name__, last_epoch)
        super().__init__(optimizer, gamma=gamma)

    @property
    def decay_rate(self) -> float:
        """The course's λ = −ln γ (inf for γ = 0)."""
        return -math.log(self.gamma) if self.gamma > 0 else math.inf

    def lr_at(self, initial_lr: float, t: int) -> float:
        return initial_lr * self.gamma ** t


class LambdaLR(LambdaDecay):
    """PyTorch's name for `LambdaDecay`: η(t) = η0 · lr_lambda(t), with one function for
    every parameter group or a list of them, one per group (another length raises
    ValueError). As in PyTorch, the lr set at construction is η0 · lr_lambda(0).

    `lr_lambda` is not part of `state_dict()`: make the schedule with the same functions
    before loading.
    """

    def __init__(self, optimizer: Optimizer,
                 lr_lambda: Union[Callable[[int], Any], Sequence[Callable[[int], Any]]],
                 last_epoch: int = -1) -> None:
        _fresh_start(type(self).__name__, last_epoch)
        super().__init__(optimizer, lr_lambda)

    @property
    def lr_lambdas(self) -> list:
        """One function per parameter group (PyTorch's attribute)."""
        return list(self.fns) if self.fns is not None else [self.fn] * len(self.base_lrs)
