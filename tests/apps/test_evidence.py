"""Headless tests of notebook 03's apps: set controls, read the pooling line, plot and cards."""
import json

import pytest

from ivigkit import trials
from ivigkit.apps.evidence import ClaimCheckApp, EvidenceExplorerApp, study_card_html, timeline_panel


@pytest.fixture
def explorer():
    return EvidenceExplorerApp(population="rrms", outcome="relapse_free")


def plotted_labels(app):
    return list(app.panel.figure.data[0].y)


def test_filters_change_the_forest_plot_and_the_study_list(explorer):
    before = plotted_labels(explorer)
    assert any("crossover" in label.lower() for label in before)
    explorer.population.value = "spms"
    explorer.outcome.value = "disability"
    after = plotted_labels(explorer)
    assert after != before and any("ESIMS" in label for label in after)
    assert "esims_2004" in [value for _, value in explorer.study.options]


def test_the_crossover_blocks_pooling_and_the_reason_is_shown(explorer):
    assert explorer.result.pooled is None
    assert "Not pooled" in explorer.pooling.value and "crossover" in explorer.pooling.value
    assert len(explorer.panel.figure.data) == 1  # no pooled diamond


def test_parallel_trials_only_pools_and_draws_the_diamond(explorer):
    explorer.parallel_only.value = True
    random = explorer.result.pooled
    assert random is not None and random.method == "random" and random.k >= 2
    assert "Pooled" in explorer.pooling.value and "I²" in explorer.pooling.value
    assert len(explorer.panel.figure.data) == 2
    assert explorer.panel.figure.data[1].x[0] == pytest.approx(random.ratio)
    explorer.method.value = "fixed"
    assert explorer.result.pooled.method == "fixed"
    assert "fixed effects" in explorer.pooling.value


def test_an_empty_selection_is_explained_and_the_last_plot_stays(explorer):
    explorer.population.value = "nmosd"  # rows, but none a ratio can be formed from
    assert "No study in this selection reports a ratio" in explorer.panel.summary.value
    figure = explorer.panel.figure
    explorer.outcome.value = "visual_function"
    assert "No study in the table" in explorer.message.value
    assert explorer.panel.figure is figure


def test_study_card_shows_every_endpoint_with_verification_and_sources():
    html = study_card_html("aims_1997")
    rows = trials.study_rows("aims_1997")
    assert html.count("<li><b>") == len(rows)
    assert "primary endpoint" in html and "verified:" in html
    assert "Fazekas" in html  # the reference list
    with pytest.raises(ValueError, match="no study"):
        study_card_html("not_a_study")


def test_choosing_a_study_fills_the_card(explorer):
    explorer.study.value = explorer.study.options[-1][1]
    assert explorer.card.value.startswith("<h4>")


def test_timeline_marks_each_study_once():
    panel = timeline_panel()
    plotted = sum(len(trace.x) for trace in panel.figure.data)
    line = trials.timeline()
    assert plotted == line["n"].notna().sum()
    assert "studies from" in panel.summary.value


def test_claim_checker_hides_the_verdict_until_asked():
    app = ClaimCheckApp()
    claim = app.table.set_index("claim_id").loc[app.claim.value]
    state = json.dumps([w.get_state() for w in (app.text, app.feedback, app.verdict, app.claim)])
    assert claim["explanation"][:40] not in state
    app.reveal.click()
    assert "Choose a verdict first" in app.message.value and app.feedback.value == ""
    app.verdict.value = claim["verdict"]
    app.reveal.click()
    assert app.message.value == ""
    assert app.feedback.value.startswith("<p><b>Yes</b>")
    assert claim["explanation"][:40].replace("'", "&#x27;") in app.feedback.value or \
        claim["explanation"][:20] in app.feedback.value


def test_a_wrong_verdict_is_corrected_and_a_new_claim_resets():
    app = ClaimCheckApp()
    truth = app.table.set_index("claim_id").loc[app.claim.value, "verdict"]
    app.verdict.value = next(v for _, v in app.verdict.options if v != truth)
    app.reveal.click()
    assert app.feedback.value.startswith("<p><b>Not quite</b>")
    app.claim.value = app.claim.options[1][1]
    assert app.feedback.value == "" and app.verdict.value is None
