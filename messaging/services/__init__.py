"""The verbs of messaging, a module by concern:

- `send`: the send path (message_send, message_preview, contact_log, message_cancel) and what
  every contact shares (check_contact_input, ContactInvalid, SendResult);
- `calls`: call_request (a send that holds a slot), call_confirm, call_decline;
- `release`: release_held_messages;
- `care`: care_end, care_reopen;
- `alerts`: alert_due, crisis_alert_acknowledge, sweep_crisis_alerts;
- `reminders`: send_call_reminders;
- `reading`: thread_viewed, mark_read.

Callers import from the module that owns the function. The names below are the ones
messaging.views calls as `services.<name>`, importable from here too while the views move
into their package; nothing else should need them from here.
"""

from .alerts import crisis_alert_acknowledge
from .calls import SlotTaken, call_confirm, call_decline, call_request
from .care import care_end, care_reopen
from .reading import mark_read, thread_viewed
from .send import ContactInvalid, SendResult, contact_log, message_cancel, message_preview, message_send

__all__ = [
    "ContactInvalid",
    "SendResult",
    "SlotTaken",
    "call_confirm",
    "call_decline",
    "call_request",
    "care_end",
    "care_reopen",
    "contact_log",
    "crisis_alert_acknowledge",
    "mark_read",
    "message_cancel",
    "message_preview",
    "message_send",
    "thread_viewed",
]
