"""factory_boy factories shared by every test module."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from surveyhub.security.roles import Role, sync_roles
from surveys.models import Customer, Survey, SurveyKind


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "pw-for-tests-1")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            sync_roles()
            self.groups.add(Group.objects.get(name=Role(extracted).value))
        if create:
            self.save()


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    external_id = factory.Sequence(lambda n: f"C{n:06d}")
    name = factory.Sequence(lambda n: f"客户{n}")
    email = factory.Sequence(lambda n: f"customer{n}@example.cn")
    region = "上海"


def published_survey(template: str = "relationship_nps", slug: str | None = None, **changes):
    """A survey made from a template through the real services, then published."""
    from surveys.design.services import survey_create_from_template, survey_publish, survey_update

    survey = survey_create_from_template(
        template_key=template, slug=slug or f"{template.replace('_', '-')}-{Survey.objects.count()}"
    )
    if changes:
        survey = survey_update(survey=survey, **changes)
    return survey_publish(survey=survey)


class SurveyFactory(factory.django.DjangoModelFactory):
    """A draft survey with its first version, made through the real service."""

    class Meta:
        model = Survey

    title = "客户满意度调查"
    title_en = "Customer satisfaction survey"
    slug = factory.Sequence(lambda n: f"survey-{n}")
    kind = SurveyKind.NPS

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from surveys.design.services import survey_create

        return survey_create(**kwargs)


class PurchaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "analytics.Purchase"

    customer = factory.SubFactory(CustomerFactory)
    order_id = factory.Sequence(lambda n: f"ORD{n:08d}")
    ordered_at = factory.LazyFunction(timezone.now)
    amount = "199.00"
    category = "服装"
    channel = "天猫"


class FeedbackItemFactory(factory.django.DjangoModelFactory):
    """A feedback item as another channel would send it, not yet analysed."""

    class Meta:
        model = "feedback.FeedbackItem"

    text = "物流太慢了，等了一个星期"
    source = "api"


def submitted_response(*, survey, data: dict, customer=None):
    """A completed response through the real service, attributed to `customer` before the
    transaction commits (as an invitation would). Wrap the call in
    django_capture_on_commit_callbacks(execute=True) to run the response_submitted receivers."""
    from django.db import transaction

    from surveys.models import Response
    from surveys.responding.services import response_submit

    with transaction.atomic():
        response, _created = response_submit(survey=survey, data=data, consent_given=True)
        if customer is not None:
            Response.objects.filter(pk=response.pk).update(customer=customer)
            response.customer = customer
    return response


def detractor_case(*, customer=None, nps: int = 3, comment: str = "", survey=None):
    """An open case, opened by the real rules for a detractor's response (receivers not run)."""
    from feedback.cases.opening import cases_open_for_response

    data = {"nps": nps, **({"comment": comment} if comment else {})}
    response = submitted_response(
        survey=survey or published_survey(), data=data, customer=customer or CustomerFactory()
    )
    return cases_open_for_response(response_id=response.pk)


def survey_feedback_item(response, text: str = "…", **fields):
    """An item of a survey answer as feedback.analysis.items makes it: it carries its response's
    completion time and NPS score (topic drivers count from the items alone)."""
    from feedback.models import FeedbackItem

    return FeedbackItem.objects.create(
        text=text, source="survey", response=response, survey_id=response.survey_id,
        customer_id=response.customer_id, created_at=response.completed_at,
        nps_score=response.nps_score, **fields,
    )  # fmt: skip


def one_of_each_resource(*, slug: str, external_id: str, order_id: str, **survey_changes):
    """One object of every API resource, made through the real services where they exist
    (the role matrix and the schema fuzzing call each resource on them)."""
    from types import SimpleNamespace

    from django.utils import timezone

    from analytics.models import EvaluationSnapshot, ImportJob, Purchase, Report
    from feedback.models import FeedbackItem, Topic
    from surveys.distribution.invitations import distribution_create

    survey = published_survey(slug=slug, **survey_changes)
    customer = CustomerFactory(external_id=external_id)
    case = detractor_case(customer=customer, comment="等了半小时没人理😡", survey=survey)
    case = case[0] if isinstance(case, list) else case
    Purchase.objects.create(
        customer=customer, order_id=order_id, ordered_at=timezone.now(), amount="120.00"
    )
    EvaluationSnapshot.objects.create(
        period="2026Q2", period_start="2026-04-01", period_end="2026-06-30", version=1,
        result={"index": 70.0, "indicators": []},
    )  # fmt: skip
    return SimpleNamespace(
        survey=survey, customer=customer, case=case, period="2026Q2",
        item=FeedbackItem.objects.create(text="包装破了", source="wechat", customer=customer),
        topic=Topic.objects.create(key="logistics", name="物流"),
        job=ImportJob.objects.create(kind="purchases", original_name="orders.csv"),
        report=Report.objects.create(period="2026Q2", format="xlsx"),
        distribution=distribution_create(
            survey=survey, channel="link", audience={}, name="门店二维码"
        ),
    )  # fmt: skip
