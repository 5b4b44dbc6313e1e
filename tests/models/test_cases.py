"""Patient cases: the file validates, every number comes from ivigkit for several seeds, and the
apps work headless."""
import pytest

from ivigkit import cases, dosing, quiz, screening, simulator

SEEDS = (0, 1, 42, 2024, 99_999)
CASES = [c["id"] for c in cases.all_cases()]


def test_the_case_file_has_the_issue_s_cases():
    assert len(CASES) >= 8
    for needed in ("postpartum", "pregnant", "injectable", "relapse", "ppms", "cis", "nmosd", "obese",
                   "iga", "maltose"):
        assert any(needed in cid for cid in CASES), needed


@pytest.mark.parametrize("case_id", CASES)
@pytest.mark.parametrize("seed", SEEDS)
def test_numeric_answers_are_the_simulator_s(case_id, seed):
    c, pt = cases.case(case_id), cases.patient(case_id, seed)
    questions = {q.id: q for q in cases.numeric_questions(case_id, seed)}
    if not c["ivig_reasonable"]:
        assert questions == {}
        return
    plan = c["plan"]
    weight = dosing.dosing_weight(pt.weight_kg, pt.height_cm, pt.sex, plan["rule"], age_years=pt.age_years,
                                  pregnant=pt.pregnant)
    assert questions["dosing_weight_kg"].answer == pytest.approx(weight.weight_kg)
    sim = cases.simulate(case_id, seed)
    assert isinstance(sim, simulator.Simulation)
    assert questions["dose_g"].answer == sim.typical_dose.rounded_g
    assert questions["chair_minutes"].answer == pytest.approx(sim.schedule.total_minutes)
    assert questions["annual_total_usd"].answer == pytest.approx(sim.annual.total_usd)
    assert questions["patient_pays_usd"].answer == pytest.approx(sim.share.patient_usd)
    for q in questions.values():  # each answer is accepted, and a clearly wrong one is not
        assert quiz.grade(q, str(q.answer)).correct
        assert not quiz.grade(q, str(q.answer * 1.5 + 10)).correct


@pytest.mark.parametrize("case_id", CASES)
def test_same_seed_same_patient_and_seeds_differ(case_id):
    assert cases.patient(case_id, 7) == cases.patient(case_id, 7)
    assert len({cases.patient(case_id, s).weight_kg for s in SEEDS}) > 1
    p = cases.case(case_id)["patient"]
    for s in SEEDS:
        pt = cases.patient(case_id, s)
        assert p["weight_kg"][0] <= pt.weight_kg <= p["weight_kg"][1]
        assert p["age_years"][0] <= pt.age_years <= p["age_years"][1]
        assert str(pt.weight_kg) in cases.story(case_id, s) or f"{pt.weight_kg:g}" in cases.story(case_id, s) \
            or "{weight_kg}" not in cases.case(case_id)["story"]


@pytest.mark.parametrize("case_id", [c for c in CASES if cases.case(c)["ivig_reasonable"]])
def test_the_plan_s_product_suits_the_case_s_factors(case_id):
    c = cases.case(case_id)
    needs = screening.screen(c["factors"]).needs
    status = screening.product_suitability(needs).set_index("product_id").loc[c["plan"]["product_id"], "status"]
    assert status != "unsuitable"


def test_obese_case_doses_on_adjusted_weight():
    obese = next(c for c in CASES if "obese" in c)
    for seed in SEEDS:
        pt = cases.patient(obese, seed)
        answer = {q.id: q for q in cases.numeric_questions(obese, seed)}["dosing_weight_kg"].answer
        assert pt.bmi > 30 and answer < pt.weight_kg


def test_bad_case_number_and_unknown_case_are_explained():
    with pytest.raises(ValueError, match="between 0 and 99999"):
        cases.patient(CASES[0], -3)
    with pytest.raises(ValueError, match="whole number"):
        cases.patient(CASES[0], "abc")
    with pytest.raises(ValueError, match="no case"):
        cases.case("unicorn")


def test_a_case_citing_an_unknown_study_is_a_case_error(data_copy):
    path = data_copy / "cases.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("study_ids: [", "study_ids: [no_such_study, ", 1),
                    encoding="utf-8")
    with pytest.raises(cases.CaseError, match="no_such_study"):
        cases.all_cases()


REASONABLE = [c["id"] for c in cases.all_cases() if c["ivig_reasonable"]]


@pytest.mark.parametrize("seed", [1, 2, 7, 42])
@pytest.mark.parametrize("case_id", REASONABLE)
def test_every_numeric_answer_can_be_recomputed_from_the_case_card_alone(case_id, seed):
    """What the card shows is enough: redo each numeric answer from the card's figures only."""
    from ivigkit import cost, dosing, infusion

    c = cases.card(case_id, seed)
    answers = {q.id: q for q in cases.numeric_questions(case_id, seed)}
    weight = dosing.dosing_weight(c.weight_kg, c.height_cm, c.sex, c.rule, age_years=c.age_years,
                                  pregnant=c.pregnant).weight_kg

    def per_day_g(d):
        return d.fixed_g if d.fixed_g is not None else dosing.dose_g(weight, d.g_per_kg)

    maintenance = next(d for d in c.doses if d.phase == "maintenance")
    dose = dosing.round_dose(per_day_g(maintenance), c.dose_step_g).rounded_g
    minutes = infusion.schedule_for(dose, c.weight_kg, c.product, c.at_risk).total_minutes
    billed = sum(d.count * dosing.pick_vials(dosing.round_dose(per_day_g(d), c.dose_step_g).rounded_g,
                                             c.product.vial_sizes_g).total_g for d in c.doses)
    total = billed * c.price_usd_per_g + sum(d.count for d in c.doses) * c.fee.usd
    pays = cost.patient_share(total, deductible_usd=c.insurance.deductible_usd,
                              coinsurance_pct=c.insurance.coinsurance_pct, oop_max_usd=c.insurance.oop_max_usd,
                              copay_assistance_usd=c.insurance.copay_assistance_usd).patient_usd
    for qid, value in (("dosing_weight_kg", weight), ("dose_g", dose), ("chair_minutes", minutes),
                       ("annual_total_usd", total), ("patient_pays_usd", pays)):
        assert quiz.within_tolerance(value, answers[qid].answer, answers[qid].tolerance), (qid, value)


@pytest.mark.parametrize("case_id", CASES)
def test_neighbouring_case_numbers_meet_different_decisions(case_id):
    for seed in (1, 2, 3):
        here, there = cases.variant_question(case_id, seed), cases.variant_question(case_id, seed + 1)
        keyed = [o.text for o in here.options if o.correct]
        assert len(keyed) == 1 and keyed != [o.text for o in there.options if o.correct]
        assert cases.variant(case_id, seed)["note"] in cases.story(case_id, seed)
        assert "variant_flag" in [q.id for q in cases.case_quiz(case_id, seed).questions]


def test_a_variant_with_a_thrombosis_factor_puts_the_patient_at_risk():
    # In the CIS case one variant adds estrogen use, a labelled thrombosis risk factor.
    seeds = {cases.variant("cis_first_event", s)["factor"]: s for s in range(1, 5)}
    at_risk = cases.card("cis_first_event", seeds["estrogen_use"]).at_risk
    not_at_risk = cases.card("cis_first_event", seeds["non_o_blood_group"]).at_risk
    assert at_risk and not not_at_risk


def test_cases_without_variants_are_refused(data_copy):
    path = data_copy / "cases.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    variants:", "    old_variants:", 1), encoding="utf-8")
    with pytest.raises(cases.CaseError, match="'variants' is missing"):
        cases.all_cases()
