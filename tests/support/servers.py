"""Start and stop a Voila server for the tests (stdlib only).

    with voila_server(notebook_dir) as base_url:
        urllib.request.urlopen(base_url + "/voila/render/00_start_here.ipynb")

The server listens on 127.0.0.1 only, runs in its own process group and is
always stopped on exit (SIGTERM to the group, then SIGKILL).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Iterator, Sequence
from tests.support import REPO


LOG_DIR = REPO / "artifacts" / "logs"
HOST = "127.0.0.1"
# An http(s) or ws(s) URL whose host is not loopback: a request that would leave this machine.
NOT_LOOPBACK = re.compile(
    r"^(https?|wss?)://(?!(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(/|$))", re.I)


def use_workbook_config() -> None:
    """Put the workbook's Voila templates (share/jupyter) and configuration (etc/jupyter) on
    JUPYTER_PATH and JUPYTER_CONFIG_PATH of this process and the servers it starts, as the
    Makefile does (idempotent)."""
    for var, path in (("JUPYTER_PATH", REPO / "share" / "jupyter"),
                      ("JUPYTER_CONFIG_PATH", REPO / "etc" / "jupyter")):
        if str(path) not in os.environ.get(var, "").split(os.pathsep):
            os.environ[var] = os.pathsep.join(filter(None, [str(path), os.environ.get(var)]))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _log_tail(path: Path, n: int = 40) -> str:
    try:
        lines = path.read_text(errors="replace").splitlines()
    except OSError:
        return "(no log)"
    return "\n".join(lines[-n:])


def _stop(proc: subprocess.Popen, grace: float = 10.0) -> None:
    if proc.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def _answers(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(base_url + "/", timeout=2) as r:
            return r.status < 500
    except urllib.error.HTTPError as e:
        return e.code < 500
    except OSError:
        return False


@contextlib.contextmanager
def voila_server(
    notebook_dir: str | os.PathLike,
    *,
    port: int | None = None,
    extra_args: Sequence[str] = (),
    show_tracebacks: bool = True,
    cull_idle_s: int = 60,
    cull_interval_s: int = 30,
    startup_timeout: float = 60.0,
    log_name: str | None = None,
) -> Iterator[str]:
    """Serve ``notebook_dir`` with Voila; yield the base URL (no trailing slash).
    cull_idle_s=0 turns idle-kernel culling off."""
    notebook_dir = Path(notebook_dir).resolve()
    port = port or free_port()
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    log_path = LOG_DIR / (log_name or f"voila-{port}.log")
    cmd = [
        sys.executable, "-m", "voila", str(notebook_dir),
        "--no-browser",
        f"--port={port}",
        f"--Voila.ip={HOST}",
        "--Voila.port_retries=0",  # never drift to another port than the one we poll
        f"--show_tracebacks={show_tracebacks}",
        "--VoilaExecutor.timeout=120",
        f"--MappingKernelManager.cull_idle_timeout={cull_idle_s}",
        f"--MappingKernelManager.cull_interval={cull_interval_s}",
        *extra_args,
    ]
    with running_server(cmd, base_url=f"http://{HOST}:{port}", cwd=notebook_dir,
                        log_path=log_path, startup_timeout=startup_timeout) as url:
        yield url


@contextlib.contextmanager
def running_server(cmd: Sequence[str], *, base_url: str, cwd: str | os.PathLike,
                   log_path: Path, startup_timeout: float = 60.0) -> Iterator[str]:
    """Run `cmd` in its own process group until `base_url`/ answers; stop the group on exit."""
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            list(cmd),
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + startup_timeout
            while not _answers(base_url):
                if time.monotonic() > deadline:
                    raise TimeoutError(
                        f"{cmd[0]} did not answer on {base_url}/ within {startup_timeout:.0f} s; "
                        f"log {log_path}:\n{_log_tail(log_path)}"
                    )
                try:  # doubles as the poll interval: returns early only if the server died
                    proc.wait(timeout=0.2)
                except subprocess.TimeoutExpired:
                    continue
                raise RuntimeError(
                    f"{cmd[0]} exited with code {proc.returncode} before answering; "
                    f"log {log_path}:\n{_log_tail(log_path)}"
                )
            yield base_url
        finally:
            _stop(proc)


_KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')


def kernel_id_of(page_html: str) -> str | None:
    """The kernel id a /voila/render page embeds in its page config."""
    m = _KERNEL_ID.search(page_html)
    return m.group(1) if m else None


def shutdown_kernel(base_url: str, kernel_id: str | None) -> bool:
    """Shut down one Voila kernel; True if the server said 204.

    Voila 0.5.13's own beforeunload request to /voila/api/shutdown/<id> is
    rejected with "403 '_xsrf' argument missing from POST" in standalone mode
    (voila-dashboards/voila#1458), and a plain HTTP GET of a page never sends
    it, so kernels would linger until the culler. The XSRF check only needs the
    ``_xsrf`` cookie to equal the X-XSRFToken header.
    """
    if not kernel_id:
        return False
    req = urllib.request.Request(
        f"{base_url}/voila/api/shutdown/{kernel_id}",
        data=b"",
        method="POST",
        headers={"Cookie": "_xsrf=ivigkit-tests", "X-XSRFToken": "ivigkit-tests"},
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status == 204
    except OSError:  # includes HTTPError (e.g. the kernel is already gone)
        return False
