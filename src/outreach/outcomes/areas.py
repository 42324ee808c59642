"""Area of residence to deprivation: the IMD decile of an LSOA code, from the lookup in
data/synthetic_lsoa_imd.csv (synthetic: see data/README.md)."""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

LOOKUP = Path(__file__).parent / "data" / "synthetic_lsoa_imd.csv"


@lru_cache(maxsize=1)
def imd_deciles() -> dict[str, int]:
    with LOOKUP.open(newline="") as f:
        return {row["lsoa_code"]: int(row["imd_decile"]) for row in csv.DictReader(f)}


def imd_decile(lsoa_code: str | None) -> int | None:
    return imd_deciles().get((lsoa_code or "").strip().upper())
