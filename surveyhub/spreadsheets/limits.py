"""What an uploaded spreadsheet may be (size, rows, columns, unpacked size) and how a whole
file is refused: one RefusedFile with one clear, translated message."""

import struct
import zipfile
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from surveyhub.api.errors import DomainError

CSV = "csv"
XLSX = "xlsx"
MB = 1024 * 1024
# Fixed limits: no real import file comes near them.
MAX_COLUMNS = 702  # column ZZ: a cell reference with three letters is beyond it
MAX_MEMBERS = 2000
MAX_RATIO = 200  # deflate can reach ~1000:1; real sheet XML stays far below 100:1
RATIO_FROM_BYTES = MB  # small members may compress very well and are harmless
MAX_PART_BYTES = 32 * MB  # a part openpyxl loads whole (workbook, styles, theme, props…)
MAX_PROLOG_BYTES = 64 * 1024

# How the files we are given start (their "magic" bytes).
ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old Office files

# What zipfile and zlib raise for a damaged or foreign archive.
_BROKEN_ZIP = (
    zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError,
    RuntimeError, zlib.error, struct.error,
)  # fmt: skip
MSG_EMPTY = _("The file is empty.")
MSG_NOT_SPREADSHEET = _("This is not a CSV or Excel (.xlsx) file.")
MSG_BROKEN_XLSX = _("This Excel file could not be opened; is it a valid .xlsx?")
MSG_OLD_XLS = _("Old Excel .xls files cannot be read; save the sheet as .xlsx or CSV and retry.")
MSG_ENCRYPTED = _(
    "This Excel file is password-protected; remove the password in Excel "
    "(File → Info → Protect Workbook), save, and upload it again."
)


class RefusedFile(DomainError):
    """The whole file is refused; nothing was written.

    `message` is a lazy translatable string, filled in with `params` when shown, so it can be
    stored once and read in each reader's language.
    """

    def __init__(self, message, params: dict | None = None):
        self.message = message
        self.params = params or {}
        super().__init__(self.text)

    @property
    def text(self) -> str:
        """The message in the active language."""
        text = gettext(self.message_id)
        return text % self.params if self.params else text

    @property
    def message_id(self) -> str:
        from django.utils import translation

        with translation.override(None):
            return str(self.message)


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 200 * MB
    max_rows: int = 5_000_000
    max_unpacked_bytes: int = 1024 * MB
    max_shared_strings_bytes: int = 128 * MB


def limits() -> Limits:
    """The limits configured in settings (see `SURVEYHUB_IMPORT_*`)."""
    unpacked = int(getattr(settings, "SURVEYHUB_IMPORT_MAX_UNPACKED_MB", 1024)) * MB
    return Limits(
        max_bytes=int(getattr(settings, "SURVEYHUB_IMPORT_MAX_UPLOAD_MB", 200)) * MB,
        max_rows=int(getattr(settings, "SURVEYHUB_IMPORT_MAX_ROWS", 5_000_000)),
        max_unpacked_bytes=unpacked,
        max_shared_strings_bytes=min(128 * MB, unpacked),
    )


def check_size(size: int, limit: Limits) -> None:
    """Refuse an empty file, or one over the upload limit (from its size alone)."""
    if size <= 0:
        raise RefusedFile(MSG_EMPTY)
    if size > limit.max_bytes:
        raise too_large(limit)


def too_large(limit: Limits) -> RefusedFile:
    return RefusedFile(
        _("The file is larger than the %(limit)s MB limit; split it and upload the parts."),
        {"limit": limit.max_bytes // MB},
    )


def _mb(size: int) -> str:
    return f"{size / MB:.0f}" if size >= 10 * MB else f"{size / MB:.1f}"


def too_many_rows(limit: Limits) -> RefusedFile:
    return RefusedFile(
        _("The file has more than %(limit)s rows; split it and import the parts."),
        {"limit": limit.max_rows},
    )
