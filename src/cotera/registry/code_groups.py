"""Rows grouped by an integer code (compressed sparse rows), to fetch a group without a scan."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
_SCAN_ABOVE = 256  # fetching more groups than this marks them and scans the codes instead


@dataclass(frozen=True, slots=True, eq=False)
class CodeGroups:
    """Positions of the rows of each code ``0 … n-1`` (ascending); code -1 belongs to none."""

    codes: IntArray
    order: IntArray
    starts: IntArray  # group c is order[starts[c]:starts[c + 1]]

    @classmethod
    def of(cls, codes: npt.ArrayLike, size: int) -> CodeGroups:
        """Group ``codes`` (each in ``-1 … size-1``)."""
        values = np.asarray(codes, dtype=np.int64)
        order = np.argsort(values, kind="stable")
        counts = np.bincount(values[values >= 0], minlength=size)
        none = int(np.count_nonzero(values < 0))
        starts = np.concatenate(([none], none + np.cumsum(counts))).astype(np.int64)
        return cls(values, order, starts)

    def rows(self, code: int) -> IntArray:
        """The rows of one code (empty for an unknown or negative code)."""
        if code < 0 or code + 1 >= self.starts.size:
            return np.empty(0, dtype=np.int64)
        return self.order[self.starts[code] : self.starts[code + 1]]

    def rows_of(self, codes: IntArray) -> IntArray:
        """The rows of several codes, in no particular order."""
        if codes.size <= _SCAN_ABOVE:
            return np.concatenate([self.rows(int(c)) for c in codes] or [np.empty(0, np.int64)])
        wanted = np.zeros(self.starts.size - 1, dtype=bool)
        wanted[codes] = True
        known = self.codes >= 0
        return np.flatnonzero(known & wanted[np.where(known, self.codes, 0)])
