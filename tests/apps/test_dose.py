"""Headless tests of notebook 04's apps: set controls, read results and figure data."""
import base64
import io
import re

import pandas as pd
import pytest

from ivigkit import dosing
from ivigkit.apps.dose import DosingWeightApp, IgGApp, InfusionApp
from ivigkit.apps.dose_cost import DoseCostApp
from ivigkit.apps.predict import predict


def fig_y(panel, trace=0):
    return tuple(panel.figure.data[trace].y)


def predicted(app, readout, guess, move):
    """Commit `guess` in a predict-first box, `move` the app, compare: (predicted, shown), message."""
    box = predict(app, readout, "?")
    box.answer.value = str(guess)
    box.button.click()
    move(app)
    box.button.click()
    return box.comparisons[-1], box.message.value


# --- which weight ------------------------------------------------------------------------

def test_weight_app_shows_the_worked_example():
    app = DosingWeightApp()
    weights = app.result.weights.set_index("rule")["weight_kg"]
    assert weights["ontario"] == pytest.approx(72.1, abs=0.05)
    assert weights["actual"] == 95
    assert "ideal (Devine)</b> 56.9 kg" in app.card.value and "BMI</b> 34.9" in app.card.value
    assert fig_y(app.panel) == tuple(weights)


def test_weight_app_pregnancy_switches_australia_to_actual_weight():
    app = DosingWeightApp()
    app.patient.pregnant.value = True
    assert app.result.weights.set_index("rule").loc["australia_2026", "weight_kg"] == 95


def test_weight_app_converts_pounds():
    app = DosingWeightApp()
    app.patient.unit.value = "lb"
    app.patient.weight.value = 200
    assert app.result.actual_kg == pytest.approx(dosing.kg_from_lb(200))


@pytest.mark.parametrize("control, value, words", [
    ("height", 90, "Height must be between 100 and 230 cm"),
    ("weight", 0, "Weight must be between 2 and 300 kg"),
])
def test_weight_app_bad_input_keeps_last_result(control, value, words):
    app = DosingWeightApp()
    before, figure = app.card.value, fig_y(app.panel)
    setattr(getattr(app.patient, control), "value", value)
    assert words in app.message.value
    assert app.card.value == before and fig_y(app.panel) == figure


def test_weight_app_ontario_readout_adjusts_only_above_bmi_30():
    app = DosingWeightApp()  # 95 kg, 165 cm, female: BMI 34.9
    ontario = app.readouts["ontario_kg"]
    assert ontario.read(app.result) == pytest.approx(app.result.adjusted_kg)
    assert ontario.read(app.result) == pytest.approx(72.1, abs=0.05)
    app.patient.weight.value = 80  # BMI 29.4: Ontario's "must" rule does not apply
    assert app.result.bmi < 30
    assert ontario.read(app.result) == 80
    assert app.result.rule_kg("australia_2026") == pytest.approx(app.result.adjusted_kg)


def test_weight_app_predict_round_trip_on_the_ontario_weight():
    (guess, shown), message = predicted(DosingWeightApp(), "ontario_kg", 66,
                                        lambda a: setattr(a.patient.weight, "value", 80))
    assert (guess, shown) == (66.0, 80.0)
    assert "the app shows <b>80 kg</b> (dosing weight, Ontario rule)" in message and "too low" in message


# --- vials and pump ----------------------------------------------------------------------

def test_infusion_app_gammaplex_example_states_its_assumption():
    app = InfusionApp()
    assert app.result.schedule.total_minutes == pytest.approx(131.9, abs=0.1)
    assert "2 h 12 min for 560 mL" in app.card.value and "Assumption" in app.card.value
    assert fig_y(app.panel)[0] == pytest.approx(0.5 * 70 * 60 / 50)  # mL/h at 0.5 mg/kg/min, 5 %


def test_infusion_app_risk_cap_lengthens_octagam():
    app = InfusionApp(dose_g=70, weight_kg=70, product_id="octagam_10")
    usual = app.result.schedule.total_minutes
    app.at_risk.value = True
    assert app.result.schedule.max_rate_used == 3.3
    assert app.result.schedule.total_minutes > usual


def test_infusion_app_ten_percent_halves_the_volume_not_the_chair_time():
    app = InfusionApp()  # 28 g of Gammaplex 5 % for 70 kg
    five = app.result.schedule
    (guess, shown), message = predicted(app, "chair_minutes", 66,
                                        lambda a: setattr(a.product, "value", "gammaplex_10"))
    ten = app.result.schedule
    assert ten.volume_ml == pytest.approx(five.volume_ml / 2)
    assert shown == ten.total_minutes == pytest.approx(99.7, abs=0.05)
    assert shown > five.total_minutes / 2  # rates are per kg per minute: volume does not set the time
    assert "1 h 40 min for 280 mL" in app.card.value
    assert fig_y(app.panel)[0] == pytest.approx(21.0)  # 0.5 mg/kg/min at 10 %: half the 5 % mL/h
    assert "99.69 min" in message and "too low" in message


@pytest.mark.parametrize("control, value, words", [
    ("product", "gammaked", "not known from a verified source"),
    ("dose", -5, "Dose"),
    ("weight", 400, "Weight must be between 2 and 300 kg"),
])
def test_infusion_app_bad_input_is_explained(control, value, words):
    app = InfusionApp()
    before = app.card.value
    getattr(app, control).value = value
    assert words in app.message.value and app.card.value == before


# --- IgG ---------------------------------------------------------------------------------

def test_igg_app_saturable_peak_is_lower_and_half_life_moves_troughs():
    app = IgGApp()
    linear, saturable = (p["igg_g_per_l"].max() for p in app.result.profiles.values())
    assert saturable < linear
    troughs = app.result.troughs["igg_g_per_l"].mean()
    app.half_life.value = 14
    assert app.result.troughs["igg_g_per_l"].mean() < troughs
    assert len(app.panel.figure.data) == 3  # linear, saturable, troughs


def test_igg_app_peak_does_not_depend_on_weight_when_dosed_per_kg():
    app = IgGApp()  # Achiron RRMS, 70 kg
    peak = app.readouts["peak_linear_g_per_l"].read(app.result)
    assert peak == pytest.approx(48.1, abs=0.05)
    (guess, shown), message = predicted(app, "peak_linear_g_per_l", 60,
                                        lambda a: setattr(a.weight, "value", 100))
    assert shown == pytest.approx(peak)
    assert app.readouts["peak_saturable_g_per_l"].read(app.result) < shown
    assert "48.09 g/L" in message and "too high" in message


# --- the whole simulator -----------------------------------------------------------------

@pytest.fixture
def sim_app():
    return DoseCostApp()


def test_simulator_updates_dose_cost_and_figures_together(sim_app):
    assert list(sim_app.panels) == ["Pump steps"], "a hidden tab's figure is made when it opens"
    for index in (2, 1, 0):  # open each tab once, as a learner would
        sim_app.figure_tabs.selected_index = index
    assert all(child is sim_app.panels[title].widget
               for child, title in zip(sim_app.figure_tabs.children, sim_app.CHART_TITLES))
    card, cost_fig = sim_app.card.value, tuple(sim_app.panels["One-year cost"].figure.data[0].x)
    igg, pump = fig_y(sim_app.panels["Serum IgG"]), fig_y(sim_app.panels["Pump steps"])
    sim_app.patient.weight.value = 100
    assert sim_app.result.typical_dose.ordered_g == pytest.approx(40.0)
    assert sim_app.card.value != card
    assert fig_y(sim_app.panels["Pump steps"]) != pump  # the tab on screen redraws at once
    sim_app.figure_tabs.selected_index = 2  # hidden tabs redraw when opened
    assert tuple(sim_app.panels["One-year cost"].figure.data[0].x) != cost_fig
    sim_app.figure_tabs.selected_index = 1
    assert fig_y(sim_app.panels["Serum IgG"]) != igg
    sim_app.regimen.value = "esims"
    assert sim_app.result.typical_dose.ordered_g == pytest.approx(100.0)
    assert sim_app.result.annual.infusions == 13  # monthly modelled as every 30 days, days 0-360


def test_simulator_card_numbers_add_up(sim_app):
    annual, share = sim_app.result.annual, sim_app.result.share
    assert annual.total_usd == pytest.approx(annual.drug_usd + annual.administration_usd)
    assert share.patient_usd + share.payer_usd == pytest.approx(annual.total_usd)
    money = re.search(r"One year:</b> \$([\d,]+)", sim_app.card.value)[1]
    assert float(money.replace(",", "")) == pytest.approx(annual.total_usd, abs=0.5)


def test_simulator_dosing_rule_and_pounds(sim_app):
    sim_app.patient.weight.value, sim_app.patient.height.value = 95, 165
    sim_app.rule.value = "ontario"
    assert sim_app.result.dosing_weight.weight_kg == pytest.approx(72.1, abs=0.05)
    sim_app.patient.unit.value = "lb"
    assert sim_app.result.patient.weight_kg == pytest.approx(dosing.kg_from_lb(95))


def test_simulator_price_source_sets_the_price(sim_app):
    options = sim_app.price_source.options
    sim_app.price_source.value = options[-1][1]
    assert sim_app.price.value == sim_app.result.choices.price_usd_per_g


@pytest.mark.parametrize("setter, words", [
    (lambda a: setattr(a.patient.weight, "value", 0), "Weight must be between 2 and 300 kg"),
    (lambda a: setattr(a.patient.weight, "value", -5), "Weight must be between 2 and 300 kg"),
    (lambda a: setattr(a.patient.weight, "value", 301), "Weight must be between 2 and 300 kg"),
    (lambda a: setattr(a.patient.height, "value", 90), "Height must be between 100 and 230 cm"),
    (lambda a: setattr(a.price, "value", -1), "rice"),
    (lambda a: setattr(a.product, "value", "gammagard_sd"), "Gammagard S/D"),
    (lambda a: setattr(a.coinsurance, "value", 150), "oinsurance"),
])
def test_simulator_bad_input_keeps_every_output(sim_app, setter, words):
    card = sim_app.card.value
    figures = {t: fig_y(p) for t, p in sim_app.panels.items()}
    download = sim_app.download.value
    setter(sim_app)
    assert words in sim_app.message.value, sim_app.message.value
    assert "Traceback" not in sim_app.message.value
    assert sim_app.card.value == card and sim_app.download.value == download
    assert {t: fig_y(p) for t, p in sim_app.panels.items()} == figures


def test_simulator_download_is_the_plan_as_csv(sim_app):
    payload = re.search(r"base64,([^\"]+)", sim_app.download.value)[1]
    table = pd.read_csv(io.StringIO(base64.b64decode(payload).decode()))
    assert {"day", "dose_g", "rounded_g", "billed_g", "drug_cost_usd"} <= set(table.columns)
    assert len(table) == sim_app.result.annual.infusions


def test_infusion_app_assumptions_can_be_changed_by_the_learner():
    app = InfusionApp(dose_g=70, weight_kg=70, product_id="privigen")  # label gives no steps
    usual = app.result.schedule.total_minutes
    app.step_minutes.value = 15
    assert app.result.schedule.total_minutes < usual
    app.step_factor.value = 1.5
    assert "rise 1.5-fold" in app.result.schedule.assumption
    app.product.value = "gammaplex_10"  # the label's own ladder and step time
    assert app.result.schedule.assumption is None


def test_simulator_out_of_pocket_maximum_caps_what_the_patient_pays(sim_app):
    def plan(app):
        app.deductible.value, app.coinsurance.value, app.oop_max.value = 2000, 20, 6000

    (guess, shown), message = predicted(sim_app, "patient_pays_usd", 6761, plan)
    assert shown == 6000 and sim_app.result.share.capped_by_oop_max
    assert "the patient pays $6,000" in sim_app.card.value and "6,000 USD" in message
    total = sim_app.readouts["annual_total_usd"].read(sim_app.result)
    sim_app.regimen.value = "esims"  # a dearer year: the payer carries all of the difference
    assert sim_app.readouts["annual_total_usd"].read(sim_app.result) > total
    assert sim_app.readouts["patient_pays_usd"].read(sim_app.result) == 6000
