"""nn.summary: each layer's output shape and parameter count, and the totals."""

import numpy as np
import pytest

import nn
from nn.summary import summary


def test_mlp_rows_shapes_and_totals():
    model = nn.MLP([64, 32, 10], rng=np.random.default_rng(0))
    table = summary(model, (5, 64))
    assert [(r.name, r.kind, r.output_shape, r.params) for r in table.rows] == [
        ("layers", "Sequential", (5, 10), 0),
        ("layers.0", "Linear", (5, 32), 64 * 32 + 32),
        ("layers.1", "Sigmoid", (5, 32), 0),
        ("layers.2", "Linear", (5, 10), 32 * 10 + 10),
    ]
    assert table.total_params == sum(p.data.size for p in model.parameters()) == 2410
    assert table.trainable_params == 2410
    text = str(table)
    assert "layers.0 (Linear)" in text and "(5, 32)" in text and "2,080" in text
    assert "total parameters: 2,410" in text and "non-trainable parameters: 0" in text


def test_a_shared_layer_is_counted_once_and_forward_is_restored():
    shared = nn.Linear(4, 4, rng=np.random.default_rng(1))
    model = nn.Sequential(shared, nn.Tanh(), shared)
    table = summary(model, (2, 4))
    assert table.total_params == 20  # one weight (4, 4) and one bias (4,)
    assert [r.output_shape for r in table.rows] == [(2, 4)] * 3
    assert "forward" not in vars(shared)  # the recording wrapper is gone again
    out = model(np.ones((2, 4), dtype=np.float32))
    assert out.shape == (2, 4) and out.requires_grad


def test_forward_is_restored_when_the_model_fails():
    model = nn.MLP([3, 2])
    with pytest.raises(ValueError, match="last axis must be 3"):
        summary(model, (1, 5))
    assert all("forward" not in vars(m) for m in model.modules())


def test_frozen_parameters_are_not_trainable():
    model = nn.MLP([3, 2])
    model.layers[0].bias.requires_grad = False
    table = summary(model, (1, 3))
    assert table.total_params == 8 and table.trainable_params == 6


@pytest.mark.parametrize("shape", [(), (0, 3), (2, -1), (2.5, 3)])
def test_bad_input_shapes_are_refused(shape):
    with pytest.raises(ValueError, match="input_shape must be positive integers"):
        summary(nn.MLP([3, 2]), shape)


def test_summary_needs_a_module():
    with pytest.raises(TypeError, match="needs an nn.Module"):
        summary(lambda x: x, (1, 3))
