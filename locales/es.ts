// Catálogo en español (neutro). Revisado por sentido, no palabra por palabra.
import type { Catalog } from "../src/i18n/catalog";

export const complete = true;

export default {
  "common.unknownCommand": "No conozco el comando {command}. Escribe {help} para ver lo que puedo hacer.",
  "common.somethingWentWrong": "Algo falló de nuestro lado (ref. {ref}). No se perdió nada de lo que escribiste; vuelve a intentarlo.",
  "common.typeACommand": "Escribe un comando, por ejemplo {help}.",

  // ── commands: commands/*.ts: answers, option descriptions ──

  // ── requests: src/core/requests, people, github, credit: errors, notifications, announcements ──

  // ── support: support tickets: commands, cards, reminders, relay ──

  // ── pages: digests, the roadmap pages, feed and API labels ──

  // ── platforms: Slack, Discord and terminal renderers, modals, option errors ──
} satisfies Catalog;
