"""The learning spam filter: neutral on a new site, taught by moderators' decisions and
labelled files, and its score sends comments to spam, to the queue, or through."""

import csv
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from byline.comments.models import Comment, ModerationSettings, SpamTally
from byline.comments.spam_filter import features_of, spam_filter_learn, spam_filter_score
from tests.comments.helpers import post_comment, set_rules, spam_corpus, staff_client
from tests.factories import CommentFactory

SPAM = [
    "Check out my channel for free bitcoin giveaways http://coins.example",
    "Earn money fast with bitcoin, visit http://rich.example now",
    "Subscribe to my channel please, free gift cards",
    "Cheap pills online, best prices http://pills.example",
    "Make $500 a day from home, click http://work.example",
]
HAM = [
    "Xiaomi's phones are getting better every year.",
    "I doubt Facebook would invest, their China plans failed before.",
    "Great article, thanks for the clear explanation.",
    "The Mi 4 was a solid phone for the price.",
    "Interesting, I did not know about these talks.",
]
BORDERLINE = "My channel reviews the Xiaomi Mi 5 and bitcoin wallets, check it out"
SIMILAR = "My channel reviews the Xiaomi Mi 6 and bitcoin wallets, check it out"


def teach_basics() -> None:
    spam_filter_learn([(features_of(body=text, name="Reader"), True) for text in SPAM])
    spam_filter_learn([(features_of(body=text, name="Reader"), False) for text in HAM])


def score(text: str, name: str = "Reader") -> float | None:
    found = spam_filter_score(
        rules=ModerationSettings.current(), body=text, name=name, url="", email="x@mail.example"
    )
    return None if found is None else found.probability


@pytest.mark.django_db
class TestNeutralStart:
    """A new site's filter decides nothing until it was taught enough decisions."""

    def test_untrained_filter_gives_no_score(self, client, article):
        set_rules(require_previous_approval=False)
        post_comment(client, article, comment=SPAM[0])
        comment = Comment.objects.get()
        assert comment.status == Comment.Status.APPROVED  # only the fixed rules spoke
        assert comment.spam_score is None
        assert comment.status_reason == "no rule held it"

    def test_active_after_the_configured_number_of_decisions(self):
        set_rules(spam_filter_min_decisions=11)
        teach_basics()  # 10 decisions
        assert score(SIMILAR) is None
        set_rules(spam_filter_min_decisions=10)
        assert score(SIMILAR) > 0.9

    def test_filter_switched_off(self):
        teach_basics()
        set_rules(spam_filter_min_decisions=1, spam_filter=False)
        assert score(SIMILAR) is None


@pytest.mark.django_db
class TestScoreDecides:
    """Above the spam score: spam; above the hold score: held; the reason says so."""

    @pytest.fixture(autouse=True)
    def _taught(self):
        set_rules(spam_filter_min_decisions=10, require_previous_approval=False)
        teach_basics()

    def test_spammy_comment_goes_to_spam_with_its_reason(self, client, article):
        response = post_comment(client, article, comment=SIMILAR, author="Bit Coiner")
        assert response.status_code == 303  # the sender is not told
        comment = Comment.objects.get()
        assert comment.status == Comment.Status.SPAM
        assert comment.status_reason.startswith("spam filter: spam score 0.9")
        assert comment.spam_score > 0.9

    def test_legitimate_comment_goes_through_with_its_score(self, client, article):
        post_comment(client, article, comment="Facebook and Xiaomi, what a pair. Good read.")
        comment = Comment.objects.get()
        assert comment.status == Comment.Status.APPROVED
        assert comment.status_reason.startswith("no rule held it; spam score 0.0")

    def test_unsure_score_holds(self, client, article):
        set_rules(hold_threshold=0.0001, spam_threshold=0.9999)
        post_comment(client, article, comment="The Mi 4 price, check it out")
        comment = Comment.objects.get()
        assert comment.status == Comment.Status.PENDING
        assert comment.status_reason.startswith("spam filter: spam score")

    def test_filter_never_releases_what_a_rule_holds(self, client, article):
        set_rules(hold_all=True)
        post_comment(client, article, comment="Great article, thanks for the explanation.")
        comment = Comment.objects.get()
        assert comment.status == Comment.Status.PENDING
        assert comment.status_reason.startswith("every comment is held; spam score")

    def test_obvious_spam_can_be_refused_without_storing(self, client, article):
        set_rules(discard_spam=True, discard_threshold=0.95)
        response = post_comment(client, article, comment=SIMILAR)
        assert response.status_code == 403
        page = response.content.decode()
        assert "looks like spam to this site&#x27;s filter" in page
        assert "bitcoin wallets, check it out</textarea>" in page  # the text is kept
        assert not Comment.objects.exists()

    def test_not_refused_when_the_setting_is_off(self, client, article):
        post_comment(client, article, comment=SIMILAR)
        assert Comment.objects.get().status == Comment.Status.SPAM


@pytest.mark.django_db
class TestModeratorsTeach:
    """A moderator's "Not spam" restores the comment, trusts its author and teaches the
    filter; "Spam" does the opposite."""

    @pytest.fixture(autouse=True)
    def _taught(self):
        set_rules(spam_filter_min_decisions=10)
        teach_basics()

    def test_not_spam_changes_the_next_decision_on_a_similar_comment(self, client, article):
        post_comment(client, article, comment=BORDERLINE, author="Mia Reviewer")
        caught = Comment.objects.get()
        assert caught.status == Comment.Status.SPAM
        assert score(SIMILAR, name="Other Person") >= 0.9  # would be spam too

        editor = staff_client()
        response = editor.post(f"/admin/comments/comment/{caught.pk}/decide/not-spam/")
        assert response.status_code == 302
        caught.refresh_from_db()
        assert caught.status == Comment.Status.APPROVED
        assert caught.trained_as == "ham"
        assert caught.status_reason.startswith("not spam: ")

        assert score(SIMILAR, name="Other Person") < 0.6
        post_comment(
            client, article, comment=SIMILAR, author="Other Person",
            email="other@mail.example", ip="198.51.100.20",
        )  # fmt: skip
        assert Comment.objects.latest("id").status != Comment.Status.SPAM

    def test_not_spam_trusts_the_author(self, client, article):
        post_comment(client, article, comment=BORDERLINE, author="Mia Reviewer")
        caught = Comment.objects.get()
        staff_client().post(f"/admin/comments/comment/{caught.pk}/decide/not-spam/")
        Comment.objects.update(created_at=caught.created_at.replace(year=2020))
        post_comment(client, article, comment="Thanks for restoring it!", author="Mia Reviewer")
        latest = Comment.objects.latest("id")
        assert latest.status == Comment.Status.APPROVED
        assert latest.status_reason.startswith("previously approved author")

    def test_spam_decision_teaches_the_opposite(self, client, article):
        text = "Great explanation of the Mi 4 deal, thanks"
        before = score(text)
        comment = CommentFactory(article=article, body=text, author_name="Reader")
        staff_client().post(f"/admin/comments/comment/{comment.pk}/decide/spam/")
        comment.refresh_from_db()
        assert comment.status == Comment.Status.SPAM
        assert comment.trained_as == "spam"
        assert score(text) > before

    def test_a_changed_mind_replaces_the_lesson(self, article):
        comment = CommentFactory(article=article, body=SIMILAR, status="pending")
        editor = staff_client()
        tally = SpamTally.objects.get()
        editor.post(f"/admin/comments/comment/{comment.pk}/decide/spam/")
        editor.post(f"/admin/comments/comment/{comment.pk}/decide/not-spam/")
        after = SpamTally.objects.get()
        assert (after.spam_comments, after.ham_comments) == (
            tally.spam_comments,
            tally.ham_comments + 1,
        )

    def test_bulk_action_teaches_each_comment(self, article):
        comments = [CommentFactory(article=article, status="pending") for _ in range(3)]
        editor = staff_client()
        response = editor.post(
            "/admin/comments/comment/",
            {"action": "mark_spam", "_selected_action": [c.pk for c in comments]},
        )
        assert response.status_code == 302
        assert SpamTally.objects.get().spam_comments == len(SPAM) + 3
        assert set(Comment.objects.values_list("status", flat=True)) == {"spam"}

    def test_reason_and_buttons_in_the_queue(self, client, article):
        post_comment(client, article, comment=BORDERLINE, author="Mia Reviewer")
        page = staff_client().get("/admin/comments/comment/?status__exact=spam")
        html = page.content.decode()
        assert "spam filter: spam score 0.9" in html
        assert 'formaction="/admin/comments/comment/' in html and ">Not spam</button>" in html

    def test_decisions_need_a_post_by_staff(self, client, article):
        comment = CommentFactory(article=article, status="spam")
        url = f"/admin/comments/comment/{comment.pk}/decide/not-spam/"
        assert staff_client().get(url).status_code == 405
        assert client.post(url).status_code == 302  # to the login page
        comment.refresh_from_db()
        assert comment.status == Comment.Status.SPAM


@pytest.mark.django_db
class TestLearnsFromTheCorpus:
    """Trained on part of the YouTube collection, it flags held-out spam far better than
    chance (a small subset here; bench/spam_eval.py runs the whole evaluation)."""

    def test_flags_held_out_spam(self):
        corpus = spam_corpus()
        files = sorted(corpus.glob("*.csv"))
        examples = []
        for path in files[:4]:
            with path.open(newline="", encoding="utf-8") as handle:
                rows = list(csv.DictReader(handle))[:150]
            examples += [
                (features_of(body=row["CONTENT"], name=row["AUTHOR"]), row["CLASS"] == "1")
                for row in rows
            ]
        spam_filter_learn(examples)
        with files[4].open(newline="", encoding="utf-8") as handle:
            held_out = list(csv.DictReader(handle))[:120]
        flagged = {True: 0, False: 0}
        total = {True: 0, False: 0}
        for row in held_out:
            is_spam = row["CLASS"] == "1"
            total[is_spam] += 1
            flagged[is_spam] += score(row["CONTENT"], name=row["AUTHOR"]) >= 0.9
        recall = flagged[True] / total[True]
        false_positive_rate = flagged[False] / total[False]
        assert recall >= 0.6, recall
        assert false_positive_rate <= 0.1, false_positive_rate


@pytest.mark.django_db
class TestTrainCommand:
    """`byline spam train FILE.csv` teaches the filter a labelled file."""

    def test_trains_from_text_and_label_columns(self, tmp_path, capsys):
        path = tmp_path / "labelled.csv"
        path.write_text(
            "text,label\n"
            + "".join(f'"{text}",spam\n' for text in SPAM)
            + "".join(f'"{text}",ham\n' for text in HAM),
            encoding="utf-8",
        )
        call_command("spam", "train", str(path))
        tally = SpamTally.objects.get()
        assert (tally.spam_comments, tally.ham_comments) == (5, 5)
        assert "5 spam, 5 not spam" in capsys.readouterr().out

    def test_reads_the_youtube_format(self, tmp_path):
        path = tmp_path / "yt.csv"
        path.write_text(
            "COMMENT_ID,AUTHOR,DATE,CONTENT,CLASS\n"
            'a,Julius,2013-11-07T06:20:48,"check out my channel\ufeff",1\n'
            "b,Ann,,nice song,0\n",
            encoding="utf-8",
        )
        call_command("spam", "train", str(path))
        tally = SpamTally.objects.get()
        assert (tally.spam_comments, tally.ham_comments) == (1, 1)

    def test_bad_lines_are_named_and_nothing_is_trained(self, tmp_path):
        path = tmp_path / "bad.csv"
        path.write_text("text,label\ngood text,spam\nother,maybe\n,ham\nlonely\n")
        with pytest.raises(CommandError) as raised:
            call_command("spam", "train", str(path))
        message = str(raised.value)
        assert "line 3: unknown label 'maybe'" in message
        assert "line 4: the text is empty" in message
        assert "line 5: expected a text and a label" in message
        assert not SpamTally.objects.exists()

    def test_missing_file(self, tmp_path):
        with pytest.raises(CommandError, match="cannot be read"):
            call_command("spam", "train", str(tmp_path / "nope.csv"))

    def test_the_byline_command(self, tmp_path):
        """Through the real `byline spam train`, on its own SQLite database."""
        path = tmp_path / "labelled.csv"
        path.write_text("spam please buy,spam\nnice article,ham\n")
        env = {"BYLINE_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"}
        run = [sys.executable, "-m", "byline"]
        subprocess.run([*run, "manage", "migrate", "-v0"], env=env, check=True, timeout=120)
        result = subprocess.run(
            [*run, "spam", "train", str(path)], env=env, capture_output=True, text=True,
            timeout=120,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert "1 spam, 1 not spam" in result.stdout
        assert "it is learning" in result.stdout
        bad = subprocess.run(
            [*run, "spam", "train", str(tmp_path / "missing.csv")], env=env,
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert bad.returncode != 0
        assert "cannot be read" in bad.stderr
