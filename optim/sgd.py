"""SGD: stochastic gradient descent with momentum, Nesterov momentum and weight decay."""

from __future__ import annotations

from operator import itemgetter

import numpy as np

from optim.checks import check_flag, check_nonnegative, check_range
from optim.optimizer import Optimizer, Params, arrays, with_weight_decay


_hyperparameters = itemgetter("lr", "momentum", "dampening", "nesterov", "weight_decay")


class SGD(Optimizer):
    """Stochastic gradient descent, PyTorch's update rule exactly.

    For each parameter w with gradient g, at step t:

        g ← g + λ·w                                  (weight_decay λ)
        b ← g  at the first step,  else  b ← μ·b + (1 − dampening)·g     (momentum μ)
        g ← g + μ·b  if nesterov,  else  g ← b       (only when μ ≠ 0)
        w ← w − lr·g

    `weight_decay=λ` equals adding (λ/2)·‖w‖² to the loss; the course's α‖w‖² is λ = 2α.
    """

    state_keys = ("momentum_buffer",)

    def __init__(self, params: Params, lr: float, momentum: float = 0.0,
                 dampening: float = 0.0, nesterov: bool = False,
                 weight_decay: float = 0.0) -> None:
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening, nesterov=nesterov,
                        weight_decay=weight_decay)
        super().__init__(params, defaults)

    def _check_group(self, group: dict) -> None:
        super()._check_group(group)
        group["momentum"] = check_nonnegative("momentum value", group["momentum"])
        group["weight_decay"] = check_nonnegative("weight_decay value", group["weight_decay"])
        # (1 − dampening) scales the gradient into the buffer: outside [0, 1] it would flip
        # or amplify it
        group["dampening"] = check_range("dampening value", group["dampening"], 0.0, 1.0)
        group["nesterov"] = check_flag("nesterov value", group["nesterov"])
        if group["nesterov"] and (group["momentum"] <= 0 or group["dampening"] != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")

    def _update_group(self, group: dict, params: list) -> None:
        # `group` is checked: Python floats, so a numpy float64 set by hand cannot upcast
        # float32 arrays
        lr, momentum, dampening, nesterov, weight_decay = _hyperparameters(group)
        for p, w, g in arrays(params):
            # g may be shared with other tensors: build new arrays, never write into it.
            # (The floats are checked: 0.0 is false.)
            if weight_decay:
                g = with_weight_decay(w, g, weight_decay)
            if momentum:
                state = self.state.get(p)
                if state is None:
                    buf = np.array(g, dtype=w.dtype)  # a copy: the buffer is updated in place
                    self.state[p] = {"momentum_buffer": buf}
                else:
                    buf = state["momentum_buffer"]
                    buf *= momentum
                    if dampening == 0:
                        buf += g
                    else:
                        buf += (1.0 - dampening) * g
                g = g + momentum * buf if nesterov else buf
            w -= lr * g
