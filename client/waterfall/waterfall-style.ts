/**
 * The waterfall's stylesheet, sent in a `<style>` element with the page's nonce (the Content
 * Security Policy allows no other style). Every colour is one of VS Code's theme variables (with a
 * fallback for other hosts), so the chart follows light, dark and high-contrast themes: the phase
 * colours are the theme's chart colours, the ones VS Code's own charts use. Scheduling is grey (the
 * node has not started on the pod yet), red is kept for pods still waiting, and the theme's yellow
 * is left out: in light themes it is hard to tell from its orange.
 */
export const WATERFALL_STYLE = `
:root {
  --phase-schedule: var(--vscode-charts-foreground, #888);
  --phase-pull: var(--vscode-charts-orange, #d18616);
  --phase-init: var(--vscode-charts-purple, #b180d7);
  --phase-start: var(--vscode-charts-blue, #3794ff);
  --phase-ready: var(--vscode-charts-green, #89d185);
  --pending: var(--vscode-charts-red, #f14c4c);
  --grid: var(--vscode-charts-lines, rgba(128, 128, 128, 0.35));
  --muted: var(--vscode-descriptionForeground, #8b8b8b);
  --rule: var(--vscode-panel-border, rgba(128, 128, 128, 0.35));
  --card: var(--vscode-editorWidget-background, rgba(128, 128, 128, 0.08));
  --columns: minmax(10rem, 16rem) minmax(12rem, 1fr) 5rem;
}
body {
  font-family: var(--vscode-font-family, system-ui, sans-serif);
  font-size: var(--vscode-font-size, 13px);
  color: var(--vscode-foreground, #ccc);
  background: var(--vscode-editor-background, transparent);
  margin: 0;
  padding: 16px 24px 32px;
}
header { display: flex; align-items: flex-start; justify-content: space-between; gap: 16px; }
h1 { font-size: 1.35em; font-weight: 600; margin: 0 0 4px; }
h1 .kind { color: var(--muted); font-weight: 400; }
h2 { font-size: 1em; font-weight: 600; margin: 24px 0 8px; }
h2 .sub { color: var(--muted); font-weight: 400; margin-left: 0.5em; }
.headline { color: var(--muted); }
button {
  font: inherit;
  color: var(--vscode-button-foreground, #fff);
  background: var(--vscode-button-background, #0e639c);
  border: 1px solid var(--vscode-button-border, transparent);
  border-radius: 2px;
  padding: 4px 12px;
  cursor: pointer;
  white-space: nowrap;
}
button:hover { background: var(--vscode-button-hoverBackground, #1177bb); }
button:disabled { opacity: 0.6; cursor: default; }
button:focus-visible { outline: 1px solid var(--vscode-focusBorder, #007fd4); outline-offset: 2px; }
.stats { display: flex; flex-wrap: wrap; gap: 8px; margin: 14px 0 4px; padding: 0; list-style: none; }
.stats li { background: var(--card); border: 1px solid var(--rule); border-radius: 4px; padding: 6px 12px; min-width: 5.5rem; }
.stats .label { display: block; color: var(--muted); font-size: 0.85em; }
.stats .value { display: block; font-size: 1.2em; font-weight: 600; font-variant-numeric: tabular-nums; margin-top: 2px; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 18px; margin: 16px 0 0; padding: 0; list-style: none; }
.legend li { display: flex; align-items: center; gap: 6px; }
.legend svg { flex: none; }
.legend .share { color: var(--muted); font-variant-numeric: tabular-nums; }
.grid-row { display: grid; grid-template-columns: var(--columns); gap: 0 14px; align-items: center; }
.chart svg { display: block; width: 100%; overflow: visible; }
.axis text, .marks text, .histogram text { fill: var(--muted); font-size: 11px; font-variant-numeric: tabular-nums; }
.marks text { fill: var(--vscode-foreground, #ccc); font-weight: 600; }
.gridline { stroke: var(--grid); stroke-width: 1; }
.mark { stroke: var(--vscode-foreground, #ccc); stroke-width: 1; stroke-dasharray: 3 3; opacity: 0.7; }
.row-mark { stroke: var(--vscode-foreground, #ccc); stroke-width: 1; stroke-dasharray: 2 3; opacity: 0.3; }
.bin { fill: var(--vscode-charts-foreground, #888); opacity: 0.5; }
.bin:hover { opacity: 0.75; }
.seg:hover { filter: brightness(1.15); }
.histogram-caption { color: var(--muted); font-size: 0.9em; }
.group { margin: 14px 0 4px; padding-bottom: 3px; border-bottom: 1px solid var(--rule); color: var(--muted); font-size: 0.9em; font-weight: 600; text-transform: uppercase; letter-spacing: 0.04em; }
.pod-row { padding: 5px 0; border-bottom: 1px solid transparent; }
.pod-row:hover { background: var(--vscode-list-hoverBackground, rgba(128, 128, 128, 0.1)); }
.pod-label { min-width: 0; }
.pod-name { font-family: var(--vscode-editor-font-family, monospace); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.pod-meta { color: var(--muted); font-size: 0.88em; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; margin-top: 1px; }
.badge { display: inline-block; font-size: 0.92em; padding: 0 6px; margin-right: 6px; border-radius: 8px; border: 1px solid var(--pending); color: var(--pending); vertical-align: 1px; }
.duration { text-align: right; font-variant-numeric: tabular-nums; font-weight: 600; white-space: nowrap; }
.duration.stuck { color: var(--pending); font-weight: 400; }
.seg { stroke: var(--vscode-editor-background, #1e1e1e); stroke-width: 1; }
.seg-schedule, .swatch-schedule { fill: var(--phase-schedule); fill-opacity: 0.6; }
.seg-pull, .swatch-pull { fill: var(--phase-pull); }
.seg-init, .swatch-init { fill: var(--phase-init); }
.seg-start, .swatch-start { fill: var(--phase-start); }
.seg-ready, .swatch-ready { fill: var(--phase-ready); }
.seg-pull-or-start, .swatch-pull-or-start { fill: url(#pull-or-start); }
.pending { fill: url(#pending); stroke: var(--pending); stroke-width: 1; stroke-opacity: 0.6; }
.hatch-base { fill: var(--phase-start); }
.hatch-stripe { stroke: var(--phase-pull); stroke-width: 3; }
.hatch-pending { stroke: var(--pending); stroke-width: 1.5; opacity: 0.55; }
.problem { margin: 20px 0; padding: 12px 16px; border-left: 3px solid var(--vscode-editorWarning-foreground, #cca700); background: var(--card); max-width: 60rem; }
.problem p { margin: 4px 0; }
.problem .detail { font-family: var(--vscode-editor-font-family, monospace); font-size: 0.92em; color: var(--muted); overflow-wrap: anywhere; }
.cluster-facts h2 { margin-top: 18px; }
.facts { margin: 0; padding: 8px 12px 8px 28px; background: var(--card); border: 1px solid var(--rule); border-radius: 4px; max-width: 60rem; }
.facts li { margin: 2px 0; overflow-wrap: anywhere; }
.facts-hint { margin: 6px 0 0; color: var(--muted); font-size: 0.9em; }
.notes { margin: 20px 0 0; padding-left: 18px; color: var(--muted); font-size: 0.9em; }
.loading { color: var(--muted); margin-top: 24px; }
@media (max-width: 760px) { :root { --columns: minmax(8rem, 11rem) minmax(8rem, 1fr) 4.5rem; } }
/* A narrow panel (beside the manifest): each pod's name above its bar, which gets the whole width. */
@media (max-width: 620px) {
  :root { --columns: minmax(0, 1fr) 4.5rem; }
  .grid-row > :first-child { grid-column: 1 / -1; }
  .axis-row > :first-child { display: none; }
  .pod-row { padding-top: 6px; }
}
`;
