/**
 * Errors only synth can raise. The validation messages that synth and the handler share (one per
 * kind of bad value, naming the prop) are in src/shared/validation-errors.ts.
 */
import { invalidProp, ValidationError } from '../shared/validation-errors';

export * from '../shared/validation-errors';

/** A token in a setting: settings are checked at synth (a range or an enum), so they must be literals. */
export function settingMustBeLiteral(path: string, prop: string): ValidationError {
  return invalidProp(path, prop,
    'must be a literal value (got an unresolved token): it is a setting of how apply runs, checked at synth. ' +
    'Identity props (buckets, prefixes, roleArn, priority, tags, description, report, manifest) may be references.');
}

/** A whole tags map given as one reference: the tags are hashed and sorted by key, so their keys must be listed. */
export function tagsMapIsReference(factory: string): ValidationError {
  return new ValidationError(
    `${factory}: tags must be written as an object literal ({ key: value, … }); each key and value may be a ` +
    'reference, but the whole map may not (its size and keys must be known to check the 10-tag limit).');
}

export function handlerBundleMissing(file: string): ValidationError {
  return new ValidationError(
    `the bundled handler ${file} does not exist. The constructs ship it to Terraform as an asset: ` +
    'run `npm run build` in the cdktf-oss-batch package first (an installed package already contains it).',
  );
}
