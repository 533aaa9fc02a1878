"""The training loop behind `chainrule train`: data, model, optimizer, schedule, history."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional, Sequence

import numpy as np

import nn
import optim
from autograd import no_grad
from nn import datasets

TOY_SETS: dict = {
    "xor": datasets.xor,
    "moons": datasets.moons,
    "circles": datasets.circles,
    "spirals": datasets.spirals,
    "linear2d": datasets.linear2d,
    "three-class": datasets.three_class,
}
DATA_NAMES = ["digits", *TOY_SETS]


class DataError(Exception):
    """A data set that cannot be read: reported in one line, never as a traceback."""


@dataclass
class Dataset:
    """A train/test split and how to show it."""

    name: str
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    image_shape: Optional[tuple] = None  # (rows, cols) for image data

    @property
    def n_features(self) -> int:
        return self.X_train.shape[1]

    @property
    def n_classes(self) -> int:
        return int(max(self.y_train.max(), self.y_test.max())) + 1


def load_dataset(name: str, seed: int = 0, n: int = 800, test_fraction: float = 0.25,
                 idx_paths: Optional[Sequence[str]] = None) -> Dataset:
    """The named data set (or IDX files, `idx_paths` = (images, labels)) split train/test."""
    if idx_paths is not None:
        images, labels = (str(p) for p in idx_paths)
        for path in (images, labels):
            if not Path(path).is_file():
                raise DataError(f"no such data file: {path}")
        try:
            X, y = datasets.load_idx_pair(images, labels)
        except ValueError as error:
            raise DataError(str(error)) from None
        side = int(round(np.sqrt(X.shape[1])))
        X_train, y_train, X_test, y_test = _split(X, y, test_fraction, seed)
        shape = (side, side) if side * side == X.shape[1] else None
        return Dataset(Path(images).name, X_train, y_train, X_test, y_test, shape)
    if name == "digits":
        X_train, y_train = datasets.load_digits("train", seed=seed)
        X_test, y_test = datasets.load_digits("test", seed=seed)
        return Dataset("digits", X_train, y_train, X_test, y_test, (8, 8))
    if name not in TOY_SETS:
        raise DataError(f"unknown data set {name!r}; choose from {', '.join(DATA_NAMES)}")
    X, y = TOY_SETS[name](n, seed=seed)
    return Dataset(name, *_split(X, y, test_fraction, seed))


def _split(X: np.ndarray, y: np.ndarray, test_fraction: float, seed: int) -> tuple:
    order = np.random.default_rng(seed).permutation(len(X))
    n_test = max(1, int(round(test_fraction * len(X))))
    test, train = order[:n_test], order[n_test:]
    return X[train], y[train], X[test], y[test]


SCHEDULES: dict = {
    "none": lambda opt, args: None,
    "step": lambda opt, args: optim.StepDecay(opt, step_size=args.step_size, gamma=args.gamma),
    "exp": lambda opt, args: optim.ExponentialDecay(opt, decay_rate=args.decay_rate),
    "inverse": lambda opt, args: optim.InverseTimeDecay(opt, decay_rate=args.decay_rate),
}


@dataclass
class History:
    """Per-epoch figures of a run."""

    loss: list = field(default_factory=list)
    train_accuracy: list = field(default_factory=list)
    test_accuracy: list = field(default_factory=list)
    lr: list = field(default_factory=list)


def evaluate(model: nn.Module, X: np.ndarray, y: np.ndarray) -> float:
    """Accuracy of `model` on (X, y), in eval mode and without recording a graph."""
    was_training = model.training
    model.eval()
    with no_grad():
        accuracy = nn.accuracy(model(X), y)
    model.train(was_training)
    return accuracy


def train(model: nn.Module, data: Dataset, opt: optim.Optimizer, schedule: Any,
          epochs: int, batch_size: int, seed: int,
          on_epoch: Optional[Callable[[int, History], None]] = None,
          progress: Optional[Callable[..., Any]] = None) -> tuple:
    """Mini-batch training; returns (History, seconds). `progress(iterable, **kw)` wraps the
    epochs (a tqdm bar), and its `set_postfix` shows loss, accuracies and learning rate after
    each epoch; `on_epoch(epoch, history)` is called after each epoch too."""
    loss_fn = nn.SoftmaxCrossEntropy()
    loader = nn.DataLoader((data.X_train, data.y_train), batch_size=batch_size, shuffle=True,
                           seed=seed)
    history = History()
    start = time.perf_counter()
    epoch_numbers = range(1, epochs + 1)
    bar = None if progress is None else progress(epoch_numbers, desc="training", unit="epoch")
    for epoch in epoch_numbers if bar is None else bar:
        lr = opt.param_groups[0]["lr"]
        total_loss = correct = seen = 0.0
        model.train()
        for X, y in loader:
            opt.zero_grad()
            logits = model(X)
            loss = loss_fn(logits, y)
            loss.backward()
            opt.step()
            total_loss += loss.item() * len(y)
            correct += float((logits.data.argmax(axis=1) == y).sum())
            seen += len(y)
        history.loss.append(total_loss / seen)
        history.train_accuracy.append(correct / seen)
        history.test_accuracy.append(evaluate(model, data.X_test, data.y_test))
        history.lr.append(lr)
        if bar is not None:
            bar.set_postfix(loss=f"{history.loss[-1]:.4f}",
                            acc=f"{history.train_accuracy[-1]:.3f}",
                            test_acc=f"{history.test_accuracy[-1]:.3f}", lr=f"{lr:.4g}")
        if on_epoch is not None:
            on_epoch(epoch, history)
        if schedule is not None:
            schedule.step()
    return history, time.perf_counter() - start
