"""Patient cases (data/cases.yaml): a seeded patient per learner, the case's choice questions,
and numeric questions whose answers the simulator computes. No rule lives here: dosing weight,
dose, vials, chair time and cost all come from ivigkit.simulator (which notebooks 03-05 use).

A case and a seed always give the same patient, so an instructor can reproduce any learner's
case from the seed the learner shares.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ivigkit import cost, data, dosing, quiz, screening, simulator
from ivigkit.data import catalog, documents
from ivigkit.formatting import fmt, hours_minutes

SEED_RANGE = (0, 99_999)
# Tolerances of the computed answers: the learner's arithmetic may round differently.
TOLERANCES = {"dosing_weight_kg": 0.5, "dose_g": 0.5, "chair_minutes": 5.0, "annual_total_usd": 0.01,
              "patient_pays_usd": 0.01}  # the last two are fractions of the answer (1 %)


class CaseError(ValueError):
    """data/cases.yaml is missing something or cites an id that does not exist."""


_CHECKED: dict[str, tuple[dict, ...]] = {}  # the file's stamp -> its validated cases


def all_cases() -> tuple[dict, ...]:
    """Every case in data/cases.yaml, validated (ids exist, questions are well formed)."""
    try:
        raw, stamp = documents.read_cases()
    except data.DataError as exc:
        raise CaseError(str(exc)) from None
    if stamp not in _CHECKED:
        if not isinstance(raw, dict) or not isinstance(raw.get("cases"), list):
            raise CaseError("cases.yaml must hold a list under 'cases:'.")
        cases = tuple(raw["cases"])
        _validate(cases)
        _CHECKED.clear()
        _CHECKED[stamp] = cases
    return _CHECKED[stamp]


def case(case_id: str) -> dict:
    """One case by id."""
    for c in all_cases():
        if c["id"] == case_id:
            return c
    raise ValueError(f"There is no case '{case_id}'; choose one of: {', '.join(c['id'] for c in all_cases())}.")


def _validate(cases) -> None:
    known = {"sources": set(data.load("sources")["id"]), "studies": set(data.load("trials")["study_id"]),
             "regimens": {r.regimen_id for r in catalog.regimens()},
             "products": {p.product_id for p in catalog.products()},
             "factors": set(screening.factors().index)}
    ids = [c.get("id") for c in cases]
    if len(set(ids)) != len(ids):
        raise CaseError("cases.yaml: two cases share an id.")
    for c in cases:
        where = f"cases.yaml, case '{c.get('id')}'"
        for key in ("id", "title", "story", "patient", "factors", "ivig_reasonable", "questions",
                    "study_ids", "source_ids"):
            if key not in c:
                raise CaseError(f"{where}: '{key}' is missing.")
        checks = [("sources", c["source_ids"]), ("studies", c["study_ids"]), ("factors", c["factors"])]
        checks += [("sources", q.get("source_ids", [])) for q in c["questions"]]
        if c["ivig_reasonable"]:
            plan = c.get("plan") or {}
            for key in ("regimen_id", "product_id", "rule"):
                if key not in plan:
                    raise CaseError(f"{where}: the plan needs '{key}'.")
            checks += [("regimens", [plan["regimen_id"]]), ("products", [plan["product_id"]])]
        for kind, values in checks:
            unknown = [v for v in values if v not in known[kind]]
            if unknown:
                raise CaseError(f"{where}: unknown {kind[:-1]} id(s) {', '.join(map(str, unknown))}.")
        for key in ("age_years", "weight_kg", "height_cm"):
            low, high = c["patient"][key]
            if not low < high:
                raise CaseError(f"{where}: patient {key} must be a range [low, high].")
        try:
            quiz.questions_from(c["questions"], where)
        except quiz.QuizError as why:
            raise CaseError(str(why)) from None


@dataclass(frozen=True)
class CasePatient:
    """The seeded patient: weight (kg, 1 decimal), height (cm, whole), age (years, whole)."""

    seed: int
    weight_kg: float
    height_cm: float
    age_years: int
    sex: str
    pregnant: bool

    @property
    def bmi(self) -> float:
        return dosing.bmi(self.weight_kg, self.height_cm)


def patient(case_id: str, seed: int) -> CasePatient:
    """The patient of a case for a seed: the same seed always gives the same patient."""
    c = case(case_id)
    try:
        seed = int(seed)
    except (TypeError, ValueError):
        raise ValueError(f"The case number must be a whole number; got '{seed}'.") from None
    if not SEED_RANGE[0] <= seed <= SEED_RANGE[1]:
        raise ValueError(f"The case number must be between {SEED_RANGE[0]} and {SEED_RANGE[1]}; got {seed}.")
    rng = np.random.default_rng([seed, sum(map(ord, case_id))])
    p = c["patient"]
    return CasePatient(seed=seed, weight_kg=round(float(rng.uniform(*p["weight_kg"])), 1),
                       height_cm=float(round(rng.uniform(*p["height_cm"]))),
                       age_years=int(rng.integers(p["age_years"][0], p["age_years"][1] + 1)),
                       sex=p["sex"], pregnant=bool(p.get("pregnant", False)))


def story(case_id: str, seed: int) -> str:
    """The case text with the seeded patient's numbers filled in."""
    pt = patient(case_id, seed)
    return case(case_id)["story"].format(age_years=pt.age_years, weight_kg=fmt(pt.weight_kg),
                                         height_cm=fmt(pt.height_cm, 0), bmi=fmt(pt.bmi))


def simulate(case_id: str, seed: int) -> simulator.Simulation | None:
    """The case's plan run through the simulator (None when IVIG is not reasonable here)."""
    c = case(case_id)
    if not c["ivig_reasonable"]:
        return None
    pt, plan = patient(case_id, seed), c["plan"]
    ins = simulator.Insurance(**plan.get("insurance", {}))
    price_low, _ = cost.price_range_usd_per_g()
    choices = simulator.Choices(regimen_id=plan["regimen_id"], product_id=plan["product_id"],
                                rule=plan["rule"], dose_level=plan.get("dose_level", "low"),
                                price_usd_per_g=price_low, site=plan.get("site", "infusion_centre"),
                                at_risk=bool(plan.get("at_risk", False)), insurance=ins)
    return simulator.simulate(simulator.Patient(pt.weight_kg, pt.height_cm, pt.sex, pt.age_years,
                                                pt.pregnant), choices)


def _numeric(qid: str, prompt: str, answer: float, unit: str, steps: str, tolerance: float) -> quiz.Question:
    return quiz.Question(id=qid, type="numeric", prompt=prompt, answer=float(answer), tolerance=tolerance,
                         unit=unit, feedback_correct=f"Right. {steps}",
                         feedback_incorrect=f"Step by step: {steps}",
                         explanation="Computed by ivigkit.simulator, the same models notebooks 03-05 use.")


def numeric_questions(case_id: str, seed: int) -> tuple[quiz.Question, ...]:
    """Dosing weight, dose, chair time, a year's cost and the patient's share, computed."""
    sim = simulate(case_id, seed)
    if sim is None:
        return ()
    dw, dose, sched, year, share = sim.dosing_weight, sim.typical_dose, sim.schedule, sim.annual, sim.share
    g_per_kg = dose.ordered_g / dw.weight_kg
    price = sim.choices.price_usd_per_g
    return (
        _numeric("dosing_weight_kg", f"Under the '{sim.choices.rule}' rule, what is the dosing weight (kg)?",
                 dw.weight_kg, "kg", f"{dw.reason}: {fmt(dw.weight_kg)} kg.", TOLERANCES["dosing_weight_kg"]),
        _numeric("dose_g", f"{sim.regimen.name}. How many grams is one maintenance infusion, "
                 "rounded to the nearest 5 g?", dose.rounded_g, "g",
                 f"{fmt(g_per_kg, 2)} g/kg x {fmt(dw.weight_kg)} kg = {fmt(dose.ordered_g)} g, "
                 f"rounded to {fmt(dose.rounded_g)} g ({dose.deviation_pct:+.1f} %); vials: "
                 f"{sim.vials.describe()}.", TOLERANCES["dose_g"]),
        _numeric("chair_minutes", f"With {sim.product.name}, how many minutes does that infusion take "
                 "(the label's rate steps)?", sched.total_minutes, "min",
                 f"{fmt(sched.volume_ml, 0)} mL, up to {fmt(sched.max_rate_used)} mg/kg/min: "
                 f"{fmt(sched.total_minutes, 0)} min ({hours_minutes(sched.total_minutes)}).",
                 TOLERANCES["chair_minutes"]),
        _numeric("annual_total_usd", f"At ${fmt(price, 2)} per gram (the lowest sourced price), what does "
                 "one year cost in total (USD)?", year.total_usd, "USD",
                 f"{fmt(year.grams_billed)} g billed x ${fmt(price, 2)} = ${fmt(year.drug_usd, 0)} for the "
                 f"drug, plus ${fmt(year.administration_usd, 0)} for {year.infusions} administrations: "
                 f"${fmt(year.total_usd, 0)}.", TOLERANCES["annual_total_usd"] * year.total_usd),
        _numeric("patient_pays_usd", "Under the plan's insurance terms, what does the patient pay for "
                 "the year (USD)?", share.patient_usd, "USD",
                 f"Deductible ${fmt(share.deductible_part_usd, 0)}, then coinsurance "
                 f"${fmt(share.coinsurance_part_usd, 0)}"
                 + (", capped at the out-of-pocket maximum" if share.capped_by_oop_max else "")
                 + f", minus assistance ${fmt(share.assistance_applied_usd, 0)}: "
                 f"${fmt(share.patient_usd, 0)}.", max(TOLERANCES["patient_pays_usd"] * share.patient_usd, 1.0)),
    )


def case_quiz(case_id: str, seed: int) -> quiz.Quiz:
    """The case's choice questions followed by its computed numeric questions, as a Quiz."""
    c = case(case_id)
    choice = quiz.questions_from(c["questions"], f"cases.yaml, case '{case_id}'")
    return quiz.Quiz(notebook=f"06_cases_{case_id}_{seed}", title=f"{c['title']} (case number {seed})",
                     questions=choice + numeric_questions(case_id, seed))
