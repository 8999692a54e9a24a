"""Round 18 of the reader's vocabulary: what batches 22 to 24 of the second corpus first read
wrong, said again in other words and languages, and everyday messages that must stay calm.

Batch 22 (an ordinary practice's messages) was first caught at 59/60 ("I'll be dead by then"),
false alarms 2/60 (a brother's thoughts of suicide told by the writer, an attempt's tenth
anniversary told as recovery); batch 23 (self-injury and overdose) at 52/60 (co-codamol with
sleeping tablets, "a punto de tomarmelo todo", a cigarette burn hidden "pour que personne
voie", hands bitten "jusqu'au sang", a wall punched with a cover story, the Austrian
"Medikamentenkastl"), false alarms 8/60 (burns while cooking or at a craft class, a toddler
and the ibuprofen, a lithium dose before a blood test); batch 24 (at night, in distress) at
58/60 (a car in the garage with the engine running, a quarry "so it looks like an accident"),
false alarms 8/60 (a fall and A&E, a friend's thoughts told by the writer).
"""

from __future__ import annotations

CRISIS = [
    ("en", "no point booking me in, ill be dead by the weekend"),
    ("en", "took a handful of zopiclone and some co-codamol, feel sick"),
    ("en", "ive got all my mums pills here and im about to take them all"),
    ("en", "sitting in the garage with the engine running"),
    ("en", "its all planned so it looks like an accident"),
    ("en", "burned my arm again, wearing long sleeves so no one sees"),
    ("en", "punched the wall til my knuckles bled, told my mum it was football"),
    ("en", "my sister told me shes been thinking about suicide and so have i"),
    ("es", "tengo todas las pastillas y estoy a punto de tomarmelas todas"),
    ("es", "estoy en el coche con el motor encendido en el garaje"),
    ("es", "lo tengo pensado para que parezca un accidente"),
    ("es", "me corto y uso mangas largas para que nadie vea"),
    ("fr", "je me mords les bras jusqu'au sang"),
    ("fr", "j'ai pris tout ce qu'il y avait dans l'armoire a pharmacie"),
    ("fr", "je me suis encore brulee avec une cigarette, pour que personne voie je mets des manches longues"),
    ("pt", "tenho andado a pensar em acabar com tudo"),
    ("pt", "dei soco na parede ate sangrar e disse que foi no futebol"),
    ("pt", "vou tomar tudo o que tem na caixa de remedios"),
    ("de", "ich hab alles aus dem medikamentenschrank genommen"),
    ("de", "sitz im auto in der garage, motor laufen lassen"),
    ("de", "es soll wie ein unfall aussehen"),
]

CALM = [
    ("en", "ill be dead tired by then, long shift"),
    ("en", "my brother told me hes been thinking about suicide, how do i help him"),
    ("en", "my toddler got into the ibuprofen yesterday, poison control said she is fine"),
    ("en", "punched the pillow instead of the wall, like we practised"),
    ("en", "mum had a fall and we're in a&e with a broken hip"),
    ("es", "me queme con el aceite haciendo tortillas, no es nada"),
    ("fr", "je me suis brule la main en sortant le plat du four"),
    ("fr", "je prends mon lithium avant ou apres la prise de sang demain ?"),
    ("fr", "mon pote m'a dit qu'il pensait au suicide, on a appele le 3114 ensemble"),
    ("pt", "minha amiga me contou que pensa em suicidio, levei ela no caps"),
    ("pt", "estou nas urgencias com a minha avo, caiu em casa e partiu o braco"),
    ("de", "hab mich beim kerzengiessen am wachs verbrannt, nur ne blase"),
    ("de", "mein kumpel hat mir erzahlt dass er suizidgedanken hat, wie helfe ich ihm"),
    ("de", "meine tochter hat sich fruher geritzt, jetzt seit drei jahren nicht mehr"),
]

PERSONAL = [
    "vous seriez d'accord qu'on se suive sur insta maintenant que la therapie est finie ?",
]
