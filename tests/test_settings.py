"""Deploy-time settings come from the environment and fail loudly."""

import os
import subprocess
import sys

from django.conf import settings

CHECK = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"


def run(**env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    environment.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    return subprocess.run(
        [sys.executable, "-c", CHECK],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_real_secret_key():
    result = run(DEBUG="false")

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_starts_with_a_secret_key():
    result = run(DEBUG="false", SECRET_KEY="x" * 50, ALLOWED_HOSTS="tegenspraak.example")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_a_malformed_boolean_is_refused():
    result = run(DEBUG="misschien")

    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_dutch_first_and_connections_kept_open():
    assert settings.LANGUAGE_CODE == "nl"
    assert [code for code, _ in settings.LANGUAGES] == ["nl", "en"]
    assert settings.TIME_ZONE == "Europe/Amsterdam"
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0
    assert settings.STORAGES["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


def test_the_documented_production_environment_passes_check_deploy():
    """Secure by default: DEBUG off and only the three required variables set."""
    test_only = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}  # the browser tests set it
    environment = {k: v for k, v in os.environ.items() if k not in test_only}
    environment.update(
        DEBUG="false",
        SECRET_KEY="pr0duct1e-" + "k" * 40 + "-geheim",
        ALLOWED_HOSTS="tegenspraak.example",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_every_response_carries_the_security_headers(client, db):
    response = client.get("/debates/")
    assert response["Permissions-Policy"].startswith("camera=()")
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def mailer(**env) -> str:
    code = (
        "import django; django.setup(); from django.conf import settings; print(settings.MAILERS)"
    )
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DEBUG", "EMAIL_"))}
    environment.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_mail_goes_to_files_in_development_and_by_smtp_from_the_environment_in_production():
    assert "filebased" in mailer() and "var/mail" in mailer()
    production = mailer(
        DEBUG="false",
        SECRET_KEY="x" * 50,
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="465",
        EMAIL_USE_SSL="true",
        EMAIL_USE_TLS="false",
        EMAIL_HOST_USER="tegenspraak",
    )
    assert "smtp.EmailBackend" in production
    for expected in (
        "'host': 'smtp.example.org'",
        "'port': 465",
        "'use_ssl': True",
        "'use_tls': False",
        "'username': 'tegenspraak'",
    ):
        assert expected in production
