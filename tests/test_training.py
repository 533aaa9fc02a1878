"""Real training runs: XOR by a small MLP, the handwritten digits to high accuracy; and the
training loop behind `chainrule train`."""

import warnings

import numpy as np
import pytest

import nn
import optim
from autograd import no_grad
from chainrule.training import Diverged, load_dataset, mean_loss, train
from nn import datasets


def train_xor(seed: int, steps: int = 1500) -> float:
    X, y = datasets.xor_points()
    model = nn.MLP([2, 4, 2], activation="sigmoid", rng=np.random.default_rng(seed))
    opt = optim.SGD(model.parameters(), lr=1.0, momentum=0.9)
    loss_fn = nn.SoftmaxCrossEntropy()
    for _ in range(steps):
        opt.zero_grad()
        loss_fn(model(X), y).backward()
        opt.step()
    with no_grad():
        return nn.accuracy(model(X), y)


def test_xor_learned_by_mlp_2_4_2_from_most_seeds():
    accuracies = [train_xor(seed) for seed in range(5)]
    assert sum(a == 1.0 for a in accuracies) >= 4, accuracies


def test_logistic_regression_cannot_learn_xor():
    X, y = datasets.xor_points()
    model = nn.MLP([2, 2], rng=np.random.default_rng(0))
    opt = optim.SGD(model.parameters(), lr=1.0, momentum=0.9)
    for _ in range(500):
        opt.zero_grad()
        nn.SoftmaxCrossEntropy()(model(X), y).backward()
        opt.step()
    with no_grad():
        assert nn.accuracy(model(X), y) <= 0.75  # a line separates at most 3 of the 4 points


def test_digits_mlp_reaches_high_test_accuracy():
    X_train, y_train = datasets.load_digits("train")
    X_test, y_test = datasets.load_digits("test")
    model = nn.MLP([64, 64, 10], activation="sigmoid", rng=np.random.default_rng(0))
    opt = optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
    loss_fn = nn.SoftmaxCrossEntropy()
    loader = nn.DataLoader((X_train, y_train), batch_size=32, shuffle=True, seed=0)
    for _ in range(20):
        for xb, yb in loader:
            opt.zero_grad()
            loss_fn(model(xb), yb).backward()
            opt.step()
    model.eval()
    with no_grad():
        assert nn.accuracy(model(X_test), y_test) >= 0.96
        assert nn.accuracy(model(X_train), y_train) >= 0.99


def test_the_command_s_training_loop_stops_at_a_nan_loss_before_its_step():
    # chainrule.training.train (behind `chainrule train`): the batch whose loss is NaN
    # takes no step, so the weights stay finite, and numpy's warnings stay inside.
    data = load_dataset("xor", n=100)
    model = nn.MLP([2, 8, 8, 2], activation="relu", rng=np.random.default_rng(0))
    opt = optim.SGD(model.parameters(), lr=1e8, momentum=0.9)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(Diverged, match=r"^loss became nan in epoch 1$"):
            train(model, data, opt, None, epochs=2, batch_size=32, seed=0)
    assert all(np.isfinite(p.data).all() for p in model.parameters())


def test_the_command_s_training_loop_records_where_the_loss_started_and_ended():
    data = load_dataset("digits")
    model = nn.MLP([64, 16, 10], rng=np.random.default_rng(0))
    start = mean_loss(model, data.X_train, data.y_train)
    opt = optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
    history, _ = train(model, data, opt, None, epochs=2, batch_size=32, seed=0)
    assert history.start_loss == start
    assert history.end_loss == mean_loss(model, data.X_train, data.y_train) < start
