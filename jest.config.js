/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  transform: { "^.+\\.tsx?$": ["ts-jest", { tsconfig: "tsconfig.json", diagnostics: { warnOnly: false } }] },
  testMatch: ["<rootDir>/test/**/*.test.ts"],
  testTimeout: 60_000,
  // PGlite and real servers per file: two workers fit the 2-core machines CI runs on.
  maxWorkers: 2,
};
