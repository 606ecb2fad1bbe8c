"""`newsdesk check --deploy` finds nothing to warn about with production settings."""

import os
import secrets
import string
import subprocess
import sys


def production_environment(var_dir) -> dict[str, str]:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    environment = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DJANGO_SETTINGS_MODULE",
            "DEBUG",
            "SECURE_HSTS_SECONDS",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
        and not key.startswith("NEWSDESK_")
    }
    environment.update(
        NEWSDESK_HTTPS="1",
        SECRET_KEY="".join(secrets.choice(alphabet) for _ in range(50)),
        DEBUG="0",
        ALLOWED_HOSTS="news.example.org",
        NEWSDESK_VAR_DIR=str(var_dir),
    )
    return environment


def test_deploy_check_is_clean_with_production_settings(tmp_path):
    completed = subprocess.run(
        [sys.executable, "-m", "newsdesk", "check", "--deploy", "--fail-level", "WARNING"],
        env=production_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_deploy_check_fails_when_debug_is_left_on(tmp_path):
    """The check above can fail: the same run with DEBUG=1 is refused."""
    environment = production_environment(tmp_path)
    environment["DEBUG"] = "1"
    completed = subprocess.run(
        [sys.executable, "-m", "newsdesk", "check", "--deploy", "--fail-level", "WARNING"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode != 0
    assert "security.W018" in completed.stderr
