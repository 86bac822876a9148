import { spawnSync } from "node:child_process";
import { join } from "node:path";

// The import rules live in .dependency-cruiser.cjs; dependency-cruiser is an ES module only, so
// it runs as its own process (as `npm run imports` does), answering in JSON.
const ROOT = join(__dirname, "..");
const CONFIG = join(ROOT, ".dependency-cruiser.cjs");
const DEPCRUISE = join(ROOT, "node_modules", "dependency-cruiser", "bin", "dependency-cruise.mjs");

interface Cruise {
  summary: { totalCruised: number; violations: { rule: { name: string }; from: string; to: string }[] };
}

function cruise(cwd: string, dirs: string[]): { modules: number; violations: string[] } {
  const run = spawnSync(process.execPath, [DEPCRUISE, "--config", CONFIG, "--output-type", "json", ...dirs], { cwd, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (!run.stdout) throw new Error(`dependency-cruiser did not run: ${run.stderr || run.error?.message}`);
  const { summary } = JSON.parse(run.stdout) as Cruise;
  const at = (path: string) => path.replace(/^.*node_modules\/((@[^/]+\/)?[^/]+).*$/, "$1");
  return { modules: summary.totalCruised, violations: summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${at(v.to)}`).sort() };
}

describe("the layout's import rules", () => {
  test("src/ and commands/ keep every rule: a forbidden import fails here, named by its rule", () => {
    const { modules, violations } = cruise(ROOT, ["src", "commands"]);
    expect(violations).toEqual([]);
    // The whole program was cruised, not an empty selection that passes by default.
    expect(modules).toBeGreaterThan(150);
  });

  test("each rule catches its forbidden import, and allowed ones pass (test/fixtures/imports)", () => {
    const { violations } = cruise(join(ROOT, "test", "fixtures", "imports"), ["src", "commands"]);
    expect(violations).toEqual(
      [
        "commands-know-no-platform: commands/upvote.ts → src/platforms/discord/render.ts",
        "core-knows-no-command: src/core/requests/filing.ts → commands/upvote.ts",
        "core-knows-no-platform: src/core/requests/filing.ts → @slack/types",
        "core-knows-no-platform: src/core/requests/filing.ts → src/platforms/slack/render.ts",
        "core-knows-no-transport: src/core/requests/filing.ts → src/server/http.ts",
        "data-layer-knows-no-rules: src/db/client.ts → src/core/ranking.ts",
        "jobs-live-in-src-jobs: src/core/reminders.ts → node-cron",
        "no-circular: src/core/ranking.ts → src/core/votes.ts",
        "no-unresolvable-import: src/core/reminders.ts → ./nowhere",
        "only-main-starts-the-app: src/platforms/shell/repl.ts → src/app.ts",
        "platforms-never-import-each-other: src/platforms/slack/render.ts → src/platforms/discord/render.ts",
      ].sort(),
    );
  });
});
