"""An argument's strength as every card shows it (the `strength` tag): the meter, the number in
the reader's language, the badge of a cycle that did not settle, the swap of a vote's answer."""

from types import SimpleNamespace

import pytest
from django.template import engines
from django.utils import translation

LINE = engines["django"].from_string("{% load debates %}{% strength argument oob=oob %}")
# The include it replaced, kept here as the reference the tag must match character for character.
INCLUDED = engines["django"].from_string(
    "{% load i18n l10n %}{% with score=argument.score %}{% if score %}"
    '<span class="strength strength-{{ argument.pk }}"{% if oob %} hx-swap-oob="outerHTML:'
    '.strength-{{ argument.pk }}"{% endif %} data-strength="{{ score.strength|stringformat:'
    '\'.4f\' }}"><meter min="0" max="1" low="0.4" high="0.6" optimum="1" value="'
    '{{ score.strength|unlocalize }}" aria-hidden="true"></meter> <span class="strength-number">'
    '{% translate "strength" %} {{ score.strength|floatformat:2 }}</span>{% if not score.settled %}'
    ' <span class="badge">{% translate "not settled: a cycle of arguments keeps it moving" %}'
    '</span>{% endif %}</span>{% else %}<span class="strength strength-none strength-'
    '{{ argument.pk }}">{% translate "strength not computed" %}</span>{% endif %}{% endwith %}'
)


def argued(value, settled=True):
    score = None if value is None else SimpleNamespace(strength=value, settled=settled)
    return SimpleNamespace(pk=41, score=score)


def shown(template, argument, language="nl", oob=False):
    with translation.override(language):
        return template.render({"argument": argument, "oob": oob})


def test_a_strength_reads_as_a_number_in_the_readers_language():
    dutch = shown(LINE, argued(2 / 3))
    assert 'data-strength="0.6667"' in dutch
    assert 'value="0.6666666666666666"' in dutch  # the meter's value is never localized
    assert "sterkte 0,67</span>" in dutch
    assert "strength 0.67</span>" in shown(LINE, argued(2 / 3), "en")
    assert "hx-swap-oob" not in dutch
    assert 'hx-swap-oob="outerHTML:.strength-41"' in shown(LINE, argued(0.5), oob=True)


def test_says_where_a_cycle_did_not_settle_or_nothing_is_computed():
    assert "niet gestabiliseerd: een kringloop" in shown(LINE, argued(0.4, settled=False))
    assert "a cycle of arguments keeps it moving" in shown(LINE, argued(0.4, False), "en")
    assert "badge" not in shown(LINE, argued(0.4))
    none = shown(LINE, argued(None), oob=True)  # nothing on the page to swap out of band
    assert none == (
        '<span class="strength strength-none strength-41">sterkte nog niet berekend</span>'
    )


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("oob", [False, True])
@pytest.mark.parametrize("settled", [True, False])
@pytest.mark.parametrize(
    "value", [None, 0.0, 1.0, 0.5, 2 / 3, 0.005, 0.99995, 0.125, 1e-05, 3.2e-17, 0.123456789]
)
def test_the_tag_writes_what_the_include_wrote(value, settled, oob, language):
    argument = argued(value, settled)
    assert shown(LINE, argument, language, oob) == shown(INCLUDED, argument, language, oob)
