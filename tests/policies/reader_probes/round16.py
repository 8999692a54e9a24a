"""Round 16 of the reader's vocabulary: the ideas that batches 16, 17 and 18 of the second
corpus first missed, said again in other words and languages, and everyday messages that share
their words and must stay calm.

Batch 16 (crisis said through euphemism, understatement and places) was first caught at 40/60
(English 9/20: "checking out, and i don't mean of the job", tapping out for good, skipping "the
waking up part", catching "the bus you don't come back from", the permanent solution to a
temporary problem, peace made beside a farewell, "not planning on being around by Christmas",
timing the walk to the railway line where there is no fence, long sleeves in summer "you know
why"); batch 17 (mostly not English, regional) at 61/70 (German 10/15: Austrian and Swiss German,
"wenn ich mich umbring", thinking of jumping from a motorway bridge, a car park's top deck);
batch 18 (how people type: censoring, split letters, shorthand) at 53/60 ("s**cide note",
"b u r n e d myself", French shorthand: "cb de cachets", "jme tue ce soir", "jviens davaler ttes
mes pilules"). These probes are not those lines.
"""

from __future__ import annotations

CRISIS = [
    ("en", "ive been thinking about checking out, and i dont mean of the hotel"),
    ("en", "pretty sure im tapping out for good this time"),
    ("en", "the permanent solution to a temporary problem doesnt sound so crazy anymore"),
    ("en", "if i could skip the waking up part forever i would"),
    ("en", "gonna catch the bus tonight, the one you dont come back from"),
    ("en", "ive made my peace with it. none of this is on you"),
    ("en", "not planning on being around by new year, and not in the travel sense"),
    ("en", "i walk to the bridge where theres no fence most nights"),
    ("en", "timed how long it takes to walk to the tracks from my flat"),
    ("en", "its summer and im in long sleeves again, you know why"),
    ("en", "relapsed last night, back to long sleeves"),
    ("en", "im keeping all my sertraline instead of taking it"),
    ("en", "id honestly be fine if i didnt wake up tomorrow"),
    ("en", "b u r n t myself again with a lighter"),
    ("en", "wrote my s**cide note last night"),
    ("es", "ya me quiero quitar de en medio, no es broma"),
    ("es", "me quedo en el puente calculando a que hora pasa el tren"),
    ("es", "voy a las vias del tren donde no hay valla"),
    ("es", "mangas largas otra vez, ya sabes por que, y una caja de curitas"),
    ("fr", "je pense a tirer ma reverence, cest pas une blague"),
    ("fr", "jme tue ce soir cest decide"),
    ("fr", "jviens davaler toutes mes pilules"),
    ("fr", "cb de cachets faut pr pas se reveiller"),
    ("fr", "sur le quai je me suis dit qu'il suffisait d'un pas"),
    ("fr", "j'ai avale tous les cachets qui restaient"),
    ("pt", "to pensando serio em sair de cena de vez, nao e brincadeira"),
    ("pt", "fico na ponte calculando a altura"),
    ("pt", "na linha do trem era so um passo"),
    ("pt", "tomei todos os comprimidos que restavam"),
    ("de", "will mich ausloggen, aus allem, kein witz"),
    ("de", "ich zieh bald den stecker, nur damit es jemand weiss"),
    ("de", "ich geh abends an die gleise und ube wie nah ich rangehen kann"),
    ("de", "hab gegoogelt wie hoch das parkhaus ist"),
    ("de", "i pack des nimma"),
    ("de", "hab grad eine ganze packung ibus geschluckt"),
    ("de", "alles greglet, jetzt brauch ich nur noch den mut"),
    ("de", "auf der brucke hab ich uberlegt zu springen"),
    ("de", "ich hab die restlichen tabletten genommen, alle"),
]

CALM = [
    ("en", "checking out of the hotel at 11 so i might be late"),
    ("en", "tapping out of spin class early today, my knees"),
    ("en", "is there a permanent solution for my frizzy hair lol"),
    ("en", "ill be in long sleeves at the wedding, its outdoors and cold"),
    ("en", "sprained my ankle, the first aid kit at work was empty"),
    ("en", "we timed how long it takes to drive to the new school"),
    ("en", "the bridge on my commute has no railing on one side, scary when its icy"),
    ("en", "not planning on being around for christmas, we're visiting my in-laws"),
    ("en", "i made my peace with my ex, it felt good"),
    ("es", "estoy calculando cuanto tardo en llegar a tu consulta desde el trabajo"),
    ("es", "me pongo mangas largas porque hace frio en la oficina"),
    ("fr", "je repete mon discours pour le mariage de ma soeur"),
    ("fr", "le pont sur mon trajet est ferme, je calcule le detour"),
    ("pt", "nao tenho mais vontade de fumar, acho que parei de vez"),
    ("pt", "calculando quanto vou gastar com o uber ate o consultorio"),
    ("de", "ich zieh den stecker vom router, dann gehts wieder"),
    ("de", "ich ube gerade fur die fuhrerscheinprufung"),
    ("de", "das parkhaus am bahnhof ist voll, ich komm etwas spater"),
]
