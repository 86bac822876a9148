import { z } from "zod";
import { defineCommand } from "../src/command-kit/define";
import { rankedLine, requestButtons } from "../src/core/requests/cards";
import { LISTABLE_STATUSES, rankRequests } from "../src/core/requests/requests";
import type { Reply } from "../src/core/reply";

export default defineCommand({
  name: "requests",
  description: "Feature requests, most-wanted first (by how many communities want them)",
  role: "member",
  communityOptional: true,
  options: [
    { name: "status", type: "string", description: "Which requests to list", choices: LISTABLE_STATUSES },
    { name: "community", type: "string", keyword: true, description: "Only requests this community wants (its slug)", autocomplete: "community" },
    { name: "page", type: "integer", keyword: true, description: "Page number", min: 1, example: "2" },
  ],
  schema: z.object({
    status: z.enum(LISTABLE_STATUSES, { message: `Status must be one of ${LISTABLE_STATUSES.join(", ")}.` }).default("open"),
    community: z.string().regex(/^[a-z0-9-]+$/, { message: "Give a community slug, like alpha." }).optional(),
    page: z.coerce.number().int().min(1).max(10_000).default(1),
  }),
  async run({ options: o, services, t }): Promise<Reply> {
    if (o.community && !(await services.db.community.findUnique({ where: { slug: o.community } })))
      return { text: `There is no community "${o.community}".`, ephemeral: true, error: true };
    const { rows, hasMore, total } = await rankRequests(services, { statuses: [o.status], communitySlug: o.community, page: o.page });
    const scope = `${o.status.replace("_", " ")} requests${o.community ? ` wanted by ${o.community}` : ""}`;
    if (!rows.length) return { text: o.page > 1 ? `No more ${scope}.` : `No ${scope} yet. File one with /request <title>.`, ephemeral: true };
    const first = (o.page - 1) * 10 + 1;
    const more = `requests ${o.status}${o.community ? ` --community ${o.community}` : ""} --page ${o.page + 1}`;
    return {
      text: [`${scope[0].toUpperCase()}${scope.slice(1)} (${first}–${first + rows.length - 1} of ${total}):`, ...rows.map((r) => rankedLine(t, r))].join("\n"),
      ephemeral: true,
      sections: rows.map((r) => ({ text: rankedLine(t, r), buttons: requestButtons(t, r.id) })),
      buttons: hasMore ? [{ label: "More", command: more }] : undefined,
    };
  },
});
