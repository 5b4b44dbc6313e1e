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
    assert box.compare_button.disabled and box.committed is None
    box.answer.value = "30"
    box.commit_button.click()
    assert box.committed == 30.0 and box.answer.disabled and not box.compare_button.disabled
    assert "Committed: <b>30 g</b>" in box.message.value and box.committed_at.endswith("Z")
    app.weight.value = 80  # the learner moves the app
    box.compare_button.click()
    assert box.comparisons == [(30.0, pytest.approx(32.0))]
    assert "the app shows <b>32 g</b>" in box.result.value and "off by 2 g" in box.result.value
    assert "too low" in box.result.value


@pytest.mark.parametrize("typed", ["", "about thirty", "3,2"])
def test_a_prediction_that_is_not_a_number_is_explained_not_committed(typed):
    box = predict(DoseArithmeticApp(), "dose_g", "How many grams?")
    box.answer.value = typed
    box.commit_button.click()
    assert box.committed is None and "ivig-error" in box.message.value and "as a number" in box.message.value
    assert not box.answer.disabled and box.compare_button.disabled


def test_a_chosen_prediction_and_a_word_readout():
    app = EvidenceExplorerApp(population="rrms", outcome="relapse_free")
    box = predict(app, "pooled_ratio", "Will these trials be pooled?", choices=("not pooled",))
    box.commit_button.click()
    assert box.committed is None and "Choose your prediction" in box.message.value
    box.answer.value = "not pooled"
    box.commit_button.click()
    box.compare_button.click()
    assert "the same." in box.result.value or "not what you predicted" in box.result.value


def test_an_unknown_readout_is_named():
    with pytest.raises(ValueError, match="has no readout 'grams'; it has dose_g"):
        predict(DoseArithmeticApp(), "grams", "?")
