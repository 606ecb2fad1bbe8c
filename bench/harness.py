"""Pieces every benchmark in bench/ shares: system packages, ports, servers, wrk.

Servers run as subprocesses in their own process group, so stopping one stops its
workers too (gunicorn's and nginx's children), and nothing outlives the run.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
NEWSDESK = str(VENV_BIN / "newsdesk")


def ensure_debian_packages(commands: dict[str, str]) -> list[str]:
    """Install the Debian packages whose commands are missing; return what is still missing."""
    missing = {cmd: pkg for cmd, pkg in commands.items() if not find_command(cmd)}
    if missing and os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"installing {' '.join(sorted(set(missing.values())))} with apt-get", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", *sorted(set(missing.values()))],
            check=False,
            env=env,
            stdout=subprocess.DEVNULL,
        )
    return [cmd for cmd in missing if not find_command(cmd)]


def find_command(name: str) -> str | None:
    return shutil.which(name) or next(
        (str(p) for p in (Path("/usr/sbin") / name, Path("/sbin") / name) if p.exists()), None
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, timeout: float = 60.0, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server for {url} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback only
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


@dataclass
class Server:
    """A server subprocess in its own session; ``stop`` ends the whole group."""

    name: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    cwd: str | None = None
    process: subprocess.Popen | None = None
    log_dir: str | None = None
    log_path: Path | None = None

    def start(self) -> Server:
        handle, path = tempfile.mkstemp(prefix=f"{self.name}-", suffix=".log", dir=self.log_dir)
        self.log_path = Path(path)
        self.process = subprocess.Popen(  # noqa: S603 - our own argv
            self.argv,
            env={**os.environ, **self.env},
            cwd=self.cwd,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        os.close(handle)
        return self

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)
        except ProcessLookupError:
            pass

    def log_tail(self, lines: int = 20) -> str:
        if not self.log_path or not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


# --- wrk ---------------------------------------------------------------------------------

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not match:
        return float("nan")
    return float(match.group(1)) * UNITS[match.group(2)]


def parse_wrk(output: str) -> dict:
    """req/s, p50/p99 (ms), request count and errors from ``wrk --latency`` output."""
    result: dict = {"errors": 0, "non_2xx_3xx": 0}
    for line in output.splitlines():
        line = line.strip()
        if line.startswith("Requests/sec:"):
            result["rps"] = float(line.split()[1])
        elif m := re.match(r"(50|75|90|99)%\s+(\S+)", line):
            result[f"p{m.group(1)}_ms"] = _ms(m.group(2))
        elif m := re.match(r"(\d+) requests in", line):
            result["requests"] = int(m.group(1))
        elif line.startswith("Non-2xx or 3xx responses:"):
            result["non_2xx_3xx"] = int(line.split(":")[1])
        elif line.startswith("Socket errors:"):
            result["errors"] += sum(int(n) for n in re.findall(r"\d+", line))
    result["errors"] += result["non_2xx_3xx"]
    return result


def run_wrk(
    url: str,
    *,
    seconds: int,
    connections: int,
    threads: int = 2,
    script: Path | None = None,
    script_args: list[str] | None = None,
) -> dict:
    argv = [
        "wrk",
        "--latency",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
    ]
    if script is not None:
        argv += ["-s", str(script)]
    argv.append(url)
    if script_args:
        argv += ["--", *script_args]
    done = subprocess.run(  # noqa: S603
        argv, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed: {done.stderr.strip() or done.stdout.strip()}")
    return parse_wrk(done.stdout)


def run_paced(
    run: Callable[[int, str], dict], rate: float, seconds: int, connections: int
) -> tuple[dict, dict]:
    """A run offered about ``rate`` requests a second, for the latency at that rate.

    ``run(seconds, pace_ms)`` is one wrk run whose connections each wait ``pace_ms`` (on
    average) between an answer and their next request. A short probe first measures how
    long the answers take, so the wait leaves room for them. Returns (probe, paced run).
    """
    period_ms = connections * 1000 / rate
    probe = run(min(5, seconds), f"{period_ms:.2f}")
    answered_ms = connections * 1000 / max(probe["rps"], 1) - period_ms
    pace_ms = max(period_ms - max(answered_ms, 0), 1)
    return probe, run(seconds, f"{pace_ms:.2f}")


# --- rounds ------------------------------------------------------------------------------
# This machine's speed drifts (the same server measured a minute apart can differ by 2x),
# so servers that are compared run one point each, back to back, in several rounds: a
# ratio is taken within a round, where the drift has had no time to act, and the median
# over rounds is reported with the range.

ROUNDS = 3


def point_seconds(total: int, rounds: int, minimum: int) -> int:
    """One round's share of ``total`` seconds (wrk takes whole seconds), at least ``minimum``."""
    return max(minimum, math.ceil(total / rounds))


def summarize_runs(runs: list[dict]) -> dict:
    """Several wrk runs of one point: median rps and latencies, summed counts."""
    summary: dict = {
        key: sum(run.get(key, 0) for run in runs) for key in ("requests", "errors", "non_2xx_3xx")
    }
    for key in ("rps", "p50_ms", "p75_ms", "p90_ms", "p99_ms"):
        values = [run[key] for run in runs if key in run]
        if values:
            summary[key] = round(statistics.median(values), 2)
    return summary


def ratio_over_rounds(numerators: list[float], denominators: list[float]) -> dict | None:
    """Median, min and max of the per-round ratios; rounds without a denominator are left out."""
    ratios = [n / d for n, d in zip(numerators, denominators, strict=True) if d]
    if not ratios:
        return None
    return {"median": statistics.median(ratios), "min": min(ratios), "max": max(ratios)}
