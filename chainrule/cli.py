"""The `chainrule` command: `chainrule train ...` and `chainrule graph ...`.

    chainrule train --data digits --hidden 64 --epochs 20 --out out/digits
    chainrule train --data moons --hidden 16 16 --activation tanh --schedule step
    chainrule train --idx train-images.idx3-ubyte.gz train-labels.idx1-ubyte.gz
    chainrule graph --model neuron --out neuron.svg
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path
from typing import Any, Optional, Sequence

import numpy as np

import nn
import optim
from autograd import Tensor
from chainrule.training import DATA_NAMES, SCHEDULES, DataError, evaluate, load_dataset, train

ACTIVATION_NAMES = ["sigmoid", "tanh", "relu"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the `chainrule` command."""
    parser = argparse.ArgumentParser(
        prog="chainrule", description="Train small neural networks and draw their "
        "computation graphs with chainrule.")
    commands = parser.add_subparsers(dest="command", required=True)

    t = commands.add_parser("train", help="train an MLP and write its model, metrics and "
                            "pictures", formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    source = t.add_mutually_exclusive_group()
    source.add_argument("--data", choices=DATA_NAMES, default="digits",
                        help="a shipped data set (digits: 8x8 handwritten digits)")
    source.add_argument("--idx", nargs=2, metavar=("IMAGES", "LABELS"),
                        help="MNIST-style IDX files (gzipped or not) instead of --data")
    t.add_argument("--n", type=_positive_int, default=800, help="points of a toy 2-D set")
    t.add_argument("--hidden", type=_positive_int, nargs="*", default=[64],
                   help="hidden layer sizes (none: logistic regression)")
    t.add_argument("--activation", choices=ACTIVATION_NAMES, default="sigmoid")
    t.add_argument("--epochs", type=_positive_int, default=20)
    t.add_argument("--batch-size", type=_positive_int, default=32)
    t.add_argument("--lr", type=_positive_float, default=0.5, help="learning rate η0")
    t.add_argument("--momentum", type=_fraction, default=0.9)
    t.add_argument("--weight-decay", type=_non_negative_float, default=0.0,
                   help="λ: adds λ·w to each gradient (= (λ/2)·‖w‖² in the loss)")
    t.add_argument("--schedule", choices=sorted(SCHEDULES), default="none",
                   help="learning-rate decay per epoch: step η0·γ^⌊t/step⌋, exp η0·e^(−rt), "
                   "inverse η0/(1+rt)")
    t.add_argument("--step-size", type=_positive_int, default=10, help="t_u of --schedule step")
    t.add_argument("--gamma", type=_positive_float, default=0.5, help="r of --schedule step")
    t.add_argument("--decay-rate", type=_non_negative_float, default=0.1,
                   help="r (inverse) or λ (exp) of --schedule")
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--out", type=Path, default=Path("out/train"), help="output folder")
    t.add_argument("--no-progress", action="store_true", help="no progress bars")

    g = commands.add_parser("graph", help="draw the computation graph of a small model's loss",
                            formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    g.add_argument("--model", choices=["neuron", "mlp"], default="neuron",
                   help="neuron: the course's formal neuron σ(w·x + b) with a squared error; "
                   "mlp: an MLP of --sizes with softmax cross-entropy")
    g.add_argument("--sizes", type=_positive_int, nargs="+", default=[2, 3, 2])
    g.add_argument("--activation", choices=ACTIVATION_NAMES, default="sigmoid")
    g.add_argument("--batch", type=_positive_int, default=2, help="samples in the batch")
    g.add_argument("--order", action="store_true", help="number ops in backward order")
    g.add_argument("--color-by-grad", action="store_true",
                   help="colour tensors by gradient magnitude")
    g.add_argument("--seed", type=int, default=0)
    g.add_argument("--out", type=Path, default=Path("out/graph.svg"),
                   help="picture file: .svg, .png, .pdf or .dot")
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command; returns the exit status (0 on success)."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "train":
            return run_train(args)
        return run_graph(args)
    except (DataError, OSError) as error:
        print(f"chainrule: error: {error}", file=sys.stderr)
        return 1


def run_train(args: argparse.Namespace) -> int:
    """`chainrule train`: train, report, and write the model, metrics and pictures."""
    data = load_dataset(args.data, seed=args.seed, n=args.n, idx_paths=args.idx)
    sizes = [data.n_features, *args.hidden, data.n_classes]
    model = nn.MLP(sizes, activation=args.activation, rng=np.random.default_rng(args.seed))
    opt = optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum,
                    weight_decay=args.weight_decay)
    schedule = SCHEDULES[args.schedule](opt, args)
    print(f"chainrule: training MLP {sizes} ({args.activation}) on {data.name}: "
          f"{len(data.y_train)} train / {len(data.y_test)} test samples")
    history, seconds = train(model, data, opt, schedule, args.epochs, args.batch_size,
                             args.seed, on_epoch=_epoch_line(args),
                             progress=None if args.no_progress else _progress_bar())
    train_accuracy = evaluate(model, data.X_train, data.y_train)
    test_accuracy = evaluate(model, data.X_test, data.y_test)
    print(f"train accuracy {train_accuracy:.4f}   test accuracy {test_accuracy:.4f}   "
          f"time {seconds:.1f} s")

    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    files = [nn.save(model, out / "model.npz")]
    title = f"MLP {sizes} ({args.activation}) on {data.name}"
    files += _pictures(model, data, history, out, title)
    metrics = {
        "data": data.name, "sizes": sizes, "activation": args.activation,
        "epochs": args.epochs, "batch_size": args.batch_size, "lr": args.lr,
        "momentum": args.momentum, "weight_decay": args.weight_decay,
        "schedule": args.schedule, "seed": args.seed, "n": args.n,
        "idx": None if args.idx is None else [str(p) for p in args.idx],
        "train_accuracy": train_accuracy, "test_accuracy": test_accuracy,
        "final_loss": history.loss[-1], "seconds": seconds,
        "history": {"loss": history.loss, "train_accuracy": history.train_accuracy,
                    "test_accuracy": history.test_accuracy, "lr": history.lr},
    }
    metrics_path = out / "metrics.json"
    metrics_path.write_text(json.dumps(metrics, indent=2) + "\n")
    files.append(metrics_path)
    print("wrote:")
    for path in files:
        print(f"  {path}")
    return 0


def _pictures(model: nn.Module, data: Any, history: Any, out: Path, title: str) -> list:
    from autograd.viz import draw_graph
    from chainrule import plots

    files = [plots.plot_curves(history, out / "curves.png", title)]
    if data.n_features == 2:
        files.append(plots.plot_boundary(model, data, out / "boundary.png",
                                         f"decision regions: {title}"))
    if data.image_shape is not None:
        files.append(plots.plot_digits(model, data, out / "digits.png", title))
    # One training step on a small batch, drawn before backward with every gradient shown.
    loss = nn.SoftmaxCrossEntropy()(model(data.X_train[:4]), data.y_train[:4])
    graph = draw_graph(loss, module=model, compute_grads=True,
                       title=f"one training step of {title} (batch of 4)")
    files.append(_save_picture(graph, out / "graph.svg"))
    return files


def run_graph(args: argparse.Namespace) -> int:
    """`chainrule graph`: draw one small model's loss graph, every gradient shown, to a file."""
    from autograd.viz import draw_graph

    rng = np.random.default_rng(args.seed)
    if args.model == "neuron":
        x = Tensor(rng.uniform(-5, 5, 2).astype(np.float32), name="x")
        w = Tensor([1.0, 1.0], requires_grad=True, name="w")
        b = Tensor(-2.0, requires_grad=True, name="b")
        s = (w * x).sum() + b
        s.name = "s"
        y_hat = nn.functional.sigmoid(s)
        y_hat.name = "ŷ"
        loss = (y_hat - 1.0) ** 2
        loss.name = "loss"
        module = None
        title = "formal neuron ŷ = σ(wᵀx + b), loss (ŷ − 1)²"
    else:
        sizes = list(args.sizes)
        module = nn.MLP(sizes, activation=args.activation, rng=rng)
        X = rng.standard_normal((args.batch, sizes[0])).astype(np.float32)
        labels = rng.integers(0, sizes[-1], args.batch)
        loss = nn.SoftmaxCrossEntropy()(module(X), labels)
        title = f"MLP {sizes} ({args.activation}), softmax cross-entropy"
    graph = draw_graph(loss, module=module, compute_grads=True, show_order=args.order,
                       color_by_grad=args.color_by_grad, title=title)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    print(f"wrote {_save_picture(graph, args.out)}")
    return 0


def _save_picture(graph: Any, path: Path) -> Path:
    """Save a graph picture; a missing `dot` becomes one warning line, not a traceback
    (the DOT text is saved instead and its path returned)."""
    from autograd.viz import save_graph

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        saved = Path(save_graph(graph, path))
    for w in caught:
        print(f"chainrule: warning: {w.message}", file=sys.stderr)
    return saved


def _epoch_line(args: argparse.Namespace) -> Any:
    if not args.no_progress:
        return None  # the progress bar says it all

    def report(epoch: int, history: Any) -> None:
        print(f"epoch {epoch}/{args.epochs}: loss {history.loss[-1]:.4f}, "
              f"train accuracy {history.train_accuracy[-1]:.4f}, "
              f"test accuracy {history.test_accuracy[-1]:.4f}, lr {history.lr[-1]:.4g}")

    return report


def _progress_bar() -> Any:
    try:
        from tqdm import tqdm
    except ImportError:  # tqdm is an optional extra: no bars without it
        return None
    return lambda iterable, **kw: tqdm(iterable, dynamic_ncols=True, **kw)


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text}")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be > 0, got {text}")
    return value


def _non_negative_float(text: str) -> float:
    value = float(text)
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {text}")
    return value


def _fraction(text: str) -> float:
    value = float(text)
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"must be in [0, 1), got {text}")
    return value
