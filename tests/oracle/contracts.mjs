// Independent checks of `salesint contract validate`:
//  - ajv (through ajv-cli, with ajv-formats) and salesint agree on every
//    fixture: the valid ones pass both; an invalid one is refused by ajv
//    exactly when its rule is structural (JSON Schema), and by salesint always;
//  - the JUnit report is well-formed XML, parsed by fast-xml-parser, with a
//    testcase per document and a failure naming each fixture's rule.
// Usage: node contracts.mjs SALESINT SOURCE_DIR
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

const [salesint, sourceDir] = process.argv.slice(2);
const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.join(sourceDir, 'fixtures', 'contracts');
const cases = JSON.parse(fs.readFileSync(path.join(fixtures, 'cases.json'), 'utf8'));
const ajvCli = path.join(here, 'node_modules', '.bin', 'ajv');
let failures = 0;
const fail = (message) => { failures += 1; console.error(`FAIL ${message}`); };

function schemaPath(schema) {
  return schema.startsWith('custom/')
    ? path.join(fixtures, schema)
    : path.join(sourceDir, 'src', 'contracts', 'schemas', `${schema}.schema.json`);
}

// ajv-cli prints "FILE valid" or "FILE invalid" for each -d.
function ajvVerdicts(schema, files) {
  const args = ['validate', '--spec=draft7', '-c', 'ajv-formats', '-s', schemaPath(schema)];
  for (const file of files) args.push('-d', file);
  const run = spawnSync(ajvCli, args, { encoding: 'utf8' });
  const verdicts = new Map();
  for (const line of `${run.stdout}\n${run.stderr}`.split('\n')) {
    const match = /^(\S+) (valid|invalid)$/.exec(line.trim());
    if (match) verdicts.set(match[1], match[2] === 'valid');
  }
  return verdicts;
}

function salesintViolations(schema, files) {
  const args = ['contract', 'validate', '--format', 'json', ...files];
  if (schema.startsWith('custom/')) args.push('--schema', schemaPath(schema));
  const run = spawnSync(salesint, args, { encoding: 'utf8' });
  const report = JSON.parse(run.stdout);
  const byFile = new Map(files.map((file) => [file, []]));
  for (const violation of report.violations) byFile.get(violation.file).push(violation.rule);
  return byFile;
}

const groups = new Map();
for (const [kind, list] of [['valid', cases.valid], ['invalid', cases.invalid]]) {
  for (const entry of list) {
    if (!entry.schema) continue; // schema.unmatched: no schema to give ajv
    const file = path.join(fixtures, entry.file);
    if (!groups.has(entry.schema)) groups.set(entry.schema, []);
    groups.get(entry.schema).push({ ...entry, file, kind });
  }
}

let compared = 0;
for (const [schema, entries] of groups) {
  const files = entries.map((entry) => entry.file);
  const ajv = ajvVerdicts(schema, files);
  const ours = salesintViolations(schema, files);
  for (const entry of entries) {
    compared += 1;
    const ajvValid = ajv.get(entry.file);
    const rules = ours.get(entry.file);
    const name = path.relative(fixtures, entry.file);
    if (ajvValid === undefined) fail(`${name}: no verdict from ajv`);
    if (entry.kind === 'valid') {
      if (ajvValid !== true) fail(`${name}: ajv refuses a valid fixture`);
      if (rules.length !== 0) fail(`${name}: salesint refuses a valid fixture: ${rules}`);
    } else {
      if (ajvValid !== !entry.structural) {
        fail(`${name}: ajv says ${ajvValid ? 'valid' : 'invalid'}; structural=${entry.structural}`);
      }
      if (!rules.includes(entry.rule)) fail(`${name}: salesint reports ${rules}, not ${entry.rule}`);
    }
  }
}

// JUnit: parse the report of both fixture directories with an XML parser.
const junitRun = spawnSync(salesint, ['contract', 'validate', '--format', 'junit',
  path.join(fixtures, 'valid'), path.join(fixtures, 'invalid')], { encoding: 'utf8' });
if (junitRun.status !== 1) fail(`junit run exited ${junitRun.status}, expected 1`);
const wellFormed = XMLValidator.validate(junitRun.stdout);
if (wellFormed !== true) fail(`JUnit report is not well-formed XML: ${JSON.stringify(wellFormed)}`);
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(junitRun.stdout);
const suites = [].concat(xml.testsuites.testsuite);
const documents = cases.valid.filter((c) => !c.file.startsWith('custom/')).length +
  cases.invalid.filter((c) => !c.file.startsWith('custom/')).length;
if (Number(xml.testsuites.tests) !== documents) fail(`testsuites tests=${xml.testsuites.tests}, expected ${documents}`);
if (suites.length !== documents) fail(`${suites.length} testsuites, expected one per file (${documents})`);
let failed = 0;
for (const suite of suites) {
  const testcases = [].concat(suite.testcase);
  if (Number(suite.tests) !== testcases.length) fail(`${suite.name}: tests=${suite.tests} but ${testcases.length} testcases`);
  for (const testcase of testcases) {
    const failuresHere = testcase.failure ? [].concat(testcase.failure) : [];
    failed += failuresHere.length ? 1 : 0;
    const entry = cases.invalid.find((c) => suite.name.endsWith(c.file));
    if (entry && !failuresHere.some((f) => f.type === entry.rule)) {
      fail(`${suite.name}: no <failure type="${entry.rule}">`);
    }
    if (!entry && failuresHere.length) fail(`${suite.name}: a valid fixture has a failure`);
  }
}
if (Number(xml.testsuites.failures) !== failed) fail(`testsuites failures=${xml.testsuites.failures}, counted ${failed}`);

console.log(`ajv and salesint compared on ${compared} fixtures; JUnit report of ${documents} documents parsed`);
process.exit(failures ? 1 : 0);
