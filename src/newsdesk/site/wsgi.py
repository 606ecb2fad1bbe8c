import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.site.settings")
django_application = get_wsgi_application()

from newsdesk.site.fastcache import FastPageCache  # noqa: E402 - needs Django set up first

# Cached anonymous pages are answered before Django's middleware (newsdesk.site.fastcache).
application = FastPageCache(django_application)
