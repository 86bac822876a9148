import { DB_TARGETS } from "./helpers/db";
import { waitForLog } from "./helpers/logs";
import { ANA, BOB, buttonClick, eventCallback, slashCommand, startSlackHarness, type SlackHarness } from "./helpers/slack";

/** With SLACK_APP_TOKEN the bot connects out over Socket Mode instead of serving /slack/events. */
describe.each(DB_TARGETS)("Slack over Socket Mode on %s", (target) => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness(target, { socket: true });
    await h.standin.waitForSocket();
    // An acked envelope proves the client has the connection open (stopping mid-handshake is slow).
    await h.standin.sendEnvelope("events_api", eventCallback("T0ALPHA", { type: "reaction_added", user: "U0ANA", reaction: "eyes", item: { type: "message", channel: "C0ALPHA", ts: "1.2" }, event_ts: "1.3" }));
  });
  afterAll(() => h.close());

  test("connects with the app token, and /healthz says so", async () => {
    const open = await h.standin.waitFor(() => h.standin.callsOf("apps.connections.open")[0]);
    expect(open.token).toBe("xapp-test-app-token-123");
    const health = async () => ((await (await fetch(`http://127.0.0.1:${h.app.port}/healthz`)).json()) as { platforms: Record<string, string> }).platforms.slack;
    expect(await health()).toBe("connected");
    const events = await fetch(`http://127.0.0.1:${h.app.port}/slack/events`, { method: "POST", body: "{}" });
    expect(events.status).toBe(404); // no HTTP endpoint in Socket Mode
  });

  test("slash commands, buttons and events arrive as envelopes; commands are acked at once and answered on the response_url", async () => {
    const ack = await h.standin.sendEnvelope("slash_commands", slashCommand(ANA, "/request", "Socket-filed feature", h.standin.responseUrl("s1")));
    expect(ack ?? {}).toEqual({});
    const filed = await h.standin.waitFor(() => h.standin.responses.find((r) => r.id === "s1")?.body);
    expect(filed).toMatchObject({ response_type: "in_channel" });
    const id = Number(/#(\d+)/.exec(String(filed.text))![1]);
    expect(await h.app.services.db.featureRequest.count({ where: { id, title: "Socket-filed feature" } })).toBe(1);

    await h.standin.sendEnvelope("interactive", buttonClick(BOB, `upvote ${id}`, h.standin.responseUrl("s2")));
    const answer = await h.standin.waitFor(() => h.standin.responses.find((r) => r.id === "s2")?.body);
    expect(String(answer.text)).toContain(`Your vote for #${id} is counted for beta`);

    const mention = eventCallback("T0ALPHA", { type: "app_mention", user: "U0ANA", text: "<@U0BOT> requests", ts: "1764401000.000100", channel: "C0ALPHA", event_ts: "1764401000.000100" });
    await h.standin.sendEnvelope("events_api", mention);
    await h.standin.sendEnvelope("events_api", mention, 1); // redelivered: not answered twice
    const reply = await h.standin.waitFor(() => h.standin.callsOf("chat.postEphemeral").find((c) => c.args.thread_ts === "1764401000.000100"));
    // Proof the redelivery was handled (and so would have answered by now had it not been recognised).
    await waitForLog(h.logs, (l) => l.msg === "slack delivery seen before; not applied again" && l.id === `event:${mention.event_id}`);
    expect(reply.args).toMatchObject({ channel: "C0ALPHA", user: "U0ANA" });
    expect(String(reply.args.text)).toContain("Socket-filed feature");
    expect(h.standin.callsOf("chat.postEphemeral").filter((c) => c.args.thread_ts === "1764401000.000100")).toHaveLength(1);
  });
});
