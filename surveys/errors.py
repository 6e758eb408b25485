from surveyhub.api.errors import DomainError


class SurveyError(DomainError):
    """A domain rule was broken; the message is translated and safe to show.

    `errors` maps a field or question key to its message, for forms and API responses.
    """
