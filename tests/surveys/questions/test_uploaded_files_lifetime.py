"""Uploaded files do not outlive what they belong to: erasing a customer or retention
deletes them with the free text; an upload no submit claimed goes after a day; a file
replaced or hidden by display logic is not kept."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from surveys.models import PrivacySettings, Response, ResponseFile
from surveys.privacy.personal_data import personal_data_erase
from surveys.privacy.tasks import apply_retention
from surveys.responding.uploads import files_unclaimed_delete
from tests.factories import CustomerFactory
from tests.surveys.questions.fixtures import survey_of_each_type
from tests.surveys.questions.media import pdf, png

pytestmark = pytest.mark.django_db


def _with_file(survey, customer=None):
    upload = Client().post(f"/api/v1/public/surveys/{survey.slug}/files/",
                           {"question": "receipt", "file": SimpleUploadedFile("身份证.png",
                                                                               png())})  # fmt: skip
    token = upload.json()["token"]
    reply = Client().post(
        f"/api/v1/public/surveys/{survey.slug}/responses/",
        {"answers": {"score": 50, "where": "310101", "receipt": token}},
        content_type="application/json",
    )
    assert reply.status_code == 201, reply.json()
    response = Response.objects.get(pk=reply.json()["id"])
    if customer is not None:
        Response.objects.filter(pk=response.pk).update(customer=customer)
    return response


def test_erasing_a_customer_deletes_their_uploaded_files():
    survey = survey_of_each_type()
    customer = CustomerFactory(name="李雷")
    theirs, others = _with_file(survey, customer), _with_file(survey)
    personal_data_erase(customer=customer)
    assert not ResponseFile.objects.filter(response=theirs).exists()
    assert ResponseFile.objects.filter(response=others).count() == 1


def test_retention_deletes_old_files_and_unclaimed_uploads_go_after_a_day():
    survey = survey_of_each_type()
    old = _with_file(survey)
    Response.objects.filter(pk=old.pk).update(started_at=timezone.now() - timedelta(days=400))
    PrivacySettings.objects.update_or_create(pk=1, defaults={"retention_days": 365})
    stray = Client().post(
        f"/api/v1/public/surveys/{survey.slug}/files/",
        {"question": "receipt", "file": SimpleUploadedFile("a.pdf", pdf())},
    )
    ResponseFile.objects.filter(token=stray.json()["token"]).update(
        created_at=timezone.now() - timedelta(hours=25)
    )
    fresh = Client().post(
        f"/api/v1/public/surveys/{survey.slug}/files/",
        {"question": "receipt", "file": SimpleUploadedFile("b.pdf", pdf())},
    )
    apply_retention.delay().get()  # the nightly task
    assert not ResponseFile.objects.filter(response=old).exists()
    assert list(ResponseFile.objects.values_list("token", flat=True)) == [fresh.json()["token"]]
    assert files_unclaimed_delete(now=timezone.now() + timedelta(days=2)) == 1
