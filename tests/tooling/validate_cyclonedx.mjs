// Validates a CycloneDX JSON document against the official CycloneDX JSON schema of its
// specVersion (strict: no properties the schema does not define), with the schemas and the
// validator of the CycloneDX JavaScript library.
//
//   node validate_cyclonedx.mjs FILE
//
// Exit 0 and "valid" when the document validates; exit 1 with every schema error, each with
// its JSON pointer, when it does not; exit 2 when the file cannot be read or is not JSON.
import { readFileSync } from 'node:fs';
import * as CDX from '@cyclonedx/cyclonedx-library';

const file = process.argv[2];
if (!file) {
  console.error('usage: node validate_cyclonedx.mjs FILE');
  process.exit(2);
}
let text;
let doc;
try {
  text = readFileSync(file, 'utf8');
  doc = JSON.parse(text);
} catch (e) {
  console.error(`${file}: ${e.message}`);
  process.exit(2);
}
const versions = {
  '1.4': CDX.Spec.Version.v1dot4,
  '1.5': CDX.Spec.Version.v1dot5,
  '1.6': CDX.Spec.Version.v1dot6,
};
const version = versions[doc.specVersion];
if (!version) {
  console.error(`${file}: specVersion ${JSON.stringify(doc.specVersion)} is not one this validator knows`);
  process.exit(1);
}
const errors = await new CDX.Validation.JsonStrictValidator(version).validate(text);
if (errors === null) {
  console.log(`${file}: valid CycloneDX ${doc.specVersion}`);
  process.exit(0);
}
for (const e of errors) {
  console.error(`${file}: ${e.instancePath || '/'}: ${e.message} (${e.schemaPath})`);
}
process.exit(1);
