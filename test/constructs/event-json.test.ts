/**
 * The event string in terraform_data.input: Terraform reads it as a template, so literal `${` and
 * `%{` must arrive escaped, and references are JSON-encoded by Terraform; the text of a value is the
 * same whether it was a literal or a reference.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { TerraformVariable } from 'cdktf';
import { BatchJob, BatchOperation } from '../../src';
import { escapeTemplateLiterals } from '../../src/constructs/private/event-json';
import { base, eventOf, resourceOf, synth, unescapeTemplate } from './helpers';

const TERRAFORM = process.env.TERRAFORM_BIN ?? '/usr/local/bin/terraform';

describe('escapeTemplateLiterals', () => {
  test('table', () => {
    expect(escapeTemplateLiterals('cost ${x}')).toBe('cost $${x}');
    expect(escapeTemplateLiterals('%{if a}b%{endif}')).toBe('%%{if a}b%%{endif}');
    expect(escapeTemplateLiterals('$${already}')).toBe('$$${already}');
    expect(escapeTemplateLiterals('$ { } % {')).toBe('$ { } % {');
  });

  test('Terraform reads back exactly the literal text (property)', () => {
    const text = fc.string({ unit: fc.constantFrom('$', '%', '{', '}', 'a', ' ', '\\', '"'), maxLength: 30 });
    fc.assert(fc.property(text, (s) => {
      expect(unescapeTemplate(escapeTemplateLiterals(s))).toBe(s);
    }), { numRuns: 500 });
  });

  const haveTerraform = existsSync(TERRAFORM);

  /** Evaluates `input` as Terraform would (with `variables` declared) and returns the parsed JSON. */
  function evaluate(input: string, variables: Record<string, string> = {}): any {
    return JSON.parse(evaluateText(input, variables));
  }

  /** The string Terraform makes of `input`. */
  function evaluateText(input: string, variables: Record<string, string> = {}): string {
    const dir = mkdtempSync(join(tmpdir(), 'event-json-'));
    try {
      const variable = Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, { type: 'string', default: value }]));
      writeFileSync(join(dir, 'main.tf.json'), JSON.stringify({ ...(variables && Object.keys(variables).length ? { variable } : {}), output: { event: { value: input } } }));
      // The machine points TF_CLI_CONFIG_FILE at a missing file (docs/architecture.md): drop it.
      const env: NodeJS.ProcessEnv = { ...process.env, TF_IN_AUTOMATION: '1' };
      delete env.TF_CLI_CONFIG_FILE;
      const state = `-state=${join(dir, 's.tfstate')}`;
      execFileSync(TERRAFORM, ['init', '-input=false', '-backend=false'], { cwd: dir, env, stdio: 'pipe' });
      execFileSync(TERRAFORM, ['apply', '-input=false', '-auto-approve', state], { cwd: dir, env, stdio: 'pipe' });
      return execFileSync(TERRAFORM, ['output', '-raw', state, 'event'], { cwd: dir, env }).toString();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  (haveTerraform ? test : test.skip)('real Terraform evaluates the escaped event to the original JSON', () => {
    const description = 'cost ${path.module} %{if true}x%{endif} $${kept} "quoted" \\ back';
    const json = synth((stack) => new BatchJob(stack, 'J', base({ description, operation: BatchOperation.putObjectTagging({ k: '${v}' }) })));
    const event = evaluate(resourceOf(json, 'J', 'job')[1].input);
    expect(event.identity.description).toBe(description);
    expect(event.identity.operation.tags).toEqual([{ key: 'k', value: '${v}' }]);
    expect(event).toEqual(eventOf(json, 'J'));
  }, 60_000);

  (haveTerraform ? test : test.skip)('real Terraform JSON-encodes a reference whatever its value holds', () => {
    const strange = 'acs:ram::1:role/with"quote\\and${x}';
    const json = synth((stack) => new BatchJob(stack, 'J', base({ roleArn: new TerraformVariable(stack, 'role_arn', { type: 'string' }).stringValue })));
    const event = evaluate(resourceOf(json, 'J', 'job')[1].input, { role_arn: strange });
    expect(event.identity.roleArn).toBe(strange);
  }, 60_000);

  (haveTerraform ? test : test.skip)('a value has the same text in triggers_replace as a literal or as a reference (Terraform escapes <, >, &)', () => {
    const text = 'a<b>&c "d" \\ ${e} \u2028';
    const literal = synth((stack) => new BatchJob(stack, 'J', base({ description: text })));
    const referenced = synth((stack) => new BatchJob(stack, 'J', base({ description: new TerraformVariable(stack, 'd', { type: 'string' }).stringValue })));
    const asLiteral = evaluateText(resourceOf(literal, 'J', 'job')[1].triggers_replace);
    const asReference = evaluateText(resourceOf(referenced, 'J', 'job')[1].triggers_replace, { d: text });
    expect(asReference).toBe(asLiteral);
    expect(JSON.parse(asLiteral).description).toBe(text);
  }, 60_000);

  if (!haveTerraform) {
    test('terraform is required under CI', () => {
      if (process.env.CI === 'true') throw new Error(`terraform not found at ${TERRAFORM}: the escaping check against real Terraform cannot run`);
      console.warn(`SKIPPED: terraform not found at ${TERRAFORM}; the real-Terraform escaping check did not run`);
    });
  }
});
