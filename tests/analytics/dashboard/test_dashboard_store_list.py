"""Stores come from a managed list: a `?store=` typed on a public link stays on the response
as given but is never offered by the dashboard's store filter until someone lists it."""

import pytest
from django.test import Client

from surveys.models import Response, Store
from tests.factories import published_survey

pytestmark = pytest.mark.django_db
TYPED = '"><img src=x onerror=alert(1)>'


def test_only_listed_stores_are_offered_and_a_typed_one_stays_on_its_response(manager):
    survey = published_survey(consent_text="")
    public = Client()
    public.get(f"/s/{survey.slug}/", {"store": TYPED})
    Store.objects.create(code="BJ01", name="北京国贸店", name_en="Beijing Guomao")
    Response.objects.create(survey=survey, version=survey.current_version, store="BJ01")
    typed = Response.objects.create(survey=survey, version=survey.current_version, store=TYPED)

    client = Client()
    client.force_login(manager)
    page = client.get("/admin/dashboard/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    assert page.context["stores"] == [("BJ01", "北京国贸店")]
    assert "img src=x" not in page.content.decode()
    typed.refresh_from_db()
    assert typed.store == TYPED

    Store.objects.create(code="SH02", name="上海店", is_active=False)
    english = client.get("/admin/dashboard/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.context["stores"] == [("BJ01", "Beijing Guomao")]
