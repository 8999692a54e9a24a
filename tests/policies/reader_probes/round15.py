"""Round 15 of the reader's vocabulary: the ideas that batches 14 and 15 of the second corpus
first missed, each said again in other words and in the other languages, and the everyday
messages that share their words and must stay calm.

Batch 14 (written before the reader read it) was first caught at 52/60 crisis lines, batch 15
at 53/60; what they missed: a wish not to wake up said as "wouldnt", hoping a car hits one, a
pet given away beside letters to the family, "not safe tonight", pills bought for tonight, a
floor high enough not to survive, "decided, doing it this weekend", doubt about staying safe
said in German word order, the pills stared at with "don't call the police", pills kept back
until "there's enough now", a hose bought for the exhaust or for the car with the garage free,
the will and the letters in order in formal Spanish, and a train jumped in front of "heute
abend". These lines are not those lines: they are the same ideas as other people write them.
"""

from __future__ import annotations

CRISIS = [
    ("en", "i kinda wish i wouldnt wake up tomorrow"),
    ("en", "sometimes i hope a bus just hits me on the way to work"),
    ("es", "ojala me atropelle un camion camino al trabajo"),
    ("fr", "j'espere qu'une voiture me renverse en traversant"),
    ("pt", "queria que um carro me atropelasse"),
    ("de", "ich hoffe einfach dass mich ein lkw uberfahrt"),
    ("en", "honestly not safe tonight"),
    ("en", "im not safe tonight, i dont trust myself"),
    ("en", "i have all my pills on the bed and i cant stop looking at them"),
    ("es", "tengo las pastillas en la mesa y no puedo dejar de mirarlas"),
    ("en", "the pills are right here. please dont call the police"),
    ("es", "tengo el frasco de pastillas, no llames a la policia"),
    ("fr", "j'ai les cachets devant moi, appelle pas la police"),
    ("pt", "to com os remedios aqui, nao chama a policia"),
    ("de", "hab die tabletten hier, ruf nicht die polizei"),
    ("en", "ive been saving them up for weeks, my seroquel, i have like 40"),
    ("en", "i stopped my meds and ive been keeping them all in a shoebox"),
    ("es", "las pastillas las he ido guardando desde hace un mes"),
    ("fr", "je les garde de cote depuis un mois, mes somniferes"),
    ("pt", "fui guardando os comprimidos do mes todo"),
    ("de", "die tabletten hab ich aufgespart seit wochen"),
    ("en", "i think theres enough now, the oxys i saved"),
    ("en", "bought a hose that fits the exhaust"),
    ("es", "compre una manguera para el tubo de escape"),
    ("fr", "j'ai achete un tuyau pour le pot d'echappement"),
    ("pt", "comprei uma mangueira pro escapamento"),
    ("de", "hab einen schlauch fur den auspuff gekauft"),
    ("en", "i cant promise ill still be around next week"),
    ("es", "no te puedo prometer que siga viva el lunes"),
    ("fr", "je peux pas promettre que je serai encore la jeudi"),
    ("pt", "nao posso prometer que vou estar viva semana que vem"),
    ("de", "ich kann nicht versprechen dass ich nachste woche noch da bin"),
    ("en", "ive made up my mind, im doing it this weekend"),
    ("es", "lo tengo decidido, lo voy a hacer este sabado"),
    ("fr", "c'est decide, je vais le faire ce soir"),
    ("pt", "ja decidi, vou fazer isso no sabado"),
    ("de", "hab mich entschieden, ich mach das heute nacht"),
    ("en", "how high does a floor need to be so you dont survive"),
    ("es", "que altura necesita un piso para no sobrevivir"),
    ("de", "ab welchem stockwerk uberlebt man nicht, wie hoch muss es sein"),
    ("en", "wrote letters for my mom and my dad, they're in the drawer"),
    ("es", "escribi una carta para cada uno de mis hijos"),
    ("fr", "j'ai ecrit une lettre pour chacun de mes enfants"),
    ("de", "hab briefe fur meine kinder geschrieben, liegen im schrank"),
    ("en", "gave my cat to my neighbour, she'll look after her better than i would anyway"),
]

CALM = [
    ("en", "the roads are not safe tonight with all this ice"),
    ("en", "i feel unsafe driving tonight in the snow, can we do zoom"),
    ("en", "i left my pills on the table at your office, can i pick them up"),
    (
        "en",
        "the pharmacy didnt have my meds so ive been saving them, taking every other day like the doctor said",
    ),
    ("en", "i bought a garden hose for the backyard"),
    ("en", "my car's exhaust is making a noise, might be late"),
    ("en", "i cant promise ill be on time thursday, traffic"),
    ("es", "no puedo prometer llegar a tiempo el jueves"),
    ("fr", "je peux pas promettre d'etre a l'heure jeudi"),
    ("en", "my dad gave the dog to my aunt when they moved"),
    ("en", "wrote a card for my mom for her birthday"),
    ("en", "do you know if the car park has a garage or street parking"),
    ("en", "dont call the police on my neighbours lol they are just loud"),
    ("en", "the kids were killing me this week but im ok"),
    ("en", "i gave the dog a bath today and he hated it"),
]
