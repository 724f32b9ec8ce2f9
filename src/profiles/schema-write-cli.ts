/** `npm run schema:write`: regenerate provinces/profile.schema.json from profile.schema.ts. */
import { writeFile } from 'node:fs/promises';
import { editorProfileSchemaText } from '#src/profiles/profile-json-schema.js';

await writeFile('provinces/profile.schema.json', editorProfileSchemaText());
process.stdout.write('provinces/profile.schema.json 已更新\n');
