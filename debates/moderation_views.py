# Placeholder views; the moderation helper replaces this module.
from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse(status=501)


queue = log = undo = edit = merge = argument_action = debate_action = _todo
flag = revisions = public_log = _todo
