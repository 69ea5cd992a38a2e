"""The extracted graph: its integrity, the loader, the database's rules, membership."""

import tomllib
from collections import Counter

import pytest
from django.db import IntegrityError, transaction

from articles.models import Comment
from debates.corpus import DEFAULT_PATH, CorpusError, load_corpus
from debates.models import Argument, Debate, Link, arguments_reaching

DE_JONG = "klantgerichtheid-is-het-slechtste-idee-van-de-21ste-eeuw"


def test_every_quote_stands_verbatim_at_its_offsets(graph):
    extracted = [argument for argument in graph.values() if argument.article_id]
    assert len(extracted) >= 45
    for argument in extracted:
        source = argument.comment.text if argument.comment_id else argument.article.body_text
        assert source[argument.quote_start : argument.quote_end] == argument.quote, argument.key
        assert 0 < len(argument.text) <= 280


def test_the_extraction_covers_every_article_and_the_thread(graph):
    per_source = Counter(
        "comments" if a.comment_id else a.article.slug for a in graph.values() if a.article_id
    )
    assert per_source[DE_JONG] >= 12
    for slug in [
        "loze-beloften",
        "customer-centricity-de-klant-als-uitgangspunt-van-alles",
        "de-klant-centraal-meer-dan-een-slogan",
        "de-klant-moet-ook-in-de-ivoren-toren-tussen-de-oren",
    ]:
        assert per_source[slug] >= 5, slug
    assert per_source["comments"] >= 12


def test_the_links_answer_across_the_thread_and_the_articles(graph):
    links = list(Link.objects.select_related("source", "target"))
    assert len(links) >= 40
    assert sum(link.relation == "attack" for link in links) >= 15
    across = [
        link
        for link in links
        if link.source.article_id
        and link.target.article_id
        and link.source.article_id != link.target.article_id
    ]
    assert len(across) >= 8
    answering = {
        link.source.comment.author_name
        for link in Link.objects.select_related("source__comment").filter(
            source__comment__isnull=False
        )
    }
    for name in ["Sydney Brouwer", "Sjors van Leeuwen", "Kris Konrad", "Koert Capel", "Jaap",
                 "Branko Lastdrager", "Eduard Maatman", "Tjip de Jong", "Jeroen Mars"]:  # fmt: skip
        assert name in answering, name
    # Kris Konrad's klantgezwichtheid attacks de Jong's column.
    konrad = graph["konrad-klantgezwichtheid"]
    assert konrad.outgoing.filter(relation="attack", target__article__slug=DE_JONG).exists()


def test_every_extracted_argument_is_in_the_main_debate_and_its_articles(graph):
    main = Debate.objects.get(slug="moet-de-klant-centraal-staan")
    in_main = set(arguments_reaching(main.thesis_id))
    per_article = {
        debate.article_id: set(arguments_reaching(debate.thesis_id))
        for debate in Debate.objects.exclude(article=None)
    }
    assert len(per_article) == 5
    for argument in graph.values():
        assert argument.pk in in_main, argument.key
        if argument.article_id:
            assert argument.pk in per_article[argument.article_id], argument.key


def test_loading_again_changes_nothing(graph):
    before = list(Argument.objects.values_list("pk", "updated_at").order_by("pk"))

    reports = load_corpus()

    assert reports["arguments"].created == reports["arguments"].updated == 0
    assert reports["links"].created == reports["links"].updated == 0
    assert list(Argument.objects.values_list("pk", "updated_at").order_by("pk")) == before


def test_an_edited_file_updates_in_place(graph, tmp_path):
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    claim = graph["konrad-klantgezwichtheid"].text
    edited = tmp_path / "arguments.toml"
    edited.write_text(text.replace(claim, "Tjip de Jong verwart klantgerichtheid met gezwicht."))

    reports = load_corpus(edited)

    assert reports["arguments"].updated == 1
    argument = Argument.objects.get(key="konrad-klantgezwichtheid")
    assert argument.pk == graph["konrad-klantgezwichtheid"].pk
    assert argument.text == "Tjip de Jong verwart klantgerichtheid met gezwicht."


def test_a_quote_that_is_not_in_the_text_refuses_the_whole_file(corpus, tmp_path):
    # From an empty graph: over the loaded one, the arguments before the bad one change nothing.
    Debate.objects.all().delete()
    Argument.objects.all().delete()
    data = DEFAULT_PATH.read_text(encoding="utf-8")
    first_quote = tomllib.loads(data)["argument"][1]["quote"]
    bad = tmp_path / "arguments.toml"
    bad.write_text(data.replace(first_quote, first_quote + " (verzonnen)", 1))

    with pytest.raises(CorpusError, match="quote not found verbatim"):
        load_corpus(bad)

    assert Argument.objects.count() == 0 and Link.objects.count() == 0


def test_a_comment_quoted_under_the_wrong_name_is_refused(corpus, tmp_path):
    data = DEFAULT_PATH.read_text(encoding="utf-8").replace(
        'commenter = "Sydney Brouwer"', 'commenter = "Sydney Bruin"', 1
    )
    bad = tmp_path / "arguments.toml"
    bad.write_text(data)

    with pytest.raises(CorpusError, match="is not by 'Sydney Bruin'"):
        load_corpus(bad)


def make(name: str) -> Argument:
    return Argument.objects.create(text=f"Argument {name} in een kleine proefgraaf")


@pytest.mark.django_db
def test_the_database_refuses_self_links_and_second_links():
    a, b = make("A"), make("B")
    Link.objects.create(source=a, target=b, relation="attack")

    for source, target in [(a, a), (a, b), (b, a)]:
        with pytest.raises(IntegrityError), transaction.atomic():
            Link.objects.create(source=source, target=target, relation="support")
    with pytest.raises(IntegrityError), transaction.atomic():
        Link.objects.create(source=b, target=make("C"), relation="ignores")


def test_the_database_refuses_quotes_that_do_not_fit_their_offsets(corpus):
    article = corpus["000"]
    ok = Argument.objects.create(
        text="Een bewering uit het artikel",
        article=article,
        quote="Loze",
        quote_start=0,
        quote_end=4,
    )
    assert ok.pk
    bad = [
        {"article": article, "quote": "Loze", "quote_start": 0, "quote_end": 9},
        {"article": article, "quote": "", "quote_start": 0, "quote_end": 0},
        {"quote": "Loze", "quote_start": 0, "quote_end": 4},
        {"comment": Comment.objects.create(article=article, position=1, author_name="X", text="Y")},
    ]
    for values in bad:
        with pytest.raises(IntegrityError), transaction.atomic():
            Argument.objects.create(text="Een bewering uit het artikel", **values)


@pytest.mark.django_db
def test_merged_needs_a_target_and_text_is_required():
    with pytest.raises(IntegrityError), transaction.atomic():
        Argument.objects.create(text="Een samengevoegd argument", status="merged")
    with pytest.raises(IntegrityError), transaction.atomic():
        Argument.objects.create(text="")


@pytest.mark.django_db
def test_membership_follows_links_to_the_thesis_through_cycles():
    thesis, a, b, c, stray = (make(t) for t in ["T", "A", "B", "C", "S"])
    Link.objects.create(source=a, target=thesis, relation="support")
    Link.objects.create(source=b, target=a, relation="attack")
    Link.objects.create(source=c, target=b, relation="attack")
    Link.objects.create(source=a, target=c, relation="support")  # a cycle a -> c -> b -> a
    Link.objects.create(source=thesis, target=stray, relation="attack")  # thesis answers stray

    assert sorted(arguments_reaching(thesis.pk)) == sorted([thesis.pk, a.pk, b.pk, c.pk])
    debate = Debate.objects.create(slug="d", title="D?", thesis=thesis)
    assert list(Debate.objects.containing(c)) == [debate]
    assert list(Debate.objects.containing(stray)) == []
