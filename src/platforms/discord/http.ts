import type { KeyObject } from "node:crypto";
import type { ServerResponse } from "node:http";
import {
  type APIInteraction,
  type APIInteractionResponse,
  Client,
  Events,
  type Interaction,
  InteractionResponseType,
  InteractionType,
  Partials,
  REST,
  type RequestData,
  type RouteLike,
} from "discord.js";
import type { Logger } from "pino";
import type { Env } from "../../config/env";
import { MiB } from "../../server/body";
import { type Handler, sendJson } from "../../server/http";
import { restOptions } from "./client";
import { isObj, isWellFormedInteraction, malformedAnswer } from "./gatekeeper";
import { NO_MENTIONS } from "./render";
import { discordTimestampFresh, signatureValid } from "./verify";

/** An interaction payload is a few KiB (resolved users and channels included); a body past this is not Discord's. */
export const DISCORD_BODY_LIMIT = 1 * MiB;

/** The path Discord's "Interactions Endpoint URL" points at, on the one HTTP server. */
export const DISCORD_INTERACTIONS_PATH = "/discord/interactions";

const CALLBACK = /^\/interactions\/(\d+)\/[^/]+\/callback$/;

/**
 * discord.js sends an interaction's first answer (reply, deferReply, showModal, respond, update)
 * as POST /interactions/:id/:token/callback. An interaction that came over HTTP must instead be
 * answered in the HTTP response to Discord's POST
 * (https://discord.com/developers/docs/interactions/receiving-and-responding#responding-to-an-interaction),
 * so this REST hands that one call to the waiting response. Edits, follow-ups and everything else
 * (webhook routes, the bot's own calls) go to Discord's REST API as usual.
 */
class AnswersInResponse extends REST {
  private readonly waiting = new Map<string, (answer: APIInteractionResponse) => Promise<void>>();

  /** The next callback for this interaction goes to `take` (it resolves once the response is sent). */
  expect(interactionId: string, take: (answer: APIInteractionResponse) => Promise<void>): void {
    this.waiting.set(interactionId, take);
  }

  forget(interactionId: string): void {
    this.waiting.delete(interactionId);
  }

  override async post(fullRoute: RouteLike, options: RequestData = {}): Promise<unknown> {
    const id = CALLBACK.exec(fullRoute)?.[1];
    const take = id === undefined ? undefined : this.waiting.get(id);
    if (id === undefined || !take) return super.post(fullRoute, options);
    this.waiting.delete(id);
    // An edit or follow-up that comes next must find the answer already given: wait until it is sent.
    await take(options.body as APIInteractionResponse);
    return undefined;
  }
}

/** The action discord.js's gateway runs on INTERACTION_CREATE: it builds the interaction object and emits it. */
interface InteractionCreateAction {
  actions: { InteractionCreate: { handle(data: APIInteraction): void } };
  guilds: { _add(data: { id: string; unavailable: true }): unknown };
}

export interface HttpInteractions {
  /** POST /discord/interactions */
  route: Handler;
  /** Stops sending answers and releases discord.js's REST timers. */
  stop(): void;
}

/**
 * Discord over HTTP. The gateway path gets interaction objects from discord.js's INTERACTION_CREATE
 * handler; this path posts the verified payload to that same handler on a client that never logs
 * in, so every command, button, modal and autocomplete runs through the one `onInteraction` the
 * gateway uses, answers included (their first call becomes the HTTP response, see AnswersInResponse).
 */
export function httpInteractions(env: Pick<Env, "DISCORD_API_URL" | "DISCORD_TOKEN">, publicKey: KeyObject, onInteraction: (i: Interaction) => Promise<void>, log: Logger): HttpInteractions {
  const rest = new AnswersInResponse(restOptions(env));
  if (env.DISCORD_TOKEN) rest.setToken(env.DISCORD_TOKEN);
  // Channels arrive partial in the payload: the Channel partial lets discord.js build them anyway.
  const client = new Client({ intents: [], partials: [Partials.Channel], rest: restOptions(env), allowedMentions: { ...NO_MENTIONS, repliedUser: false } });
  client.rest.clearHashSweeper();
  client.rest.clearHandlerSweeper();
  client.rest = rest;
  client.on(Events.Error, (e) => log.error({ err: e }, "discord http interaction error"));
  const internals = client as unknown as InteractionCreateAction;
  const running = new Map<string, Promise<void>>();
  client.on(Events.InteractionCreate, (i) => running.set(i.id, onInteraction(i)));

  const route: Handler = async (req, res, _url, readBody) => {
    const signature = req.headers["x-signature-ed25519"];
    const timestamp = req.headers["x-signature-timestamp"];
    // Refused before the body is read when the headers alone say no, like Slack's endpoint.
    if (typeof signature !== "string" || !discordTimestampFresh(timestamp, Date.now())) {
      log.warn("discord interaction without a signature or with a stale timestamp refused");
      return sendJson(res, 401, { error: "invalid request signature" });
    }
    const body = await readBody({ limit: DISCORD_BODY_LIMIT });
    if (!body) return;
    if (!signatureValid(publicKey, signature, timestamp, body.bytes)) {
      log.warn("discord interaction with a bad signature refused");
      return sendJson(res, 401, { error: "invalid request signature" });
    }
    let payload: unknown;
    try {
      payload = JSON.parse(body.bytes.toString("utf8"));
    } catch {
      return sendJson(res, 400, { error: "body is not JSON" });
    }
    if (isObj(payload) && payload.type === InteractionType.Ping) return sendJson(res, 200, { type: InteractionResponseType.Pong });
    if (!isWellFormedInteraction(payload) || !isObj(payload)) {
      log.warn({ type: isObj(payload) ? payload.type : undefined }, "malformed discord interaction refused");
      return sendJson(res, 200, malformedAnswer(isObj(payload) ? payload : {}));
    }
    await answer(payload as unknown as APIInteraction, res);
  };

  async function answer(data: APIInteraction, res: ServerResponse): Promise<void> {
    let answered = false;
    rest.expect(data.id, (reply) => {
      answered = true;
      return new Promise<void>((resolve) => {
        res.once("finish", () => resolve());
        res.once("close", () => resolve());
        sendJson(res, 200, reply);
      });
    });
    try {
      // Without a gateway nothing caches the guild: a stub lets discord.js build its channels
      // (a thread and its parent) and members from what the payload carries.
      if (data.guild_id && !client.guilds.cache.has(data.guild_id)) internals.guilds._add({ id: data.guild_id, unavailable: true });
      internals.actions.InteractionCreate.handle(data);
      const work = running.get(data.id);
      running.delete(data.id);
      if (work) await work;
    } catch (e) {
      log.error({ err: e, interaction: data.id }, "discord http interaction failed");
    } finally {
      rest.forget(data.id);
    }
    // Handled without a first answer: a repeat of one already answered, or a kind Flywheel does not handle.
    if (!answered && !res.headersSent) sendJson(res, 200, { type: InteractionResponseType.DeferredMessageUpdate });
  }

  return {
    route,
    stop() {
      client.removeAllListeners(Events.InteractionCreate);
      rest.clearHashSweeper();
      rest.clearHandlerSweeper();
    },
  };
}
