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


# --- Predict first: the readouts of notebook 03's panels, read from each panel's current result ---

def test_timeline_readouts_count_what_the_sentence_under_the_figure_says():
    from ivigkit.apps.predict import predict

    panel = timeline_panel()
    line = trials.timeline()
    assert panel.result.equals(line)
    negative = panel.readouts["negative_trials"].read(panel.result)
    positive = panel.readouts["positive_trials"].read(panel.result)
    plotted = line[line["n"].notna() & (line["design"] == "rct_parallel")]
    assert negative == (plotted["result"] == "negative").sum() and isinstance(negative, float)
    assert f"{positive:.0f} positive parallel-group" in panel.summary.value
    assert f"{negative:.0f} negative parallel-group" in panel.summary.value
    box = predict(panel, "negative_trials", "How many of the parallel-group trials were negative?")
    box.answer.value = "2"
    box.button.click()
    box.button.click()
    assert box.comparisons == [(2.0, negative)]
    assert f"the app shows <b>{negative:.0f} trials</b>" in box.message.value and "too low" in box.message.value


def test_one_ratio_reads_the_only_result_of_a_selection():
    from ivigkit.apps.predict import predict

    app = EvidenceExplorerApp(population="cis", outcome="cdms_conversion")  # the paper's ratio and ours
    assert "2 results with a ratio" in app.readouts["one_ratio"].read(app.result)
    box = predict(app, "one_ratio", "ESIMS: what hazard ratio for progression?")
    box.answer.value = "1"
    box.button.click()
    app.population.value, app.outcome.value = "spms", "disability"
    esims = trials.effects(trials.select("spms", "disability"))
    assert list(esims["study_id"]) == ["esims_2004"]
    assert app.readouts["one_ratio"].read(app.result) == pytest.approx(esims["ratio"].iloc[0])
    box.button.click()
    assert box.comparisons == [(1.0, pytest.approx(esims["ratio"].iloc[0]))]
    assert "too low" in box.message.value


def test_the_fixed_effect_prediction_reads_the_pooled_ratio(explorer):
    from ivigkit.apps.predict import predict

    box = predict(explorer, "pooled_ratio", "With a fixed effect, what pooled risk ratio?")
    box.answer.value = "3"
    box.button.click()
    assert explorer.readouts["pooled_ratio"].read(explorer.result) == "not pooled"
    explorer.parallel_only.value = True
    explorer.method.value = "fixed"
    pooled = trials.pool_rows(trials.effects(trials.select("rrms", "relapse_free", parallel_only=True)), "fixed")
    box.button.click()
    assert box.comparisons == [(3.0, pytest.approx(pooled.ratio))]


def test_claim_checker_result_is_the_claim_shown_and_its_verdict_a_readout():
    from ivigkit.apps.evidence import VERDICT_CHOICES, VERDICT_LABELS
    from ivigkit.apps.predict import predict

    app = ClaimCheckApp()
    table = app.table.set_index("claim_id")
    assert app.result.name == app.claim.value
    first = VERDICT_LABELS[table.loc[app.claim.value, "verdict"]]
    assert app.readouts["verdict"].read(app.result) == first and first in VERDICT_CHOICES
    box = predict(app, "verdict", "What verdict will the evidence give?", choices=VERDICT_CHOICES)
    box.answer.value = first
    box.button.click()
    box.button.click()
    assert box.comparisons == [(first, first)] and "the same." in box.message.value
    other = next(c for c in table.index if table.loc[c, "verdict"] != table.loc[app.claim.value, "verdict"])
    app.claim.value = other
    assert app.result.name == other
    assert app.readouts["verdict"].read(app.result) == VERDICT_LABELS[table.loc[other, "verdict"]]
    box.button.click()
    assert "not what you predicted" in box.message.value
    # The verdict stays in the kernel: no widget holds it before "Show the evidence".
    assert table.loc[other, "explanation"][:40] not in json.dumps([w.get_state() for w in (app.text, app.feedback)])
