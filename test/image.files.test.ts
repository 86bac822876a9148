import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, posix } from "node:path";
import { parse as parseYaml } from "yaml";
import { emptyPostgresDatabase } from "./helpers/db";
import { cleanEnv, freePort, stopChild, watch } from "./helpers/program";

// No Docker daemon here: the image's file set is assembled from the Dockerfile itself. The build
// stage is this repository as `npm run build` left it; every other stage is made in a temporary
// folder from its own COPY lines, and its RUN lines run there (npm offline, from the cache). The
// runtime stage gets exactly its COPY lines, nothing else: a file it needs but does not copy fails.
// Dockerfile rules: https://docs.docker.com/reference/dockerfile/ (FROM ... AS, COPY --from, ENV, CMD).

const ROOT = join(__dirname, "..");
const APP = "/app";

interface Instruction {
  op: string;
  args: string;
}
interface Stage {
  name?: string;
  lines: Instruction[];
}

function parseDockerfile(text: string): Stage[] {
  const joined = text.replace(/\\\r?\n/g, " ");
  const stages: Stage[] = [];
  for (const raw of joined.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const [, op, args] = line.match(/^(\w+)\s+(.*)$/) ?? [];
    if (op.toUpperCase() === "FROM") stages.push({ name: args.match(/\s+AS\s+(\S+)/i)?.[1], lines: [] });
    else stages.at(-1)?.lines.push({ op: op.toUpperCase(), args });
  }
  return stages;
}

/** `.dockerignore` entries (top-level names and simple globs): what `COPY <context>` never sees. */
function ignoredByDocker(rel: string): boolean {
  const entries = readFileSync(join(ROOT, ".dockerignore"), "utf8").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
  return entries.some((e) => {
    const re = new RegExp(`^${e.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*")}(/|$)`);
    return re.test(rel);
  });
}

interface Assembled {
  dir: string;
  env: Record<string, string>;
  cmd: string[];
}

/** Makes one stage's /app in a fresh folder; `made` maps earlier stages to their folders. */
function assemble(stage: Stage, made: Map<string, string>, runCommands: boolean): Assembled {
  const dir = mkdtempSync(join(tmpdir(), `flywheel-image-${stage.name ?? "runtime"}-`));
  const env: Record<string, string> = {};
  let cmd: string[] = [];
  for (const { op, args } of stage.lines) {
    if (op === "WORKDIR") expect(args).toBe(APP);
    else if (op === "ENV") for (const [, k, v] of args.matchAll(/(\w+)=(\S+)/g)) env[k] = v;
    else if (op === "CMD") cmd = JSON.parse(args) as string[];
    else if (op === "COPY") {
      const words = args.split(/\s+/);
      const from = words.find((w) => w.startsWith("--from="))?.slice("--from=".length);
      const [dest, ...sources] = words.filter((w) => !w.startsWith("--")).reverse();
      for (const src of sources.reverse()) {
        let source: string;
        if (from) {
          const root = made.get(from);
          if (!root) throw new Error(`COPY --from=${from}: no such stage before this one`);
          expect(src.startsWith(`${APP}/`)).toBe(true);
          source = join(root, posix.relative(APP, src));
        } else {
          if (ignoredByDocker(src.replace(/^\.\//, ""))) throw new Error(`COPY ${src}: .dockerignore leaves it out of the build context`);
          source = join(ROOT, src);
        }
        if (!existsSync(source)) throw new Error(`COPY ${src}${from ? ` --from=${from}` : ""}: not there`);
        const target = dest.endsWith("/") && !lstatSync(source).isDirectory() ? join(dir, dest, basename(src)) : join(dir, dest);
        // An earlier temporary stage is only ever read by the COPY lines after it: its files are
        // moved, not copied (node_modules is 200+ packages of small files).
        if (from && made.get(from) !== ROOT) {
          mkdirSync(dirname(target), { recursive: true });
          renameSync(source, target);
        } else cpSync(source, target, { recursive: true });
      }
    } else if (op === "RUN" && runCommands) {
      // Offline from npm's cache: the same install, without the network this machine lacks.
      const shell = args.replace(/\bnpm ci\b/g, "npm ci --offline");
      const r = spawnSync("sh", ["-c", shell], { cwd: dir, encoding: "utf8", env: cleanEnv() });
      if (r.status !== 0) throw new Error(`RUN ${args}\n${r.stdout}\n${r.stderr}`);
    }
  }
  return { dir, env, cmd };
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = lstatSync(p);
    total += s.isDirectory() ? folderBytes(p) : s.size;
  }
  return total;
}

const CONFIG = `
communities:
  - { slug: alpha, name: Alpha University, tier: premier }
staff:
  - { shell: carol }
`;

const dockerfile = readFileSync(join(ROOT, "Dockerfile"), "utf8");
const stages = parseDockerfile(dockerfile);
const folders: string[] = [];
let runtime: Assembled;
let mounts: string;

beforeAll(() => {
  if (!existsSync(join(ROOT, "dist", "src", "main.js"))) throw new Error("dist/ is missing: run `npm run build` (npm test does it)");
  const made = new Map<string, string>([["build", ROOT]]);
  const final = stages.at(-1)!;
  for (const stage of stages) {
    if (stage.name === "build") continue; // this repository, built
    if (stage === final) break;
    const s = assemble(stage, made, true);
    folders.push(s.dir);
    made.set(stage.name!, s.dir);
  }
  // The runtime stage's RUN lines only make /data and /config; what runs comes from COPY alone.
  runtime = assemble(final, made, false);
  folders.push(runtime.dir);
  mounts = mkdtempSync(join(tmpdir(), "flywheel-image-mounts-"));
  folders.push(mounts);
}, 240_000);
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

test("the image runs on the current Node LTS and reads its config from the /config mount", () => {
  expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:24[-\w.]*$/m);
  expect(stages.map((s) => s.name)).toContain("build");
  expect(runtime.env).toMatchObject({ NODE_ENV: "production", DATA_DIR: "/data", FLYWHEEL_CONFIG: "/config/flywheel.yml" });
  expect(runtime.cmd).toEqual(["node", "dist/src/main.js"]);
});

test("the runtime node_modules holds only what runs, under 150 MB", () => {
  const modules = join(runtime.dir, "node_modules");
  for (const devOnly of ["prisma", "typescript", "@prisma/dev", "@prisma/studio-core", "ts-jest", "jest"]) {
    expect([devOnly, existsSync(join(modules, devOnly))]).toEqual([devOnly, false]);
  }
  expect(folderBytes(modules)).toBeLessThan(150 * 1024 * 1024);
});

/** The container's view: Dockerfile ENV, the /data volume and /config mount mapped to test folders. */
function containerEnv(name: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  const config = join(mounts, name, "config");
  mkdirSync(config, { recursive: true });
  writeFileSync(join(config, "flywheel.yml"), CONFIG);
  return {
    ...cleanEnv(),
    ...runtime.env,
    DATA_DIR: join(mounts, name, "data"),
    FLYWHEEL_CONFIG: runtime.env.FLYWHEEL_CONFIG.replace(/^\/config/, config),
    HOST: "127.0.0.1",
    LOG_LEVEL: "warn",
    ...extra,
  };
}

async function runImage(name: string, extra: Record<string, string>): Promise<void> {
  const port = await freePort();
  const env = containerEnv(name, { PORT: String(port), ...extra });
  const [node, ...args] = runtime.cmd;
  expect(node).toBe("node");
  const child = spawn(process.execPath, args, { cwd: runtime.dir, env });
  const out = watch(child);
  let stderr = "";
  child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
  try {
    await out.waitFor(new RegExp(`running on http://127\\.0\\.0\\.1:${port}`), 90_000).catch((e: Error) => {
      throw new Error(`${e.message}\nstderr:\n${stderr}`);
    });
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    // A command answered, in a community that only the mounted config names.
    const filed = spawnSync(process.execPath, ["bin/flywheel.js", "exec", "--verbose", "--as", "ana", "--community", "alpha", "/request Image builds under a minute"], {
      cwd: runtime.dir,
      env,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(filed.stdout).toContain("Filed #1 Image builds under a minute");
    expect(filed.status).toBe(0);
    expect(filed.stderr).toContain("through the running bot");
    expect(stderr).not.toMatch(/\n\s+at /);
  } finally {
    await stopChild(child);
  }
}

test("the assembled image starts on the embedded PGlite with a mounted config: /healthz 200, a command answered", async () => {
  await runImage("pglite", {});
}, 180_000);

(process.env.TEST_DATABASE_URL ? test : test.skip)("the assembled image starts on PostgreSQL with a mounted config: /healthz 200, a command answered", async () => {
  const db = await emptyPostgresDatabase();
  try {
    await runImage("postgresql", { DATABASE_URL: db.url });
  } finally {
    await db.drop();
  }
}, 180_000);

test("a container without its config mount stops with one line saying where the file was expected", () => {
  const env = containerEnv("nomount", { PORT: "0" });
  env.FLYWHEEL_CONFIG = join(mounts, "nomount", "missing", "flywheel.yml");
  const r = spawnSync(process.execPath, runtime.cmd.slice(1), { cwd: runtime.dir, env, encoding: "utf8", timeout: 60_000 });
  expect(r.status).toBe(2);
  expect(r.stderr.trim().split("\n")).toEqual([`flywheel: FLYWHEEL_CONFIG: no file at ${env.FLYWHEEL_CONFIG} (mount or copy your flywheel.yml there, or unset FLYWHEEL_CONFIG for the built-in \`local\` community)`]);
  expect(existsSync(join(mounts, "nomount", "data", "pglite"))).toBe(false);
});

// Compose file rules: https://docs.docker.com/reference/compose-file/ (services.depends_on.condition,
// healthcheck, env_file, top-level volumes).
test("compose.yaml runs Flywheel on PostgreSQL: named volume, health checks, started once the database is healthy", () => {
  type Service = {
    image?: string;
    build?: unknown;
    env_file?: string | string[];
    environment?: Record<string, string>;
    volumes?: string[];
    healthcheck?: { test: string[] };
    depends_on?: Record<string, { condition: string }>;
  };
  const compose = parseYaml(readFileSync(join(ROOT, "compose.yaml"), "utf8")) as { services: Record<string, Service>; volumes: Record<string, unknown> };
  const { db, flywheel } = compose.services;
  expect(db.image).toMatch(/^postgres:\d+/);
  const [volume] = (db.volumes ?? []).map((v) => v.split(":")[0]);
  expect(Object.keys(compose.volumes)).toContain(volume);
  expect(db.healthcheck?.test.join(" ")).toContain("pg_isready");
  expect(flywheel.build).toBe(".");
  expect(flywheel.depends_on).toEqual({ db: { condition: "service_healthy" } });
  expect(flywheel.healthcheck?.test.join(" ")).toContain("/healthz");
  expect(flywheel.env_file).toBe(".env");
  expect(flywheel.volumes).toContain(`./flywheel.yml:${runtime.env.FLYWHEEL_CONFIG}:ro`);
  // Secrets come from the env file, never from compose.yaml itself.
  const text = readFileSync(join(ROOT, "compose.yaml"), "utf8").replace(/^\s*#.*$/gm, "");
  expect(text).not.toMatch(/(PASSWORD|TOKEN|SECRET)\s*:/);
  expect(text).not.toMatch(/postgres(ql)?:\/\/[^\s:]+:[^\s@]+@/);
});
