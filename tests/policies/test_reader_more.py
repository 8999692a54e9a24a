"""The reader (policies/reader/): more of the ways people write, both ways (written for these
tests, five languages)."""

from __future__ import annotations

import pytest

from policies import reader
from policies.reader import read

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
