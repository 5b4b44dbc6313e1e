"""Numbers and durations as a student reads them (no plotly, no widgets: models may use it)."""
from __future__ import annotations


def fmt(value: float, digits: int = 1) -> str:
    """Numbers as a student reads them: no trailing '.0', thousands separated."""
    text = f"{value:,.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def hours_minutes(minutes: float) -> str:
    """142.3 -> '2 h 22 min'."""
    hours, mins = divmod(int(round(minutes)), 60)
    return f"{hours} h {mins:02d} min" if hours else f"{mins} min"
