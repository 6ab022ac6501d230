// openapi-typescript renders a nullable reference (allOf: [$ref, {type: [object, null]}], what zod's
// .nullable() emits) as `Ref & (Record<string, never> | null)`, which is neither; it means `Ref | null`.
import fs from 'node:fs';

const file = new URL('../src/api/schema.d.ts', import.meta.url);
fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replaceAll(' & (Record<string, never> | null)', ' | null'));
