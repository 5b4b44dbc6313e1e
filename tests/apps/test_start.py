"""Headless tests of the start-here apps: set a control, read the result and the figure."""
import json

import plotly.io as pio
import pytest

from ivigkit.figures import theme
from ivigkit.apps.base import FigurePanel
from ivigkit.apps.start import DoseArithmeticApp, GlossaryApp


@pytest.fixture
def dose_app():
    return DoseArithmeticApp()


def test_dose_app_starts_with_the_worked_example(dose_app):
    assert dose_app.result.dose_g == pytest.approx(28.0)
    assert "<b>28 g</b>" in dose_app.answer.value
    assert isinstance(dose_app.panel, FigurePanel)
    assert dose_app.panel.figure.data[1].y == (28.0,)
    assert "needs 28 g" in dose_app.panel.summary.value


def test_moving_a_control_updates_result_figure_and_summary(dose_app):
    dose_app.weight.value = 140
    assert dose_app.result.dose_g == pytest.approx(56.0)
    assert dose_app.panel.figure.data[1].x == (140.0,)
    dose_app.dose.value = 1.0
    assert dose_app.result.dose_g == pytest.approx(140.0)
    assert dose_app.panel.figure.layout.title.text == "Grams needed at 1 g/kg"
    assert "needs 140 g" in dose_app.panel.summary.value


@pytest.mark.parametrize("bad", [-5, 0, 1000])
def test_bad_weight_shows_a_message_and_keeps_the_last_good_output(dose_app, bad):
    figure_before = dose_app.panel.figure.data[1].y
    dose_app.weight.value = bad
    assert "Weight must be between 2 and 300 kg" in dose_app.message.value
    assert 'class="ivig-error"' in dose_app.message.value
    assert dose_app.error is not None
    assert dose_app.result.dose_g == pytest.approx(28.0)
    assert dose_app.panel.figure.data[1].y == figure_before
    dose_app.weight.value = 50
    assert dose_app.message.value == "" and dose_app.error is None
    assert dose_app.result.dose_g == pytest.approx(20.0)


def test_data_table_toggle(dose_app):
    assert dose_app.panel.table is None, "the table's widget is made when the learner opens it"
    dose_app.panel.table_toggle.value = True
    table = dose_app.panel.table
    assert table in dose_app.panel.widget.children
    assert table.layout.display == "block" and "<table" in table.value and "28" in table.value
    assert dose_app.panel.table_toggle.description == "Hide data table"
    dose_app.dose.value = 1.0
    assert "<td>150</td>" in table.value  # an open table follows the figure: 150 kg x 1 g/kg
    dose_app.panel.table_toggle.value = False
    assert table.layout.display == "none" and table.value == ""


@pytest.fixture
def glossary_app():
    return GlossaryApp()


def test_glossary_lists_every_term_and_shows_a_cited_card(glossary_app):
    assert len(glossary_app.term.options) == len(glossary_app.table)
    glossary_app.term.value = "Neonatal Fc receptor"
    card = glossary_app.card.value
    assert "<h4>Neonatal Fc receptor</h4>" in card and "Verification:" in card and "<li>" in card


def test_glossary_search_filters_and_bad_search_keeps_the_card(glossary_app):
    glossary_app.search.value = "aquaporin"
    assert "Aquaporin-4" in [value for _, value in glossary_app.term.options]
    card = glossary_app.card.value
    glossary_app.search.value = "zzz"
    assert "No glossary entry mentions 'zzz'" in glossary_app.message.value
    assert glossary_app.card.value == card
    glossary_app.search.value = ""
    assert glossary_app.message.value == ""
    assert len(glossary_app.term.options) == len(glossary_app.table)


def test_a_redraw_sends_the_new_figure_as_plotly_json_to_the_same_output(dose_app):
    plot = dose_app.panel.plot
    dose_app.weight.value = 90
    assert dose_app.panel.plot is plot and dose_app.panel.widget.children[0] is plot
    (output,) = plot.outputs
    spec = output["data"]["application/vnd.plotly.v1+json"]
    assert dose_app.panel.figure.data[1].x == (90.0,)
    assert spec == {**json.loads(pio.to_json(dose_app.panel.figure)), "config": theme.CONFIG}
    json.dumps(output)  # plain JSON: what the widget protocol can send


def test_glossary_readout_reads_the_first_entry_found(glossary_app):
    assert glossary_app.readouts["first_match"].read(glossary_app.result) == glossary_app.table["term"].iloc[0]
    glossary_app.search.value = "broken down"
    assert glossary_app.readouts["first_match"].read(glossary_app.result) == "Neonatal Fc receptor"
    assert glossary_app.term.value == "Neonatal Fc receptor"  # the card shows the entry read


def test_glossary_prediction_round_trip(glossary_app):
    from ivigkit.apps.predict import predict

    choices = ("Fc receptor", "Neonatal Fc receptor", "Immunoglobulin G", "Aquaporin-4")
    box = predict(glossary_app, "first_match", "Which receptor keeps IgG from being broken down?",
                  choices=choices)
    box.answer.value = "Fc receptor"
    box.button.click()
    assert box.committed == "Fc receptor" and box.answer.disabled
    glossary_app.search.value = "broken down"
    box.button.click()
    assert box.comparisons == [("Fc receptor", "Neonatal Fc receptor")]
    assert "not what you predicted" in box.message.value


def test_dose_prediction_round_trip_doubling_the_weight(dose_app):
    from ivigkit.apps.predict import predict

    box = predict(dose_app, "dose_g", "Double the weight to 140 kg: how many grams?")
    box.answer.value = "56"
    box.button.click()
    dose_app.weight.value = 140
    box.button.click()
    assert box.comparisons == [(56.0, pytest.approx(56.0))] and "exactly right" in box.message.value
