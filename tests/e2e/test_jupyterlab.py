"""Notebook 02 in JupyterLab (not Voila): Run All, then move the FcRn app's dose slider.

JupyterLab runs on 127.0.0.1 over a temporary copy of the notebooks, with its settings,
workspaces and runtime files in temporary folders and everything that reaches the internet off.
Explicit waits only; no sleeps.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import sys
import urllib.request

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout, expect

from tests.support import NOTEBOOK_DIR
from tests.support.browser import offline_page
from tests.support.servers import HOST, LOG_DIR, free_port, running_server

pytestmark = [pytest.mark.browser]

NOTEBOOK = "02_ivig_mechanisms.ipynb"
APP = ".ivig-app-FcRnApp"
LOG = LOG_DIR / "jupyterlab.log"

# JupyterLab's first load on 2 cores (about 5 MB of JavaScript), then the kernel's Run All.
LOAD_MS = 120_000
RUN_MS = 120_000
UPDATE_MS = 30_000

# What plotly drew in the app: trace names and a checksum of each trace's y values.
DRAWN = """(app) => {
  const g = document.querySelector(app + ' .ivig-figure .js-plotly-plot');
  if (!g || !g._fullData || !g._fullData.length) return null;
  return JSON.stringify(g._fullData.map(t => [t.name, Array.from(t.y || []).length,
    Array.from(t.y || []).reduce((a, b) => a + b, 0).toFixed(6)]));
}"""

PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"

# The notebook's kernel is up and idle. Before it starts the indicator also says "idle", but the
# toolbar's kernel name says "No Kernel".
KERNEL_IDLE = f"""() => {{
  const panel = document.querySelector('{PANEL}');
  const name = panel?.querySelector('.jp-KernelName')?.textContent || '';
  const status = panel?.querySelector('.jp-Notebook-ExecutionIndicator')?.dataset.status;
  return name.includes('ipykernel') && status === 'idle';
}}"""

# A fresh kernel ran every code cell in order ([1], [2], ... [n]) and is idle again.
ALL_RAN = f"""() => {{
  const panel = document.querySelector('{PANEL}');
  const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')];
  return prompts.length > 0 && prompts.every((p, i) => p.textContent.trim() === `[${{i + 1}}]:`)
    && ({KERNEL_IDLE})();
}}"""

# Error outputs (JupyterLab shows tracebacks as stderr) and widget views that failed to render.
CELL_PROBLEMS = """() => {
  const out = [];
  const stderr = '.jp-Notebook [data-mime-type="application/vnd.jupyter.stderr"]';
  for (const e of document.querySelectorAll(stderr))
    out.push('stderr/error output: ' + e.textContent.trim().slice(0, 400));
  const text = document.querySelector('.jp-Notebook')?.textContent || '';
  for (const n of ['Traceback', 'Error displaying widget'])
    if (text.includes(n)) out.push('notebook shows ' + JSON.stringify(n));
  return out;
}"""


def _log_tail(n: int = 60) -> str:
    try:
        return "\n".join(LOG.read_text(errors="replace").splitlines()[-n:])
    except OSError:
        return "(no log)"


@pytest.fixture
def lab(tmp_path, monkeypatch):
    """JupyterLab on 127.0.0.1 over a copy of the notebooks; yields (base_url, token)."""
    root = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOK_DIR, root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    state = {name: tmp_path / name for name in ("workspaces", "settings", "runtime", "config")}
    for path in state.values():
        path.mkdir()
    # news_url=None stops the fetching, but Lab would still ask in a toast whether to fetch news.
    notification = state["settings"] / "@jupyterlab" / "apputils-extension"
    notification.mkdir(parents=True)
    (notification / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    # running_server's child inherits os.environ. JUPYTER_PATH/JUPYTER_CONFIG_PATH stay as
    # tests/conftest.py set them; the user's own ~/.jupyter is left out.
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(state["config"]))
    monkeypatch.setenv("JUPYTERLAB_WORKSPACES_DIR", str(state["workspaces"]))
    monkeypatch.setenv("JUPYTERLAB_SETTINGS_DIR", str(state["settings"]))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(state["runtime"]))
    port, token = free_port(), secrets.token_hex(24)
    cmd = [
        sys.executable, "-m", "jupyterlab", "--no-browser",
        f"--ServerApp.ip={HOST}", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={root}", f"--IdentityProvider.token={token}",
        f"--LabApp.workspaces_dir={state['workspaces']}",
        f"--LabApp.user_settings_dir={state['settings']}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",  # the default one asks PyPI
        *(["--allow-root"] if os.geteuid() == 0 else []),
    ]
    with running_server(cmd, base_url=f"http://{HOST}:{port}", cwd=root, log_path=LOG,
                        startup_timeout=90) as url:
        try:
            yield url, token
        finally:
            _shutdown_kernels(url, token)


def _shutdown_kernels(url: str, token: str) -> None:
    """Stop the page's kernel now: kernels run in their own session, outside the server's group."""
    auth = {"Authorization": f"token {token}"}
    try:
        with urllib.request.urlopen(urllib.request.Request(f"{url}/api/kernels", headers=auth),
                                    timeout=10) as r:
            kernels = json.load(r)
        for kernel in kernels:
            req = urllib.request.Request(f"{url}/api/kernels/{kernel['id']}", method="DELETE",
                                         headers=auth)
            urllib.request.urlopen(req, timeout=30).close()
    except OSError:  # the server's own shutdown stops what is left
        pass


@pytest.mark.timeout(300)
def test_run_all_then_move_the_dose_in_jupyterlab(chromium, lab, artifacts_dir):
    url, token = lab
    # No request may leave the machine; PageLog still records any attempt as a problem.
    context, page, log = offline_page(chromium, viewport={"width": 1400, "height": 1000})
    shot = artifacts_dir / "screenshots" / "jupyterlab.png"
    shot.parent.mkdir(exist_ok=True)
    try:
        _run(page, f"{url}/lab/tree/{NOTEBOOK}?token={token}")
        page.screenshot(path=str(shot))
        assert not log.problems(), "\n".join(log.problems())
    except BaseException as exc:
        with contextlib.suppress(Exception):  # the page as it was when the test failed
            page.screenshot(path=str(shot))
        exc.add_note(f"JupyterLab log {LOG} (tail):\n{_log_tail()}")
        raise
    finally:
        page.close()
        context.close()


def _run(page, url: str) -> None:
    page.goto(url, wait_until="commit")
    expect(page.locator(f"{PANEL} .jp-CodeCell").first).to_be_visible(timeout=LOAD_MS)
    _wait_for_kernel(page)

    page.get_by_role("menuitem", name="Run", exact=True).click()
    run_all = page.get_by_role("menuitem", name="Run All Cells", exact=True)
    expect(run_all).not_to_have_class(re.compile(r"\blm-mod-disabled\b"))
    run_all.click()
    # Stop waiting as soon as a cell fails: the problem check below then says which.
    page.wait_for_function(f"() => ({ALL_RAN})() || ({CELL_PROBLEMS})().length > 0",
                           timeout=RUN_MS, polling=200)
    problems = page.evaluate(CELL_PROBLEMS)
    assert not problems, "after Run All:\n" + "\n".join(problems)

    app = page.locator(APP)
    app.scroll_into_view_if_needed()
    page.wait_for_function(f"() => ({DRAWN})('{APP}') !== null", timeout=UPDATE_MS, polling=100)
    card = app.locator(".ivig-result")
    expect(card).to_contain_text("2 g/kg")
    before = page.evaluate(f"() => ({DRAWN})('{APP}')")

    slider = app.locator(".widget-slider").first.locator(".noUi-handle")
    slider.focus()
    for _ in range(5):  # 2.0 -> 1.5 g/kg in 0.1 steps, as a student would with the keyboard
        page.keyboard.press("ArrowLeft")
    expect(card).to_contain_text("1.5 g/kg", timeout=UPDATE_MS)
    try:
        page.wait_for_function(f"""() => {{ const now = ({DRAWN})('{APP}');
            return now !== null && now !== {before!r} && now.includes('1.5 g/kg'); }}""",
                               timeout=UPDATE_MS, polling=100)
    except PlaywrightTimeout:
        pass  # the assertion below says what plotly shows instead
    after = page.evaluate(f"() => ({DRAWN})('{APP}')")
    assert after != before and "1.5 g/kg" in (after or ""), (
        f"the figure did not follow the dose to 1.5 g/kg:\nbefore {before}\nafter  {after}")

    problems = page.evaluate(CELL_PROBLEMS)
    assert not problems, "\n".join(problems)


def _wait_for_kernel(page) -> None:
    """Wait until the notebook's kernel is idle, accepting the "Select Kernel" dialog if
    JupyterLab asks (it does when it cannot match the notebook's kernelspec)."""
    dialog = ".jp-Dialog"
    page.wait_for_function(f"() => ({KERNEL_IDLE})() || !!document.querySelector('{dialog}')",
                           timeout=LOAD_MS, polling=200)
    if page.locator(dialog).count():
        expect(page.locator(dialog)).to_contain_text("Select Kernel")
        page.locator(f"{dialog} .jp-Dialog-button.jp-mod-accept").click()
        page.wait_for_function(KERNEL_IDLE, timeout=LOAD_MS, polling=200)
