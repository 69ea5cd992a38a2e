"""The argument map: the debate laid out by Graphviz as inline SVG, and the outline below it."""

import os
import random
import re
import time
import xml.etree.ElementTree as ET
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from debates import argmap
from debates.graph import MAP_DEPTH, DebateGraph
from debates.models import Argument, Debate, Link, Strength, arguments_reaching
from debates.moderation.services import moderate_argument, moderators_group
from debates.services import argument_rebut, vote_cast

SLUG = "is-klantgerichtheid-het-slechtste-idee"
# What the cleaned SVG may hold: the elements and attributes argmap writes, nothing else.
ELEMENTS = {"svg", "title", "defs", "marker", "g", "a", "path", "rect", "text"}
ATTRIBUTES = {
    "class", "width", "viewBox", "aria-labelledby", "aria-hidden", "id", "transform", "href",
    "data-strength", "orient", "markerUnits", "overflow", "stroke-dasharray", "marker-end", "d",
    "x", "y", "height", "rx", "fill", "stroke-width",
}  # fmt: skip


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def layouts(monkeypatch):
    """Counts the calls to Graphviz."""
    calls = []
    real = argmap.layout

    def counted(source):
        calls.append(source)
        return real(source)

    monkeypatch.setattr(argmap, "layout", counted)
    return calls


def svg_of(html: str) -> str:
    found = re.findall(r'<svg class="argmap-svg".*?</svg>', html, re.S)
    assert len(found) == 1
    return found[0]


def nodes(svg: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<a href="/arguments/(\d+)/"', svg)]


def parsed(svg: str) -> ET.Element:
    """The SVG as XML: well formed, and nothing in it but the whitelist."""
    root = ET.fromstring(svg)
    for element in root.iter():
        assert element.tag in ELEMENTS, element.tag
        assert set(element.attrib) <= ATTRIBUTES, element.attrib
    return root


def names(html: str) -> dict[int, str]:
    """The accessible name of each argument's link on the map: its <title>, or the claim it
    points to with aria-labelledby, written out in the outline below."""
    claims = {
        int(pk): unescape(text)
        for pk, text in re.findall(r'<a id="c(\d+)" href="/arguments/\1/">([^<]*)</a>', html)
    }
    found = {}
    for link in parsed(svg_of(html)).iter("a"):
        pk = int(re.fullmatch(r"/arguments/(\d+)/", link.get("href"))[1])
        label = link.get("aria-labelledby")
        found[pk] = claims[int(label.removeprefix("c"))] if label else link.findtext("title")
    return found


def map_page(client, slug: str = SLUG) -> str:
    response = client.get(f"/debates/{slug}/map/")
    assert response.status_code == 200
    return response.content.decode()


def make_debate(slug: str, *texts: str, links=()) -> tuple[Debate, list[Argument]]:
    """Arguments with these texts (the first is the thesis); links as (source, target, relation)
    by index."""
    arguments = [Argument.objects.create(text=text) for text in texts]
    for source, target, relation in links:
        Link.objects.create(source=arguments[source], target=arguments[target], relation=relation)
    debate = Debate.objects.create(slug=slug, title=f"{slug}?", thesis=arguments[0])
    return debate, arguments


def test_the_map_draws_a_linked_node_per_argument_and_the_outline_below(
    client, graph, django_assert_max_num_queries
):
    debate = Debate.objects.get(slug=SLUG)
    ids = set(arguments_reaching(debate.thesis_id))

    # The debate, its arguments (CTE, rows), its links, the locked debates: whatever its size.
    with django_assert_max_num_queries(5):
        html = map_page(client)

    svg = svg_of(html)
    drawn = nodes(svg)
    assert sorted(drawn) == sorted(ids)  # each argument once, each a link to its page
    root = parsed(svg)
    assert root.get("width") == "100%" and root.get("viewBox")
    assert root.get("aria-labelledby") == "argmap-title" and "role" not in root.attrib
    konrad = graph["konrad-geen-vrijbrief"]
    link = root.find(f".//a[@href='/arguments/{konrad.pk}/']")
    # Named by the whole claim, written out once: in the outline below, not again in a title.
    assert link.get("aria-labelledby") == f"c{konrad.pk}" and link.find("title") is None
    texts = {argument.pk: argument.text for argument in Argument.objects.filter(pk__in=ids)}
    assert names(html) == texts
    label = " ".join(text.text for text in link.iter("text"))
    assert label.startswith(konrad.text[:20]) and len(label) < len(konrad.text)
    thesis = root.find(".//a[@class='thesis']")
    assert thesis.get("href") == f"/arguments/{debate.thesis_id}/"
    # The outline below is the map's text alternative, every argument written out once.
    written_out = set(re.findall(r'<li id="map-(\d+)"', html))
    assert written_out == {str(pk) for pk in ids}
    assert html.index('class="argmap-svg"') < html.index('id="outline"')
    assert "100 argumenten onder de stelling" in html
    assert konrad.text in html
    # Each answer says what it does to its parent, and on which side of the thesis it ends up.
    item = html[html.index(f'<li id="map-{konrad.pk}"') :][:600]
    side = re.match(rf'<li id="map-{konrad.pk}" class="map-(for|against) map-attack">', item)[1]
    assert '<span class="relation">valt aan</span>' in item  # its colours from the item's class
    words = {"for": "voor de stelling", "against": "tegen de stelling"}[side]
    assert f'<span class="side-label">{words}</span>' in item
    # Its votes: shown as ▲ n ▼ n, said as a sentence.
    konrad.refresh_from_db()
    up, down = konrad.up_votes, konrad.down_votes
    assert (
        f'<span class="meta" aria-hidden="true"><span>▲</span> {up} <span>▼</span> {down}' in item
    )
    assert f'<span class="visually-hidden">{up} voor, {down} tegen</span>' in item
    assert "js/map" in html and "<script>" not in html  # no inline script


def test_the_lead_counts_the_arguments_under_the_thesis_the_map_draws(client, graph):
    client.cookies["django_language"] = "en"

    html = map_page(client)

    assert "The thesis, with a double border, and 100 arguments under the thesis" in html
    assert len(nodes(svg_of(html))) == 100 + 1


def line_end(d: str) -> tuple[float, float]:
    """Where a line of the map ends: its start plus its relative curves and last straight piece."""
    start, _, rest = d.partition("c")
    x, y = (float(n) for n in start.removeprefix("M").split(","))
    curves, _, tip = rest.partition("l")
    moves = [pair.split(",") for pair in curves.split()][2::3] + ([tip.split(",")] if tip else [])
    for dx, dy in moves:
        x, y = x + float(dx), y + float(dy)
    return x, y


def boxes(root: ET.Element) -> list[tuple[float, float, float, float]]:
    """Each node's outer box, left, top, right, bottom, in the drawing's coordinates."""
    found = []
    for node in root.iterfind(".//*[@transform]"):
        if node.find("rect") is None:
            continue
        mx, my = (
            float(n)
            for n in re.fullmatch(r"translate\((.+),(.+)\)", node.get("transform")).groups()
        )
        rect = node.findall(".//rect")[-1]
        left, top = mx + float(rect.get("x")), my + float(rect.get("y"))
        found.append((left, top, left + float(rect.get("width")), top + float(rect.get("height"))))
    return found


def on_border(point: tuple[float, float], box: tuple[float, float, float, float]) -> bool:
    (x, y), (left, top, right, bottom) = point, box
    near = left - 1 <= x <= right + 1 and top - 1 <= y <= bottom + 1
    inside = left + 1 < x < right - 1 and top + 1 < y < bottom - 1
    return near and not inside


def test_attacks_and_supports_are_drawn_differently_not_by_colour_alone(client, graph):
    debate = Debate.objects.get(slug=SLUG)
    ids = set(arguments_reaching(debate.thesis_id))
    relations = list(
        Link.objects.filter(source__in=ids, target__in=ids).values_list("relation", flat=True)
    )

    root = parsed(svg_of(map_page(client)))

    edges = root.find(".//g[@class='edges']")
    assert edges.get("aria-hidden") == "true"  # the outline says it in words
    attacks, supports = (
        edges.find(f"g[@class='{relation}']") for relation in ("attack", "support")
    )
    assert len(attacks.findall("path")) == relations.count("attack") > 0
    assert len(supports.findall("path")) == relations.count("support") > 0
    # An attack is dashed and ends in a bar, a support is solid and ends in an arrow.
    assert attacks.get("stroke-dasharray") and supports.get("stroke-dasharray") is None
    heads = {marker.get("id"): marker.find("path").get("d") for marker in root.iter("marker")}
    assert attacks.get("marker-end") == "url(#argmap-attack)"
    assert supports.get("marker-end") == "url(#argmap-support)"
    assert heads["argmap-attack"] != heads["argmap-support"]
    # Each line ends on the border of a box: its arrow or bar touches what it answers.
    drawn = boxes(root)
    assert len(drawn) == len(ids)
    for line in edges.iter("path"):
        end = line_end(line.get("d"))
        assert any(on_border(end, box) for box in drawn), (line.get("d"), end)


@pytest.mark.django_db
def test_claims_cannot_bring_markup_into_the_map(client):
    hostile = '<script>alert(1)</script>" ] onload=x'
    entity = "Dit &amp; dat is geen &lt;b&gt; maar tekst \\N met een backslash \\"
    make_debate(
        "vijandig",
        hostile,
        entity,
        "<b>vet</b> &nbsp; en ]]> als gewone tekst",
        links=[(1, 0, "attack"), (2, 0, "support")],
    )

    html = map_page(client, "vijandig")

    svg = svg_of(html)
    assert "<script" not in svg and "<b>" not in svg  # and `parsed` finds no onload attribute
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&quot; ]" in svg  # its label, escaped
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&amp;amp;" in svg  # the claim's literal "&amp;", not an ampersand
    root = parsed(svg)
    claims = names(html).values()
    assert hostile in claims and entity in claims
    labels = {" ".join(text.text for text in link.iter("text")) for link in root.iter("a")}
    assert any(label.startswith("Dit &amp; dat is geen &lt;b&gt;") for label in labels)
    assert any("\\N" in label for label in labels)  # not Graphviz's node name
    for junk in ("<?xml", "<!DOCTYPE", "<!--", "xmlns", "Generated by"):
        assert junk not in svg


def test_an_unchanged_debate_is_laid_out_once(client, graph, layouts):
    first = map_page(client)
    again = map_page(client)

    assert len(layouts) == 1
    assert svg_of(again) == svg_of(first)


@pytest.fixture
def member(db):
    return get_user_model().objects.create_user("marieke", password="een-lang-wachtwoord-9")


@pytest.fixture
def moderator(db):
    user = get_user_model().objects.create_user("mira", password="een-lang-wachtwoord-9")
    user.groups.add(moderators_group())
    return user


def strength_on_map(svg: str, pk: int) -> str:
    found = re.search(rf'<a href="/arguments/{pk}/"[^>]* data-strength="([0-9.]+)"', svg)
    return found.group(1)


def test_a_vote_shows_at_once_without_a_new_layout(client, graph, layouts, member):
    # A strong reader's claim: one vote moves its strength in the second decimal.
    target = graph["konrad-geen-vrijbrief"]
    before = strength_on_map(svg_of(map_page(client)), target.pk)

    vote_cast(member, target, "down")
    after = strength_on_map(svg_of(map_page(client)), target.pk)

    assert after == f"{Strength.objects.get(argument=target).strength:.2f}" != before
    assert len(layouts) == 1  # strengths only shade the nodes: no new layout


def test_a_new_text_a_new_link_or_a_hidden_argument_is_laid_out_again(
    client, graph, layouts, member, moderator
):
    target = graph["dejong-vrijbrief"]
    map_page(client)

    Argument.objects.filter(pk=target.pk).update(text="Een herschreven bewering over de klant.")
    assert "Een herschreven bewering" in svg_of(map_page(client))
    assert len(layouts) == 2

    reply = argument_rebut(member, target, "De klant weet zelf ook niet wat hij wil.", "attack")
    assert reply.pk in nodes(svg_of(map_page(client)))
    assert len(layouts) == 3

    moderate_argument(moderator, reply, "hide", "Herhaalt een eerder argument.")
    svg = svg_of(map_page(client))
    assert reply.pk not in nodes(svg) and "De klant weet zelf" not in svg
    assert svg.count('<g class="placeholder"') == 1  # its place kept, without text or link
    assert len(layouts) == 4


@pytest.mark.django_db
def test_a_cycle_and_a_deep_chain_are_drawn_in_full(client):
    chain = Argument.objects.bulk_create(
        Argument(text=f"Schakel {n} van een lange keten") for n in range(MAP_DEPTH + 5)
    )
    Link.objects.bulk_create(
        Link(source=chain[n + 1], target=chain[n], relation="attack") for n in range(len(chain) - 1)
    )
    Link.objects.create(source=chain[0], target=chain[3], relation="support")  # a cycle
    debate = Debate.objects.create(slug="keten", title="Keten?", thesis=chain[0])

    html = map_page(client, "keten")

    # The map draws every argument, also those the outline leaves to a deeper page.
    assert sorted(nodes(svg_of(html))) == [argument.pk for argument in chain]
    assert len(parsed(svg_of(html)).findall(".//g[@class='support']/path")) == 1
    assert f"Schakel {MAP_DEPTH} van" in html
    outline = html[html.index('id="outline"') :]
    assert f"Schakel {MAP_DEPTH + 1} van" not in outline  # beyond the depth: a link instead
    assert f'href="/debates/keten/arguments/{chain[MAP_DEPTH].pk}/"' in outline
    assert 'class="map-repeat"' in outline  # the thesis, met again through the cycle
    assert debate.get_absolute_url() in html
    # Every link on the map is named by its whole claim: taken from the outline where it is
    # written out, and from a title of its own beyond the outline's depth.
    assert names(html) == {argument.pk: argument.text for argument in chain}
    root = parsed(svg_of(html))
    deep = root.find(f".//a[@href='/arguments/{chain[MAP_DEPTH + 1].pk}/']")
    assert deep.findtext("title") == chain[MAP_DEPTH + 1].text
    shallow = root.find(f".//a[@href='/arguments/{chain[MAP_DEPTH].pk}/']")
    assert shallow.find("title") is None and shallow.get("aria-labelledby")


@pytest.mark.django_db
def test_a_debate_of_one_argument(client):
    client.cookies["django_language"] = "en"
    debate, (thesis,) = make_debate("alleen", "Een stelling zonder enig antwoord.")

    html = map_page(client, "alleen")

    svg = svg_of(html)
    assert nodes(svg) == [thesis.pk]
    assert not list(parsed(svg).find(".//g[@class='edges']").iter("path"))
    assert "The thesis, with a double border, and 0 arguments under the thesis" in html


def test_without_graphviz_the_page_keeps_the_outline(client, graph, monkeypatch):
    def broken(source):
        raise argmap.LayoutError("dot: not found")

    monkeypatch.setattr(argmap, "layout", broken)
    client.cookies["django_language"] = "en"

    html = map_page(client)

    assert 'class="argmap-svg"' not in html
    assert "The map cannot be drawn just now" in html
    assert graph["konrad-geen-vrijbrief"].text in html


def test_a_moderator_sees_hidden_arguments_marked_on_the_map(client, graph, moderator):
    target = graph["konrad-geen-vrijbrief"]
    moderate_argument(moderator, target, "hide", "Te fel geformuleerd.")
    client.force_login(moderator)

    svg = svg_of(map_page(client))

    assert target.pk in nodes(svg)
    assert f'<a href="/arguments/{target.pk}/" class="hidden"' in svg


# A synthetic debate for the size the map must handle: no database, every argument in memory.

WORDS = [
    "klant", "centraal", "organisatie", "winst", "waarde", "medewerkers", "aandeelhouders",
    "strategie", "belofte", "service", "chatbot", "markt", "prijs", "kwaliteit", "vertrouwen",
]  # fmt: skip


def synthetic_graph(size: int, window: int, extra: int, seed: int = 1) -> DebateGraph:
    """`size` arguments, each answering one of the `window` before it, and `extra` links more
    between random pairs (cycles included)."""
    rng = random.Random(seed)
    arguments = {}
    for pk in range(1, size + 1):
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 30)))
        argument = Argument(pk=pk, text=f"{pk}: {words}.")
        argument.placeholder = False
        argument.score = Strength(base=0.5, strength=rng.random())
        arguments[pk] = argument
    debate = Debate(pk=1, slug="synthetisch", title="Synthetisch?", thesis=arguments[1])
    pairs = {(pk, rng.randrange(max(1, pk - window), pk)) for pk in range(2, size + 1)}
    while len(pairs) < size - 1 + extra:
        pairs.add(tuple(rng.sample(range(1, size + 1), 2)))
    relations = ["attack", "support"]
    links = [
        Link(pk=n, source=arguments[s], target=arguments[t], relation=rng.choice(relations))
        for n, (s, t) in enumerate(sorted(pairs), start=1)
    ]
    graph = DebateGraph(debate=debate, arguments=arguments, links=links)
    for link in links:
        graph.incoming[link.target_id].append(link)
    return graph


# Tree-like debates and their worst cases: (window, extra links) of `synthetic_graph`.
SHAPES = [(1000, 0), (1000, 50), (1000, 200), (100, 50), (20, 50), (5, 50), (1, 20), (20, 200),
          (1, 100), (1000, 500)]  # fmt: skip


def test_a_thousand_argument_map():
    """The size the map is built for; MAP_BENCHMARK=1 times each shape (docs/map.md)."""
    shapes = SHAPES if os.environ.get("MAP_BENCHMARK") else SHAPES[1:2]
    for window, extra in shapes:
        graph = synthetic_graph(1000, window, extra)
        order = argmap.reading_order(graph)
        started = time.perf_counter()
        svg = argmap.map_svg(graph)
        elapsed = time.perf_counter() - started
        assert len(nodes(svg)) == 1000
        engine, _ = argmap._engine(graph, order)
        load = argmap.long_edge_load(graph, order)
        print(f"1000 arguments, window {window}, {extra} extra links: load {load}, {engine}, "
              f"{elapsed:.2f} s, {len(svg) // 1000} kB")  # fmt: skip


@pytest.mark.django_db
def test_a_thousand_argument_map_page(client):
    """The whole page over HTTP, laid out and then from the cache, every node drawn each time
    (the times it prints are the benchmark of docs/map.md, not assertions)."""
    graph = synthetic_graph(1000, 1000, 50)
    saved = Argument.objects.bulk_create(Argument(text=a.text) for a in graph.arguments.values())
    by_pk = dict(zip(graph.arguments, saved, strict=True))
    Link.objects.bulk_create(
        Link(source=by_pk[link.source_id], target=by_pk[link.target_id], relation=link.relation)
        for link in graph.links
    )
    Debate.objects.create(slug="groot", title="Groot?", thesis=by_pk[1])
    for attempt in ("laid out", "cached", "cached"):
        started = time.perf_counter()
        html = map_page(client, "groot")
        print(f"1000-argument map page, {attempt}: {time.perf_counter() - started:.2f} s")
        assert len(nodes(svg_of(html))) == 1000
