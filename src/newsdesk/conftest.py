from importlib import resources
from pathlib import Path

import pytest


@pytest.fixture
def sample_path() -> Path:
    """The sample page from the brief, shipped with the demo stories."""
    return Path(str(resources.files("newsdesk.articles") / "demo" / "putin-bilateral-talks.txt"))


@pytest.fixture
def sample_text(sample_path) -> str:
    return sample_path.read_text(encoding="utf-8")
