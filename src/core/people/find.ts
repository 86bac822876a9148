import type { Services } from "../context";
import { UserError } from "../errors";

/**
 * Finds a person from what someone typed: a Slack mention <@U123|name>, a Discord mention
 * <@123>, "platform:id", or a display name / GitHub login.
 */
export async function findPerson(services: Services, ref: string, platformHint?: string) {
  const db = services.db;
  const text = ref.trim();
  const mention = /^<@!?([A-Za-z0-9]+)(?:\|[^>]*)?>$/.exec(text);
  const explicit = /^(slack|discord|shell|github):(\S+)$/i.exec(text);
  const account = mention
    ? await db.account.findFirst({ where: { externalId: mention[1], ...(platformHint ? { platform: platformHint as "slack" } : {}) } })
    : explicit
      ? await db.account.findUnique({ where: { platform_externalId: { platform: explicit[1].toLowerCase() as "slack", externalId: explicit[1].toLowerCase() === "github" ? explicit[2].toLowerCase() : explicit[2] } } })
      : await db.account.findFirst({ where: { OR: [{ externalId: text }, { handle: { equals: text, mode: "insensitive" } }] } });
  if (account) return db.person.findUniqueOrThrow({ where: { id: account.personId } });
  const byName = await db.person.findMany({ where: { displayName: { equals: text.replace(/^@/, ""), mode: "insensitive" } }, take: 2 });
  if (byName.length === 1) return byName[0];
  if (byName.length > 1) throw new UserError({ key: "people.find.ambiguous", values: { name: text } });
  throw new UserError({ key: "people.find.unknown", values: { name: text } });
}
