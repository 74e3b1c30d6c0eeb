/**
 * A minimal JSON Schema checker for the keywords schema/whosaid-1.schema.json uses. An unknown keyword
 * is an error, so the schema can never grow a rule this checker silently ignores.
 */
type Schema = { [k: string]: unknown };

const KNOWN = new Set([
  '$schema', '$id', 'title', 'description', '$defs', '$ref', 'anyOf', 'const', 'enum', 'type', 'required',
  'properties', 'items', 'minItems', 'maxItems', 'minimum', 'maximum', 'pattern',
]);

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function hasType(v: unknown, t: string): boolean {
  const actual = typeOf(v);
  return actual === t || (t === 'number' && actual === 'integer');
}

/** All violations of `schema` by `value`, as "path: problem" lines; empty when it conforms. */
export function validate(root: Schema, value: unknown): string[] {
  const errors: string[] = [];
  check(root, root, value, '$', errors);
  return errors;
}

function resolveRef(root: Schema, ref: string): Schema {
  const m = /^#\/\$defs\/(.+)$/.exec(ref);
  const target = m ? (root.$defs as Record<string, Schema> | undefined)?.[m[1]] : undefined;
  if (!target) throw new Error(`unsupported or dangling $ref ${ref}`);
  return target;
}

function check(root: Schema, s: Schema, v: unknown, path: string, errors: string[]): void {
  for (const k of Object.keys(s)) if (!KNOWN.has(k)) throw new Error(`schema keyword "${k}" is not supported by this checker`);
  if (typeof s.$ref === 'string') check(root, resolveRef(root, s.$ref), v, path, errors);
  if (Array.isArray(s.anyOf)) {
    const ok = (s.anyOf as Schema[]).some((alt) => {
      const e: string[] = [];
      check(root, alt, v, path, e);
      return e.length === 0;
    });
    if (!ok) errors.push(`${path}: matches none of the allowed forms`);
  }
  if ('const' in s && v !== s.const) errors.push(`${path}: must be ${JSON.stringify(s.const)}`);
  if (Array.isArray(s.enum) && !s.enum.includes(v)) errors.push(`${path}: must be one of ${JSON.stringify(s.enum)}`);
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
    if (!types.some((t) => hasType(v, t))) {
      errors.push(`${path}: expected ${types.join(' or ')}, got ${typeOf(v)}`);
      return;
    }
  }
  if (typeof v === 'number') {
    if (typeof s.minimum === 'number' && v < s.minimum) errors.push(`${path}: below ${s.minimum}`);
    if (typeof s.maximum === 'number' && v > s.maximum) errors.push(`${path}: above ${s.maximum}`);
  }
  if (typeof v === 'string' && typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(v)) {
    errors.push(`${path}: does not match ${s.pattern}`);
  }
  if (Array.isArray(v)) {
    if (typeof s.minItems === 'number' && v.length < s.minItems) errors.push(`${path}: fewer than ${s.minItems} items`);
    if (typeof s.maxItems === 'number' && v.length > s.maxItems) errors.push(`${path}: more than ${s.maxItems} items`);
    if (s.items) v.forEach((item, i) => check(root, s.items as Schema, item, `${path}[${i}]`, errors));
  }
  if (typeOf(v) === 'object') {
    const obj = v as Record<string, unknown>;
    for (const k of (s.required as string[] | undefined) ?? []) if (!(k in obj)) errors.push(`${path}: missing "${k}"`);
    const props = (s.properties as Record<string, Schema> | undefined) ?? {};
    for (const [k, sub] of Object.entries(props)) if (k in obj) check(root, sub, obj[k], `${path}.${k}`, errors);
  }
}
