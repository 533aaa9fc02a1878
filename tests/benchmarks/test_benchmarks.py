"""The benchmark scripts still run and still compare like with like (no timing is asserted:
speed is measured by `make bench`, not tested)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

import nn
import optim

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import breakdown  # noqa: E402
import compare  # noqa: E402
import numpy_cnn  # noqa: E402
import run  # noqa: E402



@pytest.mark.parametrize("sizes, activation, dtype, batch", [
    ([784, 256, 10], "sigmoid", np.float32, 128),
    ([64, 32, 10], "sigmoid", np.float32, 32),
    ([2, 16, 16, 2], "tanh", np.float64, 100),
])
def test_the_numpy_floor_computes_chainrules_gradients(sizes, activation, dtype, batch) -> None:
    model, floor, pool = run.make_mlp(sizes, activation, dtype, batch)
    worst = run.check_same_gradients(model, floor, *pool[0])
    assert worst <= (1e-5 if dtype == np.float32 else 1e-12)
    # and one SGD step moves both sets of weights alike
    X, y = pool[1]
    step = run.chainrule_step(model, optim.SGD(model.parameters(), lr=0.1),
                              nn.SoftmaxCrossEntropy())
    step(X, y)
    floor.step(X, y, 0.1)
    layers = [m for m in model.layers if isinstance(m, nn.Linear)]
    for layer, W, b in zip(layers, floor.W, floor.b):
        np.testing.assert_allclose(layer.weight.data, W, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(layer.bias.data, b, rtol=1e-5, atol=1e-6)


def cnn_floor(rng: np.random.Generator, dtype=np.float64) -> numpy_cnn.NumpyCNN:
    """The floor with PyTorch-like random weights, U(±1/√fan_in)."""
    shapes = [(8, 1, 5, 5), (16, 8, 5, 5), (400, 64), (64, 10)]
    fans = [25, 200, 400, 64]
    weights = [(rng.uniform(-1, 1, s) / np.sqrt(f)).astype(dtype) for s, f in zip(shapes, fans)]
    biases = [(rng.uniform(-1, 1, s[0] if len(s) == 4 else s[1]) / np.sqrt(f)).astype(dtype)
              for s, f in zip(shapes, fans)]
    return numpy_cnn.NumpyCNN(weights, biases)


def test_the_cnn_floor_matches_finite_differences() -> None:
    # the hand-derived gradients against central differences, in float64 on a tiny batch
    rng = np.random.default_rng(1)
    floor = cnn_floor(rng)
    X, y = rng.random((2, 1, 28, 28)), np.array([3, 7])
    _, dW, db = floor.gradients(X, y)
    eps = 1e-6
    for params, grads in ((floor.W, dW), (floor.b, db)):
        for p, g in zip(params, grads):
            assert g.shape == p.shape and g.dtype == p.dtype
            for flat in rng.choice(p.size, min(12, p.size), replace=False):
                i = np.unravel_index(flat, p.shape)
                old = p[i]
                p[i] = old + eps
                up = floor.gradients(X, y)[0]
                p[i] = old - eps
                down = floor.gradients(X, y)[0]
                p[i] = old
                numeric = (up - down) / (2 * eps)
                assert abs(numeric - g[i]) <= 1e-7 * np.abs(g).max() + 1e-10, (p.shape, i)


def test_the_cnn_floor_routes_ties_to_the_first_maximum() -> None:
    # PyTorch's rule: the first maximum of each 2x2 window, in row-major order
    a = np.array([[[1., 1.], [1., 1.]], [[0., 2.], [2., 0.]], [[0., 1.], [3., 3.]]])
    a = a.reshape(3, 2, 2).transpose(1, 2, 0)[None]  # one NHWC image, 3 channels
    m, r = numpy_cnn.max_pool(a)
    routed = numpy_cnn.max_pool_backward(a, r, m, np.ones_like(m))
    assert m.ravel().tolist() == [1, 2, 3]
    assert routed[0, :, :, 0].tolist() == [[1, 0], [0, 0]]
    assert routed[0, :, :, 1].tolist() == [[0, 1], [0, 0]]
    assert routed[0, :, :, 2].tolist() == [[0, 0], [1, 0]]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_cnn_floor_computes_chainrules_gradients(dtype) -> None:
    model, floor, pool = run.make_cnn(batch=16, batches=2, dtype=dtype)
    worst = run.check_same_cnn_gradients(model, floor, *pool[0])
    assert worst <= (1e-4 if dtype == np.float32 else 1e-10)
    # and one SGD step moves both sets of weights alike
    X, y = pool[1]
    step = run.chainrule_step(model, optim.SGD(model.parameters(), lr=0.1),
                              nn.SoftmaxCrossEntropy())
    step(X, y)
    floor.step(X, y, 0.1)
    for layer, W, b in zip(run.cnn_weighted_layers(model), floor.W, floor.b):
        np.testing.assert_allclose(layer.weight.data, W, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(layer.bias.data, b, rtol=1e-5, atol=1e-6)


@pytest.mark.slow
def test_quick_bench_writes_every_row(tmp_path, capsys) -> None:
    out = tmp_path / "results.json"
    assert run.main(["--quick", "--out", str(out)]) == 0
    results = json.loads(out.read_text())["results"]
    assert len(results) == 10
    assert all(isinstance(row["met"], bool) and row["target"] for row in results)
    table = capsys.readouterr().out
    assert "MNIST-sized" in table and "per-op overhead" in table and "peak" in table
    names = [row["workload"] for row in results]
    assert run.CNN_NAME in names and run.CNN_MEMORY_NAME in names
    assert "LeNet-style CNN step" in table and "peak of one LeNet-style CNN step" in table


@pytest.mark.slow
def test_breakdown_prints_its_four_parts(capsys) -> None:
    assert breakdown.main(["--steps", "100"]) == 0
    text = capsys.readouterr().out
    assert "1. Phases" in text and "2. Python's price" in text and "3. The small step" in text
    assert "function calls per step" in text
    assert "4. Python bytecodes" in text


def test_bytecode_counts_are_exact_and_repeatable() -> None:
    # the same work executes the same bytecodes: the count is a measure that does not drift
    def work() -> None:
        total = 0
        for i in range(10):
            total += i

    first, second = breakdown.bytecodes(work, 3), breakdown.bytecodes(work, 3)
    assert first == second
    assert sum(first.values()) > 30  # ten loop iterations, each several bytecodes


@pytest.mark.slow
def test_compare_loads_two_checkouts_side_by_side(capsys) -> None:
    # this tree against itself: both sets of modules load and every workload runs
    assert compare.main([str(BENCHMARKS.parent), "--rounds", "1", "--quick"]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("round")]
    assert len(lines) == 4 and all("this/other" in line for line in lines)
