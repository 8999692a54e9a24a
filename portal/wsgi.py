import os
from pathlib import Path

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")
application = get_wsgi_application()

from portal.startup import load_and_freeze  # noqa: E402


def warm_worker() -> None:
    """What every request of a web worker needs, loaded before its first one: the URLconf
    (it imports every view: about 250 ms of a worker's first request) with the resolver's
    reverse table, and the project's templates compiled into the cached loader."""
    from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
    from django.urls import get_resolver

    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 - imports the URLconf
    resolver.reverse_dict  # noqa: B018 - fills what reverse() reads
    for engine in engines.all():
        for folder in engine.dirs:
            root = Path(folder)
            for path in sorted(root.rglob("*.html")):
                try:
                    engine.get_template(path.relative_to(root).as_posix())
                except (TemplateDoesNotExist, TemplateSyntaxError):
                    continue  # its page fails when asked for; the worker still starts


# A web worker reads every message it is sent: the reader's vocabulary is loaded now, not on
# the first send (other processes, management commands among them, load it only if they read).
load_and_freeze(warm_worker)
