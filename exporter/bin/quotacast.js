#!/usr/bin/env node
// Committed (not compiled) so npm can link it before the build runs; the CLI itself is dist/cli.js.
require("../dist/cli.js");
