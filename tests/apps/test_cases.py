"""The case app and the instructor key (ivigkit.apps.cases), headless."""
from __future__ import annotations

from html import escape

from ivigkit import cases
from ivigkit.apps.cases import CaseApp, InstructorKeyApp, instructor_key_html

CASES = [c["id"] for c in cases.all_cases()]


def test_case_app_changes_patient_with_the_case_number_and_grades_answers():
    app = CaseApp(case_id=CASES[0], seed=1)
    text, quiz_before = app.text.value, app.check.quiz
    app.seed.value = 2
    assert app.text.value != text and app.check.quiz is not quiz_before
    assert "Case number 2" in app.text.value
    numeric = [v for v in app.check.questions if v.question.type == "numeric"]
    if numeric:  # type the computed answer into the first numeric question and check it
        view = numeric[0]
        view.control.value = f"{view.question.answer:.1f}"
        assert app.check.check(view).correct and app.check.score == 1


def test_case_app_bad_number_is_explained_and_the_case_stays():
    app = CaseApp(case_id=CASES[0], seed=1)
    text = app.text.value
    app.seed.value = -5
    assert "between 0 and 99999" in app.message.value and app.text.value == text


def test_instructor_key_lists_every_answer():
    for case_id in CASES:
        key = instructor_key_html(case_id, 42)
        q = cases.case_quiz(case_id, 42)
        assert key.count("<li>") == len(q.questions)
    app = InstructorKeyApp()
    app.seed.value = 42
    assert "Key:" in app.key.value and "(case number 42)" in app.key.value


def test_the_case_shows_its_card_with_every_input_and_the_distractors():
    app = CaseApp(case_id="obese_dosing_weight", seed=7)
    html = app.text.value
    card = cases.card("obese_dosing_weight", 7)
    assert "Case data" in html and "Also in the record" in html
    for label in ("Dosing-weight rule", "Infusions in the first year", "Rounding", "Product", "Pump",
                  "Price", "Administration per visit", "Insurance"):
        assert label in html, label
    assert f"{card.insurance.deductible_usd:,.0f}" in html and cases.variant("obese_dosing_weight", 7)["note"] in html
    assert all(escape(what) in html for what, _ in card.distractors)


def test_case_readouts_read_the_computed_dosing_weight_and_dose():
    from ivigkit.apps.cases import NO_DOSE

    app = CaseApp(case_id="obese_dosing_weight", seed=1)
    computed = {q.id: q.answer for q in cases.numeric_questions("obese_dosing_weight", 1)}
    read = {name: r.read(app.result) for name, r in app.readouts.items()}
    assert read == {"dosing_weight_kg": computed["dosing_weight_kg"], "dose_g": computed["dose_g"]}
    assert read["dosing_weight_kg"] < cases.patient("obese_dosing_weight", 1).weight_kg  # BMI over 30
    app.seed.value = 7
    assert app.readouts["dose_g"].read(app.result) == {
        q.id: q.answer for q in cases.numeric_questions("obese_dosing_weight", 7)}["dose_g"]
    app.case.value = "ppms_asks"  # IVIG is not reasonable: no dose to read
    assert app.readouts["dose_g"].read(app.result) == NO_DOSE
    assert app.readouts["dosing_weight_kg"].read(app.result) == NO_DOSE


def test_case_prediction_round_trip():
    from ivigkit.apps.predict import predict

    app = CaseApp()
    box = predict(app, "dose_g", "Marcus: how many grams is one maintenance infusion?")
    box.answer.value = "45"
    box.button.click()
    app.case.value, app.seed.value = "obese_dosing_weight", 1
    box.button.click()
    assert box.comparisons == [(45.0, 30.0)]
    assert "the app shows <b>30 g</b>" in box.message.value and "too high" in box.message.value
