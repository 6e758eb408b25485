"""A preview's answers, carried in the page's form as a signed value instead of being stored.

Signed per survey version, so a value from another survey, or from before the survey was
edited, is not taken: the preview starts afresh instead."""

import uuid
from dataclasses import dataclass, field

from django.core import signing

from surveys.responding.answers import CleanAnswer


@dataclass
class PreviewState:
    answers: dict[str, CleanAnswer] = field(default_factory=dict)
    consented: bool = False
    key: uuid.UUID = field(default_factory=uuid.uuid4)  # seeds the random option order


def _salt(version_id: int) -> str:
    return f"surveys.design.preview:{version_id}"


def state_dump(state: PreviewState, *, version_id: int) -> str:
    answers = {
        key: [a.number, a.text, list(a.choices), a.other_text] for key, a in state.answers.items()
    }
    payload = {"a": answers, "c": state.consented, "k": state.key.hex}
    return signing.dumps(payload, salt=_salt(version_id), compress=True)


def state_load(value: str | None, *, version_id: int) -> PreviewState:
    """The state in `value`, or a fresh one when it is missing, altered or of another version."""
    if not value:
        return PreviewState()
    try:
        payload = signing.loads(value, salt=_salt(version_id))
        answers = {
            str(key): CleanAnswer(
                number=number,
                text=str(text),
                choices=[str(c) for c in choices],
                other_text=str(other),
            )
            for key, (number, text, choices, other) in payload["a"].items()
        }
        return PreviewState(
            answers=answers, consented=bool(payload["c"]), key=uuid.UUID(payload["k"])
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return PreviewState()


def portable(answer: CleanAnswer) -> CleanAnswer:
    """An answer the state can carry: a chosen file stays as its name, its bytes are dropped."""
    if answer.upload is not None:
        return CleanAnswer(text=answer.upload.name)
    return answer
