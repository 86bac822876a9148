// ISO weeks (Monday to Sunday) in a community's time zone, with nothing but Intl: a digest
// week in Europe/Paris starts at Monday 00:00 Paris time, whatever the server's zone.

import { UserError } from "./errors";

const DAY_MS = 86_400_000;

export interface Week {
  /** ISO week label, e.g. "2026-W48": the DigestRun key. */
  label: string;
  /** First instant of the week (Monday 00:00 local). */
  start: Date;
  /** First instant of the next week (exclusive end). */
  end: Date;
  timezone: string;
  /** Local calendar date of its Monday. */
  monday: CalendarDate;
}

export interface CalendarDate {
  year: number;
  month: number; // 1-12
  day: number;
}

interface LocalParts extends CalendarDate {
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: timezone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timezone, f);
  }
  return f;
}

/** The wall-clock reading of an instant in a time zone. */
export function localParts(date: Date, timezone: string): LocalParts {
  const parts = Object.fromEntries(formatter(timezone).formatToParts(date).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

function offsetMs(instant: number, timezone: string): number {
  const p = localParts(new Date(instant), timezone);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - (instant - (((instant % 1000) + 1000) % 1000));
}

/** The instant when the wall clock in `timezone` shows this local date and time. */
export function zonedTime(d: CalendarDate, hour: number, minute: number, timezone: string): Date {
  const wall = Date.UTC(d.year, d.month - 1, d.day, hour, minute);
  // Two passes: the offset at the first guess can differ from the one at the answer (DST).
  const first = wall - offsetMs(wall, timezone);
  return new Date(wall - offsetMs(first, timezone));
}

export const addDays = (d: CalendarDate, n: number): CalendarDate => {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day) + n * DAY_MS);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
};

/** ISO-8601 week-numbering year and week of a calendar date. */
function isoWeekOf(d: CalendarDate): { year: number; week: number } {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day));
  const dow = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - dow); // the Thursday of that week decides the year
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  return { year: t.getUTCFullYear(), week: Math.ceil(((t.getTime() - yearStart) / DAY_MS + 1) / 7) };
}

function mondayOf(isoYear: number, week: number): CalendarDate {
  const jan4 = new Date(Date.UTC(isoYear, 0, 4));
  const dow = jan4.getUTCDay() || 7;
  return addDays({ year: isoYear, month: 1, day: 4 }, (week - 1) * 7 - (dow - 1));
}

function weekOfMonday(monday: CalendarDate, timezone: string): Week {
  const { year, week } = isoWeekOf(monday);
  return {
    label: `${year}-W${String(week).padStart(2, "0")}`,
    start: zonedTime(monday, 0, 0, timezone),
    end: zonedTime(addDays(monday, 7), 0, 0, timezone),
    timezone,
    monday,
  };
}

/** The week an instant falls in, as seen in the time zone. */
export function weekContaining(instant: Date, timezone: string): Week {
  const p = localParts(instant, timezone);
  const dow = new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay() || 7;
  return weekOfMonday(addDays(p, 1 - dow), timezone);
}

export const previousWeek = (w: Week): Week => weekOfMonday(addDays(w.monday, -7), w.timezone);

/** The latest week that has fully ended before `instant`: what a scheduled digest reports. */
export const lastCompleteWeek = (instant: Date, timezone: string): Week => previousWeek(weekContaining(instant, timezone));

/**
 * Reads a week as people type it: "2026-W48", or any date inside it ("2026-11-25").
 * Throws a UserError naming the accepted forms.
 */
export function parseWeek(input: string, timezone: string): Week {
  const text = input.trim();
  const iso = /^(\d{4})-?W(\d{1,2})$/i.exec(text);
  if (iso) {
    const year = Number(iso[1]);
    const week = Number(iso[2]);
    const weeksInYear = isoWeekOf({ year, month: 12, day: 28 }).week;
    if (week < 1 || week > weeksInYear) throw new UserError(`${year} has weeks 1 to ${weeksInYear}; "${text}" is not one of them.`);
    return weekOfMonday(mondayOf(year, week), timezone);
  }
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (date) {
    const d = { year: Number(date[1]), month: Number(date[2]), day: Number(date[3]) };
    const check = new Date(Date.UTC(d.year, d.month - 1, d.day));
    if (check.getUTCMonth() + 1 !== d.month || check.getUTCDate() !== d.day) throw new UserError(`"${text}" is not a calendar date.`);
    const dow = check.getUTCDay() || 7;
    return weekOfMonday(addDays(d, 1 - dow), timezone);
  }
  throw new UserError(`I can't read the week "${text}". Give a date like 2026-11-25 or an ISO week like 2026-W48.`);
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "23–29 Nov 2026", "30 Nov – 6 Dec 2026", "28 Dec 2026 – 3 Jan 2027". */
export function formatWeekRange(w: Week): string {
  const a = w.monday;
  const b = addDays(a, 6);
  if (a.year !== b.year) return `${a.day} ${MONTHS[a.month - 1]} ${a.year} – ${b.day} ${MONTHS[b.month - 1]} ${b.year}`;
  if (a.month !== b.month) return `${a.day} ${MONTHS[a.month - 1]} – ${b.day} ${MONTHS[b.month - 1]} ${b.year}`;
  return `${a.day}–${b.day} ${MONTHS[a.month - 1]} ${b.year}`;
}
