"""Notebook 05's apps, headless: screening checklist, infusion day, adverse events, NMOSD."""
import pytest

from ivigkit import data, infusion, trials
from ivigkit.apps.predict import predict
from ivigkit.apps.safety import AdverseEventApp, InfusionDayApp, ScreeningApp, nmosd_panel
from ivigkit.data import learning_path


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


def test_infusion_day_prediction_at_risk_without_a_label_ceiling():
    """Privigen's label read gives no at-risk ceiling: ticking the risk box leaves the time alone;
    Octagam 10 %'s does (3.3 mg/kg/min), and the time grows."""
    app = InfusionDayApp()  # Privigen, 70 kg, 0.4 g/kg
    box = predict(app, "chair_minutes", "With the risk box ticked, how many minutes at the pump?")
    plain = app.readouts["chair_minutes"].read(app.result)
    box.answer.value = "120"
    box.button.click()
    app.at_risk.value = True
    box.button.click()
    assert box.comparisons == [(120.0, pytest.approx(plain))]
    assert app.readouts["top_rate"].read(app.result) == app.readouts["top_rate"].read(InfusionDayApp().result)
    app.product.value = "octagam_10"
    assert app.readouts["top_rate"].read(app.result) == pytest.approx(3.3)
    capped = infusion.schedule(dose_g=28, weight_kg=70, product_id="octagam_10", at_risk=True)
    assert app.readouts["chair_minutes"].read(app.result) == pytest.approx(capped.total_minutes)


def test_adverse_event_readout_is_the_highest_frequency_drawn():
    app = AdverseEventApp(denominator="per_patient")
    app.event.value = "any_reaction"
    table = data.load("adverse_events").set_index("row_id")
    per_patient = app.readouts["highest_pct"].read(app.result)
    assert per_patient == pytest.approx(table.loc["any_reaction_ibis2020_patients", "frequency_pct"])
    box = predict(app, "highest_pct", "Izmir: what % of infusions were followed by a reaction?")
    box.answer.value = "5"
    box.button.click()
    app.denominator.value = "per_infusion"  # the same children, counted by infusion
    box.button.click()
    shown = table.loc["any_reaction_ibis2020_infusions", "frequency_pct"]
    assert box.comparisons == [(5.0, pytest.approx(shown))] and shown < per_patient
    assert "too low" in box.message.value
    app.event.value = "renal"  # renal injury has no per-infusion frequency: nothing drawn
    assert app.readouts["highest_pct"].read(app.result) == "none drawn"


def test_nmosd_panel_shows_each_situation_with_the_studies_its_note_names():
    uses = data.load("nmosd_use")
    panel = nmosd_panel()
    assert [v for _, v in panel.situation.options] == list(uses["row_id"])
    for row in uses.itertuples():
        panel.situation.value = row.row_id
        assert panel.result.row.name == row.row_id
        for study in panel.result.studies.itertuples():
            assert study.row_id in row.note and study.population == "nmosd"
        assert "Sources" in panel.card.value and "How IVIG is used" in panel.card.value
    panel.situation.value = "maintenance"
    assert set(panel.result.studies["study_id"]) == {"magraner_2013_nmo", "nmosd_6pt_2015", "elsone_2014"}
    assert panel.readouts["design"].read(panel.result) == trials.DESIGN_LABELS["case_series"]
    assert panel.readouts["studies"].read(panel.result) == 3.0
    assert "Magraner 2013" in panel.card.value
    panel.situation.value = "product_choice_comorbidity"  # rests on labels and reports, not trials
    assert panel.readouts["design"].read(panel.result) == "no study in the trial table"
    assert "The studies behind it" not in panel.card.value


def test_nmosd_prediction_round_trip():
    panel = nmosd_panel()
    choices = tuple(trials.DESIGN_LABELS[d] for d in ("rct_parallel", "retrospective_observational", "case_series"))
    box = predict(panel, "design", "Maintenance IVIG: what kind of study?", choices=choices)
    box.answer.value = trials.DESIGN_LABELS["rct_parallel"]
    box.button.click()
    panel.situation.value = "maintenance"
    box.button.click()
    assert box.comparisons == [("randomised, parallel groups", "case series")]
    assert "not what you predicted" in box.message.value
    panel.situation.value = "acute_with_steroids"
    box.button.click()
    assert box.comparisons[-1][1] == trials.DESIGN_LABELS["retrospective_observational"]


def test_nmosd_studies_cite_only_the_notebooks_sources():
    cited = set(learning_path.notebook_source_ids("05_giving_ivig_safely"))
    for row_id in data.load("nmosd_use")["row_id"]:
        studies = trials.nmosd_situation(row_id).studies
        assert set(data.ids_in(studies["source_ids"])) <= cited, row_id
    with pytest.raises(ValueError, match="no NMOSD situation 'relapse'"):
        trials.nmosd_situation("relapse")
