// Browser tests of Relais: playwright-core drives Debian's chromium through
// every page of the application, and axe-core checks each page against
// WCAG 2.0 / 2.1 levels A and AA (zero violations allowed).
//
// Run: `node --test web/tests/` (see README.md). Environment:
//   RELAIS_BIN   the relais binary (default: target/debug/relais of this checkout)
//   CHROMIUM     the chromium executable (default: /usr/bin/chromium)
//   DATABASE_URL, RELAIS_SECRET_KEY  passed through: with them the server
//                uses PostgreSQL (the database must be empty for `demo seed`).
//   RELAIS_BROWSER_KEEP=1  keep the temporary data folder and server log.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const HERE = path.dirname(fileURLToPath(import.meta.url));
const RELAIS_BIN = process.env.RELAIS_BIN
  ? path.resolve(process.env.RELAIS_BIN)
  : path.resolve(HERE, '../../target/debug/relais');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const DEMO_PASSWORD = 'demo-relais-2026';
const ADMIN = 'admin@demo.relais.test';
const POLICE = 'police@demo.relais.test';
const MANAGER = 'gestion@demo.relais.test';

// ---------------------------------------------------------------- TOTP (RFC 6238)

function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of text.toUpperCase().replace(/[\s=]/g, '')) {
    const index = alphabet.indexOf(ch);
    if (index < 0) throw new Error(`not base32: ${ch}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >>> bits) & 0xff);
    }
  }
  return Buffer.from(out);
}

/** The 6-digit SHA-1 code of a base32 secret for a 30-second step. */
function totp(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 1_000_000).padStart(6, '0');
}

// The server reads its time from the system clock shifted by the seconds in
// this file (configuration `test_clock_file`): the identification steps move
// it past the reflection period. TOTP codes follow the server's time.
let clockFile;
let clockOffsetSeconds = 0;
function advanceSeconds(seconds) {
  clockOffsetSeconds += seconds;
  fs.writeFileSync(clockFile, String(clockOffsetSeconds));
}
function advanceClock(days) {
  advanceSeconds(days * 86_400);
}
const serverSeconds = () => Date.now() / 1000 + clockOffsetSeconds;
const currentStep = () => Math.floor(serverSeconds() / 30);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** secret and last used step per account */
const accounts = new Map();

/**
 * A code the server will accept: it refuses a second code of the same
 * account within one 30-second step (replay protection), so when this
 * account already used the current step, the server's clock is moved to the
 * next one (the test clock) rather than waited for.
 */
async function freshCode(email) {
  const account = accounts.get(email);
  assert.ok(account, `no TOTP secret known for ${email}`);
  if (currentStep() <= account.lastStep) {
    advanceSeconds(Math.ceil((account.lastStep + 1) * 30 - serverSeconds()) + 1);
  }
  // Not within the last half-second of a step: the code could expire in flight.
  if (30 - (serverSeconds() % 30) < 0.5) await sleep(1000);
  const step = currentStep();
  account.lastStep = step;
  return totp(account.secret, step);
}

// ---------------------------------------------------------------- server

let dataDir;
let server;
let serverLog = '';
let baseUrl;

function run(args) {
  return new Promise((resolve, reject) => {
    execFile(RELAIS_BIN, args, { env: process.env }, (error, stdout, stderr) => {
      if (error) reject(new Error(`relais ${args.join(' ')} failed: ${error.message}\n${stdout}${stderr}`));
      else resolve(stdout);
    });
  });
}

async function startServer() {
  assert.ok(fs.existsSync(RELAIS_BIN), `relais binary not found at ${RELAIS_BIN} (build it: cargo build -p relais, or set RELAIS_BIN)`);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'relais-browser-'));
  const seeded = await run(['demo', 'seed', '--data-dir', dataDir]);
  // Each demo login line: e-mail, role, base32 TOTP secret.
  for (const match of seeded.matchAll(/^\s+(\S+@\S+)\s+\S+\s+([A-Z2-7]{16,})\s*$/gm)) {
    accounts.set(match[1], { secret: match[2], lastStep: 0 });
  }
  assert.ok(accounts.has(ADMIN), `demo seed printed no secret for ${ADMIN}:\n${seeded}`);
  clockFile = path.join(dataDir, 'clock-offset');
  // The identity provider must know Relais's redirect URI before Relais knows the provider:
  // Relais gets a free port chosen here, the provider starts, then Relais.
  const port = await freePort();
  await startProvider(`http://127.0.0.1:${port}`);
  fs.writeFileSync(path.join(dataDir, 'relais.toml'), [
    '[[oidc_providers]]',
    'id = "proconnect"',
    'label = "ProConnect"',
    `issuer = "${providerIssuer}"`,
    'client_id = "relais"',
    'client_secret = "relais-test-secret"',
    'scopes = ["email", "profile", "siret"]',
    `accepted_acr = ["${ACCEPTED_ACR}"]`,
    '',
  ].join('\n'));
  server = spawn(RELAIS_BIN, ['serve', '--data-dir', dataDir, '--listen', `127.0.0.1:${port}`], {
    env: { ...process.env, RELAIS_TEST_CLOCK_FILE: clockFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stderr.on('data', (chunk) => { serverLog += chunk; });
  baseUrl = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within 30 s:\n${serverLog}`)), 30_000);
    server.stdout.on('data', (chunk) => {
      serverLog += chunk;
      const match = /serving on (http:\/\/\S+)/.exec(serverLog);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    server.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${serverLog}`));
    });
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------- identity provider

// A real OpenID Connect provider (oidc-provider) on loopback: the police officer of the demo
// (same e-mail, the demo police unit's SIRET, a second factor done) and an agent Relais does
// not know. Its token endpoint can be told to answer with tokens Relais must refuse.
const ACCEPTED_ACR = 'https://proconnect.gouv.fr/assurance/self-asserted-2fa';
const DEMO_POLICE_SIRET = '00000000100017';
const NEWCOMER = `nouvelle-${randomBytes(3).toString('hex')}@interieur.gouv.fr`;
let provider;
let providerIssuer;

async function startProvider(relais) {
  const options = {
    redirectUri: `${relais}/login/oidc/callback`,
    postLogoutRedirectUri: `${relais}/login?done=logged-out`,
    accounts: {
      known: { email: POLICE, given_name: 'Sacha', usual_name: 'Police', siret: DEMO_POLICE_SIRET, acr: ACCEPTED_ACR },
      newcomer: { email: NEWCOMER, given_name: 'Nora', usual_name: 'Nouvelle', siret: DEMO_POLICE_SIRET, acr: 'eidas1' },
    },
  };
  provider = spawn(process.execPath, [path.join(HERE, 'oidc/provider.mjs'), JSON.stringify(options)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  provider.stderr.on('data', (chunk) => { output += chunk; });
  providerIssuer = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the identity provider did not start within 15 s:\n${output}`)), 15_000);
    provider.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /"issuer":"([^"]+)"/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    provider.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the identity provider exited with ${code} (npm ci in web/ installs oidc-provider):\n${output}`));
    });
  });
}

async function providerMode(mode) {
  const response = await fetch(`${providerIssuer}/_test/mode`, { method: 'POST', body: mode });
  assert.equal(response.status, 204, `provider mode ${mode}`);
}

async function stopServer() {
  if (provider && provider.exitCode === null) provider.kill('SIGTERM');
  if (server && (server.exitCode !== null || server.signalCode !== null)) {
    console.log(`the server stopped during the tests (${server.exitCode ?? server.signalCode}):\n${serverLog.slice(-4000)}`);
  } else if (server) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    const timer = setTimeout(() => server.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
  if (dataDir) {
    if (process.env.RELAIS_BROWSER_KEEP) {
      fs.writeFileSync(path.join(dataDir, 'server.log'), serverLog);
      console.log(`data folder kept: ${dataDir}`);
    } else {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
}

// Never leave a server behind, even when the runner is interrupted.
process.on('exit', () => {
  if (server && server.exitCode === null) server.kill('SIGKILL');
  if (provider && provider.exitCode === null) provider.kill('SIGKILL');
});

// ---------------------------------------------------------------- browser

let browser;
/** Problems seen by the browser on any page: uncaught errors, CSP reports, 5xx answers, failed assets. */
const browserProblems = [];
/** Every page checked with axe, and every violation found. */
const checkedPages = [];
const allViolations = [];
/** Time spent in axe, reported at the end: most of this suite's time is the browser's. */
let axeMilliseconds = 0;

async function newContext(options = {}) {
  // The Content-Security-Policy stays enforced (no bypassCSP): the pages are
  // checked exactly as users get them, and a CSP violation by the app or by
  // DSFR shows up below. axe is injected with page.evaluate, which goes
  // through the DevTools protocol and is not subject to the page's CSP
  // (page.addScriptTag would add an inline <script>, which the CSP blocks).
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR', ...options });
  context.setDefaultTimeout(15_000);
  context.on('page', watch);
  return context;
}

function watch(page) {
  const problem = (text) => browserProblems.push({ path: pathOf(page), text });
  page.on('pageerror', (error) => {
    // The message and the first stack frame: enough to find the culprit.
    const frame = (error.stack || '').split('\n').find((line) => line.trim().startsWith('at ')) || '';
    problem(`uncaught ${error.name}: ${error.message} ${frame.trim().replace(baseUrl, '')}`);
  });
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) problem(message.text());
  });
  page.on('response', (response) => {
    if (response.status() >= 500) problem(`${response.url().replace(baseUrl, '')} answered ${response.status()}`);
    else if (response.url().includes('/assets/') && response.status() >= 400) {
      problem(`asset ${response.url().replace(baseUrl, '')} answered ${response.status()}`);
    }
  });
  page.on('requestfailed', (request) => {
    // ERR_ABORTED: the page moved on before the request ended (a quick click
    // after load cancels the favicon); a missing asset answers 4xx above.
    if (request.url().includes('/assets/') && request.failure()?.errorText !== 'net::ERR_ABORTED') {
      problem(`asset ${request.url().replace(baseUrl, '')} failed: ${request.failure()?.errorText}`);
    }
  });
}

function pathOf(page) {
  try {
    return new URL(page.url()).pathname.replace(/^\/setup\/.+/, '/setup/TOKEN');
  } catch {
    return page.url();
  }
}

/** Runs `action` (a click that submits or follows a link) and waits for the new page. */
async function navigate(page, action) {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), action()]);
  await settle(page);
  return response;
}

async function goto(page, url) {
  const response = await page.goto(new URL(url, baseUrl).href, { waitUntil: 'load' });
  await settle(page);
  return response;
}

/** Lets DSFR's module start (it marks <html data-fr-js="true">) before checking. */
async function settle(page) {
  // The identity provider's own pages are not Relais's: they do not load DSFR.
  if (!page.url().startsWith(baseUrl)) return;
  await page
    .waitForFunction(() => document.documentElement.getAttribute('data-fr-js') === 'true', null, { timeout: 5000 })
    .catch(() => browserProblems.push({ path: pathOf(page), text: 'DSFR did not start (no data-fr-js on <html>)' }));
}

function describeViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => `      ${n.target.join(' ')}\n        ${n.html.replace(/\s+/g, ' ').slice(0, 300)}\n        ${(n.failureSummary || '').replace(/\s+/g, ' ')}`)
        .join('\n');
      return `  [${v.impact}] ${v.id}: ${v.help}\n    ${v.helpUrl}\n${nodes}`;
    })
    .join('\n');
}

/**
 * What a professional should never read on a page (issue 16): an ISO date, "UTC", or a raw
 * key (a catalogue or translation key such as `coercion_at_destination` or
 * `case-file-title`). Runs in the page; what was typed into form fields is not its text.
 */
function unreadableText() {
  // An identifier shown on purpose (a file's column, a source's code, a reference, a secret to
  // copy) is marked as such; a form field's typed value is not text either.
  const skip = 'code, kbd, samp, script, style, template, textarea, .relais-reference, .relais-secret';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) => (node.parentElement && node.parentElement.closest(skip) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  const parts = [];
  while (walker.nextNode()) parts.push(walker.currentNode.nodeValue);
  const text = parts.join(' ');
  const found = [];
  const patterns = [
    [/\b\d{4}-\d{2}-\d{2}\b/g, 'ISO date'],
    [/\bUTC\b/g, 'UTC'],
    [/\b[a-z][a-z0-9]*(?:[-_][a-z0-9]+){2,}\b/g, 'raw key'],
    [/\b[a-z][a-z0-9]*_[a-z0-9_]+\b/g, 'raw key'],
  ];
  for (const [pattern, what] of patterns) {
    for (const match of text.matchAll(pattern)) {
      // An e-mail address or a web address is not a key.
      const around = text.slice(Math.max(0, match.index - 40), match.index + match[0].length + 40);
      const before = text.slice(Math.max(0, match.index - 40), match.index);
      const after = text.slice(match.index + match[0].length);
      if (/[@./]$/.test(before) || /^(@|\.[a-z])/.test(after)) continue;
      found.push(`${what} "${match[0]}" in "…${around.replace(/\s+/g, ' ')}…"`);
    }
  }
  return [...new Set(found)].slice(0, 10);
}

/** Violations found during the running step: it fails at its end, after visiting all its pages. */
let stepViolations = [];

/**
 * Checks the page now displayed: expected language, status, title, then axe
 * with WCAG 2.0/2.1 A and AA rules. Violations are collected, and the step
 * fails at its end, so that one run lists the violations of all its pages.
 */
async function check(page, label, { lang = 'fr', status, response } = {}) {
  if (status !== undefined) {
    assert.ok(response, `${label}: no response to check the status of`);
    assert.equal(response.status(), status, `${label}: HTTP status of ${page.url()}`);
  }
  assert.equal(await page.getAttribute('html', 'lang'), lang, `${label}: <html lang> of ${page.url()}`);
  assert.match(await page.title(), /\S — Relais$/, `${label}: page title`);
  assert.equal(await page.locator('main h1').count(), 1, `${label}: one <h1> in <main>`);
  assert.doesNotMatch(await page.title(), /^Relais — Relais$/, `${label}: page title names the page`);
  const unreadable = await page.evaluate(unreadableText);
  if (unreadable.length > 0) {
    stepViolations.push(`developer wording on ${label} (${new URL(page.url()).pathname}): ${unreadable.join(' | ')}`);
  }
  const axeStarted = performance.now();
  await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    AXE_TAGS,
  );
  axeMilliseconds += performance.now() - axeStarted;
  const where = `${label} (${new URL(page.url()).pathname}, lang=${lang})`;
  checkedPages.push(where);
  for (const v of results.violations) allViolations.push({ where, violation: v });
  if (results.violations.length > 0) {
    stepViolations.push(`${results.violations.length} axe violation(s) on ${where}:\n${describeViolations(results.violations)}`);
  }
}

// ---------------------------------------------------------------- test cases

let passed = 0;
let registered = 0;

/** A test case, counted for the final `browser: N passed, M failed` line. */
function step(name, fn) {
  registered += 1;
  test(name, { timeout: 120_000 }, async (t) => {
    stepViolations = [];
    await fn(t);
    assert.equal(stepViolations.length, 0, stepViolations.join('\n'));
    passed += 1;
  });
}

before(async () => {
  await startServer();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

after(async () => {
  try {
    if (browser) await browser.close();
  } finally {
    await stopServer();
    if (allViolations.length > 0) {
      const byRule = new Map();
      for (const { where, violation } of allViolations) {
        byRule.set(violation.id, [...(byRule.get(violation.id) || []), where]);
      }
      console.log(`axe: ${allViolations.length} violation(s) on ${checkedPages.length} page(s) checked`);
      for (const [rule, pages] of byRule) console.log(`  ${rule}: ${pages.join('; ')}`);
    } else if (checkedPages.length > 0) {
      console.log(`axe: no violation on ${checkedPages.length} page(s) checked in ${Math.round(axeMilliseconds / 1000)} s`);
    } else {
      console.log('axe: no page checked');
    }
    console.log(`browser: ${passed} passed, ${registered - passed} failed`);
  }
});

// Shared state between the steps, which run in order.
let admin; // the administrator's page
let adminSignedIn = false;
let newUser; // the user created in the test
const unique = randomBytes(3).toString('hex');

/** Fails clearly when a step depends on an earlier one that failed. */
function requires(value, what) {
  assert.ok(value, `needs ${what}, from an earlier step that failed`);
}

/** Signs in with the demo password and a fresh TOTP code, landing on the dashboard. */
async function signIn(page, email) {
  await login(page, email);
  await page.fill('#code', await freshCode(email));
  await navigate(page, () => page.click('main button[type=submit]'));
}

async function login(page, email, password = DEMO_PASSWORD) {
  await goto(page, '/login');
  await page.fill('#email', email);
  await page.fill('#password', password);
  // The password form's own button: the ProConnect button comes first on the page.
  return navigate(page, () => page.click('main form[action="/login"] button[type=submit]'));
}

step('anonymous pages: landing and login (fr)', async () => {
  const context = await newContext();
  const page = await context.newPage();
  const landing = await goto(page, '/');
  await check(page, 'landing page', { status: 200, response: landing });
  await navigate(page, () => page.click('main a[href="/login"]'));
  assert.equal(new URL(page.url()).pathname, '/login');
  await check(page, 'login page');
  await context.close();
});

step('404 page, and an invalid setup link', async () => {
  const context = await newContext();
  const page = await context.newPage();
  const missing = await goto(page, `/nothing-here-${unique}`);
  await check(page, '404 page', { status: 404, response: missing });
  const setup = await goto(page, '/setup/not-a-valid-token');
  assert.equal(await page.locator('main .fr-alert--error').count(), 1, 'the invalid-link alert');
  assert.equal(await page.locator('main form').count(), 0, 'no password form on an invalid link');
  await check(page, 'setup page, invalid link', { status: 404, response: setup });
  await context.close();
});

step('administrator login: wrong password, MFA challenge, wrong code, dashboard', async () => {
  const context = await newContext();
  admin = await context.newPage();
  const refused = await login(admin, ADMIN, 'not-the-password');
  assert.equal(refused.status(), 422);
  assert.equal(await admin.locator('main .fr-alert--error').count(), 1, 'login error alert');
  assert.equal(await admin.inputValue('#email'), ADMIN, 'the e-mail address is kept');
  await check(admin, 'login page, wrong password');

  await login(admin, ADMIN);
  assert.equal(new URL(admin.url()).pathname, '/login/mfa');
  await check(admin, 'MFA challenge page');

  await admin.fill('#code', '12345');
  const wrong = await navigate(admin, () => admin.click('main button[type=submit]'));
  assert.equal(wrong.status(), 422);
  assert.equal(await admin.locator('main .fr-alert--error').count(), 1, 'MFA error alert');
  await check(admin, 'MFA challenge page, wrong code');

  await admin.fill('#code', await freshCode(ADMIN));
  await navigate(admin, () => admin.click('main button[type=submit]'));
  assert.equal(new URL(admin.url()).pathname, '/dashboard');
  adminSignedIn = true;
  for (const href of ['/admin/organisations', '/admin/users', '/admin/audit']) {
    assert.equal(await admin.locator(`#navigation a[href="${href}"]`).count(), 1, `nav link ${href}`);
  }
  await check(admin, 'dashboard');
});

step('account page', async () => {
  requires(adminSignedIn, 'the administrator signed in');
  const response = await goto(admin, '/account');
  assert.match(await admin.locator('main dl').innerText(), new RegExp(ADMIN.replace(/\./g, '\\.')));
  await check(admin, 'account page', { status: 200, response });
});

/**
 * From the sign-in page's ProConnect button to Relais again, typing `login` on the provider's
 * own sign-in form when it asks (its pages are not Relais's: no DSFR, not checked by axe).
 */
async function proConnect(page, login) {
  await goto(page, '/login');
  // The redirections end at the provider's sign-in form, or straight back at Relais when the
  // provider remembers the agent.
  await navigate(page, () => page.click('main a.fr-connect'));
  if (!page.url().startsWith(baseUrl)) {
    assert.equal(await page.locator('input[name=login]').count(), 1, "the provider's sign-in form");
    await page.fill('input[name=login]', login);
    await page.fill('input[name=password]', 'any');
    await Promise.all([page.waitForURL((url) => url.href.startsWith(baseUrl)), page.click('button[type=submit]')]);
  }
  await page.waitForLoadState('load');
  await settle(page);
}

step('ProConnect: first sign-in, access request, approval, sign-in; refused token; logout at the provider', async () => {
  requires(adminSignedIn, 'the administrator signed in');
  // An agent Relais does not know: a request, never an account.
  let context = await newContext();
  let page = await context.newPage();
  await goto(page, '/login');
  assert.match(await page.locator('main .fr-connect').innerText(), /S’identifier avec\s+ProConnect/);
  await proConnect(page, 'newcomer');
  assert.equal(new URL(page.url()).pathname, '/login/oidc/requested');
  await check(page, 'access request sent');

  // The administrator approves it with one role.
  const list = await goto(admin, '/admin/access-requests');
  await check(admin, 'access requests', { status: 200, response: list });
  const row = admin.locator('main tr', { hasText: NEWCOMER });
  await row.locator('select[name=role]').selectOption('first-responder');
  await navigate(admin, () => row.locator('button', { hasText: 'Accepter et créer le compte' }).click());
  assert.match(await admin.locator('main .fr-alert--success').innerText(), /acceptée/);
  await check(admin, 'access requests, approved');
  const settings = await goto(admin, '/admin/sign-in');
  await check(admin, 'sign-in methods', { status: 200, response: settings });

  // Approved: the agent signs in (the provider remembers them); the level they signed in at is
  // not a second factor here, so Relais asks them to set one up.
  await proConnect(page, 'newcomer');
  assert.equal(new URL(page.url()).pathname, '/account/mfa');
  await context.close();

  // The demo police officer: matched by e-mail and SIRET, second factor done at the provider.
  context = await newContext();
  page = await context.newPage();
  await proConnect(page, 'known');
  assert.equal(new URL(page.url()).pathname, '/dashboard');
  await check(page, 'dashboard after ProConnect');
  // Signing out ends the provider's session too; it asks to confirm, then comes back.
  await Promise.all([page.waitForURL((url) => url.href.startsWith(providerIssuer)), page.click('form[action="/logout"] button')]);
  await Promise.all([page.waitForURL((url) => url.href.startsWith(baseUrl)), page.click('button[name=logout][value=yes]')]);
  await settle(page);
  assert.equal(new URL(page.url()).pathname, '/login');
  await check(page, 'signed out at the provider');

  // A token Relais must refuse: a clear French error, and no session.
  await providerMode('expired');
  try {
    await proConnect(page, 'known');
  } finally {
    await providerMode('normal');
  }
  assert.equal(new URL(page.url()).pathname, '/login/oidc/callback');
  assert.match(await page.locator('main .fr-alert--error').innerText(), /Le jeton d’identité a expiré/);
  await check(page, 'refused identity token');
  await context.close();
});

const orgName = `Association Navigateur ${unique} (fictive)`;

step('organisations: list, new form, submit with errors, then valid', async () => {
  requires(adminSignedIn, 'the administrator signed in');
  await goto(admin, '/admin/organisations');
  await check(admin, 'organisations list');

  await navigate(admin, () => admin.click('main a[href="/admin/organisations/new"]'));
  assert.equal(new URL(admin.url()).pathname, '/admin/organisations/new');
  await check(admin, 'new organisation form');

  const invalid = await navigate(admin, () => admin.click('main button[type=submit]'));
  assert.equal(invalid.status(), 422);
  assert.equal(await admin.locator('main .fr-alert--error[role=alert] li').count(), 3, 'three errors listed');
  for (const id of ['name', 'org_type', 'territory']) {
    assert.equal(await admin.getAttribute(`#${id}`, 'aria-describedby'), `${id}-error`, `#${id} describedby its error`);
  }
  await check(admin, 'new organisation form, with errors');

  await admin.fill('#name', orgName);
  await admin.selectOption('#org_type', { index: 1 });
  await admin.selectOption('#territory', { index: 1 });
  await navigate(admin, () => admin.click('main button[type=submit]'));
  assert.equal(new URL(admin.url()).pathname, '/admin/organisations');
  assert.equal(await admin.locator('main .fr-alert--success').count(), 1, 'creation notice');
  assert.equal(await admin.locator(`main table td:first-child:text-is("${orgName}")`).count(), 1, 'new organisation listed');
  await check(admin, 'organisations list, after creation');
});

step('users: list, new form, submit with errors, then valid (setup link)', async () => {
  requires(adminSignedIn, 'the administrator signed in');
  await goto(admin, '/admin/users');
  await check(admin, 'users list');

  await navigate(admin, () => admin.click('main a[href="/admin/users/new"]'));
  assert.equal(new URL(admin.url()).pathname, '/admin/users/new');
  await check(admin, 'new user form');

  await admin.fill('#email', 'not-an-address');
  const invalid = await navigate(admin, () => admin.click('main button[type=submit]'));
  assert.equal(invalid.status(), 422);
  assert.equal(await admin.locator('main .fr-alert--error[role=alert] li').count(), 4, 'four errors listed');
  assert.equal(await admin.inputValue('#email'), 'not-an-address', 'the typed e-mail is kept');
  await check(admin, 'new user form, with errors');

  newUser = {
    name: `Camille Navigateur ${unique}`,
    email: `navigateur.${unique}@demo.relais.test`,
    password: `mot-de-passe-${unique}-navigateur`,
  };
  await admin.selectOption('#organisation_id', { label: orgName });
  await admin.fill('#display_name', newUser.name);
  await admin.fill('#email', newUser.email);
  // DSFR draws the checkbox on the label, which receives the click, as for a user.
  await admin.click('label[for="role-first-responder"]');
  assert.ok(await admin.isChecked('#role-first-responder'), 'role checked');
  const created = await navigate(admin, () => admin.click('main button[type=submit]'));
  assert.equal(created.status(), 200);
  newUser.link = (await admin.locator('#setup-link').innerText()).trim();
  assert.match(newUser.link, /^http:\/\/\S+\/setup\/\S+$/, 'a setup link');
  assert.equal(new URL(newUser.link).origin, new URL(baseUrl).origin, 'the setup link points to this server');
  await check(admin, 'user created, setup link page');

  await navigate(admin, () => admin.click('main a[href="/admin/users"]'));
  assert.equal(await admin.locator('main table a', { hasText: newUser.name }).count(), 1, 'new user listed');
});

step('user detail page', async () => {
  requires(newUser?.link, 'the user created in the users step');
  await goto(admin, '/admin/users');
  await navigate(admin, () => admin.click(`main table a:text-is("${newUser.name}")`));
  assert.match(new URL(admin.url()).pathname, /^\/admin\/users\/[^/]+$/);
  assert.equal(await admin.locator('main h1').innerText(), newUser.name);
  assert.ok(await admin.isChecked('#role-first-responder'), 'the granted role is checked');
  await check(admin, 'user detail page');
});

step('audit log', async () => {
  requires(adminSignedIn, 'the administrator signed in');
  const response = await goto(admin, '/admin/audit');
  assert.ok((await admin.locator('main table tbody tr').count()) > 0, 'audit rows');
  await check(admin, 'audit log', { status: 200, response });
});

step('indicator catalogues: list, a version, an import refused with the line named', async () => {
  requires(adminSignedIn, 'the administrator signed in');
  const list = await goto(admin, '/admin/catalogues');
  await check(admin, 'catalogue list', { status: 200, response: list });
  const detail = await navigate(admin, () => admin.click('main a[href="/admin/catalogues/ilo-ec-delphi-2009-labour/1"]'));
  assert.ok((await admin.locator('main table').count()) >= 2, 'one table per set (adult, child)');
  await check(admin, 'catalogue version', { status: 200, response: detail });
  await goto(admin, '/admin/catalogues');
  await admin.fill('#content', 'format: 1\nid: test-checklist\nversion: one\n');
  const refused = await navigate(admin, () => admin.click('main form button[type=submit]'));
  assert.equal(refused.status(), 422);
  assert.match(await admin.locator('main .fr-alert--error').innerText(), /line \d/);
  assert.equal(await admin.inputValue('#content'), 'format: 1\nid: test-checklist\nversion: one\n', 'the pasted text is kept');
  await check(admin, 'catalogue import, refused');
});

step('new user: setup link (errors, then password), login, MFA enrolment', async () => {
  // A fresh browser context: the new user has nothing in common with the administrator.
  requires(newUser?.link, 'the setup link of the user created in the users step');
  const context = await newContext();
  const page = await context.newPage();
  const form = await goto(page, newUser.link);
  assert.equal(form.status(), 200);
  await check(page, 'setup page (choose a password)');

  await page.fill('#password', newUser.password);
  await page.fill('#confirmation', `${newUser.password}-different`);
  const invalid = await navigate(page, () => page.click('main button[type=submit]'));
  assert.equal(invalid.status(), 422);
  assert.equal(await page.getAttribute('#confirmation', 'aria-describedby'), 'confirmation-error');
  await check(page, 'setup page, with errors');

  await page.fill('#password', newUser.password);
  await page.fill('#confirmation', newUser.password);
  await navigate(page, () => page.click('main button[type=submit]'));
  assert.equal(new URL(page.url()).pathname, '/login');
  assert.equal(await page.locator('main .fr-alert--info').count(), 1, 'password-set notice');
  await check(page, 'login page, password set notice');

  const again = await goto(page, newUser.link);
  assert.equal(again.status(), 404, 'a setup link works only once');

  await login(page, newUser.email, newUser.password);
  assert.equal(new URL(page.url()).pathname, '/account/mfa', 'first login goes to MFA enrolment');
  const secret = await page.inputValue('input[name=secret]');
  assert.match(secret, /^[A-Z2-7]+=*$/, 'a base32 secret');
  assert.equal((await page.locator('#totp-secret').innerText()).replace(/\s/g, ''), secret);
  await check(page, 'MFA enrolment page');

  await page.fill('#code', '12345');
  const wrong = await navigate(page, () => page.click('main button[type=submit]'));
  assert.equal(wrong.status(), 422);
  assert.equal(await page.inputValue('input[name=secret]'), secret, 'the same secret is offered again');
  await check(page, 'MFA enrolment page, wrong code');

  accounts.set(newUser.email, { secret, lastStep: 0 });
  await page.fill('#code', await freshCode(newUser.email));
  await navigate(page, () => page.click('main button[type=submit]'));
  assert.equal(new URL(page.url()).pathname, '/dashboard');
  await check(page, 'dashboard of the new user');
  await context.close();
});

step('forbidden page: a first responder opens the users admin', async () => {
  const context = await newContext();
  const page = await context.newPage();
  await signIn(page, POLICE);
  assert.equal(new URL(page.url()).pathname, '/dashboard');
  assert.equal(await page.locator('#navigation a[href="/admin/users"]').count(), 0, 'no admin link');
  const response = await goto(page, '/admin/users');
  await check(page, 'forbidden page', { status: 403, response });
  await context.close();
});

step('English: switch language, then English pages', async () => {
  requires(adminSignedIn, 'the administrator signed in');
  await goto(admin, '/dashboard');
  // `:visible`: DSFR copies the header tools into its mobile menu, hidden on a wide screen.
  await navigate(admin, () => admin.click('header button[name=lang][value=en]:visible'));
  assert.equal(new URL(admin.url()).pathname, '/dashboard', 'back on the same page');
  assert.equal(await admin.locator('header button[name=lang][value=fr]:visible').count(), 1, 'a button back to French');
  await check(admin, 'dashboard', { lang: 'en' });

  await goto(admin, '/admin/users');
  await check(admin, 'users list', { lang: 'en' });
  await goto(admin, '/admin/users/new');
  await navigate(admin, () => admin.click('main button[type=submit]'));
  await check(admin, 'new user form, with errors', { lang: 'en' });
  await goto(admin, '/account');
  await check(admin, 'account page', { lang: 'en' });
  const missing = await goto(admin, `/nothing-here-${unique}`);
  await check(admin, '404 page', { lang: 'en', status: 404, response: missing });

  // Anonymous visitors choose their language too.
  const context = await newContext();
  const page = await context.newPage();
  await goto(page, '/');
  await navigate(page, () => page.click('header button[name=lang][value=en]:visible'));
  await check(page, 'landing page', { lang: 'en' });
  await goto(page, '/login');
  await check(page, 'login page', { lang: 'en' });
  await context.close();
});

step('re-authentication page, then password and a new code', async () => {
  requires(adminSignedIn, 'the administrator signed in');
  const form = await goto(admin, '/reauth?next=/admin/users/new');
  assert.equal(form.status(), 200);
  assert.equal(await admin.locator('#code').count(), 1, 'a code field for an account with MFA');
  await check(admin, 're-authentication page', { lang: 'en' });

  await admin.fill('#password', 'not-the-password');
  await admin.fill('#code', '12345');
  const refused = await navigate(admin, () => admin.click('main button[type=submit]'));
  assert.equal(refused.status(), 422);
  await check(admin, 're-authentication page, refused', { lang: 'en' });

  await admin.fill('#password', DEMO_PASSWORD);
  await admin.fill('#code', await freshCode(ADMIN));
  await navigate(admin, () => admin.click('main button[type=submit]'));
  assert.equal(new URL(admin.url()).pathname, '/admin/users/new', 'back to the page asked for');
});

step('logout', async () => {
  requires(adminSignedIn, 'the administrator signed in');
  await goto(admin, '/dashboard');
  await navigate(admin, () => admin.click('header form[action="/logout"] button:visible'));
  assert.equal(new URL(admin.url()).pathname, '/login');
  assert.equal(await admin.locator('main .fr-alert--info').count(), 1, 'logged-out notice');
  await check(admin, 'login page, logged out', { lang: 'en' });
  const later = await goto(admin, '/dashboard');
  assert.equal(new URL(later.url()).pathname, '/login', 'the dashboard needs a session again');
});

step('narrow screen (320 px): menu, language switch and sign-out stay reachable', async () => {
  // WCAG 1.4.10 (reflow): at 320 CSS pixels everything must remain usable.
  const context = await newContext({ viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  await signIn(page, MANAGER);
  assert.equal(new URL(page.url()).pathname, '/dashboard');
  await check(page, 'dashboard at 320 px');

  const logout = page.locator('header form[action="/logout"] button:visible');
  const english = page.locator('header button[name=lang][value=en]:visible');
  if ((await logout.count()) === 0) {
    // DSFR hides the header tools below 62em and shows them in the menu modal.
    const menu = page.locator('header button[aria-controls]:visible');
    assert.ok(
      (await menu.count()) > 0,
      'at 320 px the header tools (user, language, sign-out) are hidden and no menu button shows them',
    );
    await menu.first().click();
    await logout.first().waitFor({ state: 'visible' });
    await check(page, 'dashboard at 320 px, menu open');
  }
  assert.ok((await logout.count()) >= 1, 'a visible sign-out button');
  assert.ok((await english.count()) >= 1, 'a visible language button');
  await navigate(page, () => english.first().click());
  await check(page, 'dashboard at 320 px', { lang: 'en' });
  await goto(page, '/admin/users');
  await check(page, 'users list at 320 px', { lang: 'en' });
  await context.close();
});

// ---------------------------------------------------------------- referral form (issue 3)

step('first responder: a referral step by step, live screening, check page, submission', async () => {
  const context = await newContext();
  const page = await context.newPage();
  await signIn(page, POLICE);
  const list = await goto(page, '/referrals');
  assert.equal(await page.locator('main table').count(), 2, 'the demo referrals: a draft to resume, then those sent');
  assert.match(await page.locator('main table').first().innerText(), /Personne[\s\S]*Reprendre l’orientation de /);
  await check(page, 'my referrals', { status: 200, response: list });
  // Two years of demo history: the sent referrals come a page at a time.
  await navigate(page, () => page.click('main a[href^="/referrals?after="]'));
  assert.equal(await page.locator('main table').count(), 1, 'later pages: the sent referrals only');
  await check(page, 'my referrals, an older page');
  await goto(page, '/referrals');

  await navigate(page, () => page.click('main form[action="/referrals"] button[type=submit]'));
  assert.match(new URL(page.url()).pathname, /^\/referrals\/[0-9a-f]{32}\/steps\/person$/);
  await check(page, 'referral step: person');
  await page.fill('#family_name', `Navigateur-${unique}`);
  await page.fill('#birth_date_day', '31');
  await page.fill('#birth_date_month', '13');
  await page.fill('#birth_date_year', '1990');
  const refused = await navigate(page, () => page.click('main button[value=continue]'));
  assert.equal(refused.status(), 422);
  assert.equal(await page.inputValue('#family_name'), `Navigateur-${unique}`, 'typed name kept');
  assert.equal(await page.locator('main .fr-alert--error').count(), 1, 'error summary');
  await check(page, 'referral step: person, with errors');

  await page.fill('#birth_date_month', '12');
  await page.check('#age-adult', { force: true });
  await page.check('#sex-female', { force: true });
  await page.selectOption('#nationality', 'NGA');
  await page.selectOption('#departement', '93');
  // Save and come back later: the draft is listed, and resumes with what was typed.
  const draftPath = new URL(page.url()).pathname.replace(/\/steps\/person$/, '');
  await navigate(page, () => page.click('main button[value=save]'));
  assert.equal(new URL(page.url()).pathname, '/referrals');
  assert.equal(await page.locator('main .fr-alert--success').count(), 1, 'draft saved notice');
  await check(page, 'my referrals, draft saved');
  await navigate(page, () => page.click(`main a[href="${draftPath}"]`));
  assert.equal(new URL(page.url()).pathname, `${draftPath}/steps/person`);
  assert.equal(await page.inputValue('#family_name'), `Navigateur-${unique}`, 'the draft resumes as typed');
  assert.equal(await page.inputValue('#nationality'), 'NGA');
  await navigate(page, () => page.click('main button[value=continue]'));
  await check(page, 'referral step: languages');
  await page.selectOption('#languages', ['eng']);
  await page.check('#interpreter_needed-no', { force: true });
  await navigate(page, () => page.click('main button[value=continue]'));
  await check(page, 'referral step: circumstances');
  await page.fill('#circumstances', 'Observée lors d’un contrôle.');
  await navigate(page, () => page.click('main button[value=continue]'));
  await check(page, 'referral step: exploitation');
  await page.check('#forms-labour', { force: true });
  await navigate(page, () => page.click('main button[value=continue]'));
  await check(page, 'referral step: places');
  await page.check('#location-france', { force: true });
  await navigate(page, () => page.click('main button[value=continue]'));
  assert.match(new URL(page.url()).pathname, /\/steps\/indicators$/);
  await check(page, 'referral step: indicators');

  // htmx: answering an indicator updates the result without leaving the page.
  // The result's content is swapped inside the live region (innerHTML, so that screen readers
  // announce it): the marked old heading must be replaced.
  await page.evaluate(() => { document.querySelector('#screening-result h2').dataset.stale = 'yes'; });
  const firstYes = page.locator('main fieldset.relais-indicator input[value=yes]').first();
  const updated = page.waitForResponse((r) => r.url().endsWith('/screening') && r.status() === 200);
  await firstYes.check({ force: true });
  await updated;
  await page.waitForFunction(() => {
    const result = document.querySelector('#screening-result h2');
    return result !== null && result.dataset.stale !== 'yes';
  });
  assert.match(await page.locator('#screening-result').innerText(), /pas une identification/);
  await check(page, 'referral step: indicators, result updated');

  await navigate(page, () => page.click('main button[value=continue]'));
  await check(page, 'referral step: needs');
  await page.check('#need_shelter_tonight', { force: true });
  await navigate(page, () => page.click('main button[value=continue]'));
  await check(page, 'referral step: consent');
  await page.check('#consent-given', { force: true });
  await page.fill('#consent_language', 'anglais');
  await page.check('#consent_interpreter-no', { force: true });
  await page.fill('#consent_explained_by', 'Sacha Police');
  await page.fill('#consent_date', new Date().toISOString().slice(0, 10));
  await navigate(page, () => page.click('main button[value=continue]'));
  assert.match(new URL(page.url()).pathname, /\/check$/);
  assert.match(await page.locator('main').innerText(), new RegExp(`Navigateur-${unique}`));
  await check(page, 'referral check page');

  await navigate(page, () => page.click('main form[action$="/submit"] button[type=submit]'));
  assert.match(await page.locator('main .fr-alert--success').innerText(), /RL-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/);
  await check(page, 'referral submitted, status page');
  references.named = await page.locator('main h1 .relais-reference').innerText();
  await context.close();
});

/** References of the referrals made in the browser, for the triage steps. */
const references = {};

/** Writes a referral through every step with valid answers; returns its reference. */
async function quickReferral(page, { family, given = 'Ada', age, consent, nationality = 'ROU' }) {
  await goto(page, '/referrals');
  await navigate(page, () => page.click('main form[action="/referrals"] button[type=submit]'));
  await page.fill('#family_name', family);
  await page.fill('#given_names', given);
  await page.fill('#birth_date_year', age === 'adult' ? '1990' : '2011');
  await page.check(`#age-${age}`, { force: true });
  await page.check('#sex-female', { force: true });
  await page.selectOption('#nationality', nationality);
  await page.selectOption('#departement', '13');
  await page.fill('#safe_contact', `Contact sûr de ${family}`);
  await navigate(page, () => page.click('main button[value=continue]'));
  await page.selectOption('#languages', ['ron']);
  await page.check('#interpreter_needed-no', { force: true });
  await navigate(page, () => page.click('main button[value=continue]'));
  await page.fill('#circumstances', `Récit concernant ${family}`);
  await navigate(page, () => page.click('main button[value=continue]'));
  await page.check('#forms-forced-begging', { force: true });
  await navigate(page, () => page.click('main button[value=continue]'));
  await page.check('#location-france', { force: true });
  await navigate(page, () => page.click('main button[value=continue]'));
  await navigate(page, () => page.click('main button[value=continue]'));
  await navigate(page, () => page.click('main button[value=continue]'));
  if (consent) {
    assert.match(new URL(page.url()).pathname, /\/steps\/consent$/);
    await page.check(`#consent-${consent}`, { force: true });
    if (consent === 'given') {
      await page.fill('#consent_language', 'roumain');
      await page.check('#consent_interpreter-no', { force: true });
      await page.fill('#consent_explained_by', 'Sacha Police');
      await page.fill('#consent_date', new Date().toISOString().slice(0, 10));
    }
    await navigate(page, () => page.click('main button[value=continue]'));
  }
  assert.match(new URL(page.url()).pathname, /\/check$/, 'children skip the consent step');
  return page;
}

async function submitChecked(page) {
  await navigate(page, () => page.click('main form[action$="/submit"] button[type=submit]'));
  return page.locator('main h1 .relais-reference').innerText();
}

step('first responder: a child referral (no consent step), an anonymous notification, the same person again', async () => {
  const context = await newContext();
  const page = await context.newPage();
  await signIn(page, POLICE);

  await quickReferral(page, { family: `Enfant-${unique}`, age: 'minor' });
  assert.match(await page.locator('main').innerText(), /traitée comme un enfant/);
  await check(page, 'check page of a child referral');
  references.child = await submitChecked(page);
  assert.match(await page.locator('main .fr-alert--success').innerText(), /protection de l’enfance/);

  await quickReferral(page, { family: `Anonyme-${unique}`, age: 'adult', consent: 'refused' });
  assert.match(await page.locator('main').innerText(), /notification anonyme sera envoyée/);
  await check(page, 'check page of a refusal');
  references.anonymous = await submitChecked(page);
  assert.match(await page.locator('main').innerText(), /Notification anonyme/);
  assert.doesNotMatch(await page.locator('main').innerText(), new RegExp(`Anonyme-${unique}`));

  // The person of the first referral again (same name, year of birth and nationality).
  await quickReferral(page, { family: `Navigateur-${unique}`, given: '', age: 'adult', consent: 'given', nationality: 'NGA' });
  references.again = await submitChecked(page);
  await context.close();
});

/** Opens the triage item of a reference from the queue. */
async function openTriageItem(page, reference) {
  await goto(page, '/triage');
  const link = page.locator('main table tr', { hasText: reference }).locator('a[href^="/triage/"]').first();
  assert.equal(await link.count(), 1, `${reference} is in the queue`);
  await navigate(page, () => link.click());
}

step('triage: record an anonymous notification, reject with a reason, accept, then mark the same person as a duplicate', async () => {
  requires(references.named && references.anonymous && references.again && references.child, 'the referrals of the previous steps');
  const context = await newContext();
  const page = await context.newPage();
  await signIn(page, IDENTIFICATION);

  // The anonymous notification holds no identifying answer: the authority,
  // which reads the stored content, sees none.
  await openTriageItem(page, references.anonymous);
  const anonymous = await page.locator('main').innerText();
  assert.doesNotMatch(anonymous, new RegExp(`Anonyme-${unique}`));
  assert.doesNotMatch(anonymous, /Contact sûr|Récit concernant/);
  await check(page, 'triage item, anonymous notification');
  await navigate(page, () => page.click('form[action$="/record"] button[type=submit]'));

  await openTriageItem(page, references.child);
  assert.match(await page.locator('main').innerText(), /CRIP du département 13/);
  await page.fill('#reason', 'Déjà suivi par l’aide sociale à l’enfance du département');
  await navigate(page, () => page.click('form[action$="/reject"] button[type=submit]'));
  await check(page, 'triage item, rejected with a reason');

  await openTriageItem(page, references.named);
  await navigate(page, () => page.click('form[action$="/accept"] button[type=submit]'));

  await openTriageItem(page, references.again);
  const candidate = page.locator('main input[name=person_id]').first();
  assert.equal(await candidate.count(), 1, 'the accepted person is proposed as a duplicate, with reasons');
  assert.match(await page.locator('main').innerText(), /Même nom une fois normalisé|Même squelette/);
  await check(page, 'triage item with a duplicate candidate');
  await candidate.check({ force: true });
  await navigate(page, () => page.click('form[action$="/duplicate"] button[type=submit]'));
  await check(page, 'triage item, marked as duplicate');
  await context.close();
});

// ======================================================= API tokens (issue 3, part 8)
// The administrator issues an API token (shown once), the token opens the
// API, and revoking it closes the API at once. Admin pages are axe-checked.

step('API tokens: issue one (shown once), use it, revoke it', async () => {
  const context = await newContext();
  const page = await context.newPage();
  await signIn(page, ADMIN);
  assert.equal(new URL(page.url()).pathname, '/dashboard');
  // The administrator may have chosen English in an earlier step.
  const lang = await page.getAttribute('html', 'lang');

  assert.equal(await page.locator('#navigation a[href="/admin/api-tokens"]').count(), 1, 'a menu entry');
  await navigate(page, () => page.click('#navigation a[href="/admin/api-tokens"]'));
  await check(page, 'API tokens list', { lang });

  const refused = await navigate(page, () => page.click('main form[action="/admin/api-tokens"] button[type=submit]'));
  assert.equal(refused.status(), 422);
  assert.equal(await page.locator('main .fr-alert--error a[href="#label"]').count(), 1, 'the summary links to the field');
  await check(page, 'API tokens, issue form with errors', { lang });

  const label = `SI navigateur ${Date.now()}`;
  const organisation = await page.locator('#organisation_id option:not([value=""])').first().getAttribute('value');
  await page.selectOption('#organisation_id', organisation);
  await page.fill('#label', label);
  const created = await navigate(page, () => page.click('main form[action="/admin/api-tokens"] button[type=submit]'));
  assert.equal(created.status(), 200);
  assert.equal(created.headers()['cache-control'], 'no-store', 'the secret page is never cached');
  await check(page, 'API token issued', { lang });
  const secret = (await page.textContent('#api-token-secret')).trim();
  assert.match(secret, /^rls_[0-9a-f]{64}$/);

  const api = (token) =>
    fetch(new URL('/api/v1/referrals/RL-0000-0000-0000', baseUrl), { headers: { authorization: `Bearer ${token}` } });
  assert.equal((await api(secret)).status, 404, 'the token is accepted (the reference is unknown)');
  assert.equal((await api('rls_wrong')).status, 401);

  await navigate(page, () => page.click('main a[href="/admin/api-tokens"]'));
  assert.equal(await page.locator(`main :text("${secret}")`).count(), 0, 'the secret is not shown again');
  const row = page.locator('main tr', { hasText: label });
  await navigate(page, () => row.locator('button[type=submit]').click());
  assert.equal(new URL(page.url()).search, '?done=api-token-revoked');
  assert.equal(await page.locator('main .fr-alert--success').count(), 1, 'revocation notice');
  await check(page, 'API tokens list, token revoked', { lang });
  assert.equal((await api(secret)).status, 401, 'a revoked token is refused at once');

  const openapi = await fetch(new URL('/api/v1/openapi.json', baseUrl));
  assert.equal(openapi.status, 200);
  assert.equal((await openapi.json()).openapi, '3.1.0');
  await context.close();
});
// ======================================================= end of API tokens
// ================================================================ triage queue (issue 3, parts 6–7)
// The identification officer's triage queue. Demo referrals may or may not be
// seeded: the queue (or its empty state) is always checked, an item when one exists.

const IDENTIFICATION = 'identification@demo.relais.test';

step('triage: queue, filters and an item (identification officer)', async () => {
  const context = await newContext();
  const page = await context.newPage();
  await signIn(page, IDENTIFICATION);
  assert.equal(new URL(page.url()).pathname, '/dashboard');
  assert.ok((await page.locator('#navigation a[href="/triage"]').count()) >= 1, 'the navigation offers the queue');

  const queue = await goto(page, '/triage');
  await check(page, 'triage queue', { status: 200, response: queue });
  const rows = page.locator('main table a[href^="/triage/"]');
  if ((await rows.count()) > 0) {
    await navigate(page, () => rows.first().click());
    assert.match(new URL(page.url()).pathname, /^\/triage\/[0-9a-f]{32}$/);
    await check(page, 'triage item');
    const reject = page.locator('form[action$="/reject"] button[type=submit]');
    if ((await reject.count()) > 0) {
      // Rejecting without a reason: the item again, with the error, nothing decided.
      const refused = await navigate(page, () => reject.click());
      assert.equal(refused.status(), 422);
      await check(page, 'triage item, reject without a reason');
    }
  }

  // Filters that match nothing show the empty state.
  const empty = await goto(page, '/triage?older_than_days=36500&status=recorded');
  await check(page, 'triage queue, empty', { status: 200, response: empty });
  assert.equal(await page.locator('#triage-empty').count(), 1, 'an empty-state message');
  await context.close();
});

step('triage: refused to a first responder', async () => {
  const context = await newContext();
  const page = await context.newPage();
  await signIn(page, POLICE);
  const response = await goto(page, '/triage');
  await check(page, 'triage queue, forbidden', { status: 403, response });
  await context.close();
});
// ================================================================ end of triage queue
// ---------------------------------------------------------------- signalement (public report, issue 3 part 5)

step('signalement: an anonymous visitor reports a situation and follows it up', async () => {
  const context = await newContext();
  const page = await context.newPage();
  const problemsBefore = browserProblems.length;
  await goto(page, '/');
  await navigate(page, () => page.click('main a[href="/signalement"]'));
  assert.equal(new URL(page.url()).pathname, '/signalement');
  await check(page, 'signalement form');
  assert.equal(await page.locator('#website').isVisible(), false, 'the honeypot is hidden');

  // Without a description: errors next to the field and in the summary, typed values kept.
  await page.fill('#place', 'Zone portuaire');
  await page.click('label[for="form-labour"]');
  const refused = await navigate(page, () => page.click('main button[type=submit]'));
  assert.equal(refused.status(), 422);
  assert.equal(await page.inputValue('#place'), 'Zone portuaire');
  assert.ok(await page.isChecked('#form-labour'));
  assert.equal(await page.locator('#description-error').count(), 1);
  await check(page, 'signalement form, refused');

  await page.fill('#description', 'Des ouvriers enfermés la nuit dans un hangar.');
  await page.selectOption('#departement', '59');
  await page.click('label[for="minor-unknown"]');
  const done = await navigate(page, () => page.click('main button[type=submit]'));
  assert.equal(done.status(), 200);
  assert.equal(done.headers()['cache-control'], 'no-store');
  const code = (await page.textContent('#followup-code')).trim();
  const passphrase = (await page.textContent('#followup-passphrase')).trim();
  assert.match(code, /^SG-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  assert.match(passphrase, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
  await check(page, 'signalement sent, code and passphrase');

  await navigate(page, () => page.click('main a[href="/signalement/suivi"]'));
  await check(page, 'signalement follow-up form');
  await page.fill('#code', code);
  await page.fill('#passphrase', passphrase);
  const status = await navigate(page, () => page.click('main button[type=submit]'));
  assert.equal(status.status(), 200);
  assert.equal(new URL(page.url()).pathname, '/signalement/suivi', 'nothing secret in the URL');
  assert.ok(!page.url().includes(passphrase));
  assert.equal(await page.locator('#followup-status').count(), 1);
  await check(page, 'signalement follow-up, status');

  await page.fill('#complement', 'Ils ont été déplacés.');
  const added = await navigate(page, () => page.click('main form[action="/signalement/suivi/complement"] button[type=submit]'));
  assert.equal(added.status(), 200);
  assert.equal(await page.locator('main .fr-alert--success').count(), 1);
  await check(page, 'signalement follow-up, information added');
  assert.deepEqual(browserProblems.slice(problemsBefore), [], 'no browser problem on the signalement pages');
  await context.close();
});

// ---------------------------------------------------------------- service directory (issue 6)

const SHELTER_WORKER = 'foyer@demo.relais.test';

step('directory: filters, a service, the shelter reports its places, prefecture contacts', async () => {
  const context = await newContext();
  const page = await context.newPage();
  await signIn(page, SHELTER_WORKER);
  assert.equal(await page.locator('#navigation a[href="/directory"]').count(), 1, 'nav link /directory');
  const list = await goto(page, '/directory');
  await check(page, 'directory', { status: 200, response: list });

  await page.selectOption('#filter-departement', '93');
  await page.selectOption('#filter-kind', 'accommodation');
  await navigate(page, () => page.click('#directory-filters button[type=submit]'));
  assert.match(page.url(), /departement=93/);
  assert.match(await page.locator('#directory-services').innerText(), /mis à jour le/);
  await check(page, 'directory, filtered by département and kind');
  const link = page.locator('#directory-services a', { hasText: 'Foyer Horizon — Saint-Denis (fictif)' });
  assert.equal(await link.count(), 1, 'the demo shelter in Seine-Saint-Denis');
  await navigate(page, () => link.click());
  await check(page, 'directory service');

  // More free places than places: the error is next to the field, what was typed is kept.
  const submit = 'main form[action$="/places"] button[type=submit]';
  await page.fill('#secure-distant_total', '4');
  await page.fill('#secure-distant_free', '9');
  const refused = await navigate(page, () => page.click(submit));
  assert.equal(refused.status(), 422);
  assert.equal(await page.locator('#secure-distant_free-error').count(), 1);
  assert.equal(await page.inputValue('#secure-distant_free'), '9');
  await check(page, 'directory service, places refused');
  await page.fill('#secure-distant_free', '1');
  const done = await navigate(page, () => page.click(submit));
  assert.equal(done.status(), 200);
  assert.equal(await page.locator('main .fr-alert--success').count(), 1, 'confirmation banner');
  assert.match(await page.locator('#directory-places').innerText(), /1 libre\(s\) sur 4/);
  await check(page, 'directory service, places updated');

  await goto(page, '/directory/prefectures');
  assert.equal(await page.locator('#prefecture-departement option').count(), 1 + 101, 'all, or one of 101 départements');
  await page.selectOption('#prefecture-departement', '33');
  await navigate(page, () => page.click('main form[action="/directory/prefectures"] button[type=submit]'));
  const contacts = page.locator('#prefecture-contacts tbody tr');
  assert.equal(await contacts.count(), 1);
  assert.match(await contacts.innerText(), /referent-teh-33@demo\.relais\.test/);
  await check(page, 'prefecture contacts of a département');
  await context.close();
});

// ---------------------------------------------------------------- identification workflow (issue 4)

const SECOND_DECISION_MAKER = 'decision@demo.relais.test';
/** The case that received a positive preliminary decision below. */
let decidedCaseUrl;

step('cases: accept in triage, preliminary decision with reasons, letter, timeliness dashboard', async () => {
  const context = await newContext();
  const page = await context.newPage();
  await signIn(page, IDENTIFICATION);
  await goto(page, '/triage');
  const rows = page.locator('main table a[href^="/triage/"]');
  assert.ok((await rows.count()) > 0, 'demo referrals wait in triage');
  // An item that can be accepted (not an anonymous notification).
  let accepted = false;
  for (let i = 0; i < (await rows.count()) && !accepted; i += 1) {
    await goto(page, '/triage');
    await navigate(page, () => page.locator('main table a[href^="/triage/"]').nth(i).click());
    const accept = page.locator('form[action$="/accept"] button[type=submit]');
    if ((await accept.count()) > 0) {
      await navigate(page, () => accept.click());
      accepted = true;
    }
  }
  assert.ok(accepted, 'a referral was accepted');
  // The confirmation links to the case it opened (the queue also holds the demo's history).
  const opened = await page.locator('main [role=status] a[href^="/cases/"]').getAttribute('href');

  const queue = await goto(page, '/cases');
  await check(page, 'case queue', { status: 200, response: queue });
  await navigate(page, () => page.locator(`main table a[href="${opened}"]`).click());
  await check(page, 'case decision page');
  await page.check('#event-preliminary-positive', { force: true });
  const refused = await navigate(page, () => page.click('main form[action$="/events"] button[type=submit]'));
  assert.equal(refused.status(), 422, 'a decision needs a reason');
  await check(page, 'case decision page, missing reason');
  await page.check('#reason-indicators', { force: true });
  await navigate(page, () => page.click('main form[action$="/events"] button[type=submit]'));
  assert.match(await page.locator('main').innerText(), /R\.425-2/);
  await check(page, 'case in the reflection period');
  const caseUrl = new URL(page.url()).pathname;
  decidedCaseUrl = caseUrl;
  await navigate(page, () => page.click('main a[href$="/letter"]'));
  // The letter speaks the person's language where it has a translation; read it in French.
  await navigate(page, () => page.click('main a[lang="fr"]'));
  assert.match(await page.locator('main').innerText(), /motifs raisonnables/);
  await check(page, 'decision letter');

  // The case file: a health note, then a share with the police unit (consent recorded).
  await goto(page, `${caseUrl}/file`);
  await check(page, 'case file');
  await page.selectOption('#sensitivity', 'health');
  await page.fill('#body', 'Note de santé visible des seuls rôles autorisés');
  await navigate(page, () => page.click('main form[action$="/notes"] button[type=submit]'));
  await page.selectOption('#document_sensitivity', 'general');
  await page.setInputFiles('#document', { name: 'convocation.txt', mimeType: 'text/plain', buffer: Buffer.from('Convocation mardi 10h') });
  await navigate(page, () => page.click('main form[action$="/documents"] button[type=submit]'));
  assert.equal(await page.locator('main a[href*="/file/documents/"]').count(), 1, 'the document is listed');
  const missing = await navigate(page, () => page.click('main form[action$="/shares"] button[type=submit]'));
  assert.equal(missing.status(), 422);
  await check(page, 'case file, share form with errors');
  const police = await page.locator('#organisation_id option', { hasText: 'Commissariat de Saint-Denis' }).getAttribute('value');
  await page.selectOption('#organisation_id', police);
  await page.selectOption('#purpose', 'investigation');
  await page.check('#basis-consent', { force: true });
  await navigate(page, () => page.click('main form[action$="/shares"] button[type=submit]'));
  assert.match(await page.locator('main').innerText(), /Commissariat de Saint-Denis/);
  await check(page, 'case file, shared');

  // The person's record with safe-contact instructions, and a dependant.
  await goto(page, `${caseUrl}/file/people`);
  await check(page, 'person and dependants');
  await page.fill('#birth_date_month', '13');
  const wrong = await navigate(page, () => page.click('main form[action$="/people/person"] button[type=submit]'));
  assert.equal(wrong.status(), 422);
  await check(page, 'person record with errors');
  await page.fill('#birth_date_month', '');
  await page.selectOption('#nationality', 'NGA');
  await page.check('#do_not_call', { force: true });
  await page.fill('#through_whom', 'Association du Relais');
  await navigate(page, () => page.click('main form[action$="/people/person"] button[type=submit]'));
  await page.fill('#name', 'Lena');
  await page.selectOption('#relation', 'child');
  await page.fill('#birth_year', '2019');
  await navigate(page, () => page.click('main form[action$="/people/dependants"] button[type=submit]'));
  assert.match(await page.locator('main').innerText(), /Ne jamais téléphoner[\s\S]*Lena/);
  await check(page, 'person record saved, a dependant');

  // The police unit sees the shared case without its health note.
  const policeContext = await newContext();
  const policePage = await policeContext.newPage();
  await signIn(policePage, POLICE);
  await goto(policePage, '/shared-cases');
  await check(policePage, 'cases shared with my organisation');
  await navigate(policePage, () => policePage.click('main a[href$="/file"]'));
  assert.doesNotMatch(await policePage.locator('main').innerText(), /Note de santé/);
  await check(policePage, 'shared case file, as the police');
  await policeContext.close();

  const dashboard = await goto(page, '/statistics/timeliness');
  assert.ok((await page.locator('main svg[role=img]').count()) >= 1, 'a chart');
  await check(page, 'timeliness dashboard', { status: 200, response: dashboard });
  await context.close();
});

/** A date `days` from the server's today (the test clock's offset included), as YYYY-MM-DD. */
function serverDay(days) {
  return new Date(Date.now() + (clockOffsetSeconds + days * 86_400) * 1000).toISOString().slice(0, 10);
}

const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

/** A day typed as YYYY-MM-DD, as the pages show it: "14 novembre 2026", "1er décembre 2026". */
function inWords(iso) {
  const [year, month, day] = iso.split('-').map(Number);
  return `${day === 1 ? '1er' : day} ${MONTHS[month - 1]} ${year}`;
}

step('support: needs assessed (an error first), the case plan, residence permits whose renewal reaches the case queue', async () => {
  assert.ok(decidedCaseUrl, 'an earlier step decided a case');
  const context = await newContext();
  const page = await context.newPage();
  await signIn(page, IDENTIFICATION);
  await goto(page, decidedCaseUrl);
  await navigate(page, () => page.click(`main a[href="${decidedCaseUrl}/support"]`));
  await check(page, 'support page, nothing assessed yet');

  // Accommodation without its type: the field is named, what was typed stays.
  await page.check('#accommodation-assessed', { force: true });
  await page.selectOption('#accommodation-urgency', 'immediate');
  await page.selectOption('#accommodation-status', 'open');
  await page.fill('#accommodation-actor', 'Ac.Sé');
  const refused = await navigate(page, () => page.click('main form[action$="/support/needs"] button[type=submit]'));
  assert.equal(refused.status(), 422);
  assert.match(await page.locator('#accommodation-accommodation-error').innerText(), /type d’hébergement/);
  assert.equal(await page.inputValue('#accommodation-actor'), 'Ac.Sé');
  assert.equal(await page.inputValue('#accommodation-urgency'), 'immediate');
  await check(page, 'support page, assessment with errors');
  await page.selectOption('#accommodation-accommodation', 'secure-distant');
  await page.check('#medical-assessed', { force: true });
  await page.selectOption('#medical-urgency', 'high');
  await page.selectOption('#medical-status', 'open');
  await page.check('#legal-aid-assessed', { force: true });
  await page.selectOption('#legal-aid-urgency', 'normal');
  await page.selectOption('#legal-aid-status', 'unmet');
  await page.selectOption('#legal-aid-unmet_reason', 'waiting-list');
  await navigate(page, () => page.click('main form[action$="/support/needs"] button[type=submit]'));
  assert.match(await page.locator('main .fr-alert--success').innerText(), /évaluation des besoins est enregistrée/);
  const plan = await page.locator('#plan').innerText();
  assert.match(plan, /Hébergement sécurisé éloigné/);
  assert.ok(plan.indexOf('Hébergement') < plan.indexOf('Aide juridictionnelle'), 'the immediate need comes first');
  await check(page, 'support page, case plan');

  // A reflection-period receipt applied for, then a temporary residence card whose renewal is due.
  await page.selectOption('#permit_kind', 'reflection-receipt');
  await page.selectOption('#permit_prefecture', '93');
  await page.fill('#permit_applied_on', serverDay(0));
  await page.selectOption('#permit_outcome', 'pending');
  await navigate(page, () => page.click('main form[action$="/support/permits"] button[type=submit]'));
  assert.match(await page.locator('#permits').innerText(), /R\.425-2/);
  await page.selectOption('#permit_kind', 'temporary-residence-card');
  await page.selectOption('#permit_prefecture', '93');
  await page.selectOption('#permit_outcome', 'granted');
  const missing = await navigate(page, () => page.click('main form[action$="/support/permits"] button[type=submit]'));
  assert.equal(missing.status(), 422, 'a granted permit has a decision date');
  await check(page, 'support page, permit with errors');
  const renewal = serverDay(-20);
  await page.fill('#permit_decided_on', serverDay(-325));
  await page.fill('#permit_expires_on', serverDay(40));
  await navigate(page, () => page.click('main form[action$="/support/permits"] button[type=submit]'));
  const permits = await page.locator('#permits').innerText();
  assert.match(permits, /L\.425-1/);
  assert.ok(permits.includes(inWords(renewal)), 'the renewal date is shown');
  await check(page, 'support page, rights tracker');

  const queue = await goto(page, '/cases');
  const row = page.locator('main tr', { has: page.locator(`a[href="${decidedCaseUrl}"]`) });
  const text = await row.innerText();
  assert.match(text, /renouvellement du titre/);
  assert.ok(text.includes(inWords(renewal)), 'the queue shows the renewal date');
  assert.match(await row.getAttribute('class'), /relais-deadline-overdue/);
  await check(page, 'case queue with a permit renewal', { status: 200, response: queue });
  await context.close();
});

const NETWORK_SHELTER = 'reseau@demo.relais.test';

step('onward: a safe distant placement request, matching with exclusions explained, the shelter accepts, the placement is recorded', async () => {
  assert.ok(decidedCaseUrl, 'an earlier step decided a case');
  const context = await newContext();
  const page = await context.newPage();
  await signIn(page, IDENTIFICATION);
  await goto(page, `${decidedCaseUrl}/file`);
  await navigate(page, () => page.click('main a[href$="/onward"]'));
  await check(page, 'onward referrals of a case');
  await navigate(page, () => page.click('main a[href$="/onward/placement"]'));
  await check(page, 'safe distant placement request');
  const missing = await navigate(page, () => page.click('main form[action$="/onward/placement"] button[type=submit]'));
  assert.equal(missing.status(), 422);
  await check(page, 'safe distant placement request with errors');
  await page.fill('#places', '93');
  await page.fill('#avoid', '93');
  await page.fill('#children', '0');
  await page.fill('#needs', 'Hébergement sécurisé loin de la Seine-Saint-Denis');
  // The form starts from the person's languages (web test `pickers`); French is spoken in every demo shelter.
  await page.fill('#languages', 'fr');
  await page.check('#basis-consent', { force: true });
  await navigate(page, () => page.click('main form[action$="/onward/placement"] button[type=submit]'));
  const matching = await page.locator('main table').last().innerText();
  assert.match(matching, /Foyer Horizon — Montreuil[\s\S]*Complet : aucune place libre/, 'a full shelter is excluded, with the reason');
  assert.match(matching, /Maison Passerelle[^\n]*[\s\S]*Trop proche du 93/, 'a shelter too close is excluded, with its distance');
  await check(page, 'safe distant placement matching');
  const strasbourg = page.locator('main tr', { hasText: 'Maison Rhin — Strasbourg' });
  const strasbourgRow = await strasbourg.innerText();
  assert.match(strasbourgRow, /Proposé/i, `a distant shelter with a free place is proposed: ${strasbourgRow}`);
  await navigate(page, () => strasbourg.locator('button[type=submit]').click());
  assert.match(await page.locator('main').innerText(), /Mise à l’abri éloignée \(Ac\.Sé\)[\s\S]*Envoyée/i);
  await check(page, 'onward referrals, placement request sent');
  await context.close();

  const shelterContext = await newContext();
  const shelter = await shelterContext.newPage();
  await signIn(shelter, NETWORK_SHELTER);
  // The network's dashboard lists the request to answer, who sent it and how to reach them.
  assert.equal(new URL(shelter.url()).pathname, '/dashboard');
  const pending = await shelter.locator('main table', { has: shelter.locator('#pending-caption') }).innerText();
  assert.match(pending, /Mise à l’abri éloignée \(Ac\.Sé\)[\s\S]*Alix Identification[\s\S]*identification@demo\.relais\.test/);
  await check(shelter, 'a placement network\'s dashboard with the request to answer');
  await goto(shelter, '/onward');
  await check(shelter, 'referrals received by a shelter');
  await navigate(shelter, () => shelter.locator('main table a[href^="/onward/"]').first().click());
  await check(shelter, 'a referral received, only what was sent');
  const itemUrl = new URL(shelter.url()).pathname;
  assert.doesNotMatch(await shelter.locator('main').innerText(), /Circonstances|circumstances/i);
  const caseFile = await goto(shelter, `${decidedCaseUrl}/file`);
  assert.equal(caseFile.status(), 404, 'the shelter cannot open the case file');
  await goto(shelter, itemUrl);
  await shelter.selectOption('#event', 'accept');
  await navigate(shelter, () => shelter.click('main form[action$="/answer"] button[type=submit]'));
  assert.match(await shelter.locator('main').innerText(), /Acceptée/i);
  await check(shelter, 'a referral accepted: the placement is recorded');
  await shelterContext.close();
});

step('cases: the reflection period ends (test clock), a negative formal decision takes effect with four eyes, its letter', async () => {
  assert.ok(decidedCaseUrl, 'the previous step decided a case');
  const context = await newContext();
  const page = await context.newPage();
  await signIn(page, IDENTIFICATION);
  await goto(page, decidedCaseUrl);
  // Before the period ends the formal decision is not offered.
  assert.equal(await page.locator('#event-formal-negative').count(), 0, 'no formal decision during the reflection period');
  await context.close();

  advanceClock(31);
  const first = await newContext();
  const firstPage = await first.newPage();
  await signIn(firstPage, IDENTIFICATION);
  await goto(firstPage, decidedCaseUrl);
  await firstPage.check('#event-formal-negative', { force: true });
  await firstPage.check('#reason-insufficient-information', { force: true });
  await firstPage.fill('#note', 'Les éléments recueillis ne permettent pas de conclure.');
  await navigate(firstPage, () => firstPage.click('main form[action$="/events"] button[type=submit]'));
  await check(firstPage, 'case with a negative decision waiting for a second decision-maker');
  // The proposer cannot confirm their own negative decision.
  assert.equal(await firstPage.locator('#event-confirm-decision').count(), 0, 'no self-confirmation');
  await first.close();

  const second = await newContext();
  const secondPage = await second.newPage();
  await signIn(secondPage, SECOND_DECISION_MAKER);
  await goto(secondPage, decidedCaseUrl);
  // Confirming states no reasons of its own: the proposed decision's stand.
  await secondPage.check('#event-confirm-decision', { force: true });
  await navigate(secondPage, () => secondPage.click('main form[action$="/events"] button[type=submit]'));
  await check(secondPage, 'case after the confirmed negative formal decision');
  await navigate(secondPage, () => secondPage.click('main a[href$="/letter"]'));
  await navigate(secondPage, () => secondPage.click('main a[lang="fr"]'));
  const letter = await secondPage.locator('main').innerText();
  assert.match(letter, /ne vous reconnaît pas comme victime/);
  assert.match(letter, /Demander un réexamen/);
  await check(secondPage, 'formal decision letter');
  await second.close();
});

// ---------------------------------------------------------------- last: problems seen on any page

step('no uncaught script error, CSP violation, server error or failed asset on any page', async () => {
  assert.ok(checkedPages.length > 0, 'pages were visited');
  // One line per distinct problem, with the pages where it happened.
  const byText = new Map();
  for (const { path: where, text } of browserProblems) byText.set(text, new Set([...(byText.get(text) || []), where]));
  const report = [...byText].map(([text, paths]) => `${text}\n    on ${[...paths].join(', ')}`);
  assert.equal(report.length, 0, `browser problems:\n${report.join('\n')}`);
});

// ======================================================= data protection (issue 11, part 2)
// Emergency access by an officer outside the case's territory (alerts, the
// DPO's review), a subject-access request and an erasure each confirmed by
// the data-protection officer (four eyes), a legal hold, and the retention
// report with its confirmation page. Every new page is axe-checked.

const DPO = 'dpd@demo.relais.test';
const NORD_OFFICER = 'identification-nord@demo.relais.test';
/** The reference of the case these steps work on (its referral's reference). */
let privacyReference;

/** A case in the Bouches-du-Rhône (outside the Nord's reach): referred by the police, accepted in triage. */
async function privacyCase() {
  const context = await newContext();
  const page = await context.newPage();
  await signIn(page, POLICE);
  await quickReferral(page, { family: `Protection-${unique}`, age: 'adult', consent: 'given' });
  const reference = await submitChecked(page);
  await context.close();
  const officer = await newContext();
  const triage = await officer.newPage();
  await signIn(triage, IDENTIFICATION);
  await openTriageItem(triage, reference);
  await navigate(triage, () => triage.click('form[action$="/accept"] button[type=submit]'));
  await officer.close();
  return reference;
}

step('data protection: emergency access outside the territory, the lead is alerted, the DPO reviews it', async () => {
  privacyReference = await privacyCase();
  const nordContext = await newContext();
  const nord = await nordContext.newPage();
  await signIn(nord, NORD_OFFICER);
  const form = await goto(nord, '/emergency-access');
  await check(nord, 'emergency access form', { status: 200, response: form });
  await nord.fill('#reference', privacyReference);
  const refused = await navigate(nord, () => nord.click('main button[type=submit]'));
  assert.equal(refused.status(), 422, 'a reason and the certification are required');
  assert.equal(await nord.inputValue('#reference'), privacyReference, 'the reference typed is kept');
  await check(nord, 'emergency access form with errors');
  await nord.fill('#reason', 'La personne est aux urgences de Lille ; l’autorité qui suit le dossier est injoignable.');
  await nord.check('#certify', { force: true });
  await navigate(nord, () => nord.click('main button[type=submit]'));
  assert.match(new URL(nord.url()).pathname, /^\/emergency-access\/[0-9a-f]{32}$/);
  assert.match(await nord.locator('main').innerText(), new RegExp(`Protection-${unique}`));
  assert.match(await nord.locator('main').innerText(), /lecture seule/);
  await check(nord, 'emergency access: the case, read-only');
  await nordContext.close();

  // The authority leading the case sees the alert and takes note of it.
  const leadContext = await newContext();
  const lead = await leadContext.newPage();
  await signIn(lead, IDENTIFICATION);
  assert.equal(await lead.locator('main a[href="/privacy/alerts"]').count(), 1, 'the dashboard shows the alert');
  await navigate(lead, () => lead.click('main a[href="/privacy/alerts"]'));
  assert.match(await lead.locator('main').innerText(), /urgences de Lille/);
  await check(lead, 'emergency accesses to my organisation’s cases');
  await navigate(lead, () => lead.locator('main form[action$="/acknowledge"] button').first().click());
  assert.match(await lead.locator('main .fr-alert--success').innerText(), /pris connaissance/);
  await check(lead, 'alert acknowledged');
  await leadContext.close();

  // The DPO reviews it: a finding is required.
  const dpoContext = await newContext();
  const dpo = await dpoContext.newPage();
  await signIn(dpo, DPO);
  assert.equal(await dpo.locator('main a[href="/privacy/break-glass"]').count(), 1, 'the DPO’s dashboard lists it');
  const hub = await goto(dpo, '/privacy');
  await check(dpo, 'data protection hub (DPO)', { status: 200, response: hub });
  await goto(dpo, '/privacy/break-glass');
  await check(dpo, 'emergency accesses to review');
  const card = dpo.locator('main .fr-card', { hasText: privacyReference });
  const missing = await navigate(dpo, () => card.locator('button[type=submit]').click());
  assert.equal(missing.status(), 422);
  await check(dpo, 'emergency access review without a finding');
  const again = dpo.locator('main .fr-card', { hasText: privacyReference });
  await again.locator('input[value="justified"]').check({ force: true });
  await again.locator('textarea').fill('Appel du service des urgences vérifié.');
  await navigate(dpo, () => again.locator('button[type=submit]').click());
  assert.match(await dpo.locator('main .fr-alert--success').innerText(), /examiné/);
  assert.equal(await dpo.locator('main .fr-card', { hasText: privacyReference }).count(), 0, 'no longer waiting');
  await check(dpo, 'emergency access reviewed');
  await dpoContext.close();
});

/** Opens the data-protection page of the case from its reference. */
async function openProtection(page, reference) {
  await goto(page, '/privacy');
  await page.fill('#reference', reference);
  await navigate(page, () => page.click('main form[action="/privacy/lookup"] button[type=submit]'));
  assert.match(new URL(page.url()).pathname, /^\/privacy\/cases\/[0-9a-f]{32}$/);
}

step('data protection: a subject-access request, confirmed by the DPO, the export as a page and JSON', async () => {
  requires(privacyReference, 'the case of the emergency-access step');
  const context = await newContext();
  const page = await context.newPage();
  await signIn(page, IDENTIFICATION);
  await goto(page, '/privacy');
  await check(page, 'data protection hub (officer)');
  await openProtection(page, privacyReference);
  await check(page, 'data protection of a case');
  await page.fill('#request_reason', 'Courrier de la personne reçu le 3 mars');
  const refused = await navigate(page, () => page.click('main form[action$="/requests"] button[type=submit]'));
  assert.equal(refused.status(), 422, 'the kind of request is required');
  assert.equal(await page.inputValue('#request_reason'), 'Courrier de la personne reçu le 3 mars');
  await check(page, 'a request with errors');
  await page.check('#kind-access', { force: true });
  await navigate(page, () => page.click('main form[action$="/requests"] button[type=submit]'));
  assert.match(await page.locator('main').innerText(), /une autre personne doit la confirmer/);
  assert.equal(await page.locator('main form[action$="/confirm"]').count(), 0, 'the requester cannot confirm');
  await check(page, 'a request waiting for confirmation');
  const requestUrl = new URL(page.url()).pathname;
  await context.close();

  const dpoContext = await newContext();
  const dpo = await dpoContext.newPage();
  await signIn(dpo, DPO);
  await goto(dpo, '/privacy/requests');
  await check(dpo, 'requests from people');
  await goto(dpo, requestUrl);
  await check(dpo, 'an access request to confirm');
  await navigate(dpo, () => dpo.click('main form[action$="/confirm"] button[type=submit]'));
  assert.match(await dpo.locator('main .fr-alert--success').innerText(), /export est disponible/);
  await check(dpo, 'access request confirmed');
  await navigate(dpo, () => dpo.click('main a[href$="/export"]'));
  const exported = await dpo.locator('main').innerText();
  assert.match(exported, new RegExp(`Protection-${unique}`));
  assert.match(exported, /Consultations du dossier/);
  await check(dpo, 'subject-access export, printable');
  const json = await dpo.request.get(new URL(`${requestUrl}/export/json`, baseUrl).href);
  assert.equal(json.status(), 200);
  assert.match(json.headers()['content-type'], /^application\/json/);
  const body = await json.json();
  assert.equal(body.cases[0].reference, privacyReference);
  await dpoContext.close();
});

step('data protection: a legal hold stops erasure; lifted, an erasure confirmed by the DPO deletes the case', async () => {
  requires(privacyReference, 'the case of the emergency-access step');
  const context = await newContext();
  const page = await context.newPage();
  await signIn(page, IDENTIFICATION);
  await openProtection(page, privacyReference);
  const caseUrl = new URL(page.url()).pathname;
  const caseId = caseUrl.split('/').pop();
  await page.fill('#hold_reason', 'Procédure pénale en cours au parquet de Marseille');
  await navigate(page, () => page.click('main form[action$="/hold"] button[type=submit]'));
  assert.match(await page.locator('main .fr-alert--success').innerText(), /suspension/i);
  await check(page, 'a case under a legal hold');
  await page.check('#kind-erasure', { force: true });
  await page.fill('#request_reason', 'La personne demande l’effacement de ses données');
  const held = await navigate(page, () => page.click('main form[action$="/requests"] button[type=submit]'));
  assert.equal(held.status(), 422, 'no erasure under a legal hold');
  assert.match(await page.locator('main').innerText(), /suspendu pour motif juridique/);
  await check(page, 'an erasure refused under a legal hold');
  await page.fill('#lift_reason', 'Jugement définitif rendu');
  await navigate(page, () => page.click('main form[action$="/hold/lift"] button[type=submit]'));
  assert.match(await page.locator('main .fr-alert--success').innerText(), /levée/);
  await page.check('#kind-erasure', { force: true });
  await page.fill('#request_reason', 'La personne demande l’effacement de ses données');
  await navigate(page, () => page.click('main form[action$="/requests"] button[type=submit]'));
  const requestUrl = new URL(page.url()).pathname;
  await context.close();

  const dpoContext = await newContext();
  const dpo = await dpoContext.newPage();
  await signIn(dpo, DPO);
  await goto(dpo, requestUrl);
  assert.match(await dpo.locator('main').innerText(), /Cette action est définitive/);
  assert.ok((await dpo.locator('main table tbody tr').count()) > 3, 'what will be deleted, table by table');
  await check(dpo, 'erasure confirmation page');
  await navigate(dpo, () => dpo.click('main form[action$="/confirm"] button[type=submit]'));
  assert.match(await dpo.locator('main .fr-alert--success').innerText(), /effacement est fait/);
  await check(dpo, 'erasure done');
  await dpoContext.close();

  const after = await newContext();
  const officer = await after.newPage();
  await signIn(officer, IDENTIFICATION);
  const gone = await goto(officer, `/cases/${caseId}/file`);
  assert.equal(gone.status(), 404, 'the case no longer exists');
  await after.close();
});

step('data protection: the retention report, its confirmation page and run, the records of processing', async () => {
  // A draft left unfinished, then seven months later (test clock) it is past its six months.
  const context = await newContext();
  const page = await context.newPage();
  await signIn(page, POLICE);
  await goto(page, '/referrals');
  await navigate(page, () => page.click('main form[action="/referrals"] button[type=submit]'));
  await context.close();
  advanceClock(213);

  const dpoContext = await newContext();
  const dpo = await dpoContext.newPage();
  await signIn(dpo, DPO);
  const report = await goto(dpo, '/privacy/retention');
  await check(dpo, 'retention report', { status: 200, response: report });
  const drafts = dpo.locator('#retention-schedule tr', { hasText: 'Brouillons' }).locator('td').last();
  assert.ok(Number(await drafts.innerText()) >= 1, 'the old draft is due');
  await navigate(dpo, () => dpo.click('main a[href="/privacy/retention/confirm"]'));
  assert.match(await dpo.locator('main').innerText(), /supprimés définitivement/);
  await check(dpo, 'retention: confirmation page');
  await navigate(dpo, () => dpo.click('main form[action="/privacy/retention/run"] button[type=submit]'));
  assert.match(await dpo.locator('main .fr-alert--success').innerText(), /suppression des données/);
  assert.match(await dpo.locator('main').innerText(), /Brouillons d’orientation : [1-9]/);
  assert.equal(await dpo.locator('#retention-schedule tr', { hasText: 'Brouillons' }).locator('td').last().innerText(), '0');
  await check(dpo, 'retention: run done');
  const register = await goto(dpo, '/privacy/register');
  assert.match(await dpo.locator('main').innerText(), /Identification et accompagnement des victimes/);
  await check(dpo, 'records of processing', { status: 200, response: register });
  const audit = await goto(dpo, '/admin/audit');
  assert.match(await dpo.locator('main').innerText(), /Effacement en fin de conservation/);
  await check(dpo, 'audit log, as the DPO', { status: 200, response: audit });
  await dpoContext.close();
});

// ---------------------------------------------------------------- national action plans (issue 13)

const COORDINATOR = 'coordination@demo.relais.test';
const RAPPORTEUR = 'rapporteur@demo.relais.test';

step('plans: the coordinator imports and updates a plan, the rapporteur rates it, the public page shows it', async () => {
  const context = await newContext();
  const page = await context.newPage();
  await signIn(page, COORDINATOR);
  const list = await goto(page, '/coordination/plans');
  await check(page, 'plans', { status: 200, response: list });
  assert.match(await page.locator('#plans').innerText(), /2e plan d'action national/);

  await navigate(page, () => page.click('main a[href="/coordination/import"]'));
  await check(page, 'plan import form');
  const csv = [
    'axis,axis_title,action,action_title,measure,title,pilot,partners,deadline,indicator,baseline,target,cost_eur,funding,status,rapporteur_status',
    '1,Prévenir,1,Former,1,Former les agents de France Travail (test),MIPROF,,2027,Agents formés,0,500,"25 000,00",AGRASC,en cours,',
    '1,,1,,2,Mesure sans pilote (test),,,,,,,,,,',
  ].join('\n');
  await page.fill('#code', 'PNLTEH-3-TEST');
  await page.fill('#title', 'Plan de test');
  await page.fill('#start', '2027');
  await page.fill('#end', '2024');
  await page.setInputFiles('#file', { name: 'plan.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  const refused = await navigate(page, () => page.click('main form[action="/coordination/import"] button[type=submit]'));
  assert.equal(refused.status(), 422);
  assert.equal(await page.inputValue('#code'), 'PNLTEH-3-TEST', 'what was typed is kept');
  assert.match(await page.locator('main .fr-alert--error').innerText(), /Période/);
  await check(page, 'plan import refused');
  await page.fill('#start', '2024');
  await page.fill('#end', '2027');
  await page.check('#create_bodies', { force: true });
  await page.setInputFiles('#file', { name: 'plan.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await navigate(page, () => page.click('main form[action="/coordination/import"] button[type=submit]'));
  assert.match(new URL(page.url()).pathname, /\/coordination\/plans\/PNLTEH-3-TEST$/);
  assert.match(await page.locator('#notice').innerText(), /importé/);
  assert.match(await page.locator('main').innerText(), /2 mesures, dont 1 complètes/);
  await check(page, 'plan: completeness');

  await navigate(page, () => page.click('#measures a[href$="/measures/2"]'));
  await check(page, 'plan measure, coordinator');
  await page.selectOption('#pilot', 'MIPROF');
  await page.fill('#deadline', '2026-06');
  await page.fill('#cost_eur', '1 000');
  await page.selectOption('#status-select', 'done');
  await navigate(page, () => page.click('#edit-form button[type=submit]'));
  assert.match(await page.locator('#notice').innerText(), /mise à jour/);
  assert.match(await page.locator('#history').innerText(), /Version 2/);
  await check(page, 'plan measure updated, with its history');

  await goto(page, '/coordination/plans/PNLTEH-3-TEST');
  await navigate(page, () => page.click('main form[action$="/publication"] button[type=submit]'));
  assert.match(await page.locator('#notice').innerText(), /publié/);
  await context.close();

  const rapporteurContext = await newContext();
  const rapporteur = await rapporteurContext.newPage();
  await signIn(rapporteur, RAPPORTEUR);
  await goto(rapporteur, '/coordination/plans/PNLTEH-3-TEST/measures/2');
  assert.equal(await rapporteur.locator('#edit-form').count(), 0, 'the rapporteur does not edit measures');
  await rapporteur.check('#rating-not_done', { force: true });
  await navigate(rapporteur, () => rapporteur.click('#rate-form button[type=submit]'));
  assert.equal(await rapporteur.locator('#justification-error').count(), 1, 'a rating needs its reasons');
  await check(rapporteur, 'plan rating refused');
  await rapporteur.fill('#justification', 'Aucune trace de réalisation.');
  await navigate(rapporteur, () => rapporteur.click('#rate-form button[type=submit]'));
  assert.match(await rapporteur.locator('#rating').innerText(), /Non réalisée\s+Divergence/i);
  await check(rapporteur, 'plan measure rated, divergence shown');
  await goto(rapporteur, '/coordination/plans/PNLTEH-3-TEST');
  assert.match(await rapporteur.locator('#divergence').innerText(), /1 mesures/);
  await rapporteurContext.close();

  const publicContext = await newContext();
  const visitor = await publicContext.newPage();
  const published = await goto(visitor, '/plans');
  await check(visitor, 'public plans page', { status: 200, response: published });
  assert.equal(await visitor.locator('#plan-PNLTEH-3-TEST').count(), 1);
  assert.equal(await visitor.locator('#plan-PNLTEH-2').count(), 1, 'the demo 2nd plan is published');
  assert.match(await visitor.locator('#rating-PNLTEH-2-table').innerText(), /Non réalisée\s+2/);
  await publicContext.close();
});

const FOCAL_POINT = 'correspondant@demo.relais.test';

step('rounds: the demo round asks the directorate, its focal point answers, the coordinator validates', async () => {
  const context = await newContext();
  const page = await context.newPage();
  await signIn(page, COORDINATOR);
  await goto(page, '/coordination/plans');
  await navigate(page, () => page.click('main a[href="/coordination/bodies"]'));
  await check(page, 'plan bodies and their organisations');
  assert.match(await page.locator('#bodies').innerText(), /DGCS/);
  await goto(page, '/coordination/plans/DEMO-FICTIF');
  await navigate(page, () => page.click('main a[href="/coordination/plans/DEMO-FICTIF/rounds"]'));
  await check(page, 'reporting rounds of a plan');
  await navigate(page, () => page.click('#rounds a'));
  const roundPath = new URL(page.url()).pathname;
  assert.match(await page.locator('#bodies').innerText(), /Aucun correspondant dans Relais/i, 'bodies nobody can answer for are named');
  await check(page, 'reporting round progress');
  await context.close();

  const focalContext = await newContext();
  const focal = await focalContext.newPage();
  await signIn(focal, FOCAL_POINT);
  await navigate(focal, () => focal.click('nav a[href="/coordination/asked"]'));
  await check(focal, 'measures asked of the focal point');
  await navigate(focal, () => focal.click('#asked a[href$="/measures/2"]'));
  await check(focal, 'a measure to update');
  await focal.check('#status-done', { force: true });
  await focal.fill('#indicator_value', '100');
  await focal.fill('#spent_eur', '310 000');
  await navigate(focal, () => focal.click('#report-form button[type=submit]'));
  assert.equal(await focal.locator('#evidence-error').count(), 1, 'a status needs its evidence');
  assert.equal(await focal.locator('#indicator_date-error').count(), 1, 'a value needs its date');
  assert.equal(await focal.inputValue('#spent_eur'), '310 000', 'what was typed is kept');
  await check(focal, 'a measure update refused, with its errors');
  await focal.fill('#evidence', '100 places ouvertes, dont 25 à Lyon et Marseille (fictif)');
  await focal.fill('#indicator_date', '2026-11-30');
  await navigate(focal, () => focal.click('#report-form button[type=submit]'));
  assert.match(await focal.locator('#notice').innerText(), /envoyée/);
  assert.match(await focal.locator('#asked').innerText(), /À valider/);
  await focalContext.close();

  const coordinatorContext = await newContext();
  const coordinator = await coordinatorContext.newPage();
  await signIn(coordinator, COORDINATOR);
  await goto(coordinator, `${roundPath}/measures/2`);
  assert.match(await coordinator.locator('#update-facts').innerText(), /100 au 30 novembre 2026/);
  await check(coordinator, 'an update to validate');
  await coordinator.check('#decision-validate', { force: true });
  await navigate(coordinator, () => coordinator.click('#decide-form button[type=submit]'));
  assert.match(await coordinator.locator('#notice').innerText(), /validée/);
  assert.match(await coordinator.locator('#updates').innerText(), /Validée/i);
  await goto(coordinator, '/coordination/plans/DEMO-FICTIF/measures/2');
  assert.match(await coordinator.locator('#status').innerText(), /^Réalisée$/);
  assert.match(await coordinator.locator('#history').innerText(), /Version 2/);
  await coordinatorContext.close();
});

// ---------------------------------------------------------------- coordination committee (issue 13)

const COMMITTEE_MEMBER = 'comite@demo.relais.test';

step('committee: the coordinator adds a member, records a meeting as held with minutes, a decision and an action item linked to a measure', async () => {
  const context = await newContext();
  const page = await context.newPage();
  await signIn(page, COORDINATOR);
  const committee = await goto(page, '/coordination/committee');
  await check(page, 'committee', { status: 200, response: committee });
  assert.match(await page.locator('#members').innerText(), /Membres par collège/);
  assert.match(await page.locator('#meetings-2025').innerText(), /tenue/i, 'the demo meetings of 2025');

  // A member with a wrong address: refused, the question named, what was typed kept.
  const name = `Membre navigateur ${unique} (fictif)`;
  await page.fill('#member-name', name);
  await page.selectOption('#member-category', 'trade-union');
  await page.fill('#member-organisation', 'Syndicat de test (fictif)');
  await page.fill('#member-email', 'pas-une-adresse');
  const refused = await navigate(page, () => page.click('#member-form button[type=submit]'));
  assert.equal(refused.status(), 422);
  assert.match(await page.locator('main .fr-alert--error').innerText(), /Adresse électronique/);
  assert.equal(await page.inputValue('#member-name'), name, 'what was typed is kept');
  await check(page, 'committee: member refused');
  await page.fill('#member-email', `membre-${unique}@example.test`);
  await navigate(page, () => page.click('#member-form button[type=submit]'));
  assert.match(await page.locator('#notice').innerText(), /ajouté/);
  assert.match(await page.locator('#members-trade-union').innerText(), new RegExp(`Membre navigateur ${unique}`));

  await page.fill('#date', '2026-11-20');
  await page.fill('#start', '14:00');
  await page.fill('#end', '16:30');
  await page.fill('#place', 'Paris, salle du test (fictive)');
  await page.fill('#agenda', '1. Bilan (fictif)\n2. Actions (fictif)');
  await navigate(page, () => page.click('#meeting-form button[type=submit]'));
  assert.match(new URL(page.url()).pathname, /^\/coordination\/committee\/meetings\/[0-9a-f]{32}$/);
  const meetingPath = new URL(page.url()).pathname;
  assert.match(await page.locator('#notice').innerText(), /prévue/);
  assert.match(await page.locator('main h1').innerText(), /20 novembre 2026, de 14:00 à 16:30/);
  await check(page, 'committee meeting, planned');

  // Held without minutes: refused; then with attendance and minutes.
  await page.check('#held', { force: true });
  const noMinutes = await navigate(page, () => page.click('#record-form button[type=submit]'));
  assert.equal(noMinutes.status(), 422);
  assert.match(await page.locator('main .fr-alert--error').innerText(), /Compte rendu/);
  await check(page, 'committee meeting: minutes missing');
  const boxes = page.locator('#attendance input[type=checkbox]');
  assert.ok((await boxes.count()) >= 2, 'the active members are listed');
  await boxes.nth(0).check({ force: true });
  await boxes.nth(1).check({ force: true });
  await page.check('#held', { force: true });
  await page.fill('#minutes', 'Compte rendu de test (fictif) : le comité fait le point.');
  await navigate(page, () => page.click('#record-form button[type=submit]'));
  assert.match(await page.locator('#notice').innerText(), /tenue/);
  assert.match(await page.locator('#meeting-status').innerText(), /Tenue/);
  await check(page, 'committee meeting, held');

  await page.fill('#decision', 'Décision de test (fictive).');
  await navigate(page, () => page.click('#decision-form button[type=submit]'));
  assert.match(await page.locator('#decision-list').innerText(), /Décision de test/);

  await page.fill('#action-text', 'Action de test (fictive)');
  await page.fill('#action-owner', 'MIPROF (fictive)');
  await page.fill('#action-due', '2027-01-31');
  const measure = await page.locator('#action-measure optgroup[label="DEMO-FICTIF"] option').first().getAttribute('value');
  requires(measure, 'a measure of the fictional plan in the picker');
  await page.selectOption('#action-measure', measure);
  await navigate(page, () => page.click('#action-form button[type=submit]'));
  assert.match(await page.locator('#action-items').innerText(), /Action de test[\s\S]*DEMO-FICTIF, mesure 1/);
  await check(page, 'committee meeting with its decision and action item');

  await navigate(page, () => page.click('main a[href="/coordination/committee#meetings"]'));
  assert.match(await page.locator('#meetings-2026').innerText(), /20 novembre 2026/);
  await check(page, 'committee, after the meeting');
  await context.close();

  // A committee member reads the meeting, without the coordinator's forms.
  const memberContext = await newContext();
  const member = await memberContext.newPage();
  await signIn(member, COMMITTEE_MEMBER);
  const read = await goto(member, meetingPath);
  assert.equal(await member.locator('#record-form').count(), 0);
  assert.match(await member.locator('#minutes-text').innerText(), /le comité fait le point/);
  await check(member, 'committee meeting, as a committee member', { status: 200, response: read });
  await memberContext.close();
});

step('budget: the coordinator reads the plan budget, adds a line with a wrong amount then right, funds measures, adds a grant', async () => {
  const context = await newContext();
  const page = await context.newPage();
  await signIn(page, COORDINATOR);
  await goto(page, '/coordination/plans/DEMO-FICTIF');
  await navigate(page, () => page.click('#budget-link'));
  await page.selectOption('#year', '2025');
  await navigate(page, () => page.click('#year-picker button[type=submit]'));
  assert.match(new URL(page.url()).search, /year=2025/);
  assert.match(await page.locator('#overall-table').innerText(), /60,8\s%[\s\S]*53,7\s%/);
  assert.match(await page.locator('#programme-137').innerText(), /Fonctionnement \(titre 3\)/);
  assert.match(await page.locator('#grants').innerText(), /Association Passerelle \(fictive\)/);
  await check(page, 'budget of the fictional plan, 2025');

  await navigate(page, () => page.click('main a[href$="/budget/lines/new"]'));
  await check(page, 'budget line form');
  await page.selectOption('#year', '2026');
  await page.fill('#programme', '303');
  await page.fill('#programme_label', 'Immigration et asile');
  await page.fill('#action', '02');
  await page.fill('#action_label', 'Garantie de l’exercice du droit d’asile (test)');
  await page.check('#nature-intervention', { force: true });
  await page.fill('#ae_planned', '12 500,5O');
  const refused = await navigate(page, () => page.click('#line-form button[type=submit]'));
  assert.equal(refused.status(), 422);
  assert.match(await page.locator('main .fr-alert--error').innerText(), /montant en euros/);
  assert.equal(await page.inputValue('#ae_planned'), '12 500,5O', 'what was typed is kept');
  assert.equal(await page.inputValue('#action_label'), 'Garantie de l’exercice du droit d’asile (test)');
  await check(page, 'budget line refused');
  await page.fill('#ae_planned', '12 500,50');
  await page.fill('#ae_committed', '6 250,25');
  await navigate(page, () => page.click('#line-form button[type=submit]'));
  assert.match(await page.locator('#notice').innerText(), /Indiquez maintenant les mesures/);
  await check(page, 'budget line saved, its measures');
  await page.fill('#amount_3', '12 500,50');
  await navigate(page, () => page.click('#measures-form button[type=submit]'));
  assert.match(await page.locator('#notice').innerText(), /mesures financées/);
  assert.match(await page.locator('#programme-303').innerText(), /Mesure 3 : 12\s500,50\s€/);
  assert.match(await page.locator('#measures-ae-table').innerText(), /Mesure 3[^\n]*\t12\s500,50\s€\t6\s250,25\s€\t50\s%/);
  await check(page, 'budget with the new line, 2026');

  await navigate(page, () => page.click('main a[href$="/budget/grants/new"]'));
  await check(page, 'grant form');
  await page.selectOption('#year', '2026');
  await page.fill('#beneficiary', 'Association de test (fictive)');
  await page.fill('#amount', '3 000');
  await page.selectOption('#measure', '4');
  await navigate(page, () => page.click('#grant-form button[type=submit]'));
  assert.match(await page.locator('#notice').innerText(), /subvention est enregistrée/);
  assert.match(await page.locator('#grants').innerText(), /Association de test \(fictive\)/);
  await context.close();

  const rapporteurContext = await newContext();
  const rapporteur = await rapporteurContext.newPage();
  await signIn(rapporteur, RAPPORTEUR);
  await goto(rapporteur, '/coordination/plans/DEMO-FICTIF/budget?year=2026');
  assert.equal(await rapporteur.locator('main a[href$="/budget/lines/new"]').count(), 0, 'the rapporteur reads only');
  await check(rapporteur, 'budget, rapporteur');
  await rapporteurContext.close();
});

step('annual plan: the coordinator reads the fictional 2025 plan, prints it, and completes the measure it lacked', async () => {
  const context = await newContext();
  const page = await context.newPage();
  await signIn(page, COORDINATOR);
  await goto(page, '/coordination/plans/DEMO-FICTIF');
  await navigate(page, () => page.click('#annual-years a[href="/coordination/plans/DEMO-FICTIF/years/2025"]'));
  await check(page, 'annual plan 2025');
  assert.match(await page.locator('#annual-lead').innerText(), /4 mesures, dont 3 complètes/);
  assert.match(await page.locator('#annual-missing-table').innerText(), /Mesures complètes\s+3/);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('header.fr-header').isVisible(), false, 'no navigation on paper');
  assert.equal(await page.locator('main a.fr-btn').first().isVisible(), false, 'no buttons on paper');
  assert.equal(await page.locator('#annual-completeness').isVisible(), true, 'the tables print');
  await page.emulateMedia({ media: 'screen' });

  await navigate(page, () => page.click('#annual-completeness a[href$="/years/2025/measures/4"]'));
  await check(page, 'annual measure, incomplete');
  assert.match(await page.locator('#missing').innerText(), /Coût/);
  assert.equal(await page.locator('#funding_programme').isVisible(), false, 'programme shown only for the budget');
  await page.check('#funding_kind-budget', { force: true });
  assert.equal(await page.locator('#funding_programme').isVisible(), true);
  await page.fill('#cost_eur', 'trente mille');
  await page.fill('#funding_programme', '137');
  const refused = await navigate(page, () => page.click('#money-form button[type=submit]'));
  assert.equal(refused.status(), 422);
  assert.match(await page.locator('main .fr-alert--error').innerText(), /Coût estimé pour l’année/);
  assert.equal(await page.inputValue('#cost_eur'), 'trente mille', 'what was typed is kept');
  await check(page, 'annual money refused');
  await page.fill('#cost_eur', '30 000');
  await page.fill('#funding_action', '15');
  await navigate(page, () => page.click('#money-form button[type=submit]'));
  assert.match(await page.locator('#notice').innerText(), /financement/);
  await page.fill('#definition', 'Méthode publiée (test)');
  await page.fill('#unit', 'publication');
  await page.fill('#target', '1');
  await navigate(page, () => page.click('#indicator-form button[type=submit]'));
  await page.fill('#milestone_title', 'Estimation publiée (test)');
  await page.fill('#milestone_due', '2025-12-15');
  await navigate(page, () => page.click('#milestone-form button[type=submit]'));
  assert.match(await page.locator('#missing').innerText(), /tout ce que la CNCDH demande/);
  assert.match(await page.locator('#history').innerText(), /Programme 137, action 15/);
  await check(page, 'annual measure, complete, with its history');
  await goto(page, '/coordination/plans/DEMO-FICTIF/years/2025');
  assert.match(await page.locator('#annual-lead').innerText(), /4 mesures, dont 4 complètes/);
  await context.close();
});

const OBSERVATORY = 'observatoire@demo.relais.test';

step('observatory: the analyst opens a fictional source, imports a file with an error, then the corrected file', async () => {
  const context = await newContext();
  const page = await context.newPage();
  await signIn(page, OBSERVATORY);
  await goto(page, '/observatory');
  await check(page, 'observatory home');
  assert.match(await page.locator('#sources').innerText(), /Victimes enregistrées par la police et la gendarmerie \(données fictives\)/);
  assert.match(await page.locator('#sources').innerText(), /Version 1 — /);

  await navigate(page, () => page.click('#sources a[href="/observatory/sources/demo-victimes-police"]'));
  await check(page, 'observatory source');
  assert.match(await page.locator('.source-note').innerText(), /DONNÉES FICTIVES/);
  assert.match(await page.locator('#version-list').innerText(), /victimes-2022-2024-fictif\.csv/);

  const wrong = 'annee;forme;sexe;tranche_age;victimes\n2025;sexual;F;18-24;14\n2025;sexual;X;18-24;3\n';
  await page.setInputFiles('#file', { name: 'victimes-2025.csv', mimeType: 'text/csv', buffer: Buffer.from(wrong) });
  await page.fill('#note', 'Chiffres 2025 (fictifs)');
  const refused = await navigate(page, () => page.click('main form[action$="/imports"] button[type=submit]'));
  assert.equal(refused.status(), 422);
  const problems = await page.locator('#import-problems').innerText();
  assert.match(problems, /3\s+sexe\s+La valeur n’est pas une des valeurs admises : F, M\./);
  assert.equal(await page.inputValue('#note'), 'Chiffres 2025 (fictifs)', 'the note is kept');
  await check(page, 'observatory import refused', { status: 422, response: refused });

  const corrected = 'annee;forme;sexe;tranche_age;victimes\n2025;sexual;F;18-24;14\n2025;sexual;M;18-24;3\n';
  await page.setInputFiles('#file', { name: 'victimes-2025-corrige.csv', mimeType: 'text/csv', buffer: Buffer.from(corrected) });
  await navigate(page, () => page.click('main form[action$="/imports"] button[type=submit]'));
  assert.match(await page.locator('#notice').innerText(), /nouvelle version en vigueur/);
  assert.match(await page.locator('#version-2').innerText(), /victimes-2025-corrige\.csv/);
  assert.match(await page.locator('#version-2').innerText(), /En vigueur/i);
  assert.match(await page.locator('#version-history').innerText(), /Version 2 importée par Eden Observatoire/);
  await check(page, 'observatory source, new version');

  await goto(page, '/observatory/sources/new');
  await check(page, 'observatory new source');
  await context.close();
});

// ---------------------------------------------------------------- issue 13, the whole story

step('coordination story: a plan imported, a round on its year answered by the focal point and validated into the annual plan and budget, a meeting with minutes and an action item, the rapporteur rates and reads the evaluation report, the public page shows the progress', async () => {
  const code = 'PNLTEH-RECIT';
  const year = Number(serverDay(0).slice(0, 4));
  const context = await newContext();
  const page = await context.newPage();
  await signIn(page, COORDINATOR);
  await goto(page, '/coordination/import');
  const csv = [
    'axis,axis_title,action,action_title,measure,title,pilot,partners,deadline,indicator,baseline,target,cost_eur,funding,status,rapporteur_status',
    `1,Protéger,1,Héberger,1,Ouvrir des places d'hébergement sécurisé (récit),DGCS,,${year + 1},Places ouvertes,0,100,"40 000",AGRASC,en cours,`,
  ].join('\n');
  await page.fill('#code', code);
  await page.fill('#title', 'Plan du récit (test)');
  await page.fill('#start', String(year));
  await page.fill('#end', String(year + 1));
  await page.setInputFiles('#file', { name: 'plan.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await navigate(page, () => page.click('main form[action="/coordination/import"] button[type=submit]'));
  assert.match(new URL(page.url()).pathname, new RegExp(`/coordination/plans/${code}$`));

  // The measure's indicator and cost in the year's annual plan, then a round on that year.
  await goto(page, `/coordination/plans/${code}/years/${year}/measures/1`);
  await page.fill('#cost_eur', '40 000');
  await navigate(page, () => page.click('#money-form button[type=submit]'));
  await page.fill('#definition', 'Places d’hébergement sécurisé ouvertes (test)');
  await page.fill('#unit', 'places');
  await page.fill('#target', '100');
  await navigate(page, () => page.click('#indicator-form button[type=submit]'));
  await goto(page, `/coordination/plans/${code}/rounds`);
  await page.fill('#title', 'Bilan avant le comité (récit)');
  await page.fill('#due', serverDay(14));
  await page.selectOption('#year', String(year));
  await navigate(page, () => page.click('#open-round button[type=submit]'));
  const roundPath = new URL(page.url()).pathname;
  assert.match(roundPath, /^\/coordination\/rounds\/[0-9a-f]{32}$/);
  assert.match(await page.locator('#round-year').innerText(), new RegExp(`plan annuel ${year}`));
  await check(page, 'story: a round on a year of the annual plan');
  await context.close();

  // The ministry's focal point answers: status, a value of the year's indicator, the year's spending.
  const focalContext = await newContext();
  const focal = await focalContext.newPage();
  await signIn(focal, FOCAL_POINT);
  await goto(focal, '/coordination/asked');
  await navigate(focal, () => focal.click(`#asked a[href="${roundPath}/measures/1"]`));
  assert.match(await focal.locator('#indicator option:checked').innerText(), /Places d’hébergement sécurisé ouvertes \(test\) \(places\)/, 'the only indicator of the year is chosen');
  await focal.check('#status-done', { force: true });
  await focal.fill('#indicator_value', '120');
  await focal.fill('#indicator_date', serverDay(2));
  await focal.fill('#spent_eur', '12 500');
  const future = await navigate(focal, () => focal.click('#report-form button[type=submit]'));
  assert.equal(future.status(), 422);
  assert.equal(await focal.locator('#evidence-error').count(), 1, 'a status needs its evidence');
  assert.match(await focal.locator('#indicator_date-error').innerText(), /futur/);
  assert.equal(await focal.inputValue('#spent_eur'), '12 500', 'what was typed is kept');
  await check(focal, 'story: the focal point’s update refused');
  await focal.fill('#evidence', '120 places ouvertes (test)');
  await focal.fill('#indicator_date', serverDay(-1));
  await navigate(focal, () => focal.click('#report-form button[type=submit]'));
  assert.match(await focal.locator('#notice').innerText(), /envoyée/);
  await focalContext.close();

  // The coordinator validates: the value and the spending are the annual plan's, the budget shows the spending.
  const coordinatorContext = await newContext();
  const coordinator = await coordinatorContext.newPage();
  await signIn(coordinator, COORDINATOR);
  await goto(coordinator, `${roundPath}/measures/1`);
  assert.match(await coordinator.locator('#update-facts').innerText(), /Places d’hébergement sécurisé ouvertes \(test\) \(places\) : 120 au/);
  await coordinator.check('#decision-validate', { force: true });
  await navigate(coordinator, () => coordinator.click('#decide-form button[type=submit]'));
  assert.match(await coordinator.locator('#notice').innerText(), /plan annuel/);
  await goto(coordinator, `/coordination/plans/${code}/years/${year}/measures/1`);
  assert.match(await coordinator.locator('#spent').innerText(), /12\s500\s€/);
  assert.match(await coordinator.locator('#history').innerText(), /Lou Coordination[\s\S]*Valeur de « Places d’hébergement sécurisé ouvertes \(test\) »/);
  await check(coordinator, 'story: the annual plan after validation');
  await goto(coordinator, `/coordination/plans/${code}/budget?year=${year}`);
  assert.match(await coordinator.locator('#coverage').innerText(), /40\s000\s€\t12\s500\s€/);
  await check(coordinator, 'story: the budget with the spending');

  // A committee meeting held, with minutes and an action item on the measure.
  await goto(coordinator, '/coordination/committee');
  await coordinator.fill('#date', serverDay(-1));
  await coordinator.fill('#start', '10:00');
  await coordinator.fill('#end', '12:00');
  await coordinator.fill('#place', 'Paris (récit, fictif)');
  await coordinator.fill('#agenda', '1. Bilan de la campagne (récit)');
  await navigate(coordinator, () => coordinator.click('#meeting-form button[type=submit]'));
  await coordinator.locator('#attendance input[type=checkbox]').first().check({ force: true });
  await coordinator.check('#held', { force: true });
  await coordinator.fill('#minutes', 'Compte rendu du récit : la mesure 1 est réalisée selon le gouvernement.');
  await navigate(coordinator, () => coordinator.click('#record-form button[type=submit]'));
  assert.match(await coordinator.locator('#meeting-status').innerText(), /Tenue/);
  await coordinator.fill('#action-text', 'Vérifier les places ouvertes (récit)');
  await coordinator.fill('#action-owner', 'DGCS');
  await coordinator.fill('#action-due', serverDay(30));
  const option = await coordinator.locator(`#action-measure optgroup[label="${code}"] option`).first().getAttribute('value');
  requires(option, 'the story plan\'s measure in the picker');
  await coordinator.selectOption('#action-measure', option);
  await navigate(coordinator, () => coordinator.click('#action-form button[type=submit]'));
  assert.match(await coordinator.locator('#action-items').innerText(), new RegExp(`Vérifier les places ouvertes[\\s\\S]*${code}, mesure 1`));
  await check(coordinator, 'story: the meeting with its minutes and action item');
  await goto(coordinator, `/coordination/plans/${code}`);
  await navigate(coordinator, () => coordinator.click('main form[action$="/publication"] button[type=submit]'));
  assert.match(await coordinator.locator('#notice').innerText(), /publié/);
  await coordinatorContext.close();

  // The rapporteur rates the measure, sees the divergence and the evaluation report.
  const rapporteurContext = await newContext();
  const rapporteur = await rapporteurContext.newPage();
  await signIn(rapporteur, RAPPORTEUR);
  await goto(rapporteur, `/coordination/plans/${code}/measures/1`);
  await rapporteur.check('#rating-partially_done', { force: true });
  await rapporteur.fill('#justification', 'Places ouvertes mais sans accompagnement spécialisé (test).');
  await navigate(rapporteur, () => rapporteur.click('#rate-form button[type=submit]'));
  assert.match(await rapporteur.locator('#rating').innerText(), /Partiellement réalisée\s+Divergence/i);
  await goto(rapporteur, `/coordination/plans/${code}`);
  await navigate(rapporteur, () => rapporteur.click('#evaluation-link'));
  assert.match(await rapporteur.locator('#count-diverges').innerText(), /Divergence\s+1/);
  assert.match(await rapporteur.locator('#measure-1').innerText(), /Réalisée\s+Partiellement réalisée\s+Places ouvertes mais sans accompagnement spécialisé \(test\)\.\s+Divergence/i);
  await check(rapporteur, 'story: the evaluation report');
  await navigate(rapporteur, () => rapporteur.click('#show-divergent'));
  assert.equal(await rapporteur.locator('#evaluation tbody tr').count(), 1);
  await check(rapporteur, 'story: the divergences only');
  const download = await rapporteur.request.get(new URL(`/coordination/plans/${code}/evaluation.csv`, baseUrl).href);
  assert.match(await download.text(), /1,1,1,Ouvrir des places d'hébergement sécurisé \(récit\),DGCS,done,partially_done,Places ouvertes mais sans accompagnement spécialisé \(test\)\.,diverges/);
  await rapporteurContext.close();

  // The public page shows the published progress.
  const publicContext = await newContext();
  const visitor = await publicContext.newPage();
  const published = await goto(visitor, '/plans');
  assert.equal(await visitor.locator(`#plan-${code}`).count(), 1);
  assert.match(await visitor.locator(`#status-${code}-table`).innerText(), /Réalisée\s+1/);
  assert.match(await visitor.locator(`#rating-${code}-table`).innerText(), /Partiellement réalisée\s+1/);
  await check(visitor, 'story: the public page', { status: 200, response: published });
  await publicContext.close();
});

// ------------------------------------------------- issue 16: the public frame, phones, screenshots

/** Where the suite writes its screenshots for review (README, "Browser tests"). */
const SCREENSHOTS = process.env.RELAIS_SCREENSHOTS || path.resolve(HERE, '../../target/screenshots');

step('public pages: the quick exit leaves for a neutral site and the back button does not return', async () => {
  const context = await newContext();
  // No network here: the neutral site is answered by the test.
  await context.route('https://meteofrance.com/**', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><html lang="fr"><title>Météo</title><h1>Météo</h1></html>' }));
  const page = await context.newPage();
  await goto(page, '/');
  await goto(page, '/signalement');
  assert.equal(await page.locator('a[data-quick-exit]').count(), 1);
  assert.equal(await page.locator('.relais-emergency a[href="tel:115"]').count(), 1, 'the shelter number can be called');
  await Promise.all([page.waitForURL(/meteofrance\.com/), page.click('a[data-quick-exit]')]);
  await page.goBack();
  assert.equal(new URL(page.url()).pathname, '/', 'back leads before the page that was left, not to it');
  for (const [href, title] of [['/accessibilite', /Déclaration d'accessibilité/], ['/mentions-legales', /Mentions légales/], ['/donnees-personnelles', /Données personnelles/], ['/cookies', /Gestion des cookies/]]) {
    await navigate(page, () => page.click(`footer a[href="${href}"]`));
    assert.match(await page.locator('main h1').innerText(), title);
    await check(page, `legal page ${href}`);
  }
  await context.close();
});

step('a 390 px phone: the triage queue shows its flags and the header its Marianne; screenshots of the main pages', async () => {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const context = await newContext();
  const page = await context.newPage();
  const shoot = async (name) => {
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true });
    }
  };
  await goto(page, '/');
  await shoot('landing');
  await goto(page, '/signalement');
  await shoot('signalement');
  await signIn(page, IDENTIFICATION);
  await page.setViewportSize({ width: 1280, height: 900 });
  const logo = await page.locator('.fr-header__logo .fr-logo').boundingBox();
  const logoText = await page.locator('.fr-header__logo .fr-logo').evaluate((el) => el.scrollWidth <= el.clientWidth + 1);
  assert.ok(logo && logo.width > 60 && logoText, 'the Marianne block is whole at 1280 px');
  await shoot('dashboard');
  await goto(page, '/triage');
  await shoot('triage');
  await page.setViewportSize({ width: 390, height: 900 });
  const flag = page.locator('main table tbody .fr-badge').first();
  const box = await flag.boundingBox();
  assert.ok(box && box.x >= 0 && box.x + box.width <= 390, `a flag is on screen at 390 px: ${JSON.stringify(box)}`);
  await check(page, 'triage queue on a phone');
  await page.setViewportSize({ width: 1280, height: 900 });
  await goto(page, '/cases');
  await shoot('cases');
  const first = page.locator('main table tbody a').first();
  if ((await first.count()) > 0) {
    await navigate(page, () => first.click());
    await shoot('case');
  }
  await goto(page, '/directory');
  await shoot('directory');
  await context.close();
});

// ---------------------------------------------------------------- issue 14, part 5

step('observatory: statistics by dimension, trend and map', async () => {
  const context = await newContext();
  const page = await context.newPage();
  await signIn(page, OBSERVATORY);
  await goto(page, '/observatory');
  await navigate(page, () => page.click('#statistics-link'));
  await check(page, 'observatory statistics');
  assert.equal(await page.locator('#year-chart svg[role=img] title').count(), 1, 'the bars have their title');

  // The police source's current version is the corrected 2025 file: 14 women, 3 men.
  await page.selectOption('#source', 'demo-victimes-police');
  await navigate(page, () => page.click('#statistics-form button[type=submit]'));
  await page.selectOption('#dimension', 'sex');
  await navigate(page, () => page.click('#statistics-form button[type=submit]'));
  assert.match(await page.locator('#year-title').innerText(), /Sexe en 2025/);
  const year = await page.locator('#year-table').innerText();
  assert.match(year, /Femme\s+x/);
  assert.match(year, /Homme\s+<5/);
  assert.match(year, /Total\s+17/);
  const cells = await page.locator('#year-table td, #trend-table td').allInnerTexts();
  assert.ok(!cells.includes('3') && !cells.includes('14'), `no figure gives the 3 men away: ${cells}`);
  assert.match(await page.locator('#year-chart').textContent(), /<5/, 'the hidden figure is written in the chart');
  assert.match(await page.locator('.source-note').innerText(), /Une victime par procédure/);
  assert.match(await page.locator('#trend-table').innerText(), /2025/);
  await check(page, 'observatory statistics by sex');

  // The labour inspection's records by département: the map, overseas included.
  await page.selectOption('#source', 'demo-inspection-travail');
  await navigate(page, () => page.click('#statistics-form button[type=submit]'));
  await page.selectOption('#dimension', 'departement');
  await page.selectOption('#year', '2024');
  await navigate(page, () => page.click('#statistics-form button[type=submit]'));
  assert.equal(await page.locator('#map svg[role=img]').count(), 1);
  assert.match(await page.locator('#map-svg-title').textContent(), /Carte par département en 2024/);
  assert.match(await page.locator('#map').innerHTML(), /974 La Réunion : (&lt;|<)5/);
  const departements = await page.locator('#year-table').innerText();
  assert.match(departements, /75 — Paris\s+32/);
  assert.match(departements, /974 — La Réunion\s+<5/);
  assert.match(departements, /Total\s+120/);
  assert.ok((await page.locator('#map circle.hidden-mark').count()) >= 2, 'Corsica and La Réunion are hollow marks');
  await check(page, 'observatory statistics map');
  await context.close();
});

step('releases: the analyst freezes tables, is told what is missing, checks and publishes; anyone reads the report', async () => {
  const context = await newContext();
  const page = await context.newPage();
  await signIn(page, OBSERVATORY);
  await goto(page, '/observatory');
  await navigate(page, () => page.click('#releases-link'));
  assert.match(await page.locator('main table').innerText(), /Rapport annuel de l’observatoire 2024 \(démonstration\)\s+2024\s+En ligne/i);
  await check(page, 'observatory releases');
  await navigate(page, () => page.click('#new-release'));
  await check(page, 'new release');

  // No methodology note: named, and what was typed and chosen stays.
  const title = `Rapport ${unique}`;
  await page.fill('#title', title);
  await page.fill('#year', '2024');
  await page.check('input[value="demo-inspection-travail/departement"]', { force: true });
  await page.check('input[value="demo-inspection-travail/sex"]', { force: true });
  const refused = await navigate(page, () => page.click('main form[action="/observatory/releases"] button[type=submit]'));
  assert.equal(refused.status(), 422);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'error-summary');
  assert.match(await page.locator('#error-summary').innerText(), /Rédigez la note de méthode/);
  assert.equal(await page.inputValue('#title'), title, 'the typed title stays');
  assert.ok(await page.isChecked('input[value="demo-inspection-travail/departement"]'), 'the chosen tables stay');
  await check(page, 'new release with an error', { status: 422, response: refused });
  await page.fill('#note', 'Personnes repérées lors des contrôles de l’inspection du travail (données fictives).');
  await navigate(page, () => page.click('main form[action="/observatory/releases"] button[type=submit]'));
  assert.match(await page.locator('main [role=status]').innerText(), /Les chiffres sont figés/);
  // The tables come in the variables' order: sex (t1), then the département (t2).
  assert.match(await page.locator('#t2-year-table').innerText(), /974 — La Réunion\s+<5/);
  await check(page, 'release to check');
  await navigate(page, () => page.click('#publish'));
  assert.match(await page.locator('main [role=status]').innerText(), /La publication est en ligne/);
  assert.match(await page.locator('main').innerText(), /Version 2, mise en ligne le/);
  const report = await page.locator('#public-link').getAttribute('href');
  assert.equal(report, '/publications/2024/2');
  await context.close();

  // Anyone, without an account: the list, the report with its charts, tables and method.
  const visitor = await newContext();
  const reader = await visitor.newPage();
  await goto(reader, '/');
  await navigate(reader, () => reader.click('main a[href="/publications"]'));
  assert.match(await reader.locator('#publications').innerText(), new RegExp(`${title}[\\s\\S]*Remplacée par la version 2`, 'i'));
  await check(reader, 'public publications');
  await navigate(reader, () => reader.click(`a[href="${report}"]`));
  assert.match(await reader.locator('h1').innerText(), new RegExp(title));
  assert.equal(await reader.locator('#t2-map svg[role=img]').count(), 1, 'the map by département');
  assert.match(await reader.locator('#t1-year-table').innerText(), /Total\s+\d+/);
  assert.match(await reader.locator('#checksum').innerText(), /^[0-9a-f]{64}$/);
  await check(reader, 'public report');
  await visitor.close();
});

step('linkage: the analyst links three sources, is told what is missing, follows the progress and reads the estimate', async () => {
  // Each source encodes its records with the shared secret (as a source would, with the binary).
  const folder = path.join(dataDir, 'linkage');
  fs.mkdirSync(folder, { recursive: true });
  const secret = path.join(folder, 'secret');
  fs.writeFileSync(secret, `secret partagé entre les sources ${unique}`);
  const people = [
    'Ana,Popescu,1990-04-02,F,ROU', 'Blessing,Okafor,1998-11-20,F,NGA', 'Ion,Rusu,1985-01-15,M,MDA',
    'Mariam,Diallo,2006-07-30,F,GIN', 'Oksana,Kovalenko,1979-03-09,F,UKR', 'Chen,Wei,2001-12-01,M,CHN',
  ];
  const sources = { police: [0, 1, 2, 3], associations: [1, 2, 4], dnr: [2, 3, 5] };
  const files = {};
  for (const [name, who] of Object.entries(sources)) {
    const csv = path.join(folder, `${name}.csv`);
    fs.writeFileSync(csv, ['id,given_name,family_name,birth_date,sex,nationality', ...who.map((i) => `${name}-${i},${people[i]}`)].join('\n'));
    files[name] = path.join(folder, `${name}.clk.json`);
    await run(['linkage', 'encode', csv, '--secret-file', secret, '--output', files[name]]);
  }

  const context = await newContext();
  const page = await context.newPage();
  await signIn(page, OBSERVATORY);
  await goto(page, '/observatory');
  await navigate(page, () => page.click('#linkage-link'));
  await check(page, 'linkage runs');
  await navigate(page, () => page.click('#new-linkage'));
  await check(page, 'new linkage');

  // One source only: named, the title and names typed stay.
  const title = `Rapprochement ${unique}`;
  await page.fill('#title', title);
  await page.fill('#name-0', 'Police');
  await page.setInputFiles('#file-0', files.police);
  const refused = await navigate(page, () => page.click('main form[action="/observatory/linkage"] button[type=submit]'));
  assert.equal(refused.status(), 422);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'error-summary');
  assert.match(await page.locator('#error-summary').innerText(), /deux à six sources/);
  assert.equal(await page.inputValue('#title'), title);
  assert.equal(await page.inputValue('#name-0'), 'Police');
  await check(page, 'new linkage with an error', { status: 422, response: refused });

  await page.setInputFiles('#file-0', files.police);
  await page.fill('#name-1', 'Associations');
  await page.setInputFiles('#file-1', files.associations);
  await page.fill('#name-2', 'DNR');
  await page.setInputFiles('#file-2', files.dnr);
  await navigate(page, () => page.click('main form[action="/observatory/linkage"] button[type=submit]'));
  assert.match(await page.locator('main [role=status]').innerText(), /Le rapprochement est lancé/);
  // The page follows the run and shows what it found when it ends.
  await page.waitForSelector('#estimate', { timeout: 60000 });
  await settle(page);
  assert.match(await page.locator('#estimate').innerText(), /Environ \d+ personnes en tout/);
  assert.match(await page.locator('#histories').innerText(), /Police, Associations, DNR\s+1/);
  assert.equal(await page.locator('#sensitivity-chart svg[role=img]').count(), 1);
  assert.match(await page.locator('#inputs').innerText(), /police\.clk\.json/);
  await check(page, 'linkage run');
  await context.close();
});

step('estimate: the analyst runs the three methods on a small table and sees them side by side', async () => {
  const folder = path.join(dataDir, 'estimate');
  fs.mkdirSync(folder, { recursive: true });
  const table = path.join(folder, 'recoupements.csv');
  fs.writeFileSync(table, 'police,inspection,associations,count\n1,0,0,300\n0,1,0,250\n1,1,0,40\n0,0,1,280\n1,0,1,35\n0,1,1,30\n1,1,1,8\n');

  const context = await newContext();
  const page = await context.newPage();
  await signIn(page, OBSERVATORY);
  await goto(page, '/observatory');
  await navigate(page, () => page.click('#estimates-link'));
  assert.match(await page.locator('main').innerText(), /chiffres de travail/);
  await check(page, 'estimates');
  await navigate(page, () => page.click('#new-estimate'));
  assert.equal(await page.inputValue('#replicates'), '1000', 'the command line\'s defaults');
  await check(page, 'new estimate');

  // Short chains and few replicates, typed in the form, keep the step quick.
  await page.fill('#title', `Estimation ${unique}`);
  await page.check('#source-file', { force: true });
  await page.setInputFiles('#file', table);
  await page.fill('#replicates', '40');
  await page.fill('#burnin', '200');
  await page.fill('#samples', '100');
  await page.fill('#thinning', '2');
  await navigate(page, () => page.click('main form[action="/observatory/estimates"] button[type=submit]'));
  assert.match(await page.locator('main [role=status]').innerText(), /L’estimation est lancée/);
  await page.waitForSelector('#methods', { timeout: 60000 });
  await settle(page);
  const methods = await page.locator('#methods').innerText();
  for (const method of [/Pas à pas\s+\d/, /Critère BIC\s+\d/, /Classes latentes\s+\d/]) {
    assert.match(methods, method);
  }
  assert.equal(await page.locator('#methods-chart svg[role=img]').count(), 1, 'one chart for the three methods');
  assert.match(await page.locator('#thresholds').innerText(), /0,05/);
  assert.match(await page.locator('#warnings').innerText(), /classes latentes ne s’accordent pas/);
  await check(page, 'estimate');
  await context.close();
});

step('screening: a sexual-exploitation referral gets its checklist and no verdict', async () => {
  const context = await newContext();
  const page = await context.newPage();
  await signIn(page, POLICE);
  await goto(page, '/referrals');
  await navigate(page, () => page.click('main form[action="/referrals"] button[type=submit]'));
  const draft = new URL(page.url()).pathname.replace(/\/steps\/person$/, '');
  await page.fill('#family_name', `Repérage-${unique}`);
  await page.fill('#birth_date_year', '1996');
  await page.check('#age-adult', { force: true });
  await page.check('#sex-female', { force: true });
  await page.selectOption('#nationality', 'NGA');
  await page.selectOption('#departement', '93');
  await navigate(page, () => page.click('main button[value=continue]'));
  await goto(page, `${draft}/steps/exploitation`);
  await page.check('#forms-sexual', { force: true });
  await navigate(page, () => page.click('main button[value=continue]'));
  await goto(page, `${draft}/steps/indicators`);

  // The sexual-exploitation checklist with its definition, recruitment and coercion; not the
  // conditions of work, which only the labour rule scores.
  const main = await page.locator('main').innerText();
  assert.match(main, /Signes d'exploitation sexuelle \(ONUDC\)/);
  assert.match(main, /Exploitation de la prostitution d'autrui/);
  assert.match(main, /Contrainte à destination/);
  assert.doesNotMatch(main, /Conditions de travail relevant de l'exploitation/);
  const panel = page.locator('aside.relais-screening-panel');
  assert.equal(await panel.evaluate((el) => getComputedStyle(el).position), 'sticky');
  assert.equal(await page.locator('#screening-result').getAttribute('aria-live'), 'polite');

  // Eight "yes": debt bondage, confiscated documents, isolation, forced clients, no identity document.
  for (const key of [
    'coercive_recruitment--debt-bondage',
    'coercive_recruitment--confiscation-of-documents',
    'coercive_recruitment--isolation-confinement-surveillance',
    'coercion_at_destination--confiscation-of-documents',
    'coercion_at_destination--debt-bondage',
    'coercion_at_destination--isolation-confinement-surveillance',
    'coercion_at_destination--forced-tasks-or-clients',
    'unodc_sexual_exploitation--no-identity-document',
  ]) {
    const answered = page.waitForResponse((r) => r.url().endsWith('/screening') && r.status() === 200);
    await page.check(`#ind-${key}-yes`, { force: true });
    await answered;
  }
  await page.waitForFunction(() => /pièce d'identité/.test(document.querySelector('#screening-result').innerText));
  const result = await page.locator('#screening-result').innerText();
  assert.match(result, /Pas de présomption automatique : l'officier décide/);
  assert.match(result, /Aucune règle validée[\s\S]*Exploitation sexuelle/);
  assert.match(result, /Contrainte à destination[\s\S]*Tâches ou clients imposés/);
  assert.doesNotMatch(result, /[Ii]nformations insuffisantes/);
  assert.doesNotMatch(result, /coercion_at_destination|debt-bondage/);
  await check(page, 'screening: sexual exploitation, no verdict, the officer decides');

  await goto(page, `${draft}/check`);
  assert.match(await page.locator('main').innerText(), /Indicateurs observés \(oui\) — Contrainte à destination[\s\S]*Servitude pour dettes/);
  await check(page, 'screening: check your answers lists the yes by dimension');
  await context.close();
});

// ---------------------------------------------------------------- the audit log read by people (issue 16)

step('audit log: filters and export', async () => {
  // The administrator signed out earlier: a fresh session.
  const context = await newContext();
  const admin = await context.newPage();
  await signIn(admin, ADMIN);
  // An earlier step chose English for this account: read the log in French.
  const french = admin.locator('header button[name=lang][value=fr]:visible');
  if ((await french.count()) > 0) await navigate(admin, () => french.click());
  await goto(admin, '/admin/users');
  const page = await goto(admin, '/admin/audit');
  const main = await admin.locator('main table').innerText();
  assert.match(main, /Consultation des comptes/, 'acts in words');
  assert.doesNotMatch(main, /\b(user\.list|auth\.login|audit\.read)\b/, 'no raw action code');
  await check(admin, 'audit log in words', { status: 200, response: page });
  // The filters are a plain GET form: the choice is kept in the URL and the page.
  await admin.selectOption('#action', 'user.list');
  const filtered = await navigate(admin, () => admin.click('main form button[type=submit]'));
  assert.match(admin.url(), /[?&]action=user\.list/);
  const rows = admin.locator('main table tbody tr');
  assert.ok((await rows.count()) > 0, 'the accounts were listed earlier');
  for (const text of await rows.allInnerTexts()) assert.match(text, /Consultation des comptes/);
  assert.equal(await admin.locator('#action').inputValue(), 'user.list');
  await check(admin, 'audit log filtered by action', { status: 200, response: filtered });
  // The export takes the same filters, and is itself in the trail.
  const href = await admin.locator('main a[href^="/admin/audit.csv"]').getAttribute('href');
  assert.match(href, /action=user\.list/);
  const csv = await admin.request.get(new URL(href, baseUrl).href);
  assert.equal(csv.status(), 200);
  const text = await csv.text();
  assert.match(text.split('\n')[0], /^Numéro,Date et heure,Auteur,Organisation,Action/);
  assert.match(text, /Consultation des comptes/);
  await goto(admin, '/admin/audit?action=audit.export');
  assert.match(await admin.locator('main table').innerText(), /Export du journal d’audit/);
  await check(admin, 'audit log: the export audited');
  await context.close();
});

// ---------------------------------------------------------------- the case workspace and its letter (issue 16, parts 5 and 7)

step('case workspace: the header with its flags, the tabs, a success notice, the letter and its appeal section, the header at 390 px', async () => {
  requires(decidedCaseUrl, 'a case decided in an earlier step');
  const context = await newContext();
  const page = await context.newPage();
  await signIn(page, IDENTIFICATION);
  await page.setViewportSize({ width: 1280, height: 900 });
  await goto(page, decidedCaseUrl);
  const header = page.locator('main .relais-case-header');
  assert.equal(await header.count(), 1, 'the case header');
  assert.match(await header.locator('.relais-reference').innerText(), /\S/, 'the reference');
  const flags = header.locator('.fr-badge');
  assert.ok((await flags.count()) >= 1, 'the stage at least, as a badge');
  for (const text of await flags.allInnerTexts()) assert.match(text, /\S/);
  const tabs = header.locator('nav.relais-case-tabs a.fr-tabs__tab');
  assert.ok((await tabs.count()) >= 4, 'the case pages as tabs');
  assert.equal(await header.locator('a[aria-current="page"]').innerText(), 'Décision');
  await check(page, 'case workspace: the decision tab');

  // A tab is a page of its own: the case file, where a note is confirmed.
  await navigate(page, () => header.locator(`a[href="${decidedCaseUrl}/file"]`).click());
  assert.equal(new URL(page.url()).pathname, `${decidedCaseUrl}/file`);
  assert.equal(await page.locator('main .relais-case-header a[aria-current="page"]').innerText(), 'Dossier');
  await page.selectOption('#sensitivity', 'general');
  await page.fill('#body', 'Appel de suivi passé');
  await navigate(page, () => page.click('main form[action$="/notes"] button[type=submit]'));
  assert.equal(await page.locator('main [role=status].fr-alert--success').innerText(), 'La note est ajoutée au dossier.');
  await check(page, 'case workspace: the case file tab, a note confirmed');

  // The letter: the State's letterhead, the ways and time limits to challenge it, in French or English.
  const letter = await goto(page, `${decidedCaseUrl}/letter?lang=fr`);
  assert.equal(await page.locator('main .relais-case-header').count(), 0, 'no case header on the letter');
  assert.match(await page.locator('main .relais-letterhead').innerText(), /République\s+Française/i);
  const appeal = await page.locator('main .relais-letter-appeal').innerText();
  assert.match(appeal, /Voies et délais de recours/);
  assert.match(appeal, /recours gracieux/);
  assert.match(appeal, /tribunal administratif[\s\S]*deux mois[\s\S]*R\. 421-1/);
  assert.match(appeal, /ne dépend pas du dépôt d’une plainte/);
  await check(page, 'decision letter with its appeal section', { status: 200, response: letter });
  await navigate(page, () => page.click('main a[lang="en"]'));
  assert.match(await page.locator('main .relais-letter-appeal').innerText(), /How and when to challenge this decision/);
  await check(page, 'decision letter in English, the page around it in French');
  // On paper only the letter is printed.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('header.fr-header').isVisible(), false, 'no header in print');
  assert.equal(await page.locator('main nav.relais-no-print').isVisible(), false, 'no navigation in print');
  assert.equal(await page.locator('main .relais-letter-appeal').isVisible(), true);
  await page.emulateMedia({ media: 'screen' });

  // On a phone the header and every tab stay on screen.
  await page.setViewportSize({ width: 390, height: 844 });
  await goto(page, decidedCaseUrl);
  for (const box of [await header.boundingBox(), ...(await Promise.all((await tabs.all()).map((t) => t.boundingBox())))]) {
    assert.ok(box && box.x >= 0 && box.x + box.width <= 390, `on screen at 390 px: ${JSON.stringify(box)}`);
  }
  await check(page, 'case header at 390 px');
  await page.setViewportSize({ width: 1280, height: 900 });
  await context.close();
});

// ---------------------------------------------------------------- pickers, not codes (issue 16, parts 2 and 3)

step('referral: a birth date in three fields, a country and an ISO 639-3 language from lists, what happens next', async () => {
  const context = await newContext();
  const page = await context.newPage();
  await signIn(page, POLICE);
  await goto(page, '/referrals');
  await navigate(page, () => page.click('main form[action="/referrals"] button[type=submit]'));
  await page.fill('#family_name', `Listes-${unique}`);
  // A month that does not exist: the summary names the question, takes the focus, and what was typed stays.
  await page.fill('#birth_date_day', '14');
  await page.fill('#birth_date_month', '13');
  await page.fill('#birth_date_year', '1997');
  const refused = await navigate(page, () => page.click('main button[value=continue]'));
  assert.equal(refused.status(), 422);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'error-summary', 'the error summary has the focus');
  assert.match(await page.locator('#error-summary').innerText(), /Indiquez un mois de naissance entre 1 et 12/);
  assert.equal(await page.inputValue('#birth_date_month'), '13');
  await check(page, 'referral person step: three-field date with an error', { status: 422, response: refused });

  await page.fill('#birth_date_month', '3');
  await page.check('#age-adult', { force: true });
  await page.check('#sex-female', { force: true });
  // The country list is filtered as one types, accents aside; the stored value is the code.
  await page.fill('#nationality-filter', 'erythr');
  assert.deepEqual(
    await page.locator('#nationality option').allInnerTexts(),
    [await page.locator('#nationality option').first().innerText(), 'Érythrée'],
    'only the placeholder and Eritrea are left',
  );
  await page.selectOption('#nationality', 'ERI');
  assert.match(await page.locator('#departement option[value="13"]').innerText(), /^13 — Bouches-du-Rhône$/);
  await page.selectOption('#departement', '13');
  await navigate(page, () => page.click('main button[value=continue]'));
  assert.match(new URL(page.url()).pathname, /\/steps\/languages$/);
  await page.fill('#languages-filter', 'edo');
  await page.selectOption('#languages', ['bin']);
  await page.fill('#languages-filter', 'tigr');
  await page.selectOption('#languages', ['bin', 'tir']);
  await page.check('#interpreter_needed-yes', { force: true });
  await page.selectOption('#interpreter_language', 'tir');
  await check(page, 'referral languages step: ISO 639-3 lists');
  await navigate(page, () => page.click('main button[value=continue]'));
  await page.fill('#circumstances', `Récit concernant Listes-${unique}`);
  await navigate(page, () => page.click('main button[value=continue]'));
  await page.check('#forms-domestic-servitude', { force: true });
  await navigate(page, () => page.click('main button[value=continue]'));
  await page.check('#location-france', { force: true });
  await navigate(page, () => page.click('main button[value=continue]'));
  await navigate(page, () => page.click('main button[value=continue]'));
  await page.check('#need_shelter_tonight', { force: true });
  await navigate(page, () => page.click('main button[value=continue]'));
  await page.check('#consent-given', { force: true });
  await page.fill('#consent_language', 'tigrinya');
  await page.check('#consent_interpreter-yes', { force: true });
  await page.fill('#consent_explained_by', 'Sacha Police');
  await page.fill('#consent_date', serverDay(0));
  await navigate(page, () => page.click('main button[value=continue]'));
  assert.match(new URL(page.url()).pathname, /\/check$/);
  const answers = await page.locator('main').innerText();
  assert.match(answers, /14 mars 1997/);
  assert.match(answers, /Érythrée/);
  assert.match(answers, /13 — Bouches-du-Rhône/);
  assert.match(answers, /Edo \(bini\), Tigrinya/);
  await check(page, 'referral check page with names, not codes');

  const sent = await navigate(page, () => page.click('main form[action$="/submit"] button[type=submit]'));
  const next = await page.locator('#next-steps-title').locator('..').innerText();
  assert.match(next, /Et maintenant \?/);
  assert.match(next, /autorité d’identification compétente/);
  assert.match(next, /au plus tard le \d{1,2}(er)? \S+ \d{4}/);
  assert.equal(await page.locator('main a[href="tel:115"]').count(), 1, 'shelter tonight: the emergency numbers');
  await check(page, 'referral sent: what happens next', { status: 200, response: sent });
  await context.close();
});

// ---------------------------------------------------------------- the associations' annual survey (issue 14, part 3)

const ASSOCIATION_WORKER = 'accompagnement@demo.relais.test';

step('survey: the observatory opens a campaign; an association fills in its questionnaire, leaves, resumes, checks and sends it', async () => {
  // The observatory opens a campaign around the server's day (the demo's is past by now on the test clock).
  const observatory = await newContext();
  const analyst = await observatory.newPage();
  await signIn(analyst, OBSERVATORY);
  await goto(analyst, '/observatory');
  await navigate(analyst, () => analyst.click('#survey-link'));
  await check(analyst, 'survey campaigns');
  const demoYear = (await analyst.locator('main table a').first().innerText()).match(/\d{4}/)[0];
  await analyst.fill('#year', demoYear);
  await analyst.fill('#opens_on', serverDay(-1));
  await analyst.fill('#closes_on', serverDay(30));
  const taken = await navigate(analyst, () => analyst.click('main form[action="/observatory/survey"] button[type=submit]'));
  assert.equal(taken.status(), 422);
  assert.match(await analyst.locator('#error-summary').innerText(), /Une campagne couvre déjà cette année/);
  assert.equal(await analyst.inputValue('#closes_on'), serverDay(30), 'the typed day stays');
  await check(analyst, 'survey campaigns with an error', { status: 422, response: taken });
  await analyst.fill('#year', '2019');
  await navigate(analyst, () => analyst.click('main form[action="/observatory/survey"] button[type=submit]'));
  assert.match(await analyst.locator('main [role=status]').innerText(), /La campagne est ouverte/);
  assert.match(await analyst.locator('main table').innerText(), /Association Passerelle \(fictive\)\s+Pas commencé/i);
  await check(analyst, 'survey campaign just opened');

  const context = await newContext();
  const page = await context.newPage();
  await signIn(page, ASSOCIATION_WORKER);
  await navigate(page, () => page.click('#navigation a[href="/survey"]'));
  await check(page, 'survey: the questionnaires received');
  await navigate(page, () => page.click('main a:has-text("Remplir le questionnaire de l’Enquête 2019")'));
  const questionnaire = new URL(page.url()).pathname;
  await check(page, 'survey: a questionnaire not started');

  // Totals: a form above the total is named, the typing kept, the summary has the focus.
  await page.fill('#accompanied', '2');
  await page.fill('#new_in_year', '1');
  await page.fill('#form_sexual', '3');
  const refused = await navigate(page, () => page.click(`main form[action="${questionnaire}/totals"] button[type=submit]`));
  assert.equal(refused.status(), 422);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'error-summary');
  assert.match(await page.locator('#error-summary').innerText(), /ne peut pas dépasser les personnes accompagnées/);
  assert.equal(await page.inputValue('#form_sexual'), '3');
  await check(page, 'survey: totals with an error', { status: 422, response: refused });
  await page.fill('#form_sexual', '2');
  await navigate(page, () => page.click(`main form[action="${questionnaire}/totals"] button[type=submit]`));
  assert.match(await page.locator('main [role=status]').innerText(), /Les totaux sont enregistrés/);

  // One profile, every answer picked from a list, the nationality by its name.
  const answers = {
    relation: 'accompanied', sex: 'female', age_group: '18-24', minor_at_start: 'no', exploited_in: 'france',
    network: 'yes', exploiter_family: 'no', housed_by_exploiter: 'yes', complaint: 'no', residence_permit: 'unknown',
    care: 'yes', housing: 'yes', unaccompanied_minor: 'no',
  };
  for (const [question, answer] of Object.entries(answers)) await page.selectOption(`#${question}`, answer);
  await page.selectOption('#nationality', 'ROU');
  await page.check('#forms-sexual', { force: true });
  await navigate(page, () => page.click(`main form[action="${questionnaire}/profiles"] button[type=submit]`));
  assert.match(await page.locator('main [role=status]').innerText(), /Le profil est ajouté/);
  assert.match(await page.locator('#profiles-caption').locator('..').innerText(), /Femme · 18 à 24 ans · Roumanie/);
  await check(page, 'survey: a questionnaire with a profile');
  await context.close();

  // Another day: the questionnaire is where it was left.
  const again = await newContext();
  const resumed = await again.newPage();
  await signIn(resumed, ASSOCIATION_WORKER);
  await goto(resumed, questionnaire);
  assert.equal(await resumed.inputValue('#accompanied'), '2');
  assert.match(await resumed.locator('#profiles-caption').innerText(), /1 profil/);
  await navigate(resumed, () => resumed.click(`main a[href="${questionnaire}/check"]`));
  assert.match(await resumed.locator('main').innerText(), /1 profils de personnes accompagnées pour 2 déclarées : vous pouvez envoyer/);
  await check(resumed, 'survey: check before sending');
  await navigate(resumed, () => resumed.click(`main form[action="${questionnaire}/submit"] button[type=submit]`));
  assert.match(await resumed.locator('main [role=status]').innerText(), /Le questionnaire est envoyé à l’observatoire/);
  assert.equal(await resumed.locator(`main form[action="${questionnaire}/totals"]`).count(), 0, 'read only once sent');
  await check(resumed, 'survey: a questionnaire sent');
  await again.close();

  // The observatory sees who answered.
  await goto(analyst, '/observatory/survey/2019');
  const rows = await analyst.locator('main table').innerText();
  assert.match(rows, /Association Passerelle \(fictive\)\s+Envoyé\s+1/i);
  assert.match(rows, /Foyer Horizon \(fictif\)\s+Pas commencé\s+0/i);
  await check(analyst, 'survey campaign: who answered');
  await observatory.close();
});
