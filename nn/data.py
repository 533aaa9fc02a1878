"""TensorDataset and DataLoader: numpy arrays in, shuffled mini-batches out.

Numpy only, so a batch is a plain array that the caller wraps in a Tensor when it wants one.
"""

from __future__ import annotations

from typing import Any, Iterator

import numpy as np


class TensorDataset:
    """Arrays that share their first dimension; sample i is `(a[i] for a in arrays)`.

    Indexing with an int, a slice or an integer index array returns a tuple with one entry
    per array, so a whole batch is fetched with a single numpy indexing operation.
    """

    def __init__(self, *arrays: Any) -> None:
        if not arrays:
            raise ValueError("TensorDataset needs at least one array")
        converted = tuple(np.asarray(a) for a in arrays)
        for position, array in enumerate(converted):
            if array.ndim == 0:
                raise ValueError(f"TensorDataset: array {position} is a scalar; every array "
                                 f"needs a first dimension that counts the samples")
        lengths = [len(a) for a in converted]
        if len(set(lengths)) > 1:
            raise ValueError(f"TensorDataset: all arrays must have the same first dimension, "
                             f"got lengths {lengths}")
        self.arrays: tuple[np.ndarray, ...] = converted

    def __len__(self) -> int:
        return len(self.arrays[0])

    def __getitem__(self, index: Any) -> tuple[np.ndarray, ...]:
        return tuple(a[index] for a in self.arrays)

    def __repr__(self) -> str:
        shapes = ", ".join(str(a.shape) for a in self.arrays)
        return f"TensorDataset({shapes})"


class DataLoader:
    """Iterate over a dataset in mini-batches, each a tuple of numpy arrays.

    `dataset` is a TensorDataset, a plain tuple or list of arrays such as `(X, y)`, a single
    array, or any object with `len()` whose `[]` accepts an integer index array. With
    `shuffle`, every `iter()` (every epoch) draws a fresh permutation from the loader's own
    generator, made once from `seed`: epochs differ from each other, and the same seed
    gives the same sequence of epochs. `len(loader)` is the number of batches per epoch.
    """

    def __init__(self, dataset: Any, batch_size: int, shuffle: bool = False,
                 seed: int | np.random.Generator | None = None,
                 drop_last: bool = False) -> None:
        if isinstance(dataset, (tuple, list)):
            dataset = TensorDataset(*dataset)
        elif isinstance(dataset, np.ndarray):
            dataset = TensorDataset(dataset)
        if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) \
                or batch_size < 1:
            raise ValueError(f"DataLoader: batch_size must be a positive integer, "
                             f"got {batch_size!r}")
        self.dataset = dataset
        self.batch_size = int(batch_size)
        self.shuffle = bool(shuffle)
        self.drop_last = bool(drop_last)
        # One generator for the loader's whole life: re-seeding per epoch would repeat
        # the same order every epoch.
        self.generator = np.random.default_rng(seed)

    def __len__(self) -> int:
        n = len(self.dataset)
        if self.drop_last:
            return n // self.batch_size
        return -(-n // self.batch_size)

    def __iter__(self) -> Iterator[tuple[np.ndarray, ...]]:
        # The permutation is drawn here, not lazily at the first next(), so that calling
        # iter() is what starts an epoch.
        n = len(self.dataset)
        order = self.generator.permutation(n) if self.shuffle else np.arange(n)
        return self._batches(order)

    def _batches(self, order: np.ndarray) -> Iterator[tuple[np.ndarray, ...]]:
        stop = len(self) * self.batch_size
        for start in range(0, min(stop, len(order)), self.batch_size):
            # Index arrays (never slices) even without shuffling: a batch is always a copy,
            # so editing it in place cannot change the dataset.
            batch = self.dataset[order[start:start + self.batch_size]]
            yield batch if isinstance(batch, tuple) else (batch,)

    def __repr__(self) -> str:
        return (f"DataLoader({self.dataset!r}, batch_size={self.batch_size}, "
                f"shuffle={self.shuffle}, drop_last={self.drop_last})")
