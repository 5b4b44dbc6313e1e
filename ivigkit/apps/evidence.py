"""Apps of notebook 03: the evidence explorer (forest plot, pooling, study card), the trial
timeline and the claim checker."""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

import ipywidgets as widgets
import pandas as pd

from ivigkit import trials
from ivigkit.apps.base import LABEL_STYLE, WIDE, App, FigurePanel, Readout, Shown, app_box
from ivigkit.apps.references import source_items_html
from ivigkit.evidence import Pooled
from ivigkit.figures.theme import Chart
from ivigkit.formatting import fmt
from ivigkit.figures.evidence import MEASURE_NAMES, forest_chart, timeline_chart

STYLE = dict(style=LABEL_STYLE)
ALL = "all"
VERDICT_LABELS = {"supported": "Supported", "partly_supported": "Partly supported",
                  "not_supported": "Not supported", "wrong_number": "Wrong number",
                  "wrong_detail": "Wrong detail"}
#: The verdicts as a learner chooses them in a prediction box (predict(..., choices=VERDICT_CHOICES)).
VERDICT_CHOICES = tuple(VERDICT_LABELS.values())
TEACHING_POINTS = {
    "sample_size": "Small samples: chance alone moves results a lot.",
    "crossover": "Crossover designs compare each patient with themselves; they are not parallel groups.",
    "surrogate_endpoint": "MRI lesions are a surrogate endpoint, not what patients feel.",
    "primary_vs_secondary": "A secondary endpoint can support, not prove, a benefit.",
    "subgroup": "A result in a subgroup is a hypothesis, not a finding.",
    "units": "Check the units: per month and per year differ twelvefold.",
    "publication_bias": "Small positive studies get published more often than small negative ones.",
    "observational_vs_randomised": "Without randomisation, the groups may differ in more than the treatment.",
    "levels_of_evidence": "Case series and before/after comparisons are the weakest evidence.",
    "wrong_attribution": "Check who did the study: the name, country and year.",
}


def _label(mapping: dict, key) -> str:
    return mapping.get(key, str(key))


def _value(row: pd.Series, column: str) -> str:
    value = row.get(column)
    return "" if value is None or pd.isna(value) else str(value)


def study_card_html(study_id: str) -> str:
    """Everything the table holds about one study, endpoint by endpoint, with sources."""
    rows = trials.study_rows(study_id)
    lead = rows.iloc[0]
    n = " / ".join(f"{_value(lead, c)}" for c in ("n_ivig", "n_control") if _value(lead, c))
    size = (f"{n} (IVIG / control)" if n else "") or (f"{_value(lead, 'n_total')} in total"
                                                       if _value(lead, "n_total") else "not reported")
    parts = [f"<h4>{escape(lead['study_label'])}, {int(lead['year'])}</h4>",
             f"<p><b>Design:</b> {escape(lead['design_text'])} "
             f"({escape(trials.DESIGN_LABELS[lead['design']])}). "
             f"<b>Population:</b> {escape(lead['population_text'])}. <b>Patients:</b> {escape(size)}.</p>",
             f"<p><b>IVIG:</b> {escape(_value(lead, 'regimen') or 'not reported')}. "
             f"<b>Compared with:</b> {escape(_value(lead, 'comparator') or 'not reported')}.</p><ul>"]
    for _, row in rows.iterrows():
        effect, basis = trials.row_effect(row)
        arms = " vs ".join(v for v in (_value(row, "ivig_value"), _value(row, "control_value")) if v)
        line = (f"<b>{escape(row['endpoint'])}</b>"
                f"{' (primary endpoint)' if row['primary'] == 'yes' else ''}: "
                f"{escape(arms) if arms else 'values not reported'}")
        if effect is not None:
            ci = (f" (95 % CI {fmt(effect.ci_low, 2)} to {fmt(effect.ci_high, 2)})"
                  if effect.ci_low is not None else "")
            line += f"; {MEASURE_NAMES[effect.measure]} {fmt(effect.ratio, 2)}{ci}, {escape(basis)}"
        elif _value(row, "effect"):
            line += f"; {escape(row['effect_measure'].replace('_', ' '))} {fmt(row['effect'], 2)}"
        if _value(row, "p_value"):
            line += f"; p {escape(_value(row, 'p_value'))}"
        line += (f". {escape(row['conclusion'])} <small>(verified: <b>{escape(row['verified'])}</b>; "
                 f"sources below)</small>")
        parts.append(f"<li>{line}</li>")
    parts.append(f"</ul><p><small>Sources:</small></p><ul><small>{source_items_html(rows['source_ids'])}"
                 "</small></ul>")
    return "".join(parts)


@dataclass(frozen=True)
class ExplorerResult:
    rows: pd.DataFrame           # trials.effects() of the selection
    pooled: Pooled | None
    pooling_note: str            # why the selection was or was not pooled
    chart: Chart
    study_ids: tuple[str, ...]   # studies in the selection (any row, with or without a ratio)


class EvidenceExplorerApp(App):
    """Filter the trials by population and outcome, see their ratios in a forest plot, pool
    them when that is sound, and read any study's card."""

    readouts = {"pooled_ratio": Readout("pooled ratio", "", lambda r: r.pooled.ratio if r.pooled else "not pooled"),
                "studies": Readout("studies in the selection", "studies", lambda r: float(len(r.study_ids))),
                "one_ratio": Readout("ratio of the one result in the selection", "", lambda r: _one_ratio(r.rows))}

    def __init__(self, population: str = "rrms", outcome: str = "relapse_free") -> None:
        super().__init__()
        self.population = widgets.Dropdown(
            options=[("All populations", ALL)] + [(v, k) for k, v in trials.POPULATION_LABELS.items()],
            value=population, description="Population", layout=WIDE, **STYLE)
        self.outcome = widgets.Dropdown(
            options=[("All outcomes", ALL)] + [(v, k) for k, v in trials.OUTCOME_LABELS.items()],
            value=outcome, description="Outcome", layout=WIDE, **STYLE)
        self.method = widgets.ToggleButtons(
            options=[("Random effects (DerSimonian-Laird)", "random"), ("Fixed effect", "fixed")],
            value="random", description="Pooling", **STYLE)
        self.parallel_only = widgets.Checkbox(
            value=False, description="Parallel-group randomised trials only", indent=False,
            tooltip="Leave out crossover, observational and other designs (the ones not pooled)")
        self.study = widgets.Dropdown(description="Study card", layout=WIDE, **STYLE)
        self.pooling = widgets.HTML()
        self.pooling.add_class("ivig-result")
        self.card = widgets.HTML()
        self.card.add_class("ivig-card")
        self.panel: FigurePanel | None = None
        self.holder = widgets.VBox()
        self.controls = [self.population, self.outcome, self.parallel_only, self.method]
        self.study.observe(self._show_card, names="value")
        self._finish(self.pooling, self.holder, self.study, self.card)

    def compute(self) -> ExplorerResult:
        population = None if self.population.value == ALL else self.population.value
        outcome = None if self.outcome.value == ALL else self.outcome.value
        selection = trials.select(population, outcome, parallel_only=self.parallel_only.value)
        if selection.empty:
            raise ValueError("No study in the table has this population and outcome; "
                             "choose another combination.")
        rows = trials.effects(selection)
        try:
            pooled = trials.pool_rows(rows, self.method.value)
            note = (f"Pooled {pooled.k} parallel-group randomised trials ({pooled.method} effects): "
                    f"ratio {fmt(pooled.ratio, 2)} (95 % CI {fmt(pooled.ci_low, 2)} to "
                    f"{fmt(pooled.ci_high, 2)}), I² {fmt(pooled.i2_pct, 0)} %, "
                    f"tau² {fmt(pooled.tau2, 3)}.")
        except ValueError as why:
            pooled, note = None, f"Not pooled. {why}"
        title = (f"{_label(trials.POPULATION_LABELS, population) if population else 'All populations'}"
                 f": {_label(trials.OUTCOME_LABELS, outcome) if outcome else 'all outcomes'}")
        return ExplorerResult(rows, pooled, note, forest_chart(rows, pooled, title=title),
                              tuple(dict.fromkeys(selection["study_id"])))

    def show(self, result: ExplorerResult) -> None:
        self.pooling.value = f"<p>{escape(result.pooling_note)}</p>"
        if self.panel is None:
            self.panel = FigurePanel(result.chart)
            self.holder.children = (self.panel.widget,)
        else:
            self.panel.update(result.chart)
        labels = trials.study_labels()
        self.study.options = [(labels[s], s) for s in result.study_ids]

    def _show_card(self, change=None) -> None:
        self.card.value = study_card_html(self.study.value) if self.study.value else ""


def _one_ratio(rows: pd.DataFrame) -> float | str:
    """The ratio of the selection's only result with a ratio (as trials.effects() gives it), or
    a word saying there is not exactly one."""
    ratios = rows["ratio"].dropna()
    if len(ratios) != 1:
        return f"{len(ratios)} results with a ratio: choose a selection with one"
    return float(ratios.iloc[0])


def _plotted_trials(timeline: pd.DataFrame, result: str) -> float:
    """How many parallel-group randomised trials with a reported size (those the figure plots)
    had this result: a count of the model's rows, as the sentence under the figure gives it."""
    plotted = timeline[timeline["n"].notna() & (timeline["design"] == "rct_parallel")]
    return float((plotted["result"] == result).sum())


class TimelinePanel(FigurePanel):
    """The trials by year and size. `result` is the model's timeline (one row per study), so a
    learner can predict what the figure shows before looking."""

    readouts = {"negative_trials": Readout("negative parallel-group randomised trials in the figure",
                                           "trials", lambda t: _plotted_trials(t, "negative")),
                "positive_trials": Readout("positive parallel-group randomised trials in the figure",
                                           "trials", lambda t: _plotted_trials(t, "positive"))}

    def __init__(self) -> None:
        self.result = trials.timeline()
        super().__init__(timeline_chart(self.result))
        self.widget.add_class("ivig-app-Timeline")


def timeline_panel() -> TimelinePanel:
    """The trials by year and size (a figure with its summary and data table)."""
    return TimelinePanel()


class ClaimCheckApp(Shown):
    """Read a claim from a web article, choose a verdict, then see the evidence.

    The verdict and explanation are only put on the page after "Show the evidence". `result` is
    the claim shown (its row of data/claims.csv), kept in the kernel for a prediction box."""

    readouts = {"verdict": Readout("the evidence's verdict on the claim shown", "",
                                   lambda row: VERDICT_LABELS[row["verdict"]])}

    def __init__(self) -> None:
        self.table = trials.claims()
        self.result: pd.Series | None = None
        self.claim = widgets.Dropdown(options=[(c.claim[:90], c.claim_id) for c in self.table.itertuples()],
                                      description="Claim", layout=WIDE, **STYLE)
        self.text = widgets.HTML()
        self.verdict = widgets.RadioButtons(options=[(v, k) for k, v in VERDICT_LABELS.items()],
                                            value=None, description="Your verdict", **STYLE)
        self.reveal = widgets.Button(description="Show the evidence", button_style="primary",
                                     icon="search", tooltip="Compare your verdict with the evidence")
        self.message = widgets.HTML()
        self.message.add_class("ivig-message")
        self.feedback = widgets.HTML()
        self.feedback.add_class("ivig-card")
        self.claim.observe(self._new_claim, names="value")
        self.reveal.on_click(self._reveal)
        self.widget = app_box([self.claim, self.text, self.verdict, self.reveal, self.message,
                              self.feedback], "ClaimCheckApp")
        self._new_claim()

    def _row(self) -> pd.Series:
        return self.table.set_index("claim_id").loc[self.claim.value]

    def _new_claim(self, change=None) -> None:
        row = self.result = self._row()
        self.text.value = (f"<blockquote>{escape(row['claim'])}</blockquote>"
                           f"<p><small>From the seed article(s) {escape(row['article'])}.</small></p>")
        self.verdict.value = None
        self.message.value = self.feedback.value = ""

    def _reveal(self, button=None) -> None:
        if self.verdict.value is None:
            self.message.value = ('<div class="ivig-error" role="alert">&#9888; Choose a verdict '
                                  "first, then show the evidence.</div>")
            return
        self.message.value = ""
        row = self._row()
        right = self.verdict.value == row["verdict"]
        studies = trials.claim_study_ids(row)
        labels = trials.study_labels()
        study_list = ", ".join(escape(labels[s]) for s in studies) or "no trial in the table"
        self.feedback.value = (
            f"<p><b>{'Yes' if right else 'Not quite'}</b>: the evidence says "
            f"<b>{VERDICT_LABELS[row['verdict']]}</b>"
            f"{'' if right else f' (you chose {VERDICT_LABELS[self.verdict.value].lower()})'}.</p>"
            f"<p>{escape(row['explanation'])}</p>"
            f"<p><b>Studies that decide it:</b> {study_list}. Open them in the study card above.</p>"
            f"<p><b>Lesson:</b> {escape(TEACHING_POINTS[row['teaching_point']])}</p>"
            f"<p><small>Verified: <b>{escape(row['verified'])}</b>. Sources:</small></p>"
            f"<ul><small>{source_items_html([row['source_ids']])}</small></ul>")
