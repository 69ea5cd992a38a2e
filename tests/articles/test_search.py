"""Dutch full-text search over articles and comments."""

import pytest

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
