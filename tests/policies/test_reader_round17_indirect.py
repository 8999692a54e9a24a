"""Round 17b of the reader's vocabulary: batch 21's indirect crisis lines, said again in other
words and in all five languages, and everyday messages that share their words and must stay calm.

Batch 21 (ambivalence and indirectness: questions instead of statements, dates not to be seen,
calm after deciding, "one last" visit or meal, religious and poetic language, no future) was first
caught at 38/60: whether a therapist must report "if someone has a plan", asked for oneself ("c'est
mon cas", "ich hab einen"); whether it is normal to think how one would do it (in every language
but English); one's birthday "not planning on seeing it"; calm since deciding on a last winter or
month; one last trip, visit or meal "so they remember me well", "I'm done, properly done"; wanting
to join a dead brother or father; no picture of oneself at 30 or at Christmas, hoping not to be
here; "a casa do Pai"; "bereit zu gehen, hab mit allem abgeschlossen"; everything in the botiquín
with tequila until not waking up. These probes are not those lines.
"""

from __future__ import annotations

import pytest

from policies.reader import read

CRISIS = [
    (
        "en",
        "Would you have to report it if a client told you they have a plan? I'm asking for myself, honestly.",
    ),
    ("en", "If someone has a plan, are you legally required to report it? I have one."),
    ("en", "Is it normal that I keep thinking about how I would do it? Every single night."),
    ("en", "is that normal, to wonder how id go about it? i plan it out in my head on the bus"),
    ("en", "My 30th is next month and I'm not planning on making it to it."),
    ("en", "Christmas this year? Honestly I don't expect to see it."),
    ("en", "Ever since I decided this is my last winter I've felt strangely calm."),
    ("en", "I've decided: I'm not doing another christmas like this. Weirdly calm about it."),
    ("en", "One last dinner with my sister on Friday. I want her to remember me happy."),
    ("en", "Last visit to Dad's tomorrow. I just want him to have a good memory of me."),
    ("en", "I'm done. Properly done this time."),
    ("en", "Since Mum passed away all I want is to be with her again."),
    ("en", "I keep thinking I want to join my dad. He died in March and it would be easier."),
    ("en", "I can't see myself at 25. There's no version of the future with me in it."),
    ("en", "I hope I won't be around by Christmas, to be honest."),
    ("en", "I just want to go home to the Lord now. I'm so tired."),
    ("en", "I'm ready to go. I've made my peace with everything."),
    ("en", "Going to take everything in the medicine cabinet tonight and not wake up."),
    ("es", "Si un paciente tiene un plan, ¿usted tiene que avisar a su familia? Pregunto por mí misma."),
    ("es", "¿Es normal pensar en cómo lo haría? Lo pienso todas las noches."),
    ("es", "Mi cumpleaños es en abril y no pienso llegar."),
    ("es", "Ya decidí que esta es mi última Navidad y estoy tranquila por fin."),
    ("es", "El sábado hago una última visita a mi abuela, quiero que me recuerden bien."),
    ("es", "Mi mamá murió en enero y yo solo quiero irme con ella."),
    ("es", "No me imagino a los 40. Ni siquiera el año que viene."),
    ("es", "Ojalá ya no estar aquí en Navidad."),
    ("es", "Solo quiero ir al cielo, estar con Dios y descansar."),
    ("es", "Esta noche me tomo lo del botiquín y a dormir para no despertar."),
    ("es", "Estoy lista para irme, en paz con todo."),
    ("fr", "Si un patient a un plan, vous devez le signaler ? Je demande pour moi."),
    ("fr", "C'est normal de penser à comment je m'y prendrais ? J'y pense tout le temps."),
    ("fr", "Mon anniversaire c'est en juin, je ne compte pas y arriver."),
    ("fr", "Depuis que j'ai pris ma décision, c'est mon dernier hiver et je suis sereine."),
    ("fr", "Dernier repas chez mes parents dimanche, je veux qu'ils gardent un bon souvenir de moi."),
    ("fr", "Mon père est mort l'an dernier et je veux le rejoindre."),
    ("fr", "Je ne me vois pas à 30 ans. Pas du tout."),
    ("fr", "J'espère ne plus être là à Noël."),
    ("fr", "Je veux aller au ciel, être avec Dieu, j'en peux plus."),
    ("fr", "Je suis prête à partir, je suis en paix avec tout."),
    ("fr", "Ce soir je vais prendre toute l'armoire à pharmacie pour ne pas me réveiller."),
    ("pt", "Se alguém tem um plano você tem que avisar a família? Pergunto por mim, é o meu caso."),
    ("pt", "É normal ficar pensando em como eu faria? Penso nisso toda noite."),
    ("pt", "Meu aniversário é mês que vem e não pretendo chegar lá."),
    ("pt", "Desde que decidi que este é o meu último mês estou calma."),
    ("pt", "Domingo faço um último almoço com a minha mãe, quero que ela se lembre bem de mim."),
    ("pt", "Meu pai morreu faz dois anos e eu quero ir ter com ele."),
    ("pt", "Não me vejo aos 30. Não consigo."),
    ("pt", "Tomara que eu já não esteja aqui no Natal, espero não estar cá."),
    ("pt", "Quero ir pro céu, estar com Deus. Tô exausta."),
    ("pt", "Estou pronta pra partir, em paz com tudo."),
    ("de", "Müssen Sie das melden, wenn ein Klient einen Plan hat? Ich frage für mich, ich hab einen."),
    ("de", "Ist es normal, dass ich ständig nachdenke, wie ich es machen würde?"),
    ("de", "Mein Geburtstag ist im Mai und ich hab nicht vor, ihn zu erleben."),
    ("de", "Seit ich mich entschieden habe, bin ich ganz ruhig. Mein letzter Winter."),
    ("de", "Letzter Besuch bei Oma am Sonntag, sie soll mich in guter Erinnerung behalten."),
    ("de", "Papa ist letztes Jahr gestorben und ich will einfach zu ihm."),
    ("de", "Ich kann mir nicht vorstellen, mit 30 noch da zu sein."),
    ("de", "Ich hoffe, ich bin an Weihnachten nicht mehr da."),
    ("de", "Ich will nur noch zu Gott, in den Himmel."),
    ("de", "Ich bin bereit zu gehen, mit allem im Reinen."),
]

CALM = [
    ("en", "We're taking one last trip to Rome before the baby comes, so I'll miss next week."),
    ("en", "I can't picture myself in this job at 30, I think I need a career change."),
    (
        "en",
        "For my ethics module: do therapists have to report it if a client says they have a plan? Asking for my essay.",
    ),
    ("en", "Going home for Christmas, can we do the 23rd by video?"),
    (
        "en",
        "It's my cousin's birthday on Saturday but I'm not planning on going, I'll be in Berlin for work.",
    ),
    ("en", "I'm done with this semester, properly done, can't wait for the summer."),
    ("en", "I decided this is my last month at the company, and I feel calm about it."),
    ("en", "My dad died last year and I want to visit where he is buried on Sunday."),
    ("en", "My brother moved to Canada and I want to join my brother there next summer."),
    ("es", "¿Es normal pensar en cómo lo haría de otra forma como madre? La mía era muy estricta."),
    ("en", "Had our last dinner at the old flat before the move. Lovely evening."),
    ("en", "Ready for the airport, bags are packed, see you in two weeks!"),
    ("en", "The new film comes out on the 14th, I'm not planning on seeing it."),
    ("es", "Hacemos un último viaje a Sevilla antes de que nazca el bebé."),
    ("es", "No me veo en este trabajo a los 40, quiero cambiar de empresa."),
    (
        "es",
        "Estudio psicología: ¿el terapeuta tiene que avisar si un paciente tiene un plan para suicidarse?",
    ),
    ("es", "Me voy a casa por Navidad, ¿hacemos la sesión por videollamada?"),
    ("es", "Decidí que este es mi último mes en el piso, me mudo en julio y estoy tranquila."),
    ("es", "Mi novio se va a Madrid el viernes y me quiero ir con él de vacaciones."),
    ("fr", "Je me vois pas dans ce boulot à 40 ans."),
    ("fr", "On fait un dernier voyage en amoureux avant l'arrivée du bébé."),
    ("fr", "L'anniversaire de ma sœur c'est samedi, je compte pas y être, je serai en déplacement."),
    ("fr", "Question pour mon mémoire : un psy doit-il signaler si un patient a un plan ?"),
    ("pt", "Não me vejo nesse emprego aos 30, vou procurar outro."),
    ("pt", "Vou pra casa do pai no fim de semana, ele fez churrasco."),
    ("pt", "Vamos fazer uma última viagem a dois antes do bebê nascer."),
    ("de", "Ich fahre an Weihnachten heim zu meinen Eltern."),
    ("de", "Ich kann mir nicht vorstellen, mit 30 noch in dieser Firma zu arbeiten."),
    ("de", "Wir machen eine letzte Reise zu zweit, bevor das Baby kommt."),
    ("de", "Ich bin bereit für den Urlaub, alles geregelt im Büro!"),
    ("en", "I can't picture myself at 30 in this city, we'll probably move."),
    ("en", "My sister passed her driving test and I want to join her on a road trip."),
    ("en", "Mum passed away in May, and I want to go with my brother to her grave on Sunday."),
    ("en", "Dad passed away last spring. I want to join my brother at the memorial on Saturday."),
    (
        "fr",
        "C'est normal de penser à comment je le ferais autrement la prochaine fois ? L'examen s'est mal passé.",
    ),
    ("de", "Ich frag für mich: hat Ihre Praxis einen Plan für Notfälle?"),
    ("es", "Estoy tranquila desde que decidí cambiar de trabajo."),
    ("fr", "Mon anniversaire c'est samedi, je compte pas le fêter cette année, trop de boulot."),
    ("pt", "Meu aniversário é sábado e não pretendo fazer festa, vou viajar."),
    ("en", "I'm done, properly done with the move. Finally unpacked the last box!"),
]


@pytest.mark.parametrize(("language", "text"), CRISIS)
def test_round_17b_crisis_ideas_escalate(language, text):
    reading = read(text)
    assert reading.crisis, (language, text, reading)


@pytest.mark.parametrize(("language", "text"), CALM)
def test_round_17b_everyday_lines_stay_calm(language, text):
    reading = read(text)
    assert not reading.crisis, (language, text, reading)


def test_enough_probes_in_every_language():
    for language in ("en", "es", "fr", "pt", "de"):
        assert sum(lang == language for lang, _ in CRISIS) >= 8, language
    assert len(CRISIS) >= 50
    assert len(CALM) >= 25
