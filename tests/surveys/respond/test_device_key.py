"""The device key is derived once per secret key, not per submit, and stays what Django's
salted_hmac gave before: keys stored earlier keep matching new answers of the same device."""

from django.utils.crypto import salted_hmac

from surveys.responding.device import SALT, device_key


def test_the_key_is_djangos_salted_hmac_of_the_device_id(settings):
    for raw in ("app-install-0001", "設備-悦享-😀", "x" * 64):
        assert device_key(raw) == salted_hmac(SALT, raw, algorithm="sha256").hexdigest()
        assert device_key(f"  {raw} ") == device_key(raw)
    assert device_key("") == device_key(None) == device_key("   ") == ""


def test_another_secret_key_gives_another_key(settings):
    before = device_key("app-install-0001")
    settings.SECRET_KEY = "another-" + "k" * 50
    after = device_key("app-install-0001")
    assert after != before
    assert after == salted_hmac(SALT, "app-install-0001", algorithm="sha256").hexdigest()
