"""Accessibility checks the browser tests run on every app page and slide deck.

Controls: every widget control a learner can reach has an accessible name, and that name comes
from text on screen (the control's own text or a <label>), not only from a hidden attribute.
The names are Chromium's own computation (the accessibility tree, read over CDP), as a screen
reader would get them. Plotly's chart toolbar and reveal.js's slide arrows are not ours: their icon
buttons need a name (both give them aria-label) but not a visible one.

Figures: every plot sits in a figure panel with its sentence "In words: ..." and a "Show data
table" toggle, and opening the toggle shows a table with the plot's numbers.
"""
from __future__ import annotations

CONTROL_ROLES = {"button", "checkbox", "combobox", "listbox", "menuitem", "radio", "searchbox",
                 "slider", "spinbutton", "switch", "tab", "textbox", "togglebutton"}
# Where a name can come from such that a sighted user sees the same words.
VISIBLE_NAME_SOURCES = {"contents", "relatedElement"}

# Called by CDP with `this` bound to the element.
_DESCRIBE = """function () { const el = this; return {
  html: el.outerHTML.slice(0, 160),
  inWidgets: !!el.closest('.jupyter-widgets, .widget-box, .lm-Widget, .reveal'),
  inToolbar: !!el.closest('.modebar, .reveal > .controls'),
  shown: !!(el.offsetParent || el.getClientRects().length),
}; }"""


def _name_source(node) -> str | None:
    for source in (node.get("name") or {}).get("sources", []):
        if source.get("value", {}).get("value") or source.get("attributeValue", {}).get("value"):
            return source.get("type")
    return None


def control_problems(page) -> list[str]:
    """Widget controls on screen without an accessible name, or whose name is not visible."""
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.getDocument", {"depth": -1})  # backend ids resolve against this document
        nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
        problems = []
        for node in nodes:
            role = (node.get("role") or {}).get("value")
            if node.get("ignored") or role not in CONTROL_ROLES or "backendDOMNodeId" not in node:
                continue
            try:
                obj = cdp.send("DOM.resolveNode", {"backendNodeId": node["backendDOMNodeId"]})["object"]
            except Exception:  # the element left the page while we read the tree
                continue
            info = cdp.send("Runtime.callFunctionOn", {
                "objectId": obj["objectId"], "functionDeclaration": _DESCRIBE,
                "returnByValue": True})["result"]["value"]
            if not info["inWidgets"] or not info["shown"]:
                continue
            name = ((node.get("name") or {}).get("value") or "").strip()
            if not name:
                problems.append(f"{role} without an accessible name: {info['html']}")
            elif not info["inToolbar"] and _name_source(node) not in VISIBLE_NAME_SOURCES:
                problems.append(f"{role} {name!r} is named only by {_name_source(node)}, "
                                f"not by text on screen: {info['html']}")
        return problems
    finally:
        cdp.detach()


_FIGURES = """() => [...document.querySelectorAll('.js-plotly-plot')].map((plot, i) => {
  const panel = plot.closest('.ivig-figure');
  const summary = panel && panel.querySelector('.ivig-figure-summary');
  const toggle = panel && [...panel.querySelectorAll('button')]
    .find(b => /data table/i.test(b.textContent));
  return {i, inPanel: !!panel, summary: summary ? summary.textContent.trim() : '',
          toggle: !!toggle, shown: !!plot.offsetParent};
})"""


def figure_problems(page, *, open_tables: int = 1) -> list[str]:
    """Plots without a summary sentence or data-table toggle; then open the first `open_tables`
    visible panels' tables and check each shows a table with at least one row."""
    problems = []
    figures = page.evaluate(_FIGURES)
    for fig in figures:
        if not fig["inPanel"]:
            problems.append(f"plot {fig['i']} is not in an .ivig-figure panel (no summary, no table)")
        elif not fig["summary"].startswith("In words:") or len(fig["summary"]) < 20:
            problems.append(f"plot {fig['i']} has no summary sentence: {fig['summary']!r}")
        elif not fig["toggle"]:
            problems.append(f"plot {fig['i']} has no 'Show data table' toggle")
    panels = page.locator(".ivig-figure").filter(has=page.locator(".js-plotly-plot:visible"))
    for k in range(min(open_tables, panels.count())):
        panel = panels.nth(k)
        panel.get_by_role("button", name="Show data table").click()
        rows = panel.locator("table.ivig-data-table tbody tr")
        try:
            rows.first.wait_for(state="visible", timeout=20_000)
        except Exception:
            problems.append(f"figure panel {k}: 'Show data table' showed no table rows")
            continue
        panel.get_by_role("button", name="Hide data table").click()
    return problems
