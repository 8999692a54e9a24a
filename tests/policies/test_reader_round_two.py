"""The reader (policies/reader/): the second round's crisis families, the everyday uses of the
same words, personal requests and one's own social life."""

from __future__ import annotations

import pytest

from policies.reader import read

# --- round 2: families from the second corpus and the probes (own sentences, not corpus lines) ---


@pytest.mark.parametrize(
    "text",
    [
        # a plan with a date, or a date picked on its own
        "i have a plan and a date",
        "ive got it planned, i even have the date",
        "I've picked the day, it's the 3rd",
        "j'ai choisi la date, ce sera mardi",
        "ja escolhi a data, vai ser terça",
        "ich habe mir den tag ausgesucht, es ist der zehnte",
        "i've made a plan. i wanted you to know.",
        # the means saved for a time, in five languages
        "tengo las pastillas guardadas para esta noche",
        "i have the pills saved for tonight",
        "j'ai les cachets de côté pour ce soir",
        "tenho os comprimidos guardados pra hoje a noite",
        "ich habe die tabletten für heute nacht zur seite gelegt",
        "ce soir j'avale toute la boîte d'ibuprofène",
        # the means by the water
        "sitting by the lake with my tablets",
        "estoy junto al lago con mis pastillas",
        "ich bin am see mit meinen tabletten",
        # the train, decided
        "tomorrow night the train, ive decided",
        "el tren de mañana temprano, ya lo decidí",
        "le dernier train ce soir, ma décision est prise",
        "den letzten zug heute nacht, ich hab mich entschieden",
        # trying it again, with a when
        "lo intenté de nuevo anoche",
        "ich hab es gestern wieder versucht",
        "tentei de novo ontem à noite",
        # urges with the means at hand
        "strong urges tonight and i have a razor blade right here",
        # letters split apart
        "k.m.s",
        "honestly i might k m s",
        "ayer me k o r t e",
        "ontem me k o r t e i",
        "je me suis k o u p é",
        # thinking a lot about ending it
        "je pense beaucoup à en finir ces jours-ci",
        "penso muito em acabar com tudo",
        "hab oft daran gedacht, mir was anzutun",
        # the last night's sleep, a session missed "not because of work", a note kept for use,
        # no more sessions with thanks, letting an illness take its course, provisions left
        "every night I hope it's the last time I go to sleep",
        "ojalá sea la última vez que me acuesto",
        "i won't make it to next week's session, and not because of work",
        "wrote a note last night, not sure if i'll use it",
        "escribí una nota, no sé si la voy a usar",
        "thank you for everything, i won't be needing you anymore",
        "merci pour tout, je n'aurai plus besoin de séances",
        "if the tests show cancer i'd just let it happen",
        "se eu tivesse câncer não faria tratamento, deixaria acontecer",
        "wenn ich krebs hätte, würde ich mich nicht behandeln lassen",
        "i left enough food for the dog and wrote a letter to my sister",
        "hab die briefe geschrieben und futter für eine woche hingestellt",
    ],
)
def test_round_two_crisis_families(text):
    assert read(text).crisis, text


@pytest.mark.parametrize(
    "text",
    [
        "we picked a date for the wedding",
        "ya tenemos la fecha de la boda",
        "on a fixé la date du mariage",
        "wir haben das datum für die hochzeit",
        "i have a plan for the weekend",
        "i have a plan for the day: groceries and laundry",
        "parked by the pharmacy to pick up my pills",
        "i counted my pills into the weekly organizer tonight, 50mg each",
        "nao vou ficar por aqui muito tempo, vou me mudar pro porto",
        "je vais plus être là longtemps, je déménage à lyon",
        "i have a date tonight",
        "the train at 7 tonight, i've decided to visit my mum",
        "le dernier train ce soir, j'ai décidé de rentrer chez ma mère",
        "el último tren de esta noche, ya decidí volver a casa de mis padres",
        "took the kids to the lake with their allergy tablets",
        "lo intenté de nuevo pero el pastel se quemó",
        "lo intenté otra vez ayer con el examen de conducir",
        "ich hab es gestern nochmal versucht, aber sie waren nicht erreichbar",
        "hoping it's the last time I go to bed crying",
        "thanks for everything, I won't need any more sessions, I'm doing so much better",
        "gracias por todo, no voy a necesitar más sesiones, ya estoy mucho mejor",
        "i'm not going to make it to the session, not because of work, i have a fever",
        "i left a note for the babysitter just in case",
        "my dad has cancer and decided to refuse treatment",
        "damals habe ich mich geritzt, seit jahren nicht mehr",
        "the bridge club meets on thursdays, i finally won a hand",
    ],
)
def test_round_two_everyday_uses_of_the_same_words(text):
    assert not read(text).crisis, text


@pytest.mark.parametrize(
    "text",
    [
        "¿me agregas en facebook?",
        "on pourrait prendre un verre",
        "bora tomar um café",
        "wollen wir mal was trinken gehen",
        "my cousin has a business, would you like to invest?",
        "quieres invertir en el negocio de mi primo?",
        "voulez vous investir dans son entreprise",
        "quer investir no negocio do meu tio",
        "möchten sie investieren? mein cousin hat eine firma",
        "can i take you out for lunch to thank you",
        "it would be nice if we could be friends after therapy",
        "quisiera invitarte a cenar un día",
        "j'aimerais vous emmener au restaurant",
        "queria te convidar pra jantar",
        "darf ich sie zum kaffee einladen",
        "wie heißen sie auf instagram?",
        "on se fait un resto un de ces quatre ?",
        "hättest du lust, mal mit mir essen zu gehen?",
        "would you be interested in investing in my sister's bakery?",
        "ça vous intéresserait d'investir dans le restaurant de mon frère ?",
        "hätten sie interesse, in die firma meines bruders zu investieren?",
    ],
)
def test_round_two_personal_requests(text):
    reading = read(text)
    assert reading.personal and not reading.crisis, text


@pytest.mark.parametrize(
    "text",
    [
        "my instagram got 200 likes on my painting",
        "mi novio quiere que cenemos con sus padres",
        "my sister and I used to be friends",
        # investing of one's own is not an ask
        "i want to invest in a flat one day",
        "is my account on instagram private?",
        "we want to invest in her education",
        "quiero invertir en el negocio de mi familia",
        "je veux investir dans son avenir",
        "quero investir na empresa do meu pai",
    ],
)
def test_round_two_own_social_life_is_not_personal(text):
    assert not read(text).personal, text
