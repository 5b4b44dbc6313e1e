"""Dose arithmetic and input validation."""
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ivigkit import dosing
from ivigkit.validate import number_in_range

weights = st.floats(min_value=2, max_value=300)
doses = st.floats(min_value=0.01, max_value=2.0)


def test_worked_example():
    assert dosing.dose_g(weight_kg=70, dose_g_per_kg=0.4) == pytest.approx(28.0)


@given(weights, doses)
def test_dose_is_weight_times_dose_per_kg(weight_kg, dose_g_per_kg):
    assert dosing.dose_g(weight_kg, dose_g_per_kg) == pytest.approx(weight_kg * dose_g_per_kg)


@given(st.floats(min_value=2, max_value=150), doses)
def test_dose_scales_linearly_with_weight(weight_kg, dose_g_per_kg):
    assert dosing.dose_g(2 * weight_kg, dose_g_per_kg) == pytest.approx(
        2 * dosing.dose_g(weight_kg, dose_g_per_kg))


@pytest.mark.parametrize("weight_kg, message", [
    (-5, "Weight must be between 2 and 300 kg; got -5."),
    (0, "Weight must be between 2 and 300 kg; got 0."),
    (301, "Weight must be between 2 and 300 kg; got 301."),
    (math.nan, "Weight must be between 2 and 300 kg; got nan."),
    ("heavy", "Weight must be a number in kg; got 'heavy'."),
    (None, "Weight must be a number in kg; got 'None'."),
])
def test_bad_weight_is_explained(weight_kg, message):
    with pytest.raises(ValueError) as info:
        dosing.dose_g(weight_kg, 0.4)
    assert str(info.value) == message


@pytest.mark.parametrize("dose", [0, -0.4, 2.5, math.inf])
def test_bad_dose_is_explained(dose):
    with pytest.raises(ValueError, match="Dose must be between 0.01 and 2 g/kg"):
        dosing.dose_g(70, dose)


def test_dose_by_weight_table():
    table = dosing.dose_by_weight(0.5, [40, 80])
    assert list(table.columns) == ["weight_kg", "dose_g"]
    assert table["dose_g"].tolist() == [20.0, 40.0]
    with pytest.raises(ValueError, match="Weight"):
        dosing.dose_by_weight(0.5, [40, 400])


def test_range_check_accepts_bounds():
    assert number_in_range("X", 2, 2, 3, "kg") == 2.0
    assert number_in_range("X", "2.5", 2, 3, "kg") == 2.5


def test_out_of_range_text_number_is_explained():
    with pytest.raises(ValueError, match="W must be between 2 and 300 kg; got 500."):
        number_in_range("W", "500", 2, 300, "kg")


def test_vials_can_be_picked_by_product_id():
    from ivigkit.data import catalog

    by_id = dosing.pick_vials(28, "gammaplex_5")
    assert by_id == dosing.pick_vials(28, catalog.product("gammaplex_5").vial_sizes_g)
    assert by_id.total_g >= 28
