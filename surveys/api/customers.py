"""The `customers/` resource: the directory through the API (writes go through the services)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404  # a malformed id is a 404
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from surveyhub.api.permissions import ChangePermission, ModelPermissions
from surveys.customers.panels import customer_value
from surveys.customers.queries import customers_directory
from surveys.customers.services import (
    customer_create,
    customer_delete,
    customer_merge,
    customer_update,
)
from surveys.models import Customer
from surveys.privacy.access_log import personal_data_listed, personal_data_viewed
from surveys.privacy.personal_data import personal_data_erase, personal_data_export


class TagNamesField(serializers.ListField):
    """Tags as a list of names; unknown names are created."""

    child = serializers.CharField(max_length=64)

    def to_representation(self, tags):
        return [tag.name for tag in tags.all()]


class CustomerSerializer(serializers.ModelSerializer):
    tags = TagNamesField(required=False)
    phone = serializers.CharField(
        required=False, allow_blank=True, max_length=40,
        help_text=_("Any common format; stored as E.164 (+86 by default)."),
    )  # fmt: skip

    class Meta:
        model = Customer
        fields = [
            "id", "external_id", "name", "email", "phone", "region", "language", "tags",
            "attributes", "consent", "unsubscribed", "merged_into", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["merged_into", "created_at", "updated_at"]
        # Uniqueness is checked by the service (full_clean) so the message is the model's.
        extra_kwargs = {"external_id": {"validators": []}}


class CustomerDetailSerializer(CustomerSerializer):
    value = serializers.SerializerMethodField(allow_null=True)  # null: no purchases yet

    class Meta(CustomerSerializer.Meta):
        fields = [*CustomerSerializer.Meta.fields, "value"]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_value(self, customer) -> dict | None:
        return customer_value(customer)


class MergeSerializer(serializers.Serializer):
    duplicate = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.all())


class PersonalDataPermission(BasePermission):
    """Export needs surveys.export_customer (Admin, Manager); erasure surveys.erase_customer
    (Admin only)."""

    def has_permission(self, request, view):
        user = request.user
        if not user or not user.is_authenticated:
            return False
        action = "erase" if request.method == "DELETE" else "export"
        return user.has_perm(f"surveys.{action}_customer")


class ErasureResultSerializer(serializers.Serializer):
    customer_id = serializers.IntegerField()
    erased_at = serializers.DateTimeField()
    records = serializers.DictField(child=serializers.IntegerField())


@extend_schema(
    parameters=[
        OpenApiParameter("q", str, description="search name, external ID, email, phone"),
        OpenApiParameter("region", str),
        OpenApiParameter("tag", str),
        OpenApiParameter("language", str),
        OpenApiParameter("unsubscribed", bool),
    ]
)
class CustomerViewSet(viewsets.ModelViewSet):
    serializer_class = CustomerSerializer
    permission_classes = [ModelPermissions]
    queryset = Customer.objects.none()

    def get_queryset(self):
        params = self.request.query_params
        unsubscribed = params.get("unsubscribed")
        return customers_directory(
            search=params.get("q", ""),
            region=params.get("region", ""),
            tag=params.get("tag", ""),
            language=params.get("language", ""),
            unsubscribed=None if unsubscribed is None else unsubscribed in ("1", "true", "yes"),
            include_merged=self.action != "list",
        )

    def get_serializer_class(self):
        return CustomerDetailSerializer if self.action == "retrieve" else CustomerSerializer

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        shown = len(response.data.get("results", ()))
        personal_data_listed(request, resource="customers", count=shown)
        return response

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        personal_data_viewed(
            request, resource="customer", object_id=kwargs["pk"], customer_id=response.data["id"]
        )
        return response

    # A CustomerError of the services is answered by the exception handler (400).
    def perform_create(self, serializer):
        serializer.instance = customer_create(**serializer.validated_data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        tags = data.pop("tags", None)
        serializer.instance = customer_update(customer=serializer.instance, tags=tags, **data)

    def perform_destroy(self, instance):
        customer_delete(customer=instance)

    @extend_schema(request=MergeSerializer, responses={200: CustomerSerializer})
    @action(detail=True, methods=["post"], permission_classes=[ChangePermission])
    def merge(self, request, pk=None):
        """Merge another customer (`duplicate`) into this one."""
        keep = get_object_or_404(Customer, pk=pk)
        incoming = MergeSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        kept = customer_merge(keep=keep, duplicate=incoming.validated_data["duplicate"])
        return Response(CustomerSerializer(kept).data, status=status.HTTP_200_OK)

    @extend_schema(
        methods=["GET"],
        request=None,
        responses={200: OpenApiTypes.OBJECT},
        description="PIPL/GDPR export of everything held about this person, as JSON.",
    )
    @extend_schema(
        methods=["DELETE"],
        request=None,
        responses={200: ErasureResultSerializer},
        description=(
            "PIPL/GDPR erasure: identity and free text removed everywhere, scores and "
            "purchases kept on an anonymous placeholder so the metrics do not change."
        ),
    )
    @action(
        detail=True, methods=["get", "delete"], url_path="personal-data",
        permission_classes=[PersonalDataPermission],
    )  # fmt: skip
    def personal_data(self, request, pk=None):
        customer = get_object_or_404(Customer, pk=pk)
        if request.method == "DELETE":
            result = personal_data_erase(customer=customer, request=request)
            return Response(result, status=status.HTTP_200_OK)
        return Response(personal_data_export(customer=customer, request=request))
