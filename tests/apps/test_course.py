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


# Readouts for predict-first tasks (ivigkit.apps.predict): each reads the model's result for the
# current selection, and follows the controls.

def test_explorer_readouts_follow_the_chosen_course():
    app = CourseExplorerApp()
    rrms = app.readouts["relapses"].read(app.result)
    assert app.result.course_id == "rrms" and rrms == app.cohorts["rrms"].relapses_untreated > 0
    app.course.value = "spms"
    assert app.result.course_id == "spms"
    assert 0 < app.readouts["relapses"].read(app.result) < rrms  # fewer relapses, by the placebo rates
    assert app.readouts["median_edss_end"].read(app.result) == app.cohorts["spms"].band["median"].iloc[-1]
    assert app.readouts["ivig_result"].read(app.result) == "negative"
    assert "SPMS" in app.simulated.value and "relapses per patient" in app.simulated.value
    app.course.value = "ppms"
    assert app.readouts["relapses"].read(app.result) == 0.0
    assert app.readouts["ivig_result"].read(app.result) == "inconclusive"


def test_explorer_prediction_compares_with_the_chosen_course():
    from ivigkit.apps.predict import predict

    app = CourseExplorerApp()
    box = predict(app, "relapses", "How many relapses per SPMS patient over 20 years?")
    box.answer.value = "9"
    box.button.click()
    app.course.value = "spms"
    box.button.click()
    assert box.comparisons == [(9.0, pytest.approx(app.cohorts["spms"].relapses_untreated))]
    assert "relapses per simulated patient" in box.message.value


def test_symptom_map_readout_counts_the_symptoms_listed():
    app = SymptomMapApp()
    symptoms = data.load("symptoms")
    assert app.result.region == "all"
    assert app.readouts["symptoms_listed"].read(app.result) == len(symptoms)
    app.region.value = "spinal_cord"
    spinal = (symptoms["cns_region"] == "spinal_cord").sum()
    assert app.result.region == "spinal_cord"
    assert app.readouts["symptoms_listed"].read(app.result) == spinal
    assert f"<b>{spinal}</b> of {len(symptoms)} symptoms listed" in app.table.value
    assert set(app.result.rows["symptom"]) >= {"Lhermitte's sign", "Bladder problems"}


def test_symptom_map_prediction_round_trip():
    from ivigkit.apps.predict import predict

    app = SymptomMapApp()
    box = predict(app, "symptoms_listed", "How many symptoms does the map put in the spinal cord?")
    box.answer.value = "4"
    box.button.click()
    app.region.value = "spinal_cord"
    box.button.click()
    spinal = float((data.load("symptoms")["cns_region"] == "spinal_cord").sum())
    assert box.comparisons == [(4.0, spinal)]


def test_simulator_median_readout_follows_the_treatment(sim):
    sim.years.value = 20
    band = sim.result.cohort.band
    untreated = sim.readouts["median_edss_end"].read(sim.result)
    assert untreated == band["median"].iloc[-1] == band["untreated_median"].iloc[-1]
    sim.treated.value = True
    sim.effect.value = next(value for label, value in treatment_options() if label.startswith("AIMS"))
    treated = sim.readouts["median_edss_end"].read(sim.result)
    assert treated == sim.result.cohort.band["median"].iloc[-1] < untreated
    assert sim.result.cohort.band["untreated_median"].iloc[-1] == untreated


def test_simulator_prediction_of_the_treated_median_with_the_aims_ratio(sim):
    """The notebook's predict-first task: RRMS over 20 years, treated with the AIMS rate ratio."""
    from ivigkit.apps.predict import predict

    box = predict(sim, "median_edss_end", "Where does the treated median EDSS end?")
    box.answer.value = "4"
    box.button.click()
    sim.years.value = 20
    sim.treated.value = True
    sim.effect.value = next(value for label, value in treatment_options() if label.startswith("AIMS"))
    box.button.click()
    median = sim.result.cohort.band["median"].iloc[-1]
    assert box.comparisons == [(4.0, median)]
    assert "median EDSS of the simulated patients" in box.message.value
    cohort = sim.result.cohort  # fewer relapses by about the rate ratio
    assert 0.3 * cohort.relapses_untreated < cohort.relapses_treated < 0.5 * cohort.relapses_untreated
