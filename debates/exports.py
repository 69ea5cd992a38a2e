"""The two downloadable forms of a debate: our own JSON, and AIF (as AIFdb reads it).

Both are pure functions of a `DebateGraph`: the graph already holds the arguments (with
article, comment and author joined) and the links with both ends filled, so an export costs
exactly the queries `debate_graph` makes, whatever the debate's size. Formats are described
field by field in docs/exports.md.
"""

from debates.graph import DebateGraph
from debates.models import Argument, Link

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


def debate_json(graph: DebateGraph) -> dict:
    """The debate in Tegenspraak's own format ("tegenspraak-debate/1").

    `{"format", "debate": {slug, title, status, thesis}, "arguments": [...], "links": [...]}`
    with arguments ordered by id and links by (from, to). It carries no timestamp, so the same
    debate always exports to the same bytes. Makes no database queries.
    """
    debate = graph.debate
    arguments = [
        {
            "id": argument.pk,
            "text": argument.text,
            "status": argument.status,
            "author": _author(argument),
            "source": _source(argument),
            "votes": {"up": argument.up_votes, "down": argument.down_votes},
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
    }


def debate_aif(graph: DebateGraph) -> dict:
    """The debate in the Argument Interchange Format, in AIFdb's JSON layout.

    Each argument is an I-node `I<id>`; each link is a scheme node between its two arguments,
    `RA<link id>` ("Default Inference") for support or `CA<link id>` ("Default Conflict") for
    attack, joined by the edges `E<link id>a` (source to scheme) and `E<link id>b` (scheme to
    target). There are no dialogue moves, so `locutions` and `participants` stay empty.
    Makes no database queries.
    """
    nodes = [
        {"nodeID": f"I{argument.pk}", "text": argument.text, "type": "I"}
        for _, argument in sorted(graph.arguments.items())
    ]
    edges = []
    for link in _sorted_links(graph):
        kind, text = _AIF_SCHEMES[link.relation]
        scheme_id = f"{kind}{link.pk}"
        nodes.append({"nodeID": scheme_id, "text": text, "type": kind})
        edges.append({"edgeID": f"E{link.pk}a", "fromID": f"I{link.source_id}", "toID": scheme_id})
        edges.append({"edgeID": f"E{link.pk}b", "fromID": scheme_id, "toID": f"I{link.target_id}"})
    return {
        "nodes": nodes,
        "edges": edges,
        "locutions": [],
        "participants": [],
        "metadata": {"slug": graph.debate.slug, "title": graph.debate.title},
    }
