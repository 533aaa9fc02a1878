"""The look of the pictures: colours by role, the gradient palette, sizes of text."""

from __future__ import annotations

# Fill colours by role: pastel, so black text stays readable on all of them.
ROLE_COLORS = {
    "param": "#b7e1a1",     # a leaf that requires grad: what training updates
    "const": "#e3e3e3",     # a leaf without grad: data, labels, constants
    "value": "#ffffff",     # an intermediate result of an op
    "output": "#ffc08a",    # a root: what the picture was asked for (the loss)
}
ROLE_TEXT = {
    "param": "parameter (leaf, requires grad)",
    "const": "constant (leaf, no grad)",
    "value": "intermediate value",
    "output": "output (root)",
}
# color_by_grad fills a tensor by its gradient, so its role shows as the border instead
ROLE_BORDERS = {"param": "#238b22", "const": "#888888", "output": "#e6550d"}
OP_COLOR = "#cfe0f5"
OP_DONE_COLOR = "#8fbce6"      # backward_steps: ops already visited
OP_PENDING_COLOR = "#f4f6f9"   # backward_steps: ops still to come
OP_CURRENT_COLOR = "#ffd84d"   # backward_steps: the op visited at this step
EMPHASIS = "#d62728"
GRAD_TEXT = "#a50f15"
MUTED_TEXT = "#555555"
MUTED_ON_DARK = "#f0f0f0"      # muted text on a dark fill
NOTE_COLOR = "#fff4b3"
EDGE_LABEL_COLOR = "#1f4e8c"
# ColorBrewer YlOrRd: a sequential palette, pale = tiny gradient, dark red = large gradient.
GRAD_PALETTE = ["#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c",
                "#bd0026", "#800026"]
GRAD_ZERO_COLOR = "#bdbdbd"
NO_GRAD_COLOR = "#ffffff"
DARK_FROM = 5       # palette entries from here on take white text
LAYER_COLOR = "#dbe7f6"         # collapse: a layer without parameters
LAYER_PARAM_COLOR = "#cfe8bf"   # collapse: a layer with parameters (what training updates)
LAYER_BORDER = "#4a6f96"
CLUSTER_FILL = "#f6f6f6"
CLUSTER_BORDER = "#9a9a9a"

TINY = 6            # tensors with at most this many entries show every value
DERIVATIVE_CHARS = 64     # an op's derivative is wrapped to lines this long (at most 3)
ARG_CHARS = 44      # an op's arguments line (e.g. GetItem's index) is kept this short
NAME_CHARS = 40     # a module's short form is kept this short
NOTE_CHARS = 60     # a note's lines are wrapped this long


def fill_of_bin(b: int | None) -> str:
    """The fill of a tensor or box whose mean |gradient| fell in palette bin `b` (-1: exactly
    zero; None: no gradient known)."""
    if b is None:
        return NO_GRAD_COLOR
    return GRAD_ZERO_COLOR if b < 0 else GRAD_PALETTE[b]
