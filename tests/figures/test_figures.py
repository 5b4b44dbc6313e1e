"""The shared plotly theme and the Chart contract."""
import base64
import json

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from ivigkit import dosing, formatting
from ivigkit.figures import tables, theme
from ivigkit.figures.dosing import dose_by_weight_chart


def chart(dose_g_per_kg=0.4, weight_kg=70.0):
    table = dosing.dose_by_weight(dose_g_per_kg, range(40, 151, 10))
    return dose_by_weight_chart(table, weight_kg=weight_kg, dose_g_per_kg=dose_g_per_kg,
                                        dose_g=dosing.dose_g(weight_kg, dose_g_per_kg))


def test_template_is_registered_and_readable_on_a_projector():
    template = pio.templates[theme.TEMPLATE_NAME]
    assert template.layout.font.size >= 16
    assert list(template.layout.colorway) == list(theme.PALETTE)


def test_palette_is_okabe_ito_without_duplicates():
    assert len(set(theme.PALETTE)) == len(theme.PALETTE)
    assert theme.PALETTE[:3] == ("#0072B2", "#E69F00", "#009E73")


@pytest.mark.parametrize("x_title", ["Weight", "Weight (kg", "(kg) Weight"])
def test_axis_titles_without_units_are_refused(x_title):
    with pytest.raises(ValueError, match="unit"):
        theme.new_figure(title="t", x_title=x_title, y_title="Dose (g)")


def test_axis_title_needs_label_and_unit():
    assert theme.axis_title("Weight", "kg") == "Weight (kg)"
    with pytest.raises(ValueError):
        theme.axis_title("Weight", " ")


def test_series_differ_by_more_than_colour():
    first, second = theme.series_style(0), theme.series_style(1)
    assert first["line"]["dash"] != second["line"]["dash"]
    assert first["marker"]["symbol"] != second["marker"]["symbol"]
    assert "line" not in theme.series_style(0, mode="markers")


def test_chart_has_units_template_and_summary_from_its_data():
    c = chart()
    assert c.figure.layout.xaxis.title.text == "Body weight (kg)"
    assert c.figure.layout.yaxis.title.text == "Dose (g)"
    assert c.figure.layout.template.layout.font.size == theme.FONT_SIZE
    assert "28 g" in c.summary and "16 g at 40 kg" in c.summary
    assert "56 g" in chart(weight_kg=140).summary
    assert list(c.table.columns) == ["Weight (kg)", "Dose (g)"]


def array(value) -> np.ndarray:
    """A plotly JSON array: a list, or plotly 6+'s typed array {"dtype", "bdata" (base64)}."""
    if isinstance(value, dict):
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
    return np.asarray(value)


def test_mime_bundle_is_plain_json_for_plotlys_renderer_without_the_logo():
    bundle = theme.mime_bundle(chart(dose_g_per_kg=1.0, weight_kg=80).figure)
    spec = json.loads(json.dumps(bundle))["data"][theme.PLOTLY_MIME]
    assert spec["config"]["displaylogo"] is False
    assert spec["layout"]["title"]["text"] == "Grams needed at 1 g/kg"
    assert array(spec["data"][0]["y"])[:2].tolist() == [40.0, 50.0] and len(spec["data"]) == 2
    assert bundle["data"]["text/plain"] == "<plotly figure: Grams needed at 1 g/kg>"


def test_table_and_summary_html_escape_text():
    c = theme.Chart(go.Figure(), "a <b> summary", chart().table)
    assert "&lt;b&gt;" in tables.summary_html(c)
    assert "<table" in tables.table_html(c.table)


@pytest.mark.parametrize("value, text", [(28.0, "28"), (28.25, "28.2"), (1234.5, "1,234.5"), (0.4, "0.4")])
def test_fmt(value, text):
    assert formatting.fmt(value) == text


def every_app_chart():
    """Each figure the apps draw, from the apps' first results (hidden tabs included)."""
    from ivigkit.apps.dose import DosingWeightApp, IgGApp, InfusionApp
    from ivigkit.apps.dose_cost import DoseCostApp
    from ivigkit.apps.course import CourseExplorerApp, CourseSimulatorApp
    from ivigkit.apps.evidence import EvidenceExplorerApp, timeline_panel
    from ivigkit.apps.mechanisms import FcRnApp, MechanismMapApp
    from ivigkit.apps.start import DoseArithmeticApp

    sim_app = DoseCostApp()
    charts = {f"DoseCostApp {t}": sim_app.chart(t, sim_app.result) for t in sim_app.CHART_TITLES}
    for app in (DoseArithmeticApp(), DosingWeightApp(), InfusionApp(), IgGApp()):
        charts[type(app).__name__] = app.panel.chart
    explorer = EvidenceExplorerApp(population="rrms", outcome="relapse_free")
    explorer.parallel_only.value = True  # pooled: the diamond trace too
    charts["EvidenceExplorerApp"] = explorer.panel.chart
    charts["timeline"] = timeline_panel().chart
    charts["CourseExplorerApp"] = CourseExplorerApp(years=3).panel.chart
    simulator = CourseSimulatorApp(years=3)
    simulator.treated.value = True  # the untreated median and avoided relapses too
    charts["CourseSimulatorApp"] = simulator.panel.chart
    charts["MechanismMapApp"] = MechanismMapApp().panel.chart
    charts["FcRnApp"] = FcRnApp().panel.chart
    return charts


def test_every_app_figure_passes_plotlys_validation_unchanged():
    # new_figure skips plotly's validation for speed; this is where a misspelt property fails.
    charts = every_app_chart()
    assert len(charts) == 13
    for name, chart in charts.items():
        validated = go.Figure(chart.figure.to_dict())  # validates; raises on an unknown property
        assert json.loads(pio.to_json(validated)) == json.loads(pio.to_json(chart.figure)), name
        assert validated.layout.template.layout.font.size == theme.FONT_SIZE, name


def test_validation_would_catch_a_misspelt_property():
    fig = theme.new_figure(title="t", x_title="x (kg)", y_title="y (g)")
    fig.add_scatter(x=[1], y=[2])
    spec = fig.to_dict()
    spec["data"][0]["colour"] = "red"
    with pytest.raises(ValueError, match="colour"):
        go.Figure(spec)


def test_the_simulators_summary_keeps_a_quarter_step_median():
    """EDSS moves in half steps, so a cohort's median can fall on a quarter (RRMS over 20 years,
    untreated: 9.25); the sentence must say what the band says, not a number rounded from it."""
    from ivigkit import course
    from ivigkit.figures.course import simulation_chart

    cohort = course.simulate_cohort("rrms", years=20)
    end = cohort.band.iloc[-1]
    chart = simulation_chart(course.simulate_patient("rrms", years=20), cohort, course="rrms")
    assert f"median simulated EDSS is {end['median']:g} " in chart.summary
    assert f"centile {end['p10']:g} to {end['p90']:g}" in chart.summary
