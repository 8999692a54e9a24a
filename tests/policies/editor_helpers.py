"""What the policy page tests share (test_editor_*.py, test_editor_guided.py): the editor's own
initial data posted back, and an administrative category switched on."""

from __future__ import annotations

from django.urls import reverse


def editor_data(client) -> dict:
    """The editor's own initial data, as a browser would post it back unchanged."""
    page = client.get(reverse("policies:editor"))
    forms = page.context["forms"]
    data = {}
    for form in forms.all_forms():
        if hasattr(form, "management_form"):
            mf = form.management_form
            for name, field in mf.fields.items():
                data[f"{mf.prefix}-{name}"] = (
                    mf.initial.get(name, field.initial) if mf.initial else field.initial
                )
            for sub in form.forms:
                for name in sub.fields:
                    value = sub.initial.get(name)
                    if value is not None:
                        data[sub.add_prefix(name)] = value
        else:
            for name, field in form.fields.items():
                value = form.initial.get(name, field.initial)
                if value is None or value is False:
                    continue
                data[form.add_prefix(name)] = value
    return data


def editor_post(client, **overrides):
    data = editor_data(client)
    data.update(overrides)
    data = {k: v for k, v in data.items() if v is not None}
    return client.post(reverse("policies:editor"), data)


ADMIN_ON = {
    "c-administrative-allowed": "on",
    "c-administrative-channels": ["portal"],
    "w-administrative-0-days": ["mon"],
    "w-administrative-0-start": "09:00",
    "w-administrative-0-end": "17:00",
}
