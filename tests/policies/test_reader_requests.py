"""The reader (policies/reader/): personal requests, categories, long messages and time linear
in the length, the answer object and the module itself (pure Python, its vocabulary's format)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from policies import reader
from policies.reader import read

# --- personal ------------------------------------------------------------------------------------

PERSONAL = [
    "add me on instagram!",
    "can I follow you on tiktok?",
    "I sent you a friend request",
    "what's your insta?",
    "would you like to grab coffee sometime?",
    "can we meet up outside of therapy",
    "would you go on a date with me",
    "I got you a little gift",
    "come to my party on saturday!",
    "would you be interested in investing in my business",
    "can we be friends?",
    "agrégame en instagram",
    "¿quieres salir conmigo?",
    "te traje un regalo",
    "ajoute-moi sur insta",
    "on pourrait prendre un café ensemble ?",
    "me adiciona no insta",
    "vamos tomar um café um dia?",
    "folg mir auf Instagram",
    "wollen wir mal einen Kaffee trinken gehen?",
]
SOCIAL = [
    "my friend added me on instagram and I felt anxious",
    "I went on a date and it went well",
    "my coworker invited me to her party and I didn't go",
    "I had coffee with my sister",
    "I keep scrolling instagram at night",
    "my ex sent me a friend request",
    "mi amiga me agregó en instagram",
    "fui a una fiesta el sábado",
    "mon ami m'a ajouté sur insta",
    "minha amiga me adicionou no instagram",
    "mein Freund hat mich auf Instagram hinzugefügt",
]


@pytest.mark.parametrize("text", PERSONAL)
def test_asking_for_a_relationship_outside_therapy_is_personal(text):
    assert read(text).personal, text


@pytest.mark.parametrize("text", SOCIAL)
def test_talking_about_ones_own_social_life_is_not_personal(text):
    assert not read(text).personal, text


def test_a_text_can_be_crisis_and_personal():
    reading = read("add me on instagram, I want to die")
    assert reading.crisis and reading.personal


# --- category -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("I'm having a panic attack and can't breathe", "emergency"),
        ("I'm at the ER right now", "emergency"),
        ("urgent: please call me", "emergency"),
        ("Can I get a receipt for my insurance?", "administrative"),
        ("I need to reschedule my appointment on Thursday", "administrative"),
        ("could you send the superbill", "administrative"),
        ("can we schedule a call for next week?", "scheduled_call"),
        ("just checking in, this week was better", "check_in"),
        ("Quick update: the breathing exercise helped", "check_in"),
        ("tengo un ataque de pánico", "emergency"),
        ("¿me puedes mandar la factura?", "administrative"),
        ("je voudrais déplacer le rendez-vous", "administrative"),
        ("pode me mandar o recibo?", "administrative"),
        ("ich möchte den Termin verschieben", "administrative"),
        ("hello", None),
    ],
)
def test_category(text, category):
    assert read(text).category == category


def test_not_urgent_is_not_an_emergency():
    assert read("not urgent, but can I get a receipt?").category == "administrative"


# --- long messages and linear time ----------------------------------------------------------------

ADMIN = (
    "Hi, I wanted to ask about the superbill for October; my insurance says they need the CPT code "
    "and the diagnosis code on it. Also, could we move next week's session to Wednesday afternoon? "
)


def test_a_crisis_sentence_inside_a_long_administrative_message():
    text = ADMIN * 20 + "Honestly I don't see the point of living anymore. " + ADMIN * 20
    assert len(text) > 7000
    reading = read(text)
    assert reading.crisis and reading.crisis_kind == "suicidal_thoughts"
    assert not read(ADMIN * 40).crisis


def _best_time(text: str, repeat: int = 7) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        read(text)
        best = min(best, time.perf_counter() - t0)
    return best


def test_time_grows_linearly_with_length():
    short = (ADMIN * 10)[:1000]
    long = (ADMIN * 50)[:5000]
    ratio = _best_time(long) / _best_time(short)
    # five times the text: about five times the time (quadratic work would be ~25x)
    assert ratio < 10, ratio


# --- the answer object and the module ---------------------------------------------------------------


def test_a_clients_reading_never_carries_the_kind():
    reading = read("I want to kill myself")
    assert reading.as_dict()["crisis_kind"] == "suicidal_thoughts"
    assert reading.as_dict(for_client=True) == {
        "crisis": True,
        "crisis_kind": None,
        "personal": False,
        "category": None,
        "language": reading.language,
    }


def test_the_reader_is_pure_python_without_django():
    code = "import sys, policies.reader; print(any(m.split('.')[0] == 'django' for m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert out.stdout.strip() == "False"


def test_the_vocabulary_rejects_an_unknown_section(tmp_path):
    for lang in reader.LANGUAGES:
        (tmp_path / f"{lang}.txt").write_text("[stopwords]\nthe\n", encoding="utf-8")
    (tmp_path / "rules.txt").write_text("wish + death / 4 -> wish_to_be_dead\n", encoding="utf-8")
    reader.Vocabulary(tmp_path)  # well formed
    (tmp_path / "en.txt").write_text("[crisis sadness]\nfeeling blue\n", encoding="utf-8")
    with pytest.raises(ValueError, match="sadness"):
        reader.Vocabulary(tmp_path)
    (tmp_path / "en.txt").write_text("[stopwords]\nthe\n", encoding="utf-8")
    (tmp_path / "rules.txt").write_text("wish and death -> wish_to_be_dead\n", encoding="utf-8")
    with pytest.raises(ValueError, match="rules.txt"):
        reader.Vocabulary(tmp_path)


def test_a_small_vocabulary_combines_as_its_rules_say(tmp_path):
    for lang in reader.LANGUAGES:
        (tmp_path / f"{lang}.txt").write_text("[stopwords]\nthe\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text(
        "[tag wish]\nwant\n[tag death]\nsleep forever\n[tag benign]\nkitten\n", encoding="utf-8"
    )
    (tmp_path / "rules.txt").write_text(
        "wish + death / 2 -> wish_to_be_dead unless benign / 3\n", encoding="utf-8"
    )
    vocab = reader.Vocabulary(tmp_path)
    (rule,) = [r for r in vocab.rules if r.lang == "en"]
    assert rule.tags == ("en:wish", "en:death") and rule.within == 2 and rule.unless == (("en:benign", 3),)
