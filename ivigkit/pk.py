"""Serum IgG after IVIG: a one-compartment teaching model, linear or with FcRn-type saturation.

Educational model, not for dosing patients. Simplifications students should know:

- Each infusion is an instant bolus at its day. A real infusion lasts hours, and the IgG
  then spreads out of the blood into tissue fluid for about 3-5 days
  (rxreasoner_ig_pharmacology; privigen_ch_fachinfo). The model has one compartment, so it
  shows the level in the blood right after the infusion and ignores that redistribution.
- Linear mode: every dose decays with one half-life, and doses add up (superposition).
  This fits replacement doses (0.2-0.4 g/kg) well (thurmann1995_ejcp).
- Saturable mode: the FcRn receptor that protects IgG from breakdown saturates, so the
  half-life shortens when IgG is high (masson1993_jautoimmun). At 2 g/kg the linear model
  overshoots what is measured (kuitwaard2009_annneurol); saturation explains part of that,
  redistribution (not modelled) the rest.

Levels are in g/L (1 g/L = 100 mg/dL). Times are in days from the first day of the plan.
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ivigkit.dosing import check_dose_g_per_kg, check_weight_kg, plan_infusions
from ivigkit.validate import number_in_range

LN2 = math.log(2)

# --- Defaults: teaching choices inside verified ranges ------------------------------------
# Baseline endogenous IgG: a choice inside the normal 7-16 g/L (700-1,600 mg/dL)
# (statpearls_ivig).
DEFAULT_BASELINE_G_PER_L = 10.0
# Half-life at replacement doses: a choice inside the 22-37 day range of the healthy-volunteer
# and label data (thurmann1995_ejcp; privigen_us_pi_rxlist2015; privigen_ch_fachinfo;
# rxreasoner_ig_pharmacology).
DEFAULT_HALF_LIFE_DAYS = 28.0
# Apparent initial volume: derived, 0.2 g/kg / 4.0 g/L rise = 0.050 L/kg (0.045 L/kg from the
# 0.4 g/kg arm), roughly the plasma volume, sampled before redistribution (thurmann1995_ejcp).
DEFAULT_VOLUME_L_PER_KG = 0.05

# --- FcRn saturation (masson1993_jautoimmun) ---------------------------------------------
# At plasma IgG 200 % of normal the fractional catabolic rate is 180 % of normal and the
# half-life falls from 21 to 12 days (21/12 = 1.75, close to the reported x1.8).
HALF_LIFE_AT_NORMAL_DAYS = 21.0         # masson1993_jautoimmun
HALF_LIFE_AT_TWICE_NORMAL_DAYS = 12.0   # masson1993_jautoimmun
SATURATION_RATIO = 2.0                  # "200 % of normal" (masson1993_jautoimmun)
# Assumptions (not measured): between normal and twice normal the fractional catabolic rate
# rises linearly with the IgG level; above twice normal it stays at its twice-normal value
# (half-life capped at 12 days); at or below normal the half-life stays 21 days. "Normal" is
# the patient's own baseline, so the untreated level is steady.

# Benchmark for the autoantibody model (not used in it): published FcRn modelling found the
# largest autoantibody fall after 2 g/kg to be about 25 % at 3-4 weeks (bleeker2001_blood).
REFERENCE_FALL_PCT_AFTER_2G = 25.0
REFERENCE_FALL_WEEKS = (3, 4)
# Courses the FcRn comparison draws beside the learner's dose, in g/kg per course: the Achiron
# RRMS maintenance dose, the ESIMS monthly dose and a 2 g/kg loading course (the dose the
# published FcRn model used); model_parameters.csv gives each one's source.
FCRN_REFERENCE_DOSES_G_PER_KG = (0.4, 1.0, 2.0)

# --- Ranges accepted from users (input plausibility, not clinical limits) ------------------
BASELINE_G_PER_L_RANGE = (1.0, 30.0)
HALF_LIFE_DAYS_RANGE = (1.0, 100.0)
VOLUME_L_PER_KG_RANGE = (0.01, 0.5)
DAY_RANGE = (0.0, 3650.0)               # up to ten years
DOSE_G_RANGE = (0.0, 1000.0)            # 2 g/kg at 300 kg is 600 g
STEP_DAYS_RANGE = (0.01, 1.0)
# Assumption: if no end day is given, follow the patient 90 days past the last infusion.
DEFAULT_FOLLOW_UP_DAYS = 90.0
FCRN_DAYS = 84.0                        # the FcRn comparison's window: 12 weeks, past Bleeker's 3-4


@dataclass(frozen=True)
class ProfileSummary:
    """Numbers for a text summary of a profile. Levels in g/L, days from the plan start.

    trough_g_per_l is the level just before the last infusion (None with fewer than two
    infusion days)."""

    peak_g_per_l: float
    peak_day: float
    trough_g_per_l: float | None
    trough_day: float | None
    end_g_per_l: float


# --- Inputs -----------------------------------------------------------------------------------

def infusion_schedule(infusions) -> pd.DataFrame:
    """Infusions as a DataFrame(day, dose_g) sorted by day, checked.

    `infusions` is a DataFrame with columns day and dose_g, or an iterable of (day, dose_g)
    pairs. Days 0-3650, doses 0-1000 g each."""
    if isinstance(infusions, pd.DataFrame):
        missing = [c for c in ("day", "dose_g") if c not in infusions.columns]
        if missing:
            raise ValueError("The infusion table needs a 'day' and a 'dose_g' column; "
                             f"it is missing {', '.join(repr(m) for m in missing)}.")
        pairs = list(zip(infusions["day"].tolist(), infusions["dose_g"].tolist()))
    elif isinstance(infusions, Iterable) and not isinstance(infusions, (str, bytes)):
        pairs = []
        for item in infusions:
            try:
                day, dose = item
            except (TypeError, ValueError):
                raise ValueError("Each infusion must be a pair (day, dose in g); "
                                 f"got '{item}'.") from None
            pairs.append((day, dose))
    else:
        raise ValueError("Infusions must be a table with columns day and dose_g, "
                         f"or a list of (day, dose in g) pairs; got '{infusions}'.")
    days = [number_in_range("Infusion day", d, *DAY_RANGE, "days") for d, _ in pairs]
    doses = [number_in_range("Infusion dose", g, *DOSE_G_RANGE, "g") for _, g in pairs]
    order = np.argsort(np.asarray(days, dtype=float), kind="stable")
    return pd.DataFrame({"day": np.asarray(days, dtype=float)[order],
                         "dose_g": np.asarray(doses, dtype=float)[order]})


def _end_day(schedule: pd.DataFrame, days) -> float:
    if days is None:
        last = float(schedule["day"].max()) if len(schedule) else 0.0
        return min(last + DEFAULT_FOLLOW_UP_DAYS, DAY_RANGE[1])
    return number_in_range("The number of days to show", days, *DAY_RANGE, "days")


def _grid(end_day: float, step_days: float) -> np.ndarray:
    """0, step, 2 step, ... up to end_day (end_day itself always included)."""
    n = int(math.floor(end_day / step_days + 1e-9))
    grid = np.round(np.arange(n + 1) * step_days, 9)
    if end_day - grid[-1] > 1e-9:
        grid = np.append(grid, end_day)
    return grid


def _common_checks(weight_kg, baseline_g_per_l, volume_l_per_kg, step_days):
    return (check_weight_kg(weight_kg),
            number_in_range("Baseline IgG", baseline_g_per_l, *BASELINE_G_PER_L_RANGE, "g/L"),
            number_in_range("Volume of distribution", volume_l_per_kg, *VOLUME_L_PER_KG_RANGE,
                            "L/kg"),
            number_in_range("Time step", step_days, *STEP_DAYS_RANGE, "days"))


# --- Saturable clearance ---------------------------------------------------------------------

def _rate_function(normal_g_per_l: float):
    """k(C), the fractional catabolic rate in 1/day at level C (g/L), for one patient's normal
    level (see the FcRn constants above). Returned as a closure: the integrator calls it
    four times per time step."""
    k_normal = LN2 / HALF_LIFE_AT_NORMAL_DAYS
    k_saturated = LN2 / HALF_LIFE_AT_TWICE_NORMAL_DAYS
    saturated_at = SATURATION_RATIO * normal_g_per_l
    per_g_per_l = (k_saturated - k_normal) / (saturated_at - normal_g_per_l)

    def rate(igg_g_per_l: float) -> float:
        if igg_g_per_l <= normal_g_per_l:
            return k_normal
        if igg_g_per_l >= saturated_at:
            return k_saturated
        return k_normal + per_g_per_l * (igg_g_per_l - normal_g_per_l)

    return rate


def saturable_half_life_days(igg_g_per_l: float,
                             normal_g_per_l: float = DEFAULT_BASELINE_G_PER_L) -> float:
    """IgG half-life (days) at a total IgG level (g/L) in the saturable model.

    21 days at or below normal, 12 days at twice normal and above, in between linear in
    the fractional catabolic rate (masson1993_jautoimmun; the ends are assumptions)."""
    level = number_in_range("IgG level", igg_g_per_l, 0.0, 1000.0, "g/L")
    normal = number_in_range("Normal IgG", normal_g_per_l, *BASELINE_G_PER_L_RANGE, "g/L")
    return LN2 / _rate_function(normal)(level)


def _integrate_saturable(schedule, grid, jump_per_g, baseline, *, marker: bool = False):
    """Fixed-step RK4 of dC/dt = P - k(C) C (and of the marker A, if `marker`).

    Doses are jumps of dose x jump_per_g (g/L). Reported levels at a dose time include
    that dose. The marker (fraction of its start level) has production k(baseline) and the
    same clearance k(C); IVIG adds none of it. Returns (igg, marker) arrays on the grid
    (marker all ones unless asked for). Written out by hand with plain floats: this loop
    runs on every app update, and numpy per step would be ten times slower."""
    k = _rate_function(baseline)
    k0 = k(baseline)
    production = k0 * baseline
    doses = {}
    for day, dose in zip(schedule["day"].tolist(), schedule["dose_g"].tolist()):
        if day <= grid[-1]:
            doses[day] = doses.get(day, 0.0) + dose * jump_per_g
    events = np.union1d(grid, np.fromiter(doses, dtype=float, count=len(doses))).tolist()
    on_grid = set(grid.tolist())
    c, a, t = baseline, 1.0, 0.0
    igg, marks = [], []
    for e in events:
        h = e - t
        if h > 0:
            h2 = h / 2
            ka = k(c)
            d1 = production - ka * c
            kb = k(c + h2 * d1)
            d2 = production - kb * (c + h2 * d1)
            kc = k(c + h2 * d2)
            d3 = production - kc * (c + h2 * d2)
            kd = k(c + h * d3)
            d4 = production - kd * (c + h * d3)
            if marker:
                m1 = k0 - ka * a
                m2 = k0 - kb * (a + h2 * m1)
                m3 = k0 - kc * (a + h2 * m2)
                m4 = k0 - kd * (a + h * m3)
                a += h / 6 * (m1 + 2 * m2 + 2 * m3 + m4)
            c += h / 6 * (d1 + 2 * d2 + 2 * d3 + d4)
            t = e
        c += doses.get(e, 0.0)
        if e in on_grid:
            igg.append(c)
            marks.append(a)
    return np.asarray(igg), np.asarray(marks)


# --- Profiles ---------------------------------------------------------------------------------

def igg_profile(infusions, weight_kg: float, baseline_g_per_l: float = DEFAULT_BASELINE_G_PER_L,
                half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
                volume_l_per_kg: float = DEFAULT_VOLUME_L_PER_KG, days: float | None = None, *,
                saturable: bool = False, step_days: float = 0.25) -> pd.DataFrame:
    """Total serum IgG (g/L) against time (days) after a series of infusions.

    Each dose (g) raises the level at once by dose / (volume_l_per_kg x weight_kg) g/L.
    Linear mode: that excess halves every `half_life_days` and doses add up on top of the
    steady `baseline_g_per_l`. Saturable mode (`saturable=True`): the half-life depends on
    the level, 21 days at baseline falling to 12 days at twice baseline (FcRn saturation,
    masson1993_jautoimmun); `half_life_days` is then not used. `days` is the last day shown
    (default: last infusion + 90). Returns DataFrame(day, igg_g_per_l), one row every
    `step_days`; a level on an infusion day includes that infusion."""
    weight, baseline, volume, step = _common_checks(weight_kg, baseline_g_per_l,
                                                    volume_l_per_kg, step_days)
    half_life = number_in_range("Half-life", half_life_days, *HALF_LIFE_DAYS_RANGE, "days")
    schedule = infusion_schedule(infusions)
    grid = _grid(_end_day(schedule, days), step)
    jump_per_g = 1.0 / (volume * weight)
    if saturable:
        igg, _ = _integrate_saturable(schedule, grid, jump_per_g, baseline)
    else:
        k = LN2 / half_life
        elapsed = grid[:, None] - schedule["day"].to_numpy()[None, :]
        rises = schedule["dose_g"].to_numpy()[None, :] * jump_per_g
        excess = np.where(elapsed >= 0, rises * np.exp(-k * np.maximum(elapsed, 0.0)), 0.0)
        igg = baseline + excess.sum(axis=1)
    return pd.DataFrame({"day": grid.astype(float), "igg_g_per_l": igg.astype(float)})


def autoantibody_profile(infusions, weight_kg: float,
                         baseline_g_per_l: float = DEFAULT_BASELINE_G_PER_L,
                         volume_l_per_kg: float = DEFAULT_VOLUME_L_PER_KG,
                         days: float | None = None, *, step_days: float = 0.25) -> pd.DataFrame:
    """Total IgG (g/L) and a marker autoantibody (% of its starting level) against time (days).

    The autoantibody is a small, fixed share of the patient's own IgG, made at a constant
    rate and protected by the same FcRn receptor, so it is broken down at the same
    level-dependent rate k(C) as total IgG in the saturable model. IVIG contains none of it.
    High IgG after IVIG saturates FcRn, so the autoantibody is cleared faster and falls
    (the mechanism modelled by bleeker2001_blood). Its share is so small that it does not
    change total IgG, and the % result does not depend on it.

    The fall depends on the volume chosen, because the volume sets how high total IgG goes.
    With the default 0.05 L/kg (initial volume) 2 g/kg gives a lowest level of about 69 %
    (a 31 % fall) near day 26; with 0.11-0.18 L/kg (the apparent volume back-calculated from
    kuitwaard2009_annneurol) about 77-83 % near day 20. Bleeker's model gave a maximum fall of
    about 25 % at 3-4 weeks (bleeker2001_blood). Nothing here was tuned to match it.
    Returns DataFrame(day, igg_g_per_l, autoantibody_pct)."""
    weight, baseline, volume, step = _common_checks(weight_kg, baseline_g_per_l,
                                                    volume_l_per_kg, step_days)
    schedule = infusion_schedule(infusions)
    grid = _grid(_end_day(schedule, days), step)
    igg, marker = _integrate_saturable(schedule, grid, 1.0 / (volume * weight), baseline,
                                       marker=True)
    return pd.DataFrame({"day": grid.astype(float), "igg_g_per_l": igg.astype(float),
                         "autoantibody_pct": 100.0 * marker.astype(float)})


# --- Reading a profile ------------------------------------------------------------------------

def _check_profile(profile: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(profile, pd.DataFrame) or not {"day", "igg_g_per_l"} <= set(profile.columns):
        raise ValueError("The profile must be a table with columns day and igg_g_per_l, "
                         "as igg_profile returns.")
    if profile.empty:
        raise ValueError("The profile is empty: there are no days to read levels from.")
    return profile if profile["day"].is_monotonic_increasing else profile.sort_values("day")


def initial_rise_g_per_l(dose_g: float, weight_kg: float,
                         volume_l_per_kg: float = DEFAULT_VOLUME_L_PER_KG) -> float:
    """How much one dose raises serum IgG (g/L) the moment it is in: dose / (volume x weight),
    as both models start."""
    weight, _, volume, _ = _common_checks(weight_kg, DEFAULT_BASELINE_G_PER_L, volume_l_per_kg, 1.0)
    return number_in_range("Dose", dose_g, *DOSE_G_RANGE, "g") / (volume * weight)


def level_on_day(profile: pd.DataFrame, day: float) -> float:
    """Serum IgG (g/L) of a profile on `day` (days from the first infusion), read off the curve."""
    curve = _check_profile(profile)
    days = curve["day"].to_numpy()
    when = number_in_range("The day", day, float(days[0]), float(days[-1]), "days")
    return float(np.interp(when, days, curve["igg_g_per_l"].to_numpy()))


def troughs(profile: pd.DataFrame, infusions) -> pd.DataFrame:
    """Level (g/L) just before each infusion day after the first: DataFrame(day, igg_g_per_l).

    `day` is the infusion day; the level is the last profile point before it (one time step
    earlier, like a blood sample drawn before the infusion starts). Infusion days outside
    the profile are skipped."""
    curve = _check_profile(profile)
    days = curve["day"].to_numpy()
    levels = curve["igg_g_per_l"].to_numpy()
    rows = []
    for day in np.unique(infusion_schedule(infusions)["day"].to_numpy())[1:]:
        if days[0] < day <= days[-1]:
            before = np.searchsorted(days, day, side="left") - 1
            rows.append((float(day), float(levels[before])))
    return pd.DataFrame(rows, columns=["day", "igg_g_per_l"]).astype(float)


def profile_summary(profile: pd.DataFrame, infusions) -> ProfileSummary:
    """Peak, last trough and end level (g/L) of a profile, for the app's text summary."""
    curve = _check_profile(profile)
    top = int(np.argmax(curve["igg_g_per_l"].to_numpy()))
    lows = troughs(curve, infusions)
    last = lows.iloc[-1] if len(lows) else None
    return ProfileSummary(
        peak_g_per_l=float(curve["igg_g_per_l"].iloc[top]),
        peak_day=float(curve["day"].iloc[top]),
        trough_g_per_l=None if last is None else float(last["igg_g_per_l"]),
        trough_day=None if last is None else float(last["day"]),
        end_g_per_l=float(curve["igg_g_per_l"].iloc[-1]),
    )


@dataclass(frozen=True)
class AutoantibodyLow:
    """The lowest autoantibody level of a profile: % of its starting level, the day, and the
    fall in % points."""

    lowest_pct: float
    day: float
    fall_pct: float


def autoantibody_low(profile: pd.DataFrame) -> AutoantibodyLow:
    """Where an autoantibody_profile() reaches its lowest level."""
    if not isinstance(profile, pd.DataFrame) or "autoantibody_pct" not in profile.columns or profile.empty:
        raise ValueError("The profile must be a table from autoantibody_profile(), with an "
                         "autoantibody_pct column.")
    i = int(np.argmin(profile["autoantibody_pct"].to_numpy()))
    lowest = float(profile["autoantibody_pct"].iloc[i])
    return AutoantibodyLow(lowest_pct=lowest, day=float(profile["day"].iloc[i]),
                           fall_pct=100.0 - lowest)


@dataclass(frozen=True)
class DoseComparison:
    """The autoantibody after one course of several doses (g/kg per course, keyed by dose):
    each dose's profile and lowest point, and total IgG of the learner's `chosen` dose."""

    chosen_g_per_kg: float
    days_per_course: int
    profiles: dict[float, pd.DataFrame]
    lows: dict[float, AutoantibodyLow]
    igg: ProfileSummary  # of the chosen dose
    baseline_g_per_l: float  # the patient's own IgG before any IVIG


def autoantibody_by_dose(dose_g_per_kg: float, days_per_course: int, weight_kg: float,
                         volume_l_per_kg: float = DEFAULT_VOLUME_L_PER_KG) -> DoseComparison:
    """One course of `dose_g_per_kg` (g/kg, split over `days_per_course` days) beside the
    reference courses FCRN_REFERENCE_DOSES_G_PER_KG, each followed for FCRN_DAYS days."""
    chosen = round(check_dose_g_per_kg(dose_g_per_kg), 2)
    profiles, lows = {}, {}
    for g_per_kg in sorted({*FCRN_REFERENCE_DOSES_G_PER_KG, chosen}):
        plan = plan_infusions(weight_kg, g_per_kg / days_per_course, days_per_course)
        profiles[g_per_kg] = autoantibody_profile(plan, weight_kg, volume_l_per_kg=volume_l_per_kg,
                                                  days=FCRN_DAYS)
        lows[g_per_kg] = autoantibody_low(profiles[g_per_kg])
    plan = plan_infusions(weight_kg, chosen / days_per_course, days_per_course)
    return DoseComparison(chosen, days_per_course, profiles, lows,
                          profile_summary(profiles[chosen], plan), DEFAULT_BASELINE_G_PER_L)
