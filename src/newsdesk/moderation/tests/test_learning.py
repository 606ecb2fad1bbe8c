"""The filter learns from moderators' decisions, and the CLI round trip."""

import csv
import io
import zlib
from pathlib import Path

import pytest
from django.core.management import call_command

from newsdesk.comments import services as comments
from newsdesk.comments.models import Comment
from newsdesk.moderation import services, spam
from newsdesk.moderation.models import TrainingExample

pytestmark = pytest.mark.django_db
LABELLED = (
    Path(__file__).resolve().parents[4] / "tests" / "moderation_data" / "comments_labelled.csv"
)


def labelled_split():
    """The fixed split the quality benchmark uses: about one row in five is held out."""
    with LABELLED.open(newline="", encoding="utf-8") as handle:
        rows = [(r["text"], r["label"]) for r in csv.DictReader(handle)]
    test = [r for r in rows if zlib.crc32(r[0].encode()) % 5 == 0]
    train = [r for r in rows if zlib.crc32(r[0].encode()) % 5 != 0]
    return train, test


def accuracy(rows, threshold=0.5):
    model = spam.load_classifier()
    right = sum((model.score(text) >= threshold) == (label == "spam") for text, label in rows)
    return right / len(rows)


def test_the_filter_learns_from_moderator_decisions(
    article, moderator, settings, django_capture_on_commit_callbacks
):
    settings.MODERATION_MAX_LINKS = 100  # let the filter, not the link count, do the work
    train, test = labelled_split()
    assert accuracy(test) <= 0.6  # untrained: every score is 0.5
    for n, (text, label) in enumerate(train[:120]):
        comment = comments.post_comment(
            article, body=text, guest_name="G", guest_email=f"g{n}@example.org"
        ).comment
        with django_capture_on_commit_callbacks(execute=True):
            services.moderate(comment, "approve" if label == "ham" else "spam", by=moderator)
    assert TrainingExample.objects.filter(trained=True).count() == 120
    spam_share = sum(label == "spam" for _, label in test) / len(test)
    assert accuracy(test) >= max(spam_share, 1 - spam_share) + 0.2


def test_new_comment_is_scored_held_and_sent_to_spam_by_thresholds(article, trusted):
    for text, label in labelled_split()[0]:
        TrainingExample.objects.create(text=text, label=label, origin="import")
    spam.train_pending()
    pitch = "Cheap pills online, no prescription, best price, order now and save big"
    result = comments.post_comment(article, body=pitch, author=trusted)
    assert result.status in (Comment.Status.SPAM, Comment.Status.PENDING)
    assert result.comment.spam_score >= 0.7
    assert any(r.startswith("spam score ") for r in result.reasons)
    ham = comments.post_comment(
        article,
        body="The council vote on the bridge is on Thursday; worth watching.",
        author=trusted,
    )
    assert ham.status == Comment.Status.PUBLISHED and ham.comment.spam_score < 0.7


def test_cli_imports_labels_reports_bad_rows_and_classifies(tmp_path, monkeypatch, capsys):
    train, _ = labelled_split()
    path = tmp_path / "labels.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label"])
        writer.writerows(train)
        writer.writerow(["no label here", "maybe"])
    with pytest.raises(SystemExit) as exit_info:
        call_command("spam", "import-labels", str(path))
    assert exit_info.value.code == 1
    out, err = capsys.readouterr()
    assert f"{len(train)} imported, 1 skipped" in out
    assert f"labels.csv:{len(train) + 2}: label must be spam or ham" in err

    monkeypatch.setattr(
        "sys.stdin",
        io.StringIO(
            "Buy cheap pills online, best price, click here www.pills.example\n"
            "I think the mayor's plan for the buses is sensible.\n"
        ),  # fmt: skip
    )
    call_command("spam", "classify")
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[0] for line in lines] == ["spam", "ham"]
    assert all(0.0 <= float(line.split("\t")[1]) <= 1.0 for line in lines)


def test_a_reversed_decision_is_unlearnt(article, moderator):
    comment = Comment.objects.create(
        article=article,
        guest_name="G",
        body="cheap pills at example.test now",
        body_html="<p>x</p>",
        status=Comment.Status.PENDING,
    )
    spam.train_pending()
    start = spam.load_classifier()
    spam_count, ham_count = start.n_spam, start.n_ham
    spam.add_example(comment.body, "ham", TrainingExample.Origin.DECISION, comment)
    spam.train_pending()
    before = spam.load_classifier()
    assert (before.n_spam, before.n_ham) == (spam_count, ham_count + 1)

    spam.add_example(comment.body, "spam", TrainingExample.Origin.DECISION, comment)
    spam.train_pending()
    after = spam.load_classifier()
    assert (after.n_spam, after.n_ham) == (spam_count + 1, ham_count)
    labels = TrainingExample.objects.filter(comment=comment).values_list("label", flat=True)
    assert list(labels) == ["spam"]
    # The same decision twice adds nothing.
    spam.add_example(comment.body, "spam", TrainingExample.Origin.DECISION, comment)
    assert TrainingExample.objects.filter(comment=comment).count() == 1
