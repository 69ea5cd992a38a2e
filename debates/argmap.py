"""The argument map: a debate's graph laid out by Graphviz, as SVG that is safe to inline.

Graphviz places every node and routes every edge (`dot`, or `sfdp` for graphs `dot` would take
too long on; docs/map.md has the figures); this module says what to draw and rebuilds what comes
back. The SVG is written out again element by element from a short list of the elements and
attributes a drawing needs, so a claim cannot bring markup into the page whatever Graphviz does
with it, and the prolog, doctype, comments and Graphviz's own ids and titles are gone.

Laying out is the slow part, so the layout is cached under a digest of everything it depends on
(the arguments, their texts and statuses, the links, the language). Strengths only shade the
nodes: they are filled in on every request, so a vote shows at once without a new layout.
"""

import hashlib
import logging
import math
import subprocess
import textwrap
import xml.etree.ElementTree as ET
import zlib
from collections import defaultdict, deque
from collections.abc import Iterator
from html import escape

import graphviz
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from debates.graph import DebateGraph
from debates.models import Argument
from debates.vocabulary import ArgumentStatus, Relation

log = logging.getLogger(__name__)

# Part of every cache key: bump it when the drawing changes, so a shared cache lays out again.
VERSION = 1
CACHE_TIMEOUT = 7 * 24 * 3600
# The strength of an argument that has none computed (yet): the base score of no votes.
NEUTRAL = 0.5

LABEL_WIDTH, LABEL_LINES = 28, 4
THESIS_WIDTH, THESIS_LINES = 34, 5

# dot draws in layers, and a link across k layers costs it k - 1 virtual nodes: its time grows
# with them far more than with the arguments. Beyond this many (`long_edge_load`) the force-directed
# sfdp, whose time depends on the arguments only, lays the map out instead (docs/map.md).
DOT_BUDGET = 8_000

GRAPH = {
    "rankdir": "RL",  # the thesis on the left, its answers to the right of it
    "nodesep": "0.2",
    "ranksep": "0.45",
    "outputorder": "edgesfirst",  # edges under the nodes
    "pad": "0.1",
}
# Caps on dot's network simplex and crossing minimisation: a little less polish, bounded time.
DOT = {"nslimit": "1", "nslimit1": "1", "mclimit": "0.5", "searchsize": "30"}
SFDP = {"overlap": "prism", "splines": "false", "quadtree": "fast"}
NODE = {
    "shape": "box",
    "style": "rounded,filled",
    "fontname": "Helvetica",
    "fontsize": "10",
    "margin": "0.08,0.04",
    "width": "0",
    "height": "0",
    "color": "#3d4a52",
    "fontcolor": "#1d2326",
}
# Not by colour alone: an attack is dashed and ends in a bar, a support is solid with an arrow.
EDGE = {
    Relation.ATTACK.value: {
        "class": "attack",
        "color": "#a4262c",
        "style": "dashed",
        "arrowhead": "tee",
        "penwidth": "1.3",
    },
    Relation.SUPPORT.value: {
        "class": "support",
        "color": "#2e6b30",
        "style": "solid",
        "arrowhead": "normal",
        "arrowsize": "0.8",
        "penwidth": "1.3",
    },
}

_SVG = "{http://www.w3.org/2000/svg}"
_SHAPES = {"path", "polygon", "polyline", "ellipse"}
# What a drawing needs of what Graphviz writes; everything else is dropped.
_ATTRIBUTES = frozenset((
    "fill", "stroke", "stroke-width", "stroke-dasharray", "d", "points", "cx", "cy", "rx", "ry",
    "x", "y", "text-anchor", "font-family", "font-size", "font-weight", "font-style",
))  # fmt: skip
# Slots a request fills in (see `_Parts`): the strength on a node, its shade and its pen width.
_DATA, _FILL, _PEN = "d", "f", "p"
# Between a slot and the text around it. PostgreSQL text and XML hold no NUL, so nothing else does.
_SLOT = "\0"


class LayoutError(Exception):
    """Graphviz is missing or failed: the page shows the outline alone."""


def strength(argument: Argument) -> float:
    """The argument's DF-QuAD strength to two decimals; NEUTRAL where none is stored."""
    try:
        value = argument.score.strength
    except ObjectDoesNotExist:
        return NEUTRAL
    if value is None or not math.isfinite(value):
        return NEUTRAL
    return round(min(1.0, max(0.0, value)), 2)


def map_svg(graph: DebateGraph) -> SafeString:
    """The debate's map as inline SVG; empty when Graphviz could not draw it."""
    order = reading_order(graph)
    key = layout_key(graph, order)
    packed = cache.get(key)
    if packed is None:
        try:
            drawing = _clean(layout(_source(graph, order)), graph)
        except LayoutError:
            log.exception("The map of debate %s could not be laid out", graph.debate.slug)
            return mark_safe("")
        # Compressed: a large map's SVG shrinks tenfold, under memcached's 1 MB per item.
        cache.set(key, zlib.compress(drawing.encode()), CACHE_TIMEOUT)
    else:
        drawing = zlib.decompress(packed).decode()
    return mark_safe("".join(_fill(drawing, graph)))


def reading_order(graph: DebateGraph) -> list[Argument]:
    """The thesis, then its answers level by level in link order: the order of the nodes in
    the SVG, so the Tab key walks the map from the thesis outwards. Arguments the viewer sees
    but that reach the thesis only through one they do not see come last."""
    order, seen = [], {graph.debate.thesis_id}
    queue = deque([graph.debate.thesis_id])
    while queue:
        pk = queue.popleft()
        order.append(graph.arguments[pk])
        for link in graph.answers(pk):
            if link.source_id not in seen:
                seen.add(link.source_id)
                queue.append(link.source_id)
    order += [argument for pk, argument in sorted(graph.arguments.items()) if pk not in seen]
    return order


def layout_key(graph: DebateGraph, order: list[Argument]) -> str:
    """A digest of everything the layout shows: a changed text, status or link changes it."""
    digest = hashlib.sha256()
    digest.update(repr((VERSION, get_language(), graph.debate.title)).encode())
    for argument in order:
        text = "" if argument.placeholder else argument.text
        status = str(argument.status)
        digest.update(repr((argument.pk, status, argument.placeholder, text)).encode())
    for link in graph.links:
        digest.update(repr((link.source_id, link.target_id, str(link.relation))).encode())
    return f"argmap:{digest.hexdigest()}"


def layout(source: graphviz.Digraph) -> bytes:
    """Graphviz's SVG for the DOT source: the one slow step, which the cache saves."""
    try:
        return source.pipe(format="svg", quiet=True)
    except (graphviz.ExecutableNotFound, subprocess.CalledProcessError, OSError) as error:
        raise LayoutError(str(error)) from error


def long_edge_load(graph: DebateGraph, order: list[Argument]) -> int:
    """About how many virtual nodes dot will need for this graph.

    Like dot: a depth-first search from the arguments in reading order turns round the links
    that close a cycle; then each argument goes one layer beyond the farthest of the arguments
    it answers (longest-path layering, which dot's own ranking can only shorten), and a link
    across k layers costs k - 1 virtual nodes.
    """
    outgoing = defaultdict(list)
    for link in graph.links:
        outgoing[link.source_id].append(link.target_id)
    layer: dict[int, int] = {}
    entered: set[int] = set()
    for argument in order:
        if argument.pk in entered:
            continue
        entered.add(argument.pk)
        stack = [(argument.pk, iter(outgoing[argument.pk]))]
        while stack:
            pk, targets = stack[-1]
            target = next((t for t in targets if t not in entered), None)
            if target is not None:
                entered.add(target)
                stack.append((target, iter(outgoing[target])))
                continue
            stack.pop()
            # Targets still on the stack close a cycle: they have no layer yet and do not count.
            done = [layer[t] for t in outgoing[pk] if t in layer]
            layer[pk] = 1 + max(done, default=-1)
    return sum(
        max(0, abs(layer[link.source_id] - layer[link.target_id]) - 1) for link in graph.links
    )


def _engine(graph: DebateGraph, order: list[Argument]) -> tuple[str, dict]:
    if long_edge_load(graph, order) <= DOT_BUDGET:
        return "dot", {**GRAPH, **DOT}
    return "sfdp", {**GRAPH, **SFDP}


def _source(graph: DebateGraph, order: list[Argument]) -> graphviz.Digraph:
    engine, attributes = _engine(graph, order)
    dot = graphviz.Digraph(
        name="argmap", engine=engine, graph_attr=attributes, node_attr=NODE, edge_attr={}
    )
    for argument in order:
        dot.node(_name(argument.pk), **_node_attributes(graph, argument))
    for link in graph.links:
        dot.edge(_name(link.source_id), _name(link.target_id), **EDGE[link.relation])
    return dot


def _name(pk: int) -> str:
    return f"a{pk}"


def _node_attributes(graph: DebateGraph, argument: Argument) -> dict[str, str]:
    if argument.placeholder:  # a neutral box: no text, no link
        return {
            "class": "placeholder",
            "label": "",
            "style": "rounded,dashed,filled",
            "fillcolor": "#eeeeec",
            "color": "#8a949b",
            "width": "0.7",
            "height": "0.3",
        }
    classes = ["argument"]
    attributes = {"fillcolor": "#ffffff"}
    if argument.pk == graph.debate.thesis_id:
        classes.append("thesis")
        attributes |= {"fontname": "Helvetica-Bold", "fontsize": "12", "peripheries": "2"}
        attributes["label"] = _label(argument.text, THESIS_WIDTH, THESIS_LINES)
    else:
        attributes["label"] = _label(argument.text, LABEL_WIDTH, LABEL_LINES)
    if argument.status != ArgumentStatus.PUBLISHED:  # a moderator's or its author's view
        classes.append(argument.status)
        attributes["style"] = "rounded,filled,dotted"
    attributes["class"] = " ".join(classes)
    return attributes


def _label(text: str, width: int, lines: int) -> str:
    """The claim wrapped to a few lines, cut with an ellipsis; the title holds it in full.

    Each line goes through the package's `escape` (a backslash stays a backslash, `\\N` is not
    the node's name, `<...>` is no HTML label) and `&` is written `&amp;`, because Graphviz
    would read `&amp;` in a claim as an entity and print `&`.
    """
    wrapped = textwrap.wrap(text, width, max_lines=lines, placeholder=" …") or [""]
    return graphviz.nohtml(
        "\\n".join(graphviz.escape(line.replace("&", "&amp;")) for line in wrapped)
    )


class _Parts(list):
    """The SVG as strings, with slots (a kind and an argument id between NULs) where each
    request fills in the strengths."""

    def text(self, *strings: str) -> None:
        self.extend(strings)

    def slot(self, kind: str, pk: int) -> None:
        self.append(f"{_SLOT}{kind}{pk}{_SLOT}")


def _local(tag: str) -> str:
    return tag.removeprefix(_SVG)


def _attributes(element: ET.Element, *, skip: tuple[str, ...] = ()) -> str:
    return "".join(
        f' {name}="{escape(value)}"'
        for name, value in element.attrib.items()
        if name in _ATTRIBUTES and name not in skip
    )


def _clean(raw: bytes, graph: DebateGraph) -> str:
    """Graphviz's SVG rebuilt from the whitelist, with slots for the strengths."""
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as error:
        raise LayoutError(f"Graphviz wrote no readable SVG: {error}") from error
    drawing = root.find(f"{_SVG}g")
    if drawing is None or root.get("viewBox") is None:
        raise LayoutError("Graphviz wrote an empty SVG")
    title = _("Argument map: %(title)s") % {"title": graph.debate.title}
    parts = _Parts()
    # No role="img": that would hide the links inside from assistive technology.
    parts.text(
        f'<svg class="argmap-svg" width="100%" viewBox="{escape(root.get("viewBox"))}"'
        ' aria-labelledby="argmap-title">',
        f'<title id="argmap-title">{escape(title)}</title>',
        f'<g class="graph" transform="{escape(drawing.get("transform") or "")}">',
    )
    for group in drawing.iterfind(f"{_SVG}g"):  # skips Graphviz's title and background
        classes = (group.get("class") or "").split()
        if "node" in classes:
            _node(parts, group, classes, graph)
        elif "edge" in classes:
            parts.text(f'<g class="{escape(" ".join(classes))}" aria-hidden="true">')
            for shape in _shapes(group):
                parts.text(f"<{_local(shape.tag)}{_attributes(shape)}/>")
            parts.text("</g>")
    parts.text("</g></svg>")
    return "".join(parts)


def _shapes(group: ET.Element) -> Iterator[ET.Element]:
    return (element for element in group.iter() if _local(element.tag) in _SHAPES)


def _node(parts: _Parts, group: ET.Element, classes: list[str], graph: DebateGraph) -> None:
    name = group.findtext(f"{_SVG}title") or ""
    argument = graph.arguments[int(name.removeprefix("a"))]
    pk = argument.pk
    if argument.placeholder:
        parts.text(
            f'<g class="{escape(" ".join(classes))}">',
            f"<title>{escape(_('Hidden by the moderators'))}</title>",
        )
        for shape in _shapes(group):
            parts.text(f"<{_local(shape.tag)}{_attributes(shape)}/>")
        parts.text("</g>")
        return
    parts.text(f'<g class="{escape(" ".join(classes))}"')
    parts.slot(_DATA, pk)
    parts.text(
        f'><a href="{escape(argument.get_absolute_url())}">',
        f"<title>{escape(argument.text.replace(_SLOT, ''))}</title>",
    )
    for shape in _shapes(group):
        parts.text(f"<{_local(shape.tag)}{_attributes(shape, skip=('fill', 'stroke-width'))}")
        if shape.get("fill", "none") != "none":
            parts.slot(_FILL, pk)
        else:
            parts.text(' fill="none"')
        parts.slot(_PEN, pk)
        parts.text("/>")
    for text in group.iter(f"{_SVG}text"):
        parts.text(f"<text{_attributes(text)}>{escape(''.join(text.itertext()))}</text>")
    parts.text("</a></g>")


def _fill(drawing: str, graph: DebateGraph) -> Iterator[str]:
    """The drawing with this request's strengths: a stronger argument has a darker box and a
    heavier border."""
    values: dict[int, float] = {}
    for n, part in enumerate(drawing.split(_SLOT)):
        if n % 2 == 0:
            yield part
            continue
        kind, pk = part[0], int(part[1:])
        if pk not in values:
            values[pk] = strength(graph.arguments[pk])
        value = values[pk]
        if kind == _DATA:
            yield f' data-strength="{value:.2f}"'
        elif kind == _FILL:
            yield f' fill="{_shade(value, thesis=pk == graph.debate.thesis_id)}"'
        else:
            yield f' stroke-width="{0.6 + 2.4 * value:.2f}"'


def _shade(value: float, *, thesis: bool) -> str:
    """White for 0 towards a mid tone for 1: warm for the thesis, cool for the others. Dark
    text stays above 7:1 contrast on every shade."""
    light, dark = (
        ((255, 250, 222), (240, 205, 96)) if thesis else ((255, 255, 255), (170, 206, 222))
    )
    red, green, blue = (round(a + (b - a) * value) for a, b in zip(light, dark, strict=True))
    return f"#{red:02x}{green:02x}{blue:02x}"
