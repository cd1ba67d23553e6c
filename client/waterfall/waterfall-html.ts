/**
 * The waterfall's page, rendered from the model as one HTML string (no editor API, no remote
 * resource). Bars and the histogram are SVG: positions are attributes in percent of the axis, which
 * the Content Security Policy allows where inline `style` attributes are refused. Every segment and
 * bin has a `<title>`, the tooltip browsers show on hover (and screen readers read). The only
 * script, carrying the page's nonce, sends "refresh" to the extension and keeps the scroll position
 * in the webview's state.
 */
import type { WaterfallModel, WaterfallRow, WaterfallSegment } from './waterfall-model';

export interface PageOptions {
  nonce: string;
  /** The page's title (the panel shows its own). */
  title: string;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character]!);
}

/** Numbers in attributes: short, and never exponent notation. */
function n(value: number): string {
  return (Math.round(value * 1000) / 1000).toFixed(3).replace(/\.?0+$/, '') || '0';
}

function anchorAt(x: number): string {
  return x < 8 ? 'start' : x > 92 ? 'end' : 'middle';
}

export function contentSecurityPolicy(nonce: string): string {
  return `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; img-src data:; font-src 'none'; connect-src 'none'; form-action 'none'; base-uri 'none'`;
}

/** Patterns the bars refer to by id: the stripes of "pull or start", the hatch of a pod still waiting. */
const DEFINITIONS = `<svg width="0" height="0" aria-hidden="true" focusable="false" class="defs"><defs>
<pattern id="pull-or-start" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect class="hatch-base" width="8" height="8"/><line class="hatch-stripe" x1="0" y1="0" x2="0" y2="8"/></pattern>
<pattern id="pending" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><line class="hatch-pending" x1="0" y1="0" x2="0" y2="6"/></pattern>
</defs></svg>`;

function swatch(phase: string): string {
  return `<svg width="14" height="14" aria-hidden="true"><rect class="seg swatch-${phase}" x="0.5" y="0.5" width="13" height="13" rx="2"/></svg>`;
}

function segmentRect(segment: WaterfallSegment, className: string): string {
  return `<rect class="${className}" x="${n(segment.x)}%" y="4" width="${n(Math.max(segment.width, 0.15))}%" height="14" rx="1.5"><title>${escapeHtml(segment.tooltip)}</title></rect>`;
}

function axisRow(model: WaterfallModel): string {
  const ticks = model.axis.ticks.map((tick) => `<text x="${n(tick.x)}%" y="12" text-anchor="${anchorAt(tick.x)}">${escapeHtml(tick.label)}</text>`).join('');
  return `<div class="grid-row axis-row"><div class="histogram-caption">since pod creation</div><svg class="axis" height="16" aria-hidden="true">${ticks}</svg><div></div></div>`;
}

function gridlines(model: WaterfallModel, height: string): string {
  return model.axis.ticks.map((tick) => `<line class="gridline" x1="${n(tick.x)}%" x2="${n(tick.x)}%" y1="0" y2="${height}"/>`).join('');
}

function rowMarks(model: WaterfallModel): string {
  return (model.histogram?.marks ?? []).map((mark) => `<line class="row-mark" x1="${n(mark.x)}%" x2="${n(mark.x)}%" y1="0" y2="22"/>`).join('');
}

function podRow(model: WaterfallModel, row: WaterfallRow): string {
  const badge = row.stateLabel ? `<span class="badge"${row.stateMessage ? ` title="${escapeHtml(row.stateMessage)}"` : ''}>${escapeHtml(row.stateLabel)}</span>` : '';
  const meta = [row.node ?? 'no node', ...row.details].join(' · ');
  const bars = [...row.segments.map((segment) => segmentRect(segment, `seg seg-${segment.phase}`)), ...(row.pending ? [segmentRect(row.pending, 'pending')] : [])].join('');
  const label = `${row.pod}: ${row.reached ? `${model.milestone} after ${row.durationLabel}` : `${row.stateLabel ?? 'waiting'}`}`;
  return `<div class="grid-row pod-row${row.reached ? '' : ' stuck'}" data-pod="${escapeHtml(row.pod)}">
<div class="pod-label"><div class="pod-name" title="${escapeHtml(row.pod)}">${escapeHtml(row.pod)}</div><div class="pod-meta" title="${escapeHtml(meta)}">${badge}${escapeHtml(meta)}</div></div>
<svg class="bar" height="22" role="img" aria-label="${escapeHtml(label)}">${gridlines(model, '22')}${rowMarks(model)}${bars}</svg>
<div class="duration${row.reached ? '' : ' stuck'}">${escapeHtml(row.durationLabel)}</div>
</div>`;
}

function histogram(model: WaterfallModel): string {
  const data = model.histogram;
  if (!data) return '';
  const bins = data.bins
    .filter((bin) => bin.count > 0)
    .map((bin) => `<rect class="bin" x="${n(bin.x + 0.3)}%" y="${n(100 - bin.height)}%" width="${n(Math.max(bin.width - 0.6, 0.2))}%" height="${n(bin.height)}%" rx="1.5"><title>${escapeHtml(bin.tooltip)}</title></rect><text x="${n(bin.x + bin.width / 2)}%" y="${n(100 - bin.height)}%" dy="-3" text-anchor="middle">${bin.count}</text>`)
    .join('');
  const marks = data.marks.map((mark) => `<line class="mark" x1="${n(mark.x)}%" x2="${n(mark.x)}%" y1="0" y2="100%"/>`).join('');
  const labels = data.marks.map((mark, index) => `<text x="${n(mark.x)}%" y="${11 + index * 13}" text-anchor="${anchorAt(mark.x)}">${escapeHtml(mark.label)}</text>`).join('');
  return `<section class="chart distribution" aria-label="Distribution of the time to ${model.milestone}">
<h2>Time to ${model.milestone}<span class="sub">${escapeHtml(model.coverage)}</span></h2>
<div class="grid-row"><div class="histogram-caption">pods per ${escapeHtml(binWidthLabel(data.bins))}</div>
<svg class="histogram" height="118" role="img" aria-label="${escapeHtml(data.marks.map((mark) => mark.label).join(', '))}"><g class="marks">${labels}</g><svg y="34" height="84" width="100%" overflow="visible">${gridlines(model, '100%')}${bins}${marks}</svg></svg><div></div></div>
${axisRow(model)}
</section>`;
}

function binWidthLabel(bins: ReadonlyArray<{ fromMs: number; toMs: number }>): string {
  const first = bins[0];
  if (!first) return 'bin';
  const seconds = (first.toMs - first.fromMs) / 1000;
  return seconds >= 60 && seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}

function waterfall(model: WaterfallModel): string {
  if (model.rows.length === 0) return '';
  const stuck = model.rows.filter((row) => !row.reached);
  const reached = model.rows.filter((row) => row.reached);
  const groups = [
    stuck.length > 0 ? `<div class="group">Not ${model.milestone} (${stuck.length})</div>${stuck.map((row) => podRow(model, row)).join('\n')}` : '',
    reached.length > 0 ? `<div class="group">${model.milestone} (${reached.length}), slowest first</div>${reached.map((row) => podRow(model, row)).join('\n')}` : '',
  ];
  return `<section class="chart waterfall" aria-label="Startup of each pod">
<h2>Startup waterfall<span class="sub">one bar per pod, from its creation</span></h2>
${axisRow(model)}
${groups.join('\n')}
</section>`;
}

function header(model: WaterfallModel): string {
  const [kind, ...rest] = model.workload.split(' ');
  const stats = model.stats.map((stat) => `<li${stat.tooltip ? ` title="${escapeHtml(stat.tooltip)}"` : ''}><span class="label">${escapeHtml(stat.label)}</span><span class="value">${escapeHtml(stat.value)}</span></li>`).join('');
  return `<header><div><h1><span class="kind">${escapeHtml(kind)}</span> ${escapeHtml(rest.join(' '))}</h1><div class="headline">${escapeHtml(model.headline)}</div></div>
<button id="refresh" type="button" title="Read the cluster again">Refresh</button></header>
${stats ? `<ul class="stats">${stats}</ul>` : ''}`;
}

function clusterFacts(model: WaterfallModel): string {
  const facts = model.clusterFacts;
  if (!facts) return '';
  const items = facts.sentences.map((sentence) => `<li>${escapeHtml(sentence)}</li>`).join('');
  return `<section class="cluster-facts" aria-label="Nodes and images">
<h2>Nodes and images <span class="sub">from the nodes' image lists${facts.hint ? '' : ' and their kubelets'}</span></h2>
${items ? `<ul class="facts">${items}</ul>` : ''}${facts.hint ? `<p class="facts-hint">${escapeHtml(facts.hint)}</p>` : ''}
</section>`;
}

function legend(model: WaterfallModel): string {
  if (model.rows.length === 0) return '';
  const items = model.legend.map((item) => `<li title="${escapeHtml(item.description)}">${swatch(item.phase)}<span>${escapeHtml(item.label)}</span>${item.share ? `<span class="share">${item.share}</span>` : ''}</li>`).join('');
  return `<ul class="legend" aria-label="Phases">${items}</ul>`;
}

function problem(model: WaterfallModel): string {
  if (!model.problem) return '';
  const { message, detail, hint } = model.problem;
  return `<div class="problem" role="status"><p><strong>${escapeHtml(message)}</strong></p>${detail ? `<p class="detail">${escapeHtml(detail)}</p>` : ''}${hint ? `<p>${escapeHtml(hint)}</p>` : ''}</div>`;
}

/**
 * The page's script: the Refresh button, and the scroll position kept in the webview's state, which
 * outlives the page, so that a redraw with new figures (the panel sets new HTML) opens where the
 * user was reading.
 */
function script(nonce: string): string {
  return `<script nonce="${nonce}">
const vscode = acquireVsCodeApi();
const saved = vscode.getState();
if (saved && typeof saved.scrollY === 'number' && document.querySelector('.waterfall, .distribution')) window.scrollTo(0, saved.scrollY);
let scrollSaved = true;
window.addEventListener('scroll', () => {
  if (!scrollSaved) return;
  scrollSaved = false;
  requestAnimationFrame(() => {
    scrollSaved = true;
    vscode.setState({ ...(vscode.getState() || {}), scrollY: window.scrollY });
  });
}, { passive: true });
const button = document.getElementById('refresh');
button?.addEventListener('click', () => {
  button.disabled = true;
  button.textContent = 'Refreshing…';
  vscode.postMessage({ type: 'refresh' });
});
</script>`;
}

function page(options: PageOptions, body: string, style: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(options.nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(options.title)}</title>
<style nonce="${options.nonce}">${style}</style>
</head>
<body>
${body}
${script(options.nonce)}
</body>
</html>`;
}

export function renderWaterfallPage(model: WaterfallModel, options: PageOptions, style: string): string {
  const notes = model.notes.length > 0 ? `<ul class="notes">${model.notes.map((note) => `<li>${escapeHtml(note)}</li>`).join('')}</ul>` : '';
  return page(options, `${DEFINITIONS}${header(model)}${clusterFacts(model)}${problem(model)}${legend(model)}${histogram(model)}${waterfall(model)}${notes}`, style);
}

/** What the panel shows while the cluster is read. */
export function renderLoadingPage(workload: string, options: PageOptions, style: string): string {
  return page(options, `<header><div><h1>${escapeHtml(workload)}</h1><div class="headline">Startup waterfall</div></div><button id="refresh" type="button" disabled>Refresh</button></header><p class="loading">Reading the cluster…</p>`, style);
}
