"""Settings for the test suite: the real settings, with a scratch var/ and plain static files."""

import os
import tempfile

# Tests never touch a developer's database or secret.
os.environ.setdefault("NEWSDESK_VAR_DIR", tempfile.mkdtemp(prefix="newsdesk-test-var-"))
# Static files come from the finders, never from a collectstatic run.
os.environ.setdefault("NEWSDESK_MANIFEST_STATIC", "0")
# Tasks run at once inside the test, unless a test asks for the database queue.
os.environ.setdefault("NEWSDESK_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
# New accounts publish at once in tests of other apps; moderation's own tests set the hold.
os.environ.setdefault("NEWSDESK_MODERATION_NEW_ACCOUNT_HOLD", "0")
# Test browsers and clients post faster than any person could.
os.environ.setdefault("NEWSDESK_MODERATION_MIN_FORM_SECONDS", "0")
# spaCy enrichment runs only in the tests that turn it on (it costs a model load).
os.environ.setdefault("NEWSDESK_ENRICH_ENABLED", "0")

from newsdesk.site.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast tests only
