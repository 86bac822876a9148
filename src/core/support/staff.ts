import type { StaffEntry } from "../../config/file";
import type { PlatformName, Services } from "../context";
import { UserError } from "../errors";
import { resolveActor } from "../people/identity";

const CHAT_PLATFORMS = ["slack", "discord", "shell", "github"] as const satisfies readonly PlatformName[];

/** A staff entry's ids, chat platforms first (the account a new Person is created from). */
const idsOf = (e: StaffEntry): { platform: (typeof CHAT_PLATFORMS)[number]; id: string }[] =>
  CHAT_PLATFORMS.flatMap((platform) => (e[platform] ? [{ platform, id: String(e[platform]) }] : []));

/**
 * The staff person someone means by "Sam", "@sam", "U0STAFF", a Slack mention <@U0STAFF> or a
 * Discord mention <@2000…>. Only people on the config file's staff list qualify; one who never
 * spoke to the bot yet gets a Person now, so the ticket can name them.
 */
export async function findStaffPerson(services: Services, who: string): Promise<{ personId: number; displayName: string }> {
  const raw = who.trim();
  const mention = /^<@!?([A-Za-z0-9]+)(?:\|[^>]*)?>$/.exec(raw);
  const needle = (mention?.[1] ?? raw.replace(/^@/, "")).toLowerCase();
  if (!needle) throw new UserError({ key: "support.assignWhom", values: { example: "/ticket assign 12 @sam" } });
  const entries = services.config.staff;
  const allIds = entries.flatMap(idsOf);
  const accounts = allIds.length
    ? await services.db.account.findMany({
        where: { OR: allIds.map((x) => ({ platform: x.platform, externalId: x.id })) },
        include: { person: { select: { id: true, displayName: true } } },
      })
    : [];
  const personOf = (e: StaffEntry) => accounts.find((a) => idsOf(e).some((x) => x.platform === a.platform && x.id === a.externalId))?.person;

  const matches = entries.filter((e) => {
    if (e.name?.toLowerCase() === needle) return true;
    if (idsOf(e).some((x) => x.id.toLowerCase() === needle)) return true;
    return personOf(e)?.displayName.toLowerCase() === needle;
  });
  if (!matches.length) throw new UserError({ key: "support.notStaff", values: { who: raw, file: "flywheel.yml" } });
  const distinct = new Map(matches.map((e) => [personOf(e)?.id ?? idsOf(e)[0].id, e]));
  if (distinct.size > 1) throw new UserError({ key: "support.severalStaff", values: { who: raw } });
  const entry = matches[0];
  const known = personOf(entry);
  if (known) return { personId: known.id, displayName: known.displayName };
  const first = idsOf(entry)[0];
  const actor = await resolveActor(services, { platform: first.platform, externalId: first.id, displayName: entry.name ?? first.id });
  return { personId: actor.personId, displayName: actor.displayName };
}
