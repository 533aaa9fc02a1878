"""Batch norm and layer norm (PyTorch's semantics) and the buffers they keep."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd
import nn
from autograd import Tensor, gradcheck, gradgradcheck
from nn.normalization import BatchNorm1d, BatchNorm2d, LayerNorm, batch_norm, layer_norm

EPS = 1e-5


def _axes(ndim):
    return (0,) + tuple(range(2, ndim))


def _per_channel(a, ndim):
    return a.reshape((-1,) + (1,) * (ndim - 2))


def _bn_train_reference(x, gamma, beta, eps=EPS):
    axes = _axes(x.ndim)
    mean = x.mean(axis=axes, keepdims=True)
    var = x.var(axis=axes, keepdims=True)  # biased
    return (x - mean) / np.sqrt(var + eps) * _per_channel(gamma, x.ndim) + \
        _per_channel(beta, x.ndim)


CASES = [(BatchNorm1d, (6, 3)), (BatchNorm1d, (4, 3, 5)), (BatchNorm2d, (3, 2, 4, 5))]


def _layer(cls, channels, rng):
    layer = cls(channels, dtype=np.float64)
    layer.weight.data[:] = rng.uniform(0.5, 2.0, channels)
    layer.bias.data[:] = rng.standard_normal(channels)
    return layer


# ------------------------------------------------------------------ values
@pytest.mark.parametrize("cls, shape", CASES)
def test_train_values_and_running_statistics_after_three_steps(cls, shape, rng):
    channels = shape[1]
    layer = _layer(cls, channels, rng)
    momentum = 0.1
    running_mean, running_var = np.zeros(channels), np.ones(channels)
    for _ in range(3):
        x = rng.standard_normal(shape) * 3 + 1
        y = layer(x)
        np.testing.assert_allclose(y.data, _bn_train_reference(x, layer.weight.data,
                                                              layer.bias.data), atol=1e-12)
        axes = _axes(x.ndim)
        running_mean = (1 - momentum) * running_mean + momentum * x.mean(axis=axes)
        running_var = (1 - momentum) * running_var + momentum * x.var(axis=axes, ddof=1)
    np.testing.assert_allclose(layer.running_mean.data, running_mean, atol=1e-12)
    np.testing.assert_allclose(layer.running_var.data, running_var, atol=1e-12)
    assert layer.num_batches_tracked.data.dtype == np.int64
    assert int(layer.num_batches_tracked.data) == 3
    assert not layer.running_mean.requires_grad


@pytest.mark.parametrize("cls, shape", CASES)
def test_eval_uses_the_running_statistics_and_does_not_update_them(cls, shape, rng):
    channels = shape[1]
    layer = _layer(cls, channels, rng)
    layer(rng.standard_normal(shape) * 2 + 3)  # one training step: running stats not 0 / 1
    mean, var = layer.running_mean.data.copy(), layer.running_var.data.copy()
    layer.eval()
    x = rng.standard_normal(shape)
    expected = (x - _per_channel(mean, x.ndim)) / np.sqrt(_per_channel(var, x.ndim) + EPS) \
        * _per_channel(layer.weight.data, x.ndim) + _per_channel(layer.bias.data, x.ndim)
    np.testing.assert_allclose(layer(x).data, expected, atol=1e-12)
    np.testing.assert_array_equal(layer.running_mean.data, mean)
    np.testing.assert_array_equal(layer.running_var.data, var)
    assert int(layer.num_batches_tracked.data) == 1
    # eval and train differ on the same batch; train mode normalises it to mean 0, var 1
    layer.train()
    trained = layer(x).data
    assert not np.allclose(trained, expected)
    layer.weight.data[:] = 1
    layer.bias.data[:] = 0
    normalized = layer(x).data
    np.testing.assert_allclose(normalized.mean(axis=_axes(x.ndim)), 0, atol=1e-12)
    np.testing.assert_allclose(normalized.var(axis=_axes(x.ndim)), 1, atol=1e-3)


def test_defaults_are_pytorchs():
    layer = BatchNorm2d(4)
    assert (layer.eps, layer.momentum, layer.affine) == (1e-5, 0.1, True)
    assert layer.weight.dtype == np.float32 and layer.running_mean.dtype == np.float32
    np.testing.assert_array_equal(layer.weight.data, 1)
    np.testing.assert_array_equal(layer.bias.data, 0)
    np.testing.assert_array_equal(layer.running_mean.data, 0)
    np.testing.assert_array_equal(layer.running_var.data, 1)
    assert layer.num_batches_tracked.data.shape == () and int(layer.num_batches_tracked.data) == 0
    plain = BatchNorm1d(3, affine=False)
    assert plain.weight is None and plain.bias is None and list(plain.parameters()) == []
    x = np.random.default_rng(1).standard_normal((5, 3))
    np.testing.assert_allclose(plain(x).data, _bn_train_reference(x, np.ones(3), np.zeros(3)),
                               atol=1e-5)
    assert "BatchNorm2d(4, eps=1e-05, momentum=0.1, affine=True" in repr(layer)


def test_momentum_none_is_a_cumulative_average_and_untracked_uses_batch_stats(rng):
    layer = BatchNorm1d(2, momentum=None, dtype=np.float64)
    batches = [rng.standard_normal((4, 2)) + i for i in range(3)]
    for x in batches:
        layer(x)
    np.testing.assert_allclose(layer.running_mean.data,
                               np.mean([x.mean(axis=0) for x in batches], axis=0), atol=1e-12)
    untracked = BatchNorm1d(2, track_running_stats=False, dtype=np.float64).eval()
    assert untracked.running_mean is None and list(untracked.buffers()) == []
    x = batches[0]
    np.testing.assert_allclose(untracked(x).data, _bn_train_reference(x, np.ones(2),
                                                                     np.zeros(2)), atol=1e-12)


def test_layer_norm_values(rng):
    x = rng.standard_normal((3, 4, 5))
    for shape in (5, (4, 5)):
        layer = LayerNorm(shape, dtype=np.float64)
        axes = (-1,) if shape == 5 else (-2, -1)
        layer.weight.data[...] = rng.uniform(0.5, 2.0, layer.weight.shape)
        layer.bias.data[...] = rng.standard_normal(layer.bias.shape)
        mean = x.mean(axis=axes, keepdims=True)
        var = x.var(axis=axes, keepdims=True)
        expected = (x - mean) / np.sqrt(var + EPS) * layer.weight.data + layer.bias.data
        np.testing.assert_allclose(layer(x).data, expected, atol=1e-12)
        np.testing.assert_allclose(layer.eval()(x).data, expected, atol=1e-12)  # no mode
    assert LayerNorm(5).weight.shape == (5,) and LayerNorm((4, 5)).bias.shape == (4, 5)
    plain = LayerNorm(5, elementwise_affine=False)
    assert list(plain.parameters()) == []
    assert list(plain.state_dict()) == []


# ------------------------------------------------------------------ gradients
def _bn_fn(training, running=None):
    def fn(x, weight, bias):
        mean, var = running if running is not None else (None, None)
        return batch_norm(x, mean, var, weight, bias, training=training)
    return fn


@pytest.mark.parametrize("shape", [(5, 3), (3, 2, 4), (2, 2, 3, 3)])
@pytest.mark.parametrize("training", [True, False])
def test_batch_norm_gradcheck(shape, training, rng):
    channels = shape[1]
    x = Tensor(rng.standard_normal(shape) * 2 + 1, requires_grad=True)
    weight = Tensor(rng.uniform(0.5, 2.0, channels), requires_grad=True)
    bias = Tensor(rng.standard_normal(channels), requires_grad=True)
    running = (Tensor(rng.standard_normal(channels)), Tensor(rng.uniform(0.5, 2, channels)))
    assert gradcheck(_bn_fn(training, running), [x, weight, bias])


def test_batch_norm_gradient_in_eval_mode_is_the_affine_maps(rng):
    layer = _layer(BatchNorm2d, 2, rng)
    layer(rng.standard_normal((4, 2, 3, 3)) + 2)
    layer.eval()
    x = Tensor(rng.standard_normal((3, 2, 3, 3)), requires_grad=True)
    layer(x).sum().backward()
    scale = layer.weight.data / np.sqrt(layer.running_var.data + EPS)
    np.testing.assert_allclose(x.grad.data, np.broadcast_to(scale.reshape(1, 2, 1, 1),
                                                            x.shape), atol=1e-12)
    # in training, the sum of a normalised batch does not depend on x (it is N·HW·β)
    layer.train()
    x.grad = None
    layer(x).sum().backward()
    np.testing.assert_allclose(x.grad.data, 0, atol=1e-9)


@pytest.mark.parametrize("shape", [(5, 2), (3, 2, 3), (2, 2, 2, 3)])
def test_batch_norm_gradgradcheck_in_training(shape, rng):
    channels = shape[1]
    x = Tensor(rng.standard_normal(shape), requires_grad=True)
    weight = Tensor(rng.uniform(0.5, 2.0, channels), requires_grad=True)
    bias = Tensor(rng.standard_normal(channels), requires_grad=True)
    assert gradgradcheck(_bn_fn(True), [x, weight, bias])


def test_batch_norm_module_gradcheck_updates_only_its_running_stats(rng):
    layer = _layer(BatchNorm1d, 3, rng)
    x = Tensor(rng.standard_normal((4, 3, 2)), requires_grad=True)
    assert gradcheck(lambda x: layer(x), [x])
    assert layer.running_mean.grad_fn is None and not layer.running_var.requires_grad
    layer.eval()
    before = layer.running_mean.data.copy()
    assert gradcheck(lambda x: layer(x), [x])
    np.testing.assert_array_equal(layer.running_mean.data, before)


def test_layer_norm_gradcheck_and_gradgradcheck(rng):
    x = Tensor(rng.standard_normal((3, 2, 4)), requires_grad=True)
    weight = Tensor(rng.uniform(0.5, 2.0, (2, 4)), requires_grad=True)
    bias = Tensor(rng.standard_normal((2, 4)), requires_grad=True)

    def fn(x, weight, bias):
        return layer_norm(x, (2, 4), weight, bias)
    assert gradcheck(fn, [x, weight, bias])
    assert gradgradcheck(fn, [x, weight, bias])
    assert gradcheck(lambda x: layer_norm(x, 4), [x])


def test_running_statistics_are_updated_without_recording(rng):
    layer = BatchNorm1d(3)
    with autograd.enable_grad():
        y = layer(Tensor(rng.standard_normal((4, 3)).astype(np.float32), requires_grad=True))
    assert y.requires_grad
    for buffer in layer.buffers():
        assert buffer.grad_fn is None and not buffer.requires_grad
    y.sum().backward()  # the update after forward does not break backward


# ------------------------------------------------------------------ buffers and checkpoints
def test_buffers_are_state_but_not_parameters():
    model = nn.Sequential(nn.Linear(3, 4), BatchNorm1d(4))
    assert [n for n, _ in model.named_parameters()] == ["0.weight", "0.bias", "1.weight",
                                                         "1.bias"]
    assert [n for n, _ in model.named_buffers()] == ["1.running_mean", "1.running_var",
                                                      "1.num_batches_tracked"]
    assert len(list(model.buffers())) == 3
    assert list(model.state_dict()) == ["0.weight", "0.bias", "1.weight", "1.bias",
                                         "1.running_mean", "1.running_var",
                                         "1.num_batches_tracked"]
    state = model.state_dict()
    state["1.running_mean"][:] = 5  # a copy
    assert not np.any(model[1].running_mean.data == 5)


def test_save_load_round_trip_restores_running_statistics(tmp_path, rng):
    a = nn.Sequential(nn.Linear(3, 4), BatchNorm1d(4))
    for _ in range(2):
        a(rng.standard_normal((8, 3)))
    path = nn.save(a, tmp_path / "bn.npz")
    b = nn.Sequential(nn.Linear(3, 4), BatchNorm1d(4))
    nn.load(b, path)
    for name, buffer in a.named_buffers():
        other = dict(b.named_buffers())[name]
        np.testing.assert_array_equal(other.data, buffer.data)
        assert other.dtype == buffer.dtype
    assert int(b[1].num_batches_tracked.data) == 2
    a.eval()
    b.eval()
    x = rng.standard_normal((2, 3))
    np.testing.assert_array_equal(a(x).data, b(x).data)


def test_load_state_dict_refuses_a_misshaped_running_mean_and_changes_nothing(tmp_path):
    model = BatchNorm1d(3)
    model(np.random.default_rng(2).standard_normal((4, 3)))
    before = model.state_dict()
    state = BatchNorm1d(3).state_dict()
    state["running_mean"] = np.zeros(4, np.float32)
    with pytest.raises(ValueError) as info:
        model.load_state_dict(state)
    assert "running_mean: expected (3,), got (4,)" in str(info.value)
    assert "nothing was loaded" in str(info.value)
    for name, value in model.state_dict().items():
        np.testing.assert_array_equal(value, before[name])
    del state["running_var"]
    state["extra"] = np.zeros(1)
    with pytest.raises(ValueError, match="missing: running_var") as info:
        model.load_state_dict(state)
    assert "unexpected: extra" in str(info.value)
    path = tmp_path / "bad.npz"
    np.savez(path, **state)
    with pytest.raises(ValueError, match="running_mean: expected"):
        nn.load(model, path)
    # a count takes integers, not a float that would be truncated
    state = BatchNorm1d(3).state_dict()
    state["num_batches_tracked"] = np.array(2.5)
    with pytest.raises(ValueError, match="num_batches_tracked: expected integers for int64"):
        model.load_state_dict(state)


def test_loading_bumps_the_buffers_versions():
    model = BatchNorm1d(2)
    versions = [b.version for b in model.buffers()]
    model.load_state_dict(BatchNorm1d(2).state_dict())
    assert [b.version for b in model.buffers()] == [v + 1 for v in versions]


def test_register_buffer_on_a_plain_module():
    class Counter(nn.Module):
        def __init__(self):
            self.register_buffer("total", np.zeros(2))
            self.register_buffer("unused", None)
            self.scale = nn.Parameter(np.ones(1))

        def forward(self, x):
            return x

    counter = Counter()
    assert isinstance(counter.total, Tensor) and counter.total.dtype == np.float64
    assert list(counter.state_dict()) == ["scale", "total"]
    assert [n for n, _ in counter.named_buffers()] == ["total"]
    with pytest.raises(TypeError, match="Parameter"):
        counter.register_buffer("w", nn.Parameter(np.ones(1)))
    with pytest.raises(KeyError, match="scale"):
        counter.register_buffer("scale", np.ones(1))
    counter.total = np.ones(2)  # not a Tensor: refused where it is used, as PyTorch does
    with pytest.raises(TypeError, match="buffer"):
        counter.state_dict()
    recorded = Tensor(np.ones(2), requires_grad=True) * 2
    counter.register_buffer("total", recorded)
    assert counter.total.grad_fn is None and not counter.total.requires_grad
    assert list(Counter.__mro__[1]._buffer_names) == []  # the class default is untouched


# ------------------------------------------------------------------ errors
def test_errors():
    with pytest.raises(ValueError, match=r"BatchNorm1d\(3\) got input of shape \(4, 5\)"):
        BatchNorm1d(3)(np.zeros((4, 5)))
    with pytest.raises(ValueError, match=r"\(N, C\) or \(N, C, L\), got shape \(2, 3, 4, 4\)"):
        BatchNorm1d(3)(np.zeros((2, 3, 4, 4)))
    with pytest.raises(ValueError, match=r"\(N, C, H, W\), got shape \(2, 3, 4\)"):
        BatchNorm2d(3)(np.zeros((2, 3, 4)))
    with pytest.raises(ValueError, match="axis 1 \\(channels\\) must be 3"):
        BatchNorm2d(3)(np.zeros((2, 4, 2, 2)))
    with pytest.raises(ValueError, match="Expected more than 1 value per channel when training"):
        BatchNorm1d(3)(np.ones((1, 3)))
    with pytest.raises(ValueError, match="Expected more than 1 value per channel"):
        BatchNorm2d(3)(np.ones((1, 3, 1, 1)))
    layer = BatchNorm1d(3)
    np.testing.assert_allclose(layer.eval()(np.ones((1, 3))).data, 1 / np.sqrt(1 + EPS))
    BatchNorm1d(3)(np.ones((1, 3, 2)))  # two values per channel: fine
    with pytest.raises(ValueError, match="num_features"):
        BatchNorm1d(0)
    with pytest.raises(ValueError, match=r"last 1 axes must be \(4,\)"):
        LayerNorm(4)(np.zeros((2, 5)))
    with pytest.raises(ValueError, match=r"last 2 axes must be \(2, 3\)"):
        LayerNorm((2, 3))(np.zeros(3))
    with pytest.raises(ValueError, match="running_mean and running_var are needed"):
        batch_norm(Tensor(np.zeros((2, 3))), None, None, training=False)


def test_an_empty_training_batch_leaves_the_running_statistics_alone():
    layer = BatchNorm1d(2)
    y = layer(np.zeros((0, 2), np.float32))
    assert y.shape == (0, 2)
    np.testing.assert_array_equal(layer.running_mean.data, 0)
    np.testing.assert_array_equal(layer.running_var.data, 1)


# ------------------------------------------------------------------ property tests

@st.composite
def batch_norm_cases(draw):
    """A random (N, C), (N, C, L) or (N, C, H, W) batch with at least 2 values per channel,
    its affine parameters and running statistics, and a mode."""
    n = draw(st.integers(1, 3))
    c = draw(st.integers(1, 3))
    spatial = draw(st.sampled_from([(), (2,), (3,), (2, 2), (1, 3), (3, 2)]))
    if n * int(np.prod(spatial)) < 2:
        n = 2  # one value per channel cannot be normalised in training (PyTorch refuses it)
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    x = Tensor(rng.standard_normal((n, c) + spatial) * 2 + 1, requires_grad=True)
    weight = Tensor(rng.uniform(0.5, 2.0, c), requires_grad=True)
    bias = Tensor(rng.standard_normal(c), requires_grad=True)
    running = (Tensor(rng.standard_normal(c)), Tensor(rng.uniform(0.5, 2.0, c)))
    return x, weight, bias, running, draw(st.booleans())


@given(batch_norm_cases())
def test_batch_norm_gradients_on_random_shapes_and_modes(case):
    x, weight, bias, running, training = case
    assert gradcheck(_bn_fn(training, running), [x, weight, bias])
    if training:  # the batch statistics make it nonlinear in x: second order too
        assert gradgradcheck(_bn_fn(True), [x, weight, bias])
