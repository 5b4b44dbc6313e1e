"""The session-plan page (ivigkit.apps.instructor), headless."""
from __future__ import annotations

import pytest

from tests.support import NOTEBOOKS


def test_every_notebook_and_format_shows_its_plan():
    from ivigkit.apps.instructor import SessionPlanApp

    app = SessionPlanApp()
    assert [v for _, v in app.notebook.options] == [p.stem for p in NOTEBOOKS]
    for notebook in (p.stem for p in NOTEBOOKS):
        for kind in ("lecture", "seminar"):
            app.notebook.value, app.kind.value = notebook, kind
            assert app.error is None
            (shown,) = app.plan.outputs
            assert shown["data"]["text/markdown"] == app.result
            assert app.result.startswith("# ") and f"**Notebook:** {notebook}" in app.result


def test_a_copy_without_the_plans_says_so_beside_the_controls(monkeypatch, tmp_path):
    from ivigkit.apps.instructor import SessionPlanApp

    monkeypatch.setenv("IVIGKIT_INSTRUCTOR_DIR", str(tmp_path))
    app = SessionPlanApp(kind="seminar")
    assert app.result is None and "There is no seminar plan for 00_start_here" in app.message.value
    assert "Traceback" not in app.message.value


def test_an_unknown_format_is_a_sentence():
    from ivigkit import data
    from ivigkit.data import documents

    with pytest.raises(data.DataError, match="lecture or a seminar"):
        documents.read_plan("00_start_here", "workshop")
