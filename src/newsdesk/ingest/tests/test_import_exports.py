from datetime import UTC, datetime

import pytest

from newsdesk.articles.models import Article
from newsdesk.articles.tests.factories import ArticleFactory
from newsdesk.comments.models import Comment
from newsdesk.ingest.importer import import_paths, summarise
from newsdesk.ingest.models import TrainingExample
from newsdesk.ingest.tests.helpers import story_text

pytestmark = pytest.mark.django_db


def wp_comment(
    cid, author, content, approved="1", parent="0", date="2024-01-02 10:00:00", kind="comment"
):
    return f"""<wp:comment><wp:comment_id>{cid}</wp:comment_id>
<wp:comment_author><![CDATA[{author}]]></wp:comment_author>
<wp:comment_author_email>{author.lower().replace(" ", "")}@example.org</wp:comment_author_email>
<wp:comment_author_IP>192.0.2.{cid}</wp:comment_author_IP>
<wp:comment_date_gmt>{date}</wp:comment_date_gmt>
<wp:comment_content><![CDATA[{content}]]></wp:comment_content>
<wp:comment_approved>{approved}</wp:comment_approved><wp:comment_type>{kind}</wp:comment_type>
<wp:comment_parent>{parent}</wp:comment_parent><wp:comment_user_id>0</wp:comment_user_id></wp:comment>"""


def wxr() -> bytes:
    body = "\n\n".join(story_text(11))
    comments = "".join(
        [
            # The reply comes first in the file: threading must not depend on order.
            wp_comment(3, "Cy", "I <em>agree</em> with Bo", parent="2", date="2024-01-02 12:00:00"),
            wp_comment(
                2,
                "Bo",
                'Good point, see <a href="https://example.org/x">this</a>',
                date="2024-01-02 11:00:00",
            ),
            wp_comment(4, "Spammer", "Cheap pills at spam.example", approved="spam"),
            wp_comment(5, "Held", "Waiting for review", approved="0"),
            wp_comment(6, "Blog", "Pingback", kind="pingback"),
        ]
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Valley Gazette</title><link>https://valley.example</link>
<wp:author><wp:author_login><![CDATA[jdoe]]></wp:author_login><wp:author_display_name><![CDATA[Jane Doe]]></wp:author_display_name></wp:author>
<item><title>School roof repaired before winter</title><link>https://valley.example/2024/01/roof/</link>
<dc:creator><![CDATA[jdoe]]></dc:creator><content:encoded><![CDATA[{body}]]></content:encoded>
<wp:post_id>41</wp:post_id><wp:post_date_gmt>2024-01-01 09:00:00</wp:post_date_gmt>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<category domain="category" nicename="local"><![CDATA[Local]]></category>
<category domain="post_tag" nicename="schools"><![CDATA[Schools]]></category>
{comments}</item>
<item><title>Draft about rents</title><link>https://valley.example/?p=42</link><dc:creator>jdoe</dc:creator>
<content:encoded><![CDATA[{"<p>" + "</p><p>".join(story_text(12)) + "</p>"}]]></content:encoded>
<wp:post_id>42</wp:post_id><wp:status>draft</wp:status><wp:post_type>post</wp:post_type></item>
<item><title>About us</title><wp:post_id>2</wp:post_id><wp:post_type>page</wp:post_type></item>
</channel></rss>""".encode()


def test_wordpress_export_brings_posts_tags_authors_and_threaded_comments(tmp_path):
    path = tmp_path / "site.xml"
    path.write_bytes(wxr())
    outcomes = import_paths([str(path)])
    assert outcomes[0].status == "imported", summarise(outcomes)
    post = Article.objects.get(headline="School roof repaired before winter")
    assert post.status == Article.Status.PUBLISHED
    assert post.source.name == "Valley Gazette"
    assert [a.name for a in post.authors.all()] == ["Jane Doe"]
    assert {t.name for t in post.visible_tags} == {"Local", "Schools"}
    assert post.published_at == datetime(2024, 1, 1, 9, tzinfo=UTC)
    assert post.paragraphs == story_text(11)
    assert Article.objects.get(headline="Draft about rents").status == Article.Status.DRAFT

    comments = {c.guest_name: c for c in Comment.objects.filter(article=post)}
    assert set(comments) == {"Bo", "Cy", "Spammer", "Held"}  # the pingback is not a comment
    assert comments["Cy"].parent == comments["Bo"]
    assert comments["Cy"].body == "I *agree* with Bo"
    assert '<a href="https://example.org/x"' in comments["Bo"].body_html
    assert comments["Bo"].created_at == datetime(2024, 1, 2, 11, tzinfo=UTC)
    assert comments["Bo"].ip_address == "192.0.2.2"
    assert comments["Bo"].author is None and comments["Bo"].guest_email == "bo@example.org"
    assert (comments["Spammer"].status, comments["Held"].status) == ("spam", "pending")
    assert post.comment_count == 2
    assert list(TrainingExample.objects.values_list("label", "origin", "text")) == [
        ("spam", "wordpress", "Cheap pills at spam.example")
    ]


def test_reimporting_a_wordpress_export_changes_nothing(tmp_path):
    path = tmp_path / "site.xml"
    path.write_bytes(wxr())
    import_paths([str(path)])
    counts = (Article.objects.count(), Comment.objects.count(), TrainingExample.objects.count())
    outcomes = import_paths([str(path)])
    assert outcomes[0].status == "unchanged"
    assert "0 comments imported" in outcomes[0].detail
    assert (
        Article.objects.count(),
        Comment.objects.count(),
        TrainingExample.objects.count(),
    ) == counts


def disqus(thread_links: list[str]) -> bytes:
    threads = "".join(
        f'<thread dsq:id="{100 + i}"><id>t{i}</id><link>{link}</link><title>T{i}</title></thread>'
        for i, link in enumerate(thread_links)
    )
    posts = "".join(
        [
            '<post dsq:id="201"><message><![CDATA[<p>First!</p>]]></message><createdAt>2024-02-01T10:00:00Z</createdAt>'
            "<isDeleted>false</isDeleted><isSpam>false</isSpam><author><name>Ann</name><email>ann@example.org</email>"
            '</author><ipAddress>198.51.100.7</ipAddress><thread dsq:id="100"/></post>',
            '<post dsq:id="202"><message><![CDATA[<p>Reply to Ann</p>]]></message><createdAt>2024-02-01T11:00:00Z</createdAt>'
            "<isDeleted>false</isDeleted><isSpam>false</isSpam><author><name>Ben</name></author>"
            '<thread dsq:id="100"/><parent dsq:id="201"/></post>',
            '<post dsq:id="203"><message><![CDATA[Buy followers now]]></message><createdAt>2024-02-01T12:00:00Z</createdAt>'
            '<isDeleted>false</isDeleted><isSpam>true</isSpam><author><name>Bot</name></author><thread dsq:id="101"/></post>',
            '<post dsq:id="204"><message><![CDATA[Lost]]></message><createdAt>2024-02-01T12:00:00Z</createdAt>'
            '<isDeleted>false</isDeleted><isSpam>false</isSpam><author><name>Nobody</name></author><thread dsq:id="102"/></post>',
        ]
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><disqus xmlns="http://disqus.com" '
        f'xmlns:dsq="http://disqus.com/disqus-internals">{threads}{posts}</disqus>'
    ).encode()


def test_disqus_threads_are_matched_to_articles_by_canonical_url_and_by_path(tmp_path):
    by_canonical = ArticleFactory(canonical_url="https://partner.example/story-1")
    by_path = ArticleFactory()
    path = tmp_path / "disqus.xml"
    path.write_bytes(
        disqus(
            [
                "http://partner.example/story-1/",
                f"https://old-site.example{by_path.get_absolute_url()}",
                "https://nowhere.example/unknown",
            ]
        )
    )
    outcome = import_paths([str(path)])[0]
    assert outcome.status == "imported"
    assert "1 threads matched no article" in outcome.detail
    ann, ben = Comment.objects.filter(article=by_canonical).order_by("created_at")
    assert (ann.guest_name, ben.guest_name, ben.parent_id) == ("Ann", "Ben", ann.pk)
    assert ann.body_html == "<p>First!</p>"
    assert Comment.objects.get(article=by_path).status == "spam"
    by_canonical.refresh_from_db()
    by_path.refresh_from_db()
    assert (by_canonical.comment_count, by_path.comment_count) == (2, 0)
    assert TrainingExample.objects.get().origin == "disqus"
    assert import_paths([str(path)])[0].status == "unchanged"
    assert Comment.objects.count() == 3


def test_an_export_declaring_entities_is_refused_unexpanded(tmp_path):
    bomb = wxr().replace(
        b'<?xml version="1.0" encoding="UTF-8"?>',
        b'<?xml version="1.0"?>\n'
        b'<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>',
    )
    path = tmp_path / "bomb.xml"
    path.write_bytes(bomb.replace(b"School roof", b"&b;&b; School roof"))
    outcome = import_paths([str(path)])[0]
    assert outcome.status == "failed"
    assert "declares XML entities" in outcome.reason
    assert Article.objects.count() == 0
