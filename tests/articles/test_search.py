"""Dutch full-text search over articles and comments."""

import re

import pytest
from django.test import Client
from django.test.utils import override_script_prefix

from debates import pagecache
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("graph")


def results(client, q: str, **headers) -> str:
    response = client.get("/search/", {"q": q}, headers=headers)
    assert response.status_code == 200
    return response.content.decode()


def test_chatbot_finds_the_article_about_chatbots(client):
    html = results(client, "chatbot")

    assert "&quot;De klant centraal&quot;, meer dan een slogan" in html
    assert "<mark>chatbots</mark>" in html


def test_statiegeld_finds_de_jongs_column(client):
    html = results(client, "statiegeld")

    assert "Klantgerichtheid is het slechtste idee van de 21ste eeuw" in html
    assert "<mark>statiegeld</mark>" in html


def test_dutch_stems_match_other_word_forms(client):
    # "stakeholder" is only in Koert Capel's comment, as "stakeholders".
    html = results(client, "stakeholder")
    assert "Koert Capel" in html
    # "ondernemingen" occurs nowhere; its stem finds "onderneming" in Branko's answers.
    html = results(client, "ondernemingen")
    assert "Branko Lastdrager" in html
    assert "<mark>onderneming</mark>" in html


def test_a_prefix_already_matches_while_typing(client):
    assert "<mark>chatbots</mark>" in results(client, "chatb")


def test_comments_link_to_their_place_in_the_thread(client):
    html = results(client, "klantgezwichtheid")

    assert "Kris Konrad" in html
    assert "#reactie-7" in html


def test_a_title_match_ranks_above_a_body_match(client):
    # "slogan" is in the title of 003 and in the body of de Jong's column.
    html = results(client, "slogan")

    assert html.index("meer dan een slogan</a>") < html.index(
        "Klantgerichtheid is het slechtste idee van de 21ste eeuw</a>"
    )


def test_nothing_found_says_so(client):
    assert "0 resultaten" in results(client, "zwembadverwarming")


def test_the_query_is_escaped_and_harmless(client):
    html = results(client, "<script>alert(1)</script> ' & | ! :*")

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_an_htmx_request_gets_only_the_results(client):
    html = results(client, "statiegeld", HX_Request="true")

    assert "<html" not in html
    assert "<mark>statiegeld</mark>" in html


def test_the_search_takes_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    # Articles, comments, arguments: one query each (tests/debates/test_search.py).
    with django_assert_max_num_queries(3):
        results(client, "klant")


def test_arguments_are_found_and_hidden_ones_are_not(client, graph):
    kodak = graph["slogan-kodak-filmrolletjes"]
    assert kodak.text in results(client, "Kodak").replace("<mark>", "").replace("</mark>", "")

    kodak.status = "hidden"
    kodak.save()

    html = results(client, "Kodak").replace("<mark>", "").replace("</mark>", "")
    assert kodak.text not in html


# A plain reader's page is put into the site's frame, rendered once (debates.pagecache.framed).


def test_a_plain_readers_page_in_the_kept_frame_is_the_page_rendered_whole():
    def page(q: str, language: str, session: bool = False) -> str:
        reader = Client(enforce_csrf_checks=True)
        reader.cookies["django_language"] = language
        if session:  # not a plain reader: the page rendered whole
            reader.cookies["sessionid"] = "x"
        response = reader.get("/search/", {"q": q})
        html = response.content.decode()
        # The reader's own token and nonce, the nonce the one the policy allows.
        nonce = re.search(r'<script [^>]*nonce="([^"]+)"', html)[1]
        assert f"'nonce-{nonce}'" in response.headers["Content-Security-Policy"]
        assert response.cookies["csrftoken"].value
        assert "tegenspraak-" not in html  # no placeholder left
        html = html.replace(nonce, "NONCE")
        return re.sub(r'(name="csrfmiddlewaretoken" value=|"X-CSRFToken": )"[^"]+"', "CSRF", html)

    pagecache._frames.clear()
    for language, q in [("nl", "chatbot"), ("en", "klant"), ("nl", '<b>"x"</b> & ?q=/%')]:
        framed = page(q, language)
        assert framed == page(q, language, session=True)
    assert set(pagecache._frames) == {("nl", "/", "search"), ("en", "/", "search")}
    # The reader comes back to their own search after logging in or switching language.
    assert "?next=/search/%3Fq%3D%253Cb%253E%2522x%2522%253C%252Fb%253E%2B%2526" in framed
    assert 'name="next" type="hidden" value="/search/?q=%3Cb%3E%22x%22%3C%2Fb%3E+%26' in framed
    assert "<title>Zoeken: &lt;b&gt;&quot;x&quot;&lt;/b&gt; &amp; ?q=/% · Tegenspraak" in framed


def test_a_member_gets_their_own_frame(client):
    client.force_login(UserFactory(username="kees"))
    html = results(client, "chatbot")
    assert "Uitloggen (kees)" in html and "<mark>chatbots</mark>" in html


def test_a_reader_with_something_of_their_own_gets_the_page_rendered_whole(client):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.test import RequestFactory

    # A message waiting for them (a cookie): shown once, in their page, not kept in the frame.
    storage = CookieStorage(RequestFactory().get("/"))
    response = client.get("/")
    storage.add(constants.SUCCESS, "Je bent uitgelogd.")
    storage.update(response)
    client.cookies["messages"] = response.cookies["messages"].value
    assert "Je bent uitgelogd." in results(client, "chatbot")
    assert "Je bent uitgelogd." not in results(client, "chatbot")


def test_an_address_prefix_from_a_proxy_stays_in_its_own_frame(client):
    pagecache._frames.clear()
    with override_script_prefix("/x/"):  # as a SCRIPT_NAME header sets it in WSGIHandler
        prefixed = results(client, "chatbot")
    assert 'href="/x/debates/"' in prefixed
    plain = results(client, "chatbot")
    assert 'href="/debates/"' in plain and "/x/" not in plain


def test_a_history_restore_gets_the_whole_page(client):
    html = results(client, "chatbot", HX_Request="true", HX_History_Restore_Request="true")
    assert html.startswith("<!doctype html>") and "<mark>chatbots</mark>" in html
