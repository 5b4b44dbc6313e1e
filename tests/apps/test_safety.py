"""Notebook 05's apps, headless: screening checklist, infusion day, adverse events, NMOSD."""
import pytest

from ivigkit import data, infusion
from ivigkit.apps.safety import AdverseEventApp, InfusionDayApp, ScreeningApp, nmosd_panel


def test_ticking_factors_adds_flags_and_changes_product_statuses():
    app = ScreeningApp()
    assert "No factor ticked" in app.flags.value
    before = app.result.products.set_index("product_id")["status"]
    app.boxes["glucose_meter_gdh_pqq"].value = True
    after = app.result.products.set_index("product_id")["status"]
    assert "GDH" in app.flags.value or "glucose" in app.flags.value.lower()
    assert after["octagam_10"] == "unsuitable" and before["octagam_10"] == "suitable"
    assert "Octagam" in app.products.value and "unsuitable" in app.products.value
    app.boxes["iga_deficiency_anti_iga"].value = True
    assert app.result.screening.flags[0].severity == "contraindication"  # most serious first
    assert app.flags.value.index("CONTRAINDICATION") < app.flags.value.index(
        app.result.screening.flags[1].severity.upper())
    assert app.result.screening.contraindicated


def test_unticking_removes_the_flag():
    app = ScreeningApp(ticked=("migraine",))
    assert app.result.screening.flags[0].factor_id == "migraine"
    app.boxes["migraine"].value = False
    assert app.result.screening.flags == ()


def test_thresholds_are_checked_and_the_last_table_stays():
    app = ScreeningApp(ticked=("iga_deficiency_anti_iga",))
    table = app.products.value
    app.iga_max.value = -1
    assert "IgA limit must be between" in app.message.value
    assert app.products.value == table


def test_infusion_day_walkthrough_uses_the_infusion_model():
    app = InfusionDayApp(product_id="octagam_10", weight_kg=70, dose_g_per_kg=0.4)
    plain = infusion.schedule(dose_g=28, weight_kg=70, product_id="octagam_10")
    assert app.result.schedule.total_minutes == pytest.approx(plain.total_minutes)
    app.at_risk.value = True
    capped = infusion.schedule(dose_g=28, weight_kg=70, product_id="octagam_10", at_risk=True)
    assert app.result.schedule.total_minutes == pytest.approx(capped.total_minutes)
    assert capped.total_minutes > plain.total_minutes
    assert "the at-risk ceiling applied" in app.steps.value
    for phase in ("Before the infusion", "If a reaction happens"):
        assert phase in app.steps.value
    rows = data.load("infusion_day")
    assert all(r.action[:30].replace("'", "&#x27;") in app.steps.value for r in rows.itertuples())


def test_infusion_day_bad_weight_is_explained():
    app = InfusionDayApp()
    steps = app.steps.value
    app.weight.value = 500
    assert "must be between" in app.message.value and app.steps.value == steps


def test_adverse_events_never_mix_denominators():
    app = AdverseEventApp(denominator="per_patient")
    table = data.load("adverse_events")
    drawn = len(app.panel.figure.data[0].x)
    patient_rows = table[(table["denominator"] == "per_patient")
                         & (table["frequency_pct"].notna() | table["frequency_low_pct"].notna())]
    assert drawn == len(patient_rows)
    assert "of patients" in app.panel.figure.layout.title.text
    app.denominator.value = "per_infusion"
    assert "of infusions" in app.panel.figure.layout.title.text
    infusion_rows = table[(table["denominator"] == "per_infusion") & table["frequency_pct"].notna()]
    assert len(app.panel.figure.data[0].x) == len(infusion_rows)
    app.event.value = "aseptic_meningitis"
    assert all("Aseptic" in y or "aseptic" in y for y in app.panel.figure.data[0].y)


def test_nmosd_panel_lists_every_row_with_sources():
    html = nmosd_panel().value
    assert html.count("<tr>") == len(data.load("nmosd_use"))
    assert "Sources" in html
