from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from analytics.models import Purchase
from surveys.models import Customer

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_chinese_customers_with_a_year_of_purchases(capsys):
    call_command("seed_demo")

    demo = Customer.objects.filter(external_id__startswith="DEMO-")
    assert demo.count() == 200
    assert demo.filter(language="en").exists()
    assert demo.filter(unsubscribed=True).exists()
    assert demo.exclude(tags=None).exists()
    assert all(c.phone.startswith("+861") for c in demo)
    purchases = Purchase.objects.filter(customer__in=demo)
    assert purchases.count() > 500
    assert not purchases.filter(ordered_at__lt=timezone.now() - timedelta(days=366)).exists()
    assert purchases.filter(is_refund=True, amount__lt=0).exists()
    assert purchases.values("category").distinct().count() >= 5
