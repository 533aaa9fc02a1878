"""TensorDataset and DataLoader: numpy arrays in, shuffled mini-batches out.

A batch is a plain numpy array that the caller wraps in a Tensor when it wants one.
"""

from __future__ import annotations

from typing import Any, Iterator

import numpy as np

from autograd import Tensor


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

    `dataset` is one of:

    - a tuple or list of arrays (numpy arrays or Tensors), such as `(X, y)`: the columns of
      the samples, which must share their first dimension (a TensorDataset of them);
    - a tuple or list of tuples, such as `[(x0, y0), (x1, y1), ...]` or `list(zip(X, y))`:
      the samples themselves, each with the same number of fields, as in PyTorch; each field
      is stacked over the samples (PyTorch's default collate), so a batch is `(xb, yb)`;
    - a single array, or any object with `len()` whose `[]` accepts an integer index array.

    Any other tuple or list (of lists, of numbers, of arrays and tuples mixed) is ambiguous
    (columns or samples?) and raises ValueError: convert lists with `np.asarray`, or make
    each sample a tuple.

    With `shuffle`, every `iter()` (every epoch) draws a fresh permutation from the loader's
    own generator, made once from `seed` (None, an integer >= 0 or a numpy Generator): epochs
    differ from each other, and the same seed gives the same sequence of epochs.
    `len(loader)` is the number of batches per epoch.
    """

    def __init__(self, dataset: Any, batch_size: int, shuffle: bool = False,
                 seed: int | np.random.Generator | None = None,
                 drop_last: bool = False) -> None:
        if isinstance(dataset, (tuple, list)):
            dataset = _sequence_dataset(dataset)
        elif isinstance(dataset, np.ndarray):
            dataset = TensorDataset(dataset)
        if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) \
                or batch_size < 1:
            raise ValueError(f"DataLoader: batch_size must be a positive integer, "
                             f"got {batch_size!r}")
        if not (seed is None or isinstance(seed, np.random.Generator)
                or (isinstance(seed, (int, np.integer)) and not isinstance(seed, bool)
                    and seed >= 0)):
            raise ValueError(f"DataLoader: seed must be None, a non-negative integer or a "
                             f"numpy Generator, got {seed!r}")
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


def _sequence_dataset(items: tuple | list) -> TensorDataset:
    """A tuple or list as a TensorDataset: arrays are columns, tuples are samples (see
    DataLoader); anything else is refused rather than guessed."""
    if all(isinstance(item, (np.ndarray, Tensor)) for item in items):
        return TensorDataset(*items)
    if not all(isinstance(item, tuple) for item in items):
        kinds = sorted({type(item).__name__ for item in items})
        raise ValueError(f"DataLoader: ambiguous dataset: a {type(items).__name__} of "
                         f"{', '.join(kinds)}; give arrays (columns, as (X, y)) or tuples "
                         f"(samples, as [(x, y), ...]), e.g. np.asarray each list")
    width = len(items[0])
    for i, sample in enumerate(items):
        if len(sample) != width:
            raise ValueError(f"DataLoader: sample {i} has {len(sample)} fields, sample 0 "
                             f"has {width}")
    fields = []
    for j in range(width):
        values = [np.asarray(sample[j]) for sample in items]
        for i, value in enumerate(values):
            if value.shape != values[0].shape:
                raise ValueError(f"DataLoader: field {j} has shape {values[0].shape} in "
                                 f"sample 0 but {value.shape} in sample {i}")
        fields.append(np.stack(values))
    return TensorDataset(*fields)
