"""What the benches that start real servers share: processes in their own process groups, free
ports, and a browser's view of the app's pages over HTTP (forms with their CSRF tokens, signing in).

Used by bench/rehearsal.py and bench/render_isolation.py (run as scripts: this folder is on sys.path).
"""

from __future__ import annotations

import io
import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.helpers import form_values, replaced  # noqa: E402  (what a browser sends for a form)

BIN = ROOT / ".venv" / "bin"
PASSWORD = "supervise-demo"  # noqa: S105 (the demo accounts')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# ---- processes --------------------------------------------------------------------------------


class Processes:
    """Processes started in their own process groups, so that stopping one stops its children."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.started: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, args: list[str], env: dict[str, str]) -> subprocess.Popen:
        with open(self.logs / f"{name}.log", "wb") as log:  # the child keeps its own copy
            process = subprocess.Popen(  # noqa: S603
                args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.started.append((name, process))
        return process

    def tail(self, name: str, lines: int = 15) -> str:
        text = (self.logs / f"{name}.log").read_text(errors="replace").splitlines()
        return "\n".join("    " + line for line in text[-lines:])

    def stop_all(self) -> None:
        for _name, process in reversed(self.started):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                os.killpg(process.pid, signal.SIGCONT)  # a paused one (SIGSTOP) ends too
        deadline = time.monotonic() + 15
        for _name, process in reversed(self.started):
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def wait_for(url: str, process: subprocess.Popen, procs: Processes, name: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited ({process.returncode}):\n{procs.tail(name)}")
        try:
            requests.get(url, timeout=2)
            return
        except requests.RequestException:
            time.sleep(0.3)
    raise RuntimeError(f"{name} did not answer {url} within {seconds:.0f} s:\n{procs.tail(name)}")


def flask(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run([str(BIN / "flask"), *args], cwd=ROOT, env=env, capture_output=True, text=True)  # noqa: S603
    if done.returncode:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")


# ---- pages --------------------------------------------------------------------------------------


def sign_in(http: requests.Session, base: str, username: str, password: str = PASSWORD) -> requests.Response:
    page = http.get(f"{base}/login", timeout=30)
    fields = replaced(form_values(page.text, "username"), username=username, password=password)
    return http.post(f"{base}/login", data=fields, allow_redirects=False, timeout=30)


def page_errors(html: str) -> str:
    """The form's error messages on a page re-shown with errors, for a FAIL line."""
    found = re.findall(r'class="(?:invalid-feedback|alert alert-danger)"[^>]*>\s*(?:<div>)?([^<]+)<', html)
    return f" errors: {found}" if found else ""


def links(html: str, pattern: str) -> list[str]:
    return list(dict.fromkeys(re.findall(pattern, html)))


def png(width: int = 320, height: int = 240) -> bytes:
    from PIL import Image

    image = Image.new("RGB", (width, height), (random.randrange(256), 120, 40))  # noqa: S311
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
