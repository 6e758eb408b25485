"""Consent texts: immutable, numbered copies of the privacy notice respondents accept.

A published survey's consent text is recorded when it is published and whenever it changes
while live; each response points at the copy (in the language shown) its respondent ticked.
"""

from django.db import transaction
from django.db.models import Max

from surveys.models import ConsentText, Response, SurveyVersion


@transaction.atomic
def consent_record(*, version: SurveyVersion) -> SurveyVersion:
    """Point `version` at recorded copies of its consent texts, adding a new consent version
    number when the text (in either language) differs from the latest recorded one."""
    wanted = {"zh-hans": version.consent_text, "en": version.consent_text_en}
    wanted = {language: text for language, text in wanted.items() if text}
    if not wanted:
        rows: dict[str, ConsentText] = {}
    else:
        latest = ConsentText.objects.filter(survey_id=version.survey_id).aggregate(n=Max("number"))
        number = latest["n"] or 0
        rows = {
            row.language: row
            for row in ConsentText.objects.filter(survey_id=version.survey_id, number=number)
        }
        current = {language: row.sha256 for language, row in rows.items()}
        if current != {language: ConsentText.digest(text) for language, text in wanted.items()}:
            rows = {
                language: ConsentText.objects.create(
                    survey_id=version.survey_id, number=number + 1, language=language, text=text
                )
                for language, text in wanted.items()
            }
    consent, consent_en = rows.get("zh-hans"), rows.get("en")
    if (version.consent_id, version.consent_en_id) != (
        consent and consent.pk,
        consent_en and consent_en.pk,
    ):
        version.consent, version.consent_en = consent, consent_en
        version.save(update_fields=["consent", "consent_en"])
    return version


def consent_text_id_for(version: SurveyVersion, language: str) -> int | None:
    """The recorded text a respondent reading `language` is shown (zh-Hans when no English)."""
    if language == "en" and version.consent_en_id:
        return version.consent_en_id
    return version.consent_id


def consent_summary(response: Response) -> dict | None:
    """What the respondent accepted, for the API and the staff pages."""
    text = response.consent_text
    if text is None:
        return None
    return {
        "version": text.number,
        "language": text.language,
        "sha256": text.sha256,
        "text": text.text,
        "accepted_at": response.consented_at,
    }
