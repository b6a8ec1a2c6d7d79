// Validates an OpenAPI document against the official OpenAPI JSON schema of its version
// (3.1 here), with @seriousme/openapi-schema-validator, and prints its operations, one
// "METHOD PATH" per line, for the test that compares them with the server's routes.
//
//   node validate_openapi.mjs FILE
//
// Exit 0 with the operations when the document validates; exit 1 with every error when it
// does not; exit 2 when the file cannot be read.
import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';

const file = process.argv[2];
if (!file) {
  console.error('usage: node validate_openapi.mjs FILE');
  process.exit(2);
}
let text;
try {
  text = readFileSync(file, 'utf8');
} catch (e) {
  console.error(`${file}: ${e.message}`);
  process.exit(2);
}
const validator = new Validator();
const result = await validator.validate(text);
if (!result.valid) {
  console.error(`${file}: not a valid OpenAPI ${validator.version} document:`);
  console.error(JSON.stringify(result.errors, null, 2));
  process.exit(1);
}
if (validator.version !== '3.1') {
  console.error(`${file}: OpenAPI ${validator.version}, expected 3.1`);
  process.exit(1);
}
const methods = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
const spec = validator.specification;
for (const [path, item] of Object.entries(spec.paths ?? {})) {
  for (const m of methods) {
    if (item[m]) {
      console.log(`${m.toUpperCase()} ${path}`);
    }
  }
}
