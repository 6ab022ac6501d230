/**
 * The configuration as documentation: every variable of the combined zod schema with its default,
 * its allowed values and a one-line meaning. scripts/env-example.ts renders it as .env.example
 * and as the README's Markdown table.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { accountsSchema } from './accounts';
import { billingSchema } from './billing';
import { CONFIG_DESCRIPTIONS } from './descriptions';
import * as configIndex from './index';
import { mailSchema } from './mail';
import { mediaSchema } from './media';
import { paymentsSchema } from './payments';
import { platformSchema } from './platform';
import { shoutoutsSchema } from './shoutouts';
import { splitsSchema } from './splits';
import { starkbankSchema } from './starkbank';

/** The sections of the configuration, in the order index.ts combines them. */
export const CONFIG_SECTIONS: { name: string; schema: z.ZodObject }[] = [
  { name: 'platform', schema: platformSchema },
  { name: 'accounts', schema: accountsSchema },
  { name: 'mail', schema: mailSchema },
  { name: 'media', schema: mediaSchema },
  { name: 'payments', schema: paymentsSchema },
  { name: 'shoutouts', schema: shoutoutsSchema },
  { name: 'billing', schema: billingSchema },
  { name: 'starkbank', schema: starkbankSchema },
  { name: 'splits', schema: splitsSchema },
];

/**
 * The schema loadConfig() parses: index.ts's own when it exports it as `configSchema`, else the
 * sections above combined the same way.
 */
export function combinedConfigSchema(): z.ZodObject {
  const exported = (configIndex as Record<string, unknown>).configSchema;
  if (exported instanceof z.ZodObject) return exported;
  return z.object(Object.assign({}, ...CONFIG_SECTIONS.map((s) => s.schema.shape)));
}

export interface ConfigVariable {
  name: string;
  section: string;
  /** The default as written in the environment ("15m", "3000"), or undefined when there is none. */
  defaultValue?: string;
  /** Allowed values of an enumeration. */
  values?: string[];
  required: boolean;
  description?: string;
}

type Def = { type: string; in?: z.ZodType; out?: z.ZodType; innerType?: z.ZodType; defaultValue?: unknown; entries?: Record<string, string> };
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Walks pipes (transforms), defaults and optionals down to what the environment must hold. */
function inspect(schema: z.ZodType): { defaultValue?: unknown; optional: boolean; values?: string[] } {
  let node: z.ZodType | undefined = schema;
  let defaultValue: unknown;
  let optional = false;
  let values: string[] | undefined;
  for (let depth = 0; node && depth < 20; depth++) {
    const def = defOf(node);
    if (def.type === 'pipe') node = def.in && defOf(def.in).type === 'transform' ? def.out : def.in; // z.preprocess(fn, schema)
    else if (def.type === 'default' || def.type === 'prefault') {
      if (defaultValue === undefined) defaultValue = def.defaultValue;
      node = def.innerType;
    } else if (def.type === 'optional' || def.type === 'nullable') {
      optional = true;
      node = def.innerType;
    } else {
      if (def.type === 'enum' && def.entries) {
        values = Object.values(def.entries).map(String);
        // bool() of env.ts accepts true/false/1/0/yes/no/'': document the canonical spelling.
        if (values.includes('true') && values.includes('false')) values = ['true', 'false'];
      }
      break;
    }
  }
  return { defaultValue, optional, values };
}

function describe(schema: z.ZodType): string | undefined {
  let node: z.ZodType | undefined = schema;
  for (let depth = 0; node && depth < 20; depth++) {
    if (node.description) return node.description;
    const def = defOf(node);
    node = def.type === 'pipe' ? (def.in && defOf(def.in).type === 'transform' ? def.out : def.in) : def.innerType;
  }
  return undefined;
}

/**
 * Descriptions written as comments in platform/config/<section>.ts: a doc comment right above
 * the variable or the group of variables it introduces, or a bullet `- NAME: …` / `- A / B: …` in a doc
 * comment. Only the sources (run with tsx) have them; a compiled build simply has none.
 */
export function commentDescriptions(): Map<string, string> {
  const found = new Map<string, string>();
  const clean = (text: string) =>
    text
      .split('\n')
      .map((line) => line.replace(/^\s*\*\s?/, '').trim())
      .filter(Boolean)
      .join(' ')
      .replace(/\s+/g, ' ')
      .trim();
  for (const section of CONFIG_SECTIONS) {
    const file = path.join(__dirname, `${section.name}.ts`);
    if (!fs.existsSync(file)) continue;
    const source = fs.readFileSync(file, 'utf8');
    // A doc comment describes the variables right below it, up to a blank line or another comment.
    for (const m of source.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/[ \t]*\n/g)) {
      const text = clean(m[1]);
      for (const line of source.slice(m.index + m[0].length).split('\n')) {
        const key = /^\s*([A-Z][A-Z0-9_]*)\s*:/.exec(line);
        if (key) {
          if (!found.has(key[1])) found.set(key[1], text);
        } else if (!line.trim() || /^\s*(\/\/|\/\*|\}|export\b)/.test(line)) break;
      }
    }
    for (const block of source.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\//g)) {
      // Bullets run until the next bullet or a blank comment line.
      for (const b of block[1].matchAll(/^\s*\*\s*-\s*([A-Z][A-Z0-9_]*(?:\s*\/\s*[A-Z][A-Z0-9_]*)*)\s*:\s*([\s\S]*?)(?=^\s*\*\s*-\s|^\s*\*\s*$|$(?![\s\S]))/gm)) {
        for (const name of b[1].split('/').map((n) => n.trim())) if (!found.has(name)) found.set(name, clean(b[2]));
      }
    }
  }
  return found;
}

/** Every variable, section by section, with what .env.example and the README say about it. */
export function configVariables(): ConfigVariable[] {
  const comments = commentDescriptions();
  const sectionOf = new Map<string, string>();
  for (const section of CONFIG_SECTIONS) for (const name of Object.keys(section.schema.shape)) if (!sectionOf.has(name)) sectionOf.set(name, section.name);
  const shape = combinedConfigSchema().shape as Record<string, z.ZodType>;
  return Object.entries(shape).map(([name, schema]) => {
    const { defaultValue, optional, values } = inspect(schema);
    return {
      name,
      section: sectionOf.get(name) ?? 'other',
      defaultValue: defaultValue === undefined ? undefined : String(defaultValue),
      values,
      required: defaultValue === undefined && !optional && !schema.safeParse(undefined).success,
      description: CONFIG_DESCRIPTIONS[name] ?? describe(schema) ?? comments.get(name),
    };
  });
}
