/** Converting between the editor's document URIs and file-system paths. */
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The path of a file:// URI; undefined for untitled documents and other schemes. */
export function fileSystemPathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export function fileUriOf(filePath: string): string {
  return pathToFileURL(filePath).href;
}

/** The last path segment of a URI, decoded: template detection looks at the file name. */
export function fileNameOf(uri: string): string {
  const withoutQuery = uri.replace(/[?#].*$/, '');
  const segment = withoutQuery.slice(withoutQuery.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
