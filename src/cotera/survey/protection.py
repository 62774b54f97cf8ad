"""Secondary suppression over a hierarchy of published sets, crossed with at most one partition.

**What is published.** The respondents of one wave × question (those who answered) sit in a
tree of nodes — France → région → département → territory, or France → the levels of one
domain variable — and, optionally, in *columns*: the levels of one crossing variable (the size
band beside the barometer). Published: the total of every published node and, at every
published node, its cell in every published column. A 2-D table with its margins is the tree
"total → rows" crossed with its columns.

**The rule.** The published columns are decided once, at the root, as a 1-D table (the others
are merged into one hidden block); every published node publishes exactly those. A node is
published only if its total and each of its column blocks pass the rule
(:class:`cotera.survey.secrecy.SecrecyRule`). Then, from the leaves up, each published node's
*residual* — its respondents in no published node below it (hidden nodes are see-through) — must
pass in each column block; when it does not, the published node just below it (through hidden
nodes) with the smallest residual holding respondents of the failing block is hidden, then the
smallest node, ties broken by key: the choice depends on the keys and counts only, so the same
wave × question gives the same pattern whatever output shows it.

**Why no small group can be derived.** The residual blocks of the published nodes are disjoint,
and every published figure is the sum of the residual blocks below it (a published node is its
residual plus the published nodes just below it, which publish the same columns). So any set of
respondents obtained by adding and subtracting published figures is a union of residual blocks;
each block passes, and a union of passing sets passes (counts add; the k largest contributions of
a union are at most the sum of each part's k largest). A cell with no respondent is never counted
as protection: it adds nothing to a residual.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from cotera.survey.secrecy import CellStatus, Mass, SecrecyRule

Path = tuple[str, ...]


@dataclass(frozen=True)
class Hierarchy:
    """Nodes (paths from the root ``()``), parents first, with each node's mass per column."""

    paths: tuple[Path, ...]
    parent: tuple[int, ...]
    masses: tuple[tuple[Mass, ...], ...]
    columns: tuple[str, ...]
    own: tuple[tuple[Mass, ...], ...]

    @classmethod
    def from_leaves(
        cls, leaves: Mapping[Path, Sequence[Mass]], columns: Sequence[str]
    ) -> Hierarchy:
        """The tree spanned by ``leaves`` (path → mass per column); inner nodes sum them."""
        width = len(columns)
        own: dict[Path, list[Mass]] = {(): [Mass()] * width}
        for path, masses in leaves.items():
            if len(masses) != width:
                raise ValueError("une feuille n'a pas une masse par colonne")
            for depth in range(len(path)):
                own.setdefault(path[:depth], [Mass()] * width)
            own[path] = [
                a.plus(b) for a, b in zip(own.get(path, [Mass()] * width), masses, strict=True)
            ]
        paths = tuple(sorted(own, key=lambda p: (len(p), p)))
        index = {p: i for i, p in enumerate(paths)}
        parent = tuple(-1 if not p else index[p[:-1]] for p in paths)
        total = [list(own[p]) for p in paths]
        for i in range(len(paths) - 1, 0, -1):
            total[parent[i]] = [a.plus(b) for a, b in zip(total[parent[i]], total[i], strict=True)]
        return cls(
            paths,
            parent,
            tuple(tuple(m) for m in total),
            tuple(columns),
            tuple(tuple(own[p]) for p in paths),
        )

    @classmethod
    def from_nodes(
        cls, nodes: Mapping[Path, Sequence[Mass]], columns: Sequence[str], depth: int
    ) -> Hierarchy:
        """The tree of ``nodes`` (path → mass per column, every prefix present), whose
        respondents all sit at ``depth`` (the leaves)."""
        paths = tuple(sorted(nodes, key=lambda p: (len(p), p)))
        index = {p: i for i, p in enumerate(paths)}
        empty = (Mass(),) * len(columns)
        return cls(
            paths,
            tuple(-1 if not p else index[p[:-1]] for p in paths),
            tuple(tuple(nodes[p]) for p in paths),
            tuple(columns),
            tuple(tuple(nodes[p]) if len(p) == depth else empty for p in paths),
        )

    def merged(self, groups: Sequence[Sequence[int]], labels: Sequence[str]) -> Hierarchy:
        """The same tree with its columns merged into ``groups`` (labelled ``labels``)."""

        def merge(rows: tuple[tuple[Mass, ...], ...]) -> tuple[tuple[Mass, ...], ...]:
            return tuple(tuple(_sum(row, group) for group in groups) for row in rows)

        return Hierarchy(self.paths, self.parent, merge(self.masses), tuple(labels),
                         merge(self.own))  # fmt: skip


def _sum(masses: Sequence[Mass], columns: Sequence[int]) -> Mass:
    if len(columns) == 1:
        return masses[columns[0]]
    out = Mass()
    for column in columns:
        out = out.plus(masses[column])
    return out


def status_of(mass: Mass, rule: SecrecyRule, published: bool) -> CellStatus:
    """Empty, primary (fails the rule itself), published, or secondary."""
    if mass.n == 0:
        return CellStatus.EMPTY
    if not rule.passes(mass):
        return CellStatus.PRIMARY
    return CellStatus.PUBLISHED if published else CellStatus.SECONDARY


@dataclass(frozen=True)
class Pattern:
    """The statuses of a protected hierarchy: of each node, each column at the root, each cell."""

    hierarchy: Hierarchy
    rule: SecrecyRule
    published: tuple[bool, ...]
    published_columns: frozenset[int]
    index: Mapping[Path, int] = field(repr=False)
    keyed: Mapping[tuple[int, str], tuple[Path, ...]] = field(repr=False)

    def node(self, path: Path) -> CellStatus:
        """Status of a node's total (no respondent: empty)."""
        i = self.index.get(path)
        if i is None:
            return CellStatus.EMPTY
        return status_of(_sum(self.hierarchy.masses[i], range(len(self.hierarchy.columns))),
                       self.rule, self.published[i])  # fmt: skip

    def cell(self, path: Path, column: str) -> CellStatus:
        """Status of a node's cell in one column."""
        i = self.index.get(path)
        if i is None or column not in self.hierarchy.columns:
            return CellStatus.EMPTY
        j = self.hierarchy.columns.index(column)
        shown = self.published[i] and j in self.published_columns
        return status_of(self.hierarchy.masses[i][j], self.rule, shown)

    def paths_at(self, depth: int, value: str) -> list[Path]:
        """The nodes at ``depth`` whose last key is ``value``."""
        return list(self.keyed.get((depth, value), ()))

    def place(self, depth: int, value: str, column: str | None = None) -> CellStatus:
        """Status of the set "key at ``depth`` equals ``value``" (a cell of it with ``column``).

        When several nodes have that key (the same département under two régions), the set is
        not a node of the hierarchy and is never published.
        """
        paths = self.paths_at(depth, value) if depth else [()]
        if len(paths) > 1:
            empty = all(self.node(p) is CellStatus.EMPTY for p in paths)
            return CellStatus.EMPTY if empty else CellStatus.SECONDARY
        path = paths[0] if paths else ("\x00missing",)
        return self.node(path) if column is None else self.cell(path, column)


def protect(hierarchy: Hierarchy, rule: SecrecyRule) -> Pattern:
    """Primary and secondary suppression of ``hierarchy`` (see the module's docstring)."""
    width = len(hierarchy.columns)
    if width > 1:
        root = hierarchy.masses[0]
        columns = hierarchy.columns
        flat = Hierarchy.from_leaves({(c,): [root[j]] for j, c in enumerate(columns)}, ("",))
        flat_pattern = protect(flat, rule)
        shown = {
            j for j, c in enumerate(columns) if flat_pattern.node((c,)) is CellStatus.PUBLISHED
        }
        hidden = [j for j in range(width) if j not in shown and root[j].n > 0]
        ordered = sorted(shown, key=lambda j: columns[j])  # by key: not by input order
        blocks = [[j] for j in ordered] + ([hidden] if hidden else [])
    else:
        shown, blocks = {0}, [[0]]
    published = _protect_tree(hierarchy, blocks, rule)
    index = {p: i for i, p in enumerate(hierarchy.paths)}
    keyed: dict[tuple[int, str], list[Path]] = {}
    for path in hierarchy.paths[1:]:
        keyed.setdefault((len(path), path[-1]), []).append(path)
    frozen = {key: tuple(paths) for key, paths in keyed.items()}
    return Pattern(hierarchy, rule, tuple(published), frozenset(shown), index, frozen)


def _protect_tree(hierarchy: Hierarchy, blocks: list[list[int]], rule: SecrecyRule) -> list[bool]:
    count = len(hierarchy.paths)
    children: list[list[int]] = [[] for _ in range(count)]
    for i in range(1, count):
        children[hierarchy.parent[i]].append(i)
    if blocks == [[j] for j in range(len(hierarchy.columns))]:
        mass = [list(row) for row in hierarchy.masses]
        residual = [list(row) for row in hierarchy.own]
    else:
        mass = [[_sum(row, b) for b in blocks] for row in hierarchy.masses]
        residual = [[_sum(row, b) for b in blocks] for row in hierarchy.own]
    published = [False] * count
    size = [sum(m.n for m in row) for row in mass]

    def frontier(i: int) -> list[int]:
        out, stack = [], list(children[i])
        while stack:
            c = stack.pop()
            if published[c]:
                out.append(c)
            else:
                stack.extend(children[c])
        return out

    for i in range(count - 1, -1, -1):  # children before parents
        for c in children[i]:
            if not published[c]:
                residual[i] = [a.plus(b) for a, b in zip(residual[i], residual[c], strict=True)]
        total = _sum(mass[i], range(len(blocks)))
        if total.n == 0 or not rule.passes(total) or not all(rule.passes(m) for m in mass[i]):
            continue
        published[i] = True
        while failing := [k for k, m in enumerate(residual[i]) if not rule.passes(m)]:
            k = failing[0]
            below = frontier(i)
            candidates = [q for q in below if residual[q][k].n > 0]
            if candidates:
                q = min(candidates, key=lambda q: (sum(m.n for m in residual[q]), size[q],
                                                   hierarchy.paths[q]))  # fmt: skip
            else:  # open a node fully covered below: its own published parts come next
                q = min((q for q in below if mass[q][k].n > 0),
                        key=lambda q: (size[q], hierarchy.paths[q]))  # fmt: skip
            published[q] = False
            a = hierarchy.parent[q]
            while True:
                residual[a] = [x.plus(y) for x, y in zip(residual[a], residual[q], strict=True)]
                if a == i:
                    break
                a = hierarchy.parent[a]
    return published


def _keys(given: Sequence[str] | None, size: int) -> list[str]:
    return list(given) if given is not None else [f"{i:09d}" for i in range(size)]


def suppress_table(
    counts: ArrayLike,
    threshold: int,
    row_keys: Sequence[str] | None = None,
    column_keys: Sequence[str] | None = None,
) -> NDArray[np.object_]:
    """Statuses of an ``R × C`` table of respondent counts published with its margins.

    Returns an ``(R+1) × (C+1)`` array of :class:`CellStatus`; the last row and column are the
    margins. The table is the tree "total → rows" crossed with the columns (counts only: no
    dominance rule).
    """
    table = np.asarray(counts, dtype=np.int64)
    if table.ndim != 2:
        raise ValueError("counts must be a 2-D table (use counts[:, None] for one dimension)")
    rows, columns = _keys(row_keys, table.shape[0]), _keys(column_keys, table.shape[1])
    leaves: dict[Path, list[Mass]] = {
        (r,): [Mass.of_count(v) for v in table[i]] for i, r in enumerate(rows)
    }
    pattern = protect(Hierarchy.from_leaves(leaves, columns), SecrecyRule(threshold, threshold))
    out = np.empty((len(rows) + 1, len(columns) + 1), dtype=object)
    for i, r in enumerate([*rows, None]):
        path: Path = () if r is None else (r,)
        for j, c in enumerate(columns):
            out[i, j] = pattern.cell(path, c)
        out[i, -1] = pattern.node(path)
    return out


def suppress_vector(
    counts: ArrayLike, threshold: int, keys: Sequence[str] | None = None
) -> tuple[tuple[CellStatus, ...], CellStatus]:
    """Statuses of cells published with their total (1-D), and the total's status."""
    column = np.asarray(counts, dtype=np.int64)[:, None]
    status = suppress_table(column, threshold, keys, ["value"])
    return tuple(CellStatus(s) for s in status[:-1, 0]), CellStatus(status[-1, 0])
