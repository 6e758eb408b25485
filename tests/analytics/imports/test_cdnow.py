"""The CDNOW sample in shared/data imports completely."""

import pytest
from django.core.management import call_command

from analytics.models import Purchase
from surveys.models import Customer
from tests.support import cdnow_path

pytestmark = pytest.mark.django_db


def test_the_cdnow_file_gives_2357_customers_and_6919_purchases(capsys):
    call_command("import_purchases", str(cdnow_path()))

    assert Customer.objects.count() == 2357
    assert Purchase.objects.count() == 6919
    assert Purchase.objects.filter(currency="USD").count() == 6919
    assert "6919 rows, 6919 valid, 0 rejected" in capsys.readouterr().out
