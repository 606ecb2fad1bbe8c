"""The documents that must stay true are checked like code."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_readme_configuration_table_lists_every_environment_setting():
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools/settings_table.py"), "--check"],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout


def test_readme_gives_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme and "make test" in readme


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci/run").read_text()
