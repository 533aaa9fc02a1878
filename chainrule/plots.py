"""The pictures `chainrule train` writes: learning curves, decision regions, digit grids."""

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
    was_training = model.training
    model.eval()
    with no_grad():
        predicted = model(data.X_test).data.argmax(axis=1)
    model.train(was_training)
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
