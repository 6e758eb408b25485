class SurveyError(Exception):
    """A domain rule was broken; the message is translated and safe to show.

    `errors` maps a field or question key to its message, for forms and API responses.
    """

    def __init__(self, message: str, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}
