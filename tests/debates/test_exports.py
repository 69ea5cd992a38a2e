"""The two debate exports (export.json and export.aif.json) over real HTTP through the client."""

import html
import json
import random
import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from articles.models import Article, Comment
from debates.corpus import load_corpus
from debates.exports import debate_aif, debate_json
from debates.graph import debate_graph
from debates.models import Argument, Debate, Link

# The view's whole cost: the debate by slug, then debate_graph's three queries. Pinned here so
# that a per-argument or per-link query anywhere on the way shows up as a failure.
EXPORT_QUERIES = 4
TAG = re.compile(r"<[^>]+>")


@pytest.fixture
def arguments(corpus):
    """The seed articles plus the extracted arguments, links and debates on top of them."""
    load_corpus()
    return corpus


def export(client, debate: Debate, kind: str = "json") -> dict:
    name = {"json": "debates:export-json", "aif": "debates:export-aif"}[kind]
    response = client.get(reverse(name, args=[debate.slug]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith(f'inline; filename="{debate.slug}')
    return json.loads(response.content)


def exports(client) -> dict[str, dict]:
    # The debate list links every debate; for now that is every debate in the database.
    return {debate.slug: export(client, debate) for debate in Debate.objects.all()}


def page_text(client, slug: str) -> str:
    """The article page as a reader sees it: tags stripped, then entities unescaped."""
    response = client.get(f"/articles/{slug}/")
    assert response.status_code == 200
    return html.unescape(TAG.sub("", response.content.decode()))


def test_the_urls_are_the_documented_ones():
    assert reverse("debates:export-json", args=["x"]) == "/debates/x/export.json"
    assert reverse("debates:export-aif", args=["x"]) == "/debates/x/export.aif.json"


def test_every_debate_exports_well_formed_json(client, arguments):
    debates = list(Debate.objects.all())
    assert len(debates) == 6

    for debate in debates:
        response = client.get(reverse("debates:export-json", args=[debate.slug]))
        assert response["Content-Disposition"] == f'inline; filename="{debate.slug}.json"'
        data = json.loads(response.content)

        assert list(data) == ["format", "debate", "arguments", "links"]
        assert data["format"] == "tegenspraak-debate/1"
        assert data["debate"] == {
            "slug": debate.slug,
            "title": debate.title,
            "status": debate.status,
            "thesis": debate.thesis_id,
        }
        ids = [argument["id"] for argument in data["arguments"]]
        assert ids == sorted(ids) and len(set(ids)) == len(ids)
        assert debate.thesis_id in ids
        for argument in data["arguments"]:
            assert list(argument) == ["id", "text", "status", "author", "source", "votes"]
            assert argument["status"] == "published"
            assert argument["text"]
            assert argument["votes"] == {"up": 0, "down": 0}
            if argument["source"] is not None:
                assert list(argument["source"]) == ["article", "comment", "quote", "start", "end"]
        pairs = [(link["from"], link["to"]) for link in data["links"]]
        assert pairs == sorted(pairs)
        for link in data["links"]:
            assert list(link) == ["from", "to", "relation"]
            assert link["relation"] in {"attack", "support"}
            assert link["from"] in ids and link["to"] in ids
        # Deterministic: no timestamp, so a second export is byte for byte the same.
        again = client.get(reverse("debates:export-json", args=[debate.slug]))
        assert again.content == response.content


def test_the_debates_together_cover_the_corpus(client, arguments):
    union_arguments, union_links = {}, {}
    for data in exports(client).values():
        union_arguments.update({argument["id"]: argument for argument in data["arguments"]})
        union_links.update({(link["from"], link["to"]): link for link in data["links"]})
    sourced = {pk: arg["source"] for pk, arg in union_arguments.items() if arg["source"]}

    assert len(sourced) >= 45
    assert {source["article"] for source in sourced.values()} == {
        article.slug for article in arguments.values()
    }
    assert sum(source["comment"] is not None for source in sourced.values()) >= 10
    assert len(union_links) >= 40
    assert sum(link["relation"] == "attack" for link in union_links.values()) >= 15
    across = [
        (source, target)
        for source, target in union_links
        if source in sourced
        and target in sourced
        and sourced[source]["article"] != sourced[target]["article"]
    ]
    assert len(across) >= 8


def test_the_author_is_whoever_wrote_the_claim(client, arguments):
    comments = Comment.objects.select_related("article").in_bulk()
    articles = Article.objects.in_bulk(field_name="slug")
    seen = set()
    for data in exports(client).values():
        for argument in data["arguments"]:
            source = argument["source"]
            if source is None:
                # The seed has no posted arguments: everything unsourced is an editorial thesis.
                assert argument["author"] is None
                seen.add("editorial")
            elif source["comment"] is not None:
                assert argument["author"] == comments[source["comment"]].author_name
                seen.add("comment")
            else:
                assert argument["author"] == (articles[source["article"]].author or None)
                seen.add("article")
    assert seen == {"editorial", "comment", "article"}


def test_every_quote_stands_verbatim_in_its_article_page(client, arguments):
    articles = Article.objects.in_bulk(field_name="slug")
    comments = Comment.objects.in_bulk()
    pages = {}
    checked = 0
    for data in exports(client).values():
        for argument in data["arguments"]:
            source = argument["source"]
            if source is None:
                continue
            article = articles[source["article"]]
            if source["comment"] is None:
                text = article.body_text
            else:
                comment = comments[source["comment"]]
                assert comment.article_id == article.pk
                text = comment.text
            assert source["end"] - source["start"] == len(source["quote"])
            assert text[source["start"] : source["end"]] == source["quote"]
            if article.slug not in pages:
                pages[article.slug] = page_text(client, article.slug)
            assert source["quote"] in pages[article.slug], source["quote"]
            checked += 1
    assert checked >= 45


def test_the_aif_export_mirrors_the_json_one(client, arguments):
    for debate in Debate.objects.all():
        data = export(client, debate)
        aif = export(client, debate, "aif")

        assert set(aif) <= {"nodes", "edges", "locutions", "participants", "metadata"}
        assert aif["locutions"] == [] and aif["participants"] == []
        assert aif["metadata"] == {"slug": debate.slug, "title": debate.title}
        nodes = {node["nodeID"]: node for node in aif["nodes"]}
        assert len(nodes) == len(aif["nodes"])
        assert all(isinstance(node["nodeID"], str) for node in aif["nodes"])
        by_type = {
            kind: [n for n in aif["nodes"] if n["type"] == kind] for kind in ["I", "RA", "CA"]
        }
        assert len(by_type["I"]) + len(by_type["RA"]) + len(by_type["CA"]) == len(nodes)

        assert {node["nodeID"]: node["text"] for node in by_type["I"]} == {
            f"I{argument['id']}": argument["text"] for argument in data["arguments"]
        }
        relations = [link["relation"] for link in data["links"]]
        assert len(by_type["RA"]) == relations.count("support")
        assert len(by_type["CA"]) == relations.count("attack")
        assert {node["text"] for node in by_type["RA"]} <= {"Default Inference"}
        assert {node["text"] for node in by_type["CA"]} <= {"Default Conflict"}

        assert len(aif["edges"]) == 2 * len(data["links"])
        assert len({edge["edgeID"] for edge in aif["edges"]}) == len(aif["edges"])
        for edge in aif["edges"]:
            assert isinstance(edge["edgeID"], str)
            assert edge["fromID"] in nodes and edge["toID"] in nodes
        # Every link reads I(from) -> scheme -> I(to), with the scheme matching its relation.
        into_scheme = {e["toID"]: e["fromID"] for e in aif["edges"] if e["fromID"][0] == "I"}
        out_of_scheme = {e["fromID"]: e["toID"] for e in aif["edges"] if e["toID"][0] == "I"}
        chains = {
            (into_scheme[scheme], out_of_scheme[scheme], nodes[scheme]["type"])
            for scheme in into_scheme
        }
        expected = {"support": "RA", "attack": "CA"}
        assert chains == {
            (f"I{link['from']}", f"I{link['to']}", expected[link["relation"]])
            for link in data["links"]
        }


def test_a_hidden_argument_leaves_both_exports_with_its_links(client, arguments):
    debate = Debate.objects.get(slug="moet-de-klant-centraal-staan")
    before = export(client, debate)
    # A non-thesis argument that both answers something and is answered itself.
    targets = {link["to"] for link in before["links"]}
    sources = {link["from"] for link in before["links"]}
    hidden_id = min((targets & sources) - {debate.thesis_id})
    Argument.objects.filter(pk=hidden_id).update(status=Argument.Status.HIDDEN)

    after = export(client, debate)
    aif = export(client, debate, "aif")

    ids = {argument["id"] for argument in after["arguments"]}
    assert hidden_id not in ids and debate.thesis_id in ids
    assert len(ids) < len(before["arguments"])
    assert all(hidden_id not in (link["from"], link["to"]) for link in after["links"])
    assert all(link["from"] in ids and link["to"] in ids for link in after["links"])
    node_ids = {node["nodeID"] for node in aif["nodes"]}
    assert f"I{hidden_id}" not in node_ids
    assert all(f"I{hidden_id}" not in (e["fromID"], e["toID"]) for e in aif["edges"])
    assert len(aif["edges"]) == 2 * len(after["links"])


def test_the_functions_themselves_make_no_queries(arguments, django_assert_num_queries):
    graph = debate_graph(Debate.objects.get(slug="moet-de-klant-centraal-staan"))
    with django_assert_num_queries(0):
        data = debate_json(graph)
        aif = debate_aif(graph)
    assert len(data["arguments"]) == len(graph.arguments) > 1
    assert len(aif["edges"]) == 2 * len(graph.links)


@pytest.mark.parametrize("kind", ["json", "aif"])
def test_the_query_count_does_not_grow_with_the_debate(
    client, arguments, kind, django_assert_max_num_queries
):
    debate = Debate.objects.get(slug="moet-de-klant-centraal-staan")
    with django_assert_max_num_queries(EXPORT_QUERIES) as queries:
        before = export(client, debate, kind)
    baseline = len(queries.captured_queries)

    # 50 posted arguments by a member, each answering one already in the debate.
    member = get_user_model().objects.create_user("lezer", password="x")
    rng = random.Random(50)
    in_debate = list(debate_graph(debate).arguments)
    for n in range(50):
        new = Argument.objects.create(text=f"Reactie {n}", author=member)
        relation = rng.choice(["attack", "support"])
        Link.objects.create(source=new, target_id=rng.choice(in_debate), relation=relation)
        in_debate.append(new.pk)

    with django_assert_max_num_queries(EXPORT_QUERIES) as queries:
        after = export(client, debate, kind)
    assert len(queries.captured_queries) == baseline
    if kind == "json":
        assert len(after["arguments"]) == len(before["arguments"]) + 50
        posted = [argument for argument in after["arguments"] if argument["text"][:8] == "Reactie "]
        assert {argument["author"] for argument in posted} == {"lezer"}
        assert all(argument["source"] is None for argument in posted)
    else:
        assert len(after["nodes"]) == len(before["nodes"]) + 100
        assert len(after["edges"]) == len(before["edges"]) + 100


def test_a_debate_of_a_thousand_arguments(client, db, django_assert_max_num_queries):
    rng = random.Random(1000)
    thesis = Argument.objects.create(text="Stelling")
    others = Argument.objects.bulk_create(Argument(text=f"Argument {n}") for n in range(1, 1000))
    everything = [thesis, *others]
    # A random tree towards the thesis: each argument answers one made before it ...
    parent = {}
    links = []
    for index in range(1, len(everything)):
        parent[index] = rng.randrange(index)
        links.append((index, parent[index]))
    # ... plus cycles (a node answers its grandchild) and a few shortcuts across the tree.
    linked = {frozenset(pair) for pair in links}
    candidates = [i for i in parent if parent[i] in parent]
    for child in rng.sample(candidates, 10):
        pair = (parent[parent[child]], child)
        if frozenset(pair) not in linked:
            linked.add(frozenset(pair))
            links.append(pair)
    while len(links) < 1020:
        source, target = rng.sample(range(1, 1000), 2)
        if frozenset((source, target)) not in linked:
            linked.add(frozenset((source, target)))
            links.append((source, target))
    Link.objects.bulk_create(
        Link(
            source=everything[source],
            target=everything[target],
            relation=rng.choice(["attack", "support"]),
        )
        for source, target in links
    )
    debate = Debate.objects.create(slug="duizend", title="Duizend argumenten?", thesis=thesis)

    with django_assert_max_num_queries(6) as queries:
        started = time.perf_counter()
        data = export(client, debate)
        elapsed = time.perf_counter() - started

    assert len(data["arguments"]) == 1000
    assert len(data["links"]) == len(links)
    print(
        f"\n1,000-argument export: {elapsed * 1000:.0f} ms, "
        f"{len(queries.captured_queries)} queries, {len(data['links'])} links"
    )
