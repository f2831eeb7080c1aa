/**
 * The two-resource wiring of design §2: `<id>` runs the handler in local-exec provisioners,
 * `<id>_result` reads the handler's result file once and keeps it in state.
 */
import { Construct } from 'constructs';
import { Fn, IResolvable, TerraformStack, Token } from 'cdktf';
import { ENV_EVENT, ENV_RESULT_FILE, HandlerEvent, RESULT_DIR } from '../shared/contract';
import { handlerCommand } from './private/handler-asset';
import { TerraformData } from './private/terraform-data';

/** `Op.eq(x, '')` renders as `== undefined` in cdktf 0.21 (design §2), so compare with a sentinel. */
const UNKNOWN_SENTINEL = 'unknown-until-apply';

export interface HandlerResources {
  readonly job: TerraformData;
  readonly result: TerraformData;
  readonly resultFile: string;
}

/**
 * @param withDeleteStep add the `when = destroy` provisioner. Terraform reads destroy-time
 * provisioners from the configuration at destroy time, so a step that would only log (retain)
 * can be left out and added later when the behaviour changes.
 */
export function wireHandler(scope: Construct, event: HandlerEvent, triggersReplace: unknown[], withDeleteStep = true): HandlerResources {
  const stack = TerraformStack.of(scope);
  const resultFile = `${RESULT_DIR}/${stack.node.id}/${scope.node.addr}.json`;
  // The event is stored as one JSON string: cdktf resolves attributes by walking every nested
  // value, and a nested event made synth 2-3× slower than the string (Terraform still renders a
  // JSON string as a structured jsonencode() diff in plans). References inside it (manifest ETag
  // and content hash) interpolate hex strings, which keep the JSON valid.
  const environment = { [ENV_EVENT]: '${self.input}', [ENV_RESULT_FILE]: resultFile };
  const job = new TerraformData(scope, 'job', {
    input: JSON.stringify(escapeTemplates(event)),
    triggersReplace,
    provisioners: [
      { type: 'local-exec', command: handlerCommand(scope, 'create'), environment },
      ...(withDeleteStep ? [{ type: 'local-exec' as const, when: 'destroy' as const, command: handlerCommand(scope, 'delete'), environment }] : []),
    ],
  });
  const result = new TerraformData(scope, 'result', {
    input: resultExpression(job.address, resultFile),
    lifecycle: { ignoreChanges: ['input'], replaceTriggeredBy: [job.address] },
  });
  return { job, result, resultFile };
}

/**
 * Terraform interpolates `${…}` and `%{…}` inside any string of the configuration, so user text
 * such as a description or tag value is escaped (`$${`, `%%{`); Terraform turns it back into the
 * literal before the handler sees it. Strings that hold cdktf tokens (references such as the
 * manifest's ETag) must stay interpolations and are left alone. The job identity is hashed from
 * the unescaped spec, so escaping never changes the token.
 */
export function escapeTemplates<T>(value: T): T {
  if (typeof value === 'string') {
    return (Token.isUnresolved(value) ? value : value.replace(/\$\{/g, '$$${').replace(/%\{/g, '%%{')) as unknown as T;
  }
  if (Array.isArray(value)) return value.map((v) => escapeTemplates(v)) as unknown as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeTemplates(v)])) as T;
  }
  return value;
}

/**
 * `jsondecode(<job>.id == sentinel ? "{}" : (fileexists(f) ? file(f) : "{}"))` as a plain
 * Terraform string. Built with Fn/Op it costs a captured stack trace per token (cdktf does that
 * for every intrinsic), which made 1,000 jobs synthesize 10× slower than bare terraform_data.
 * Both operands are literals we control: the address and a path without quotes.
 */
export function resultExpression(jobAddress: string, resultFile: string): string {
  const file = JSON.stringify(resultFile);
  return `\${jsondecode(${jobAddress}.id == "${UNKNOWN_SENTINEL}" ? "{}" : (fileexists(${file}) ? file(${file}) : "{}"))}`;
}

export function lookupString(ref: IResolvable, key: string): string {
  return Token.asString(Fn.lookup(ref, key, ''));
}

export function lookupNumber(ref: IResolvable, key: string): number {
  return Token.asNumber(Fn.lookup(ref, key, 0));
}
