from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from debates.exports import debate_aif, debate_json
from debates.graph import DebateGraph, debate_graph
from debates.models import Argument, Debate, Link


@require_GET
def debate_list(request: HttpRequest) -> HttpResponse:
    debates = Debate.objects.select_related("thesis", "article")
    return render(request, "debates/debate_list.html", {"debates": debates})


def _annotate(graph: DebateGraph) -> None:
    """Give each argument its answers (links into it) for the templates."""
    for pk, argument in graph.arguments.items():
        argument.answers = graph.answers(pk)


@require_GET
def debate_detail(request: HttpRequest, slug: str) -> HttpResponse:
    debate = get_object_or_404(Debate, slug=slug)
    graph = debate_graph(debate)
    if not graph.arguments:
        raise Http404("The thesis of this debate is not public.")
    _annotate(graph)
    context = {
        "debate": debate,
        "graph": graph,
        "thesis": graph.thesis,
        "pros": graph.answers(debate.thesis_id, Link.Relation.SUPPORT),
        "cons": graph.answers(debate.thesis_id, Link.Relation.ATTACK),
    }
    return render(request, "debates/debate_detail.html", context)


@require_GET
def debate_node(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One argument of a debate with its direct answers: expands a level in place (HTMX)
    or, as a plain page, shows that part of the debate."""
    debate = get_object_or_404(Debate, slug=slug)
    graph = debate_graph(debate)
    argument = graph.arguments.get(pk)
    if argument is None:
        raise Http404("No such argument in this debate.")
    _annotate(graph)
    context = {"debate": debate, "argument": argument, "answers": argument.answers}
    template = "debates/debate_node.html#answers" if request.htmx else "debates/debate_node.html"
    return render(request, template, context)


@require_GET
def argument_detail(request: HttpRequest, pk: int) -> HttpResponse:
    argument = get_object_or_404(Argument.objects.published().with_source(), pk=pk)
    outgoing = (
        Link.objects.filter(source=argument, target__status=Argument.Status.PUBLISHED)
        .select_related("target__article", "target__comment", "target__author")
        .order_by("relation", "pk")
    )
    incoming = (
        Link.objects.filter(target=argument, source__status=Argument.Status.PUBLISHED)
        .select_related("source__article", "source__comment", "source__author")
        .order_by("relation", "pk")
    )
    context = {
        "argument": argument,
        "attacks": [link for link in outgoing if link.relation == Link.Relation.ATTACK],
        "supports": [link for link in outgoing if link.relation == Link.Relation.SUPPORT],
        "attacked_by": [link for link in incoming if link.relation == Link.Relation.ATTACK],
        "supported_by": [link for link in incoming if link.relation == Link.Relation.SUPPORT],
        "debates": Debate.objects.containing(argument),
    }
    return render(request, "debates/argument_detail.html", context)


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
