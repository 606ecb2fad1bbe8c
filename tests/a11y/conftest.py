"""The accessibility suite drives the same shared Chromium as the security suites."""

import sys
from pathlib import Path

SECURITY = str(Path(__file__).resolve().parent.parent / "security")
if SECURITY not in sys.path:
    sys.path.insert(0, SECURITY)

from shared_browser import browser, page  # noqa: E402,F401 - fixtures for this folder
