"""Every address with odd input: never a 500. Hypothesis throws unicode digits, control and
steering characters, markup, huge numbers and 10 kB strings at the query strings of the pages and
at the fields of the forms, as a reader, as a member and as a moderator."""

import pytest
from django.contrib.auth import get_user_model
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

SLUG = "is-klantgerichtheid-het-slechtste-idee"

SHARP = ["²", "٣", "-1", "0", "9" * 40, "1.5", "\x00", "\u202e", "<script>", "' OR 1=1"]
odd_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(SHARP),
    st.text(min_size=1, max_size=20).map(lambda chunk: (chunk * 10_000)[:10_000]),  # 10 kB
)
FUZZ = settings(
    max_examples=4,  # per role, besides the sharp examples below: a net for regressions
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def paths(graph):
    argument = graph["dejong-vrijbrief"].pk
    # The addresses that read parameters; every other one ignores its query string.
    return {
        "get": [
            "/search/",
            f"/debates/{SLUG}/",
            f"/debates/{SLUG}/export.json",
            f"/debates/{SLUG}/arguments/{argument}/",
            f"/debates/{SLUG}/log/",
            f"/arguments/{argument}/",
            f"/arguments/{argument}/reply/",
            f"/arguments/{argument}/similar/",
            f"/arguments/{argument}/link/",
            "/moderation/",
            "/moderation/log/",
            "/moderation/pick/",
            f"/moderation/arguments/{argument}/merge/",
            "/moderation/articles/klantgerichtheid-is-het-slechtste-idee-van-de-21ste-eeuw/extract/",
            "/accounts/contributions/",
            "/accounts/notifications/",
            "/accounts/notifications/settings/",
            "/accounts/notifications/unsubscribe/x/",
            f"/debates/{SLUG}/feed/",
        ],
        "post": [
            f"/arguments/{argument}/vote/",
            f"/arguments/{argument}/replies/",
            f"/arguments/{argument}/links/",
            f"/arguments/{argument}/flag/",
            f"/moderation/arguments/{argument}/hide/",
            f"/moderation/arguments/{argument}/edit/",
            f"/moderation/arguments/{argument}/merge/",
            f"/moderation/debates/{SLUG}/lock/",
            f"/debates/{SLUG}/follow/",
            "/accounts/notifications/read/",
            "/accounts/notifications/1/read/",
            "/accounts/notifications/settings/",
            "/accounts/notifications/unsubscribe/x/",
        ],
    }


FIELDS = ["q", "sort", "page", "text", "relation", "value", "argument", "reason", "note", "into",
          "debate", "next", "fragment", "inline", "moderator", "action", "purpose", "form",
          "chosen", "exclude", "ask_reason", "quote", "comment", "target", "follow", "part",
          "email_answers", "digest", "language", "List-Unsubscribe"]  # fmt: skip


@pytest.mark.parametrize("who", ["reader", "moderator"])
def test_no_address_answers_500_to_odd_input(client, paths, who):
    users = get_user_model().objects
    if who == "moderator":
        client.force_login(users.create_superuser("mod-fuzz", password="een-lang-wachtwoord-3"))

    @FUZZ
    @given(
        values=st.dictionaries(st.sampled_from(FIELDS), odd_text, max_size=4), htmx=st.booleans()
    )
    @example(values=dict.fromkeys(FIELDS, "²"), htmx=True)
    @example(values=dict.fromkeys(FIELDS, "0"), htmx=False)
    @example(values=dict.fromkeys(FIELDS, "9" * 40 + "\u202e<script>"), htmx=True)
    def check(values, htmx):
        # htmx also names the page it was sent from: odd addresses there too.
        current = "http://testserver/" + values.get("next", "")
        headers = {"HX-Request": "true", "HX-Current-URL": current} if htmx else {}
        for path in paths["get"]:
            assert client.get(path, values, headers=headers).status_code < 500, (path, values)
        for path in paths["post"]:
            response = client.post(path, values, headers=headers)
            assert response.status_code < 500, (path, values, htmx)

    check()
