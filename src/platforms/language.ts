import type { FlywheelConfig } from "../config/file";
import { communityForPlace, type Speaker } from "../core/people/identity";
import { personLocale } from "../core/people/locale";
import { translator, type Translator } from "../i18n/translate";

/**
 * The language a platform answers a person in before any command runs (a form's buttons, "working
 * on it", a failure): their own when the platform told it, else their place's community's, else
 * the organization's — the same choice dispatch makes for the answer itself.
 */
export const speakerTranslator = (config: FlywheelConfig, speaker: Speaker): Translator =>
  translator(personLocale(config, { own: [speaker.locale], communitySlug: speaker.communitySlug ?? communityForPlace(config, speaker)?.slug }));
