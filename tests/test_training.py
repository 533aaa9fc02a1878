"""Real training runs: XOR by a small MLP, the handwritten digits to high accuracy."""

import numpy as np

import nn
import optim
from autograd import no_grad
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
