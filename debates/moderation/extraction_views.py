"""The moderators' page for extracting an argument from a passage.

A plain HTML form; with htmx the extraction form answers in place on the article page.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.access import moderator_required
from articles.models import BLOCK_SEPARATOR, Article
from debates.forms import ascii_int
from debates.models import Argument, Debate, Link
from debates.moderation import extraction
from debates.moderation.views import picker_context
from debates.vocabulary import QUOTE_MAX

PANEL = "moderation/includes/extract_tool.html#extract-panel"
# What a plain search for the argument to link keeps of the extraction page's address.
KEPT = ("comment", "quote", "occurrence", "text", "relation", "reason")


# Extraction


class ExtractForm(forms.Form):
    # Only types the input; the service checks the quote, its offsets, the comment and the
    # claim, so every message about the text comes from one place. The templates write the
    # fields out by hand (labels included): the in-page form and the plain page differ.
    comment = forms.IntegerField(required=False, min_value=1)
    quote = forms.CharField(
        strip=False,
        max_length=QUOTE_MAX,
        error_messages={"required": gettext_lazy("Select or paste the passage.")},
    )
    start = forms.IntegerField(required=False, min_value=0)
    end = forms.IntegerField(required=False, min_value=0)
    occurrence = forms.IntegerField(required=False, min_value=1)
    text = forms.CharField(required=False, strip=False)
    target = forms.IntegerField(
        required=False,
        min_value=1,
        error_messages={"invalid": gettext_lazy("Give the argument's number.")},
    )
    relation = forms.ChoiceField(required=False, choices=Link.Relation.choices)
    reason = forms.CharField(required=False, max_length=1000)


def _extract(request: HttpRequest, article: Article, form: ExtractForm):
    """The new argument, or None with the errors added to the form."""
    if not form.is_valid():
        return None
    data = form.cleaned_data
    quote = data["quote"]
    try:
        if data["start"] is None or data["end"] is None:
            # The page without JavaScript: the server finds the pasted passage.
            start, end, quote = extraction.locate_quote(
                article,
                comment_id=data["comment"],
                quote=quote,
                occurrence=data["occurrence"] or 1,
            )
        else:
            start, end = data["start"], data["end"]
        return extraction.argument_extract(
            request.user,
            article,
            comment_id=data["comment"],
            start=start,
            end=end,
            quote=quote,
            text=data["text"],
            target_id=data["target"],
            relation=data["relation"] or None,
            reason=data["reason"],
        )
    except ValidationError as error:
        form.add_error(None, error)
        return None


def _extract_page(request: HttpRequest, article: Article, form: ExtractForm) -> HttpResponse:
    """The plain page: paste a quote, pick the comment it is from, write the claim."""
    occurrence = 1
    if form.is_bound:
        start = form.data.get("start", "")
        quote = form.data.get("quote", "")
        if ascii_int(start) is not None:  # from a selection: keep to the same occurrence
            occurrence = extraction.occurrence_at(
                article, form.data.get("comment"), quote, ascii_int(start)
            )
        elif ascii_int(form.data.get("occurrence")) is not None:
            occurrence = ascii_int(form.data["occurrence"])
    else:
        occurrence = form.initial.get("occurrence") or 1
    # The argument it answers is chosen by its words; a plain search or choice reloads this
    # page by GET, keeping what the form already holds.
    keep = {key: request.GET[key] for key in KEPT if request.GET.get(key)}
    chosen = ascii_int(form.data.get("target", "")) if form.is_bound else None
    picker = picker_context(
        request, purpose="extract", form="extract-post", action=request.path, keep=keep,
        chosen=chosen,
    )  # fmt: skip
    context = {
        "article": article,
        "comments": article.comments.order_by("position"),
        "form": form,
        "occurrence": occurrence,
        **picker,
    }
    return render(request, "moderation/extract.html", context)


def _marked(article: Article, argument: Argument) -> dict:
    """The block of text the new argument's quote stands in, with every highlight in it, so
    the htmx answer marks the quote in the text at once (out of band)."""
    if argument.comment_id:
        comment = argument.comment
        highlights = list(Argument.objects.published().filter(comment=comment))
        return {"comment": comment, "highlights": highlights}
    start = 0
    for block in article.body:
        end = start + len(block["text"])
        if start <= argument.quote_start < end:
            break
        start = end + len(BLOCK_SEPARATOR)
    highlights = list(Argument.objects.published().filter(article=article, comment=None))
    return {"start": start, "text": block["text"], "highlights": highlights}


@require_http_methods(["GET", "HEAD", "POST"])
@moderator_required
def extract(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_object_or_404(Article, slug=slug)
    if request.method == "GET":
        initial = {key: request.GET.get(key, "") for key in ("quote", "comment", "text")}
        occurrence = request.GET.get("occurrence", "")
        initial["occurrence"] = ascii_int(occurrence) or 1
        initial["relation"] = request.GET.get("relation", "")
        initial["reason"] = request.GET.get("reason", "")
        return _extract_page(request, article, ExtractForm(initial=initial))

    form = ExtractForm(request.POST)
    argument = _extract(request, article, form)
    if argument is None:
        if request.htmx:  # invalid: the form again, open, with its errors (htmx swaps 200s)
            target = ascii_int(form.data.get("target", ""))
            chosen = Argument.objects.published().filter(pk=target).first() if target else None
            context = {
                "article": article,
                "extract_form": form,
                "open": True,
                "extract_chosen": chosen,
            }
            return render(request, PANEL, context)
        return _extract_page(request, article, form)
    link = argument.outgoing.select_related("target").first()
    if request.htmx:
        context = {
            "article": article,
            "created": argument,
            "link": link,
            "created_debates": list(Debate.objects.containing(argument)),
            "marked": _marked(article, argument),
        }
        return render(request, PANEL, context)
    messages.success(request, _("The argument is created; its quote is marked in the text."))
    return redirect(f"{article.get_absolute_url()}#{argument.anchor}")
