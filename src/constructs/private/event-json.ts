/**
 * The handler event as the string stored in `terraform_data.input`. It is one JSON string rather
 * than a nested object because cdktf resolves every nested value of an attribute, which made synth
 * 2-3x slower (BENCHMARKS.md); Terraform still shows a JSON string as a structured diff in plans.
 *
 * Terraform reads every string in the configuration as a template, so literal text must be escaped
 * (`${` → `$${`, `%{` → `%%{`), or a description such as "cost ${x}" would be interpolated and the
 * handler would see a different spec than the one hashed into the token.
 */
import { Fn, Token } from 'cdktf';

// cdktf's string-token placeholder; it must stay unescaped so cdktf can substitute it.
const LITERAL_INTERPOLATION = /\$\{(?!TfToken\[)/g;
const LITERAL_DIRECTIVE = /%\{/g;

/** Escapes Terraform template sequences in text that holds literals and cdktf token placeholders. */
export function escapeTemplateLiterals(text: string): string {
  // Replacement functions, not strings: in a replacement string `$$` itself means one `$`.
  return text.replace(LITERAL_INTERPOLATION, () => '$${').replace(LITERAL_DIRECTIVE, () => '%%{');
}

/**
 * @param references user-supplied token strings in the event (e.g. a bucket name from another
 * resource): each is rendered as `jsonencode(<reference>)`, so the value is JSON-escaped at apply
 * time whatever it contains. References of our own that resolve to hex are left inline.
 */
export function eventInput(event: unknown, references: readonly string[] = []): string {
  let text = JSON.stringify(event);
  for (const reference of references) {
    text = text.split(JSON.stringify(reference)).join(Token.asString(Fn.jsonencode(reference)));
  }
  return escapeTemplateLiterals(text);
}
