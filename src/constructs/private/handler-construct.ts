/**
 * What the OSS and S3 constructs share: the framework check, the two-resource wiring of their
 * event (result-wiring.ts) and the attributes read from the result resource. These bases are
 * internal: jsii erases them and copies their members into each public class, so the public API
 * gains no type and BatchJob and S3BatchJob cannot drift apart in their attributes.
 */
import { Construct } from 'constructs';
import { EVENT_FORMAT, EventKind, S3EventKind } from '../../shared/contract';
import { checkConnection } from '../../shared/settings';
import type { Checks } from '../../shared/validation';
import { JobSettingsProps, settingsOf } from '../batch-job-spec';
import { invalidProp } from '../errors';
import { lookupNumber, lookupString, wireHandler, HandlerWiring } from '../result-wiring';
import { isDeferred, synthChecks } from '../validation';
import { assertFramework } from './framework';
import type { TerraformData } from './terraform-data';

/** The framework check and the event wiring of every construct of the package. @internal */
export abstract class _HandlerConstruct extends Construct {
  /** The `<id>_result` resource; set by `_wire`. @internal */
  protected _result!: TerraformData;

  protected constructor(scope: Construct, id: string) {
    super(scope, id);
    assertFramework(this);
  }

  /** Wires the event; true when its identity holds no reference (synth knows the token). @internal */
  protected _wire(wiring: HandlerWiring): boolean {
    const wired = wireHandler(this, wiring);
    this._result = wired.result;
    return wired.identityReferences === 0;
  }

  /** @internal */
  protected _string(key: string): string {
    return lookupString(this._result.outputRef, key);
  }

  /** @internal */
  protected _number(key: string): number {
    return lookupNumber(this._result.outputRef, key);
  }
}

/** The connection props, the same for every construct. */
interface ConnectionProps {
  readonly endpoint?: string | undefined;
  readonly pathStyle?: boolean | undefined;
}

/** The wiring and attributes of a batch job (BatchJob, S3BatchJob). @internal */
export abstract class _JobConstruct extends _HandlerConstruct {
  /**
   * Wires the job's event (its identity already checked by the caller) and returns the
   * ClientRequestToken: computed now when the identity is all literals, else read from the result.
   * @internal
   */
  protected _wireJob<I>(kind: EventKind | S3EventKind, identity: I, props: JobSettingsProps & ConnectionProps, entryFile: string, tokenOf: (identity: I) => string): string {
    const path = this.node.path;
    const connection = checkConnection(synthChecks(path), { ...props });
    const settings = settingsOf(path, props);
    const event = { kind, format: EVENT_FORMAT, name: path, identity, connection, settings };
    const known = this._wire({ event, entryFile, withDeleteStep: settings.deletionBehavior === 'cancel' });
    return known ? tokenOf(identity) : this._string('clientRequestToken');
  }

  // Attribute tokens are made on first use: cdktf captures a stack trace per token, which is
  // most of the synth time of large stacks that never read them.

  /** The JobId (known after apply). */
  public get jobId(): string {
    return this._string('jobId');
  }

  /** Final status, e.g. Complete (known after apply). */
  public get status(): string {
    return this._string('status');
  }

  /** Number of tasks (objects) in the job (known after apply). */
  public get totalTasks(): number {
    return this._number('totalTasks');
  }

  /** Tasks that succeeded (known after apply). */
  public get succeededTasks(): number {
    return this._number('succeededTasks');
  }

  /** Tasks that failed (known after apply). */
  public get failedTasks(): number {
    return this._number('failedTasks');
  }
}

/** The attributes of a prefix manifest (ManifestFromPrefix, S3ManifestFromPrefix). @internal */
export abstract class _ManifestConstruct extends _HandlerConstruct {
  /** The normalized identity's parts the attributes need. @internal */
  protected _manifest!: { readonly manifestBucket: string; readonly includeVersionIds: boolean };

  /** Checks the props with the backend's identity rules and wires the listing's event. @internal */
  protected _wireListing(
    kind: EventKind | S3EventKind, props: object, checkIdentity: (c: Checks, raw: Record<string, unknown>) => _ManifestConstruct['_manifest'], entryFile: string,
  ): void {
    const path = this.node.path;
    if (!props || typeof props !== 'object') throw invalidProp(path, 'props', 'are required');
    const checks = synthChecks(path);
    const identity = checkIdentity(checks, { ...props });
    this._manifest = identity;
    const event = { kind, format: EVENT_FORMAT, name: path, identity, connection: checkConnection(checks, { ...props }) };
    // Destroying a manifest keeps the object (a job may still read it): nothing to run.
    this._wire({ event, entryFile, withDeleteStep: false });
  }

  /** Bucket of the manifest object (the `manifestBucket` prop). */
  public get bucket(): string {
    return this._manifest.manifestBucket;
  }

  /** Key of the manifest object, `<manifestPrefix><content SHA-256>.csv` (Terraform reference, known after apply). */
  public get key(): string {
    return this._string('key');
  }

  /** ETag of the written manifest object (Terraform reference, known after apply). */
  public get etag(): string {
    return this._string('etag');
  }

  /** Number of objects in the manifest (Terraform reference, known after apply). */
  public get objectCount(): number {
    return this._number('objectCount');
  }

  /** SHA-256 (hex) of the manifest content (Terraform reference, known after apply). */
  public get contentSha256(): string {
    return this._string('contentSha256');
  }

  /** The CSV's columns, `Bucket,Key` or `Bucket,Key,VersionId` (known after apply when includeVersionIds is a reference). @internal */
  public get _csvFields(): string {
    const withVersions = this._manifest.includeVersionIds;
    if (isDeferred(withVersions)) return this._string('fields');
    return withVersions ? 'Bucket,Key,VersionId' : 'Bucket,Key';
  }
}
