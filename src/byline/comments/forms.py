from django import forms
from django.core.validators import URLValidator


class CommentForm(forms.Form):
    """The reader's comment form. Field names follow WordPress's, so that browsers'
    saved form data and readers' habits carry over."""

    comment = forms.CharField(
        max_length=65525,
        error_messages={
            "required": "Please type your comment.",
            "max_length": "Your comment is too long: at most %(limit_value)s characters, "
            "it has %(show_value)s.",
        },
    )
    author = forms.CharField(
        max_length=245,
        error_messages={
            "required": "Please enter your name.",
            "max_length": "Your name is too long: at most %(limit_value)s characters.",
        },
    )
    email = forms.EmailField(
        max_length=100,
        error_messages={
            "required": "Please enter your email address.",
            "invalid": "Please enter a valid email address, like name@example.com.",
            "max_length": "Your email address is too long: at most %(limit_value)s characters.",
        },
    )
    url = forms.URLField(
        max_length=200,
        required=False,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        error_messages={
            "invalid": "Please enter a web address starting with http:// or https://, "
            "or leave it empty.",
            "max_length": "Your website address is too long: at most %(limit_value)s characters.",
        },
    )
    remember = forms.BooleanField(required=False)
    notify = forms.BooleanField(required=False)
    article = forms.IntegerField(widget=forms.HiddenInput)
    parent = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    # A honeypot: hidden from people by CSS, filled in by naive bots.
    homepage = forms.CharField(required=False)

    def clean_author(self) -> str:
        return " ".join(self.cleaned_data["author"].split())

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()
