"""The shared plotly theme and the Chart contract."""
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from ivigkit import dosing, figures


def chart(dose_g_per_kg=0.4, weight_kg=70.0):
    table = dosing.dose_by_weight(dose_g_per_kg, range(40, 151, 10))
    return figures.dose_by_weight_chart(table, weight_kg=weight_kg, dose_g_per_kg=dose_g_per_kg,
                                        dose_g=dosing.dose_g(weight_kg, dose_g_per_kg))


def test_template_is_registered_and_readable_on_a_projector():
    template = pio.templates[figures.TEMPLATE_NAME]
    assert template.layout.font.size >= 16
    assert list(template.layout.colorway) == list(figures.PALETTE)


def test_palette_is_okabe_ito_without_duplicates():
    assert len(set(figures.PALETTE)) == len(figures.PALETTE)
    assert figures.PALETTE[:3] == ("#0072B2", "#E69F00", "#009E73")


@pytest.mark.parametrize("x_title", ["Weight", "Weight (kg", "(kg) Weight"])
def test_axis_titles_without_units_are_refused(x_title):
    with pytest.raises(ValueError, match="unit"):
        figures.new_figure(title="t", x_title=x_title, y_title="Dose (g)")


def test_axis_title_needs_label_and_unit():
    assert figures.axis_title("Weight", "kg") == "Weight (kg)"
    with pytest.raises(ValueError):
        figures.axis_title("Weight", " ")


def test_series_differ_by_more_than_colour():
    first, second = figures.series_style(0), figures.series_style(1)
    assert first["line"]["dash"] != second["line"]["dash"]
    assert first["marker"]["symbol"] != second["marker"]["symbol"]
    assert "line" not in figures.series_style(0, mode="markers")


def test_chart_has_units_template_and_summary_from_its_data():
    c = chart()
    assert c.figure.layout.xaxis.title.text == "Body weight (kg)"
    assert c.figure.layout.yaxis.title.text == "Dose (g)"
    assert c.figure.layout.template.layout.font.size == figures.FONT_SIZE
    assert "28 g" in c.summary and "16 g at 40 kg" in c.summary
    assert "56 g" in chart(weight_kg=140).summary
    assert list(c.table.columns) == ["Weight (kg)", "Dose (g)"]


def test_widget_draws_the_figure_without_the_plotly_logo():
    widget = figures.to_widget(chart(dose_g_per_kg=1.0, weight_kg=80).figure)
    assert widget._config["displaylogo"] is False
    assert widget.layout.title.text == "Grams needed at 1 g/kg"
    assert list(widget.data[0].y[:2]) == [40.0, 50.0] and len(widget.data) == 2


def test_table_and_summary_html_escape_text():
    c = figures.Chart(go.Figure(), "a <b> summary", chart().table)
    assert "&lt;b&gt;" in figures.summary_html(c)
    assert "<table" in figures.table_html(c.table)


@pytest.mark.parametrize("value, text", [(28.0, "28"), (28.25, "28.2"), (1234.5, "1,234.5"), (0.4, "0.4")])
def test_fmt(value, text):
    assert figures.fmt(value) == text
