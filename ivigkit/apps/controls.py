"""Controls several apps share."""
from __future__ import annotations

import ipywidgets as widgets

from ivigkit import dosing
from ivigkit.apps.base import LABEL_STYLE

STYLE = dict(style=LABEL_STYLE)


class PatientControls:
    """Weight (kg or lb), height, sex, age and pregnancy: the patient every dosing app needs."""

    def __init__(self, weight: float = 70, height_cm: float = 170, sex: str = "female") -> None:
        self.weight = widgets.FloatText(value=weight, description="Weight",
                                        tooltip="Actual body weight, in the unit chosen beside it", **STYLE)
        self.unit = widgets.ToggleButtons(options=["kg", "lb"], value="kg", description="Unit",
                                          tooltip="Unit of the weight box", **STYLE)
        self.height = widgets.FloatText(value=height_cm, description="Height (cm)", **STYLE)
        self.sex = widgets.ToggleButtons(options=[("Female", "female"), ("Male", "male")], value=sex,
                                         description="Sex", tooltip="Sex, for the Devine formula", **STYLE)
        self.age = widgets.FloatText(value=35, description="Age (years)", **STYLE)
        self.pregnant = widgets.Checkbox(value=False, description="Pregnant", indent=False)
        self.all = [self.weight, self.unit, self.height, self.sex, self.age, self.pregnant]
        self.box = widgets.VBox([widgets.HBox([self.weight, self.unit]), self.height, self.sex,
                                 self.age, self.pregnant])

    def weight_kg(self) -> float:
        """The weight box in kg (converted from lb when that unit is chosen)."""
        return dosing.kg_from_lb(self.weight.value) if self.unit.value == "lb" else self.weight.value
