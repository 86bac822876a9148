// `/flywheel <command> [text]` runs any command on every platform, and SLACK_COMMAND_PREFIX names
// every other Slack command (`/fw-request`) while replies name commands as people must type them.
import type { types } from "@slack/bolt";
import { ApplicationCommandOptionType } from "discord.js";
import { DB_TARGETS, testServices, type TestEnv } from "./helpers/db";
import { as } from "./helpers/actors";
import { ana, discordTestApp, type DiscordTestApp } from "./helpers/discord";
import { ANA, BOB, postCommand, slashCommand, startSlackHarness, type SlackHarness } from "./helpers/slack";

describe.each(DB_TARGETS)("the /flywheel umbrella on %s", (target) => {
  describe("Slack over HTTP, no prefix", () => {
    let h: SlackHarness;
    let n = 0;
    beforeAll(async () => {
      h = await startSlackHarness(target);
    });
    afterAll(() => h.close());
    const say = async (who: typeof ANA, command: string, text: string) => {
      const id = `u${++n}`;
      expect((await postCommand(h.url, slashCommand(who, command, text, h.standin.responseUrl(id)))).status).toBe(200);
      return String((await h.standin.waitFor(() => h.standin.responses.find((r) => r.id === id)?.body)).text);
    };

    test("/flywheel request and /flywheel upvote run those commands; a bare /flywheel says how", async () => {
      const filed = await say(ANA, "/flywheel", "request Umbrella-filed feature");
      const id = Number(/#(\d+)/.exec(filed)![1]);
      expect(await h.app.services.db.featureRequest.count({ where: { id, title: "Umbrella-filed feature" } })).toBe(1);
      expect(await say(BOB, "/flywheel", `upvote ${id}`)).toContain(`Your vote for #${id} is counted for beta`);
      expect(await say(ANA, "/flywheel", "")).toContain("Usage: /flywheel &lt;command&gt; [text]");
      expect(await say(ANA, "/flywheel", "frobnicate")).toContain("I don't know the command /frobnicate");
    });

    test("/flywheel request with no text opens /request's form, as /request does", async () => {
      const before = h.standin.callsOf("views.open").length;
      expect((await postCommand(h.url, slashCommand(ANA, "/flywheel", "request", h.standin.responseUrl("form")))).status).toBe(200);
      const open = await h.standin.waitFor(() => h.standin.callsOf("views.open")[before]);
      const view = open.args.view as types.ModalView;
      expect(view.blocks.map((b) => (b as types.InputBlock).block_id)).toEqual(["title", "details"]);
    });

    test("/help names the commands as they are typed here", async () => {
      const help = await say(ANA, "/help", "");
      // Slack shows text escaped: <number> arrives as &lt;number&gt;.
      expect(help).toContain("\n/upvote &lt;number&gt;");
      expect(help).toContain("\n/flywheel &lt;command&gt; [text]");
    });
  });

  describe("Slack with SLACK_COMMAND_PREFIX=fw-", () => {
    let h: SlackHarness;
    let n = 0;
    beforeAll(async () => {
      h = await startSlackHarness(target, { env: { SLACK_COMMAND_PREFIX: "fw-" } });
    });
    afterAll(() => h.close());
    const say = async (command: string, text: string) => {
      const id = `p${++n}`;
      await postCommand(h.url, slashCommand(ANA, command, text, h.standin.responseUrl(id)));
      return String((await h.standin.waitFor(() => h.standin.responses.find((r) => r.id === id)?.body)).text);
    };

    test("/fw-request files; /fw-help and usage errors name /fw-… commands; /flywheel keeps its name", async () => {
      const filed = await say("/fw-request", "Prefixed feature");
      expect(filed).toMatch(/Filed #\d+ Prefixed feature/);
      const help = await say("/fw-help", "");
      expect(help).toContain("\n/fw-upvote &lt;number&gt;");
      expect(help).toContain("\n/fw-request-show &lt;number&gt;");
      expect(help).toContain("\n/flywheel &lt;command&gt; [text]");
      expect(help).not.toMatch(/(^|\s)\/upvote\b/);
      expect(help).not.toContain("/fw-flywheel");
      expect(await say("/fw-upvote", "banana")).toContain("Usage: /fw-upvote &lt;number&gt;");
      expect(await say("/flywheel", "help")).toContain("\n/fw-upvote &lt;number&gt;");
    });
  });

  test("Slack over Socket Mode: /flywheel request arrives as an envelope and files", async () => {
    const h = await startSlackHarness(target, { socket: true });
    try {
      await h.standin.waitForSocket();
      await h.standin.sendEnvelope("slash_commands", slashCommand(ANA, "/flywheel", "request Socket umbrella feature", h.standin.responseUrl("s1")));
      const filed = await h.standin.waitFor(() => h.standin.responses.find((r) => r.id === "s1")?.body);
      expect(String(filed.text)).toMatch(/Filed #\d+ Socket umbrella feature/);
    } finally {
      await h.close();
    }
  });

  describe("Discord", () => {
    let t: DiscordTestApp;
    beforeAll(async () => {
      t = await discordTestApp(target);
    });
    afterAll(() => t.close());

    test("/flywheel with the command and text options runs that command", async () => {
      const answer = await t.d.answer(
        t.d.slash(ana, "flywheel", [
          { name: "command", type: ApplicationCommandOptionType.String, value: "request" },
          { name: "text", type: ApplicationCommandOptionType.String, value: "Discord umbrella feature" },
        ]),
      );
      expect(answer.data.embeds[0].description).toMatch(/Filed #\d+ Discord umbrella feature/);
      expect(await t.app.services.db.featureRequest.count({ where: { title: "Discord umbrella feature" } })).toBe(1);
    });
  });

  describe("terminal", () => {
    let t: TestEnv;
    beforeAll(async () => {
      t = await testServices(target);
    });
    afterAll(() => t.close());

    test("/flywheel upvote works like /upvote", async () => {
      const filed = await as(t.services, "ana", "alpha")("/flywheel request Terminal umbrella feature");
      const id = Number(/#(\d+)/.exec(filed.text)![1]);
      expect((await as(t.services, "bob", "beta")(`/flywheel /upvote ${id}`)).text).toContain(`Your vote for #${id} is counted for beta`);
    });
  });
});
