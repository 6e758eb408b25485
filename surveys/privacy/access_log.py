"""The access log: who read, listed, exported or erased personal data, when and from where."""

from __future__ import annotations

import ipaddress

from django.http import HttpRequest

from surveyhub.api.errors import API_PREFIX
from surveyhub.security.ratelimit import request_address
from surveys.models import AccessChannel, PersonalDataAccess, PersonalDataAction


def request_channel(request: HttpRequest | None) -> str:
    if request is None:
        return AccessChannel.TASK
    path = request.path
    if path.startswith(API_PREFIX):
        return AccessChannel.API
    if path.startswith("/admin/"):
        return AccessChannel.ADMIN
    return AccessChannel.PAGE


def _address(request: HttpRequest) -> str | None:
    """The client's address (behind trusted proxies, the one they forwarded), if it is one."""
    try:
        return str(ipaddress.ip_address(request_address(request)))
    except ValueError:
        return None


def personal_data_access_record(
    *,
    action: str,
    resource: str,
    object_id: object = "",
    customer_id: int | None = None,
    count: int = 1,
    user=None,
    request: HttpRequest | None = None,
    channel: str = "",
) -> PersonalDataAccess:
    """Append one entry. The user comes from `request` unless given; the channel too."""
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if user is not None and not user.is_authenticated:
        user = None
    return PersonalDataAccess.objects.create(
        user=user,
        username=user.get_username() if user is not None else "",
        action=action,
        channel=channel or request_channel(request),
        resource=resource,
        object_id=str(object_id or "")[:64],
        customer_id=customer_id,
        count=count,
        ip_address=_address(request) if request is not None else None,
        # The path only: a query string can hold a search for a name or a phone number.
        path=request.path[:300] if request is not None else "",
    )


def personal_data_viewed(
    request: HttpRequest, *, resource: str, object_id: object, customer_id: int | None
) -> None:
    """Log a staff member opening a record that shows a customer's personal data (records
    with no customer attached show none, and are not logged)."""
    if customer_id is None:
        return
    personal_data_access_record(
        action=PersonalDataAction.VIEW,
        resource=resource,
        object_id=object_id,
        customer_id=customer_id,
        request=request,
    )


def personal_data_listed(
    request: HttpRequest, *, resource: str, count: int, object_id: object = ""
) -> None:
    """Log a staff member seeing a page of `count` records with personal data (an empty
    page shows none, and is not logged)."""
    if not count:
        return
    personal_data_access_record(
        action=PersonalDataAction.LIST,
        resource=resource,
        object_id=object_id,
        count=count,
        request=request,
    )
