from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from byline.comments.models import ModerationSettings
from byline.comments.spam_filter import (
    features_of,
    spam_filter_evidence,
    spam_filter_forget_all,
    spam_filter_is_active,
    spam_filter_learn,
)
from byline.comments.training_files import LabelledFileError, labelled_file_read


class Command(BaseCommand):
    help = "The learning spam filter: train it from a labelled CSV file, show or reset it."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        train = actions.add_parser(
            "train", help="teach the filter a CSV file of labelled comments (text, label)"
        )
        train.add_argument("file", type=Path)
        actions.add_parser("status", help="what the filter was taught, and whether it acts")
        reset = actions.add_parser("reset", help="forget everything the filter was taught")
        reset.add_argument("--yes", action="store_true", help="do not ask")

    def handle(self, *args, action: str, **options) -> None:
        getattr(self, f"handle_{action}")(**options)

    def handle_train(self, *, file: Path, **options) -> None:
        try:
            rows = labelled_file_read(file)
        except LabelledFileError as error:
            raise CommandError(str(error)) from None
        taught = spam_filter_learn(
            (features_of(body=row.text, name=row.author), row.is_spam) for row in rows
        )
        spam = sum(row.is_spam for row in rows)
        self.stdout.write(
            f"Trained the spam filter on {taught} comments from {file.name}: "
            f"{spam} spam, {taught - spam} not spam."
        )
        self.handle_status()

    def handle_status(self, **options) -> None:
        rules = ModerationSettings.current()
        evidence = spam_filter_evidence(set())
        state = (
            "active"
            if spam_filter_is_active(rules=rules, evidence=evidence)
            else "off"
            if not rules.spam_filter
            else f"learning: it acts after {rules.spam_filter_min_decisions} decisions, "
            "with spam and legitimate comments among them"
        )
        self.stdout.write(
            f"The filter knows {evidence.spam_comments} spam and {evidence.ham_comments} "
            f"legitimate comments ({evidence.vocabulary} distinct features); it is {state}."
        )

    def handle_reset(self, *, yes: bool, **options) -> None:
        if not yes:
            raise CommandError("This forgets everything the filter learned; add --yes to do it.")
        spam_filter_forget_all()
        self.stdout.write("The spam filter is reset: neutral, as on a new site.")
