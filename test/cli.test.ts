import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { PassThrough } from "node:stream";
import { envSchema } from "../src/config/env";
import { ShellScreen } from "../src/platforms/shell/screen";
import { watch } from "./helpers/program";
import { pgliteTemplate } from "./helpers/templates";

// Drives the BUILT program (npm test builds it first), as a newcomer would.
const BIN = join(__dirname, "..", "bin", "flywheel.js");

const YAML = `
communities:
  - { slug: alpha, name: Alpha University, tier: premier }
  - { slug: beta, name: Beta College, tier: general }
  - { slug: gamma, name: Gamma Institute, tier: general, locale: es }
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

test("what exec prints from the outbox reads in each channel's community language", () => {
  const vote = run(["exec", "--as", "dora", "--community", "gamma", "/upvote 1"]);
  expect(vote.stdout).toContain("Tu voto por #1 cuenta para gamma.");
  const staff = run(["exec", "--as", "carol", "/status 1 in_progress"]);
  expect(staff.status).toBe(0);
  expect(staff.stdout).toContain("📣 to #alpha: Roadmap update: #1 Faster image builds is now in progress");
  expect(staff.stdout).toContain("📣 para #gamma: Novedades de la hoja de ruta: la #1 Faster image builds ahora está en curso");
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
  expect(first).toMatch(/^1,Faster image builds,planned,3,4,3,0,0,alpha,,,/);
  const json = JSON.parse(run(["export", "requests", "--json"]).stdout) as { number: number; votes: number }[];
  expect(json).toEqual([expect.objectContaining({ number: 1, votes: 3, communities: 3 })]);
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

test("an unknown command is named as such, not read as arguments of start", () => {
  const r = run(["frobnicate"]);
  expect(r.status).toBe(2);
  expect(r.stderr.trim()).toBe("flywheel: unknown command 'frobnicate'. Commands: start, exec, export, github, slack, digest, discord; flywheel --help explains each.");
  expect(r.stderr).not.toContain("too many arguments");
});

test("every variable the program reads is documented in .env.example", () => {
  const documented = new Set([...readFileSync(join(__dirname, "..", ".env.example"), "utf8").matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));
  expect(Object.keys(envSchema.shape).filter((k) => !documented.has(k))).toEqual([]);
  expect(documented).toContain("FLYWHEEL_USER");
});

describe("the README's terminal examples, typed literally on the default configuration", () => {
  const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8");
  const blocks = [...readme.matchAll(/```(\w*)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1], lines: m[2].split("\n").filter((l) => l.trim()) }));
  const promptBlocks = blocks.filter((b) => b.lines.some((l) => l.startsWith("flywheel> ")));
  const shellBlocks = blocks.filter((b) => b.lang === "sh" && b.lines.some((l) => l.startsWith("npx flywheel exec ")));

  /**
   * A fresh folder with no flywheel.yml: the built-in config, as after `git clone`. The first
   * README block runs truly first (its first line creates the database, at ~4 s of CPU); the
   * others start with the migrated template's database already in ./data, as after that first
   * line, instead of creating it again.
   */
  let created = false;
  const fresh = async () => {
    const home = mkdtempSync(join(tmpdir(), "flywheel-readme-"));
    if (created) cpSync((await pgliteTemplate()).dir, join(home, "data", "pglite"), { recursive: true });
    created = true;
    const clean = Object.fromEntries(Object.entries(env).filter(([k]) => !/^(FLYWHEEL_|DATA_DIR)/.test(k)));
    return { home, env: { ...clean, LOG_LEVEL: "info" } };
  };

  /** `npx flywheel a "b c"` as a shell splits it. */
  const argsOf = (line: string) => [...line.replace(/^npx flywheel\s+/, "").matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);

  test("the README has them", () => {
    expect(promptBlocks.length).toBeGreaterThan(0);
    expect(shellBlocks.length).toBeGreaterThan(0);
  });

  test("each `npx flywheel …` block succeeds line by line", async () => {
    for (const block of shellBlocks) {
      const { home, env: e } = await fresh();
      try {
        for (const line of block.lines.filter((l) => l.startsWith("npx flywheel "))) {
          const r = spawnSync(process.execPath, [BIN, ...argsOf(line)], { cwd: home, env: e, encoding: "utf8", timeout: 60_000 });
          expect({ line, status: r.status, stderr: r.stderr }).toEqual({ line, status: 0, stderr: "" });
        }
        // Asking for a community the default config lacks says which exist and how to pick one.
        const wrong = spawnSync(process.execPath, [BIN, "exec", "--as", "zoe", "--community", "alpha", "/upvote 1"], { cwd: home, env: e, encoding: "utf8", timeout: 60_000 });
        expect(wrong.status).toBe(1);
        expect(wrong.stderr.trim()).toBe('✗ There is no community "alpha". Communities: local. At the prompt: /as <name> local; with exec: --community local.');
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    }
  });

  test("the prompt session: every line typed as shown answers as shown; logs stay off the screen", async () => {
    for (const block of promptBlocks) {
      const { home, env: e } = await fresh();
      const child = spawn(process.execPath, [BIN, "start", "--shell"], { cwd: home, env: e });
      const out = watch(child);
      let stderr = "";
      child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
      try {
        // Starting the whole bot (every platform module, the database) takes a few seconds on a quiet
        // machine and over 30 s on a shared, loaded one: the wait is a safety net, not a speed check.
        await out.waitFor(/You are admin\. Communities: local\./, 180_000);
        let expected: string[] = [];
        const check = async () => {
          for (const want of expected) await out.waitFor(new RegExp(want.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
          expected = [];
        };
        for (const line of block.lines) {
          if (line.startsWith("flywheel> ")) {
            await check();
            child.stdin.write(`${line.slice("flywheel> ".length)}\n`);
          } else expected.push(line);
        }
        await check();
        // A notification queued by the last command prints above a freshly drawn prompt.
        await out.waitFor(/flywheel> \n📣 to #\w+: Roadmap update[^\n]*\n[\s\S]*?flywheel> /);
        child.stdin.write("/as\n");
        await out.waitFor(/Usage: \/as <name> \[community\]/);
        child.stdin.write("/quit\n");
        expect(await new Promise<number | null>((resolve) => child.on("exit", resolve))).toBe(0);
        // Log lines went to the log file, not over the prompt.
        expect(out.text).not.toMatch(/"level":\d+/);
        expect(stderr).not.toMatch(/"level":\d+/);
        expect(readFileSync(join(home, "data", "flywheel.log"), "utf8")).toMatch(/"msg":"Flywheel is running"/);
      } finally {
        if (child.exitCode === null) child.kill("SIGKILL");
        rmSync(home, { recursive: true, force: true });
      }
    }
  }, 300_000);
});

describe("the screen the prompt shares with notifications", () => {
  const setup = (tty: boolean) => {
    const input = new PassThrough();
    const output = Object.assign(new PassThrough(), { isTTY: tty, columns: 80 });
    let text = "";
    output.on("data", (b: Buffer) => (text += b.toString()));
    const rl = createInterface({ input, output, prompt: "flywheel> ", terminal: tty });
    const screen = new ShellScreen(output);
    screen.attach(rl);
    return { input, rl, screen, text: () => text, reset: () => (text = "") };
  };

  test("on a terminal, a notification is printed above the prompt, which is drawn again with the half-typed line", () => {
    const s = setup(true);
    try {
      s.screen.prompt();
      s.input.write("/upvote 1");
      s.reset();
      s.screen.print("\n📣 to #local: #1 is now planned\n");
      const after = s.text();
      // Erase the line (CSI 2K), back to column 1 (CSI 1G), print, then the prompt and what was typed.
      expect(after.startsWith("\x1b[2K\x1b[1G📣 to #local: #1 is now planned\n")).toBe(true);
      expect(after).toContain("flywheel> /upvote 1");
      expect(s.rl.line).toBe("/upvote 1");
    } finally {
      s.rl.close();
    }
  });

  test("on a pipe, a notification starts on its own line and the prompt follows; while a command runs, it just prints", () => {
    const s = setup(false);
    try {
      s.screen.prompt();
      s.screen.print("📣 one");
      expect(s.text()).toBe("flywheel> \n📣 one\nflywheel> ");
      s.reset();
      s.screen.busy();
      s.screen.print("📣 two");
      expect(s.text()).toBe("📣 two\n");
    } finally {
      s.rl.close();
    }
  });
});
