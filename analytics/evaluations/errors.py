"""The error of the evaluation services."""

from __future__ import annotations

from surveyhub.api.errors import DomainError


class EvaluationError(DomainError):
    """An evaluation cannot be computed; the message is translated and safe to show, `field`
    names the input at fault."""
