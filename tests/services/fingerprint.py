"""A content fingerprint of the foundation tables, for "nothing changed" assertions."""

from __future__ import annotations

import hashlib

import sqlalchemy

# Columns compared: everything except surrogate ids and timestamps of load batches.
TABLES = {
    "territory": "code, level, insee_code, name, name_key, population, region, departement, epci",
    "custom_territory_member": "slug, member, position",
    "source": "id, label_fr, licence, official_url",
    "indicator": "code, source_id, label_fr, fragility, direction, unit, kind, levels, years",
    "observation": "indicator, territory, year, value, missing_reason, numerator, denominator, "
    "method",
    "load_batch": "source_id, content_sha256, loader_version, rows, status",
    "territory_boundary": "code, detail, level, geometry, x_min, y_min, x_max, y_max",
}


def fingerprint(engine: sqlalchemy.Engine) -> dict[str, tuple[int, str]]:
    """Per table: row count and sha256 of its rows in a stable order."""
    result = {}
    with engine.connect() as connection:
        for table, columns in TABLES.items():
            rows = connection.exec_driver_sql(
                f"SELECT {columns} FROM {table} ORDER BY {columns}"
            ).all()
            digest = hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()
            result[table] = (len(rows), digest)
    return result
