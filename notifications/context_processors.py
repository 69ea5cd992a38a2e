from functools import partial

from notifications.services import unread_count


def unread(request) -> dict:
    """The header's unread count: one query, and only when a template asks for it (the
    template calls it once, in notifications/includes/bell.html)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": partial(unread_count, user)}
