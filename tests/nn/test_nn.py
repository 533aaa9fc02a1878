"""nn: modules, layers, activations, fused losses, initializers, checkpoints."""

import gc
import io
import os
import re
import warnings
import zipfile

import numpy as np
import pytest

import autograd
import nn
from autograd import Tensor, gradcheck, gradgradcheck
from nn import functional as F


# ------------------------------------------------------------------ Module tree
def test_mlp_structure_and_dotted_names():
    model = nn.MLP([2, 8, 2])
    names = [name for name, _ in model.named_parameters()]
    assert names == ["layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias"]
    shapes = [p.shape for p in model.parameters()]
    assert shapes == [(2, 8), (8,), (8, 2), (2,)]
    assert [type(m).__name__ for m in model.layers] == ["Linear", "Sigmoid", "Linear"]
    assert [n for n, _ in model.named_modules()] == ["", "layers", "layers.0", "layers.1",
                                                     "layers.2"]
    assert list(model.children()) == [model.layers]


def test_parameters_require_grad_and_are_float32_by_default():
    layer = nn.Linear(3, 4)
    assert all(p.requires_grad and p.is_leaf for p in layer.parameters())
    assert layer.weight.dtype == np.float32
    assert isinstance(layer.weight, nn.Parameter)


def test_shared_parameter_listed_once():
    layer = nn.Linear(3, 3)
    model = nn.Sequential(layer, nn.Tanh(), layer)
    assert len(list(model.parameters())) == 2


def test_repr_prints_tree_with_shapes():
    text = repr(nn.MLP([2, 8, 2]))
    assert "MLP(sizes=[2, 8, 2]" in text
    assert "(0): Linear(in_features=2, out_features=8, bias=True)  # weight (2, 8), bias (8,)" \
        in text
    assert "(1): Sigmoid(a=1.0)" in text


def test_zero_grad_and_train_eval():
    model = nn.Sequential(nn.Linear(2, 2), nn.Dropout(0.5))
    model(np.ones((1, 2))).sum().backward()
    assert all(p.grad is not None for p in model.parameters())
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())
    model.eval()
    assert not any(m.training for m in model.modules())
    model.train()
    assert all(m.training for m in model.modules())


# ------------------------------------------------------------------ Linear
def test_linear_is_x_w_plus_b(rng):
    layer = nn.Linear(3, 2, rng=rng, dtype=np.float64)
    x = rng.standard_normal((5, 3))
    np.testing.assert_allclose(layer(x).data, x @ layer.weight.data + layer.bias.data)


def test_linear_glorot_bounds_and_explicit_generator():
    a = nn.Linear(100, 50, rng=np.random.default_rng(3))
    b = nn.Linear(100, 50, rng=np.random.default_rng(3))
    np.testing.assert_array_equal(a.weight.data, b.weight.data)
    bound = np.sqrt(6 / 150)
    assert np.abs(a.weight.data).max() <= bound
    assert np.abs(a.weight.data).max() > 0.9 * bound
    np.testing.assert_array_equal(a.bias.data, 0)


def test_manual_seed_makes_default_init_reproducible():
    nn.manual_seed(7)
    a = nn.MLP([4, 3, 2])
    nn.manual_seed(7)
    b = nn.MLP([4, 3, 2])
    for p, q in zip(a.parameters(), b.parameters()):
        np.testing.assert_array_equal(p.data, q.data)


def test_linear_casts_float64_input_to_its_dtype():
    layer = nn.Linear(3, 2)
    assert layer(np.ones((2, 3))).dtype == np.float32


def test_a_layer_wraps_numpy_data_as_tensor_would():
    from nn.layers import _as_input

    float32 = np.dtype(np.float32)
    batch = np.array([[1.0, -2.0, 0.5]], dtype=np.float32)
    x = _as_input(batch, float32)  # the layer's dtype: wrapped, not copied
    assert type(x) is Tensor and x.data is batch and x.is_leaf and not x.requires_grad
    assert x.name is None and x.version == 0
    ints = _as_input(np.array([[1, 2, 3]]), float32)  # another dtype: cast to the layer's
    assert ints.dtype == float32 and ints.data.tolist() == [[1.0, 2.0, 3.0]]
    with pytest.raises(TypeError, match="a tensor's data must be real numbers"):
        _as_input(np.array([["a", "b", "c"]], dtype=object), float32)
    layer = nn.Linear(3, 2, dtype=np.float32)
    out = layer(batch)
    np.testing.assert_array_equal(out.data, batch @ layer.weight.data + layer.bias.data)
    out.sum().backward()
    np.testing.assert_array_equal(layer.weight.grad.data, np.repeat(batch.T, 2, axis=1))


def test_linear_wrong_input_width():
    with pytest.raises(ValueError, match=r"Linear\(3, 2\) got input of shape \(4, 5\)"):
        nn.Linear(3, 2)(np.ones((4, 5)))


# ------------------------------------------------------------------ initialisation
def _uniform_stats(values, bound):
    # A large seeded draw from U(−b, b) reaches close to ±b and has variance b²/3.
    assert np.abs(values).max() <= bound
    assert np.abs(values).max() > 0.99 * bound
    assert abs(values.mean()) < 0.01 * bound
    assert values.var() == pytest.approx(bound ** 2 / 3, rel=0.02)


def test_each_initializer_has_its_bounds_and_variance():
    fan_in, fan_out = 400, 600  # W is (in, out)
    cases = [
        (nn.init.xavier_uniform_, {}, "uniform", np.sqrt(6 / (fan_in + fan_out))),
        (nn.init.xavier_uniform_, {"gain": 2.0}, "uniform", 2 * np.sqrt(6 / (fan_in + fan_out))),
        (nn.init.xavier_normal_, {}, "normal", np.sqrt(2 / (fan_in + fan_out))),
        (nn.init.kaiming_uniform_, {}, "uniform", np.sqrt(6 / fan_in)),
        (nn.init.kaiming_uniform_, {"mode": "fan_out"}, "uniform", np.sqrt(6 / fan_out)),
        (nn.init.kaiming_normal_, {}, "normal", np.sqrt(2 / fan_in)),
        (nn.init.kaiming_normal_, {"nonlinearity": "tanh"}, "normal", 5 / 3 / np.sqrt(fan_in)),
        (nn.init.uniform_, {"low": -0.3, "high": 0.3}, "uniform", 0.3),
        (nn.init.normal_, {"std": 0.3}, "normal", 0.3),
    ]
    for fill, kwargs, kind, scale in cases:
        w = Tensor(np.empty((fan_in, fan_out), np.float32))
        version = w.version
        assert fill(w, rng=np.random.default_rng(1), **kwargs) is w
        assert w.version == version + 1  # an in-place change, counted
        if kind == "uniform":
            _uniform_stats(w.data, scale)
        else:
            assert abs(w.data.mean()) < 0.01 * scale
            assert w.data.std() == pytest.approx(scale, rel=0.02)
        again = Tensor(np.empty((fan_in, fan_out), np.float32))
        fill(again, rng=np.random.default_rng(1), **kwargs)
        np.testing.assert_array_equal(w.data, again.data)  # the generator decides every draw


def test_fan_in_of_a_dense_weight_is_its_first_axis():
    # chainrule's W is (in, out), PyTorch's is (out, in): the same layer, the same fan_in.
    w = Tensor(np.empty((50, 2000)))  # 50 inputs, 2000 outputs
    nn.init.kaiming_uniform_(w, rng=np.random.default_rng(0))
    _uniform_stats(w.data, np.sqrt(6 / 50))
    nn.init.kaiming_uniform_(w, mode="fan_out", rng=np.random.default_rng(0))
    _uniform_stats(w.data, np.sqrt(6 / 2000))
    layer = nn.Linear(50, 2000, init="kaiming", rng=np.random.default_rng(0))
    _uniform_stats(layer.weight.data, np.sqrt(6 / layer.in_features))
    assert nn.init._fans((50, 2000)) == (50, 2000)
    # a convolution's weight is PyTorch's (C_out, C_in, kH, kW): fan_in = C_in·kH·kW
    assert nn.init._fans((8, 3, 5, 5)) == (75, 200)
    with pytest.raises(ValueError, match=r"at least 2 dimensions, got \(5,\)"):
        nn.init.kaiming_uniform_(Tensor(np.empty(5)))


def test_kaiming_negative_slope_a_sets_the_gain_as_pytorch():
    fan_in = 300
    for a in (0.0, 0.2, 1.0, np.sqrt(5)):
        gain = np.sqrt(2 / (1 + a ** 2))  # torch.nn.init.calculate_gain("leaky_relu", a)
        assert nn.init.calculate_gain("leaky_relu", a) == pytest.approx(gain)
        w = Tensor(np.empty((fan_in, 500)))
        nn.init.kaiming_uniform_(w, a=a, rng=np.random.default_rng(2))
        _uniform_stats(w.data, gain * np.sqrt(3 / fan_in))
    # a = √5, PyTorch's layer default, is U(±1/√fan_in)
    assert np.sqrt(2 / 6) * np.sqrt(3 / fan_in) == pytest.approx(1 / np.sqrt(fan_in))
    # "relu" ignores a, as in PyTorch
    w = Tensor(np.empty((fan_in, 500)))
    nn.init.kaiming_uniform_(w, a=3.0, nonlinearity="relu", rng=np.random.default_rng(2))
    _uniform_stats(w.data, np.sqrt(6 / fan_in))
    gains = {"linear": 1.0, "identity": 1.0, "conv2d": 1.0, "sigmoid": 1.0, "tanh": 5 / 3,
             "relu": np.sqrt(2), "selu": 0.75, "leaky_relu": np.sqrt(2 / (1 + 0.01 ** 2))}
    for name, gain in gains.items():
        assert nn.init.calculate_gain(name) == pytest.approx(gain)
    with pytest.raises(ValueError, match="unknown nonlinearity 'swish'; choose from"):
        nn.init.kaiming_normal_(Tensor(np.empty((3, 3))), nonlinearity="swish")
    with pytest.raises(ValueError, match=r"mode must be one of \['fan_in', 'fan_out'\], got 'in'"):
        nn.init.kaiming_uniform_(Tensor(np.empty((3, 3))), mode="in")
    with pytest.raises(ValueError, match="negative slope 'x' is not a number"):
        nn.init.calculate_gain("leaky_relu", "x")


def test_linear_init_torch_reproduces_pytorchs_bounds():
    # PyTorch's nn.Linear: weight kaiming_uniform_(a=√5) = U(±1/√fan_in), bias the same
    layer = nn.Linear(400, 300, init="torch", rng=np.random.default_rng(4))
    bound = 1 / np.sqrt(400)
    _uniform_stats(layer.weight.data, bound)
    assert np.abs(layer.bias.data).max() <= bound
    assert np.abs(layer.bias.data).max() > 0.98 * bound
    assert layer.weight.dtype == layer.bias.dtype == np.float32
    assert nn.Linear(400, 300, bias=False, init="torch").bias is None


def test_linear_named_inits():
    rng = np.random.default_rng
    default = nn.Linear(300, 200, rng=rng(5))
    xavier = nn.Linear(300, 200, rng=rng(5), init="xavier")
    assert default.init == xavier.init == "xavier"
    np.testing.assert_array_equal(default.weight.data, xavier.weight.data)
    _uniform_stats(xavier.weight.data, np.sqrt(6 / 500))
    np.testing.assert_array_equal(xavier.bias.data, 0)
    kaiming = nn.Linear(300, 200, rng=rng(5), init="kaiming")
    _uniform_stats(kaiming.weight.data, np.sqrt(6 / 300))
    np.testing.assert_array_equal(kaiming.bias.data, 0)
    zeros = nn.Linear(300, 200, init="zeros")
    assert not zeros.weight.data.any() and not zeros.bias.data.any()
    empty = nn.Linear(0, 3, init="torch")  # no inputs: nothing to draw, a bias bound of 0
    np.testing.assert_array_equal(empty.bias.data, 0)
    for name in nn.init.LAYER_INITS:  # an empty weight is left as is, as in PyTorch
        assert nn.Linear(0, 3, init=name).weight.shape == (0, 3)


def test_reset_parameters_redraws_in_place():
    layer = nn.Linear(30, 20, init="torch", rng=np.random.default_rng(0))
    weight, versions = layer.weight, [p.version for p in layer.parameters()]
    layer.reset_parameters(rng=np.random.default_rng(0))
    assert layer.weight is weight
    assert [p.version for p in layer.parameters()] == [v + 1 for v in versions]
    assert np.abs(layer.bias.data).max() > 0  # still "torch": a random bias
    layer.reset_parameters("zeros")
    assert not layer.weight.data.any()


def test_mlp_passes_init_to_every_layer():
    model = nn.MLP([400, 300, 100], activation="relu", init="torch",
                   rng=np.random.default_rng(6))
    linears = [m for m in model.layers if isinstance(m, nn.Linear)]
    assert [m.init for m in linears] == ["torch", "torch"]
    for m in linears:
        _uniform_stats(m.weight.data, 1 / np.sqrt(m.in_features))
        assert np.abs(m.bias.data).max() > 0
    assert all(m.init == "xavier" for m in nn.MLP([3, 4, 2]).layers if isinstance(m, nn.Linear))


def test_default_init_can_be_set_for_every_new_layer():
    assert nn.init.get_default_init() == "xavier"
    try:
        nn.init.set_default_init("torch")
        assert nn.Linear(3, 4).init == "torch"
        assert [m.init for m in nn.MLP([3, 4, 2]).layers if isinstance(m, nn.Linear)] == \
            ["torch", "torch"]
        assert nn.Linear(3, 4, init="xavier").init == "xavier"  # a layer's own choice wins
    finally:
        nn.init.set_default_init("xavier")
    assert nn.Linear(3, 4).init == "xavier"


def test_unknown_init_names_are_refused_with_the_choices():
    message = r"unknown init 'he'; choose from \['xavier', 'torch', 'kaiming', 'zeros'\]"
    for make in (lambda: nn.Linear(3, 2, init="he"), lambda: nn.MLP([3, 2], init="he"),
                 lambda: nn.init.set_default_init("he"),
                 lambda: nn.Linear(3, 2).reset_parameters("he")):
        with pytest.raises(ValueError, match=message):
            make()
    with pytest.raises(ValueError, match="unknown init 'Torch'"):
        nn.Linear(3, 2, init="Torch")
    with pytest.raises(ValueError, match="unknown init 3"):
        nn.Linear(3, 2, init=3)
    assert nn.init.get_default_init() == "xavier"  # a refused setting changes nothing


# ------------------------------------------------------------------ activations
def test_sigmoid_slope_a(rng):
    x = Tensor(np.array([-1.0, 0.0, 2.0]))
    for a in (10.0, 1.0, 0.1):
        np.testing.assert_allclose(nn.Sigmoid(a)(x).data, 1 / (1 + np.exp(-a * x.data)))


def test_step_is_heaviside_with_zero_gradient():
    x = Tensor(np.array([-2.0, 0.0, 3.0]), requires_grad=True)
    y = nn.Step()(x)
    np.testing.assert_array_equal(y.data, [0.0, 1.0, 1.0])
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.data, 0.0)


def test_activation_modules_match_functions(rng):
    x = Tensor(rng.standard_normal((3, 4)))
    np.testing.assert_allclose(nn.Tanh()(x).data, np.tanh(x.data))
    np.testing.assert_allclose(nn.ReLU()(x).data, np.maximum(x.data, 0))
    p = nn.Softmax()(x).data
    np.testing.assert_allclose(p.sum(axis=-1), 1, rtol=1e-6)


def test_mlp_unknown_activation():
    with pytest.raises(ValueError, match="unknown activation 'swish'"):
        nn.MLP([2, 3, 2], activation="swish")


# ------------------------------------------------------------------ losses
def test_fused_softmax_ce_gradcheck(rng):
    logits = Tensor(rng.standard_normal((4, 3)), requires_grad=True)
    labels = np.array([0, 2, 1, 2])
    for reduction in ("mean", "sum", "none"):
        def loss(s, reduction=reduction):
            return F.softmax_cross_entropy(s, labels, reduction)

        assert gradcheck(loss, [logits])
        assert gradgradcheck(loss, [logits])
    target = Tensor(rng.dirichlet(np.ones(3), 4), requires_grad=True)
    assert gradcheck(lambda s, t: F.softmax_cross_entropy(s, t), [logits, target])
    assert gradgradcheck(lambda s, t: F.softmax_cross_entropy(s, t), [logits, target])


def test_softmax_ce_equals_unfused_formula(rng):
    logits = Tensor(rng.standard_normal((5, 4)))
    labels = rng.integers(0, 4, 5)
    unfused = -(logits.log_softmax(axis=1)[np.arange(5), labels]).mean()
    assert F.softmax_cross_entropy(logits, labels).item() == pytest.approx(unfused.item())


def test_softmax_ce_finite_for_huge_logits():
    logits = Tensor(np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, 1e4]], dtype=np.float32),
                    requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = nn.SoftmaxCrossEntropy()(logits, np.array([1, 2]))
        loss.backward()
    assert loss.item() == pytest.approx(1e4, rel=1e-6)
    assert np.isfinite(logits.grad.data).all()


def test_bce_on_logits_matches_formula_and_is_stable(rng):
    s = Tensor(rng.standard_normal(6), requires_grad=True)
    y = (rng.random(6) > 0.5).astype(np.float64)
    p = 1 / (1 + np.exp(-s.data))
    expected = -(y * np.log(p) + (1 - y) * np.log(1 - p)).mean()
    loss = nn.BinaryCrossEntropy()(s, y)
    assert loss.item() == pytest.approx(expected, rel=1e-12)
    loss.backward()
    np.testing.assert_allclose(s.grad.data, (p - y) / 6, atol=1e-12)
    assert gradcheck(lambda t: F.binary_cross_entropy_with_logits(t, y), [s])
    assert gradgradcheck(lambda t: F.binary_cross_entropy_with_logits(t, y), [s])
    huge = nn.BinaryCrossEntropy()(Tensor([1e4, -1e4]), np.array([0.0, 1.0]))
    assert huge.item() == pytest.approx(1e4)


def test_bce_gradient_at_zero_logit_is_half_minus_y():
    s = Tensor(np.zeros(2), requires_grad=True)
    nn.BinaryCrossEntropy(reduction="sum")(s, np.array([0.0, 1.0])).backward()
    np.testing.assert_allclose(s.grad.data, [0.5, -0.5])


def test_mse_loss(rng):
    pred = Tensor(rng.standard_normal(5), requires_grad=True)
    target = rng.standard_normal(5)
    loss = nn.MSELoss()(pred, target)
    assert loss.item() == pytest.approx(((pred.data - target) ** 2).mean())
    assert nn.MSELoss(reduction="none")(pred, target).shape == (5,)


def test_loss_bad_input():
    logits = Tensor(np.zeros((3, 4)))
    with pytest.raises(ValueError, match="label 4 is out of range for 4 classes"):
        nn.SoftmaxCrossEntropy()(logits, np.array([0, 1, 4]))
    with pytest.raises(ValueError, match="label -1 is out of range"):
        nn.SoftmaxCrossEntropy()(logits, np.array([0, -1, 2]))
    with pytest.raises(ValueError, match=r"logits of shape \(3, 4\) and targets of shape \(2,\)"):
        nn.SoftmaxCrossEntropy()(logits, np.array([0, 1]))
    with pytest.raises(ValueError, match="reduction must be one of"):
        nn.SoftmaxCrossEntropy(reduction="avg")
    with pytest.raises(ValueError, match=r"logits of shape \(2,\) and targets of shape \(3,\)"):
        nn.BinaryCrossEntropy()(Tensor([0.0, 1.0]), np.zeros(3))


@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.int32, np.int64, np.uint8,
                                   np.uint16, np.uint32, np.uint64])
def test_labels_of_every_integer_dtype_are_checked_for_range(dtype):
    logits = Tensor(np.zeros((3, 4)))
    loss = nn.SoftmaxCrossEntropy()(logits, np.array([0, 3, 2], dtype=dtype))
    assert loss.item() == pytest.approx(np.log(4))  # uniform scores: −log(1/4)
    with pytest.raises(ValueError, match="label 4 is out of range for 4 classes"):
        nn.SoftmaxCrossEntropy()(logits, np.array([0, 4, 2], dtype=dtype))
    if np.dtype(dtype).kind == "i":
        with pytest.raises(ValueError, match="label -1 is out of range for 4 classes"):
            nn.SoftmaxCrossEntropy()(logits, np.array([0, -1, 2], dtype=dtype))


@pytest.mark.parametrize("shape", [(3, 5), (2, 4), (3, 4, 1), (3, 1), ()])
def test_softmax_ce_targets_of_another_shape_are_refused(shape):
    # (N,) labels or (N, K) targets only: logits here are (3, 4)
    logits = Tensor(np.zeros((3, 4)))
    with pytest.raises(ValueError, match=re.escape(
            f"logits of shape (3, 4) and targets of shape {shape} do not match")):
        nn.SoftmaxCrossEntropy()(logits, np.zeros(shape))


def test_accuracy_and_zero_one_loss():
    scores = np.array([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7], [0.6, 0.4]])
    labels = np.array([1, 0, 0, 0])
    assert nn.accuracy(scores, labels) == 0.75
    assert nn.zero_one_loss(scores, labels) == 0.25


def test_l2_penalty(rng):
    params = [Tensor(rng.standard_normal((2, 3))), Tensor(rng.standard_normal(3))]
    expected = sum((p.data ** 2).sum() for p in params)
    assert nn.l2_penalty(params).item() == pytest.approx(expected, rel=1e-6)


# ------------------------------------------------------------------ Dropout
def test_dropout_inverted_scaling_and_eval_identity():
    drop = nn.Dropout(0.25, rng=np.random.default_rng(0))
    x = Tensor(np.ones((200, 200), dtype=np.float64))
    y = drop(x).data
    assert set(np.unique(y)) == {0.0, 1 / 0.75}
    assert abs((y == 0).mean() - 0.25) < 0.01
    assert abs(y.mean() - 1.0) < 0.02
    drop.eval()
    assert drop(x) is x
    with pytest.raises(ValueError, match=r"in \[0, 1\]"):
        nn.Dropout(1.5)


# ------------------------------------------------------------------ checkpoints
def test_save_load_roundtrip(tmp_path):
    a = nn.MLP([3, 4, 2])
    b = nn.MLP([3, 4, 2])
    path = nn.save(a, tmp_path / "model.npz")
    assert [p.name for p in tmp_path.iterdir()] == ["model.npz"]  # no temporary left behind
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask  # not mkstemp's private 0600
    nn.load(b, path)
    for p, q in zip(a.parameters(), b.parameters()):
        np.testing.assert_array_equal(p.data, q.data)


def test_load_wrong_architecture_lists_differences_and_changes_nothing(tmp_path):
    path = nn.save(nn.MLP([3, 4, 2]), tmp_path / "model.npz")
    other = nn.MLP([3, 5, 2, 2])
    before = [p.data.copy() for p in other.parameters()]
    with pytest.raises(ValueError) as info:
        nn.load(other, path)
    message = str(info.value)
    assert "missing: layers.4.weight, layers.4.bias" in message
    assert "layers.0.weight: expected (3, 5), got (3, 4)" in message
    assert "nothing was loaded" in message
    for p, q in zip(before, other.parameters()):
        np.testing.assert_array_equal(p, q.data)
    with pytest.raises(ValueError, match="unexpected: layers.0.weight, layers.0.bias, layers.2"):
        nn.load(nn.Linear(3, 4), path)


def test_load_corrupt_file(tmp_path):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"PK\x03\x04 definitely not a zip archive")
    with pytest.raises(ValueError, match="not a readable .npz checkpoint"):
        nn.load(nn.Linear(2, 2), bad)
    with pytest.raises(FileNotFoundError):
        nn.load(nn.Linear(2, 2), tmp_path / "missing.npz")


def test_checkpoint_is_read_without_pickle(tmp_path):
    path = tmp_path / "objects.npz"
    np.savez(path, **{"weight": np.array([object()], dtype=object)})
    with pytest.raises(ValueError, match="not a readable .npz checkpoint"):
        nn.load(nn.Linear(1, 1, bias=False), path)


def test_nodes_remember_their_module():
    model = nn.MLP([2, 3, 2])
    loss = model(np.ones((1, 2))).sum()
    scopes = {type(node.scope).__name__ for node in autograd.topological_order([loss.grad_fn])}
    assert {"Linear", "Sigmoid"} <= scopes


# ------------------------------------------------------------------ checkpoints: trust
def _mlp_state_with(model, replace):
    state = model.state_dict()
    state.update(replace)
    return state


def test_load_rejects_arrays_that_are_not_real_numbers_and_changes_nothing(tmp_path):
    model = nn.MLP([2, 3, 3, 2])
    before = [p.data.copy() for p in model.parameters()]
    # layers.0.weight is valid (and different): it must not be written either
    state = _mlp_state_with(model, {
        "layers.0.weight": np.full((2, 3), 7.0),
        "layers.0.bias": np.zeros(3, np.complex128),
        "layers.2.weight": np.full((3, 3), "a"),
        "layers.2.bias": np.full(3, b"a"),
        "layers.4.weight": np.zeros((3, 2), "datetime64[D]"),
        "layers.4.bias": np.zeros(2, bool),
    })
    path = tmp_path / "odd.npz"
    np.savez(path, **state)
    expected = ("wrong dtype: layers.0.bias: expected real numbers for float32, got complex128; "
                "layers.2.weight: expected real numbers for float32, got <U1; "
                "layers.2.bias: expected real numbers for float32, got |S1; "
                "layers.4.weight: expected real numbers for float32, got datetime64[D]; "
                "layers.4.bias: expected real numbers for float32, got bool")
    for load in (lambda: nn.load(model, path), lambda: model.load_state_dict(state)):
        with pytest.raises(ValueError) as info:
            load()
        assert "nothing was loaded" in str(info.value)
        assert expected in str(info.value)
        for p, q in zip(before, model.parameters()):
            np.testing.assert_array_equal(p, q.data)
    with pytest.raises(ValueError, match=f"checkpoint {re.escape(str(path))} does not fit MLP"):
        nn.load(model, path)


def test_load_accepts_integer_arrays_as_real_numbers():
    # Integers are exact real numbers, cast as np.copyto(casting="same_kind") does; bool is
    # rejected above: truth values in place of weights are a mix-up (a mask), not weights.
    model = nn.Linear(2, 2)
    model.load_state_dict({"weight": np.array([[1, -2], [3, 4]], np.int64),
                           "bias": np.array([5, 6], np.uint8)})
    assert model.weight.data.tolist() == [[1.0, -2.0], [3.0, 4.0]]
    assert model.bias.data.tolist() == [5.0, 6.0] and model.bias.dtype == np.float32


def test_loading_bumps_each_parameters_version(tmp_path):
    model = nn.Linear(2, 2)
    path = nn.save(nn.Linear(2, 2), tmp_path / "other.npz")
    loss = model(np.ones((1, 2))).sum()  # the product saved the weight for backward
    versions = [p.version for p in model.parameters()]
    nn.load(model, path)
    assert [p.version for p in model.parameters()] == [v + 1 for v in versions]
    weight = versions[0]  # (nn.init's fill counted as the weight's first change)
    with pytest.raises(RuntimeError, match=rf"its input 1 .*changed in place.*used version "
                                           rf"{weight}, it is now at version {weight + 1}"):
        loss.backward()
    model.load_state_dict(nn.Linear(2, 2).state_dict())
    assert [p.version for p in model.parameters()] == [v + 2 for v in versions]


def test_load_a_npy_file_says_it_is_not_a_checkpoint(tmp_path):
    path = tmp_path / "weight.npy"
    np.save(path, np.zeros((2, 2), np.float32))
    where = re.escape(str(path))
    with pytest.raises(ValueError, match=rf"{where} is a single .npy array, not an .npz "
                                         r"checkpoint"):
        nn.load(nn.Linear(2, 2), path)


def test_failed_loads_close_the_file(tmp_path):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"PK\x03\x04 definitely not a zip archive")
    npy = tmp_path / "a.npy"
    np.save(npy, np.zeros(2))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for path in (bad, npy, bad):
            with pytest.raises(ValueError):
                nn.load(nn.Linear(2, 2), path)
        gc.collect()  # an unclosed file warns when it is collected
    assert [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)] == []


def test_load_checks_every_member_header(tmp_path):
    npy = io.BytesIO()
    np.lib.format.write_array(npy, np.zeros((2, 2), np.float32))
    cases = [
        ("notes.txt", b"hello", r"member notes.txt is not a .npy array"),
        # a header that promises 16 bytes of float32 data before only 8
        ("weight.npy", npy.getvalue()[:-8], r"array 'weight': its header promises shape "
                                            r"\(2, 2\) of float32, 16 bytes, but the member "
                                            r"holds 8"),
    ]
    for i, (member, data, message) in enumerate(cases):
        path = tmp_path / f"case{i}.npz"
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr(member, data)
        where = re.escape(str(path))
        with pytest.raises(ValueError, match=rf"{where} is not a readable .npz checkpoint: "
                                             rf"{message}"):
            nn.load(nn.Linear(2, 2, bias=False), path)
        with pytest.raises(ValueError, match=message):
            nn.load_state(path)


# ------------------------------------------------------------------ empty batches, reductions
def test_losses_of_an_empty_batch_are_nan_and_their_gradients_empty():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # 0/0 without numpy's "invalid value" warning
        cases = [
            (nn.SoftmaxCrossEntropy(), (0, 3), np.zeros(0, np.int64), (0,)),
            (nn.SoftmaxCrossEntropy(), (0, 3), np.zeros((0, 3)), (0,)),
            (nn.BinaryCrossEntropy(), (0,), np.zeros(0), (0,)),
            (nn.BinaryCrossEntropy(), (0, 2), np.zeros((0, 2)), (0, 2)),
        ]
        for loss_fn, shape, target, per_sample in cases:
            logits = Tensor(np.zeros(shape), requires_grad=True)
            loss = loss_fn(logits, target)
            assert loss.shape == () and np.isnan(loss.item())
            loss.backward()
            assert logits.grad.shape == shape
            (second,) = autograd.grad(loss_fn(logits, target), [logits], create_graph=True)
            assert second.shape == shape
            loss_fn.reduction = "sum"
            assert loss_fn(logits, target).item() == 0.0
            loss_fn.reduction = "none"
            assert loss_fn(logits, target).shape == per_sample


def test_bce_mean_and_sum_reduce_over_every_entry(rng):
    logits = Tensor(rng.standard_normal((4, 3)), requires_grad=True)
    target = rng.uniform(size=(4, 3))
    per_entry = F.binary_cross_entropy_with_logits(logits, target, reduction="none").data
    assert per_entry.shape == (4, 3)
    mean = F.binary_cross_entropy_with_logits(logits, target)
    total = F.binary_cross_entropy_with_logits(logits, target, reduction="sum")
    assert mean.shape == () and mean.item() == pytest.approx(per_entry.mean())
    assert total.shape == () and total.item() == pytest.approx(per_entry.sum())
    mean.backward()
    np.testing.assert_allclose(logits.grad.data,
                               (1 / (1 + np.exp(-logits.data)) - target) / 12, rtol=1e-10)
    assert gradcheck(lambda s: F.binary_cross_entropy_with_logits(s, target, "sum"),
                     [Tensor(rng.standard_normal((4, 3)), requires_grad=True)])


# ------------------------------------------------------------------ dtypes: targets follow scores
_LABELS = np.array([0, 2, 1, 2, 0])
_ONE_HOT = np.eye(3, dtype=np.int64)[_LABELS]
_BITS = np.array([[0, 1, 1], [1, 0, 0], [0, 0, 1], [1, 1, 0], [0, 1, 0]])
_DTYPE_CASES = [
    ("ce", "int64 labels", _LABELS),
    ("ce", "int32 labels", _LABELS.astype(np.int32)),
    ("ce", "int one-hot", _ONE_HOT),
    ("ce", "bool one-hot", _ONE_HOT.astype(bool)),
    ("ce", "float64 one-hot", _ONE_HOT.astype(np.float64)),
    ("ce", "float64 one-hot Tensor", Tensor(_ONE_HOT.astype(np.float64))),
    ("ce", "float64 probabilities", np.random.default_rng(1).dirichlet(np.ones(3), 5)),
    ("bce", "int", _BITS),
    ("bce", "bool", _BITS.astype(bool)),
    ("bce", "float64", _BITS * 0.75),
    ("bce", "float64 Tensor", Tensor(_BITS * 0.75)),
    ("mse", "int", _BITS),
    ("mse", "bool", _BITS.astype(bool)),
    ("mse", "float64", np.random.default_rng(2).standard_normal((5, 3))),
]
_LOSSES = {"ce": nn.SoftmaxCrossEntropy, "bce": nn.BinaryCrossEntropy, "mse": nn.MSELoss}


@pytest.mark.parametrize("loss, kind, target", _DTYPE_CASES,
                         ids=[f"{loss}-{kind}" for loss, kind, _ in _DTYPE_CASES])
def test_a_float32_model_gets_a_float32_loss_whatever_the_targets_dtype(loss, kind, target):
    x = np.random.default_rng(0).standard_normal((5, 4))  # float64 data, as numpy makes it
    model = nn.Linear(4, 3, rng=np.random.default_rng(0))
    reference = nn.Linear(4, 3, dtype=np.float64)
    reference.load_state_dict(model.state_dict())
    values = {}
    for m in (model, reference):
        out = _LOSSES[loss]()(m(x), target)
        out.backward()
        values[m.weight.dtype] = out, m.weight.grad, m.bias.grad
    out, weight_grad, bias_grad = values[np.dtype(np.float32)]
    assert out.dtype == np.float32
    assert weight_grad.dtype == bias_grad.dtype == np.float32
    out64, weight_grad64, bias_grad64 = values[np.dtype(np.float64)]
    assert out64.dtype == np.float64
    assert out.item() == pytest.approx(out64.item(), rel=1e-5)
    np.testing.assert_allclose(weight_grad.data, weight_grad64.data, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(bias_grad.data, bias_grad64.data, rtol=1e-4, atol=1e-6)


def test_a_float64_target_that_requires_grad_keeps_a_float64_gradient(rng):
    scores = Tensor(rng.standard_normal((4, 3)).astype(np.float32), requires_grad=True)
    probs = rng.dirichlet(np.ones(3), 4)
    for fn in (F.softmax_cross_entropy, F.binary_cross_entropy_with_logits, F.mse_loss):
        target = Tensor(probs, requires_grad=True)
        scores.grad = None
        out = fn(scores, target)
        out.backward()
        assert out.dtype == scores.grad.dtype == np.float32
        assert target.grad.dtype == np.float64
        expected = fn(scores.astype(np.float64), probs).item()
        assert out.item() == pytest.approx(expected, rel=1e-5)


def test_numpy_promotion_is_kept_outside_layers_and_losses():
    # Arithmetic follows numpy: float32 scores minus float64 data is float64. Only layers
    # (their input) and losses (their targets) cast, to the parameters'/scores' dtype.
    scores = nn.Linear(2, 3)(np.ones((4, 2)))
    assert scores.dtype == np.float32
    assert (scores - np.ones((4, 3))).dtype == np.float64
    assert nn.MSELoss()(scores, np.ones((4, 3))).dtype == np.float32


def test_integer_scores_never_truncate_float_targets():
    # Integer scores become floats (the targets' dtype) instead of the targets becoming ints.
    assert F.mse_loss(np.array([1, 2]), np.array([1.5, 0.5])).item() == pytest.approx(1.25)
    logits = np.array([[1, 2], [3, 1]])
    soft = np.array([[0.5, 0.5], [1.0, 0.0]])
    expected = F.softmax_cross_entropy(logits.astype(np.float64), soft).item()
    assert F.softmax_cross_entropy(logits, soft).item() == pytest.approx(expected)
    assert F.softmax_cross_entropy(logits, np.array([0, 1])).dtype == np.float32  # default
    bce = F.binary_cross_entropy_with_logits(np.array([0, 0]), np.array([0.25, 1.0]))
    assert bce.item() == pytest.approx(np.log(2))


# ------------------------------------------------------------------ module trees with cycles
def test_a_module_that_contains_itself_is_visited_once():
    # As PyTorch's named_modules: a memo of the modules seen, so each is visited once.
    model = nn.Linear(2, 3)
    model.me = model
    assert [name for name, _ in model.named_parameters()] == ["weight", "bias"]
    assert [name for name, _ in model.named_modules()] == [""]
    model.eval()
    assert not model.training
    assert repr(model) == ("Linear(in_features=2, out_features=3, bias=True  # weight (2, 3), "
                           "bias (3,)\n  (me): Linear(...)  # cycle: an enclosing module\n)")
    outer, inner = nn.Sequential(), nn.Sequential()
    outer.append(nn.Sigmoid()).append(inner)
    inner.append(outer)
    assert [name for name, _ in outer.named_modules()] == ["", "0", "1"]
    assert repr(outer) == ("Sequential(\n  (0): Sigmoid(a=1.0)\n  (1): Sequential(\n"
                           "    (0): Sequential(...)  # cycle: an enclosing module\n  )\n)")


def test_a_shared_module_is_visited_once_but_printed_where_it_is_used():
    shared = nn.Linear(2, 2)
    model = nn.Sequential(shared, nn.Sigmoid(), shared)
    assert [name for name, _ in model.named_modules()] == ["", "0", "1"]
    assert [name for name, _ in model.named_parameters()] == ["0.weight", "0.bias"]
    assert repr(model).count("Linear(in_features=2") == 2


def test_linear_fused_and_unfused_give_the_same_values_and_gradients():
    x = Tensor(np.random.default_rng(3).normal(size=(5, 4)))
    grads = {}
    for fused in (True, False):
        layer = nn.Linear(4, 3, rng=np.random.default_rng(0), dtype=np.float64, fused=fused)
        out = layer(x)
        assert out.grad_fn.name == ("Affine" if fused else "Add")
        (out * out).sum().backward()
        grads[fused] = (out.data, layer.weight.grad.data, layer.bias.grad.data)
    for a, b in zip(grads[True], grads[False]):
        np.testing.assert_allclose(a, b, rtol=1e-12)


def test_a_layer_keeps_the_name_of_the_input_it_casts():
    # the graph picture names the input after the user's tensor, also when the layer casts it
    layer = nn.Linear(3, 2, dtype=np.float32, rng=np.random.default_rng(0))
    x = Tensor(np.ones((4, 3)), name="X")  # float64 data meeting a float32 layer
    out = layer(x)
    (cast,) = [a for a in out.grad_fn.inputs if isinstance(a, Tensor) and a.dtype == np.float32
               and a.shape == (4, 3)]
    assert cast.name == "X" and cast is not x


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_softmax_cross_entropy_with_targets_that_do_not_sum_to_one(reduction):
    # −Σ t log softmax(x) has the gradient softmax(x)·Σt − t (the regression: softmax − t,
    # right only when each target row sums to 1). PyTorch's F.cross_entropy(x, t), mean:
    x = Tensor(np.array([[1.0, 2.0, 3.0]]), requires_grad=True)
    t = np.array([[0.5, 0.5, 0.5]])
    F.softmax_cross_entropy(x, t, reduction).sum().backward()
    np.testing.assert_allclose(x.grad.data, [[-0.365, -0.133, 0.498]], atol=5e-4)
    e = np.exp(x.data - x.data.max())
    np.testing.assert_allclose(x.grad.data, e / e.sum() * 1.5 - t, rtol=1e-12)
    # the graph's backward (create_graph) and the arrays' agree, on random rows of any sum
    rng = np.random.default_rng(0)
    logits = Tensor(rng.normal(size=(4, 3)), requires_grad=True)
    target = Tensor(rng.uniform(0.0, 2.0, size=(4, 3)), requires_grad=True)
    loss = lambda s, y: F.softmax_cross_entropy(s, y, reduction)  # noqa: E731
    by_arrays = autograd.grad(loss(logits, target).sum(), [logits, target])
    by_graph = autograd.grad(loss(logits, target).sum(), [logits, target], create_graph=True)
    for a, b in zip(by_arrays, by_graph):
        np.testing.assert_allclose(a.data, b.data, rtol=1e-12)
    assert gradcheck(loss, [logits, target]) and gradgradcheck(loss, [logits, target])
