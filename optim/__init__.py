"""Optimizers, learning-rate schedules and gradient clipping, built on autograd only.

    opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4)
    sched = optim.StepDecay(opt, step_size=10, gamma=0.5)
    for epoch in range(epochs):
        for x, y in loader:
            opt.zero_grad()
            loss_fn(model(x), y).backward()
            opt.step()
        sched.step()

PyTorch's names for the schedules are in `optim.lr_scheduler` (StepLR, ExponentialLR, LambdaLR).
"""

from optim.adagrad import Adagrad
from optim.adam import Adam, AdamW
from optim.clip import clip_grad_norm
from optim.optimizer import Optimizer
from optim.rmsprop import RMSprop
from optim.schedules import (
    ExponentialDecay, InverseTimeDecay, LambdaDecay, LRSchedule, StepDecay,
)
from optim.sgd import SGD
from optim import lr_scheduler  # (after the modules it builds on)

__all__ = [
    "Adagrad", "Adam", "AdamW", "ExponentialDecay", "InverseTimeDecay", "LRSchedule",
    "LambdaDecay", "Optimizer", "RMSprop", "SGD", "StepDecay", "clip_grad_norm",
    "lr_scheduler",
]
