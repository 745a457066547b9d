// Writes COUNT envelopes as NDJSON to stdout: the four topic families in
// turn, each about 1 KB, one in a hundred missing meta.causation_id (a
// structural violation, so that ajv and salesint must count the same).
//   node bench/make_envelopes.mjs 100000 > envelopes.ndjson
const count = Number(process.argv[2] ?? 100000);
const families = [
  ['sales.domain.intents.v1', 'intent', { aggregate_type: 'opportunity', aggregate_id: 'opp-' }, 'CreateOpportunity'],
  ['sales.domain.facts.v1', 'fact', { aggregate_type: 'quote', aggregate_id: 'Q-' }, 'QuoteAccepted'],
  ['sales.process.facts.v1', 'fact', { workflow_type: 'quote_to_order', workflow_id: 'wf-' }, 'WorkflowStepCompleted'],
  ['sales.integration.facts.v1', 'fact', { aggregate_type: 'integration_execution', aggregate_id: 'ex-' }, 'IntegrationExecutionSucceeded'],
];
const hex = (n, width) => n.toString(16).padStart(width, '0');
const out = [];
for (let i = 0; i < count; i += 1) {
  const [topic, key, subjectTemplate, type] = families[i % families.length];
  const subject = { ...subjectTemplate };
  for (const field of ['aggregate_id', 'workflow_id']) if (field in subject) subject[field] += i;
  const body = { type, note: 'Fiber rollout for the downtown office, second floor, north wing', lines: [] };
  if (topic.includes('integration')) Object.assign(body, { adapter_id: 'fsm.order.intake.v2', status: 'succeeded', attempts: 1 });
  for (let line = 0; line < 7; line += 1) {
    body.lines.push({ sku: `PROD-FIBER-${line}`, quantity: line + 1, amount: `${99 + line}.99`, currency: 'USD' });
  }
  const meta = {
    tenant_id: 'acme',
    message_id: `${hex(i, 8)}-6a43-4b0e-9d4c-${hex(i * 7919, 12)}`,
    correlation_id: `corr-${i >> 4}`,
    causation_id: `${hex(i + 1, 8)}-6a43-4b0e-9d4c-3f2a1b0c9d8e`,
    occurred_at: '2026-11-23T10:00:00Z',
    producer: 'sales-domain/1.4.2',
    schema_version: '1.0.0',
  };
  if (i % 100 === 99) delete meta.causation_id;
  out.push(JSON.stringify({ topic, meta, subject, [key]: body }));
  if (out.length === 1000) {
    process.stdout.write(`${out.join('\n')}\n`);
    out.length = 0;
  }
}
if (out.length) process.stdout.write(`${out.join('\n')}\n`);
