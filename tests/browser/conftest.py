"""Browser tests: the `browser`, `page` and `screenshot_dir` fixtures come from
tests/browser_plugin.py (loaded by the root conftest.py), shared with tests/security and
tests/a11y so that the whole session drives one Chromium."""
