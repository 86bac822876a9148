import type { Reply } from "../../core/reply";
import { translator, type Translator } from "../../i18n/translate";

/** A Reply as terminal text: the text, then each button as the command it would run. */
export function renderText(r: Reply, t: Translator = translator()): string {
  const lines: string[] = [];
  if (r.modal) {
    lines.push(`${r.text}`);
    lines.push(t.t("platforms.shell.formHint", { line: `/${r.modal.command} ${r.modal.fields.map((f) => `<${f.name}>`).join(" | ")}` }));
    return lines.join("\n");
  }
  const pings = (r.mentions ?? []).map((m) => `@${m.label} `).join("");
  lines.push(r.error ? `✗ ${r.text}` : `${pings}${r.text}`);
  const buttons = r.buttons ?? [];
  if (buttons.length) lines.push(buttons.map((b) => `[${b.label}: /${b.command}]`).join("  "));
  return lines.join("\n");
}
