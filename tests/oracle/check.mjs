// Independent oracles for `salesint webhook sign` and `salesint webhook verify`:
// the reference libraries of each scheme (standardwebhooks, stripe,
// @octokit/webhooks-methods; fsm is the few lines of Node below) sign random
// cases, and salesint must produce exactly the same headers and reach the same
// verdict, on the originals and on mutated copies.
//
//   node check.mjs SALESINT_BINARY        (ORACLE_CASES=40 per scheme, ORACLE_SEED=1)
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { sign as githubSign, verify as githubVerify } from '@octokit/webhooks-methods';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';

const salesint = process.argv[2];
const casesPerScheme = Number(process.env.ORACLE_CASES ?? 40);
let seed = Number(process.env.ORACLE_SEED ?? 1);
const NOW = 1_767_225_600; // 2026-01-01T00:00:00Z: salesint gets --now, the oracles a fixed clock
Date.now = () => NOW * 1000;

// mulberry32: reproducible randomness, so a failure can be replayed by its seed.
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (items) => items[Math.floor(random() * items.length)];
const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
const bytes = (n) => Buffer.from(Array.from({ length: n }, () => int(0, 255)));

const fragments = ['{"orderId":"PX-1","total":"108.49"}', 'plain text', 'é', '漢字', '🚀', '\r\n', '\n',
  ' ', '"quoted"', '{\n  "pretty": true\n}', 'tab\there', '\\', 'ü'.repeat(3), '0'];
function randomPayload() {
  const shape = int(0, 9);
  if (shape === 0) return '';
  if (shape === 1) return JSON.stringify({ id: `evt_${int(1, 1e9)}`, amount: int(0, 1e6) }) + '\n';
  let text = '';
  for (let i = int(1, 8); i > 0; i--) text += pick(fragments);
  return text;
}
function randomText(n) {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-';
  return Array.from({ length: n }, () => pick(alphabet)).join('');
}

const stripe = new Stripe('sk_test_oracle');

const schemes = {
  fsm: {
    secret: () => pick([randomText(int(8, 40)), `sëcret-${randomText(10)}`]),
    sign: ({ secret, payload, timestamp }) => ({
      'X-FSM-Signature': crypto.createHmac('sha256', secret).update(payload).digest('hex'),
      'X-FSM-Timestamp': new Date(timestamp * 1000).toISOString(),
    }),
    // A verifier as FSM's receivers write it (docs/contracts.md, fsm).
    verify: ({ secret, payload, headers }) => {
      if (Math.abs(Date.now() - new Date(headers['X-FSM-Timestamp']).getTime()) > 5 * 60 * 1000) return false;
      const expected = Buffer.from(crypto.createHmac('sha256', secret).update(payload).digest('hex'));
      const given = Buffer.from(headers['X-FSM-Signature']);
      return given.length === expected.length && crypto.timingSafeEqual(given, expected);
    },
  },
  standard: {
    secret: () => `whsec_${bytes(int(24, 32)).toString('base64')}`,
    sign: ({ secret, payload, timestamp, id }) => ({
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': new Webhook(secret).sign(id, new Date(timestamp * 1000), payload),
    }),
    verify: ({ secret, payload, headers }) => {
      try {
        new Webhook(secret).verify(payload, headers, { jsonParse: false });
        return true;
      } catch {
        return false;
      }
    },
  },
  stripe: {
    secret: () => `whsec_${randomText(32)}`,
    sign: ({ secret, payload, timestamp }) => ({
      'Stripe-Signature': stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp }),
    }),
    verify: ({ secret, payload, headers }) => {
      try {
        stripe.webhooks.signature.verifyHeader(payload, headers['Stripe-Signature'], secret, 300);
        return true;
      } catch {
        return false;
      }
    },
  },
  github: {
    timeless: true,
    nonEmpty: true, // @octokit/webhooks-methods refuses to sign an empty payload
    secret: () => pick([randomText(int(8, 40)), `clé-${randomText(12)}`]),
    // GitHub sends the delivery's GUID beside the signature; salesint sends its delivery id.
    sign: async ({ secret, payload, id }) => ({
      'X-Hub-Signature-256': await githubSign(secret, payload),
      'X-GitHub-Delivery': id,
    }),
    verify: ({ secret, payload, headers }) => githubVerify(secret, payload, headers['X-Hub-Signature-256']),
  },
};

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'salesint-oracle-'));
let checked = 0;
const failures = [];

function run(args, secrets) {
  const env = { ...process.env };
  const flags = [];
  secrets.forEach((secret, i) => {
    env[`ORACLE_SECRET_${i}`] = secret;
    flags.push('--secret-env', `ORACLE_SECRET_${i}`);
  });
  const result = spawnSync(salesint, [...args, ...flags, '-o', 'json'], { env, encoding: 'utf8' });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

function payloadFile(payload) {
  const file = path.join(work, `payload-${checked}`);
  fs.writeFileSync(file, payload);
  return file;
}

function expectEqual(what, actual, expected, context) {
  checked++;
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    failures.push(`${what}: salesint ${JSON.stringify(actual)}, oracle ${JSON.stringify(expected)}\n  case: ${JSON.stringify(context)}`);
  }
}

async function checkVerify(name, scheme, label, { secrets, payload, headers }) {
  const oracle = await scheme.verify({ secret: secrets[secrets.length - 1], payload, headers });
  const headerArgs = Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
  const result = run(['webhook', 'verify', '--scheme', name, '--payload', payloadFile(payload),
    '--now', String(NOW), ...headerArgs], secrets);
  const verdict = result.code === 0 || result.code === 1 ? JSON.parse(result.out).valid : `exit ${result.code}: ${result.err}`;
  expectEqual(`${name} verify (${label})`, verdict, oracle, { payload, headers });
  if ((result.code === 0) !== (verdict === true)) failures.push(`${name} verify (${label}): exit ${result.code} for valid=${verdict}`);
}

for (const [name, scheme] of Object.entries(schemes)) {
  for (let i = 0; i < casesPerScheme; i++) {
    const secret = scheme.secret();
    const payload = randomPayload() || (scheme.nonEmpty ? 'x' : '');
    const timestamp = NOW - int(-250, 250);
    const id = `msg_${randomText(int(4, 27))}`;
    const headers = await scheme.sign({ secret, payload, timestamp, id });

    // sign: exactly the oracle's headers
    const signed = run(['webhook', 'sign', '--scheme', name, '--payload', payloadFile(payload),
      '--timestamp', String(timestamp), '--id', id], [secret]);
    expectEqual(`${name} sign`, signed.code === 0 ? JSON.parse(signed.out) : signed.err, headers, { payload, id, timestamp });

    // verify: the original, one byte changed, a wrong secret, rotation, a stale timestamp
    await checkVerify(name, scheme, 'original', { secrets: [secret], payload, headers });
    const mutated = Buffer.from(payload.length ? payload : 'x');
    const ascii = [...mutated.keys()].filter((j) => mutated[j] < 0x80);
    mutated[ascii.length ? pick(ascii) : 0] ^= 0x01; // an ASCII byte keeps the text valid UTF-8
    await checkVerify(name, scheme, 'one byte changed', { secrets: [secret], payload: mutated.toString('utf8'), headers });
    const wrong = scheme.secret();
    await checkVerify(name, scheme, 'wrong secret', { secrets: [wrong], payload, headers });
    await checkVerify(name, scheme, 'rotation, second secret right', { secrets: [wrong, secret], payload, headers });
    if (!scheme.timeless) {
      const stale = NOW - int(301, 5000);
      const staleHeaders = await scheme.sign({ secret, payload, timestamp: stale, id });
      await checkVerify(name, scheme, 'stale timestamp', { secrets: [secret], payload, headers: staleHeaders });
    }
  }
}

fs.rmSync(work, { recursive: true, force: true });
for (const failure of failures.slice(0, 20)) console.error(`FAILED ${failure}`);
console.log(`oracles: ${checked - failures.length} passed, ${failures.length} failed`);
process.exit(failures.length === 0 && checked > 0 ? 0 : 1);
