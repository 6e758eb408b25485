from django.urls import path

from surveys.customers import views as customer_views

urlpatterns = [
    path("", customer_views.customer_list, name="customers"),
    path("<int:pk>/", customer_views.customer_detail, name="customer-detail"),
    path("<int:pk>/merge/", customer_views.customer_merge_view, name="customer-merge"),
]
