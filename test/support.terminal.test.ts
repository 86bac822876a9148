// The support flow from the terminal, as `flywheel exec` runs it with the built-in config: the
// staff thread is printed as #support, the member's thread in their community's channel.
import { runCli } from "../src/cli/program";
import { loadEnv } from "../src/config/env";
import { DEFAULT_CONFIG_YAML } from "../src/config/file";
import { DB_TARGETS, testServices, type TestEnv } from "./helpers/db";

describe.each(DB_TARGETS)("support from the terminal on %s", (target) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testServices(target, DEFAULT_CONFIG_YAML);
  });
  afterAll(() => t.close());

  const exec = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(["exec", ...argv], { out: (s) => out.push(s), err: (s) => err.push(s), services: t.services, env: loadEnv({}) });
    return { code, out: out.join("\n"), err: err.join("\n") };
  };

  test("a member opens a ticket, staff answer and resolve it, the member rates it", async () => {
    const opened = await exec("--as", "ana", "--community", "local", "/support Printer is on fire | since this morning");
    expect(opened.code).toBe(0);
    expect(opened.out).toContain("Opened support ticket #1: Printer is on fire");
    expect(opened.out).toContain("📣 to #local: 🎫 Support ticket #1 from ana: Printer is on fire");
    expect(opened.out).toContain("📣 to #support: Ticket #1 from ana (Local): Printer is on fire — open, normal priority, unassigned");

    const answered = await exec("--as", "admin", "/ticket reply 1 Use the extinguisher");
    expect(answered.out).toMatch(/📣 to #local \(thread shell-\d+-\d+\): admin \(staff\): Use the extinguisher/);
    expect(answered.out).toMatch(/📣 to #support \(thread shell-\d+-\d+\): admin \(staff\): Use the extinguisher/);

    const refused = await exec("--as", "ana", "--community", "local", "/ticket resolve 1");
    expect(refused.code).toBe(1);
    expect(refused.err).toContain("only Flywheel staff");

    const resolved = await exec("--as", "admin", "/ticket resolve 1");
    expect(resolved.out).toContain("Done: admin resolved #1.");
    expect(resolved.out).toContain("[👍 Helpful: /ticket rate 1 helpful]  [👎 Not helpful: /ticket rate 1 not-helpful]");

    const rated = await exec("--as", "ana", "--community", "local", "/ticket rate 1 helpful");
    expect(rated.out).toContain("Thank you! Your rating of ticket #1 is recorded.");
    expect(rated.out).toContain("ana rated #1: 👍 helpful.");
  });
});
