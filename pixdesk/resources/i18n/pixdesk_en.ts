<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="fr_FR">
<context>
    <name>Alerts</name>
    <message>
        <location filename="../../ui/invigilator.py" line="123"/>
        <source>Poste sécurisé : {0}</source>
        <translation>Secure PC: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="31"/>
        <source>L&apos;image ne s&apos;affiche pas</source>
        <translation>The image does not display</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="32"/>
        <source>L&apos;application intégrée ne fonctionne pas</source>
        <translation>The embedded application does not work</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="33"/>
        <source>Le lien ne fonctionne pas</source>
        <translation>The link does not work</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="34"/>
        <source>Autre problème</source>
        <translation>Other problem</translation>
    </message>
</context>
<context>
    <name>AnswerForm</name>
    <message>
        <location filename="../../ui/answers.py" line="95"/>
        <source>Choix {0} sur {1}</source>
        <translation>Choice {0} of {1}</translation>
    </message>
    <message>
        <location filename="../../ui/answers.py" line="110"/>
        <source>Votre réponse</source>
        <translation>Your answer</translation>
    </message>
    <message>
        <location filename="../../ui/answers.py" line="117"/>
        <source>Nombre, par exemple 12,5</source>
        <translation>Number, for example 12.5</translation>
    </message>
    <message>
        <location filename="../../ui/answers.py" line="119"/>
        <source>Réponse numérique : chiffres, virgule pour les décimales</source>
        <translation>Numeric answer: digits, comma or point for decimals</translation>
    </message>
    <message>
        <location filename="../../ui/answers.py" line="128"/>
        <source>Réponse libre</source>
        <translation>Free answer</translation>
    </message>
    <message>
        <location filename="../../ui/answers.py" line="138"/>
        <source>Ce champ n&apos;accepte qu&apos;un nombre : chiffres, virgule pour les décimales, signe moins. Le caractère tapé n&apos;a pas été ajouté.</source>
        <translation>This field only takes a number: digits, a comma for decimals, a minus sign. The character you typed was not added.</translation>
    </message>
</context>
<context>
    <name>BlankScreen</name>
    <message>
        <location filename="../../ui/kiosk.py" line="225"/>
        <source>PixDesk — écran réservé à l&apos;examen</source>
        <translation>PixDesk — screen reserved for the exam</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk.py" line="226"/>
        <location filename="../../ui/kiosk.py" line="244"/>
        <source>Écran réservé à l&apos;examen</source>
        <translation>Screen reserved for the exam</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk.py" line="228"/>
        <source>Écran secondaire masqué pendant l&apos;examen</source>
        <translation>Secondary screen hidden during the exam</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk.py" line="242"/>
        <source>Examen verrouillé — attendez le surveillant</source>
        <translation>Exam locked — wait for the invigilator</translation>
    </message>
</context>
<context>
    <name>Capabilities</name>
    <message>
        <location filename="../../ui/kiosk.py" line="139"/>
        <source>filtre des raccourcis clavier</source>
        <translation>keyboard shortcut filter</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk.py" line="140"/>
        <source>blocage de la saisie clavier simulée</source>
        <translation>blocking of synthetic keyboard input</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk.py" line="143"/>
        <source>exclusion des captures d&apos;écran</source>
        <translation>exclusion from screen capture</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk.py" line="144"/>
        <source>raccourcis d&apos;accessibilité désactivés</source>
        <translation>accessibility shortcuts turned off</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk.py" line="147"/>
        <source>détection des sessions à distance</source>
        <translation>remote session detection</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk.py" line="150"/>
        <source>surveillance des programmes</source>
        <translation>program watchdog</translation>
    </message>
</context>
<context>
    <name>CheckInView</name>
    <message>
        <location filename="../../ui/views.py" line="180"/>
        <source>Installation du candidat</source>
        <translation>Candidate check-in</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="182"/>
        <source>Saisissez vos nom, prénom et date de naissance.</source>
        <translation>Enter your last name, first name and date of birth.</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="187"/>
        <location filename="../../ui/views.py" line="191"/>
        <source>Nom de famille</source>
        <translation>Last name</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="189"/>
        <location filename="../../ui/views.py" line="192"/>
        <source>Prénom</source>
        <translation>First name</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="197"/>
        <location filename="../../ui/views.py" line="204"/>
        <source>Jour</source>
        <translation>Day</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="198"/>
        <location filename="../../ui/views.py" line="205"/>
        <source>Mois</source>
        <translation>Month</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="199"/>
        <location filename="../../ui/views.py" line="206"/>
        <source>Année</source>
        <translation>Year</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="212"/>
        <source>Date de naissance (jour, mois, année)</source>
        <translation>Date of birth (day, month, year)</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="221"/>
        <source>Date de naissance : saisissez uniquement des chiffres.</source>
        <translation>Date of birth: type digits only.</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="225"/>
        <source>Je confirme mon identité</source>
        <translation>I confirm my identity</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="230"/>
        <source>Réservé au surveillant : mot de passe pour autoriser un nouveau passage</source>
        <translation>Invigilator only: password to allow another sitting</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="231"/>
        <source>Autoriser un nouveau passage</source>
        <translation>Allow another sitting</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="246"/>
        <source>Date de naissance : {0}</source>
        <translation>Date of birth: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="281"/>
        <source>Saisissez votre nom et votre prénom.</source>
        <translation>Enter your last name and first name.</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="284"/>
        <source>Date de naissance invalide : saisissez jour, mois et année.</source>
        <translation>Invalid date of birth: enter day, month and year.</translation>
    </message>
</context>
<context>
    <name>EndReasons</name>
    <message>
        <location filename="../../ui/controller.py" line="43"/>
        <source>Vous avez répondu à toutes les questions.</source>
        <translation>You have answered every question.</translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="44"/>
        <source>Le temps imparti est écoulé.</source>
        <translation>The time allowed is over.</translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="45"/>
        <source>Le surveillant a mis fin au test.</source>
        <translation>The invigilator ended the test.</translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="46"/>
        <source>Vous avez mis fin au test.</source>
        <translation>You ended the test.</translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="47"/>
        <source>Le test s&apos;est arrêté pour une raison technique.</source>
        <translation>The test stopped for a technical reason.</translation>
    </message>
</context>
<context>
    <name>EndView</name>
    <message>
        <location filename="../../ui/views.py" line="777"/>
        <source>Votre code de reçu : {0}</source>
        <translation>Your receipt code: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="783"/>
        <source>Test terminé</source>
        <translation>Test finished</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="785"/>
        <source>Vos réponses sont enregistrées.</source>
        <translation>Your answers are saved.</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="788"/>
        <source>Le résultat sera vérifié puis communiqué par votre établissement. Vous pouvez quitter la salle lorsque le surveillant vous y invite.</source>
        <translation>The result will be checked, then sent to you by your school. You may leave the room when the invigilator says so.</translation>
    </message>
    <message>
        <source>Vos réponses sont enregistrées. Le résultat sera vérifié puis communiqué par votre établissement. Vous pouvez quitter la salle lorsque le surveillant vous y invite.</source>
        <translation type="vanished">Your answers are saved. The result will be checked, then sent to you by your school. You may leave the room when the invigilator tells you to.</translation>
    </message>
</context>
<context>
    <name>ExamController</name>
    <message>
        <source>Code d&apos;accès incorrect. Vérifiez le code affiché au tableau.</source>
        <translation type="vanished">Wrong access code. Check the code shown on the board.</translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="173"/>
        <source>Code d&apos;accès ou mot de passe surveillant incorrect. Vérifiez les deux.</source>
        <translation>Wrong access code or invigilator password. Check both.</translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="219"/>
        <location filename="../../ui/controller.py" line="238"/>
        <location filename="../../ui/controller.py" line="447"/>
        <location filename="../../ui/controller.py" line="545"/>
        <source>Mot de passe surveillant incorrect.</source>
        <translation>Wrong invigilator password.</translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="348"/>
        <source>Passer la question</source>
        <translation>Skip the question</translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="349"/>
        <source>Passer une question compte comme une erreur. Voulez-vous vraiment passer cette question ?</source>
        <translation>Skipping a question counts as a wrong answer. Do you really want to skip this question?</translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="351"/>
        <source>Oui, passer la question</source>
        <translation>Yes, skip the question</translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="352"/>
        <source>Non, revenir à la question</source>
        <translation>No, back to the question</translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="562"/>
        <source>Le surveillant a neutralisé la question précédente : elle ne compte pas. Voici une autre question.</source>
        <translation>The invigilator cancelled the previous question: it does not count. Here is another question.</translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="568"/>
        <source>Le surveillant vous a accordé {0} minutes supplémentaires.</source>
        <translation>The invigilator gave you {0} more minutes.</translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="621"/>
        <source>Le surveillant a examiné votre signalement : la question est maintenue.</source>
        <translation>The invigilator has looked at your report: the question stands.</translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="624"/>
        <source>Votre signalement a été validé : la question a été remplacée.</source>
        <translation>Your report was accepted: the question has been replaced.</translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="626"/>
        <source>Votre signalement a été validé : la question signalée ne compte pas.</source>
        <translation>Your report was accepted: the reported question does not count.</translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="672"/>
        <source>Vous avez quitté la fenêtre pendant cette question : votre réponse sera comptée comme fausse. Vous pouvez tout de même répondre.</source>
        <translation>You left the window during this question: your answer will count as wrong. You may still answer.</translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="677"/>
        <source>Le temps de la question précédente est écoulé : elle compte comme une erreur. Voici la question suivante.</source>
        <translation>Time ran out on the previous question: it counts as wrong. Here is the next question.</translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="775"/>
        <source>Plus qu&apos;une minute.</source>
        <translation>One minute left.</translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="777"/>
        <source>Plus que {0} minutes.</source>
        <translation>{0} minutes left.</translation>
    </message>
    <message>
        <source>Votre score : {0} Pix {1}</source>
        <translation type="vanished">Your score: {0} Pix {1}</translation>
    </message>
</context>
<context>
    <name>History</name>
    <message>
        <location filename="../../ui/invigilator.py" line="56"/>
        <source>Candidat installé</source>
        <translation>Candidate checked in</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="57"/>
        <source>Début autorisé</source>
        <translation>Start authorised</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="58"/>
        <source>Test commencé</source>
        <translation>Test started</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="59"/>
        <source>Question posée</source>
        <translation>Question asked</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="60"/>
        <source>Réponse enregistrée</source>
        <translation>Answer saved</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="61"/>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="62"/>
        <source>Reprise</source>
        <translation>Resumed</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="63"/>
        <source>Fenêtre quittée</source>
        <translation>Window left</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="64"/>
        <source>Verrouillage</source>
        <translation>Locked</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="65"/>
        <source>Déverrouillage</source>
        <translation>Unlocked</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="66"/>
        <source>Question neutralisée</source>
        <translation>Question neutralised</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="67"/>
        <source>Temps ajouté</source>
        <translation>Time added</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="68"/>
        <source>Question chronométrée commencée</source>
        <translation>Timed question started</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="69"/>
        <source>Incident signalé</source>
        <translation>Incident reported</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="70"/>
        <source>Anomalie d&apos;horloge</source>
        <translation>Clock anomaly</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="71"/>
        <source>Redémarrage de l&apos;application</source>
        <translation>Application restarted</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="72"/>
        <source>Fin du test</source>
        <translation>End of the test</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="73"/>
        <source>Problème signalé</source>
        <translation>Problem reported</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="74"/>
        <source>Signalement traité</source>
        <translation>Report dealt with</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="77"/>
        <source>Signalement validé : question neutralisée</source>
        <translation>Report accepted: question neutralised</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="78"/>
        <source>Signalement refusé : question maintenue</source>
        <translation>Report dismissed: question kept</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="103"/>
        <source>Mode examen activé</source>
        <translation>Exam mode on</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="104"/>
        <source>Mode examen désactivé</source>
        <translation>Exam mode off</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="105"/>
        <source>Raccourci clavier bloqué</source>
        <translation>Keyboard shortcut blocked</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="106"/>
        <source>Avertissement de sécurité</source>
        <translation>Security warning</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="107"/>
        <source>Écrans modifiés</source>
        <translation>Screens changed</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="108"/>
        <source>Surveillance interrompue</source>
        <translation>Monitoring interrupted</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="109"/>
        <source>Protections du poste modifiées</source>
        <translation>This PC&apos;s protections changed</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="110"/>
        <source>Mot de passe surveillant refusé</source>
        <translation>Invigilator password refused</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="113"/>
        <source>Nouveau passage autorisé par le surveillant</source>
        <translation>Another sitting allowed by the invigilator</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="135"/>
        <source>Événement de sécurité</source>
        <translation>Security event</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="146"/>
        <source>Temps ajouté : {0} min</source>
        <translation>Time added: {0} min</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="156"/>
        <source> (depuis la console)</source>
        <translation> (from the room console)</translation>
    </message>
</context>
<context>
    <name>Incidents</name>
    <message>
        <location filename="../../ui/invigilator.py" line="35"/>
        <source>Changement d&apos;informations du candidat (nom, date de naissance, temps)</source>
        <translation>Candidate information change (name, birth date, extra time)</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="37"/>
        <source>Problème de signature</source>
        <translation>Signature issue</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="38"/>
        <source>Suspicion de fraude</source>
        <translation>Suspected fraud</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="39"/>
        <source>Incident technique non bloquant</source>
        <translation>Non-blocking technical incident</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="41"/>
        <source>Incident candidat non bloquant</source>
        <translation>Non-blocking candidate incident</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="43"/>
        <source>E1 — Problème sur le contenu de la question</source>
        <translation>E1 — Problem with the question content</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="44"/>
        <source>E2 — Problème sur l&apos;illustration</source>
        <translation>E2 — Problem with the illustration</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="45"/>
        <source>E3 — Problème sur la pièce jointe</source>
        <translation>E3 — Problem with the attachment</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="46"/>
        <source>E4 — Problème de lien</source>
        <translation>E4 — Link problem</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="47"/>
        <source>E5 — Problème de contenu intégré</source>
        <translation>E5 — Embedded content problem</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="48"/>
        <source>E8 — Temps supplémentaire dépassé</source>
        <translation>E8 — Extra time exceeded</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="49"/>
        <source>E9 — Page lente ou figée</source>
        <translation>E9 — Slow or frozen page</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="50"/>
        <source>E10 — Perte de focus involontaire</source>
        <translation>E10 — Unintentional focus loss</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="51"/>
        <source>E11 — Page d&apos;erreur</source>
        <translation>E11 — Error page</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="52"/>
        <source>E12 — Autre problème</source>
        <translation>E12 — Other problem</translation>
    </message>
</context>
<context>
    <name>InstructionsView</name>
    <message>
        <location filename="../../ui/views.py" line="330"/>
        <source>Consignes</source>
        <translation>Instructions</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="336"/>
        <source>Passer une question compte comme une erreur.</source>
        <translation>Skipping a question counts as a wrong answer.</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="337"/>
        <source>Une réponse validée ne peut plus être modifiée.</source>
        <translation>An answer cannot be changed once validated.</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="339"/>
        <source>Certaines questions ont leur propre minuteur ; d&apos;autres demandent de rester sur cette fenêtre.</source>
        <translation>Some questions have their own timer; others ask you to stay on this window.</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="342"/>
        <source>En cas de problème, levez la main : le surveillant peut mettre le test en pause.</source>
        <translation>If anything goes wrong, raise your hand: the invigilator can pause the test.</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="346"/>
        <source>Commencer le test</source>
        <translation>Start the test</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="356"/>
        <source>Durée : {0} (temps supplémentaire de {1} % compris)</source>
        <translation>Duration: {0} (including {1} % extra time)</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="360"/>
        <source>Durée : {0}</source>
        <translation>Duration: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="362"/>
        <source>{0} questions</source>
        <translation>{0} questions</translation>
    </message>
</context>
<context>
    <name>InvigilatorPanel</name>
    <message>
        <location filename="../../ui/invigilator.py" line="196"/>
        <location filename="../../ui/invigilator.py" line="197"/>
        <location filename="../../ui/invigilator.py" line="207"/>
        <source>Espace surveillant</source>
        <translation>Invigilator area</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="203"/>
        <source>Mot de passe surveillant</source>
        <translation>Invigilator password</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="203"/>
        <source>Ouvrir l&apos;espace surveillant</source>
        <translation>Open the invigilator area</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="237"/>
        <source>Autoriser le début / la reprise</source>
        <translation>Authorise start / resume</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="238"/>
        <source>Mettre en pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="239"/>
        <source>Déverrouiller (alerte levée)</source>
        <translation>Unlock (alert cleared)</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="240"/>
        <source>Neutraliser la question en cours</source>
        <translation>Neutralise the current question</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="241"/>
        <source>Terminer le test du candidat</source>
        <translation>End the candidate&apos;s test</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="242"/>
        <source>Quitter l&apos;application</source>
        <translation>Quit the application</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="243"/>
        <source>Candidat suivant</source>
        <translation>Next candidate</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="245"/>
        <source>Ce test est terminé : installer le candidat suivant sur ce poste</source>
        <translation>This test has ended: check in the next candidate on this PC</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="253"/>
        <source>Signalements en attente</source>
        <translation>Reports waiting</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="265"/>
        <source>Minutes à ajouter</source>
        <translation>Minutes to add</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="266"/>
        <source>Ajouter du temps</source>
        <translation>Add time</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="272"/>
        <source>Catégorie d&apos;incident</source>
        <translation>Incident category</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="276"/>
        <location filename="../../ui/invigilator.py" line="277"/>
        <source>Description de l&apos;incident</source>
        <translation>Incident description</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="278"/>
        <source>Signaler l&apos;incident</source>
        <translation>Report the incident</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="283"/>
        <source>Contraste élevé</source>
        <translation>High contrast</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="286"/>
        <source>Historique (heure · événement)</source>
        <translation>History (time · event)</translation>
    </message>
    <message>
        <source>Historique (temps d&apos;épreuve · événement)</source>
        <translation type="vanished">History (exam time · event)</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="288"/>
        <source>Historique de l&apos;épreuve</source>
        <translation>Attempt history</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="290"/>
        <source>Fermer</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="333"/>
        <source>Synchronisation : {0}</source>
        <translation>Synchronisation: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="335"/>
        <source>Console de salle : {0}</source>
        <translation>Room console: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="341"/>
        <source>Aucun candidat installé sur ce poste.</source>
        <translation>No candidate checked in on this computer.</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="344"/>
        <source>{0} — {1} — question {2} / {3}</source>
        <translation>{0} — {1} — question {2} / {3}</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="350"/>
        <source> — temps ajouté : {0} min</source>
        <translation> — time added: {0} min</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="354"/>
        <source>Temps restant : {0}</source>
        <translation>Time left: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="401"/>
        <source> (question en cours)</source>
        <translation> (current question)</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="403"/>
        <source> (question déjà répondue)</source>
        <translation> (question already answered)</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="409"/>
        <source>Valider</source>
        <translation>Accept</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="410"/>
        <source>Valider le signalement : {0}</source>
        <translation>Accept the report: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="412"/>
        <source>La question est neutralisée et remplacée, le temps passé est rendu</source>
        <translation>The question is neutralised and replaced, the time spent is given back</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="415"/>
        <source>Refuser</source>
        <translation>Dismiss</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="415"/>
        <source>Vu</source>
        <translation>Seen</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="417"/>
        <source>Refuser le signalement : {0}</source>
        <translation>Dismiss the report: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="418"/>
        <source>Alerte vue : {0}</source>
        <translation>Alert seen: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="437"/>
        <location filename="../../ui/invigilator.py" line="440"/>
        <source>Valider le signalement</source>
        <translation>Accept the report</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="438"/>
        <source>Valider le signalement « {0} » ? La question sera neutralisée et remplacée, et le temps passé dessus rendu au candidat.</source>
        <translation>Accept the report “{0}”? The question will be neutralised and replaced, and the time spent on it given back to the candidate.</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="463"/>
        <location filename="../../ui/invigilator.py" line="467"/>
        <source>Neutraliser la question</source>
        <translation>Cancel the question</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="464"/>
        <source>Neutraliser la question en cours ? Elle ne comptera pas et sera remplacée par une autre. À faire seulement si la question pose un problème constaté.</source>
        <translation>Cancel the current question? It will not count and will be replaced by another. Only do this when the question has a confirmed problem.</translation>
    </message>
    <message>
        <source>Épreuve {0} — état : {1} — question {2} / {3}</source>
        <translation type="vanished">Attempt {0} — state: {1} — question {2} / {3}</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="450"/>
        <location filename="../../ui/invigilator.py" line="453"/>
        <source>Terminer le test</source>
        <translation>End the test</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="451"/>
        <source>Terminer définitivement le test de ce candidat ? Il ne pourra pas le reprendre.</source>
        <translation>End this candidate&apos;s test for good? It cannot be resumed.</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="441"/>
        <location filename="../../ui/invigilator.py" line="454"/>
        <location filename="../../ui/invigilator.py" line="468"/>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>LockReasons</name>
    <message>
        <location filename="../../ui/invigilator.py" line="82"/>
        <source>la fenêtre d&apos;examen a perdu le focus</source>
        <translation>the exam window lost the focus</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="83"/>
        <source>un écran a été branché ou débranché</source>
        <translation>a screen was plugged in or unplugged</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="84"/>
        <source>un logiciel interdit est ouvert</source>
        <translation>a prohibited program is open</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="85"/>
        <source>une session à distance est active</source>
        <translation>a remote session is active</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="86"/>
        <source>verrouillage par le surveillant</source>
        <translation>locked by the invigilator</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="87"/>
        <source>un écran a été branché</source>
        <translation>a screen was plugged in</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="88"/>
        <source>un écran a été débranché</source>
        <translation>a screen was unplugged</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="89"/>
        <source>la surveillance de l&apos;environnement sécurisé s&apos;est interrompue</source>
        <translation>the secure-environment watch stopped</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="92"/>
        <source>la fenêtre d&apos;examen a été masquée</source>
        <translation>the exam window was hidden</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="93"/>
        <source>les réponses ne peuvent plus être enregistrées</source>
        <translation>answers can no longer be saved</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <location filename="../../ui/views.py" line="734"/>
        <source>Écran verrouillé</source>
        <translation>Screen locked</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="740"/>
        <source>Levez la main et attendez le surveillant. Le temps est arrêté et vos réponses sont enregistrées.</source>
        <translation>Raise your hand and wait for the invigilator. The clock is stopped and your answers are saved.</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="746"/>
        <source>Mot de passe surveillant</source>
        <translation>Invigilator password</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="746"/>
        <source>Déverrouiller</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="755"/>
        <source>Motif : {0}</source>
        <translation>Reason: {0}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="81"/>
        <source>PixDesk — certification Pix</source>
        <translation>PixDesk — Pix certification</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="124"/>
        <source>Non synchronisé — hors ligne</source>
        <translation>Not synchronised — offline</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="133"/>
        <source>Réduire la taille du texte</source>
        <translation>Make text smaller</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="134"/>
        <source>Réduire la taille du texte (Ctrl+-)</source>
        <translation>Make text smaller (Ctrl+-)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="136"/>
        <source>Agrandir le texte</source>
        <translation>Make text larger</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="137"/>
        <source>Agrandir le texte (Ctrl+=)</source>
        <translation>Make text larger (Ctrl+=)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="138"/>
        <source>Surveillant</source>
        <translation>Invigilator</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="140"/>
        <source>Espace surveillant</source>
        <translation>Invigilator area</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="147"/>
        <source>Avertissement de sécurité</source>
        <translation>Security warning</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="171"/>
        <source>PixDesk — Question {0} / {1}</source>
        <translation>PixDesk — Question {0} / {1}</translation>
    </message>
</context>
<context>
    <name>MissingProtections</name>
    <message>
        <location filename="../../ui/kiosk.py" line="172"/>
        <source>Protections absentes sur ce poste</source>
        <translation>Protections missing on this PC</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk.py" line="183"/>
        <source>Non assuré sur ce poste : {0}</source>
        <translation>Not ensured on this PC: {0}</translation>
    </message>
</context>
<context>
    <name>OpeningView</name>
    <message>
        <location filename="../../ui/views.py" line="74"/>
        <source>PixDesk — ouverture de la session</source>
        <translation>PixDesk — opening the session</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="76"/>
        <source>{0} · {1} · session du {2}</source>
        <translation>{0} · {1} · session of {2}</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="85"/>
        <source>Démonstration : code d&apos;accès {0}, mot de passe surveillant {1}.</source>
        <translation>Demo: access code {0}, invigilator password {1}.</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="91"/>
        <source>Candidats de la démonstration (nom, prénom, date de naissance) :</source>
        <translation>Demo candidates (last name, first name, date of birth):</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="104"/>
        <location filename="../../ui/views.py" line="109"/>
        <source>Code d&apos;accès de la session</source>
        <translation>Session access code</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="105"/>
        <source>4 lettres puis 2 chiffres, par exemple BKQT47</source>
        <translation>4 letters then 2 digits, for example BKQT47</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="108"/>
        <location filename="../../ui/views.py" line="111"/>
        <source>Mot de passe surveillant</source>
        <translation>Invigilator password</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="120"/>
        <source>Ouvrir la session</source>
        <translation>Open the session</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="121"/>
        <location filename="../../ui/views.py" line="122"/>
        <source>Contraste élevé</source>
        <translation>High contrast</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="150"/>
        <source>Nouvel essai possible dans {0} s.</source>
        <translation>You can try again in {0} s.</translation>
    </message>
</context>
<context>
    <name>PasswordField</name>
    <message>
        <location filename="../../ui/widgets.py" line="135"/>
        <source>Nouvel essai possible dans {0} s.</source>
        <translation>You can try again in {0} s.</translation>
    </message>
</context>
<context>
    <name>PauseView</name>
    <message>
        <location filename="../../ui/views.py" line="699"/>
        <source>Test en pause</source>
        <translation>Test paused</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="703"/>
        <source>Le temps est arrêté. Le surveillant autorisera la reprise ; vos réponses sont enregistrées.</source>
        <translation>The clock is stopped. The invigilator will authorise the resumption; your answers are saved.</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="711"/>
        <source>Mot de passe surveillant</source>
        <translation>Invigilator password</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="711"/>
        <source>Autoriser la reprise</source>
        <translation>Authorise resumption</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="718"/>
        <source>Temps restant : {0}</source>
        <translation>Time left: {0}</translation>
    </message>
</context>
<context>
    <name>Phases</name>
    <message>
        <location filename="../../ui/invigilator.py" line="483"/>
        <source>nouvelle</source>
        <translation>new</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="484"/>
        <source>candidat installé</source>
        <translation>checked in</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="485"/>
        <source>début autorisé</source>
        <translation>start authorised</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="486"/>
        <source>en cours</source>
        <translation>running</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="487"/>
        <source>en pause</source>
        <translation>paused</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="488"/>
        <source>verrouillée</source>
        <translation>locked</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="489"/>
        <source>terminée</source>
        <translation>ended</translation>
    </message>
</context>
<context>
    <name>QuestionView</name>
    <message>
        <location filename="../../ui/views.py" line="441"/>
        <source>Avancement du test</source>
        <translation>Test progress</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="448"/>
        <source>Restez sur cette fenêtre : si vous la quittez pendant cette question, votre réponse sera comptée comme fausse.</source>
        <translation>Stay on this window: if you leave it during this question, your answer will count as wrong.</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="457"/>
        <source>Illustration</source>
        <translation>Illustration</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="468"/>
        <location filename="../../ui/views.py" line="469"/>
        <source>Je passe</source>
        <translation>Skip</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="471"/>
        <source>Passer cette question ; elle compte comme une erreur</source>
        <translation>Skip this question; it counts as a wrong answer</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="473"/>
        <source>Je valide</source>
        <translation>Validate</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="474"/>
        <source>Valider ma réponse</source>
        <translation>Validate my answer</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="480"/>
        <location filename="../../ui/views.py" line="481"/>
        <source>Signaler un problème</source>
        <translation>Report a problem</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="483"/>
        <source>Prévenir le surveillant d&apos;un problème sur cette question</source>
        <translation>Tell the invigilator about a problem with this question</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="500"/>
        <source>Question {0} / {1}</source>
        <translation>Question {0} / {1}</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="573"/>
        <source>Temps restant : {0}</source>
        <translation>Time left: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="575"/>
        <source>Temps restant : environ {0} minutes</source>
        <translation>Time left: about {0} minutes</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="580"/>
        <source>Question chronométrée : il vous reste {0} pour y répondre. À zéro, elle se termine et compte comme une erreur.</source>
        <translation>Timed question: you have {0} left to answer it. At zero it ends and counts as wrong.</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="602"/>
        <source>Signalement transmis au surveillant. Vous pouvez continuer à répondre à la question ou attendre sa décision.</source>
        <translation>Report sent to the invigilator. You may keep answering the question or wait for their decision.</translation>
    </message>
    <message>
        <source>Temps pour cette question : {0}</source>
        <translation type="vanished">Time for this question: {0}</translation>
    </message>
</context>
<context>
    <name>ReportProblemDialog</name>
    <message>
        <location filename="../../ui/views.py" line="628"/>
        <source>Signaler un problème</source>
        <translation>Report a problem</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="633"/>
        <source>Quel problème rencontrez-vous avec cette question ? Le surveillant sera prévenu ; vous pourrez continuer à répondre en attendant sa décision.</source>
        <translation>What is wrong with this question? The invigilator will be told; you may keep answering while they decide.</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="647"/>
        <source>Envoyer le signalement</source>
        <translation>Send the report</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="649"/>
        <location filename="../../ui/views.py" line="650"/>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>RoomConsole</name>
    <message>
        <location filename="../../ui/room_console.py" line="210"/>
        <source>Non arrivé</source>
        <translation>Not arrived</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="211"/>
        <source>Installé, attend l&apos;autorisation</source>
        <translation>Checked in, waiting for authorisation</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="212"/>
        <source>Autorisé à commencer</source>
        <translation>Authorised to start</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="213"/>
        <source>En cours {0} / {1}</source>
        <translation>In progress {0} / {1}</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="214"/>
        <source>En pause</source>
        <translation>Paused</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="215"/>
        <source>Verrouillé : {0}</source>
        <translation>Locked: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="216"/>
        <source>Terminé</source>
        <translation>Finished</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="217"/>
        <source>Terminé par le surveillant</source>
        <translation>Ended by the invigilator</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="220"/>
        <source>problème d&apos;image</source>
        <translation>image problem</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="221"/>
        <source>problème d&apos;application intégrée</source>
        <translation>embedded app problem</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="222"/>
        <source>problème de lien</source>
        <translation>link problem</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="223"/>
        <source>autre problème</source>
        <translation>other problem</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="224"/>
        <source>poste : fenêtre d&apos;examen quittée</source>
        <translation>PC: exam window left</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="225"/>
        <source>poste : écran branché</source>
        <translation>PC: screen plugged in</translation>
    </message>
    <message>
        <source>poste : logiciel interdit</source>
        <translation type="vanished">PC: forbidden software</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="226"/>
        <source>poste : écran débranché</source>
        <translation>PC: screen unplugged</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="227"/>
        <source>poste : logiciel interdit lancé</source>
        <translation>PC: forbidden program started</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="229"/>
        <source>poste : session à distance</source>
        <translation>PC: remote session</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="230"/>
        <source>poste : surveillance interrompue</source>
        <translation>PC: monitoring interrupted</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="232"/>
        <source>poste : fenêtre d&apos;examen masquée</source>
        <translation>PC: exam window hidden</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="236"/>
        <source>Autoriser le début</source>
        <translation>Authorise start</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="237"/>
        <source>Autoriser la reprise</source>
        <translation>Authorise resume</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="238"/>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="239"/>
        <source>Reprise</source>
        <translation>Resume</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="240"/>
        <source>Temps ajouté</source>
        <translation>Time added</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="241"/>
        <source>Neutralisation</source>
        <translation>Neutralisation</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="242"/>
        <source>Fin du test</source>
        <translation>End of test</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="243"/>
        <source>Incident</source>
        <translation>Incident</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="244"/>
        <source>Alerte validée</source>
        <translation>Alert validated</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="245"/>
        <source>Alerte refusée</source>
        <translation>Alert dismissed</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="249"/>
        <source>pas possible à ce stade du test</source>
        <translation>not possible at this point of the test</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="250"/>
        <source>autre question à l&apos;écran</source>
        <translation>another question on screen</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="251"/>
        <source>horloges du poste et de la console décalées</source>
        <translation>PC and console clocks apart</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="253"/>
        <source>commande déjà reçue</source>
        <translation>command already received</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="254"/>
        <source>signature refusée</source>
        <translation>signature refused</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="255"/>
        <source>commande inconnue du poste</source>
        <translation>command unknown to the PC</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="256"/>
        <source>le poste ne peut pas l&apos;enregistrer</source>
        <translation>the PC cannot record it</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="282"/>
        <source>non synchronisé</source>
        <translation>not synced</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="304"/>
        <source>tiers-temps {0} %</source>
        <translation>extra time {0} %</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="307"/>
        <source>+{0} min ajoutées</source>
        <translation>+{0} min added</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="317"/>
        <source>poste : {0}</source>
        <translation>PC: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="413"/>
        <source>Candidat</source>
        <translation>Candidate</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="414"/>
        <source>Poste</source>
        <translation>PC</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="415"/>
        <source>Statut</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="416"/>
        <source>Temps restant</source>
        <translation>Time left</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="417"/>
        <source>Alertes</source>
        <translation>Alerts</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="418"/>
        <source>Liaison</source>
        <translation>Link</translation>
    </message>
</context>
<context>
    <name>RoomConsoleWindow</name>
    <message>
        <location filename="../../ui/room_console.py" line="442"/>
        <source>PixDesk — console de salle — session {0}</source>
        <translation>PixDesk — room console — session {0}</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="447"/>
        <source>{0} — {1} — {2}</source>
        <translation>{0} — {1} — {2}</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="450"/>
        <source>État de la salle</source>
        <translation>Room status</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="453"/>
        <source>Candidats de la session</source>
        <translation>Candidates of the session</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="464"/>
        <source>Résultat de la dernière commande</source>
        <translation>Result of the last command</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="470"/>
        <location filename="../../ui/room_console.py" line="472"/>
        <source>Alertes ouvertes</source>
        <translation>Open alerts</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="476"/>
        <source>Valider</source>
        <translation>Validate</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="476"/>
        <source>Valider l&apos;alerte sélectionnée : la question est neutralisée et remplacée</source>
        <translation>Validate the selected alert: the question is neutralised and replaced</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="478"/>
        <location filename="../../ui/room_console.py" line="810"/>
        <source>Refuser</source>
        <translation>Dismiss</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="812"/>
        <source>Refuser l&apos;alerte sélectionnée : le candidat en est informé</source>
        <translation>Dismiss the selected alert: the candidate is told</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="511"/>
        <source>Console de salle</source>
        <translation>Room console</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="513"/>
        <source>Réduire la taille du texte</source>
        <translation>Smaller text</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="515"/>
        <source>Agrandir le texte</source>
        <translation>Larger text</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="516"/>
        <location filename="../../ui/room_console.py" line="517"/>
        <source>Contraste élevé</source>
        <translation>High contrast</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="528"/>
        <source>Autoriser le début</source>
        <translation>Authorise start</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="529"/>
        <source>Autoriser tous les candidats installés</source>
        <translation>Authorise every checked-in candidate</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="530"/>
        <source>Autoriser la reprise (verrouillage)</source>
        <translation>Authorise resume (lock)</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="531"/>
        <source>Mettre en pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="532"/>
        <source>Reprendre</source>
        <translation>Resume</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="533"/>
        <source>Tout mettre en pause (alarme)</source>
        <translation>Pause everyone (alarm)</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="534"/>
        <source>Tout reprendre</source>
        <translation>Resume everyone</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="535"/>
        <source>Neutraliser la question en cours</source>
        <translation>Neutralise the current question</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="536"/>
        <source>Terminer le test…</source>
        <translation>End the test…</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="541"/>
        <source>Minutes à ajouter</source>
        <translation>Minutes to add</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="542"/>
        <source>Ajouter du temps</source>
        <translation>Add time</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="544"/>
        <source>Code de l&apos;incident</source>
        <translation>Incident code</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="554"/>
        <location filename="../../ui/room_console.py" line="555"/>
        <source>Description de l&apos;incident</source>
        <translation>Incident description</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="556"/>
        <source>Consigner l&apos;incident</source>
        <translation>Record the incident</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="628"/>
        <source>⚠ liaison perdue</source>
        <translation>⚠ link lost</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="629"/>
        <source>⚠ sans nouvelles depuis {0} s</source>
        <translation>⚠ no news for {0} s</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="630"/>
        <source>connecté</source>
        <translation>connected</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="666"/>
        <source>relais du serveur {0} : relié</source>
        <translation>server hub {0}: attached</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="670"/>
        <source>relais du serveur {0} : ne connaît pas cette session [{1}]</source>
        <translation>server hub {0}: does not know this session [{1}]</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="668"/>
        <source>relais du serveur {0} : injoignable, nouvel essai automatique</source>
        <translation>server hub {0}: out of reach, retrying by itself</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="653"/>
        <source>écoute sur le port {0}</source>
        <translation>listening on port {0}</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="655"/>
        <source>{0} candidats — {1} postes ont répondu — {2} connectés — {3} alertes ouvertes — {4}</source>
        <translation>{0} candidates — {1} PCs reported — {2} connected — {3} open alerts — {4}</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="672"/>
        <source>relais du serveur {0} : refuse la console, l&apos;horloge de cette machine est trop décalée de celle du serveur : réglez-la [{1}]</source>
        <translation>server hub {0}: refuses the console, this machine&apos;s clock is too far off the server&apos;s: set it right [{1}]</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="675"/>
        <source>relais du serveur {0} : refuse la console, la clé de cette session n&apos;est pas celle que le serveur a émise (fichier de session d&apos;un autre serveur ?) [{1}]</source>
        <translation>server hub {0}: refuses the console, this session&apos;s key is not the one the server issued (a session file from another server?) [{1}]</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="678"/>
        <source>relais du serveur {0} : refuse la console [{1}]</source>
        <translation>server hub {0}: refuses the console [{1}]</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="703"/>
        <source>{0} ({1}) — {2}</source>
        <translation>{0} ({1}) — {2}</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="706"/>
        <source>question {0}</source>
        <translation>question {0}</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="723"/>
        <source>Nouvelle alerte : {0}</source>
        <translation>New alert: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="746"/>
        <source>tous les postes</source>
        <translation>every PC</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="755"/>
        <source>Sélectionnez d&apos;abord un ou plusieurs candidats dans la liste.</source>
        <translation>First select one or more candidates in the list.</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="768"/>
        <location filename="../../ui/room_console.py" line="771"/>
        <source>Neutraliser la question</source>
        <translation>Neutralise the question</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="769"/>
        <source>Neutraliser la question en cours des candidats sélectionnés ? Elle ne comptera pas et sera remplacée.</source>
        <translation>Neutralise the selected candidates&apos; current question? It will not count and will be replaced.</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="771"/>
        <location filename="../../ui/room_console.py" line="786"/>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="783"/>
        <location filename="../../ui/room_console.py" line="786"/>
        <source>Terminer le test</source>
        <translation>End the test</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="784"/>
        <source>Terminer définitivement le test des candidats sélectionnés ? Ils ne pourront pas le reprendre.</source>
        <translation>End the selected candidates&apos; test for good? They will not be able to resume it.</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="787"/>
        <location filename="../../ui/room_console.py" line="788"/>
        <source>Fraude constatée</source>
        <translation>Fraud observed</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="810"/>
        <source>Vu</source>
        <translation>Seen</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="811"/>
        <source>Alerte du poste vue : elle est fermée</source>
        <translation>PC alert seen: it is closed</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="821"/>
        <source>Sélectionnez d&apos;abord une alerte.</source>
        <translation>First select an alert.</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="865"/>
        <source>{0} appliquée(s)</source>
        <translation>{0} applied</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="867"/>
        <source>{0} refusée(s) ({1})</source>
        <translation>{0} refused ({1})</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="870"/>
        <source>{0} en attente</source>
        <translation>{0} waiting</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="872"/>
        <source>aucun poste concerné n&apos;est connecté : rien n&apos;a été envoyé</source>
        <translation>no PC concerned is connected: nothing was sent</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="875"/>
        <source>rien envoyé à {0} (poste non connecté ou sans question en cours) : utilisez le panneau du poste</source>
        <translation>nothing sent to {0} (PC not connected or no current question): use the PC&apos;s own panel</translation>
    </message>
</context>
<context>
    <name>RoomLink</name>
    <message>
        <location filename="../../ui/controller.py" line="528"/>
        <location filename="../../ui/room_link.py" line="232"/>
        <source>non configurée</source>
        <translation>not configured</translation>
    </message>
    <message>
        <location filename="../../ui/room_link.py" line="233"/>
        <source>connectée</source>
        <translation>connected</translation>
    </message>
    <message>
        <location filename="../../ui/room_link.py" line="233"/>
        <source>non connectée</source>
        <translation>not connected</translation>
    </message>
</context>
<context>
    <name>Startup</name>
    <message>
        <location filename="../../app.py" line="265"/>
        <source>PixDesk ne peut pas démarrer l&apos;examen</source>
        <translation>PixDesk cannot start the exam</translation>
    </message>
    <message>
        <location filename="../../app.py" line="268"/>
        <source>Appelez le service informatique.</source>
        <translation>Call IT support.</translation>
    </message>
    <message>
        <location filename="../../app.py" line="270"/>
        <source>Pour savoir ce qui manque : « pixdesk doctor ».</source>
        <translation>To see what is missing: “pixdesk doctor”.</translation>
    </message>
</context>
<context>
    <name>SyncStatus</name>
    <message>
        <location filename="../../ui/sync_worker.py" line="45"/>
        <source>En attente du serveur…</source>
        <translation>Waiting for the server…</translation>
    </message>
    <message>
        <location filename="../../ui/sync_worker.py" line="46"/>
        <source>Synchronisé à {0}</source>
        <translation>Synchronised at {0}</translation>
    </message>
    <message>
        <location filename="../../ui/sync_worker.py" line="47"/>
        <source>Hors ligne — {0} épreuves en attente</source>
        <translation>Offline — {0} attempts waiting</translation>
    </message>
    <message>
        <location filename="../../ui/sync_worker.py" line="48"/>
        <source>Hors ligne — 1 épreuve en attente</source>
        <translation>Offline — 1 attempt waiting</translation>
    </message>
    <message>
        <location filename="../../ui/sync_worker.py" line="49"/>
        <source>Hors ligne — rien en attente</source>
        <translation>Offline — nothing waiting</translation>
    </message>
    <message>
        <location filename="../../ui/sync_worker.py" line="50"/>
        <source>Erreur : {0}</source>
        <translation>Error: {0}</translation>
    </message>
</context>
<context>
    <name>TimedNoticeView</name>
    <message>
        <location filename="../../ui/views.py" line="377"/>
        <source>Question chronométrée</source>
        <translation>Timed question</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="380"/>
        <source>Commencer</source>
        <translation>Start</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="382"/>
        <source>Afficher la question chronométrée et lancer son minuteur</source>
        <translation>Show the timed question and start its timer</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="390"/>
        <source>Cette question est chronométrée : vous aurez {0} pour y répondre.</source>
        <translation>This question is timed: you will have {0} to answer it.</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="404"/>
        <source>1 minute</source>
        <translation>1 minute</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="404"/>
        <source>{0} minutes</source>
        <translation>{0} minutes</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="405"/>
        <source>1 seconde</source>
        <translation>1 second</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="405"/>
        <source>{0} secondes</source>
        <translation>{0} seconds</translation>
    </message>
</context>
<context>
    <name>UnlockDialog</name>
    <message>
        <location filename="../../ui/room_console.py" line="371"/>
        <source>Console de salle — session {0}</source>
        <translation>Room console — session {0}</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="376"/>
        <source>Mot de passe surveillant</source>
        <translation>Invigilator password</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="377"/>
        <source>Ouvrir la console</source>
        <translation>Open the console</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="378"/>
        <location filename="../../ui/room_console.py" line="379"/>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="381"/>
        <source>Console de salle</source>
        <translation>Room console</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="382"/>
        <source>{0} — {1} — {2} — {3}</source>
        <translation>{0} — {1} — {2} — {3}</translation>
    </message>
</context>
<context>
    <name>WaitingView</name>
    <message>
        <location filename="../../ui/views.py" line="300"/>
        <source>Mot de passe surveillant</source>
        <translation>Invigilator password</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="300"/>
        <source>Autoriser</source>
        <translation>Authorise</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="308"/>
        <source>Bonjour {0}</source>
        <translation>Hello {0}</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="311"/>
        <source>Votre test a été interrompu. Appelez le surveillant : il doit autoriser la reprise. Le temps d&apos;interruption n&apos;est pas décompté.</source>
        <translation>Your test was interrupted. Call the invigilator: they must authorise the resumption. The interruption is not counted.</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="316"/>
        <source>Vous êtes bien inscrit. Appelez le surveillant : il doit autoriser le début de votre test.</source>
        <translation>You are checked in. Call the invigilator: they must authorise the start of your test.</translation>
    </message>
</context>
</TS>
