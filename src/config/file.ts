import { existsSync, readFileSync } from "node:fs";
import nodeCron from "node-cron";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { supportedLocales } from "../i18n/catalog";
import { ConfigError, DEFAULT_CONFIG_PATH } from "./env";

const id = z.union([z.string().min(1), z.number().transform(String)]);
const slackSpace = z.object({ team: id, channel: id }).strict();
const discordSpace = z.object({ guild: id, channel: id }).strict();
const space = z
  .object({ slack: slackSpace.optional(), discord: discordSpace.optional(), shell: z.object({ channel: id }).strict().optional() })
  .strict();

const cron = z
  .string()
  .regex(/^(\S+\s+){4}\S+$/, { message: "expected a cron expression like '0 9 * * 1'" })
  .refine((v) => nodeCron.validate(v), { message: "expected a valid cron expression like '0 9 * * 1' (minute hour day month weekday)" });

const locale = z.string().refine((l) => supportedLocales().includes(l), { message: `expected a language Flywheel speaks: ${supportedLocales().join(", ")}` });

const community = z
  .object({
    slug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, { message: "expected lowercase letters, digits and dashes" }),
    name: z.string().min(1).max(100),
    tier: z.enum(["premier", "general", "essential"]).default("general"),
    private: z.boolean().default(false),
    timezone: z
      .string()
      .default("UTC")
      .refine((tz) => isTimeZone(tz), { message: "expected an IANA time zone like Europe/Paris" }),
    digest: cron.optional(),
    /** The language of this community's channel posts, and of its members' answers unless their own is known. */
    locale: locale.optional(),
    slack: z
      .object({ team: id, channel: id, channels: z.array(id).optional() })
      .strict()
      .optional(),
    discord: z
      .object({
        guild: id,
        channel: id,
        /** A forum channel of the guild that is the community's request board: each new post becomes a request. */
        forum: id.optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/**
 * The reaction that files a message as one kind: `emoji` as Discord sends it (a Unicode emoji, or
 * a custom emoji's name), `slack` as Slack names it (`reaction_added` gives names, not characters).
 */
const reactionEmoji = (emoji: string, slack: string) =>
  z
    .object({
      emoji: z.string().min(1).max(64).default(emoji),
      slack: z
        .string()
        .regex(/^[a-z0-9_+'-]{1,100}$/, { message: "expected a Slack emoji name without colons, like bulb" })
        .default(slack),
    })
    .strict()
    .prefault({});

const staffEntry = z
  .object({ slack: id.optional(), discord: id.optional(), github: id.optional(), shell: id.optional(), name: z.string().optional() })
  .strict()
  .refine((s) => s.slack || s.discord || s.github || s.shell, { message: "name at least one of slack, discord, github, shell" });

const webUrl = z.url({ protocol: /^https?$/, message: "expected an http(s) URL" });

/** Who runs the roadmap: its header on every public page (name, logo, accent colour, intro, links). */
const organization = z
  .object({
    name: z.string().trim().min(1).max(100),
    logoUrl: webUrl.optional(),
    accent: z.string().regex(/^#[0-9a-fA-F]{6}$/, { message: "expected a colour like #1d4ed8" }).optional(),
    intro: z.string().trim().max(2000).optional(),
    links: z.array(z.object({ label: z.string().trim().min(1).max(60), url: webUrl }).strict()).max(8).default([]),
  })
  .strict();

const statusName = z.enum(["open", "planned", "in_progress", "shipped", "declined"]);

export const configSchema = z
  .object({
    /** The organization's default language. */
    locale: locale.default("en"),
    organization: organization.optional(),
    communities: z.array(community).default([]),
    staff: z.array(staffEntry).default([]),
    support: space.optional(),
    roadmap: space.optional(),
    weights: z
      .object({ premier: z.number().min(0).default(2), general: z.number().min(0).default(1), essential: z.number().min(0).default(1) })
      .strict()
      .prefault({}),
    pledgeUnit: z.string().min(1).max(20).default("USD"),
    github: z
      .object({
        repos: z.array(z.string().regex(/^[\w.-]+\/[\w.-]+$/, { message: "expected owner/repo" })).default([]),
        defaultRepo: z.string().regex(/^[\w.-]+\/[\w.-]+$/, { message: "expected owner/repo" }).optional(),
        labels: z.record(z.string(), statusName).default({ "status: planned": "planned", "status: in progress": "in_progress", planned: "planned", "in progress": "in_progress" }),
        projectStatus: z.record(z.string(), statusName).default({ Todo: "planned", Planned: "planned", "In Progress": "in_progress", "In progress": "in_progress", Done: "shipped" }),
      })
      .strict()
      .prefault({}),
    supportReminders: z
      .object({
        // minutes without a staff response before a reminder, per priority
        urgent: z.number().positive().default(15),
        high: z.number().positive().default(60),
        normal: z.number().positive().default(240),
        low: z.number().positive().default(1440),
      })
      .strict()
      .prefault({}),
    onCall: z.object({ slack: id.optional(), discord: id.optional() }).strict().optional(),
    /** Reacting to a message in a community's channel files it: who may, and with which emoji. */
    reactions: z
      .object({
        who: z.enum(["anyone", "stewards", "staff"]).default("anyone"),
        request: reactionEmoji("💡", "bulb"),
        ticket: reactionEmoji("🎫", "ticket"),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.communities.forEach((x, i) => {
      if (seen.has(x.slug)) ctx.addIssue({ code: "custom", path: ["communities", i, "slug"], message: `duplicate slug '${x.slug}'` });
      seen.add(x.slug);
    });
  });

export type FlywheelConfig = z.infer<typeof configSchema>;
export type CommunityConfig = FlywheelConfig["communities"][number];
export type StaffEntry = FlywheelConfig["staff"][number];

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** With no config file at all, one community named `local`, the shell user as staff, support threads printed as #support. */
export const DEFAULT_CONFIG_YAML = `communities:
  - slug: local
    name: Local
    tier: general
staff:
  - { shell: admin }
support:
  shell: { channel: support }
`;

const formatPath = (path: PropertyKey[]) =>
  path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i ? "." : ""}${String(p)}`)).join("") || "(top level)";

/** Parses and validates config YAML; errors name the path of the bad field. */
export function parseConfig(yamlText: string, source = "flywheel.yml"): FlywheelConfig {
  let raw: unknown;
  try {
    raw = parseYaml(yamlText) ?? {};
  } catch (e) {
    throw new ConfigError(`${source}: not valid YAML: ${(e as Error).message.split("\n")[0]}`);
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`${source}: ${formatPath(issue.path)}: ${issue.message}`);
  }
  return parsed.data;
}

export function loadConfigFile(path: string): { config: FlywheelConfig; fromFile: boolean } {
  if (!existsSync(path)) {
    // A file named on purpose (FLYWHEEL_CONFIG, e.g. a container's mount) that is not there is a
    // mistake: running with the built-in `local` community instead would hide it.
    if (path !== DEFAULT_CONFIG_PATH) throw new ConfigError(`FLYWHEEL_CONFIG: no file at ${path} (mount or copy your flywheel.yml there, or unset FLYWHEEL_CONFIG for the built-in \`local\` community)`);
    return { config: parseConfig(DEFAULT_CONFIG_YAML, "(built-in default)"), fromFile: false };
  }
  return { config: parseConfig(readFileSync(path, "utf8"), path), fromFile: true };
}
