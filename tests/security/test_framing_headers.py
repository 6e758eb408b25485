"""X-Frame-Options and CSP frame-ancestors say the same thing on every page: DENY with
'none' everywhere, SAMEORIGIN with 'self' on the one page the builder shows in an iframe."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from surveyhub.security.roles import Role
from tests.factories import UserFactory, published_survey

pytestmark = pytest.mark.django_db

AGREEING = {"DENY": "'none'", "SAMEORIGIN": "'self'"}
CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


def _paths(patterns, prefix: str, slug: str, number: int = 1):
    """Every route of the URL configuration, its converters filled with plausible values."""
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _paths(entry.url_patterns, route, slug, number)
            continue
        if not isinstance(entry, URLPattern) or route.startswith("^") or "(?P" in route:
            continue
        filled = CONVERTER.sub(
            lambda m: {
                "int": str(number),
                "slug": slug,
                "uuid": "00000000-0000-0000-0000-000000000001",
            }.get(m.group(1) or "str", slug),
            route,
        )
        yield "/" + filled.lstrip("^").rstrip("$")


def _frame_ancestors(response) -> str:
    policy = response["Content-Security-Policy"]
    return re.search(r"frame-ancestors ([^;]+)", policy).group(1).strip()


def test_every_page_says_the_same_in_both_framing_headers(client):
    survey = published_survey()
    client.force_login(UserFactory(role=Role.ADMIN))
    # Ids are the survey's: its preview (framed by the builder) must be reached whatever pk it got.
    paths = sorted(set(_paths(get_resolver().url_patterns, "", survey.slug, survey.pk)))
    assert len(paths) > 50  # the walk reached the whole site
    seen = {}
    for path in paths:
        response = client.get(path)
        framing = response["X-Frame-Options"]
        assert _frame_ancestors(response) == AGREEING[framing], (path, framing)
        seen[path] = framing
    preview = f"/staff/surveys/{survey.pk}/preview/"
    assert seen[preview] == "SAMEORIGIN"
    assert set(seen.values()) == {"DENY", "SAMEORIGIN"}
    assert [p for p, framing in seen.items() if framing == "SAMEORIGIN"] == [preview]


@pytest.mark.parametrize("path", ["/s/{slug}/", "/privacy/", "/accounts/login/", "/api/v1/"])
def test_public_pages_may_not_be_framed_at_all(client, path):
    survey = published_survey()
    response = client.get(path.format(slug=survey.slug))
    assert response["X-Frame-Options"] == "DENY"
    assert _frame_ancestors(response) == "'none'"


def test_the_builder_frames_its_phone_preview_from_our_own_origin_only(client):
    survey = published_survey()
    client.force_login(UserFactory(role=Role.ADMIN))
    builder = client.get(reverse("surveys:builder", args=[survey.pk]))
    preview = client.get(f"/staff/surveys/{survey.pk}/preview/")
    assert f'src="/staff/surveys/{survey.pk}/preview/"' in builder.content.decode()
    assert preview.status_code == 200
    assert (preview["X-Frame-Options"], _frame_ancestors(preview)) == ("SAMEORIGIN", "'self'")
