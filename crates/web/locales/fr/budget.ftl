## The budget of a national action plan (issue 13, part 3)

plan-budget-link = Budget du plan
budget-title = Budget
budget-heading = Budget { $year }
budget-back = Retour au budget
budget-field-year = Année
budget-show-year = Afficher l’année
budget-add-line = Ajouter une ligne budgétaire
budget-edit-line = Modifier la ligne budgétaire
budget-add-grant = Ajouter une subvention
budget-export-lines = Télécharger les lignes (CSV)
budget-export-grants = Télécharger les subventions (CSV)

budget-lines = Lignes budgétaires par programme et action
budget-no-lines = Aucune ligne budgétaire pour { $year }.
budget-programme = Programme { $code }
budget-programme-titled = Programme { $code } — { $label }
budget-measure-titled = Mesure { $number } — { $title }
budget-measure-amount = Mesure { $number } : { $amount }
budget-measures-funded = Mesures financées
budget-no-measure = Aucune mesure indiquée

budget-field-programme = Programme
budget-programme-hint = Trois chiffres, par exemple 137 (Égalité entre les femmes et les hommes).
budget-field-programme_label = Intitulé du programme
budget-field-action = Action
budget-action-hint = Deux chiffres, par exemple 15.
budget-field-action_label = Intitulé de l’action
budget-field-nature = Nature des crédits
budget-nature-operating = Fonctionnement (titre 3)
budget-nature-intervention = Intervention (titre 6)
budget-field-ae_planned = AE prévues
budget-field-ae_committed = AE engagées
budget-field-cp_planned = CP prévus
budget-field-cp_paid = CP payés
budget-amount-hint = En euros, par exemple 12 500,50. Vide : 0.
budget-save-line = Enregistrer la ligne

budget-line-measures = Mesures financées par cette ligne
budget-line-measures-legend = Montant des AE prévues affecté à chaque mesure
budget-line-measures-hint = En euros ; laissez vide une mesure que la ligne ne finance pas. Ensemble, les montants ne dépassent pas les AE prévues de la ligne.
budget-save-measures = Enregistrer les mesures financées

budget-execution = Taux d’exécution
budget-execution-lead = AE engagées sur AE prévues et CP payés sur CP prévus. Sans montant prévu, il n’y a pas de taux. La part d’une mesure dans une ligne est celle des AE prévues qui lui sont affectées.
budget-overall = Ensemble du plan
budget-by-programme = Par programme
budget-by-measure = Par mesure
budget-no-measure-funded = Aucune ligne de cette année n’indique les mesures qu’elle finance.
budget-ae = Autorisations d’engagement (AE)
budget-cp = Crédits de paiement (CP)
budget-planned = Prévu
budget-done = Engagé ou payé
budget-rate = Taux d’exécution
budget-no-rate = Pas de taux : rien de prévu
budget-chart-overall = Taux d’exécution du plan en { $year }
budget-chart-programmes-ae = Taux d’engagement des AE par programme
budget-chart-programmes-cp = Taux de paiement des CP par programme
budget-chart-measures-ae = Taux d’engagement des AE par mesure
budget-chart-measures-cp = Taux de paiement des CP par mesure

budget-coverage = Coût prévu et financement des mesures
budget-coverage-lead = Pour l’année choisie : le coût de chaque mesure selon le plan annuel face aux AE prévues de l’année qui lui sont affectées et aux subventions de l’année versées hors ligne budgétaire, avec ce qui a été dépensé selon les campagnes de remontée validées.
budget-coverage-caption = Coût prévu et montant financé par mesure
budget-planned-cost = Coût prévu pour { $year }
budget-funded = Financé
budget-gap = Écart
budget-total = Total
budget-no-cost = Coût non indiqué dans le plan annuel
budget-spent = Dépensé (campagnes validées)
budget-gap-short = Manque { $amount }
budget-gap-over = Dépasse de { $amount }
budget-gap-covered = Couvert
budget-gap-no-cost = Pas de coût à comparer
budget-shortfall = Les mesures sous-financées manquent ensemble de { $amount }.
budget-without-cost = { $count } mesures n’ont pas de coût prévu pour cette année dans le plan annuel.

budget-grants = Subventions aux associations
budget-grants-caption = Subventions { $year }
budget-no-grants = Aucune subvention pour { $year }.
budget-grant-lead = Une subvention va à une association ou un autre organisme, jamais à une personne.
budget-field-beneficiary = Bénéficiaire
budget-beneficiary-hint = Le nom de l’association ou de l’organisme.
budget-field-amount = Montant
budget-field-line = Ligne budgétaire
budget-line-hint = Facultatif : la ligne qui la paie.
budget-grant-no-line = Hors ligne budgétaire
budget-choose-measure = Choisissez une mesure
budget-save-grant = Enregistrer la subvention

budget-problem-year = Choisissez une année du plan.
budget-problem-programme = Indiquez le programme en trois chiffres, par exemple 137.
budget-problem-action = Indiquez l’action en deux chiffres, par exemple 15.
budget-problem-label-required = Indiquez un intitulé.
budget-problem-too-long = Ce texte est trop long (200 caractères au plus).
budget-problem-nature = Choisissez la nature des crédits : fonctionnement ou intervention.
budget-problem-amount = Indiquez un montant en euros, par exemple 12 500,50.
budget-problem-amount-positive = Indiquez un montant en euros supérieur à zéro, par exemple 12 500,50.
budget-problem-measure = Choisissez une mesure du plan.
budget-problem-line = Choisissez une ligne budgétaire du plan.
budget-problem-assigned-over = Les montants affectés aux mesures dépassent les AE prévues de la ligne.
budget-problem-measure-amount = { $measure } : indiquez un montant en euros, par exemple 12 500,50.

notice-budget-line-created = La ligne budgétaire est enregistrée. Indiquez maintenant les mesures qu’elle finance.
notice-budget-line-saved = La ligne budgétaire est modifiée.
notice-budget-measures-linked = Les mesures financées par la ligne sont enregistrées.
notice-budget-grant-added = La subvention est enregistrée.
