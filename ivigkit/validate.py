"""Input checks that raise ValueError with a sentence a student understands."""
from __future__ import annotations

import math


def number_in_range(name: str, value, low: float, high: float, unit: str) -> float:
    """Return `value` as a float if low <= value <= high, else explain what is wrong.

    >>> number_in_range("Weight", -5, 2, 300, "kg")
    Traceback (most recent call last):
    ...
    ValueError: Weight must be between 2 and 300 kg; got -5.
    """
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number in {unit}; got '{value}'.") from None
    if not math.isfinite(number) or not low <= number <= high:
        raise ValueError(f"{name} must be between {low:g} and {high:g} {unit}; got {number:g}.")
    return number
