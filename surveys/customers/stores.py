"""The managed store list as imports see it: find the listed store a row names, and add the
stores a (trusted) import names that are not listed yet.

A public link's `?store=` never comes here: only staff imports and the admin add stores.
Matching: a store code column matches a listed code (case and full-width forms ignored); a
store column alone matches a code first, then a Chinese or English name. An unknown store is
added with the code as given (or, without a code column, the text of the store column as both
its code and its name), marked as added by an import.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from surveys.models import Store, StoreSource


def store_match_key(text: str) -> str:
    """How two spellings of one code or name are compared: NFKC, trimmed, case-folded."""
    return unicodedata.normalize("NFKC", text or "").strip().casefold()


@dataclass
class StoreDirectory:
    """The listed stores by code and by name (match keys → store id), loaded once per import
    (the list is a managed one: hundreds, not millions)."""

    by_code: dict[str, int]
    by_name: dict[str, int]

    def find(self, *, code: str, name: str) -> int | None:
        if code:
            return self.by_code.get(store_match_key(code))
        key = store_match_key(name)
        return self.by_code.get(key) or self.by_name.get(key)

    def remember(self, store_id: int, code: str, name: str) -> None:
        self.by_code.setdefault(store_match_key(code), store_id)
        if name:
            self.by_name.setdefault(store_match_key(name), store_id)


def store_directory() -> StoreDirectory:
    directory = StoreDirectory(by_code={}, by_name={})
    rows = list(Store.objects.order_by("id").values_list("id", "code", "name", "name_en"))
    for pk, code, _name, _name_en in rows:
        directory.by_code.setdefault(store_match_key(code), pk)
    for pk, _code, name, name_en in rows:
        for text in (name, name_en):
            if text:
                directory.by_name.setdefault(store_match_key(text), pk)
    return directory


def stores_add_from_import(
    directory: StoreDirectory, wanted: Iterable[tuple[str, str]], *, dry_run: bool = False
) -> list[str]:
    """Add the stores (code, name) that `directory` does not know; returns the codes added.

    Safe against another import adding the same code at the same time (the code is unique:
    the existing row is used). In a dry run nothing is written and placeholder ids are
    remembered, so the rows of the run still count as linked."""
    new: dict[str, tuple[str, str]] = {}
    for code, name in wanted:
        code = unicodedata.normalize("NFKC", code or name).strip()
        if directory.find(code=code, name="") is None and store_match_key(code) not in new:
            new[store_match_key(code)] = (code, (name or code).strip()[:100])
    if not new:
        return []
    if dry_run:
        for offset, (code, name) in enumerate(new.values(), start=1):
            directory.remember(-offset - len(directory.by_code), code, name)
        return [code for code, _name in new.values()]
    with transaction.atomic():
        Store.objects.bulk_create(
            [Store(code=code, name=name, source=StoreSource.IMPORT) for code, name in new.values()],
            ignore_conflicts=True,
        )
        found = Store.objects.filter(code__in=[code for code, _name in new.values()])
        for pk, code, name in found.values_list("id", "code", "name"):
            directory.remember(pk, code, name)
    return [code for code, _name in new.values()]
