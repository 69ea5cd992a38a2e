"""Shared test set-up: the seed corpus, loaded into the test database once per run."""

import os
import time

# Playwright's sync API runs an event loop in the test thread; Django must still let the
# test use the database from there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.servers.basehttp import ThreadedWSGIServer  # noqa: E402

# The live server listens with socketserver's default backlog of 5 connections; the parallel
# vote test opens 48 at once. Production servers (gunicorn: 2048) queue far more.
ThreadedWSGIServer.request_queue_size = 128


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    """Hash test passwords with salted MD5: PBKDF2 costs a third of a second per member made
    or logged in, on purpose; tests need a password that works, not one that is slow to crack."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def dutch_to_begin_with():
    """Each test starts in Dutch, the site's language: a request with the English cookie leaves
    English active in its thread (config.middleware.LanguageMiddleware activates, as Django's
    LocaleMiddleware does), and a later test's messages would come out in English."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def corpus_items():
    """The five seed files, read and parsed once per test run."""
    from articles.services import read_files

    return read_files(sorted(str(path) for path in settings.CORPUS_DIR.glob("*.txt")))


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """The owner of the tables creates, migrates, empties and drops the test database; the tests
    themselves connect as the app role, with the rights production has (config/database.py)."""
    from config.database import connect_as, owner_settings

    if owner := owner_settings():
        connect_as(owner)


@pytest.fixture(scope="session", autouse=True)
def flush_as_owner():
    """Transactional tests empty the database with TRUNCATE, which the app role may not do."""
    from django.test import TransactionTestCase

    from config.database import as_owner

    teardown = TransactionTestCase._fixture_teardown

    def _fixture_teardown(self):
        with as_owner():
            teardown(self)

    TransactionTestCase._fixture_teardown = _fixture_teardown
    yield
    TransactionTestCase._fixture_teardown = teardown


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, corpus_items):
    """The test database with the seed corpus committed in it, loaded once per run.

    Tests in a rolled-back transaction (`db`) see it and leave it as it was. Transactional
    tests (`transaction=True`, `live_server`) empty the database when they end; the `corpus`
    and `graph` fixtures put it back for the next test that needs it.
    """
    from articles.services import import_items
    from config.database import connect_as, owner_settings
    from debates.corpus import load_corpus

    owner = owner_settings()
    if owner:
        connect_as(settings.DATABASE_APP)
    with django_db_blocker.unblock():
        import_items(corpus_items)
        load_corpus()
    yield
    if owner:
        connect_as(owner)  # to drop the test database


@pytest.fixture
def corpus(db, corpus_items):
    """The seed articles in the test database, by file-name prefix ("000" ... "004")."""
    from articles.models import Article
    from articles.services import import_items

    names = [item.name for item in corpus_items]
    articles = Article.objects.filter(source_file__in=names)
    if len(articles) < len(names):  # a transactional test before this one emptied the database
        import_items(corpus_items)
    return {article.source_file[:3]: article for article in articles.all()}


@pytest.fixture
def graph(corpus):
    """The extracted arguments, links and debates of debates/corpus/arguments.toml, by key."""
    from debates.corpus import load_corpus
    from debates.models import Argument

    arguments = Argument.objects.exclude(key=None).in_bulk(field_name="key")
    if not arguments:  # emptied by a transactional test, like the articles
        load_corpus()
        arguments = Argument.objects.exclude(key=None).in_bulk(field_name="key")
    return arguments


@pytest.fixture
def steady_window():
    """Start a test that counts against a rate limit away from a window boundary: every
    limit's window is a whole number of minutes, so a test that begins at least 5 s before the
    next minute keeps its counts in one window (a limit test that crossed one failed)."""
    left = 60 - time.time() % 60
    if left < 5:
        time.sleep(left + 0.1)
