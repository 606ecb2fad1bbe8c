import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.site.settings")
django_application = get_wsgi_application()

from newsdesk.site.fastcache import FastPageCache  # noqa: E402 - needs Django set up first

# Cached anonymous pages are answered before Django's middleware (newsdesk.site.fastcache).
application = FastPageCache(django_application)

# Everything loaded so far lives as long as the process: move it out of the garbage
# collector's view, so its full collections stop walking Django's import-time objects
# (they showed as the slowest requests under load).
gc.collect()
gc.freeze()
