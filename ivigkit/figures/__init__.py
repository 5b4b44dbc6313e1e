"""The figure layer: plotly figure factories, model results in, a `Chart` out.

- ``theme``: one look for every plot (colour-blind-safe palette, dash patterns, font sizes a
  lecture hall can read), the `Chart` record and the MIME bundle apps put on screen;
- ``tables``: the sentence "In words: ..." and the data table beside every plot;
- one module per topic: ``dosing`` (notebooks 00 and 04), ``course`` (01), ``mechanism`` (02),
  ``evidence`` (03), ``safety`` (05).

Figures import models and the data layer, never widgets.
"""
