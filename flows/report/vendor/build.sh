#!/usr/bin/env bash
# Rebuild echarts.min.js, the chart library the report inlines once (flows/report/charts.py):
# Apache ECharts with only bar and line charts, grid, tooltip, mark lines and the SVG renderer,
# minified by esbuild. Needs node and the npm registry; the report itself never fetches anything.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund >/dev/null
version=$(node -p "require('echarts/package.json').version")
zr=$(node -p "require('zrender/package.json').version")
npx esbuild entry.js --bundle --minify --format=iife --legal-comments=none --outfile=echarts.min.js \
  --banner:js="/*! Apache ECharts ${version} (Apache License 2.0, https://echarts.apache.org) with ZRender ${zr} (BSD-3-Clause); partial build for county-budgets: bar, line, grid, tooltip, markLine, SVG renderer (flows/report/vendor/build.sh) */"
rm -rf node_modules
ls -l echarts.min.js
