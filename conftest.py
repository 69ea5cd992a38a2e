"""Shared test set-up: the seed corpus in the test database, and a real Chromium for e2e."""

import os

# Playwright's sync API runs an event loop in the test thread; Django must still let the
# test use the database from there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.servers.basehttp import ThreadedWSGIServer  # noqa: E402

# The live server listens with socketserver's default backlog of 5 connections; the parallel
# vote test opens 48 at once. Production servers (gunicorn: 2048) queue far more.
ThreadedWSGIServer.request_queue_size = 128


@pytest.fixture(scope="session")
def corpus_items():
    """The five seed files, read and parsed once per test run."""
    from articles.services import read_files

    return read_files(sorted(str(path) for path in settings.CORPUS_DIR.glob("*.txt")))


@pytest.fixture
def corpus(db, corpus_items):
    """The seed articles in the test database, by file-name prefix ("000" ... "004")."""
    from articles.services import import_items

    return {outcome.item.name[:3]: outcome.article for outcome in import_items(corpus_items)}


@pytest.fixture
def graph(corpus):
    """The extracted arguments, links and debates of debates/corpus/arguments.toml."""
    from debates.corpus import load_corpus
    from debates.models import Argument

    load_corpus()
    return Argument.objects.exclude(key=None).in_bulk(field_name="key")
