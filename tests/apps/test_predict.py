"""Predict, commit, then check (ivigkit.apps.predict), headless."""
from __future__ import annotations

import pytest

from ivigkit.apps.course import CourseSimulatorApp
from ivigkit.apps.dose import DosingWeightApp, IgGApp, InfusionApp
from ivigkit.apps.dose_cost import DoseCostApp
from ivigkit.apps.evidence import EvidenceExplorerApp
from ivigkit.apps.mechanisms import FcRnApp
from ivigkit.apps.predict import predict
from ivigkit.apps.safety import InfusionDayApp, ScreeningApp
from ivigkit.apps.start import DoseArithmeticApp

APPS = [DoseArithmeticApp, DosingWeightApp, InfusionApp, IgGApp, DoseCostApp, FcRnApp,
        CourseSimulatorApp, EvidenceExplorerApp, ScreeningApp, InfusionDayApp]


@pytest.mark.parametrize("make", APPS, ids=[a.__name__ for a in APPS])
def test_every_readout_reads_the_apps_first_result(make):
    app = make()
    assert app.readouts, f"{make.__name__} offers nothing to predict"
    for name, readout in app.readouts.items():
        value = readout.read(app.result)
        assert isinstance(value, (float, int, str)), (name, value)
        assert readout.label


def test_commit_locks_the_prediction_and_compare_reads_the_app():
    app = DoseArithmeticApp(weight_kg=70, dose_g_per_kg=0.4)
    box = predict(app, "dose_g", "How many grams is one dose for 80 kg?")
    assert box.committed is None and box.message is None and box.button.description.startswith("Commit")
    box.answer.value = "30"
    box.button.click()
    assert box.committed == 30.0 and box.answer.disabled and box.button.description == "Compare with the app"
    assert "Committed: <b>30 g</b>" in box.message.value and box.committed_at.endswith("Z")
    box.answer.value = "32"  # a locked box keeps what was committed
    app.weight.value = 80  # the learner moves the app
    box.button.click()
    assert box.comparisons == [(30.0, pytest.approx(32.0))]
    assert "the app shows <b>32 g</b>" in box.message.value and "off by 2 g" in box.message.value
    assert "too low" in box.message.value


@pytest.mark.parametrize("typed", ["", "about thirty", "3,2"])
def test_a_prediction_that_is_not_a_number_is_explained_not_committed(typed):
    box = predict(DoseArithmeticApp(), "dose_g", "How many grams?")
    box.answer.value = typed
    box.button.click()
    assert box.committed is None and "ivig-error" in box.message.value and "as a number" in box.message.value
    assert not box.answer.disabled and box.button.description.startswith("Commit")


def test_a_chosen_prediction_and_a_word_readout():
    app = EvidenceExplorerApp(population="rrms", outcome="relapse_free")
    box = predict(app, "pooled_ratio", "Will these trials be pooled?", choices=("not pooled",))
    box.button.click()
    assert box.committed is None and "Choose your prediction" in box.message.value
    box.answer.value = "not pooled"
    box.button.click()
    box.button.click()
    assert "the same." in box.message.value or "not what you predicted" in box.message.value


def test_an_unknown_readout_is_named():
    with pytest.raises(ValueError, match="has no readout 'grams'; it has dose_g"):
        predict(DoseArithmeticApp(), "grams", "?")


def test_a_box_is_a_few_widget_models_until_used():
    """A box in every "Try it" must not weigh a page down: one field, one button and their row."""
    from ipywidgets.widgets.widget import _instances  # the kernel's live widget models, by id

    app = DoseArithmeticApp()
    before = set(_instances)
    predict(app, "dose_g", "How many grams?")
    made = len(set(_instances) - before)
    assert made <= 8, f"an untouched prediction box made {made} widget models"
