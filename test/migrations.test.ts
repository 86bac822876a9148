import { execFileSync } from "node:child_process";

test("schema.prisma and prisma/migrations agree (drift check)", () => {
  // Exit code 2 would mean schema.prisma has changes no migration holds.
  const out = execFileSync("npm", ["run", "-s", "migrate:check"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  expect(out).toContain("No difference detected");
});
