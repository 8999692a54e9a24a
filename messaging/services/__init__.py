"""The verbs of messaging, a module by concern:

- `send`: the send path (message_send, message_preview, contact_log, message_cancel) and what
  every contact shares (check_contact_input, ContactInvalid, SendResult);
- `calls`: call_request (a send that holds a slot), call_confirm, call_decline;
- `release`: release_held_messages;
- `care`: care_end, care_reopen;
- `alerts`: alert_due, crisis_alert_acknowledge, sweep_crisis_alerts;
- `reminders`: send_call_reminders;
- `reading`: thread_viewed, mark_read;
- `withdrawal`: pending_withdraw (a consent's revocation: held messages cancelled, calls declined).

Callers import from the module that owns the function (`from messaging.services import send`);
this package re-exports nothing, so a verb has one address.
"""
