"""The Voila configuration students get (etc/jupyter/voila.json), checked on a live server:
standalone Voila serves no notebook sources, data or other files, only the rendered apps; inside
jupyter-server (Binder, JupyterHub) Voila reads the same file, but /files/ serves everything."""
from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from tests.support import REPO
from tests.support.servers import kernel_id_of, shutdown_kernel

CONFIG = REPO / "etc" / "jupyter" / "voila.json"


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_config_turns_tracebacks_off_serves_no_files_and_culls():
    cfg = json.loads(CONFIG.read_text(encoding="utf-8"))
    voila = cfg["VoilaConfiguration"]
    assert voila["show_tracebacks"] is False  # students see a short message; tests turn them on
    assert voila["file_allowlist"] == []
    assert cfg["VoilaExecutor"]["timeout"] > 0
    # nbclient waits only 4 s (its default) for a cell's outputs after the cell finishes, then drops
    # them silently: with a class on one server, pages came back without their apps (make load).
    assert cfg["VoilaExecutor"]["iopub_timeout"] >= 30
    assert cfg["MappingKernelManager"]["cull_idle_timeout"] > 0
    # Slide options; where reveal.js comes from is the slides template's business (offline).
    assert "url_prefix" not in voila["resources"]["reveal"]
    assert voila["resources"]["reveal"]["scroll"] is True  # an app taller than a slide scrolls


@pytest.mark.parametrize("path", [
    "/voila/files/00_start_here.ipynb",        # a notebook's source
    "/voila/files/../data/trials.csv",         # data outside notebooks/
    "/voila/files/%2e%2e/data/trials.csv",
    "/voila/files/../ivigkit/cases.py",
    "/voila/files/../README.md",
])
def test_sources_and_data_are_not_served(voila_url, path):
    assert status(voila_url + path) in (403, 404), path


def test_the_apps_themselves_are_served(voila_url):
    assert status(voila_url + "/voila/render/00_start_here.ipynb") == 200


@pytest.mark.voila
def test_the_check_can_fail_with_a_permissive_allowlist():
    from tests.support import NOTEBOOK_DIR
    from tests.support.servers import voila_server

    permissive = ["--VoilaConfiguration.file_allowlist=['.*']", "--VoilaConfiguration.file_denylist=[]"]
    with voila_server(NOTEBOOK_DIR, log_name="voila-permissive.log", extra_args=permissive) as url:
        assert status(url + "/voila/files/00_start_here.ipynb") == 200


SLIDE_ASSETS = "/voila/templates/ivigkit-reveal/static/vendor"


@pytest.mark.parametrize("asset", ["reveal.js/dist/reveal.css", "reveal.js/dist/theme/white.css",
                                   "jquery.min.js"])
def test_the_slides_javascript_is_served_from_this_machine(voila_url, asset):
    assert status(f"{voila_url}{SLIDE_ASSETS}/{asset}") == 200


def test_a_slide_deck_page_names_no_other_host(voila_url):
    import re

    from tests.support.servers import kernel_id_of, shutdown_kernel

    with urllib.request.urlopen(voila_url + "/voila/render/00_start_here.ipynb?template=ivigkit-reveal",
                                timeout=120) as response:
        page = response.read().decode()
    shutdown_kernel(voila_url, kernel_id_of(page))
    loaded = re.findall(r'<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"', page)
    assert any(SLIDE_ASSETS + "/reveal.js/dist/reveal.css" in url for url in loaded), loaded
    assert not [url for url in loaded if "://" in url or url.startswith("//")], loaded


# The front-end extensions a workbook page needs: the widget manager (and Voila's own), plotly's
# renderer and anywidget. Anything else an environment brings (Binder's base image adds
# JupyterLab and Notebook extensions) is left out: notebook 7's lab extension, for one, fails in a
# Voila page with "The getter for the shared module is not a function" (@jupyterlab/docregistry).
NEEDED_EXTENSIONS = {"@jupyter-widgets/jupyterlab-manager", "@voila-dashboards/widgets-manager8",
                     "jupyterlab-plotly", "anywidget"}


def test_pages_load_only_the_extensions_the_workbook_needs(voila_url):
    config = json.loads(CONFIG.read_text())["VoilaConfiguration"]
    assert set(config["extension_allowlist"]) == NEEDED_EXTENSIONS
    page = urllib.request.urlopen(f"{voila_url}/voila/render/00_start_here.ipynb", timeout=180).read().decode()
    loaded = {e["name"] for e in json.loads(
        re.search(r'id="jupyter-config-data"[^>]*>\s*(\{.*?\})\s*</script>', page, re.S).group(1))["federated_extensions"]}
    assert loaded == NEEDED_EXTENSIONS, loaded
    shutdown_kernel(voila_url, kernel_id_of(page))


# ---------------------------------------------------------------- inside jupyter-server

@contextlib.contextmanager
def jupyter_server(tmp_path: Path, monkeypatch, config_path: str):
    """jupyter-server over the repository, as on Binder and JupyterHub (the server starts in
    ${REPO_DIR}), with `config_path` as JUPYTER_CONFIG_PATH; yields (base URL, token)."""
    from tests.support.servers import HOST, LOG_DIR, free_port, running_server

    port, token = free_port(), secrets.token_hex(16)
    # running_server's child inherits os.environ; ~/.jupyter is left out.
    monkeypatch.setenv("JUPYTER_CONFIG_PATH", config_path)
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    cmd = [sys.executable, "-m", "jupyter_server", "--no-browser", f"--ServerApp.ip={HOST}",
           f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--ServerApp.root_dir={REPO}",
           f"--IdentityProvider.token={token}",
           *(["--allow-root"] if os.geteuid() == 0 else [])]
    with running_server(cmd, base_url=f"http://{HOST}:{port}", cwd=REPO,
                        log_path=LOG_DIR / f"jupyter-server-{port}.log") as url:
        yield url, token


def authorised_status(url: str, token: str) -> int:
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.voila
def test_inside_jupyter_server_the_deny_list_guards_only_voila_files(tmp_path, monkeypatch):
    """The README's "What is protected where": under jupyter-server, Voila reads voila.json
    (its file lists apply to /voila/files/), while /files/ serves every notebook and data file."""
    with jupyter_server(tmp_path, monkeypatch, str(CONFIG.parent)) as (url, token):
        for path in ("notebooks/00_start_here.ipynb", "data/sources.csv", "ivigkit/cases.py",
                     "docs/start_here_app.png"):
            assert authorised_status(f"{url}/files/{path}", token) == 200, path
            assert authorised_status(f"{url}/voila/files/{path}", token) == 403, path


@pytest.mark.voila
def test_without_voila_json_voila_files_would_serve_an_image(tmp_path, monkeypatch):
    """The check above can fail: with Voila's defaults (voila.json not on the config path) the
    image is served, so the 403 above comes from voila.json being read."""
    empty = tmp_path / "etc"
    empty.mkdir()
    with jupyter_server(tmp_path, monkeypatch, str(empty)) as (url, token):
        assert authorised_status(f"{url}/voila/files/docs/start_here_app.png", token) == 200
