from django.db import models


class ContentVersion(models.Model):
    """One row whose number goes up whenever anything a reader sees changes.

    Cached pages are keyed by it, so a change is visible on the next request on every app
    server, whatever cache each one uses, and no stale page is ever served.
    """

    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.version)
