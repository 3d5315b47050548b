// Rewrites package.json's gunicornConfig.severity properties from every language's rule registry (run after `npm run compile`).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { allRules } = require('../out/server/src/rules.js');
const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
manifest.contributes.configuration.properties['gunicornConfig.severity'].properties = Object.fromEntries(
  allRules.map((meta) => [
    meta.id,
    {
      type: 'string',
      enum: ['error', 'warning', 'info', 'hint', 'ignore'],
      markdownDescription: `${meta.description} Default: \`${meta.defaultSeverity}\`.`,
    },
  ]),
);
writeFileSync('package.json', JSON.stringify(manifest, null, 2) + '\n');
