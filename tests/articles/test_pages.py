"""Home, article list and article pages over real HTTP through the test client."""

import re

import pytest
from django.urls import reverse

from articles.models import Article, Comment

DE_JONG = "/articles/klantgerichtheid-is-het-slechtste-idee-van-de-21ste-eeuw/"
TITLES = [
    "Loze beloften?",
    "Customer centricity: de klant als uitgangspunt van alles",
    "Klantgerichtheid is het slechtste idee van de 21ste eeuw",
    "&quot;De klant centraal&quot;, meer dan een slogan",
    "&quot;De Klant&quot; moet ook in De Ivoren Toren tussen de oren",
]


# The home page also shows the most disputed arguments (1) and each debate's standing (4), kept
# under the content's version (1) and each debate's (1; a second visit costs those and the
# articles).
@pytest.mark.parametrize(("url", "queries"), [("/", 8), ("/articles/", 3)])
def test_it_lists_the_five_articles(client, corpus, url, queries, django_assert_max_num_queries):
    with django_assert_max_num_queries(queries):
        response = client.get(url)

    html = response.content.decode()
    assert response.status_code == 200
    for title in TITLES:
        assert title in html
    assert "Kel Koenen" in html and "3 maart 2025" in html
    assert "11 reacties" in html  # de Jong's column, in Dutch by default


def test_the_list_query_count_does_not_grow_with_articles(
    client, corpus, django_assert_num_queries
):
    with django_assert_num_queries(1):
        client.get("/articles/")
    for n in range(5):
        Article.objects.create(
            title=f"Extra {n}", slug=f"extra-{n}", body_text="x", source_file=f"x{n}", checksum="x"
        )
    with django_assert_num_queries(1):
        response = client.get("/articles/")
    assert "Extra 4" in response.content.decode()


def test_de_jongs_page_names_him_before_the_comments_in_order(client, corpus):
    response = client.get(DE_JONG)

    html = response.content.decode()
    assert response.status_code == 200
    comments_start = html.index('id="comments-heading"')
    assert html.index("Tjip de Jong") < comments_start
    authors = re.findall(r'class="comment-author">([^<]+)<', html)
    assert authors == [
        "Sydney Brouwer",
        "Sjors van Leeuwen",
        "Jeroen Mars",
        "Chris Bos",
        "Jaap",
        "Koert Capel",
        "Kris Konrad",
        "Tjip de Jong",
        "Branko Lastdrager",
        "Eduard Maatman",
        "Tjip de Jong",
    ]
    assert html.count('class="badge">Pro-lid<') == 1
    assert "11 reacties van lezers" in html
    assert html.count("comment depth-0 by-author") == 1  # thanks to everyone: top level
    assert html.count("comment depth-1 by-author") == 1  # the answer to Eduard: indented
    assert "reageert op Eduard Maatman" in html
    assert re.search(r"<h2[^>]*>Kriebels en ongemak</h2>", html)
    # The list item may open with the highlight of an argument quoting it.
    assert re.search(
        r"<ol>\s*<li[^>]*>(<a [^>]*>)?Klantgerichtheid helpt ons niet de plastic soep", html
    )
    assert 'href="https://www.managementsite.nl/klantgerichtheid-slechtste-idee-21ste-eeuw"' in html


@pytest.mark.parametrize(
    "junk",
    ["Word een pro!", "SCHRIJF MEE", "Boek bekijken", "comments powered by Disqus", "Meer over"],
)
def test_article_pages_show_no_boilerplate(client, corpus, junk):
    for article in corpus.values():
        assert junk not in client.get(article.get_absolute_url()).content.decode()


def test_the_article_page_query_count_does_not_grow_with_comments(
    client, corpus, django_assert_num_queries
):
    de_jong = corpus["002"]
    # The article, its comments, its extracted arguments.
    with django_assert_num_queries(3):
        client.get(DE_JONG)
    last = de_jong.comments.order_by("position").last()
    for n in range(10):
        Comment.objects.create(
            article=de_jong, position=20 + n, author_name=f"Lezer {n}", text="Eens.", reply_to=last
        )
    with django_assert_num_queries(3):
        response = client.get(DE_JONG)
    assert "Lezer 9" in response.content.decode()


def test_comment_text_is_escaped(client, corpus):
    Comment.objects.create(
        article=corpus["000"],
        position=1,
        author_name="<b>Kwaad</b>",
        text="<script>alert(1)</script> zie https://example.org",
    )

    html = client.get(corpus["000"].get_absolute_url()).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;Kwaad&lt;/b&gt;" in html
    assert '<a href="https://example.org" rel="nofollow">https://example.org</a>' in html


def test_an_unknown_article_is_404(client, db):
    assert client.get("/articles/bestaat-niet/").status_code == 404


def test_pages_refuse_post(client, corpus):
    assert client.post(DE_JONG).status_code == 405


def test_the_language_switch_turns_the_page_english(client, corpus):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "/articles/"}, follow=True
    )

    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "11 comments" in html
    assert client.get("/").content.decode().count('lang="en"') >= 1
