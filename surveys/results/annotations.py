"""What higher apps add to a survey's free-text answers and single responses, through a
registry (`surveys` never imports them): `feedback` registers, from its AppConfig.ready(),

- `register_answer_annotations(provider)`: `provider(answer_ids) -> {answer_id: dict}` with
  "sentiment" (label shown), "sentiment_code", "topics", "aspects" (names), "item_url",
  "case_url" (or "");
- `register_response_extras(provider)`: `provider(response_id, user) -> list[dict]` of
  {"title", "items": [{"text", "sentiment", "url"}…], "cases": [{"label", "url"}…]}.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

_ANSWER_PROVIDERS: list[Callable[[list[int]], dict[int, dict]]] = []
_RESPONSE_PROVIDERS: list[Callable[[int, Any], dict]] = []


def register_answer_annotations(provider: Callable[[list[int]], dict[int, dict]]) -> None:
    if provider not in _ANSWER_PROVIDERS:
        _ANSWER_PROVIDERS.append(provider)


def register_response_extras(provider: Callable[[int, Any], dict]) -> None:
    if provider not in _RESPONSE_PROVIDERS:
        _RESPONSE_PROVIDERS.append(provider)


def answer_annotations(answer_ids: Iterable[int]) -> dict[int, dict]:
    ids = list(answer_ids)
    merged: dict[int, dict] = {}
    for provider in _ANSWER_PROVIDERS:
        for answer_id, annotation in provider(ids).items():
            merged.setdefault(answer_id, {}).update(annotation)
    return merged


def response_extras(response_id: int, user) -> dict:
    """{"items": [...], "cases": [...]} merged from every provider."""
    merged: dict[str, list] = {"items": [], "cases": []}
    for provider in _RESPONSE_PROVIDERS:
        extra = provider(response_id, user) or {}
        for name in merged:
            merged[name].extend(extra.get(name, ()))
    return merged
