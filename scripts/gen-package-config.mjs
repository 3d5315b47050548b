// Rewrites package.json's gunicornConfig.severity properties from the rule registry (run after `npm run compile`).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { gunicornRules } = require('../out/server/src/languages/gunicorn/rules/index.js');
const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
manifest.contributes.configuration.properties['gunicornConfig.severity'].properties = Object.fromEntries(
  gunicornRules.map((rule) => [
    rule.meta.id,
    {
      type: 'string',
      enum: ['error', 'warning', 'info', 'hint', 'ignore'],
      markdownDescription: `${rule.meta.description} Default: \`${rule.meta.defaultSeverity}\`.`,
    },
  ]),
);
writeFileSync('package.json', JSON.stringify(manifest, null, 2) + '\n');
