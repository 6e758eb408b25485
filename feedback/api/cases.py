"""The cases API: list, retrieve, update (assign, change status), notes, reply, resolve.

Agents and managers hold `feedback.view_case` / `change_case`; designers hold neither and
get 403. Assigning a case to someone else needs `feedback.reassign_case` (managers)."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response as ApiResponse

from feedback.cases.contact import case_reply
from feedback.cases.queries import QUEUE_VIEWS, CaseFilters, case_queue
from feedback.cases.services import (
    CaseError,
    case_assign,
    case_close,
    case_note_add,
    case_reopen,
    case_resolve,
    case_start,
    case_wait_on_customer,
)
from feedback.models.cases import (
    Case,
    CaseNote,
    CaseOutcome,
    CasePriority,
    CaseReply,
    CaseStatus,
    ResolutionReason,
)
from surveyhub.api.permissions import ChangePermission, ModelPermissions
from surveys.filters import parse_int
from surveys.privacy.access_log import personal_data_viewed

# Plain strings, not enums: "status" already names other choice sets in the schema.
STATUS_HELP = "One of: " + ", ".join(CaseStatus.values)
MOVABLE_STATUSES = [s for s in CaseStatus.values if s != CaseStatus.RESOLVED]


class CaseSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text=STATUS_HELP)
    assignee = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    team = serializers.SlugRelatedField(slug_field="name", read_only=True, allow_null=True)
    customer = serializers.SerializerMethodField()
    survey = serializers.SerializerMethodField()
    resolution_reason = serializers.SlugRelatedField(
        slug_field="name", read_only=True, allow_null=True
    )
    # Empty until the case is resolved.
    outcome = serializers.ChoiceField(choices=CaseOutcome.choices, read_only=True, allow_blank=True)
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id", "status", "priority", "assignee", "team", "customer", "response", "survey",
            "triggers", "value_tier", "created_at", "due_first_response_at", "due_at",
            "first_response_at", "resolved_at", "closed_at", "resolution_reason", "outcome",
            "resurvey_score", "is_overdue",
        ]  # fmt: skip
        read_only_fields = fields

    def get_customer(self, case) -> dict | None:
        if case.customer_id is None:
            return None
        return {"id": case.customer_id, "name": case.customer.name}

    def get_survey(self, case) -> int | None:
        return case.response.survey_id if case.response_id else None

    def get_is_overdue(self, case) -> bool:
        return case.is_overdue()


class CaseUpdateSerializer(serializers.Serializer):
    assignee = serializers.SlugRelatedField(
        slug_field="username",
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        help_text="Username of the person to assign the case to.",
    )
    status = serializers.CharField(
        required=False,
        help_text="One of: " + ", ".join(MOVABLE_STATUSES) + ". Use cases/{id}/resolve/ to "
        "resolve (it needs a reason and an outcome).",
    )

    def validate_status(self, value: str) -> str:
        if value not in MOVABLE_STATUSES:
            raise serializers.ValidationError(
                _("Expected one of: %(choices)s.") % {"choices": ", ".join(MOVABLE_STATUSES)}
            )
        return value


class CaseNoteSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = CaseNote
        fields = ["id", "kind", "text", "author", "created_at"]
        read_only_fields = ["id", "kind", "author", "created_at"]


class CaseReplySerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)
    status = serializers.CharField(read_only=True, help_text="pending, sent or failed")

    class Meta:
        model = CaseReply
        fields = ["id", "subject", "body", "to_email", "language", "status", "author",
                  "created_at", "sent_at"]  # fmt: skip
        read_only_fields = fields


class CaseReplyInputSerializer(serializers.Serializer):
    message = serializers.CharField(max_length=10000)
    subject = serializers.CharField(max_length=200, required=False, allow_blank=True)


class CaseResolveSerializer(serializers.Serializer):
    reason = serializers.SlugRelatedField(
        slug_field="name", queryset=ResolutionReason.objects.filter(is_active=True)
    )
    outcome = serializers.ChoiceField(choices=CaseOutcome.choices)
    resurvey = serializers.BooleanField(default=False)


STATUS_ACTIONS = {
    CaseStatus.IN_PROGRESS: case_start,
    CaseStatus.WAITING_ON_CUSTOMER: case_wait_on_customer,
    CaseStatus.CLOSED: case_close,
}


@extend_schema(
    parameters=[
        OpenApiParameter("view", str, enum=[*QUEUE_VIEWS, "all"]),
        OpenApiParameter("status", str, enum=CaseStatus.values),
        OpenApiParameter("priority", str, enum=CasePriority.values),
        OpenApiParameter("survey", int),
        OpenApiParameter("topic", int),
        OpenApiParameter("value_tier", str),
    ]
)
class CaseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = CaseSerializer
    permission_classes = [ModelPermissions]  # notes, reply, resolve: see get_permissions
    queryset = Case.objects.all()

    def get_permissions(self):
        if self.action in ("notes", "reply", "resolve"):
            return [ChangePermission()]
        return super().get_permissions()

    def get_queryset(self):
        if self.action != "list":
            return case_queue(user=self.request.user, filters=CaseFilters(view="all"))
        params = self.request.query_params
        view = params.get("view", "all")
        if view not in (*QUEUE_VIEWS, "all"):
            raise serializers.ValidationError(
                {
                    "view": [
                        _("Expected one of: %(choices)s.")
                        % {"choices": "open, mine, unassigned, overdue, all"}
                    ]
                }
            )
        for name, allowed in (("status", CaseStatus.values), ("priority", CasePriority.values)):
            if params.get(name) and params[name] not in allowed:
                raise serializers.ValidationError(
                    {name: [_("Expected one of: %(choices)s.") % {"choices": ", ".join(allowed)}]}
                )
        filters = CaseFilters(
            view=view, status=params.get("status", ""), priority=params.get("priority", ""),
            survey=parse_int(params, "survey"), topic=parse_int(params, "topic"),
            value_tier=params.get("value_tier", "")[:32],
        )  # fmt: skip
        return case_queue(user=self.request.user, filters=filters)

    def retrieve(self, request, *args, **kwargs):
        case = self.get_object()
        personal_data_viewed(
            request, resource="case", object_id=case.pk, customer_id=case.customer_id
        )
        return ApiResponse(self.get_serializer(case).data)

    @extend_schema(request=CaseUpdateSerializer, responses=CaseSerializer)
    def update(self, request, *args, **kwargs):
        case = self.get_object()
        data = CaseUpdateSerializer(data=request.data, partial=kwargs.get("partial", False))
        data.is_valid(raise_exception=True)
        # A CaseError rolls both changes back and is answered by the exception handler (400).
        with transaction.atomic():
            if "assignee" in data.validated_data:
                case = case_assign(
                    case=case, assignee=data.validated_data["assignee"], by=request.user
                )
            wanted = data.validated_data.get("status")
            if wanted and wanted != case.status:
                case = self._move(case, wanted, request.user)
        return ApiResponse(CaseSerializer(self.get_queryset().get(pk=case.pk)).data)

    @extend_schema(request=CaseUpdateSerializer, responses=CaseSerializer)
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    @staticmethod
    def _move(case: Case, wanted: str, user) -> Case:
        if wanted in (CaseStatus.NEW, CaseStatus.ASSIGNED) and not case.is_open:
            return case_reopen(case=case, by=user)
        if wanted in STATUS_ACTIONS:
            return STATUS_ACTIONS[wanted](case=case, by=user)
        raise CaseError(
            _("A case cannot be moved from %(from)s to %(to)s.")
            % {"from": case.get_status_display(), "to": CaseStatus(wanted).label},
            field="status",
        )

    @extend_schema(methods=["GET"], responses=CaseNoteSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=CaseNoteSerializer, responses={201: CaseNoteSerializer}
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)  # a plain list, not paged
    def notes(self, request, pk=None):
        """Internal notes and logged calls: staff only, never sent to the customer."""
        case = self.get_object()
        if request.method == "GET":
            notes = case.notes.select_related("author").order_by("created_at", "pk")
            return ApiResponse(CaseNoteSerializer(notes, many=True).data)
        data = CaseNoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        note = case_note_add(case=case, text=data.validated_data["text"], by=request.user)
        return ApiResponse(CaseNoteSerializer(note).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CaseReplyInputSerializer, responses={201: CaseReplySerializer})
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        """Email the customer (queued; `status` becomes `sent` once delivered)."""
        case = self.get_object()
        data = CaseReplyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reply = case_reply(
            case=case, message=data.validated_data["message"],
            subject=data.validated_data.get("subject", ""), by=request.user,
        )  # fmt: skip
        return ApiResponse(CaseReplySerializer(reply).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CaseResolveSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        case = self.get_object()
        data = CaseResolveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = case_resolve(case=case, by=request.user, **data.validated_data)
        return ApiResponse(CaseSerializer(self.get_queryset().get(pk=case.pk)).data)
