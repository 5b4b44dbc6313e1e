"""Dosing weight, dose rounding, vial picking and infusion-day plans (ivigkit.dosing)."""
import itertools
import math
from fractions import Fraction
from types import SimpleNamespace

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from ivigkit import dosing

weights = st.floats(min_value=2, max_value=300)
heights = st.floats(min_value=152.4, max_value=230)
sexes = st.sampled_from(["female", "male"])
doses_g = st.floats(min_value=0.02, max_value=600)


# ------------- worked example: our arithmetic on nba_ibw_calculator's formula, rounded as orbcon_dose_calculator does

def test_worked_example_female_165_cm_95_kg():
    weight = dosing.dosing_weight(95, 165, "female", "adjusted")
    assert round(weight.ibw_kg, 1) == 56.9
    assert round(weight.adjusted_kg, 1) == 72.1
    assert round(weight.bmi, 1) == 34.9
    assert weight.weight_kg == weight.adjusted_kg
    course_g = dosing.dose_g(weight.weight_kg, 2.0)
    assert round(course_g, 1) == 144.3
    assert dosing.round_dose_g(course_g) == 145.0
    rounding = dosing.round_dose(course_g)
    assert round(rounding.deviation_pct, 1) == 0.5
    assert rounding.within_tolerance
    assert dosing.dose_g(95, 2.0) == 190.0     # the same course on actual weight


def test_formula_pieces():
    assert dosing.ideal_body_weight_kg(152.4, "male") == pytest.approx(50.0, abs=1e-3)
    assert dosing.ideal_body_weight_kg(152.4, "female") == pytest.approx(45.5, abs=1e-3)
    assert dosing.adjusted_body_weight_kg(95, 165, "female") == pytest.approx(
        dosing.ideal_body_weight_kg(165, "female") * 0.6 + 95 * 0.4)
    assert dosing.bmi(80, 200) == pytest.approx(20.0)


def test_devine_below_60_inches_is_not_clamped():
    assert dosing.ideal_body_weight_kg(100, "female") == pytest.approx(-1.95, abs=0.01)
    with pytest.raises(ValueError, match="meant for adults at least 152.4 cm tall"):
        dosing.dosing_weight(20, 100, "female", "ideal")


def test_pounds():
    assert dosing.kg_from_lb(1) == 0.45359237
    assert dosing.lb_from_kg(dosing.kg_from_lb(150)) == pytest.approx(150)


# ---------------------------------------------------------------- rules

def test_rules_choose_a_basis():
    assert dosing.dosing_weight(95, 165, "female", "actual").weight_kg == 95
    assert dosing.dosing_weight_kg(95, 165, "female", "ideal") == pytest.approx(56.9, abs=0.01)
    assert dosing.dosing_weight(95, 165, "female", "ontario").basis == "adjusted"      # BMI 34.9
    assert dosing.dosing_weight(60, 165, "female", "ontario").basis == "actual"        # BMI 22.0
    assert dosing.dosing_weight(95, 165, "female", "australia_2026").basis == "adjusted"


def test_ontario_reason_mentions_should_rule_and_pregnancy():
    lean = dosing.dosing_weight(70, 175, "male", "ontario", pregnant=False)
    assert "'should'" in lean.reason and "'adjusted'" in lean.reason
    small = dosing.dosing_weight(45, 150, "female", "ontario")
    assert "does not apply either" in small.reason
    pregnant = dosing.dosing_weight(95, 165, "female", "ontario", pregnant=True)
    assert "pre-pregnancy weight" in pregnant.reason


@pytest.mark.parametrize("kwargs, words", [
    (dict(age_years=16), "under 18"),
    (dict(pregnant=True), "pregnant"),
])
def test_australia_2026_exceptions_use_actual(kwargs, words):
    weight = dosing.dosing_weight(95, 165, "female", "australia_2026", **kwargs)
    assert weight.basis == "actual" and weight.weight_kg == 95
    assert words in weight.reason


def test_australia_2026_short_or_light_patients_use_actual():
    assert "152 cm" in dosing.dosing_weight(80, 150, "female", "australia_2026", age_years=40).reason
    light = dosing.dosing_weight(50, 180, "male", "australia_2026", age_years=40)   # below IBW
    assert light.basis == "actual" and "weighs less" in light.reason


def test_australia_2026_missing_age_is_said():
    assert "treated as an adult" in dosing.dosing_weight(95, 165, "female", "australia_2026").reason
    assert "adult" not in dosing.dosing_weight(95, 165, "female", "australia_2026", age_years=40).reason


def test_ontario_rule_has_a_cliff_at_bmi_30():
    """Teaching point: crossing BMI 30 switches to adjusted weight, so the dose drops."""
    below = dosing.dosing_weight_kg(81.6, 165, "female", "ontario")   # BMI 29.97
    above = dosing.dosing_weight_kg(81.8, 165, "female", "ontario")   # BMI 30.05
    assert above < below


@given(weights, weights, heights, sexes, st.sampled_from(["actual", "ideal", "adjusted", "australia_2026"]))
def test_dose_rises_with_weight(w1, w2, height_cm, sex, rule):
    low, high = sorted((w1, w2))
    assert dosing.dosing_weight_kg(low, height_cm, sex, rule, age_years=40) <= \
        dosing.dosing_weight_kg(high, height_cm, sex, rule, age_years=40) + 1e-9
    assert dosing.dose_g(low, 0.4) <= dosing.dose_g(high, 0.4)


@given(weights, heights, sexes)
def test_adjusted_lies_between_ideal_and_actual(actual_kg, height_cm, sex):
    ibw = dosing.ideal_body_weight_kg(height_cm, sex)
    adjusted = dosing.adjusted_body_weight_kg(actual_kg, height_cm, sex)
    assert min(ibw, actual_kg) - 1e-9 <= adjusted <= max(ibw, actual_kg) + 1e-9


# ---------------------------------------------------------------- rounding

@given(doses_g, st.sampled_from([0.5, 1.0, 2.5, 5.0, 10.0]))
def test_rounding_stays_within_half_a_step(dose, step_g):
    rounded = dosing.round_dose_g(dose, step_g)
    assert abs(rounded - dose) <= step_g / 2 + 1e-9
    assert rounded / step_g == pytest.approx(round(rounded / step_g))


def test_ties_round_up():
    assert dosing.round_dose_g(142.5) == 145.0
    assert dosing.round_dose_g(7.5, 5) == 10.0


@given(doses_g, st.sampled_from([0.5, 2.5, 5.0, 10.0]))
def test_round_dose_flags_exactly_outside_ten_percent(dose, step_g):
    result = dosing.round_dose(dose, step_g)
    assert result.within_tolerance == (abs(result.deviation_pct) <= 10)
    exact = abs(Fraction(result.rounded_g) - Fraction(dose)) / Fraction(dose)
    assume(abs(exact - Fraction(1, 10)) > Fraction(1, 10**8))      # away from float noise at the edge
    assert result.within_tolerance == (exact <= Fraction(1, 10))


def test_rounding_to_zero_is_flagged():
    result = dosing.round_dose(2.0)
    assert result.rounded_g == 0.0 and not result.within_tolerance


# ---------------------------------------------------------------- vials

def test_vials_for_worked_example():
    pick = dosing.pick_vials(144.3, (2.5, 5, 10, 20))
    assert pick.total_g == 145.0 and pick.vials == ((20.0, 7), (5.0, 1))
    assert pick.describe() == "7 x 20 g + 1 x 5 g"
    assert not pick.flagged
    assert pick.alternative.total_g == 142.5 and "also within 10 %" in pick.note


def test_noridian_example_two_1_g_vials_not_one_2_5_g():
    pick = dosing.pick_vials(1.5, (1, 2.5))
    assert pick.vials == ((1.0, 2),) and pick.flagged


def test_exact_dose_has_no_alternative():
    pick = dosing.pick_vials(30, (5, 10, 20))
    assert pick.waste_g == 0 and pick.alternative is None and pick.vials == ((20.0, 1), (10.0, 1))


def test_product_record_or_id_gives_sizes():
    product = SimpleNamespace(name="Testglobulin 10%", vial_sizes_g=(5.0, 10.0))
    assert dosing.pick_vials(12, product).total_g == 15.0
    with pytest.raises(ValueError, match="The vial sizes of Testglobulin 10% are not known from a verified source"):
        dosing.pick_vials(12, SimpleNamespace(name="Testglobulin 10%", vial_sizes_g=()))


def _brute_force(dose, sizes):
    best = None
    top = dose + max(sizes)
    for counts in itertools.product(*(range(int(top // s) + 2) for s in sizes)):
        total = sum(c * s for c, s in zip(counts, sizes))
        if total >= dose - 1e-9:
            key = (total, sum(counts))
            best = key if best is None or key < best else best
    return best


@given(st.floats(min_value=0.5, max_value=25), st.lists(st.sampled_from([0.5, 1, 2, 2.5, 5, 10, 20]),
                                                        min_size=1, max_size=3, unique=True))
def test_pick_vials_is_least_waste_then_fewest_vials(dose, sizes):
    pick = dosing.pick_vials(dose, sizes)
    assert pick.total_g >= dose - 1e-9          # float noise: 28.000000000000004 g takes 28 g
    assert pick.flagged == (abs(pick.deviation_pct) > 10)
    total, count = _brute_force(dose, sizes)
    assert pick.total_g == pytest.approx(total)
    assert sum(n for _, n in pick.vials) == count
    if pick.alternative is not None:
        assert pick.alternative.total_g < dose and not pick.alternative.flagged


# ---------------------------------------------------------------- plans

def test_plan_one_course_and_repeats():
    once = dosing.plan_infusions(70, 0.4, 5)
    assert once["day"].tolist() == [0, 1, 2, 3, 4] and once["dose_g"].tolist() == [28.0] * 5
    monthly = dosing.plan_infusions(70, 1.0, 2, interval_days=28, horizon_days=60)
    assert monthly["day"].tolist() == [0, 1, 28, 29, 56, 57]
    assert list(monthly.columns) == ["day", "dose_g"]


def _regimen(**overrides):
    fields = dict(regimen_id="test", loading_g_per_kg_per_day=None, loading_days=None,
                  dose_g_per_kg_per_day_low=None, dose_g_per_kg_per_day_high=None,
                  fixed_dose_g_per_day=None, days_per_course=1, interval_days=None, courses=None)
    return SimpleNamespace(**{**fields, **overrides})


def test_regimen_plan_loading_then_maintenance():
    achiron = _regimen(loading_g_per_kg_per_day=0.4, loading_days=5, dose_g_per_kg_per_day_low=0.4,
                       dose_g_per_kg_per_day_high=0.4, interval_days=60)
    plan = dosing.regimen_plan(achiron, 70, horizon_days=200)
    assert plan["day"].tolist() == [0, 1, 2, 3, 4, 60, 120, 180]
    assert plan["phase"].tolist() == ["loading"] * 5 + ["maintenance"] * 3
    assert set(plan["dose_g"]) == {28.0}


def test_regimen_plan_dose_levels_courses_and_fixed_dose():
    aims = _regimen(dose_g_per_kg_per_day_low=0.15, dose_g_per_kg_per_day_high=0.2, interval_days=28)
    assert dosing.regimen_plan(aims, 100, dose="mid")["dose_g"].iloc[0] == pytest.approx(17.5)
    assert dosing.regimen_plan(aims, 100, dose="high")["dose_g"].iloc[0] == pytest.approx(20.0)
    limited = _regimen(fixed_dose_g_per_day=10.0, interval_days=30, courses=6)
    plan = dosing.regimen_plan(limited, 55)
    assert plan["day"].tolist() == [0, 30, 60, 90, 120, 150] and set(plan["dose_g"]) == {10.0}
    assert set(plan["phase"]) == {"maintenance"}


# ---------------------------------------------------------------- bad input

@pytest.mark.parametrize("weight, message", [
    (0, "Weight must be between 2 and 300 kg; got 0."),
    (-5, "Weight must be between 2 and 300 kg; got -5."),
    (301, "Weight must be between 2 and 300 kg; got 301."),
    ("heavy", "Weight must be a number in kg; got 'heavy'."),
])
def test_bad_weight(weight, message):
    with pytest.raises(ValueError) as info:
        dosing.dosing_weight(weight, 165, "female")
    assert str(info.value) == message


@pytest.mark.parametrize("height", [90, 240])
def test_bad_height(height):
    with pytest.raises(ValueError) as info:
        dosing.ideal_body_weight_kg(height, "male")
    assert str(info.value) == f"Height must be between 100 and 230 cm; got {height}."


def test_bad_sex_rule_age_dose_and_plan():
    with pytest.raises(ValueError) as info:
        dosing.dosing_weight(70, 170, "x")
    assert str(info.value) == "Sex must be 'female' or 'male' for the Devine formula; got 'x'."
    with pytest.raises(ValueError) as info:
        dosing.dosing_weight(70, 170, "male", "nhs")
    assert str(info.value) == "Rule must be one of actual, ideal, adjusted, ontario, australia_2026; got 'nhs'."
    with pytest.raises(ValueError, match="Age must be between 0 and 120 years; got -1."):
        dosing.dosing_weight(70, 170, "male", "australia_2026", age_years=-1)
    with pytest.raises(ValueError, match=r"Dose must be between 0.02 and 600 g; got -10."):
        dosing.round_dose(-10)
    with pytest.raises(ValueError, match="Dose must be between"):
        dosing.pick_vials(-10, (5, 10))
    with pytest.raises(ValueError, match="Days per course must be a whole number of days; got 2.5."):
        dosing.plan_infusions(70, 0.4, 2.5)
    with pytest.raises(ValueError, match=r"The interval between courses \(1 days\) must be at least"):
        dosing.plan_infusions(70, 0.4, 2, interval_days=1)
    with pytest.raises(ValueError, match="Dose level must be one of low, mid, high"):
        dosing.regimen_plan(_regimen(dose_g_per_kg_per_day_low=0.4), 70, dose="max")
    with pytest.raises(ValueError, match="Vial sizes must be multiples of 0.5 g; got 0.7."):
        dosing.pick_vials(10, (0.7, 5))
    assert math.isfinite(dosing.round_dose(600).rounded_g)
