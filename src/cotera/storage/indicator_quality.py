"""Read and write the data-quality assessments of indicators (table ``indicator_quality``)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import Connection, RowMapping, delete, func, insert, select

from cotera.indicators.quality import (
    RULES_VERSION,
    DataQuality,
    QualityAssessment,
    QualityReason,
)
from cotera.storage.indicator_tables import IndicatorQualityRow, IndicatorRow
from cotera.types import Level


def replace_quality(
    connection: Connection,
    source_id: str,
    assessments: Sequence[QualityAssessment],
    batch_id: int,
) -> int:
    """Replace the assessments of a source's indicators (in the caller's transaction); rows."""
    owned = select(IndicatorRow.code).where(IndicatorRow.source_id == source_id)
    connection.execute(delete(IndicatorQualityRow).where(IndicatorQualityRow.indicator.in_(owned)))
    if assessments:
        connection.execute(insert(IndicatorQualityRow), [_row(a, batch_id) for a in assessments])
    return len(assessments)


def quality_is_current(connection: Connection, source_id: str, batch_id: int) -> bool:
    """Whether the source's stored assessments come from ``batch_id`` under today's rules."""
    table = IndicatorQualityRow.__table__.c
    owned = select(IndicatorRow.code).where(IndicatorRow.source_id == source_id)
    query = select(
        func.count(),
        func.count().filter((table.batch_id == batch_id) & (table.rules == RULES_VERSION)),
    ).where(table.indicator.in_(owned))
    total, current = connection.execute(query).one()
    return bool(total) and total == current


def read_quality(
    connection: Connection,
    indicators: Collection[str] | None = None,
    levels: Collection[Level] | None = None,
) -> list[QualityAssessment]:
    """Stored assessments (of ``indicators`` at ``levels``; None: all), in code order."""
    table = IndicatorQualityRow.__table__
    query = select(table).order_by(table.c.indicator, table.c.level, table.c.year)
    if indicators is not None:
        query = query.where(table.c.indicator.in_(list(indicators)))
    if levels is not None:
        query = query.where(table.c.level.in_([level.value for level in levels]))
    return [_assessment(row) for row in connection.execute(query).mappings()]


def _row(assessment: QualityAssessment, batch_id: int) -> dict[str, Any]:
    return {
        "indicator": assessment.indicator,
        "level": assessment.level.value,
        "year": assessment.year,
        "status": assessment.status.value,
        "reasons": ",".join(reason.value for reason in assessment.reasons),
        "observed": assessment.observed,
        "metropolitan": assessment.metropolitan,
        "expected": assessment.expected,
        "zeros": assessment.zeros,
        "region": assessment.region,
        "region_name": assessment.region_name,
        "region_share": assessment.region_share,
        "region_base_share": assessment.region_base_share,
        "basis": None if assessment.basis is None else assessment.basis.value,
        "rules": RULES_VERSION,
        "batch_id": batch_id,
    }


def _assessment(row: RowMapping) -> QualityAssessment:
    return QualityAssessment(
        indicator=row["indicator"],
        level=Level(row["level"]),
        year=row["year"],
        status=DataQuality(row["status"]),
        reasons=tuple(QualityReason(r) for r in row["reasons"].split(",") if r),
        observed=row["observed"],
        metropolitan=row["metropolitan"],
        expected=row["expected"],
        zeros=row["zeros"],
        region=row["region"],
        region_name=row["region_name"],
        region_share=row["region_share"],
        region_base_share=row["region_base_share"],
        basis=None if row["basis"] is None else Level(row["basis"]),
    )
