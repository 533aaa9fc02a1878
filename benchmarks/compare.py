"""`python benchmarks/compare.py OTHER`: this tree against another checkout, in one process.

Separate processes on a shared machine differ by up to 2x on the same code, so a change's
cost is measured here by loading both versions of `autograd`, `nn` and `optim` side by side
(each import made with its own root first on sys.path, then its modules swapped into
sys.modules before each of its runs), and timing them alternately on the same work:

    git worktree add /tmp/before <commit>
    python benchmarks/compare.py /tmp/before [--rounds 5]

It prints, per round, the medians of both and the ratio this/other for a full small-MLP
training step (64-32-10 sigmoid, batch 32, float32, SGD), an MNIST-sized step (784-256-10,
batch 128), the per-op chain (x·c + d links on (16,), forward and backward) and make
bench's LeNet-style CNN step (batch 64).
"""

from __future__ import annotations

import argparse
import importlib
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable, Optional

import numpy as np

PACKAGES = ("autograd", "nn", "optim")
HERE = Path(__file__).resolve().parent.parent


def load(root: Path) -> tuple:
    """(modules, snapshot of sys.modules entries) of the packages under `root`."""
    for name in list(sys.modules):
        if name.split(".")[0] in PACKAGES:
            del sys.modules[name]
    sys.path.insert(0, str(root))
    try:
        modules = {name: importlib.import_module(name) for name in PACKAGES}
    finally:
        sys.path.remove(str(root))
    for name, module in modules.items():
        if not Path(module.__file__).resolve().is_relative_to(root.resolve()):
            raise SystemExit(f"{name} was imported from {module.__file__}, not from {root}")
    snapshot = {k: v for k, v in sys.modules.items() if k.split(".")[0] in PACKAGES}
    return modules, snapshot


def mlp_step(sizes: list, batch: int) -> Callable[[dict], Callable[[], None]]:
    """A training step on a pool of batches, as benchmarks/run.py does."""
    def make(m: dict) -> Callable[[], None]:
        rng = np.random.default_rng(0)
        model = m["nn"].MLP(sizes, activation="sigmoid", rng=rng, dtype=np.float32)
        opt = m["optim"].SGD(model.parameters(), lr=0.01)
        loss_fn = m["nn"].SoftmaxCrossEntropy()
        pool = [(m["autograd"].Tensor(rng.random((batch, sizes[0])).astype(np.float32)),
                 rng.integers(0, sizes[-1], batch)) for _ in range(16)]
        return training_step(model, opt, loss_fn, pool)
    return make


def training_step(model: Any, opt: Any, loss_fn: Any, pool: list) -> Callable[[], None]:
    """One step of the user's loop on the next batch of `pool` (cycled), each call."""
    count = [0]

    def step() -> None:
        X, y = pool[count[0] % len(pool)]
        count[0] += 1
        opt.zero_grad()
        loss_fn(model(X), y).backward()
        opt.step()
    return step


def cnn_step(batch: int) -> Callable[[dict], Callable[[], None]]:
    """make bench's LeNet-style step (benchmarks/run.py make_cnn): conv 1→8 5×5 pad 2, ReLU,
    max pool 2, conv 8→16 5×5, ReLU, max pool 2, flatten, Linear 400→64, ReLU, Linear 64→10."""
    def make(m: dict) -> Callable[[], None]:
        nn, rng, f32 = m["nn"], np.random.default_rng(0), np.float32
        model = nn.Sequential(
            nn.Conv2d(1, 8, 5, padding=2, rng=rng, dtype=f32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 5, rng=rng, dtype=f32), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
            nn.Linear(400, 64, rng=rng, dtype=f32), nn.ReLU(),
            nn.Linear(64, 10, rng=rng, dtype=f32))
        opt = m["optim"].SGD(model.parameters(), lr=0.01)
        loss_fn = nn.SoftmaxCrossEntropy()
        pool = []
        for _ in range(8):
            X = np.zeros((batch, 1, 28, 28), dtype=f32)
            X[:, :, 4:24, 4:24] = rng.random((batch, 1, 20, 20))
            pool.append((X, rng.integers(0, 10, batch)))
        return training_step(model, opt, loss_fn, pool)
    return make


def chain(links: int) -> Callable[[dict], Callable[[], None]]:
    def make(m: dict) -> Callable[[], None]:
        Tensor = m["autograd"].Tensor
        x = Tensor(np.ones(16, dtype=np.float32), requires_grad=True)
        c = Tensor(np.full(16, 1.0001, dtype=np.float32))
        d = Tensor(np.full(16, 1e-4, dtype=np.float32))

        def run() -> None:
            y = x
            for _ in range(links):
                y = y * c + d
            y.sum().backward()
            x.grad = None
        return run
    return make


def alternate(versions: list, make: Callable, repeats: int, per: int = 1) -> list:
    """Median seconds per unit for each version, runs interleaved (order flipped each
    round so that neither always goes first)."""
    runs = []
    for modules, snapshot in versions:
        sys.modules.update(snapshot)
        runs.append((snapshot, make(modules)))
    times: list = [[] for _ in runs]
    for r in range(repeats):
        order = range(len(runs)) if r % 2 == 0 else reversed(range(len(runs)))
        for k in order:
            snapshot, fn = runs[k]
            sys.modules.update(snapshot)
            t0 = time.perf_counter()
            fn()
            times[k].append(time.perf_counter() - t0)
    warm = repeats // 10
    return [statistics.median(t[warm:]) / per for t in times]


def main(argv: Optional[list] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("other", type=Path, help="a checkout of another version")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="few repeats (for tests)")
    parser.add_argument("--threads", type=int, default=1, help="BLAS threads (as make bench)")
    args = parser.parse_args(argv)
    try:  # one BLAS thread, as make bench: the other core's load must not move the figures
        from threadpoolctl import threadpool_limits

        limiter = threadpool_limits(limits=args.threads, user_api="blas")
    except ImportError:
        limiter = None
    # put the caller's modules back at the end: a test calls main() inside pytest's process
    original = {k: v for k, v in sys.modules.items() if k.split(".")[0] in PACKAGES}
    try:
        versions = [load(HERE), load(args.other)]
        run_rounds(versions, args)
    finally:
        for name in [k for k in sys.modules if k.split(".")[0] in PACKAGES]:
            del sys.modules[name]
        sys.modules.update(original)
        if limiter is not None:
            limiter.restore_original_limits()
    return 0


def run_rounds(versions: list, args: argparse.Namespace) -> None:
    """Print each round's medians and ratios."""
    scale = 10 if args.quick else 1
    workloads: list[tuple[str, Any, int, int, str]] = [
        ("small step 64-32-10, b32", mlp_step([64, 32, 10], 32), 3000 // scale, 1, "us"),
        ("MNIST-sized step 784-256-10, b128", mlp_step([784, 256, 10], 128), 300 // scale, 1,
         "us"),
        ("per-op chain, per x*c+d link", chain(1000), 200 // scale, 1000, "us"),
        ("LeNet-style CNN step, b64", cnn_step(64), 60 // scale, 1, "us"),
    ]
    print(f"this: {HERE}\nother: {args.other.resolve()}")
    for round_ in range(args.rounds):
        for name, make, repeats, per, unit in workloads:
            this, other = alternate(versions, make, repeats, per)
            print(f"round {round_ + 1}  {name:36s} this {this * 1e6:9.2f} {unit}  "
                  f"other {other * 1e6:9.2f} {unit}  this/other {this / other:.4f}")


if __name__ == "__main__":
    sys.exit(main())
