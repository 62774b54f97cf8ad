"""Print the data-quality table of docs/indicators.md from a loaded database.

    COTERA_DATA_DIR=… .venv/bin/python scripts/quality_table.py

Reads the settings like ``cotera`` (COTERA_DATABASE_URL, else the SQLite file of
COTERA_DATA_DIR); run ``cotera data load`` first. ``tests/services/test_quality_real.py``
checks that docs/indicators.md holds the table of a fresh load of the mirror.
"""

from __future__ import annotations

from cotera.services.data_quality import quality_table
from cotera.services.database import database
from cotera.settings import Settings
from cotera.storage.indicator_quality import read_quality


def main() -> None:
    """Print the table."""
    with database(Settings()) as engine, engine.connect() as connection:
        print(quality_table(read_quality(connection)), end="")


if __name__ == "__main__":
    main()
