import {
  type APIApplicationCommandBasicOption,
  type APIApplicationCommand,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  type REST,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  Locale,
  type LocalizationMap,
  Routes,
} from "discord.js";
import { type CommandDef, type Described, describe, type OptionSpec } from "../../command-kit/define";
import { commandList } from "../../command-kit/registry";
import { truncate } from "../../core/text";
import { DEFAULT_LOCALE, loadCatalogs } from "../../i18n/catalog";
import { resolveLocale } from "../../i18n/locale";
import { translator } from "../../i18n/translate";

/** Discord's rules for command and option names: lowercase letters, digits, - and _, 1–32 long. */
const NAME = /^[-_\p{Ll}\p{Lo}\p{N}]{1,32}$/u;

const TYPE: Record<OptionSpec["type"], ApplicationCommandOptionType.String | ApplicationCommandOptionType.Integer | ApplicationCommandOptionType.Number | ApplicationCommandOptionType.Boolean> = {
  string: ApplicationCommandOptionType.String,
  integer: ApplicationCommandOptionType.Integer,
  number: ApplicationCommandOptionType.Number,
  boolean: ApplicationCommandOptionType.Boolean,
};

const description = (text: string): string => truncate(text.trim() || "—", 100);

/**
 * Which of Discord's locales each of our catalogs serves, e.g. es-ES and es-419 by es. Discord
 * accepts only the locales of its list (https://discord.com/developers/docs/reference#locales),
 * so the pseudo-locale en-XA is never sent; the default language is the plain description.
 */
function discordLocales(): [Locale, string][] {
  const catalogs = [...loadCatalogs().keys()];
  return Object.values(Locale).flatMap((d): [Locale, string][] => {
    const ours = resolveLocale([d], catalogs);
    return ours !== DEFAULT_LOCALE && ours.toLowerCase() === d.toLowerCase().split("-")[0] ? [[d, ours]] : [];
  });
}

/** The description in the default language, and in every other language Discord and we both speak. */
function descriptions(d: Described): { description: string; description_localizations?: LocalizationMap } {
  const base = description(describe(d, translator(DEFAULT_LOCALE)));
  if (d.descriptionKey === undefined) return { description: base };
  const map: LocalizationMap = Object.fromEntries(discordLocales().map(([discord, ours]) => [discord, description(describe(d, translator(ours)))]));
  return Object.keys(map).length ? { description: base, description_localizations: map } : { description: base };
}

/** One declared option as a Discord option: type, limits, choices or autocomplete. */
export function optionJson(o: OptionSpec, required: boolean): APIApplicationCommandBasicOption {
  if (!NAME.test(o.name)) throw new Error(`option "${o.name}" is not a valid Discord option name (lowercase, digits, - or _, at most 32)`);
  const base = { name: o.name, ...descriptions(o), required };
  switch (o.type) {
    case "boolean":
      return { ...base, type: ApplicationCommandOptionType.Boolean };
    case "string": {
      const limits = {
        ...(o.minLength !== undefined ? { min_length: Math.max(0, Math.min(o.minLength, 6000)) } : {}),
        ...(o.maxLength !== undefined ? { max_length: Math.max(1, Math.min(o.maxLength, 6000)) } : {}),
      };
      if (o.choices?.length)
        return { ...base, ...limits, type: ApplicationCommandOptionType.String, choices: o.choices.slice(0, 25).map((c) => ({ name: truncate(c.replace(/_/g, " "), 100), value: c })) };
      return { ...base, ...limits, type: ApplicationCommandOptionType.String, autocomplete: o.autocomplete ? true : undefined };
    }
    case "integer":
    case "number": {
      const limits = {
        ...(o.min !== undefined ? { min_value: o.min } : {}),
        ...(o.max !== undefined ? { max_value: o.max } : {}),
      };
      const type = TYPE[o.type] as ApplicationCommandOptionType.Integer;
      if (o.choices?.length)
        return { ...base, ...limits, type, choices: o.choices.slice(0, 25).map((c) => ({ name: truncate(c, 100), value: Number(c) })) };
      return { ...base, ...limits, type, autocomplete: o.autocomplete ? true : undefined };
    }
  }
}

/**
 * A command as a Discord slash command. Commands with a modal register every option as optional,
 * so typing the bare command (e.g. /request) opens the form; the zod schema still checks the rest.
 * Discord wants required options first; the order does not matter to us (options come by name).
 */
export function commandJson(cmd: CommandDef<unknown>): RESTPostAPIChatInputApplicationCommandsJSONBody {
  if (!NAME.test(cmd.name)) throw new Error(`/${cmd.name} is not a valid Discord command name (lowercase, digits, - or _, at most 32)`);
  if (cmd.options.length > 25) throw new Error(`/${cmd.name} has ${cmd.options.length} options; Discord allows 25`);
  const options = cmd.options.map((o) => optionJson(o, Boolean(o.required) && !cmd.modal));
  options.sort((a, b) => Number(Boolean(b.required)) - Number(Boolean(a.required)));
  return {
    type: ApplicationCommandType.ChatInput,
    name: cmd.name,
    ...descriptions(cmd),
    options,
  };
}

/** Every command of commands/, generated from the same declarations as Slack's manifest and /help. */
export const applicationCommands = (): RESTPostAPIChatInputApplicationCommandsJSONBody[] => commandList().map(commandJson);

/**
 * Registers every command, replacing what was there (a bulk overwrite: commands removed from
 * commands/ disappear too). A guild registration shows at once; a global one can take a while.
 */
export async function registerCommands(rest: REST, applicationId: string, guildId?: string): Promise<APIApplicationCommand[]> {
  const route = guildId ? Routes.applicationGuildCommands(applicationId, guildId) : Routes.applicationCommands(applicationId);
  return (await rest.put(route, { body: applicationCommands() })) as APIApplicationCommand[];
}
