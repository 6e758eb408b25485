"""The one navigation of the staff pages and the admin shows each role the places it may open,
and only those: every place shown opens, every place hidden is refused to that role; the
place a page belongs to is the one marked."""

import pytest

from surveyhub.security.roles import Role
from surveyhub.templatetags.main_nav import PLACES, current_place, places_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EVERYTHING = ["home", "evaluations", "surveys", "feedback", "cases", "customers",
              "relationships", "imports", "dashboard", "admin"]  # fmt: skip
EXPECTED = {
    Role.ADMIN: EVERYTHING,
    Role.MANAGER: EVERYTHING,
    Role.DESIGNER: ["home", "surveys", "customers", "admin"],
    Role.AGENT: ["home", "feedback", "cases", "customers", "admin"],
}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_the_places_it_may_open_and_each_of_them_opens(client, role):
    user = UserFactory(role=role)
    client.force_login(user)
    assert [p.key for p in places_for(user)] == EXPECTED[role]

    page = client.get("/staff/", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    for place in PLACES:
        shown = f'data-place="{place.key}"' in html
        assert shown is (place.key in EXPECTED[role]), place.key


@pytest.mark.parametrize("role", list(Role))
def test_a_place_hidden_from_a_role_is_refused_to_it_and_a_shown_one_opens(client, role):
    from django.urls import reverse

    client.force_login(UserFactory(role=role))
    for place in PLACES:
        status = client.get(reverse(place.url_name), HTTP_ACCEPT_LANGUAGE="en").status_code
        if place.key in EXPECTED[role]:
            assert status == 200, (place.key, status)
        else:
            assert status in (302, 403), (place.key, status)


def test_a_user_who_is_not_staff_is_not_shown_the_admin():
    user = UserFactory(role=Role.AGENT, is_staff=False)
    assert "admin" not in [p.key for p in places_for(user)]


@pytest.mark.parametrize(
    ("path", "place"),
    [
        ("/staff/", "home"),
        ("/staff/api-token/", "home"),
        ("/staff/evaluations/2026Q3/", "evaluations"),
        ("/staff/alerts/history/", "evaluations"),
        ("/staff/actions/3/", "evaluations"),
        ("/staff/surveys/4/results/", "surveys"),
        ("/staff/distributions/", "surveys"),
        ("/staff/customers/", "customers"),
        ("/staff/customers/12/", "customers"),
        ("/staff/customers/segments/", "relationships"),
        ("/staff/customers/at-risk/", "relationships"),
        ("/staff/cases/7/", "cases"),
        ("/staff/feedback/topics/", "feedback"),
        ("/staff/analytics/imports/", "imports"),
        ("/admin/dashboard/", "dashboard"),
        ("/admin/surveys/survey/", "admin"),
        ("/admin/", "admin"),
        ("/s/nps-2026/", None),
    ],
)
def test_the_place_a_page_belongs_to_is_the_marked_one(path, place):
    assert current_place(path, list(PLACES)) == place


def test_the_admin_and_a_staff_page_share_the_header_and_mark_their_place(client):
    client.force_login(UserFactory(role=Role.MANAGER))
    pages = [("/admin/", "admin"), ("/admin/surveys/survey/", "admin"),
             ("/staff/cases/", "cases"), ("/admin/dashboard/", "dashboard")]  # fmt: skip
    for path, place in pages:
        html = client.get(path, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        assert 'id="site-header"' in html and "/static/surveyhub/product.css" in html, path
        assert f'data-place="{place}" class="current" aria-current="page"' in html, path
        assert html.count('aria-current="page"') == 1, path
        assert 'id="user-menu"' in html and 'name="language"' in html, path
