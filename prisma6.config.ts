import { defineConfig } from "prisma6/config"; // npm alias prisma6 = prisma@6.19.3

// Prisma 6.19 CLI + wasm schema engine ("engine: js"): no native binary needed.
// Used only through scripts/prisma6.mjs (migrations). The app/runtime uses Prisma 7.
// DATABASE_URL=postgresql://...  -> real PostgreSQL via @prisma/adapter-pg
// DATABASE_URL=file:./dir | memory: -> embedded PGlite via pglite-prisma-adapter
const url = process.env.DATABASE_URL ?? "memory:";

// A file-backed PGlite left open re-arms a 10 s itimer forever, and the Prisma 6 CLI never
// disposes the main adapter -> the CLI would never exit (and the wasm engine leaves 10-60 s
// timers behind). Unref those timers and close the DB cleanly once the loop is otherwise empty.
{
  const realSetTimeout: any = globalThis.setTimeout;
  (globalThis as any).setTimeout = function (this: any, ...args: any[]) {
    const t = realSetTimeout.apply(this, args);
    // PGlite's postgres itimers, and the wasm schema engine's 10-60 s guard timers
    if (/__setitimer_js|prisma6?[\\/]build[\\/]index\.js/.test(new Error().stack ?? "")) t?.unref?.();
    return t;
  };
}

async function pgFactory(u: URL) {
  // Workaround prisma/orm#27403: adapter-pg cannot type the catalog types `name` (oid 19, fixed
  // in 7.x) and `"char"` (oid 18) read by the wasm schema engine ("Column type ... could not be
  // deserialized").
  // @ts-ignore -- untyped internal module of pg
  const Result: any = (await import("pg/lib/result.js")).default;
  if (!Result.__nameAsText) {
    const addFields = Result.prototype.addFields;
    Result.prototype.addFields = function (fields: any[]) {
      for (const f of fields) {
        if (f.dataTypeID === 19 || f.dataTypeID === 18) f.dataTypeID = 25; // name, "char" -> text
        else if (f.dataTypeID === 1003) f.dataTypeID = 1009;               // name[] -> text[]
      }
      return addFields.call(this, fields);
    };
    Result.__nameAsText = true;
  }
  const { PrismaPg } = await import("@prisma/adapter-pg");
  // Discrete fields (a connectionString would override `database` for the shadow DB pool).
  const cfg = {
    host: u.hostname, port: Number(u.port || 5432), database: decodeURIComponent(u.pathname.slice(1)),
    user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) || undefined,
    allowExitOnIdle: true, idleTimeoutMillis: 500, // else the CLI lingers ~10s on exit
  };
  // adapter-pg's executeScript naively splits migration.sql on ";" (breaks $$ bodies/strings) and
  // runs the pieces outside a transaction: send the whole script as one simple query instead.
  const fixScript = (a: any) => {
    a.executeScript = async (sql: string) => { try { await a.client.query(sql); } catch (e) { a.onError(e); } };
    return a;
  };
  const factory: any = new PrismaPg(cfg);
  const connect = factory.connect.bind(factory);
  factory.connect = async () => fixScript(await connect());
  // adapter-pg drops the shadow DB before closing its pool -> "being accessed by other users".
  factory.connectToShadowDb = async () => {
    const admin = await factory.connect();
    const name = `prisma_migrate_shadow_db_${globalThis.crypto.randomUUID()}`;
    await admin.executeScript(`CREATE DATABASE "${name}"`);
    const shadow: any = fixScript(await new PrismaPg({ ...cfg, database: name }).connect());
    const dispose = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await dispose();
      await admin.executeScript(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.dispose();
    };
    return shadow;
  };
  return factory;
}

async function pgliteFactory(dataDir?: string) {
  const { PGlite } = await import("@electric-sql/pglite");
  const { PrismaPGlite } = await import("pglite-prisma-adapter");
  // pglite-prisma-adapter 0.6.x: the wasm engine replays migrations into the shadow DB with
  // executeRaw(script, no args) -> PGlite's extended protocol rejects multi-statement SQL
  // ("cannot insert multiple commands into a prepared statement"); and executeScript does not
  // await exec(). Route argument-less executeRaw and executeScript through PGlite.exec().
  const fix = (a: any) => {
    const executeRaw = a.executeRaw.bind(a);
    const exec = async (sql: string) => { try { await a.client.exec(sql); } catch (e) { a.onError(e); } };
    a.executeRaw = async (q: any) => (q.args?.length ? executeRaw(q) : (await exec(q.sql), 0));
    a.executeScript = exec;
    return a;
  };
  const open = (db: any, a: any) => { a.dispose = () => (db.closed ? undefined : db.close()); return fix(a); };
  let main: any;
  process.once("beforeExit", () => { if (main && !main.closed) void main.close(); });
  const factory: any = new PrismaPGlite(null as any);
  factory.connect = async () => {
    if (!main || main.closed) main = new PGlite(dataDir);
    return open(main, await new PrismaPGlite(main).connect());
  };
  factory.connectToShadowDb = async () => { // fresh in-memory shadow DB
    const db = new PGlite();
    return open(db, await new PrismaPGlite(db).connect());
  };
  return factory;
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "node_modules/.prisma6/schema.prisma", // written by scripts/prisma6.mjs from prisma/schema.prisma
  migrations: { path: "prisma/migrations" },
  adapter: async () => {
    if (url.startsWith("postgres")) return pgFactory(new URL(url));
    return pgliteFactory(url.startsWith("file:") ? url.slice(5) : undefined); // "memory:" -> in-memory
  },
});
