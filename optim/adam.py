"""Adam (with L2 weight decay) and AdamW (with decoupled weight decay), as in PyTorch."""

from __future__ import annotations

import math
from typing import Tuple

import numpy as np

from optim.checks import check_beta, check_nonnegative
from optim.optimizer import Optimizer, Params, arrays, with_weight_decay


class Adam(Optimizer):
    """Adam, PyTorch's update rule. For each parameter w with gradient g, at step t = 1, 2, ...:

        g ← g + λ·w                                   (weight_decay λ: L2, through the moments)
        m ← β1·m + (1 − β1)·g,    v ← β2·v + (1 − β2)·g²
        w ← w − (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε)
    """

    state_keys = ("step", "exp_avg", "exp_avg_sq")
    state_counters = ("step",)
    # AdamW sets this: weight decay shrinks w directly instead of being added to g
    decoupled_weight_decay = False

    def __init__(self, params: Params, lr: float = 1e-3,
                 betas: Tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0) -> None:
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay)
        super().__init__(params, defaults)

    def _check_group(self, group: dict) -> None:
        super()._check_group(group)
        betas = group["betas"]
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise ValueError(f"Invalid betas: {betas!r}, expected a pair (beta1, beta2)")
        group["betas"] = (check_beta(0, betas[0]), check_beta(1, betas[1]))
        group["eps"] = check_nonnegative("epsilon value", group["eps"])
        group["weight_decay"] = check_nonnegative("weight_decay value", group["weight_decay"])

    def _update_group(self, group: dict, params: list) -> None:
        lr = group["lr"]  # checked: a Python float, which keeps float32 arrays float32
        beta1, beta2 = group["betas"]
        eps = group["eps"]
        weight_decay = group["weight_decay"]
        for p, w, g in arrays(params):  # g possibly shared: never written into
            state = self.state.get(p)
            if state is None:
                state = {"step": 0, "exp_avg": np.zeros_like(w), "exp_avg_sq": np.zeros_like(w)}
                self.state[p] = state
            state["step"] += 1
            step = state["step"]
            if weight_decay != 0:
                if self.decoupled_weight_decay:
                    w *= 1.0 - lr * weight_decay
                else:
                    g = with_weight_decay(w, g, weight_decay)
            exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
            exp_avg *= beta1
            exp_avg += (1.0 - beta1) * g
            exp_avg_sq *= beta2
            exp_avg_sq += (1.0 - beta2) * (g * g)
            step_size = lr / (1.0 - beta1 ** step)
            denom = np.sqrt(exp_avg_sq)
            denom /= math.sqrt(1.0 - beta2 ** step)
            denom += eps
            update = np.divide(exp_avg, denom, out=denom)  # reuse denom's memory
            update *= step_size
            w -= update


class AdamW(Adam):
    """Adam with decoupled weight decay (PyTorch's AdamW): before the Adam step,

        w ← w − lr·λ·w

    and the gradient itself is not changed, so the decay is not rescaled by √v as the L2
    term of `Adam(weight_decay=λ)` is.
    """

    decoupled_weight_decay = True

    def __init__(self, params: Params, lr: float = 1e-3,
                 betas: Tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 1e-2) -> None:
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay)
