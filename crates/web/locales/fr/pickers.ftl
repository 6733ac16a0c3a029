# Pickers instead of codes: dates in three fields, countries, languages, départements.
date-fields-day = Jour
date-fields-month = Mois
date-fields-year = Année
date-fields-hint = Par exemple : 27 3 1995. Laissez vide ce que vous ne savez pas ; sans le jour, seule l’année est enregistrée.
picker-filter = Rechercher dans la liste
referral-nationality-hint = Choisissez le pays dans la liste ; tapez les premières lettres pour y aller.
referral-languages-hint = Une ou plusieurs langues : maintenez Ctrl (ou Cmd) pour en choisir plusieurs.
referral-problem-country-code = Choisissez la nationalité dans la liste des pays.
referral-problem-birth-date-day = Indiquez un jour de naissance entre 1 et 31.
referral-problem-birth-date-month = Indiquez un mois de naissance entre 1 et 12.
referral-problem-birth-date-year = Indiquez l’année de naissance en quatre chiffres, par exemple 1995.
referral-problem-birth-date-year-missing = Indiquez l’année de naissance, même approximative, ou laissez le jour et le mois vides.
referral-problem-birth-date-month-missing = Indiquez le mois de naissance, ou laissez le jour vide.
referral-problem-birth-date-no-such-day = Ce jour n’existe pas dans ce mois : vérifiez le jour et le mois de naissance.
referral-problem-birth-date-future = La date de naissance ne peut pas être dans le futur.
