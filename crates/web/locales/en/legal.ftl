## The footer's legal pages (crates/web/src/site/legal.rs). Each text line is a paragraph.

footer-accessibility = Accessibility: not compliant
footer-legal-notice = Legal notice
footer-personal-data = Personal data
footer-cookies = Cookies
footer-links-label = Legal information

legal-accessibility-title = Accessibility statement
legal-accessibility-1-heading = Our commitment
legal-accessibility-1-text = { $publisher } is committed to making its digital services accessible, in accordance with article 47 of French law no. 2005-102 of 11 February 2005.
    This accessibility statement applies to the Relais service.
legal-accessibility-2-heading = Compliance status
legal-accessibility-2-text = Relais is not compliant with the French accessibility framework (RGAA): no compliance audit has been carried out yet, and the RGAA requires a service that has not been audited to be declared not compliant.
legal-accessibility-3-heading = What is already checked
legal-accessibility-3-text = Every page is checked automatically with axe-core, in a real browser, on every change to the software; a page with an error blocks the change.
    Keyboard navigation, reading order, the forms' error summary and focus handling are checked on the main journeys. Pages display on a phone 390 pixels wide.
legal-accessibility-4-heading = Feedback and contact
legal-accessibility-4-text = If you cannot reach some content or a service, write to { $contact }: we will tell you another way to reach it or send you the content in another form.
legal-accessibility-5-heading = Enforcement
legal-accessibility-5-text = If you reported an accessibility problem that prevents you from reaching content or a feature and did not get a satisfactory answer, you can refer the matter to the Défenseur des droits (French ombudsman):
    with the online form on defenseurdesdroits.fr;
    by telephone on 09 69 39 00 00;
    by free post, no stamp needed: Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07.

legal-notice-title = Legal notice
legal-notice-1-heading = Publisher
legal-notice-1-text = This service is published by { $publisher }.
    Contact: { $contact }.
legal-notice-2-heading = Hosting
legal-notice-2-text = This service is hosted by { $hosting }.
legal-notice-3-heading = Software
legal-notice-3-text = Relais is free software published under the European Union Public Licence (EUPL 1.2). Its source code is public.
legal-notice-4-heading = Restricted access
legal-notice-4-text = The professional area is for people authorised by their organisation. Every read and every change of a file there is recorded in the name of the signed-in person.

legal-data-title = Personal data
legal-data-1-heading = Controller
legal-data-1-text = { $publisher } is the controller of the data recorded in Relais. For any question: { $contact }.
legal-data-2-heading = Why the data are processed
legal-data-2-text = Relais refers presumed victims of trafficking in human beings to the competent authority, to identify, protect and support them (accommodation, right of residence, care), and follows the national action plan. This processing is a task carried out in the public interest.
    Published statistics are aggregated and cannot identify anyone.
legal-data-3-heading = How long data are kept
legal-data-3-text = Data are kept only as long as needed, then erased automatically:
legal-data-4-heading = Who can see them
legal-data-4-text = Only people whose role requires it can see them, within their organisation and territory. Every read and every change is recorded in an audit log.
    The most sensitive data (identity, address, place of accommodation) are encrypted. No data are sold or used for commercial purposes.
legal-data-5-heading = Your rights
legal-data-5-text = You can ask for access to your data, their correction, their erasure or the restriction of their processing, and object to their processing, by writing to { $contact }. A request is never a condition of your protection.
legal-data-6-heading = Complaint
legal-data-6-text = If you believe your rights are not respected, you can complain to the French data protection authority (CNIL), on cnil.fr.

legal-cookies-title = Cookies
legal-cookies-1-heading = Only what is needed
legal-cookies-1-text = Relais sets no audience-measurement, advertising or social-network cookie, and no cookie of another site. The two cookies below are strictly necessary for the service: they do not need your consent.
legal-cookies-2-heading = The session cookie
legal-cookies-2-text = It keeps you signed in after you enter your password. It is erased when you sign out and stops working after a period of inactivity.
legal-cookies-3-heading = The language cookie
legal-cookies-3-text = It remembers the language you chose for the pages.
