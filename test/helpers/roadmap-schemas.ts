import { z } from "zod";
import { child, childrenNamed, parseXml } from "./xml";

/**
 * The documented shapes of the public roadmap's JSON API and Atom feed (README, "Public
 * roadmap"). Strict objects: a field the README does not list (a private slug, a pledge note)
 * fails the tests.
 */

const isoDateTime = z.iso.datetime();
const status = z.enum(["open", "planned", "in_progress", "shipped", "declined", "merged"]);
const url = z.url({ protocol: /^https?$/ });

/** A named community, or a private one that only says its tier. */
export const publicCommunitySchema = z.union([
  z.strictObject({ name: z.string().min(1), slug: z.string().regex(/^[a-z0-9][a-z0-9-]*$/), private: z.literal(false) }),
  z.strictObject({ name: z.enum(["a Premier member", "a General member", "an Essential member"]), slug: z.null(), private: z.literal(true) }),
]);

export const requestSchema = z.strictObject({
  number: z.number().int().positive(),
  title: z.string().min(1),
  status,
  url,
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  shippedAt: isoDateTime.nullable(),
  mergedInto: z.number().int().positive().nullable(),
  breadth: z.strictObject({
    communities: z.number().int().min(0),
    weighted: z.number().min(0),
    share: z.number().min(0).max(1),
    wantedBy: z.array(publicCommunitySchema),
  }),
  votes: z.number().int().min(0),
  pledges: z.strictObject({ count: z.number().int().min(0), total: z.number().min(0), unit: z.string().min(1) }),
  github: z.array(
    z.strictObject({ repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/), number: z.number().int().positive(), kind: z.string(), url, state: z.string(), title: z.string() }),
  ),
  credits: z.array(z.strictObject({ name: z.string().min(1), kinds: z.array(z.string()).min(1), githubLogin: z.string().nullable() })),
});

export const requestListSchema = z.strictObject({
  requests: z.array(requestSchema),
  page: z.number().int().positive(),
  pageSize: z.number().int().min(1).max(100),
  total: z.number().int().min(0),
  hasMore: z.boolean(),
  next: url.nullable(),
  prev: url.nullable(),
});

export const requestDetailSchema = requestSchema.extend({
  body: z.string(),
  requestedBy: publicCommunitySchema,
  mergedFrom: z.array(z.number().int().positive()),
  history: z.array(
    z.strictObject({ at: isoDateTime, from: status, to: status, reason: z.string().nullable(), source: z.string(), link: url.nullable() }),
  ),
  votesOverTime: z.array(z.strictObject({ day: z.iso.date(), votes: z.number().int().positive() })),
  pledgesBy: z.array(z.strictObject({ community: publicCommunitySchema, amount: z.number().positive() })),
});

export const errorSchema = z.strictObject({ error: z.string().min(1) });

const atomLink = z.object({ rel: z.string().default("alternate"), href: url, type: z.string().optional() });

/** An Atom 1.0 feed as RFC 4287 requires it: id, title, updated; entries with id, title, updated, a link. */
export const atomFeedSchema = z.strictObject({
  namespace: z.literal("http://www.w3.org/2005/Atom"),
  id: url,
  title: z.string().min(1),
  updated: isoDateTime,
  author: z.string().min(1),
  links: z.array(atomLink).refine((l) => l.some((x) => x.rel === "self"), { message: "a feed links to itself" }),
  entries: z.array(
    z.strictObject({
      id: url,
      title: z.string().min(1),
      updated: isoDateTime,
      links: z.array(atomLink).refine((l) => l.some((x) => x.rel === "alternate"), { message: "an entry links to its page" }),
      category: z.strictObject({ term: status, label: z.string() }),
      summary: z.string().min(1),
    }),
  ),
});
export type AtomFeed = z.infer<typeof atomFeedSchema>;

/** Parses the feed's XML (strictly) and validates it against atomFeedSchema. */
export function parseAtom(xml: string): AtomFeed {
  const root = parseXml(xml);
  if (root.name !== "feed") throw new Error(`root element is <${root.name}>, not <feed>`);
  const text = (el: ReturnType<typeof parseXml>, name: string) => child(el, name)?.text;
  const links = (el: ReturnType<typeof parseXml>) => childrenNamed(el, "link").map((l) => l.attrs);
  return atomFeedSchema.parse({
    namespace: root.attrs.xmlns,
    id: text(root, "id"),
    title: text(root, "title"),
    updated: text(root, "updated"),
    author: child(root, "author") && text(child(root, "author")!, "name"),
    links: links(root),
    entries: childrenNamed(root, "entry").map((e) => ({
      id: text(e, "id"),
      title: text(e, "title"),
      updated: text(e, "updated"),
      links: links(e),
      category: child(e, "category")?.attrs,
      summary: text(e, "summary"),
    })),
  });
}
