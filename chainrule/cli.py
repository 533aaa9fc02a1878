"""The `chainrule` command: `chainrule train ...` and `chainrule graph ...`.

    chainrule train --data digits --hidden 64 --epochs 20 --out out/digits
    chainrule train --data digits --model cnn --out out/cnn
    chainrule train --data mnist-sample --model lenet --out out/lenet
    chainrule train --data moons --hidden 16 16 --activation tanh --schedule step
    chainrule train --idx train-images.idx3-ubyte.gz train-labels.idx1-ubyte.gz
    chainrule graph --model neuron --out neuron.svg

How it fails, everywhere the same way, always in one line and never with a traceback:
a bad argument is argparse's `chainrule train: error: argument --lr: ...` (after the usage
line), exit 2, before anything runs; a problem found while running (a data file, an `--out`
that cannot be written, a loss that diverges) is `chainrule: error: ...`, exit 1; Ctrl-C is
`chainrule: interrupted; ...`, exit 130. In every case `--out` is left as it was: a run's
files are written into a staging folder and moved into place only once all are complete.
"""

from __future__ import annotations

import argparse
import importlib
import math
import sys
import uuid
import warnings
from pathlib import Path
from typing import Any, Callable, Optional, Sequence

import numpy as np

import nn
import optim
from autograd import Tensor
from chainrule.models import (CONV_MODELS, MODEL_NAMES, build_model, conv_layers,
                              describe_mlp, describe_model, too_small)
from chainrule.output import InterruptedAfterCommit, OutputError, Staging, write_json
from chainrule.training import (DATA_NAMES, IMAGE_SETS, SCHEDULES, DataError, Diverged,
                                epoch_figures, load_dataset, train)

__all__ = ["build_parser", "describe_mlp", "main", "run_graph", "run_train"]

ACTIVATION_NAMES = ["sigmoid", "tanh", "relu"]
PICTURE_SUFFIXES = (".svg", ".png", ".pdf", ".dot", ".gv")
# Every name `chainrule train` may write into --out: a run removes those it did not write
# itself (a 2-D run's boundary.png, graph.dot when dot was missing), so that no previous
# run's file is left beside its own.
RUN_FILES = ("model.npz", "curves.png", "boundary.png", "digits.png", "filters.png",
             "feature-maps.png", "graph.svg", "graph.dot", "metrics.json")
SUGGESTED_LR = 0.1  # what the advice after a divergence offers at most


class PerModel(dict):
    """A default that depends on --model ({model: value}); shown in --help as
    `0.5 for mlp, 0.05 for cnn and lenet`, and replaced by the model's value after parsing."""

    def __str__(self) -> str:
        groups: dict = {}
        for model, value in self.items():
            groups.setdefault(value, []).append(model)
        return ", ".join(f"{value:g} for {' and '.join(models)}"
                         for value, models in groups.items())


# mlp keeps the values it always had; a ReLU ConvNet diverges at lr 0.5 and needs fewer epochs
DEFAULT_LR = PerModel(mlp=0.5, cnn=0.05, lenet=0.02)
DEFAULT_EPOCHS = PerModel(mlp=20, cnn=10, lenet=8)
MLP_ONLY = ("hidden", "activation")  # options the ConvNets refuse: their layers are fixed


class _HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Every option's help ends with its default, written as one would type it: `64` for
    [64], `2 3 2` for [2, 3, 2], `off` for a flag, `none` for no value."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if "%(default)" in text or action.default is argparse.SUPPRESS:
            return text
        return f"{text} (default: {_typed(action.default)})".replace("%", "%%")


def _typed(value: Any) -> str:
    if value is None:
        return "none"
    if value is False:
        return "off"
    if isinstance(value, (list, tuple)):
        return " ".join(str(v) for v in value) if value else "none"
    return str(value)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the `chainrule` command."""
    parser = argparse.ArgumentParser(
        prog="chainrule", description="Train small neural networks and draw their "
        "computation graphs with chainrule.")
    commands = parser.add_subparsers(dest="command", required=True)

    t = commands.add_parser("train", help="train an MLP or a small ConvNet and write its "
                            "model, metrics and pictures", formatter_class=_HelpFormatter)
    source = t.add_mutually_exclusive_group()
    source.add_argument("--data", choices=DATA_NAMES, default="digits",
                        help="a shipped data set (digits: 8x8 handwritten digits; mnist-sample: "
                        "5,000 28x28 MNIST digits, 4,000 train / 1,000 test; the others are "
                        "2-D toy sets of --n points)")
    source.add_argument("--idx", nargs=2, metavar=("IMAGES", "LABELS"),
                        help="MNIST-style IDX files (gzipped or not) instead of --data")
    t.add_argument("--model", choices=MODEL_NAMES, default="mlp",
                   help="mlp: an MLP of --hidden layers on flat samples; cnn: conv 3x3 "
                   "1→16, ReLU, max-pool 2, conv 3x3 16→32, ReLU, max-pool 2, a dense layer "
                   "(for small images: the 8x8 digits); lenet: conv 5x5 1→8 (pad 2), ReLU, "
                   "max-pool 2, conv 5x5 8→16, ReLU, max-pool 2, dense 64, ReLU, dense (for "
                   "28x28: mnist-sample). The ConvNets need images: digits, mnist-sample or "
                   "3-D --idx files")
    t.add_argument("--n", type=_integer(2, 1_000_000), default=800,
                   help="points of a toy 2-D set")
    t.add_argument("--hidden", type=_integer(1, 10_000), nargs="*", default=[64],
                   action=_Given, help="--model mlp only: hidden layer sizes (none: logistic "
                   "regression)")
    t.add_argument("--activation", choices=ACTIVATION_NAMES, default="sigmoid",
                   action=_Given, help="--model mlp only: the activation after each hidden "
                   "layer (unused without one; the ConvNets use ReLU)")
    t.add_argument("--epochs", type=_integer(1), default=DEFAULT_EPOCHS,
                   help="passes over the training set")
    t.add_argument("--batch-size", type=_integer(1), default=32,
                   help="samples per mini-batch (one SGD step each)")
    t.add_argument("--lr", type=_number(0, low_included=False), default=DEFAULT_LR,
                   help="learning rate η0")
    t.add_argument("--momentum", type=_number(0, 1), default=0.9, help="SGD momentum")
    t.add_argument("--weight-decay", type=_number(0), default=0.0,
                   help="λ: adds λ·w to each gradient (= (λ/2)·‖w‖² in the loss)")
    t.add_argument("--schedule", choices=sorted(SCHEDULES), default="none",
                   help="learning-rate decay per epoch t (the course's formulas): step "
                   "η0·r^⌊t/t_u⌋, exp η0·e^(−λt), inverse η0/(1+r·t); none keeps η0")
    t.add_argument("--step-size", type=_integer(1), default=10,
                   help="t_u of --schedule step: epochs between two decays")
    t.add_argument("--gamma", type=_number(0, 1, low_included=False, high_included=True),
                   default=0.5, help="r of --schedule step: the factor of each decay")
    t.add_argument("--decay-rate", type=_number(0), default=0.1,
                   help="λ of --schedule exp, r of --schedule inverse")
    t.add_argument("--seed", type=_integer(0), default=0,
                   help="seed of the weights, the shuffling and the train/test split")
    t.add_argument("--out", type=Path, default=Path("out/train"), help="output folder")
    t.add_argument("--no-progress", action="store_true",
                   help="one plain line per epoch instead of a progress bar (always so when "
                   "stdout is not a terminal)")

    g = commands.add_parser("graph", help="draw the computation graph of a small model's loss",
                            formatter_class=_HelpFormatter)
    g.add_argument("--model", choices=["neuron", "mlp"], default="neuron",
                   help="neuron: the course's formal neuron σ(w·x + b) with a squared error; "
                   "mlp: an MLP of --sizes with softmax cross-entropy")
    g.add_argument("--sizes", type=_integer(1, 1_000), nargs="+", action=_LayerSizes,
                   default=[2, 3, 2], help="--model mlp: layer sizes, input first, output "
                   "last (2 sizes: no hidden layer)")
    g.add_argument("--activation", choices=ACTIVATION_NAMES, default="sigmoid",
                   help="--model mlp: the activation after each hidden layer (unused without "
                   "one)")
    g.add_argument("--batch", type=_integer(1, 1_000), default=2,
                   help="--model mlp: samples in the batch")
    g.add_argument("--order", action="store_true", help="number ops in backward order")
    g.add_argument("--color-by-grad", action="store_true",
                   help="colour tensors by gradient magnitude")
    g.add_argument("--seed", type=_integer(0), default=0,
                   help="seed of the inputs (and of --model mlp's weights and labels)")
    g.add_argument("--out", type=_picture_file, default=Path("out/graph.svg"),
                   help="picture file: .svg, .png, .pdf, .dot or .gv")
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command; returns the exit status (0 on success, 1 on an error found while
    running, 130 on Ctrl-C; argparse exits with 2 on a bad argument)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "train":
        _check_model(_command_parser(parser, "train"), args)
    try:
        if args.command == "train":
            return run_train(args)
        return run_graph(args)
    except InterruptedAfterCommit as interrupt:
        print(f"chainrule: interrupted after {interrupt}", file=sys.stderr)
        return 130
    except KeyboardInterrupt:  # before the commit: Staging threw this run's files away
        print(f"chainrule: interrupted; {args.out} was left as it was", file=sys.stderr)
        return 130
    except Diverged as diverged:
        print(f"chainrule: error: {diverged}: the learning rate {args.lr:g} is too large; "
              f"try --lr {min(args.lr / 10, SUGGESTED_LR):g}", file=sys.stderr)
        return 1
    except MemoryError:
        print("chainrule: error: out of memory: try smaller layers or less data",
              file=sys.stderr)
        return 1
    except (DataError, OutputError, OSError) as error:
        print(f"chainrule: error: {error}", file=sys.stderr)
        return 1


def run_train(args: argparse.Namespace) -> int:
    """`chainrule train`: train, report, and write the model, metrics and pictures.

    `--out` is checked first and the data next, before training; the files are written into
    a staging folder and moved into `--out` together, metrics.json last, once all exist."""
    with Staging(args.out, targets=RUN_FILES) as staging:
        conv = args.model in CONV_MODELS
        data = load_dataset(args.data, seed=args.seed, n=args.n, idx_paths=args.idx,
                            images=conv, needs=f"--model {args.model}")
        if conv and too_small(args.model, data.image_shape):
            raise DataError(f"{data.name}: {too_small(args.model, data.image_shape)}")
        sizes = None if conv else [data.n_features, *args.hidden, data.n_classes]
        model = build_model(args.model, data.sample_shape, data.n_classes, hidden=args.hidden,
                            activation=args.activation, seed=args.seed)
        opt = optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum,
                        weight_decay=args.weight_decay)
        schedule = SCHEDULES[args.schedule](opt, args)
        model_name = describe_model(args.model, sizes, args.activation)
        print(f"chainrule: training {model_name} on {data.name}: "
              f"{len(data.y_train)} train / {len(data.y_test)} test samples", flush=True)
        progress = _progress_bar(args)
        history, seconds = train(model, data, opt, schedule, args.epochs, args.batch_size,
                                 args.seed, progress=progress,
                                 on_epoch=_epoch_line(args) if progress is None else None)
        # the model after its last epoch: the history's last figures
        train_accuracy, test_accuracy = history.train_accuracy[-1], history.test_accuracy[-1]
        print(f"train accuracy {train_accuracy:.4f}   test accuracy {test_accuracy:.4f}   "
              f"time {seconds:.1f} s")

        files = [nn.save(model, staging.path / "model.npz")]
        title = f"{model_name} on {data.name}"
        files += _pictures(model, data, history, staging.path, title, shown=args.out)
        metrics = {
            "run_id": uuid.uuid4().hex, "files": [f.name for f in files] + ["metrics.json"],
            "data": data.name, "model": args.model, "sizes": sizes,
            "input_shape": list(data.sample_shape), "n_classes": data.n_classes,
            "activation": args.activation if args.hidden and not conv else None,
            "epochs": args.epochs, "batch_size": args.batch_size, "lr": args.lr,
            "momentum": args.momentum, "weight_decay": args.weight_decay,
            "schedule": args.schedule, "seed": args.seed, "n": args.n,
            "idx": None if args.idx is None else [str(p) for p in args.idx],
            "train_accuracy": train_accuracy, "test_accuracy": test_accuracy,
            "train_loss": history.train_loss[-1], "test_loss": history.test_loss[-1],
            "start_loss": history.start_loss, "seconds": seconds,
            "measured": "the model after each epoch, on the whole train and test sets",
            "history": history.as_dict(),
        }
        metrics_path = write_json(staging.path / "metrics.json", metrics)
        written = staging.commit(files, last=metrics_path, replaces=RUN_FILES)
    print("wrote:")
    for path in written:
        print(f"  {path}")
    return 0


def _pictures(model: nn.Module, data: Any, history: Any, folder: Path, title: str,
              shown: Path) -> list:
    from viz import draw_graph

    # (file, the chainrule.plots function that draws it, its arguments before path and title)
    drawings: list = [("curves.png", "plot_curves", (history,), title)]
    if data.n_features == 2:
        drawings.append(("boundary.png", "plot_boundary", (model, data),
                         f"decision regions: {title}"))
    if data.image_shape is not None:
        drawings.append(("digits.png", "plot_digits", (model, data), title))
    if conv_layers(model):
        drawings.append(("filters.png", "plot_filters", (model,), title))
        drawings.append(("feature-maps.png", "plot_feature_maps", (model, data), title))
    plots = _plots_module()
    files = []
    if plots is None:  # an install without the plots extra: the run keeps its other files
        names = [name for name, *_ in drawings]
        print(f"chainrule: warning: matplotlib is not installed, so {_listed(names)} "
              f"{'was' if len(names) == 1 else 'were'} not drawn (the model, the metrics "
              f"and the graph are still written); to draw them, install the plots extra: "
              f"pip install 'chainrule[plots]'", file=sys.stderr)
    else:
        files = [getattr(plots, function)(*arguments, folder / name, picture_title)
                 for name, function, arguments, picture_title in drawings]
    # One training step on a small batch, drawn before backward with every gradient shown
    # (a ConvNet's tensors are large: a batch of 2).
    # A ConvNet's graph has many ops per layer: drawn collapsed, one box per layer with its
    # shapes and parameter count.
    conv = bool(conv_layers(model))
    batch = 2 if conv else 4
    loss = nn.SoftmaxCrossEntropy()(model(data.X_train[:batch]), data.y_train[:batch])
    graph = draw_graph(loss, module=model, compute_grads=True, collapse=conv,
                       title=f"one training step of {title} (batch of {batch})")
    files.append(_save_picture(graph, folder / "graph.svg", shown))
    return files


def _plots_module() -> Any:
    """chainrule.plots, or None when matplotlib (the plots extra) is not installed; any other
    failed import is raised as it is."""
    try:
        return importlib.import_module("chainrule.plots")
    except ModuleNotFoundError as error:
        if (error.name or "").split(".")[0] != "matplotlib":
            raise
        return None


def _listed(names: Sequence[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def run_graph(args: argparse.Namespace) -> int:
    """`chainrule graph`: draw one small model's loss graph, every gradient shown, to a file
    (written whole: into a staging folder first, then moved into place)."""
    from viz import draw_graph

    out = args.out
    with Staging(out.parent, targets=[out.name], shown=out) as staging:
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
            title = f"{describe_mlp(sizes, args.activation)}, softmax cross-entropy"
        graph = draw_graph(loss, module=module, compute_grads=True, show_order=args.order,
                           color_by_grad=args.color_by_grad, title=title)
        saved = _save_picture(graph, staging.path / out.name, out.parent)
        (written,) = staging.commit([saved])
    print(f"wrote {written}")
    return 0


def _command_parser(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
    """The sub-parser of `chainrule NAME` (its errors start `chainrule NAME: error:`)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action.choices[name]
    raise KeyError(name)


def _check_model(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """`chainrule train`'s checks of --model against the other options, before anything runs
    (argparse's error, exit 2), and the per-model defaults of --lr and --epochs filled in.
    What only the data files can tell (--idx images that are not 3-D or too small) is found
    when they are read."""
    given = getattr(args, "given", set())
    if args.model in CONV_MODELS:
        for dest in MLP_ONLY:
            if dest in given:
                parser.error(f"argument --{dest}: applies to --model mlp only; --model "
                             f"{args.model} has fixed layers (see --help)")
        if args.idx is None and args.data not in IMAGE_SETS:
            parser.error(f"argument --model: {args.model} needs images; --data {args.data} is "
                         f"a set of 2-D points (use --data digits, mnist-sample or --idx)")
        if args.idx is None and too_small(args.model, IMAGE_SETS[args.data]):
            hint = ("try --data mnist-sample or --model cnn" if args.model == "lenet"
                    else "try --data mnist-sample")
            problem = too_small(args.model, IMAGE_SETS[args.data]).removeprefix("--model ")
            parser.error(f"argument --model: {problem} (--data {args.data}); {hint}")
    for dest in ("lr", "epochs"):
        value = getattr(args, dest)
        if isinstance(value, PerModel):
            setattr(args, dest, value[args.model])


def _save_picture(graph: Any, path: Path, shown: Path) -> Path:
    """Save a graph picture; a missing `dot` becomes one warning line, not a traceback
    (the DOT text is saved instead and its path returned). The line names the picture's
    final folder `shown`, not the staging folder `path` is in."""
    from viz import save_graph

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        saved = Path(save_graph(graph, path))
    for w in caught:
        message = str(w.message).replace(str(path.parent), str(shown))
        print(f"chainrule: warning: {message}", file=sys.stderr)
    return saved


def _epoch_line(args: argparse.Namespace) -> Callable[[int, Any], None]:
    """One plain line per epoch (flushed, so that a log being written shows it at once)."""
    def report(epoch: int, history: Any) -> None:
        f = epoch_figures(history)
        print(f"epoch {epoch}/{args.epochs}: train loss {f['train_loss']}, "
              f"train accuracy {f['train_acc']}, test loss {f['test_loss']}, "
              f"test accuracy {f['test_acc']}, lr {f['lr']}", flush=True)

    return report


def _progress_bar(args: argparse.Namespace) -> Optional[Callable[..., Any]]:
    """A tqdm bar on stdout when stdout is a terminal; None (plain lines instead) with
    --no-progress, in a log file or pipe (where a bar's updates would pile up on one line),
    and without tqdm (an optional extra)."""
    stdout = sys.stdout
    if args.no_progress or not getattr(stdout, "isatty", lambda: False)():
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return lambda iterable, **kw: tqdm(iterable, file=stdout, dynamic_ncols=True, **kw)


def _integer(low: int, high: Optional[int] = None) -> Callable[[str], int]:
    """An argparse type: an integer from `low` to `high` (no upper bound when None)."""
    wanted = f"an integer >= {low}" if high is None else f"an integer from {low} to {high}"

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < low or (high is not None and value > high):
            # ArgumentTypeError's text is shown as it is; a ValueError would make argparse
            # print this function's name ("invalid parse value").
            raise argparse.ArgumentTypeError(f"must be {wanted}, got {text!r}")
        return value

    parse.__name__ = wanted
    return parse


def _number(low: float, high: float = math.inf, low_included: bool = True,
            high_included: bool = False) -> Callable[[str], float]:
    """An argparse type: a finite number from `low` to `high` (each end included or not).
    inf, 1e400 (which float() reads as inf) and nan are refused: they train nothing and
    would end up as bare NaN in metrics.json."""
    if high == math.inf:
        wanted = f"a finite number {'>=' if low_included else '>'} {low:g}"
    else:
        wanted = (f"a number in {'[' if low_included else '('}{low:g}, "
                  f"{high:g}{']' if high_included else ')'}")

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        above = value >= low if low_included else value > low
        below = value <= high if high_included else value < high
        if not (math.isfinite(value) and above and below):
            raise argparse.ArgumentTypeError(f"must be {wanted}, got {text!r}")
        return value

    parse.__name__ = wanted
    return parse


def _picture_file(text: str) -> Path:
    """An argparse type: a picture file name whose extension says the format."""
    if Path(text).suffix.lower() not in PICTURE_SUFFIXES:
        raise argparse.ArgumentTypeError(
            f"must be a picture file ending in {', '.join(PICTURE_SUFFIXES[:-1])} or "
            f"{PICTURE_SUFFIXES[-1]}, got {text!r}")
    return Path(text)


class _Given(argparse.Action):
    """Store the value and note that the option was given (in `namespace.given`): the
    ConvNets refuse the MLP's options rather than silently ignore them."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: Optional[str] = None) -> None:
        setattr(namespace, self.dest, values)
        given = set(getattr(namespace, "given", set()))
        given.add(self.dest)
        namespace.given = given


class _LayerSizes(argparse.Action):
    """--sizes: an MLP has an input and an output layer at least."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: Optional[str] = None) -> None:
        if len(values) < 2:
            raise argparse.ArgumentError(
                self, f"needs at least 2 sizes (input and output), got {len(values)}")
        setattr(namespace, self.dest, values)
