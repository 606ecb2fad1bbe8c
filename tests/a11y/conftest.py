"""The accessibility suite drives the session's one Chromium: the `browser` and `page`
fixtures come from tests/browser_plugin.py, loaded by the root conftest.py."""
