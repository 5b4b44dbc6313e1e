"""Printable handouts: one self-contained HTML file and one PDF per notebook, offline.

    python -m tools.handouts                       # every teaching notebook -> artifacts/handouts/
    python -m tools.handouts notebooks/03_evidence.ipynb --no-pdf

Each notebook is executed (nbclient, with the apps' widget state kept), so the worked examples carry
their numbers and the apps their first results. Then every app is turned into static content: the
settings it opened with, its cards and sentences, and its figures drawn by the plotly.js bundled in
the plotly wheel (written once into each file, so the page needs nothing from any server). The
self-check becomes its questions with boxes to tick; the tasks of each "Try it" get space to answer,
and their answers move to the end. nbconvert's "basic" HTML template converts the notebook without
its code, and a small page around it adds the print style and plotly.js. Debian's Chromium, the one
the browser tests drive, prints the PDF once every figure is drawn, with every request that is not a
local file refused.
"""
from __future__ import annotations

import argparse
import html
import json
import re
import sys
from datetime import date
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"
OUT = REPO / "artifacts" / "handouts"
PLOTLY_MIME = "application/vnd.plotly.v1+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
#: Widgets a learner sets: shown as "setting: value" lines, never as controls.
_CONTROLS = {"FloatSliderModel", "IntSliderModel", "FloatTextModel", "IntTextModel", "BoundedFloatTextModel",
             "BoundedIntTextModel", "DropdownModel", "ToggleButtonsModel", "RadioButtonsModel", "CheckboxModel",
             "SelectionSliderModel", "SelectModel", "TextModel", "FloatLogSliderModel"}
_SKIP = {"ButtonModel", "ToggleButtonModel", "LayoutModel"}
_DETAILS = re.compile(r"<details>\s*<summary>(.*?)</summary>(.*?)</details>", re.S | re.I)
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$", re.M)

CSS = """
body.handout { font-family: "DejaVu Serif", Georgia, serif; font-size: 11pt; line-height: 1.45; color: #111;
  max-width: 46em; margin: 2em auto; padding: 0 1em; }
.handout h1 { font-size: 20pt; } .handout h2 { font-size: 15pt; margin-top: 1.6em; }
.handout h3 { font-size: 12.5pt; } .handout table { border-collapse: collapse; margin: 0.6em 0; font-size: 9.5pt; }
.handout th, .handout td { border: 1px solid #bbb; padding: 2px 6px; vertical-align: top; }
.handout pre { background: #f4f4f4; padding: 6px 8px; white-space: pre-wrap; font-size: 10pt; }
.handout-meta { font-size: 9pt; color: #555; border-bottom: 1px solid #999; padding-bottom: 4px; }
.handout-app { border-left: 3px solid #0072B2; padding-left: 10px; margin: 0.8em 0; }
.handout-settings { font-size: 9.5pt; color: #333; }
.handout-figure { width: 100%; page-break-inside: avoid; break-inside: avoid; }
ol.tasks > li { padding-bottom: 5.5em; border-bottom: 1px dotted #888; margin-bottom: 0.6em; }
.handout-quiz ol > li { margin-bottom: 1.2em; page-break-inside: avoid; }
.handout-quiz ul { list-style: none; padding-left: 0.5em; } .handout-quiz ul li::before { content: "\\2610  "; }
.handout-number { display: inline-block; min-width: 8em; border-bottom: 1px solid #444; }
.handout-answers { page-break-before: always; }
details > summary { font-weight: bold; }
.anchor-link { display: none; }
@page { size: A4; margin: 16mm 14mm; }
@media print { body.handout { margin: 0; max-width: none; } a { color: inherit; text-decoration: none; } }
"""


# ----------------------------------------------------------------------------- executing

def execute(path: Path, timeout_s: int = 120) -> nbformat.NotebookNode:
    """The notebook run top to bottom in its folder, with the widgets' state kept."""
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=timeout_s, kernel_name="python3", store_widget_state=True,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return nb


# ----------------------------------------------------------------------------- apps to static HTML

class Figures:
    """Numbers the figures of one handout and writes each as a plotly.newPlot call."""

    def __init__(self) -> None:
        self.count = 0

    def html(self, spec: dict) -> str:
        self.count += 1
        # Page-sized: the apps' fonts are for the back of a lecture hall, a page is read at arm's length.
        layout = {**spec.get("layout", {}), "width": 680, "font": {"size": 11},
                  "title": {**spec.get("layout", {}).get("title", {}), "font": {"size": 14}}}
        fig_id = f"handout-figure-{self.count}"
        payload = json.dumps({"data": spec.get("data", []), "layout": layout}).replace("</", "<\\/")
        return (f'<div class="handout-figure" id="{fig_id}"></div><script>(function(){{var f={payload};'
                f'Plotly.newPlot("{fig_id}", f.data, f.layout, {{staticPlot: true, displayModeBar: false}});'
                "})();</script>")


def _label(state: dict) -> str:
    return html.escape((state.get("description") or "").rstrip(":"))


def _control_value(name: str, state: dict) -> str | None:
    if name == "CheckboxModel":
        return "yes" if state.get("value") else "no"
    labels = state.get("_options_labels")
    if labels is not None:
        index = state.get("index")
        if isinstance(index, list):
            return ", ".join(labels[i] for i in index) or "none"
        return labels[index] if isinstance(index, int) and 0 <= index < len(labels) else "none"
    value = state.get("value")
    if value in (None, ""):
        return None
    return f"{value:g}" if isinstance(value, float) else str(value)


def _hidden(state: dict, models: dict) -> bool:
    layout = models.get(str(state.get("layout", "")).removeprefix("IPY_MODEL_"), {}).get("state", {})
    return layout.get("display") == "none" or layout.get("visibility") == "hidden"


def _outputs_html(outputs: list, figures: Figures) -> str:
    parts = []
    for out in outputs:
        data = out.get("data", {})
        if PLOTLY_MIME in data:
            parts.append(figures.html(data[PLOTLY_MIME]))
        elif "text/html" in data:
            parts.append("".join(data["text/html"]))
        elif out.get("output_type") == "stream":
            parts.append(f"<pre>{html.escape(''.join(out.get('text', '')))}</pre>")
    return "".join(parts)


def widget_html(model_id: str, models: dict, figures: Figures, settings: list[str]) -> str:
    """A widget tree as static HTML: HTML and label values, Output widgets' contents (figures
    drawn), the visible tab of a Tab; controls are listed in `settings`; buttons are dropped, and a
    nested self-check is left to the learner's app."""
    model = models.get(model_id)
    if model is None:
        return ""
    name, state = model["model_name"], model["state"]
    if name in _SKIP or _hidden(state, models):
        return ""
    if name in _CONTROLS:
        value = _control_value(name, state)
        if state.get("description") and value is not None:
            settings.append(f"{_label(state)}: {html.escape(value)}")
        return ""
    if "ivig-quiz" in state.get("_dom_classes", []):
        return "<p><em>The questions of this case are worked in the app.</em></p>"
    if name == "HTMLModel":  # a download link means nothing on paper
        return re.sub(r"<a\b[^>]*\bdownload\b.*?</a>", "", state.get("value", ""), flags=re.S)
    if name == "LabelModel":
        return f"<p>{html.escape(state.get('value', ''))}</p>"
    if name == "OutputModel":
        return _outputs_html(state.get("outputs", []), figures)
    children = [c.removeprefix("IPY_MODEL_") for c in state.get("children", [])]
    if name in ("TabModel", "AccordionModel"):
        index = state.get("selected_index") or 0
        titles = state.get("titles") or []
        if not children:
            return ""
        title = titles[index] if index < len(titles) else ""
        return (f"<h4>{html.escape(title)}</h4>" if title else "") + widget_html(children[index], models, figures, settings)
    return "".join(widget_html(c, models, figures, settings) for c in children)


def app_html(model_id: str, models: dict, figures: Figures) -> str:
    settings: list[str] = []
    body = widget_html(model_id, models, figures, settings)
    shown = (f'<p class="handout-settings"><b>As the app opens:</b> {"; ".join(settings)}.</p>' if settings else "")
    return f'<div class="handout-app">{shown}{body}</div>'


def quiz_html(stem: str) -> str:
    """The notebook's self-check as questions to answer on paper (no answers, no feedback)."""
    from ivigkit import quiz

    spec = quiz.load_quiz(stem)
    items = []
    for question in spec.questions:
        if question.type == "numeric":
            answer = f'<p>Answer: <span class="handout-number"></span> {html.escape(question.unit)}</p>'
        else:
            how = "Choose one." if question.type == "single" else "Tick every answer that applies."
            options = "".join(f"<li>{html.escape(o.text)}</li>" for o in question.options)
            answer = f"<p><em>{how}</em></p><ul>{options}</ul>"
        items.append(f"<li><p>{html.escape(question.prompt)}</p>{answer}</li>")
    return (f'<div class="handout-quiz"><p><b>{html.escape(spec.title)}</b>. Answer on paper, then check your '
            "answers in the notebook's self-check, which explains every option.</p>"
            f"<ol>{''.join(items)}</ol></div>")


# ----------------------------------------------------------------------------- the notebook

def _try_it_answers(source: str, answers: list[tuple[str, str]], title: str | None) -> tuple[str, str | None]:
    """Take the <details> answers of a 'Try it' out of a Markdown cell, into `answers`. A Try it's
    tasks may sit in cells after its heading: `title` is the Try it still open when this cell
    starts (None outside one); the one open after it is returned with the cell's new source."""
    for head in _HEADING.finditer(source):
        title = head[2] if head[2].lower().startswith("try it") else None
    if title is None:
        return source, None

    def take(match) -> str:
        if not match[1].strip().lower().startswith("answer"):
            return match[0]
        answers.append((title, match[2].strip()))
        return ""

    return _DETAILS.sub(take, source), title


def prepare(nb: nbformat.NotebookNode, stem: str) -> tuple[nbformat.NotebookNode, list[tuple[str, str]]]:
    """An executed notebook made static: apps to HTML, the self-check to questions on paper, task
    answers taken out (returned, for the last page), notebook links pointed at the handouts."""
    models = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    figures = Figures()
    answers: list[tuple[str, str]] = []
    try_it = None
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            source, try_it = _try_it_answers(cell.source, answers, try_it)
            cell.source = re.sub(r"\]\(([^)#\s]+)\.ipynb", r"](\1.html", source)
            continue
        outputs = []
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if WIDGET_VIEW in data:
                model_id = data[WIDGET_VIEW]["model_id"]
                state = models.get(model_id, {}).get("state", {})
                if "ivig-quiz" in state.get("_dom_classes", []):
                    content = quiz_html(stem)
                else:
                    content = app_html(model_id, models, figures)
                outputs.append(nbformat.v4.new_output("display_data", data={"text/html": content}))
            elif PLOTLY_MIME in data:
                outputs.append(nbformat.v4.new_output("display_data", data={"text/html": figures.html(data[PLOTLY_MIME])}))
            elif out.get("output_type") == "error":
                raise RuntimeError(f"{stem}: a cell failed while the handout was made: {out.get('ename')}: "
                                   f"{out.get('evalue')}")
            else:
                outputs.append(out)
        cell.outputs = outputs
    nb.metadata.pop("widgets", None)
    return nb, answers


def body_html(nb: nbformat.NotebookNode) -> str:
    """The notebook as HTML without its code (nbconvert's basic template)."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="basic", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nb)
    # Space to answer under every task of a "Try it"; on paper, every <details> is open.
    body = re.sub(r"(<p><strong>Tasks</strong></p>\s*)<ol>", r'\1<ol class="tasks">', body)
    return body.replace("<details>", "<details open>")


def _answers_html(answers: list[tuple[str, str]]) -> str:
    """The tasks' answers, grouped under their 'Try it', on a page of their own."""
    if not answers:
        return ""
    from nbconvert.filters import markdown2html

    grouped: dict[str, list[str]] = {}
    for title, text in answers:
        grouped.setdefault(title, []).append(markdown2html(text))
    blocks = "".join(f"<h3>{html.escape(title)}</h3>" + (texts[0] if len(texts) == 1 else
                     "<ol>" + "".join(f"<li>{t}</li>" for t in texts) + "</ol>")
                     for title, texts in grouped.items())
    return f'<section class="handout-answers"><h2>Answers to the tasks</h2>{blocks}</section>'


def handout_html(path: Path) -> str:
    """Execute one notebook and return its handout as one self-contained HTML page."""
    from plotly.offline import get_plotlyjs

    nb, answers = prepare(execute(path), path.stem)
    first = next((c.source for c in nb.cells if c.cell_type == "markdown"), "")
    title = next((m[2] for m in _HEADING.finditer(first)), path.stem)
    plotly_js = get_plotlyjs().replace("</script", "<\\/script")
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}: handout</title><style>{CSS}</style>"
        f"<script>{plotly_js}</script></head>\n"
        f'<body class="handout"><p class="handout-meta">IVIG in MS, an open teaching workbook: handout of '
        f"{html.escape(path.name)}, made {date.today().isoformat()}. Educational use only; not medical advice.</p>\n"
        f"{body_html(nb)}\n{_answers_html(answers)}\n</body></html>\n")


# ----------------------------------------------------------------------------- printing

PLOTS_DRAWN = """() => [...document.querySelectorAll('.handout-figure')]
  .every(g => g._fullData && g._fullData.length > 0 && g.querySelector('svg.main-svg'))"""


def offline_page(browser):
    """A page of `browser` that refuses every request that is not a local file."""
    page = browser.new_page()
    page.route(re.compile(r"^(?!file:)"), lambda route: route.abort("internetdisconnected"))
    return page


def print_pdf(html_path: Path, pdf_path: Path, browser=None) -> None:
    """Print a handout with Debian's Chromium (the browser tests' one, or `browser` if given),
    offline, once every figure is drawn."""
    if browser is None:
        from playwright.sync_api import sync_playwright

        from tests.support.browser import CHROMIUM_ARGS, chromium_executable

        with sync_playwright() as pw:
            own = pw.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)
            try:
                return print_pdf(html_path, pdf_path, own)
            finally:
                own.close()
    page = offline_page(browser)
    try:
        page.goto(html_path.resolve().as_uri(), wait_until="load")
        page.wait_for_function(PLOTS_DRAWN, timeout=60_000)
        page.emulate_media(media="print")
        page.pdf(path=str(pdf_path), format="A4", print_background=True, prefer_css_page_size=True)
    finally:
        page.close()


def build(path: Path, out: Path = OUT, *, pdf: bool = True, browser=None) -> tuple[Path, Path | None]:
    """Write <out>/<notebook>.html (and .pdf); return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    html_path = out / f"{path.stem}.html"
    html_path.write_text(handout_html(path), encoding="utf-8")
    pdf_path = None
    if pdf:
        pdf_path = out / f"{path.stem}.pdf"
        print_pdf(html_path, pdf_path, browser)
    return html_path, pdf_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Printable handouts (HTML and PDF), offline.")
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every teaching notebook")
    parser.add_argument("--out", type=Path, default=OUT, help=f"output folder (default {OUT.relative_to(REPO)})")
    parser.add_argument("--no-pdf", action="store_true", help="write the HTML only")
    args = parser.parse_args(argv)
    if not args.no_pdf:
        from tests.support.browser import chromium_executable

        if not Path(chromium_executable()).is_file():
            print(f"handouts: Chromium not found at {chromium_executable()}; install Debian's chromium "
                  "(apt-get install chromium), set IVIGKIT_CHROMIUM, or write the HTML only with --no-pdf.",
                  file=sys.stderr)
            return 2
    for path in args.notebooks or sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        html_path, pdf_path = build(path, args.out, pdf=not args.no_pdf)
        print(f"{path.name}: {html_path.relative_to(REPO) if html_path.is_relative_to(REPO) else html_path}"
              + (f", {pdf_path.name}" if pdf_path else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
