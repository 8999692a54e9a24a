import gc
import os
from pathlib import Path

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")
application = get_wsgi_application()

# A web worker reads every message it is sent: load the reader's vocabulary now, not on the
# first send (other processes, management commands among them, load it only if they read).
from policies.reader import warm  # noqa: E402

warm()


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


warm_worker()
# Then everything start-up made is frozen out of the garbage collector: its full passes,
# which come every few dozen pages, walked all of it each time (60 to 120 ms inside whichever
# request triggered one, a spike on a 5 ms poll; a few ms once frozen).
gc.collect()
gc.freeze()
