#!/usr/bin/env node
// Committed (not compiled) so npm can link it before the build runs; the bin itself is dist/launch.js.
require("../dist/launch.js");
