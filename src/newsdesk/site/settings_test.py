"""Settings for the test suite: the real settings, with a scratch var/ and plain static files."""

import os
import tempfile

# Tests never touch a developer's database or secret.
os.environ.setdefault("NEWSDESK_VAR_DIR", tempfile.mkdtemp(prefix="newsdesk-test-var-"))
# Static files come from the finders, never from a collectstatic run.
os.environ.setdefault("NEWSDESK_MANIFEST_STATIC", "0")

from newsdesk.site.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast tests only
