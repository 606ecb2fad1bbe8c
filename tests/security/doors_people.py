"""Doors of hostile text that readers and the enrichment write, shown to moderators, staff
and readers: report reasons, held comments, bans and banned phrases, quotes and people,
developing stories, and comments posted through the API with a personal token."""

from __future__ import annotations

from django.contrib.auth.models import Group, User
from django.test import Client, override_settings
from django.utils import timezone
from doors_sources import administrator as superuser

from newsdesk.articles.models import Article, Tag
from newsdesk.comments.markup import render_comment
from newsdesk.comments.models import Comment

NO_RATE_LIMIT = {"COMMENTS_RATE_LIMITS": [(0, 60)], "COMMENTS_IP_RATE_LIMITS": [(0, 60)]}


def _moderator() -> User:
    moderator = User.objects.filter(username="hostile-moderator").first()
    if moderator is None:
        moderator = User.objects.create_user("hostile-moderator", "hm@example.org", "pw-hm-12345")
        moderator.groups.add(Group.objects.get_or_create(name="moderators")[0])
    return moderator


def via_reports_and_the_moderation_queue(payloads, site, tmp):
    """Report texts (the web form and the service), held comments with hostile bodies,
    guest names and hold reasons, bans and banned phrases: the pages moderators read."""
    from newsdesk.moderation.models import Ban, BannedPhrase, Report
    from newsdesk.moderation.services import add_ban, report_comment

    group = payloads[80:120]
    article = Article.objects.create(
        headline="Hostile reports",
        slug="hostile-reports",
        body="A story whose discussion is reported.",
        status=Article.Status.PUBLISHED,
    )
    reporters = User.objects.bulk_create(
        [User(username=f"hostile-reporter{n}", email=f"hr{n}@example.org") for n in range(4)]
    )
    published = Comment.objects.bulk_create(
        [
            Comment(
                article=article,
                guest_name=payloads[300 + n][:80] or "guest",
                body=f"Reported comment {n}",
                body_html="<p>Reported</p>",
            )
            for n in range(len(group))
        ]
    )
    for n, (comment, text) in enumerate(zip(published, group, strict=True)):
        reporter = reporters[n % len(reporters)]
        reason = Report.Reason.values[n % len(Report.Reason.values)]
        if n % 4 == 0:  # through the reader's report form
            client = Client()
            client.force_login(reporter)
            client.post(f"/moderation/report/{comment.pk}/", {"reason": reason, "text": text})
        else:
            report_comment(comment, reporter, reason, text)
    assert Report.objects.filter(comment__article=article).count() == len(group)
    held = [
        Comment(
            article=article,
            body=text,
            body_html=render_comment(text),
            status=Comment.Status.PENDING,
            guest_name=payloads[-n - 1][:80] or "guest",
            guest_email="guest@example.org",
            moderation_reasons=[f"banned phrase: {payloads[n + 1][:80]}", payloads[n + 2][:80]],
            ip_address="192.0.2.9",
        )
        for n, text in enumerate(payloads[120:160])
    ]
    Comment.objects.bulk_create(held)
    moderator = _moderator()
    for n, text in enumerate(payloads[160:180]):
        BannedPhrase.objects.get_or_create(text=text[:200] or f"x{n}", match="word")
        add_ban("email", f"ban{n}@example.org", by=moderator, reason=payloads[180 + n])
    add_ban("ip", "192.0.2.66", by=moderator, reason=payloads[200])
    assert Ban.objects.count() >= 20
    from hostile import _plain

    site.shown_as_text["/moderation/bans/"] = [
        text for text in payloads[180:200] if _plain(text) and len(text) <= 200
    ][:3]
    site.signed_in.setdefault(moderator.username, [])
    site.signed_in[moderator.username] += [
        "/moderation/",
        "/moderation/?tab=reported&sort=reports",
        "/moderation/phrases/",
        "/moderation/bans/",
        "/moderation/audit/",
    ]
    administrator = superuser()
    first_report = Report.objects.filter(comment__article=article).order_by("pk").first()
    site.signed_in.setdefault(administrator.username, [])
    site.signed_in[administrator.username] += [
        "/admin/moderation/report/",
        f"/admin/moderation/report/{first_report.pk}/change/",
        "/admin/moderation/ban/",
        "/admin/moderation/moderationaction/",
    ]


def via_enrichment(payloads, site, tmp):
    """What enrichment writes: people's names, their quotes, developing stories, related
    stories; created as rows, since the recogniser's output is itself source text."""
    from newsdesk.enrich.models import (
        ArticleEntity,
        Entity,
        Quote,
        RelatedArticle,
        Story,
        StoryArticle,
    )

    group = payloads[210:250]
    now = timezone.now()
    articles = Article.objects.bulk_create(
        [
            Article(
                headline=f"Enriched story {n}: {payloads[250 + n][:200]}",
                slug=f"hostile-enriched-{n}",
                body=f"Someone said “{text}”.",
                status=Article.Status.PUBLISHED,
                published_at=now,
            )
            for n, text in enumerate(group[:8])
        ]
    )
    people = []
    for n, text in enumerate(group[:8]):
        tag = Tag.objects.create(name=f"{text[:180]} ~{n}", slug=f"hostile-person-tag-{n}")
        people.append(
            Entity.objects.create(
                name=f"{text[:180]} ~{n}",
                slug=f"hostile-person-{n}",
                kind=Entity.Kind.PERSON,
                tag=tag,
            )
        )
    ArticleEntity.objects.bulk_create(
        [ArticleEntity(article=a, entity=p, salience=0.9) for a, p in zip(articles, people)]
    )
    Quote.objects.bulk_create(
        [
            Quote(
                article=articles[n % len(articles)],
                speaker=people[n % len(people)],
                text=text,
                position=n,
            )
            for n, text in enumerate(group)
        ]
    )
    story = Story.objects.create(
        title=payloads[260][:300] or "story", slug="hostile-story", first_seen=now, last_seen=now
    )
    StoryArticle.objects.bulk_create([StoryArticle(story=story, article=a) for a in articles])
    RelatedArticle.objects.bulk_create(
        [
            RelatedArticle(
                article=articles[n], related=articles[(n + 1) % len(articles)], score=0.5
            )
            for n in range(len(articles))
        ]
    )
    site.pages += [f"/people/{person.slug}/" for person in people[:4]]
    from hostile import _plain

    site.shown_as_text[f"/people/{people[0].slug}/"] = [
        quote.text for quote in Quote.objects.filter(speaker=people[0]) if _plain(quote.text)
    ][:3]
    site.pages += [story.get_absolute_url(), *(a.get_absolute_url() for a in articles[:3])]


def via_api_token(payloads, site, tmp):
    """Comments posted through /api/articles/{slug}/comments with a reader's personal token
    (no session, no CSRF), then the article page and the queue where they show."""
    from newsdesk.api.tokens import issue_token

    article = Article.objects.create(
        headline="Hostile API discussion",
        slug="hostile-api-discussion",
        body="Readers post here through the API.",
        status=Article.Status.PUBLISHED,
    )
    reader = User.objects.create_user("hostile-api-reader", "har@example.org", "pw-har-12345")
    _token, raw = issue_token(reader, name="hostile")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    posted = 0
    with override_settings(**NO_RATE_LIMIT):
        for n, text in enumerate(payloads[270:330]):
            body = {"body": text or "x"}
            if posted and n % 5 == 0:  # a reply to the first comment
                body["parent"] = Comment.objects.filter(article=article).order_by("pk")[0].pk
            response = client.post(
                f"/api/articles/{article.slug}/comments", body, content_type="application/json"
            )
            assert response.status_code < 500, response.content[:300]
            posted += response.status_code in (200, 201)
    assert posted >= 20, f"only {posted} hostile comments got through the API"
    site.pages += [article.get_absolute_url(), f"/api/articles/{article.slug}/comments"]
    moderator = _moderator()
    site.signed_in.setdefault(moderator.username, []).append("/moderation/?tab=spam")
