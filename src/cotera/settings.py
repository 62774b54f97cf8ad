"""Settings read once from the environment (prefix ``COTERA_``) at the entry point."""

from __future__ import annotations

from pathlib import Path

import platformdirs
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    """The user's data directory for Cotera (database, caches, reports)."""
    return Path(platformdirs.user_data_dir("cotera", appauthor=False))


class Settings(BaseSettings):
    """Every setting Cotera reads; documented in README and checked by a test."""

    model_config = SettingsConfigDict(env_prefix="COTERA_", extra="ignore", frozen=True)

    database_url: str = Field(
        default="",
        description="SQLAlchemy URL of the database; empty means an SQLite file in data_dir.",
    )
    data_mirror: Path | None = Field(
        default=None,
        description="Directory holding a mirror of the source files (e.g. ../shared/data).",
    )
    data_dir: Path = Field(
        default_factory=default_data_dir,
        description="Where Cotera keeps its SQLite database, download cache and reports.",
    )
    allow_download: bool = Field(
        default=False,
        description="Download missing source files from their official location.",
    )
    language: str = Field(default="fr", description="Language of what people read: fr or en.")
    sqlite_busy_timeout: float = Field(
        default=30.0,
        ge=0,
        description="Seconds an SQLite write waits for another writer before giving up.",
    )

    def resolved_database_url(self) -> str:
        """The database URL to use, defaulting to ``sqlite:///<data_dir>/cotera.sqlite``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'cotera.sqlite'}"
