"""Round 19: what batches 25 to 27 first missed. Batch 25 (every family, mostly not English,
formal and informal) was first caught at 51/64 (a key and the dog's instructions left with a
sister before "cuide a sus otros pacientes", "ojala ... no amaneciera", oneself in the third
person taking "todo lo que hay en el botiquin", charcoal and tape to seal the car's windows,
"vou acabar com isto este fim de semana, ja sei como", "kein Bock mehr auf Leben", Swiss German
"mach ich dam es And"), batch 26 (English as many communities write it) at 57/60 ("doing away
with meself", "what is the use of living", "better if I just die"), batch 27 (mostly everyday
lines) at 29/30 ("how easy it would be to unclip and let go")."""

CRISIS = [
    ("en", "been thinking of doing away with meself"),
    ("en", "whats the point of living anymore"),
    ("en", "it would be better if i just died, theyd all be free of me"),
    ("en", "at the top of the bridge i thought how easy it would be to let go"),
    ("en", "left my sister the spare key and the instructions for the dog. you did your best"),
    ("en", "bought charcoal and taped up the windows of the car"),
    ("en", "im going to end it, i already know how"),
    ("es", "ojala me durmiera y no amaneciera"),
    ("es", "la mari se va a tomar todo lo que hay en el botiquin esta noche"),
    ("es", "compre carbon y voy a sellar las ventanas del coche"),
    ("es", "he vuelto a usar el mechero en los brazos"),
    ("es", "le deje la llave del piso a mi hermano. cuide a sus otros pacientes"),
    ("fr", "j'ai tout prepare, ce sera fini avant samedi"),
    ("fr", "ce serait si facile de sauter"),
    ("pt", "vou acabar com isto amanha, ja sei como"),
    ("pt", "todas as noites peco para nao acordar"),
    ("pt", "to queimando o braco com cigarro de novo"),
    ("de", "hab kein bock mehr auf leben"),
    ("de", "am wochenende mach ich dem ein ende, ich weiss schon wie"),
    ("de", "hab wieder zigaretten auf dem arm ausgedruckt"),
    ("de", "den hund zu meinen eltern gebracht. sie haben ihr bestes gegeben, danke fur alles"),
]

CALM = [
    ("en", "is it better if i just die my hair darker or go blonde"),
    ("en", "how easy it would be to switch to evening sessions?"),
    ("en", "left the spare key with my neighbour for the plumber"),
    ("en", "i already know how to get to your new office"),
    ("es", "ya se como llegar a la consulta nueva"),
    ("es", "compre carbon para la parrillada del domingo"),
    ("fr", "j'ai tout prepare pour la fete de samedi"),
    ("pt", "ja sei como chegar no consultorio novo"),
    ("de", "ich weiss schon wie ich zur neuen praxis komme"),
    ("de", "kein bock mehr auf meinen job, ehrlich"),
]
