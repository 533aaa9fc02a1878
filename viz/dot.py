"""Writing a drawing as DOT: graphviz statements, HTML-like labels, clusters nested by
module. Nothing here needs the graphviz `dot` program; the text is in `graph.source`."""

from __future__ import annotations

import html
import textwrap
from typing import Any

import graphviz

from viz.drawing import Drawing, LegendRow, Node, Span
from viz.files import Graph
from viz.style import (CLUSTER_BORDER, CLUSTER_FILL, EDGE_LABEL_COLOR, GRAD_TEXT, MUTED_ON_DARK,
                       MUTED_TEXT, NOTE_CHARS, NOTE_COLOR)


def esc(text: Any) -> str:
    """Text made safe inside a graphviz HTML-like label (derivatives hold < > & too)."""
    return html.escape(str(text).replace("\n", " "), quote=False)


def html_label(*lines: str) -> str:
    return "<" + "<br/>".join(lines) + ">"


def to_graph(drawing: Drawing) -> Graph:
    """The drawing as a `Graph`: title, nodes (in their clusters), note, legend, edges."""
    opt = drawing.options
    ranksep, margin = drawing.spacing
    graph = Graph(name="chainrule", graph_attr={
        "rankdir": opt.rankdir, "fontname": opt.fontname, "fontsize": str(opt.fontsize + 2),
        "nodesep": "0.3", "ranksep": ranksep, "labelloc": "t", "labeljust": "c",
        "newrank": "true",
    }, node_attr={
        "fontname": opt.fontname, "fontsize": str(opt.fontsize), "margin": margin,
        "penwidth": "1",
    }, edge_attr={"color": "#666666", "arrowsize": "0.7", "fontname": opt.fontname})
    if opt.title:
        graph.attr(label=html_label(*(f"<b>{esc(t)}</b>" for t in opt.title.split("\n"))))
    _place(graph, drawing)
    small = opt.small
    if drawing.notes:
        graph.node("note", shape="note", style="filled", fillcolor=NOTE_COLOR,
                   fontsize=str(small + 1),
                   label=html_label(*(esc(line) for note in drawing.notes
                                      for line in textwrap.wrap(note, NOTE_CHARS))))
        for dot_id in drawing.note_targets:
            graph.edge("note", dot_id, style="dashed", color="#999999", arrowhead="none")
    if drawing.legend:
        graph.node("legend", shape="plaintext", margin="0",
                   label=legend_table(drawing.legend, small))
    for edge in drawing.edges:
        if edge.operand:
            # which operand of the op this edge is (A @ B, a − b, x W + b), by the op's end
            graph.edge(edge.tail, edge.head, headlabel=esc(edge.operand), fontsize=str(small),
                       fontcolor=EDGE_LABEL_COLOR, labeldistance="2.4", labelangle="30")
        else:
            graph.edge(edge.tail, edge.head)
    return graph


def _place(graph: Graph, drawing: Drawing) -> None:
    """Add the nodes, each in its cluster; a cluster's DOT text is copied into its parent
    when attached, so the deepest are attached first."""
    subgraphs = {key: graphviz.Digraph(name=c.dot_name, graph_attr={
        "label": html_label(f"<b>{esc(c.label)}</b>"), "style": "rounded,filled",
        "fillcolor": CLUSTER_FILL, "color": CLUSTER_BORDER,
        "fontsize": str(drawing.options.fontsize), "labeljust": "l"})
        for key, c in drawing.clusters.items()}
    for node in drawing.nodes:
        target = graph if node.cluster is None else subgraphs[node.cluster]
        target.node(node.dot_id, label=node_label(node, drawing.options.small), **node.attrs)
    depth = {}
    for key in drawing.clusters:
        d, parent = 0, drawing.clusters[key].parent
        while parent is not None:
            d, parent = d + 1, drawing.clusters[parent].parent
        depth[key] = d
    for key in sorted(drawing.clusters, key=lambda k: -depth[k]):
        parent = drawing.clusters[key].parent
        (graph if parent is None else subgraphs[parent]).subgraph(subgraphs[key])


def node_label(node: Node, small: float) -> str:
    """A node's lines as an HTML-like label; on a dark fill muted text is light."""
    muted = MUTED_ON_DARK if node.attrs.get("fontcolor") == "white" else MUTED_TEXT
    grad = "white" if node.attrs.get("fontcolor") == "white" else GRAD_TEXT
    return html_label(*("  ".join(_span(span, small, muted, grad) for span in line)
                        for line in node.lines))


def _span(span: Span, small: float, muted: str, grad: str) -> str:
    text = esc(span.text)
    return {
        "plain": text,
        "bold": f"<b>{text}</b>",
        "small": f'<font point-size="{small}">{text}</font>',
        "muted": f'<font point-size="{small}" color="{muted}">{text}</font>',
        "grad": f'<font color="{GRAD_TEXT}">{text}</font>',
        "small-grad": f'<font point-size="{small}" color="{grad}">{text}</font>',
        "released": f'<i><font color="{muted}">{text}</font></i>',
    }[span.style]


def legend_table(rows: list, small: float) -> str:
    """The legend as an HTML-like table: a title, then a row per LegendRow."""
    cells = ['<tr><td colspan="2"><b>legend</b></td></tr>']
    cells += [_legend_row(row, small) for row in rows]
    return ('<<table border="0" cellborder="0" cellspacing="2" cellpadding="2" '
            'bgcolor="#fbfbfb" color="#bbbbbb">' + "".join(cells) + "</table>>")


def _legend_row(row: LegendRow, small: float) -> str:
    if row.kind == "swatch":
        return (f'<tr><td bgcolor="{row.color}" width="22" border="1"></td>'
                f'<td align="left"><font point-size="{small}">{esc(row.text)}</font></td></tr>')
    if row.kind == "note":
        color = f' color="{row.color}"' if row.color else ""
        return (f'<tr><td colspan="2" align="left"><font point-size="{small}"{color}>'
                f"{esc(row.text)}</font></td></tr>")
    if row.kind == "centered":
        return (f'<tr><td colspan="2"><font point-size="{small}">{esc(row.text)}'
                "</font></td></tr>")
    cells = "".join(f'<td bgcolor="{fill}"><font point-size="{small}" '
                    f'color="{text_color}">{value}</font></td>'
                    for fill, value, text_color in row.cells)
    return ('<tr><td colspan="2"><table border="0" cellspacing="0" '
            f'cellpadding="2"><tr>{cells}</tr></table></td></tr>')
