"""``python -m cotera``."""

from cotera.cli.main import app

app()
