<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr" sourcelanguage="fr_FR">
<context>
    <name>AnswerForm</name>
    <message>
        <location filename="../../ui/answers.py" line="77"/>
        <source>Choix {0} sur {1}</source>
        <translation>Choix {0} sur {1}</translation>
    </message>
    <message>
        <location filename="../../ui/answers.py" line="91"/>
        <source>Votre réponse</source>
        <translation>Votre réponse</translation>
    </message>
    <message>
        <location filename="../../ui/answers.py" line="97"/>
        <source>Nombre, par exemple 12,5</source>
        <translation>Nombre, par exemple 12,5</translation>
    </message>
    <message>
        <location filename="../../ui/answers.py" line="99"/>
        <source>Réponse numérique : chiffres, virgule pour les décimales</source>
        <translation>Réponse numérique : chiffres, virgule pour les décimales</translation>
    </message>
    <message>
        <location filename="../../ui/answers.py" line="104"/>
        <source>Réponse libre</source>
        <translation>Réponse libre</translation>
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
        <location filename="../../ui/views.py" line="128"/>
        <source>Installation du candidat</source>
        <translation>Installation du candidat</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="130"/>
        <source>Saisissez vos nom, prénom et date de naissance.</source>
        <translation>Saisissez vos nom, prénom et date de naissance.</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="135"/>
        <location filename="../../ui/views.py" line="139"/>
        <source>Nom de famille</source>
        <translation>Nom de famille</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="137"/>
        <location filename="../../ui/views.py" line="140"/>
        <source>Prénom</source>
        <translation>Prénom</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="145"/>
        <location filename="../../ui/views.py" line="152"/>
        <source>Jour</source>
        <translation>Jour</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="146"/>
        <location filename="../../ui/views.py" line="153"/>
        <source>Mois</source>
        <translation>Mois</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="147"/>
        <location filename="../../ui/views.py" line="154"/>
        <source>Année</source>
        <translation>Année</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="160"/>
        <source>Date de naissance (jour, mois, année)</source>
        <translation>Date de naissance (jour, mois, année)</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="165"/>
        <source>Je confirme mon identité</source>
        <translation>Je confirme mon identité</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="176"/>
        <source>Date de naissance : {0}</source>
        <translation>Date de naissance : {0}</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="191"/>
        <source>Saisissez votre nom et votre prénom.</source>
        <translation>Saisissez votre nom et votre prénom.</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="194"/>
        <source>Date de naissance invalide : saisissez jour, mois et année.</source>
        <translation>Date de naissance invalide : saisissez jour, mois et année.</translation>
    </message>
</context>
<context>
    <name>EndReasons</name>
    <message>
        <location filename="../../ui/controller.py" line="53"/>
        <source>Vous avez répondu à toutes les questions.</source>
        <translation>Vous avez répondu à toutes les questions.</translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="54"/>
        <source>Le temps imparti est écoulé.</source>
        <translation>Le temps imparti est écoulé.</translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="55"/>
        <source>Le surveillant a mis fin au test.</source>
        <translation>Le surveillant a mis fin au test.</translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="56"/>
        <source>Vous avez mis fin au test.</source>
        <translation>Vous avez mis fin au test.</translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="57"/>
        <source>Le test s&apos;est arrêté pour une raison technique.</source>
        <translation>Le test s&apos;est arrêté pour une raison technique.</translation>
    </message>
</context>
<context>
    <name>EndView</name>
    <message>
        <location filename="../../ui/views.py" line="465"/>
        <source>Test terminé</source>
        <translation>Test terminé</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="469"/>
        <source>Vos réponses sont enregistrées. Le résultat sera vérifié puis communiqué par votre établissement. Vous pouvez quitter la salle lorsque le surveillant vous y invite.</source>
        <translation>Vos réponses sont enregistrées. Le résultat sera vérifié puis communiqué par votre établissement. Vous pouvez quitter la salle lorsque le surveillant vous y invite.</translation>
    </message>
</context>
<context>
    <name>ExamController</name>
    <message>
        <location filename="../../ui/controller.py" line="148"/>
        <source>Code d&apos;accès ou mot de passe surveillant incorrect. Vérifiez les deux.</source>
        <translation>Code d&apos;accès ou mot de passe surveillant incorrect. Vérifiez les deux.</translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="185"/>
        <location filename="../../ui/controller.py" line="335"/>
        <location filename="../../ui/controller.py" line="421"/>
        <source>Mot de passe surveillant incorrect.</source>
        <translation>Mot de passe surveillant incorrect.</translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="241"/>
        <source>Passer la question</source>
        <translation>Passer la question</translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="242"/>
        <source>Passer une question compte comme une erreur. Voulez-vous vraiment passer cette question ?</source>
        <translation>Passer une question compte comme une erreur. Voulez-vous vraiment passer cette question ?</translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="244"/>
        <source>Oui, passer la question</source>
        <translation>Oui, passer la question</translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="245"/>
        <source>Non, revenir à la question</source>
        <translation>Non, revenir à la question</translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="521"/>
        <source>Plus qu&apos;une minute.</source>
        <translation>Plus qu&apos;une minute.</translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="523"/>
        <source>Plus que {0} minutes.</source>
        <translation>Plus que {0} minutes.</translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="537"/>
        <source>Votre score : {0} Pix {1}</source>
        <translation>Votre score : {0} Pix {1}</translation>
    </message>
</context>
<context>
    <name>History</name>
    <message>
        <location filename="../../ui/invigilator.py" line="55"/>
        <source>Candidat installé</source>
        <translation>Candidat installé</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="56"/>
        <source>Début autorisé</source>
        <translation>Début autorisé</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="57"/>
        <source>Test commencé</source>
        <translation>Test commencé</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="58"/>
        <source>Question posée</source>
        <translation>Question posée</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="59"/>
        <source>Réponse enregistrée</source>
        <translation>Réponse enregistrée</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="60"/>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="61"/>
        <source>Reprise</source>
        <translation>Reprise</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="62"/>
        <source>Fenêtre quittée</source>
        <translation>Fenêtre quittée</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="63"/>
        <source>Verrouillage</source>
        <translation>Verrouillage</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="64"/>
        <source>Déverrouillage</source>
        <translation>Déverrouillage</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="65"/>
        <source>Question neutralisée</source>
        <translation>Question neutralisée</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="66"/>
        <source>Temps ajouté</source>
        <translation>Temps ajouté</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="67"/>
        <source>Incident signalé</source>
        <translation>Incident signalé</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="68"/>
        <source>Anomalie d&apos;horloge</source>
        <translation>Anomalie d&apos;horloge</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="69"/>
        <source>Redémarrage de l&apos;application</source>
        <translation>Redémarrage de l&apos;application</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="70"/>
        <source>Fin du test</source>
        <translation>Fin du test</translation>
    </message>
</context>
<context>
    <name>Incidents</name>
    <message>
        <location filename="../../ui/invigilator.py" line="34"/>
        <source>Changement d&apos;informations du candidat (nom, date de naissance, temps)</source>
        <translation>Changement d&apos;informations du candidat (nom, date de naissance, temps)</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="36"/>
        <source>Problème de signature</source>
        <translation>Problème de signature</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="37"/>
        <source>Suspicion de fraude</source>
        <translation>Suspicion de fraude</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="38"/>
        <source>Incident technique non bloquant</source>
        <translation>Incident technique non bloquant</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="40"/>
        <source>Incident candidat non bloquant</source>
        <translation>Incident candidat non bloquant</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="42"/>
        <source>E1 — Problème sur le contenu de la question</source>
        <translation>E1 — Problème sur le contenu de la question</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="43"/>
        <source>E2 — Problème sur l&apos;illustration</source>
        <translation>E2 — Problème sur l&apos;illustration</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="44"/>
        <source>E3 — Problème sur la pièce jointe</source>
        <translation>E3 — Problème sur la pièce jointe</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="45"/>
        <source>E4 — Problème de lien</source>
        <translation>E4 — Problème de lien</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="46"/>
        <source>E5 — Problème de contenu intégré</source>
        <translation>E5 — Problème de contenu intégré</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="47"/>
        <source>E8 — Temps supplémentaire dépassé</source>
        <translation>E8 — Temps supplémentaire dépassé</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="48"/>
        <source>E9 — Page lente ou figée</source>
        <translation>E9 — Page lente ou figée</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="49"/>
        <source>E10 — Perte de focus involontaire</source>
        <translation>E10 — Perte de focus involontaire</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="50"/>
        <source>E11 — Page d&apos;erreur</source>
        <translation>E11 — Page d&apos;erreur</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="51"/>
        <source>E12 — Autre problème</source>
        <translation>E12 — Autre problème</translation>
    </message>
</context>
<context>
    <name>InstructionsView</name>
    <message>
        <location filename="../../ui/views.py" line="240"/>
        <source>Consignes</source>
        <translation>Consignes</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="246"/>
        <source>Passer une question compte comme une erreur.</source>
        <translation>Passer une question compte comme une erreur.</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="247"/>
        <source>Une réponse validée ne peut plus être modifiée.</source>
        <translation>Une réponse validée ne peut plus être modifiée.</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="249"/>
        <source>Certaines questions ont leur propre minuteur ; d&apos;autres demandent de rester sur cette fenêtre.</source>
        <translation>Certaines questions ont leur propre minuteur ; d&apos;autres demandent de rester sur cette fenêtre.</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="252"/>
        <source>En cas de problème, levez la main : le surveillant peut mettre le test en pause.</source>
        <translation>En cas de problème, levez la main : le surveillant peut mettre le test en pause.</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="256"/>
        <source>Commencer le test</source>
        <translation>Commencer le test</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="263"/>
        <source>Durée : {0} (temps supplémentaire de {1} % compris)</source>
        <translation>Durée : {0} (temps supplémentaire de {1} % compris)</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="267"/>
        <source>Durée : {0}</source>
        <translation>Durée : {0}</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="269"/>
        <source>{0} questions</source>
        <translation>{0} questions</translation>
    </message>
</context>
<context>
    <name>InvigilatorPanel</name>
    <message>
        <location filename="../../ui/invigilator.py" line="109"/>
        <location filename="../../ui/invigilator.py" line="110"/>
        <location filename="../../ui/invigilator.py" line="119"/>
        <source>Espace surveillant</source>
        <translation>Espace surveillant</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="115"/>
        <source>Mot de passe surveillant</source>
        <translation>Mot de passe surveillant</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="115"/>
        <source>Ouvrir l&apos;espace surveillant</source>
        <translation>Ouvrir l&apos;espace surveillant</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="143"/>
        <source>Autoriser le début / la reprise</source>
        <translation>Autoriser le début / la reprise</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="144"/>
        <source>Mettre en pause</source>
        <translation>Mettre en pause</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="145"/>
        <source>Déverrouiller (alerte levée)</source>
        <translation>Déverrouiller (alerte levée)</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="146"/>
        <source>Neutraliser la question en cours</source>
        <translation>Neutraliser la question en cours</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="147"/>
        <source>Terminer le test du candidat</source>
        <translation>Terminer le test du candidat</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="148"/>
        <source>Quitter l&apos;application</source>
        <translation>Quitter l&apos;application</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="160"/>
        <source>Minutes à ajouter</source>
        <translation>Minutes à ajouter</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="161"/>
        <source>Ajouter du temps</source>
        <translation>Ajouter du temps</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="167"/>
        <source>Catégorie d&apos;incident</source>
        <translation>Catégorie d&apos;incident</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="171"/>
        <location filename="../../ui/invigilator.py" line="172"/>
        <source>Description de l&apos;incident</source>
        <translation>Description de l&apos;incident</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="173"/>
        <source>Signaler l&apos;incident</source>
        <translation>Signaler l&apos;incident</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="178"/>
        <source>Contraste élevé</source>
        <translation>Contraste élevé</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="181"/>
        <source>Historique (temps d&apos;épreuve · événement)</source>
        <translation>Historique (temps d&apos;épreuve · événement)</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="183"/>
        <source>Historique de l&apos;épreuve</source>
        <translation>Historique de l&apos;épreuve</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="185"/>
        <source>Fermer</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="214"/>
        <source>Synchronisation : {0}</source>
        <translation>Synchronisation : {0}</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="217"/>
        <source>Aucun candidat installé sur ce poste.</source>
        <translation>Aucun candidat installé sur ce poste.</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="220"/>
        <source>Épreuve {0} — état : {1} — question {2} / {3}</source>
        <translation>Épreuve {0} — état : {1} — question {2} / {3}</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="249"/>
        <location filename="../../ui/invigilator.py" line="252"/>
        <source>Terminer le test</source>
        <translation>Terminer le test</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="250"/>
        <source>Terminer définitivement le test de ce candidat ? Il ne pourra pas le reprendre.</source>
        <translation>Terminer définitivement le test de ce candidat ? Il ne pourra pas le reprendre.</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="253"/>
        <source>Annuler</source>
        <translation>Annuler</translation>
    </message>
</context>
<context>
    <name>LockReasons</name>
    <message>
        <location filename="../../ui/controller.py" line="37"/>
        <source>la fenêtre d&apos;examen a perdu le focus</source>
        <translation>la fenêtre d&apos;examen a perdu le focus</translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="38"/>
        <source>un écran a été branché ou débranché</source>
        <translation>un écran a été branché ou débranché</translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="39"/>
        <source>un logiciel interdit est ouvert</source>
        <translation>un logiciel interdit est ouvert</translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="40"/>
        <source>une session à distance est active</source>
        <translation>une session à distance est active</translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="41"/>
        <source>verrouillage par le surveillant</source>
        <translation>verrouillage par le surveillant</translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="42"/>
        <source>un écran a été branché</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="43"/>
        <source>un écran a été débranché</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="44"/>
        <source>la surveillance de l&apos;environnement sécurisé s&apos;est interrompue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="47"/>
        <source>la fenêtre d&apos;examen a été masquée</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/controller.py" line="48"/>
        <source>les réponses ne peuvent plus être enregistrées</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <location filename="../../ui/views.py" line="433"/>
        <source>Écran verrouillé</source>
        <translation>Écran verrouillé</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="439"/>
        <source>Levez la main et attendez le surveillant. Le temps est arrêté et vos réponses sont enregistrées.</source>
        <translation>Levez la main et attendez le surveillant. Le temps est arrêté et vos réponses sont enregistrées.</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="445"/>
        <source>Mot de passe surveillant</source>
        <translation>Mot de passe surveillant</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="445"/>
        <source>Déverrouiller</source>
        <translation>Déverrouiller</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="454"/>
        <source>Motif : {0}</source>
        <translation>Motif : {0}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="77"/>
        <source>PixDesk — certification Pix</source>
        <translation>PixDesk — certification Pix</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="119"/>
        <source>Non synchronisé — hors ligne</source>
        <translation>Non synchronisé — hors ligne</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="127"/>
        <source>Réduire la taille du texte</source>
        <translation>Réduire la taille du texte</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="128"/>
        <source>Réduire la taille du texte (Ctrl+-)</source>
        <translation>Réduire la taille du texte (Ctrl+-)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="130"/>
        <source>Agrandir le texte</source>
        <translation>Agrandir le texte</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="131"/>
        <source>Agrandir le texte (Ctrl+=)</source>
        <translation>Agrandir le texte (Ctrl+=)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="132"/>
        <source>Surveillant</source>
        <translation>Surveillant</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="134"/>
        <source>Espace surveillant</source>
        <translation>Espace surveillant</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="141"/>
        <source>Avertissement de sécurité</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="165"/>
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
        <location filename="../../ui/views.py" line="56"/>
        <source>PixDesk — ouverture de la session</source>
        <translation>PixDesk — ouverture de la session</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="58"/>
        <source>{0} · {1} · session du {2}</source>
        <translation>{0} · {1} · session du {2}</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="67"/>
        <source>Démonstration : code d&apos;accès {0}, mot de passe surveillant {1}.</source>
        <translation>Démonstration : code d&apos;accès {0}, mot de passe surveillant {1}.</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="76"/>
        <location filename="../../ui/views.py" line="81"/>
        <source>Code d&apos;accès de la session</source>
        <translation>Code d&apos;accès de la session</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="77"/>
        <source>4 lettres puis 2 chiffres, par exemple BKQT47</source>
        <translation>4 lettres puis 2 chiffres, par exemple BKQT47</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="80"/>
        <location filename="../../ui/views.py" line="83"/>
        <source>Mot de passe surveillant</source>
        <translation>Mot de passe surveillant</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="92"/>
        <source>Ouvrir la session</source>
        <translation>Ouvrir la session</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="93"/>
        <location filename="../../ui/views.py" line="94"/>
        <source>Contraste élevé</source>
        <translation>Contraste élevé</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="118"/>
        <source>Nouvel essai possible dans {0} s.</source>
        <translation>Nouvel essai possible dans {0} s.</translation>
    </message>
</context>
<context>
    <name>PasswordField</name>
    <message>
        <location filename="../../ui/widgets.py" line="124"/>
        <source>Nouvel essai possible dans {0} s.</source>
        <translation>Nouvel essai possible dans {0} s.</translation>
    </message>
</context>
<context>
    <name>PauseView</name>
    <message>
        <location filename="../../ui/views.py" line="406"/>
        <source>Test en pause</source>
        <translation>Test en pause</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="410"/>
        <source>Le temps est arrêté. Le surveillant autorisera la reprise ; vos réponses sont enregistrées.</source>
        <translation>Le temps est arrêté. Le surveillant autorisera la reprise ; vos réponses sont enregistrées.</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="416"/>
        <source>Mot de passe surveillant</source>
        <translation>Mot de passe surveillant</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="416"/>
        <source>Autoriser la reprise</source>
        <translation>Autoriser la reprise</translation>
    </message>
</context>
<context>
    <name>Phases</name>
    <message>
        <location filename="../../ui/invigilator.py" line="268"/>
        <source>nouvelle</source>
        <translation>nouvelle</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="269"/>
        <source>candidat installé</source>
        <translation>candidat installé</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="270"/>
        <source>début autorisé</source>
        <translation>début autorisé</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="271"/>
        <source>en cours</source>
        <translation>en cours</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="272"/>
        <source>en pause</source>
        <translation>en pause</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="273"/>
        <source>verrouillée</source>
        <translation>verrouillée</translation>
    </message>
    <message>
        <location filename="../../ui/invigilator.py" line="274"/>
        <source>terminée</source>
        <translation>terminée</translation>
    </message>
</context>
<context>
    <name>QuestionView</name>
    <message>
        <location filename="../../ui/views.py" line="290"/>
        <source>Restez sur cette fenêtre : si vous la quittez pendant cette question, votre réponse sera comptée comme fausse.</source>
        <translation>Restez sur cette fenêtre : si vous la quittez pendant cette question, votre réponse sera comptée comme fausse.</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="298"/>
        <source>Illustration</source>
        <translation>Illustration</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="309"/>
        <location filename="../../ui/views.py" line="310"/>
        <source>Je passe</source>
        <translation>Je passe</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="312"/>
        <source>Passer cette question ; elle compte comme une erreur</source>
        <translation>Passer cette question ; elle compte comme une erreur</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="314"/>
        <source>Je valide</source>
        <translation>Je valide</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="315"/>
        <source>Valider ma réponse</source>
        <translation>Valider ma réponse</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="328"/>
        <source>Question {0} / {1}</source>
        <translation>Question {0} / {1}</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="353"/>
        <source>Temps restant : {0}</source>
        <translation>Temps restant : {0}</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="355"/>
        <source>Temps restant : environ {0} minutes</source>
        <translation>Temps restant : environ {0} minutes</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="359"/>
        <source>Temps pour cette question : {0}</source>
        <translation>Temps pour cette question : {0}</translation>
    </message>
</context>
<context>
    <name>Startup</name>
    <message>
        <location filename="../../app.py" line="163"/>
        <source>PixDesk ne peut pas démarrer l&apos;examen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app.py" line="166"/>
        <source>Appelez le service informatique.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app.py" line="168"/>
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
    <name>WaitingView</name>
    <message>
        <location filename="../../ui/views.py" line="210"/>
        <source>Mot de passe surveillant</source>
        <translation>Mot de passe surveillant</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="210"/>
        <source>Autoriser</source>
        <translation>Autoriser</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="218"/>
        <source>Bonjour {0}</source>
        <translation>Bonjour {0}</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="221"/>
        <source>Votre test a été interrompu. Appelez le surveillant : il doit autoriser la reprise. Le temps d&apos;interruption n&apos;est pas décompté.</source>
        <translation>Votre test a été interrompu. Appelez le surveillant : il doit autoriser la reprise. Le temps d&apos;interruption n&apos;est pas décompté.</translation>
    </message>
    <message>
        <location filename="../../ui/views.py" line="226"/>
        <source>Vous êtes bien inscrit. Appelez le surveillant : il doit autoriser le début de votre test.</source>
        <translation>Vous êtes bien inscrit. Appelez le surveillant : il doit autoriser le début de votre test.</translation>
    </message>
</context>
</TS>
