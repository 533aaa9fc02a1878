"""No silent wrong answers from the engine: in-place updates with PyTorch's rules, version
counters, per-thread modes, checked gradients and hooks, and bad data refused where it
enters. Each test names the case of the trust issue it covers."""

import threading

import numpy as np
import pytest

import autograd as ag
import nn
import optim
from autograd import Function, Tensor, no_grad


def leaf(values) -> Tensor:
    return Tensor(np.array(values, dtype=np.float64), requires_grad=True)


def digits_model(seed: int = 0) -> tuple:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(64, 8))
    y = (X @ rng.normal(size=(8, 3))).argmax(axis=1)  # learnable labels
    model = nn.MLP([8, 16, 3], activation="sigmoid", rng=np.random.default_rng(seed),
                   dtype=np.float64)
    return model, X, y


# ---------------------------------------------------------------- 1. in-place updates
def test_pytorch_tutorial_loop_trains_like_sgd():
    """The tutorial's update `p -= lr * p.grad` over model.parameters() under no_grad
    changes the parameters themselves, and trains exactly as optim.SGD does."""
    losses = {}
    for how in ("tutorial", "sgd"):
        model, X, y = digits_model()
        loss_fn = nn.SoftmaxCrossEntropy()
        opt = optim.SGD(model.parameters(), lr=0.5)
        losses[how] = []
        for _ in range(300):
            opt.zero_grad()
            loss = loss_fn(model(X), y)
            loss.backward()
            losses[how].append(loss.item())
            if how == "sgd":
                opt.step()
            else:
                with no_grad():
                    for p in model.parameters():
                        p -= 0.5 * p.grad
    assert losses["tutorial"][-1] < 0.2 * losses["tutorial"][0]  # it learns
    assert losses["tutorial"] == losses["sgd"]


def test_in_place_update_keeps_the_same_leaf():
    a = leaf([1.0, 2.0])
    before = a
    (a * a).sum().backward()
    with no_grad():
        a -= 0.1 * a.grad
    assert a is before and a.requires_grad and a.is_leaf
    np.testing.assert_allclose(a.data, [0.8, 1.6])
    a.grad = None
    (a * a).sum().backward()  # the next step works: a still requires grad
    np.testing.assert_allclose(a.grad.data, [1.6, 3.2])


@pytest.mark.parametrize("update", [
    lambda a: a.__isub__(1.0), lambda a: a.__iadd__(1.0), lambda a: a.__imul__(2.0),
    lambda a: a.__itruediv__(2.0), lambda a: a.__setitem__(0, 5.0), lambda a: a.zero_(),
    lambda a: a.fill_(1.0), lambda a: a.copy_(np.ones(2)), lambda a: a.add_(1.0),
    lambda a: a.sub_(1.0), lambda a: a.mul_(2.0), lambda a: a.div_(2.0),
    lambda a: a.clamp_(0.0, 1.0)])
def test_in_place_on_a_leaf_that_requires_grad_needs_no_grad(update):
    a = leaf([1.0, 2.0])
    with pytest.raises(RuntimeError, match=r"leaf tensor that requires grad .* no_grad\(\)"):
        update(a)
    np.testing.assert_array_equal(a.data, [1.0, 2.0])  # nothing written
    assert a.version == 0
    with no_grad():
        update(a)
    assert a.version == 1


def test_in_place_methods_change_the_tensors_own_array():
    data = np.array([1.0, -2.0, 3.0])
    t = Tensor(data)
    t += 1.0
    t *= 2.0
    t -= Tensor([1.0, 1.0, 1.0], dtype=np.float64)
    t /= 2.0
    assert t.data is data
    np.testing.assert_allclose(data, [1.5, -1.5, 3.5])
    t.clamp_(-1.0, 2.0)
    np.testing.assert_allclose(data, [1.5, -1.0, 2.0])
    t[1] = 7.0
    t.add_(Tensor([1.0, 1.0, 1.0], dtype=np.float64), alpha=2.0)
    np.testing.assert_allclose(data, [3.5, 9.0, 4.0])
    t.copy_(np.arange(3.0))
    np.testing.assert_allclose(data, [0.0, 1.0, 2.0])
    t.zero_()
    np.testing.assert_allclose(data, 0.0)
    m = Tensor(np.eye(2))
    m @= Tensor(np.array([[1.0, 2.0], [3.0, 4.0]]))
    np.testing.assert_allclose(m.data, [[1.0, 2.0], [3.0, 4.0]])
    assert t.version == 9 and m.version == 1


def test_in_place_on_a_non_leaf_is_recorded():
    w = leaf([1.0, 2.0, 3.0])
    y = w.exp()
    y *= w  # y = eʷ·w: dy/dw = eʷ(1 + w)
    y += 1.0
    y.sum().backward()
    np.testing.assert_allclose(w.grad.data, np.exp(w.data) * (1 + w.data))


def test_in_place_gradients_match_finite_differences():
    def f(a, b):
        h = a * 1.0
        h += b
        h *= a
        h[0] = b[1] * 3.0
        h[[1, 1]] = b[:2]  # a repeated position: the value written last wins
        h.clamp_(-0.5, 4.0)
        return h
    rng = np.random.default_rng(1)
    a = Tensor(rng.uniform(-1, 1, 3), requires_grad=True)
    b = Tensor(rng.uniform(-1, 1, 3), requires_grad=True)
    assert ag.gradcheck(f, [a, b])
    assert ag.gradgradcheck(f, [a, b])


def test_set_item_gradient_with_repeated_index():
    v = leaf([10.0, 20.0])
    t = Tensor(np.zeros(3))
    t[[1, 1]] = v  # numpy keeps the last write: t[1] = 20
    assert t.data[1] == 20.0
    (t * Tensor(np.array([1.0, 2.0, 3.0]))).sum().backward()
    np.testing.assert_allclose(v.grad.data, [0.0, 2.0])


def test_in_place_with_an_operand_that_requires_grad_makes_a_constant_record():
    t = Tensor(np.ones(3))
    w = leaf([1.0, 2.0, 3.0])
    t *= w
    assert t.requires_grad and not t.is_leaf
    (t * t).sum().backward()
    np.testing.assert_allclose(w.grad.data, 2 * w.data)


def test_retain_grad_follows_the_new_value():
    w = leaf([1.0, 2.0])
    y = w * 3.0
    y.retain_grad()
    y *= 2.0
    (y * y).sum().backward()
    np.testing.assert_allclose(y.grad.data, 2 * y.data)  # ∂Σy²/∂y of the value after *=
    np.testing.assert_allclose(w.grad.data, 2 * 36 * w.data)


def test_in_place_errors_for_shape_dtype_and_views():
    t = Tensor(np.zeros(3))
    with pytest.raises(ValueError, match=r"\+= on a tensor of shape \(3,\): the result has "
                                         r"shape \(2, 3\)"):
        t += np.ones((2, 3))
    i = Tensor(np.array([1, 2]))
    with pytest.raises(TypeError, match="dtype int64: the result has dtype float"):
        i += 0.5
    i += 1
    np.testing.assert_array_equal(i.data, [2, 3])
    w = leaf([1.0, 2.0, 3.0])
    with pytest.raises(RuntimeError, match="shares its data with a leaf that requires grad"):
        w[:2] += 1.0
    h = w * 2.0
    v = h.reshape(3, 1)
    with pytest.raises(RuntimeError, match="shares its data with another tensor"):
        v += 1.0
    with pytest.raises(TypeError, match="cannot combine a Tensor with NoneType"):
        t += None
    np.testing.assert_array_equal(t.data, 0.0)


# ---------------------------------------------------------------- 3. version counters
def test_optimizer_step_between_forward_and_backward_raises():
    model, X, y = digits_model()
    loss_fn = nn.SoftmaxCrossEntropy()
    opt = optim.SGD(model.parameters(), lr=0.1)
    loss_fn(model(X), y).backward()  # gradients from a first step
    loss = loss_fn(model(X), y)
    opt.step()  # between this forward and its backward: the saved weights change
    grads = [p.grad.data.copy() for p in model.parameters()]
    weight = model.layers[-1].weight  # the newest node that saved a weight: the last layer's
    with pytest.raises(RuntimeError, match=rf"changed in place after .* used version "
                                           rf"{weight.version - 1}, it is now at version "
                                           rf"{weight.version}"):
        loss.backward()
    for p, g in zip(model.parameters(), grads):  # nothing accumulated
        np.testing.assert_array_equal(p.grad.data, g)
    loss = loss_fn(model(X), y)
    loss.backward(retain_graph=True)
    opt.step()
    opt.step()
    with pytest.raises(RuntimeError, match=rf"used version {weight.version - 2}, it is now at "
                                           rf"version {weight.version}"):
        loss.backward()


@pytest.mark.parametrize("op, saved", [
    (lambda a, b: a * b, "input"), (lambda a, b: a @ b, "input"),
    (lambda a, b: (a * b).exp(), "output"), (lambda a, b: (a * b).sigmoid(), "output")])
def test_in_place_change_of_a_saved_tensor_raises(op, saved):
    a = Tensor(np.full((2, 2), 0.5))
    b = leaf(np.eye(2))
    out = op(a, b)
    name = out.grad_fn.name
    with no_grad():
        if saved == "input":
            a += 1.0
        else:
            out += 1.0
    with pytest.raises(RuntimeError, match=rf"backward through {name}: its {saved}.* used "
                                           r"version 0, it is now at version 1"):
        out.sum().backward()
    assert b.grad is None  # nothing half done


def test_change_through_a_view_or_detach_counts_for_the_base():
    c = Tensor(np.ones(3))
    w = leaf([1.0, 2.0, 3.0])
    loss = (w * c).sum()
    with no_grad():
        c.reshape(3, 1)[0] += 1.0  # a view of a view of c
    assert c.version == 2  # Python runs view[0] += 1 as __iadd__ then __setitem__
    with pytest.raises(RuntimeError, match="backward through Mul: its input 1"):
        loss.backward()
    loss = (w * w).sum()
    w.detach().zero_()  # allowed, as in PyTorch, and counted for w
    assert w.version == 1
    with pytest.raises(RuntimeError, match="backward through Mul"):
        loss.backward()


def test_bump_version_after_writing_into_data():
    w = leaf([1.0, 2.0])
    loss = (w * w).sum()
    w.data[0] = 5.0
    w.bump_version()
    with pytest.raises(RuntimeError, match="changed in place"):
        loss.backward()


def test_changes_that_touch_nothing_saved_pass():
    w = leaf([1.0, 2.0])
    y = w * 2.0  # Mul saves w and the constant, not its output
    unrelated = Tensor(np.zeros(2))
    with no_grad():
        unrelated += 1.0
        y += 1.0
    y.sum().backward()
    np.testing.assert_allclose(w.grad.data, [2.0, 2.0])


# ---------------------------------------------------------------- 2. threads
def train_steps(seed: int, steps: int, results: dict, key: str) -> None:
    model, X, y = digits_model(seed)
    opt = optim.SGD(model.parameters(), lr=0.3, momentum=0.9)
    loss_fn = nn.SoftmaxCrossEntropy()
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    results[key] = (losses, [p.data.copy() for p in model.parameters()])


def evaluate_under_no_grad(seed: int, steps: int, results: dict, key: str) -> None:
    model, X, _ = digits_model(seed)
    recorded = 0
    with no_grad():
        for _ in range(steps):
            recorded += model(X).requires_grad
    results[key] = recorded


def test_two_threads_train_as_one_after_the_other():
    steps = 200
    alone: dict = {}
    train_steps(1, steps, alone, "a")
    train_steps(2, steps, alone, "b")
    together: dict = {}
    threads = [threading.Thread(target=train_steps, args=(1, steps, together, "a")),
               threading.Thread(target=train_steps, args=(2, steps, together, "b")),
               threading.Thread(target=evaluate_under_no_grad, args=(3, steps, together, "c"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for key in ("a", "b"):
        assert together[key][0] == alone[key][0]  # bit-identical losses
        for p, q in zip(together[key][1], alone[key][1]):
            np.testing.assert_array_equal(p, q)
    assert together["c"] == 0
    assert ag.is_grad_enabled()


def test_no_grad_in_one_thread_leaves_the_other_recording():
    inside = threading.Event()
    release = threading.Event()

    def hold_no_grad():
        with no_grad():
            inside.set()
            release.wait(10)

    t = threading.Thread(target=hold_no_grad)
    t.start()
    inside.wait(10)
    try:
        assert ag.is_grad_enabled()
        assert (leaf([1.0]) * 2.0).requires_grad
    finally:
        release.set()
        t.join()
    assert ag.is_grad_enabled()


def test_overlapping_no_grad_blocks_in_two_threads_restore_each_thread():
    first_in = threading.Event()
    second_in = threading.Event()
    seen = {}

    def first():
        with no_grad():
            first_in.set()
            second_in.wait(10)
        seen["first"] = ag.is_grad_enabled()

    def second():
        first_in.wait(10)
        with no_grad():
            second_in.set()
        seen["second"] = ag.is_grad_enabled()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == {"first": True, "second": True}
    assert ag.is_grad_enabled()


def test_a_new_thread_starts_with_the_default_modes():
    seen = {}

    def look():
        seen["grad"] = ag.is_grad_enabled()
        seen["anomaly"] = ag.is_anomaly_enabled()

    with no_grad(), ag.detect_anomaly():
        t = threading.Thread(target=look)
        t.start()
        t.join()
    assert seen == {"grad": True, "anomaly": False}


# ---------------------------------------------------------------- 4. .grad and hooks
def test_leaf_hook_returning_a_wrong_shape_raises():
    x = leaf([1.0, 2.0])
    x.register_hook(lambda g: Tensor(np.ones(3)))
    with pytest.raises(ValueError, match=r"returned by hook .* has shape \(3,\), but the "
                                         r"tensor has shape \(2,\)"):
        (x * 2.0).sum().backward()
    assert x.grad is None


def test_hook_returning_another_dtype_or_an_array_raises():
    x = leaf([1.0, 2.0])
    handle = x.register_hook(lambda g: g.astype(np.float32))
    with pytest.raises(TypeError, match="has dtype float32, but the tensor has dtype float64"):
        (x * 2.0).sum().backward()
    handle.remove()
    y = x * 2.0
    y.register_hook(lambda g: np.ones(2))
    with pytest.raises(TypeError, match="must be None or a Tensor, got ndarray"):
        y.sum().backward()


def test_assigned_grad_is_checked():
    x = leaf([1.0, 2.0])
    with pytest.raises(ValueError, match=r"has shape \(2, 1\), but the tensor has shape \(2,\)"):
        x.grad = Tensor(np.array([[1.0], [2.0]]))
    with pytest.raises(TypeError, match="must be None or a Tensor, got ndarray"):
        x.grad = np.ones(2)
    with pytest.raises(TypeError, match="dtype float32"):
        x.grad = Tensor(np.ones(2, dtype=np.float32))
    x.grad = Tensor(np.ones(2))
    (x * 2.0).sum().backward()
    np.testing.assert_allclose(x.grad.data, [3.0, 3.0])


# ---------------------------------------------------------------- 7. means
def test_float16_mean_of_many_ones_is_one():
    t = Tensor(np.ones(100_000, dtype=np.float16), requires_grad=True)
    m = t.mean()
    assert m.dtype == np.float16 and m.item() == 1.0
    m.backward()
    assert t.grad.dtype == np.float16


def test_mean_of_an_empty_tensor_is_nan():
    t = Tensor(np.ones((3, 0)), requires_grad=True)
    m = t.mean()
    assert np.isnan(m.item())
    m.backward()
    assert t.grad.shape == (3, 0)
    np.testing.assert_array_equal(t.mean(axis=1).data, [np.nan] * 3)


# ---------------------------------------------------------------- 8. garbage as data
@pytest.mark.parametrize("data", [None, [1, None], "3.5", b"3", 1j, np.array(["a"]),
                                  np.array([1, 2], dtype=object), np.datetime64("2020")])
def test_non_numbers_are_refused_as_data(data):
    with pytest.raises(TypeError, match="must be"):
        Tensor(data)


@pytest.mark.parametrize("other", [None, "1", [None]])
def test_non_numbers_are_refused_as_operands(other):
    t = Tensor([1.0, 2.0])
    with pytest.raises(TypeError):
        t + other
    with pytest.raises(TypeError):
        other * t


def test_no_gradient_through_a_cast_to_integers():
    x = leaf([1.5, 2.5])
    i = x.astype(np.int64)
    assert not i.requires_grad and i.grad_fn is None
    np.testing.assert_array_equal(i.data, [1, 2])


def test_requires_grad_attribute_is_checked():
    t = Tensor(np.array([1, 2]))
    with pytest.raises(TypeError, match="only floating-point tensors can require gradients"):
        t.requires_grad = True
    with pytest.raises(TypeError, match="must be True or False"):
        Tensor([1.0]).requires_grad = "yes"


@pytest.mark.parametrize("result, message", [(None, "got NoneType"), ([1.0], "got list"),
                                             (np.array(["x"]), "dtype <U1")])
def test_user_forward_returning_no_array_is_refused(result, message):
    class Bad(Function):
        @staticmethod
        def forward(ctx, a):
            return result

        @staticmethod
        def backward(ctx, grad):
            return grad

    with pytest.raises(TypeError, match=message):
        Bad.apply(leaf([1.0]))


# ---------------------------------------------------------------- 10. smaller ones
def test_no_grad_decorates_a_generator():
    @no_grad()
    def batches():
        for _ in range(2):
            yield ag.is_grad_enabled(), (leaf([1.0]) * 2.0).requires_grad

    seen = []
    for item in batches():
        seen.append(item)
        seen.append(ag.is_grad_enabled())  # the caller's mode between items
    assert seen == [(False, False), True, (False, False), True]


def test_set_grad_enabled_called_as_a_function():
    try:
        ag.set_grad_enabled(False)
        assert not ag.is_grad_enabled()
        assert not (leaf([1.0]) * 2.0).requires_grad
    finally:
        ag.set_grad_enabled(True)
    assert ag.is_grad_enabled()
    with ag.set_grad_enabled(False):
        assert not ag.is_grad_enabled()
    assert ag.is_grad_enabled()

    @ag.set_grad_enabled(False)
    def f():
        return ag.is_grad_enabled()

    assert ag.is_grad_enabled()  # decorating switches nothing
    assert f() is False and ag.is_grad_enabled()


def test_pow_at_zero_to_the_zero():
    a = leaf([0.0, 2.0])
    b = leaf([0.0, 0.0])
    (a ** b).sum().backward()
    np.testing.assert_array_equal(a.grad.data, [0.0, 0.0])  # torch: 0, not nan
    np.testing.assert_array_equal(b.grad.data, [0.0, np.log(2.0)])


def test_zero_d_sum_over_the_last_axis():
    x = leaf(3.0)
    x.sum(axis=-1).backward()
    assert x.grad.item() == 1.0
    with pytest.raises(ValueError, match=r"Sum of shapes \(\): axis 1 is out of bounds"):
        x.sum(axis=1).backward()


def test_empty_list_index_and_bad_axes():
    x = leaf([1.0, 2.0])
    assert x[[]].shape == (0,)
    with pytest.raises(ValueError, match=r"swapaxes: axis 5 is out of range for a tensor of "
                                         r"1 dimensions"):
        x.swapaxes(0, 5)
    with pytest.raises(TypeError, match="keepdims must be True or False, got 'no'"):
        x.sum(keepdims="no")


def test_clone_is_a_differentiable_copy():
    x = leaf([1.0, 2.0])
    c = x.clone()
    assert c.data is not x.data
    with no_grad():
        c += 1.0  # changes only the copy
    np.testing.assert_array_equal(x.data, [1.0, 2.0])
    (x.clone() * 3.0).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [3.0, 3.0])


def test_a_broadcast_gradient_can_be_changed_in_place():
    x = leaf([[1.0, 2.0], [3.0, 4.0]])
    x.sum().backward()  # the sum's gradient is a broadcast (read-only) view of one number
    x.grad.zero_()
    x.grad += 1.0
    np.testing.assert_array_equal(x.grad.data, np.ones((2, 2)))


def test_a_refused_recorded_in_place_change_leaves_the_graph_as_it_was():
    w = leaf([1.0, 2.0, 3.0])
    h = w.exp()  # Exp saves its output: the node most easily disturbed
    node = h.grad_fn
    with pytest.raises(ValueError, match=r"\+= on a tensor of shape \(3,\): the result has "
                                         r"shape \(2, 3\)"):
        h += leaf(np.ones((2, 3)))
    assert h.grad_fn is node and node.output is h and h.version == 0
    h.sum().backward()
    np.testing.assert_allclose(w.grad.data, np.exp(w.data))
    i = Tensor(np.array([1, 2, 3]))
    with pytest.raises(TypeError, match="dtype int64 with an operand that requires grad"):
        i *= w
    np.testing.assert_array_equal(i.data, [1, 2, 3])


def test_a_grad_output_that_requires_grad_is_part_of_the_graph_under_create_graph():
    # PyTorch's rule: with create_graph, ∂/∂v of grad(y, x, grad_outputs=v) is not zero
    x = Tensor(np.array([1.0, 2.0, 3.0]), requires_grad=True)
    v = Tensor(np.array([0.5, -1.0, 2.0]), requires_grad=True)
    y = x * x
    (gx,) = ag.grad(y, x, grad_outputs=[v], create_graph=True)  # 2·x·v
    np.testing.assert_allclose(gx.data, 2 * x.data * v.data)
    gx.sum().backward()
    np.testing.assert_allclose(v.grad.data, 2 * x.data)  # ∂(Σ 2xv)/∂v = 2x
    np.testing.assert_allclose(x.grad.data, 2 * v.data)
    # the same through backward(): the leaf's .grad depends on v, and is not v itself
    w = Tensor(np.array([1.0, 1.0]), requires_grad=True)
    u = Tensor(np.array([3.0, 4.0]), requires_grad=True)
    w.backward(u, create_graph=True)
    assert w.grad is not u and w.grad.requires_grad
    np.testing.assert_allclose(w.grad.data, u.data)
    with pytest.raises(ValueError, match="must have the output's shape"):
        ag.grad(y, x, grad_outputs=[Tensor(np.ones(2), requires_grad=True)],
                      create_graph=True)
