/**
 * The package ships the constructs twice: the main entry imports cdktf, 'cdktf-oss-batch/cdktn'
 * the same code bound to cdktn (scripts/library-entries.mjs). The two frameworks share construct
 * symbols, so a construct of one build is accepted in a stack of the other and synth then fails
 * deep inside with a TypeError. This check names the right import instead, when the construct is
 * created.
 */
import { IConstruct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { ValidationError } from '../errors';

export type Framework = 'cdktf' | 'cdktn';

const ENTRY_POINT: Record<Framework, string> = { cdktf: "'cdktf-oss-batch'", cdktn: "'cdktf-oss-batch/cdktn'" };
// jsii writes { fqn: '<package>.<Type>' } on every class it compiles; both frameworks are jsii packages.
const JSII_RTTI = Symbol.for('jsii.rtti');

/** cdktf or cdktn when `ctor` is, or extends, a class of that framework. */
export function frameworkOfClass(ctor: unknown): Framework | undefined {
  for (let c = ctor; typeof c === 'function'; c = Object.getPrototypeOf(c)) {
    // Own property only: a subclass compiled by jsii in the user's package has its own fqn.
    const rtti = Object.prototype.hasOwnProperty.call(c, JSII_RTTI) ? (c as unknown as Record<symbol, { fqn?: unknown }>)[JSII_RTTI] : undefined;
    const pkg = typeof rtti?.fqn === 'string' ? rtti.fqn.split('.')[0] : undefined;
    if (pkg === 'cdktf' || pkg === 'cdktn') return pkg;
  }
  return undefined;
}

/** The framework this copy of the constructs was built for (cdktf in lib/index.js, cdktn in lib/cdktn). */
export const OWN_FRAMEWORK: Framework | undefined = frameworkOfClass(TerraformStack);

/**
 * Throws one sentence naming the right import when `construct` sits in a stack (or app) of the
 * other framework. The nearest ancestor that belongs to either framework decides; plain
 * `Construct`s in between are neutral.
 */
export function assertFramework(construct: IConstruct): void {
  const scopes = construct.node.scopes;
  for (let i = scopes.length - 2; i >= 0; i--) {
    const theirs = frameworkOfClass(scopes[i].constructor);
    if (!theirs) continue;
    if (OWN_FRAMEWORK && theirs !== OWN_FRAMEWORK) {
      const name = construct.constructor.name;
      throw new ValidationError(
        `${construct.node.path}: this ${name} comes from ${ENTRY_POINT[OWN_FRAMEWORK]}, which is built for ${OWN_FRAMEWORK}, ` +
        `but its stack is a ${theirs} stack; import ${name} from ${ENTRY_POINT[theirs]} instead.`,
      );
    }
    return;
  }
}
