import type { FlywheelConfig } from "../../config/file";
import { resolveLocale } from "../../i18n/locale";
import { translator, type Translator } from "../../i18n/translate";
import type { Place } from "../reply";
import { communityOfPlace } from "./identity";

const communityLocale = (config: FlywheelConfig, slug: string | null | undefined): string | undefined =>
  slug ? config.communities.find((c) => c.slug === slug)?.locale : undefined;

/**
 * The language a person reads in: their own (the platform tells it: Slack's user locale, Discord's
 * interaction locale, the browser's Accept-Language), else their community's, else the organization's.
 */
export function personLocale(config: FlywheelConfig, who: { own?: readonly (string | null | undefined)[]; communitySlug?: string | null }): string {
  return resolveLocale([...(who.own ?? []), communityLocale(config, who.communitySlug), config.locale]);
}

/** The language of a post in a channel everyone there reads: the channel's community's, else the organization's. */
export function placeLocale(config: FlywheelConfig, place: Pick<Place, "platform" | "workspace" | "channel">): string {
  const c = place.channel ? communityOfPlace(config, place) : undefined;
  return resolveLocale([c?.locale, config.locale]);
}

/** The translator for a post to a place (a channel: its community's language; a DM: the person's community's). */
export const translatorForPlace = (config: FlywheelConfig, place: Pick<Place, "platform" | "workspace" | "channel">): Translator => translator(placeLocale(config, place));
