/**
 * The two-resource wiring (docs/architecture.md): `<id>` runs the handler in local-exec
 * provisioners, `<id>_result` reads the handler's result file once and keeps it in state.
 */
import { Construct } from 'constructs';
import { Fn, IResolvable, TerraformStack, Token } from 'cdktf';
import { ENV_EVENT, ENV_RESULT_FILE, RESULT_DIR } from '../shared/contract';
import { terraformJson } from './private/event-json';
import { handlerCommand } from './private/handler-asset';
import { TerraformData } from './private/terraform-data';

/** `Op.eq(x, '')` renders as `== undefined` in cdktf 0.21, so compare with a sentinel. */
const UNKNOWN_SENTINEL = 'unknown-until-apply';

export interface HandlerResources {
  readonly job: TerraformData;
  readonly result: TerraformData;
  readonly resultFile: string;
  /** How many Terraform references the identity holds: 0 means synth knows it (and so the token). */
  readonly identityReferences: number;
}

export interface HandlerWiring {
  /** The construct's event; its identity becomes `triggers_replace` too. */
  readonly event: { readonly identity: unknown };
  /** The bundle that runs the event (HANDLER_ENTRY_FILE or S3_HANDLER_ENTRY_FILE). */
  readonly entryFile: string;
  /**
   * Add the `when = destroy` provisioner. Terraform reads destroy-time provisioners from the
   * configuration at destroy time, so a step that would only log (retain, manifests) is left out
   * (it was a measurable part of synth time) and appears once the behaviour needs it.
   */
  readonly withDeleteStep: boolean;
}

export function wireHandler(scope: Construct, wiring: HandlerWiring): HandlerResources {
  const stack = TerraformStack.of(scope);
  const resultFile = resultFilePath(stack.node.id, scope.node.addr);
  const environment = { [ENV_EVENT]: '${self.input}', [ENV_RESULT_FILE]: resultFile };
  const command = (step: 'create' | 'delete') => handlerCommand(scope, wiring.entryFile, step);
  const identityJson = terraformJson(wiring.event.identity);
  const job = new TerraformData(scope, 'job', {
    // The identity is rendered once and embedded, not walked and escaped again.
    input: terraformJson({ ...wiring.event, identity: identityJson }).text,
    // The resolved identity, not a token: a changed value replaces the resource, so a new job is
    // created rather than the old token being reused with another body.
    triggersReplace: identityJson.text,
    provisioners: [
      { type: 'local-exec', command: command('create'), environment },
      ...(wiring.withDeleteStep ? [{ type: 'local-exec' as const, when: 'destroy' as const, command: command('delete'), environment }] : []),
    ],
  });
  const result = new TerraformData(scope, 'result', {
    input: resultExpression(job.address, resultFile),
    // On the job's id, not the whole resource: an in-place update of the job (a new endpoint or
    // setting) must keep the stored result; only a new job (a new id) re-reads the file.
    lifecycle: { ignoreChanges: ['input'], replaceTriggeredBy: [`${job.address}.id`] },
  });
  return { job, result, resultFile, identityReferences: identityJson.references };
}

/**
 * `.oss-batch/<stack>/<workspace>/<construct address>.json`, relative to the stack's working
 * directory (where Terraform runs). The workspace is filled in by Terraform, so one stack applied
 * to several workspaces (one per environment) never mixes their results. The construct address is
 * a hash of the construct path: unique in the app and free of characters that would need quoting
 * in a file name or a Terraform string.
 */
export function resultFilePath(stackName: string, constructAddress: string): string {
  return `${RESULT_DIR}/${stackName}/\${terraform.workspace}/${constructAddress}.json`;
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
