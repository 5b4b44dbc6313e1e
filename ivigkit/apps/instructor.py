"""Apps of the instructor folder: the session plans, one per teaching notebook and format
(instructor/session_plans.ipynb). The case key is ivigkit.apps.cases.InstructorKeyApp and the
class report ivigkit.apps.report.ClassReportApp."""
from __future__ import annotations

import ipywidgets as widgets

from ivigkit.apps.base import LABEL_STYLE, WIDE, App
from ivigkit.data import documents, learning_path

KIND_LABELS = {"lecture": "Lecture, 50 minutes", "seminar": "Seminar, 2 hours"}


class SessionPlanApp(App):
    """Pick a notebook and a format; the plan is shown as Markdown (rendered by the page itself,
    so it works offline). `result` is the plan's Markdown."""

    def __init__(self, notebook: str | None = None, kind: str = "lecture") -> None:
        super().__init__()
        stops = learning_path.path()
        self.notebook = widgets.Dropdown(options=[(f"{s.id[:2]}: {s.title}", s.id) for s in stops],
                                         value=notebook or stops[0].id, description="Notebook", layout=WIDE,
                                         style=LABEL_STYLE)
        self.kind = widgets.ToggleButtons(options=[(label, k) for k, label in KIND_LABELS.items()], value=kind,
                                          description="Session", style=LABEL_STYLE)
        self.plan = widgets.Output()
        self.plan.add_class("ivig-plan")
        self.controls = [self.notebook, self.kind]
        self._finish(self.plan)

    def compute(self) -> str:
        return documents.read_plan(self.notebook.value, self.kind.value)

    def show(self, result: str) -> None:
        from IPython.display import Markdown

        self.plan.outputs = ()
        self.plan.append_display_data(Markdown(result))
