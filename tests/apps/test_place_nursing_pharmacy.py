"""The apps added for issue 17, headless: the treatment explorer (notebook 01), the nursing app
with its record and teach-back exercises, and the product-choice decision (notebook 05)."""
from ivigkit import data, nursing, treatments
from ivigkit.apps.nursing import NursingApp, RecordAndTeachBack, record_and_teach_back
from ivigkit.apps.pharmacy import ProductChoiceApp, access_panel, handling_panel, stabilisers_panel
from ivigkit.apps.predict import predict
from ivigkit.apps.treatments import TreatmentExplorerApp, context_panel


def test_treatment_explorer_counts_options_and_follows_the_filters():
    app = TreatmentExplorerApp()
    everything = app.result.approved_count
    assert everything == treatments.select("relapsing_ms").approved_count
    app.no_self_injection.value = True
    assert app.result.approved_count < everything and "Ofatumumab" not in app.table.value
    assert "Natalizumab" in app.table.value and "off-label" in app.table.value
    app.use.value = "nmosd"
    assert "Eculizumab" in app.table.value and "Satralizumab" not in app.table.value
    app.show_ivig.value = False
    assert "immunoglobulin" not in app.table.value.lower()


def test_treatment_explorer_prediction_reads_the_model():
    app = TreatmentExplorerApp()
    box = predict(app, "approved_options", "How many options avoid self-injection?")
    box.answer.value = "4"
    box.commit()
    app.no_self_injection.value = True
    box.compare()
    assert box.comparisons[-1] == (4.0, float(treatments.select(
        "relapsing_ms", exclude_routes=("self_injection",)).approved_count))


def test_context_panel_shows_claims_without_numbers():
    html = context_panel().value
    assert "35.9" in html and "claim to check" in html and "sources" in html
    assert "1,000,000" not in html


def test_nursing_app_plan_and_reaction_follow_the_controls():
    app = NursingApp(product_id="octagam_10")
    checks = app.result.plan.vital_sign_checks
    assert "Monitoring plan" in app.plan.value and f"<b>{checks}</b>" in app.plan.value
    assert app.readouts["restart_rate"].read(app.result) == app.result.schedule.steps[1].rate_mg_per_kg_min
    app.every.value = 15
    assert app.result.plan.vital_sign_checks >= checks
    app.reaction.value = "anaphylaxis"
    assert app.readouts["restart_rate"].read(app.result) == "no restart at the chair side"
    assert "emergency" in app.response.value.lower()
    before = app.plan.value
    app.step.value = 15
    assert "steps of this infusion" in app.message.value and app.plan.value == before
    app.closer.value = True
    app.step.value = 1
    assert app.result.plan.observe_after_min == nursing.OBSERVE_AFTER_CLOSER_MIN


def test_record_and_teach_back_are_built_only_when_opened():
    box = record_and_teach_back()
    assert box.content is None and box.holder.children == ()
    box.open()
    assert isinstance(box.content, RecordAndTeachBack) and box.button.disabled
    ex = box.content
    ex.items["lot_number"].value = True
    ex.check_record()
    assert ex.recorded.missing_count == len(data.load("documentation_items")) - 1
    assert "Vital signs" in ex.record_feedback.value
    ex.question.value, ex.answer.value, ex.judgement.value = "open", "partial", "explain_again"
    ex.judge()
    assert ex.feedback.judgement_ok and "explain again" in ex.teach_feedback.value
    ex.question.value = "closed"
    assert "Do you understand" in ex.teach_text.value


def test_product_choice_app_explains_the_steps_and_updates():
    app = ProductChoiceApp()
    assert app.readouts["first_choice"].read(app.result) == "Privigen"
    assert "Step 1" in app.steps.value and "second choice" in app.table.value
    assert app.setting["room_temperature_25"].description.startswith("Can be stored at up to 25 C")  # not "25 c"
    app.factors["hyperprolinaemia"].value = True
    assert app.readouts["first_choice"].read(app.result) != "Privigen"
    app.setting["ready_to_use"].value = True
    assert "unsuitable" in app.table.value
    app.factors["iga_deficiency_anti_iga"].value = True
    assert app.result.suitable_count == 0 and "contraindication to IVIG itself" in app.steps.value


def test_static_panels_cite_their_sources():
    for panel in (handling_panel(), stabilisers_panel(), access_panel(), access_panel("payer_policy")):
        assert "<table" in panel.value and "Sources" in panel.value
    assert "Aetna" in access_panel("payer_policy").value and "Ontario" not in access_panel("payer_policy").value
