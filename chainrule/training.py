"""The training loop behind `chainrule train`: data, model, optimizer, schedule, history."""

from __future__ import annotations

import math
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
# The shipped image sets and the size of their images (rows, cols).
IMAGE_SETS = {"digits": (8, 8), "mnist-sample": (28, 28)}
DATA_NAMES = [*IMAGE_SETS, *TOY_SETS]


# A classifier's output layer has one unit per class, so a label sets the layer's size: 65,536
# classes is far beyond any course set, and stops a corrupt label (2·10⁹) from asking for a
# layer of hundreds of gigabytes.
MAX_LABEL = 2**16 - 1

# A run is stopped when an epoch's mean loss passes this many times the untrained model's:
# a healthy run's loss stays near its start or falls, a diverging one explodes by orders of
# magnitude (the course's η > 2/λ_max).
GROWTH_LIMIT = 100


class DataError(Exception):
    """A data set that cannot be read or trained on: reported in one line, never as a
    traceback."""


class Diverged(Exception):
    """A run stopped because its loss became NaN/inf, grew past GROWTH_LIMIT times its start,
    or ended above where it started; the message says which, and when."""


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
        """Numbers per sample: the pixels of an image (N, C, H, W) as of a flat sample."""
        return int(np.prod(self.X_train.shape[1:]))

    @property
    def sample_shape(self) -> tuple:
        """One sample's shape: (features,) when flat, (C, H, W) for images."""
        return tuple(int(n) for n in self.X_train.shape[1:])

    @property
    def n_classes(self) -> int:
        return int(max(self.y_train.max(), self.y_test.max())) + 1


def load_dataset(name: str, seed: int = 0, n: int = 800, test_fraction: float = 0.25,
                 idx_paths: Optional[Sequence[str]] = None, images: bool = False,
                 needs: str = "") -> Dataset:
    """The named data set (or IDX files, `idx_paths` = (images, labels)) split train/test.

    Samples are flat (N, features), or with `images` (N, 1, H, W) images, what a ConvNet
    takes: only image sets have them (the toy sets raise DataError, as do IDX files that do
    not hold 3-D images; `needs` says who needs them, e.g. "--model cnn")."""
    if idx_paths is not None:
        images_path, labels = (str(p) for p in idx_paths)
        for path in (images_path, labels):
            if not Path(path).is_file():
                raise DataError(f"no such data file: {path}")
        try:
            X, y = datasets.load_idx_pair(images_path, labels, images=images)
        except ValueError as error:
            raise DataError(_not_images(str(error), images_path, needs) if images
                            else str(error)) from None
        _check_sample_count(images_path, len(X))
        _check_pixels(images_path, X)
        _check_labels(labels, y)
        X_train, y_train, X_test, y_test = _split(X, y, test_fraction, seed)
        if images:
            shape = tuple(X.shape[2:])
        else:
            side = int(round(np.sqrt(X.shape[1])))
            shape = (side, side) if side * side == X.shape[1] else None
        return Dataset(Path(images_path).name, X_train, y_train, X_test, y_test, shape)
    if name in IMAGE_SETS:
        # The shipped files are checked against their sha256: a damaged or replaced one is
        # loader's ValueError, which the command reports in its own words.
        try:
            if name == "digits":
                X_train, y_train = datasets.load_digits("train", seed=seed, images=images)
                X_test, y_test = datasets.load_digits("test", seed=seed, images=images)
            else:  # mnist-sample: its split is fixed, the same on every seed
                X_train, y_train = datasets.load_mnist_sample("train", images=images)
                X_test, y_test = datasets.load_mnist_sample("test", images=images)
        except ValueError as error:
            problem = str(error).split(": ", 1)[-1]  # without the loader's name
            raise DataError(f"--data {name}: {problem}") from None
        return Dataset(name, X_train, y_train, X_test, y_test, IMAGE_SETS[name])
    if images:
        raise DataError(f"{needs or 'this model'} needs images; --data {name} is a set of "
                        f"2-D points")
    if name not in TOY_SETS:
        raise DataError(f"unknown data set {name!r}; choose from {', '.join(DATA_NAMES)}")
    X, y = TOY_SETS[name](n, seed=seed)
    _check_labels(f"--data {name} --n {n}", y)  # a few points may all be of one class
    return Dataset(name, *_split(X, y, test_fraction, seed))


def _not_images(message: str, path: str, needs: str) -> str:
    # load_idx's "images=True needs images (n, rows, cols), but the header declares shape S"
    # in the command's words; any other problem of the file is left as it is.
    marker = "images=True needs images (n, rows, cols), but "
    if marker not in message:
        return message
    return (f"{path}: {needs or 'this model'} needs images (an IDX file of shape (n, rows, "
            f"cols)), but {message.split(marker, 1)[1]}")


def _check_sample_count(source: str, count: int) -> None:
    # the split needs one sample on each side
    if count < 2:
        raise DataError(f"{source}: {count} sample{'' if count == 1 else 's'}; training needs "
                        f"at least 2 (one to train on, one to test)")


def _check_pixels(source: str, X: np.ndarray) -> None:
    if X.shape[1] == 0:
        raise DataError(f"{source}: each sample has 0 pixels; training needs at least 1")
    bad = int(np.count_nonzero(~np.isfinite(X)))
    if bad:
        raise DataError(f"{source}: pixels must be finite numbers; {bad} of them "
                        f"{'is' if bad == 1 else 'are'} NaN or infinite")


def _check_labels(source: str, y: np.ndarray) -> None:
    out_of_range = y[(y < 0) | (y > MAX_LABEL)]
    if out_of_range.size:
        raise DataError(f"{source}: label {out_of_range[0]} is out of range: labels must be "
                        f"class numbers from 0 to {MAX_LABEL}")
    if y.size and y.min() == y.max():
        raise DataError(f"{source}: every label is {y[0]}; a classifier needs at least 2 "
                        f"classes")


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
    """Per-epoch figures of a run. The losses and accuracies are the model's after each
    epoch, measured on the whole train and test sets in eval mode (not a running figure over
    the epoch's mini-batches while the weights changed); `lr` is the rate the epoch used."""

    train_loss: list = field(default_factory=list)
    test_loss: list = field(default_factory=list)
    train_accuracy: list = field(default_factory=list)
    test_accuracy: list = field(default_factory=list)
    lr: list = field(default_factory=list)
    start_loss: float = math.nan  # the untrained model's mean loss on the training set
    end_loss: float = math.nan  # the trained model's

    def as_dict(self) -> dict:
        """The per-epoch lists, by name (for metrics.json)."""
        return {"train_loss": self.train_loss, "test_loss": self.test_loss,
                "train_accuracy": self.train_accuracy, "test_accuracy": self.test_accuracy,
                "lr": self.lr}


def measure(model: nn.Module, X: np.ndarray, y: np.ndarray) -> tuple:
    """(mean softmax cross-entropy, accuracy) of `model` on (X, y) from one forward pass, in
    eval mode and without recording a graph."""
    with no_grad():
        scores = predict(model, X)
        loss = nn.SoftmaxCrossEntropy()(scores, y).item()
        accuracy = nn.accuracy(scores, y)
    return loss, accuracy


# Images go through a ConvNet this many at a time when it is measured: a conv layer's im2col
# copy of 60,000 MNIST images would take gigabytes at once.
IMAGE_CHUNK = 500


def predict(model: nn.Module, X: np.ndarray) -> np.ndarray:
    """The scores `model` gives X (N, classes), in eval mode, without recording a graph;
    images (N, C, H, W) in chunks of IMAGE_CHUNK, flat samples in one pass."""
    was_training = model.training
    model.eval()
    try:
        with no_grad():
            if X.ndim < 4 or len(X) <= IMAGE_CHUNK:
                return np.asarray(model(X).data)
            return np.concatenate([np.asarray(model(X[i:i + IMAGE_CHUNK]).data)
                                   for i in range(0, len(X), IMAGE_CHUNK)])
    finally:
        model.train(was_training)


def evaluate(model: nn.Module, X: np.ndarray, y: np.ndarray) -> float:
    """Accuracy of `model` on (X, y), in eval mode and without recording a graph."""
    return measure(model, X, y)[1]


def mean_loss(model: nn.Module, X: np.ndarray, y: np.ndarray) -> float:
    """The mean softmax cross-entropy of `model` on (X, y), in eval mode, no graph recorded."""
    return measure(model, X, y)[0]


def train(model: nn.Module, data: Dataset, opt: optim.Optimizer, schedule: Any,
          epochs: int, batch_size: int, seed: int,
          on_epoch: Optional[Callable[[int, History], None]] = None,
          progress: Optional[Callable[..., Any]] = None) -> tuple:
    """Mini-batch training; returns (History, seconds). After each epoch the model's loss and
    accuracy on the whole train and test sets are measured (one forward pass each) and
    appended to the history; `progress(iterable, **kw)` wraps the epochs (a tqdm bar), whose
    `set_postfix` then shows them (see `epoch_figures`); `on_epoch(epoch, history)` is called
    after each epoch too.

    Raises DataError when the untrained model's loss is already NaN or inf (inputs so large
    that the forward pass overflows: no learning rate is to blame), Diverged as soon as a
    batch's loss is NaN or inf, after an epoch whose train loss
    is NaN or inf or passes GROWTH_LIMIT times the untrained model's, and at the end when the
    trained model's loss is above the untrained one's (a run that learned nothing, often at
    chance accuracy).
    """
    # Every batch's loss is checked, so numpy's overflow and invalid-value warnings would
    # only repeat, from deep inside the ops, what Diverged then says in one line.
    with np.errstate(all="ignore"):
        return _train(model, data, opt, schedule, epochs, batch_size, seed, on_epoch,
                      progress)


def epoch_figures(history: History) -> dict:
    """The newest epoch's figures, by the short names the progress bar shows, formatted as
    the per-epoch log line writes them."""
    return {"train_loss": f"{history.train_loss[-1]:.4f}",
            "train_acc": f"{history.train_accuracy[-1]:.4f}",
            "test_loss": f"{history.test_loss[-1]:.4f}",
            "test_acc": f"{history.test_accuracy[-1]:.4f}",
            "lr": f"{history.lr[-1]:.4g}"}


def _train(model: nn.Module, data: Dataset, opt: optim.Optimizer, schedule: Any,
           epochs: int, batch_size: int, seed: int,
           on_epoch: Optional[Callable[[int, History], None]],
           progress: Optional[Callable[..., Any]]) -> tuple:
    loss_fn = nn.SoftmaxCrossEntropy()
    loader = nn.DataLoader((data.X_train, data.y_train), batch_size=batch_size, shuffle=True,
                           seed=seed)
    history = History()
    start = time.perf_counter()
    history.start_loss = mean_loss(model, data.X_train, data.y_train)
    if not math.isfinite(history.start_loss):
        # Before any update the weights are the initial ones: the data overflowed them.
        largest = float(np.max(np.abs(data.X_train)))
        raise DataError(f"{data.name}: the untrained model's loss is already "
                        f"{history.start_loss}, before any update, so no learning rate can "
                        f"help: the inputs are out of range (values up to {largest:.3g} in "
                        f"magnitude overflow the model's {data.X_train.dtype} arithmetic); "
                        f"scale them, e.g. into [0, 1]")
    epoch_numbers = range(1, epochs + 1)
    bar = None if progress is None else progress(epoch_numbers, desc="training", unit="epoch")
    try:
        for epoch in epoch_numbers if bar is None else bar:
            lr = opt.param_groups[0]["lr"]
            model.train()
            for X, y in loader:
                opt.zero_grad()
                loss = loss_fn(model(X), y)
                batch_loss = loss.item()
                if not math.isfinite(batch_loss):  # before its step spreads it to every weight
                    raise Diverged(f"loss became {batch_loss} in epoch {epoch}")
                loss.backward()
                opt.step()
            # The model as it is now, on every sample: the figures the final line reports.
            train_loss, train_accuracy = measure(model, data.X_train, data.y_train)
            test_loss, test_accuracy = measure(model, data.X_test, data.y_test)
            history.train_loss.append(train_loss)
            history.train_accuracy.append(train_accuracy)
            history.test_loss.append(test_loss)
            history.test_accuracy.append(test_accuracy)
            history.lr.append(lr)
            if bar is not None:
                # a dict keeps this order; shown with the count that includes this epoch
                bar.set_postfix(epoch_figures(history), refresh=False)
            if on_epoch is not None:
                on_epoch(epoch, history)
            if not math.isfinite(train_loss):
                raise Diverged(f"loss became {train_loss} in epoch {epoch}")
            if train_loss > GROWTH_LIMIT * history.start_loss:
                raise Diverged(f"loss grew to {train_loss:.3g} in epoch {epoch}, over "
                               f"{GROWTH_LIMIT} times its start ({history.start_loss:.3g})")
            if schedule is not None:
                schedule.step()
    finally:
        if bar is not None:  # so that a message after it starts on a line of its own
            bar.close()
    history.end_loss = history.train_loss[-1] if history.train_loss else history.start_loss
    if history.end_loss > history.start_loss:
        raise Diverged(f"loss rose from {history.start_loss:.3g} to {history.end_loss:.3g} in "
                       f"{epochs} epoch{'' if epochs == 1 else 's'}")
    return history, time.perf_counter() - start
