/**
 * What the CLI says about itself: its name and version (from package.json, bundled at build time)
 * and where its documentation lives, for `--version` and SARIF's tool.driver.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { version } from '../package.json';

export const TOOL_NAME = 'podstart';
export const TOOL_VERSION: string = version;

/**
 * The package's own folder: the bundle runs from dist/, the sources from cli/, both one level down.
 * The docs ship in the package, so links to them work offline and name the version that ran.
 */
const PACKAGE_ROOT = path.resolve(__dirname, '..');

/** SARIF requires absolute URIs for informationUri and helpUri: the installed README and rule pages. */
export const INFORMATION_URI = pathToFileURL(path.join(PACKAGE_ROOT, 'README.md')).href;

/** The page of a rule, docs/rules/<id>.md, in the installed package. */
export function ruleHelpUri(ruleId: string): string {
  return pathToFileURL(path.join(PACKAGE_ROOT, 'docs', 'rules', `${ruleId}.md`)).href;
}
