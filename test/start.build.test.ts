import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { cleanEnv, watch } from "./helpers/program";

// `npm start` on a built tree builds only what changed. Runs in a copy of this repository as
// `npm run build` left it (file times kept, node_modules linked), so the real tree is never touched.
const ROOT = join(__dirname, "..");
const TREE = ["package.json", "package-lock.json", "tsconfig.json", "tsconfig.build.json", "prisma.config.ts", "prisma", "scripts", "src", "commands", "locales", "bin", "dist"];

let copy: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  if (!existsSync(join(ROOT, "dist", "tsconfig.build.tsbuildinfo"))) throw new Error("dist/ is missing: run `npm run build` (npm test does it)");
  copy = mkdtempSync(join(tmpdir(), "flywheel-start-"));
  for (const entry of TREE) cpSync(join(ROOT, entry), join(copy, entry), { recursive: true, preserveTimestamps: true });
  symlinkSync(join(ROOT, "node_modules"), join(copy, "node_modules"), "dir");
  writeFileSync(join(copy, "flywheel.yml"), "communities:\n  - { slug: alpha, name: Alpha University }\n");
  env = { ...cleanEnv(), DATA_DIR: join(copy, "data"), PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "warn" };
});
afterAll(() => rmSync(copy, { recursive: true, force: true }));

/** Every built or generated file with its modification time: what a rebuild would change. */
function outputs(): Map<string, number> {
  const times = new Map<string, number>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, name.name);
      if (name.isDirectory()) walk(p);
      else times.set(relative(copy, p), statSync(p).mtimeMs);
    }
  };
  walk(join(copy, "dist"));
  walk(join(copy, "src", "generated"));
  return times;
}

const changed = (before: Map<string, number>, after: Map<string, number>) => [...after].filter(([f, t]) => before.get(f) !== t).map(([f]) => f);

const npm = (args: string[]) => spawnSync("npm", args, { cwd: copy, env, encoding: "utf8", timeout: 180_000 });

test("npm start on a built tree rebuilds nothing and answers /healthz", async () => {
  const before = outputs();
  const child = spawn("npm", ["start"], { cwd: copy, env, detached: true });
  const out = watch(child);
  let stderr = "";
  child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
  try {
    const [, port] = await out.waitFor(/running on http:\/\/127\.0\.0\.1:(\d+)/, 120_000);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
  } finally {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    process.kill(-child.pid!, "SIGTERM"); // npm and the bot it started
    await exited;
  }
  expect(out.text).not.toContain("Generated Prisma Client");
  expect(stderr).not.toMatch(/error/i);
  expect(changed(before, outputs())).toEqual([]);
}, 180_000);

test("a changed source file is compiled again; the Prisma client is not generated again", () => {
  const before = outputs();
  appendFileSync(join(copy, "commands", "help.ts"), "\n// rebuilt-marker-7f3a\n");
  const r = npm(["run", "build"]);
  expect(r.stderr).not.toMatch(/error TS/);
  expect(r.status).toBe(0);
  expect(readFileSync(join(copy, "dist", "commands", "help.js"), "utf8")).toContain("rebuilt-marker-7f3a");
  const rebuilt = changed(before, outputs());
  // (Which other files tsc re-emits is its business: in this copy node_modules is a link, so its
  // build info's library paths differ and it re-emits everything; no test of ours rests on that.)
  expect(rebuilt).toContain("dist/commands/help.js");
  expect(r.stdout + r.stderr).not.toContain("Generated Prisma Client");
  expect(rebuilt.filter((f) => f.startsWith("src/generated"))).toEqual([]);
}, 180_000);

test("the Prisma client is generated again only when the schema changed", () => {
  const stamp = join(copy, "src", "generated", "prisma", ".schema-hash");
  const same = spawnSync(process.execPath, ["scripts/generate.mjs"], { cwd: copy, env, encoding: "utf8", timeout: 120_000 });
  expect(same.status).toBe(0);
  expect(same.stdout + same.stderr).not.toContain("Generated Prisma Client");
  const oldStamp = readFileSync(stamp, "utf8");

  appendFileSync(join(copy, "prisma", "schema.prisma"), "\n// a comment changes the schema file, so the client is made again\n");
  const again = spawnSync(process.execPath, ["scripts/generate.mjs"], { cwd: copy, env, encoding: "utf8", timeout: 120_000 });
  expect(again.status).toBe(0);
  expect(again.stdout + again.stderr).toContain("Generated Prisma Client");
  expect(readFileSync(stamp, "utf8")).not.toBe(oldStamp);
  expect(existsSync(join(copy, "src", "generated", "prisma", "client.ts"))).toBe(true);
}, 180_000);
