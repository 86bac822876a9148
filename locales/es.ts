// Catálogo en español (neutro). Revisado por sentido, no palabra por palabra.
import type { Catalog } from "../src/i18n/catalog";

export const complete = true;

export default {
  "common.unknownCommand": "No conozco el comando {command}. Escribe {help} para ver lo que puedo hacer.",
  "common.somethingWentWrong": "Algo falló de nuestro lado (ref. {ref}). No se perdió nada de lo que escribiste; vuelve a intentarlo.",
  "common.votes": "{count, plural, one {# voto} other {# votos}}",
  "common.pledged": "{amount, number} {unit} comprometidos",
} satisfies Catalog;
