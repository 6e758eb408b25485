"""Django merges every app's catalogue into one: a message translated two ways shows the wrong
word somewhere. One English word that needs two Chinese ones gets a message context
(`pgettext`), so each (context, msgid) must have one translation across all catalogues."""

import shutil
from collections import defaultdict
from pathlib import Path

import polib
import pytest

from tests.support import REPO_ROOT

CATALOGUES = [
    *sorted(REPO_ROOT.glob("*/locale/zh_Hans/LC_MESSAGES/django.po")),
    REPO_ROOT / "locale/zh_Hans/LC_MESSAGES/django.po",
]


def collisions(catalogues: list[Path]) -> list[str]:
    """One line per (context, msgid) that two catalogues translate differently."""
    seen: dict[tuple[str | None, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for path in catalogues:
        for entry in polib.pofile(str(path)):
            translated = entry.msgstr or entry.msgstr_plural.get(0, "")
            if entry.obsolete or not translated or "fuzzy" in entry.flags:
                continue
            seen[(entry.msgctxt, entry.msgid)][translated].add(path.parts[-4])
    return [
        f"{context + ' | ' if context else ''}{msgid!r}: "
        + "; ".join(f"{text} ({', '.join(sorted(where))})" for text, where in sorted(by.items()))
        for (context, msgid), by in sorted(seen.items(), key=lambda kv: (kv[0][0] or "", kv[0][1]))
        if len(by) > 1
    ]


def test_there_are_four_catalogues_to_compare():
    assert len(CATALOGUES) == 4
    assert all(path.exists() for path in CATALOGUES)


def test_no_message_is_translated_two_ways_across_catalogues():
    found = collisions(CATALOGUES)
    assert not found, "give one side a pgettext context:\n" + "\n".join(found)


@pytest.mark.parametrize(
    ("app", "context", "msgid"),
    [
        ("surveys", "response", "In progress"),  # 填写中 against the case's 处理中
        ("analytics", "period", "Previous"),  # 上期 against the pager's 上一页
        ("analytics", "customer", "Value"),  # 客户价值 against an option's 值
    ],
)
def test_a_collision_put_back_into_a_copy_is_found(tmp_path, app, context, msgid):
    copies = []
    for path in CATALOGUES:
        target = tmp_path / path.relative_to(REPO_ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
        copies.append(target)
    assert collisions(copies) == []
    # Put the collision back: drop the context again, as the code was before.
    po_path = tmp_path / app / "locale/zh_Hans/LC_MESSAGES/django.po"
    po = polib.pofile(str(po_path))
    entry = po.find(msgid, msgctxt=context)
    plain = po.find(msgid, msgctxt=None)
    if plain is not None:
        po.remove(plain)
    entry.msgctxt = None
    po.save()
    found = collisions(copies)
    assert len(found) == 1 and found[0].startswith(repr(msgid)), found
