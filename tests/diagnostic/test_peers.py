from __future__ import annotations

from cotera.diagnostic.peers import is_overseas, peer_group
from cotera.territory.model import FRANCE, Territory, TerritoryCode

REG_11 = TerritoryCode.parse("reg:11")
REG_01 = TerritoryCode.parse("reg:01")


def _t(code: str, *parents: TerritoryCode) -> Territory:
    return Territory(TerritoryCode.parse(code), code, None, (*parents, FRANCE))


def test_overseas_by_code_or_parent() -> None:
    assert is_overseas(_t("dep:971", REG_01))
    assert is_overseas(_t("reg:04"))
    assert not is_overseas(_t("dep:93", REG_11))
    assert not is_overseas(_t("reg:11"))
    assert is_overseas(_t("epci:200041507", TerritoryCode.parse("dep:974")))
    assert not is_overseas(_t("epci:200054781", TerritoryCode.parse("dep:93"), REG_11))


def test_metropolitan_peers_exclude_overseas_but_overseas_peers_include_all() -> None:
    deps = [_t("dep:93", REG_11), _t("dep:75", REG_11), _t("dep:971", REG_01), _t("reg:11")]
    metro = peer_group(deps[0], deps)
    assert [str(t.code) for t in metro] == ["dep:75", "dep:93"]
    overseas = peer_group(deps[2], deps)
    assert [str(t.code) for t in overseas] == ["dep:75", "dep:93", "dep:971"]
