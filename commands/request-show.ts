import { z } from "zod";
import { defineCommand } from "../src/command-kit/define";
import { requestButtons } from "../src/core/requests/cards";
import { viewerOf } from "../src/core/people/visibility";
import { requestDetails } from "../src/core/requests/details";
import { mayOpenForumPost } from "../src/core/requests/forum";
import { statusLabel } from "../src/core/requests/requests";
import type { Section } from "../src/core/reply";
import { requestNumber } from "../src/core/schemas";
import { truncate } from "../src/core/text";


export default defineCommand({
  name: "request-show",
  descriptionKey: "commands.requestShow.description",
  role: "member",
  communityOptional: true,
  options: [{ name: "number", type: "integer", descriptionKey: "commands.option.requestNumberExample", required: true, min: 1, autocomplete: "request" }],
  schema: z.object({ number: requestNumber }),
  async run({ options, actor, services, t }) {
    const d = await requestDetails(services, options.number, viewerOf(actor), t);
    const r = d.request;
    const unit = services.config.pledgeUnit;
    const sections: Section[] = [];
    const lines: string[] = [t.t("commands.requestShow.headline", { number: r.id, title: r.title, status: statusLabel(t, r.status) })];
    if (d.mergedInto) lines.push(t.t("commands.requestShow.mergedInto", { number: d.mergedInto.id, title: d.mergedInto.title }));
    lines.push(t.t("commands.requestShow.askedBy", { who: d.askedBy, day: r.createdAt }));
    if (r.body) lines.push("", truncate(r.body, 1500));
    if (r.sourceUrl) lines.push(t.t("commands.requestShow.from", { url: r.sourceUrl }));
    const wanted = d.breadth.map((c) => t.t("commands.requestShow.wantedIn", { community: c.shownAs, members: c.voters }));
    if (d.moreCommunities) wanted.push(t.t("commands.requestShow.moreCommunities", { count: d.moreCommunities }));
    const counts = { communities: d.communities, votes: d.votes };
    lines.push("", wanted.length ? t.t("commands.requestShow.wanted", { ...counts, list: t.list(wanted) }) : t.t("commands.requestShow.wantedByNobody", counts));
    sections.push({ title: t.t("commands.requestShow.communities"), text: wanted.join("\n") || t.t("commands.requestShow.noneYet") });
    if (d.pledges.length) {
      const p = d.pledges.map((x) =>
        x.note
          ? t.t("commands.requestShow.pledgeWithNote", { by: x.by, amount: x.amount, unit, note: truncate(x.note, 200) })
          : t.t("commands.requestShow.pledge", { by: x.by, amount: x.amount, unit }),
      );
      if (d.morePledges) p.push(t.t("commands.requestShow.morePledges", { count: d.morePledges }));
      lines.push(t.t("commands.requestShow.pledgesLine", { list: p.join("; ") }));
      sections.push({ title: t.t("commands.requestShow.pledges"), text: p.join("\n") });
    }
    if (d.feedback.length) {
      const f = d.feedback.slice(-10).map((x) => `${x.by}: ${truncate(x.body, 300)}`);
      lines.push(t.t("commands.requestShow.feedbackLine"), ...f.map((x) => `  ${x}`));
      sections.push({ title: t.t("commands.requestShow.feedback"), text: f.join("\n") });
    }
    if (d.history.length) {
      const h = d.history.map((x) => {
        const change = { day: x.createdAt, from: statusLabel(t, x.from), to: statusLabel(t, x.to) };
        const line = x.reason ? t.t("commands.requestShow.changeWithReason", { ...change, reason: truncate(x.reason, 200) }) : t.t("commands.requestShow.change", change);
        // Where a change came from (a GitHub event, an import) is a reference, shown as it is.
        return x.source !== "command" ? `${line} [${x.source}${x.sourceRef ? ` ${x.sourceRef}` : ""}]` : line;
      });
      lines.push(t.t("commands.requestShow.historyLine"), ...h.map((x) => `  ${x}`));
      sections.push({ title: t.t("commands.requestShow.history"), text: h.join("\n") });
    }
    if (d.github.length) {
      const g = d.github.map((x) => t.t("commands.requestShow.githubItem", { ref: `${x.repo}#${x.number}`, state: x.state, url: x.url }));
      lines.push(t.t("commands.requestShow.githubLine", { list: g.join(", ") }));
      sections.push({ title: t.t("commands.requestShow.github"), text: g.join("\n") });
    }
    if (d.suggested.length) {
      const g = d.suggested.map((x) =>
        x.suggestedBy
          ? t.t("commands.requestShow.suggestedItemBy", { ref: `${x.repo}#${x.number}`, who: x.suggestedBy, url: x.url })
          : t.t("commands.requestShow.suggestedItem", { ref: `${x.repo}#${x.number}`, url: x.url }),
      );
      lines.push(t.t("commands.requestShow.suggestedLine", { list: g.join(", ") }));
      sections.push({ title: t.t("commands.requestShow.suggested"), text: g.join("\n") });
    }
    if (d.mergedFrom.length) lines.push(t.t("commands.requestShow.mergedHere", { list: d.mergedFrom.map((m) => `#${m.id}`).join(", ") }));
    const confirm =
      actor.role === "staff"
        ? d.suggested.map((x) => ({ label: t.t("commands.requestShow.confirm", { ref: `${x.repo}#${x.number}` }), command: `github confirm ${r.id} ${x.repo}#${x.number}` }))
        : [];
    // A request filed elsewhere can be discussed where the asker's community talks: its forum.
    const discuss = r.status !== "merged" && (await mayOpenForumPost(services, actor, r.id)) ? [{ label: t.t("forum.discussButton"), command: `forum open ${r.id}` }] : [];
    return { text: lines.join("\n"), title: `#${r.id} ${r.title}`, sections, buttons: [...requestButtons(t, r.id).slice(0, 2), ...discuss, ...confirm], ephemeral: true };
  },
});
