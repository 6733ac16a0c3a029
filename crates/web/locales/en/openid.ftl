# Sign-in through an identity provider (ProConnect)
oidc-sign-in-with = Sign in with
oidc-or = or
oidc-refused = Sign-in through the identity provider was refused.
oidc-refused-unknown-state = This sign-in attempt expired or was already used: start again from this page.
oidc-refused-provider-error = The identity provider did not authenticate the person.
oidc-refused-unreachable = The identity provider does not answer: try again in a few minutes.
oidc-refused-code-refused = The identity provider refused to confirm the sign-in.
oidc-refused-wrong-issuer = The identity token does not come from the expected provider.
oidc-refused-wrong-audience = The identity token was not meant for Relais.
oidc-refused-expired = The identity token has expired.
oidc-refused-bad-signature = The identity token's signature is not valid.
oidc-refused-unknown-key = The identity token is signed with a key the provider does not publish.
oidc-refused-nonce-mismatch = The identity token belongs to another sign-in attempt.
oidc-refused-missing-claims = The identity provider did not send the e-mail address.
oidc-refused-other-subject = The identity provider’s user information is about another person than the identity token.
oidc-refused-invalid-token = The identity token is not valid.
oidc-refused-account-inactive = This account is deactivated: contact your organisation's administrator.
oidc-requested-title = Your request has been sent
oidc-requested-lead = Your request to use Relais has been sent to your organisation's administrator.
oidc-requested-next = You can sign in once they approve it. No account is created without their approval.
oidc-requested-back = Back to the sign-in page
login-password-off = Your organisation no longer allows password sign-in: sign in with ProConnect.

# Access requests (administration)
access-requests-title = Access requests
access-requests-lead = Agents authenticated by an identity provider ask to use Relais. Nothing is created without your decision.
access-requests-empty = No request waiting.
access-requests-caption = Requests waiting
access-requests-name = Name
access-requests-email = E-mail address
access-requests-organisation = Organisation
access-requests-no-organisation = No organisation has this SIRET
access-requests-siret = SIRET
access-requests-date = Received
access-requests-decision = Decision
access-requests-role = Role of the new account
access-requests-create = Approve and create the account
access-requests-link = Approve and link the existing account
access-requests-refuse = Refuse
notice-access-request-approved = The access request was approved.
notice-access-request-refused = The access request was refused.

# An organisation's sign-in methods
organisation-sign-in-legend = Sign-in methods
organisation-siret = The organisation's SIRET
organisation-siret-hint = 14 digits; it recognises the agents ProConnect sends.
organisation-siret-invalid = The SIRET must have 14 digits.
organisation-password-sign-in = Allow password sign-in
organisation-password-sign-in-hint = Unticked, only identity providers (ProConnect) sign members in.
organisation-sign-in-save = Save the sign-in methods
nav-access-requests = Access requests
organisation-sign-in-title = Sign-in methods
