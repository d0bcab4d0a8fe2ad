"""The COPIL sequence chosen by the coordinator, saved beside the warehouse so it survives restarts and is
shared by the COPIL mode, the deck built in the app and the deck built on the command line.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from figures.screens import DEFAULT_SEQUENCE, available

FILE_NAME = "copil_sequence.json"


def sequence_path(warehouse_path: Path) -> Path:
    """Where the sequence of a warehouse is saved."""
    return Path(warehouse_path).with_name(FILE_NAME)


def saved_sequence(warehouse_path: Path) -> tuple[str, ...]:
    """The saved sequence (unknown screens dropped), else the default one."""
    path = sequence_path(warehouse_path)
    try:
        ids = json.loads(path.read_text(encoding="utf-8")).get("ecrans", [])
    except (OSError, ValueError, AttributeError):
        return DEFAULT_SEQUENCE
    known = available()
    kept = tuple(i for i in ids if i in known)
    return kept or DEFAULT_SEQUENCE


def save_sequence(warehouse_path: Path, ids: list[str]) -> Path:
    """Save a sequence (atomically: a reader never sees half a file)."""
    known = available()
    unknown = [i for i in ids if i not in known]
    if unknown or not ids:
        raise ValueError(f"écrans inconnus ou séquence vide : {', '.join(unknown) or '—'}")
    path = sequence_path(warehouse_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"ecrans": list(ids)}, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)
    return path
