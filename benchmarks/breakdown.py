"""`make breakdown`: where a chainrule training step spends its time, beside the numpy floor.

    python benchmarks/breakdown.py [--steps N]

1. The phases of the small and the MNIST-sized step (forward with the loss, backward,
   optimizer) beside the hand-written numpy step, timed alternately, medians.
2. Python's price of the graph on this machine: one op recorded, one op not recorded (as
   under no_grad), one backward node (whose formula runs on arrays), against the bare numpy
   call.
3. The small step's functions by their own time (cProfile; times are inflated by the
   profiler, the calls per step are exact).
4. The Python bytecodes one small step executes, chainrule's beside the numpy step's, and
   where chainrule's are (counted with sys.settrace: exact and repeatable, whatever else the
   machine is doing, so a change's effect on Python's share can be seen without timing).
5. The bytecodes of one `x * c + d` link of a long chain, forward and backward (the
   engine's price per pair of ops).
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import gc
import pstats
import statistics
import sys
import time
import timeit
from pathlib import Path
from typing import Any, Callable

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import nn  # noqa: E402
import optim  # noqa: E402
from autograd import Tensor  # noqa: E402
from run import LR, chainrule_step, link_tensors, make_mlp  # noqa: E402


def median_us(samples: list) -> float:
    return statistics.median(samples) * 1e6


def phases(sizes: list, batch: int, steps: int) -> None:
    """Forward / backward / optimizer of chainrule, and the numpy step, in one loop."""
    model, floor, pool = make_mlp(sizes, "sigmoid", np.float32, batch)
    opt = optim.SGD(model.parameters(), lr=LR)
    loss_fn = nn.SoftmaxCrossEntropy()
    times: dict = {"forward": [], "backward": [], "optimizer": [], "numpy forward": [],
                   "numpy step": []}
    clock = time.perf_counter
    for i in range(steps + steps // 10):
        X, y = pool[i % len(pool)]
        t0 = clock()
        opt.zero_grad()
        loss = loss_fn(model(X), y)
        t1 = clock()
        loss.backward()
        t2 = clock()
        opt.step()
        t3 = clock()
        floor.forward(X)
        t4 = clock()
        floor.step(X, y, LR)
        t5 = clock()
        if i >= steps // 10:
            for key, dt in zip(times, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4)):
                times[key].append(dt)
    m = {key: median_us(v) for key, v in times.items()}
    ours = m["forward"] + m["backward"] + m["optimizer"]
    print(f"  {'-'.join(map(str, sizes))}, batch {batch}: chainrule forward {m['forward']:.0f} "
          f"+ backward {m['backward']:.0f} + optimizer {m['optimizer']:.0f} = {ours:.0f} us;  "
          f"numpy step {m['numpy step']:.0f} us (its forward without the loss "
          f"{m['numpy forward']:.0f});  ratio {ours / m['numpy step']:.2f}")


def per_op_costs(number: int) -> None:
    a = np.full(16, 1.0001, dtype=np.float32)
    x = Tensor(a, requires_grad=True)
    c = Tensor(a)

    def best(fn: Callable[[], Any]) -> float:
        return min(timeit.repeat(fn, number=number, repeat=5)) / number * 1e6

    bare, unrecorded, recorded = best(lambda: a * a), best(lambda: c * c), best(lambda: x * c)
    print(f"  bare numpy multiply (16,)          {bare:6.2f} us")
    print(f"  Tensor multiply, nothing recorded  {unrecorded:6.2f} us  (+{unrecorded - bare:.2f})")
    print(f"  Tensor multiply, recorded          {recorded:6.2f} us  (+{recorded - bare:.2f}; "
          "the output freed at once)")

    n = 10_000
    for collecting in (True, False):
        forward, backward = [], []
        for _ in range(5):
            gc.collect()
            if not collecting:
                gc.disable()
            t0 = time.perf_counter()
            y = x
            for _ in range(n):
                y = y * c
            t1 = time.perf_counter()
            gc.enable()
            y.sum().backward()
            forward.append((t1 - t0) / n)
            backward.append((time.perf_counter() - t1) / n)
        print(f"  chain of {n:,} multiplies, cyclic GC {'on ' if collecting else 'off'}: "
              f"forward {median_us(forward):5.2f} us per op, backward "
              f"{median_us(backward):5.2f} us per node (its formula: one numpy multiply)")


def top_functions(steps: int, rows: int = 18) -> None:
    model, _, pool = make_mlp([64, 32, 10], "sigmoid", np.float32, 32)
    step = chainrule_step(model, optim.SGD(model.parameters(), lr=LR), nn.SoftmaxCrossEntropy())

    def train() -> None:
        for i in range(steps):
            step(*pool[i % len(pool)])

    profiler = cProfile.Profile()
    profiler.runcall(train)
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    total_calls = sum(v[1] for v in stats.values())
    print(f"  {total_calls / steps:.0f} function calls per step (builtins included)")
    print(f"  {'calls/step':>10s} {'own us/step':>11s}  function")
    for (path, line, name), v in sorted(stats.items(), key=lambda kv: -kv[1][2])[:rows]:
        where = f"{Path(path).parent.name}/{Path(path).name}:{line}" if line else "builtin"
        print(f"  {v[1] / steps:10.1f} {v[2] / steps * 1e6:11.1f}  {name}  ({where})")


def bytecodes(step: Callable[[], None], steps: int) -> collections.Counter:
    """{(file, function): bytecodes executed} over `steps` calls of `step`."""
    counts: collections.Counter = collections.Counter()

    def tracer(frame: Any, event: str, arg: Any) -> Any:
        frame.f_trace_opcodes = True
        if event == "opcode":
            code = frame.f_code
            counts[(Path(code.co_filename).name, code.co_name)] += 1
        return tracer

    sys.settrace(tracer)
    try:
        for _ in range(steps):
            step()
    finally:
        sys.settrace(None)
    return counts


def bytecode_counts(rows: int = 15, steps: int = 10) -> None:
    model, floor, pool = make_mlp([64, 32, 10], "sigmoid", np.float32, 32)
    ours = chainrule_step(model, optim.SGD(model.parameters(), lr=LR), nn.SoftmaxCrossEntropy())
    state = {"i": 0}

    def batch() -> tuple:
        state["i"] += 1
        return pool[state["i"] % len(pool)]

    for _ in range(5):  # warm: first steps create optimizer state and caches
        ours(*batch())
    counts = bytecodes(lambda: ours(*batch()), steps)
    theirs = bytecodes(lambda: floor.step(*batch(), LR), steps)
    print(f"  chainrule {sum(counts.values()) / steps:.0f} bytecodes per step, the numpy step "
          f"{sum(theirs.values()) / steps:.0f}")
    for (name, function), n in counts.most_common(rows):
        print(f"  {n / steps:8.0f}  {function}  ({name})")


def link_bytecodes(rows: int = 8, links: int = 100) -> None:
    """One link `y = y * c + d` on (16,), forward and backward, in bytecodes: a chain of
    `links` links and its backward, divided by `links`."""
    x, c, d = link_tensors()

    def chain() -> None:
        y = x
        for _ in range(links):
            y = y * c + d
        y.sum().backward()
        x.grad = None

    chain()
    counts = bytecodes(chain, 3)
    per_link = 3 * links
    print(f"  {sum(counts.values()) / per_link:.0f} bytecodes per x*c+d link (forward and "
          "backward)")
    for (name, function), n in counts.most_common(rows):
        print(f"  {n / per_link:8.0f}  {function}  ({name})")


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=2000, help="small-model steps to time")
    args = parser.parse_args(argv)
    limiter = None
    try:
        from threadpoolctl import threadpool_limits

        limiter = threadpool_limits(limits=1, user_api="blas")  # as `make bench` times
    except ImportError:
        pass
    print("1. Phases of a training step (medians, microseconds)")
    phases([64, 32, 10], 32, args.steps)
    phases([784, 256, 10], 128, max(50, args.steps // 10))
    print("2. Python's price of the graph")
    per_op_costs(number=max(1000, 50 * args.steps))
    print("3. The small step under cProfile, by own time")
    top_functions(max(200, args.steps // 2))
    print("4. Python bytecodes of the small step (exact counts, not times)")
    bytecode_counts()
    print("5. Python bytecodes of one link of a chain (exact counts)")
    link_bytecodes()
    if limiter is not None:
        limiter.restore_original_limits()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
