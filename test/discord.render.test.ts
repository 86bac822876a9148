import { ButtonStyle, ComponentType, MessageFlags, TextInputStyle } from "discord.js";
import type { Reply } from "../src/core/reply";
import { commandLineOf, parseModalId, renderMessage, renderModal } from "../src/platforms/discord/render";
import { type Translator, translator } from "../src/i18n/translate";

/* eslint-disable @typescript-eslint/no-explicit-any */
const flat = (r: Reply) => renderMessage(r).components.flatMap((row) => row.components as any[]);

describe("a Reply rendered for Discord", () => {
  test("distinct labels stay buttons (similar requests), in rows of at most five, top-level buttons last", () => {
    const similar: Reply = {
      text: "Similar requests are already open.",
      ephemeral: true,
      sections: [3, 4, 5, 6, 7, 8].map((n) => ({ text: `#${n} Faster builds ${n}`, buttons: [{ label: `Upvote #${n}`, command: `upvote ${n}`, style: "primary" as const }] })),
      buttons: [{ label: "File it anyway", command: "request Faster builds --force" }],
    };
    const msg = renderMessage(similar);
    expect(msg.flags).toBe(MessageFlags.Ephemeral);
    expect(msg.components.map((row) => row.components.length)).toEqual([5, 1, 1]);
    expect(flat(similar).map((b) => [b.type, b.label, b.custom_id, b.style])).toEqual([
      ...[3, 4, 5, 6, 7, 8].map((n) => [ComponentType.Button, `Upvote #${n}`, `fw:upvote ${n}`, ButtonStyle.Primary]),
      [ComponentType.Button, "File it anyway", "fw:request Faster builds --force", ButtonStyle.Secondary],
    ]);
  });

  test("a command line too long for a custom_id drops that button instead of failing; duplicates are dropped too", () => {
    const r: Reply = {
      text: "x",
      buttons: [
        { label: "Long", command: `request ${"y".repeat(120)}` },
        { label: "Upvote", command: "upvote 1" },
        { label: "Upvote again", command: "upvote 1" },
      ],
    };
    expect(flat(r).map((b) => b.custom_id)).toEqual(["fw:upvote 1"]);
    expect(flat(r).every((b) => b.custom_id.length <= 100)).toBe(true);
  });

  test("never more than 5 rows; select menus hold at most 25 options; the embed stays within Discord's limits", () => {
    const sections = Array.from({ length: 40 }, (_, i) => ({
      title: `Section ${i} ${"t".repeat(300)}`,
      text: "v".repeat(2000),
      buttons: [{ label: "Upvote", command: `upvote ${i}` }, { label: "Details", command: `request-show ${i}` }],
    }));
    const r: Reply = { text: "d".repeat(5000), title: "T".repeat(400), sections, buttons: Array.from({ length: 7 }, (_, i) => ({ label: `B${i}`, command: `requests --page ${i + 2}` })) };
    const msg = renderMessage(r);
    expect(msg.components.length).toBeLessThanOrEqual(5);
    for (const row of msg.components) expect(row.components.length).toBeLessThanOrEqual(5);
    for (const s of flat(r).filter((c) => c.type === ComponentType.StringSelect)) expect(s.options.length).toBeLessThanOrEqual(25);
    const e = msg.embeds[0];
    expect(e.title!.length).toBeLessThanOrEqual(256);
    expect(e.description!.length).toBeLessThanOrEqual(4096);
    expect((e.fields ?? []).length).toBeLessThanOrEqual(25);
    const total = e.title!.length + e.description!.length + (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
    expect(total).toBeLessThanOrEqual(6000);
  });

  test("errors are private and red; allowed_mentions is always empty", () => {
    const msg = renderMessage({ text: "Nope @here", error: true });
    expect(msg).toMatchObject({ flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] }, embeds: [{ color: 0xed4245, description: "Nope @\u200bhere" }] });
  });

  test("only the bot's own group pings are allowed, by role id; role mentions in user text are defused", () => {
    const msg = renderMessage({
      text: "Ticket #4 waits 2h. Ping <@&999999999999999999> from a user",
      mentions: [
        { kind: "group", id: "123456789012345678", label: "on-call staff" },
        { kind: "group", id: "everyone", label: "not a role id" },
      ],
    });
    expect(msg.content).toBe("<@&123456789012345678>");
    expect(msg.allowed_mentions).toEqual({ parse: [], roles: ["123456789012345678"] });
    expect(msg.embeds[0].description).toContain("<@\u200b&999999999999999999>");
    expect(renderMessage({ text: "plain" }).content).toBeUndefined();
  });

  test("custom ids round-trip: buttons, select options, modals with hidden options", () => {
    expect(commandLineOf("fw:upvote 12")).toBe("upvote 12");
    expect(commandLineOf("fwsel:Upvote", ["upvote 3"])).toBe("upvote 3");
    expect(commandLineOf("fw:")).toBeUndefined();
    expect(commandLineOf("other:thing")).toBeUndefined();
    // A language whose words run long: the title and placeholder must still fit Discord's limits.
    const en = translator("en");
    const wordy: Translator = { ...en, t: (key, values) => ({ "commands.request.form.title": "A very long modal title that Discord would refuse", "commands.request.form.titlePlaceholder": "p".repeat(150) })[key as string] ?? en.t(key, values) };
    const modal = renderModal({ command: "request", title: "commands.request.form.title", hidden: { sourceUrl: "https://x.test/m/1" }, fields: [{ name: "title", label: "commands.request.form.titleLabel", required: true, maxLength: 120, placeholder: "commands.request.form.titlePlaceholder" }, { name: "details", label: "commands.request.form.detailsLabel", long: true, maxLength: 9000 }] }, wordy)!;
    expect(modal.title.length).toBeLessThanOrEqual(45);
    expect(parseModalId(modal.custom_id)).toEqual({ command: "request", hidden: { sourceUrl: "https://x.test/m/1" } });
    const inputs = modal.components.map((c: any) => c.component);
    expect(inputs.map((i: any) => [i.style, i.max_length, i.placeholder?.length ?? 0])).toEqual([
      [TextInputStyle.Short, 120, 100],
      [TextInputStyle.Paragraph, 4000, 0],
    ]);
    expect((modal.components[0] as any).label).toBe("Title");
    expect(renderModal({ command: "request", title: "commands.request.form.title", hidden: { sourceUrl: `https://x.test/${"m".repeat(120)}` }, fields: [] }, en)).toBeUndefined();
  });
});
