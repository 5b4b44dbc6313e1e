"""Headless tests of notebook 01's apps: set controls, read the card, the figure and the tables."""
import pytest

from ivigkit import course, data
from ivigkit.apps.course import (CourseExplorerApp, CourseSimulatorApp, SymptomMapApp,
                                 course_card_html, treatment_options)


@pytest.fixture
def sim():
    return CourseSimulatorApp()


def test_course_cards_show_share_evidence_and_sources():
    for course_id in course.COURSES:
        html = course_card_html(course_id)
        row = data.load("ms_courses").set_index("course_id").loc[course_id]
        assert row["name"] in html and "IVIG in this course" in html and "Sources" in html
    assert "about 85 % of people at diagnosis" in course_card_html("rrms")
    assert "ESIMS" in course_card_html("spms")


def test_explorer_switches_the_card_and_draws_every_course():
    app = CourseExplorerApp(years=5)
    assert "Relapsing-remitting" in app.card.value
    app.course.value = "ppms"
    assert "Primary progressive" in app.card.value
    assert len(app.panel.figure.data) == len(course.COURSES)
    assert "Teaching model, not a prognosis" in app.panel.summary.value


def test_treatment_from_a_trial_sets_the_rate_ratio_and_lowers_relapses(sim):
    untreated = sim.result.cohort.relapses_untreated
    sim.treated.value = True
    aims = next(value for label, value in treatment_options() if label.startswith("AIMS"))
    sim.effect.value = aims
    assert sim.ratio.value == 0.41
    assert sim.result.cohort.relapses_treated < untreated
    assert "Relapses avoided" in sim.card.value
    names = [trace.name for trace in sim.panel.figure.data]
    assert "Median, untreated" in names


def test_a_new_course_brings_its_defaults_in_one_update(sim, monkeypatch):
    calls = []
    original = sim.compute
    monkeypatch.setattr(sim, "compute", lambda: calls.append(1) or original())
    sim.course.value = "ppms"
    assert calls == [1]
    assert sim.rate.value == 0 and sim.progression.value == course.PROGRESSION_EDSS_PER_YEAR["ppms"]
    assert sim.result.path.relapse_years == ()


def test_cis_card_reports_conversion(sim):
    sim.course.value = "cis"
    sim.years.value = 20
    assert sim.result.path.converted_year is not None
    assert "converted to definite MS" in sim.card.value


@pytest.mark.parametrize("control, value, message", [
    ("rate", -1, "relapse rate must be between 0 and 5"),
    ("progression", 5, "Progression must be between 0 and 2"),
    ("ratio", 7, "rate ratio must be between 0 and 3"),
])
def test_bad_input_is_explained_and_the_last_result_stays(sim, control, value, message):
    sim.treated.value = True
    result, figure = sim.result, sim.panel.figure
    getattr(sim, control).value = value
    assert message in sim.message.value
    assert sim.result is result and sim.panel.figure is figure


def test_symptom_map_filters_by_region_and_lists_tests_and_nmosd():
    app = SymptomMapApp()
    everything = app.table.value.count("<tr>")
    app.region.value = "spinal_cord"
    spinal = app.table.value.count("<tr>")
    symptoms = data.load("symptoms")
    assert spinal == (symptoms["cns_region"] == "spinal_cord").sum() < everything == len(symptoms)
    assert "Lumbar puncture" in app.reference.value or "lumbar" in app.reference.value.lower()
    assert "AQP4" in app.reference.value
