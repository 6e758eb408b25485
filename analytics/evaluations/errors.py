"""The error of the evaluation services."""

from __future__ import annotations


class EvaluationError(Exception):
    """An evaluation cannot be computed; the message is translated and safe to show."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
