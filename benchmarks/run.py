"""`make bench`: chainrule against a hand-written numpy floor, in one process.

Each timed workload alternates a chainrule step and a numpy step on the same data, same dtype
and same BLAS thread setting, and reports medians over many steps after a warm-up. The table
is printed and written to benchmarks/results.json.

    python benchmarks/run.py [--quick] [--threads N] [--out PATH]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any, Callable, Optional

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import nn  # noqa: E402
import optim  # noqa: E402
from autograd import Tensor, no_grad  # noqa: E402
from numpy_cnn import NumpyCNN  # noqa: E402
from numpy_mlp import NumpyMLP  # noqa: E402

try:  # optional: a PyTorch column where it happens to be installed
    import torch
except ImportError:
    torch = None


# ---------------------------------------------------------------------- timing helpers
def alternate(a: Callable[[], Any], b: Callable[[], Any], steps: int, warmup: int) -> tuple:
    """Median seconds of a() and of b(), timed alternately so both see the same machine."""
    ta: list = []
    tb: list = []
    for i in range(warmup + steps):
        t0 = time.perf_counter()
        a()
        t1 = time.perf_counter()
        b()
        t2 = time.perf_counter()
        if i >= warmup:
            ta.append(t1 - t0)
            tb.append(t2 - t1)
    return statistics.median(ta), statistics.median(tb)


def median_time(fn: Callable[[], Any], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


# ---------------------------------------------------------------------- MLP workloads
def make_mlp(sizes: list, activation: str, dtype: Any, batch: int, seed: int = 0,
             batches: int = 16) -> tuple:
    """A chainrule model, the numpy floor with the same weights, and a pool of batches.

    Steps cycle through the pool at a modest learning rate, as training does: hammering one
    batch would make the network memorise it until its activations saturate and numpy falls
    into slow underflow paths, which measures neither side fairly.
    """
    rng = np.random.default_rng(seed)
    model = nn.MLP(sizes, activation=activation, rng=rng, dtype=dtype)
    layers = [m for m in model.layers if isinstance(m, nn.Linear)]
    floor = NumpyMLP([m.weight.data for m in layers], [m.bias.data for m in layers],
                     activation)
    pool = [(rng.random((batch, sizes[0])).astype(dtype), rng.integers(0, sizes[-1], batch))
            for _ in range(batches)]
    return model, floor, pool


LR = 0.01


def cycling(step: Callable[[np.ndarray, np.ndarray], Any], pool: list) -> Callable[[], None]:
    """A no-argument step that takes the next batch of the pool each call."""
    state = {"i": 0}

    def run() -> None:
        X, y = pool[state["i"] % len(pool)]
        state["i"] += 1
        step(X, y)

    return run


def chainrule_step(model: nn.Module, opt: optim.Optimizer,
                   loss_fn: nn.Module) -> Callable[[np.ndarray, np.ndarray], None]:
    def step(X: np.ndarray, y: np.ndarray) -> None:
        opt.zero_grad()
        loss_fn(model(X), y).backward()
        opt.step()

    return step


def check_same_gradients(model: nn.Module, floor: NumpyMLP, X: np.ndarray, y: np.ndarray) -> float:
    """Once, before timing: chainrule's gradients equal the hand-derived ones."""
    model.zero_grad()
    nn.SoftmaxCrossEntropy()(model(X), y).backward()
    _, dW, db = floor.gradients(X, y)
    layers = [m for m in model.layers if isinstance(m, nn.Linear)]
    worst = 0.0
    for layer, gW, gb in zip(layers, dW, db):
        worst = max(worst, float(np.abs(layer.weight.grad.data - gW).max()),
                    float(np.abs(layer.bias.grad.data - gb).max()))
    tol = 1e-5 if X.dtype == np.float32 else 1e-12
    if worst > tol:
        raise AssertionError(f"chainrule and numpy gradients differ by {worst}")
    model.zero_grad()
    return worst


def torch_step(sizes: list, activation: str, dtype: Any
               ) -> Optional[Callable[[np.ndarray, np.ndarray], None]]:
    if torch is None:
        return None
    tdtype = torch.float32 if dtype == np.float32 else torch.float64
    layers: list = []
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(torch.nn.Linear(a, b, dtype=tdtype))
        if i < len(sizes) - 2:
            layers.append(torch.nn.Sigmoid() if activation == "sigmoid" else torch.nn.Tanh())
    model = torch.nn.Sequential(*layers)
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    loss_fn = torch.nn.CrossEntropyLoss()

    def step(X: np.ndarray, y: np.ndarray) -> None:
        opt.zero_grad()
        loss_fn(model(torch.from_numpy(X)), torch.from_numpy(y)).backward()
        opt.step()

    return step


def bench_mlp(name: str, sizes: list, activation: str, dtype: Any, batch: int, steps: int,
              target: float) -> dict:
    model, floor, pool = make_mlp(sizes, activation, dtype, batch)
    err = check_same_gradients(model, floor, *pool[0])
    opt = optim.SGD(model.parameters(), lr=LR)
    ours = cycling(chainrule_step(model, opt, nn.SoftmaxCrossEntropy()), pool)
    theirs = cycling(lambda X, y: floor.step(X, y, LR), pool)
    t_ours, t_numpy = alternate(ours, theirs, steps, warmup=max(20, steps // 10))
    row = {"workload": name, "chainrule_us": t_ours * 1e6, "numpy_us": t_numpy * 1e6,
           "ratio": t_ours / t_numpy, "target": f"<= {target}", "met": t_ours / t_numpy <= target,
           "gradient_max_abs_diff": err}
    tstep = torch_step(sizes, activation, dtype)
    if tstep is not None:
        t_torch, t_np2 = alternate(cycling(tstep, pool), theirs, steps,
                                   warmup=max(20, steps // 10))
        row["torch_ratio"] = t_torch / t_np2
    return row


def bench_inference(steps: int) -> dict:
    model, floor, pool = make_mlp([784, 256, 10], "sigmoid", np.float32, 128)
    X = pool[0][0]

    def ours() -> None:
        with no_grad():
            model(X)

    t_ours, t_numpy = alternate(ours, lambda: floor.predict(X), steps, warmup=20)
    return {"workload": "inference: no_grad forward 784-256-10, batch 128, float32",
            "chainrule_us": t_ours * 1e6, "numpy_us": t_numpy * 1e6, "ratio": t_ours / t_numpy,
            "target": "<= 1.02", "met": t_ours / t_numpy <= 1.02}


# ---------------------------------------------------------------------- ConvNet workload
CNN_NAME = "LeNet-style CNN step: 1x28x28, batch 64, float32"
CNN_MEMORY_NAME = "memory: peak of one LeNet-style CNN step (tracemalloc)"


def make_cnn(batch: int = 64, seed: int = 0, batches: int = 16, dtype: Any = np.float32
             ) -> tuple:
    """The LeNet-style chainrule model, the numpy floor with the same weights, a pool of
    batches.

    conv 1→8 5×5 pad 2, ReLU, max pool 2, conv 8→16 5×5, ReLU, max pool 2, flatten (400),
    Linear 400→64, ReLU, Linear 64→10. The images are random strokes on a blank 4-pixel
    frame, as MNIST's digits sit: the first convolution then sees all-zero windows, whose
    outputs tie exactly in max pool, so the gradient check covers the rule for ties too.
    """
    Conv2d, MaxPool2d, Flatten = nn.Conv2d, nn.MaxPool2d, nn.Flatten
    rng = np.random.default_rng(seed)
    model = nn.Sequential(
        Conv2d(1, 8, 5, padding=2, rng=rng, dtype=dtype), nn.ReLU(), MaxPool2d(2),
        Conv2d(8, 16, 5, rng=rng, dtype=dtype), nn.ReLU(), MaxPool2d(2), Flatten(),
        nn.Linear(400, 64, rng=rng, dtype=dtype), nn.ReLU(), nn.Linear(64, 10, rng=rng,
                                                                        dtype=dtype))
    layers = cnn_weighted_layers(model)
    floor = NumpyCNN([m.weight.data for m in layers], [m.bias.data for m in layers])
    pool = []
    for _ in range(batches):
        X = np.zeros((batch, 1, 28, 28), dtype=dtype)
        X[:, :, 4:24, 4:24] = rng.random((batch, 1, 20, 20))
        pool.append((X, rng.integers(0, 10, batch)))
    return model, floor, pool


def cnn_weighted_layers(model: nn.Module) -> list:
    """The two Conv2d and the two Linear layers of make_cnn's model, in order."""
    return [m for _, m in model.named_children() if getattr(m, "weight", None) is not None]


def check_same_cnn_gradients(model: nn.Module, floor: NumpyCNN, X: np.ndarray,
                             y: np.ndarray) -> float:
    """Once, before timing: chainrule's ConvNet gradients equal the hand-derived ones.
    Returns the worst difference relative to the largest entry of its gradient."""
    model.zero_grad()
    nn.SoftmaxCrossEntropy()(model(X), y).backward()
    _, dW, db = floor.gradients(X, y)
    worst = 0.0
    for layer, gW, gb in zip(cnn_weighted_layers(model), dW, db):
        for ours, theirs in ((layer.weight.grad.data, gW), (layer.bias.grad.data, gb)):
            if ours.shape != theirs.shape:
                raise AssertionError(f"gradient shapes differ: {ours.shape} vs {theirs.shape}")
            scale = max(float(np.abs(theirs).max()), 1e-30)
            worst = max(worst, float(np.abs(ours - theirs).max()) / scale)
    tol = 1e-4 if X.dtype == np.float32 else 1e-10
    if not worst <= tol:
        raise AssertionError(f"chainrule and numpy ConvNet gradients differ by {worst} "
                             f"(relative to each gradient's largest entry)")
    model.zero_grad()
    return worst


def torch_cnn_step(model: nn.Module) -> Optional[Callable[[np.ndarray, np.ndarray], None]]:
    """PyTorch's equivalent model, starting from the chainrule model's weights."""
    if torch is None:
        return None
    tnn = torch.nn
    twin = tnn.Sequential(
        tnn.Conv2d(1, 8, 5, padding=2), tnn.ReLU(), tnn.MaxPool2d(2),
        tnn.Conv2d(8, 16, 5), tnn.ReLU(), tnn.MaxPool2d(2), tnn.Flatten(),
        tnn.Linear(400, 64), tnn.ReLU(), tnn.Linear(64, 10))
    ours = cnn_weighted_layers(model)
    theirs = [m for m in twin if isinstance(m, (tnn.Conv2d, tnn.Linear))]
    with torch.no_grad():
        for a, b in zip(ours, theirs):
            w = a.weight.data if isinstance(b, tnn.Conv2d) else a.weight.data.T  # (out, in)
            b.weight.copy_(torch.from_numpy(np.ascontiguousarray(w)))
            b.bias.copy_(torch.from_numpy(a.bias.data))
    opt = torch.optim.SGD(twin.parameters(), lr=LR)
    loss_fn = tnn.CrossEntropyLoss()

    def step(X: np.ndarray, y: np.ndarray) -> None:
        opt.zero_grad()
        loss_fn(twin(torch.from_numpy(X)), torch.from_numpy(y)).backward()
        opt.step()

    return step


def bench_cnn(steps: int, threads: int, target: float = 1.15,
              torch_target: float = 1.5) -> dict:
    model, floor, pool = make_cnn()
    err = check_same_cnn_gradients(model, floor, *pool[0])
    opt = optim.SGD(model.parameters(), lr=LR)
    ours = cycling(chainrule_step(model, opt, nn.SoftmaxCrossEntropy()), pool)
    theirs = cycling(lambda X, y: floor.step(X, y, LR), pool)
    warmup = max(3, steps // 10)
    t_ours, t_numpy = alternate(ours, theirs, steps, warmup=warmup)
    ratio = t_ours / t_numpy
    row = {"workload": CNN_NAME, "chainrule_us": t_ours * 1e6, "numpy_us": t_numpy * 1e6,
           "ratio": ratio, "target": f"<= {target}", "met": ratio <= target,
           "gradient_max_rel_diff": err}
    tstep = torch_cnn_step(model)
    if tstep is not None:
        before = torch.get_num_threads()
        torch.set_num_threads(threads)  # the same thread setting as numpy's BLAS
        try:
            t_torch, t_np2 = alternate(cycling(tstep, pool), theirs, steps, warmup=warmup)
        finally:
            torch.set_num_threads(before)
        row["torch_ratio"] = t_torch / t_np2
        vs_torch = ratio / row["torch_ratio"]
        row["chainrule_torch_ratio"] = vs_torch
        row["note"] = (f"chainrule/PyTorch {vs_torch:.2f} (target <= {torch_target} x PyTorch: "
                       f"{'yes' if vs_torch <= torch_target else 'NO'})")
    return row


def bench_cnn_peak_memory(target: float = 1.5) -> dict:
    model, floor, pool = make_cnn()
    X, y = pool[0]
    ours = chainrule_step(model, optim.SGD(model.parameters(), lr=LR), nn.SoftmaxCrossEntropy())
    p_ours = peak_bytes(lambda: ours(X, y))
    p_numpy = peak_bytes(lambda: floor.step(X, y, LR))
    return {"workload": CNN_MEMORY_NAME,
            "chainrule_us": None, "numpy_us": None, "ratio": p_ours / p_numpy,
            "value": f"{p_ours / 2**20:.2f} MB vs {p_numpy / 2**20:.2f} MB",
            "target": f"<= {target}", "met": p_ours / p_numpy <= target}


# ---------------------------------------------------------------------- engine overhead
def link_tensors(shape: tuple = (16,)) -> tuple:
    """x (a leaf that requires grad), c and d of the chain's links `y = y * c + d`."""
    x = Tensor(np.ones(shape, dtype=np.float32), requires_grad=True)
    c = Tensor(np.full(shape, 1.0001, dtype=np.float32))
    d = Tensor(np.full(shape, 1e-4, dtype=np.float32))
    return x, c, d


def chain(n: int, shape: tuple = (16,)) -> tuple:
    """Forward and backward through n links of `x * c + d` (2n recorded ops)."""
    x, c, d = link_tensors(shape)
    t0 = time.perf_counter()
    y = x
    for _ in range(n):
        y = y * c + d
    t1 = time.perf_counter()
    y.sum().backward()
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1


def torch_chain(n: int, shape: tuple = (16,)) -> float:
    """Seconds for the same chain in PyTorch eager (forward and backward)."""
    x = torch.ones(shape, dtype=torch.float32, requires_grad=True)
    c = torch.full(shape, 1.0001, dtype=torch.float32)
    d = torch.full(shape, 1e-4, dtype=torch.float32)
    t0 = time.perf_counter()
    y = x
    for _ in range(n):
        y = y * c + d
    y.sum().backward()
    return time.perf_counter() - t0


def bench_per_op(repeats: int) -> dict:
    n = 10_000
    totals, theirs = [], []
    for _ in range(repeats):  # alternating with torch's chain where torch is installed
        forward, backward = chain(n)
        totals.append(forward + backward)
        if torch is not None:
            theirs.append(torch_chain(n))
    a = np.ones(16, dtype=np.float32)
    bare = median_time(lambda: [a * a for _ in range(1000)], 20) / 1000
    per_op = statistics.median(totals) / (2 * n)
    row = {"workload": "per-op overhead: 10,000 links of x*c+d on (16,), forward+backward",
           "chainrule_us": per_op * 1e6, "numpy_us": bare * 1e6, "ratio": per_op / bare,
           "target": "<= 3 us per op", "met": per_op * 1e6 <= 3.0,
           "note": f"{statistics.median(totals) / n * 1e6:.2f} us per x*c+d link; numpy column: "
                   "one bare numpy multiply"}
    if theirs:
        torch_per_op = statistics.median(theirs) / (2 * n)
        row["torch_ratio"] = torch_per_op / bare
        row["met"] = row["met"] and per_op < torch_per_op
        row["note"] += f"; PyTorch eager {torch_per_op * 1e6:.2f} us per op"
    return row


def backward_time(n: int) -> float:
    """Seconds for backward through a chain of n multiplications."""
    x = Tensor(np.ones(4), requires_grad=True)
    y = x
    for _ in range(n):
        y = y * 1.0
    root = y.sum()
    t0 = time.perf_counter()
    root.backward()
    return time.perf_counter() - t0


def bench_deep_graph(repeats: int) -> dict:
    # interleaved, so that a machine that speeds up or slows down affects both sizes alike
    small, large = [], []
    for _ in range(repeats):
        small.append(backward_time(10_000))
        large.append(backward_time(100_000))
        small.append(backward_time(10_000))
    t_small, t_large = statistics.median(small), statistics.median(large)
    return {"workload": "deep graph: backward through a 10^5-node chain vs 10^4",
            "chainrule_us": t_large * 1e6, "numpy_us": t_small * 1e6,
            "ratio": t_large / t_small, "target": "<= 11 (linear)", "met": t_large / t_small <= 11,
            "note": "chainrule column: 10^5 nodes; numpy column: 10^4 nodes (both chainrule)"}


# ---------------------------------------------------------------------- memory
def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def bench_rss(total_steps: int) -> dict:
    model, _, pool = make_mlp([64, 32, 10], "sigmoid", np.float32, 32)
    step = cycling(chainrule_step(model, optim.SGD(model.parameters(), lr=LR, momentum=0.9),
                                  nn.SoftmaxCrossEntropy()), pool)
    checkpoint = total_steps // 10
    rss_at = {}
    for i in range(1, total_steps + 1):
        step()
        if i in (checkpoint, total_steps):
            gc.collect()
            rss_at[i] = rss_bytes()
    growth = (rss_at[total_steps] - rss_at[checkpoint]) / 2**20
    return {"workload": f"memory: RSS after {total_steps:,} small-MLP steps minus after "
                        f"{checkpoint:,}", "chainrule_us": None, "numpy_us": None,
            "ratio": None, "value": f"{growth:+.2f} MB", "target": "within 5 MB",
            "met": abs(growth) <= 5}


def peak_bytes(fn: Callable[[], Any]) -> int:
    fn()  # warm: optimizer state, caches
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def bench_peak_memory() -> dict:
    model, floor, pool = make_mlp([784, 256, 10], "sigmoid", np.float32, 128)
    X, y = pool[0]
    ours = chainrule_step(model, optim.SGD(model.parameters(), lr=LR), nn.SoftmaxCrossEntropy())
    p_ours = peak_bytes(lambda: ours(X, y))
    p_numpy = peak_bytes(lambda: floor.step(X, y, LR))
    return {"workload": "memory: peak of one 784-256-10 step (tracemalloc)",
            "chainrule_us": None, "numpy_us": None, "ratio": p_ours / p_numpy,
            "value": f"{p_ours / 2**20:.2f} MB vs {p_numpy / 2**20:.2f} MB",
            "target": "<= 1.3", "met": p_ours / p_numpy <= 1.3}


# ---------------------------------------------------------------------- report
def blas_info() -> str:
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "threadpoolctl not installed"
    infos = [f"{i.get('internal_api')} {i.get('version')} ({i.get('architecture')}, "
             f"{i.get('num_threads')} threads)" for i in threadpool_info()
             if i.get("user_api") == "blas"]
    return "; ".join(infos) or "no BLAS found"


def main(argv: Optional[list] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer steps (a smoke run)")
    parser.add_argument("--threads", type=int, default=1,
                        help="BLAS threads for both sides (default 1: steadiest timings)")
    parser.add_argument("--out", type=Path,
                        default=Path(__file__).resolve().parent / "results.json")
    args = parser.parse_args(argv)
    scale = 0.1 if args.quick else 1.0

    limiter = None
    try:
        from threadpoolctl import threadpool_limits

        limiter = threadpool_limits(limits=args.threads, user_api="blas")
    except ImportError:
        pass

    rows = [
        bench_mlp("MNIST-sized MLP step: 784-256-10 sigmoid, batch 128, float32",
                  [784, 256, 10], "sigmoid", np.float32, 128, int(400 * scale) or 20, 1.05),
        bench_mlp("small MLP step: 64-32-10 sigmoid, batch 32, float32",
                  [64, 32, 10], "sigmoid", np.float32, 32, int(3000 * scale), 1.5),
        bench_mlp("toy MLP step: 2-16-16-2 tanh, batch 100, float64",
                  [2, 16, 16, 2], "tanh", np.float64, 100, int(3000 * scale), 1.5),
        bench_per_op(repeats=max(3, int(11 * scale))),
        bench_deep_graph(repeats=max(3, int(7 * scale))),
        bench_inference(int(400 * scale) or 20),
        bench_rss(int(10_000 * scale)),
        bench_peak_memory(),
    ]
    rows.insert(3, bench_cnn(int(100 * scale) or 10, args.threads))
    rows.append(bench_cnn_peak_memory())
    if limiter is not None:
        limiter.restore_original_limits()

    settings = {"python": platform.python_version(), "numpy": np.__version__,
                "machine": platform.machine(), "cpus": os.cpu_count(),
                "blas_threads": args.threads, "blas": blas_info(),
                "torch": None if torch is None else torch.__version__,
                "quick": args.quick}
    print(f"chainrule benchmarks — python {settings['python']}, numpy {settings['numpy']}, "
          f"{settings['blas']}, BLAS threads {args.threads}")
    header = f"{'workload':66s} {'chainrule':>11s} {'numpy':>11s} {'ratio':>7s} " \
             f"{'target':>15s}  met"
    if torch is not None:
        header += "   torch/numpy"
    print(header)
    for row in rows:
        ours = "" if row["chainrule_us"] is None else f"{row['chainrule_us']:9.1f}us"
        floor = "" if row["numpy_us"] is None else f"{row['numpy_us']:9.1f}us"
        ratio = row.get("value") if row["ratio"] is None else f"{row['ratio']:7.2f}"
        line = (f"{row['workload'][:66]:66s} {ours:>11s} {floor:>11s} {ratio:>7s} "
                f"{row['target']:>15s}  {'yes' if row['met'] else 'NO'}")
        if "torch_ratio" in row:
            line += f"   {row['torch_ratio']:.2f}"
        print(line)
        if "value" in row and row["ratio"] is not None:
            print(f"{'':66s} ({row['value']})")
        if "note" in row:
            print(f"{'':4s}{row['note']}")
    args.out.write_text(json.dumps({"settings": settings, "results": rows}, indent=2) + "\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
