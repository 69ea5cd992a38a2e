"""Downloads of a debate: the same graph in the formats other tools read (docs/exports.md)."""

from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from debates.exports import debate_aif, debate_json
from debates.graph import debate_graph
from debates.models import Debate


def _export(slug: str, build, suffix: str) -> JsonResponse:
    debate = get_object_or_404(Debate, slug=slug)
    response = JsonResponse(
        build(debate_graph(debate)), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = f'inline; filename="{debate.slug}{suffix}"'
    return response


@require_GET
def export_json(request: HttpRequest, slug: str) -> JsonResponse:
    return _export(slug, debate_json, ".json")


@require_GET
def export_aif(request: HttpRequest, slug: str) -> JsonResponse:
    return _export(slug, debate_aif, ".aif.json")
