# Campagnes de remontée du plan national (coordination, correspondants ministériels)
nav-asked = Mesures à renseigner

rounds-title = Campagnes de remontée
rounds-lead = Avant une réunion du comité de coordination, la coordination demande au correspondant de chaque organisme pilote de mettre à jour le statut, les indicateurs et les dépenses de ses mesures, puis valide ou renvoie chaque mise à jour.
rounds-empty = Aucune campagne n’a encore été ouverte pour ce plan.
rounds-opened-due = ouverte le { $opened }, réponses attendues le { $due }
round-open-badge = En cours
round-closed-badge = Clôturée
rounds-open-title = Ouvrir une campagne
rounds-open-lead = Chaque mesure qui a un pilote est demandée à son organisme ; ses correspondants reçoivent un courriel.
round-field-title = Intitulé de la campagne
round-title-hint = Par exemple : Bilan avant le comité du 15 mars
round-field-due = Réponses attendues le
round-due-hint = Une date après aujourd’hui
rounds-open-submit = Ouvrir la campagne et prévenir les correspondants
round-error-title = Donnez un intitulé à la campagne.
round-error-due = Indiquez la date à laquelle les réponses sont attendues.
round-error-due-past = La date des réponses doit être postérieure à aujourd’hui.
round-error-already-open = Une campagne est déjà en cours pour ce plan : clôturez-la avant d’en ouvrir une autre.

round-lead = Réponses attendues le { $due } : { $answered } % des { $total } mesures demandées ont reçu une mise à jour.
round-is-closed = Cette campagne est clôturée : plus rien ne peut y être envoyé ni validé.
round-is-late = La date des réponses est dépassée : les organismes en retard reçoivent un rappel tous les trois jours.
round-bodies = Avancement par organisme
round-chart-title = Mises à jour envoyées par organisme pilote
round-bodies-caption = Mises à jour par organisme pilote et par état
round-body = Organisme pilote
round-answered = Réponses
round-last-message = Dernière demande ou relance
round-reminders = { $count ->
    [one] 1 relance
   *[other] { $count } relances
}
round-body-unlinked = Aucun correspondant dans Relais
round-body-done = Tout est validé
round-updates = Mises à jour des mesures
round-updates-caption = Mesures demandées dans cette campagne
round-state = État
round-state-requested = Demandée
round-state-submitted = À valider
round-state-validated = Validée
round-state-returned = Renvoyée pour correction
round-close-lead = Clôturer la campagne : les mises à jour non validées restent telles quelles.
round-close = Clôturer la campagne

asked-title = Mesures à renseigner
asked-lead = Les mesures que pilote votre organisme et sur lesquelles la coordination attend une mise à jour.
asked-empty = Aucune campagne en cours ne vous demande de mise à jour.
asked-caption = Mesures demandées à votre organisme
asked-round = Campagne
asked-late = En retard

round-update-lead = Campagne « { $round } » — organisme pilote : { $body }.
round-returned-title = La coordination vous a renvoyé cette mise à jour
round-measure-link = La mesure et son historique
round-field-status = Statut de la mesure
round-field-evidence = Justificatif du statut
round-evidence-hint = Ce qui montre où en est la mesure : texte publié, circulaire, nombre de personnes formées…
round-field-indicator = Valeur de l’indicateur
round-field-indicator-value = Dernière valeur de l’indicateur de suivi
round-indicator-hint = Dans l’unité de l’indicateur, par exemple 1 250
round-field-indicator-date = Date de cette valeur
round-indicator-on = { $value } au { $date }
round-field-spent = Dépenses de l’année { $year } à ce jour
round-submitted-at = Envoyée le
round-decided-at = Décision de la coordination le
round-report-title = Votre mise à jour
round-report-submit = Envoyer la mise à jour à la coordination
round-decide-title = Décision de la coordination
round-decision = Que faites-vous de cette mise à jour ?
round-decision-validate = La valider
round-decision-validate-hint = Le statut déclaré devient celui de la mesure ; la valeur de l’indicateur et les dépenses entrent dans le plan annuel. Les historiques gardent votre validation.
round-decision-return = La renvoyer pour correction
round-field-comment = Commentaire pour le correspondant
round-comment-hint = Obligatoire pour un renvoi : ce qu’il faut corriger ou compléter.
round-decide-submit = Enregistrer la décision
round-error-status = Choisissez le statut de la mesure.
round-error-evidence = Indiquez ce qui justifie ce statut.
round-error-date = Indiquez une date valide, par exemple 15/03/2026.
round-error-date-missing = Indiquez la date de cette valeur.
round-error-comment = Expliquez au correspondant ce qu’il faut corriger.
round-error-decision = Choisissez de valider ou de renvoyer la mise à jour.
round-error-not-awaited = Cette mise à jour a changé entre-temps ou la campagne est clôturée : rechargez la page.

round-mail-subject = Relais — mise à jour demandée : { $title }
round-mail-body = La coordination nationale vous demande de mettre à jour les mesures du plan d’action que pilote votre organisme (campagne « { $title } »), avant le { $due }.
round-reminder-subject = Relais — rappel : { $title }
round-reminder-body = Des mesures que pilote votre organisme attendent encore votre mise à jour (campagne « { $title } », réponses attendues le { $due }).
round-mail-link = Les mesures à renseigner : { $url }

bodies-title = Organismes du plan
bodies-lead = Reliez chaque organisme nommé par les plans à l’organisation Relais de ses correspondants : ils pourront alors renseigner ses mesures lors des campagnes de remontée.
bodies-caption = Organismes des plans et organisation Relais correspondante
bodies-body = Organisme
bodies-organisation = Organisation dans Relais
bodies-organisation-of = Organisation Relais de { $body }
bodies-none = Aucune
bodies-save = Enregistrer
rounds-link = Campagnes de remontée
bodies-link = Organismes et correspondants

notice-plan-body-linked = Le lien entre l’organisme et l’organisation a été enregistré.
notice-round-opened = La campagne est ouverte ; les correspondants des organismes pilotes ont été prévenus par courriel.
notice-round-closed = La campagne est clôturée.
notice-round-update-sent = Votre mise à jour a été envoyée à la coordination.
notice-round-update-validated = La mise à jour est validée ; le statut de la mesure et son plan annuel sont à jour.
notice-round-update-returned = La mise à jour a été renvoyée au correspondant avec votre commentaire.

round-field-year = Année du plan annuel concernée
round-year-hint = Les valeurs d’indicateur et les dépenses validées entreront dans le plan annuel de cette année.
round-year-default = L’année de la date des réponses
round-error-year = Choisissez l’une des années du plan.
round-year-of = plan annuel { $year }
round-year-lead = Cette campagne porte sur le plan annuel { $year }.
round-annual-plan-link = Voir le plan annuel { $year }
round-annual-link = La mesure dans le plan annuel { $year }
round-indicator-legend = Indicateur de suivi du plan annuel { $year }
round-indicator-legend-hint = Facultatif : la dernière valeur atteinte par l’un des indicateurs de la mesure, et sa date.
round-field-indicator-choice = Indicateur
round-indicator-none-chosen = Choisir un indicateur
round-no-indicator = Le plan annuel { $year } ne prévoit encore aucun indicateur pour cette mesure : la coordination doit en ajouter un pour que vous puissiez en donner la valeur.
round-error-indicator = Choisissez l’indicateur dont vous donnez la valeur.
round-error-value-missing = Indiquez la valeur atteinte à cette date, ou effacez la date.
round-error-future-date = La date ne peut pas être dans le futur.
