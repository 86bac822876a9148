import { randomUUID } from "node:crypto";
import { cleanOptions, cleanText } from "../core/clean-text";
import type { Services } from "../core/context";
import { isUserError } from "../core/errors";
import { resolveActor, type Speaker } from "../core/people/identity";
import { hasRole, refusal, unlinkedPlace } from "../core/people/permissions";
import { personLocale } from "../core/people/locale";
import { noteWrite, readsFor } from "../core/reads";
import { errorReply, type Place, type Reply } from "../core/reply";
import { translator } from "../i18n/translate";
import type { CommandDef } from "./define";
import type { Invocation } from "./invocation";
import { describeIssue, describeProblem, issueWording, optionError } from "./explain";
import { parseStructured, parseText } from "./parse";
import { loadCommands } from "./registry";
import { unwrapUmbrella } from "./umbrella";

export type { Invocation } from "./invocation";

/** Splits "/upvote 12" (leading slash optional) into the command name and the rest of the line. */
export function splitCommandLine(line: string): { command: string; text: string } {
  const trimmed = line.trim().replace(/^\//, "");
  const m = /^(\S+)\s*([\s\S]*)$/.exec(trimmed);
  return { command: (m?.[1] ?? "").toLowerCase(), text: m?.[2] ?? "" };
}

/**
 * The one way a command runs, whatever the platform: find it, resolve who is asking, check the
 * role, parse and validate the options, run it. Never throws: failures become friendly replies.
 */
export async function dispatch(services: Services, typed: Invocation): Promise<Reply> {
  const inv = unwrapUmbrella(typed);
  const commands = loadCommands();
  const cmd = commands.get(inv.command.toLowerCase()) as CommandDef<Record<string, unknown>> | undefined;
  // Before the asker is known, their own language or their place's community's; after, their community's.
  let tr = translator(personLocale(services.config, { own: [inv.speaker.locale], communitySlug: inv.speaker.communitySlug }));
  if (!cmd) {
    services.metrics?.commandHandled("unknown", inv.place.platform, "user_error");
    return errorReply(tr.t("common.unknownCommand", { command: `/${cleanText(inv.command)}`, help: "/help" }));
  }
  let outcome: "ok" | "user_error" | "error" = "ok";
  try {
    const actor = await resolveActor(services, inv.speaker);
    tr = translator(personLocale(services.config, { own: [inv.speaker.locale], communitySlug: actor.communitySlug }));
    if (!hasRole(actor.role, cmd.role)) {
      outcome = "user_error";
      return errorReply(refusal(tr, cmd.role));
    }
    if (!cmd.communityOptional && actor.communityId === null && actor.role !== "staff") {
      outcome = "user_error";
      return errorReply(unlinkedPlace(tr, services.config, inv.place.platform, inv.speaker.communitySlug));
    }
    // Typed or structured, the options go through the one parser, then the schema.
    const read = inv.options ? parseStructured(inv.options, cmd) : parseText(inv.text ?? "", cmd);
    if (!read.ok) {
      outcome = "user_error";
      return optionError(cmd, describeProblem(cmd, read.problem, tr), tr);
    }
    // Every platform's text (typed, structured, modal fields) is cleaned here, before validation and storage.
    const valid = cmd.schema.safeParse(cleanOptions(read.options), { error: issueWording(cmd, tr) });
    if (!valid.success) {
      outcome = "user_error";
      return optionError(cmd, describeIssue(valid.error, tr), tr);
    }
    if (cmd.listing) return await cmd.run({ options: valid.data, actor, place: inv.place, services: await readsFor(services, actor.personId), t: tr });
    const reply = await cmd.run({ options: valid.data, actor, place: inv.place, services, t: tr });
    await noteWrite(services, actor.personId);
    return reply;
  } catch (e) {
    if (isUserError(e)) {
      outcome = "user_error";
      return errorReply(e.localized ? tr.t(e.localized.key, e.localized.values) : e.message);
    }
    outcome = "error";
    const ref = randomUUID().slice(0, 8);
    services.log.error({ err: e, ref, command: cmd.name }, "command failed");
    return errorReply(tr.t("common.somethingWentWrong", { ref }));
  } finally {
    services.metrics?.commandHandled(cmd?.name ?? "unknown", inv.place.platform, outcome);
  }
}

/** Runs a whole typed line like "/upvote 12" (buttons carry such lines too). */
export function dispatchLine(services: Services, line: string, speaker: Speaker, place: Place): Promise<Reply> {
  const { command, text } = splitCommandLine(line);
  if (!command) return Promise.resolve(errorReply(translator(personLocale(services.config, { own: [speaker.locale], communitySlug: speaker.communitySlug })).t("common.typeACommand", { help: "/help" })));
  return dispatch(services, { command, text, speaker, place });
}
