#!/usr/bin/env node
// The image's production node_modules, made smaller (Dockerfile, stage "deps"). @prisma/client
// ships a query compiler for every database and build (fast/small, PostgreSQL, MySQL, SQLite...):
// ~64 MB of base64 wasm, of which the generated client loads exactly one. The ones it names are
// kept, read from the compiled client itself, so a schema or generator change cannot leave the
// image without its compiler (test/image.files.test.ts starts the pruned tree).
// Usage: node scripts/prune-runtime.mjs <folder holding node_modules and dist>
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";

const root = process.argv[2] ?? ".";
const runtime = join(root, "node_modules", "@prisma", "client", "runtime");
const generated = join(root, "dist", "src", "generated", "prisma");

const jsFiles = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? jsFiles(p) : p.endsWith(".js") ? [p] : [];
  });

if (!existsSync(generated)) {
  console.error(`prune-runtime: no compiled Prisma client in ${generated}; build first`);
  process.exit(1);
}
const used = new Set();
for (const file of jsFiles(generated)) {
  for (const m of readFileSync(file, "utf8").matchAll(/@prisma\/client\/runtime\/(query_compiler_[\w.-]+?)(?:\.js)?["']/g)) used.add(m[1]);
}
if (used.size === 0) {
  console.error("prune-runtime: the compiled client names no query compiler; nothing pruned");
  process.exit(1);
}
let freed = 0;
for (const name of readdirSync(runtime)) {
  if (!name.startsWith("query_compiler_")) continue;
  const base = name.replace(/\.(js|mjs|d\.ts|d\.mts|js\.map)$/, "");
  if (used.has(base)) continue;
  freed += statSync(join(runtime, name)).size;
  rmSync(join(runtime, name));
}
console.log(`prune-runtime: kept ${[...used].sort().join(", ")}; freed ${Math.round(freed / 1e6)} MB`);
