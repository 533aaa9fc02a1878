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

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import breakdown  # noqa: E402
import compare  # noqa: E402
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


def test_quick_bench_writes_every_row(tmp_path, capsys) -> None:
    out = tmp_path / "results.json"
    assert run.main(["--quick", "--out", str(out)]) == 0
    results = json.loads(out.read_text())["results"]
    assert len(results) == 8
    assert all(isinstance(row["met"], bool) and row["target"] for row in results)
    table = capsys.readouterr().out
    assert "MNIST-sized" in table and "per-op overhead" in table and "peak" in table


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


def test_compare_loads_two_checkouts_side_by_side(capsys) -> None:
    # this tree against itself: both sets of modules load and every workload runs
    assert compare.main([str(BENCHMARKS.parent), "--rounds", "1", "--quick"]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("round")]
    assert len(lines) == 3 and all("this/other" in line for line in lines)
