/**
 * One TerraformAsset per stack holding the bundled handlers (dist/handler: handler.js for OSS,
 * s3-handler.js for S3), shared by every construct of the stack. Its path in the synthesized JSON is relative to the stack
 * directory, so the stack can move between machines (GitOps runners).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Construct } from 'constructs';
import { AssetType, TerraformAsset, TerraformStack } from 'cdktf';
import { HANDLER_BUNDLE_DIR } from '../../shared/contract';
import { handlerBundleMissing } from '../errors';

const ASSET_ID = 'OssBatchHandler';

const PACKAGE_NAME = 'cdktf-oss-batch';

/**
 * The package root: the nearest directory above this code whose package.json is this package's.
 * The code runs from src/constructs/private (tsx, jest), lib/ or lib/cdktn/ (the bundled entry
 * points), so its depth below the root differs; `require.resolve` of the package itself would not
 * work from the sources (jest does not resolve a package's own name).
 */
export function packageRoot(from: string = __dirname): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && readName(manifest) === PACKAGE_NAME) return dir;
    if (dirname(dir) === dir) throw new Error(`cdktf-oss-batch: no package.json named "${PACKAGE_NAME}" above ${from}; the package is incomplete, reinstall it`);
  }
}

function readName(manifest: string): unknown {
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name;
  } catch {
    return undefined;
  }
}

export function handlerBundleDir(): string {
  return join(packageRoot(), HANDLER_BUNDLE_DIR);
}

// Entry files already found on disk: the check runs once per file, not once per construct.
const presentEntryFiles = new Set<string>();

/**
 * The stack's handler asset. `entryFile` is the bundle the caller will run: it is checked even when
 * the asset already exists, since an earlier construct may have run the other bundle.
 */
export function handlerAsset(scope: Construct, entryFile: string): TerraformAsset {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild(ASSET_ID);
  if (existing && !(existing instanceof TerraformAsset)) {
    throw new Error(`${stack.node.path}: the construct id "${ASSET_ID}" is reserved by cdktf-oss-batch for its handler asset; rename your construct`);
  }
  if (!presentEntryFiles.has(entryFile)) {
    const file = join(handlerBundleDir(), entryFile);
    if (!existsSync(file)) throw handlerBundleMissing(file);
    presentEntryFiles.add(entryFile);
  }
  return existing instanceof TerraformAsset ? existing : new TerraformAsset(stack, ASSET_ID, { path: handlerBundleDir(), type: AssetType.DIRECTORY });
}

/** `node <asset>/<entryFile> <command>`, relative to the stack directory. */
export function handlerCommand(scope: Construct, entryFile: string, command: 'create' | 'delete'): string {
  return `node "${handlerAsset(scope, entryFile).path}/${entryFile}" ${command}`;
}
