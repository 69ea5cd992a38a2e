"""Moderators pick an argument by its words (merging, and the argument an extraction answers):
the picker's fragment, the merge page without JavaScript, and the new state shown at once."""

import json

import pytest
from django.contrib.auth import get_user_model

from articles.models import Article
from debates.models import Argument, Link

HX = {"HX-Request": "true"}
PICK = "/moderation/pick/"
ARTICLE = "/articles/klantgerichtheid-is-het-slechtste-idee-van-de-21ste-eeuw/"
EXTRACT = "/moderation/articles/klantgerichtheid-is-het-slechtste-idee-van-de-21ste-eeuw/extract/"
QUOTE = "Ik krijg een enorm kriebelig gevoel bij al die klantgerichtheid."


@pytest.fixture
def duplicate(db, graph):
    member = get_user_model().objects.create_user("lid", password="een-lang-wachtwoord-9")
    argument = Argument.objects.create(
        text="Klantgerichtheid is het slechtste idee dat deze eeuw voortbracht.", author=member
    )
    Link.objects.create(source=argument, target=graph["dejong-vrijbrief"], relation="support")
    return argument


def merge_picker(duplicate, **params):
    return {
        "purpose": "merge",
        "form": f"card-{duplicate.pk}",
        "exclude": duplicate.pk,
        "action": f"/moderation/arguments/{duplicate.pk}/merge/",
        **params,
    }


def test_the_picker_lists_what_matches_the_words_but_not_the_duplicate_itself(
    mod_client, graph, duplicate, django_assert_max_num_queries
):
    kept = graph["dejong-slechtste-idee"]

    with django_assert_max_num_queries(6):  # session, user, permissions; the candidates
        response = mod_client.get(PICK, merge_picker(duplicate, q="slechtste idee"), headers=HX)

    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert kept.text in html
    assert f'name="chosen" value="{kept.pk}"' in html  # a button to choose it
    assert duplicate.text not in html


def test_choosing_shows_the_text_and_puts_its_number_in_the_form_it_serves(
    mod_client, graph, duplicate
):
    kept = graph["dejong-slechtste-idee"]

    html = mod_client.get(
        PICK, merge_picker(duplicate, chosen=kept.pk), headers=HX
    ).content.decode()

    assert kept.text in html and 'role="status"' in html
    assert f'name="into" value="{kept.pk}" form="card-{duplicate.pk}"' in html
    assert "Ja, voeg samen met dit argument" in html  # it asks to confirm
    assert f'formaction="/moderation/arguments/{duplicate.pk}/merge/"' in html


def test_the_picker_offers_only_published_arguments_and_never_the_duplicate(
    mod_client, graph, duplicate
):
    hidden = graph["dejong-slechtste-idee"]
    Argument.objects.filter(pk=hidden.pk).update(status="hidden")

    for chosen in (hidden.pk, duplicate.pk):
        html = mod_client.get(PICK, merge_picker(duplicate, chosen=chosen)).content.decode()
        assert 'name="into"' not in html
    html = mod_client.get(PICK, merge_picker(duplicate, q="slechtste idee")).content.decode()
    assert hidden.text not in html


@pytest.mark.parametrize(
    "params",
    [{"purpose": "delete"}, {"form": "<script>"}, {"form": ""}],
    ids=["purpose", "form", "no-form"],
)
def test_an_odd_picker_is_404(mod_client, duplicate, params):
    assert mod_client.get(PICK, merge_picker(duplicate, **params)).status_code == 404


def test_an_action_outside_moderation_is_not_taken(mod_client, duplicate):
    html = mod_client.get(PICK, merge_picker(duplicate, action="https://evil.example/")).content
    assert b"evil.example" not in html


def test_only_moderators_pick(client, duplicate):
    assert client.get(PICK, merge_picker(duplicate)).status_code == 302  # to log in
    member = get_user_model().objects.create_user("lid2", password="een-lang-wachtwoord-9")
    client.force_login(member)
    assert client.get(PICK, merge_picker(duplicate)).status_code == 403
    assert client.get(f"/moderation/arguments/{duplicate.pk}/merge/").status_code == 403


def test_the_merge_page_without_javascript_searches_chooses_and_confirms(
    mod_client, graph, duplicate
):
    kept = graph["dejong-slechtste-idee"]
    page = f"/moderation/arguments/{duplicate.pk}/merge/"

    found = mod_client.get(page, {"q": "slechtste idee"}).content.decode()
    assert "<html" in found and duplicate.text in found  # the duplicate, to compare
    assert f'name="chosen" value="{kept.pk}"' in found and f'action="{page}"' in found

    chosen = mod_client.get(page, {"q": "slechtste idee", "chosen": kept.pk}).content.decode()
    assert kept.text in chosen
    assert f'name="into" value="{kept.pk}" form="merge-{duplicate.pk}"' in chosen
    assert f'name="reason" rows="2" maxlength="1000" required form="merge-{duplicate.pk}"' in chosen
    assert Argument.objects.get(pk=duplicate.pk).status == "published"  # nothing changed yet

    response = mod_client.post(page, {"into": kept.pk, "reason": "Dubbel.", "next": page})
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into_id) == ("merged", kept.pk)
    assert response.status_code == 302


def test_an_action_on_the_arguments_own_page_fetches_the_page_again(mod_client, duplicate):
    page = duplicate.get_absolute_url()

    response = mod_client.post(
        f"/moderation/arguments/{duplicate.pk}/hide/",
        {"reason": "Aanval."},
        headers={**HX, "HX-Current-URL": f"http://testserver{page}"},
    )

    assert response.status_code == 200
    location = json.loads(response["HX-Location"])
    assert location == {
        "path": page,
        "target": "#main",
        "select": "#main",
        "swap": "outerHTML show:window:top",
    }
    shown = mod_client.get(page, headers=HX).content.decode()
    assert (
        "Verborgen door de moderatie op" in shown
        and "Verborgen: lezers zien het niet meer." in shown
    )


def test_an_action_in_the_queue_swaps_only_its_card(mod_client, duplicate):
    response = mod_client.post(
        f"/moderation/arguments/{duplicate.pk}/hide/",
        {"reason": "Aanval."},
        headers={**HX, "HX-Current-URL": "http://testserver/moderation/"},
    )

    assert "HX-Location" not in response
    assert response.content.decode().lstrip().startswith('<li class="card queue-item"')


def test_a_plain_action_comes_back_to_the_card(mod_client, duplicate):
    back = f"/arguments/{duplicate.pk}/#argument-{duplicate.pk}"
    response = mod_client.post(
        f"/moderation/arguments/{duplicate.pk}/pin/", {"reason": "Goed.", "next": back}
    )
    assert response["Location"] == back


def test_the_extraction_page_keeps_the_chosen_argument(mod_client, graph):
    target = graph["dejong-slechtste-idee"]

    html = mod_client.get(EXTRACT, {"chosen": target.pk, "quote": QUOTE}).content.decode()

    assert target.text in html
    assert f'name="target" value="{target.pk}" form="extract-post"' in html
    assert f">{QUOTE}</textarea>" in html  # what the page held before the choice


def test_an_htmx_extraction_marks_the_quote_in_the_text_at_once(mod_client, graph):
    target = graph["dejong-slechtste-idee"]
    article = Article.objects.get(slug=ARTICLE.split("/")[2])
    start = article.body_text.index(QUOTE)

    response = mod_client.post(
        EXTRACT,
        {
            "quote": QUOTE,
            "start": start,
            "end": start + len(QUOTE),
            "text": "De beloften van klantgerichtheid wekken ongemak.",
            "target": target.pk,
            "relation": "support",
        },
        headers=HX,
    )

    html = response.content.decode()
    created = Argument.objects.get(text="De beloften van klantgerichtheid wekken ongemak.")
    assert 'hx-swap-oob="innerHTML:.prose [data-offset=' in html
    assert f'id="argument-{created.pk}"' in html  # its highlight, swapped into the text
    assert "Het staat in:" in html and "Is klantgerichtheid het slechtste idee" in html
