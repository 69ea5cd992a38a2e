"""Downloads of a debate: the same graph in the formats other tools read (docs/exports.md)."""

import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from debates.exports import debate_aif, debate_argdown, debate_json
from debates.graph import DebateGraph, debate_graph
from debates.models import Debate

JSON = "application/json"
ARGDOWN = "text/plain; charset=utf-8"


def _public_graph(slug: str) -> DebateGraph:
    """What a reader may download: the published part; no debate at all if its thesis is not."""
    debate = get_object_or_404(Debate, slug=slug)
    graph = debate_graph(debate)
    if debate.thesis_id not in graph.arguments:
        raise Http404("The debate's thesis is not public.")
    return graph


def _download(request: HttpRequest, graph: DebateGraph, body: str, kind: str, suffix: str):
    """A file to save; shown in the browser only where the link asks for it (`?inline=1`)."""
    response = HttpResponse(body.encode(), content_type=kind)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=request.GET.get("inline") != "1", filename=f"{graph.debate.slug}{suffix}"
    )
    return response


def _json(data: dict) -> str:
    # UTF-8 as is (no \u escapes for accented letters), indented for people reading it.
    return json.dumps(data, ensure_ascii=False, indent=2)


@require_safe
def export_json(request: HttpRequest, slug: str) -> HttpResponse:
    graph = _public_graph(slug)
    return _download(request, graph, _json(debate_json(graph)), JSON, ".json")


@require_safe
def export_aif(request: HttpRequest, slug: str) -> HttpResponse:
    graph = _public_graph(slug)
    return _download(request, graph, _json(debate_aif(graph)), JSON, ".aif.json")


@require_safe
def export_argdown(request: HttpRequest, slug: str) -> HttpResponse:
    graph = _public_graph(slug)
    return _download(request, graph, debate_argdown(graph), ARGDOWN, ".argdown")
