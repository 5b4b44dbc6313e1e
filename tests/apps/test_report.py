"""The class report app (ivigkit.apps.report), headless, on generated answer files."""
from __future__ import annotations

from datetime import timedelta

import pytest

from ivigkit import quiz as q
from ivigkit import report
from ivigkit.quiz import forms
from tests.support.answers import T0, learner_records


@pytest.fixture
def folder(tmp_path):
    selfcheck = q.load_quiz("03_evidence")
    (tmp_path / "ada_03.csv").write_text(q.export_csv(learner_records(selfcheck, "ADA1", {0, 1}, name="Ada")))
    (tmp_path / "ben_03.json").write_text(q.export_json(learner_records(selfcheck, "BEN2", {0})))
    for code, first in (("ADA1", "pre_post_a"), ("BEN2", "pre_post_b")):
        second = "pre_post_b" if first == "pre_post_a" else "pre_post_a"
        for form, when, right in ((first, T0, {0}), (second, T0 + timedelta(days=20), set(range(20)))):
            quiz = forms.load_keyed_form(form).quiz
            (tmp_path / f"{code}_{form}.csv").write_text(
                q.export_csv(learner_records(quiz, code, right, graded=False, when=when)))
    (tmp_path / "broken.json").write_text("{")
    return tmp_path


def test_the_pre_post_report_shows_every_part(folder):
    from ivigkit.apps.report import ClassReportApp

    app = ClassReportApp(folder=str(folder))
    assert app.error is None and app.subject.value == report.PRE_POST
    assert "4 learner files used, 3 skipped" in app.summary.value
    for name in ("broken.json", "ada_03.csv", "ben_03.json"):
        assert name in app.skipped.value
    assert "not valid JSON" in app.skipped.value and "not for pre_post_a or pre_post_b" in app.skipped.value
    figure = app.questions_panel.figure
    assert len(figure.data[0].x) == 40  # every question of both forms was answered
    assert "In words" in app.questions_panel.summary.value
    gains = app.gain_panel.chart.table
    assert list(gains["Objective"]) == [o.id for o in forms.load_blueprint().objectives]
    assert all(gains["Learners"] == 2)
    assert "ADA1" in app.pairs.value and "BEN2" in app.pairs.value
    assert "Score (%)" in app.learners.value


def test_a_self_check_report_and_back(folder):
    from ivigkit.apps.report import ClassReportApp

    app = ClassReportApp(folder=str(folder))
    app.subject.value = "03_evidence"
    assert "2 learner files used, 5 skipped" in app.summary.value
    assert app.gain_box.children == () and app.pairs.value == ""
    assert "Ada" in app.learners.value
    app.subject.value = report.PRE_POST
    assert app.gain_box.children and "ADA1" in app.pairs.value


def test_a_wrong_folder_is_explained_beside_the_controls_and_the_report_stays(folder):
    from ivigkit.apps.report import ClassReportApp

    app = ClassReportApp(folder=str(folder))
    before = app.report
    app.folder.value = str(folder / "nope")
    assert "There is no folder" in app.message.value and "ivig-error" in app.message.value
    assert "Traceback" not in app.message.value and app.report is before
    (folder / "nope").mkdir()
    app.reread.click()
    assert app.error is None and "0 learner files used" in app.summary.value
