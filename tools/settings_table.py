"""Write the README's configuration table from settings.py, so the two never disagree.

    python tools/settings_table.py          # rewrite the table in README.md
    python tools/settings_table.py --check  # exit 1 if README.md is out of date
"""

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "src/newsdesk/site/settings.py"
README = ROOT / "README.md"
START, END = "<!-- settings-table:start -->", "<!-- settings-table:end -->"
READERS = {"env_int", "env_bool", "env_list", "get"}

# For settings whose line in settings.py has no comment above it.
MEANINGS = {
    "NEWSDESK_VAR_DIR": "where the SQLite database, the generated secret and collected static files live",
    "DEBUG": "`1` for development only; never in production",
    "SECRET_KEY": "Django's secret key; generated once into `var/secret_key` when unset",
    "ALLOWED_HOSTS": "comma-separated host names the site answers to",
    "CSRF_TRUSTED_ORIGINS": "comma-separated origins, e.g. `https://news.example.org`",
    "NEWSDESK_SITE_NAME": "the site's name in the header, titles and feeds",
    "NEWSDESK_SITE_URL": "the public address, used in canonical links, feeds, sitemaps and JSON-LD",
    "DATABASE_URL": "empty: SQLite at `var/newsdesk.sqlite3` (WAL, 20 s busy timeout, immediate write transactions); `postgres://user@host:5432/db` for PostgreSQL",
    "NEWSDESK_TEST_ON_DISK": "tests: keep the SQLite test database in a file instead of memory",
    "DB_CONN_MAX_AGE": "seconds a PostgreSQL connection is kept open",
    "NEWSDESK_DB_PREPARED_STATEMENTS": "PostgreSQL: bind parameters on the server and prepare statements run 5 times on a connection (turn off behind a pooler in transaction mode)",
    "REDIS_URL": "empty: per-process memory cache; `redis://host:6379/0`: shared cache, rate limits and sessions for several app servers",
    "TIME_ZONE": "time zone for dates shown on pages",
    "NEWSDESK_MANIFEST_STATIC": "serve static files with hashed names and far-future cache headers",
    "NEWSDESK_HTTPS": "behind TLS: secure cookies, HSTS, SSL redirect, trust `X-Forwarded-Proto`",
    "SECURE_HSTS_SECONDS": "HSTS max-age",
    "NEWSDESK_ARTICLES_PER_PAGE": "page size of the front, tag and source pages",
    "NEWSDESK_IMPORT_MAX_BYTES": "the largest page-text or HTML file `newsdesk import` reads",
    "NEWSDESK_PASSWORD_MIN_LENGTH": "shortest password accepted at sign-up",
    "NEWSDESK_PASSWORD_RESET_TIMEOUT": "seconds a password-reset link stays valid",
    "NEWSDESK_EMAIL_BACKEND": "Django e-mail backend (console in development; SMTP by configuration)",
    "EMAIL_HOST": "SMTP server",
    "EMAIL_PORT": "SMTP port",
    "EMAIL_HOST_USER": "SMTP user",
    "EMAIL_HOST_PASSWORD": "SMTP password",
    "LOG_LEVEL": "root log level",
    "PORT": "port for `newsdesk serve` and `make run`",
    "HOST": "address for `newsdesk serve`",
    "WEB_CONCURRENCY": "gunicorn worker processes for `newsdesk serve`",
}


def _default(node: ast.expr | None, source: str) -> str:
    if node is None:
        return "(empty)"
    text = ast.get_source_segment(source, node) or ""
    try:
        value = ast.literal_eval(node)
    except ValueError:
        return f"`{text}`"
    if isinstance(value, bool):
        return "on" if value else "off"
    if value == "":
        return "(empty)"
    return f"`{value}`"


def environment_settings(source: str) -> list[tuple[str, str, str, str]]:
    """(variable, default, setting name, comment) for every environment read in settings.py."""
    tree = ast.parse(source)
    lines = source.splitlines()
    rows: dict[str, tuple[str, str, str, str]] = {}
    for statement in tree.body:
        targets = [t.id for t in getattr(statement, "targets", []) if isinstance(t, ast.Name)]
        if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            targets = [statement.target.id]
        comment = []
        index = statement.lineno - 2
        while index >= 0 and lines[index].strip().startswith("#") and "---" not in lines[index]:
            comment.insert(0, lines[index].strip().lstrip("# ").strip())
            index -= 1
        for node in ast.walk(statement):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            first = node.args[0]
            if name in READERS and isinstance(first, ast.Constant) and isinstance(first.value, str):
                variable = first.value
                if not re.fullmatch(r"[A-Z][A-Z0-9_]+", variable) or variable in rows:
                    continue
                default = _default(node.args[1] if len(node.args) > 1 else None, source)
                meaning = " ".join(comment) or MEANINGS.get(variable, "")
                rows[variable] = (variable, default, ", ".join(targets), meaning)
    return list(rows.values())


def table(source: str) -> str:
    out = ["| variable | default | setting | meaning |", "| --- | --- | --- | --- |"]
    for variable, default, setting, comment in environment_settings(source):
        meaning = comment.replace("|", "\\|")
        out.append(f"| `{variable}` | {default.replace('|', '/')} | {setting} | {meaning} |")
    return "\n".join(out)


def main() -> int:
    readme = README.read_text()
    new_block = f"{START}\n{table(SETTINGS.read_text())}\n{END}"
    updated = re.sub(re.escape(START) + ".*?" + re.escape(END), new_block, readme, flags=re.S)
    if "--check" in sys.argv:
        if updated != readme:
            print("README.md's configuration table is out of date: run python tools/settings_table.py")
            return 1
        return 0
    README.write_text(updated)
    return 0


if __name__ == "__main__":
    sys.exit(main())
