"""RMSprop: a running average of squared gradients scales each step, as in PyTorch."""

from __future__ import annotations

import numpy as np

from optim.checks import check_flag, check_nonnegative, check_range
from optim.optimizer import Optimizer, Params, arrays, with_weight_decay


class RMSprop(Optimizer):
    """RMSprop, PyTorch's update rule and defaults exactly.

    For each parameter w with gradient g, at step t = 1, 2, ... (v, ḡ and b start at 0):

        g ← g + λ·w                                  (weight_decay λ)
        v ← α·v + (1 − α)·g²                         (alpha α)
        ṽ ← v − ḡ²,  with  ḡ ← α·ḡ + (1 − α)·g      if centered,  else  ṽ ← v
        b ← μ·b + g / (√ṽ + ε),  w ← w − lr·b        if momentum μ > 0
        w ← w − lr·g / (√ṽ + ε)                      otherwise

    ε is added after the square root. Centered, ṽ ≥ 0 in exact arithmetic; a value that
    rounding leaves a hair below 0 is taken as 0 (where PyTorch's √ would give nan).
    """

    # as in PyTorch's state; every parameter keeps all of them (the buffers of momentum and
    # centering stay zero while unused), so a group may switch either on between steps
    state_keys = ("step", "square_avg", "momentum_buffer", "grad_avg")
    state_counters = ("step",)

    def __init__(self, params: Params, lr: float = 1e-2, alpha: float = 0.99,
                 eps: float = 1e-8, weight_decay: float = 0.0, momentum: float = 0.0,
                 centered: bool = False) -> None:
        defaults = dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay,
                        momentum=momentum, centered=centered)
        super().__init__(params, defaults)

    def _check_group(self, group: dict) -> None:
        super()._check_group(group)
        # α and 1 − α weigh the old average against g²: outside [0, 1] one turns negative
        group["alpha"] = check_range("alpha value", group["alpha"], 0.0, 1.0)
        group["eps"] = check_nonnegative("epsilon value", group["eps"])
        group["weight_decay"] = check_nonnegative("weight_decay value", group["weight_decay"])
        group["momentum"] = check_nonnegative("momentum value", group["momentum"])
        group["centered"] = check_flag("centered value", group["centered"])

    def _update_group(self, group: dict, params: list) -> None:
        # `group` is checked: Python floats, which keep float32 arrays float32
        lr = group["lr"]
        alpha = group["alpha"]
        eps = group["eps"]
        weight_decay = group["weight_decay"]
        momentum = group["momentum"]
        centered = group["centered"]
        for p, w, g in arrays(params):
            # g may be shared with other tensors: build new arrays, never write into it
            state = self.state.get(p)
            if state is None:
                state = {"step": 0, "square_avg": np.zeros_like(w),
                         "momentum_buffer": np.zeros_like(w), "grad_avg": np.zeros_like(w)}
                self.state[p] = state
            state["step"] += 1
            if weight_decay != 0:
                g = with_weight_decay(w, g, weight_decay)
            square_avg = state["square_avg"]
            square_avg *= alpha
            scratch = np.multiply(g, g)
            scratch *= 1.0 - alpha
            square_avg += scratch
            if centered:
                grad_avg = state["grad_avg"]
                grad_avg *= alpha
                grad_avg += (1.0 - alpha) * g
                avg = np.multiply(grad_avg, grad_avg, out=scratch)
                np.subtract(square_avg, avg, out=avg)
                np.maximum(avg, 0.0, out=avg)
                np.sqrt(avg, out=avg)
            else:
                avg = np.sqrt(square_avg, out=scratch)
            avg += eps
            step = np.divide(g, avg, out=avg)  # g / (√ṽ + ε), in the scratch array
            if momentum > 0:
                buf = state["momentum_buffer"]
                buf *= momentum
                buf += step
                step = np.multiply(buf, lr, out=step)
            else:
                step *= lr
            w -= step
