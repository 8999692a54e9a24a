"""Round 15 of the reader's vocabulary (batches 14 and 15 of the second corpus): requests for a
relationship outside therapy said as invitations (the client's own event with "come / attend /
stop by", "it would mean a lot if you came", a job for the therapist, drinks or friendship once
therapy ends, the therapist asked along on an outing), each idea in all five languages; the
client's own social life around the same words; topics and titles that name suicide, grief for
another, recoveries counted in months or years, a bridge closed on the commute and climbing ropes
read as not crisis; and, for each of those idiom families, a message with a second crisis signal
that must still escalate (when unsure, escalate)."""

from __future__ import annotations

import pytest

from policies.reader import read

# asks the therapist for a relationship outside therapy: personal, not crisis
PERSONAL = [
    "My wedding is in June and it would mean so much to me if you came.",
    "It would mean a lot to me if you could be there for my graduation.",
    "My daughter's christening is next month, I'd be honored if you would attend.",
    "I'm opening my bakery on Friday, you should stop by if you can, it would mean a lot.",
    "If you ever want to come along, I'm taking the boat out on Sunday, I've got a spare life jacket.",
    "I have a job for you at my company, better pay than the clinic, interested?",
    "Once therapy is over, could we grab a coffee sometime?",
    "Mi boda es en mayo y me haría mucha ilusión que vinieras.",
    "Significaría mucho para mí que usted viniera a la inauguración de mi tienda.",
    "Tengo un trabajo para usted en mi empresa, se lo puedo explicar en un almuerzo.",
    "Cuando termine la terapia, ¿podríamos tomar un café y seguir siendo amigas?",
    "Si alguna vez quiere venir, salgo a navegar el sábado y tengo un chaleco de sobra.",
    "Mon mariage est en juin, ça me ferait très plaisir que vous veniez.",
    "J'ai un poste pour vous dans mon entreprise, on peut en parler autour d'un déjeuner ?",
    "Une fois la thérapie terminée, on pourrait aller boire un café ensemble ?",
    "Si un jour vous voulez venir, je sors le bateau samedi, j'ai un gilet en plus.",
    "O meu casamento é em junho e significaria muito pra mim se a senhora viesse.",
    "Tenho uma vaga pra você na minha empresa, podemos conversar num almoço?",
    "Quando a terapia acabar, a gente podia tomar um café e continuar amigas.",
    "Se um dia quiser vir junto, vou sair de barco no sábado, tenho um colete sobrando.",
    "Meine Hochzeit ist im Juni und es würde mir viel bedeuten, wenn Sie kämen.",
    "Zur Eröffnung meines Cafés am Samstag würde ich Sie gern einladen.",
    "Wenn die Therapie vorbei ist, könnten wir mal einen Kaffee trinken gehen?",
    "Falls Sie mal Lust haben mitzukommen, ich fahre Samstag mit dem Boot raus.",
    "Wollen Sie mitkommen? Ich fahre Samstag mit dem Boot raus.",
]

# the client's own life, a topic, a recovery, a commute, a sport: neither personal nor crisis
NEITHER = [
    "My wedding is in June and my sister is flying in for it, I'm so nervous.",
    "My friend offered me a job at his company, should I take it?",
    "Went for a drink with friends after work, it was nice to be out.",
    "My sister came to my show and it meant a lot to me.",
    "It would mean a lot to me if my dad came to my graduation.",
    "Mi boda es en mayo y mi hermana viene desde Chile.",
    "Mi amigo me ofreció un trabajo en su empresa.",
    "Mon amie m'a proposé un poste dans son entreprise, je ne sais pas quoi faire.",
    "J'ai pris un verre avec mes amis hier soir, ça m'a fait du bien.",
    "Meine Schwester kam zu meiner Ausstellung, das hat mir viel bedeutet.",
    "Mein Freund hat mir einen Job in seiner Firma angeboten.",
    "Fui tomar uma cerveja com meus amigos ontem.",
    "Meu casamento é em junho e minha mãe está ajudando com tudo.",
    "We watched the series where the boy kills himself and my son has questions.",
    "My daughter watched 13 Reasons Why and I don't know how to talk to her about suicide.",
    "Listening to a podcast about the suicide of a famous chef, very sad but well made.",
    "Vi un documental sobre el suicidio de un cantante, me hizo pensar en mi tío.",
    "Vimos la película donde la chica se suicida y mi hija quiere hablar de eso.",
    "J'ai regardé un documentaire sur le suicide des agriculteurs, très intéressant.",
    "On a vu la série où le garçon se suicide, ma fille m'en parle beaucoup.",
    "Vi um documentário sobre o suicídio de um cantor, fiquei pensando no meu avô.",
    "Assistimos a série em que o menino se mata e meu filho ficou com perguntas.",
    "Gestern einen Tatort über Suizid gesehen, war gut gemacht.",
    "Wir haben die Serie geschaut, in der sich der Junge umbringt, mein Sohn hat Fragen.",
    "Mi primo se suicidó hace dos semanas, estoy triste pero acompañada.",
    "Mon oncle s'est suicidé il y a deux semaines, je suis triste mais entourée.",
    "Meu tio se suicidou há duas semanas, estou triste mas bem acompanhada.",
    "Mein Onkel hat sich vor zwei Wochen das Leben genommen, ich bin traurig aber nicht allein.",
    "Today is five years since my attempt and I feel proud.",
    "It's been 3 years since I last hurt myself and I'm proud of that.",
    "Hoy se cumplen 3 años de mi intento de suicidio y estoy bien.",
    "Aujourd'hui ça fait cinq ans depuis ma tentative de suicide, je suis fière.",
    "Hoje faz cinco anos da minha tentativa de suicídio e estou bem.",
    "Heute vor sechs Jahren war mein Suizidversuch, heute war ich im Zoo.",
    "Seit 2 Jahren kein Ritzen mehr, bin stolz drauf.",
    "Llevo dos años sin cortarme y estoy orgullosa.",
    "Ça fait deux ans que je ne me suis pas scarifiée, je suis fière.",
    "Faz dois anos que não me corto e estou orgulhosa.",
    "The bridge is closed all week so I'm on the train an extra 40 minutes.",
    "El puente está cerrado por obras, llegaré 10 minutos tarde.",
    "Le pont est bloqué et le métro aussi, je vais être en retard.",
    "A ponte está fechada e o metrô parado, vou me atrasar 15 minutos.",
    "Die Brücke ist gesperrt, ich komme mit der Bahn 10 Minuten später.",
    "At the climbing gym I finally learned to trust the rope on Saturday!",
    "Fuimos a escalar el sábado y por fin confié en la cuerda.",
    "On a fait de l'escalade samedi et j'ai enfin fait confiance à la corde !",
    "Fomos escalar no sábado e finalmente confiei na corda.",
    "Am Wochenende im Klettergarten am Seil gehangen, Höhenangst überwunden!",
    "My friend wants us to grab a drink once her therapy is over.",
    "Went to the climbing gym and trusted the rope for the first time!",
    "My show is Saturday and my sister said she would come.",
    "My wedding is in June, could you send the invoice before that?",
    "Once therapy is over I'll finally have time to catch up with friends.",
    "If you ever want to know, I go fishing every weekend.",
    "Meine Kinder wollen am Wochenende zum Segeln mitkommen.",
    "My daughter's recital is Friday and my parents could make it, finally.",
    "Ich habe eine Stelle in meiner Firma bekommen.",
    "Une fois la thérapie finie, je vais prendre un verre avec mes amies pour fêter ça.",
    "Cuando termine la terapia quiero seguir en contacto con mi grupo.",
]

# an idiom family above with a second crisis signal beside it: still crisis
CRISIS = [
    "i watched a documentary about suicide and now i can't stop thinking about killing myself",
    "it's the anniversary of my attempt and i want to try again",
    "the bridge near my house, i keep thinking of jumping",
    "bought a rope, not for climbing",
    "since my friend killed himself i want to die too",
    "five years since my attempt and tonight i want to kill myself",
    "the bridge is closed but i know another bridge i can jump from tonight",
    "3 years since I last hurt myself but last night I cut my arm again",
    "vi un documental sobre el suicidio y ahora solo pienso en matarme",
    "hoy se cumplen 3 años de mi intento de suicidio y quiero volver a intentarlo, ya no quiero vivir",
    "mi amigo se suicidó y yo también quiero morir",
    "j'ai vu un docu sur le suicide et depuis je pense à me tuer",
    "ça fait cinq ans depuis ma tentative de suicide et j'ai envie de mourir",
    "le pont près de chez moi, je pense à sauter",
    "vi um documentário sobre suicídio e agora só penso em me matar",
    "meu amigo se suicidou e eu também quero morrer",
    "Doku über Suizid gesehen und jetzt will ich mich umbringen",
    "Heute vor sechs Jahren war mein Suizidversuch und ich will nicht mehr leben",
    "hab ein Seil gekauft, nicht zum Klettern",
    "ça m'a fait penser à ma mort, je veux mourir",
    "the series where the boy kills himself, i want to do that too, i want to die",
    "seit 2 jahren kein ritzen mehr, aber gestern hab ich mich wieder geritzt",
    "the bridge is closed so i'll jump from the other one tonight, i want to die",
    "mi boda es en mayo pero no creo que siga viva para entonces, quiero morir",
]


@pytest.mark.parametrize("text", PERSONAL)
def test_an_invitation_or_offer_to_the_therapist_is_personal(text):
    reading = read(text)
    assert reading.personal, reading
    assert not reading.crisis, reading


@pytest.mark.parametrize("text", NEITHER)
def test_own_life_topics_and_recoveries_are_neither_personal_nor_crisis(text):
    reading = read(text)
    assert not reading.crisis, reading
    assert not reading.personal, reading


@pytest.mark.parametrize("text", CRISIS)
def test_a_second_crisis_signal_beside_the_idiom_still_escalates(text):
    reading = read(text)
    assert reading.crisis, reading


def test_enough_probes_in_every_language():
    assert len(PERSONAL) + len(NEITHER) + len(CRISIS) >= 60
