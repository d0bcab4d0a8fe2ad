"""The demo warehouse the benchmarks measure: the one the app reads, built as `make run` builds it when missing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def demo_warehouse(path: Path) -> Path:
    """`path`, first built from the demo data by the real import (`python -m etl demo`) if it does not exist."""
    if not path.exists():
        print(f"entrepôt absent : construction de la démonstration dans {path}")
        subprocess.run([sys.executable, "-m", "etl", "--warehouse", str(path), "demo"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    return path
