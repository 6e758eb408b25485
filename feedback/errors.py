class FeedbackError(Exception):
    """A feedback operation that cannot be done; `message` is translated and safe to show.

    `field` names the input at fault, for forms and API responses.
    """

    def __init__(self, message, *, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field
