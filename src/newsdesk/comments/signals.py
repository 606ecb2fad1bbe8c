"""Extension points around posting, in the manner of django-contrib-comments.

``comment_will_be_posted(sender=Comment, comment=candidate, request=None)`` is sent before
the row is written; a receiver may return ``False`` to refuse the comment.
``comment_was_posted(sender=Comment, comment=comment, request=None)`` is sent after commit.
"""

from django.dispatch import Signal

comment_will_be_posted = Signal()
comment_was_posted = Signal()
