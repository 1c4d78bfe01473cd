"""Editors' logins: repeated failures lock an account out from an address
(django-axes), and two-factor login (TOTP, django-otp) is each editor's option."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "correct horse battery staple"
ATTACKER, EDITOR_HOME = "198.51.100.20", "203.0.113.50"


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("ed", email="", password=PASSWORD)


def log_in(client: Client, ip: str, username: str, password: str, code: str = "", **headers):
    data = {"username": username, "password": password, "otp_token": code, "next": "/admin/"}
    return client.post("/admin/login/", data, REMOTE_ADDR=ip, **headers)


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def wait_out_throttle(device: TOTPDevice) -> None:
    """django-otp makes each wrong code wait longer (1 s, 2 s, 4 s…) before the next
    try; here the wait is over at once."""
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )


def is_logged_in(client: Client, ip: str) -> bool:
    return client.get("/admin/", REMOTE_ADDR=ip).status_code == 200


@pytest.mark.django_db
class TestLockout:
    """Five wrong passwords lock that account out from that address, even with the right
    password afterwards; the editor's own address and other accounts are unaffected."""

    def test_repeated_failures_lock_the_account_from_that_address(self, editor):
        attacker = Client()
        for _ in range(4):
            response = log_in(attacker, ATTACKER, "ed", "guess")
            assert response.status_code == 200
            assert "enter the correct username and password" in response.content.decode()
        locked = log_in(attacker, ATTACKER, "ed", "guess")
        assert locked.status_code == 429
        assert "Too many failed logins" in locked.content.decode()
        again = log_in(attacker, ATTACKER, "ed", PASSWORD)
        assert again.status_code == 429
        assert not is_logged_in(attacker, ATTACKER)

        # A client's X-Forwarded-For is not believed: the lock holds.
        spoofed = log_in(attacker, ATTACKER, "ed", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.1")
        assert spoofed.status_code == 429

        editor_browser = Client()
        response = log_in(editor_browser, EDITOR_HOME, "ed", PASSWORD)
        assert response.status_code == 302
        assert is_logged_in(editor_browser, EDITOR_HOME)

    def test_other_accounts_from_that_address_are_not_locked(self, editor):
        get_user_model().objects.create_superuser("other", email="", password=PASSWORD)
        attacker = Client()
        for _ in range(5):
            log_in(attacker, ATTACKER, "ed", "guess")
        assert log_in(Client(), ATTACKER, "other", PASSWORD).status_code == 302

    def test_an_administrator_unlocks_with_a_command(self, editor):
        from django.core.management import call_command

        for _ in range(5):
            log_in(Client(), ATTACKER, "ed", "guess")
        call_command("axes_reset_username", "ed")
        assert log_in(Client(), ATTACKER, "ed", PASSWORD).status_code == 302


@pytest.mark.django_db
class TestTwoFactor:
    """An editor turns on two-factor login in the admin; from then on the password alone
    does not let them in."""

    def test_turning_it_on_then_logging_in_with_a_code(self, editor):
        browser = Client()
        assert log_in(browser, EDITOR_HOME, "ed", PASSWORD).status_code == 302
        page = browser.get("/admin/two-factor/", REMOTE_ADDR=EDITOR_HOME)
        html = page.content.decode()
        assert page.status_code == 200
        assert "Two-factor login is <strong>off</strong>" in html
        assert "<svg" in html and 'id="totp-secret"' in html
        device = TOTPDevice.objects.get(user=editor, confirmed=False)

        wrong = browser.post("/admin/two-factor/", {"action": "enable", "code": "000000"})
        assert "That code is not right" in wrong.content.decode()
        device.refresh_from_db()
        assert not device.confirmed
        wait_out_throttle(device)

        enabled = browser.post(
            "/admin/two-factor/", {"action": "enable", "code": current_code(device)}, follow=True
        )
        assert "Two-factor login is on" in enabled.content.decode()
        assert is_logged_in(browser, EDITOR_HOME)  # this session is verified already

        fresh = Client()
        no_code = log_in(fresh, EDITOR_HOME, "ed", PASSWORD)
        assert no_code.status_code == 200
        assert "enter the 6-digit code" in no_code.content.decode()
        assert not is_logged_in(fresh, EDITOR_HOME)

        wait_out_throttle(device)
        # This 30-second step's code was used once already, and a code works only once.
        TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
        ok = log_in(fresh, EDITOR_HOME, "ed", PASSWORD, code=current_code(device))
        assert ok.status_code == 302, ok.context["form"].errors
        assert is_logged_in(fresh, EDITOR_HOME)

    def test_wrong_codes_count_towards_the_lockout(self, editor):
        TOTPDevice.objects.create(user=editor, name="app", confirmed=True)
        client = Client()
        for _ in range(4):
            response = log_in(client, ATTACKER, "ed", PASSWORD, code="123456")
            assert "two-factor code is not right" in response.content.decode()
        assert log_in(client, ATTACKER, "ed", PASSWORD, code="123456").status_code == 429

    def test_a_password_only_session_is_not_enough_once_it_is_on(self, editor):
        TOTPDevice.objects.create(user=editor, name="app", confirmed=True)
        browser = Client()
        browser.force_login(editor)
        response = browser.get("/admin/", REMOTE_ADDR=EDITOR_HOME)
        assert response.status_code == 302
        assert response.url.startswith("/admin/login/")

    def test_turning_it_off_needs_a_current_code(self, editor):
        device = TOTPDevice.objects.create(user=editor, name="app", confirmed=True)
        browser = Client()
        log_in(browser, EDITOR_HOME, "ed", PASSWORD, code=current_code(device))
        refused = browser.post("/admin/two-factor/", {"action": "disable", "code": "999999"})
        assert "two-factor login stays on" in refused.content.decode()
        assert TOTPDevice.objects.filter(user=editor).exists()
        wait_out_throttle(device)
        TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
        browser.post("/admin/two-factor/", {"action": "disable", "code": current_code(device)})
        assert not TOTPDevice.objects.filter(user=editor).exists()
