/** Jest runs the TypeScript sources directly (swc), so tests never wait for a build. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts", "**/*.test.tsx"],
  transform: {
    "^.+\\.(t|j)sx?$": [
      "@swc/jest",
      {
        jsc: {
          parser: { syntax: "typescript", tsx: true },
          transform: { react: { runtime: "automatic" } },
          target: "es2022",
        },
      },
    ],
  },
  moduleNameMapper: {
    "^@quotacast/core$": "<rootDir>/core/src/index.ts",
    "^@quotacast/core/(.*)$": "<rootDir>/core/src/$1",
    "^@quotacast/forecast-eval$": "<rootDir>/forecast-eval/src/index.ts",
    // The extension's tests run its commands against a stand-in for Raycast (no Raycast here).
    "^@raycast/api$": "<rootDir>/test/extension/raycast-mock.tsx",
    "^@raycast/utils$": "<rootDir>/test/extension/raycast-utils-mock.tsx",
  },
  setupFiles: ["<rootDir>/test/setup/isolated-home.ts"],
  testTimeout: 60000,
  // A full run leaves one handle open that a single suite does not (not found yet; esbuild's
  // service was one and is stopped): end the process when the tests are done, or CI waits forever.
  forceExit: true,
};
