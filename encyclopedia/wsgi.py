import os
import sys

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "encyclopedia.settings")

try:
    django_application = get_wsgi_application()
except ImproperlyConfigured as exc:
    # A misconfigured server says why in one line (as manage.py does) instead
    # of a traceback. Under gunicorn, exit status 4 is its "App failed to
    # load": the master stops instead of restarting workers in a loop.
    print(f"Configuration error: {exc}", file=sys.stderr, flush=True)
    sys.exit(4 if "gunicorn" in sys.modules else 1)

from encyclopedia.fastpath import PageCacheApp  # noqa: E402 - needs Django set up
from encyclopedia.pagecache import problems  # noqa: E402

# gunicorn runs no system checks: a page cache that cannot be correct is said
# at start-up, by every worker, where the operator reads the server's log.
for problem in problems():
    print(f"WARNING (encyclopedia.W001): {problem}", file=sys.stderr, flush=True)

# Cached and stored public pages are answered before Django's request handling runs.
application = PageCacheApp(django_application)
