import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")
application = get_wsgi_application()

# A web worker reads every message it is sent: load the reader's vocabulary now, not on the
# first send (other processes, management commands among them, load it only if they read).
from policies.reader import warm  # noqa: E402

warm()
