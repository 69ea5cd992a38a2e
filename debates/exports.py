"""The downloadable forms of a debate: our own JSON, AIF (as AIFdb reads it) and Argdown.

All are pure functions of a `DebateGraph`: the graph already holds the arguments (with
article, comment, author and strength joined) and the links with both ends filled, so an
export costs exactly the queries `debate_graph` makes, whatever the debate's size. Formats are
described field by field in docs/exports.md.
"""

import json
import re

from debates.graph import DebateGraph
from debates.models import Argument, Link
from debates.standing import score, sides, standing

FORMAT = "tegenspraak-debate/1"

# AIFdb's names for the scheme nodes: a plain inference (support) and a plain conflict (attack).
_AIF_SCHEMES = {
    Link.Relation.SUPPORT: ("RA", "Default Inference"),
    Link.Relation.ATTACK: ("CA", "Default Conflict"),
}


def _author(argument: Argument) -> str | None:
    """Who made the claim: the member who posted it, or whoever wrote the quoted words."""
    if argument.author_id is not None:
        return argument.author.username
    if argument.article_id is None:
        # An editorial thesis has no author of its own.
        return None
    if argument.comment_id is not None:
        return argument.comment.author_name or None
    return argument.article.author or None


def _source(argument: Argument) -> dict | None:
    if argument.article_id is None:
        return None
    return {
        "article": argument.article.slug,
        "comment": argument.comment_id,
        "quote": argument.quote,
        "start": argument.quote_start,
        "end": argument.quote_end,
    }


def _sorted_links(graph: DebateGraph) -> list[Link]:
    # A pair is linked at most once (link_unique_pair), so (from, to) is a total order.
    return sorted(graph.links, key=lambda link: (link.source_id, link.target_id))


def _scores(argument: Argument) -> dict:
    row = score(argument)
    if row is None:
        # Not computed yet: say so rather than export a number nobody computed.
        return {"base": None, "strength": None, "settled": None}
    return {"base": row.base, "strength": row.strength, "settled": row.settled}


def debate_json(graph: DebateGraph) -> dict:
    """The debate in Tegenspraak's own format ("tegenspraak-debate/1").

    `{"format", "debate": {slug, title, status, thesis}, "arguments": [...], "links": [...],
    "standing": {...}}` with arguments ordered by id and links by (from, to); each argument
    carries its votes, DF-QuAD base and strength, and its side of the thesis. It carries no
    timestamp, so the same debate always exports to the same bytes. Makes no database queries.
    """
    debate = graph.debate
    where = standing(graph)
    side_of = where.sides if where else {}
    arguments = [
        {
            "id": argument.pk,
            "text": argument.text,
            "status": argument.status,
            "author": _author(argument),
            "source": _source(argument),
            "votes": {"up": argument.up_votes, "down": argument.down_votes},
            **_scores(argument),
            "side": side_of.get(argument.pk),
        }
        for _, argument in sorted(graph.arguments.items())
    ]
    links = [
        {"from": link.source_id, "to": link.target_id, "relation": link.relation}
        for link in _sorted_links(graph)
    ]
    return {
        "format": FORMAT,
        "debate": {
            "slug": debate.slug,
            "title": debate.title,
            "status": debate.status,
            "thesis": debate.thesis_id,
        },
        "arguments": arguments,
        "links": links,
        "standing": _standing_json(where),
    }


def _standing_json(where) -> dict | None:
    if where is None:
        return None
    return {
        "thesis": where.thesis.pk,
        "strength": where.strength,
        "verdict": where.verdict,
        "unanswered": where.unanswered,
        "strongest_for": where.strongest_for.pk if where.strongest_for else None,
        "strongest_against": where.strongest_against.pk if where.strongest_against else None,
    }


def _speaker(argument: Argument) -> tuple[tuple, str, str] | None:
    """Who uttered the argument's words, as (identity, first name, surname); None if nobody.

    Writers (an article's author, a commenter) are one person per name, so the author who
    answers in the thread is the same participant; a member is one per account. An article
    without a named author still spoke: it gets an unnamed participant of its own. An
    editorial thesis is nobody's utterance.
    """
    if argument.author_id is not None:
        return ("member", argument.author_id), argument.author.username, ""
    if argument.article_id is None:
        return None
    if argument.comment_id is not None:
        name = argument.comment.author_name
    else:
        name = argument.article.author
    if not name:
        return ("anonymous", argument.article_id), "", ""
    first, _, rest = name.strip().partition(" ")
    return ("writer", name), first, rest.strip()


def debate_aif(graph: DebateGraph) -> dict:
    """The debate in the Argument Interchange Format, in AIFdb's JSON layout.

    Each argument is an I-node `I<id>`; each link is a scheme node between its two arguments,
    `RA<link id>` ("Default Inference") for support or `CA<link id>` ("Default Conflict") for
    attack, joined by the edges `E<link id>a` (source to scheme) and `E<link id>b` (scheme to
    target). Who said what is the dialogue side: each utterance (an extracted quote, a posted
    argument) is an L-node `L<id>` with its `locutions` entry (speaker, and where the words
    stand in their source), asserting its I-node through a YA node `YA<id>` ("Asserting"):
    edges `EL<id>a` (L to YA) and `EL<id>b` (YA to I). Speakers are `participants`.
    Makes no database queries.
    """
    ordered = [argument for _, argument in sorted(graph.arguments.items())]
    nodes = [
        {"nodeID": f"I{argument.pk}", "text": argument.text, "type": "I"} for argument in ordered
    ]
    edges = []
    for link in _sorted_links(graph):
        kind, text = _AIF_SCHEMES[link.relation]
        scheme_id = f"{kind}{link.pk}"
        nodes.append({"nodeID": scheme_id, "text": text, "type": kind})
        edges.append({"edgeID": f"E{link.pk}a", "fromID": f"I{link.source_id}", "toID": scheme_id})
        edges.append({"edgeID": f"E{link.pk}b", "fromID": scheme_id, "toID": f"I{link.target_id}"})

    participants, person_ids, locutions = [], {}, []
    for argument in ordered:
        speaker = _speaker(argument)
        if speaker is None:
            continue
        identity, first, surname = speaker
        if identity not in person_ids:
            # Numbered in order of first utterance: stable for the same debate.
            person_ids[identity] = str(len(person_ids) + 1)
            participants.append(
                {"participantID": person_ids[identity], "firstname": first, "surname": surname}
            )
        pk = argument.pk
        words = argument.quote or argument.text
        name = f"{first} {surname}".strip()
        nodes.append(
            {"nodeID": f"L{pk}", "text": f"{name} : {words}" if name else words, "type": "L"}
        )
        nodes.append({"nodeID": f"YA{pk}", "text": "Asserting", "type": "YA"})
        edges.append({"edgeID": f"EL{pk}a", "fromID": f"L{pk}", "toID": f"YA{pk}"})
        edges.append({"edgeID": f"EL{pk}b", "fromID": f"YA{pk}", "toID": f"I{pk}"})
        source = _source(argument)
        locutions.append(
            {
                "nodeID": f"L{pk}",
                "personID": person_ids[identity],
                "article": source["article"] if source else None,
                "comment": source["comment"] if source else None,
                "start": source["start"] if source else None,
                "end": source["end"] if source else None,
                "source": (argument.article.source_url or None) if source else None,
            }
        )
    return {
        "nodes": nodes,
        "edges": edges,
        "locutions": locutions,
        "participants": participants,
        "metadata": {"slug": graph.debate.slug, "title": graph.debate.title},
    }


# Characters Argdown reads as syntax anywhere in a line: escapes, mentions, tags, emphasis,
# statement and argument references, links, data, comments and front matter.
_ARGDOWN_SYNTAX = frozenset("\\@#*_[]<>{}/=")


def argdown_text(text: str) -> str:
    """A claim as Argdown statement text that reads back as exactly that claim.

    Argdown ends a statement at a line break, so all whitespace runs become one space. Every
    character Argdown treats as syntax is escaped with a backslash (Argdown's escape for any
    character); "." and ":" only where a non-space follows, the only place they can open a
    shortcode such as `:+1:`, so that sentences stay readable. Relation marks (`+>`, `<-`, ...)
    and list or heading marks count only at the start of a line, where claim text never stands;
    their `<` and `>` are escaped anyway.
    """
    words = " ".join(text.split())
    out = []
    for index, char in enumerate(words):
        following = words[index + 1 : index + 2]
        if char in _ARGDOWN_SYNTAX or (char in ".:" and following not in ("", " ")):
            out.append("\\")
        out.append(char)
    return "".join(out)


def argdown_title(argument_id: int) -> str:
    return f"a{argument_id}"


# Inside a YAML double-quoted scalar: "=" (a "===" would end the front matter) and what YAML
# reads as a line break or must not see raw (C1 controls, the Unicode line separators).
_YAML_ESCAPE = re.compile("[=\x7f-\x9f\u2028\u2029\ufeff]")


def _front_matter_string(text: str) -> str:
    # A JSON string is a YAML double-quoted scalar.
    quoted = json.dumps(text, ensure_ascii=False)
    return _YAML_ESCAPE.sub(lambda match: f"\\u{ord(match.group()):04x}", quoted)


def debate_argdown(graph: DebateGraph) -> str:
    """The debate in Argdown: one statement per argument, with its answers as relations.

    A YAML front matter holds the debate's title. Then each argument is a top-level statement
    `[a<id>]: text`, defined once, followed by what answers it: `<+ [a<id>]` for a supporter,
    `<- [a<id>]` for an attacker, in link order. Arguments come thesis first, then in the
    order a reader meets them (breadth first from the thesis), so the file reads top down.
    Makes no database queries.
    """
    order = list(sides(graph))
    met = set(order)
    order += sorted(pk for pk in graph.arguments if pk not in met)
    blocks = [f"===\ntitle: {_front_matter_string(graph.debate.title)}\n==="]
    for pk in order:
        lines = [f"[{argdown_title(pk)}]: {argdown_text(graph.arguments[pk].text)}"]
        for link in graph.answers(pk):
            mark = "<+" if link.relation == Link.Relation.SUPPORT else "<-"
            lines.append(f"  {mark} [{argdown_title(link.source_id)}]")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"
