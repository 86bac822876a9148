// The import rules of Flywheel's layout (README: "Where things live"), checked by
// test/architecture.imports.test.ts in `npm test`, and by `npm run imports` on its own.
// Paths are relative to where depcruise runs: the repository root (src/ and commands/).

/** Code that talks to a chat platform or GitHub: an adapter folder, or one of their SDKs. */
const PLATFORM = ["^src/platforms/[^/]+/", "^src/github/", "(^|/)node_modules/(@slack|@discordjs|discord\\.js|discord-api-types|@octokit)/"];
/** The slash commands and the framework that declares and dispatches them. */
const COMMAND = ["^commands/", "^src/command-kit/"];
/** How work comes in and goes out: HTTP, the outbox worker, jobs, the CLI, the program itself. */
const TRANSPORT = ["^src/(server|web|delivery|jobs|cli)/", "^src/(app|main)\\.ts$"];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "Import cycles (type-only ones included) make start-up order and ownership unclear: invert the dependency (a port, a returned value).",
      from: {},
      to: { circular: true },
    },
    {
      name: "core-knows-no-platform",
      severity: "error",
      comment: "src/core holds the rules: no Slack, Discord or GitHub code or types. A platform translates to and from core's types.",
      from: { path: "^src/core/" },
      to: { path: PLATFORM },
    },
    {
      name: "core-knows-no-command",
      severity: "error",
      comment: "Commands call core, never the other way round.",
      from: { path: "^src/core/" },
      to: { path: COMMAND },
    },
    {
      name: "core-knows-no-transport",
      severity: "error",
      comment: "core takes a Prisma client and a clock; HTTP, the outbox worker, jobs and the CLI call it.",
      from: { path: "^src/core/" },
      to: { path: TRANSPORT },
    },
    {
      name: "commands-know-no-platform",
      severity: "error",
      comment: "A command returns a platform-neutral Reply; each platform renders it.",
      from: { path: COMMAND },
      to: { path: PLATFORM },
    },
    {
      name: "platforms-never-import-each-other",
      severity: "error",
      comment: "Slack, Discord, the shell and GitHub share only core and src/platforms/platform.ts; what two need goes to core.",
      from: { path: "^src/(platforms/[^/]+|github)/" },
      to: { path: "^src/(platforms/[^/]+|github)/", pathNot: "^src/$1/" },
    },
    {
      name: "data-layer-knows-no-rules",
      severity: "error",
      comment: "src/db opens and migrates the database; the rules live in src/core.",
      from: { path: "^src/(db|generated)/" },
      to: { path: [...COMMAND, ...PLATFORM, ...TRANSPORT, "^src/core/"] },
    },
    {
      name: "only-main-starts-the-app",
      severity: "error",
      comment: "src/app.ts composes everything; a part gets what it needs as arguments and hands back what it adds.",
      from: { path: "^src/", pathNot: "^src/main\\.ts$" },
      to: { path: "^src/app\\.ts$" },
    },
    {
      name: "jobs-live-in-src-jobs",
      severity: "error",
      comment: "Every scheduled job is a file in src/jobs/, added in src/jobs/index.ts (src/config only validates cron expressions).",
      from: { pathNot: "^src/(jobs|config)/" },
      to: { path: "(^|/)node_modules/node-cron/" },
    },
    {
      name: "no-unresolvable-import",
      severity: "error",
      comment: "An import the cruiser cannot resolve escapes every rule above.",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Type-only imports count: a cycle or a platform type in core is still a dependency.
    tsPreCompilationDeps: true,
    doNotFollow: { path: ["node_modules", "^src/generated/"] },
    exclude: { path: ["^dist/"] },
    // Octokit's packages are ES modules with an exports map: resolve them the way Node does.
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"] },
  },
};
