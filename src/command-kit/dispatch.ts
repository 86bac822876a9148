import { randomUUID } from "node:crypto";
import { cleanOptions, cleanText } from "../core/clean-text";
import type { Services } from "../core/context";
import { isUserError } from "../core/errors";
import { firstTimeSeen, type Delivery } from "../core/dedupe";
import { resolveActorOnce, type Speaker } from "../core/people/identity";
import { hasRole, refusal, unlinkedPlace } from "../core/people/permissions";
import { personLocale } from "../core/people/locale";
import { noteWrite, readsFor } from "../core/reads";
import { errorReply, type Place, type Reply } from "../core/reply";
import { translator } from "../i18n/translate";
import type { CommandDef, FastOutcome } from "./define";
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
  // Without a delivery to record, nothing is ever "seen before".
  return (await run(services, typed))!;
}

/**
 * dispatch for an inbound delivery (a Slack trigger_id): the id is recorded by the command's
 * first statement rather than one of its own, and a delivery seen before (a retry, a second
 * replica) runs nothing and answers null.
 */
export function dispatchOnce(services: Services, typed: Invocation, delivery: Delivery): Promise<Reply | null> {
  return run(services, typed, delivery);
}

async function run(services: Services, typed: Invocation, delivery?: Delivery): Promise<Reply | null> {
  const inv = unwrapUmbrella(typed);
  const commands = loadCommands();
  const cmd = commands.get(inv.command.toLowerCase()) as CommandDef<Record<string, unknown>> | undefined;
  // The person's own language, once the platform knows it; the work does not wait for it, the answer does.
  const own = async () => (inv.ownLocale ? ((await inv.ownLocale) ?? inv.speaker.locale) : inv.speaker.locale);
  // Before the asker is known, their own language or their place's community's; after, their community's.
  let tr = translator(personLocale(services.config, { own: [inv.speaker.locale], communitySlug: inv.speaker.communitySlug }));
  if (!cmd) {
    if (delivery && !(await firstTimeSeen(services.db, delivery.id, delivery.source, delivery.event))) return null;
    services.metrics?.commandHandled("unknown", inv.place.platform, "user_error");
    tr = translator(personLocale(services.config, { own: [await own()], communitySlug: inv.speaker.communitySlug }));
    return errorReply(tr.t("common.unknownCommand", { command: `/${cleanText(inv.command)}`, help: "/help" }));
  }
  let outcome: "ok" | "user_error" | "error" = "ok";
  let ran = true;
  try {
    if (cmd.fast && cmd.role === "member") {
      const fast = await runFast(services, inv, cmd, delivery);
      if (fast.kind === "seen") {
        ran = false;
        return null;
      }
      // Done, the write noted too: only the wording is left.
      if (fast.kind === "answered") return fast.answer(translator(personLocale(services.config, { own: [await own()], communitySlug: fast.actor.communitySlug })));
      if (fast.recorded) delivery = undefined;
    }
    const [actor, ownLocale] = await Promise.all([resolveActorOnce(services, inv.speaker, delivery), own()]);
    if (!actor) {
      ran = false;
      return null;
    }
    tr = translator(personLocale(services.config, { own: [ownLocale], communitySlug: actor.communitySlug }));
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
    if (ran) services.metrics?.commandHandled(cmd.name, inv.place.platform, outcome);
  }
}

/** The command's usual case in one statement (CommandDef.fast), when its options are valid. */
async function runFast(services: Services, inv: Invocation, cmd: CommandDef<Record<string, unknown>>, delivery: Delivery | undefined): Promise<FastOutcome> {
  const read = inv.options ? parseStructured(inv.options, cmd) : parseText(inv.text ?? "", cmd);
  // Invalid options are explained by the ordinary path, after the role and community checks, as always.
  const valid = read.ok ? cmd.schema.safeParse(cleanOptions(read.options)) : undefined;
  if (!valid?.success) return { kind: "declined", recorded: false };
  return cmd.fast!({ options: valid.data, speaker: inv.speaker, place: inv.place, services, delivery });
}

/** Runs a whole typed line like "/upvote 12" (buttons carry such lines too). */
export function dispatchLine(services: Services, line: string, speaker: Speaker, place: Place): Promise<Reply> {
  const { command, text } = splitCommandLine(line);
  if (!command) return Promise.resolve(errorReply(translator(personLocale(services.config, { own: [speaker.locale], communitySlug: speaker.communitySlug })).t("common.typeACommand", { help: "/help" })));
  return dispatch(services, { command, text, speaker, place });
}
