/** The package version, read once (the CLI's `--version`, the user agent, build_info). */
export const VERSION: string = (require("../package.json") as { version: string }).version;
