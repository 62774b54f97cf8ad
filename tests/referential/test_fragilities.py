from __future__ import annotations

import pytest

from cotera.errors import ConfigurationError
from cotera.referential.fragilities import fragility_referential, parse_fragilities


def test_sixteen_fragilities_in_four_families() -> None:
    ref = fragility_referential()
    assert ref.codes() == tuple(f"F{i:02d}" for i in range(1, 17))
    assert [f.code for f in ref.families] == [
        "economique",
        "sociale",
        "societale",
        "environnementale",
    ]
    assert [len(ref.of_family(f.code)) for f in ref.families] == [3, 5, 6, 2]
    assert ref.get("f09").label_fr == "Sécurité / délinquance"


def test_unknown_code_and_family_are_errors() -> None:
    with pytest.raises(ConfigurationError, match="F99"):
        fragility_referential().get("F99")
    raw = {
        "version": "x",
        "family": [{"code": "a", "label_fr": "A", "label_en": "A"}],
        "fragility": [{"code": "F01", "family": "b", "label_fr": "x", "label_en": "x"}],
    }
    with pytest.raises(ConfigurationError, match="famille inconnue"):
        parse_fragilities(raw)
