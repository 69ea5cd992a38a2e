from django import template

from notifications.services import is_following

register = template.Library()


@register.inclusion_tag("notifications/includes/follow.html", takes_context=True)
def follow_button(context, debate):
    """The follow / unfollow button of a debate (one query for a member, none otherwise)."""
    request = context["request"]
    return {
        "debate": debate,
        "following": is_following(request.user, debate),
        "request": request,
        "user": request.user,
        "csrf_token": context.get("csrf_token"),
    }
