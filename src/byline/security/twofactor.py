"""Two-factor login for editors, optional: an editor turns it on in the admin
(Two-factor login, beside "Change password") by scanning a QR code with an authenticator
app and typing the code it shows; from then on their login asks for the current code."""

from base64 import b32encode

import segno
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from byline.admin_site import admin_site

DEVICE_NAME = "Authenticator app"


def _verified(device: TOTPDevice, code: str) -> bool:
    code = code.strip().replace(" ", "")
    return code.isascii() and code.isdigit() and device.verify_token(code)


def _setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    confirmed = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
    error = ""
    if request.method == "POST":
        code = request.POST.get("code", "")[:16]
        if confirmed and request.POST.get("action") == "disable":
            if _verified(confirmed, code):
                TOTPDevice.objects.filter(user=user).delete()
                messages.success(request, "Two-factor login is off for your account.")
                return HttpResponseRedirect(reverse("security:two-factor"))
            error = "That code is not right or has expired; two-factor login stays on."
        elif not confirmed:
            pending = TOTPDevice.objects.filter(user=user, confirmed=False).first()
            if pending and _verified(pending, code):
                pending.confirmed = True
                pending.save(update_fields=["confirmed"])
                otp_login(request, pending)
                messages.success(
                    request, "Two-factor login is on: from now on, log in with your code."
                )
                return HttpResponseRedirect(reverse("security:two-factor"))
            error = "That code is not right or has expired; scan the QR code and try again."
    context = {
        **admin_site.each_context(request),
        "title": "Two-factor login",
        "enabled": confirmed is not None,
        "error": error,
    }
    if confirmed is None:
        pending, _ = TOTPDevice.objects.get_or_create(
            user=user, confirmed=False, defaults={"name": DEVICE_NAME}
        )
        qr = segno.make(pending.config_url, error="m")
        context["qr_svg"] = qr.svg_inline(scale=5, border=2, light="#fff")
        context["secret"] = _base32(pending)
    return render(request, "security/two_factor.html", context)


def _base32(device: TOTPDevice) -> str:
    """The secret as apps accept it typed in, in groups of four."""
    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


# The admin's own login check (and two-factor check) guards the page.
setup = admin_site.admin_view(_setup)
