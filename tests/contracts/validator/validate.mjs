#!/usr/bin/env node
// Validates contract documents written by `seam contracts`:
//   *.openapi.yaml|json   with @readme/openapi-parser (OpenAPI 3.1 schema + semantic checks)
//   *.asyncapi.yaml|json  with @asyncapi/parser (AsyncAPI 3 schema + Spectral core rules)
// Usage: node validate.mjs FILE...   Prints one line per file; exits 1 if any
// file is invalid (errors listed), 2 on bad usage. Warnings do not fail.
import { Parser, fromFile } from '@asyncapi/parser';
import { compileErrors, validate } from '@readme/openapi-parser';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: validate.mjs FILE...');
  process.exit(2);
}

async function validateOpenApi(file) {
  const result = await validate(file);
  return result.valid ? [] : [compileErrors(result)];
}

async function validateAsyncApi(file) {
  const parser = new Parser();
  const { diagnostics } = await fromFile(parser, file).parse();
  // Spectral severities: 0 error, 1 warning, 2 info, 3 hint.
  return diagnostics
    .filter((d) => d.severity === 0)
    .map((d) => `${d.code}: ${d.message} at ${d.path.join('.')}`);
}

let failed = 0;
for (const file of files) {
  let errors;
  try {
    if (/\.asyncapi\.(ya?ml|json)$/.test(file)) errors = await validateAsyncApi(file);
    else if (/\.openapi\.(ya?ml|json)$/.test(file)) errors = await validateOpenApi(file);
    else errors = ['not a *.openapi.* or *.asyncapi.* file'];
  } catch (e) {
    errors = [String(e && e.message ? e.message : e)];
  }
  if (errors.length === 0) {
    console.log(`valid: ${file}`);
  } else {
    failed++;
    console.log(`INVALID: ${file}\n  ${errors.join('\n  ')}`);
  }
}
process.exit(failed ? 1 : 0);
