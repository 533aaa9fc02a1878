"""Version counters: every in-place change of a tensor's data is counted, so that backward
can refuse a node whose saved values changed under it (PyTorch's rule) instead of returning a
silently wrong gradient.

A tensor's version lives on its *root*: the tensor whose array the others view (`_base`),
so a change made through a view (a reshape, a slice, `detach()`) counts for all of them.
Besides the per-tensor versions there is one process-wide count of changes, `changes`.
Each recorded node remembers it (`node._epoch`); backward compares the two, and only a node
recorded before some in-place change anywhere is checked input by input.
"""

from __future__ import annotations

import itertools
from collections import deque
from typing import Any

# How many changes of one tensor are remembered for the error message ("saved at version v");
# older ones only make that message say "at most v".
HISTORY = 32

changes = 0  # the number of in-place changes so far, all threads together
_next_change = itertools.count(1).__next__  # atomic under the GIL, unlike `changes += 1`


def record_change(root: Any) -> None:
    """Count one in-place change of `root`'s data (root: a tensor that is no view)."""
    global changes
    n = _next_change()
    history = root._changes
    if history is None:
        history = root._changes = deque(maxlen=HISTORY)
    history.append(n)
    root._version += 1
    root._changed_at = n
    changes = n


def version_at(root: Any, epoch: int) -> tuple:
    """(version, exact): the version `root` had when the change count was `epoch`; `exact` is
    False when the history no longer reaches back that far (the version is then at most the
    one given)."""
    history = root._changes or ()
    later = sum(1 for n in history if n > epoch)
    exact = len(history) < HISTORY or history[0] <= epoch
    return root._version - later, exact
