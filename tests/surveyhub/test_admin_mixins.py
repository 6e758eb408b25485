"""Records the product writes itself cannot be added or edited in the admin, even by a
superuser; view-only ones cannot be deleted either."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from surveyhub.admin_mixins import NoAddOrChange, ViewOnly
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

WRITTEN_BY_THE_PRODUCT = {
    "surveyhub.ApiToken", "surveyhub.LoginLockout", "analytics.ImportJob",
    "analytics.EvaluationSnapshot", "analytics.ClvRun", "analytics.Report", "analytics.Alert",
    "feedback.FeedbackItem", "feedback.Topic", "feedback.SentimentCorrection", "feedback.Case",
    "surveys.PersonalDataAccess", "surveys.ConsentText", "surveys.ContactSuppression",
}  # fmt: skip
VIEW_ONLY = {"feedback.Case", "surveys.PersonalDataAccess", "surveys.ConsentText",
             "surveys.ContactSuppression"}  # fmt: skip


def _label(model) -> str:
    return f"{model._meta.app_label}.{model._meta.object_name}"


def test_the_mixins_cover_exactly_the_records_the_product_writes():
    registry = {_label(model): model_admin for model, model_admin in admin.site._registry.items()}
    assert {k for k, a in registry.items() if isinstance(a, NoAddOrChange)} == (
        WRITTEN_BY_THE_PRODUCT
    )
    assert {k for k, a in registry.items() if isinstance(a, ViewOnly)} == VIEW_ONLY


@pytest.mark.parametrize("label", sorted(WRITTEN_BY_THE_PRODUCT))
def test_a_superuser_can_neither_add_nor_change_them(client, label):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    model = next(m for m in admin.site._registry if _label(m) == label)
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    request.user = superuser

    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert model_admin.has_delete_permission(request) is (label not in VIEW_ONLY)
    client.force_login(superuser)
    add_url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/add/"
    assert client.get(add_url).status_code == 403
