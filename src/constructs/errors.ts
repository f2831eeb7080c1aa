/**
 * User-facing synth errors, one factory each: what is wrong, why, and how to fix it.
 * Every message starts with the construct path and names the property.
 */
export class ValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ValidationError';
  }
}

export function invalidProp(path: string, prop: string, problem: string): ValidationError {
  return new ValidationError(`${path}: ${prop} ${problem}`);
}

export function mustBeKnownAtSynth(path: string, prop: string): ValidationError {
  return new ValidationError(
    `${path}: ${prop} must be known at synth time (got an unresolved token). It is part of the job's identity ` +
    '(the ClientRequestToken is computed at synth), so pass a literal value.',
  );
}

export function handlerBundleMissing(file: string): ValidationError {
  return new ValidationError(`the bundled handler ${file} does not exist: run \`npm run build\` in the cdktf-oss-batch package first`);
}
