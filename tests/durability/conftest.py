"""The durability tests share the server helper of the security suites (tests/security/liveserver.py)."""

import sys
from pathlib import Path

SECURITY = str(Path(__file__).resolve().parent.parent / "security")
if SECURITY not in sys.path:
    sys.path.insert(0, SECURITY)
