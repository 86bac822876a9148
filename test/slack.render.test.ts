import { renderMessage, renderModal } from "../src/platforms/slack/render";
import { translator } from "../src/i18n/translate";
import { escapeMrkdwn, fromSlackText, plainText } from "../src/platforms/slack/text";

describe("Slack text in and out", () => {
  test("escaping leaves no way to ping: broadcasts, users, groups", () => {
    for (const evil of ["<!channel>", "<!here|here>", "<!everyone>", "<@U123>", "<!subteam^S1|@devs>", "@here", "@@channel", "(@everyone)", "x <#C1>"]) {
      const out = escapeMrkdwn(evil);
      expect(out).not.toMatch(/<[!@#]/);
      expect(out).not.toMatch(/(^|\W)@(?!\u200b)\w/);
    }
    expect(escapeMrkdwn("a & b <c>")).toBe("a &amp; b &lt;c&gt;");
    expect(escapeMrkdwn("mail ana@example.org")).toBe("mail ana@example.org");
    expect(plainText("<!here> @channel")).toBe("<\u200b!here> @\u200bchannel");
  });

  test("Slack markup becomes what a person would have typed", () => {
    expect(fromSlackText("hi <@U1|ana> in <#C1|general>, see <https://x.org/a|docs> &amp; <https://y.org> <!here>")).toBe(
      "hi @ana in #general, see docs (https://x.org/a) & https://y.org @here",
    );
  });

  test("a long list keeps within Block Kit's 50 blocks; button values carry the command line", () => {
    const sections = Array.from({ length: 40 }, (_, i) => ({ text: `#${i} thing`, buttons: [{ label: "Upvote", command: `upvote ${i}` }] }));
    const m = renderMessage({ text: "Open requests:\n...", sections, buttons: [{ label: "More", command: "requests open --page 2" }] });
    expect(m.blocks.length).toBeLessThanOrEqual(50);
    expect(m.blocks.at(-1)).toMatchObject({ type: "actions", elements: [{ value: "requests open --page 2" }] });
    const ids = m.blocks.flatMap((b) => (b.type === "actions" ? b.elements.map((e) => (e as { action_id: string }).action_id) : []));
    expect(new Set(ids).size).toBe(ids.length);
  });

  test("errors are marked; links only for http(s); modal inputs respect Slack's 3000-character cap", () => {
    const m = renderMessage({ text: "Nope", error: true, sections: [{ title: "x", url: "javascript:alert(1)", text: "y" }] });
    expect(JSON.stringify(m)).not.toContain("javascript:");
    // en-XA runs about a third longer than English: the title must still fit Slack's 24 characters.
    const view = renderModal({ command: "request", title: "commands.request.form.title", fields: [{ name: "details", label: "commands.request.form.detailsLabel", long: true, maxLength: 4000, initial: "z".repeat(5000) }] }, {}, translator("en-XA"));
    const input = (view.blocks[0] as { element: { max_length: number; initial_value: string } }).element;
    expect(input.max_length).toBe(3000);
    expect(input.initial_value).toHaveLength(3000);
    expect(view.title.text.length).toBeLessThanOrEqual(24);
  });
});

describe("the bot's own pings", () => {
  test("an on-call group mention renders as a real Slack group ping; a malformed id does not", () => {
    const out = renderMessage({
      text: "Ticket #4 has no staff answer after 8 hours <!channel>",
      mentions: [
        { kind: "group", id: "S0ONCALL", label: "on-call staff" },
        { kind: "group", id: "S1> <!everyone", label: "injected" },
      ],
    });
    expect(out.text.startsWith("<!subteam^S0ONCALL> ")).toBe(true);
    const all = JSON.stringify(out);
    expect(all.match(/<!subteam\^/g)).toHaveLength(2); // text fallback + lead block
    expect(all).not.toContain("<!channel>");
    expect(all).not.toContain("<!everyone");
  });
});
