"""The pre/post test (ivigkit.quiz.forms): two parallel forms on one blueprint, answers only in the
instructor folder, numeric answers recomputed with the workbook's models, and broken files named."""
from __future__ import annotations

import re
import shutil

import nbformat
import pytest
import yaml

from ivigkit import cost, data, dosing, evidence, infusion
from ivigkit import quiz as q
from ivigkit.data import catalog
from ivigkit.quiz import forms
from tests.support import DATA, REPO

FORMS = ("pre_post_a", "pre_post_b")
ASSESSMENTS = DATA / "assessments"
KEYS = REPO / "instructor" / "keys"


@pytest.fixture(scope="module")
def blueprint():
    return forms.load_blueprint()


@pytest.fixture(scope="module", params=FORMS)
def keyed(request):
    return forms.load_keyed_form(request.param)


def test_the_forms_on_offer_are_the_blueprints(blueprint):
    assert forms.available_forms() == list(FORMS) == list(blueprint.forms)


def test_each_form_follows_the_blueprint_item_for_item(blueprint, keyed):
    assert forms.blueprint_problems(blueprint, keyed) == []
    assert len(keyed.quiz.questions) == sum(len(o.items) for o in blueprint.objectives)


def test_the_forms_are_parallel_but_different():
    a, b = (forms.load_keyed_form(n) for n in FORMS)
    shape = lambda f: sorted((f.objectives[x.id], x.level, x.type) for x in f.quiz.questions)  # noqa: E731
    assert shape(a) == shape(b)
    assert not {x.prompt for x in a.quiz.questions} & {x.prompt for x in b.quiz.questions}
    assert not {x.id for x in a.quiz.questions} & {x.id for x in b.quiz.questions}


def test_the_blueprint_covers_every_teaching_notebook_in_its_own_words(blueprint):
    """At least two objectives per notebook, each worded exactly as the notebook lists it."""
    notebooks = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    for path in notebooks:
        tested = [o for o in blueprint.objectives if o.notebook == path.stem]
        assert len(tested) >= 2, path.stem
        # Speaker-notes cells may sit before or after the list: leave them out.
        text = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells
                         if c.cell_type == "markdown"
                         and c.metadata.get("slideshow", {}).get("slide_type") != "notes")
        section = text.split("## Learning objectives", 1)[1].split("\n## ", 1)[0]
        # An objective may wrap onto indented lines: join them.
        listed = {n: " ".join(t.split()) for n, t in re.findall(r"^(\d+)\.\s+(.*?)\s*(?=^\d+\.\s|\Z)",
                                                               section, re.M | re.S)}
        for o in tested:
            number = o.id.split(".")[1]
            assert listed.get(number) == o.text, f"{o.id}: the notebook says {listed.get(number)!r}"


def test_the_learners_copy_holds_no_answers():
    for name in FORMS:
        form = forms.load_form(name)
        assert not form.keyed
        for question in form.quiz.questions:
            assert question.answer is None and not question.explanation and not question.slips
            assert not any(o.correct or o.feedback for o in question.options)
        raw = yaml.safe_load((ASSESSMENTS / f"{name}.yaml").read_text(encoding="utf-8"))
        words = {k for item in raw["questions"] for k in item}
        assert not words & {"correct", "answer", "tolerance", "feedback", "why", "explanation"}


def test_the_right_option_is_not_always_in_the_same_place(keyed):
    """Files are read as they are (on Binder, in a text editor): the key must not be guessable from
    the position of the option in the learner's file."""
    places = [o.id for x in keyed.quiz.questions if x.type == "single" for o in x.options if o.correct]
    assert len(set(places)) >= 3 and max(places.count(p) for p in set(places)) <= len(places) // 2


def test_every_item_cites_sources_that_exist(keyed):
    known = set(data.load("sources")["id"])
    for question in keyed.quiz.questions:
        assert set(question.source_ids) <= known, question.id


def _recomputed() -> dict[str, float]:
    """Every numeric key answer, computed with the workbook's models from the items' own figures."""
    octagam_10, octagam_5 = catalog.product("octagam_10"), catalog.product("octagam_5")
    share = lambda bill, deductible, oop: cost.patient_share(  # noqa: E731
        bill, deductible_usd=deductible, coinsurance_pct=20, oop_max_usd=oop).patient_usd
    return {
        "a_dose_grams": dosing.dose_g(weight_kg=82, dose_g_per_kg=0.4),
        "b_dose_grams": dosing.dose_g(weight_kg=68, dose_g_per_kg=0.15),
        "a_nnt": evidence.nnt(risk_control_pct=23, risk_ivig_pct=16),
        "b_nnt": evidence.nnt(risk_control_pct=62.6, risk_ivig_pct=48.3),
        "a_adjusted_weight": dosing.adjusted_body_weight_kg(actual_kg=105, height_cm=178, sex="male"),
        "b_adjusted_weight": dosing.adjusted_body_weight_kg(actual_kg=90, height_cm=160, sex="female"),
        "a_pump_rate": infusion.ml_per_h(octagam_10.initial_rate_mg_per_kg_min, 80, octagam_10.concentration_pct),
        "b_pump_rate": infusion.ml_per_h(octagam_5.initial_rate_mg_per_kg_min, 60, octagam_5.concentration_pct),
        "a_patient_share": share(20_000, 2_000, 6_000),
        "b_patient_share": share(12_000, 1_500, 7_000),
    }


def test_numeric_answers_agree_with_the_models(keyed):
    expected = _recomputed()
    numeric = [x for x in keyed.quiz.questions if x.type == "numeric"]
    assert numeric
    for question in numeric:
        assert q.within_tolerance(expected[question.id], question.answer, question.tolerance), question.id
        for slip in question.slips:
            assert not q.grade(question, slip.answer).correct


def test_the_sourced_numbers_in_the_items_are_the_tables():
    """The trial figures the items quote are those of data/trials.csv and data/products.csv."""
    trials = data.load("trials").set_index("row_id")
    assert trials.loc["aims1997_edss_category", "ivig_value"].endswith("/ 16%")
    assert trials.loc["aims1997_edss_category", "control_value"].endswith("/ 23%")
    assert "48.3%" in trials.loc["pohlau2007_sustained_progression", "ivig_value"]
    assert "62.6%" in trials.loc["pohlau2007_sustained_progression", "control_value"]
    assert trials.loc["esims2004_progression", ["effect", "ci_low", "ci_high"]].tolist() == [1.11, 0.8, 1.53]
    assert trials.loc["achiron2004cis_cdms", ["effect", "ci_low", "ci_high"]].tolist() == [0.36, 0.15, 0.88]
    assert trials.loc["pohlau2007_ppms_subgroup", "n_total"] == 34
    regimens = {r.regimen_id: r for r in catalog.regimens()}
    assert regimens["achiron_rrms"].dose_g_per_kg_per_day_low == 0.4
    assert regimens["aims"].dose_g_per_kg_per_day_low == 0.15
    events = data.load("adverse_events").set_index("row_id")
    assert events.loc["headache_ibis2020_infusions", "frequency_pct"] == 7.8
    assert events.loc["headache_gammaplex10_pi_adults", "frequency_pct"] == 12.5
    assert events.loc["aseptic_meningitis_bharath2015_patients", ["events", "denominator_n"]].tolist() == [8, 1324]
    assert events.loc["aseptic_meningitis_bharath2015_infusions", "denominator_n"] == 11907
    sugars = {p.product_id: p.sugar for p in catalog.products()}
    assert sugars["octagam_10"] == "maltose"
    assert {sugars[p] for p in ("privigen", "gammagard_liquid", "bivigam")} == {"none"}


def test_a_graded_record_round_trips_through_the_key(keyed):
    """What the learner's page writes (ungraded), the key grades: the right options are right."""
    for question in keyed.quiz.questions:
        if question.type == "numeric":
            response = question.answer
        elif question.type == "single":
            response = next(i for i, o in enumerate(question.options) if o.correct)
        else:
            response = set(question.correct_indices)
        record = q.make_attempt(keyed.name, question, response, None, learner_code="K7Q2")
        assert not record.graded and record.score is None
        assert q.grade(question, q.response_from(question, record)).correct, question.id


# ------------------------------------------------------------------ broken files are named


@pytest.fixture
def copies(tmp_path, monkeypatch):
    """Writable copies of data/ and of the instructor folder, read by ivigkit."""
    shutil.copytree(DATA, tmp_path / "data")
    shutil.copytree(REPO / "instructor" / "keys", tmp_path / "instructor" / "keys")
    monkeypatch.setenv("IVIGKIT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("IVIGKIT_INSTRUCTOR_DIR", str(tmp_path / "instructor"))
    return tmp_path


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("file, old, new, message", [
    ("data/assessments/pre_post_a.yaml", "    unit: g\n", "    unit: g\n    answer: 32.8\n",
     "must not hold answers ('answer')"),
    ("data/assessments/pre_post_a.yaml", 'objective: "00.4"', 'objective: "four"', "'objective' must be"),
    ("data/assessments/pre_post_a.yaml", "level: recall", "level: remember", "'level' must be"),
    ("instructor/keys/pre_post_a.yaml", "  a_dose_grams:\n", "  a_dose_gram:\n",
     "answers 'a_dose_gram', which the form does not ask"),
    ("instructor/keys/pre_post_a.yaml", "answer: 32.8", "answer: '32.8'", "'answer' must be a plain number"),
    ("instructor/keys/pre_post_a.yaml", "correct: [b, c, d]", "correct: [b, c, z]", "'correct' must list option ids"),
    ("instructor/keys/pre_post_b.yaml", "notebook: pre_post_b", "notebook: pre_post_a", "this is the key to"),
])
def test_a_broken_form_or_key_is_named(copies, file, old, new, message):
    _edit(copies / file, old, new)
    name = "pre_post_b" if "pre_post_b" in file else "pre_post_a"
    with pytest.raises(q.QuizError, match=re.escape(message)):
        forms.load_keyed_form(name)


def test_a_copy_without_the_instructor_folder_still_gives_the_learner_the_test(copies):
    shutil.rmtree(copies / "instructor")
    assert len(forms.load_form("pre_post_a").quiz.questions) == 20
    with pytest.raises(q.QuizError, match="in the instructor folder"):
        forms.load_keyed_form("pre_post_a")


def test_a_form_off_its_blueprint_is_named(copies, blueprint):
    _edit(copies / "data/assessments/pre_post_b.yaml", 'objective: "03.4"', 'objective: "03.3"')
    problems = forms.blueprint_problems(blueprint, forms.load_keyed_form("pre_post_b"))
    assert "pre_post_b: objective 03.3 has analyse single, analyse single; the blueprint asks for analyse single." \
        in problems
    assert any(p.startswith("pre_post_b: objective 03.4 has no items") for p in problems)
