"""An independent checker: which groups of respondents can a reader derive from published sets?

Published figures (totals, means or shares with their bases) are additive over respondents, so a
reader who adds and subtracts them learns the figure of every set whose indicator is a linear
combination of the published sets' indicators. Respondents are grouped into *atoms* (the finest
cells every published set is a union of; empty atoms dropped: they hold nobody). A group (a set
of atoms) is derivable exactly when its indicator lies in the row space of the published sets,
i.e. is orthogonal to the null space of their matrix — computed here with exact fractions, then
tested on every group by brute force (a few thousand groups at most).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from fractions import Fraction
from itertools import product
from math import lcm

import numpy as np

MAX_ATOMS = 16


def _null_space(rows: Sequence[Sequence[int]], width: int) -> list[list[int]]:
    """Integer basis of ``{v : rows · v = 0}`` (exact Gauss–Jordan elimination)."""
    matrix = [[Fraction(x) for x in row] for row in rows]
    pivots: list[int] = []
    rank = 0
    for column in range(width):
        pivot = next((r for r in range(rank, len(matrix)) if matrix[r][column] != 0), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        lead = matrix[rank][column]
        matrix[rank] = [x / lead for x in matrix[rank]]
        for r in range(len(matrix)):
            if r != rank and matrix[r][column] != 0:
                factor = matrix[r][column]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[rank], strict=True)]
        pivots.append(column)
        rank += 1
    basis = []
    for free in (c for c in range(width) if c not in pivots):
        vector = [Fraction(0)] * width
        vector[free] = Fraction(1)
        for r, column in enumerate(pivots):
            vector[column] = -matrix[r][free]
        scale = lcm(*(x.denominator for x in vector))
        basis.append([int(x * scale) for x in vector])
    return basis


def derivable_groups(
    counts: Sequence[int], published: Collection[Collection[int]]
) -> Iterator[tuple[int, ...]]:
    """Every non-empty group of non-empty atoms derivable from the ``published`` sets (each a
    collection of atom indices)."""
    atoms = [i for i, n in enumerate(counts) if n > 0]
    if len(atoms) > MAX_ATOMS:
        raise ValueError(f"{len(atoms)} atomes : trop pour l'énumération")
    if not atoms:
        return
    position = {a: k for k, a in enumerate(atoms)}
    rows = []
    for members in published:
        row = [0] * len(atoms)
        for atom in members:
            if atom in position:
                row[position[atom]] = 1
        rows.append(row)
    kernel = np.array(_null_space(rows, len(atoms)), dtype=np.int64).reshape(-1, len(atoms))
    subsets = np.array(list(product((0, 1), repeat=len(atoms))), dtype=np.int64)[1:]
    derivable = ~(subsets @ kernel.T).any(axis=1)
    for subset in subsets[derivable]:
        yield tuple(a for a, bit in zip(atoms, subset, strict=True) if bit)


def small_groups(
    counts: Sequence[int],
    published: Collection[Collection[int]],
    threshold: int,
    contributions: Sequence[Sequence[float]] | None = None,
    share: float | None = None,
) -> list[tuple[int, ...]]:
    """Derivable groups with 1 … threshold − 1 respondents, or dominated (one contribution above
    ``share`` of the group's total) when ``contributions`` (per atom) are given."""
    out = []
    for group in derivable_groups(counts, published):
        n = sum(counts[a] for a in group)
        if n < threshold:
            out.append(group)
        elif contributions is not None and share is not None:
            values = [v for a in group for v in contributions[a]]
            if max(values) > share * sum(values):
                out.append(group)
    return out
