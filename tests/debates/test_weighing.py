"""Weighing a debate as users see it: every write keeps the strengths exact, the debate page
says where the debate stands, and the argument page says why a strength is what it is."""

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from debates.models import Argument, Debate, Link, ModerationAction, Strength
from debates.moderation.services import merge_arguments, moderate_argument, undo
from debates.services import argument_link, argument_rebut, vote_cast
from debates.strength import base_score, refresh_all
from tests.debates.test_parallel_votes import post_vote, session_cookie

SLUG = "is-klantgerichtheid-het-slechtste-idee"
DEBATE = f"/debates/{SLUG}/"


def independent_dfquad(arguments: dict, links: list) -> dict:
    """DF-QuAD written again from the paper, as plain Jacobi iteration with damping: a check
    of the stored strengths that shares no code with debates.strength."""
    base = {pk: (a["up"] + 1) / (a["up"] + a["down"] + 2) for pk, a in arguments.items()}
    value = dict(base)
    for _round in range(20000):
        new = {}
        for pk in arguments:
            attack, support = 1.0, 1.0
            for source, target, relation in links:
                if target == pk:
                    if relation == "attack":
                        attack *= 1 - value[source]
                    else:
                        support *= 1 - value[source]
            va, vs, b = 1 - attack, 1 - support, base[pk]
            new[pk] = b - b * (va - vs) if va >= vs else b + (1 - b) * (vs - va)
        if max(abs(new[pk] - value[pk]) for pk in arguments) < 1e-13:
            return new
        value = {pk: (value[pk] + new[pk]) / 2 for pk in arguments}
    return value


def stored_matches_independent_recomputation() -> None:
    published = {
        a.pk: {"up": a.up_votes, "down": a.down_votes}
        for a in Argument.objects.filter(status=Argument.Status.PUBLISHED)
    }
    links = [
        (link.source_id, link.target_id, link.relation)
        for link in Link.objects.all()
        if link.source_id in published and link.target_id in published
    ]
    expected = independent_dfquad(published, links)
    stored = dict(Strength.objects.values_list("argument_id", "strength"))
    assert set(stored) == set(published)
    worst = max(abs(stored[pk] - expected[pk]) for pk in published)
    assert worst < 1e-9, worst


@pytest.fixture
def members(db):
    users = get_user_model().objects
    return [users.create_user(f"weger{n}", password="een-lang-wachtwoord-7") for n in range(3)]


@pytest.fixture
def moderator(db):
    return get_user_model().objects.create_superuser("mod", password="een-lang-wachtwoord-8")


def test_every_kind_of_write_leaves_exact_strengths(graph, members, moderator):
    vrijbrief, konrad = graph["dejong-vrijbrief"], graph["konrad-geen-vrijbrief"]
    stored_matches_independent_recomputation()
    before = Strength.objects.get(argument=vrijbrief).strength

    vote_cast(members[0], konrad, "up")
    vote_cast(members[1], konrad, "up")
    stored_matches_independent_recomputation()
    assert Strength.objects.get(argument=vrijbrief).strength < before  # a stronger attacker

    posted = argument_rebut(
        members[2], konrad, "Leiderschap en klantfocus sluiten elkaar uit.", "attack"
    )
    stored_matches_independent_recomputation()
    argument_link(members[0], vrijbrief, graph["capel-belanghebbenden"].pk, "support")
    stored_matches_independent_recomputation()
    hidden = moderate_argument(moderator, konrad, "hide", "Test")
    stored_matches_independent_recomputation()
    assert not Strength.objects.filter(argument=konrad).exists()
    undo(moderator, hidden, "Toch niet")
    stored_matches_independent_recomputation()
    merge = merge_arguments(moderator, posted, graph["konrad-klantgezwichtheid"], "Dubbel")
    stored_matches_independent_recomputation()
    undo(moderator, merge, "Toch geen dubbel")
    stored_matches_independent_recomputation()
    assert ModerationAction.objects.filter(undoes__isnull=False).count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_vote_storm_during_recomputation_leaves_exact_strengths(live_server, graph):
    """48 parallel votes on arguments of one chain: each write recomputes under the advisory
    lock, none deadlocks or fails, and the stored strengths equal a fresh computation."""
    refresh_all()
    chain = [graph[key] for key in ("konrad-geen-vrijbrief", "dejong-vrijbrief")]
    members = [get_user_model().objects.create_user(f"storm{n}") for n in range(24)]
    sessions = [session_cookie(member) for member in members]
    jobs = [
        (f"{live_server.url}/arguments/{argument.pk}/vote/", session)
        for session in sessions
        for argument in chain
    ]

    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(pool.map(lambda job: post_vote(*job), jobs))

    assert statuses == [200] * len(jobs)
    for argument in chain:
        argument.refresh_from_db()
        assert (argument.up_votes, argument.down_votes) == (24, 0)
    stored_matches_independent_recomputation()
    call_command("verify_counts")  # raises on any drift between counts and votes


def test_the_debate_page_says_where_the_debate_stands(client, graph):
    html = client.get(DEBATE).content.decode()

    standing = html[html.index('class="standing"') :]
    assert "Waar het debat staat" in standing
    assert re.search(r"De stelling staat (sterker|zwakker) dan haar aanvallen|even zwaar", standing)
    assert re.search(r"\d+ argumenten zijn nog onbeantwoord", standing)
    assert "Sterkste argument voor de stelling" in standing
    assert "Sterkste argument tegen de stelling" in standing
    # Every argument card carries its strength, to four decimals for machines.
    cards = re.findall(r'<li class="argument-card[^"]*" id="argument-(\d+)"', html)
    strengths = dict(Strength.objects.values_list("argument_id", "strength"))
    for pk in cards:
        card = html[html.index(f'id="argument-{pk}"') :]
        assert f'data-strength="{strengths[int(pk)]:.4f}"' in card[:4000]


def test_answers_say_what_they_do_and_which_side_of_the_thesis_they_end_up_on(client, graph):
    # Konrad attacks de Jong's "vrijbrief", which attacks nothing but supports the thesis...
    vrijbrief, konrad = graph["dejong-vrijbrief"], graph["konrad-geen-vrijbrief"]
    link = Link.objects.get(source=konrad, target=vrijbrief)
    assert link.relation == "attack"
    thesis_link = Link.objects.filter(source=vrijbrief).first()

    html = client.get(f"{DEBATE}arguments/{vrijbrief.pk}/").content.decode()
    item = html[html.index(konrad.text) - 1500 : html.index(konrad.text)]
    assert 'class="relation relation-attack">valt aan<' in item
    side = "tegen de stelling" if thesis_link.relation == "support" else "voor de stelling"
    assert f">{side}</span>" in item


def test_strongest_first_follows_the_strengths(client, graph, members):
    thesis = Debate.objects.get(slug=SLUG).thesis
    attackers = [link.source for link in thesis.incoming.filter(relation="attack")]
    for member in members:  # votes move one attacker up the ranking
        vote_cast(member, attackers[-1], "up")
    strengths = dict(Strength.objects.values_list("argument_id", "strength"))

    html = client.get(DEBATE, {"sort": "strongest"}).content.decode()
    cons = html[html.index('id="cons-heading"') :]
    cons = cons[: cons.index("</section>")]
    shown = [
        int(pk) for pk in re.findall(r'<li class="argument-card[^"]*" id="argument-(\d+)"', cons)
    ]
    assert sorted(shown) == sorted(a.pk for a in attackers)
    assert [strengths[pk] for pk in shown] == sorted((strengths[pk] for pk in shown), reverse=True)


def test_the_argument_page_explains_its_strength(client, graph, members):
    vrijbrief, konrad = graph["dejong-vrijbrief"], graph["konrad-geen-vrijbrief"]
    vote_cast(members[0], vrijbrief, "up")
    vote_cast(members[1], vrijbrief, "up")
    vote_cast(members[2], vrijbrief, "down")

    html = client.get(vrijbrief.get_absolute_url()).content.decode()

    why = html[html.index('id="why"') :]
    stored = Strength.objects.get(argument=vrijbrief)
    assert f'data-strength="{stored.strength:.4f}"' in why
    assert (
        f"Uit de stemmen, 2 voor en 1 tegen: <strong>{base_score(2, 1):.2f}".replace(".", ",")
        in why
    )
    assert "zonder dit argument:" in why
    assert konrad.text[:60] in why


def test_a_debate_list_shows_each_debates_standing_in_fixed_queries(
    client, graph, django_assert_max_num_queries
):
    # The content's version, each debate's version, then for the standings the debates, their
    # reach, arguments and links; once rendered, the version alone.
    with django_assert_max_num_queries(6):
        html = client.get("/debates/").content.decode()
    with django_assert_max_num_queries(1):
        client.get("/debates/")
    assert html.count('class="card debate-card"') == Debate.objects.count()
    assert html.count("Sterkste voor") == Debate.objects.count()


def test_a_debate_of_one_argument_stands_unanswered(client, db):
    thesis = Argument.objects.create(text="Een stelling waar nog niemand op reageerde.")
    refresh_all()
    Debate.objects.create(slug="alleen", title="Alleen?", thesis=thesis)
    html = Client().get("/debates/alleen/").content.decode()
    assert "Niemand heeft de stelling nog beantwoord" in html
    assert 'data-strength="0.5000"' in html


def test_an_htmx_vote_answers_with_the_strengths_it_moved(client, graph, members):
    konrad, vrijbrief = graph["konrad-geen-vrijbrief"], graph["dejong-vrijbrief"]
    client.force_login(members[0])

    html = client.post(
        f"/arguments/{konrad.pk}/vote/", {"value": "up"}, headers={"HX-Request": "true"}
    ).content.decode()

    assert "<html" not in html
    for argument in (konrad, vrijbrief):  # the argument and what it attacks
        stored = Strength.objects.get(argument=argument).strength
        assert (
            f'<span class="strength strength-{argument.pk}" '
            f'hx-swap-oob="outerHTML:.strength-{argument.pk}" data-strength="{stored:.4f}"'
        ) in html


def test_verify_counts_reports_drift_and_repairs_it(graph):
    from io import StringIO

    from django.core.management import CommandError, call_command

    target = graph["dejong-vrijbrief"]
    out = StringIO()
    call_command("verify_counts", stdout=out)
    assert "All vote counts match their votes." in out.getvalue()

    Argument.objects.filter(pk=target.pk).update(up_votes=7)  # drift, as a bad script would
    with pytest.raises(CommandError, match="1 arguments drifted"):
        call_command("verify_counts", stdout=out)
    assert f"argument {target.pk}: stored 7 up / 0 down, its votes 0 up / 0 down" in out.getvalue()

    call_command("verify_counts", "--repair", stdout=out)
    assert Argument.objects.get(pk=target.pk).up_votes == 0
    stored_matches_independent_recomputation()


def test_the_home_page_says_where_each_debate_stands(client, graph):
    html = client.get("/").content.decode()
    debates = html[html.index('id="debates-heading"') : html.index('id="disputed-heading"')]
    assert debates.count('class="verdict verdict-') == Debate.objects.count()
    assert debates.count("data-strength=") == Debate.objects.count()


def test_the_standings_are_computed_once_per_version_of_the_content(
    client, graph, django_assert_max_num_queries
):
    cache.clear()
    client.get("/")
    # the version, the articles and each debate's version: the rest kept
    with django_assert_max_num_queries(3):
        again = client.get("/").content.decode()
    assert again.count('class="verdict verdict-') == Debate.objects.count()

    member = get_user_model().objects.create_user("weger", password="een-lang-wachtwoord-9")
    vote_cast(member, graph["konrad-geen-vrijbrief"], "down")  # a new version
    # the standing of the debate voted in, and the most disputed, anew
    with django_assert_max_num_queries(3 + 5):
        after = client.get("/").content.decode()
    assert after != again
