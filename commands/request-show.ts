import { z } from "zod";
import { defineCommand } from "../src/command-kit/define";
import { requestButtons } from "../src/core/requests/cards";
import { viewerOf } from "../src/core/people/visibility";
import { requestDetails } from "../src/core/requests/details";
import { STATUS_LABEL } from "../src/core/requests/requests";
import type { Section } from "../src/core/reply";
import { requestNumber } from "../src/core/schemas";
import { plural, truncate } from "../src/core/text";

const day = (d: Date) => d.toISOString().slice(0, 10);

export default defineCommand({
  name: "request-show",
  description: "Everything about one feature request: who wants it, pledges, feedback, history",
  role: "member",
  communityOptional: true,
  options: [{ name: "number", type: "integer", description: "Request number, e.g. 12", required: true, min: 1, autocomplete: "request" }],
  schema: z.object({ number: requestNumber }),
  async run({ options, actor, services, t }) {
    const d = await requestDetails(services, options.number, viewerOf(actor), t);
    const r = d.request;
    const unit = services.config.pledgeUnit;
    const sections: Section[] = [];
    const lines: string[] = [`#${r.id} ${r.title} — ${STATUS_LABEL[r.status]}`];
    if (d.mergedInto) lines.push(`Merged into #${d.mergedInto.id} ${d.mergedInto.title}`);
    lines.push(`Asked by ${d.askedBy} on ${day(r.createdAt)}`);
    if (r.body) lines.push("", truncate(r.body, 1500));
    if (r.sourceUrl) lines.push(`From: ${r.sourceUrl}`);
    const wanted = d.breadth.map((c) => `${c.shownAs} (${plural(c.voters, "member")})`);
    lines.push("", `Wanted by ${plural(d.breadth.length, "community", "communities")} · ${plural(d.votes, "vote")}: ${wanted.join(", ") || "nobody yet"}`);
    sections.push({ title: "Communities", text: wanted.join("\n") || "None yet" });
    if (d.pledges.length) {
      const p = d.pledges.map((x) => `${x.by}: ${x.amount} ${unit}${x.note ? ` — ${truncate(x.note, 200)}` : ""}`);
      lines.push(`Pledges: ${p.join("; ")}`);
      sections.push({ title: "Pledges", text: p.join("\n") });
    }
    if (d.feedback.length) {
      const f = d.feedback.slice(-10).map((x) => `${x.by}: ${truncate(x.body, 300)}`);
      lines.push("Feedback:", ...f.map((x) => `  ${x}`));
      sections.push({ title: "Feedback", text: f.join("\n") });
    }
    if (d.history.length) {
      const h = d.history.map((x) => `${day(x.createdAt)} ${STATUS_LABEL[x.from]} → ${STATUS_LABEL[x.to]}${x.reason ? ` (${truncate(x.reason, 200)})` : ""}${x.source !== "command" ? ` [${x.source}${x.sourceRef ? ` ${x.sourceRef}` : ""}]` : ""}`);
      lines.push("History:", ...h.map((x) => `  ${x}`));
      sections.push({ title: "History", text: h.join("\n") });
    }
    if (d.github.length) {
      const g = d.github.map((x) => `${x.repo}#${x.number} (${x.state}) ${x.url}`);
      lines.push(`GitHub: ${g.join(", ")}`);
      sections.push({ title: "GitHub", text: g.join("\n") });
    }
    if (d.suggested.length) {
      const g = d.suggested.map((x) => `${x.repo}#${x.number}${x.suggestedBy ? ` by ${x.suggestedBy}` : ""} ${x.url}`);
      lines.push(`Suggested GitHub links (move nothing until staff confirm): ${g.join(", ")}`);
      sections.push({ title: "Suggested GitHub links", text: g.join("\n") });
    }
    if (d.mergedFrom.length) lines.push(`Merged here: ${d.mergedFrom.map((m) => `#${m.id}`).join(", ")}`);
    const confirm = actor.role === "staff" ? d.suggested.map((x) => ({ label: `Confirm ${x.repo}#${x.number}`, command: `github confirm ${r.id} ${x.repo}#${x.number}` })) : [];
    return { text: lines.join("\n"), title: `#${r.id} ${r.title}`, sections, buttons: [...requestButtons(t, r.id).slice(0, 2), ...confirm], ephemeral: true };
  },
});
