import type { FlywheelConfig } from "../../config/file";
import type { Tx } from "../../db/client";
import type { Platform } from "../../generated/prisma/client";


export interface GithubPerson {
  personId: number;
  displayName: string;
  communityId: number | null;
}

/**
 * The chat person behind a GitHub login: an Account (platform github, login lowercased), or a
 * staff entry of the config file naming that login beside a chat account the person already
 * uses (then the GitHub account is recorded, so the next lookup is direct). Undefined when the
 * login belongs to nobody we know: the credit then goes to the login itself.
 */
export async function personForGithubLogin(tx: Tx, config: FlywheelConfig, login: string): Promise<GithubPerson | undefined> {
  const externalId = login.toLowerCase();
  const account = await tx.account.findUnique({
    where: { platform_externalId: { platform: "github", externalId } },
    select: { person: { select: { id: true, displayName: true, communityId: true } } },
  });
  if (account) return { personId: account.person.id, displayName: account.person.displayName, communityId: account.person.communityId };

  const entry = config.staff.find((s) => s.github !== undefined && String(s.github).toLowerCase() === externalId);
  if (!entry) return undefined;
  const chat = (["slack", "discord", "shell"] as const).filter((p) => entry[p] !== undefined).map((p) => ({ platform: p as Platform, externalId: String(entry[p]) }));
  if (!chat.length) return undefined;
  const known = await tx.account.findFirst({ where: { OR: chat }, select: { person: { select: { id: true, displayName: true, communityId: true } } } });
  if (!known) return undefined;
  await tx.account.createMany({ data: [{ personId: known.person.id, platform: "github", externalId, handle: login }], skipDuplicates: true });
  return { personId: known.person.id, displayName: entry.name ?? known.person.displayName, communityId: known.person.communityId };
}
