"""Dose arithmetic: grams from grams per kilogram. Pure functions; units in the names."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ivigkit.validate import number_in_range

WEIGHT_KG_MIN, WEIGHT_KG_MAX = 2.0, 300.0
# An input plausibility bound, not a dosing limit: the largest total course dose in the
# workbook's sources is 2 g/kg (a loading course in Achiron 2004; GBS in EFNS 2008).
DOSE_G_PER_KG_MIN, DOSE_G_PER_KG_MAX = 0.01, 2.0


def check_weight_kg(weight_kg: float) -> float:
    """Weight in kg, or ValueError if outside 2-300 kg."""
    return number_in_range("Weight", weight_kg, WEIGHT_KG_MIN, WEIGHT_KG_MAX, "kg")


def check_dose_g_per_kg(dose_g_per_kg: float) -> float:
    """Dose in g/kg, or ValueError if outside 0.01-2 g/kg."""
    return number_in_range("Dose", dose_g_per_kg, DOSE_G_PER_KG_MIN, DOSE_G_PER_KG_MAX, "g/kg")


def dose_g(weight_kg: float, dose_g_per_kg: float) -> float:
    """Grams of IgG for one dose: weight (kg) x dose (g/kg), before any rounding to vials."""
    return check_weight_kg(weight_kg) * check_dose_g_per_kg(dose_g_per_kg)


def dose_by_weight(dose_g_per_kg: float, weights_kg) -> pd.DataFrame:
    """Table of dose (g) against weight (kg) for one dose in g/kg."""
    dose = check_dose_g_per_kg(dose_g_per_kg)
    weights = np.asarray([check_weight_kg(w) for w in weights_kg], dtype=float)
    return pd.DataFrame({"weight_kg": weights, "dose_g": weights * dose})
