"""The course's closed-form backpropagation formulas, reproduced through the library."""

import math

import numpy as np
import pytest

import nn
from autograd import Tensor


def _logits_setup(rng, n=6, m=4, k=3):
    x = rng.standard_normal((n, m))
    labels = rng.integers(0, k, n)
    layer = nn.Linear(m, k, rng=rng, dtype=np.float64)
    return x, labels, layer


def test_softmax_ce_gradient_wrt_scores_is_yhat_minus_ystar_over_n(rng):
    x, labels, layer = _logits_setup(rng)
    s = layer(x)
    s.retain_grad()
    nn.SoftmaxCrossEntropy()(s, labels).backward()
    y_hat = np.exp(s.data) / np.exp(s.data).sum(axis=1, keepdims=True)
    y_star = np.eye(3)[labels]
    np.testing.assert_allclose(s.grad.data, (y_hat - y_star) / len(x), atol=1e-12)


def test_softmax_ce_gradient_wrt_weights_is_xt_delta(rng):
    x, labels, layer = _logits_setup(rng)
    s = layer(x)
    nn.SoftmaxCrossEntropy()(s, labels).backward()
    y_hat = np.exp(s.data) / np.exp(s.data).sum(axis=1, keepdims=True)
    delta = (y_hat - np.eye(3)[labels]) / len(x)
    np.testing.assert_allclose(layer.weight.grad.data, x.T @ delta, atol=1e-12)
    np.testing.assert_allclose(layer.bias.grad.data, delta.sum(axis=0), atol=1e-12)


def test_sigmoid_hidden_layer_delta(rng):
    """Δʰ = Δʸ Wᵀ ⊙ H ⊙ (1 − H), and ∂L/∂Wʰ = Xᵀ Δʰ."""
    x = rng.standard_normal((5, 4))
    labels = rng.integers(0, 3, 5)
    model = nn.MLP([4, 6, 3], activation="sigmoid", rng=rng, dtype=np.float64)
    hidden_layer, _, output_layer = model.layers
    u = hidden_layer(x)
    u.retain_grad()
    h = u.sigmoid()
    s = output_layer(h)
    nn.SoftmaxCrossEntropy()(s, labels).backward()
    y_hat = np.exp(s.data) / np.exp(s.data).sum(axis=1, keepdims=True)
    delta_y = (y_hat - np.eye(3)[labels]) / 5
    H = h.data
    delta_h = delta_y @ output_layer.weight.data.T * H * (1 - H)
    np.testing.assert_allclose(u.grad.data, delta_h, atol=1e-12)
    np.testing.assert_allclose(hidden_layer.weight.grad.data, x.T @ delta_h, atol=1e-12)
    np.testing.assert_allclose(output_layer.weight.grad.data, H.T @ delta_y, atol=1e-12)


def test_minus_log_of_point_eight():
    """The course's example: ŷ_{c*} = 0.8 gives ℓ_CE = −log 0.8 ≈ 0.22."""
    probs = np.array([[0.1, 0.8, 0.1]])
    loss = nn.SoftmaxCrossEntropy()(Tensor(np.log(probs)), np.array([1]))
    assert loss.item() == pytest.approx(-math.log(0.8), abs=1e-7)
    assert round(loss.item(), 2) == 0.22


def test_one_hot_targets_equal_integer_labels(rng):
    logits = Tensor(rng.standard_normal((4, 5)), requires_grad=True)
    labels = np.array([0, 4, 2, 2])
    a = nn.SoftmaxCrossEntropy()(logits, labels)
    b = nn.SoftmaxCrossEntropy()(logits, np.eye(5)[labels])
    assert a.item() == pytest.approx(b.item(), abs=1e-12)


def test_weight_decay_equals_l2_penalty(rng):
    """SGD with weight_decay = 2α takes the same steps as adding α·Σ‖w‖² to the loss."""
    import optim

    alpha = 0.01
    x = rng.standard_normal((16, 3))
    labels = rng.integers(0, 2, 16)

    def run(decayed: bool) -> list:
        model = nn.MLP([3, 5, 2], rng=np.random.default_rng(1), dtype=np.float64)
        opt = optim.SGD(model.parameters(), lr=0.5, momentum=0.9,
                        weight_decay=2 * alpha if decayed else 0.0)
        for _ in range(20):
            opt.zero_grad()
            loss = nn.SoftmaxCrossEntropy()(model(x), labels)
            if not decayed:
                loss = loss + alpha * nn.l2_penalty(model.parameters())
            loss.backward()
            opt.step()
        return [p.data.copy() for p in model.parameters()]

    for a, b in zip(run(True), run(False)):
        np.testing.assert_allclose(a, b, atol=1e-10)
