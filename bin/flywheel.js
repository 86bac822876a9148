#!/usr/bin/env node
// The `flywheel` command: runs the built CLI (npm run build makes dist/).
require("../dist/src/cli/main.js");
