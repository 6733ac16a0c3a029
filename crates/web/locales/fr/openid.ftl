# Connexion par un fournisseur d’identité (ProConnect)
oidc-sign-in-with = S’identifier avec
oidc-or = ou
oidc-refused = La connexion par le fournisseur d’identité a été refusée.
oidc-refused-unknown-state = Cette tentative de connexion a expiré ou a déjà servi : recommencez depuis cette page.
oidc-refused-provider-error = Le fournisseur d’identité n’a pas authentifié la personne.
oidc-refused-unreachable = Le fournisseur d’identité ne répond pas : réessayez dans quelques minutes.
oidc-refused-code-refused = Le fournisseur d’identité a refusé de confirmer la connexion.
oidc-refused-wrong-issuer = Le jeton d’identité ne vient pas du fournisseur attendu.
oidc-refused-wrong-audience = Le jeton d’identité n’était pas destiné à Relais.
oidc-refused-expired = Le jeton d’identité a expiré.
oidc-refused-bad-signature = La signature du jeton d’identité n’est pas valide.
oidc-refused-unknown-key = Le jeton d’identité est signé par une clé inconnue du fournisseur.
oidc-refused-nonce-mismatch = Le jeton d’identité appartient à une autre tentative de connexion.
oidc-refused-missing-claims = Le fournisseur d’identité n’a pas transmis l’adresse électronique.
oidc-refused-other-subject = Les informations transmises par le fournisseur d’identité concernent une autre personne que le jeton d’identité.
oidc-refused-invalid-token = Le jeton d’identité n’est pas valide.
oidc-refused-account-inactive = Ce compte est désactivé : adressez-vous à l’administrateur de votre organisation.
oidc-requested-title = Votre demande a été transmise
oidc-requested-lead = Votre demande d’accès à Relais a été transmise à l’administrateur de votre organisation.
oidc-requested-next = Vous pourrez vous connecter dès qu’il l’aura acceptée. Aucun compte n’est créé sans son accord.
oidc-requested-back = Revenir à la page de connexion
login-password-off = Votre organisation n’autorise plus la connexion par mot de passe : identifiez-vous avec ProConnect.

# Demandes d’accès (administration)
access-requests-title = Demandes d’accès
access-requests-lead = Des agents authentifiés par un fournisseur d’identité demandent à utiliser Relais. Rien n’est créé sans votre décision.
access-requests-empty = Aucune demande en attente.
access-requests-caption = Demandes en attente
access-requests-name = Nom
access-requests-email = Adresse électronique
access-requests-organisation = Organisation
access-requests-no-organisation = Aucune organisation n’a ce SIRET
access-requests-siret = SIRET
access-requests-date = Reçue
access-requests-decision = Décision
access-requests-role = Rôle du nouveau compte
access-requests-create = Accepter et créer le compte
access-requests-link = Accepter et lier au compte existant
access-requests-refuse = Refuser
notice-access-request-approved = La demande d’accès a été acceptée.
notice-access-request-refused = La demande d’accès a été refusée.

# Modes de connexion d’une organisation
organisation-sign-in-legend = Modes de connexion
organisation-siret = SIRET de l’organisation
organisation-siret-hint = 14 chiffres ; il permet de reconnaître les agents transmis par ProConnect.
organisation-siret-invalid = Le SIRET doit comporter 14 chiffres.
organisation-password-sign-in = Autoriser la connexion par mot de passe
organisation-password-sign-in-hint = Décochée, seuls les fournisseurs d’identité (ProConnect) permettent de se connecter.
organisation-sign-in-save = Enregistrer les modes de connexion
nav-access-requests = Demandes d’accès
organisation-sign-in-title = Modes de connexion
