"""The browser door onto messaging, by concern: the thread page (threads), the send
(compose), calls, the therapist's actions (care), the home pages (dashboards), the client's
record and the poll. Thin callers of messaging.services (every write) and
messaging.selectors (every read), shaped by messaging.presenters: the policy decides there,
for this door and the API alike."""

from .calls import call_book, call_confirm, call_decline
from .care import alert_ack, care_end, care_reopen, contact_log
from .compose import send
from .dashboards import client_home, therapist_home
from .poll import poll
from .record import client_record_page
from .threads import cancel, index, mark_read, thread

__all__ = [
    "alert_ack",
    "call_book",
    "call_confirm",
    "call_decline",
    "cancel",
    "care_end",
    "care_reopen",
    "client_home",
    "client_record_page",
    "contact_log",
    "index",
    "mark_read",
    "poll",
    "send",
    "therapist_home",
    "thread",
]
