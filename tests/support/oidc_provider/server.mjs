// A real OpenID Connect provider for Parley's social-login tests.
//
// It is panva's OpenID-certified `oidc-provider`, configured for loopback only:
//   issuer http://127.0.0.1:<port>, authorization code flow only, PKCE (S256) required for every
//   client, `openid email profile` scopes, in-memory storage, fixed test accounts, consent granted
//   automatically, and a one-field login page of our own instead of the package's devInteractions.
//
// Usage:
//   node server.mjs [--port N] [--config JSON] [--exit-on-stdin-close]
//     --port / PORT                 0 (the default) lets the OS pick a free port
//     --config / OIDC_PROVIDER_CONFIG
//         {"clients": [{"client_id": "...", "client_secret": "...", "redirect_uris": ["..."]}],
//          "accounts": {"carol": {"email": "...", "email_verified": true, "name": "..."}}}
//         Client entries are oidc-provider client metadata, passed through as given.
//     --exit-on-stdin-close         exit when stdin reaches EOF, so a parent that dies (even by
//                                   SIGKILL) never leaves this process behind
// Prints `READY http://127.0.0.1:<port>` on stdout once it accepts connections.
//
// The login page (GET /interaction/<uid>) is a plain HTML form: a text input named `login`
// (the account id, e.g. "alice") and a "Sign in" button, plus a "Cancel" button that ends the
// flow with error=access_denied. Both post application/x-www-form-urlencoded, so a browser and
// python-requests drive it the same way.

import * as crypto from 'node:crypto';
import * as http from 'node:http';
import { parseArgs } from 'node:util';

import Provider, { interactionPolicy } from 'oidc-provider';

const HOST = '127.0.0.1';

// Test accounts. `sub` is the account id; claims follow OpenID Connect Core section 5.1.
const ACCOUNTS = {
  alice: {
    email: 'alice@example.test',
    email_verified: true,
    name: 'Alice Liddell',
    given_name: 'Alice',
    family_name: 'Liddell',
    preferred_username: 'alice',
    picture: 'https://avatars.example.test/alice.png',
    profile: 'https://people.example.test/alice',
    locale: 'en-GB',
  },
  bob: {
    email: 'bob@example.test',
    email_verified: true,
    name: 'Bob Builder',
    given_name: 'Bob',
    family_name: 'Builder',
    preferred_username: 'bob',
    picture: 'https://avatars.example.test/bob.png',
  },
  // Claims an address she has not proven: an app must not link accounts on it.
  mallory: {
    email: 'alice@example.test',
    email_verified: false,
    name: 'Mallory Mallet',
    preferred_username: 'mallory',
  },
  // No email at all (the scope is granted, the claim is simply absent).
  nemo: {
    name: 'Nemo',
    preferred_username: 'nemo',
  },
};

function readOptions() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      config: { type: 'string' },
      'exit-on-stdin-close': { type: 'boolean', default: false },
    },
  });
  const port = Number(values.port ?? process.env.PORT ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`invalid port: ${values.port ?? process.env.PORT}`);
  }
  const config = JSON.parse(values.config ?? process.env.OIDC_PROVIDER_CONFIG ?? '{}');
  const clients = config.clients ?? [{
    client_id: 'parley',
    client_secret: 'parley-secret',
    redirect_uris: ['http://127.0.0.1:5000/auth/oidc/callback'],
  }];
  for (const client of clients) {
    if (!client.client_id || !Array.isArray(client.redirect_uris)) {
      throw new Error(`each client needs client_id and redirect_uris: ${JSON.stringify(client)}`);
    }
  }
  const accounts = { ...ACCOUNTS, ...(config.accounts ?? {}) };
  return { port, clients, accounts, exitOnStdinClose: values['exit-on-stdin-close'] };
}

function escapeHtml(value) {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title, body) {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`;
}

function loginPage(uid, clientId, accounts, error) {
  const known = Object.keys(accounts).map(escapeHtml).join(', ');
  return page('Sign in to the test provider', `
<p>Client: <code>${escapeHtml(clientId)}</code>. Test accounts: ${known}.</p>
${error ? `<p role="alert" id="login-error">${escapeHtml(error)}</p>` : ''}
<form id="login-form" method="post" action="/interaction/${escapeHtml(uid)}/login">
  <label for="login">Account</label>
  <input id="login" name="login" type="text" autocomplete="username" autofocus required>
  <button id="submit" type="submit">Sign in</button>
</form>
<form id="cancel-form" method="post" action="/interaction/${escapeHtml(uid)}/abort">
  <button id="cancel" type="submit">Cancel</button>
</form>`);
}

function send(res, status, contentType, body) {
  res.statusCode = status;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Cache-Control', 'no-store');
  res.end(body);
}

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

// Consent is granted for exactly what the request asked for (the shape of oidc-provider's own
// example "confirm" route), without showing a page.
async function grantConsent(provider, details) {
  const { prompt: { details: missing }, params, session: { accountId } } = details;
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId, clientId: params.client_id });
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  if (missing.missingResourceScopes) {
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes)) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
  }
  const grantId = await grant.save();
  return details.grantId ? {} : { grantId };
}

async function handleInteraction(provider, accounts, req, res, path) {
  const [, , uid, action] = path.split('/');
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) {
    send(res, 400, 'text/plain', 'interaction does not match its cookie\n');
    return;
  }
  const promptName = details.prompt.name;

  if (req.method === 'GET' && action === undefined) {
    // select_account (OpenID Connect Core 3.1.2.1, sent by Google and Microsoft clients) shows
    // the same account form as login, even to a browser that is already signed in.
    if (promptName === 'login' || promptName === 'select_account') {
      send(res, 200, 'text/html; charset=utf-8', loginPage(uid, details.params.client_id, accounts));
    } else if (promptName === 'consent') {
      const consent = await grantConsent(provider, details);
      await provider.interactionFinished(req, res, { consent }, { mergeWithLastSubmission: true });
    } else {
      send(res, 400, 'text/plain', `unsupported prompt: ${promptName}\n`);
    }
    return;
  }

  if (req.method === 'POST' && action === 'login' && ['login', 'select_account'].includes(promptName)) {
    const login = ((await readForm(req)).get('login') ?? '').trim();
    if (!Object.hasOwn(accounts, login)) {
      const error = `No test account named "${login}".`;
      send(res, 401, 'text/html; charset=utf-8', loginPage(uid, details.params.client_id, accounts, error));
      return;
    }
    await provider.interactionFinished(
      req, res, { select_account: {}, login: { accountId: login, amr: ['pwd'] } },
      { mergeWithLastSubmission: false },
    );
    return;
  }

  if (req.method === 'POST' && action === 'abort') {
    await readForm(req);
    const result = { error: 'access_denied', error_description: 'End-User aborted interaction' };
    await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
    return;
  }

  send(res, 405, 'text/plain', `${req.method} ${path} is not part of the ${promptName} prompt\n`);
}

// The default prompts (login, consent) plus a requestable select_account, resolved by the form.
function promptPolicy() {
  const policy = interactionPolicy.base();
  policy.add(new interactionPolicy.Prompt({ name: 'select_account', requestable: true }), 0);
  return policy;
}

function buildProvider(issuer, clients, accounts) {
  const signingKey = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ format: 'jwk' });

  return new Provider(issuer, {
    clients,
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
    },
    responseTypes: ['code'],
    pkce: { required: () => true },
    scopes: ['openid', 'email', 'profile'],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: [
        'name', 'given_name', 'family_name', 'preferred_username', 'picture', 'profile', 'locale',
      ],
    },
    // OpenID Connect Core 5.4 puts scope-requested claims in the userinfo response only, once an
    // access token is issued; the big providers (Google, Microsoft) put them in the id_token too,
    // and so does this one, so an app can be tested against either source.
    conformIdTokenClaims: false,
    async findAccount(ctx, sub) {
      if (!Object.hasOwn(accounts, sub)) return undefined;
      return { accountId: sub, async claims() { return { sub, ...accounts[sub] }; } };
    },
    interactions: { policy: promptPolicy(), url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    features: { devInteractions: { enabled: false } },
    jwks: { keys: [{ ...signingKey, kid: 'test-rs256', alg: 'RS256', use: 'sig' }] },
    cookies: { keys: [crypto.randomBytes(32).toString('base64url')] },
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
    clientBasedCORS: () => false,
    async renderError(ctx, out) {
      ctx.type = 'html';
      const rows = Object.entries(out)
        .map(([key, value]) => `<p><strong>${escapeHtml(key)}</strong>: ${escapeHtml(value)}</p>`)
        .join('\n');
      ctx.body = page('Test provider error', rows);
    },
  });
}

function main() {
  const options = readOptions();
  let provider;
  let providerCallback;

  const server = http.createServer((req, res) => {
    const path = new URL(req.url, 'http://placeholder').pathname;
    if (!path.startsWith('/interaction/')) {
      providerCallback(req, res);
      return;
    }
    handleInteraction(provider, options.accounts, req, res, path).catch((err) => {
      // SessionNotFound and friends: the interaction cookie is missing or expired.
      const status = err.statusCode ?? 500;
      if (status >= 500) console.error(err);
      if (!res.headersSent) {
        send(res, status, 'text/plain', `${err.error ?? 'server_error'}: ${err.error_description ?? err.message}\n`);
      }
    });
  });

  server.listen(options.port, HOST, () => {
    const issuer = `http://${HOST}:${server.address().port}`;
    provider = buildProvider(issuer, options.clients, options.accounts);
    providerCallback = provider.callback();
    provider.on('server_error', (ctx, err) => console.error('server_error', err));
    console.log(`READY ${issuer}`);
  });

  const stop = () => {
    server.close();
    server.closeAllConnections();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  if (options.exitOnStdinClose) {
    process.stdin.on('end', stop);
    process.stdin.on('error', stop);
    process.stdin.resume();
  }
}

main();
