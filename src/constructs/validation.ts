/**
 * Synth side of the shared checks (src/shared/validation.ts): which values are deferred to apply
 * time (Terraform references) and the checks of settings, which must be literals.
 */
import { Token, Tokenization } from 'cdktf';
import { Checks } from '../shared/validation';
import { settingMustBeLiteral } from './errors';

/**
 * A value Terraform only knows at apply time: a string holding a token (`${var.x}`, or text around
 * one), a number or list token, or an IResolvable (how a boolean reference such as
 * `TerraformVariable.booleanValue` arrives).
 */
export function isDeferred(value: unknown): boolean {
  if (typeof value === 'string' || typeof value === 'number' || Array.isArray(value)) return Token.isUnresolved(value);
  return value !== null && typeof value === 'object' && Tokenization.isResolvable(value);
}

/** Checks for the construct at `path`: deferred values pass, the handler checks them at apply. */
export function synthChecks(path: string): Checks {
  return new Checks(path, isDeferred);
}

export function requireLiteralSetting(path: string, prop: string, value: unknown): void {
  if (value !== undefined && isDeferred(value)) throw settingMustBeLiteral(path, prop);
}
