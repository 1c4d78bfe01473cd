import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from byline.comments.housekeeping import comments_housekeeping
from byline.comments.privacy import commenter_erase, commenter_export


def _email(value: str) -> str:
    value = value.strip().lower()
    try:
        validate_email(value)
    except ValidationError:
        raise CommandError(f"{value!r} is not an email address.") from None
    return value


class Command(BaseCommand):
    help = "Commenters' data (export, erase) and the comments' scheduled clean-up."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser(
            "export", help="print, as JSON, everything stored for one email address"
        )
        export.add_argument("email")
        erase = actions.add_parser("erase", help="erase everything stored for one email address")
        erase.add_argument("email")
        erase.add_argument("--yes", action="store_true", help="do not ask")
        actions.add_parser("clean-up", help="delete old spam and trash, erase old IP addresses now")

    def handle(self, *args, action: str, **options) -> None:
        {"export": self.export, "erase": self.erase, "clean-up": self.clean_up}[action](**options)

    def export(self, *, email: str, **options) -> None:
        data = commenter_export(email=_email(email))
        self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))

    def erase(self, *, email: str, yes: bool, **options) -> None:
        email = _email(email)
        if not yes:
            try:
                answer = input(f"Erase everything stored for {email}? It cannot be undone. [y/N] ")
            except EOFError:
                answer = ""
            if answer.strip().lower() not in {"y", "yes"}:
                raise CommandError("Nothing was erased (add --yes to erase without asking).")
        erased = commenter_erase(email=email)
        self.stdout.write(
            f"Erased {email}: {erased.comments_deleted} comment(s) deleted, "
            f"{erased.comments_anonymised} kept as 'Anonymous' with the text removed "
            f"(others replied to them), {erased.records_deleted} other record(s) deleted."
        )

    def clean_up(self, **options) -> None:
        done = comments_housekeeping()
        self.stdout.write(
            f"{done.spam_deleted} spam and {done.trash_deleted} trashed comment(s) deleted, "
            f"{done.anonymised} comment(s) had their IP address and browser erased."
        )
