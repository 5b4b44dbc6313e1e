"""Predict, commit, then check: the first task of every "Try it".

    >>> app = DoseCostApp()
    >>> predict(app, "dose_g", "A 95 kg woman, 165 cm, 2 g/kg on adjusted weight: how many grams per infusion?")

The learner types (or picks) a prediction and commits it; the box then locks and the page keeps
what was predicted and when. After moving the app, the same button, now "Compare with the app",
sets the prediction beside what the app shows now (one of the app's `readouts`, read from its
current result: the app's model computed it, this widget only reads it) and says how far off it was.

Any panel with `readouts` and a current `result` can take a prediction: the apps (App) and
the explorers that only show data (a selected course, a claim, a mechanism) alike.
"""
from __future__ import annotations

from html import escape
from typing import Protocol

import ipywidgets as widgets

from ivigkit.apps.base import LABEL_STYLE, Readout, Shown, error_html
from ivigkit.formatting import fmt
from ivigkit.quiz.export import utc_now_iso


class Readable(Protocol):
    """What a prediction reads: named readouts and the panel's current result."""

    readouts: dict[str, Readout]
    result: object


class Prediction(Shown):
    """A prediction box tied to one readout of a panel (attributes are for headless tests).

    The task's question is in the notebook's text; the box is one answer field and one button
    ("Commit my prediction", then "Compare with the app"), with a message line made the first
    time there is something to say: a few widget models per box, so a page with a box in every
    "Try it" stays light."""

    def __init__(self, app: Readable, readout: str, prompt: str, choices: tuple[str, ...] = ()) -> None:
        if readout not in getattr(app, "readouts", {}):
            raise ValueError(f"{type(app).__name__} has no readout '{readout}'; it has "
                             f"{', '.join(getattr(app, 'readouts', {})) or 'none'}.")
        self.app, self.readout, self.prompt = app, app.readouts[readout], prompt
        self.committed: float | str | None = None
        self.committed_at: str | None = None
        self.comparisons: list[tuple[float | str, float | str]] = []  # (predicted, shown by the app)
        unit = f" ({self.readout.unit})" if self.readout.unit else ""
        label = f"Predict first: {prompt} My prediction{unit}"
        if choices:
            self.answer = widgets.Dropdown(options=[("choose", None), *[(c, c) for c in choices]],
                                           description=f"My prediction{unit}", style=LABEL_STYLE,
                                           tooltip=label)
        else:
            self.answer = widgets.Text(description=f"My prediction{unit}", placeholder="a number",
                                       style=LABEL_STYLE, tooltip=label)
        self.button = widgets.Button(description="Commit my prediction", icon="lock",
                                     tooltip="Lock your prediction before you use the app")
        self.button.on_click(lambda _b: self.compare() if self.committed is not None else self.commit())
        self.message: widgets.HTML | None = None
        self.widget = widgets.HBox([self.answer, self.button], layout=widgets.Layout(flex_flow="row wrap"))
        self.widget.add_class("ivig-prediction")

    def _say(self, html: str) -> None:
        if self.message is None:
            self.message = widgets.HTML(layout=widgets.Layout(width="100%"))  # its own line
            self.message.add_class("ivig-prediction-result")
            self.widget.children = (*self.widget.children, self.message)
        self.message.value = html

    def commit(self) -> None:
        """Lock the prediction (a number for a number readout); explain a bad one beside the box."""
        value = self.answer.value
        if isinstance(self.answer, widgets.Dropdown):
            if value is None:
                self._say(error_html("Choose your prediction first."))
                return
        else:
            try:
                value = float(str(value).strip().replace("\u2212", "-"))
            except ValueError:
                self._say(error_html(
                    f"Type your prediction as a number, in {self.readout.unit or 'the unit asked'}: for "
                    f"example 28; got '{str(value).strip()}'."))
                return
        self.committed, self.committed_at = value, utc_now_iso()
        self.answer.disabled = True
        self.button.description, self.button.icon = "Compare with the app", "balance-scale"
        self.button.tooltip = "Set your prediction beside what the app shows now"
        self._say(f"<p>Committed: <b>{escape(self._text(value))}</b>. Now use the app, then compare.</p>")

    def compare(self) -> None:
        """Set the committed prediction beside what the app shows now."""
        if self.committed is None:
            return
        if self.app.result is None:
            self._say(error_html("The app has no result yet: fix its inputs first."))
            return
        shown = self.readout.read(self.app.result)
        self.comparisons.append((self.committed, shown))
        text = f"You predicted <b>{escape(self._text(self.committed))}</b>; the app shows " \
               f"<b>{escape(self._text(shown))}</b> ({escape(self.readout.label)})"
        if isinstance(shown, str) or isinstance(self.committed, str):
            text += ": the same." if shown == self.committed else ": not what you predicted. Why not?"
        else:
            off = self.committed - shown
            text += (f": off by {fmt(abs(off), 2)} {escape(self.readout.unit)}"
                     + (f" ({fmt(100 * abs(off) / abs(shown), 0)} % of the app's value)" if shown else "")
                     + (", too high." if off > 0 else ", too low." if off < 0 else ": exactly right."))
        self._say(f"<p>{text}</p>")

    def _text(self, value) -> str:
        return value if isinstance(value, str) else f"{fmt(value, 2)} {self.readout.unit}".strip()


def predict(app: Readable, readout: str, prompt: str, choices: tuple[str, ...] = ()) -> Prediction:
    """A predict-first box for one of `app`'s readouts; end a notebook cell with it to show it."""
    return Prediction(app, readout, prompt, choices)
