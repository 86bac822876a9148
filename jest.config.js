/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  transform: {
    // Compiled file by file without type-checking (tsconfig.jest.json: isolatedModules): `npm test`
    // type-checks the whole project once with tsc first, which costs far less than ts-jest
    // checking every test file and its imports again in each worker.
    "^.+\\.tsx?$": ["ts-jest", { tsconfig: "tsconfig.jest.json" }],
    // Octokit and its helpers ship ES modules only; Node loads them natively, jest's CommonJS
    // runtime cannot (before Node 24.9), so tests compile them to CommonJS.
    "^.+/node_modules/.+\\.js$": ["ts-jest", { tsconfig: { allowJs: true, module: "commonjs", target: "ES2022", esModuleInterop: true, skipLibCheck: true, isolatedModules: true }, diagnostics: false }],
  },
  // openid-client (web sign-in) and its oauth4webapi and jose are ES modules only as well.
  transformIgnorePatterns: ["/node_modules/(?!(@octokit|@formatjs|intl-messageformat|universal-user-agent|before-after-hook|json-with-bigint|content-type|openid-client|oauth4webapi|jose)/)"],
  // Its exports map names only an "import" entry for Node.
  moduleNameMapper: { "^@octokit/webhooks-methods$": "<rootDir>/node_modules/@octokit/webhooks-methods/dist-node/index.js" },
  testMatch: ["<rootDir>/test/**/*.test.ts"],
  // One migrated database template per set of migrations, copied by every file (test/helpers/templates.ts).
  globalSetup: "<rootDir>/test/setup/global.ts",
  testTimeout: 60_000,
  // PGlite and real servers per file: two workers fit the 2-core machines CI runs on.
  maxWorkers: 2,
};
