"""The editors' login form: password, then, for an editor who turned on two-factor
login, the code from their authenticator app (TOTP, django-otp)."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django_otp import user_has_device
from django_otp.forms import OTPAuthenticationFormMixin

CODE_WIDGET = forms.TextInput(
    attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": "8"}
)


class EditorLoginForm(OTPAuthenticationFormMixin, AdminAuthenticationForm):
    otp_token = forms.CharField(
        label="Two-factor code", required=False, max_length=8, widget=CODE_WIDGET
    )
    otp_device = forms.CharField(required=False, widget=forms.HiddenInput)
    otp_challenge = forms.CharField(required=False, widget=forms.HiddenInput)
    otp_error_messages = {
        **OTPAuthenticationFormMixin.otp_error_messages,
        "token_required": "Two-factor login is on for this account: enter the 6-digit "
        "code from your authenticator app.",
        "invalid_token": (
            "That two-factor code is not right or has expired; enter the current one."
        ),
        "n_failed_attempts": (
            "That two-factor code is not right, after %(failure_count)d wrong codes: wait "
            "a few seconds, then enter the current one."
        ),
    }

    def clean_username(self) -> str:
        """Django's login form sets the username's length limit after its validators are
        made, so it does not check it: a 100 KB username would reach django-axes, whose
        record of the attempt holds 255 characters."""
        username = self.cleaned_data["username"]
        if len(username) > self.username_field.max_length:
            raise forms.ValidationError(
                f"A username has at most {self.username_field.max_length} characters."
            )
        return username

    def _chosen_device(self, user):
        """An editor has one authenticator app (set up on the Two-factor login page):
        the code is checked against it without asking which device."""
        from django_otp.plugins.otp_totp.models import TOTPDevice

        chosen = super()._chosen_device(user)
        return chosen or TOTPDevice.objects.devices_for_user(user, confirmed=True).first()

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        if user is not None and user_has_device(user, confirmed=True):
            try:
                self.clean_otp(user)
            except forms.ValidationError:
                # A wrong code counts as a failed login, so django-axes locks out
                # guessing of codes as it does guessing of passwords.
                user_login_failed.send(
                    sender=__name__,
                    credentials={"username": cleaned.get("username")},
                    request=self.request,
                )
                raise
        return cleaned
