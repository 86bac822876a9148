import { z } from "zod";
import { LISTABLE_STATUSES, type ListableStatus } from "../core/requests/requests";
import { UserError } from "../core/errors";
import type { MessageKey } from "../i18n/catalog";

/** The form sends "" for "All": that means no filter, not a bad value. */
const blankIsUnset = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

// zod carries a catalog key as each message; parse() turns it into the reader's words.
const statusList = LISTABLE_STATUSES.join(", ");
const community = z.preprocess(blankIsUnset, z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, { message: "pages.query.communitySlug" satisfies MessageKey }).optional());
// Control characters mean nothing in a search, and PostgreSQL refuses a NUL in text outright.
// eslint-disable-next-line no-control-regex
const withoutControls = (v: unknown) => (typeof v === "string" ? v.replace(/[\u0000-\u001F\u007F]/g, " ") : v);
const search = z.preprocess(
  (v) => blankIsUnset(withoutControls(v)),
  z.string().trim().max(200, { message: "pages.query.searchTooLong" satisfies MessageKey }).optional(),
);
const page = z.preprocess(
  blankIsUnset,
  z.coerce
    .number({ message: "pages.query.pageNumber" satisfies MessageKey })
    .int({ message: "pages.query.pageWhole" satisfies MessageKey })
    .min(1, { message: "pages.query.pageMin" satisfies MessageKey })
    .max(1_000_000, { message: "pages.query.pageMax" satisfies MessageKey })
    .default(1),
);

/** ?status=&community=&q=&page=&view= on /roadmap. */
const pageQuery = z.object({
  view: z.preprocess(blankIsUnset, z.enum(["list", "board"], { message: "web.query.view" satisfies MessageKey }).optional()),
  status: z.preprocess(blankIsUnset, z.enum(LISTABLE_STATUSES, { message: "pages.query.status" satisfies MessageKey }).optional()),
  community,
  q: search,
  page,
});

/** ?status=a,b&community=&q=&page=&pageSize= on /api/requests. */
const apiQuery = z.object({
  status: z.preprocess(
    (v) => (typeof blankIsUnset(v) === "string" ? String(v).split(",").map((s) => s.trim()) : undefined),
    z.array(z.enum(LISTABLE_STATUSES, { message: "pages.query.statuses" satisfies MessageKey })).optional(),
  ),
  community,
  q: search,
  page,
  pageSize: z.preprocess(
    blankIsUnset,
    z.coerce.number({ message: "pages.query.pageSizeNumber" satisfies MessageKey }).int({ message: "pages.query.pageSizeWhole" satisfies MessageKey }).min(1, { message: "pages.query.pageSizeRange" satisfies MessageKey }).max(100, { message: "pages.query.pageSizeRange" satisfies MessageKey }).default(25),
  ),
});

export interface PageFilters {
  /** board: the columns by status; else the list. */
  view?: "list" | "board";
  status?: ListableStatus;
  community?: string;
  q?: string;
  page: number;
}

export interface ApiFilters {
  statuses: ListableStatus[];
  community?: string;
  q?: string;
  page: number;
  pageSize: number;
}

function parse<T>(schema: z.ZodType<T>, url: URL): T {
  const raw: Record<string, string> = {};
  // The first value of a repeated parameter wins; unknown parameters are ignored.
  for (const [k, v] of url.searchParams) if (!(k in raw)) raw[k] = v;
  const r = schema.safeParse(raw);
  if (!r.success) {
    const m = r.error.issues[0].message;
    throw new UserError(m.startsWith("pages.query.") || m.startsWith("web.query.") ? { key: m as MessageKey, values: { statuses: statusList } } : m);
  }
  return r.data;
}

export const parsePageQuery = (url: URL): PageFilters => parse(pageQuery, url);

export function parseApiQuery(url: URL): ApiFilters {
  const q = parse(apiQuery, url);
  return { ...q, statuses: [...new Set(q.status ?? [])] };
}

/** /roadmap?status=open&community=alpha&q=sso&page=2, leaving out what is unset. */
export function roadmapHref(f: Partial<PageFilters>): string {
  const p = new URLSearchParams();
  if (f.view === "board") p.set("view", "board");
  if (f.status) p.set("status", f.status);
  if (f.community) p.set("community", f.community);
  if (f.q) p.set("q", f.q);
  if (f.page && f.page > 1) p.set("page", String(f.page));
  const s = p.toString();
  return s ? `/roadmap?${s}` : "/roadmap";
}
