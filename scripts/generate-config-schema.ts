/**
 * Writes schemas/podstart-config.schema.json, the schema of `.podstart.yaml`, from the rule catalog.
 * The server and the CLI validate config files against this file, and redhat.vscode-yaml uses it
 * for completion (package.json `yamlValidation`).
 *
 *   node --import tsx scripts/generate-config-schema.ts           write the schema
 *   node --import tsx scripts/generate-config-schema.ts --check   exit 1 if it is out of date
 *
 * test/core/config-file.test.ts fails when a rule or option is added without regenerating.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { configFileSchema } from '../core/settings-schema';
import { ALL_RULES } from '../rules';

export const CONFIG_SCHEMA_PATH = path.join(__dirname, '..', 'schemas', 'podstart-config.schema.json');

export function renderConfigSchema(): string {
  return `${JSON.stringify(configFileSchema(ALL_RULES), null, 2)}\n`;
}

if (require.main === module) {
  const after = renderConfigSchema();
  let before = '';
  try {
    before = readFileSync(CONFIG_SCHEMA_PATH, 'utf8');
  } catch {
    // Not written yet.
  }
  if (process.argv.includes('--check')) {
    if (before !== after) {
      console.error('schemas/podstart-config.schema.json is out of date: run npm run docs');
      process.exit(1);
    }
    console.log('schemas/podstart-config.schema.json is up to date.');
  } else {
    if (before !== after) writeFileSync(CONFIG_SCHEMA_PATH, after);
    console.log(before === after ? 'schemas/podstart-config.schema.json already up to date.' : 'schemas/podstart-config.schema.json written.');
  }
}
