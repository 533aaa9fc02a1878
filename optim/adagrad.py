"""Adagrad: each coordinate's step shrinks with the sum of its squared gradients, as in
PyTorch."""

from __future__ import annotations

import numpy as np

from optim.checks import check_nonnegative
from optim.optimizer import Optimizer, Params, arrays, with_weight_decay


class Adagrad(Optimizer):
    """Adagrad, PyTorch's update rule and defaults exactly.

    For each parameter w with gradient g, at step t = 1, 2, ... (the sum starts at the
    initial_accumulator_value τ):

        lr_t ← lr / (1 + (t − 1)·η)                  (lr_decay η)
        g ← g + λ·w                                  (weight_decay λ)
        sum ← sum + g²
        w ← w − lr_t · g / (√sum + ε)

    ε is added after the square root. The sum is made at a parameter's first step, from its
    group's τ at that time (PyTorch makes it in the constructor).
    """

    state_keys = ("step", "sum")
    state_counters = ("step",)

    def __init__(self, params: Params, lr: float = 1e-2, lr_decay: float = 0.0,
                 weight_decay: float = 0.0, initial_accumulator_value: float = 0.0,
                 eps: float = 1e-10) -> None:
        defaults = dict(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                        initial_accumulator_value=initial_accumulator_value, eps=eps)
        super().__init__(params, defaults)

    def _check_group(self, group: dict) -> None:
        super()._check_group(group)
        group["lr_decay"] = check_nonnegative("lr_decay", group["lr_decay"])
        group["weight_decay"] = check_nonnegative("weight_decay value", group["weight_decay"])
        group["initial_accumulator_value"] = check_nonnegative(
            "initial_accumulator_value", group["initial_accumulator_value"])
        group["eps"] = check_nonnegative("epsilon value", group["eps"])

    def _update_group(self, group: dict, params: list) -> None:
        # `group` is checked: Python floats, which keep float32 arrays float32
        lr = group["lr"]
        lr_decay = group["lr_decay"]
        weight_decay = group["weight_decay"]
        eps = group["eps"]
        for p, w, g in arrays(params):
            # g may be shared with other tensors: build new arrays, never write into it
            state = self.state.get(p)
            if state is None:
                state = {"step": 0,
                         "sum": np.full_like(w, group["initial_accumulator_value"])}
                self.state[p] = state
            state["step"] += 1
            step_lr = lr / (1.0 + (state["step"] - 1) * lr_decay)
            if weight_decay != 0:
                g = with_weight_decay(w, g, weight_decay)
            state_sum = state["sum"]
            scratch = np.multiply(g, g)
            state_sum += scratch
            std = np.sqrt(state_sum, out=scratch)
            std += eps
            step = np.divide(g, std, out=std)
            step *= step_lr
            w -= step
