"""The argument map: a debate's graph laid out by Graphviz, as SVG that is safe to inline.

Graphviz places every node and routes every edge (`dot`, or `sfdp` for graphs `dot` would take
too long on; docs/map.md has the figures); this module says what to draw and rebuilds what comes
back. The SVG is written anew from what a drawing needs of Graphviz's (the numbers of its boxes,
lines and label lines, and the label texts), in a short list of elements and attributes of this
module's making, so a claim cannot bring markup into the page whatever Graphviz does with it,
and the prolog, doctype, comments and Graphviz's own ids and titles are gone. It is small: the
paint is site.css's, the claims are named from the outline under the map (docs/map.md, "Size").

Laying out is the slow part, so the layout is cached under a digest of everything it depends on
(the arguments, their texts and statuses, the links, the language). Strengths only shade the
nodes: they are filled in on every request, so a vote shows at once without a new layout.
"""

import hashlib
import logging
import math
import re
import subprocess
import textwrap
import xml.etree.ElementTree as ET
import zlib
from collections import defaultdict, deque
from collections.abc import Iterator
from html import escape
from typing import NamedTuple

import graphviz
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from debates.graph import MAP_DEPTH, DebateGraph, debate_map
from debates.models import Argument
from debates.vocabulary import ArgumentStatus, Relation

log = logging.getLogger(__name__)

# Part of every cache key: bump it when the drawing changes, so a shared cache lays out again.
VERSION = 2
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
# What shapes the layout. The paint (colours, dashes, the font's colour and weight) is site.css's:
# section `.argmap-svg`, so the SVG does not repeat it on every shape.
NODE = {
    "shape": "box",
    "style": "filled",  # marks the box that takes the strength's shade (the thesis has two)
    "fontname": "Helvetica",
    "fontsize": "10",
    "margin": "0.08,0.04",
    "width": "0",
    "height": "0",
}
# Not by colour alone: an attack is dashed and ends in a bar, a support is solid and ends in an
# arrow (DASHES and HEADS below draw them; Graphviz's arrowheads only shape the layout).
EDGE = {
    Relation.ATTACK.value: {"class": "attack", "arrowhead": "tee", "penwidth": "1.3"},
    Relation.SUPPORT.value: {
        "class": "support",
        "arrowhead": "normal",
        "arrowsize": "0.8",
        "penwidth": "1.3",
    },
}

# The ends of the lines, each drawn once as a marker: Graphviz's `tee` and, at `arrowsize` 0.8,
# its `normal` arrowhead, in points, with the tip at 0 and the line coming in from the left.
HEADS = {
    Relation.ATTACK.value: "M-5,0H0M-3,-5H-1V5H-3Z",  # a bar across the line's end
    Relation.SUPPORT.value: "M0,0L-8,-2.8V2.8Z",  # an arrow
}
DASHES = {Relation.ATTACK.value: "5,2"}

_SVG = "{http://www.w3.org/2000/svg}"
# The corner radius of a box: Graphviz's for `style=rounded` (12 points, at most a third of the
# shorter side), drawn as a <rect rx> instead of its 400-byte path.
RADIUS = 12
# Decimals kept: whole points for the lines, tenths where small shapes (arrowheads, the bar of an
# attack, the half points of centred boxes and text) need them.
_LINE, _SHAPE = 0, 1
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
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
    digest.update(repr((VERSION, MAP_DEPTH, get_language(), graph.debate.title)).encode())
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
    if argument.placeholder:  # a small neutral box: no text, no link
        return {"class": "placeholder", "label": "", "width": "0.7", "height": "0.3"}
    classes, attributes = [], {}
    if argument.pk == graph.debate.thesis_id:
        classes.append("thesis")
        attributes |= {"fontname": "Helvetica-Bold", "fontsize": "12", "peripheries": "2"}
        attributes["label"] = _label(argument.text, THESIS_WIDTH, THESIS_LINES)
    else:
        attributes["label"] = _label(argument.text, LABEL_WIDTH, LABEL_LINES)
    if argument.status != ArgumentStatus.PUBLISHED:  # a moderator's or its author's view
        classes.append(argument.status)  # site.css dots its border
    if classes:
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


def _number(value: float, places: int) -> str:
    text = f"{value:.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _numbers(text: str | None) -> list[float]:
    return [float(number) for number in _NUMBER.findall(text or "")]


def _pairs(shape: ET.Element) -> list[tuple[float, float]]:
    numbers = _numbers(shape.get("points"))
    return list(zip(numbers[0::2], numbers[1::2], strict=False))


def _clean(raw: bytes, graph: DebateGraph) -> str:
    """Graphviz's SVG rebuilt from the whitelist, with slots for the strengths.

    What is the same everywhere is not written per shape: the ends of the lines are two
    markers, the dashes of the attacks are said once on their group, and the colours and fonts
    are site.css's (`.argmap-svg`). Each shape keeps its geometry, to a point or a tenth, and a
    node the slots of its strength.
    """
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as error:
        raise LayoutError(f"Graphviz wrote no readable SVG: {error}") from error
    drawing = root.find(f"{_SVG}g")
    if drawing is None or root.get("viewBox") is None:
        raise LayoutError("Graphviz wrote an empty SVG")
    title = _("Argument map: %(title)s") % {"title": graph.debate.title}
    lines: dict[str, list[str]] = {relation: [] for relation in HEADS}
    nodes = _Parts()
    outlined = _outlined(graph)
    for group in drawing.iterfind(f"{_SVG}g"):  # skips Graphviz's title and background
        classes = (group.get("class") or "").split()
        if "node" in classes:
            _node(nodes, group, classes, graph, outlined)
        elif "edge" in classes:
            relation = next(relation for relation in HEADS if relation in classes)
            lines[relation].append(_line(group))
    # No role="img": that would hide the links inside from assistive technology. The edges go
    # under the nodes, hidden from it: the outline says in words what they draw.
    parts = [
        f'<svg class="argmap-svg" width="100%" viewBox="{escape(root.get("viewBox"))}"'
        ' aria-labelledby="argmap-title">',
        f'<title id="argmap-title">{escape(title)}</title><defs>',
    ]
    for relation, head in HEADS.items():
        parts.append(
            f'<marker id="argmap-{relation}" class="{relation}" orient="auto"'
            f' markerUnits="userSpaceOnUse" overflow="visible"><path d="{head}"/></marker>'
        )
    parts += [
        f'</defs><g class="graph" transform="{escape(drawing.get("transform") or "")}">',
        '<g class="edges" aria-hidden="true">',
    ]
    for relation, paths in lines.items():
        dashes = f' stroke-dasharray="{DASHES[relation]}"' if relation in DASHES else ""
        parts.append(f'<g class="{relation}"{dashes} marker-end="url(#argmap-{relation})">')
        parts += (f'<path d="{path}"/>' for path in paths)
        parts.append("</g>")
    parts += ["</g>", *nodes, "</g></svg>"]
    return "".join(parts)


def _line(group: ET.Element) -> str:
    """An edge as one path: Graphviz's spline (`M` and `C` only) in relative coordinates, in
    whole points and its end to a tenth, then a straight piece on to the tip of Graphviz's
    arrowhead, so that the marker at its end points where Graphviz's arrowhead points."""
    spline = group.find(f"{_SVG}path")
    numbers = _numbers(spline.get("d") if spline is not None else "")
    points = list(zip(numbers[0::2], numbers[1::2], strict=False))
    if not points or (len(points) - 1) % 3:
        raise LayoutError("Graphviz drew an edge that is no spline")
    places = [_LINE] * (len(points) - 1) + [_SHAPE]
    ends = [(round(x, n), round(y, n)) for (x, y), n in zip(points, places, strict=True)]
    (x, y), moves = ends[0], []
    for n, (px, py) in enumerate(ends[1:], start=1):  # each curve's three points from its start
        moves.append(f"{_number(px - x, places[n])},{_number(py - y, places[n])}")
        if n % 3 == 0:
            x, y = px, py
    d = f"M{_number(ends[0][0], _LINE)},{_number(ends[0][1], _LINE)}c{' '.join(moves)}"
    # The arrowhead's points, each once (a polygon repeats its first): a symmetric figure.
    head = list(dict.fromkeys(p for shape in group if shape is not spline for p in _pairs(shape)))
    if head:
        # The tip: of the arrowhead's points the farthest on, in the direction from the end of
        # the spline to the arrowhead's middle.
        end = points[-1]
        middle = (sum(p[0] for p in head) / len(head), sum(p[1] for p in head) / len(head))
        way = (middle[0] - end[0], middle[1] - end[1])
        tip = max(head, key=lambda p: (p[0] - end[0]) * way[0] + (p[1] - end[1]) * way[1])
        d += f"l{_number(round(tip[0], 1) - x, _SHAPE)},{_number(round(tip[1], 1) - y, _SHAPE)}"
    return d


def _outlined(graph: DebateGraph) -> set[int]:
    """The arguments whose claim the outline under the map writes out as a link (`debate_map`:
    each once, down to MAP_DEPTH). The map's link to such an argument takes its name from there
    (`aria-labelledby`, the outline's `id="c<id>"`) instead of repeating the claim in a <title>."""
    outlined, stack = set(), [debate_map(graph)]
    while stack:
        node = stack.pop()
        if not (node.repeated or node.argument.placeholder):
            outlined.add(node.argument.pk)
        stack += node.children
    return outlined


def _node(
    parts: _Parts, group: ET.Element, classes: list[str], graph: DebateGraph, outlined: set[int]
) -> None:
    """An argument as a link, in coordinates of its own from the middle of its box (its label's
    lines, centred there, then need one short number each); a hidden one as a bare box. The
    link's name is the whole claim: the outline's, or a <title> where the outline has none."""
    name = group.findtext(f"{_SVG}title") or ""
    argument = graph.arguments[int(name.removeprefix("a"))]
    pk = argument.pk
    boxes = [_box(polygon) for polygon in group.iterfind(f"{_SVG}polygon")]
    if not boxes:
        raise LayoutError(f"Graphviz drew no box for {name}")
    outer = boxes[-1]  # the thesis has two
    mx, my = round(outer.left + outer.width / 2, 1), round(outer.top + outer.height / 2, 1)
    at = f' transform="translate({_number(mx, _SHAPE)},{_number(my, _SHAPE)})"'
    own = " ".join(word for word in classes if word != "node")
    marked = f' class="{escape(own)}"' if own else ""
    if argument.placeholder:
        parts.text(f"<g{marked}{at}><title>{escape(_('Hidden by the moderators'))}</title>")
        parts.text(*(f"{_rect(box, mx, my)}/>" for box in boxes), "</g>")
        return
    parts.text(f'<a href="{escape(argument.get_absolute_url())}"{marked}')
    if pk in outlined:
        parts.text(f' aria-labelledby="c{pk}"')
    parts.slot(_DATA, pk)
    parts.text(f"{at}>")
    if pk not in outlined:
        parts.text(f"<title>{escape(argument.text.replace(_SLOT, ''))}</title>")
    for box in boxes:
        parts.text(_rect(box, mx, my))
        if box.filled:
            parts.slot(_FILL, pk)
        else:
            parts.text(' fill="none"')
        parts.slot(_PEN, pk)
        parts.text("/>")
    for text in group.iterfind(f"{_SVG}text"):
        x = _number(float(text.get("x", 0)) - mx, _SHAPE)
        y = _number(float(text.get("y", 0)) - my, _SHAPE)
        place = f' y="{y}"' if x == "0" else f' x="{x}" y="{y}"'
        parts.text(f"<text{place}>{escape(''.join(text.itertext()))}</text>")
    parts.text("</a>")


class _Box(NamedTuple):
    left: float
    top: float
    width: float
    height: float
    filled: bool


def _box(polygon: ET.Element) -> _Box:
    """A box Graphviz drew as a polygon."""
    numbers = _numbers(polygon.get("points"))
    xs, ys = numbers[0::2] or [0.0], numbers[1::2] or [0.0]
    filled = polygon.get("fill", "none") != "none"
    return _Box(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys), filled)


def _rect(box: _Box, mx: float, my: float) -> str:
    """The box as an unclosed <rect> around (mx, my), with Graphviz's rounded corners."""
    return (
        f'<rect x="{_number(box.left - mx, _SHAPE)}" y="{_number(box.top - my, _SHAPE)}"'
        f' width="{_number(box.width, _SHAPE)}" height="{_number(box.height, _SHAPE)}"'
        f' rx="{_number(min(RADIUS, box.width / 3, box.height / 3), _SHAPE)}"'
    )


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
            yield f' stroke-width="{_number(0.6 + 2.4 * value, 2)}"'


def _shade(value: float, *, thesis: bool) -> str:
    """White for 0 towards a mid tone for 1: warm for the thesis, cool for the others. Dark
    text stays above 7:1 contrast on every shade."""
    light, dark = (
        ((255, 250, 222), (240, 205, 96)) if thesis else ((255, 255, 255), (170, 206, 222))
    )
    red, green, blue = (round(a + (b - a) * value) for a, b in zip(light, dark, strict=True))
    return f"#{red:02x}{green:02x}{blue:02x}"
