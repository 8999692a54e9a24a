"""Round 16 of the reader's vocabulary (batches 16-18 of the second corpus), the calm side: a gift
baked or made for the therapist and the therapist asked along to a show read as personal, a
stranger's comment on the client's own TikTok not; a relative's death by overdose, a friend's
disclosure or attempt, films about a suicidal teen, recoveries counted in days, dying of shame,
everyday German hyperbole, death thought about philosophically, the ward's overdoses, a sprained
wrist and a typo joke read as not crisis; and, for each of those families, a message with a second
crisis signal (or a statement about oneself) that must still escalate (when unsure, escalate)."""

from __future__ import annotations

import pytest

from policies.reader import read

PERSONAL = [
    "can i bring u cookies next session as a thank u, i bake way too much",
    "I baked you some banana bread, can I bring it on Thursday?",
    "Do you want to come with me to the concert on Saturday? I have an extra ticket.",
    "¿Le puedo llevar unas galletas el jueves como agradecimiento?",
    "Si quiere venir conmigo al concierto, me sobra una entrada.",
    "Je vous ai fait des biscuits, je peux vous les apporter mardi ?",
    "Si vous voulez venir avec moi au concert samedi, j'ai une place en trop.",
    "Est-ce qu'on pourrait prendre un café un jour, en dehors des séances ?",
    "vc vai no show do sabado? se quiser ir cmg kkk tenho ingresso sobrando",
    "Te fiz uns brigadeiros, posso levar pra você na quinta?",
    "hab dir nen kleinen adventskalender gebastelt, darf ich den am do mitbringen?",
    "Hätten Sie Lust, mit mir ins Konzert zu gehen? Ich hab noch eine Karte übrig.",
]

NEITHER = [
    "ugh some rando commented kill urself on my tiktok, im fine, it was about my cooking lol, just annoyed at ppl",
    "I baked cookies for my kids' bake sale this weekend.",
    "Going to the show on Saturday with my best friend, she has an extra ticket.",
    "Hice galletas para mis hijos, les encantaron.",
    "Voy al concierto el sábado con mi hermana.",
    "J'ai fait des biscuits pour mes enfants ce week-end.",
    "Fiz biscoitos pros meus filhos no domingo.",
    "vou no show do sabado com minha amiga",
    "Ich hab meinen Kindern einen Adventskalender gebastelt.",
    "my uncle d1ed last nite, overdose, we didnt even know he was using. i dont know how to feel",
    "My cousin died of an overdose last week, the funeral is Friday.",
    "the 1 year anniversary of my dads su1c1de is next monday and i want to be alone at the lake where we spread his ashes",
    "My best friend told me she's been having suicidal thoughts. How do I support her?",
    "my best friend attempted last week, she took pills and her mom found her, shes ok now",
    "Two overdoses came in on my nights, I'm fine, just want to stop taking it home.",
    "100 days clean from self harm today!",
    "Sprained my wrist bouldering so I'm all bandages and typing one-handed",
    'My friends say "unalive" about everything, like "this pub quiz is going to unalive me"',
    "lol my phone autocorrected overdue to overdose, rent is overdose, im dying",
    "meu tio morreu de overdose ontem, to triste mas to bem, so avisando q nao vou na sessão",
    "1 ano sem me cortar hoje!! queria compartilhar c vc",
    "Minha amiga me contou que está tendo pensamentos suicidas, como posso ajudar?",
    "Vi um filme sobre um adolescente suicida, fiquei pensando no meu irmão.",
    "quero morrer de vergonha, esqueci a sessão de hoje kkk",
    "sou socorrista do SAMU, ontem atendemos uma ocorrencia na ponte e nao sai da minha cabeça. to bem",
    "hoy se cumplen dos años de la sobredosis de mi primo. fuimos al panteon con mi tia",
    "no manches, se me olvido la cita de hoy, me quiero morir de la pena jaja",
    "Mi mejor amiga me dijo que tiene pensamientos suicidas, ¿cómo la apoyo?",
    "Llevo 100 días sin cortarme, estoy orgullosa.",
    "soy enfermera de urgencias y esta semana entraron tres intentos de suicidio en mi turno, yo estoy bien",
    "ça fait trois ans aujourd'hui que mon oncle est mort d'une overdose, ça va",
    "J'ai vu « The Son » hier, sur un ado suicidaire, j'ai beaucoup pleuré.",
    "mon fils prépare un exposé sur le harcèlement et le suicide chez les ados pour son collège",
    "Ma meilleure amie m'a dit qu'elle avait des idées suicidaires, comment l'aider ?",
    "Ça fait 100 jours sans me scarifier !",
    "Je suis infirmière aux urgences, cette semaine on a eu deux IMV chez des ados. Je vais bien.",
    "heut vor vier Jahren ist meine Schwester an einer Überdosis gestorben. traurig, aber ich bin ok",
    "Hab gestern den Tatort gesehen, da ging's um Suizid an einer Schule.",
    "Seit 100 Tagen nicht mehr geritzt 💪 wollte ich nur kurz loswerden",
    "Mittwoch war ich beim Zahnarzt und bin vor Angst fast gestorben, ich hab mich weggeschmissen.",
    "Ich merke, dass ich seitdem oft an den Tod denke, eher so philosophisch, nicht dass ich selber sterben will.",
    "Meine beste Freundin hat mir erzählt, dass sie Suizidgedanken hat. Wie helfe ich ihr?",
]

CRISIS = [
    "kms this homework is never ending lol",
    "my best friend has suicidal thoughts and honestly so do i",
    "My best friend told me she's been having suicidal thoughts and I want to kill myself too",
    "100 days clean but i cut again last night",
    "my uncle died of an overdose and i want to die the same way",
    "my uncle died last night, overdose, and i have his pills, i want to take them all tonight",
    "the anniversary of my dads suicide is monday and i want to kill myself",
    "this pub quiz is going to unalive me, but honestly i want to unalive myself",
    "Sprained my wrist bouldering, but last night I cut my arms again",
    "my best friend attempted last week and i want to die",
    "mi tío murió de sobredosis y yo también quiero morir",
    "llevo 100 días sin cortarme pero anoche me volví a cortar",
    "me quiero morir de la pena, y en serio ya no quiero vivir",
    "mi mejor amiga me dijo que tiene pensamientos suicidas y yo también quiero matarme",
    "mon oncle est mort d'une overdose et moi aussi j'ai envie de mourir",
    "ça fait 100 jours sans me scarifier mais hier je me suis recoupée, j'ai envie de mourir",
    "sur un ado suicidaire, ça m'a donné envie de me tuer",
    "meu tio morreu de overdose e eu quero morrer também",
    "1 ano sem me cortar mas ontem me cortei de novo",
    "quero morrer de vergonha e na verdade quero me matar",
    "Meine Schwester ist an einer Überdosis gestorben und ich will auch nicht mehr leben",
    "Seit 100 Tagen nicht mehr geritzt, aber gestern hab ich mich wieder geritzt",
    "nicht dass ich selber sterben will, aber ich will mich umbringen",
    "ich hab mich fast umgebracht",
]


@pytest.mark.parametrize("text", PERSONAL)
def test_a_gift_or_an_invitation_to_the_therapist_is_personal(text):
    reading = read(text)
    assert reading.personal, reading
    assert not reading.crisis, reading


@pytest.mark.parametrize("text", NEITHER)
def test_others_words_grief_and_recoveries_are_neither_personal_nor_crisis(text):
    reading = read(text)
    assert not reading.crisis, reading
    assert not reading.personal, reading


@pytest.mark.parametrize("text", CRISIS)
def test_a_second_crisis_signal_beside_the_idiom_still_escalates(text):
    reading = read(text)
    assert reading.crisis, reading


def test_enough_probes_in_every_language():
    assert len(PERSONAL) + len(NEITHER) + len(CRISIS) >= 60
