"""The ConvNet floor: a LeNet-style training step written by hand in numpy from the formulas.

    conv 1→8 5×5 pad 2, ReLU, max pool 2 → conv 8→16 5×5, ReLU, max pool 2 → flatten (400)
    → Linear 400→64, ReLU → Linear 64→10 → softmax cross-entropy (mean) → SGD

The weights are held as chainrule and PyTorch hold them: a conv weight is (C_out, C_in, kH, kW)
over NCHW images, a dense W is (in, out) with s = x W + b. Inside, activations travel NHWC
(N·H·W rows of C channels), so that every copy and every strided add moves long contiguous
runs, where numpy is fast:

    im2col:  cols[(n, i, j), (di, dj, c)] = x[n, i + di, j + dj, c]   (a strided view, one copy)
    conv:    z = cols Wᵀ + b,   W flattened to (C_out, (di, dj, c))
    back:    ∂W = ∂zᵀ cols,   ∂b = Σ ∂z,
             col2im: ∂x[n, i + di, j + dj, :] += ∂z[n, i, j] W[:, :, di, dj]
             (one small product and one strided add per offset (di, dj))

    the data's convolution reads the NCHW batch as it is, with cols transposed (rows (c, di, dj)
    and a row of ones for the bias, one column per output pixel), and needs no input gradient
    (its input is data)

    max pool 2×2 stride 2, in two halves: r = max over each row's pair, m = max over the pair of
    rows. Its gradient goes to the first maximum of each window in row-major order (PyTorch's
    rule for ties): each half sends it to its first operand where that operand is the maximum,
    else to the second.
    ReLU before max pool: a routed gradient lands only on a window's maximum, where
    relu'(a) = [m > 0], so ReLU's mask is applied once on the pooled grid (the same numbers).
    softmax cross-entropy: Δ = (Ŷ − Y*) / N;  dense: ∂W = Hᵀ Δ, ∂b = Σ Δ, Δ ← Δ Wᵀ ⊙ relu'
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

# (kernel, padding) of the two convolutions; both stride 1
CONVS = ((5, 2), (5, 0))


def relu_(a: np.ndarray) -> np.ndarray:
    """max(a, 0) in place (a multiply by the mask: several times numpy's float32 maximum)."""
    return np.multiply(a, a > 0, out=a)


def im2col_data(X: np.ndarray, k: int, pad: int) -> np.ndarray:
    """((C, di, dj), N·OH·OW) columns of an NCHW batch, each row a shifted copy of the images,
    and a last row of ones: the bias rides in the product (z = colsᵀ [W | b]ᵀ, and the same
    product gives ∂b beside ∂W), sparing a broadcast add and a reduction over N·OH·OW rows."""
    n, c, h, w = X.shape
    if pad:
        padded = np.zeros((n, c, h + 2 * pad, w + 2 * pad), dtype=X.dtype)
        padded[:, :, pad:pad + h, pad:pad + w] = X
        X = padded
    view = sliding_window_view(X, (k, k), axis=(2, 3))  # (N, C, OH, OW, kH, kW), no copy
    oh, ow = view.shape[2:4]
    cols = np.empty((c * k * k + 1, n * oh * ow), dtype=X.dtype)
    cols[:-1].reshape(c, k, k, n, oh, ow)[...] = view.transpose(1, 4, 5, 0, 2, 3)  # the copy
    cols[-1] = 1
    return cols


def im2col(x: np.ndarray, k: int) -> np.ndarray:
    """(N·OH·OW, (di, dj, c)) rows of every k×k window of an NHWC image (stride 1, no pad)."""
    n = x.shape[0]
    view = sliding_window_view(x, (k, k), axis=(1, 2))  # (N, OH, OW, C, kH, kW), no copy
    return np.ascontiguousarray(view.transpose(0, 1, 2, 4, 5, 3)).reshape(
        n * view.shape[1] * view.shape[2], -1)


def col2im(dz: np.ndarray, W: np.ndarray, shape: tuple) -> np.ndarray:
    """∂x (NHWC) of a stride-1 unpadded conv from ∂z (N·OH·OW, C_out) and W (C_out, C, k, k)."""
    n, h, w, c = shape
    k = W.shape[2]
    oh, ow = h - k + 1, w - k + 1
    # per offset, ∂z W[:, :, di, dj]: (k·k, N·OH·OW, C), each offset's block contiguous
    parts = np.matmul(dz, W.transpose(2, 3, 0, 1).reshape(k * k, W.shape[0], c))
    parts = parts.reshape(k, k, n, oh, ow, c)
    dx = np.zeros(shape, dtype=dz.dtype)
    for di in range(k):
        for dj in range(k):
            dx[:, di:di + oh, dj:dj + ow] += parts[di, dj]
    return dx


def max_pool(a: np.ndarray) -> tuple:
    """2×2 stride-2 max pool of an NHWC image: (m, r), r the row pairs' maxima."""
    r = np.maximum(a[:, :, 0::2], a[:, :, 1::2])
    return np.maximum(r[:, 0::2], r[:, 1::2]), r


def max_pool_backward(a: np.ndarray, r: np.ndarray, m: np.ndarray, g: np.ndarray) -> np.ndarray:
    """Route g (pooled grid) to the first maximum of each window of a; zeros elsewhere."""
    gr = np.empty_like(r)
    np.multiply(g, r[:, 0::2] == m, out=gr[:, 0::2])  # the upper row, where it holds the max
    np.subtract(g, gr[:, 0::2], out=gr[:, 1::2])      # else the lower one
    da = np.empty_like(a)
    np.multiply(gr, a[:, :, 0::2] == r, out=da[:, :, 0::2])  # the left column, where max
    np.subtract(gr, da[:, :, 0::2], out=da[:, :, 1::2])
    return da


class NumpyCNN:
    """Weights as plain arrays; `step` is one SGD step on an NCHW batch.

    `W` and `b` list the four layers in order: conv1 (8, 1, 5, 5), conv2 (16, 8, 5, 5),
    fc1 (400, 64), fc2 (64, 10); flatten follows PyTorch's (C, H, W) order.
    """

    def __init__(self, weights: list, biases: list) -> None:
        self.W = [w.copy() for w in weights]
        self.b = [b.copy() for b in biases]

    def forward(self, X: np.ndarray) -> tuple:
        """(logits, what backward needs)."""
        n = len(X)
        W1, W2, W3, W4 = self.W
        b1, b2, b3, b4 = self.b
        (k1, pad1), (k2, _) = CONVS
        cols1 = im2col_data(X, k1, pad1)                      # (C·k·k + 1, N·OH·OW)
        side = X.shape[2] + 2 * pad1 - k1 + 1
        Wb1 = np.concatenate([W1.reshape(len(W1), -1), b1[:, None]], axis=1)
        z1 = (cols1.T @ Wb1.T).reshape(n, side, side, len(W1))  # bias included
        relu_(z1)
        p1, r1 = max_pool(z1)
        cols2 = im2col(p1, k2)                                # (N·OH·OW, (di, dj, c))
        side = p1.shape[1] - k2 + 1
        W2mat = W2.transpose(0, 2, 3, 1).reshape(len(W2), -1)
        z2 = (cols2 @ W2mat.T).reshape(n, side, side, len(W2))
        z2 += b2
        relu_(z2)
        p2, r2 = max_pool(z2)
        flat = p2.transpose(0, 3, 1, 2).reshape(n, -1)        # flatten in (C, H, W) order
        h = flat @ W3
        h += b3
        relu_(h)
        S = h @ W4
        S += b4
        return S, (cols1, z1, r1, p1, cols2, z2, r2, p2, flat, h)

    def gradients(self, X: np.ndarray, y: np.ndarray) -> tuple:
        """(loss, [∂W per layer], [∂b per layer]), each ∂W in its weight's own layout."""
        S, (cols1, z1, r1, p1, cols2, z2, r2, p2, flat, h) = self.forward(X)
        W1, W2, W3, W4 = self.W
        n = len(X)
        S -= S.max(axis=1, keepdims=True)
        P = np.exp(S)
        P /= P.sum(axis=1, keepdims=True)
        rows = np.arange(n)
        loss = -np.log(P[rows, y]).mean()
        delta = P
        delta[rows, y] -= 1
        delta /= n
        dW4 = h.T @ delta
        db4 = delta.sum(axis=0)
        delta = delta @ W4.T
        delta *= h > 0
        dW3 = flat.T @ delta
        db3 = delta.sum(axis=0)
        g = (delta @ W3.T).reshape(p2.shape[0], p2.shape[3], *p2.shape[1:3]).transpose(0, 2, 3, 1)
        g = g * (p2 > 0)                                     # ReLU's mask, on the pooled grid
        dz2 = max_pool_backward(z2, r2, p2, g).reshape(-1, len(W2))
        dW2 = (dz2.T @ cols2).reshape(len(W2), *W2.shape[2:], W2.shape[1]).transpose(0, 3, 1, 2)
        db2 = dz2.sum(axis=0)
        g = col2im(dz2, W2, p1.shape)
        g *= p1 > 0
        dz1 = max_pool_backward(z1, r1, p1, g).reshape(-1, len(W1))
        dWb1 = (cols1 @ dz1).T                                 # [∂W | ∂b]
        dW1, db1 = dWb1[:, :-1].reshape(W1.shape), dWb1[:, -1]
        return loss, [dW1, dW2, dW3, dW4], [db1, db2, db3, db4]

    def step(self, X: np.ndarray, y: np.ndarray, lr: float) -> float:
        loss, dW, db = self.gradients(X, y)
        for W, b, gW, gb in zip(self.W, self.b, dW, db):
            W -= lr * gW
            b -= lr * gb
        return loss

    def predict(self, X: np.ndarray) -> np.ndarray:
        return self.forward(X)[0]
