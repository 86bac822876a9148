// The Discord interactions floor: a bare Node HTTP handler at POST /discord/interactions that
// verifies the Ed25519 signature with node:crypto (over timestamp + raw body, as Discord signs it)
// and answers a fixed type-4 message (CHANNEL_MESSAGE_WITH_SOURCE, ephemeral), nothing else.
// Run as its own process, like the bot: DISCORD_PUBLIC_KEY=<64 hex> node bench/floors/bare-discord.cjs
const { createServer } = require("node:http");
const { createPublicKey, verify } = require("node:crypto");

// A raw Ed25519 public key is the last 32 bytes of its SPKI DER form; this is the prefix before it.
const SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");
const key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, Buffer.from(process.env.DISCORD_PUBLIC_KEY, "hex")]), format: "der", type: "spki" });
const ANSWER = JSON.stringify({ type: 4, data: { content: "ok", flags: 64 } });

const server = createServer((req, res) => {
  if (req.method === "GET" && req.url === "/healthz") return res.writeHead(200).end("ok");
  if (req.method !== "POST" || req.url !== "/discord/interactions") return res.writeHead(404).end();
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks);
    const signature = req.headers["x-signature-ed25519"];
    const timestamp = req.headers["x-signature-timestamp"];
    let ok = false;
    try {
      ok = typeof signature === "string" && typeof timestamp === "string" && verify(null, Buffer.concat([Buffer.from(timestamp), body]), key, Buffer.from(signature, "hex"));
    } catch {
      ok = false;
    }
    if (!ok) return res.writeHead(401, { "content-type": "application/json" }).end('{"error":"invalid request signature"}');
    res.writeHead(200, { "content-type": "application/json" }).end(ANSWER);
  });
});
server.keepAliveTimeout = 30_000;
server.listen(0, "127.0.0.1", () => process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`));
process.once("SIGTERM", () => server.close(() => process.exit(0)));
