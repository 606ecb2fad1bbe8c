"""The scale-out test's marker (registered here so the suite's settings stay untouched),
and the server helpers of the security suites (tests/security/liveserver.py) on the path."""

import sys
from pathlib import Path

SECURITY = str(Path(__file__).resolve().parent.parent / "security")
if SECURITY not in sys.path:
    sys.path.insert(0, SECURITY)


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "scaleout: starts app servers and task workers against PostgreSQL + Redis"
    )
