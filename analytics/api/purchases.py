"""The `purchases/` resource: list (with the common filters) and create one purchase."""

from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets

from analytics.imports.jobs import purchase_create
from analytics.models import Purchase
from analytics.purchases.queries import purchases_for_api
from surveyhub.api.fields import DateTimeField
from surveyhub.api.permissions import ModelPermissions
from surveys.models import Customer


class PurchaseSerializer(serializers.ModelSerializer):
    customer = serializers.SlugRelatedField(
        slug_field="external_id", queryset=Customer.objects.filter(external_id__isnull=False)
    )
    currency = serializers.CharField(max_length=3, required=False, allow_blank=True)
    ordered_at = DateTimeField()
    store = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True,
        help_text=_lazy("Code of the store of the managed list the order was made in (imports)."),
    )  # fmt: skip

    class Meta:
        model = Purchase
        fields = ["id", "customer", "order_id", "ordered_at", "amount", "currency", "category",
                  "channel", "quantity", "store", "is_refund", "created_at"]  # fmt: skip
        read_only_fields = ["is_refund", "store", "created_at"]
        extra_kwargs = {"order_id": {"validators": []}}


@extend_schema(
    parameters=[
        OpenApiParameter("from", str, description="first order date (inclusive), YYYY-MM-DD"),
        OpenApiParameter("to", str, description="last order date (inclusive), YYYY-MM-DD"),
        OpenApiParameter("category", str),
        OpenApiParameter("customer", str, description="the customer's external ID"),
    ]
)
class PurchaseViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = PurchaseSerializer
    permission_classes = [ModelPermissions]
    queryset = Purchase.objects.none()

    def get_queryset(self):
        params = self.request.query_params
        dates = {}
        for name in ("from", "to"):
            if params.get(name):
                dates[name] = parse_date(params[name])
                if dates[name] is None:
                    raise serializers.ValidationError({name: [_("Expected a date: YYYY-MM-DD.")]})
        return purchases_for_api(
            start=dates.get("from"),
            end=dates.get("to"),
            category=params.get("category", ""),
            customer_external_id=params.get("customer", ""),
        )

    def perform_create(self, serializer):
        # A PurchaseError (e.g. a known order_id) is a 400 from the exception handler.
        serializer.instance = purchase_create(**serializer.validated_data)
