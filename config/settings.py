"""Tegenspraak settings: one module, every deploy-time value from the environment.

Development needs no environment at all: the defaults point at the project-local
PostgreSQL cluster that `make run` and `make test` start under var/postgres.
Production sets DEBUG=false and must then provide a real SECRET_KEY.
"""

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def database_from_url(url: str) -> dict:
    """postgres://user:pass@host:port/name?host=/socket/dir -> a DATABASES entry."""
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfigured(f"DATABASE_URL must be a postgres:// URL, not {parts.scheme!r}")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        # A host in the query string (a Unix socket directory) wins over the netloc.
        "HOST": query.pop("host", None) or unquote(parts.hostname or ""),
        "PORT": str(parts.port or ""),
        # Keep connections open between requests; check them before reuse.
        "CONN_MAX_AGE": env_int("CONN_MAX_AGE", 600),
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {"connect_timeout": env_int("DATABASE_CONNECT_TIMEOUT", 5), **query},
    }


# The project-local cluster started by `bin/localdb` listens only on this socket directory.
LOCAL_DB_SOCKET_DIR = BASE_DIR / "var" / "postgres"
# Two roles (config/database.py): the app reads and writes rows as DATABASE_URL; `manage.py migrate`
# creates and alters the tables as DATABASE_OWNER_URL. One URL alone means one role for both.
if "DATABASE_URL" in os.environ:
    DATABASE_URL = os.environ["DATABASE_URL"]
    DATABASE_OWNER_URL = env_str("DATABASE_OWNER_URL", DATABASE_URL)
else:
    DATABASE_URL = f"postgresql://tegenspraak_app@/tegenspraak?host={LOCAL_DB_SOCKET_DIR}"
    DATABASE_OWNER_URL = env_str(
        "DATABASE_OWNER_URL", f"postgresql://tegenspraak@/tegenspraak?host={LOCAL_DB_SOCKET_DIR}"
    )

DEBUG = env_bool("DEBUG", True)
INSECURE_KEY = "django-insecure-development-only"
SECRET_KEY = env_str("SECRET_KEY", INSECURE_KEY)
if not DEBUG and (SECRET_KEY == INSECURE_KEY or len(SECRET_KEY) < 32):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 32 characters when DEBUG is off"
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_ROOT = env_str("SITE_ROOT", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_htmx",
    "heroicons",
    "django_tasks_db",
    "accounts",
    "articles",
    "debates",
    "notifications",
    "config",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Pages compressed for browsers that ask (a large debate page or map shrinks ~10x); Django's
    # gzip pads its output against BREACH, and CSRF tokens are masked per response.
    "django.middleware.gzip.GZipMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Outside the 503 below too: every answer refuses to be framed.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Outside the session and the member: a failing database anywhere inside answers 503.
    "config.middleware.DatabaseUnavailableMiddleware",
    "config.replicas.ReplicaMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.LanguageMiddleware",
    "config.middleware.ControlCharacterMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "config.context_processors.here",
                "accounts.context_processors.moderates",
                "debates.context_processors.limits",
                "notifications.context_processors.unread",
            ],
        },
    },
]

DATABASES = {"default": database_from_url(DATABASE_URL)}
# Hot standbys of the primary (config/replicas.py): safe requests read from them, unless the
# browser wrote in the last REPLICA_PIN_SECONDS; everything else uses the primary.
for number, url in enumerate(env_list("DATABASE_REPLICA_URLS", []), start=1):
    DATABASES[f"replica{number}"] = database_from_url(url)
DATABASE_ROUTERS = ["config.replicas.ReplicaRouter"]
REPLICA_PIN_SECONDS = env_int("REPLICA_PIN_SECONDS", 10)
# The two roles' own connection parameters, apart from DATABASES (whose entry `as_owner` swaps).
DATABASE_APP = database_from_url(DATABASE_URL)
DATABASE_OWNER = database_from_url(DATABASE_OWNER_URL)
# Several test runs side by side (one per worktree or helper) each need their own test database.
if test_database_name := env_str("TEST_DATABASE_NAME", ""):
    DATABASES["default"]["TEST"] = {"NAME": test_database_name}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Where `make run` finds the articles it imports, and the manifest that completes them.
CORPUS_DIR = Path(env_str("CORPUS_DIR", str(BASE_DIR.parent / "shared" / "seeds")))
CORPUS_MANIFEST = BASE_DIR / "articles" / "corpus.toml"

# Django's ModelBackend, loading a member with whether they moderate in one query. Sessions name
# their backend: a session made under another one (before this setting) is signed out once.
AUTHENTICATION_BACKENDS = ["accounts.backends.MemberBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# (attempts, seconds) per fixed window, shared by every server process (accounts.ratelimit).
RATE_LIMITS = {
    # Posting replies and linking arguments, per member.
    "post": (env_int("RATE_LIMIT_POSTS", 10), env_int("RATE_LIMIT_POSTS_SECONDS", 600)),
    # Votes, per member.
    "vote": (env_int("RATE_LIMIT_VOTES", 60), env_int("RATE_LIMIT_VOTES_SECONDS", 60)),
    # Flags per member per hour.
    "flag": (env_int("RATE_LIMIT_FLAGS", 10), 3600),
    # Sign-ups per client address (generous: a class or an office shares one address).
    "signup": (env_int("RATE_LIMIT_SIGNUPS", 50), 3600),
}

# Mail (Django 6.1's MAILERS). In development (`make run`) each mail is written as a file under
# var/mail/ unless EMAIL_HOST is set; in production mail goes out by SMTP (EMAIL_HOST, by default
# the machine's own mail server on localhost). Tests collect mails in memory (Django's test
# set-up swaps every mailer for locmem).
smtp_host = env_str("EMAIL_HOST", "" if DEBUG else "localhost")
if smtp_host:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": smtp_host,
                "port": env_int("EMAIL_PORT", 587),
                "username": env_str("EMAIL_HOST_USER", ""),
                "password": env_str("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "use_ssl": env_bool("EMAIL_USE_SSL", False),
                "timeout": env_int("EMAIL_TIMEOUT", 20),
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(BASE_DIR / "var" / "mail")},
        }
    }
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Tegenspraak <noreply@localhost>")
# Seconds between a failed mail and its next try; after the last the task fails, logged.
MAIL_RETRY_SECONDS = [60, 300, 1800, 7200]
# Members who chose a daily digest get it at this hour (TIME_ZONE).
DIGEST_HOUR = env_int("DIGEST_HOUR", 7)

# Django's Tasks framework: tasks wait in PostgreSQL (django-tasks-db) until the worker
# (`manage.py db_worker`, started by `make run`) runs them, outside any request.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Behind reverse proxies, how many of them append to X-Forwarded-For: the client's address is
# the one the outermost trusted proxy saw. 0 (the default): REMOTE_ADDR, and the header is ignored.
# Failed log-ins (accounts/backoff.py): free attempts per key, then a wait that starts at
# LOGIN_DELAY_SECONDS and doubles with each further attempt, up to LOGIN_DELAY_MAX_SECONDS. Keys: a
# username from one address (a guesser there is slowed, the owner elsewhere is not), a username from
# anywhere (guessing spread over many addresses), a client address (one guesser trying many
# usernames), and a browser its member logged in from before (only that member's own failures).
LOGIN_FREE_ATTEMPTS = {
    "login-pair": env_int("LOGIN_FREE_ATTEMPTS_PAIR", 5),
    "login-username": env_int("LOGIN_FREE_ATTEMPTS_USERNAME", 30),
    "login-address": env_int("LOGIN_FREE_ATTEMPTS_ADDRESS", 20),
    "login-device": env_int("LOGIN_FREE_ATTEMPTS_DEVICE", 5),
}
LOGIN_DELAY_SECONDS = env_int("LOGIN_DELAY_SECONDS", 1)
LOGIN_DELAY_MAX_SECONDS = env_int("LOGIN_DELAY_MAX_SECONDS", 900)
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Django's database sessions, their read written out (accounts/sessions.py).
SESSION_ENGINE = "accounts.sessions"
SESSION_COOKIE_SECURE = not DEBUG and env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if not DEBUG else None
SECURE_CONTENT_TYPE_NOSNIFF = True
# HTTPS in production by default: redirect and HSTS (subdomains and preload included); a deployer
# loosens these on purpose through the environment. /healthz answers plain HTTP for load balancers.
SECURE_SSL_REDIRECT = not DEBUG and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 0 if DEBUG else env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_REFERRER_POLICY = "same-origin"
# A Content-Security-Policy with nonces (Django's own): scripts and styles from this site only, no
# inline code and no eval; htmx is configured to match (base.html: allowEval false, no injected
# indicator styles, requests to this site only).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
# Features the site never uses, refused for it and anything it embeds (config.middleware).
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()"
)
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
