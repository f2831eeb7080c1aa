/**
 * JSON text for a Terraform string attribute (`terraform_data.input`, `triggers_replace`), with
 * every value that is a Terraform reference rendered as `${jsonencode(<reference>)}`: Terraform
 * fills it in at apply, JSON-escaped whatever it contains, so the handler receives plain JSON of
 * the resolved values.
 *
 * One JSON string rather than a nested object because cdktf resolves every nested value of an
 * attribute, which made synth 2-3x slower; Terraform still shows a JSON string as a structured
 * diff in plans.
 *
 * Terraform reads every string in the configuration as a template, so literal text is escaped
 * (`${` → `$${`, `%{` → `%%{`), or a description such as "cost ${x}" would be interpolated and the
 * handler would see another value than the one written. `<`, `>`, `&`, U+2028 and U+2029 are
 * written as `\u003c`… as Terraform's own `jsonencode` writes them, so the text of a value is the
 * same whether it was a literal or a reference (a literal → reference edit then changes nothing).
 */
import { Fn, Token } from 'cdktf';
import { isDeferred } from '../validation';

/** JSON text for a Terraform string attribute; may be embedded as a value in another one. */
export class TerraformJson {
  constructor(
    /** The attribute value. */
    readonly text: string,
    /** How many references it holds: 0 means it is known at synth. */
    readonly references: number,
  ) {}
}

// NUL cannot occur in a valid identity value, so the marker cannot collide with user text.
const marker = (index: number) => `\u0000ref${index}\u0000`;
const GO_JSON_ESCAPES: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };

/**
 * @param value may hold TerraformJson values (e.g. the identity inside the event): their text is
 * embedded as it is, so a part rendered once is not walked and escaped again.
 */
export function terraformJson(value: unknown): TerraformJson {
  const parts: string[] = [];
  let references = 0;
  const walk = (node: unknown): unknown => {
    if (node instanceof TerraformJson) {
      parts.push(node.text);
      references += node.references;
      return marker(parts.length - 1);
    }
    if (isDeferred(node)) {
      parts.push(Token.asString(Fn.jsonencode(node)));
      references++;
      return marker(parts.length - 1);
    }
    if (Array.isArray(node)) return node.map(walk);
    if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([key, inner]) => [key, walk(inner)]));
    return node;
  };
  let text = escapeTemplateLiterals(JSON.stringify(walk(value)).replace(/[<>&\u2028\u2029]/g, (ch) => GO_JSON_ESCAPES[ch]));
  parts.forEach((part, index) => {
    text = text.split(JSON.stringify(marker(index))).join(part);
  });
  return new TerraformJson(text, references);
}

/** Escapes Terraform template sequences in literal text. */
export function escapeTemplateLiterals(text: string): string {
  // Replacement functions, not strings: in a replacement string `$$` itself means one `$`.
  return text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}
