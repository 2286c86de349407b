#!/usr/bin/env node
// Runs the built CLI (`npm run build` first).
import '../dist/main.js';
