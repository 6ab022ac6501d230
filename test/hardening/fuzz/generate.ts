/**
 * Seeded request generation from the OpenAPI document: values that fit each schema, and the
 * hostile ones clients really send (NUL bytes, lone surrogates, wrong types, huge numbers, forged
 * cursors, prototype keys). Pure: the same seed gives the same requests.
 */
export type Json = Record<string, unknown>;

/** mulberry32: small, fast, good enough to pick cases; reproducible from the seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Pick {
  constructor(readonly random: () => number) {}
  int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.random() < p;
  }
  one<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)];
  }
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Strings that broke (or could break) the API: each must be a 4xx naming the field, never a 500. */
export const HOSTILE_STRINGS = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udc00y',
  '',
  ' ',
  'x'.repeat(10_000),
  '__proto__',
  'constructor',
  "'; drop table accounts; --",
  '{{ secret }}',
  '=HYPERLINK("http://evil.example")',
  '../../etc/passwd',
  '😀',
  '-1',
  '9223372036854775808',
  'null',
];

export const HOSTILE_VALUES: unknown[] = [null, true, false, 0, -1, 1.5, 9007199254740993, 1e308, -1e308, [], {}, [null], JSON.parse('{"__proto__":{"polluted":1}}'), { constructor: { prototype: {} } }];

/** Cursors that decode but are not the API's: every list must answer 400 naming `cursor`. */
export const HOSTILE_CURSORS = [
  b64(['abc', 'x']),
  b64(['0000-01-01T00:00:00.000Z', 'x']),
  b64(['2026-02-30T00:00:00.000Z', 'x']),
  b64(['2026-01-01T00:00:00.000Z', 'a\u0000b']),
  b64(['2026-01-01T00:00:00.000Z', 1]),
  b64([1, 2, 3]),
  b64({ createdAt: '2026-01-01T00:00:00.000Z' }),
  '9223372036854775808',
  '-1',
  'not base64 at all!',
  '%00',
];

/** Raw path segments (already URL-encoded). */
export const HOSTILE_SEGMENTS = ['%00', 'a%00b', '%ED%A0%80', '__proto__', 'constructor', 'toString', '..', '%2e%2e', '%2F', 'x'.repeat(500), '-1', '9223372036854775808', '%F0%9F%98%80', 'null'];

export class SchemaSampler {
  constructor(
    private readonly doc: { components?: { schemas?: Record<string, Json> } },
    private readonly pick: Pick,
  ) {}

  private resolve(schema: Json): Json {
    let current = schema;
    for (let i = 0; i < 10 && typeof current.$ref === 'string'; i++) {
      const name = (current.$ref as string).split('/').pop()!;
      current = this.doc.components?.schemas?.[name] ?? {};
    }
    return current;
  }

  /** A value that fits `schema` as well as a sampler can (patterns are approximated). */
  valid(raw: Json | undefined, depth = 0): unknown {
    if (!raw) return {};
    const schema = this.resolve(raw);
    if ('const' in schema) return schema.const;
    if (Array.isArray(schema.enum)) return this.pick.one(schema.enum);
    if (schema.example !== undefined && this.pick.chance(0.5)) return schema.example;
    const variants = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
    if (Array.isArray(variants)) return this.valid(this.pick.one(variants), depth + 1);
    if (Array.isArray(schema.allOf)) return Object.assign({}, ...(schema.allOf as Json[]).map((s) => this.valid(s, depth + 1)));
    const type = Array.isArray(schema.type) ? this.pick.one((schema.type as string[]).filter((t) => t !== 'null')) ?? 'null' : schema.type;
    switch (type) {
      case 'object': {
        const out: Json = {};
        const properties = (schema.properties ?? {}) as Record<string, Json>;
        const required = new Set((schema.required ?? []) as string[]);
        for (const [name, inner] of Object.entries(properties)) {
          if (depth < 6 && (required.has(name) || this.pick.chance(0.5))) out[name] = this.valid(inner, depth + 1);
        }
        return out;
      }
      case 'array': {
        const min = (schema.minItems as number | undefined) ?? 0;
        const n = Math.min(this.pick.int(min, min + 2), (schema.maxItems as number | undefined) ?? 3);
        return depth < 6 ? Array.from({ length: n }, () => this.valid(schema.items as Json, depth + 1)) : [];
      }
      case 'integer': {
        const min = (schema.minimum as number | undefined) ?? 0;
        const max = (schema.maximum as number | undefined) ?? min + 5000;
        return this.pick.int(min, Math.min(max, min + 5000));
      }
      case 'number':
        return this.pick.int(0, 10_000) / 100;
      case 'boolean':
        return this.pick.chance(0.5);
      case 'null':
        return null;
      case 'string':
        return this.string(schema);
      default:
        return this.pick.one(['x', 1, true, null]);
    }
  }

  private string(schema: Json): string {
    if (schema.format === 'email') return `fuzz-${this.pick.int(0, 1e9)}@fuzz.example`;
    if (schema.format === 'uri' || schema.format === 'url') return this.pick.one(['https://receiver.example/hook', 'http://127.0.0.1:1/', 'http://[::1]:1/', 'http://169.254.169.254/latest/meta-data/']);
    if (schema.format === 'date-time') return new Date(Date.UTC(2026, 0, 1) + this.pick.int(0, 1e10)).toISOString();
    const pattern = String(schema.pattern ?? '');
    if (pattern.includes('[A-Z]{3}')) return this.pick.one(['USD', 'EUR', 'BRL', 'XXX']);
    if (/\\d\{6\}/.test(pattern) || pattern === '^\\d{6}$') return String(this.pick.int(100000, 999999));
    if (pattern.startsWith('^\\d')) return String(this.pick.int(0, 1000));
    if (/\d{4}-\d{2}|\\d\{4\}-/.test(pattern)) return `2026-${String(this.pick.int(1, 12)).padStart(2, '0')}`;
    const min = (schema.minLength as number | undefined) ?? 1;
    const max = Math.min((schema.maxLength as number | undefined) ?? 24, 40);
    const length = this.pick.int(Math.min(min, max), Math.max(min, max));
    return Array.from({ length }, () => this.pick.one([...'abcdefghijklmnopqrstuvwxyz0123456789 _-'])).join('');
  }

  /** A valid value with one hostile change somewhere inside (or wholly hostile). */
  hostile(raw: Json | undefined): unknown {
    const value = this.valid(raw);
    if (this.pick.chance(0.15)) return this.pick.one([...HOSTILE_VALUES, ...HOSTILE_STRINGS]);
    return this.mutate(value);
  }

  private mutate(value: unknown): unknown {
    if (Array.isArray(value)) {
      if (value.length === 0 || this.pick.chance(0.3)) return [...value, this.pick.one([...HOSTILE_VALUES, ...HOSTILE_STRINGS])];
      const i = this.pick.int(0, value.length - 1);
      const copy = [...value];
      copy[i] = this.mutate(copy[i]);
      return copy;
    }
    if (value && typeof value === 'object') {
      const keys = Object.keys(value);
      const copy: Json = { ...(value as Json) };
      if (keys.length === 0 || this.pick.chance(0.2)) {
        copy[this.pick.one(['__proto__', 'constructor', 'extra', 'a\u0000b', '\ud800'])] = this.pick.one(HOSTILE_STRINGS);
        return copy;
      }
      const key = this.pick.one(keys);
      if (this.pick.chance(0.15)) delete copy[key];
      else copy[key] = this.mutate(copy[key]);
      return copy;
    }
    if (typeof value === 'string' && this.pick.chance(0.6)) {
      const bad = this.pick.one(HOSTILE_STRINGS);
      return this.pick.chance(0.5) ? bad : `${value}${bad}`;
    }
    return this.pick.one([...HOSTILE_VALUES, ...HOSTILE_STRINGS]);
  }
}
