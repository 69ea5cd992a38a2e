"""The queue's drift section: a moderator anchors a drifted quote again, or retires it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import moderator_required
from debates import anchoring


@require_POST
@moderator_required
def quote_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """POST `reanchor` (quote, occurrence, reason) or `retire` (reason); back to the queue."""
    back = reverse("moderation:queue") + "#drift-heading"
    try:
        if action == "reanchor":
            anchoring.reanchor_quote(
                request.user,
                pk,
                quote=request.POST.get("quote", ""),
                occurrence=request.POST.get("occurrence") or 1,
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, _("The quote is anchored again and marked in the text."))
        elif action == "retire":
            anchoring.retire_quote(request.user, pk, reason=request.POST.get("reason", ""))
            messages.success(request, _("The quote is retired; the argument stays."))
        else:
            messages.error(request, _("Unknown action."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(back)
