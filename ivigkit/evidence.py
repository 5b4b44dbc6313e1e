"""Effect measures from what trials report, number needed to treat, and meta-analytic pooling.

Ratios compare IVIG with the control arm (IVIG / control). Confidence intervals are 95 %,
on the log scale for ratios. The log ratios of a 2x2 table (with their large-sample variances)
and the pooling (inverse-variance fixed effect; DerSimonian-Laird random effects, tau² truncated
at 0) are the textbook formulas of the Cochrane Handbook (section 10.3), written out here in a
few lines rather than taken from statsmodels: statsmodels and the scipy it loads cost every
notebook-03 kernel about 57 MiB and 1.2 s (benchmarks/README.md). tests/models/test_evidence.py
checks every formula against statsmodels' effectsize_2proportions and combine_effects.

Educational model, not for clinical decisions.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import NormalDist
from dataclasses import dataclass


from ivigkit.validate import number_in_range

Z_95 = NormalDist().inv_cdf(0.975)  # 1.959964...
# Added to every cell of a 2x2 table that has a zero cell (the Haldane-Anscombe correction),
# so a ratio and its standard error exist.
ZERO_CELL_CORRECTION = 0.5
METHODS = ("fixed", "random")
RATIO_MEASURES = ("rate_ratio", "risk_ratio", "odds_ratio", "hazard_ratio")


@dataclass(frozen=True)
class Effect:
    """A ratio (IVIG / control) with its 95 % CI; `se_log` is the standard error of its log.

    `se_log` and the CI are None when the trial reports no interval and no counts."""

    measure: str
    ratio: float
    ci_low: float | None = None
    ci_high: float | None = None
    se_log: float | None = None
    corrected: bool = False  # a zero cell was corrected (ZERO_CELL_CORRECTION)

    @property
    def log_ratio(self) -> float:
        return math.log(self.ratio)


@dataclass(frozen=True)
class Pooled:
    """A pooled ratio with its 95 % CI, heterogeneity (I² in %, tau² on the log scale),
    the method, the number of studies and each study's weight in %."""

    ratio: float
    ci_low: float
    ci_high: float
    i2_pct: float
    tau2: float
    method: str
    k: int
    weights_pct: tuple[float, ...]


# --- Effects from arm values ------------------------------------------------------------------

def _rate(name: str, value) -> float:
    rate = number_in_range(name, value, 0.0, 100.0, "relapses per year")
    if rate == 0:
        raise ValueError(f"{name} is 0, so a ratio of rates cannot be formed.")
    return rate


def rate_ratio(ivig_rate_per_year: float, control_rate_per_year: float) -> Effect:
    """Ratio of annualised relapse rates, IVIG / control (no CI: trials rarely report one)."""
    return Effect("rate_ratio", _rate("The IVIG rate", ivig_rate_per_year)
                  / _rate("The control rate", control_rate_per_year))


def relative_reduction_pct(ivig_rate_per_year: float, control_rate_per_year: float) -> float:
    """How much lower the IVIG rate is, in % of the control rate: 100 x (1 - IVIG / control)."""
    return 100.0 * (1.0 - rate_ratio(ivig_rate_per_year, control_rate_per_year).ratio)


def _arm(name: str, events, n) -> tuple[float, float]:
    total = number_in_range(f"The {name} arm size", n, 1, 1_000_000, "patients")
    count = number_in_range(f"The {name} event count", events, 0, total, "patients")
    if count != int(count) or total != int(total):
        raise ValueError(f"The {name} arm needs whole numbers of patients; got {events} of {n}.")
    return count, total


def _log_ratio(statistic: str, events_1: float, n_1: float, events_2: float, n_2: float,
               correction: float = 0.0) -> tuple[float, float]:
    """Log risk or odds ratio of arm 1 against arm 2 and its large-sample variance. `correction`
    is added to every cell of the 2x2 table (each arm's events and non-events)."""
    p1 = (events_1 + correction) / (n_1 + 2 * correction)
    p2 = (events_2 + correction) / (n_2 + 2 * correction)
    n1, n2 = n_1 + 2 * correction, n_2 + 2 * correction
    if statistic == "risk-ratio":
        return math.log(p1) - math.log(p2), (1 - p1) / (p1 * n1) + (1 - p2) / (p2 * n2)
    return (math.log(p1 / (1 - p1)) - math.log(p2 / (1 - p2)),
            1 / (p1 * (1 - p1) * n1) + 1 / (p2 * (1 - p2) * n2))


def _two_by_two(statistic: str, events_ivig, n_ivig, events_control, n_control) -> Effect:
    """Log ratio and its variance, with the zero-cell correction added to every cell of a table
    that has a zero cell."""
    a, n1 = _arm("IVIG", events_ivig, n_ivig)
    c, n2 = _arm("control", events_control, n_control)
    corrected = min(a, n1 - a, c, n2 - c) == 0
    log, variance = _log_ratio(statistic, a, n1, c, n2, ZERO_CELL_CORRECTION if corrected else 0.0)
    measure = "risk_ratio" if statistic == "risk-ratio" else "odds_ratio"
    return _with_ci(measure, math.exp(log), math.sqrt(variance), corrected)


def _with_ci(measure: str, ratio: float, se_log: float, corrected: bool) -> Effect:
    log = math.log(ratio)
    return Effect(measure, ratio, math.exp(log - Z_95 * se_log), math.exp(log + Z_95 * se_log),
                  se_log, corrected)


def risk_ratio(events_ivig: int, n_ivig: int, events_control: int, n_control: int) -> Effect:
    """Risk ratio (IVIG / control) of patients with the event, with a log-scale 95 % CI."""
    return _two_by_two("risk-ratio", events_ivig, n_ivig, events_control, n_control)


def risk_ratio_from_pct(pct_ivig: float, n_ivig: int, pct_control: float, n_control: int) -> Effect:
    """Risk ratio from reported percentages and arm sizes, without rounding the percentages to
    whole patients: the same formula as risk_ratio, fed with p x n (possibly fractional)."""
    p1 = number_in_range("The IVIG percentage", pct_ivig, 0, 100, "%") / 100
    p2 = number_in_range("The control percentage", pct_control, 0, 100, "%") / 100
    n1 = number_in_range("The IVIG arm size", n_ivig, 1, 1_000_000, "patients")
    n2 = number_in_range("The control arm size", n_control, 1, 1_000_000, "patients")
    if not (0 < p1 < 1 and 0 < p2 < 1):
        raise ValueError("A risk ratio from percentages needs percentages above 0 and below 100 "
                         "in each arm.")
    log, variance = _log_ratio("risk-ratio", p1 * n1, n1, p2 * n2, n2)
    return _with_ci("risk_ratio", math.exp(log), math.sqrt(variance), False)


def odds_ratio(events_ivig: int, n_ivig: int, events_control: int, n_control: int) -> Effect:
    """Odds ratio (IVIG / control) with a log-scale (Woolf) 95 % CI."""
    return _two_by_two("odds-ratio", events_ivig, n_ivig, events_control, n_control)


def from_ci(measure: str, ratio: float, ci_low: float, ci_high: float) -> Effect:
    """A reported ratio with its 95 % CI; the log standard error is recovered from the CI."""
    if measure not in RATIO_MEASURES:
        raise ValueError(f"'{measure}' is not a ratio; use one of {', '.join(RATIO_MEASURES)}.")
    values = [number_in_range(name, v, 1e-6, 1e6, "")
              for name, v in (("The ratio", ratio), ("The CI's low end", ci_low),
                              ("The CI's high end", ci_high))]
    ratio, low, high = values
    if not low <= ratio <= high or low == high:
        raise ValueError(f"The interval {low:g} to {high:g} must surround the ratio {ratio:g}.")
    se = (math.log(high) - math.log(low)) / (2 * Z_95)
    return Effect(measure, ratio, low, high, se)


def nnt(risk_control_pct: float, risk_ivig_pct: float) -> float:
    """Number needed to treat for one patient to benefit: 100 / (control % - IVIG %),
    for an outcome the treatment should make less common (a relapse, conversion to MS).
    Negative when IVIG did worse (then it is a number needed to harm)."""
    control = number_in_range("The control risk", risk_control_pct, 0, 100, "%")
    ivig = number_in_range("The IVIG risk", risk_ivig_pct, 0, 100, "%")
    if control == ivig:
        raise ValueError("The two risks are equal, so no number needed to treat exists.")
    return 100.0 / (control - ivig)


# --- Pooling ------------------------------------------------------------------------------------

def pool(log_effects: Sequence[float], standard_errors: Sequence[float],
         method: str = "random") -> Pooled:
    """Pool log ratios: method "fixed" (inverse variance) or "random" (DerSimonian-Laird).
    Returns the pooled ratio, its 95 % CI, I² (%) and tau²."""
    if method not in METHODS:
        raise ValueError(f"The pooling method must be 'fixed' or 'random'; got '{method}'.")
    effects, ses = list(log_effects), list(standard_errors)
    if len(effects) != len(ses) or any(isinstance(x, (list, tuple)) for x in effects + ses):
        raise ValueError("Give one standard error for each effect.")
    if len(effects) < 2:
        raise ValueError("Pooling needs at least two studies.")
    try:
        effects, ses = [float(y) for y in effects], [float(se) for se in ses]
    except (TypeError, ValueError):
        raise ValueError("Every effect needs a finite value and a standard error above 0.") from None
    if not all(math.isfinite(x) for x in effects + ses) or min(ses) <= 0:
        raise ValueError("Every effect needs a finite value and a standard error above 0.")
    w = [1 / se ** 2 for se in ses]
    fixed = sum(wi * y for wi, y in zip(w, effects)) / sum(w)
    q = sum(wi * (y - fixed) ** 2 for wi, y in zip(w, effects))
    df = len(effects) - 1
    # DerSimonian-Laird: tau² from Q, truncated at 0 when the studies vary less than chance
    # predicts (Q < k - 1); then the random-effects model is the fixed-effect model.
    tau2 = max(0.0, (q - df) / (sum(w) - sum(wi ** 2 for wi in w) / sum(w)))
    if method == "random":
        w = [1 / (se ** 2 + tau2) for se in ses]
    mean = sum(wi * y for wi, y in zip(w, effects)) / sum(w)
    se = math.sqrt(1 / sum(w))
    # I² = (Q - df) / Q, and 0 when Q <= df.
    i2_pct = 100.0 * (q - df) / q if q > df else 0.0
    return Pooled(ratio=math.exp(mean), ci_low=math.exp(mean - Z_95 * se),
                  ci_high=math.exp(mean + Z_95 * se), i2_pct=i2_pct, tau2=tau2, method=method,
                  k=len(effects), weights_pct=tuple(100.0 * wi / sum(w) for wi in w))
