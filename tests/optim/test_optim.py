"""optim: optimizers (SGD, Adam, AdamW, RMSprop, Adagrad) against numpy references of
PyTorch's documented rules, weight decay as an L2 loss, schedules against the course's
formulas, checkpoints, clipping and errors."""

import copy
import math

import numpy as np
import pytest

import optim
from autograd import Tensor

STEPS = 50


# ------------------------------------------------------------------ a tiny problem
# A one-hidden-layer tanh network with a least-squares loss, written directly with Tensors
# (the optimizers see gradients from the engine) and, for the references, its gradient
# derived by hand in numpy.
def make_problem(seed: int = 0, dtype=np.float64):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(16, 3)).astype(dtype)
    y = rng.normal(size=(16, 1)).astype(dtype)
    start = [
        (0.5 * rng.normal(size=(3, 4))).astype(dtype),
        (0.1 * rng.normal(size=4)).astype(dtype),
        (0.5 * rng.normal(size=(4, 1))).astype(dtype),
        (0.1 * rng.normal(size=1)).astype(dtype),
    ]
    return X, y, start


def mlp_loss(params, X, y):
    W1, b1, W2, b2 = params
    hidden = (Tensor(X) @ W1 + b1).tanh()
    return ((hidden @ W2 + b2 - Tensor(y)) ** 2).mean()


def mlp_grads(arrays, X, y):
    """The gradient of mlp_loss, by hand: the reference never touches the engine."""
    W1, b1, W2, b2 = arrays
    hidden = np.tanh(X @ W1 + b1)
    d_out = 2.0 * (hidden @ W2 + b2 - y) / y.size
    d_pre = (d_out @ W2.T) * (1.0 - hidden ** 2)
    return [X.T @ d_pre, d_pre.sum(axis=0), hidden.T @ d_out, d_out.sum(axis=0)]


def as_params(arrays):
    return [Tensor(a.copy(), requires_grad=True) for a in arrays]


def run(params, opt, X, y, steps=STEPS):
    """Train with `opt`; the parameters after each step."""
    trajectory = []
    for _ in range(steps):
        opt.zero_grad()
        mlp_loss(params, X, y).backward()
        opt.step()
        trajectory.append([p.data.copy() for p in params])
    return trajectory


def assert_same_trajectory(actual, expected, tol=1e-12):
    assert len(actual) == len(expected)
    for step, (got, want) in enumerate(zip(actual, expected)):
        for i, (g, w) in enumerate(zip(got, want)):
            np.testing.assert_allclose(g, w, rtol=0, atol=tol,
                                       err_msg=f"step {step + 1}, parameter {i}")


# ------------------------------------------------------------------ numpy references
def reference_sgd(start, grad_fn, steps, lr, momentum=0.0, dampening=0.0, nesterov=False,
                  weight_decay=0.0):
    """PyTorch's documented SGD algorithm, plainly in numpy."""
    w = [a.copy() for a in start]
    b = [None] * len(w)
    trajectory = []
    for _ in range(steps):
        grads = grad_fn(w)
        for i, g in enumerate(grads):
            if weight_decay != 0:
                g = g + weight_decay * w[i]
            if momentum != 0:
                b[i] = g.copy() if b[i] is None else momentum * b[i] + (1 - dampening) * g
                g = g + momentum * b[i] if nesterov else b[i]
            w[i] = w[i] - lr * g
        trajectory.append([a.copy() for a in w])
    return trajectory


def reference_adam(start, grad_fn, steps, lr, betas=(0.9, 0.999), eps=1e-8,
                   weight_decay=0.0, decoupled=False):
    """PyTorch's documented Adam (L2) and AdamW (decoupled) algorithms, in numpy."""
    beta1, beta2 = betas
    w = [a.copy() for a in start]
    m = [np.zeros_like(a) for a in w]
    v = [np.zeros_like(a) for a in w]
    trajectory = []
    for t in range(1, steps + 1):
        grads = grad_fn(w)
        for i, g in enumerate(grads):
            if decoupled:
                w[i] = w[i] - lr * weight_decay * w[i]
            elif weight_decay != 0:
                g = g + weight_decay * w[i]
            m[i] = beta1 * m[i] + (1 - beta1) * g
            v[i] = beta2 * v[i] + (1 - beta2) * g * g
            m_hat = m[i] / (1 - beta1 ** t)
            v_hat = v[i] / (1 - beta2 ** t)
            w[i] = w[i] - lr * m_hat / (np.sqrt(v_hat) + eps)
        trajectory.append([a.copy() for a in w])
    return trajectory


def reference_rmsprop(start, grad_fn, steps, lr=0.01, alpha=0.99, eps=1e-8, weight_decay=0.0,
                      momentum=0.0, centered=False):
    """PyTorch's documented RMSprop algorithm, in numpy (ε after the square root)."""
    w = [a.copy() for a in start]
    v = [np.zeros_like(a) for a in w]
    g_ave = [np.zeros_like(a) for a in w]
    b = [np.zeros_like(a) for a in w]
    trajectory = []
    for _ in range(steps):
        grads = grad_fn(w)
        for i, g in enumerate(grads):
            if weight_decay != 0:
                g = g + weight_decay * w[i]
            v[i] = alpha * v[i] + (1 - alpha) * g * g
            v_tilde = v[i]
            if centered:
                g_ave[i] = alpha * g_ave[i] + (1 - alpha) * g
                v_tilde = v_tilde - g_ave[i] ** 2
            if momentum > 0:
                b[i] = momentum * b[i] + g / (np.sqrt(v_tilde) + eps)
                w[i] = w[i] - lr * b[i]
            else:
                w[i] = w[i] - lr * g / (np.sqrt(v_tilde) + eps)
        trajectory.append([a.copy() for a in w])
    return trajectory


def reference_adagrad(start, grad_fn, steps, lr=0.01, lr_decay=0.0, weight_decay=0.0,
                      initial_accumulator_value=0.0, eps=1e-10):
    """PyTorch's documented Adagrad algorithm, in numpy."""
    w = [a.copy() for a in start]
    state_sum = [np.full_like(a, initial_accumulator_value) for a in w]
    trajectory = []
    for t in range(1, steps + 1):
        grads = grad_fn(w)
        lr_t = lr / (1 + (t - 1) * lr_decay)
        for i, g in enumerate(grads):
            if weight_decay != 0:
                g = g + weight_decay * w[i]
            state_sum[i] = state_sum[i] + g * g
            w[i] = w[i] - lr_t * g / (np.sqrt(state_sum[i]) + eps)
        trajectory.append([a.copy() for a in w])
    return trajectory


SGD_SETTINGS = {
    "plain": dict(lr=0.1),
    "momentum": dict(lr=0.05, momentum=0.9),
    "dampening": dict(lr=0.05, momentum=0.9, dampening=0.5),
    "nesterov": dict(lr=0.05, momentum=0.9, nesterov=True),
    "weight_decay": dict(lr=0.1, weight_decay=0.05),
    "everything": dict(lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.01),
    "momentum_dampening_decay": dict(lr=0.05, momentum=0.7, dampening=0.2, weight_decay=0.03),
}


# ------------------------------------------------------------------ SGD
@pytest.mark.parametrize("setting", list(SGD_SETTINGS))
def test_sgd_matches_pytorch_rule(setting):
    X, y, start = make_problem()
    kwargs = SGD_SETTINGS[setting]
    params = as_params(start)
    actual = run(params, optim.SGD(params, **kwargs), X, y)
    expected = reference_sgd(start, lambda w: mlp_grads(w, X, y), STEPS, **kwargs)
    assert_same_trajectory(actual, expected)
    # the problem is not trivial: the parameters really moved
    assert np.abs(actual[-1][0] - start[0]).max() > 1e-2


def test_sgd_momentum_first_steps_by_hand():
    # loss = 0.5·w², so g = w: b1 = w0 = 1, w1 = 1 − 0.1 = 0.9;
    # b2 = 0.9·1 + 0.9 = 1.8, w2 = 0.9 − 0.18 = 0.72
    w = Tensor(np.array([1.0]), requires_grad=True)
    opt = optim.SGD([w], lr=0.1, momentum=0.9)
    values = []
    for _ in range(2):
        opt.zero_grad()
        (0.5 * w * w).sum().backward()
        opt.step()
        values.append(w.data[0])
    assert values == pytest.approx([0.9, 0.72], abs=1e-15)
    np.testing.assert_allclose(opt.state[w]["momentum_buffer"], [1.8], atol=1e-15)


@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_weight_decay_equals_l2_penalty_in_the_loss(momentum):
    # weight_decay = λ adds λ·w to the gradient, exactly the gradient of (λ/2)·‖w‖²:
    # the course's α·‖w‖² penalty is weight_decay = 2α.
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(20, 3)), rng.normal(size=(20, 1))
    start = [rng.normal(size=(3, 1)), rng.normal(size=1)]
    alpha = 0.05

    def data_loss(w, b):
        return ((Tensor(X) @ w + b - Tensor(y)) ** 2).mean()

    decayed = as_params(start)
    opt = optim.SGD(decayed, lr=0.1, momentum=momentum, weight_decay=2 * alpha)
    penalised = as_params(start)
    opt_plain = optim.SGD(penalised, lr=0.1, momentum=momentum)
    for _ in range(20):
        opt.zero_grad()
        data_loss(*decayed).backward()
        opt.step()
        opt_plain.zero_grad()
        (data_loss(*penalised) + alpha * sum((p * p).sum() for p in penalised)).backward()
        opt_plain.step()
        for a, b in zip(decayed, penalised):
            np.testing.assert_allclose(a.data, b.data, rtol=0, atol=1e-10)
    assert np.abs(decayed[0].data - start[0]).max() > 1e-2


def test_parameters_without_grad_are_skipped():
    used = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    unused = Tensor(np.array([3.0]), requires_grad=True)
    opt = optim.SGD([used, unused], lr=0.5, momentum=0.9, weight_decay=0.1)
    (used * used).sum().backward()
    opt.step()
    np.testing.assert_allclose(used.data, [1.0 - 0.5 * 2.1, 2.0 - 0.5 * 4.2], atol=1e-15)
    assert unused.data.tolist() == [3.0]
    assert unused not in opt.state and used in opt.state


def test_update_is_in_place_and_shared_grads_are_not_written():
    a = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    b = Tensor(np.array([3.0, 4.0]), requires_grad=True)
    array_a, array_b = a.data, b.data
    shared = Tensor(np.array([1.0, 1.0]))
    a.grad = b.grad = shared  # the engine may hand one gradient object to several tensors
    opt = optim.SGD([a, b], lr=0.1, momentum=0.9, weight_decay=0.5)
    opt.step()
    opt.step()
    assert a.data is array_a and b.data is array_b
    assert shared.data.tolist() == [1.0, 1.0]
    # g = 1 + 0.5·w each step, b1 = g1, b2 = 0.9·b1 + g2
    w = np.array([1.0, 2.0])
    g1 = 1 + 0.5 * w
    w1 = w - 0.1 * g1
    w2 = w1 - 0.1 * (0.9 * g1 + 1 + 0.5 * w1)
    np.testing.assert_allclose(a.data, w2, atol=1e-15)


def test_param_groups_fill_defaults_and_use_their_own_lr():
    w1 = Tensor(np.array([1.0]), requires_grad=True)
    w2 = Tensor(np.array([1.0]), requires_grad=True)
    opt = optim.SGD([{"params": [w1]}, {"params": w2, "lr": 0.01, "momentum": 0.5}], lr=0.1)
    assert [g["lr"] for g in opt.param_groups] == [0.1, 0.01]
    assert [g["momentum"] for g in opt.param_groups] == [0.0, 0.5]
    assert opt.param_groups[1]["params"] == [w2]
    (w1 + w2).sum().backward()
    opt.step()
    assert w1.data.tolist() == pytest.approx([0.9]) and w2.data.tolist() == pytest.approx([0.99])
    w3 = Tensor(np.array([5.0]), requires_grad=True)
    opt.add_param_group({"params": [w3], "weight_decay": 0.1})
    assert opt.param_groups[2]["lr"] == 0.1 and opt.param_groups[2]["weight_decay"] == 0.1


def test_zero_grad_sets_grads_to_none():
    params = [Tensor(np.ones(2), requires_grad=True), Tensor(np.ones(3), requires_grad=True)]
    opt = optim.SGD(params, lr=0.1)
    (params[0].sum() + params[1].sum()).backward()
    assert all(p.grad is not None for p in params)
    opt.zero_grad()
    assert all(p.grad is None for p in params)


def test_step_with_closure_returns_its_loss():
    w = Tensor(np.array([2.0]), requires_grad=True)
    opt = optim.SGD([w], lr=0.25)

    def closure():
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    loss = opt.step(closure)
    assert loss.item() == 4.0 and w.data.tolist() == [1.0]  # 2 − 0.25·4


# ------------------------------------------------------------------ Adam and AdamW
@pytest.mark.parametrize("kwargs", [
    dict(lr=0.01),
    dict(lr=0.05, betas=(0.8, 0.99), eps=1e-6),
    dict(lr=0.01, weight_decay=0.1),
])
def test_adam_matches_pytorch_rule(kwargs):
    X, y, start = make_problem(seed=2)
    params = as_params(start)
    actual = run(params, optim.Adam(params, **kwargs), X, y)
    expected = reference_adam(start, lambda w: mlp_grads(w, X, y), STEPS, **kwargs)
    assert_same_trajectory(actual, expected)


@pytest.mark.parametrize("kwargs", [dict(), dict(lr=0.02, weight_decay=0.3, betas=(0.5, 0.9))])
def test_adamw_matches_decoupled_rule(kwargs):
    X, y, start = make_problem(seed=3)
    params = as_params(start)
    opt = optim.AdamW(params, **kwargs)
    assert opt.param_groups[0]["weight_decay"] == kwargs.get("weight_decay", 1e-2)
    actual = run(params, opt, X, y)
    full = {"lr": 1e-3, "weight_decay": 1e-2, **kwargs}
    expected = reference_adam(start, lambda w: mlp_grads(w, X, y), STEPS, decoupled=True,
                              **full)
    assert_same_trajectory(actual, expected)


def test_adamw_differs_from_adam_with_l2():
    X, y, start = make_problem(seed=4)
    adam_params, adamw_params = as_params(start), as_params(start)
    adam = run(adam_params, optim.Adam(adam_params, lr=0.01, weight_decay=0.1), X, y, steps=5)
    adamw = run(adamw_params, optim.AdamW(adamw_params, lr=0.01, weight_decay=0.1), X, y,
                steps=5)
    difference = max(np.abs(a - b).max() for a, b in zip(adam[-1], adamw[-1]))
    assert difference > 1e-6


def test_adam_first_step_is_lr_times_sign():
    # bias correction makes the first step ±lr (up to ε) whatever the gradient's size
    w = Tensor(np.array([1.0, -2.0, 3.0]), requires_grad=True)
    opt = optim.Adam([w], lr=0.1)
    (w * Tensor(np.array([1e-3, -5.0, 100.0]))).sum().backward()
    opt.step()
    np.testing.assert_allclose(w.data, [0.9, -1.9, 2.9], atol=1e-6)
    assert opt.state[w]["step"] == 1


# ------------------------------------------------------------------ RMSprop and Adagrad
RMSPROP_SETTINGS = {
    "defaults": dict(),
    "lr_alpha_eps": dict(lr=0.003, alpha=0.9, eps=1e-6),
    "weight_decay": dict(lr=0.005, weight_decay=0.1),
    "momentum": dict(lr=0.002, momentum=0.9),
    "centered": dict(lr=0.005, centered=True),
    "centered_momentum": dict(lr=0.002, momentum=0.8, centered=True),
    "everything": dict(lr=0.002, alpha=0.95, eps=1e-5, weight_decay=0.05, momentum=0.5,
                       centered=True),
}

ADAGRAD_SETTINGS = {
    "defaults": dict(),
    "lr": dict(lr=0.1),
    "lr_decay": dict(lr=0.1, lr_decay=0.05),
    "weight_decay": dict(lr=0.05, weight_decay=0.1),
    "initial_accumulator_value": dict(lr=0.1, initial_accumulator_value=0.5),
    "eps": dict(lr=0.1, eps=1e-3),
    "everything": dict(lr=0.2, lr_decay=0.01, weight_decay=0.02,
                       initial_accumulator_value=0.1, eps=1e-6),
}


@pytest.mark.parametrize("name, setting, seed", [
    *[("RMSprop", setting, 7) for setting in RMSPROP_SETTINGS],
    *[("Adagrad", setting, 8) for setting in ADAGRAD_SETTINGS],
])
def test_rmsprop_and_adagrad_match_pytorchs_rule(name, setting, seed):
    settings, reference = {"RMSprop": (RMSPROP_SETTINGS, reference_rmsprop),
                           "Adagrad": (ADAGRAD_SETTINGS, reference_adagrad)}[name]
    X, y, start = make_problem(seed=seed)
    kwargs = settings[setting]
    params = as_params(start)
    actual = run(params, getattr(optim, name)(params, **kwargs), X, y)
    expected = reference(start, lambda w: mlp_grads(w, X, y), STEPS, **kwargs)
    assert_same_trajectory(actual, expected)
    assert np.abs(actual[-1][0] - start[0]).max() > 1e-2


def test_rmsprop_and_adagrad_defaults_are_pytorchs():
    w = _w()
    assert optim.RMSprop(w).defaults == dict(lr=0.01, alpha=0.99, eps=1e-8, weight_decay=0.0,
                                            momentum=0.0, centered=False)
    assert optim.Adagrad(w).defaults == dict(lr=0.01, lr_decay=0.0, weight_decay=0.0,
                                            initial_accumulator_value=0.0, eps=1e-10)


def test_rmsprop_and_adagrad_first_steps_by_hand():
    # RMSprop: v = 0.01·g², so the first step is lr·g/(0.1·|g| + ε) ≈ 10·lr·sign(g)
    grad = np.array([1e-3, -5.0, 100.0])
    w = Tensor(np.array([1.0, -2.0, 3.0]), requires_grad=True)
    opt = optim.RMSprop([w], lr=0.01)
    (w * Tensor(grad)).sum().backward()
    opt.step()
    np.testing.assert_allclose(w.data, [0.9, -1.9, 2.9], atol=1e-5)
    np.testing.assert_allclose(opt.state[w]["square_avg"], 0.01 * grad ** 2, rtol=1e-15)
    assert opt.state[w]["step"] == 1
    # Adagrad: sum = g², so the first step is lr·g/(|g| + ε) = lr·sign(g); the second,
    # with lr_decay η, is lr/(1 + η)·g/(√2·|g| + ε)
    w = Tensor(np.array([1.0, -2.0, 3.0]), requires_grad=True)
    opt = optim.Adagrad([w], lr=0.1, lr_decay=1.0)
    (w * Tensor(grad)).sum().backward()
    opt.step()
    np.testing.assert_allclose(w.data, [0.9, -1.9, 2.9], atol=1e-6)
    opt.step()  # the same gradient again
    np.testing.assert_allclose(w.data, np.array([0.9, -1.9, 2.9])
                               - 0.05 / math.sqrt(2) * np.sign(grad), atol=1e-6)
    np.testing.assert_allclose(opt.state[w]["sum"], 2 * grad ** 2, rtol=1e-15)
    assert opt.state[w]["step"] == 2


def test_centered_rmsprop_stays_finite_when_rounding_makes_the_variance_negative():
    # A constant gradient: v − ḡ² is S(1 − S)·g² with S = 1 − α^t, which underflows; after
    # about 3,200 steps rounding makes it a hair below zero, where √ gives nan. It is 0.
    w = Tensor(np.array([1.0]), requires_grad=True)
    w.grad = Tensor(np.array([0.1]))
    opt = optim.RMSprop([w], lr=1e-12, centered=True)
    state = None
    for _ in range(4000):
        opt.step()
        state = opt.state[w]
        assert np.isfinite(w.data).all()
    assert state["square_avg"][0] - state["grad_avg"][0] ** 2 <= 0.0  # the case was reached


@pytest.mark.parametrize("make", [
    lambda p: optim.RMSprop(p, lr=0.1, weight_decay=0.5, momentum=0.9, centered=True),
    lambda p: optim.Adagrad(p, lr=0.1, weight_decay=0.5, lr_decay=0.1),
])
def test_rmsprop_and_adagrad_update_in_place_and_leave_shared_grads(make):
    a = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    b = Tensor(np.array([3.0, 4.0]), requires_grad=True)
    array_a, array_b = a.data, b.data
    shared = Tensor(np.array([1.0, -1.0]))
    a.grad = b.grad = shared
    opt = make([a, b])
    opt.step()
    buffers = {k: v for k, v in opt.state[a].items() if isinstance(v, np.ndarray)}
    opt.step()
    assert a.data is array_a and b.data is array_b
    assert shared.data.tolist() == [1.0, -1.0]
    assert buffers and all(opt.state[a][k] is v for k, v in buffers.items())  # in place


# ------------------------------------------------------------------ dtype
@pytest.mark.parametrize("make", [
    lambda p: optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01),
    lambda p: optim.SGD(p, lr=0.1, momentum=0.9, dampening=0.1),
    lambda p: optim.Adam(p, lr=0.01, weight_decay=0.01),
    lambda p: optim.AdamW(p, lr=0.01),
    lambda p: optim.RMSprop(p),
    lambda p: optim.RMSprop(p, weight_decay=0.01, momentum=0.9, centered=True),
    lambda p: optim.Adagrad(p),
    lambda p: optim.Adagrad(p, lr_decay=0.1, weight_decay=0.01, initial_accumulator_value=0.1),
])
def test_float32_parameters_stay_float32(make):
    X, y, start = make_problem(dtype=np.float32)
    params = as_params(start)
    arrays = [p.data for p in params]
    opt = make(params)
    optim.ExponentialDecay(opt, decay_rate=0.1)
    for group in opt.param_groups:
        group["lr"] = np.float64(group["lr"])  # set by hand: must not upcast either
    run(params, opt, X, y, steps=3)
    assert all(p.dtype == np.float32 for p in params)
    assert all(p.data is a for p, a in zip(params, arrays))
    for state in opt.state.values():
        assert all(v.dtype == np.float32 for v in state.values() if isinstance(v, np.ndarray))
    assert all(np.isfinite(p.data).all() for p in params)


# ------------------------------------------------------------------ schedules
def make_groups_opt(lrs=(0.1, 0.03)):
    groups = [{"params": [Tensor(np.ones(2), requires_grad=True)], "lr": lr} for lr in lrs]
    return optim.SGD(groups, lr=1.0)


SCHEDULES = {
    "exponential": (lambda o: optim.ExponentialDecay(o, decay_rate=0.1),
                    lambda eta0, t: eta0 * math.exp(-0.1 * t)),
    "step": (lambda o: optim.StepDecay(o, step_size=10, gamma=0.5),
             lambda eta0, t: eta0 * 0.5 ** (t // 10)),
    "inverse_time": (lambda o: optim.InverseTimeDecay(o, decay_rate=0.5),
                     lambda eta0, t: eta0 / (1 + 0.5 * t)),
    "lambda": (lambda o: optim.LambdaDecay(o, lambda t: 1.0 / math.sqrt(t + 1)),
               lambda eta0, t: eta0 / math.sqrt(t + 1)),
}


@pytest.mark.parametrize("name", list(SCHEDULES))
def test_schedule_follows_course_formula(name):
    make, formula = SCHEDULES[name]
    opt = make_groups_opt()
    sched = make(opt)
    for t in range(51):
        assert sched.t == sched.last_epoch == t
        expected = [formula(0.1, t), formula(0.03, t)]
        assert sched.get_last_lr() == pytest.approx(expected, rel=1e-12, abs=1e-12)
        assert [g["lr"] for g in opt.param_groups] == pytest.approx(expected, rel=1e-12,
                                                                     abs=1e-12)
        opt.step()
        sched.step()


def test_schedule_course_values():
    # the numbers on the slides
    opt = make_groups_opt([0.1])
    step, exponential = optim.StepDecay(opt, 10, 0.5), None
    values = []
    for _ in range(31):
        values.append(step.get_last_lr()[0])
        step.step()
    assert values[0] == values[9] == 0.1
    assert values[10] == values[19] == 0.05 and values[20] == 0.025 and values[30] == 0.0125
    exponential = optim.ExponentialDecay(make_groups_opt([0.1]), 0.1)
    for _ in range(10):
        exponential.step()
    assert exponential.get_last_lr()[0] == pytest.approx(0.1 * math.exp(-1.0), abs=1e-15)
    inverse = optim.InverseTimeDecay(make_groups_opt([0.1]), 0.5)
    for _ in range(2):
        inverse.step()
    assert inverse.get_last_lr()[0] == pytest.approx(0.05, abs=1e-15)


def test_schedule_state_dict_round_trip():
    opt = make_groups_opt()
    sched = optim.StepDecay(opt, step_size=3, gamma=0.5)
    for _ in range(7):
        sched.step()
    saved = sched.state_dict()
    assert saved == {"step_size": 3, "gamma": 0.5, "base_lrs": [0.1, 0.03], "last_epoch": 7}
    fresh_opt = make_groups_opt()
    fresh = optim.StepDecay(fresh_opt, step_size=3, gamma=0.5)
    fresh.load_state_dict(saved)
    assert fresh.t == 7
    assert [g["lr"] for g in fresh_opt.param_groups] == pytest.approx([0.025, 0.0075])
    for _ in range(5):
        sched.step()
        fresh.step()
        assert fresh.get_last_lr() == sched.get_last_lr()
    with pytest.raises(ValueError, match="keys"):
        fresh.load_state_dict({"last_epoch": 1})
    with pytest.raises(ValueError, match="initial lrs"):
        fresh.load_state_dict({**saved, "base_lrs": [0.1]})
    assert fresh.t == 12


def test_schedule_construction_sets_initial_lr_and_validates():
    opt = make_groups_opt([0.2])
    sched = optim.InverseTimeDecay(opt, decay_rate=1.0)
    assert sched.get_last_lr() == [0.2] and sched.t == 0
    with pytest.raises(ValueError, match="decay_rate"):
        optim.ExponentialDecay(opt, decay_rate=-0.1)
    with pytest.raises(ValueError, match="step_size"):
        optim.StepDecay(opt, step_size=0, gamma=0.5)
    with pytest.raises(TypeError, match="callable"):
        optim.LambdaDecay(opt, 0.5)


# ------------------------------------------------------------------ checkpoints
@pytest.mark.parametrize("make", [
    lambda p: optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01),
    lambda p: optim.Adam(p, lr=0.01),
    lambda p: optim.AdamW(p, lr=0.01, weight_decay=0.1),
    lambda p: optim.RMSprop(p, lr=0.005),
    lambda p: optim.RMSprop(p, lr=0.002, weight_decay=0.01, momentum=0.9, centered=True),
    lambda p: optim.Adagrad(p, lr=0.1),
    lambda p: optim.Adagrad(p, lr=0.1, lr_decay=0.05, weight_decay=0.01,
                            initial_accumulator_value=0.2),
])
def test_state_dict_round_trip_continues_identically(make):
    X, y, start = make_problem(seed=5)
    uninterrupted = as_params(start)
    expected = run(uninterrupted, make(uninterrupted), X, y, steps=20)

    first = as_params(start)
    opt = make(first)
    run(first, opt, X, y, steps=10)
    saved = opt.state_dict()
    saved_copy = copy.deepcopy(saved)
    run(first, opt, X, y, steps=3)  # later steps must not change what was saved
    for index, entry in saved_copy["state"].items():
        for name, value in entry.items():
            np.testing.assert_array_equal(saved["state"][index][name], value)

    resumed = as_params(expected[9])
    opt2 = make(resumed)
    opt2.load_state_dict(saved)
    actual = run(resumed, opt2, X, y, steps=10)
    for got, want in zip(actual, expected[10:]):
        for g, w in zip(got, want):
            np.testing.assert_array_equal(g, w)
    # nor do the resumed optimizer's steps write into the loaded dict
    for index, entry in saved_copy["state"].items():
        for name, value in entry.items():
            np.testing.assert_array_equal(saved["state"][index][name], value)


def test_state_dict_layout():
    a = Tensor(np.ones(2), requires_grad=True)
    b = Tensor(np.ones((2, 2)), requires_grad=True)
    c = Tensor(np.ones(3), requires_grad=True)
    opt = optim.SGD([{"params": [a, b]}, {"params": [c], "lr": 0.5}], lr=0.1, momentum=0.9)
    (a.sum() + c.sum()).backward()
    opt.step()
    saved = opt.state_dict()
    assert [g["params"] for g in saved["param_groups"]] == [[0, 1], [2]]
    assert [g["lr"] for g in saved["param_groups"]] == [0.1, 0.5]
    assert sorted(saved["state"]) == [0, 2]  # b had no gradient, so no buffer
    assert saved["state"][2]["momentum_buffer"].tolist() == [1.0, 1.0, 1.0]


def _sgd_with_state():
    params = [Tensor(np.ones(2), requires_grad=True), Tensor(np.ones(3), requires_grad=True)]
    opt = optim.SGD(params, lr=0.1, momentum=0.9)
    (params[0].sum() + params[1].sum()).backward()
    opt.step()
    return params, opt


def _bad_state_dicts():
    _, opt = _sgd_with_state()
    good = opt.state_dict()

    def edited(edit):
        state_dict = copy.deepcopy(good)
        edit(state_dict)
        return state_dict

    extra_group = {**good["param_groups"][0], "params": [2]}
    return [
        (edited(lambda s: s["param_groups"].append(extra_group)), "2 parameter groups"),
        (edited(lambda s: s["param_groups"][0]["params"].pop()), "1 parameters"),
        (edited(lambda s: s["state"][1].update(momentum_buffer=np.zeros(4))), r"shape \(4,\)"),
        (edited(lambda s: s["state"].update({5: s["state"][0]})), "state for parameter 5"),
        (edited(lambda s: s["state"][0].update(exp_avg=np.zeros(2))), "keeps"),
        (edited(lambda s: s["param_groups"][0].pop("momentum")), "lacks"),
        (edited(lambda s: s["param_groups"][0].update(lr=-1.0)), "Invalid learning rate"),
        ({"param_groups": []}, "'state' and 'param_groups'"),
    ]


@pytest.mark.parametrize("index", range(8))
def test_load_state_dict_errors_leave_optimizer_unchanged(index):
    bad, message = _bad_state_dicts()[index]
    params, opt = _sgd_with_state()
    opt.param_groups[0]["lr"] = 0.3
    before = opt.state_dict()
    with pytest.raises(ValueError, match=message):
        opt.load_state_dict(bad)
    after = opt.state_dict()
    assert after["param_groups"] == before["param_groups"]
    assert after["state"].keys() == before["state"].keys()
    for i in before["state"]:
        np.testing.assert_array_equal(after["state"][i]["momentum_buffer"],
                                      before["state"][i]["momentum_buffer"])
    assert opt.param_groups[0]["params"] == params


def test_adam_state_rejected_by_sgd_and_float64_state_cast_to_float32():
    p64 = Tensor(np.ones(2), requires_grad=True)
    adam = optim.Adam([p64], lr=0.1)
    p64.sum().backward()
    adam.step()
    sgd = optim.SGD([Tensor(np.ones(2), requires_grad=True)], lr=0.1, momentum=0.9)
    with pytest.raises(ValueError, match="lacks"):
        sgd.load_state_dict(adam.state_dict())
    saved = adam.state_dict()
    saved["param_groups"][0].update(momentum=0.9, dampening=0.0, nesterov=False)
    with pytest.raises(ValueError, match="SGD keeps"):
        sgd.load_state_dict(saved)
    assert sgd.state == {}
    p32 = Tensor(np.ones(2, dtype=np.float32), requires_grad=True)
    adam32 = optim.Adam([p32], lr=0.1)
    adam32.load_state_dict(adam.state_dict())
    assert adam32.state[p32]["exp_avg"].dtype == np.float32
    assert adam32.state[p32]["step"] == 1


# ------------------------------------------------------------------ clip_grad_norm
def test_clip_grad_norm_scales_to_max_norm():
    a = Tensor(np.array([3.0, 4.0]), requires_grad=True)
    b = Tensor(np.array([12.0]), requires_grad=True)
    c = Tensor(np.array([7.0]), requires_grad=True)  # no grad: skipped
    shared = Tensor(np.array([3.0, 4.0]))
    a.grad, b.grad = shared, Tensor(np.array([12.0]))
    total = optim.clip_grad_norm([a, b, c], max_norm=6.5)
    assert isinstance(total, float) and total == pytest.approx(13.0, abs=1e-12)
    scale = 6.5 / (13.0 + 1e-6)
    np.testing.assert_allclose(a.grad.data, [3.0 * scale, 4.0 * scale], atol=1e-15)
    np.testing.assert_allclose(b.grad.data, [12.0 * scale], atol=1e-15)
    assert shared.data.tolist() == [3.0, 4.0]  # replaced, not written into
    assert c.grad is None
    total_after = optim.clip_grad_norm([a, b, c], max_norm=6.5)
    assert total_after == pytest.approx(6.5 * 13.0 / (13.0 + 1e-6), abs=1e-12)


def test_clip_grad_norm_below_max_norm_leaves_grads_alone():
    a = Tensor(np.array([3.0, 4.0]), requires_grad=True)
    grad = Tensor(np.array([0.3, 0.4]))
    a.grad = grad
    assert optim.clip_grad_norm(a, max_norm=1.0) == pytest.approx(0.5, abs=1e-15)
    assert a.grad is grad


def test_clip_grad_norm_other_norms_dtype_and_errors():
    a = Tensor(np.array([3.0, -4.0], dtype=np.float32), requires_grad=True)
    b = Tensor(np.array([-12.0], dtype=np.float32), requires_grad=True)
    a.grad = Tensor(np.array([3.0, -4.0], dtype=np.float32))
    b.grad = Tensor(np.array([-12.0], dtype=np.float32))
    assert optim.clip_grad_norm([a, b], 100.0, norm_type=1) == pytest.approx(19.0)
    assert optim.clip_grad_norm([a, b], 100.0, norm_type=math.inf) == pytest.approx(12.0)
    assert optim.clip_grad_norm([a, b], 6.0, norm_type=math.inf) == pytest.approx(12.0)
    np.testing.assert_allclose(b.grad.data, [-6.0], rtol=1e-6)
    assert a.grad.dtype == np.float32 and b.grad.dtype == np.float32
    assert optim.clip_grad_norm([Tensor(np.ones(1), requires_grad=True)], 1.0) == 0.0
    with pytest.raises(ValueError, match="max_norm"):
        optim.clip_grad_norm([a], -1.0)
    with pytest.raises(ValueError, match="norm_type"):
        optim.clip_grad_norm([a], 1.0, norm_type=0)


# ------------------------------------------------------------------ validation
def _w():
    return [Tensor(np.ones(2), requires_grad=True)]


@pytest.mark.parametrize("make, message", [
    (lambda: optim.SGD(_w(), lr=-0.1), "Invalid learning rate"),
    (lambda: optim.SGD(_w(), lr=float("nan")), "Invalid learning rate"),
    (lambda: optim.SGD(_w(), lr=0.1, momentum=-0.5), "Invalid momentum value"),
    (lambda: optim.SGD(_w(), lr=0.1, weight_decay=-1e-4), "Invalid weight_decay value"),
    (lambda: optim.SGD(_w(), lr=0.1, nesterov=True), "Nesterov momentum requires"),
    (lambda: optim.SGD(_w(), lr=0.1, momentum=0.9, dampening=0.1, nesterov=True),
     "Nesterov momentum requires"),
    (lambda: optim.SGD([{"params": _w(), "lr": -1}], lr=0.1), "Invalid learning rate"),
    (lambda: optim.Adam(_w(), lr=-1e-3), "Invalid learning rate"),
    (lambda: optim.Adam(_w(), betas=(1.0, 0.999)), "beta parameter at index 0"),
    (lambda: optim.Adam(_w(), betas=(0.9, -0.1)), "beta parameter at index 1"),
    (lambda: optim.AdamW(_w(), betas=(0.9, 1.0)), "beta parameter at index 1"),
    (lambda: optim.Adam(_w(), eps=-1e-8), "Invalid epsilon value"),
    (lambda: optim.AdamW(_w(), weight_decay=-0.01), "Invalid weight_decay value"),
    (lambda: optim.RMSprop(_w(), lr=-0.01), "Invalid learning rate: -0.01"),
    (lambda: optim.RMSprop(_w(), alpha=1.5), "Invalid alpha value: 1.5, expected a finite "
                                             r"number in \[0, 1\]"),
    (lambda: optim.RMSprop(_w(), alpha=-0.1), "Invalid alpha value: -0.1"),
    (lambda: optim.RMSprop(_w(), alpha=float("nan")), "Invalid alpha value: nan"),
    (lambda: optim.RMSprop(_w(), eps=-1e-8), "Invalid epsilon value: -1e-08"),
    (lambda: optim.RMSprop(_w(), eps=math.inf), "Invalid epsilon value: inf"),
    (lambda: optim.RMSprop(_w(), weight_decay=-0.1), "Invalid weight_decay value: -0.1"),
    (lambda: optim.RMSprop(_w(), momentum=-0.9), "Invalid momentum value: -0.9"),
    (lambda: optim.RMSprop(_w(), momentum=math.inf), "Invalid momentum value: inf"),
    (lambda: optim.RMSprop(_w(), centered="yes"),
     "Invalid centered value: 'yes', expected True or False"),
    (lambda: optim.RMSprop(_w(), centered=1), "Invalid centered value: 1"),
    (lambda: optim.Adagrad(_w(), lr=math.inf), "Invalid learning rate: inf"),
    (lambda: optim.Adagrad(_w(), lr_decay=-0.1), "Invalid lr_decay: -0.1"),
    (lambda: optim.Adagrad(_w(), lr_decay=float("nan")), "Invalid lr_decay: nan"),
    (lambda: optim.Adagrad(_w(), weight_decay=math.inf), "Invalid weight_decay value: inf"),
    (lambda: optim.Adagrad(_w(), initial_accumulator_value=-1.0),
     "Invalid initial_accumulator_value: -1.0"),
    (lambda: optim.Adagrad(_w(), initial_accumulator_value=math.inf),
     "Invalid initial_accumulator_value: inf"),
    (lambda: optim.Adagrad(_w(), eps=-1e-10), "Invalid epsilon value: -1e-10"),
    (lambda: optim.Adagrad(_w(), eps="1e-10"), "Invalid epsilon value: '1e-10'"),
    (lambda: optim.SGD([], lr=0.1), "empty parameter list"),
    (lambda: optim.SGD([Tensor(np.ones(2))], lr=0.1), "does not require grad"),
    (lambda: optim.SGD([Tensor(np.ones(2), requires_grad=True) * 2], lr=0.1), "not a leaf"),
])
def test_invalid_arguments_raise_value_error(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_same_parameter_twice_raises():
    w = Tensor(np.ones(2), requires_grad=True)
    with pytest.raises(ValueError, match="given twice"):
        optim.SGD([w, w], lr=0.1)
    opt = optim.SGD([w], lr=0.1)
    with pytest.raises(ValueError, match="given twice"):
        opt.add_param_group({"params": [w], "lr": 0.01})
    assert len(opt.param_groups) == 1


def test_params_of_the_wrong_kind_raise_type_error():
    w = Tensor(np.ones(2), requires_grad=True)
    with pytest.raises(TypeError, match="single Tensor"):
        optim.SGD(w, lr=0.1)
    with pytest.raises(TypeError, match="not a set"):
        optim.SGD([{"params": {w}}], lr=0.1)
    with pytest.raises(TypeError, match="not a Tensor"):
        optim.SGD([np.ones(2)], lr=0.1)


def test_generator_of_parameters_is_accepted():
    params = _w() + _w()
    opt = optim.SGD((p for p in params), lr=0.1)
    assert opt.param_groups[0]["params"] == params


# ------------------------------------------------------------------ against PyTorch itself
# Each optimizer as both libraries spell it: optim.<name>(params, **keywords) here,
# torch.optim.<name>(params, **keywords) in the script of the test below.
AGAINST_PYTORCH = [
    ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01)),
    ("SGD", dict(lr=0.05, momentum=0.9, dampening=0.3)),
    ("Adam", dict(lr=0.01, weight_decay=0.1)),
    ("AdamW", dict(lr=0.01, betas=(0.8, 0.9))),
    ("RMSprop", dict()),
    ("RMSprop", dict(lr=0.002, alpha=0.9, weight_decay=0.05, momentum=0.5, centered=True)),
    ("Adagrad", dict()),
    ("Adagrad", dict(lr=0.1, lr_decay=0.05, weight_decay=0.02, initial_accumulator_value=0.1,
                     eps=1e-6)),
]

PYTORCH_AFTER_20_STEPS = [
    # SGD(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01)
    [-0.9474054159051845, 0.1870451576112083, -0.9585380998737218, -0.08280622387807716,
     0.5926702799769293, -0.22261202012065728, -0.5529492655755555, -0.07749051664528604,
     0.20209617422982692, 0.05417165331996591, -0.3642413483823863, 0.2943915869339725,
     0.08063981384331509, -0.06690690281891136, 0.20657554302602946, -0.030277837842768534,
     -1.1594382996329897, 0.17546353411693003, 0.26795375237996555, -0.1060962215170267,
     0.3885711540922135],
    # SGD(lr=0.05, momentum=0.9, dampening=0.3)
    [-0.9463743468813777, 0.1937343302698223, -0.940695623320723, -0.05347868472988937,
     0.5630791087801115, -0.2635223760489013, -0.6055433265228395, -0.04222119382603227,
     0.19936684207335803, 0.045614856040102875, -0.4311411855524842, 0.3159077270202155,
     -0.03271424501877358, -0.05952001880541732, 0.1702801507869676, 0.004886674028913925,
     -1.1752745201607002, 0.1836015763115575, 0.3199580940594384, -0.1340123253296444,
     0.33118185413419415],
    # Adam(lr=0.01, weight_decay=0.1)
    [-0.7889180416023409, 0.19883053579918464, -0.7511459957208351, 0.037276504675771975,
     0.1714259361316334, -0.14510275996685285, -0.5364270743167362, -0.03784313670942058,
     -0.005012262701022882, 0.022151649386903477, -0.2751101721737312, 0.11540837014973479,
     -0.12494201078286406, -0.1266987073397767, 0.08704268942771669, -0.008454471173807944,
     -0.9230449544048398, -0.019802058717594825, 0.4210204853750226, -0.16430253130098937,
     0.012153790707191355],
    # AdamW(lr=0.01, betas=(0.8, 0.9))
    [-0.8009752679146052, 0.2109525860456994, -0.7702697118334875, 0.0382470608518447,
     0.18264816459502423, -0.2938505400579461, -0.727272990952719, -0.07864326727372781,
     -0.01012794713453513, 0.12082484967972403, -0.34820602817612517, 0.30408953725483834,
     -0.12531756865299004, -0.1539121692643036, 0.1123473656631759, -0.015043240380042526,
     -0.9308749178422839, -0.019670611473953804, 0.4271215052504746, -0.17165702921653217,
     0.018585604006883538],
    # RMSprop()
    [-0.9543641559252753, 0.3457504876506986, -1.2083672456931327, -0.12462772488164156,
     0.4620090665254315, -0.39218643587454655, -0.6079775993199993, -0.3151567755044471,
     0.0899184243383794, -0.020913249111419664, -0.3362456173888365, 0.4928638716772402,
     0.028067072500534827, -0.10525867275809682, 0.30273577199526264, -0.22713669349533563,
     -1.1388376827295636, 0.14455638724290487, 0.40272992193176954, -0.2797130670651507,
     0.19017623599272604],
    # RMSprop(lr=0.002, alpha=0.9, weight_decay=0.05, momentum=0.5, centered=True)
    [-0.7590078299824963, 0.24812966416147914, -0.7891103470198195, 0.07365751992549523,
     0.15609191954029766, -0.21888430265013223, -0.5887840860550676, -0.06413560118499276,
     -0.03003750941550304, 0.051341426862393805, -0.31918058433479374, 0.1634725633934964,
     -0.14260077763252257, -0.1030585430714183, 0.06870126405284104, 0.021152035003255343,
     -0.8945648126636627, -0.05940347108808811, 0.462973573221314, -0.21723544053559615,
     -0.014324491219825371],
    # Adagrad()
    [-0.6922074070573828, 0.3067911548785824, -0.873826503252739, 0.146619281538149,
     0.09871935155044398, -0.31132127445210794, -0.6276156467201254, -0.08037835463319938,
     -0.13127088686967345, 0.07437907213141043, -0.3886598383410865, 0.23119960447894872,
     -0.1543710074790806, -0.08678662618968697, 0.022699078718662107, 0.06605044046464495,
     -0.8188172978943012, -0.13672741994249846, 0.5256967116429795, -0.26694471940709824,
     -0.061781194061477],
    # Adagrad(lr=0.1, lr_decay=0.05, weight_decay=0.02, initial_accumulator_value=0.1, eps=1e-06)
    [-0.8602626890084832, 0.2743962747045357, -0.884042845734367, 0.0021880284410948046,
     0.35269160052178694, -0.25391696269802394, -0.5548928612552553, -0.054450077267441964,
     0.04223476228659391, 0.04849682863916012, -0.3755868479414032, 0.2602185654709273,
     -0.05838782175741724, -0.05735171794241671, 0.12984252699064663, 0.004258937362879927,
     -1.0608731790886887, 0.055397354674580276, 0.3632274263869422, -0.19181354604663756,
     0.12494164845722285],
]


def test_twenty_steps_of_each_optimizer_end_where_pytorchs_end():
    """PYTORCH_AFTER_20_STEPS (W1, b1, W2, b2 after 20 steps, flattened and end to end, one
    row per row of AGAINST_PYTORCH) was printed by PyTorch 2.13.0 (CPU, float64) running this
    script, with numpy as np and make_problem and AGAINST_PYTORCH copied from this file:

        import torch
        X, y, start = make_problem(seed=6)
        for name, keywords in AGAINST_PYTORCH:
            params = [torch.tensor(a.copy(), requires_grad=True) for a in start]
            opt = getattr(torch.optim, name)(params, **keywords)
            for _ in range(20):
                opt.zero_grad()
                W1, b1, W2, b2 = params
                hidden = torch.tanh(torch.from_numpy(X) @ W1 + b1)
                ((hidden @ W2 + b2 - torch.from_numpy(y)) ** 2).mean().backward()
                opt.step()
            print(np.concatenate([p.detach().numpy().ravel() for p in params]).tolist())
    """
    X, y, start = make_problem(seed=6)
    assert len(PYTORCH_AFTER_20_STEPS) == len(AGAINST_PYTORCH)
    for (name, keywords), expected in zip(AGAINST_PYTORCH, PYTORCH_AFTER_20_STEPS):
        params = as_params(start)
        final = run(params, getattr(optim, name)(params, **keywords), X, y, steps=20)[-1]
        np.testing.assert_allclose(np.concatenate([p.ravel() for p in final]), expected,
                                   rtol=0, atol=1e-12, err_msg=f"{name}({keywords})")


# ------------------------------------------------------------------ trust: a step is checked
# before it writes anything (ARCHITECTURE.md, "Errors": nothing half-done)
OPTIMIZERS = {
    "sgd": lambda p: optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01),
    "sgd_plain": lambda p: optim.SGD(p, lr=0.1),
    "adam": lambda p: optim.Adam(p, lr=0.01, weight_decay=0.1),
    "adamw": lambda p: optim.AdamW(p, lr=0.01),
    "rmsprop": lambda p: optim.RMSprop(p, weight_decay=0.01, momentum=0.9, centered=True),
    "rmsprop_plain": lambda p: optim.RMSprop(p),
    "adagrad": lambda p: optim.Adagrad(p, lr_decay=0.1, weight_decay=0.01,
                                       initial_accumulator_value=0.1),
}


def _two_groups(make):
    """An optimizer over two groups, [a, b] and [c], that has taken one step (so it has state),
    with fresh gradients for the next step."""
    a = Tensor(np.array([1.0, -2.0]), requires_grad=True)
    b = Tensor(np.array([[0.5, 1.5], [2.5, -0.5]]), requires_grad=True)
    c = Tensor(np.array([3.0, 4.0]), requires_grad=True)
    opt = make([{"params": [a, b]}, {"params": [c]}])

    def backward():
        opt.zero_grad()
        ((a * a).sum() + (b * b * b).sum() + (c * a).sum()).backward()

    backward()
    opt.step()
    backward()
    return (a, b, c), opt


def _snapshot(params, opt):
    """Every number a step could change, as bytes: parameters, versions, state, groups."""
    return {
        "params": [(p.data.dtype, p.data.tobytes()) for p in params],
        "versions": [p.version for p in params],
        "state": {id(p): {k: (v.dtype, v.tobytes()) if isinstance(v, np.ndarray) else v
                          for k, v in s.items()} for p, s in opt.state.items()},
        "groups": [{k: v for k, v in g.items() if k != "params"} for g in opt.param_groups],
    }


def _read_only(c):
    c.data.flags.writeable = False


def _grad_of_shape_1(c):
    c.grad.data = np.ones(1)  # written by hand, past any check of `.grad` itself


def _grad_float32(c):
    c.grad.data = c.grad.data.astype(np.float32)


FAILURES = {
    "read_only": (_read_only, ValueError,
                  r"parameter 0 of group 1 \(shape \(2,\)\) is read-only"),
    "grad_shape": (_grad_of_shape_1, ValueError,
                   r"parameter 0 of group 1: its gradient has shape \(1,\) and dtype float64, "
                   r"the parameter has shape \(2,\) and dtype float64"),
    "grad_dtype": (_grad_float32, TypeError,
                   r"parameter 0 of group 1: its gradient has shape \(2,\) and dtype float32, "
                   r"the parameter has shape \(2,\) and dtype float64"),
}


@pytest.mark.parametrize("failure", list(FAILURES))
@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_failing_step_changes_nothing(name, failure):
    (a, b, c), opt = _two_groups(OPTIMIZERS[name])
    inject, error, message = FAILURES[failure]
    inject(c)  # the very last parameter: everything before it would be written first
    before = _snapshot((a, b, c), opt)
    with pytest.raises(error, match=message):
        opt.step()
    assert _snapshot((a, b, c), opt) == before


@pytest.mark.parametrize("lr, shown", [(float("nan"), "nan"), (math.inf, "inf"),
                                       ("0.1", "'0.1'"), (-1.0, "-1.0")])
@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_step_checks_hyperparameters_set_by_hand_before_writing(name, lr, shown):
    (a, b, c), opt = _two_groups(OPTIMIZERS[name])
    opt.param_groups[1]["lr"] = lr
    before = _snapshot((a, b, c), opt)
    with pytest.raises(ValueError, match=f"parameter group 1: Invalid learning rate: {shown}"):
        opt.step()
    assert _snapshot((a, b, c), opt) == before


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_grad_of_broadcastable_shape_is_refused(name):
    # the case: a (1,) gradient would broadcast over a (2,) parameter
    w = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    opt = OPTIMIZERS[name]([w])
    w.grad = Tensor(np.array([1.0, 1.0]))
    w.grad.data = np.array([1.0])
    with pytest.raises(ValueError, match=r"parameter 0 of group 0: its gradient has shape \(1,\)"):
        opt.step()
    assert w.data.tolist() == [1.0, 2.0] and w.version == 0 and opt.state == {}


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_grad_that_is_no_array_is_refused(name):
    w = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    opt = OPTIMIZERS[name]([w])
    w.grad = Tensor(np.array([1.0, 1.0]))
    w.grad.data = [1.0, 1.0]
    with pytest.raises(TypeError, match="parameter 0 of group 0: its gradient is a list"):
        opt.step()
    assert w.data.tolist() == [1.0, 2.0] and opt.state == {}


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_step_bumps_the_version_of_each_updated_parameter(name):
    used = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    unused = Tensor(np.array([3.0]), requires_grad=True)
    opt = OPTIMIZERS[name]([used, unused])
    for expected in (1, 2, 3):
        opt.zero_grad()
        (used * used).sum().backward()
        opt.step()
        assert used.version == expected  # one in-place change per step
        assert unused.version == 0  # no gradient: not touched


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_a_parameter_made_read_only_after_some_steps_is_refused(name):
    # the same array that passed the earlier steps: nothing about it may be taken as known
    (a, b, c), opt = _two_groups(OPTIMIZERS[name])
    opt.step()
    c.data.flags.writeable = False
    before = _snapshot((a, b, c), opt)
    with pytest.raises(ValueError, match=r"parameter 0 of group 1 \(shape \(2,\)\) is read-only"):
        opt.step()
    assert _snapshot((a, b, c), opt) == before


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_the_first_unready_parameter_is_named_by_its_index_in_the_group(name):
    # a has no gradient (skipped, but counted); b's gradient has the wrong dtype; c is read-only
    a, b, c = (Tensor(np.array([1.0, 2.0]), requires_grad=True) for _ in range(3))
    opt = OPTIMIZERS[name]([a, b, c])
    (b * c).sum().backward()
    b.grad.data = b.grad.data.astype(np.float32)
    c.data.flags.writeable = False
    with pytest.raises(TypeError, match=r"parameter 1 of group 0: its gradient has shape \(2,\) "
                                        r"and dtype float32"):
        opt.step()
    assert b.data.tolist() == [1.0, 2.0] and b.version == 0 and opt.state == {}


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_a_gradient_that_is_a_tensor_not_its_array_is_refused(name):
    # a Tensor has the shape and dtype of an array, but the update needs the array
    w = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    opt = OPTIMIZERS[name]([w])
    w.grad = Tensor(np.array([1.0, 1.0]))
    w.grad.data = Tensor(np.array([1.0, 1.0]))
    with pytest.raises(TypeError, match="parameter 0 of group 0: its gradient is a Tensor"):
        opt.step()
    assert w.data.tolist() == [1.0, 2.0] and opt.state == {}


class _Subclass(np.ndarray):
    """An ndarray subclass, as np.memmap or np.matrix are: still an array to update."""


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_parameters_and_gradients_of_an_ndarray_subclass_are_updated_as_arrays(name):
    # (the ops compute on plain arrays, so these gradients are set by hand: 3w², of Σw³)
    plain = Tensor(np.array([1.0, -2.0]), requires_grad=True)
    sub = Tensor(np.array([1.0, -2.0]).view(_Subclass), requires_grad=True)
    opt_plain, opt_sub = OPTIMIZERS[name]([plain]), OPTIMIZERS[name]([sub])
    for _ in range(3):
        plain.grad = Tensor(3 * plain.data ** 2)
        sub.grad = Tensor(np.asarray(3 * sub.data ** 2).view(_Subclass))
        opt_plain.step()
        opt_sub.step()
    assert type(sub.data) is _Subclass and sub.version == 3
    assert sub.data.tolist() == plain.data.tolist() != [1.0, -2.0]


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_a_step_counts_a_view_parameters_change_on_the_tensor_it_views(name):
    base = Tensor(np.array([1.0, 2.0]))
    view = Tensor(base, requires_grad=True)  # the same array: one version counter for both
    opt = OPTIMIZERS[name]([view])
    (view * view).sum().backward()
    opt.step()
    assert view.version == base.version == 1 and view.data is base.data
    assert view.data.tolist() != [1.0, 2.0]


def test_a_set_of_parameters_is_refused():
    p1, p2 = _w()[0], _w()[0]
    for params in ({p1, p2}, frozenset([p1, p2])):
        with pytest.raises(TypeError, match="ordered collection .* not a set"):
            optim.SGD(params, lr=0.1)


# ------------------------------------------------------------------ trust: finite hyperparameters
@pytest.mark.parametrize("make, message", [
    (lambda: optim.SGD(_w(), lr=math.inf), "Invalid learning rate: inf"),
    (lambda: optim.SGD(_w(), lr=0.1, momentum=math.inf), "Invalid momentum value: inf"),
    (lambda: optim.SGD(_w(), lr=0.1, weight_decay=math.inf), "Invalid weight_decay value: inf"),
    (lambda: optim.SGD(_w(), lr=0.1, momentum=0.9, dampening=float("nan")),
     "Invalid dampening value: nan"),
    (lambda: optim.SGD(_w(), lr=0.1, momentum=0.9, dampening=1.5),
     "Invalid dampening value: 1.5, expected a finite number in"),
    (lambda: optim.SGD(_w(), lr=0.1, momentum=0.9, dampening=-0.1),
     "Invalid dampening value: -0.1"),
    (lambda: optim.SGD(_w(), lr=0.1, momentum=0.9, nesterov="no"),
     "Invalid nesterov value: 'no', expected True or False"),
    (lambda: optim.SGD([{"params": _w(), "lr": math.inf}], lr=0.1),
     "parameter group 0: Invalid learning rate: inf"),
    (lambda: optim.Adam(_w(), lr=math.inf), "Invalid learning rate: inf"),
    (lambda: optim.Adam(_w(), eps=math.inf), "Invalid epsilon value: inf"),
    (lambda: optim.Adam(_w(), weight_decay=math.inf), "Invalid weight_decay value: inf"),
    (lambda: optim.AdamW(_w(), lr=math.inf), "Invalid learning rate: inf"),
    (lambda: optim.AdamW(_w(), weight_decay=math.inf), "Invalid weight_decay value: inf"),
    (lambda: optim.StepDecay(make_groups_opt(), step_size=3, gamma=math.inf),
     "Invalid gamma: inf"),
    (lambda: optim.StepDecay(make_groups_opt(), step_size=True), "Invalid step_size: True"),
    (lambda: optim.StepDecay(make_groups_opt(), step_size=2.0), "Invalid step_size: 2.0"),
])
def test_infinite_or_out_of_range_hyperparameters_are_refused(make, message):
    with pytest.raises(ValueError, match=message):
        make()


@pytest.mark.parametrize("schedule", [optim.ExponentialDecay, optim.InverseTimeDecay])
def test_infinite_decay_rate_is_refused(schedule):
    # inf·0 is nan: η(0) would be nan for both formulas
    opt = make_groups_opt([0.1])
    with pytest.raises(ValueError, match="Invalid decay_rate: inf, expected a finite number"):
        schedule(opt, decay_rate=math.inf)
    assert opt.param_groups[0]["lr"] == 0.1


def test_step_size_may_be_a_numpy_integer():
    sched = optim.StepDecay(make_groups_opt([0.1]), step_size=np.int64(2), gamma=0.5)
    assert type(sched.step_size) is int and sched.step_size == 2
    sched.step()
    sched.step()
    assert sched.get_last_lr() == [0.05]


def test_lambda_schedule_giving_nan_is_refused_and_changes_nothing():
    opt = make_groups_opt([0.1, 0.03])
    with pytest.raises(ValueError, match=r"Invalid learning rate of group 0 at t=0: nan"):
        optim.LambdaDecay(opt, lambda t: float("nan"))
    assert [g["lr"] for g in opt.param_groups] == [0.1, 0.03]
    sched = optim.LambdaDecay(opt, lambda t: 1.0 if t < 2 else -1.0)
    sched.step()
    with pytest.raises(ValueError, match=r"Invalid learning rate of group 0 at t=2: -0.1"):
        sched.step()
    assert sched.t == 1 and sched.get_last_lr() == [0.1, 0.03]
    assert [g["lr"] for g in opt.param_groups] == [0.1, 0.03]


# ------------------------------------------------------------------ trust: load_state_dict
SCHEDULE_STATES = {
    "step_size_0": (lambda o: optim.StepDecay(o, 3, 0.5), dict(step_size=0),
                    "Invalid step_size: 0, expected an integer >= 1"),
    "step_size_str": (lambda o: optim.StepDecay(o, 3, 0.5), dict(step_size="3"),
                      "Invalid step_size: '3'"),
    "gamma_nan": (lambda o: optim.StepDecay(o, 3, 0.5), dict(gamma=float("nan")),
                  "Invalid gamma: nan"),
    "last_epoch_three": (lambda o: optim.StepDecay(o, 3, 0.5), dict(last_epoch="three"),
                         "Invalid last_epoch: 'three', expected an integer >= 0"),
    "last_epoch_negative": (lambda o: optim.StepDecay(o, 3, 0.5), dict(last_epoch=-1),
                            "Invalid last_epoch: -1"),
    "exponential_inf": (lambda o: optim.ExponentialDecay(o, 0.1), dict(decay_rate=math.inf),
                        "Invalid decay_rate: inf"),
    "inverse_time_inf": (lambda o: optim.InverseTimeDecay(o, 0.1), dict(decay_rate=math.inf),
                         "Invalid decay_rate: inf"),
    "inverse_time_negative": (lambda o: optim.InverseTimeDecay(o, 0.1), dict(decay_rate=-1.0),
                              "Invalid decay_rate: -1.0"),
    "base_lr_nan": (lambda o: optim.InverseTimeDecay(o, 0.1), dict(base_lrs=[float("nan"), 0.1]),
                    "Invalid initial lr of group 0: nan"),
    "base_lrs_str": (lambda o: optim.InverseTimeDecay(o, 0.1), dict(base_lrs="ab"),
                     "base_lrs must be a list of 2 numbers, got 'ab'"),
    "lambda_nan_at_t": (lambda o: optim.LambdaDecay(o, lambda t: 1.0 if t < 5 else math.nan),
                        dict(last_epoch=7), "Invalid learning rate of group 0 at t=7: nan"),
}


@pytest.mark.parametrize("case", list(SCHEDULE_STATES))
def test_schedule_load_state_dict_checks_every_entry_first(case):
    make, edit, message = SCHEDULE_STATES[case]
    opt = make_groups_opt()
    sched = make(opt)
    sched.step()
    bad = {**sched.state_dict(), **edit}
    before = (dict(vars(sched)), [g["lr"] for g in opt.param_groups])
    with pytest.raises(ValueError, match=f"{type(sched).__name__} state_dict: {message}"):
        sched.load_state_dict(bad)
    assert (dict(vars(sched)), [g["lr"] for g in opt.param_groups]) == before


def _adam_with_state():
    params = [Tensor(np.ones(2), requires_grad=True), Tensor(np.ones(3), requires_grad=True)]
    opt = optim.Adam(params, lr=0.1)
    (params[0].sum() + params[1].sum()).backward()
    opt.step()
    return params, opt


ADAM_STATES = {
    "step_three": (lambda s: s["state"][0].update(step="three"),
                   "state of parameter 0: Invalid step: 'three', expected an integer >= 0"),
    "step_negative": (lambda s: s["state"][1].update(step=-1),
                      "state of parameter 1: Invalid step: -1"),
    "step_float": (lambda s: s["state"][1].update(step=1.0),
                   "state of parameter 1: Invalid step: 1.0"),
    "exp_avg_scalar": (lambda s: s["state"][0].update(exp_avg=0.5),
                       r"state 'exp_avg' of parameter 0 is a float, expected an array of shape "
                       r"\(2,\)"),
    "exp_avg_nan": (lambda s: s["state"][0]["exp_avg"].__setitem__(0, np.nan),
                    "state 'exp_avg' of parameter 0 has non-finite values"),
    "exp_avg_strings": (lambda s: s["state"][0].update(exp_avg=np.array(["a", "b"])),
                        "state 'exp_avg' of parameter 0 has dtype <U1, expected numbers"),
    "entry_not_dict": (lambda s: s["state"].update({0: 3}),
                       "state of parameter 0 is a int, expected a dict"),
    "betas_inf": (lambda s: s["param_groups"][0].update(betas=(0.9, math.inf)),
                  "parameter group 0: Invalid beta parameter at index 1: inf"),
    "eps_inf": (lambda s: s["param_groups"][0].update(eps=math.inf),
                "parameter group 0: Invalid epsilon value: inf"),
    "lr_inf": (lambda s: s["param_groups"][0].update(lr=math.inf),
               "parameter group 0: Invalid learning rate: inf"),
    "params_strings": (lambda s: s["param_groups"][0].update(params=["a", "b"]),
                       r"parameter group 0 lists \['a', 'b'\]"),
    "params_repeated": (lambda s: s["param_groups"][0].update(params=[0, 0]),
                        r"parameter group 0 lists \[0, 0\]"),
    "group_not_dict": (lambda s: s["param_groups"].__setitem__(0, [0, 1]),
                       "parameter group 0 of the state_dict is a list, expected a dict"),
}


@pytest.mark.parametrize("case", list(ADAM_STATES))
def test_optimizer_load_state_dict_checks_every_entry_first(case):
    edit, message = ADAM_STATES[case]
    params, opt = _adam_with_state()
    bad = copy.deepcopy(opt.state_dict())
    edit(bad)
    before = _snapshot(params, opt)
    with pytest.raises(ValueError, match=message):
        opt.load_state_dict(bad)
    assert _snapshot(params, opt) == before


@pytest.mark.parametrize("edit, message", [
    (lambda g: g.update(nesterov="no"), "parameter group 0: Invalid nesterov value: 'no'"),
    (lambda g: g.update(momentum=float("nan")), "parameter group 0: Invalid momentum value: nan"),
    (lambda g: g.update(dampening=math.inf), "parameter group 0: Invalid dampening value: inf"),
])
def test_sgd_load_state_dict_checks_hyperparameters(edit, message):
    params, opt = _sgd_with_state()
    bad = copy.deepcopy(opt.state_dict())
    edit(bad["param_groups"][0])
    before = _snapshot(params, opt)
    with pytest.raises(ValueError, match=message):
        opt.load_state_dict(bad)
    assert _snapshot(params, opt) == before


def test_load_state_dict_maps_state_through_the_groups_indices():
    # as in PyTorch, a group's `params` say which saved index is which parameter
    params, opt = _sgd_with_state()
    saved = opt.state_dict()
    saved["param_groups"][0]["params"] = [7, 3]
    saved["state"] = {7: {"momentum_buffer": np.full(2, 5.0)},
                      3: {"momentum_buffer": np.full(3, 6.0)}}
    opt.load_state_dict(saved)
    assert opt.state[params[0]]["momentum_buffer"].tolist() == [5.0, 5.0]
    assert opt.state[params[1]]["momentum_buffer"].tolist() == [6.0, 6.0, 6.0]
    saved["state"][0] = saved["state"].pop(7)
    with pytest.raises(ValueError, match=r"state for parameter 0, but the parameter groups "
                                         r"list the indices \[7, 3\]"):
        opt.load_state_dict(saved)
