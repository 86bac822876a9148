import type { Translator } from "../i18n/translate";
import { escapeHtml, type Html, trusted } from "./html";

/**
 * Charts as inline SVG drawn on the server: no script, no external file, nothing the page's CSP
 * has to allow. Colours come from classes in the stylesheet (style attributes would be blocked).
 */

const round = (n: number) => Math.round(n * 10) / 10;

/** A small horizontal bar: how much of the whole membership's weight wants a request. */
export function breadthBar(share: number, label: string): Html {
  const w = 120;
  const filled = round(Math.max(0, Math.min(1, share)) * w);
  return trusted(
    `<svg class="bar" width="${w}" height="10" viewBox="0 0 ${w} 10" role="img" aria-label="${escapeHtml(label)}">` +
      `<title>${escapeHtml(label)}</title>` +
      `<rect class="bar-track" x="0" y="0" width="${w}" height="10" rx="2" fill="#e5e7eb"/>` +
      (filled > 0 ? `<rect class="bar-fill" x="0" y="0" width="${Math.max(2, filled)}" height="10" rx="2" fill="#2563eb"/>` : "") +
      `</svg>`,
  );
}

const DAY = 86_400_000;

/** Rounds a maximum up to 1, 2 or 5 times a power of ten, so the axis label is a round number. */
function niceCeiling(n: number): number {
  if (n <= 1) return 1;
  const p = 10 ** Math.floor(Math.log10(n));
  for (const m of [1, 2, 5, 10]) if (m * p >= n) return m * p;
  return 10 * p;
}

/**
 * Votes over time as a step line: the running total at the end of each day with votes, held
 * flat until `until` (today). Each point carries a tooltip (<title>), which needs no script.
 */
export function votesChart(points: { day: string; votes: number }[], until: Date, t: Translator): Html {
  // A small viewBox with 13-unit text: about 10px on a phone, 17px at the 40rem the CSS allows.
  const W = 480;
  const H = 180;
  const pad = { l: 36, r: 10, t: 12, b: 28 };
  if (!points.length) return trusted(`<p class="muted">${escapeHtml(t.t("pages.chart.noVotes"))}</p>`);
  const t0 = Date.parse(points[0].day);
  const last = Date.parse(points[points.length - 1].day);
  const t1 = Math.max(last, Date.parse(until.toISOString().slice(0, 10)), t0 + DAY);
  const top = niceCeiling(Math.max(...points.map((p) => p.votes)));
  const x = (t: number) => round(pad.l + ((t - t0) / (t1 - t0)) * (W - pad.l - pad.r));
  const y = (v: number) => round(H - pad.b - (v / top) * (H - pad.t - pad.b));

  let line = `M${x(t0)} ${y(0)} V${y(points[0].votes)}`;
  for (const p of points.slice(1)) line += ` H${x(Date.parse(p.day))} V${y(p.votes)}`;
  line += ` H${x(t1)}`;
  const area = `${line} V${y(0)} Z`;
  const dots = points
    .map((p) => {
      const label = t.t("pages.chart.point", { day: p.day, count: p.votes });
      return `<circle class="chart-dot" cx="${x(Date.parse(p.day))}" cy="${y(p.votes)}" r="3" fill="#1d4ed8"><title>${escapeHtml(label)}</title></circle>`;
    })
    .join("");
  const total = points[points.length - 1].votes;
  const label = t.t("pages.chart.label", { count: total, from: points[0].day, to: until.toISOString().slice(0, 10) });
  return trusted(
    `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeHtml(label)}" preserveAspectRatio="xMidYMid meet">` +
      `<title>${escapeHtml(label)}</title>` +
      `<line class="axis" x1="${pad.l}" y1="${y(0)}" x2="${W - pad.r}" y2="${y(0)}" stroke="#9ca3af"/>` +
      `<line class="axis" x1="${pad.l}" y1="${pad.t}" x2="${pad.l}" y2="${y(0)}" stroke="#9ca3af"/>` +
      `<line class="grid" x1="${pad.l}" y1="${y(top)}" x2="${W - pad.r}" y2="${y(top)}" stroke="#e5e7eb"/>` +
      `<text class="tick" font-size="13" fill="#6b7280" x="${pad.l - 6}" y="${y(top) + 4}" text-anchor="end">${escapeHtml(t.number(top))}</text>` +
      `<text class="tick" font-size="13" fill="#6b7280" x="${pad.l - 6}" y="${y(0) + 4}" text-anchor="end">0</text>` +
      `<text class="tick" font-size="13" fill="#6b7280" x="${pad.l}" y="${H - 8}" text-anchor="start">${points[0].day}</text>` +
      `<text class="tick" font-size="13" fill="#6b7280" x="${W - pad.r}" y="${H - 8}" text-anchor="end">${new Date(t1).toISOString().slice(0, 10)}</text>` +
      `<path class="chart-area" d="${area}" fill="#dbeafe"/>` +
      `<path class="chart-line" d="${line}" fill="none" stroke="#1d4ed8" stroke-width="2"/>` +
      dots +
      `</svg>`,
  );
}
