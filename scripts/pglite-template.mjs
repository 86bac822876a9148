#!/usr/bin/env node
// Part of `npm run build`, after tsc: makes the folder a new embedded (PGlite) database is copied
// from, so a first `npm start` skips initdb and the migrations (src/db/template.ts says why).
// Does nothing when the template for this PGlite and these migrations already exists.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
try {
  const { makePgliteTemplate } = require("../dist/src/db/template.js");
  await makePgliteTemplate({ log: (line) => process.stdout.write(`${line}\n`) });
} catch (e) {
  // Only an optimisation: a database is still created with initdb without it.
  process.stderr.write(`pglite-template: skipped (${e instanceof Error ? e.message : String(e)})\n`);
}
