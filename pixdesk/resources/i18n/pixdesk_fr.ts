<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr" sourcelanguage="fr_FR">
<context>
    <name>Alerts</name>
    <message>
        <location filename="../../ui/invigilator.py" line="123"/>
        <source>Poste sécurisé : {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="31"/>
        <source>L&apos;image ne s&apos;affiche pas</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="32"/>
        <source>L&apos;application intégrée ne fonctionne pas</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="33"/>
        <source>Le lien ne fonctionne pas</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="34"/>
        <source>Autre problème</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AnswerForm</name>
    <message>
        <location filename="../../ui/answers.py" line="95"/>
        <source>Choix {0} sur {1}</source>
        <translation>Choix {0} sur {1}</translation>
    </message>
    <message>
        <location filename="../../ui/answers.py" line="110"/>
        <source>Votre réponse</source>
        <translation>Votre réponse</translation>
    </message>
    <message>
        <location filename="../../ui/answers.py" line="117"/>
        <source>Nombre, par exemple 12,5</source>
        <translation>Nombre, par exemple 12,5</translation>
    </message>
    <message>
        <location filename="../../ui/answers.py" line="119"/>
        <source>Réponse numérique : chiffres, virgule pour les décimales</source>
        <translation>Réponse numérique : chiffres, virgule pour les décimales</translation>
    </message>
    <message>
        <location filename="../../ui/answers.py" line="128"/>
        <source>Réponse libre</source>
        <translation>Réponse libre</translation>
    </message>
    <message>
        <location filename="../../ui/answers.py" line="138"/>
        <source>Ce champ n&apos;accepte qu&apos;un nombre : chiffres, virgule pour les décimales, signe moins. Le caractère tapé n&apos;a pas été ajouté.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BlankScreen</name>
    <message>
        <location filename="../../ui/kiosk.py" line="225"/>
        <source>PixDesk — écran réservé à l&apos;examen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/kiosk.py" line="226"/>
        <location filename="../../ui/kiosk.py" line="244"/>
        <source>Écran réservé à l&apos;examen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/kiosk.py" line="228"/>
        <source>Écran secondaire masqué pendant l&apos;examen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/kiosk.py" line="242"/>
        <source>Examen verrouillé — attendez le surveillant</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Capabilities</name>
    <message>
        <location filename="../../ui/kiosk.py" line="139"/>
        <source>filtre des raccourcis clavier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/kiosk.py" line="140"/>
        <source>blocage de la saisie clavier simulée</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/kiosk.py" line="143"/>
        <source>exclusion des captures d&apos;écran</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/kiosk.py" line="144"/>
        <source>raccourcis d&apos;accessibilité désactivés</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/kiosk.py" line="147"/>
        <source>détection des sessions à distance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/kiosk.py" line="150"/>
        <source>surveillance des programmes</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CheckInView</name>
    <message>
        <location filename="../../ui/views.py" line="180"/>
        <source>Installation du candidat</source>
        <translation>Installation du candidat</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="182"/>
        <source>Saisissez vos nom, prénom et date de naissance.</source>
        <translation>Saisissez vos nom, prénom et date de naissance.</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="187"/>
        <location filename="../../ui/views.py" line="191"/>
        <source>Nom de famille</source>
        <translation>Nom de famille</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="189"/>
        <location filename="../../ui/views.py" line="192"/>
        <source>Prénom</source>
        <translation>Prénom</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="197"/>
        <location filename="../../ui/views.py" line="204"/>
        <source>Jour</source>
        <translation>Jour</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="198"/>
        <location filename="../../ui/views.py" line="205"/>
        <source>Mois</source>
        <translation>Mois</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="199"/>
        <location filename="../../ui/views.py" line="206"/>
        <source>Année</source>
        <translation>Année</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="212"/>
        <source>Date de naissance (jour, mois, année)</source>
        <translation>Date de naissance (jour, mois, année)</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="221"/>
        <source>Date de naissance : saisissez uniquement des chiffres.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="225"/>
        <source>Je confirme mon identité</source>
        <translation>Je confirme mon identité</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="230"/>
        <source>Réservé au surveillant : mot de passe pour autoriser un nouveau passage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="231"/>
        <source>Autoriser un nouveau passage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="246"/>
        <source>Date de naissance : {0}</source>
        <translation>Date de naissance : {0}</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="281"/>
        <source>Saisissez votre nom et votre prénom.</source>
        <translation>Saisissez votre nom et votre prénom.</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="284"/>
        <source>Date de naissance invalide : saisissez jour, mois et année.</source>
        <translation>Date de naissance invalide : saisissez jour, mois et année.</translation>
    </message>
</context>
<context>
    <name>EndReasons</name>
    <message>
        <location filename="../../ui/controller.py" line="43"/>
        <source>Vous avez répondu à toutes les questions.</source>
        <translation>Vous avez répondu à toutes les questions.</translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="44"/>
        <source>Le temps imparti est écoulé.</source>
        <translation>Le temps imparti est écoulé.</translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="45"/>
        <source>Le surveillant a mis fin au test.</source>
        <translation>Le surveillant a mis fin au test.</translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="46"/>
        <source>Vous avez mis fin au test.</source>
        <translation>Vous avez mis fin au test.</translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="47"/>
        <source>Le test s&apos;est arrêté pour une raison technique.</source>
        <translation>Le test s&apos;est arrêté pour une raison technique.</translation>
    </message>
</context>
<context>
    <name>EndView</name>
    <message>
        <location filename="../../ui/views.py" line="777"/>
        <source>Votre code de reçu : {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="783"/>
        <source>Test terminé</source>
        <translation>Test terminé</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="785"/>
        <source>Vos réponses sont enregistrées.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="788"/>
        <source>Le résultat sera vérifié puis communiqué par votre établissement. Vous pouvez quitter la salle lorsque le surveillant vous y invite.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vos réponses sont enregistrées. Le résultat sera vérifié puis communiqué par votre établissement. Vous pouvez quitter la salle lorsque le surveillant vous y invite.</source>
        <translation type="vanished">Vos réponses sont enregistrées. Le résultat sera vérifié puis communiqué par votre établissement. Vous pouvez quitter la salle lorsque le surveillant vous y invite.</translation>
    </message>
</context>
<context>
    <name>ExamController</name>
    <message>
        <source>Code d&apos;accès incorrect. Vérifiez le code affiché au tableau.</source>
        <translation type="vanished">Code d&apos;accès incorrect. Vérifiez le code affiché au tableau.</translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="173"/>
        <source>Code d&apos;accès ou mot de passe surveillant incorrect. Vérifiez les deux.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="219"/>
        <location filename="../../ui/controller.py" line="238"/>
        <location filename="../../ui/controller.py" line="447"/>
        <location filename="../../ui/controller.py" line="545"/>
        <source>Mot de passe surveillant incorrect.</source>
        <translation>Mot de passe surveillant incorrect.</translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="348"/>
        <source>Passer la question</source>
        <translation>Passer la question</translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="349"/>
        <source>Passer une question compte comme une erreur. Voulez-vous vraiment passer cette question ?</source>
        <translation>Passer une question compte comme une erreur. Voulez-vous vraiment passer cette question ?</translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="351"/>
        <source>Oui, passer la question</source>
        <translation>Oui, passer la question</translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="352"/>
        <source>Non, revenir à la question</source>
        <translation>Non, revenir à la question</translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="562"/>
        <source>Le surveillant a neutralisé la question précédente : elle ne compte pas. Voici une autre question.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="568"/>
        <source>Le surveillant vous a accordé {0} minutes supplémentaires.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="621"/>
        <source>Le surveillant a examiné votre signalement : la question est maintenue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="624"/>
        <source>Votre signalement a été validé : la question a été remplacée.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="626"/>
        <source>Votre signalement a été validé : la question signalée ne compte pas.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="672"/>
        <source>Vous avez quitté la fenêtre pendant cette question : votre réponse sera comptée comme fausse. Vous pouvez tout de même répondre.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="677"/>
        <source>Le temps de la question précédente est écoulé : elle compte comme une erreur. Voici la question suivante.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="775"/>
        <source>Plus qu&apos;une minute.</source>
        <translation>Plus qu&apos;une minute.</translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="777"/>
        <source>Plus que {0} minutes.</source>
        <translation>Plus que {0} minutes.</translation>
    </message>
    <message>
        <source>Votre score : {0} Pix {1}</source>
        <translation type="vanished">Votre score : {0} Pix {1}</translation>
    </message>
</context>
<context>
    <name>History</name>
    <message>
        <location filename="../../ui/invigilator.py" line="56"/>
        <source>Candidat installé</source>
        <translation>Candidat installé</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="57"/>
        <source>Début autorisé</source>
        <translation>Début autorisé</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="58"/>
        <source>Test commencé</source>
        <translation>Test commencé</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="59"/>
        <source>Question posée</source>
        <translation>Question posée</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="60"/>
        <source>Réponse enregistrée</source>
        <translation>Réponse enregistrée</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="61"/>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="62"/>
        <source>Reprise</source>
        <translation>Reprise</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="63"/>
        <source>Fenêtre quittée</source>
        <translation>Fenêtre quittée</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="64"/>
        <source>Verrouillage</source>
        <translation>Verrouillage</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="65"/>
        <source>Déverrouillage</source>
        <translation>Déverrouillage</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="66"/>
        <source>Question neutralisée</source>
        <translation>Question neutralisée</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="67"/>
        <source>Temps ajouté</source>
        <translation>Temps ajouté</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="68"/>
        <source>Question chronométrée commencée</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="69"/>
        <source>Incident signalé</source>
        <translation>Incident signalé</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="70"/>
        <source>Anomalie d&apos;horloge</source>
        <translation>Anomalie d&apos;horloge</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="71"/>
        <source>Redémarrage de l&apos;application</source>
        <translation>Redémarrage de l&apos;application</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="72"/>
        <source>Fin du test</source>
        <translation>Fin du test</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="73"/>
        <source>Problème signalé</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="74"/>
        <source>Signalement traité</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="77"/>
        <source>Signalement validé : question neutralisée</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="78"/>
        <source>Signalement refusé : question maintenue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="103"/>
        <source>Mode examen activé</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="104"/>
        <source>Mode examen désactivé</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="105"/>
        <source>Raccourci clavier bloqué</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="106"/>
        <source>Avertissement de sécurité</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="107"/>
        <source>Écrans modifiés</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="108"/>
        <source>Surveillance interrompue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="109"/>
        <source>Protections du poste modifiées</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="110"/>
        <source>Mot de passe surveillant refusé</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="113"/>
        <source>Nouveau passage autorisé par le surveillant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="135"/>
        <source>Événement de sécurité</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="146"/>
        <source>Temps ajouté : {0} min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="156"/>
        <source> (depuis la console)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Incidents</name>
    <message>
        <location filename="../../ui/invigilator.py" line="35"/>
        <source>Changement d&apos;informations du candidat (nom, date de naissance, temps)</source>
        <translation>Changement d&apos;informations du candidat (nom, date de naissance, temps)</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="37"/>
        <source>Problème de signature</source>
        <translation>Problème de signature</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="38"/>
        <source>Suspicion de fraude</source>
        <translation>Suspicion de fraude</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="39"/>
        <source>Incident technique non bloquant</source>
        <translation>Incident technique non bloquant</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="41"/>
        <source>Incident candidat non bloquant</source>
        <translation>Incident candidat non bloquant</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="43"/>
        <source>E1 — Problème sur le contenu de la question</source>
        <translation>E1 — Problème sur le contenu de la question</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="44"/>
        <source>E2 — Problème sur l&apos;illustration</source>
        <translation>E2 — Problème sur l&apos;illustration</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="45"/>
        <source>E3 — Problème sur la pièce jointe</source>
        <translation>E3 — Problème sur la pièce jointe</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="46"/>
        <source>E4 — Problème de lien</source>
        <translation>E4 — Problème de lien</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="47"/>
        <source>E5 — Problème de contenu intégré</source>
        <translation>E5 — Problème de contenu intégré</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="48"/>
        <source>E8 — Temps supplémentaire dépassé</source>
        <translation>E8 — Temps supplémentaire dépassé</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="49"/>
        <source>E9 — Page lente ou figée</source>
        <translation>E9 — Page lente ou figée</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="50"/>
        <source>E10 — Perte de focus involontaire</source>
        <translation>E10 — Perte de focus involontaire</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="51"/>
        <source>E11 — Page d&apos;erreur</source>
        <translation>E11 — Page d&apos;erreur</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="52"/>
        <source>E12 — Autre problème</source>
        <translation>E12 — Autre problème</translation>
    </message>
</context>
<context>
    <name>InstructionsView</name>
    <message>
        <location filename="../../ui/views.py" line="330"/>
        <source>Consignes</source>
        <translation>Consignes</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="336"/>
        <source>Passer une question compte comme une erreur.</source>
        <translation>Passer une question compte comme une erreur.</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="337"/>
        <source>Une réponse validée ne peut plus être modifiée.</source>
        <translation>Une réponse validée ne peut plus être modifiée.</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="339"/>
        <source>Certaines questions ont leur propre minuteur ; d&apos;autres demandent de rester sur cette fenêtre.</source>
        <translation>Certaines questions ont leur propre minuteur ; d&apos;autres demandent de rester sur cette fenêtre.</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="342"/>
        <source>En cas de problème, levez la main : le surveillant peut mettre le test en pause.</source>
        <translation>En cas de problème, levez la main : le surveillant peut mettre le test en pause.</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="346"/>
        <source>Commencer le test</source>
        <translation>Commencer le test</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="356"/>
        <source>Durée : {0} (temps supplémentaire de {1} % compris)</source>
        <translation>Durée : {0} (temps supplémentaire de {1} % compris)</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="360"/>
        <source>Durée : {0}</source>
        <translation>Durée : {0}</translation>
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
        <translation>Espace surveillant</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="203"/>
        <source>Mot de passe surveillant</source>
        <translation>Mot de passe surveillant</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="203"/>
        <source>Ouvrir l&apos;espace surveillant</source>
        <translation>Ouvrir l&apos;espace surveillant</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="237"/>
        <source>Autoriser le début / la reprise</source>
        <translation>Autoriser le début / la reprise</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="238"/>
        <source>Mettre en pause</source>
        <translation>Mettre en pause</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="239"/>
        <source>Déverrouiller (alerte levée)</source>
        <translation>Déverrouiller (alerte levée)</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="240"/>
        <source>Neutraliser la question en cours</source>
        <translation>Neutraliser la question en cours</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="241"/>
        <source>Terminer le test du candidat</source>
        <translation>Terminer le test du candidat</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="242"/>
        <source>Quitter l&apos;application</source>
        <translation>Quitter l&apos;application</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="243"/>
        <source>Candidat suivant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="245"/>
        <source>Ce test est terminé : installer le candidat suivant sur ce poste</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="253"/>
        <source>Signalements en attente</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="265"/>
        <source>Minutes à ajouter</source>
        <translation>Minutes à ajouter</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="266"/>
        <source>Ajouter du temps</source>
        <translation>Ajouter du temps</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="272"/>
        <source>Catégorie d&apos;incident</source>
        <translation>Catégorie d&apos;incident</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="276"/>
        <location filename="../../ui/invigilator.py" line="277"/>
        <source>Description de l&apos;incident</source>
        <translation>Description de l&apos;incident</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="278"/>
        <source>Signaler l&apos;incident</source>
        <translation>Signaler l&apos;incident</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="283"/>
        <source>Contraste élevé</source>
        <translation>Contraste élevé</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="286"/>
        <source>Historique (heure · événement)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Historique (temps d&apos;épreuve · événement)</source>
        <translation type="vanished">Historique (temps d&apos;épreuve · événement)</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="288"/>
        <source>Historique de l&apos;épreuve</source>
        <translation>Historique de l&apos;épreuve</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="290"/>
        <source>Fermer</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="333"/>
        <source>Synchronisation : {0}</source>
        <translation>Synchronisation : {0}</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="335"/>
        <source>Console de salle : {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="341"/>
        <source>Aucun candidat installé sur ce poste.</source>
        <translation>Aucun candidat installé sur ce poste.</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="344"/>
        <source>{0} — {1} — question {2} / {3}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="350"/>
        <source> — temps ajouté : {0} min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="354"/>
        <source>Temps restant : {0}</source>
        <translation type="unfinished">Temps restant : {0}</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="401"/>
        <source> (question en cours)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="403"/>
        <source> (question déjà répondue)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="409"/>
        <source>Valider</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="410"/>
        <source>Valider le signalement : {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="412"/>
        <source>La question est neutralisée et remplacée, le temps passé est rendu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="415"/>
        <source>Refuser</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="415"/>
        <source>Vu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="417"/>
        <source>Refuser le signalement : {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="418"/>
        <source>Alerte vue : {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="437"/>
        <location filename="../../ui/invigilator.py" line="440"/>
        <source>Valider le signalement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="438"/>
        <source>Valider le signalement « {0} » ? La question sera neutralisée et remplacée, et le temps passé dessus rendu au candidat.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="463"/>
        <location filename="../../ui/invigilator.py" line="467"/>
        <source>Neutraliser la question</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="464"/>
        <source>Neutraliser la question en cours ? Elle ne comptera pas et sera remplacée par une autre. À faire seulement si la question pose un problème constaté.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Épreuve {0} — état : {1} — question {2} / {3}</source>
        <translation type="vanished">Épreuve {0} — état : {1} — question {2} / {3}</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="450"/>
        <location filename="../../ui/invigilator.py" line="453"/>
        <source>Terminer le test</source>
        <translation>Terminer le test</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="451"/>
        <source>Terminer définitivement le test de ce candidat ? Il ne pourra pas le reprendre.</source>
        <translation>Terminer définitivement le test de ce candidat ? Il ne pourra pas le reprendre.</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="441"/>
        <location filename="../../ui/invigilator.py" line="454"/>
        <location filename="../../ui/invigilator.py" line="468"/>
        <source>Annuler</source>
        <translation>Annuler</translation>
    </message>
</context>
<context>
    <name>LockReasons</name>
    <message>
        <location filename="../../ui/invigilator.py" line="82"/>
        <source>la fenêtre d&apos;examen a perdu le focus</source>
        <translation>la fenêtre d&apos;examen a perdu le focus</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="83"/>
        <source>un écran a été branché ou débranché</source>
        <translation>un écran a été branché ou débranché</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="84"/>
        <source>un logiciel interdit est ouvert</source>
        <translation>un logiciel interdit est ouvert</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="85"/>
        <source>une session à distance est active</source>
        <translation>une session à distance est active</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="86"/>
        <source>verrouillage par le surveillant</source>
        <translation>verrouillage par le surveillant</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="87"/>
        <source>un écran a été branché</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="88"/>
        <source>un écran a été débranché</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="89"/>
        <source>la surveillance de l&apos;environnement sécurisé s&apos;est interrompue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="92"/>
        <source>la fenêtre d&apos;examen a été masquée</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="93"/>
        <source>les réponses ne peuvent plus être enregistrées</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <location filename="../../ui/views.py" line="734"/>
        <source>Écran verrouillé</source>
        <translation>Écran verrouillé</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="740"/>
        <source>Levez la main et attendez le surveillant. Le temps est arrêté et vos réponses sont enregistrées.</source>
        <translation>Levez la main et attendez le surveillant. Le temps est arrêté et vos réponses sont enregistrées.</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="746"/>
        <source>Mot de passe surveillant</source>
        <translation>Mot de passe surveillant</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="746"/>
        <source>Déverrouiller</source>
        <translation>Déverrouiller</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="755"/>
        <source>Motif : {0}</source>
        <translation>Motif : {0}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="81"/>
        <source>PixDesk — certification Pix</source>
        <translation>PixDesk — certification Pix</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="124"/>
        <source>Non synchronisé — hors ligne</source>
        <translation>Non synchronisé — hors ligne</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="133"/>
        <source>Réduire la taille du texte</source>
        <translation>Réduire la taille du texte</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="134"/>
        <source>Réduire la taille du texte (Ctrl+-)</source>
        <translation>Réduire la taille du texte (Ctrl+-)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="136"/>
        <source>Agrandir le texte</source>
        <translation>Agrandir le texte</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="137"/>
        <source>Agrandir le texte (Ctrl+=)</source>
        <translation>Agrandir le texte (Ctrl+=)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="138"/>
        <source>Surveillant</source>
        <translation>Surveillant</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="140"/>
        <source>Espace surveillant</source>
        <translation>Espace surveillant</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="147"/>
        <source>Avertissement de sécurité</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="171"/>
        <source>PixDesk — Question {0} / {1}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MissingProtections</name>
    <message>
        <location filename="../../ui/kiosk.py" line="172"/>
        <source>Protections absentes sur ce poste</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/kiosk.py" line="183"/>
        <source>Non assuré sur ce poste : {0}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OpeningView</name>
    <message>
        <location filename="../../ui/views.py" line="74"/>
        <source>PixDesk — ouverture de la session</source>
        <translation>PixDesk — ouverture de la session</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="76"/>
        <source>{0} · {1} · session du {2}</source>
        <translation>{0} · {1} · session du {2}</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="85"/>
        <source>Démonstration : code d&apos;accès {0}, mot de passe surveillant {1}.</source>
        <translation>Démonstration : code d&apos;accès {0}, mot de passe surveillant {1}.</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="91"/>
        <source>Candidats de la démonstration (nom, prénom, date de naissance) :</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="104"/>
        <location filename="../../ui/views.py" line="109"/>
        <source>Code d&apos;accès de la session</source>
        <translation>Code d&apos;accès de la session</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="105"/>
        <source>4 lettres puis 2 chiffres, par exemple BKQT47</source>
        <translation>4 lettres puis 2 chiffres, par exemple BKQT47</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="108"/>
        <location filename="../../ui/views.py" line="111"/>
        <source>Mot de passe surveillant</source>
        <translation>Mot de passe surveillant</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="120"/>
        <source>Ouvrir la session</source>
        <translation>Ouvrir la session</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="121"/>
        <location filename="../../ui/views.py" line="122"/>
        <source>Contraste élevé</source>
        <translation>Contraste élevé</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="150"/>
        <source>Nouvel essai possible dans {0} s.</source>
        <translation>Nouvel essai possible dans {0} s.</translation>
    </message>
</context>
<context>
    <name>PasswordField</name>
    <message>
        <location filename="../../ui/widgets.py" line="135"/>
        <source>Nouvel essai possible dans {0} s.</source>
        <translation>Nouvel essai possible dans {0} s.</translation>
    </message>
</context>
<context>
    <name>PauseView</name>
    <message>
        <location filename="../../ui/views.py" line="699"/>
        <source>Test en pause</source>
        <translation>Test en pause</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="703"/>
        <source>Le temps est arrêté. Le surveillant autorisera la reprise ; vos réponses sont enregistrées.</source>
        <translation>Le temps est arrêté. Le surveillant autorisera la reprise ; vos réponses sont enregistrées.</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="711"/>
        <source>Mot de passe surveillant</source>
        <translation>Mot de passe surveillant</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="711"/>
        <source>Autoriser la reprise</source>
        <translation>Autoriser la reprise</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="718"/>
        <source>Temps restant : {0}</source>
        <translation type="unfinished">Temps restant : {0}</translation>
    </message>
</context>
<context>
    <name>Phases</name>
    <message>
        <location filename="../../ui/invigilator.py" line="483"/>
        <source>nouvelle</source>
        <translation>nouvelle</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="484"/>
        <source>candidat installé</source>
        <translation>candidat installé</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="485"/>
        <source>début autorisé</source>
        <translation>début autorisé</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="486"/>
        <source>en cours</source>
        <translation>en cours</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="487"/>
        <source>en pause</source>
        <translation>en pause</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="488"/>
        <source>verrouillée</source>
        <translation>verrouillée</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="489"/>
        <source>terminée</source>
        <translation>terminée</translation>
    </message>
</context>
<context>
    <name>QuestionView</name>
    <message>
        <location filename="../../ui/views.py" line="441"/>
        <source>Avancement du test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="448"/>
        <source>Restez sur cette fenêtre : si vous la quittez pendant cette question, votre réponse sera comptée comme fausse.</source>
        <translation>Restez sur cette fenêtre : si vous la quittez pendant cette question, votre réponse sera comptée comme fausse.</translation>
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
        <translation>Je passe</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="471"/>
        <source>Passer cette question ; elle compte comme une erreur</source>
        <translation>Passer cette question ; elle compte comme une erreur</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="473"/>
        <source>Je valide</source>
        <translation>Je valide</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="474"/>
        <source>Valider ma réponse</source>
        <translation>Valider ma réponse</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="480"/>
        <location filename="../../ui/views.py" line="481"/>
        <source>Signaler un problème</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="483"/>
        <source>Prévenir le surveillant d&apos;un problème sur cette question</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="500"/>
        <source>Question {0} / {1}</source>
        <translation>Question {0} / {1}</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="573"/>
        <source>Temps restant : {0}</source>
        <translation>Temps restant : {0}</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="575"/>
        <source>Temps restant : environ {0} minutes</source>
        <translation>Temps restant : environ {0} minutes</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="580"/>
        <source>Question chronométrée : il vous reste {0} pour y répondre. À zéro, elle se termine et compte comme une erreur.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="602"/>
        <source>Signalement transmis au surveillant. Vous pouvez continuer à répondre à la question ou attendre sa décision.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Temps pour cette question : {0}</source>
        <translation type="vanished">Temps pour cette question : {0}</translation>
    </message>
</context>
<context>
    <name>ReportProblemDialog</name>
    <message>
        <location filename="../../ui/views.py" line="628"/>
        <source>Signaler un problème</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="633"/>
        <source>Quel problème rencontrez-vous avec cette question ? Le surveillant sera prévenu ; vous pourrez continuer à répondre en attendant sa décision.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="647"/>
        <source>Envoyer le signalement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="649"/>
        <location filename="../../ui/views.py" line="650"/>
        <source>Annuler</source>
        <translation type="unfinished">Annuler</translation>
    </message>
</context>
<context>
    <name>RoomConsole</name>
    <message>
        <location filename="../../ui/room_console.py" line="210"/>
        <source>Non arrivé</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="211"/>
        <source>Installé, attend l&apos;autorisation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="212"/>
        <source>Autorisé à commencer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="213"/>
        <source>En cours {0} / {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="214"/>
        <source>En pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="215"/>
        <source>Verrouillé : {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="216"/>
        <source>Terminé</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="217"/>
        <source>Terminé par le surveillant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="220"/>
        <source>problème d&apos;image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="221"/>
        <source>problème d&apos;application intégrée</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="222"/>
        <source>problème de lien</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="223"/>
        <source>autre problème</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="224"/>
        <source>poste : fenêtre d&apos;examen quittée</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="225"/>
        <source>poste : écran branché</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="226"/>
        <source>poste : écran débranché</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="227"/>
        <source>poste : logiciel interdit lancé</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="229"/>
        <source>poste : session à distance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="230"/>
        <source>poste : surveillance interrompue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="232"/>
        <source>poste : fenêtre d&apos;examen masquée</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="236"/>
        <source>Autoriser le début</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="237"/>
        <source>Autoriser la reprise</source>
        <translation type="unfinished">Autoriser la reprise</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="238"/>
        <source>Pause</source>
        <translation type="unfinished">Pause</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="239"/>
        <source>Reprise</source>
        <translation type="unfinished">Reprise</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="240"/>
        <source>Temps ajouté</source>
        <translation type="unfinished">Temps ajouté</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="241"/>
        <source>Neutralisation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="242"/>
        <source>Fin du test</source>
        <translation type="unfinished">Fin du test</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="243"/>
        <source>Incident</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="244"/>
        <source>Alerte validée</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="245"/>
        <source>Alerte refusée</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="249"/>
        <source>pas possible à ce stade du test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="250"/>
        <source>autre question à l&apos;écran</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="251"/>
        <source>horloges du poste et de la console décalées</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="253"/>
        <source>commande déjà reçue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="254"/>
        <source>signature refusée</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="255"/>
        <source>commande inconnue du poste</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="256"/>
        <source>le poste ne peut pas l&apos;enregistrer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="282"/>
        <source>non synchronisé</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="304"/>
        <source>tiers-temps {0} %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="307"/>
        <source>+{0} min ajoutées</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="317"/>
        <source>poste : {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="413"/>
        <source>Candidat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="414"/>
        <source>Poste</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="415"/>
        <source>Statut</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="416"/>
        <source>Temps restant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="417"/>
        <source>Alertes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="418"/>
        <source>Liaison</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RoomConsoleWindow</name>
    <message>
        <location filename="../../ui/room_console.py" line="442"/>
        <source>PixDesk — console de salle — session {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="447"/>
        <source>{0} — {1} — {2}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="450"/>
        <source>État de la salle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="453"/>
        <source>Candidats de la session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="464"/>
        <source>Résultat de la dernière commande</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="470"/>
        <location filename="../../ui/room_console.py" line="472"/>
        <source>Alertes ouvertes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="476"/>
        <source>Valider</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="476"/>
        <source>Valider l&apos;alerte sélectionnée : la question est neutralisée et remplacée</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="478"/>
        <location filename="../../ui/room_console.py" line="810"/>
        <source>Refuser</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="812"/>
        <source>Refuser l&apos;alerte sélectionnée : le candidat en est informé</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="511"/>
        <source>Console de salle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="513"/>
        <source>Réduire la taille du texte</source>
        <translation type="unfinished">Réduire la taille du texte</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="515"/>
        <source>Agrandir le texte</source>
        <translation type="unfinished">Agrandir le texte</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="516"/>
        <location filename="../../ui/room_console.py" line="517"/>
        <source>Contraste élevé</source>
        <translation type="unfinished">Contraste élevé</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="528"/>
        <source>Autoriser le début</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="529"/>
        <source>Autoriser tous les candidats installés</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="530"/>
        <source>Autoriser la reprise (verrouillage)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="531"/>
        <source>Mettre en pause</source>
        <translation type="unfinished">Mettre en pause</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="532"/>
        <source>Reprendre</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="533"/>
        <source>Tout mettre en pause (alarme)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="534"/>
        <source>Tout reprendre</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="535"/>
        <source>Neutraliser la question en cours</source>
        <translation type="unfinished">Neutraliser la question en cours</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="536"/>
        <source>Terminer le test…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="541"/>
        <source>Minutes à ajouter</source>
        <translation type="unfinished">Minutes à ajouter</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="542"/>
        <source>Ajouter du temps</source>
        <translation type="unfinished">Ajouter du temps</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="544"/>
        <source>Code de l&apos;incident</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="554"/>
        <location filename="../../ui/room_console.py" line="555"/>
        <source>Description de l&apos;incident</source>
        <translation type="unfinished">Description de l&apos;incident</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="556"/>
        <source>Consigner l&apos;incident</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="628"/>
        <source>⚠ liaison perdue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="629"/>
        <source>⚠ sans nouvelles depuis {0} s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="630"/>
        <source>connecté</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="666"/>
        <source>relais du serveur {0} : relié</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="670"/>
        <source>relais du serveur {0} : ne connaît pas cette session [{1}]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="668"/>
        <source>relais du serveur {0} : injoignable, nouvel essai automatique</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="653"/>
        <source>écoute sur le port {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="655"/>
        <source>{0} candidats — {1} postes ont répondu — {2} connectés — {3} alertes ouvertes — {4}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="672"/>
        <source>relais du serveur {0} : refuse la console, l&apos;horloge de cette machine est trop décalée de celle du serveur : réglez-la [{1}]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="675"/>
        <source>relais du serveur {0} : refuse la console, la clé de cette session n&apos;est pas celle que le serveur a émise (fichier de session d&apos;un autre serveur ?) [{1}]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="678"/>
        <source>relais du serveur {0} : refuse la console [{1}]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="703"/>
        <source>{0} ({1}) — {2}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="706"/>
        <source>question {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="723"/>
        <source>Nouvelle alerte : {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="746"/>
        <source>tous les postes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="755"/>
        <source>Sélectionnez d&apos;abord un ou plusieurs candidats dans la liste.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="768"/>
        <location filename="../../ui/room_console.py" line="771"/>
        <source>Neutraliser la question</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="769"/>
        <source>Neutraliser la question en cours des candidats sélectionnés ? Elle ne comptera pas et sera remplacée.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="771"/>
        <location filename="../../ui/room_console.py" line="786"/>
        <source>Annuler</source>
        <translation type="unfinished">Annuler</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="783"/>
        <location filename="../../ui/room_console.py" line="786"/>
        <source>Terminer le test</source>
        <translation type="unfinished">Terminer le test</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="784"/>
        <source>Terminer définitivement le test des candidats sélectionnés ? Ils ne pourront pas le reprendre.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="787"/>
        <location filename="../../ui/room_console.py" line="788"/>
        <source>Fraude constatée</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="810"/>
        <source>Vu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="811"/>
        <source>Alerte du poste vue : elle est fermée</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="821"/>
        <source>Sélectionnez d&apos;abord une alerte.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="865"/>
        <source>{0} appliquée(s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="867"/>
        <source>{0} refusée(s) ({1})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="870"/>
        <source>{0} en attente</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="872"/>
        <source>aucun poste concerné n&apos;est connecté : rien n&apos;a été envoyé</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="875"/>
        <source>rien envoyé à {0} (poste non connecté ou sans question en cours) : utilisez le panneau du poste</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RoomLink</name>
    <message>
        <location filename="../../ui/controller.py" line="528"/>
        <location filename="../../ui/room_link.py" line="232"/>
        <source>non configurée</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_link.py" line="233"/>
        <source>connectée</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_link.py" line="233"/>
        <source>non connectée</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Startup</name>
    <message>
        <location filename="../../app.py" line="265"/>
        <source>PixDesk ne peut pas démarrer l&apos;examen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app.py" line="268"/>
        <source>Appelez le service informatique.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app.py" line="270"/>
        <source>Pour savoir ce qui manque : « pixdesk doctor ».</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SyncStatus</name>
    <message>
        <location filename="../../ui/sync_worker.py" line="45"/>
        <source>En attente du serveur…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/sync_worker.py" line="46"/>
        <source>Synchronisé à {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/sync_worker.py" line="47"/>
        <source>Hors ligne — {0} épreuves en attente</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/sync_worker.py" line="48"/>
        <source>Hors ligne — 1 épreuve en attente</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/sync_worker.py" line="49"/>
        <source>Hors ligne — rien en attente</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/sync_worker.py" line="50"/>
        <source>Erreur : {0}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TimedNoticeView</name>
    <message>
        <location filename="../../ui/views.py" line="377"/>
        <source>Question chronométrée</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="380"/>
        <source>Commencer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="382"/>
        <source>Afficher la question chronométrée et lancer son minuteur</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="390"/>
        <source>Cette question est chronométrée : vous aurez {0} pour y répondre.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="404"/>
        <source>1 minute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="404"/>
        <source>{0} minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="405"/>
        <source>1 seconde</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="405"/>
        <source>{0} secondes</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UnlockDialog</name>
    <message>
        <location filename="../../ui/room_console.py" line="371"/>
        <source>Console de salle — session {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="376"/>
        <source>Mot de passe surveillant</source>
        <translation type="unfinished">Mot de passe surveillant</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="377"/>
        <source>Ouvrir la console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="378"/>
        <location filename="../../ui/room_console.py" line="379"/>
        <source>Annuler</source>
        <translation type="unfinished">Annuler</translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="381"/>
        <source>Console de salle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/room_console.py" line="382"/>
        <source>{0} — {1} — {2} — {3}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WaitingView</name>
    <message>
        <location filename="../../ui/views.py" line="300"/>
        <source>Mot de passe surveillant</source>
        <translation>Mot de passe surveillant</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="300"/>
        <source>Autoriser</source>
        <translation>Autoriser</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="308"/>
        <source>Bonjour {0}</source>
        <translation>Bonjour {0}</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="311"/>
        <source>Votre test a été interrompu. Appelez le surveillant : il doit autoriser la reprise. Le temps d&apos;interruption n&apos;est pas décompté.</source>
        <translation>Votre test a été interrompu. Appelez le surveillant : il doit autoriser la reprise. Le temps d&apos;interruption n&apos;est pas décompté.</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="316"/>
        <source>Vous êtes bien inscrit. Appelez le surveillant : il doit autoriser le début de votre test.</source>
        <translation>Vous êtes bien inscrit. Appelez le surveillant : il doit autoriser le début de votre test.</translation>
    </message>
</context>
</TS>
