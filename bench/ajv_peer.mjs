// The peer of `salesint contract validate` in bench/contracts.sh: reads NDJSON
// line by line, parses each line, picks the envelope schema by topic and
// validates it with ajv (and ajv-formats) against the schemas salesint ships.
//   node bench/ajv_peer.mjs SCHEMA_DIR FILE.ndjson   (ajv resolved from NODE_PATH)
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { createRequire } from 'node:module';

const require = createRequire(path.join(process.env.NODE_PATH ?? '.', 'x.js'));
const Ajv = require('ajv');
const addFormats = require('ajv-formats');
const [schemaDir, file] = process.argv.slice(2);
const ajv = new Ajv({ allErrors: true });
addFormats(ajv);
const byTopic = new Map();
for (const [topic, name] of [['sales.domain.intents.v1', 'domain-intent'], ['sales.domain.facts.v1', 'domain-fact'],
  ['sales.process.facts.v1', 'process-fact'], ['sales.integration.facts.v1', 'integration-fact']]) {
  byTopic.set(topic, ajv.compile(JSON.parse(fs.readFileSync(path.join(schemaDir, `${name}.schema.json`), 'utf8'))));
}
let documents = 0;
let invalid = 0;
const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
for await (const line of lines) {
  if (!line.trim()) continue;
  documents += 1;
  const document = JSON.parse(line);
  const validate = byTopic.get(document.topic);
  if (!validate || !validate(document)) invalid += 1;
}
console.log(`${documents} ${invalid}`);
