import { z } from "zod";
import { defineCommand, says } from "../src/command-kit/define";
import { rankedLine, requestButtons } from "../src/core/requests/cards";
import { LISTABLE_STATUSES, rankRequests } from "../src/core/requests/requests";
import type { Reply } from "../src/core/reply";

export default defineCommand({
  name: "requests",
  descriptionKey: "commands.requests.description",
  role: "member",
  communityOptional: true,
  listing: true,
  options: [
    { name: "status", type: "string", descriptionKey: "commands.requests.option.status", choices: LISTABLE_STATUSES },
    { name: "community", type: "string", keyword: true, descriptionKey: "commands.requests.option.community", autocomplete: "community" },
    { name: "page", type: "integer", keyword: true, descriptionKey: "commands.requests.option.page", min: 1, example: "2" },
  ],
  schema: z.object({
    status: z.enum(LISTABLE_STATUSES, { message: says("commands.requests.statusChoice") }).default("open"),
    community: z.string().regex(/^[a-z0-9-]+$/, { message: says("commands.communitySlugShape") }).optional(),
    page: z.coerce.number().int().min(1).max(10_000).default(1),
  }),
  async run({ options: o, services, t }): Promise<Reply> {
    if (o.community && !(await services.db.community.findUnique({ where: { slug: o.community } })))
      return { text: t.t("commands.noSuchCommunity", { slug: o.community }), ephemeral: true, error: true };
    const { rows, hasMore, total } = await rankRequests(services, { statuses: [o.status], communitySlug: o.community, page: o.page });
    const which = { status: o.status, community: o.community, request: "/request <title>" };
    if (!rows.length) {
      const key = o.page > 1 ? (o.community ? "commands.requests.noMoreWantedBy" : "commands.requests.noMore") : o.community ? "commands.requests.noneWantedBy" : "commands.requests.none";
      return { text: t.t(key, which), ephemeral: true };
    }
    const scope = o.community ? t.t("commands.requests.scopeWantedBy", which) : t.t("commands.requests.scope", which);
    const first = (o.page - 1) * 10 + 1;
    const more = `requests ${o.status}${o.community ? ` --community ${o.community}` : ""} --page ${o.page + 1}`;
    return {
      text: [t.t("commands.requests.heading", { scope, first, last: first + rows.length - 1, total }), ...rows.map((r) => rankedLine(t, r))].join("\n"),
      ephemeral: true,
      sections: rows.map((r) => ({ text: rankedLine(t, r), buttons: requestButtons(t, r.id) })),
      buttons: hasMore ? [{ label: t.t("commands.requests.more"), command: more }] : undefined,
    };
  },
});
