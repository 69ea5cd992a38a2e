"""Every address of the site, read from the URL resolver, with real values in its parameters.

The security tests walk these instead of a hand-made list, so a view added tomorrow is tested
tomorrow: an `<int:pk>` gets a real argument, a `<slug:slug>` a real debate, unless the name of
the address says otherwise (OVERRIDES). Django's admin is left to Django's own tests.
"""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from debates.moderation.views import ARGUMENT_ACTIONS

DEBATE_ACTIONS = ["lock", "unlock", "premoderate", "unpremoderate"]
QUOTE_ACTIONS = ["reanchor", "retire"]
# Addresses that answer only with their query (a fragment for one form).
QUERY = {"moderation:pick": "?purpose=merge&form=merge-1"}
SKIPPED_NAMESPACES = {"admin"}  # Django's own, with its own tests


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    url: str


def names() -> list[tuple[str, dict]]:
    """Every named address outside the admin: (name, its parameters and their converters)."""
    found = []

    def walk(patterns, namespace: str, converters: dict):
        for pattern in patterns:
            here = {**converters, **pattern.pattern.converters}
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace
                if inner in SKIPPED_NAMESPACES:
                    continue
                walk(pattern.url_patterns, f"{namespace}{inner}:" if inner else namespace, here)
            elif isinstance(pattern, URLPattern):
                assert pattern.name, f"every address has a name: {pattern.pattern}"
                found.append((f"{namespace}{pattern.name}", here))

    walk(get_resolver().url_patterns, "", {})
    return found


def routes(values: dict) -> list[Route]:
    """Every address with real parameters. `values`: "argument", "debate", "article" and
    "entry" (a ModerationAction); the addresses with an `action` appear once per action."""
    by_name = {
        "moderation:undo": {"pk": values["entry"]},
        "moderation:extract": {"slug": values["article"]},
        "articles:detail": {"slug": values["article"]},
        "articles:feed": {"slug": values["article"]},
    }
    actions = {
        "moderation:argument-action": ARGUMENT_ACTIONS,
        "moderation:debate-action": DEBATE_ACTIONS,
        "moderation:quote-action": QUOTE_ACTIONS,
    }
    found = []
    for name, converters in names():
        kwargs = {}
        for key, converter in converters.items():
            kind = type(converter).__name__
            if key == "action":
                continue
            kwargs[key] = by_name.get(name, {}).get(
                key, values["argument"] if kind == "IntConverter" else values["debate"]
            )
        if "action" in converters:
            found += [
                Route(name, reverse(name, kwargs={**kwargs, "action": action}))
                for action in actions[name]
            ]
        else:
            found.append(Route(name, reverse(name, kwargs=kwargs) + QUERY.get(name, "")))
    return found
