"""The pictures `chainrule train` writes: learning curves, decision regions, digit grids,
and for a ConvNet its first layer's filters and one image's feature maps."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

import matplotlib

matplotlib.use("Agg")  # files only: no window, no display needed
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from autograd import no_grad  # noqa: E402


def curves_figure(history: Any, title: str) -> Figure:
    """The learning curves of `history` (chainrule.training.History): train and test loss,
    train and test accuracy, and, only when a schedule changed it during the run, the
    learning rate; a constant learning rate is given in the title instead."""
    epochs = np.arange(1, len(history.train_loss) + 1)
    lr_changes = len(set(history.lr)) > 1
    fig, axes = plt.subplots(1, 3 if lr_changes else 2, figsize=(14 if lr_changes else 10, 4))
    loss_ax, accuracy_ax = axes[0], axes[1]
    loss_ax.semilogy(epochs, history.train_loss, marker="o", ms=3, label="train")
    loss_ax.semilogy(epochs, history.test_loss, marker="s", ms=3, ls="--", label="test")
    loss_ax.set(title="loss (softmax cross-entropy)", xlabel="epoch",
                ylabel="mean loss per sample (log scale)")
    accuracy_ax.plot(epochs, history.train_accuracy, marker="o", ms=3, label="train")
    accuracy_ax.plot(epochs, history.test_accuracy, marker="s", ms=3, ls="--", label="test")
    accuracy_ax.set(title="accuracy", xlabel="epoch", ylabel="fraction correct")
    for ax in (loss_ax, accuracy_ax):
        ax.legend(loc="best")
    note = "train and test: the model after each epoch, on the whole set"
    if lr_changes:
        axes[2].plot(epochs, history.lr, marker="o", ms=3, color="tab:green",
                     drawstyle="steps-post")  # an epoch runs at one rate
        axes[2].set(title="learning rate η (schedule)", xlabel="epoch", ylabel="η")
    elif history.lr:
        note = f"constant learning rate η = {history.lr[0]:g};  {note}"
    for ax in axes:
        ax.grid(alpha=0.3)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    fig.suptitle(f"{title}\n{note}", fontsize=11)
    fig.tight_layout()
    return fig


def plot_curves(history: Any, path: Path, title: str) -> Path:
    """Save `curves_figure(history, title)` to `path`."""
    fig = curves_figure(history, title)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_boundary(model: Any, data: Any, path: Path, title: str) -> Path:
    """Decision regions of a 2-D classifier, with the training and test points."""
    X = np.concatenate([data.X_train, data.X_test])
    pad = 0.1 * (X.max(axis=0) - X.min(axis=0))
    lo, hi = X.min(axis=0) - pad, X.max(axis=0) + pad
    xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], 300), np.linspace(lo[1], hi[1], 300))
    grid = np.column_stack([xx.ravel(), yy.ravel()]).astype(data.X_train.dtype)
    was_training = model.training
    model.eval()
    with no_grad():
        regions = model(grid).data.argmax(axis=1).reshape(xx.shape)
    model.train(was_training)
    k = data.n_classes
    cmap = plt.get_cmap("tab10")
    fig, ax = plt.subplots(figsize=(6.2, 5.4))
    ax.contourf(xx, yy, regions, levels=np.arange(-0.5, k), colors=[cmap(i) for i in range(k)],
                alpha=0.25)
    for c in range(k):
        tr = data.y_train == c
        te = data.y_test == c
        ax.scatter(*data.X_train[tr].T, s=14, color=cmap(c), edgecolor="k", linewidth=0.3,
                   label=f"class {c} (train)")
        ax.scatter(*data.X_test[te].T, s=30, color=cmap(c), marker="^", edgecolor="k",
                   linewidth=0.6, label=f"class {c} (test)")
    ax.set(title=title, xlabel="$x_1$", ylabel="$x_2$", xlim=(lo[0], hi[0]), ylim=(lo[1], hi[1]))
    ax.legend(loc="upper right", fontsize=7, framealpha=0.85)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_digits(model: Any, data: Any, path: Path, title: str, rows: int = 6,
                cols: int = 10) -> Path:
    """A grid of test images with the predicted label; mistakes first, framed in red."""
    from chainrule.training import predict

    predicted = predict(model, data.X_test).argmax(axis=1)
    wrong = np.flatnonzero(predicted != data.y_test)
    right = np.flatnonzero(predicted == data.y_test)
    shown = np.concatenate([wrong, right])[: rows * cols]
    fig, axes = plt.subplots(rows, cols, figsize=(cols * 1.05, rows * 1.25))
    for ax in axes.ravel():
        ax.axis("off")
    for ax, i in zip(axes.ravel(), shown):
        ax.imshow(data.X_test[i].reshape(data.image_shape), cmap="gray_r")
        mistake = predicted[i] != data.y_test[i]
        label = f"{predicted[i]} (true {data.y_test[i]})" if mistake else f"{predicted[i]}"
        ax.set_title(label, fontsize=9, color="red" if mistake else "black")
        if mistake:
            ax.axis("on")
            ax.set_xticks([])
            ax.set_yticks([])
            for spine in ax.spines.values():
                spine.set_color("red")
                spine.set_linewidth(2)
    fig.suptitle(f"{title}\npredicted label above each test image; "
                 f"{len(wrong)} mistakes of {len(predicted)} shown first, in red", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _grid(count: int, max_cols: int = 8) -> tuple:
    cols = min(count, max_cols)
    return -(-count // cols), cols


def _mosaic(ax: Any, tiles: np.ndarray, max_cols: int, limit: float, labels: list) -> Any:
    """Draw tiles (n, h, w) on `ax` as one image, a grid with one blank pixel between tiles,
    each labelled above; one imshow for all (fast, and one colour scale by construction)."""
    n, h, w = tiles.shape
    rows, cols = _grid(n, max_cols)
    gap = max(1, h // 6)
    canvas = np.full((rows * (h + gap) + gap, cols * (w + gap) + gap), np.nan)
    for i, tile in enumerate(tiles):
        r, c = divmod(i, cols)
        canvas[gap + r * (h + gap):gap + r * (h + gap) + h,
               gap + c * (w + gap):gap + c * (w + gap) + w] = tile
    cmap = plt.get_cmap("RdBu_r").with_extremes(bad="white")
    image = ax.imshow(canvas, cmap=cmap, vmin=-limit, vmax=limit, interpolation="nearest")
    for i, label in enumerate(labels):
        r, c = divmod(i, cols)
        ax.text(gap + c * (w + gap) + (w - 1) / 2, gap + r * (h + gap) - 0.5, label,
                ha="center", va="bottom", fontsize=7)
    ax.axis("off")
    return image


def plot_filters(model: Any, path: Path, title: str) -> Path:
    """The first conv layer's filters as small images, a grid on one colour scale (symmetric
    about 0: red weights are positive, blue negative), with its colour bar."""
    from chainrule.models import conv_layers

    index, conv = conv_layers(model)[0]
    weight = np.asarray(conv.weight.data, dtype=np.float64)  # (C_out, C_in, kH, kW)
    c_out, c_in, k_rows, k_cols = weight.shape
    filters = weight.reshape(c_out * c_in, k_rows, k_cols)
    labels = [str(i) if c_in == 1 else f"{i // c_in}/{i % c_in}" for i in range(len(filters))]
    rows, cols = _grid(len(filters))
    fig, ax = plt.subplots(figsize=(1.1 * cols + 1.5, 1.1 * rows + 1.2), layout="constrained")
    image = _mosaic(ax, filters, 8, float(np.abs(filters).max()) or 1.0, labels)
    fig.colorbar(image, ax=ax, shrink=0.9, label="weight")
    fig.suptitle(f"{title}\nfirst conv layer (layer {index}: conv {c_in}→{c_out}): {c_out} "
                 f"filters of {k_rows}x{k_cols}{'' if c_in == 1 else ' per input channel'}, "
                 f"one colour scale (red > 0, blue < 0)", fontsize=10)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_feature_maps(model: Any, data: Any, path: Path, title: str, index: int = 0,
                      max_cols: int = 16) -> Path:
    """One test image through the ConvNet: the image, then each conv layer's output
    channels (before its ReLU; one colour scale per layer, symmetric about 0, so the blue
    that ReLU zeroes shows)."""
    from chainrule.models import conv_layers

    image = data.X_test[index:index + 1]
    convs = dict(conv_layers(model))
    maps = []
    was_training = model.training
    model.eval()
    with no_grad():
        x = image
        for i, layer in enumerate(model):
            x = layer(x)
            if i in convs:
                maps.append((i, convs[i], np.asarray(x.data, dtype=np.float64)[0]))
        predicted = int(np.asarray(x.data)[0].argmax())
    model.train(was_training)

    heights = [1.4] + [_grid(len(m), max_cols)[0] + 0.5 for _, _, m in maps]
    fig = plt.figure(figsize=(11, 1.05 * sum(heights) + 0.9), layout="constrained")
    parts = fig.subfigures(len(heights), 1, height_ratios=heights)
    ax = parts[0].subplots()
    shown = ax.imshow(image[0, 0], cmap="gray")
    ax.set_xticks([])
    ax.set_yticks([])
    rows, cols = image.shape[2:]
    ax.set_title(f"input: test image {index} ({rows}x{cols}), label {data.y_test[index]}, "
                 f"predicted {predicted}", fontsize=9, loc="left")
    parts[0].colorbar(shown, ax=ax, label="pixel")
    ax.set_anchor("W")  # left, where the maps below start (the colour bar set it right)
    for part, (i, conv, channels) in zip(parts[1:], maps):
        ax = part.subplots()
        shown = _mosaic(ax, channels, max_cols, float(np.abs(channels).max()) or 1.0,
                        [str(c) for c in range(len(channels))])
        part.colorbar(shown, ax=ax, shrink=0.9, label="output")
        out_rows, out_cols = channels.shape[1:]
        part.suptitle(f"layer {i}: conv {conv.in_channels}→{conv.out_channels} "
                      f"{conv.kernel_size[0]}x{conv.kernel_size[1]}: {len(channels)} channels "
                      f"of {out_rows}x{out_cols} (before ReLU; blue < 0 is what ReLU zeroes)",
                      fontsize=9)
    fig.suptitle(f"{title}\none test image through each conv layer", fontsize=10)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
