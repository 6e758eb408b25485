"""Refresh every .po catalogue from the source and fill in Chinese translations, safely when
several people (or helpers) work in one tree.

    python tools/i18n_sync.py [FILL.json ...]

Under one file lock: runs `manage.py update_translations`, then fills every entry that is
untranslated or fuzzy and whose message is in one of the fill files (default: every
`*.json` in $I18N_FILL_DIR, else /work/tr), clears its fuzzy flag, compiles the catalogues
and lists what is still untranslated. A fill file maps a msgid (or "context\\x04msgid",
as gettext writes a message context) to its Simplified Chinese msgstr; a plural entry
takes the same string for its one Chinese form.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "var" / "i18n.lock"  # var/ is not committed


def catalogues() -> list[Path]:
    return [*sorted(ROOT.glob("*/locale/zh_Hans/LC_MESSAGES/django.po")),
            ROOT / "locale/zh_Hans/LC_MESSAGES/django.po"]  # fmt: skip


def load_fills(paths: list[Path]) -> dict[str, str]:
    fills: dict[str, str] = {}
    for path in paths:
        for key, value in json.loads(path.read_text(encoding="utf-8")).items():
            fills[key] = value
    return fills


def key_of(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid


def fill(po_path: Path, fills: dict[str, str]) -> list[str]:
    po = polib.pofile(str(po_path), wrapwidth=79)
    missing, changed = [], False
    for entry in po:
        if entry.obsolete:
            continue
        needs = "fuzzy" in entry.flags or not (entry.msgstr or any(entry.msgstr_plural.values()))
        if not needs:
            continue
        value = fills.get(key_of(entry))
        if value is None:
            missing.append(key_of(entry).replace("\x04", " | "))
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = {0: value}
        else:
            entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = entry.previous_msgctxt = entry.previous_msgid_plural = None
        changed = True
    if changed:  # polib wraps CJK differently from msgmerge: rewrite only when something changed
        po.save()
    return missing


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted(
        Path(os.environ.get("I18N_FILL_DIR", "/work/tr")).glob("*.json")
    )
    env = {**os.environ, "DJANGO_DEBUG": "1"}
    python = sys.executable
    LOCK.parent.mkdir(exist_ok=True)
    with LOCK.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        subprocess.run([python, "manage.py", "update_translations"], cwd=ROOT, env=env,
                       check=True, stdout=subprocess.DEVNULL)  # fmt: skip
        fills = load_fills(paths)
        still = {str(p.relative_to(ROOT)): fill(p, fills) for p in catalogues()}
        subprocess.run([python, "manage.py", "compilemessages", "-l", "zh_Hans", "--ignore=.venv",
                        "--ignore=node_modules", "-v0"], cwd=ROOT, env=env, check=True)  # fmt: skip
    for po, missing in still.items():
        for msg in missing:
            print(f"untranslated in {po}: {msg!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
