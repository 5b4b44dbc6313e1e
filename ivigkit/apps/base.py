"""What every workbook app shares: controls -> model -> view, errors shown as messages.

An app is an object with its controls and its current result as attributes, so tests can set
a control's value and read the result and the figure without a browser.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

import ipywidgets as widgets

from ivigkit.figures.tables import summary_html, table_html
from ivigkit.figures.theme import Chart, mime_bundle

WIDE = widgets.Layout(width="auto", max_width="720px")
LABEL_STYLE = {"description_width": "initial"}


def error_html(message: str) -> str:
    """A model's ValueError as a message a student reads beside the control."""
    return f'<div class="ivig-error" role="alert">&#9888; {escape(message, quote=False)}</div>'


class Shown:
    """Anything with a `.widget` shows as that widget when a notebook cell returns it."""

    widget: widgets.Widget

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


class StaticHTML:
    """Content that never changes (a reference list, a data table), shown as a plain HTML output:
    unlike a widget it leaves no model for the browser to restore before the page is ready.
    `value` is the HTML, as on a widgets.HTML."""

    def __init__(self, value: str, css_class: str) -> None:
        self.value, self.css_class = value, css_class

    def _repr_html_(self) -> str:
        return f'<div class="{self.css_class}">{self.value}</div>'


@dataclass(frozen=True)
class Readout:
    """One number (or word) an app shows, by name, for a predict-first task: `read` takes the
    app's current result and returns what the model computed (no arithmetic of its own)."""

    label: str
    unit: str
    read: Callable[[object], float | str]


def app_box(children, name: str) -> widgets.VBox:
    """The box an app shows in, with the classes the page's style and the browser tests find it
    by: `ivig-app`, and `ivig-app-<name>` for this one app."""
    box = widgets.VBox(children)
    box.add_class("ivig-app")
    box.add_class(f"ivig-app-{name}")
    return box


class App(Shown, ABC):
    """Base class: subclasses build `self.controls`, then call `self._finish(body)`.

    `compute()` reads the controls and calls the model (never computing clinical numbers
    itself); `show(result)` puts the result on screen. A ValueError from the model is shown
    beside the controls and the last good result stays on screen.
    """

    controls: list[widgets.Widget]
    #: What a learner can be asked to predict (ivigkit.apps.predict), by name.
    readouts: dict[str, Readout] = {}

    def __init__(self) -> None:
        self.result = None
        self.error: str | None = None
        self.message = widgets.HTML(value="")
        self.message.add_class("ivig-message")

    @abstractmethod
    def compute(self):
        """Read the controls and return the model's result (may raise ValueError)."""

    @abstractmethod
    def show(self, result) -> None:
        """Display a good result."""

    def _finish(self, *body: widgets.Widget, layout: widgets.Widget | None = None) -> None:
        """Assemble the app: `layout` arranges the controls (default: one column), the
        message line sits right under them, then `body`; then draw the first result."""
        controls = widgets.VBox([layout or widgets.VBox(self.controls), self.message])
        controls.add_class("ivig-controls")
        self.widget = app_box([controls, *body], type(self).__name__)
        for control in self.controls:
            control.observe(self.update, names="value")
        self.update()

    def update(self, change=None) -> None:
        """Recompute from the controls; on bad input show why and keep the last result."""
        try:
            result = self.compute()
        except ValueError as exc:
            self.error = str(exc)
            self.message.value = error_html(self.error)
            return
        self.error = None
        self.message.value = ""
        self.result = result
        self.show(result)


class FigurePanel:
    """A plot with its one-sentence summary and a 'Show data table' toggle.

    `figure` is the go.Figure on screen (tests read its data). The plot is an Output widget
    holding the figure as plotly's MIME bundle, drawn by the jupyterlab-plotly renderer that
    JupyterLab and Voila load once per page. A redraw sends only the figure's JSON (kilobytes);
    a FigureWidget would carry plotly.js (about 5 MB) in every new widget, and in Voila 0.5.13
    changes sent to an existing FigureWidget were often not drawn. The table's widget is made
    the first time the learner opens it."""

    def __init__(self, chart: Chart, *, draw: bool = True) -> None:
        self.plot = widgets.Output()
        self.plot.add_class("ivig-plot")
        self.summary = widgets.HTML()
        self.table_toggle = widgets.ToggleButton(
            value=False, description="Show data table", icon="table",
            tooltip="Show the numbers behind the figure as a table",
        )
        self.table: widgets.HTML | None = None
        self.table_toggle.observe(self._toggle_table, names="value")
        self.widget = widgets.VBox([self.plot, self.summary, self.table_toggle])
        self.widget.add_class("ivig-figure")
        self.drawn = None  # the go.Figure the plot shows now
        self.update(chart, draw=draw)

    def update(self, chart: Chart, *, draw: bool = True) -> None:
        """Show `chart`; draw=False (a panel in a hidden tab) keeps the plot for later."""
        self.chart, self.figure = chart, chart.figure
        if draw:
            self._draw()
        self._fill(chart)

    def _draw(self) -> None:
        if self.drawn is not self.figure:
            self.plot.outputs = (mime_bundle(self.figure),)
            self.drawn = self.figure

    def _fill(self, chart: Chart) -> None:
        self.summary.value = summary_html(chart)
        # Rendering a table is slow, so it is built only while the learner has it open.
        if self.table is not None:
            self.table.value = table_html(chart.table) if self.table_toggle.value else ""

    def _toggle_table(self, change) -> None:
        if self.table is None:
            self.table = widgets.HTML()
            self.widget.children = (*self.widget.children, self.table)
        self.table.layout.display = "block" if change["new"] else "none"
        self.table_toggle.description = "Hide data table" if change["new"] else "Show data table"
        self._fill(self.chart)
