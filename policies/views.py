"""The therapist's policy pages: editor, preview and publish, history and differences, simulator.

Thin doors onto policies.services (the only writers) and the pure engine: the forms shape
input, policies.rules.validate_rules judges it, and its dotted field paths are put back
on the fields they name (policies.editor). The simulator's week and its kept results are
policies.simulator_page.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from portal.errors import DomainError, PolicyInvalid
from portal.localtime import local_time, viewer_zone, zone_note
from portal.views import therapist_required

from . import services
from .diff import rules_changes, text_diff
from .editor import EditorForms, starting_rules
from .forms import DiffForm, SimulatorForm
from .models import PolicyVersion
from .selectors import compiled_policy, current_version, draft_version
from .simulate import simulate
from .simulator_page import load_result, store_result, week_table
from .text import parse_sections, policy_text, reply_warnings, sha256, suggested_after_hours_reply
from .vocabulary import PERSONAL_WHY, SOCIAL_WHY, category_label
from .wording import reading_lines


def _text_of(v: PolicyVersion) -> str:
    """A frozen version's own text; a draft's would-be text (what publishing would freeze)."""
    return v.text if v.is_frozen else policy_text(v.rules, therapist_name=v.therapist.full_name)


def _own_versions(user) -> list[PolicyVersion]:
    return list(PolicyVersion.objects.filter(therapist=user).select_related("therapist").order_by("-version"))


@therapist_required
def editor(request):
    """Edit the draft (editing a published policy starts a new draft)."""
    rules = starting_rules(request.user)
    forms = EditorForms(rules, request.POST or None)
    if request.method == "POST" and forms.is_valid():
        try:
            draft = services.policy_draft_save(therapist=request.user, rules=forms.rules())
        except PolicyInvalid as exc:
            forms.show_errors(exc)
        else:
            if "publish" in request.POST:
                return _publish_draft(request, draft)
            messages.success(request, f"Draft v{draft.version} saved. Check the preview, then publish.")
            return redirect("policies:editor" if "stay" in request.POST else "policies:preview")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "policies/editor.html",
        {
            "forms": forms,
            "draft": draft_version(request.user.pk),
            "current": current_version(request.user.pk),
            "personal_why": PERSONAL_WHY,
            "social_why": SOCIAL_WHY,
            "new_policy": _is_new(request.user),
            "suggested_reply": suggested_after_hours_reply(rules),
        },
        status=status,
    )


def _is_new(therapist) -> bool:
    return not PolicyVersion.objects.filter(therapist=therapist).exists()


def _publish_draft(request, draft: PolicyVersion):
    """Publish from the editor or the preview: a reply naming hours the windows contradict is
    published only once the therapist has seen the warning and said so (on the preview)."""
    warnings = reply_warnings(draft.rules)
    if warnings and not request.POST.get("reply_checked"):
        for w in warnings:
            messages.warning(request, w)
        messages.warning(
            request,
            f"Draft v{draft.version} is saved but not published yet: check the after-hours "
            "reply, then publish again.",
        )
        return redirect("policies:preview")
    try:
        v = services.policy_publish(version=draft, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("policies:preview")
    messages.success(
        request,
        f"Version {v.version} is published. "
        "Clients who consented to an earlier version are asked to review it.",
    )
    return redirect("policies:history")


@therapist_required
def preview(request):
    """Exactly what a client will read and sign, and what changed since the published version."""
    draft = draft_version(request.user.pk)
    current = current_version(request.user.pk)
    version = draft or current
    if version is None:
        messages.info(request, "Write your policy first; its preview appears here.")
        return redirect("policies:editor")
    version.therapist = request.user
    text = _text_of(version)
    changes = rules_changes(current.rules, draft.rules) if draft is not None and current is not None else None
    return render(
        request,
        "policies/preview.html",
        {
            "version": version,
            "is_draft": draft is not None,
            "current": current,
            "text": text,
            "sections": parse_sections(text),
            "sha": version.content_sha256 if version.is_frozen else sha256(text),
            "changes": changes,
            "reply_warnings": reply_warnings(version.rules),
            "suggested_reply": suggested_after_hours_reply(version.rules),
        },
    )


@therapist_required
@require_POST
def publish(request):
    draft = draft_version(request.user.pk)
    if draft is None:
        messages.error(request, "There is no draft to publish.")
        return redirect("policies:editor")
    return _publish_draft(request, draft)


@therapist_required
def history(request):
    """Every version, newest first, each with a link to what changed from the one before."""
    versions = _own_versions(request.user)
    tz = viewer_zone(request.user)
    rows = []
    for i, v in enumerate(versions):
        previous = versions[i + 1] if i + 1 < len(versions) else None
        rows.append(
            {
                "v": v,
                "previous": previous,
                "published": local_time(v.published_at, tz, named=False) if v.published_at else "",
            }
        )
    form = DiffForm(
        versions=versions,
        initial={
            "a": versions[1].pk if len(versions) > 1 else None,
            "b": versions[0].pk if versions else None,
        },
    )
    return render(
        request,
        "policies/history.html",
        {"rows": rows, "versions": versions, "form": form, "zone_note": zone_note(tz)},
    )


@therapist_required
def diff(request):
    """The difference between any two of the therapist's versions: text lines and rule changes."""
    versions = _own_versions(request.user)
    form = DiffForm(request.GET or None, versions=versions)
    context: dict = {"form": form, "lines": None, "changes": None}
    if form.is_valid():
        by_id = {v.pk: v for v in versions}
        a, b = by_id[form.cleaned_data["a"]], by_id[form.cleaned_data["b"]]
        context.update(
            a=a, b=b, lines=text_diff(_text_of(a), _text_of(b)), changes=rules_changes(a.rules, b.rules)
        )
    status = 400 if request.GET and not form.is_valid() else 200
    return render(request, "policies/diff.html", context, status=status)


@therapist_required
def simulator(request):
    """Decide a made-up contact against a version; nothing is sent or stored but the
    answer, in the therapist's own session. The form POSTs (the typed message never goes
    into a URL: history, logs) and redirects to a GET that shows the answer
    (?result=<id>), so a reload shows it again and submits nothing."""
    versions = _own_versions(request.user)
    if not versions:
        messages.info(request, "Write a policy first; then try it here.")
        return redirect("policies:editor")
    first = versions[0]
    today = timezone.now().astimezone(ZoneInfo(first.rules["timezone"]))
    week_of = today.date()
    initial = {
        "version": first.pk,
        "sender": "client",
        "category": "administrative",
        "channel": "portal",
        "date": week_of,
        "time": today.strftime("%H:00"),
    }
    posted = request.POST if request.method == "POST" else None
    result = None
    if posted is None:
        inputs, result = load_result(request, request.GET.get("result"))
        if inputs is not None and any(v.pk == inputs["version"] for v in versions):
            week_of = date.fromisoformat(inputs["date"])
            initial = {**inputs, "date": week_of}
        else:
            result = None
    form = SimulatorForm(posted, versions=versions, initial=initial)
    version = next((v for v in versions if v.pk == initial["version"]), first)
    if posted is not None and form.is_valid():
        d = form.cleaned_data
        version = next(v for v in versions if v.pk == d["version"])
        tz = ZoneInfo(version.rules["timezone"])
        at = datetime.combine(d["date"], d["time"]).replace(tzinfo=tz)
        decision = simulate(
            version=version,
            at=at,
            sender=d["sender"],
            category=d["category"],
            channel=d["channel"],
            body=d["body"],
            override_reason=d["override_reason"],
        )
        stored = {
            "outcome": decision.outcome,
            "reasons": list(decision.reasons),
            "deliver_at": decision.deliver_at.isoformat() if decision.deliver_at else None,
            "tz": version.rules["timezone"],
            "crisis_resources": decision.crisis_resources or "",
            "auto_reply": decision.auto_reply or "",
            # The reading the decision was made on, and the category it was decided under.
            "reading": list(reading_lines(decision.reading)),
            "decided_under": category_label(decision.category) if decision.category else "",
        }
        inputs = {
            "version": version.pk,
            "date": d["date"].isoformat(),
            "time": d["time"].strftime("%H:%M"),
            "sender": d["sender"],
            "category": d["category"],
            "channel": d["channel"],
            "body": d["body"],
            "override_reason": d["override_reason"],
        }
        rid = store_result(request, inputs, stored)
        return redirect(f"{reverse('policies:simulator')}?result={rid}#outcome-heading")
    status = 400 if posted is not None and not form.is_valid() else 200
    return render(
        request,
        "policies/simulator.html",
        {
            "form": form,
            "result": result,
            "version": version,
            "week": week_table(compiled_policy(version), week_of),
        },
        status=status,
    )
