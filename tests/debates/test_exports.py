"""The debate exports (export.json, export.aif.json, export.argdown) over real HTTP.

The Argdown export is read back by Argdown's own parser (@argdown/core, through node and
tests/argdown/parse.mjs; `make argdown` installs it), the AIF export by arguebuf.
"""

import html
import json
import random
import re
import shutil
import subprocess
import time
from pathlib import Path

import arguebuf
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from articles.models import Article, Comment
from debates.exports import argdown_text, debate_aif, debate_argdown, debate_json
from debates.graph import debate_graph
from debates.models import Argument, Debate, Link, Strength
from debates.strength import refresh_all

# The view's whole cost: the debate by slug, then debate_graph's three queries. Pinned here so
# that a per-argument or per-link query anywhere on the way shows up as a failure.
EXPORT_QUERIES = 4
TAG = re.compile(r"<[^>]+>")
KINDS = {
    "json": ("debates:export-json", "application/json", ".json"),
    "aif": ("debates:export-aif", "application/json", ".aif.json"),
    "argdown": ("debates:export-argdown", "text/plain; charset=utf-8", ".argdown"),
}
MAIN = "moet-de-klant-centraal-staan"
PARSER = Path(settings.BASE_DIR) / "tests" / "argdown" / "parse.mjs"


@pytest.fixture
def arguments(corpus, graph):
    """The seed articles (by prefix) under the corpus's arguments, links and debates, with
    their strengths computed."""
    refresh_all()
    return corpus


def download(client, debate: Debate, kind: str, query: str = ""):
    name, content_type, suffix = KINDS[kind]
    response = client.get(reverse(name, args=[debate.slug]) + query)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    disposition = "inline" if query == "?inline=1" else "attachment"
    assert response["Content-Disposition"] == f'{disposition}; filename="{debate.slug}{suffix}"'
    return response


def export(client, debate: Debate, kind: str = "json"):
    response = download(client, debate, kind)
    if kind == "argdown":
        return response.content.decode()
    return json.loads(response.content)


def exports(client) -> dict[str, dict]:
    # The debate list links every debate; for now that is every debate in the database.
    return {debate.slug: export(client, debate) for debate in Debate.objects.all()}


def page_text(client, slug: str) -> str:
    """The article page as a reader sees it: tags stripped, then entities unescaped."""
    response = client.get(f"/articles/{slug}/")
    assert response.status_code == 200
    return html.unescape(TAG.sub("", response.content.decode()))


def scored(argument: Argument, strength: float, base: float = 0.5, settled: bool = True):
    """Give an argument the Strength row debates.strength would store (values chosen here)."""
    Strength.objects.update_or_create(
        argument=argument, defaults={"base": base, "strength": strength, "settled": settled}
    )
    return argument


def three_arguments() -> tuple[Debate, Argument, Argument, Argument]:
    """A thesis, an attack on it, and an attack on that attack."""
    thesis = Argument.objects.create(text="De klant hoort altijd centraal te staan.")
    attack = Argument.objects.create(text="Wie alles om de klant draait, vergeet de winst.")
    counter = Argument.objects.create(text="Zonder tevreden klanten komt er geen winst.")
    Link.objects.create(source=attack, target=thesis, relation="attack")
    Link.objects.create(source=counter, target=attack, relation="attack")
    debate = Debate.objects.create(slug="klant", title="Moet de klant centraal?", thesis=thesis)
    return debate, thesis, attack, counter


def parse_argdown(text: str) -> dict:
    """What Argdown's own parser and model make of `text` (tests/argdown/parse.mjs)."""
    node = shutil.which("node")
    assert node, "node (>= 20) is needed to run Argdown's parser"
    assert (PARSER.parent / "node_modules" / "@argdown" / "core").is_dir(), (
        "Argdown's parser is not installed: run `make argdown` (npm ci in tests/argdown)"
    )
    result = subprocess.run(
        [node, str(PARSER)], input=text, capture_output=True, text=True, timeout=120, check=True
    )
    return json.loads(result.stdout)


def one_line(text: str) -> str:
    return " ".join(text.split())


# --- URLs, files and what readers may see -----------------------------------------------------


def test_the_urls_are_the_documented_ones():
    assert reverse("debates:export-json", args=["x"]) == "/debates/x/export.json"
    assert reverse("debates:export-aif", args=["x"]) == "/debates/x/export.aif.json"
    assert reverse("debates:export-argdown", args=["x"]) == "/debates/x/export.argdown"


@pytest.mark.parametrize("kind", KINDS)
def test_downloads_are_files_unless_the_link_asks_to_show_them(client, db, kind):
    debate, *_ = three_arguments()
    # download() checks the content type and the exact Content-Disposition of each.
    saved = download(client, debate, kind)
    shown = download(client, debate, kind, "?inline=1")
    assert download(client, debate, kind, "?inline=0")["Content-Disposition"].startswith(
        "attachment;"
    )
    assert saved.content == shown.content
    response = client.post(reverse(KINDS[kind][0], args=[debate.slug]))
    assert response.status_code == 405


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("status", [Argument.Status.HIDDEN, Argument.Status.PENDING])
def test_a_debate_whose_thesis_is_not_public_is_not_found(client, db, kind, status):
    debate, thesis, *_ = three_arguments()
    Argument.objects.filter(pk=thesis.pk).update(status=status)
    assert client.get(reverse(KINDS[kind][0], args=[debate.slug])).status_code == 404
    assert client.get(reverse(KINDS[kind][0], args=["geen-debat"])).status_code == 404


# --- export.json -------------------------------------------------------------------------------


def test_every_debate_exports_well_formed_json(client, arguments):
    debates = list(Debate.objects.all())
    assert len(debates) == 6

    for debate in debates:
        response = download(client, debate, "json")
        data = json.loads(response.content)

        assert list(data) == ["format", "debate", "arguments", "links", "standing"]
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
        by_id = {argument["id"]: argument for argument in data["arguments"]}
        for argument in data["arguments"]:
            assert list(argument) == [
                "id", "text", "status", "author", "source", "votes",
                "base", "strength", "settled", "side",
            ]  # fmt: skip
            assert argument["status"] == "published"
            assert argument["text"]
            assert argument["votes"] == {"up": 0, "down": 0}
            assert argument["base"] == 0.5
            assert 0 <= argument["strength"] <= 1 and argument["settled"] is True
            assert argument["side"] in {"for", "against"}
            if argument["source"] is not None:
                assert list(argument["source"]) == ["article", "comment", "quote", "start", "end"]
        assert by_id[debate.thesis_id]["side"] == "for"
        pairs = [(link["from"], link["to"]) for link in data["links"]]
        assert pairs == sorted(pairs)
        for link in data["links"]:
            assert list(link) == ["from", "to", "relation"]
            assert link["relation"] in {"attack", "support"}
            assert link["from"] in ids and link["to"] in ids

        standing = data["standing"]
        assert list(standing) == [
            "thesis", "strength", "verdict", "unanswered", "strongest_for", "strongest_against"
        ]  # fmt: skip
        assert standing["thesis"] == debate.thesis_id
        assert standing["strength"] == by_id[debate.thesis_id]["strength"]
        assert standing["verdict"] in {"stronger", "weaker", "balanced", "unanswered"}
        answered = {link["to"] for link in data["links"]}
        assert standing["unanswered"] == len(set(ids) - answered)
        for side in ("for", "against"):
            strongest = standing[f"strongest_{side}"]
            on_side = [
                a for a in data["arguments"] if a["side"] == side and a["id"] != debate.thesis_id
            ]
            if not on_side:
                assert strongest is None
                continue
            best = max(on_side, key=lambda a: (a["strength"], -a["id"]))
            assert strongest == best["id"]
        # Deterministic: no timestamp, so a second export is byte for byte the same.
        assert download(client, debate, "json").content == response.content


def test_sides_strengths_and_standing_of_three_arguments(client, db):
    debate, thesis, attack, counter = three_arguments()
    scored(thesis, 0.3, base=0.6)
    scored(attack, 0.5)
    scored(counter, 0.75, base=0.75, settled=False)

    data = export(client, debate)

    by_id = {argument["id"]: argument for argument in data["arguments"]}
    assert {pk: argument["side"] for pk, argument in by_id.items()} == {
        thesis.pk: "for",
        attack.pk: "against",
        counter.pk: "for",  # it attacks the thesis's attacker
    }
    assert (by_id[thesis.pk]["base"], by_id[thesis.pk]["strength"]) == (0.6, 0.3)
    assert by_id[counter.pk]["settled"] is False
    assert data["standing"] == {
        "thesis": thesis.pk,
        "strength": 0.3,
        "verdict": "weaker",  # attacked (0.5), not supported
        "unanswered": 1,  # counter
        "strongest_for": counter.pk,
        "strongest_against": attack.pk,
    }


def test_an_argument_without_a_strength_says_so(client, db):
    debate, thesis, attack, counter = three_arguments()
    scored(thesis, 0.4)
    scored(counter, 0.5)

    data = export(client, debate)

    by_id = {argument["id"]: argument for argument in data["arguments"]}
    assert (by_id[attack.pk]["base"], by_id[attack.pk]["strength"]) == (None, None)
    assert by_id[attack.pk]["settled"] is None and by_id[attack.pk]["side"] == "against"
    assert data["standing"]["verdict"] is None  # the thesis's attacker has no strength yet
    assert data["standing"]["strongest_against"] is None


def test_the_exported_strengths_are_dfquad_of_the_exported_votes_and_links(client, arguments):
    """Recompute every strength from the export alone, as an outside reader would."""
    rng = random.Random(14)
    for argument in Argument.objects.all():
        up, down = rng.randrange(6), rng.randrange(6)
        Argument.objects.filter(pk=argument.pk).update(up_votes=up, down_votes=down)
    refresh_all()

    for data in exports(client).values():
        by_id = {argument["id"]: argument for argument in data["arguments"]}
        # Every published answer to an exported argument reaches the thesis through it, so
        # each argument's attackers and supporters are all in the same export.
        answers = {pk: {"attack": [], "support": []} for pk in by_id}
        for link in data["links"]:
            answers[link["to"]][link["relation"]].append(by_id[link["from"]]["strength"])
        for pk, argument in by_id.items():
            up, down = argument["votes"]["up"], argument["votes"]["down"]
            base = (up + 1) / (up + down + 2)
            assert argument["base"] == pytest.approx(base, abs=1e-12)
            assert argument["settled"] is True
            va = 1 - _product(1 - s for s in answers[pk]["attack"])
            vs = 1 - _product(1 - s for s in answers[pk]["support"])
            expected = base - base * (va - vs) if va >= vs else base + (1 - base) * (vs - va)
            assert argument["strength"] == pytest.approx(expected, abs=1e-9), pk


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


# --- export.aif.json ---------------------------------------------------------------------------


def test_the_aif_export_mirrors_the_json_one(client, arguments):
    for debate in Debate.objects.all():
        data = export(client, debate)
        aif = export(client, debate, "aif")

        assert list(aif) == ["nodes", "edges", "locutions", "participants", "metadata"]
        assert aif["metadata"] == {"slug": debate.slug, "title": debate.title}
        nodes = {node["nodeID"]: node for node in aif["nodes"]}
        assert len(nodes) == len(aif["nodes"])
        assert all(isinstance(node["nodeID"], str) for node in aif["nodes"])
        by_type = {kind: [n for n in aif["nodes"] if n["type"] == kind] for kind in nodes_types()}
        assert sum(len(of_type) for of_type in by_type.values()) == len(nodes)

        assert {node["nodeID"]: node["text"] for node in by_type["I"]} == {
            f"I{argument['id']}": argument["text"] for argument in data["arguments"]
        }
        relations = [link["relation"] for link in data["links"]]
        assert len(by_type["RA"]) == relations.count("support")
        assert len(by_type["CA"]) == relations.count("attack")
        assert {node["text"] for node in by_type["RA"]} <= {"Default Inference"}
        assert {node["text"] for node in by_type["CA"]} <= {"Default Conflict"}

        assert len({edge["edgeID"] for edge in aif["edges"]}) == len(aif["edges"])
        for edge in aif["edges"]:
            assert isinstance(edge["edgeID"], str)
            assert edge["fromID"] in nodes and edge["toID"] in nodes
        # Every link reads I(from) -> scheme -> I(to), with the scheme matching its relation.
        schemes = {"RA", "CA"}
        into = {e["toID"]: e["fromID"] for e in aif["edges"] if nodes[e["toID"]]["type"] in schemes}
        out = {
            e["fromID"]: e["toID"] for e in aif["edges"] if nodes[e["fromID"]]["type"] in schemes
        }
        chains = {(into[scheme], out[scheme], nodes[scheme]["type"]) for scheme in into}
        expected = {"support": "RA", "attack": "CA"}
        assert chains == {
            (f"I{link['from']}", f"I{link['to']}", expected[link["relation"]])
            for link in data["links"]
        }
        assert len(into) == len(out) == len(data["links"])


def nodes_types():
    return ["I", "RA", "CA", "L", "YA"]


def test_the_aif_export_says_who_said_what(client, arguments):
    comments = Comment.objects.in_bulk()
    speakers_seen = set()
    for debate in Debate.objects.all():
        data = export(client, debate)
        aif = export(client, debate, "aif")
        nodes = {node["nodeID"]: node for node in aif["nodes"]}
        people = {p["participantID"]: p for p in aif["participants"]}
        assert len(people) == len(aif["participants"])
        assert all(list(p) == ["participantID", "firstname", "surname"] for p in people.values())
        names = [f"{p['firstname']} {p['surname']}".strip() for p in people.values()]
        # One participant per person: an author who answers in the thread is the same one.
        assert len([name for name in names if name]) == len({name for name in names if name})
        locutions = {locution["nodeID"]: locution for locution in aif["locutions"]}
        assert len(locutions) == len(aif["locutions"])
        edges = {(edge["fromID"], edge["toID"]) for edge in aif["edges"]}

        uttered = [
            argument for argument in data["arguments"] if argument["author"] or argument["source"]
        ]
        assert len(locutions) == len(uttered)
        assert len([n for n in aif["nodes"] if n["type"] == "YA"]) == len(uttered)
        for argument in uttered:
            pk, source = argument["id"], argument["source"]
            locution = locutions[f"L{pk}"]
            assert list(locution) == [
                "nodeID", "personID", "article", "comment", "start", "end", "source"
            ]  # fmt: skip
            assert nodes[f"L{pk}"]["type"] == "L"
            assert nodes[f"YA{pk}"] == {"nodeID": f"YA{pk}", "text": "Asserting", "type": "YA"}
            # L -> YA -> I: the utterance asserts the claim.
            assert (f"L{pk}", f"YA{pk}") in edges and (f"YA{pk}", f"I{pk}") in edges
            person = people[locution["personID"]]
            name = f"{person['firstname']} {person['surname']}".strip()
            assert name == (argument["author"] or "")
            if source is None:
                assert locution["article"] is None and locution["start"] is None
                assert nodes[f"L{pk}"]["text"] == f"{name} : {argument['text']}"
                continue
            assert (locution["article"], locution["comment"]) == (
                source["article"],
                source["comment"],
            )
            assert (locution["start"], locution["end"]) == (source["start"], source["end"])
            words = source["quote"]
            assert nodes[f"L{pk}"]["text"] == (f"{name} : {words}" if name else words)
            if source["comment"] is not None:
                assert name == comments[source["comment"]].author_name
            speakers_seen.add(
                "comment" if source["comment"] else "article" if name else "anonymous"
            )
        # The editorial thesis is nobody's utterance: it has an I-node, no L-node.
        thesis = next(a for a in data["arguments"] if a["id"] == debate.thesis_id)
        if thesis["source"] is None and thesis["author"] is None:
            assert f"L{thesis['id']}" not in nodes
    assert speakers_seen == {"comment", "article", "anonymous"}
    # Tjip de Jong wrote column 002 and answers in its thread: one participant for both.
    aif = export(client, Debate.objects.get(slug=MAIN), "aif")
    (tjip,) = [p for p in aif["participants"] if p["firstname"] == "Tjip"]
    assert tjip["surname"] == "de Jong"
    his = [loc for loc in aif["locutions"] if loc["personID"] == tjip["participantID"]]
    assert {loc["comment"] is None for loc in his} == {True, False}


def test_a_member_is_a_participant_by_username(client, db):
    debate, thesis, attack, counter = three_arguments()
    member = get_user_model().objects.create_user("lezer", password="x")
    Argument.objects.filter(pk__in=[attack.pk, counter.pk]).update(author=member)

    aif = export(client, debate, "aif")

    assert aif["participants"] == [{"participantID": "1", "firstname": "lezer", "surname": ""}]
    assert [(loc["nodeID"], loc["personID"]) for loc in aif["locutions"]] == [
        (f"L{attack.pk}", "1"),
        (f"L{counter.pk}", "1"),
    ]
    assert all(loc["article"] is None and loc["source"] is None for loc in aif["locutions"])


def test_an_aif_reader_loads_the_export(client, arguments):
    for debate in Debate.objects.all():
        data = export(client, debate)
        aif = export(client, debate, "aif")
        arguments_, links = len(data["arguments"]), len(data["links"])
        # arguebuf keeps the argument graph and sets the dialogue (L, YA) aside.
        for graph in (arguebuf.load.dict(aif), arguebuf.load.aif(aif, reconstruct_dialog=True)):
            assert len(graph.atom_nodes) == arguments_
            assert len(graph.scheme_nodes) == links
            assert len(graph.nodes) == arguments_ + links
            assert len(graph.edges) == 2 * links
            kinds = {type(node.scheme).__name__ for node in graph.scheme_nodes.values()}
            expected = {
                "Attack" if link["relation"] == "attack" else "Support" for link in data["links"]
            }
            assert kinds == expected
            for link in data["links"]:
                premise = graph.atom_nodes[f"I{link['from']}"]
                claim = graph.atom_nodes[f"I{link['to']}"]
                assert graph.scheme_between(premise, claim) is not None
        if debate.slug == MAIN:
            assert links > 10


def test_a_hidden_argument_leaves_every_export_with_its_links(client, arguments):
    debate = Debate.objects.get(slug=MAIN)
    before = export(client, debate)
    # A non-thesis argument that both answers something and is answered itself.
    targets = {link["to"] for link in before["links"]}
    sources = {link["from"] for link in before["links"]}
    hidden_id = min((targets & sources) - {debate.thesis_id})
    Argument.objects.filter(pk=hidden_id).update(status=Argument.Status.HIDDEN)
    refresh_all()

    after = export(client, debate)
    aif = export(client, debate, "aif")
    argdown = export(client, debate, "argdown")

    ids = {argument["id"] for argument in after["arguments"]}
    assert hidden_id not in ids and debate.thesis_id in ids
    assert len(ids) < len(before["arguments"])
    assert all(hidden_id not in (link["from"], link["to"]) for link in after["links"])
    assert all(link["from"] in ids and link["to"] in ids for link in after["links"])
    node_ids = {node["nodeID"] for node in aif["nodes"]}
    assert not {f"I{hidden_id}", f"L{hidden_id}", f"YA{hidden_id}"} & node_ids
    assert all(f"I{hidden_id}" not in (e["fromID"], e["toID"]) for e in aif["edges"])
    assert f"[a{hidden_id}]" not in argdown
    assert len(re.findall(r"^\[a\d+\]: ", argdown, re.MULTILINE)) == len(ids)


# --- export.argdown ---------------------------------------------------------------------------


def assert_argdown_reads_back(text: str, data: dict) -> dict:
    """Argdown's parser reads `text` with no error, one statement per exported argument with
    the same text, and exactly the exported links as relations."""
    parsed = parse_argdown(text)
    assert parsed["errors"] == []
    assert parsed["frontMatter"] == {"title": data["debate"]["title"]}
    statements = {s["title"]: s for s in parsed["statements"]}
    assert statements.keys() == {f"a{argument['id']}" for argument in data["arguments"]}
    for argument in data["arguments"]:
        statement = statements[f"a{argument['id']}"]
        assert statement["members"] >= 1
        assert statement["text"] == one_line(argument["text"]), argument["text"]
    assert parsed["arguments"] == []
    relations = sorted((r["from"], r["to"], r["type"]) for r in parsed["relations"])
    assert relations == sorted(
        (f"a{link['from']}", f"a{link['to']}", link["relation"]) for link in data["links"]
    )
    # The map Argdown draws from it: a node per argument, an edge per link.
    assert parsed["map"] == {"nodes": len(data["arguments"]), "edges": len(data["links"])}
    return parsed


def test_argdown_reads_every_corpus_debate_as_we_export_it(client, arguments):
    for debate in Debate.objects.all():
        text = export(client, debate, "argdown")
        assert_argdown_reads_back(text, export(client, debate))
        # Thesis first, each argument defined once, and the same bytes every time.
        assert text.startswith(f'===\ntitle: "{debate.title}"\n===\n\n[a{debate.thesis_id}]: ')
        assert export(client, debate, "argdown") == text


NASTY = [
    "Zie [a1]: dit is geen titel maar tekst",
    "<Argument>: dit is geen argumentdefinitie",
    "Een #hashtag en een #(tag met spaties) blijven tekst",
    "+> dit is geen steunrelatie, <+ deze ook niet",
    "<- geen aanval, -> ook niet, >< en <_ en _> evenmin",
    "Eerste regel\nTweede regel\r\nDerde regel\n\n\nVierde na een lege regel",
    "**vet** en *schuin* en __ook vet__ en _ook schuin_ maar niet opgemaakt",
    "Een {data: ja, lijst: [1, 2]} blok is geen YAML",
    "// geen commentaar /* ook niet */ en <!-- html evenmin -->",
    "=== geen front matter === en a == b",
    "Een link [tekst](https://example.org/pad?q=1) en @[vermelding] en @<arg>",
    "Backslash \\ midden en op het eind \\",
    "Smileys :) :+1: :smile: en .therefore. en 0.5% en e.g. a.b.c:d",
    "1. geen lijst, (1) geen nummer en daarna -- geen inferentie --",
    "\t tabs\tin de tekst  en   rijen   spaties  ",
    "Emoji 😀 en accenten: één, Zürich, señor, ĳs",
    "Zij zei: \"ja\"; hij zei 'nee' (misschien?!) & <b>geen HTML</b>",
    "Regel\u2028scheider en alinea\u2029scheider en \x85 NEL",
    "[a2] <- [a3] +> <a4> - het lijkt op relaties",
    "# Geen kop en * geen opsomming en > geen citaat",
]


def test_argdown_reads_nasty_claims_as_written(client, db):
    thesis = Argument.objects.create(text="* [stelling]: <de klant> {centraal} #ja //")
    debate = Debate.objects.create(
        slug="lastig", title='Lastig: "===" [a1] {x} #tag\nnieuwe regel?', thesis=thesis
    )
    made = [thesis]
    rng = random.Random(3)
    for number, text in enumerate(NASTY):
        argument = Argument.objects.create(text=text)
        # Each answers the thesis or one made before it; a few answer two.
        targets = rng.sample(made, min(len(made), 1 + number % 2))
        for target in targets:
            Link.objects.create(
                source=argument, target=target, relation=rng.choice(["attack", "support"])
            )
        made.append(argument)

    text = export(client, debate, "argdown")
    data = export(client, debate)

    assert len(data["arguments"]) == len(NASTY) + 1
    assert_argdown_reads_back(text, data)


@pytest.mark.parametrize(
    ("claim", "written"),
    [
        ("Gewone zin, met komma's; en een punt.", "Gewone zin, met komma's; en een punt."),
        ("Twee\nregels", "Twee regels"),
        ("[a1] en <b>", "\\[a1\\] en \\<b\\>"),
        ("#tag *x* _y_ {z} //w =", "\\#tag \\*x\\* \\_y\\_ \\{z\\} \\/\\/w \\="),
        ("0.5 en e.g. en: klaar.", "0\\.5 en e\\.g. en: klaar."),
        # The first ":" could open a shortcode (":+1:"); once escaped, the second cannot.
        (":+1: a\\b", "\\:+1: a\\\\b"),
    ],
)
def test_argdown_escapes_only_what_argdown_reads_as_syntax(claim, written):
    assert argdown_text(claim) == written


# --- cost ---------------------------------------------------------------------------------------


def test_the_functions_themselves_make_no_queries(arguments, django_assert_num_queries):
    graph = debate_graph(Debate.objects.get(slug=MAIN))
    with django_assert_num_queries(0):
        data = debate_json(graph)
        aif = debate_aif(graph)
        argdown = debate_argdown(graph)
    assert len(data["arguments"]) == len(graph.arguments) > 1
    assert len([n for n in aif["nodes"] if n["type"] in ("RA", "CA")]) == len(graph.links)
    assert argdown.count("\n  <") == len(graph.links)


@pytest.mark.parametrize("kind", KINDS)
def test_the_query_count_does_not_grow_with_the_debate(
    client, arguments, kind, django_assert_max_num_queries
):
    debate = Debate.objects.get(slug=MAIN)
    with django_assert_max_num_queries(EXPORT_QUERIES) as queries:
        before = export(client, debate, kind)
    baseline = len(queries.captured_queries)

    # 50 posted arguments by a member, each answering one already in the debate.
    member = get_user_model().objects.create_user("lezer", password="x")
    rng = random.Random(50)
    in_debate = list(debate_graph(debate).arguments)
    for n in range(50):
        new = Argument.objects.create(text=f"Reactie nummer {n} van een lezer", author=member)
        relation = rng.choice(["attack", "support"])
        Link.objects.create(source=new, target_id=rng.choice(in_debate), relation=relation)
        in_debate.append(new.pk)
    refresh_all()

    with django_assert_max_num_queries(EXPORT_QUERIES) as queries:
        after = export(client, debate, kind)
    assert len(queries.captured_queries) == baseline
    if kind == "json":
        assert len(after["arguments"]) == len(before["arguments"]) + 50
        posted = [a for a in after["arguments"] if a["text"].startswith("Reactie nummer ")]
        assert {argument["author"] for argument in posted} == {"lezer"}
        assert all(argument["source"] is None for argument in posted)
        assert all(argument["strength"] is not None for argument in posted)
    elif kind == "aif":
        # Per argument an I-node, an L-node and a YA node; per link a scheme node.
        assert len(after["nodes"]) == len(before["nodes"]) + 50 * 3 + 50
        assert len(after["edges"]) == len(before["edges"]) + 50 * 2 + 50 * 2
        assert len(after["locutions"]) == len(before["locutions"]) + 50
    else:
        assert after.count("\n[a") == before.count("\n[a") + 50


def test_a_debate_of_a_thousand_arguments(client, db, django_assert_max_num_queries):
    rng = random.Random(1000)
    thesis = Argument.objects.create(text="Stelling van het grote debat")
    others = Argument.objects.bulk_create(
        Argument(text=f"Argument nummer {n} in het grote debat") for n in range(1, 1000)
    )
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
    refresh_all()

    timings = {}
    for kind in KINDS:
        with django_assert_max_num_queries(EXPORT_QUERIES) as queries:
            started = time.perf_counter()
            result = export(client, debate, kind)
            timings[kind] = (time.perf_counter() - started, len(queries.captured_queries))
        if kind == "json":
            assert len(result["arguments"]) == 1000
            assert len(result["links"]) == len(links)
            assert {a["side"] for a in result["arguments"]} == {"for", "against"}
        elif kind == "argdown":
            assert_argdown_reads_back(result, export(client, debate))
    print(
        "\n1,000-argument exports: "
        + ", ".join(f"{kind} {ms * 1000:.0f} ms ({n} queries)" for kind, (ms, n) in timings.items())
    )


def _product(values):
    result = 1.0
    for value in values:
        result *= value
    return result
