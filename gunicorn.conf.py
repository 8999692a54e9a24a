"""gunicorn's settings, read from the working directory by every `gunicorn portal.wsgi` (the
README's deploy, `make bench`).

The app is loaded once in the master, before it forks its workers: portal/wsgi.py then loads the
reader's vocabulary and freezes it out of the garbage collector there, and every worker shares
those pages with the master instead of loading its own copy. Measured on 2026-12-01 (3 sync
workers, after start-up, Pss from /proc/<pid>/smaps_rollup): 894 MB in all without it, 322 MB
with it. Start-up opens no database connection (tests/portal/test_wsgi_warm.py), so no socket
is shared across the fork.
"""

preload_app = True
