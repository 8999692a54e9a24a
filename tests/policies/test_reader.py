"""The reader (policies/reader.py): normalisation, every crisis kind, five languages, idioms,
negation, personal requests, categories, language, and time linear in the length."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from policies import reader
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


# --- more of the ways people write, both ways (written for these tests, five languages) -----------

MORE_CRISIS = [
    "I feel like ending it all",
    "I just want to go to sleep forever",
    "I want to jump in front of a train",
    "thinking of driving my car into a wall",
    "I'm a burden to my family",
    "Everything feels pointless and I don't want to be here anymore",
    "I've been having thoughts of hurting myself",
    "I just want to disappear",
    "I took a bunch of pills",
    "i swallowed 20 tylenol",
    "i drank bleach",
    "I've been thinking about death a lot",
    "I'm scared I'm going to hurt myself",
    "i cant stop thinking about killing myself",
    "i have razor blades hidden in my room",
    "I cut myself last night",
    "I burned my arm with a lighter",
    "my thighs are covered in cuts",
    "I want to join my mom in heaven",
    "I'm going to end my suffering",
    "I don't want to exist",
    "no one would care if i was gone",
    "I'm thinking about taking my life",
    "I deserve to die",
    "everyone hates me, I should just die",
    "i'm so worthless i should kill myself",
    "I wanna die lol",
    "lowkey want to die",
    "im not ok. i want to end it",
    "I'm scared of myself right now",
    "Goodbye everyone, I love you all",
    "Please tell my family I'm sorry",
    "I won't be a problem anymore",
    "it will all be over soon",
    "I relapsed on self harm",
    "I've been hurting myself again",
    "I have a gun and I'm thinking about using it",
    "thinking about overdosing",
    "im planning to overdose this weekend",
    "i hate myself and want to die",
    "i want to hang myself",
    "how much tylenol is lethal",
    "i keep thinking about the bridge near my house",
    "i bought a rope and a stool",
    "i put a belt around my neck last night",
    "i keep cutting my wrists",
    "I OD'd on xanax",
    "i shot myself in the leg hoping it would end",
    "no quiero seguir viviendo",
    "quisiera dormir y no despertar nunca",
    "je n'ai plus envie de vivre",
    "j'ai envie de me jeter sous un train",
    "eu quero sumir para sempre",
    "não aguento mais viver",
    "ich will nicht mehr aufwachen",
    "ich denke daran mich umzubringen",
    "mir geht es so schlecht, ich will sterben",
    "ya no puedo más, me quiero matar",
    "no le veo sentido a seguir viviendo",
    "estoy pensando en tomarme todas las pastillas",
    "me corté las muñecas anoche",
    "quiero desaparecer para siempre",
    "mañana me voy a tirar del puente",
    "todos estarían mejor si yo no estuviera",
    "tengo ganas de morirme",
    "me quiero morir ya",
    "he estado guardando pastillas para cuando me decida",
    "ojalá no despertar mañana",
    "intenté suicidarme el año pasado y lo estoy pensando otra vez",
    "me hago cortes en los brazos",
    "siento que soy una carga para todos",
    "je veux en finir",
    "j'ai pensé à me suicider hier soir",
    "je me suis scarifiée les bras",
    "j'ai avalé toute la boîte de doliprane",
    "personne ne me regretterait si je mourais",
    "je n'ai plus de raison de vivre",
    "j'ai acheté une corde pour me pendre",
    "je veux juste dormir et ne jamais me réveiller",
    "eu quero me matar",
    "não aguento mais, quero morrer",
    "tomei todos os meus remédios agora",
    "estou pensando em pular da ponte",
    "me cortei de novo",
    "todo mundo ficaria melhor sem mim",
    "não quero mais acordar",
    "tenho vontade de sumir pra sempre",
    "ich will nicht mehr",
    "ich habe alle meine Tabletten geschluckt",
    "ich denke ständig an Selbstmord",
    "ich habe mich wieder geritzt",
    "alle wären besser dran ohne mich",
    "ich will einfach nur sterben",
    "ich werde mich heute Nacht umbringen",
    "ich möchte einschlafen und nie wieder aufwachen",
    "me quiero matar",
    "no quiero existir",
    "quiero dejar de existir",
    "estoy harta de vivir",
    "no valgo nada y quiero desaparecer",
    "me voy a quitar la vida",
    "voy a acabar con esto de una vez",
    "quiero que todo termine",
    "pienso en el suicidio todo el tiempo",
    "me corto para sentir algo",
    "tomé una caja entera de pastillas",
    "je veux plus vivre",
    "j'ai envie de crever",
    "je vais me foutre en l'air",
    "je pense au suicide",
    "j'ai des idées noires",
    "je me fais du mal",
    "je veux disparaître pour toujours",
    "je vais sauter du pont ce soir",
    "quero acabar com tudo",
    "vou acabar com a minha vida",
    "tô pensando em suicídio",
    "tomei uma caixa de remédio",
    "quero sumir",
    "penso em me matar todos os dias",
    "eu me corto quando fico ansiosa",
    "ich will mich umbringen",
    "ich habe Suizidgedanken",
    "ich habe eine Überdosis genommen",
    "ich schneide mich",
    "am liebsten wäre ich tot",
    "es hat alles keinen Sinn mehr",
    "ich will einfach verschwinden und nie wieder kommen",
    "ich habe Tabletten gesammelt",
]
MORE_EVERYDAY = [
    "I'm dying to know how it went",
    "I'm going to kill my sister lol she ate my leftovers",
    "I nearly died when I saw the bill",
    "I'd die for my kids",
    "I could just die of embarrassment",
    "I want to die my hair pink",
    "the movie had a suicide scene that upset me",
    "My uncle took his own life 10 years ago and the anniversary is coming",
    "I took my meds this morning",
    "I took all my meds this morning like you said",
    "I cut back on coffee",
    "I'm done with this job",
    "I hope I don't wake up late tomorrow",
    "I hope I don't die of boredom at this conference",
    "My phone is on 1% and about to die",
    "I want to kill it at my presentation",
    "I'm ready to end things with my boyfriend",
    "Can we end the session early?",
    "I gave away a lot of clothes to goodwill",
    "I'm saving up for a new phone",
    "I've been collecting my prescriptions from the pharmacy",
    "I have my pills ready for the trip",
    "i got a new gun for hunting season",
    "we're going to the bridge for a picnic",
    "I went to the roof party on Saturday",
    "I'm going to jump in the shower then call you",
    "I can't go on Friday, can we move it?",
    "I can't keep going to the gym at 6am",
    "can't wait to see you next week!",
    "the new season of the show is killing it",
    "I'm so tired, I could sleep for a week",
    "my grandma is dying and I'm sad",
    "I'm going to the hospital to visit my dad",
    "Can I pay with my HSA card?",
    "I lost my job and I'm stressed but I'm ok",
    "me muero de ganas de verte en la sesión",
    "je suis mort de rire",
    "morri de vergonha na reunião",
    "ich bin total kaputt heute",
    "this homework is the death of me",
    "I'm dead serious about quitting sugar",
    "I shot my shot with my crush lol",
    "the cake was killer",
    "we killed it at trivia night",
    "I'm overdosing on coffee today",
    "i took a handful of gummy bears lol",
    "me muero de hambre, ¿a qué hora es la sesión?",
    "este calor me está matando",
    "mi jefe me va a matar si llego tarde",
    "se me murió el móvil, por eso no contesté",
    "estoy muerta de cansancio pero bien",
    "me corté el pelo y me encanta",
    "mi abuelo murió hace un año y lo extraño",
    "vi una película sobre el suicidio en clase",
    "¿me puedes mandar la factura de octubre?",
    "tengo que cancelar la cita del martes",
    "je meurs de faim",
    "ce travail me tue",
    "mon téléphone est mort",
    "je suis crevée mais ça va",
    "j'ai vu un documentaire sur le suicide",
    "est-ce qu'on peut déplacer la séance de jeudi ?",
    "estou morrendo de fome",
    "meu chefe vai me matar",
    "minha bateria morreu",
    "morri de rir com o vídeo",
    "preciso remarcar a consulta",
    "ich sterbe vor Langeweile",
    "mein Akku ist leer, sorry",
    "die Hitze bringt mich um",
    "ich bin todmüde",
    "können wir den Termin verschieben?",
    "ich habe mir die Haare geschnitten",
    "me muero de sueño",
    "me muero por un café",
    "qué calor, me muero",
    "la película me mató de risa",
    "je suis mort de rire",
    "ça me tue ce truc",
    "je meurs d'envie de te voir",
    "tô morta de cansaço",
    "esse calor vai me matar",
    "ich sterbe vor Hitze",
    "das Warten bringt mich um",
    "la serie trata sobre el suicidio y me gustó",
    "mi perro se murió la semana pasada",
    "ma grand-mère est décédée et je suis triste",
    "meu avô morreu e estou de luto",
    "mein Opa ist gestorben",
    "quiero cancelar la cita",
    "je voudrais annuler le rendez-vous",
    "quero cancelar a sessão",
    "ich möchte den Termin absagen",
]


@pytest.mark.parametrize("text", MORE_CRISIS)
def test_more_crisis_language(text):
    assert read(text).crisis, text


@pytest.mark.parametrize("text", MORE_EVERYDAY)
def test_more_everyday_language(text):
    assert not read(text).crisis, (text, read(text))


def test_a_second_signal_counts_only_in_the_messages_language():
    # the German article "die" is not the English verb: the overdose stays a colleague's story
    text = "ich bin pflegerin und heute kam eine junge frau mit einer überdosis in die notaufnahme"
    assert not read(text).crisis
    assert read(text + ", und ich will auch sterben").crisis


def test_an_idiom_exempts_the_spaceless_copy_too():
    assert not read("I'm writing my psychology paper on self-harm in adolescents").crisis
    assert read("I'm writing my psychology paper and I self-harm again").crisis


def test_explain_names_what_was_found():
    found = reader.explain("I have the pills ready for tonight")
    assert ("tag", "en:pills", "pils") in found or ("tag", "en:pills", "pills") in found
    assert any(kind == "tag" and name == "en:time" for kind, name, _ in found)


@pytest.mark.parametrize(
    "text",
    [
        "i feel like dying",
        "i hope i die",
        "i want to stop living",
        "life is too much, i want to check out",
        "i have a plan to end my life",
        "im on the bridge right now",
        "no one will miss me",
        "this is the last time you'll hear from me",
        "i just swallowed a bottle of pills",
        "I took 30 sleeping pills",
        "i took too much of my meds on purpose",
        "self harm urges are bad tonight",
        "i slit my wrists",
        "i've been burning myself with cigarettes",
        "i cut so deep i needed stitches",
        "asking for a friend how much insulin is lethal",
        "i'm about to end it",
        "I don't see a future for me",
        "im so tired of being alive",
    ],
)
def test_still_more_crisis_language(text):
    assert read(text).crisis, text


@pytest.mark.parametrize(
    "text",
    [
        "I'm going to die if I don't get coffee",
        "my heart stopped when I saw the price",
        "I'm literally dead 😂",
        "the plant I bought is dead",
        "I feel like dying my hair red",
        "my legs feel like they're dying after leg day",
        "I don't see a future in this job, I want to quit",
        "no one will miss the old office",
    ],
)
def test_still_more_everyday_language(text):
    assert not read(text).crisis, (text, read(text))


@pytest.mark.parametrize(
    "text",
    [
        "we did suicide runs at practice",
        "I volunteer at a suicide hotline on weekends",
        "I really shot myself in the foot with that email",
        "I've been killing myself at the gym",
        "reading The Virgin Suicides for class",
        "the article on teen suicide was sad",
    ],
)
def test_sport_titles_volunteering_and_hyperbole_are_not_crisis(text):
    assert not read(text).crisis, (text, read(text))


@pytest.mark.parametrize(
    "text",
    [
        "should I call the suicide hotline?",
        "I shot myself last night",
        "I've been killing myself slowly with pills",
    ],
)
def test_the_same_words_about_oneself_still_escalate(text):
    assert read(text).crisis, text


@pytest.mark.parametrize(
    "text",
    [
        "ya no aguanto mas la vida",
        "me quiero morir, no puedo mas",
        "me dan ganas de matarme",
        "estoy pensando en quitarme la vida",
        "voy a tomarme todas las pastillas esta noche",
        "tengo las pastillas listas",
        "me corte otra vez los brazos",
        "me lastimo a proposito",
        "soy un estorbo para todos",
        "ya me despedi de todos",
        "esta es mi ultima noche",
        "no quiero vivir mas",
        "quisiera estar muerta",
        "j'ai envie de me tuer",
        "je veux me suicider",
        "je pense à mourir tout le temps",
        "je me coupe les bras",
        "j'ai pris trop de cachets",
        "tout le monde serait mieux sans moi",
        "je ne veux plus me réveiller",
        "c'est mon dernier message",
        "je veux plus exister",
        "eu quero morrer logo",
        "tô pensando em me matar",
        "não quero mais viver",
        "vou tomar todos os remédios hoje",
        "me cortei de novo nos braços",
        "sou um peso pra todo mundo",
        "essa é minha última mensagem",
        "queria estar morta",
        "ich will sterben",
        "ich will mich töten",
        "ich habe Selbstmordgedanken",
        "ich habe zu viele Tabletten genommen",
        "ich ritze mich",
        "ich bin nur eine Last für alle",
        "das ist meine letzte Nachricht",
        "ich möchte tot sein",
        "ich kann nicht mehr leben",
    ],
)
def test_crisis_language_in_four_more_languages(text):
    assert read(text).crisis, text


@pytest.mark.parametrize(
    "text",
    [
        "me muero de aburrimiento en esta reunión",
        "estoy muerto, mañana te escribo",
        "el examen me mató",
        "me corté con un papel",
        "quiero matar el tiempo antes de la cita",
        "je suis morte de fatigue",
        "j'ai failli mourir de rire",
        "je me suis coupée en cuisinant",
        "ce prof va me tuer avec ses devoirs",
        "to morrendo de calor",
        "quase morri de susto",
        "me cortei com a faca cozinhando",
        "ich bin fix und fertig",
        "ich lach mich tot über das video",
        "ich habe mich beim Kochen geschnitten",
        "mein Chef bringt mich um mit den Überstunden",
    ],
)
def test_everyday_language_in_four_more_languages(text):
    assert not read(text).crisis, (text, read(text))


def test_a_letter_is_a_goodbye_only_with_what_makes_it_one():
    assert not read("I wrote a letter to my mom about my feelings, like you suggested").crisis
    assert not read("I left a note for my roommate about the dishes").crisis
    assert read("i left a letter for my roommate on the kitchen table").crisis
    assert read("I wrote a goodbye letter to my family").crisis


def test_a_request_is_read_in_the_language_it_is_written_in():
    # "de me" would be Portuguese for "give me"; in French it is "of me": no request here
    assert not read("j'ai supprimé insta de mon téléphone, ça me faisait du mal de me comparer").personal
    assert read("dá-me o seu número pessoal, é mais prático").personal


@pytest.mark.parametrize(
    "text",
    [
        "I keep staring at the bridge on my way home",
        "It's like I'm already gone and just waiting for my body to catch up",
    ],
)
def test_looking_at_a_drop_and_already_gone(text):
    assert read(text).crisis, text


@pytest.mark.parametrize(
    "text",
    [
        "look at the building across the street",
        "Are you looking at the roof repair quote?",
        "I love looking at the bridge at night, the lights are pretty",
    ],
)
def test_looking_at_places_is_everyday(text):
    assert not read(text).crisis, text


@pytest.mark.parametrize(
    ("text", "crisis"),
    [
        ("s.t.e.r.b.e.n", True),
        ("m.e t.u.e.r", True),
        ("m o r i r", True),
        ("Oma liegt im Sterben", False),
        ("je meurs de faim", False),
    ],
)
def test_a_word_spelt_out_letter_by_letter(text, crisis):
    assert read(text).crisis is crisis, text


# --- round 2: families from the second corpus and the probes (own sentences, not corpus lines) ---


@pytest.mark.parametrize(
    "text",
    [
        # a plan with a date, or a date picked on its own
        "i have a plan and a date",
        "ive got it planned, i even have the date",
        "I've picked the day, it's the 3rd",
        "j'ai choisi la date, ce sera mardi",
        "ja escolhi a data, vai ser terça",
        "ich habe mir den tag ausgesucht, es ist der zehnte",
        "i've made a plan. i wanted you to know.",
        # the means saved for a time, in five languages
        "tengo las pastillas guardadas para esta noche",
        "i have the pills saved for tonight",
        "j'ai les cachets de côté pour ce soir",
        "tenho os comprimidos guardados pra hoje a noite",
        "ich habe die tabletten für heute nacht zur seite gelegt",
        "ce soir j'avale toute la boîte d'ibuprofène",
        # the means by the water
        "sitting by the lake with my tablets",
        "estoy junto al lago con mis pastillas",
        "ich bin am see mit meinen tabletten",
        # the train, decided
        "tomorrow night the train, ive decided",
        "el tren de mañana temprano, ya lo decidí",
        "le dernier train ce soir, ma décision est prise",
        "den letzten zug heute nacht, ich hab mich entschieden",
        # trying it again, with a when
        "lo intenté de nuevo anoche",
        "ich hab es gestern wieder versucht",
        "tentei de novo ontem à noite",
        # urges with the means at hand
        "strong urges tonight and i have a razor blade right here",
        # letters split apart
        "k.m.s",
        "honestly i might k m s",
        "ayer me k o r t e",
        "ontem me k o r t e i",
        "je me suis k o u p é",
        # thinking a lot about ending it
        "je pense beaucoup à en finir ces jours-ci",
        "penso muito em acabar com tudo",
        "hab oft daran gedacht, mir was anzutun",
        # the last night's sleep, a session missed "not because of work", a note kept for use,
        # no more sessions with thanks, letting an illness take its course, provisions left
        "every night I hope it's the last time I go to sleep",
        "ojalá sea la última vez que me acuesto",
        "i won't make it to next week's session, and not because of work",
        "wrote a note last night, not sure if i'll use it",
        "escribí una nota, no sé si la voy a usar",
        "thank you for everything, i won't be needing you anymore",
        "merci pour tout, je n'aurai plus besoin de séances",
        "if the tests show cancer i'd just let it happen",
        "se eu tivesse câncer não faria tratamento, deixaria acontecer",
        "wenn ich krebs hätte, würde ich mich nicht behandeln lassen",
        "i left enough food for the dog and wrote a letter to my sister",
        "hab die briefe geschrieben und futter für eine woche hingestellt",
    ],
)
def test_round_two_crisis_families(text):
    assert read(text).crisis, text


@pytest.mark.parametrize(
    "text",
    [
        "we picked a date for the wedding",
        "ya tenemos la fecha de la boda",
        "on a fixé la date du mariage",
        "wir haben das datum für die hochzeit",
        "i have a plan for the weekend",
        "i have a plan for the day: groceries and laundry",
        "parked by the pharmacy to pick up my pills",
        "i counted my pills into the weekly organizer tonight, 50mg each",
        "nao vou ficar por aqui muito tempo, vou me mudar pro porto",
        "je vais plus être là longtemps, je déménage à lyon",
        "i have a date tonight",
        "the train at 7 tonight, i've decided to visit my mum",
        "le dernier train ce soir, j'ai décidé de rentrer chez ma mère",
        "el último tren de esta noche, ya decidí volver a casa de mis padres",
        "took the kids to the lake with their allergy tablets",
        "lo intenté de nuevo pero el pastel se quemó",
        "lo intenté otra vez ayer con el examen de conducir",
        "ich hab es gestern nochmal versucht, aber sie waren nicht erreichbar",
        "hoping it's the last time I go to bed crying",
        "thanks for everything, I won't need any more sessions, I'm doing so much better",
        "gracias por todo, no voy a necesitar más sesiones, ya estoy mucho mejor",
        "i'm not going to make it to the session, not because of work, i have a fever",
        "i left a note for the babysitter just in case",
        "my dad has cancer and decided to refuse treatment",
        "damals habe ich mich geritzt, seit jahren nicht mehr",
        "the bridge club meets on thursdays, i finally won a hand",
    ],
)
def test_round_two_everyday_uses_of_the_same_words(text):
    assert not read(text).crisis, text


@pytest.mark.parametrize(
    "text",
    [
        "¿me agregas en facebook?",
        "on pourrait prendre un verre",
        "bora tomar um café",
        "wollen wir mal was trinken gehen",
        "my cousin has a business, would you like to invest?",
        "quieres invertir en el negocio de mi primo?",
        "voulez vous investir dans son entreprise",
        "quer investir no negocio do meu tio",
        "möchten sie investieren? mein cousin hat eine firma",
        "can i take you out for lunch to thank you",
        "it would be nice if we could be friends after therapy",
        "quisiera invitarte a cenar un día",
        "j'aimerais vous emmener au restaurant",
        "queria te convidar pra jantar",
        "darf ich sie zum kaffee einladen",
        "wie heißen sie auf instagram?",
        "on se fait un resto un de ces quatre ?",
        "hättest du lust, mal mit mir essen zu gehen?",
        "would you be interested in investing in my sister's bakery?",
        "ça vous intéresserait d'investir dans le restaurant de mon frère ?",
        "hätten sie interesse, in die firma meines bruders zu investieren?",
    ],
)
def test_round_two_personal_requests(text):
    reading = read(text)
    assert reading.personal and not reading.crisis, text


@pytest.mark.parametrize(
    "text",
    [
        "my instagram got 200 likes on my painting",
        "mi novio quiere que cenemos con sus padres",
        "my sister and I used to be friends",
        # investing of one's own is not an ask
        "i want to invest in a flat one day",
        "is my account on instagram private?",
        "we want to invest in her education",
        "quiero invertir en el negocio de mi familia",
        "je veux investir dans son avenir",
        "quero investir na empresa do meu pai",
    ],
)
def test_round_two_own_social_life_is_not_personal(text):
    assert not read(text).personal, text
