import type { Command } from "commander";
import { rankRequests } from "../core/requests/requests";
import type { CliIO } from "./io";

const csvCell = (v: unknown): string => {
  const s = v instanceof Date ? v.toISOString() : String(v ?? "");
  // A leading = + - @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export function registerExport(program: Command, io: CliIO, setCode: (n: number) => void): void {
  program
    .command("export")
    .description("write every request with its counts, as CSV or JSON")
    .argument("<what>", "what to export: requests")
    .option("--csv", "CSV (the default)")
    .option("--json", "JSON")
    .action(async (what: string, o: { csv?: boolean; json?: boolean }) => {
      if (what !== "requests") {
        io.err(`flywheel export: I can export "requests", not "${what}".`);
        return setCode(2);
      }
      const services = await io.services();
      const all = await rankRequests(services, {
        statuses: ["open", "planned", "in_progress", "shipped", "declined", "merged"],
        pageSize: 1_000_000,
      });
      const details = await services.db.featureRequest.findMany({
        select: { id: true, body: true, mergedIntoId: true, community: { select: { slug: true } }, githubItems: { select: { url: true } } },
      });
      const byId = new Map(details.map((d) => [d.id, d]));
      const rows = all.rows.map((r) => ({
        number: r.id,
        title: r.title,
        status: r.status,
        communities: r.communities,
        breadth: r.breadth,
        votes: r.votes,
        pledges: r.pledges,
        pledged: r.pledged,
        requestedBy: byId.get(r.id)?.community.slug ?? "",
        mergedInto: byId.get(r.id)?.mergedIntoId ?? null,
        github: byId.get(r.id)?.githubItems.map((g) => g.url).join(" ") ?? "",
        createdAt: r.createdAt.toISOString(),
        details: byId.get(r.id)?.body ?? "",
      }));
      if (o.json) {
        io.out(JSON.stringify(rows, null, 2));
        return;
      }
      const header = ["number", "title", "status", "communities", "breadth", "votes", "pledges", "pledged", "requestedBy", "mergedInto", "github", "createdAt", "details"] as const;
      io.out([header.join(","), ...rows.map((r) => header.map((h) => csvCell(r[h])).join(","))].join("\n"));
    });
}
