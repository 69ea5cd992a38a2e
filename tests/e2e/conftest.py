import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Drive the system's Chromium; Playwright never downloads a browser here."""
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        raise RuntimeError("Chromium is not installed: apt-get install -y chromium")
    return {**browser_type_launch_args, "executable_path": executable, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def axe():
    return Axe()


@pytest.fixture
def assert_accessible(axe):
    """Run axe-core on the page as it stands; fail on serious or critical violations."""

    def check(page):
        results = axe.run(page)
        bad = [
            violation
            for violation in results.response["violations"]
            if violation["impact"] in {"serious", "critical"}
        ]
        assert not bad, "\n".join(
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in bad
        )

    return check


@pytest.fixture(autouse=True)
def static_from_finders(settings):
    """The live server serves static files from the apps' folders, by their plain names.

    Manifest-hashed names exist only after collectstatic, which the live server's own
    static handler does not read; the test-client tests keep the production storage.
    """
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
