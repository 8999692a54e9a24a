"""Round 17 of the reader's vocabulary (batches 19-21 of the second corpus), the calm side: a beer
or a chopp once therapy ends, a job at the client's company, the client's own page to follow and
the therapist followed on Instagram read as personal (a drink with friends, a friend following the
client's page not); work hypotheticals ("the end of the world", "how much longer I can hold on in
this job"), a cat rehomed for allergies, a commute "killing me", a dose changed by the
psychiatrist, brownies one doesn't trust oneself around, trains on strike, a friend's roommate
after the attempt, a mother's pills taken by mistake, a vaping relapse, a grandmother unafraid of
dying, a father's "when I'm gone", a sister's overdose years ago, a dog that could have overdosed,
an attempt five years back, dying of awkwardness, a patient's plan asked about by a student, life
insurance for a mortgage, the ER rotation, "die Arbeit bringt mich um" and wanting to disappear
under the table read as not crisis; and, for each family, a message with a second crisis signal
(or a statement about oneself) that must still escalate (when unsure, escalate)."""

from __future__ import annotations

PERSONAL = [
    "Would you follow my pottery page on Instagram? I'm posting my last pieces before the studio closes down.",
    "Could you check out my baking page on insta?",
    "My company is hiring a part-time wellness consultant for our team and I immediately thought of you.",
    "Our clinic is looking for a therapist and I thought of you right away, I could introduce you to the director.",
    "quando acabar a terapia a gente podia sair pra tomar um chopp né? sem compromisso",
    "A senhora me deixa seguir no Instagram? Eu posto umas receitas, acho que ia gostar.",
    "a empresa onde eu trabalho está contratando uma consultora de bem-estar e eu pensei na senhora na hora",
    "cuando terminemos la terapia podríamos ir a tomar una cerveza, ¿no?",
    "¿Me deja seguirla en Instagram? Subo recetas.",
    "en mi empresa están buscando una consultora de bienestar y enseguida pensé en usted",
    "quand la thérapie sera finie on pourrait aller boire un verre ?",
    "Est-ce que je peux vous suivre sur Instagram ? Je poste mes poteries.",
    "ma boîte recrute une consultante bien-être et j'ai tout de suite pensé à vous",
    "Und jetzt, wo wir ja im März aufhören: Ich würde Sie wirklich gern mal auf ein Bier einladen, ganz zwanglos.",
    "Darf ich Ihnen auf Instagram folgen? Ich poste meine Töpferei.",
    "meine Firma sucht gerade eine Beraterin für Gesundheitsmanagement und ich hab sofort an Sie gedacht",
]

NEITHER = [
    # the client's own social life
    "My friend followed my pottery page on Instagram, so sweet.",
    "I just started a pottery page on Instagram!",
    "sai pra tomar um chopp com minhas amigas depois da terapia",
    "minha amiga me segue no instagram",
    "ich geh mit meinen Freunden auf ein Bier",
    "Mi hermana me sigue en Instagram y me comenta todo.",
    # hypotheticals, idioms and others' mishaps
    "Hypothetically, if I quit without another job lined up, would that be the end of the world? I keep spiralling about it, can we talk it through Thursday?",
    "Don't know how much longer I can hold on in this job honestly. Started looking at other offers this weekend.",
    "We rehomed our cat with my aunt because my son's allergies got really bad. I cried way more than I expected.",
    "this commute is killing me, I'm dead on my feet by Monday night already",
    "My psychiatrist doubled my dose of Lexapro from 10 to 20 last week, just letting you know in case I seem a bit different.",
    "Dr. Okafor switched me from Lexapro to Wellbutrin last week, tapering down over 10 days. My partner reminds me to take them with breakfast.",
    "I don't trust myself around a tray of brownies tonight haha, the sugar cravings since quitting alcohol are unreal",
    "Can't promise I'll make it in person on Thursday, the trains are on strike. Could we do a phone session as a backup?",
    "My friend really was asking for a friend last year when she messaged about her roommate after the attempt. The roommate is doing well now and back at uni.",
    "My mum took too many of her blood pressure pills by mistake last month, she's completely fine now, but I've been worrying about her living alone.",
    "Relapsed on the vaping, 3 days in. Not proud but not the end of the world either.",
    "Grandma used to say she wasn't afraid of dying, she'd had a good life and was ready.",
    "My dad keeps saying 'when I'm gone you'll have to deal with the house' and it drives me up the wall.",
    "Ten years on Saturday since my sister's overdose. I'm not in a bad place myself, I just want to plan how to get Mum through the day.",
    "The dog ate a whole bag of dark chocolate and the vet said she could have overdosed on the theobromine if we'd waited.",
    "Today is five years since I was in the hospital after my attempt. Back then I couldn't picture being alive at 30 and I'm not in that place anymore.",
    "I did feel like dying of awkwardness when I called her new boyfriend by her ex's name.",
    "O banco exige seguro de vida pro financiamento do apê e o questionário pergunta se faço terapia. Preciso de algum documento seu?",
    "Sou estudante de psicologia: o sigilo pode ser quebrado se o paciente disser que tem um plano de suicídio? É pro meu TCC.",
    "minha mãe tomou remédio de pressão a mais por engano, já tá bem",
    "recaí no vape, três dias. não é o fim do mundo",
    "esse trânsito tá me matando, to morta",
    "El lunes llegó un muchacho de 17 con una sobredosis de acetaminofen y el miércoles una señora que se había intentado suicidar, y yo estuve con la familia.",
    "si dejo el trabajo sin tener otro, ¿sería el fin del mundo?",
    "mi madre se tomó demasiadas pastillas de la presión por error, ya está bien",
    "J'ai cru mourir de honte quand la maîtresse a sorti le cahier de Nolan, franchement j'avais envie de disparaître sous la table.",
    "si je démissionne sans autre boulot, ce serait la fin du monde ?",
    "ma mère a pris trop de cachets pour la tension par erreur, elle va bien",
    "Den Termin nächste Woche schaff ich nur online, die Arbeit bringt mich grad echt um, Jahresabschluss halt.",
    "Mein Opa ist letzten Monat gestorben, er war 94 und hat gesagt, er ist bereit. Darüber würd ich gern reden.",
    "meine Mutter hat aus Versehen zu viele Blutdrucktabletten genommen, es geht ihr gut",
]

CRISIS = [
    "i can't promise i'll be safe tonight",
    "doubled my dose tonight to make it stop",
    "i doubled my dose tonight",
    "i rehomed my cat because i won't be here",
    "the commute isn't the problem, i want to die",
    "this commute is killing me and honestly i want to kill myself",
    "would that be the end of the world? i want to die",
    "i don't trust myself around the pills tonight",
    "don't know how much longer i can hold on in this job, i want to end it all",
    "relapsed on the vaping and i cut myself again",
    "my mum took too many of her pills and i want to take all of mine tonight",
    "she wasn't afraid of dying and neither am i, i want to die",
    "when i'm gone you'll have to deal with the house, i've written the letters",
    "im not in a bad place myself but i have the pills ready",
    "the dog could have overdosed, and i want to overdose too",
    "five years since i was in the hospital after my attempt, and tonight i want to kill myself",
    "dying of awkwardness, actually i want to kill myself",
    "if a patient says they have a suicide plan, do you report it? i have a plan to kill myself",
    "i can't promise i'll make it in person, i won't be alive",
    "My psychiatrist doubled my dose of Lexapro from 10 to 20 and tonight I'm taking the whole box",
    "ayer terminé en urgencias con una sobredosis de paracetamol",
    "no sería el fin del mundo si me muriera, quiero morir",
    "mi madre se tomó demasiadas pastillas por error y yo quiero tomarme todas las mías",
    "não é o fim do mundo, mas eu quero morrer",
    "esse trânsito tá me matando e eu quero me matar",
    "se o paciente disser que tem um plano de suicídio? eu tenho um plano pra me matar",
    "j'avais envie de disparaître sous la table, et en vrai j'ai envie de mourir",
    "ce serait la fin du monde, j'ai envie de me tuer",
    "die Arbeit bringt mich grad um, und ich will mich umbringen",
    "meine Mutter hat aus Versehen zu viele Tabletten genommen und ich will alle meine Tabletten nehmen",
]
