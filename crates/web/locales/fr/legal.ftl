## The footer's legal pages (crates/web/src/site/legal.rs). Each text line is a paragraph.

footer-accessibility = Accessibilité : non conforme
footer-legal-notice = Mentions légales
footer-personal-data = Données personnelles
footer-cookies = Gestion des cookies
footer-links-label = Informations légales

legal-accessibility-title = Déclaration d'accessibilité
legal-accessibility-1-heading = Notre engagement
legal-accessibility-1-text = { $publisher } s'engage à rendre ses services numériques accessibles, conformément à l'article 47 de la loi n° 2005-102 du 11 février 2005.
    Cette déclaration d'accessibilité s'applique au service Relais.
legal-accessibility-2-heading = État de conformité
legal-accessibility-2-text = Relais est non conforme avec le référentiel général d'amélioration de l'accessibilité (RGAA) : aucun audit de conformité n'a encore été réalisé, et le RGAA demande de déclarer un service non audité comme non conforme.
legal-accessibility-3-heading = Ce qui est déjà vérifié
legal-accessibility-3-text = Chaque page est contrôlée automatiquement par l'outil axe-core, dans un navigateur réel, à chaque modification du logiciel ; une page qui présente une erreur empêche la publication de la modification.
    La navigation au clavier, l'ordre de lecture, le résumé des erreurs des formulaires et le passage du focus sont vérifiés sur les parcours principaux. Les pages s'affichent sur un téléphone de 390 pixels de large.
legal-accessibility-4-heading = Retour d'information et contact
legal-accessibility-4-text = Si vous n'arrivez pas à accéder à un contenu ou à un service, écrivez à { $contact } : nous vous indiquerons une autre façon d'y accéder ou vous transmettrons le contenu sous une autre forme.
legal-accessibility-5-heading = Voies de recours
legal-accessibility-5-text = Si vous nous avez signalé un défaut d'accessibilité qui vous empêche d'accéder à un contenu ou à une fonctionnalité et que vous n'avez pas obtenu de réponse satisfaisante, vous pouvez saisir le Défenseur des droits :
    par le formulaire en ligne sur defenseurdesdroits.fr ;
    par téléphone au 09 69 39 00 00 ;
    par courrier gratuit, sans affranchissement : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07.

legal-notice-title = Mentions légales
legal-notice-1-heading = Éditeur
legal-notice-1-text = Ce service est édité par { $publisher }.
    Contact : { $contact }.
legal-notice-2-heading = Hébergement
legal-notice-2-text = Ce service est hébergé par { $hosting }.
legal-notice-3-heading = Logiciel
legal-notice-3-text = Relais est un logiciel libre publié sous la licence publique de l'Union européenne (EUPL 1.2). Son code source est public.
legal-notice-4-heading = Accès réservé
legal-notice-4-text = L'espace professionnel est réservé aux personnes habilitées par leur organisation. Toute consultation et toute modification d'un dossier y sont enregistrées au nom de la personne connectée.

legal-data-title = Données personnelles
legal-data-1-heading = Responsable du traitement
legal-data-1-text = { $publisher } est responsable du traitement des données enregistrées dans Relais. Pour toute question : { $contact }.
legal-data-2-heading = Pourquoi ces données sont traitées
legal-data-2-text = Relais sert à orienter les victimes présumées de la traite des êtres humains vers l'autorité compétente, à les identifier, à les protéger et à les accompagner (hébergement, droit au séjour, soins), et à suivre le plan national d'action. Ce traitement relève d'une mission d'intérêt public.
    Les statistiques publiées sont agrégées et ne permettent de reconnaître personne.
legal-data-3-heading = Durée de conservation
legal-data-3-text = Les données ne sont conservées que le temps nécessaire, puis effacées automatiquement :
legal-data-4-heading = Qui peut les consulter
legal-data-4-text = Seules les personnes dont le rôle l'exige y ont accès, dans la limite de leur organisation et de leur territoire. Chaque consultation et chaque modification est enregistrée dans un journal d'audit.
    Les données les plus sensibles (identité, adresse, lieu d'hébergement) sont chiffrées. Aucune donnée n'est vendue ni utilisée à des fins commerciales.
legal-data-5-heading = Vos droits
legal-data-5-text = Vous pouvez demander l'accès à vos données, leur rectification, leur effacement ou la limitation de leur traitement, et vous opposer à leur traitement, en écrivant à { $contact }. Une demande n'est jamais une condition de votre protection.
legal-data-6-heading = Réclamation
legal-data-6-text = Si vous estimez que vos droits ne sont pas respectés, vous pouvez adresser une réclamation à la Commission nationale de l'informatique et des libertés (CNIL), sur cnil.fr.

legal-cookies-title = Gestion des cookies
legal-cookies-1-heading = Seulement ce qui est nécessaire
legal-cookies-1-text = Relais ne dépose aucun cookie de mesure d'audience, de publicité ou de réseau social, et aucun cookie d'un autre site. Les deux cookies ci-dessous sont strictement nécessaires au service : ils ne demandent pas votre consentement.
legal-cookies-2-heading = Le cookie de session
legal-cookies-2-text = Il vous garde connecté après la saisie de votre mot de passe. Il est effacé quand vous vous déconnectez et cesse de valoir après une période d'inactivité.
legal-cookies-3-heading = Le cookie de langue
legal-cookies-3-text = Il retient la langue que vous avez choisie pour les pages.
