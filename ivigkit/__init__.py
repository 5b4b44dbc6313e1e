"""ivigkit: the helper package of the IVIG-in-MS teaching workbook (educational use only).

Four layers, each importing only the ones below it (import-linter holds this; see
ivigkit/README.md for the five-minute tour):

    ivigkit/apps/      ipywidgets apps: controls wired to models and figures
    ivigkit/figures/   plotly figure factories: model results in, a Chart out
    ivigkit/*.py       the models: pure functions and frozen dataclasses, the public API
                       (ivigkit.dosing, .infusion, .pk, .cost, .simulator, .evidence, .trials,
                       .course, .screening, .cases, .quiz, ...)
    ivigkit/data/      the only code that reads files: tables, schemas, citations, quizzes
"""
