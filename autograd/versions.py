"""Version counters: every in-place change of a tensor's data is counted, so that backward
can refuse a node whose saved values changed under it (PyTorch's rule) instead of returning a
silently wrong gradient.

A tensor's version lives on its *root*: the tensor whose array the others view (`_base`),
so a change made through a view (a reshape, a slice, `detach()`) counts for all of them.
Recorded nodes and in-place changes draw their numbers from one sequence: a node is stale
when its root tensors were changed after it (`root._changed_at > node.sequence`), and
backward looks input by input only at nodes recorded before the last change anywhere
(`last_change`), so a training loop's backward pays one comparison per node.
"""

from __future__ import annotations

import itertools
from collections import deque
from typing import Any

# How many changes of one tensor are remembered for the error message ("saved at version v");
# older ones only make that message say "at most v".
HISTORY = 32

# Numbers recorded nodes (Function.apply) and in-place changes alike; atomic under the GIL.
next_sequence = itertools.count(1).__next__
last_change = 0  # the number of the latest in-place change, in any thread


def record_change(root: Any) -> None:
    """Count one in-place change of `root`'s data (root: a tensor that is no view)."""
    record_changes((root,))


def record_changes(tensors: Any) -> None:
    """`record_change` for several tensors changed at once (an optimizer step): they share
    one number of the sequence. Each change is counted on the tensor's root (a root is its
    own), so a caller may pass the tensors it changed as they are."""
    global last_change
    n = next_sequence()
    for root in tensors:
        if root._base is not None:
            root = root._base
        if root._changes is None:
            root._changes = deque(maxlen=HISTORY)
        root._changes.append(n)
        root._version += 1
        root._changed_at = n
    if n > last_change:
        last_change = n


def version_at(root: Any, sequence: int) -> tuple:
    """(version, exact): the version `root` had when the node numbered `sequence` was
    recorded; `exact` is False when the history no longer reaches back that far (the
    version is then at most the one given)."""
    history = root._changes or ()
    later = sum(1 for n in history if n > sequence)
    exact = len(history) < HISTORY or history[0] <= sequence
    return root._version - later, exact
