// A real OpenID Connect provider for the tests (oidc-provider), on loopback.
//
//   node provider.mjs '{"redirectUri": "...", "postLogoutRedirectUri": "...", "accounts": {...}}'
//
// prints one JSON line {"issuer": "http://127.0.0.1:PORT"} once it listens. Accounts are keyed by
// the login typed on its sign-in form (any password). As ProConnect does, the ID token carries only
// the subject and the level the sign-in reached (`acr`, `amr`); the account's other claims (email,
// given_name, usual_name, siret) come from the userinfo endpoint as a signed JWT.
// `POST /_test/mode` with a body of `normal`, `wrong-audience`, `expired`, `bad-signature` or
// `replay` makes the token endpoint answer with an ID token Relais must refuse, and
// `userinfo-other-subject` or `userinfo-bad-signature` the userinfo endpoint with such an answer:
// still real signatures (jose), over real HTTP. `rotated` publishes a second key and signs ID
// tokens with it, as a provider does when it rotates its keys.
import http from 'node:http';
import * as jose from 'jose';
import Provider from 'oidc-provider';

const options = JSON.parse(process.argv[2] ?? '{}');
const accounts = options.accounts ?? {};
const CLIENT_ID = options.clientId ?? 'relais';
const CLIENT_SECRET = options.clientSecret ?? 'relais-test-secret';

const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
const signingJwk = { ...(await jose.exportJWK(privateKey)), kid: 'test-key-1', alg: 'RS256', use: 'sig' };
// The key a forger has: same kid, other key.
const forger = (await jose.generateKeyPair('RS256', { extractable: true })).privateKey;
// The provider's next key, published and used from the `rotated` mode on.
const nextKey = await jose.generateKeyPair('RS256', { extractable: true });
const nextJwk = { ...(await jose.exportJWK(nextKey.publicKey)), kid: 'test-key-2', alg: 'RS256', use: 'sig' };

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
    redirect_uris: [options.redirectUri],
    post_logout_redirect_uris: options.postLogoutRedirectUri ? [options.postLogoutRedirectUri] : [],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    userinfo_signed_response_alg: 'RS256',
  }],
  jwks: { keys: [signingJwk] },
  pkce: { required: () => true },
  scopes: ['openid', 'email', 'profile', 'siret'],
  claims: {
    openid: ['sub', 'acr', 'amr'],
    email: ['email'],
    profile: ['given_name', 'usual_name'],
    siret: ['siret'],
  },
  // The account's claims only from the userinfo endpoint, as ProConnect sends them.
  conformIdTokenClaims: true,
  features: {
    devInteractions: { enabled: false },
    jwtUserinfo: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  // The levels the accounts sign in at, as ProConnect names them.
  acrValues: [...new Set(Object.values(accounts).map((a) => a.acr).filter(Boolean))],
  // The agent consented once and for all: the test drives sign-in, not consent.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email profile siret');
    grant.addOIDCClaims(['email', 'given_name', 'usual_name', 'siret', 'acr', 'amr']);
    await grant.save();
    return grant;
  },
  async findAccount(_ctx, id) {
    const account = accounts[id];
    if (!account) return undefined;
    const { acr: _acr, amr: _amr, ...claims } = account;
    return { accountId: id, claims: async () => ({ sub: id, ...claims }) };
  },
  ttl: { IdToken: 3600, AccessToken: 3600, AuthorizationCode: 60, Interaction: 600, Session: 3600, Grant: 3600 },
});
provider.proxy = false;

let mode = 'normal';
let lastIdToken = null;

const sign = (payload, key, kid = signingJwk.kid) => new jose.SignJWT(payload)
  .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
  .sign(key);

// Rewrites the token endpoint's ID token, or the userinfo endpoint's answer, according to the mode.
provider.use(async (ctx, next) => {
  await next();
  if (ctx.path === '/jwks' && ctx.status === 200 && mode === 'rotated') {
    ctx.body = { keys: [...ctx.body.keys, nextJwk] };
    return;
  }
  if (ctx.path === '/me' && ctx.status === 200 && typeof ctx.body === 'string') {
    const claims = jose.decodeJwt(ctx.body);
    if (mode === 'userinfo-other-subject') ctx.body = await sign({ ...claims, sub: 'someone-else' }, privateKey);
    if (mode === 'userinfo-bad-signature') ctx.body = await sign(claims, forger);
    return;
  }
  if (ctx.path !== '/token' || ctx.status !== 200 || !ctx.body?.id_token) return;
  const real = ctx.body.id_token;
  const claims = jose.decodeJwt(real);
  const now = Math.floor(Date.now() / 1000);
  switch (mode) {
    case 'wrong-audience':
      ctx.body.id_token = await sign({ ...claims, aud: 'another-service' }, privateKey);
      break;
    case 'expired':
      ctx.body.id_token = await sign({ ...claims, iat: now - 7200, exp: now - 3600 }, privateKey);
      break;
    case 'bad-signature':
      ctx.body.id_token = await sign(claims, forger);
      break;
    case 'replay':
      if (lastIdToken) ctx.body.id_token = lastIdToken;
      break;
    case 'rotated':
      ctx.body.id_token = await sign(claims, nextKey.privateKey, nextJwk.kid);
      break;
    default:
      break;
  }
  if (mode === 'normal') lastIdToken = real;
});

// The provider's own sign-in page: any password; the account's level (acr, amr) is the one
// the sign-in reached, as a real provider's second factor would set it.
async function interaction(req, res, uid) {
  if (req.method === 'GET') {
    await provider.interactionDetails(req, res);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Fournisseur d'identité de test</title></head>
<body><main><h1>Fournisseur d'identité de test</h1>
<form method="post" action="/interaction/${uid}">
<label for="login">Identifiant</label> <input id="login" name="login" required>
<label for="password">Mot de passe</label> <input id="password" name="password" type="password" required>
<input type="hidden" name="prompt" value="login">
<button type="submit">Se connecter</button></form></main></body></html>`);
    return;
  }
  let body = '';
  for await (const chunk of req) body += chunk;
  const login = new URLSearchParams(body).get('login') ?? '';
  const account = accounts[login] ?? {};
  await provider.interactionFinished(req, res, {
    login: { accountId: login, acr: account.acr, amr: account.amr },
  }, { mergeWithLastSubmission: false });
}

server.on('request', (req, res) => {
  const match = /^\/interaction\/([A-Za-z0-9_-]+)$/.exec(req.url);
  if (match) {
    interaction(req, res, match[1]).catch((error) => {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
    return;
  }
  if (req.method === 'POST' && req.url === '/_test/mode') {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      mode = body.trim() || 'normal';
      res.writeHead(204).end();
    });
    return;
  }
  provider.callback()(req, res);
});

process.stdout.write(`${JSON.stringify({ issuer })}\n`);
process.on('SIGTERM', () => process.exit(0));
// The test that started this process owns it: when its pipe closes, stop.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
