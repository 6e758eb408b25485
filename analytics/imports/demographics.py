"""The demographic and referral columns of an import: gender, birth year, city and member level
(customer imports) become the customer's typed profile; a referral code (both kinds) records
who referred the customer. Parsing here; writing in `write_row_extras`.

Every message is part of the contract, as in rows.py: a rejected cell names its row and field.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from analytics.imports.parsing import cell_text, to_halfwidth
from analytics.models import CustomerProfile, Gender

MSG_GENDER_INVALID = _("Gender must be 男 (male), 女 (female) or 其他 (other).")
MSG_BIRTH_YEAR_INVALID = _("Birth year must be a year from 1900 to %(year)s, e.g. 1990.")
MSG_UNKNOWN_REFERRAL_CODES = _(
    "Rows with a referral code that does not exist (%(count)s), imported without a referral: "
    "%(rows)s"
)
NOTE_ROWS_SHOWN = 20

_GENDERS = {
    "男": Gender.MALE, "男性": Gender.MALE, "先生": Gender.MALE, "m": Gender.MALE,
    "male": Gender.MALE, "man": Gender.MALE,
    "女": Gender.FEMALE, "女性": Gender.FEMALE, "女士": Gender.FEMALE, "f": Gender.FEMALE,
    "female": Gender.FEMALE, "woman": Gender.FEMALE,
    "其他": Gender.OTHER, "其它": Gender.OTHER, "other": Gender.OTHER, "x": Gender.OTHER,
    # Declined or unknown: no value, not an error.
    "未知": "", "保密": "", "unknown": "", "-": "",
}  # fmt: skip
_YEAR = re.compile(r"(\d{4})(?:\s*年|[-/.]\d{1,2}(?:[-/.]\d{1,2})?|\.0)?")


@dataclass(slots=True)
class ProfileValues:
    """The profile cells a row gave (None: the file has no such column or the cell is empty,
    so the stored value is kept)."""

    gender: str | None = None
    birth_year: int | None = None
    city: str | None = None
    member_level: str | None = None

    def given(self) -> bool:
        return any(v is not None for v in (self.gender, self.birth_year, self.city,
                                           self.member_level))  # fmt: skip


def parse_gender(value) -> str:
    """男/女/其他 and their English and short forms → a Gender code ("" for 未知/保密)."""
    text = to_halfwidth(cell_text(value)).strip().lower()
    if text not in _GENDERS:
        raise ValueError(text)
    return _GENDERS[text]


def parse_birth_year(value, *, today: dt.date | None = None) -> int:
    """1990, "1990", "1990年", "1990-05-01", a date cell → 1990, from 1900 to this year."""
    if isinstance(value, dt.date):
        year = value.year
    else:
        match = _YEAR.fullmatch(to_halfwidth(cell_text(value)).strip())
        if match is None:
            raise ValueError(value)
        year = int(match.group(1))
    if not 1900 <= year <= (today or dt.date.today()).year:
        raise ValueError(value)
    return year


def profile_cells(cells: dict, problems: list, problem) -> ProfileValues:
    """Gender and birth year of a row's cells (city and member level are plain text, read by
    the row checker); bad cells are added to `problems` as `problem(column, value, message,
    params)`."""
    values = ProfileValues()
    if "gender" in cells:
        try:
            values.gender = parse_gender(cells["gender"])
        except ValueError:
            problems.append(problem("gender", cell_text(cells["gender"]), MSG_GENDER_INVALID))
    if "birth_year" in cells:
        try:
            values.birth_year = parse_birth_year(cells["birth_year"])
        except ValueError:
            text = cell_text(cells["birth_year"])
            year = {"year": dt.date.today().year}
            problems.append(problem("birth_year", text, MSG_BIRTH_YEAR_INVALID, year))
    return values


def profiles_write(profiles: dict[int, ProfileValues]) -> int:
    """Create or update the profiles of these customers (id → values); a value not given keeps
    what is stored. Two queries whatever the number of rows."""
    profiles = {pk: values for pk, values in profiles.items() if pk > 0 and values.given()}
    if not profiles:
        return 0
    stored = CustomerProfile.objects.in_bulk(list(profiles))
    rows = []
    for customer_id, values in profiles.items():
        row = stored.get(customer_id) or CustomerProfile(customer_id=customer_id)
        for name in ("gender", "birth_year", "city", "member_level"):
            value = getattr(values, name)
            if value is not None:
                setattr(row, name, value)
        rows.append(row)
    CustomerProfile.objects.bulk_create(
        rows, batch_size=1000, update_conflicts=True, unique_fields=["customer"],
        update_fields=["gender", "birth_year", "city", "member_level", "updated_at"],
    )  # fmt: skip
    return len(rows)


def note_unknown_codes(notes: list[dict], unknown: list[tuple[int, str]]) -> None:
    """Add rows with an unknown referral code to the import's one note about them."""
    if not unknown:
        return
    note = next((n for n in notes if n["message"] == str_id(MSG_UNKNOWN_REFERRAL_CODES)), None)
    if note is None:
        note = {"message": str_id(MSG_UNKNOWN_REFERRAL_CODES), "params": {"count": 0, "rows": ""},
                "rows": []}  # fmt: skip
        notes.append(note)
    note["rows"].extend([row, code] for row, code in unknown)
    note["rows"] = sorted(note["rows"])[:NOTE_ROWS_SHOWN]
    note["params"]["count"] += len(unknown)
    shown = ", ".join(f"{row} ({code})" for row, code in note["rows"])
    note["params"]["rows"] = shown + (" …" if note["params"]["count"] > NOTE_ROWS_SHOWN else "")


def str_id(message) -> str:
    """The English message ID of a lazy message (stored, translated when shown)."""
    from django.utils import translation

    with translation.override(None):
        return str(message)


def write_row_extras(importer, records: list) -> None:
    """After a chunk of rows is written (engine._Importer._flush_now): the profiles of its
    customer rows and the referrals of its rows with a referral code. Unknown codes are noted
    in the import's summary, never rejected."""
    from analytics.referrals.services import referrals_from_import

    options = importer.options
    written = [(importer._lookup(record.customer), record) for record in records]
    written = [(pk, record) for pk, record in written if pk]
    if not options.dry_run:
        profiles_write({pk: r.profile for pk, r in written if getattr(r, "profile", None)})
    pairs = [(pk, r.referral_code, r.row) for pk, r in written if r.referral_code]
    if pairs:
        unknown = referrals_from_import(pairs=pairs, import_job_id=options.job_id,
                                        dry_run=options.dry_run)  # fmt: skip
        with importer._lock:
            note_unknown_codes(importer.result.notes, unknown)
