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
  "platforms.failed": "Algo falló de nuestro lado. No se perdió nada de lo que escribiste; vuelve a intentarlo.",
  "platforms.failedTryLater": "Algo falló de nuestro lado. No se perdió nada de lo que escribiste; vuelve a intentarlo en un momento.",
  "platforms.working": "Estoy en ello…",
  "platforms.form.submit": "Enviar",
  "platforms.form.cancel": "Cancelar",
  "platforms.form.close": "Cerrar",
  "platforms.form.cannotOpen": "No pude abrir el formulario ahora. Puedes escribirlo en su lugar: {line}",
  "platforms.slack.noUser": "Slack envió este comando sin decir quién lo escribió, así que no hice nada. Vuelve a intentarlo.",
  "platforms.discord.unknownInteraction": "No sé atender ese tipo de interacción. Prueba con {help}.",
  "platforms.discord.unknownButton": "No reconozco ese botón (puede ser de un mensaje antiguo). Vuelve a ejecutar el comando.",
  "platforms.discord.unknownForm": "No reconozco ese formulario (puede ser de una versión anterior). Vuelve a ejecutar el comando.",
  "platforms.discord.formTooBig": "Este formulario no se puede abrir en Discord. Escribe {command} con sus opciones.",
  "platforms.discord.unreadable": "No pude leer esa solicitud de Discord. Vuelve a intentarlo.",
  "platforms.shell.title": "Terminal de Flywheel.",
  "platforms.shell.youAre": "Eres {name}.",
  "platforms.shell.youAreIn": "Eres {name}, en {community}.",
  "platforms.shell.nowYouAre": "Ahora eres {name}.",
  "platforms.shell.nowYouAreIn": "Ahora eres {name}, en {community}.",
  "platforms.shell.communities": "Comunidades: {list}.",
  "platforms.shell.howTo": "Escribe {help}, o {as} para cambiar de persona, {quit} para salir.",
  "platforms.shell.asUsage": "Uso: {usage} cambia quién escribe; por ejemplo, {example}.",
  "platforms.shell.asUsageIn": "Uso: {usage} cambia quién escribe; por ejemplo, {example} o {exampleIn} (comunidades: {list}).",
  "platforms.shell.noSuchCommunity": "✗ No existe la comunidad «{community}». Comunidades: {list}. No cambió nada.",
  "platforms.shell.noCommunitiesYet": "ninguna todavía",
  "platforms.shell.formHint": "(En el chat, esto abre un formulario. Aquí, escribe: {line})",
  "platforms.shell.delivered": "📣 para {to}{thread, select, none {} other { (hilo {thread})}}{edited, select, yes { (actualizado)} other {}}: {text}",
  "platforms.option.itemNumber": "Indica un número de {kind, select, ticket {ticket} other {solicitud}}, por ejemplo `{example}`.",
  "platforms.option.number": "Indica {whole, select, yes {un número entero} other {un número}}{bounds, select, both { entre {min, number} y {max, number}} min { de al menos {min, number}} max { de hasta {max, number}} other {}} para {keyword, select, yes {{name}} other {«{name}»}}, por ejemplo `{example}`.",
  "platforms.option.switch": "{keyword, select, yes {{name}} other {«{name}»}} es un interruptor: agrega {flag} para activarlo, por ejemplo `{example}`.",
  "platforms.option.choose": "Elige {keyword, select, yes {{name}} other {«{name}»}}: {choices}, por ejemplo `{example}`.",
  "platforms.option.tooShort": "{keyword, select, yes {{name}} other {«{name}»}} necesita al menos {min, plural, one {# carácter} other {# caracteres}}.",
  "platforms.option.tooLong": "{keyword, select, yes {{name}} other {«{name}»}} admite como máximo {max, plural, one {# carácter} other {# caracteres}}.",
  "platforms.option.community": "Indica el identificador de una comunidad, por ejemplo `{example}`.",
  "platforms.option.text": "{missing, select, yes {Indica} other {Revisa}} {keyword, select, yes {{name}} other {«{name}»}} ({description}), por ejemplo `{example}`.",
  "platforms.option.general": "Algo en ese comando no parece correcto.",
  "platforms.option.didYouMean": "No conozco la opción {flag}; ¿quisiste decir {suggestion}?{quote, select, yes { (Para dejarlo como texto, ponlo entre comillas: \"{flag}\".)} other {}}",
  "platforms.option.unknownFlag": "No conozco la opción {flag}.",
  "platforms.option.unknownFlagTakes": "No conozco la opción {flag}. {command} acepta {flags}.",
  "platforms.option.needsValue": "Indica un valor después de {flag}, por ejemplo `{example}`.",
  "platforms.option.givenTwice": "Diste {keyword, select, yes {{name}} other {«{name}»}} dos veces; indícalo una sola vez.",
  "platforms.option.unexpected": "No esperaba «{text}».",
  "platforms.option.usage": "Uso: {usage}",
} satisfies Catalog;
