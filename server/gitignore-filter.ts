/**
 * `.gitignore` rules as git applies them, for the workspace scan (server/workspace-scan.ts): each
 * `.gitignore` from the workspace folder down to a file's folder is read (once, cached) and
 * matched against the path relative to its own folder, a deeper file deciding last, so a `!`
 * pattern in a subfolder re-includes what its parent excluded. The matching itself is the `ignore`
 * package's (the one ESLint and Prettier use), not a re-implementation. `.git/info/exclude` and the
 * user's global excludes are not read: they are one person's, not the repository's.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';

export class GitignoreFilter {
  /** Per folder: its parsed `.gitignore` (undefined when it has none). */
  private readonly byFolder = new Map<string, Promise<Ignore | undefined>>();

  /** Whether a file below `root` (a workspace folder) is ignored by the `.gitignore` files between them. */
  async ignores(root: string, filePath: string): Promise<boolean> {
    const relative = path.relative(root, filePath);
    if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return false;
    const parts = relative.split(path.sep);
    let ignored = false;
    for (let depth = 0; depth < parts.length; depth++) {
      const folder = path.join(root, ...parts.slice(0, depth));
      const rules = await this.rulesOf(folder);
      if (!rules) continue;
      // `ignore` judges each parent folder of the path too: an ignored folder hides what is in it.
      const result = rules.test(parts.slice(depth).join('/'));
      if (result.ignored) ignored = true;
      else if (result.unignored) ignored = false;
    }
    return ignored;
  }

  /** A `.gitignore` was created, changed or deleted: read them all again when next asked. */
  clear(): void {
    this.byFolder.clear();
  }

  private rulesOf(folder: string): Promise<Ignore | undefined> {
    let rules = this.byFolder.get(folder);
    if (!rules) {
      rules = readFile(path.join(folder, '.gitignore'), 'utf8').then(
        (text) => ignore().add(text),
        () => undefined,
      );
      this.byFolder.set(folder, rules);
    }
    return rules;
  }
}
