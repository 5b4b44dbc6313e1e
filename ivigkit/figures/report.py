"""Charts and tables of the class report (ivigkit.report): right at the first attempt per question,
and the pre/post test's gain per objective."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ivigkit.figures.theme import Chart, add_trace, axis_title, new_figure, series_style
from ivigkit.formatting import fmt
from ivigkit.report import ClassReport, ObjectiveGain, QuestionResult


def _label(r: QuestionResult, several: bool) -> str:
    form = f"{r.notebook.rsplit('_', 1)[-1].upper()} " if several else ""
    return f"{form}Q{r.number} ({r.level})" + (f" {r.objective}" if r.objective else "")


def first_attempt_chart(results: tuple[QuestionResult, ...], *, title: str) -> Chart:
    """Per question, the share (%) of learners right at their first attempt (horizontal bars)."""
    answered = [r for r in results if r.learners]
    several = len({r.notebook for r in results}) > 1
    labels = [_label(r, several) for r in answered]
    shares = [r.first_right_pct for r in answered]
    fig = new_figure(title=title, x_title=axis_title("Right at the first attempt", "% of learners"),
                     y_title=axis_title("Question", "-"))
    add_trace(fig, go.Bar, x=shares, y=labels, orientation="h", name="Right at the first attempt",
              marker=dict(color=series_style(0)["marker"]["color"]),
              customdata=[f"{r.first_right} of {r.learners}" for r in answered],
              hovertemplate="%{y}: %{x:.0f} % (%{customdata})<extra></extra>")
    fig.layout.xaxis.range = [0, 100]
    fig.layout.yaxis.update(autorange="reversed", title_text="", automargin=True)
    fig.layout.height = 200 + 34 * max(len(labels), 1)
    if answered:
        low = min(answered, key=lambda r: (r.first_right_pct, r.number))
        summary = (f"{len(answered)} questions answered; right at the first attempt from "
                   f"{fmt(min(shares), 0)} % to {fmt(max(shares), 0)} % of learners. The hardest was "
                   f"{_label(low, several)}: {low.first_right} of {low.learners} right.")
    else:
        summary = "No learner's file answers these questions yet."
    return Chart(fig, summary, question_table(results))


def question_table(results: tuple[QuestionResult, ...]) -> pd.DataFrame:
    several = len({r.notebook for r in results}) > 1
    return pd.DataFrame({
        "Question": [_label(r, several) for r in results],
        "Asks": [r.prompt for r in results],
        "Learners": [r.learners for r in results],
        "Right at first attempt (%)": [r.first_right_pct for r in results],
        "Wrong answers chosen most (times)": ["; ".join(f"{label} ({n})" for label, n in r.wrong) or "-"
                                              for r in results],
    })


def learner_table(report: ClassReport) -> pd.DataFrame:
    """Per learner code: answered, right at the first attempt and at the latest, and the score."""
    return pd.DataFrame({
        "Learner code": [r.learner_code for r in report.learners],
        "Name": [r.learner_name or "-" for r in report.learners],
        "Quiz or form": [r.notebook for r in report.learners],
        "Answered": [f"{r.answered} of {r.questions}" for r in report.learners],
        "Right at first attempt": [r.first_right for r in report.learners],
        "Right at latest attempt": [r.latest_right for r in report.learners],
        "Score (%)": [r.score_pct for r in report.learners],
        "File": [r.file for r in report.learners],
    })


def skipped_table(report: ClassReport) -> pd.DataFrame:
    return pd.DataFrame({"File": [s.name for s in report.skipped], "Why it was skipped": [s.reason for s in report.skipped]})


def pairs_table(report: ClassReport) -> pd.DataFrame:
    pairs = report.pre_post.pairs if report.pre_post else ()
    return pd.DataFrame({
        "Learner code": [p.learner_code for p in pairs],
        "Name": [p.learner_name or "-" for p in pairs],
        "Pre-test": [f"{p.pre_form}: {fmt(p.pre_pct, 0)} %" for p in pairs],
        "Post-test": [f"{p.post_form}: {fmt(p.post_pct, 0)} %" for p in pairs],
        "Gain (points)": [p.post_pct - p.pre_pct for p in pairs],
    })


def gain_chart(gains: tuple[ObjectiveGain, ...]) -> Chart:
    """Per objective, the paired learners' mean share right before and after (grouped bars)."""
    labels = [g.objective for g in gains]
    fig = new_figure(title="Pre/post test: right per objective", x_title=axis_title("Objective", "-"),
                     y_title=axis_title("Items right", "% of paired learners' items"))
    for n, (name, values) in enumerate((("Pre-test", [g.pre_pct for g in gains]),
                                         ("Post-test", [g.post_pct for g in gains]))):
        add_trace(fig, go.Bar, x=labels, y=values, name=name,
                  marker=dict(color=series_style(n)["marker"]["color"], pattern=dict(shape=["", "/"][n])),
                  customdata=[g.text for g in gains],
                  hovertemplate="%{x}: %{y:.0f} %<br>%{customdata}<extra>" + name + "</extra>")
    fig.layout.barmode = "group"
    fig.layout.yaxis.range = [0, 100]
    fig.layout.xaxis.type = "category"
    if gains:
        best = max(gains, key=lambda g: g.gain_pts)
        worst = min(gains, key=lambda g: g.gain_pts)
        summary = (f"{gains[0].learners} learners took both forms. Across {len(gains)} objectives the mean "
                   f"gain runs from {fmt(worst.gain_pts, 0)} points ({worst.objective}) to "
                   f"{fmt(best.gain_pts, 0)} points ({best.objective}).")
    else:
        summary = "No learner has handed in both forms yet, so there is no gain to show."
    table = pd.DataFrame({
        "Objective": labels, "What it asks": [g.text for g in gains], "Learners": [g.learners for g in gains],
        "Pre-test right (%)": [g.pre_pct for g in gains], "Post-test right (%)": [g.post_pct for g in gains],
        "Gain (points)": [g.gain_pts for g in gains]})
    return Chart(fig, summary, table)
