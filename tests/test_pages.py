"""The page walk (tests/pages.py) covers the URL resolver: every route is walked or excluded
with a reason, every staff and public page is built from real objects and answers, and a
page added to a urls.py is either walked at once or fails here until it can be."""

import pytest
from django.http import HttpResponse
from django.urls import include, path

from tests import pages
from tests.factories import one_of_each_resource
from tests.security.poisoned import invite

pytestmark = pytest.mark.django_db


def _view(request, **kwargs):
    return HttpResponse("new page")


# A urls.py as a developer might change it: the project's routes plus one new staff page at a
# known address, one at a new kind of address, and one page outside every area.
urlpatterns = [
    path("staff/cases/<int:pk>/history/", _view, name="new-case-history"),
    path("staff/stores/<int:pk>/", _view, name="new-store"),
    path("reports/", _view, name="new-reports"),
    path("", include("surveyhub.urls")),
]


@pytest.fixture
def objects(django_capture_on_commit_callbacks):
    """One object of each resource (tests/factories.py), an import with an error report, and
    an invitation's token: every parameter of every staff and public route gets a value."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from analytics.imports.jobs import import_job_create

    w = one_of_each_resource(slug="walk", external_id="W1", order_id="W-1", consent_text="")
    upload = SimpleUploadedFile("orders.csv", b"customer_id,order_id,ordered_at,amount\n"
                                b"W1,W-2,2026-01-05,10\nW1,W-3,not-a-date,10\n")  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):  # the import runs, in-process
        job = import_job_create(kind="purchases", upload=upload)
    _invitation, url = invite(w.survey, w.customer)
    return w, pages.argument_values(
        survey=w.survey, customer=w.customer, distribution=w.distribution, imports=[job],
        item=w.item, topic=w.topic, case=w.case, token=url.split("/")[2],
    )  # fmt: skip


def test_every_route_is_walked_or_excluded_with_a_reason():
    unknown, stale = pages.covered(pages.routes())
    assert not unknown, f"routes in no AREA of tests/pages.py, nor EXCLUDED: {unknown}"
    assert not stale, f"EXCLUDED entries the resolver no longer has: {stale}"


def test_every_staff_page_is_built_from_real_objects_and_answers(objects, admin_client):
    _w, values = objects
    statuses = {url: admin_client.get(url).status_code for url in pages.urls_in("staff", values)}
    # 200: a page; 405: a POST-only action (claim, publish, send…), which shows nothing.
    wrong = {url: status for url, status in statuses.items() if status not in {200, 405}}
    assert not wrong, wrong
    assert sum(s == 200 for s in statuses.values()) >= 20, statuses  # the walk found the pages


def test_every_public_page_is_built_and_answers_anyone(objects, client):
    _w, values = objects
    statuses = {url: client.get(url).status_code for url in pages.urls_in("public", values)}
    assert set(statuses.values()) == {200}, statuses


def test_a_new_staff_page_at_a_known_address_is_walked_at_once(objects, settings):
    w, values = objects
    settings.ROOT_URLCONF = __name__
    routes = [r.route for r in pages.routes()]
    assert "staff/cases/<int:pk>/history/" in routes  # the walk reads the resolver

    case_pages = pages.build(pages.Route("staff/cases/<int:pk>/history/", None), values)

    assert case_pages == [f"/staff/cases/{w.case.pk}/history/"]


def test_a_new_staff_page_at_an_unknown_address_fails_the_walk(objects, settings):
    _w, values = objects
    settings.ROOT_URLCONF = __name__

    with pytest.raises(pages.Unbuildable, match=r"staff/stores/<int:pk>"):
        pages.urls_in("staff", values)


def test_a_new_page_in_no_area_fails_the_walk(settings):
    settings.ROOT_URLCONF = __name__

    unknown, stale = pages.covered(pages.routes())

    assert (unknown, stale) == (["reports/"], [])
