// The ack floor: a bare Bolt app set up the way Flywheel sets up its own (HTTPReceiver with
// processBeforeResponse, mounted on a plain Node HTTP server at POST /slack/events, authorize
// without a network call) whose slash command listener acks at once, then posts a fixed answer to
// the response_url with Bolt's respond(), and does nothing else.
// Run as its own process, like the bot: SLACK_SIGNING_SECRET=... node bench/floors/bare-bolt.cjs
const { createServer } = require("node:http");
const { App, HTTPReceiver, LogLevel } = require("@slack/bolt");

const receiver = new HTTPReceiver({ signingSecret: process.env.SLACK_SIGNING_SECRET, processBeforeResponse: true, bodyLimit: 1024 * 1024, logLevel: LogLevel.ERROR });
const app = new App({
  receiver,
  logLevel: LogLevel.ERROR,
  authorize: async () => ({ botToken: process.env.SLACK_BOT_TOKEN, botId: "B0BOT", botUserId: "U0BOT" }),
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
});
app.command(/^\/[a-z0-9_-]+$/i, async ({ ack, respond }) => {
  await ack();
  // Not awaited: with processBeforeResponse the HTTP answer waits for the listener, as the bot's does.
  respond({ response_type: "ephemeral", text: "ok" }).catch((e) => process.stderr.write(`respond failed: ${e.message}\n`));
});
// The App Home and link-unfurl floors: the same events answered with a fixed view and a fixed
// unfurl, the one Web API call each (views.publish, chat.unfurl) and nothing else.
const HOME = { type: "home", blocks: [{ type: "section", text: { type: "mrkdwn", text: "Your requests" } }] };
app.event("app_home_opened", async ({ event, client }) => {
  if (event.tab !== "home") return;
  await client.views.publish({ user_id: event.user, view: HOME });
});
app.event("link_shared", async ({ event, client }) => {
  const unfurls = Object.fromEntries(event.links.map((l) => [l.url, { blocks: [{ type: "section", text: { type: "mrkdwn", text: "A request" } }] }]));
  await client.chat.unfurl({ channel: event.channel, ts: event.message_ts, unfurls });
});
const server = createServer((req, res) => {
  if (req.method === "POST" && req.url === "/slack/events") return receiver.requestListener(req, res);
  if (req.method === "GET" && req.url === "/healthz") return res.writeHead(200).end("ok");
  res.writeHead(404).end();
});
server.listen(0, "127.0.0.1", () => process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`));
process.once("SIGTERM", () => server.close(() => process.exit(0)));
