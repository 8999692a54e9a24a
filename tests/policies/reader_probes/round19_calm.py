"""Round 19 of the reader's vocabulary (batches 25-27 of the second corpus), the calm side: the
client's gig, vernissage or exhibition and a coffee once therapy is over read as personal (a
friend invited, the client's own plans not); everyday deaths (a call that cut out, the footy, the
traffic, "dead nice", "lach mich tot"), work with crises (an ICU patient lost to an overdose, a
man who jumped, a man on a bridge, a poisoning in the ER, "Suizid am Bahnhof"), others' crises
handled by the writer, a child's questions after a show, a course on asking about suicide, forms
and insurance asking about suicidal ideation or attempts, recoveries (years since the attempt or
the last cut), ropes for climbing and abseiling, grief at peace and a farewell before a move read
as not crisis; and, for each family, a message with a second crisis signal (or a statement about
oneself) that must still escalate (when unsure, escalate)."""

from __future__ import annotations

PERSONAL = [
    "My band is playing our first ever gig at the Elks Lodge on Saturday at 8, you should totally come!! no pressure",
    "We're doing a show at the community hall on Friday, you should definitely come",
    "j'expose mes toiles dans un petit café le mois prochain, ça me ferait vraiment plaisir que tu viennes au vernissage",
    "ça me ferait plaisir que tu passes au concert samedi",
    "Dürfte ich Sie auf einen Kaffee einladen, jetzt wo die Therapie vorbei ist? Ganz privat.",
    "Ich würd Sie gern mal auf einen Kaffee einladen, so als Dankeschön.",
    "me encantaría que vinieras a mi exposición el viernes",
    "ia adorar se você viesse na minha exposição sábado",
]

NEITHER = [
    "My band is playing our first gig on Saturday, my sister is coming.",
    "Been on three dates with that lad off Hinge, he's dead nice actually",
    "ma soeur m'a dit que le vernissage était super",
    "Ich hab meine Kollegin auf einen Kaffee eingeladen.",
    "fui na exposição da minha amiga ontem",
    "fui a la exposición de mi prima",
]

CALM = [
    # everyday deaths
    "Topped up my phone so I've got data for the video call tomorrow, last time it cut out halfway",
    "The footy nearly killed me last night, lost by a point after the siren.",
    "Ma, this Lagos traffic wants to kill me. I will be 10 minutes late.",
    "this heat wants to kill me, running late",
    ("de", "Lach mich tot, mein Hund hat heute im Wartezimmer den Gummibaum angeknabbert."),
    ("de", "Ich lach mich tot, mein Sohn hat heut versucht, die Katze zu baden"),
    ("es", "uy no, la junta me tenía con ganas de aventarme por la ventana jaja pero salió bien"),
    # work with crises
    "I worked three nights in the ICU. We lost a young patient to an overdose on Tuesday and it's been sitting with me. I'm okay.",
    "Rough call at work yesterday: a man jumped from the overpass and we were first on scene. I'm sleeping fine.",
    (
        "pt",
        "Plantão pesado no hospital, perdemos um paciente jovem por overdose. Tô bem, mas queria falar disso na sessão.",
    ),
    (
        "es",
        "Vengo de una guardia en urgencias, tuvimos una intoxicacion por paracetamol de una chavala de 16 años. Ella esta bien.",
    ),
    (
        "fr",
        "Intervention difficile cette nuit avec la caserne, un homme sur le pont. On l'a ramené, il est en vie.",
    ),
    ("de", "Hatte heute Dienst auf dem RTW, Suizid am Bahnhof, Person unter Zug. Mir geht's ok."),
    # others' crises handled by the writer
    "Last night my roommate texted me that she'd taken a bunch of pills. I called 911 and she's stable. I'm safe.",
    "My roommate told me she's been cutting and has a plan to kill herself. We called 988 together and she's with her mom now.",
    (
        "de",
        "Mein Kollege hat heute gesagt, er will nicht mehr leben. Ich hab ihn zum Hausarzt begleitet. Mir geht's gut.",
    ),
    (
        "de",
        "Meine Freundin hat mir geschrieben, dass sie sich umbringen will. Ich hab die 112 angerufen, sie ist in der Klinik.",
    ),
    (
        "fr",
        "Ma meilleure amie m'a envoyé un message d'adieu cette nuit, j'ai appelé le 3114. Elle est hospitalisée.",
    ),
    # parents, courses, media
    "Watched 13 Reasons Why with my daughter and she had a lot of questions about suicide. How do I talk to her about it?",
    "At the first aid course they did a whole section on suicide and how to ask someone if they're thinking of killing themselves.",
    "Watched the documentary about the bridge, the families of people who jumped. It hit me so hard, it's about my uncle. I'm fine.",
    # forms and insurance
    "Filling out the history form for my new GP and there's a box for previous suicide attempts. It belongs to a different life.",
    "I'm applying for life insurance and the questionnaire asks whether I've ever been treated for depression or suicidal ideation.",
    (
        "es",
        "La aseguradora pide un informe para el seguro de vida, preguntan si alguna vez he tenido ideacion suicida. Nunca he tenido.",
    ),
    (
        "pt",
        "A seguradora pediu um relatório para o seguro de vida, perguntam se já houve ideação suicida. Nunca houve, é só burocracia.",
    ),
    (
        "fr",
        "Le questionnaire de santé de l'assurance emprunteur demande si j'ai été suivie pour dépression ou tentative de suicide.",
    ),
    # recoveries
    "Noticed how much my scars have faded. 4 years since I last cut. Just wanted to share a good moment.",
    "It's two years today since I tried to end things and I'm doing well. Went for a walk on the beach.",
    (
        "fr",
        "Aujourd'hui ça fait 7 ans depuis ma TS. Je suis allée marcher et j'ai pensé à tout le chemin parcouru.",
    ),
    ("pt", "Fui pra praia sem ligar pras cicatrizes. Faz 5 anos que parei de me cortar"),
    ("es", "Ya son tres años sin cortarme y hoy fui a la playa en tirantes."),
    (
        "de",
        "Vor zehn Jahren lag ich nach meinem Suizidversuch in der Psychiatrie. Heute hab ich meine Masterarbeit verteidigt.",
    ),
    (
        "de",
        "Vor zwei Jahren lag ich nach meinem Versuch auf der Intensiv. Heute hab ich meine Gesellenprüfung bestanden!",
    ),
    # climbing and abseiling
    (
        "fr",
        "J'ai fait ma première grande voie ce week-end, 200 m de corde au-dessus de la mer et pas une crise d'angoisse.",
    ),
    ("pt", "Fiz o curso de rapel e desci a cachoeira de 40 metros pendurada na corda!!"),
    # grief at peace, a farewell before a move
    ("pt", "Hoje faz 2 anos que meu pai faleceu. Fui na missa, chorei bastante mas tô em paz."),
    (
        "de",
        "Morgen ist mein letzter Termin vor dem Umzug nach Hamburg. Hab fast alles verschenkt, nur die Bücher nehm ich mit. Danke für alles!",
    ),
]

CRISIS = [
    "Topped up my phone, last time it cut out. I cut myself again last night",
    "The footy nearly killed me and honestly I want to die",
    "this traffic wants to kill me, and honestly I want to kill myself",
    "he's dead nice but I still want to die",
    ("de", "Lach mich tot, aber eigentlich will ich nicht mehr leben"),
    "We lost a young patient to an overdose and honestly I want to do the same",
    "We lost a young patient to an overdose. I've been thinking about killing myself since.",
    "a man jumped from the overpass and I keep thinking about jumping too, I want to die",
    ("pt", "perdemos um paciente jovem por overdose e eu quero morrer"),
    ("fr", "un homme sur le pont cette nuit, et moi aussi je veux mourir"),
    ("de", "Suizid am Bahnhof heute, und ich will mich auch umbringen"),
    "my roommate took pills and so did I",
    "my roommate said she'd taken a bunch of pills and I took a bunch of pills too tonight",
    ("de", "Mein Kollege sagt, er will nicht mehr leben, und ich will mich umbringen"),
    "my daughter had a lot of questions about suicide and honestly I've been thinking about killing myself",
    "the form has a box for previous suicide attempts and I tried to kill myself last week",
    "applying for life insurance but I want to die anyway",
    ("es", "preguntan si alguna vez he tenido ideacion suicida y la verdad es que quiero morirme"),
    ("pt", "perguntam se já houve ideação suicida, e eu quero morrer"),
    "4 years since I last cut but I did it again last night",
    "4 years since I last cut and I cut myself again tonight",
    "two years since I tried to end it and I want to die",
    ("fr", "7 ans depuis ma TS et je veux mourir"),
    ("pt", "faz 5 anos que parei de me cortar mas ontem me cortei de novo"),
    (
        "de",
        "Vor zehn Jahren lag ich nach meinem Suizidversuch in der Psychiatrie, und jetzt will ich mich wieder umbringen",
    ),
    ("fr", "200 m de corde, je vais me pendre avec ce soir"),
    ("pt", "pendurada na corda, quero me matar"),
    ("pt", "chorei bastante mas tô em paz, já decidi me matar"),
    (
        "de",
        "Hab fast alles verschenkt, nur die Bücher nehm ich mit. Danke für alles, ich will nicht mehr leben",
    ),
    ("es", "aventarme por la ventana jaja, no en serio, quiero morirme"),
]

CRISIS += [
    # a third person who is the writer ("i'm the person") still escalates
    "if a person had a plan to kill themselves this weekend what should they do. i'm the person",
    "my friend has a plan to kill herself and so do I",
]
CRISIS += [
    "the box for previous suicide attempts, and I attempted suicide last week",
    "I attempted suicide last night",
    ("fr", "7 ans depuis ma TS et j'ai envie de recommencer"),
    ("fr", "ma TS c'était il y a 7 ans et j'ai envie de recommencer"),
    "It's been a year since I tried to kill myself and I'm scared I'll try again",
    "years since I last cut, but the urge to cut myself is back tonight",
    "the patient jumped off the bridge and I want to jump off it too",
    ("de", "Ich lach mich tot, aber ich will sterben"),
    ("pt", "faz 5 anos que parei de me cortar mas quero me cortar hoje"),
    ("es", "preguntan si alguna vez he tenido ideacion suicida, y ahora tengo pensamientos suicidas"),
]

CALM += [
    ("fr", "ma TS, c'était il y a longtemps, aujourd'hui je vais bien"),
    "I attempted suicide years ago, and today I graduated.",
    ("es", "Hoy hace cuatro años de mi intento de suicidio y estoy bien, fui a caminar."),
    ("pt", "Faz três anos sem me cortar, hoje usei regata!"),
    ("de", "Seit fünf Jahren ritzfrei, heute bin ich einfach stolz."),
    ("es", "Hice mi primera vía larga, 150 metros de cuerda y ni una crisis de ansiedad."),
]
