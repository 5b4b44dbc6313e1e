"""Infusion-rate ladders (ivigkit.infusion), on hand-built Product records and on the catalog."""
import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ivigkit import data, infusion
from ivigkit.data import catalog

# A Gammaplex 5%-like record, written here so most tests do not depend on data/products.csv.
LADDER = catalog.Product(
    product_id="ladder_5", name="Ladder 5%", manufacturer="test", concentration_pct=5.0,
    stabiliser=None, sugar="unknown", sodium=None, iga_ug_per_ml=None, iga_basis=None,
    osmolality_mosm_per_kg_low=None, osmolality_mosm_per_kg_high=None, vial_sizes_g=(2.5, 5.0, 10.0, 20.0),
    initial_rate_mg_per_kg_min=0.5, max_rate_mg_per_kg_min=4.0, rate_indication="PI",
    rate_steps_mg_per_kg_min=(0.5, 1.0, 2.0, 3.0, 4.0), step_minutes=15.0,
    at_risk_max_rate_mg_per_kg_min=None, step_rule="", verified="yes", source_ids=("gammaplex_hcp",), note="")
# A 10 % product whose label gives only an initial and a maximum rate (no ladder).
NO_LADDER = dataclasses.replace(
    LADDER, product_id="plain_10", name="Plain 10%", concentration_pct=10.0, rate_steps_mg_per_kg_min=(),
    step_minutes=None, max_rate_mg_per_kg_min=8.0, at_risk_max_rate_mg_per_kg_min=3.3)

products = st.sampled_from([LADDER, NO_LADDER])
doses = st.floats(min_value=1, max_value=200)
weights = st.floats(min_value=20, max_value=150)


def test_label_worked_example_in_memory():
    """Gammaplex 5% label: 70 kg at 400 mg/kg (28 g) takes about 2 h 15 min."""
    sched = infusion.schedule_for(28, 70, LADDER)
    assert sched.total_minutes == pytest.approx(135.625)
    assert [s.rate_mg_per_kg_min for s in sched.steps] == [0.5, 1.0, 2.0, 3.0, 4.0]
    assert [s.start_min for s in sched.steps] == [0, 15, 30, 45, 60]
    assert sched.steps[0].rate_ml_per_h == pytest.approx(42.0)       # 0.5 x 70 x 60 / 50
    assert sched.volume_ml == pytest.approx(560.0)
    assert sched.assumption is None and sched.max_rate_used == 4.0


def test_label_worked_example_from_catalog():
    """Gammaplex 5% from data/products.csv against the label's 2 h 15 min for 28 g at 70 kg.

    With the 0.5;1;2;3;4 ladder the model gives 135.6 min. products.csv records no ladder (the
    label's intermediate rates were not readable), so the model doubles every 15 minutes (the
    label's interval) as a stated assumption: 0.5, 1, 2, 4 -> 131.9 min, 3 minutes short."""
    if not (data.data_dir() / "products.csv").exists():
        pytest.skip("data/products.csv is not written yet")
    gammaplex = next(p for p in catalog.products() if p.name.startswith("Gammaplex 5"))
    sched = infusion.schedule(28, 70, gammaplex.product_id)
    assert sched.total_minutes == infusion.infusion_minutes(28, 70, gammaplex.product_id)
    if gammaplex.rate_steps_mg_per_kg_min:
        assert sched.total_minutes == pytest.approx(135.6, abs=0.1)
    else:
        assert sched.total_minutes == pytest.approx(15 * 3 + (28000 - 15 * 3.5 * 70) / 280)   # 131.9
        assert "every 15 minutes (the label's interval)" in sched.assumption
        assert abs(sched.total_minutes - 135) < 0.05 * 135


def test_label_interval_without_ladder_sets_step_minutes():
    product = dataclasses.replace(LADDER, rate_steps_mg_per_kg_min=())      # step_minutes 15 kept
    sched = infusion.schedule_for(28, 70, product)
    assert [s.rate_mg_per_kg_min for s in sched.steps] == [0.5, 1.0, 2.0, 4.0]
    assert [s.start_min for s in sched.steps] == [0, 15, 30, 45]


def test_unit_conversions():
    assert infusion.ml_per_kg_min(1, 10) == pytest.approx(0.01)
    assert infusion.ml_per_kg_min(0.5, 5) == pytest.approx(0.01)
    assert infusion.ml_per_h(1, 70, 10) == pytest.approx(42.0)


def test_no_ladder_doubles_every_30_minutes_as_a_teaching_assumption():
    sched = infusion.schedule_for(140, 70, NO_LADDER)
    assert [s.rate_mg_per_kg_min for s in sched.steps] == [0.5, 1.0, 2.0, 4.0, 8.0]
    assert all(s.minutes == infusion.ASSUMED_STEP_MINUTES for s in sched.steps[:-1])
    assert "teaching assumption" in sched.assumption


def test_at_risk_cap_and_learner_override():
    capped = infusion.schedule_for(140, 70, NO_LADDER, at_risk=True)
    assert [s.rate_mg_per_kg_min for s in capped.steps] == [0.5, 1.0, 2.0, 3.3]
    no_cap = infusion.schedule_for(28, 70, LADDER, at_risk=True)
    assert no_cap.max_rate_used == 4.0 and "minimum practicable rate" in no_cap.assumption
    learner = infusion.schedule_for(28, 70, LADDER, max_rate_mg_per_kg_min=2.5)
    assert [s.rate_mg_per_kg_min for s in learner.steps] == [0.5, 1.0, 2.0, 2.5]
    slow = infusion.schedule_for(28, 70, LADDER, max_rate_mg_per_kg_min=0.25)
    assert len(slow.steps) == 1 and slow.total_minutes == pytest.approx(28000 / (0.25 * 70))
    above = infusion.schedule_for(140, 70, NO_LADDER, at_risk=True, max_rate_mg_per_kg_min=6)
    assert "above the label's 3.3" in above.assumption


def test_small_dose_stops_in_an_early_step():
    sched = infusion.schedule_for(1.0, 70, LADDER)      # 525 mg in step 1, the rest in step 2
    assert len(sched.steps) == 2 and sched.total_minutes == pytest.approx(15 + 475 / 70)


@given(doses, weights, products, st.floats(0.1, 8), st.floats(0.1, 8))
def test_higher_max_rate_never_lengthens(dose_g, weight_kg, product, rate_a, rate_b):
    low, high = sorted((min(rate_a, product.max_rate_mg_per_kg_min), min(rate_b, product.max_rate_mg_per_kg_min)))
    slow = infusion.schedule_for(dose_g, weight_kg, product, max_rate_mg_per_kg_min=low)
    fast = infusion.schedule_for(dose_g, weight_kg, product, max_rate_mg_per_kg_min=high)
    assert fast.total_minutes <= slow.total_minutes + 1e-6


@given(doses, weights, products, st.booleans())
def test_grams_and_volume_add_up(dose_g, weight_kg, product, at_risk):
    sched = infusion.schedule_for(dose_g, weight_kg, product, at_risk)
    assert sum(s.grams_given for s in sched.steps) == pytest.approx(dose_g)
    assert sched.volume_ml == pytest.approx(dose_g * 100 / product.concentration_pct)
    assert sum(s.volume_ml for s in sched.steps) == pytest.approx(sched.volume_ml)
    assert sched.total_minutes == pytest.approx(sum(s.minutes for s in sched.steps))
    assert all(s.minutes > 0 for s in sched.steps)


@pytest.mark.parametrize("change, words", [
    (dict(concentration_pct=None), "The concentration of Ladder 5% is not known from a verified source"),
    (dict(max_rate_mg_per_kg_min=None), "The maximum infusion rate of Ladder 5% is not known"),
    (dict(rate_steps_mg_per_kg_min=(), initial_rate_mg_per_kg_min=None), "The initial infusion rate of Ladder 5%"),
    (dict(concentration_pct=None, max_rate_mg_per_kg_min=None),
     "concentration and maximum infusion rate of Ladder 5% are"),
])
def test_unknown_label_facts_are_named(change, words):
    with pytest.raises(ValueError, match=words):
        infusion.schedule_for(28, 70, dataclasses.replace(LADDER, **change))


@pytest.mark.parametrize("dose, weight, max_rate, message", [
    (-5, 70, None, "Dose must be between 0.02 and 600 g; got -5."),
    (28, 0, None, "Weight must be between 2 and 300 kg; got 0."),
    (28, "x", None, "Weight must be a number in kg; got 'x'."),
    (28, 70, 5, "The maximum rate must be between 0.01 and 4 mg/kg/min; got 5."),
])
def test_bad_input_is_explained(dose, weight, max_rate, message):
    with pytest.raises(ValueError) as info:
        infusion.schedule_for(dose, weight, LADDER, max_rate_mg_per_kg_min=max_rate)
    assert str(info.value) == message
