"""Streaming register imports keep memory bounded: with a fixed batch size, reading ten times
more rows needs no more memory (peak RSS of a child process, which counts C allocations)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.sources.registers.layouts import rna_row, write_rna

# VmHWM (peak resident memory of this process image): unlike ru_maxrss it is not inherited
# from the parent across fork and exec.
READ_ALL = """
import sys
from pathlib import Path
from cotera.sources.registers.rna import read_rna
rows = sum(len(batch.records) for batch in read_rna(Path(sys.argv[1]), batch_rows=5_000))
status = Path("/proc/self/status").read_text()
print(rows, next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM")))
"""


def _peak_kib(path: Path) -> tuple[int, int]:
    out = subprocess.run(
        [sys.executable, "-c", READ_ALL, str(path)], capture_output=True, text=True, check=True
    ).stdout.split()
    return int(out[0]), int(out[1])


@pytest.mark.slow
def test_rna_reader_memory_does_not_grow_with_the_file(tmp_path: Path) -> None:
    long_object = "Aide aux personnes âgées isolées, animation du lien social. " * 8

    def rows(n: int) -> list[dict[str, str]]:
        return [
            rna_row(f"W{i:09d}", f"Association {i}", "93066", objet=long_object) for i in range(n)
        ]

    small = write_rna(tmp_path / "small.csv", rows(20_000))
    large = write_rna(tmp_path / "large.csv", rows(200_000))
    assert large.stat().st_size > 100 * 2**20  # over 100 MiB on disk
    small_rows, small_peak = _peak_kib(small)
    large_rows, large_peak = _peak_kib(large)
    assert (small_rows, large_rows) == (20_000, 200_000)
    # keeping the large file's records would add about 130 MiB; streaming adds next to nothing
    assert large_peak - small_peak < 15 * 1024, (small_peak, large_peak)
