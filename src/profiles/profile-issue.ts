/** One problem found in a profile file, located so an editor can jump to it. */
export interface ProfileIssue {
  /** The file as the maintainer names it (relative to the working directory when inside it). */
  file: string;
  line: number;
  col: number;
  /** JSON pointer into the resolved profile ('' for the whole document). */
  pointer: string;
  message: string;
}

export function formatIssue(issue: ProfileIssue): string {
  return `${issue.file}:${issue.line}:${issue.col}  ${issue.pointer || '/'}  ${issue.message}`;
}

/** Same problem reported through several provinces (a national-file error) is listed once. */
export function dedupeIssues(issues: readonly ProfileIssue[]): ProfileIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = formatIssue(issue);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function compareIssues(a: ProfileIssue, b: ProfileIssue): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col;
}
