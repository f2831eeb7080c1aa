/**
 * One TerraformAsset per stack holding the bundled handler (dist/handler/handler.js), shared by
 * every construct of the stack. Its path in the synthesized JSON is relative to the stack
 * directory, so the stack can move between machines (GitOps runners).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Construct } from 'constructs';
import { AssetType, TerraformAsset, TerraformStack } from 'cdktf';
import { HANDLER_BUNDLE_DIR, HANDLER_ENTRY_FILE } from '../../shared/contract';
import { handlerBundleMissing } from '../errors';

const ASSET_ID = 'OssBatchHandler';

/** The package root: this file lives in src/constructs/private (tsx) or lib/constructs/private (compiled). */
export function handlerBundleDir(): string {
  return resolve(__dirname, '..', '..', '..', HANDLER_BUNDLE_DIR);
}

export function handlerAsset(scope: Construct): TerraformAsset {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild(ASSET_ID);
  if (existing instanceof TerraformAsset) return existing;
  if (existing) throw new Error(`${stack.node.path}: the construct id "${ASSET_ID}" is reserved by cdktf-oss-batch for its handler asset; rename your construct`);
  const dir = handlerBundleDir();
  if (!existsSync(join(dir, HANDLER_ENTRY_FILE))) throw handlerBundleMissing(join(dir, HANDLER_ENTRY_FILE));
  return new TerraformAsset(stack, ASSET_ID, { path: dir, type: AssetType.DIRECTORY });
}

/** `node <asset>/handler.js <command>`, relative to the stack directory. */
export function handlerCommand(scope: Construct, command: 'create' | 'delete'): string {
  return `node "${handlerAsset(scope).path}/${HANDLER_ENTRY_FILE}" ${command}`;
}
