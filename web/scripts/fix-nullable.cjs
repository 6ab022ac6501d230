// openapi-typescript renders a nullable reference (allOf: [$ref, {type: [object, null]}], what zod's
// .nullable() emits) as `Ref & (Record<string, never> | null)`, which is neither; it means `Ref | null`.
const fs = require('node:fs');
const file = require('node:path').join(__dirname, '..', 'src', 'api', 'schema.d.ts');
const text = fs.readFileSync(file, 'utf8');
fs.writeFileSync(file, text.replaceAll(' & (Record<string, never> | null)', ' | null'));
