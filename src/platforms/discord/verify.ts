import { createPublicKey, type KeyObject, verify } from "node:crypto";

/**
 * An Ed25519 public key is 32 raw bytes; Node's crypto reads it as SPKI DER, which is this fixed
 * ASN.1 prefix (SEQUENCE, AlgorithmIdentifier id-Ed25519 1.3.101.112, BIT STRING) + the key (RFC 8410).
 */
const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

/** DISCORD_PUBLIC_KEY (hex, from the Developer Portal) as a key Node can verify with. */
export function discordPublicKey(hex: string): KeyObject {
  const raw = Buffer.from(hex, "hex");
  if (raw.length !== 32) throw new Error("DISCORD_PUBLIC_KEY must be 32 bytes (64 hex characters)");
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: "der", type: "spki" });
}

/**
 * Discord signs timestamp + raw body with the application's key; an endpoint must refuse what does
 * not verify (Discord itself probes with bad signatures before it accepts the URL).
 * https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint-validating-security-request-headers
 */
export function signatureValid(key: KeyObject, signatureHex: string, timestamp: string, body: Buffer): boolean {
  if (!/^[0-9a-fA-F]{128}$/.test(signatureHex)) return false;
  try {
    return verify(null, Buffer.concat([Buffer.from(timestamp, "utf8"), body]), key, Buffer.from(signatureHex, "hex"));
  } catch {
    return false;
  }
}

/**
 * Discord does not bound the timestamp's age itself; a signed request replayed later would verify
 * forever. The same five minutes either way as Slack's rule (src/platforms/slack/bolt.ts) keep a
 * captured request from being replayed later, with room for clock skew.
 */
export const DISCORD_TIMESTAMP_WINDOW_S = 5 * 60;

export function discordTimestampFresh(header: string | string[] | undefined, nowMs: number): header is string {
  if (typeof header !== "string" || !/^\d{1,12}$/.test(header.trim())) return false;
  return Math.abs(nowMs / 1000 - Number(header)) <= DISCORD_TIMESTAMP_WINDOW_S;
}
