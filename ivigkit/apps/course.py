"""Apps of notebook 01: the course explorer, the disease-course simulator and the symptom map."""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

import ipywidgets as widgets
import pandas as pd

from ivigkit import course, data, trials
from ivigkit.apps.base import LABEL_STYLE, WIDE, App, FigurePanel, Readout, Shown, app_box
from ivigkit.apps.references import source_items_html
from ivigkit.figures.tables import table_html
from ivigkit.formatting import fmt
from ivigkit.figures.course import simulation_chart, typical_courses_chart

STYLE = dict(style=LABEL_STYLE)
TEACHING_NOTE = ('<p class="ivig-teaching-model"><b>Teaching model, not a prognosis.</b> The curves '
                 "show how relapses, recovery and progression add up under stated assumptions; no "
                 "one's MS follows them.</p>")
REGION_LABELS = {"optic_nerve": "Optic nerve", "brainstem": "Brainstem", "cerebellum": "Cerebellum",
                 "spinal_cord": "Spinal cord", "cerebrum": "Cerebrum (brain hemispheres)",
                 "several": "Several places"}


def course_card_html(course_id: str) -> str:
    """What a course is, how common, what happens, and what IVIG showed in it, with sources."""
    row = data.load("ms_courses").set_index("course_id").loc[course_id]
    labels = trials.study_labels()
    studies = ", ".join(escape(labels[s]) for s in data.source_ids(row["study_ids"]))
    return (
        f"<h4>{escape(row['name'])}</h4><p>{escape(row['definition'])}</p><ul>"
        f"<li><b>How common:</b> {escape(course.share_at_diagnosis(course_id))}.</li>"
        f"<li><b>Relapses:</b> {escape(row['relapses'])}</li>"
        f"<li><b>Progression:</b> {escape(row['progression'])}</li>"
        f"<li><b>What can happen next:</b> {escape(row['what_happens_next'])}</li>"
        f"<li><b>IVIG in this course</b> ({escape(row['ivig_result'])}): {escape(row['ivig_evidence'])} "
        f"<i>Studies:</i> {studies} (notebook 03 has their cards).</li></ul>"
        f"<p><small>Verified: <b>{escape(row['verified'])}</b>. Sources:</small></p>"
        f"<ul><small>{source_items_html([row['source_ids']])}</small></ul>")


@dataclass(frozen=True)
class CourseView:
    """What the course explorer shows for the chosen course: what IVIG showed in it (the
    `ivig_result` of data/ms_courses.csv) and its simulated cohort with the default settings."""

    course_id: str
    ivig_result: str
    cohort: course.Cohort


class CourseExplorerApp(Shown):
    """Choose a course: its card, beside the simulator's typical curve for every course.

    `result` is the chosen course's CourseView, so a prediction can read its `readouts`."""

    readouts = {"relapses": Readout("relapses per simulated patient over the chart's years", "relapses",
                                    lambda r: r.cohort.relapses_untreated),
                "median_edss_end": Readout("median simulated EDSS at the end of the chart", "EDSS points",
                                           lambda r: float(r.cohort.band["median"].iloc[-1])),
                "ivig_result": Readout("what IVIG showed in this course", "", lambda r: r.ivig_result)}

    def __init__(self, course_id: str = "rrms", years: float = 20.0) -> None:
        self.course = widgets.ToggleButtons(options=[(c.upper(), c) for c in course.COURSES],
                                            value=course_id, description="Course", **STYLE)
        self.card = widgets.HTML()
        self.card.add_class("ivig-card")
        self.simulated = widgets.HTML()
        self.simulated.add_class("ivig-result")
        self.cohorts = {c: course.simulate_cohort(c, years=years) for c in course.COURSES}
        self.panel = FigurePanel(typical_courses_chart({c: k.band for c, k in self.cohorts.items()}))
        self.result: CourseView | None = None
        self.course.observe(self._show, names="value")
        self.widget = app_box([self.course, self.card, widgets.HTML(TEACHING_NOTE),
                              self.simulated, self.panel.widget], "CourseExplorerApp")
        self._show()

    def _show(self, change=None) -> None:
        c = self.course.value
        self.card.value = course_card_html(c)
        row = data.load("ms_courses").set_index("course_id").loc[c]
        self.result = CourseView(c, row["ivig_result"], self.cohorts[c])
        self.simulated.value = simulated_course_html(self.result)


def simulated_course_html(view: CourseView) -> str:
    """The chosen course in the simulator, in words: relapses and the median EDSS at the end."""
    k = view.cohort
    return (f"<p><b>In the simulator</b>, {view.course_id.upper()} with its default settings over "
            f"{fmt(k.years, 0)} years ({k.patients} simulated patients): "
            f"<b>{fmt(k.relapses_untreated, 2)}</b> relapses per patient; median EDSS "
            f"<b>{fmt(float(k.band['median'].iloc[-1]), 2)}</b> at the end.</p>")


def treatment_options() -> list[tuple[str, str]]:
    """Rate ratios for the simulator's treatment: enter one, or take a trial's, from trials.csv."""
    options = [("Enter a rate ratio", "custom")]
    for r in trials.relapse_rate_ratios().itertuples():
        options.append((f"{r.study_label}: {fmt(r.ratio, 2)} ({fmt(r.ivig_rate_per_year, 2)} vs "
                        f"{fmt(r.control_rate_per_year, 2)} relapses a year)", r.row_id))
    return options


@dataclass(frozen=True)
class SimulationResult:
    path: course.PatientPath
    cohort: course.Cohort
    settings: course.CourseSettings


class CourseSimulatorApp(App):
    """One patient's EDSS path and the band of many, with and without a relapse-rate treatment."""

    readouts = {"relapses_untreated": Readout("relapses per patient, untreated", "relapses",
                                              lambda r: r.cohort.relapses_untreated),
                "relapses_treated": Readout("relapses per patient, treated", "relapses",
                                            lambda r: r.cohort.relapses_treated),
                "final_edss": Readout("this patient's EDSS in the last year", "EDSS points",
                                      lambda r: float(r.path.table["edss"].iloc[-1])),
                "median_edss_end": Readout("median EDSS of the simulated patients at the end", "EDSS points",
                                           lambda r: float(r.cohort.band["median"].iloc[-1]))}


    def __init__(self, course_id: str = "rrms", years: int = 10) -> None:
        super().__init__()
        self.course = widgets.Dropdown(options=[(course.COURSE_NAMES[c], c) for c in course.COURSES],
                                       value=course_id, description="Course", layout=WIDE, **STYLE)
        self.years = widgets.IntSlider(value=years, min=1, max=40, description="Years",
                                       continuous_update=False, **STYLE)
        self.rate = widgets.FloatText(description="Relapses per year (untreated)", **STYLE)
        self.recovery = widgets.FloatSlider(value=course.RECOVERY_FRACTION, min=0, max=1, step=0.05,
                                            description="Recovery after a relapse (share)",
                                            continuous_update=False, layout=WIDE, **STYLE)
        self.progression = widgets.FloatText(description="Progression (EDSS points per year)", **STYLE)
        self.transition = widgets.BoundedIntText(
            value=int(course.SPMS_TRANSITION_YEARS), min=0, max=60, **STYLE,
            description="RRMS turns progressive after (years; 0 = never)",
            tooltip="Only for the RRMS course: the year its secondary progressive phase starts")
        self.treated = widgets.Checkbox(value=False, description="Treatment on", indent=False)
        self.effect = widgets.Dropdown(options=treatment_options(), value="custom",
                                       description="Treatment effect", layout=WIDE, **STYLE)
        self.ratio = widgets.FloatText(value=0.5, description="Relapse rate ratio", **STYLE)
        self.seed = widgets.BoundedIntText(value=1, min=0, max=100_000, description="Patient number",
                                           tooltip="Another number gives another simulated patient",
                                           **STYLE)
        self.card = widgets.HTML()
        self.card.add_class("ivig-result")
        self.panel: FigurePanel | None = None
        self.holder = widgets.VBox()
        self._set_defaults()
        self.course.observe(self._set_defaults, names="value")  # before the update observer
        self.effect.observe(self._set_ratio, names="value")
        self.controls = [self.course, self.years, self.rate, self.recovery, self.progression,
                         self.transition, self.treated, self.effect, self.ratio, self.seed]
        self._finish(widgets.HTML(TEACHING_NOTE), self.card, self.holder)

    def _set_defaults(self, change=None) -> None:
        """A new course brings its default relapse rate and progression (the learner may edit)."""
        c = self.course.value
        self._quiet = True  # one update for the course change, not one per default set
        try:
            self.rate.value = course.RELAPSES_PER_YEAR[c]
            self.progression.value = course.PROGRESSION_EDSS_PER_YEAR[c]
        finally:
            self._quiet = False

    def update(self, change=None) -> None:
        if not getattr(self, "_quiet", False):
            super().update(change)

    def _set_ratio(self, change=None) -> None:
        if self.effect.value != "custom":
            self.ratio.value = round(trials.rate_ratio_of(self.effect.value), 2)

    def compute(self) -> SimulationResult:
        changes = dict(years=self.years.value, relapses_per_year=self.rate.value,
                       recovery_fraction=self.recovery.value,
                       progression_edss_per_year=self.progression.value,
                       spms_transition_years=self.transition.value or None,
                       rate_ratio=self.ratio.value if self.treated.value else 1.0, seed=self.seed.value)
        s = course.settings(self.course.value, **changes)
        return SimulationResult(course.simulate_patient(self.course.value, **changes),
                                course.simulate_cohort(self.course.value, **changes), s)

    def show(self, result: SimulationResult) -> None:
        self.card.value = result_html(result)
        chart = simulation_chart(result.path, result.cohort, course=result.settings.course)
        if self.panel is None:
            self.panel = FigurePanel(chart)
            self.holder.children = (self.panel.widget,)
        else:
            self.panel.update(chart)


def result_html(result: SimulationResult) -> str:
    """The simulation in words: relapses with and without the treatment, and what that means."""
    c, s = result.cohort, result.settings
    lines = [f"<b>Over {fmt(c.years, 0)} years</b> ({c.patients} simulated patients): "
             f"{fmt(c.relapses_untreated, 2)} relapses per patient untreated"]
    if s.rate_ratio != 1.0:
        lines[0] += f", {fmt(c.relapses_treated, 2)} with a rate ratio of {fmt(s.rate_ratio, 2)}"
        if c.patient_years_per_relapse_avoided is not None:
            lines.append(f"<b>Relapses avoided:</b> {fmt(c.relapses_avoided, 2)} per patient; "
                         f"{fmt(c.patient_years_per_relapse_avoided, 1)} patient-years of treatment "
                         "avoid one relapse")
        if c.nnt_relapse_free is not None:
            lines.append(f"<b>Relapse-free:</b> {fmt(c.relapse_free_untreated_pct, 0)} % untreated, "
                         f"{fmt(c.relapse_free_treated_pct, 0)} % treated: treat "
                         f"{fmt(c.nnt_relapse_free, 1)} patients for {fmt(c.years, 0)} years for one "
                         "more to stay relapse-free")
    if s.course == "cis" and result.path.converted_year is not None:
        lines.append(f"<b>This patient</b> converted to definite MS in year {fmt(result.path.converted_year, 1)}")
    return "<ul>" + "".join(f"<li>{line}</li>" for line in lines) + "</ul>"


@dataclass(frozen=True)
class SymptomSelection:
    """What the symptom map lists: the region chosen ("all" or a CNS region id) and its rows of
    data/symptoms.csv."""

    region: str
    rows: pd.DataFrame


class SymptomMapApp(Shown):
    """Symptoms by the part of the central nervous system behind them, the diagnostic tests,
    and how NMOSD differs from MS.

    `result` is the current SymptomSelection, so a prediction can read its `readouts`."""

    readouts = {"symptoms_listed": Readout("symptoms the map lists for this part of the CNS", "symptoms",
                                           lambda r: float(len(r.rows)))}

    def __init__(self) -> None:
        self.result: SymptomSelection | None = None
        self.symptoms = data.load("symptoms")
        regions = [r for r in course_regions() if r in set(self.symptoms["cns_region"])]
        self.region = widgets.ToggleButtons(
            options=[("All", "all")] + [(REGION_LABELS[r], r) for r in regions], value="all",
            description="Where in the CNS", **STYLE)
        self.table = widgets.HTML()
        self.region.observe(self._show, names="value")
        tests = data.load("diagnostics")
        nmosd = data.load("nmosd_vs_ms")
        # What never changes under the toggle, in one widget: the tests, NMOSD and the sources.
        self.reference = widgets.HTML(
            "<h4>Diagnostic tests</h4>" + table_html(tests[["test", "looks_for", "typical_finding_in_ms",
                                                            "role", "verified"]].rename(columns={
                "test": "Test", "looks_for": "Looks for", "typical_finding_in_ms": "Typical finding in MS",
                "role": "Role in diagnosis", "verified": "Verified"}))
            + "<h4>How NMOSD differs from MS</h4>" + table_html(nmosd[["feature", "ms", "nmosd", "verified"]]
                                                                .rename(columns={"feature": "Feature",
                                                                                 "ms": "MS", "nmosd": "NMOSD",
                                                                                 "verified": "Verified"}))
            + "<details><summary>Sources of these tables</summary><ul><small>"
            + source_items_html([*self.symptoms["source_ids"], *tests["source_ids"], *nmosd["source_ids"]])
            + "</small></ul></details>")
        self.widget = app_box([self.region, self.table, self.reference], "SymptomMapApp")
        self._show()

    def _show(self, change=None) -> None:
        rows = self.symptoms if self.region.value == "all" else \
            self.symptoms[self.symptoms["cns_region"] == self.region.value]
        self.result = SymptomSelection(self.region.value, rows)
        shown = rows.assign(where=rows["cns_region"].map(REGION_LABELS))
        self.table.value = (f"<p><b>{len(rows)}</b> of {len(self.symptoms)} symptoms listed.</p>"
                            + table_html(shown[["symptom", "where", "how_it_shows", "verified"]].rename(
                                columns={"symptom": "Symptom", "where": "Where in the CNS",
                                         "how_it_shows": "How it shows", "verified": "Verified"})))


def course_regions() -> list[str]:
    """The CNS regions in the order the map lists them."""
    return list(REGION_LABELS)
