"""Memory stays flat over training: graphs are freed after each step, by reference counting
alone (no reference cycles, so nothing waits for the garbage collector)."""

import gc

import numpy as np

import nn
import optim
from autograd import Function, Tensor


def live_nodes() -> int:
    return sum(isinstance(obj, Function) for obj in gc.get_objects())


def _training_step_factory():
    rng = np.random.default_rng(0)
    model = nn.MLP([8, 16, 3], rng=rng)
    opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    X = rng.standard_normal((10, 8)).astype(np.float32)
    y = rng.integers(0, 3, 10)

    def step() -> float:
        opt.zero_grad()
        loss = nn.SoftmaxCrossEntropy()(model(X), y)
        loss.backward()
        opt.step()
        return loss.item()

    return step


def test_training_loop_does_not_grow_the_number_of_live_graph_nodes():
    step = _training_step_factory()
    for _ in range(5):
        step()
    gc.collect()
    after_5 = live_nodes()
    for _ in range(200):
        step()
    gc.collect()
    assert live_nodes() == after_5


def test_a_training_step_creates_no_reference_cycles():
    step = _training_step_factory()
    step()
    gc.collect()
    gc.disable()
    try:
        for _ in range(50):
            step()
        # everything the steps allocated was already freed by reference counting
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_backward_frees_the_saved_tensors_of_a_graph_kept_alive():
    x = Tensor(np.ones((1000, 100)), requires_grad=True)
    loss = (x.exp() * 2.0).sum()
    node = loss.grad_fn
    loss.backward()
    assert node.released
    exp_node = node.parents()[0].parents()[0]
    assert exp_node.inputs is None and exp_node._saved == ()


def test_backward_restores_the_garbage_collector_state():
    x = Tensor(np.ones(3), requires_grad=True)
    assert gc.isenabled()
    (x * 2).sum().backward()
    assert gc.isenabled()
    gc.disable()
    try:
        (x * 2).sum().backward()
        assert not gc.isenabled()
    finally:
        gc.enable()
    try:
        (x * Tensor(np.ones(4))).sum().backward()  # a bad shape raises inside forward
    except ValueError:
        pass
    y = (x * 2).sum()
    y.backward()
    try:
        y.backward()  # released graph: raises inside the pass
    except RuntimeError:
        pass
    assert gc.isenabled()
