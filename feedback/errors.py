from surveyhub.api.errors import DomainError


class FeedbackError(DomainError):
    """A feedback operation that cannot be done; `message` is translated and safe to show.

    `field` names the input at fault, for forms and API responses.
    """
