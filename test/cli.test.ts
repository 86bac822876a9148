import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { watch } from "./helpers/program";

// Drives the BUILT program (npm test builds it first), as a newcomer would.
const BIN = join(__dirname, "..", "bin", "flywheel.js");

const YAML = `
communities:
  - { slug: alpha, name: Alpha University, tier: premier }
  - { slug: beta, name: Beta College, tier: general }
staff:
  - { shell: carol }
`;

let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  if (!existsSync(join(__dirname, "..", "dist", "src", "cli", "main.js"))) throw new Error("dist/ is missing: run `npm run build` (npm test does it)");
  dir = mkdtempSync(join(tmpdir(), "flywheel-cli-"));
  writeFileSync(join(dir, "flywheel.yml"), YAML);
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(SLACK_|DISCORD_|GITHUB_|DATABASE_URL|PORT|DATA_DIR|NODE_OPTIONS)/.test(k)));
  env = { ...clean, DATA_DIR: join(dir, "data"), FLYWHEEL_CONFIG: join(dir, "flywheel.yml"), PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "warn" };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [BIN, ...args], { cwd: dir, env: { ...env, ...extra }, encoding: "utf8", timeout: 60_000 });

test("flywheel exec files a request as one person and upvotes it as another", () => {
  const filed = run(["exec", "--as", "ana", "--community", "alpha", "/request Faster image builds | CI takes 20 minutes"]);
  expect(filed.stderr).toBe("");
  expect(filed.status).toBe(0);
  expect(filed.stdout).toContain("Filed #1 Faster image builds");
  const vote = run(["exec", "--as", "bob", "--community", "beta", "/upvote 1"]);
  expect(vote.status).toBe(0);
  expect(vote.stdout).toContain("Your vote for #1 is counted for beta");
  const list = run(["exec", "--as", "bob", "--community", "beta", "/requests"]);
  expect(list.stdout).toContain("#1 Faster image builds — 2 communities · 2 votes · 0 pledges — open");
});

test("refused and malformed commands exit non-zero with a clear message, no stack trace", () => {
  const refused = run(["exec", "--as", "bob", "--community", "beta", "/status 1 shipped"]);
  expect(refused.status).toBe(1);
  expect(refused.stderr).toContain("only Flywheel staff");
  const malformed = run(["exec", "--as", "bob", "--community", "beta", "/upvote twelve"]);
  expect(malformed.status).toBe(1);
  expect(malformed.stderr).toContain("Give a request number");
  const unknown = run(["exec", "--as", "bob", "--community", "beta", "/frobnicate"]);
  expect(unknown.status).toBe(1);
  expect(unknown.stderr).toContain("I don't know the command /frobnicate");
  for (const r of [refused, malformed, unknown]) expect(r.stderr).not.toMatch(/\n\s+at |Error:/);
  const staff = run(["exec", "--as", "carol", "/status 1 planned"]);
  expect(staff.status).toBe(0);
  expect(staff.stdout).toContain("#1 is now planned");
  // The terminal prints the notifications the status change queued for the voters.
  expect(staff.stdout).toMatch(/📣 to #alpha: Roadmap update: #1 Faster image builds is now planned/);
});

test("a bad environment value stops start-up with one line naming it", () => {
  const r = run(["exec", "--as", "x", "/help"], { PORT: "eighty" });
  expect(r.status).toBe(2);
  expect(r.stderr.trim()).toBe("flywheel: PORT: expected a port number");
  // A config file named on purpose but missing (a forgotten mount) is refused, not replaced by the built-in default.
  const missing = run(["exec", "--as", "x", "/help"], { FLYWHEEL_CONFIG: join(dir, "bad.yml") });
  expect(missing.status).toBe(2);
  expect(missing.stderr.trim()).toBe(`flywheel: FLYWHEEL_CONFIG: no file at ${join(dir, "bad.yml")} (mount or copy your flywheel.yml there, or unset FLYWHEEL_CONFIG for the built-in \`local\` community)`);
  writeFileSync(join(dir, "bad.yml"), "communities:\n  - { slug: a, name: A, tier: platinum }\n");
  const bad = run(["exec", "--as", "x", "/help"], { FLYWHEEL_CONFIG: join(dir, "bad.yml") });
  expect(bad.status).toBe(2);
  expect(bad.stderr).toMatch(/bad\.yml: communities\[0\]\.tier: /);
});

test("export requests as CSV and JSON", () => {
  const csv = run(["export", "requests", "--csv"]);
  expect(csv.status).toBe(0);
  const [header, first] = csv.stdout.trim().split("\n");
  expect(header).toBe("number,title,status,communities,breadth,votes,pledges,pledged,requestedBy,mergedInto,github,createdAt,details");
  expect(first).toMatch(/^1,Faster image builds,planned,2,3,2,0,0,alpha,,,/);
  const json = JSON.parse(run(["export", "requests", "--json"]).stdout) as { number: number; votes: number }[];
  expect(json).toEqual([expect.objectContaining({ number: 1, votes: 2, communities: 2 })]);
});

test("the terminal bot: type commands at the prompt; exec and /healthz reach the running bot", async () => {
  const child = spawn(process.execPath, [BIN, "start", "--shell"], { cwd: dir, env: { ...env, FLYWHEEL_USER: "dana" } });
  const out = watch(child);
  let stderr = "";
  child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
  try {
    const [, port] = await out.waitFor(/running on http:\/\/127\.0\.0\.1:(\d+)/);
    await out.waitFor(/You are dana/);
    child.stdin.write("/as erin alpha\n");
    await out.waitFor(/You are now erin in alpha/);
    child.stdin.write("/request Dark mode for dashboards\n");
    await out.waitFor(/Filed #2 Dark mode for dashboards/);

    // While the bot holds the embedded database, exec goes through its admin endpoint.
    const viaBot = run(["exec", "--as", "fred", "--community", "beta", "/upvote 2"]);
    expect(viaBot.stderr).toBe("");
    expect(viaBot.stdout).toContain("Your vote for #2 is counted for beta");
    expect(JSON.parse(readFileSync(join(dir, "data", "flywheel.lock.json"), "utf8"))).toMatchObject({ pid: child.pid, port: Number(port) });

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", database: { reachable: true, kind: "pglite" } });
    // The admin endpoint refuses callers without the lock file's secret.
    const forbidden = await fetch(`http://127.0.0.1:${port}/admin/cli`, { method: "POST", body: JSON.stringify({ argv: ["export", "requests"] }) });
    expect(forbidden.status).toBe(403);

    child.stdin.write("/requests\n");
    await out.waitFor(/#2 Dark mode for dashboards — 2 communities · 2 votes/);
    child.stdin.write("/upvote banana\n");
    await out.waitFor(/✗ Give a request number/);
    child.stdin.write("/quit\n");
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(0);
    expect(existsSync(join(dir, "data", "flywheel.lock.json"))).toBe(false);
    expect(stderr).not.toMatch(/\n\s+at /);
  } finally {
    if (child.exitCode === null) child.kill("SIGKILL");
  }
});
