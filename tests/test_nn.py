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


def test_linear_wrong_input_width():
    with pytest.raises(ValueError, match=r"Linear\(3, 2\) got input of shape \(4, 5\)"):
        nn.Linear(3, 2)(np.ones((4, 5)))


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
    with pytest.raises(ValueError, match=r"in \[0, 1\)"):
        nn.Dropout(1.0)


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
