# Formulaires publics, envois de fichiers et erreurs passagères (issue 11).
error-upload-too-large-title = Fichier trop volumineux
error-upload-too-large-message = Le fichier envoyé dépasse { $max } Mo, la taille maximale. Revenez en arrière et choisissez un fichier plus petit (ou compressez-le) : le reste du formulaire est conservé par votre navigateur.
error-busy-title = Service momentanément occupé
error-busy-message = Le service est très sollicité et n’a pas pu enregistrer votre demande. Rien n’a été enregistré : revenez en arrière et envoyez-la de nouveau dans quelques instants.
signalement-not-saved = Votre signalement n’a pas pu être enregistré : le service est momentanément indisponible. Ce que vous avez écrit est conservé ci-dessous ; envoyez-le de nouveau dans quelques instants. En cas de danger immédiat, appelez le 17 ou le 112.
signalement-already-sent = Ce signalement a bien été envoyé, une seule fois : l’envoyer de nouveau ne crée pas de second signalement.
signalement-already-sent-note = Le code de suivi et la phrase secrète ne s’affichent qu’une fois, juste après l’envoi, et ne peuvent pas être affichés de nouveau. Si la situation évolue et que vous ne les avez plus, vous pouvez faire un nouveau signalement. En cas de danger immédiat, appelez le 17 ou le 112.
