"""Staff pages of the customer directory: search and filter, and the customer 360 page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from surveys.customers.attributes import attribute_keys
from surveys.customers.directory_filters import directory_filters_apply
from surveys.customers.forms import CustomerFilterForm, CustomerMergeForm
from surveys.customers.panels import customer_panels
from surveys.customers.queries import (
    customer_for_page,
    customer_regions,
    customer_tag_names,
    customers_directory,
)
from surveys.customers.services import CustomerError, customer_merge
from surveys.models import Customer
from surveys.privacy.access_log import personal_data_listed, personal_data_viewed


@login_required
@permission_required("surveys.view_customer", raise_exception=True)
def customer_list(request):
    form = CustomerFilterForm(
        request.GET or None, regions=customer_regions(), tags=customer_tag_names(),
        attributes=attribute_keys(),
    )  # fmt: skip
    filters = form.cleaned_data if form.is_valid() else {}
    unsubscribed = filters.get("unsubscribed", "")
    customers = customers_directory(
        search=filters.get("q", ""),
        region=filters.get("region", ""),
        tag=filters.get("tag", ""),
        language=filters.get("language", ""),
        unsubscribed=None if unsubscribed == "" else unsubscribed == "1",
        attribute=filters.get("attribute", ""),
        attribute_value=filters.get("attribute_value", ""),
    )
    customers = directory_filters_apply(customers, filters)
    page = Paginator(customers, 50).get_page(request.GET.get("page"))
    personal_data_listed(request, resource="customers", count=len(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "surveys/customers/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            # Folded filters stay open while one of them is set.
            "more_filters_active": any(v for k, v in filters.items() if k != "q"),
        },
    )


@login_required
@permission_required("surveys.view_customer", raise_exception=True)
def customer_detail(request, pk: int):
    try:
        customer = customer_for_page(pk)
    except Customer.DoesNotExist:
        raise Http404 from None
    personal_data_viewed(request, resource="customer", object_id=pk, customer_id=pk)
    panels = []
    for panel in customer_panels(request.user):
        content = panel.render(customer, request)
        if content is None:
            continue
        html = render_to_string(
            content.template, {"customer": customer, **content.context}, request=request
        )
        panels.append({"key": panel.key, "title": panel.title, "html": html})
    return render(
        request,
        "surveys/customers/detail.html",
        {
            "customer": customer,
            "panels": panels,
            "merge_form": CustomerMergeForm(),
            "can_merge": request.user.has_perm("surveys.change_customer"),
            "can_export": request.user.has_perm("surveys.export_customer"),
            "can_erase": request.user.has_perm("surveys.erase_customer"),
        },
    )


@require_POST
@login_required
@permission_required("surveys.change_customer", raise_exception=True)
def customer_merge_view(request, pk: int):
    form = CustomerMergeForm(request.POST)
    keep = Customer.objects.filter(pk=pk).first()
    if keep is None:
        raise Http404
    if form.is_valid():
        duplicate = Customer.objects.filter(pk=form.cleaned_data["duplicate"]).first()
        if duplicate is None:
            messages.error(request, _("There is no customer with this ID."))
        else:
            try:
                customer_merge(keep=keep, duplicate=duplicate)
            except CustomerError as exc:
                messages.error(request, str(exc.message))
            else:
                messages.success(
                    request,
                    _("Customer #%(duplicate)s was merged into this customer.")
                    % {"duplicate": duplicate.pk},
                )
    else:
        messages.error(request, _("Enter the ID of the customer to merge."))
    return redirect("surveys:customer-detail", pk=pk)
