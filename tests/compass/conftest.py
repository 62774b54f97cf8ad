"""Fixtures of the compass tests."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import pytest

from cotera.compass import compass_referential
from cotera.compass.referential import CompassReferential


@pytest.fixture(scope="session")
def referential() -> CompassReferential:
    """The packaged referential."""
    return compass_referential()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the packaged referential files."""
    source = Path(str(resources.files("cotera.compass").joinpath("data")))
    target = tmp_path / "data"
    shutil.copytree(source, target)
    return target
