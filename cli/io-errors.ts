/** File-system errors in the words a CLI user expects ("no such file or directory"), not Node's. */
const DESCRIPTIONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a folder',
  ENOTDIR: 'a part of the path is not a folder',
  ELOOP: 'too many levels of symbolic links',
  EMFILE: 'too many open files',
  ERR_FS_FILE_TOO_LARGE: 'file too large to read',
  ERR_STRING_TOO_LONG: 'file too large to read',
};

export function describeIoError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code && DESCRIPTIONS[code]) return DESCRIPTIONS[code];
  return error instanceof Error ? error.message : String(error);
}
