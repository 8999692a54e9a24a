"""What a server process loads before its first piece of work, then freezes.

A web worker (portal/wsgi.py), a Celery worker before its pool forks (portal/celery.py) and the
engine benchmark, which times the reader as a web worker runs it, all start the same way: the
reader's vocabulary loaded (every message sent or released is read), whatever else the process
needs, and then everything start-up made frozen out of the garbage collector. Its full passes,
which come every few dozen pages, walked all of it each time (60 to 120 ms inside whichever
request triggered one, a spike on a 5 ms poll; a few ms once frozen), and a process that forks
afterwards shares those pages with its children.
"""

from __future__ import annotations

import gc
from collections.abc import Callable


def load_and_freeze(*loaders: Callable[[], object]) -> None:
    from policies.reader import warm  # noqa: PLC0415 - only the processes that read load it

    warm()
    for load in loaders:
        load()
    gc.collect()
    gc.freeze()
