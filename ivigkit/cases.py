"""Patient cases (data/cases.yaml): a seeded patient per learner, the case's choice questions,
and numeric questions whose answers the simulator computes. No rule lives here: dosing weight,
dose, vials, chair time and cost all come from ivigkit.simulator (which notebooks 03-05 use).

A case and a case number (the seed) always give the same patient, so an instructor can reproduce
any learner's case from the number the learner shares. The number also picks one of the case's
variants: a fact in the record that changes a decision (a screening factor, and with it whether
the patient is at risk of kidney injury or thrombosis, which sets the rate plan), so neighbours cannot copy each other's
choices. Every input a numeric question needs is on the case card (`card`).
"""
from __future__ import annotations

import hashlib
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
                    "study_ids", "source_ids", "variants"):
            if key not in c:
                raise CaseError(f"{where}: '{key}' is missing.")
        variants = c["variants"]
        if not isinstance(variants, list) or len(variants) < 2 or not all(
                isinstance(v, dict) and {"id", "note", "factor"} <= set(v) for v in variants):
            raise CaseError(f"{where}: 'variants' must list at least two variants, each with id, note "
                            "and factor (a screening factor id, or none).")
        if len({v["factor"] for v in variants}) < len(variants):
            raise CaseError(f"{where}: every variant must change the record with a different factor.")
        checks = [("sources", c["source_ids"]), ("studies", c["study_ids"]), ("factors", c["factors"]),
                  ("factors", [v["factor"] for v in variants if v["factor"] != "none"])]
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


def variant(case_id: str, seed: int) -> dict:
    """The variant a case number picks (numbers in turn, so neighbours get different ones)."""
    variants = case(case_id)["variants"]
    return variants[patient(case_id, seed).seed % len(variants)]


def factor_ids(case_id: str, seed: int) -> tuple[str, ...]:
    """The screening factors of this case number: the case's own and its variant's."""
    extra = variant(case_id, seed)["factor"]
    return tuple(dict.fromkeys([*case(case_id)["factors"], *([extra] if extra != "none" else [])]))


def story(case_id: str, seed: int) -> str:
    """The case text with the seeded patient's numbers and the variant's fact filled in."""
    pt = patient(case_id, seed)
    text = case(case_id)["story"].format(age_years=pt.age_years, weight_kg=fmt(pt.weight_kg),
                                         height_cm=fmt(pt.height_cm, 0), bmi=fmt(pt.bmi))
    return f"{text} {variant(case_id, seed)['note']}"


def simulate(case_id: str, seed: int) -> simulator.Simulation | None:
    """The case's plan run through the simulator (None when IVIG is not reasonable here)."""
    c = case(case_id)
    if not c["ivig_reasonable"]:
        return None
    pt, plan = patient(case_id, seed), c["plan"]
    at_risk = screening.screen(factor_ids(case_id, seed)).at_risk
    ins = simulator.Insurance(**plan.get("insurance", {}))
    price_low, _ = cost.price_range_usd_per_g()
    choices = simulator.Choices(regimen_id=plan["regimen_id"], product_id=plan["product_id"],
                                rule=plan["rule"], dose_level=plan.get("dose_level", "low"),
                                price_usd_per_g=price_low, site=plan.get("site", "infusion_centre"),
                                at_risk=at_risk, insurance=ins)
    return simulator.simulate(simulator.Patient(pt.weight_kg, pt.height_cm, pt.sex, pt.age_years,
                                                pt.pregnant), choices)


@dataclass(frozen=True)
class CardDose:
    """The infusions of one phase in the first year: how many, and the dose of each (g/kg per
    day, or a fixed number of grams per day for a fixed-dose regimen)."""

    phase: str
    count: int
    g_per_kg: float | None
    fixed_g: float | None


@dataclass(frozen=True)
class CaseCard:
    """Every input the case's numeric questions need, as the case card shows them, and a few
    figures that do not apply (distractors: a learner must choose what to use)."""

    weight_kg: float
    height_cm: float
    sex: str
    age_years: int
    pregnant: bool
    rule: str
    doses: tuple[CardDose, ...]
    dose_step_g: float
    product: catalog.Product
    at_risk: bool
    price_usd_per_g: float
    price_label: str
    fee: cost.VisitFee
    insurance: simulator.Insurance
    distractors: tuple[tuple[str, str], ...]  # (what, value in words)


def card(case_id: str, seed: int) -> CaseCard | None:
    """The case card of a case number (None when IVIG is not reasonable in the case)."""
    sim = simulate(case_id, seed)
    if sim is None:
        return None
    pt, ch = sim.patient, sim.choices
    doses = []
    for phase in ("loading", "maintenance"):
        count = int((sim.plan["phase"] == phase).sum())
        if not count:
            continue
        fixed = sim.regimen.fixed_dose_g_per_day
        per_kg = None if fixed is not None else (
            sim.regimen.loading_g_per_kg_per_day if phase == "loading"
            else float(sim.plan.loc[sim.plan["phase"] == phase, "dose_g"].iloc[0]) / sim.dosing_weight.weight_kg)
        doses.append(CardDose(phase, count, per_kg, fixed))
    other_site = next(s for s in cost.SITE_LABELS if s != ch.site)
    _, highest = cost.price_range_usd_per_g()
    other_fee = cost.visit_fee(other_site)
    distractors = (
        (f"Administration per visit if given {cost.SITE_LABELS[other_site].lower()}",
         f"${fmt(other_fee.usd, 2)} ({other_fee.basis})"),
        ("Highest sourced price per gram", f"${fmt(highest, 2)}/g"),
        _rate_not_used(sim.product, ch.at_risk),
    )
    return CaseCard(pt.weight_kg, pt.height_cm, pt.sex, pt.age_years, pt.pregnant, ch.rule, tuple(doses),
                    dosing.DOSE_STEP_G, sim.product, ch.at_risk, ch.price_usd_per_g,
                    "lowest sourced price in the workbook's price table", cost.visit_fee(ch.site),
                    ch.insurance, distractors)


def _rate_not_used(product: catalog.Product, at_risk: bool) -> tuple[str, str]:
    """The label's other maximum rate: the usual one for a patient at risk, the at-risk cap otherwise."""
    if at_risk:
        value = product.max_rate_mg_per_kg_min
        return "Label's usual maximum rate", f"{fmt(value)} mg/kg/min" if value else "not in the label read"
    value = product.at_risk_max_rate_mg_per_kg_min
    return ("Label's maximum rate for patients at risk",
            f"{fmt(value)} mg/kg/min" if value else "not in the label read")


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


def variant_question(case_id: str, seed: int) -> quiz.Question:
    """Which screening flag this case number's record raises, among the factors of all the
    case's variants; options and feedback come from data/screening_factors.csv."""
    table = screening.factors()
    c = case(case_id)
    candidates = [v["factor"] for v in c["variants"]]
    # One more factor the record does not have, and "none", so a guess is one in four at best.
    # Which one depends on the case, not on the table's order.
    others = [f for f in table.index if f not in candidates and f not in c["factors"]]
    spare = min(others, key=lambda f: hashlib.sha256(f"{case_id}|{f}".encode()).hexdigest())
    candidates += [spare, "none"]
    present = variant(case_id, seed)["factor"]

    def option(factor: str) -> quiz.Option:
        if factor == "none":
            why = ("Nothing else in this record is on the screening list" if present == "none"
                   else f"The record does say something: '{table.loc[present, 'factor']}'")
            return quiz.Option("None of these: routine screening only", present == "none", f"{why}.")
        row = table.loc[factor]
        right = factor == present
        return quiz.Option(str(row["factor"]), right, (f"Yes: {row['flag']} {row['action']}" if right
                           else f"Not in this record. {row['flag']}"))

    options = tuple(quiz.Option(o.text, o.correct, o.feedback, quiz.OPTION_IDS[i])
                    for i, o in enumerate(option(f) for f in candidates))
    return quiz.Question(id="variant_flag", type="single", level="apply", options=options,
                         prompt="Read the whole record again. Which screening flag does it raise, "
                                "beyond anything already discussed?",
                         source_ids=tuple(data.ids_in(table.loc[[f for f in candidates if f != "none"],
                                                                "source_ids"])))


def case_quiz(case_id: str, seed: int) -> quiz.Quiz:
    """The case's choice questions, the question its variant decides, and the computed numeric
    questions, as a Quiz."""
    c = case(case_id)
    choice = quiz.questions_from(c["questions"], f"cases.yaml, case '{case_id}'")
    return quiz.Quiz(notebook=f"06_cases_{case_id}_{seed}", title=f"{c['title']} (case number {seed})",
                     questions=choice + (variant_question(case_id, seed),) + numeric_questions(case_id, seed))
