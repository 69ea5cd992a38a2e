from accounts.access import is_moderator


def moderates(request):
    """`moderates` in every template: whether the viewer moderates, asked only where a
    template reads it, in the one query of `is_moderator` (`perms` loads every permission)."""
    return {"moderates": lambda: is_moderator(getattr(request, "user", None))}
