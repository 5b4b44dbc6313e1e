"""Fixtures every test folder shares: the notebook parameter, the artifacts folder, one Voila
server for the session, and a writable copy of data/.

Any test that takes a ``notebook`` argument runs once per notebook in NOTEBOOK_DIR
(IVIGKIT_NOTEBOOK_DIR overrides it; see tests.support).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.support import DATA, NOTEBOOK_DIR, NOTEBOOKS, REPO
from tests.support.servers import use_workbook_config, voila_server

# Serve with the workbook's own Voila template and config, as `make app` does (the Makefile
# exports the same paths; this keeps a bare `pytest` run identical).
use_workbook_config()


def pytest_generate_tests(metafunc):
    explicit = any(
        "notebook" in (m.args[0].replace(" ", "").split(",") if isinstance(m.args[0], str) else m.args[0])
        for m in metafunc.definition.iter_markers("parametrize")
    )
    if "notebook" in metafunc.fixturenames and not explicit:
        metafunc.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])


def pytest_collection_modifyitems(items):
    # Anything that needs the live server is a `voila` test, wherever it lives,
    # so `-m "not voila"` never starts a server by accident.
    for item in items:
        if "voila_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.voila)


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    path = REPO / "artifacts"  # git-ignored
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture(scope="session")
def voila_url() -> str:
    """Base URL of one Voila server on 127.0.0.1 serving NOTEBOOK_DIR for the session."""
    with voila_server(NOTEBOOK_DIR, log_name="voila-session.log") as url:
        yield url



def _clear_catalog() -> None:
    from ivigkit import data
    from ivigkit.data import catalog

    catalog.products.cache_clear()
    catalog.regimens.cache_clear()
    data.clear_cache()


@pytest.fixture(autouse=True)
def _real_data_dir(monkeypatch):
    """Tests read the repo's data/ unless they ask for a copy (data_copy)."""
    monkeypatch.delenv("IVIGKIT_DATA_DIR", raising=False)


@pytest.fixture
def data_copy(tmp_path, monkeypatch) -> Path:
    """A writable copy of data/ that ivigkit reads (via IVIGKIT_DATA_DIR). The catalog's caches
    are cleared around it; ivigkit.data's cache is keyed on file path and mtime."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    monkeypatch.setenv("IVIGKIT_DATA_DIR", str(target))
    _clear_catalog()
    yield target
    _clear_catalog()
