"""Extract translatable strings into each app's own catalogue (and the root one).

Each app keeps its own `locale/` so people working on different apps never edit
the same .po file; the root `locale/` holds surveyhub/ and the shared templates/.
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

APP_UNITS = ["surveys", "feedback", "analytics"]
NOT_SOURCE = [
    ".venv/*",
    "node_modules/*",
    "tests/*",
    "bench/*",
    "tools/*",
    "mutants/*",
    "staticfiles/*",
    "var/*",
]


class Command(BaseCommand):
    help = "Run makemessages for zh_Hans in every app's catalogue and the root catalogue."

    def add_arguments(self, parser):
        parser.add_argument("--root", default=str(settings.BASE_DIR), help="source tree")

    def handle(self, *args, root, **options):
        root = Path(root)
        start = Path.cwd()
        try:
            for unit in APP_UNITS:
                (root / unit / "locale").mkdir(exist_ok=True)
                self._make(root / unit, ignore=[])
            self._make(root, ignore=[f"{u}/*" for u in APP_UNITS] + NOT_SOURCE)
        finally:
            os.chdir(start)

    def _make(self, where: Path, ignore: list[str]) -> None:
        os.chdir(where)
        call_command(
            "makemessages", locale=["zh_Hans"], ignore_patterns=ignore, no_obsolete=True,
            add_location="file", verbosity=0,
        )  # fmt: skip
        self.stdout.write(f"updated {where}/locale/zh_Hans/LC_MESSAGES/django.po")
