import type { Tx } from "../../db/client";

/** all-contributors' kinds that Flywheel records. */
export const CONTRIBUTION_KINDS = ["code", "review", "ideas", "bug", "question", "financial", "userTesting", "doc"] as const;
export type ContributionKind = (typeof CONTRIBUTION_KINDS)[number];

export interface Credit {
  kind: ContributionKind;
  /** What earned it, unique per event: "github:pr:owner/repo#12", "ticket:4", "request:12:shipped". */
  source: string;
  personId?: number;
  communityId?: number;
  /** A GitHub login not linked to any chat person. */
  githubLogin?: string;
  requestId?: number;
  note?: string;
  at?: Date;
}

const subjectOf = (c: Credit): string =>
  c.personId ? `person:${c.personId}` : c.communityId ? `community:${c.communityId}` : c.githubLogin ? `github:${c.githubLogin.toLowerCase()}` : "";

/** Records credit once per source, subject and kind; returns how many entries were new. */
export async function addCredits(db: Tx, credits: Credit[]): Promise<number> {
  const data = credits
    .filter((c) => subjectOf(c))
    .map((c) => ({
      subject: subjectOf(c),
      personId: c.personId ?? null,
      communityId: c.communityId ?? null,
      githubLogin: c.githubLogin ?? null,
      kind: c.kind,
      source: c.source,
      requestId: c.requestId ?? null,
      note: c.note ?? null,
      ...(c.at ? { createdAt: c.at } : {}),
    }));
  if (!data.length) return 0;
  return (await db.contribution.createMany({ data, skipDuplicates: true })).count;
}
