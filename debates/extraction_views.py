# Placeholder views; the extraction helper replaces this module.
from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse(status=501)


extract = import_article = _todo
