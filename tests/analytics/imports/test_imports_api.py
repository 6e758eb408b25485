import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from analytics.models import ImportJob, Purchase
from surveyhub.security.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FILE = b"customer_id,order_id,ordered_at,amount\nC1,O1,2026-01-05,10\nC1,O2,bad,10\n"


def upload(client, content=FILE, name="orders.csv", **fields):
    return client.post(
        "/api/v1/imports/",
        {"file": SimpleUploadedFile(name, content), "kind": "purchases", **fields},
        HTTP_ACCEPT_LANGUAGE="en",
    )


@pytest.fixture
def admin(client):
    client.force_login(UserFactory(role=Role.ADMIN))
    return client


def test_an_upload_creates_a_job_that_imports_the_file(admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(admin)

    assert response.status_code == 201
    job_id = response.json()["id"]
    body = admin.get(f"/api/v1/imports/{job_id}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["status"] == "succeeded"
    assert body["progress"] == 1.0
    assert (body["rows_total"], body["rows_ok"], body["rows_failed"]) == (2, 1, 1)
    assert body["errors"][0]["row"] == 3
    assert body["errors"][0]["column"] == "ordered_at"
    assert body["errors"][0]["message"].startswith("Not a date")
    assert body["error_report_url"]
    assert Purchase.objects.count() == 1


def test_dry_run_and_encoding_are_accepted(admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(admin, dry_run="true", encoding="utf-8")

    assert response.status_code == 201
    job = ImportJob.objects.get()
    assert job.dry_run and job.encoding == "utf-8"
    assert not Purchase.objects.exists()


def test_a_mapping_is_accepted_as_json(admin, django_capture_on_commit_callbacks):
    content = "单据,会员,日期,金额\nO1,C1,2026-01-05,10\n".encode()
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(admin, content, mapping='{"单据": "order_id", "会员": "customer_id"}')

    assert response.status_code == 201
    assert Purchase.objects.get().order_id == "O1"


@pytest.mark.parametrize(
    ("fields", "name", "field"),
    [
        ({"kind": "orders"}, "orders.csv", "kind"),
        ({}, "orders.pdf", "file"),
        ({"encoding": "klingon"}, "orders.csv", "encoding"),
        ({"mapping": "{not json"}, "orders.csv", "mapping"),
        ({"mapping": '{"a": "price"}'}, "orders.csv", "mapping"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(admin, fields, name, field):
    response = upload(admin, name=name, **fields)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    assert not ImportJob.objects.exists()


def test_a_file_over_the_size_limit_is_refused_with_a_clear_message(admin, settings):
    settings.SURVEYHUB_IMPORT_MAX_UPLOAD_MB = 0

    response = upload(admin)

    assert response.status_code == 413
    assert "limit" in response.json()["errors"]["file"][0]


def test_a_missing_file_is_a_400(admin):
    response = admin.post("/api/v1/imports/", {"kind": "purchases"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert "file" in response.json()["errors"]


def test_the_list_runs_a_fixed_number_of_queries(admin, django_assert_max_num_queries):
    for i in range(5):
        ImportJob.objects.create(kind="purchases", original_name=f"f{i}.csv")

    with django_assert_max_num_queries(6):
        response = admin.get("/api/v1/imports/")

    assert response.json()["count"] == 5


def test_a_manager_can_read_imports_but_not_upload(client):
    client.force_login(UserFactory(role=Role.MANAGER))

    assert client.get("/api/v1/imports/").status_code == 200
    assert upload(client).status_code == 403


def test_an_agent_cannot_see_imports(client):
    client.force_login(UserFactory(role=Role.AGENT))

    assert client.get("/api/v1/imports/").status_code == 403
