#!/usr/bin/env node
// `npm run generate`: runs `prisma generate` only when the client it would write differs from the
// one on disk, so `npm start` on a built tree skips it (~5 s on a busy machine). The stamp beside
// the generated client is a hash of what decides its content: the schema, the Prisma config and
// the installed Prisma versions. A content hash, not file times: git checkouts touch times.
// `--force` regenerates anyway.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const OUT = "src/generated/prisma";
const STAMP = join(OUT, ".schema-hash");
const require = createRequire(import.meta.url);

const versionOf = (pkg) => {
  try {
    return JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), "utf8")).version;
  } catch {
    return "missing";
  }
};

const hash = createHash("sha256");
for (const file of ["prisma/schema.prisma", "prisma.config.ts"]) hash.update(`${file}\0${readFileSync(file, "utf8")}\0`);
hash.update(`prisma@${versionOf("prisma")} @prisma/client@${versionOf("@prisma/client")}`);
const wanted = hash.digest("hex");

const current = existsSync(join(OUT, "client.ts")) && existsSync(STAMP) ? readFileSync(STAMP, "utf8").trim() : "";
if (current === wanted && !process.argv.includes("--force")) process.exit(0);

const r = spawnSync(process.execPath, [require.resolve("prisma/build/index.js"), "generate"], {
  stdio: "inherit",
  // The client is built from wasm; the schema engine would be a download this never needs.
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: "/bin/false", CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1" },
});
if (r.status !== 0) process.exit(r.status ?? 1);
writeFileSync(STAMP, `${wanted}\n`);
