# What an organisation sees of a case it is only shared with (issue 11, ADR 0009).
case-access-shared-for = Dossier partagé avec votre organisation pour : { $purposes }. Vous n’en voyez que ce que cette finalité exige.
case-access-read-only = Consultation seule : la finalité du partage ne permet pas de modifier ces informations.
onward-placement-withheld-title = Mise à l’abri éloignée
onward-placement-withheld-hint = Le lieu d’une mise à l’abri éloignée n’est communiqué qu’à l’autorité d’identification, à l’organisation qui suit la personne et au réseau qui l’accueille.
onward-placement-progress-in-progress = Mise à l’abri éloignée en cours
onward-placement-progress-done = Mise à l’abri éloignée terminée
onward-placement-progress-not-pursued = Mise à l’abri éloignée sans suite
