/**
 * The two-resource wiring of design §2: `<id>` runs the handler in local-exec provisioners,
 * `<id>_result` reads the handler's result file once and keeps it in state.
 */
import { Construct } from 'constructs';
import { Fn, IResolvable, Op, TerraformStack, Token } from 'cdktf';
import { ENV_EVENT, ENV_RESULT_FILE, HandlerEvent, RESULT_DIR } from '../shared/contract';
import { handlerCommand } from './private/handler-asset';
import { TerraformData } from './private/terraform-data';

/** `Op.eq(x, '')` renders as `== undefined` in cdktf 0.21 (design §2), so compare with a sentinel. */
const UNKNOWN_SENTINEL = 'unknown-until-apply';

export interface HandlerResources {
  readonly job: TerraformData;
  readonly result: TerraformData;
  readonly resultFile: string;
  readonly resultRef: IResolvable;
}

export function wireHandler(scope: Construct, event: HandlerEvent, triggersReplace: unknown[]): HandlerResources {
  const stack = TerraformStack.of(scope);
  const resultFile = `${RESULT_DIR}/${stack.node.id}/${scope.node.addr}.json`;
  const environment = { [ENV_EVENT]: '${jsonencode(self.input)}', [ENV_RESULT_FILE]: resultFile };
  const job = new TerraformData(scope, 'job', {
    input: event,
    triggersReplace,
    provisioners: [
      { type: 'local-exec', command: handlerCommand(scope, 'create'), environment },
      { type: 'local-exec', when: 'destroy', command: handlerCommand(scope, 'delete'), environment },
    ],
  });
  const result = new TerraformData(scope, 'result', {
    input: Fn.jsondecode(Fn.conditional(Op.eq(job.idRef, UNKNOWN_SENTINEL), '{}',
      Fn.conditional(Fn.fileexists(resultFile), Fn.file(resultFile), '{}'))),
    lifecycle: { ignoreChanges: ['input'], replaceTriggeredBy: [job.address] },
  });
  return { job, result, resultFile, resultRef: result.outputRef };
}

export function lookupString(ref: IResolvable, key: string): string {
  return Token.asString(Fn.lookup(ref, key, ''));
}

export function lookupNumber(ref: IResolvable, key: string): number {
  return Token.asNumber(Fn.lookup(ref, key, 0));
}
