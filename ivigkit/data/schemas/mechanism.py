"""Pandera schemas for notebook 02's tables: what is in IVIG, and the proposed mechanisms.
Registered in ivigkit.data.schemas.SCHEMAS.

Educational material only; not for clinical use.
"""
from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from ivigkit.data.schemas.columns import choice, source_ids, table, text
from ivigkit.data.vocab import CERTAINTY, MAP_NODES, SLUG_HINT, SLUG_PATTERN, VERIFIED



def _path_uses_known_nodes(df: pd.DataFrame) -> pd.Series:
    return df["map_path"].fillna("").map(
        lambda p: bool(p) and p.split(";")[0] == "ivig" and all(n in MAP_NODES for n in p.split(";")))


IVIG_COMPOSITION = table(
    "ivig_composition",
    {
        "component_id": text(pattern=SLUG_PATTERN, unique=True, pattern_hint=SLUG_HINT),
        "component": text(),
        "what_it_is": text(),
        "typical_amount": text(required=False),
        "source_ids": source_ids(),
        "verified": choice(VERIFIED),
        "note": text(required=False),
    },
    description="What a bag of IVIG contains, and how it is made safe.",
)

MECHANISMS = table(
    "mechanisms",
    {
        "mechanism_id": text(pattern=SLUG_PATTERN, unique=True, pattern_hint=SLUG_HINT),
        "name": text(),
        "what_it_does": text(),
        "evidence_in_ms": text(),
        "evidence_elsewhere": text(),
        "certainty_in_ms": choice(CERTAINTY),
        "map_path": text(pattern=r"^[a-z_]+(;[a-z_]+)*$",
                         pattern_hint="is not a list of map nodes separated by ';'"),
        "source_ids": source_ids(),
        "verified": choice(VERIFIED),
        "note": text(required=False),
    },
    checks=[pa.Check(_path_uses_known_nodes,
                     error="column 'map_path' must start at 'ivig' and use only: " + ", ".join(MAP_NODES))],
    description="Mechanisms proposed for IVIG's effect, with the evidence in MS and elsewhere.",
)

SCHEMAS = {"ivig_composition": IVIG_COMPOSITION, "mechanisms": MECHANISMS}
