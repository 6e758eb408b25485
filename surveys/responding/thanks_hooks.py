"""What higher apps add to the respondent's thank-you page (as the 360 page's panels):
`analytics` offers a promoter their personal referral link. `surveys` never imports the app
that registered a hook, and a failing hook never costs the respondent their page."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

__all__ = ["ThanksBlock", "ThanksHook", "register_thanks_hook", "thanks_blocks"]


@dataclass(frozen=True)
class ThanksBlock:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ThanksHook:
    """`render(request, response)` → a ThanksBlock, or None to add nothing for this answer."""

    key: str
    render: Callable[[HttpRequest, Any], ThanksBlock | None]
    order: int = 100


_HOOKS: dict[str, ThanksHook] = {}


def register_thanks_hook(hook: ThanksHook) -> None:
    _HOOKS[hook.key] = hook


def thanks_blocks(request: HttpRequest, response) -> list[ThanksBlock]:
    """The blocks of the registered hooks for a completed `response` (none without one)."""
    import logging

    blocks = []
    if response is None:
        return blocks
    for hook in sorted(_HOOKS.values(), key=lambda h: (h.order, h.key)):
        try:
            block = hook.render(request, response)
        except Exception:  # the respondent's answer is saved: their page must still show
            logging.getLogger(__name__).exception("thank-you hook %s failed", hook.key)
            continue
        if block is not None:
            blocks.append(block)
    return blocks
