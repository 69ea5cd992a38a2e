"""What the site's frame (templates/includes/header.html) needs of every request."""

from urllib.parse import quote


def here(request):
    """The page's own address, to come back to after logging in or switching language: as it is
    (`here`, a form field's value) and quoted for a query string (`here_query`, as Django's
    `urlencode` filter quotes it). Two values rather than one filtered twice, so that
    debates.pagecache.framed can stand a placeholder in for each (and fill it in as here)."""
    path = request.get_full_path()
    return {"here": path, "here_query": quote(path, safe="/")}
