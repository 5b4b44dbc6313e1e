"""The class report's charts (ivigkit.figures.report): valid plotly, units on the axes, and a
sentence computed from the same numbers."""
from __future__ import annotations

import json

import plotly.graph_objects as go
import plotly.io as pio
import pytest

from ivigkit.figures import report as charts
from ivigkit.report import ObjectiveGain, QuestionResult


def results():
    return (QuestionResult("pre_post_a", 1, "a1", "First?", "recall", "00.2", 4, 3, (("b: no", 1),)),
            QuestionResult("pre_post_b", 1, "b1", "Second?", "apply", "00.2", 4, 1, ()),
            QuestionResult("pre_post_b", 2, "b2", "Unanswered?", "apply", "00.4", 0, 0, ()))


def gains():
    return (ObjectiveGain("00.2", "Distinguish ...", 3, 20.0, 80.0), ObjectiveGain("00.4", "Calculate ...", 3, 50.0, 40.0))


@pytest.mark.parametrize("make", [lambda: charts.first_attempt_chart(results(), title="t"),
                                  lambda: charts.gain_chart(gains())])
def test_the_charts_pass_plotlys_validation_unchanged(make):
    chart = make()
    validated = go.Figure(chart.figure.to_dict())
    assert json.loads(pio.to_json(validated)) == json.loads(pio.to_json(chart.figure))
    assert chart.figure.layout.xaxis.title.text.endswith(")")


def test_first_attempt_chart_says_what_it_shows():
    chart = charts.first_attempt_chart(results(), title="t")
    assert list(chart.figure.data[0].y) == ["A Q1 (recall) 00.2", "B Q1 (apply) 00.2"]  # unanswered left out
    assert chart.summary == ("2 questions answered; right at the first attempt from 25 % to 75 % of learners. "
                             "The hardest was B Q1 (apply) 00.2: 1 of 4 right.")
    assert list(chart.table["Wrong answers chosen most (times)"]) == ["b: no (1)", "-", "-"]


def test_gain_chart_says_what_it_shows():
    chart = charts.gain_chart(gains())
    assert [t.name for t in chart.figure.data] == ["Pre-test", "Post-test"]
    assert chart.summary == ("3 learners took both forms. Across 2 objectives the mean gain runs from -10 points "
                             "(00.4) to 60 points (00.2).")
    assert list(chart.table["Gain (points)"]) == [60.0, -10.0]
    assert "No learner has handed in both forms" in charts.gain_chart(()).summary
