"""What a data load did, as data: per source outcome, and coverage of the fragilities."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from cotera.errors import Problem
from cotera.types import Level


class LoadStatus(StrEnum):
    """Outcome of one source in a load."""

    LOADED = "loaded"  # new batch committed
    UNCHANGED = "unchanged"  # same files and loader already loaded: nothing done
    FAILED = "failed"  # validation or reading failed: nothing written for this source


STATUS_LABELS_FR = {
    LoadStatus.LOADED: "chargé",
    LoadStatus.UNCHANGED: "déjà chargé, rien à faire",
    LoadStatus.FAILED: "échec, rien n'a été écrit",
}


@dataclass(frozen=True, slots=True)
class SourceOutcome:
    """What happened to one source (``cog`` is the territories)."""

    source_id: str
    label: str
    status: LoadStatus
    rows: int = 0
    years: tuple[int, ...] = ()
    error: str = ""
    problems: tuple[Problem, ...] = ()  # blocking problems (status FAILED)
    notes: tuple[Problem, ...] = ()  # non-blocking notes from the loader
    override: str = ""  # a refusing guard the user may override (LoadOptions field name)


@dataclass(frozen=True, slots=True)
class FragilityCoverage:
    """How many territories of a level have at least one value for a fragility."""

    fragility: str
    level: Level
    territories: int
    indicators: int
    first_year: int
    last_year: int


@dataclass(frozen=True, slots=True)
class LoadProgress:
    """A progress event: a step starts (``outcome`` None) or ends."""

    index: int
    total: int
    source_id: str
    label: str
    outcome: SourceOutcome | None = None


@dataclass(frozen=True, slots=True)
class LoadSummary:
    """Every source's outcome and the coverage of the database after the load."""

    outcomes: tuple[SourceOutcome, ...]
    coverage: tuple[FragilityCoverage, ...]

    @property
    def failed(self) -> tuple[SourceOutcome, ...]:
        """The sources that failed."""
        return tuple(o for o in self.outcomes if o.status is LoadStatus.FAILED)

    def covered(self, level: Level) -> tuple[str, ...]:
        """Fragilities with values at ``level``, in order."""
        return tuple(
            sorted({c.fragility for c in self.coverage if c.level is level and c.territories})
        )
