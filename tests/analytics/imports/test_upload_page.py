import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from analytics.models import ImportJob, Purchase
from surveyhub.security.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    client.force_login(UserFactory(role=Role.ADMIN))
    return client


def test_uploading_a_file_imports_it_and_shows_the_result(
    admin, django_capture_on_commit_callbacks
):
    content = "订单号,会员号,下单时间,金额\nO1,C1,2026-01-05,10\nO2,C1,bad,10\n".encode("gbk")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            "/staff/analytics/imports/",
            {"kind": "purchases", "file": SimpleUploadedFile("orders.csv", content),
             "mapping": ""},
        )  # fmt: skip

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/analytics/imports/{job.pk}/"
    assert Purchase.objects.count() == 1
    page = admin.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<progress" in page
    assert "Not a date" in page
    assert f"/staff/analytics/imports/{job.pk}/errors/?format=xlsx" in page


def test_the_progress_endpoint_reports_the_job_state(admin):
    job = ImportJob.objects.create(
        kind="purchases", status="running", progress=0.25, rows_total=100
    )

    body = admin.get(f"/staff/analytics/imports/{job.pk}/progress.json").json()

    assert (body["status"], body["progress"], body["done"]) == ("running", 0.25, False)


def test_a_bad_mapping_line_is_shown_on_the_form(admin):
    response = admin.post(
        "/staff/analytics/imports/",
        {"kind": "purchases", "file": SimpleUploadedFile("o.csv", b"a"), "mapping": "nonsense"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert "column header=field" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_wrong_file_type_is_shown_on_the_form(admin):
    response = admin.post(
        "/staff/analytics/imports/",
        {"kind": "purchases", "file": SimpleUploadedFile("o.pdf", b"%PDF")},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert "Upload a CSV or Excel (.xlsx) file." in response.content.decode()


def test_an_agent_cannot_open_the_upload_page(client):
    client.force_login(UserFactory(role=Role.AGENT))

    assert client.get("/staff/analytics/imports/").status_code == 403
