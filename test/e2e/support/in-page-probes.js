// Runs inside the workbench page before VS Code loads (Workbench.open adds it as an init script), so
// that what the tests read from the DOM is read by one piece of code, in the page, in one go:
//  - every notification and dialog the workbench shows is recorded the moment it appears, so a toast
//    that hides itself before a test looks is still caught (window.__podstartE2e.notifications);
//  - the squiggles of an editor are read as a user sees them: the line they are on and the characters
//    they underline (window.__podstartE2e.squiggles(editorElement)).
// Plain JavaScript on purpose: it is sent to the browser as it is, without the test's TypeScript
// transform, whose helpers do not exist in the page.
(() => {
  if (window.top !== window) return; // webviews and other frames have their own documents
  if (window.__podstartE2e) return;

  const notifications = [];
  const seen = new Set();

  function severityOf(element) {
    const icon = element ? element.className : '';
    const match = /codicon-(?:dialog-)?(error|warning|info)\b/.exec(icon);
    return match ? match[1] : 'unknown';
  }

  function record(entry) {
    const key = `${entry.kind}|${entry.severity}|${entry.message}`;
    if (entry.message === '' || seen.has(key)) return;
    seen.add(key);
    notifications.push({ ...entry, at: new Date().toISOString() });
  }

  function scan() {
    // Toasts and the notification center render the same list item.
    for (const item of document.querySelectorAll('.notification-list-item')) {
      const row = item.closest('.monaco-list-row');
      const label = (row && row.getAttribute('aria-label')) || '';
      const source = /, source: (.*?), notification/.exec(label);
      record({
        kind: 'notification',
        severity: severityOf(item.querySelector('.notification-list-item-icon')),
        message: ((item.querySelector('.notification-list-item-message') || {}).textContent || '').trim(),
        source: source ? source[1] : '',
      });
    }
    // Modal dialogs (window.showErrorMessage(..., { modal: true }) and the workbench's own).
    for (const box of document.querySelectorAll('.monaco-dialog-box')) {
      record({
        kind: 'dialog',
        severity: severityOf(box.querySelector('.dialog-icon')),
        message: ((box.querySelector('.dialog-message-container') || {}).textContent || '').trim(),
        source: '',
      });
    }
  }

  function startWatching() {
    new MutationObserver(scan).observe(document.documentElement, { childList: true, subtree: true, characterData: true });
    scan();
  }

  /**
   * The squiggles an editor shows on its rendered lines: { line, severity, text }, where line is the
   * 1-based number in the gutter and text the characters the squiggle runs under (and, withCenters,
   * center: the middle of the squiggle on screen).
   */
  function squiggles(editor, withCenters) {
    const byTop = (selector) => {
      const map = new Map();
      for (const element of editor.querySelectorAll(selector)) map.set(element.style.top, element);
      return map;
    };
    const gutterRows = byTop('.margin-view-overlays > div');
    const textLines = byTop('.view-lines > .view-line');
    const found = [];
    for (const squiggle of editor.querySelectorAll('.view-overlays > div > [class*="squiggly-"]')) {
      const top = squiggle.parentElement.style.top;
      const gutter = gutterRows.get(top);
      const textLine = textLines.get(top);
      const number = gutter && gutter.querySelector('.line-numbers');
      if (!number || !textLine) continue;
      const severity = (/squiggly-(error|warning|info|hint)\b/.exec(squiggle.className) || [])[1] || 'unknown';
      const box = squiggle.getBoundingClientRect();
      // A character is underlined when its middle lies under the squiggle.
      let text = '';
      const range = document.createRange();
      const walker = document.createTreeWalker(textLine, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (let index = 0; index < node.data.length; index++) {
          range.setStart(node, index);
          range.setEnd(node, index + 1);
          const character = range.getBoundingClientRect();
          const middle = character.left + character.width / 2;
          if (middle >= box.left && middle <= box.right) text += node.data[index];
        }
      }
      const squiggleFound = { line: Number(number.textContent), severity, text: text.replace(/\u00a0/g, ' ') };
      // Where a mouse must go to hover it (viewport coordinates), on request only.
      if (withCenters) squiggleFound.center = { x: box.left + box.width / 2, y: box.top + box.height / 2 };
      found.push(squiggleFound);
    }
    return found.sort((a, b) => a.line - b.line);
  }

  /**
   * Empties the record. What was seen stays seen: a toast still on screen, or the same message in the
   * notification center, is not recorded again (each message counts once, in the test that raised it).
   */
  function forget() {
    notifications.length = 0;
  }

  window.__podstartE2e = { notifications, forget, squiggles };
  if (document.documentElement) startWatching();
  else document.addEventListener('DOMContentLoaded', startWatching, { once: true });
})();
