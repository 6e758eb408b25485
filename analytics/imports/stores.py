"""The stores an import's rows name, as ids of the managed list (surveys.Store); the ones not
listed yet are added (an import is trusted staff's work, unlike a public link's `?store=`)."""

from __future__ import annotations

import threading

from analytics.imports.rows import StoreKey
from surveys.customers.stores import StoreDirectory, store_directory, stores_add_from_import


class ImportStores:
    """One import's view of the store list: loaded at the first row naming a store, added to as
    the rows name new ones. `added` collects the codes added (a dry run: would add)."""

    def __init__(self, *, dry_run: bool, added: list[str]):
        self.dry_run = dry_run
        self.added = added
        self._directory: StoreDirectory | None = None
        self._lock = threading.Lock()

    def ids(self, keys: list[StoreKey | None]) -> list[int | None]:
        """The listed store of each row (None for a row without one, and in a dry run for a
        store that would be added)."""
        if not any(keys):
            return [None] * len(keys)
        with self._lock:
            if self._directory is None:
                self._directory = store_directory()
            stores = self._directory
            unknown = [
                (key.code, key.name)
                for key in keys
                if key and stores.find(code=key.code, name=key.name) is None
            ]
            if unknown:
                self.added.extend(stores_add_from_import(stores, unknown, dry_run=self.dry_run))
            found = [stores.find(code=key.code, name=key.name) if key else None for key in keys]
        return [None if pk is None or pk < 0 else pk for pk in found]
