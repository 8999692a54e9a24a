"""Round 17 of the reader's vocabulary: the ideas that batches 19 and 20 of the second corpus
first missed, said again in other words and languages, and everyday messages that share their
words and must stay calm.

Batch 19 (the families an outside evaluation measures, the subtle ones weighted most) was first
caught at 61/80 (English 23/32: "wanting to just disappear", hoping a truck drifts into one's
lane, "soon none of it will matter", "I won't be a problem for anyone much longer", walking into
the sea "would it be quick? im asking about me", in the hospital "after last week when I tried",
the stomach pumping, reading which ways are painless; Spanish, Portuguese and German the same
ideas, a double dose "e mais um pouco", the day and the place chosen after a wedding); batch 20
(long messages, the crisis said once) at 43/50 (the top level of the car park's lowest railing,
letters to each of the kids with a dog left "just for a while", the quickest way at the tracks,
no fence and the height worked out, a cigarette put out on the arm, forearms cut again).
"""

from __future__ import annotations

CRISIS = [
    ("en", "i wish i hadnt woken up this morning, or any morning"),
    ("en", "part of me hopes someone swerves into me on the highway"),
    ("en", "soon none of it will matter, ive made my peace"),
    ("en", "dont worry, i wont be a burden to anyone for much longer"),
    ("en", "hypothetically if someone just stopped existing, asking for me"),
    ("en", "would it be quick if i walked into the river in january"),
    ("en", "back home now, i was in hospital for 4 days after i tried"),
    ("en", "had my stomach pumped on saturday"),
    ("en", "been googling which ways are painless"),
    ("en", "i keep checking which level of the car park has the lowest railing"),
    ("en", "left the cat with my sister, told her just for a while"),
    ("en", "standing at the tracks thinking it would be the quickest way"),
    ("en", "doubled my dose and then some, feeling really drowsy"),
    ("en", "picked the day and the place, after christmas so i dont ruin it for them"),
    ("es", "ojala un camion se me eche encima en la autopista"),
    ("es", "si me muriera mañana no pelearia, hasta lo agradeceria"),
    ("es", "ayer me dieron el alta, estuve internada despues de que lo intente"),
    ("es", "me tomé el doble de mi dosis y un poco mas"),
    ("es", "ya tengo la fecha y el lugar, despues del cumple de mi hermana para no arruinarsela"),
    ("fr", "j'aimerais m'endormir et pas me reveiller"),
    ("fr", "sur le pont il n'y a pas de grillage, j'ai calcule la hauteur"),
    ("fr", "j'ai pris le double de ma dose et je me sens bizarre, encore plus"),
    ("pt", "se eu morresse amanha nem ia lutar, ate ia achar bom"),
    ("pt", "tive alta ontem, fiquei internada depois que tentei"),
    ("pt", "tomei o dobro da dose e mais um pouco"),
    ("pt", "apaguei cigarro no braco de novo"),
    ("de", "manchmal wunsch ich mir, nicht mehr aufzuwachen"),
    ("de", "ich hoff dass mir einer reinfahrt"),
    ("de", "nach dem magen auspumpen bin ich wieder daheim"),
    ("de", "i hab a ganze packung tabletten gnommen"),
    ("de", "hab mir wieder die unterarme aufgeschnitten"),
    ("en", "five years since my attempt and i want to try again"),
    ("es", "hace tres años de mi intento de suicidio y quiero volver a intentarlo"),
    ("en", "would that be the end of the world if i just died"),
]

CALM = [
    ("en", "i wish i hadnt woken up so late, missed the bus"),
    ("en", "my cousin swerves into my lane every time we race go karts lol"),
    ("en", "asking for me: can i get a receipt for the last three sessions"),
    ("en", "we walked into the sea at sunset, it was freezing"),
    ("en", "when i tried the new recipe it actually worked"),
    ("en", "been reading about which ear piercing is the least painful"),
    ("en", "the car park at work has a low railing, they should fix it"),
    ("en", "left the cat with my sister just for a while during the move"),
    ("en", "the express trains dont stop at my station so im late again"),
    ("en", "my doctor doubled my dose last week, a bit dizzy but fine"),
    ("en", "we picked the day and the place for the wedding!"),
    ("es", "mi hermana estuvo internada por una apendicitis"),
    ("es", "el tren de las 7 es el mas rapido para llegar a tu consulta"),
    ("fr", "le double de ma dose de vitamine d, c'est ok?"),
    ("pt", "escolhemos o dia e o lugar da festa"),
    ("de", "der schnellste zug nach hamburg fahrt um sieben"),
    ("de", "ich hoff die bahn ist morgen punktlich"),
    ("en", "i failed the exam, ill try again next term"),
    ("en", "would it be the end of the world if i quit my job"),
    ("en", "ill try again with the breathing exercise tomorrow"),
]
