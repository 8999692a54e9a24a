"""The reader (policies/reader/): normalisation, every crisis kind, idioms, negation and five
languages. Personal requests, categories and the module: test_reader_requests.py; more of the
ways people write: test_reader_more.py and test_reader_round_two.py."""

from __future__ import annotations

import pytest

from policies.reader import CRISIS_KINDS, SEVERITY, Reading, normalise, read

# --- normalisation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I WANT to DIE", "i want to die"),
        ("Je veux mourir, ça suffit", "je veux mourir ca suffit"),
        ("Ich möchte nicht mehr leben. Straße", "ich mochte nicht mehr leben strasse"),
        ("I\u2019m done \u201cfor real\u201d", "im done for real"),
        ("i want to diiiiie", "i want to die"),
        ("k i l l myself", "k i l l myself"),
        ("s.u.i.c.i.d.e", "s u i c i d e"),
        ("k-i-l-l m-y-s-e-l-f", "k i l l m y s e l f"),
        ("i want to k1ll myself", "i want to kill myself"),
        ("$uicide", "suicide"),
        ("d13", "die"),
        ("0verd0se", "overdose"),
        ("k*ll myself", "kill myself"),
        ("see you at 10pm, 50mg, 2nd floor", "see you at 10pm 50mg 2nd floor"),
        ("help!!!", "help"),
        ("I od'd last night", "i overdosed last night"),
        ("that's odd", "thats strange"),
        ("ran 10 kms", "ran 10 kms"),
        ("c\u0153ur bris\u00e9", "coeur brise"),
    ],
)
def test_normalise(text, expected):
    assert normalise(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "I want to k1ll myself",
        "i want to kiiiiill myself",
        "i want to k i l l myself",
        "thinking about s.u.i.c.i.d.e",
        "thinking about $uicide",
        "thinking about sucide",
        "thinking about suicde",
        "i want to kill myslef",
        "i want to kil myself",
        "i want to kill my self",
        "I WANT TO KILL MYSELF",
        "i w4nt t0 d13",
        "im going to k*ll myself",
        "#killmyself",
        "sui cide",
        "I want to kill myself 😔",
        "I\u2019m going to kill myself",
        "k-i-l-l m-y-s-e-l-f",
        "s-u-i-c-i-d-i-o é a única coisa que penso",
        "s u 1 c 1 d e",
        "i wantt to killl myselff",
    ],
)
def test_letter_games_typos_and_spacing_still_read_as_crisis(text):
    assert read(text).crisis, text


def test_the_same_text_reads_the_same_way_every_time():
    text = "I have the pills ready for tonight"
    assert read(text) == read(text) == read(text)


def test_empty_and_blank_text_read_as_nothing():
    assert read("") == Reading()
    assert read(None) == Reading()
    assert read("   ...  !! ") == Reading()


# --- crisis kinds (C-SSRS), in English --------------------------------------------------

KIND_EXAMPLES = {
    "wish_to_be_dead": [
        "I wish I could go to sleep and never wake up",
        "honestly everyone would be better off without me",
        "i just really want to fucking die",
    ],
    "suicidal_thoughts": [
        "I keep having thoughts about killing myself",
        "been feeling suicidal since friday",
        "i might unalive myself lol not joking",
    ],
    "method": [
        "how many tylenol would it take to not wake up",
        "I looked up how to tie a noose",
        "I keep thinking about jumping off the bridge near work",
    ],
    "intent": [
        "I'm going to end it tonight",
        "I can't keep myself safe right now",
        "not sure I'll make it through the night",
    ],
    "plan": [
        "I have a plan and I know when I'll do it",
        "when everyone is asleep I'm going to take all my pills",
    ],
    "preparatory_acts": [
        "I've been saving up my pills in a drawer",
        "I wrote a goodbye letter to my family",
        "I'm giving away my guitar and my books, I won't need them",
    ],
    "attempt": ["I tried to hang myself on Sunday", "I woke up in the hospital after I tried again"],
    "self_injury": [
        "I cut my arm again last night",
        "the urge to cut is really strong",
        "I burned myself on purpose",
    ],
    "overdose": [
        "I took all my pills an hour ago",
        "i swallowed a whole bottle of advil",
        "I overdosed on Saturday",
    ],
}


@pytest.mark.parametrize(("kind", "text"), [(k, t) for k, ts in KIND_EXAMPLES.items() for t in ts])
def test_each_crisis_kind(kind, text):
    reading = read(text)
    assert reading.crisis, text
    assert reading.crisis_kind == kind, (text, reading)


def test_the_most_severe_kind_wins():
    reading = read("I've wanted to die for weeks and last night I took all my pills")
    assert reading.crisis_kind == "overdose"
    assert set(SEVERITY) == set(CRISIS_KINDS) and SEVERITY[-1] == "overdose"


@pytest.mark.parametrize(
    "text",
    [
        # combinations of signals that stand near each other, not next to each other
        "I have the pills ready for tonight",
        "saving my sleeping pills just in case",
        "I bought a rope today",
        "cut my thighs deep this time",
        "the cuts on my wrists are bleeding",
        "i really really want to just die",
        "hoping i just dont wake up tomorrow",
        # goodbyes, burden, finality, safety
        "this is goodbye, thank you for everything",
        "I'm such a burden to everyone",
        "by the time you read this I'll be gone",
        "I don't trust myself tonight",
        # third person about oneself
        "asking for a friend who wants to end it",
        "asking for a friend: how many pills would be lethal",
        "hypothetically if someone wanted to kill themselves how would they do it",
        # recent attempts
        "I took all my pills last night",
        "tried to hang myself but the rope broke",
        # slang
        "kms",
        "gonna kms fr",
        "sewerslide",
        "thinking about game end",
        "want to delete myself",
        "ready to rope",
        "unalive",
        # never born, fading away, a height, a vehicle, medicine bought "to end it"
        "some days i wish id never been born",
        "honestly i could just vanish for good and nobody would care",
        "checked how high the top floor of the car park is, high enough i think",
        "cant stop thinking about stepping in front of the subway",
        "j'ai gardé tous mes cachets pour en finir",
    ],
)
def test_ways_people_really_write_it(text):
    assert read(text).crisis, text


# --- negation does not switch escalation off ----------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "I'm not going to kill myself... but I have the pills ready",
        "I don't want to die",
        "I'm not suicidal, I just don't want to wake up anymore",
        "no te preocupes, no me voy a matar",
    ],
)
def test_a_negation_still_escalates(text):
    assert read(text).crisis, text


# --- idioms ---------------------------------------------------------------------------------

IDIOMS = {
    "en": [
        "This deadline is killing me",
        "my phone died",
        "that cake is to die for",
        "I'd kill for a coffee",
        "dead tired after work",
        "I nearly died laughing",
        "I read a book about suicide prevention",
        "we watched Suicide Squad",
        "my mom is going to kill me when she sees this",
        "I cut my finger cooking",
        "I burned my hand on the stove",
        "I'm dying to see the new film",
        "I bought a rope for climbing",
        "we're going to end things with the landlord",
        "my grandfather died last year",
        "ran 10 kms this morning",
        "that's odd",
    ],
    "es": [
        "me muero de risa",
        "me muero de hambre",
        "este trabajo me está matando",
        "se murió mi celular",
        "mi mamá me va a matar",
        "me corté el pelo",
    ],
    "fr": [
        "je meurs de faim",
        "je suis mort de fatigue",
        "mon téléphone est mort",
        "ce boulot me tue",
        "je me suis coupé le doigt en cuisinant",
    ],
    "pt": [
        "morrendo de fome",
        "minha mãe vai me matar",
        "meu celular morreu",
        "esse trabalho está me matando",
        "morri de rir",
    ],
    "de": [
        "ich sterbe vor Hunger",
        "mein Handy ist tot",
        "die Arbeit bringt mich um",
        "ich bin todmüde",
        "ich lach mich tot",
    ],
}


@pytest.mark.parametrize(("lang", "text"), [(lang, t) for lang, ts in IDIOMS.items() for t in ts])
def test_everyday_idioms_are_not_crisis(lang, text):
    assert not read(text).crisis, (text, read(text))


@pytest.mark.parametrize(
    "text",
    [
        "This deadline is killing me and I feel hopeless, I want to die",
        "my phone died and I keep thinking about suicide",
        "that cake is to die for. also I cut my arm again",
        "me muero de risa pero la verdad quiero morirme",
        "je meurs de faim et j'ai envie de mourir",
    ],
)
def test_an_idiom_never_exempts_a_second_crisis_signal(text):
    assert read(text).crisis, text


def test_an_idiom_is_exempt_only_as_the_whole_phrase():
    assert not read("that cake is to die for").crisis
    assert read("i want to die for real").crisis  # "to die for" is not in it
    assert not read("I'd kill for a coffee").crisis
    assert read("I'd kill myself for a coffee").crisis


def test_a_suppressed_phrase_comes_back_beside_a_second_signal():
    # "suicide" inside a known topic is exempt; next to hopelessness it is not
    assert not read("I read a book about suicide prevention").crisis
    assert read("I read a book about suicide prevention and I feel hopeless").crisis


# --- five languages ----------------------------------------------------------------------------

CRISIS_BY_LANGUAGE = {
    "es": [
        "quiero morirme",
        "ya no quiero vivir",
        "me voy a matar esta noche",
        "me tomé todas las pastillas",
        "me corto los brazos otra vez",
        "estoy pensando en suicidarme",
        "todos estarían mejor sin mí",
        "tengo un plan para matarme",
        "intenté ahorcarme",
        "estoy juntando pastillas",
    ],
    "fr": [
        "je veux mourir",
        "j'ai envie d'en finir",
        "je vais me suicider",
        "j'ai pris toutes mes pilules",
        "je me scarifie encore",
        "des idées suicidaires tous les jours",
        "tout le monde serait mieux sans moi",
        "j'ai fait une tentative de suicide",
        "je garde mes cachets de côté",
    ],
    "pt": [
        "quero morrer",
        "vou me matar",
        "não quero mais viver",
        "tomei todos os comprimidos",
        "voltei a me cortar",
        "todo mundo ficaria melhor sem mim",
        "tentei me matar ontem",
        "estou juntando remédios",
    ],
    "de": [
        "ich will nicht mehr leben",
        "ich bringe mich um",
        "ich will sterben",
        "ich habe alle Tabletten genommen",
        "ich ritze mich wieder",
        "Selbstmordgedanken",
        "alle wären besser dran ohne mich",
        "ich habe versucht mich umzubringen",
        "ich sammle Tabletten",
    ],
}


@pytest.mark.parametrize(("lang", "text"), [(lang, t) for lang, ts in CRISIS_BY_LANGUAGE.items() for t in ts])
def test_crisis_language_in_every_language(lang, text):
    assert read(text).crisis, (lang, text)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("I wanted to ask about the invoice for last month", "en"),
        ("Hola, quería saber si puedo cambiar la cita del jueves", "es"),
        ("Bonjour, est-ce que je peux avoir une facture pour la séance", "fr"),
        ("Oi, eu queria saber se posso remarcar a consulta de quinta", "pt"),
        ("Hallo, ich wollte fragen ob ich die Rechnung bekommen kann", "de"),
    ],
)
def test_language(text, lang):
    assert read(text).language == lang


def test_no_language_when_there_is_nothing_to_tell():
    assert read("ok").language is None
