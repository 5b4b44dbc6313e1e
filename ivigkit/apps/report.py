"""The class report app (instructor/class_report.ipynb): choose a self-check or the pre/post test
and a folder of the answer files learners handed in; see which files were skipped and why, each
question's share right at the first attempt and its most chosen wrong answers, each learner
code's score and, for the pre/post test, the gain per objective. Reads files on this machine
only; sends nothing anywhere."""
from __future__ import annotations

from html import escape

import ipywidgets as widgets

from ivigkit import report
from ivigkit.apps.base import LABEL_STYLE, WIDE, App, FigurePanel
from ivigkit.data import answer_files
from ivigkit.data.paths import shown_dir
from ivigkit.figures import report as charts
from ivigkit.figures.tables import table_html

STYLE = dict(style=LABEL_STYLE)


def _subject_label(name: str) -> str:
    return "Pre/post test (forms A and B, graded with the keys)" if name == report.PRE_POST else f"Self-check {name}"


class ClassReportApp(App):
    """Controls: what to report on, and the folder. `report` is the current ClassReport."""

    def __init__(self, subject: str = report.PRE_POST, folder: str | None = None) -> None:
        super().__init__()
        self.subject = widgets.Dropdown(options=[(_subject_label(s), s) for s in report.subjects()],
                                        value=subject, description="Report on", layout=WIDE, **STYLE)
        self.folder = widgets.Text(value=str(folder or answer_files.answers_dir()), description="Folder of answer files",
                                   continuous_update=False, layout=widgets.Layout(width="auto", max_width="720px"),
                                   tooltip="The folder where you saved the learners' CSV and JSON files", **STYLE)
        self.reread = widgets.Button(description="Read the folder again", icon="refresh",
                                     tooltip="Read the folder again after adding files")
        self.reread.on_click(lambda _b: self.update())
        self.summary = widgets.HTML()
        self.summary.add_class("ivig-result")
        self.skipped = widgets.HTML()
        self.skipped.add_class("ivig-report-skipped")
        self.learners = widgets.HTML()
        self.learners.add_class("ivig-report-learners")
        self.pairs = widgets.HTML()
        self.pairs.add_class("ivig-report-pairs")
        self.questions_panel: FigurePanel | None = None
        self.gain_panel: FigurePanel | None = None
        self.questions_box = widgets.VBox()
        self.gain_box = widgets.VBox()
        self.report: report.ClassReport | None = None
        self.controls = [self.subject, self.folder]
        self._finish(self.summary, self.skipped, self.questions_box, self.learners, self.gain_box, self.pairs,
                     layout=widgets.VBox([self.subject, self.folder, self.reread]))

    def compute(self) -> report.ClassReport:
        texts, unread = answer_files.read_answer_folder(self.folder.value.strip())
        return report.class_report(self.subject.value, texts, unread)

    def _panel(self, panel: FigurePanel | None, chart, box: widgets.VBox) -> FigurePanel:
        if panel is None:
            panel = FigurePanel(chart)
            box.children = (panel.widget,)
        else:
            panel.update(chart)
        return panel

    def show(self, result: report.ClassReport) -> None:
        self.report = result
        files, skipped = len(result.files), len(result.skipped)
        self.summary.value = (
            f"<p><b>{escape(result.subject.title)}</b>, from {escape(shown_dir(self.folder.value.strip()))}: "
            f"{files} learner file{'s' if files != 1 else ''} used, {skipped} skipped. Every answer is graded "
            "again with the " + ("keys in the instructor folder" if result.pre_post else "self-check's answers")
            + ". Nothing leaves this machine.</p>")
        self.skipped.value = ("<p>No file was skipped.</p>" if not skipped else
                              f"<p><b>Skipped files</b> ({skipped}): fix or remove them and read the folder again.</p>"
                              + table_html(charts.skipped_table(result)))
        self.questions_panel = self._panel(self.questions_panel, charts.first_attempt_chart(
            result.questions, title="Right at the first attempt, per question"), self.questions_box)
        self.learners.value = ("<p><b>Per learner code</b>: the score is the share of all the questions "
                               "right at the first attempt.</p>" + table_html(charts.learner_table(result))
                               if result.learners else "<p>No learner's answers to show yet.</p>")
        if result.pre_post is None:
            self.gain_box.children, self.gain_panel, self.pairs.value = (), None, ""
            return
        self.gain_panel = self._panel(self.gain_panel, charts.gain_chart(result.pre_post.gains), self.gain_box)
        unpaired = result.pre_post.unpaired
        self.pairs.value = ("<p><b>Learners with both forms</b>: the form begun first is the pre-test.</p>"
                            + table_html(charts.pairs_table(result))
                            + (f"<p>Only one form so far (not in the gains): {escape(', '.join(unpaired))}.</p>"
                               if unpaired else ""))
