import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { ProfileIssue } from '#src/profiles/profile-issue.js';
import type { PathSegment } from '#src/profiles/json-pointer.js';

/** A parsed profile file that can still answer "where in the file is this value?". */
export interface ProfileSource {
  file: string;
  data: Record<string, unknown>;
  locate(path: readonly PathSegment[], at?: 'key' | 'value'): { line: number; col: number };
}

const YAML_ERROR_MESSAGES: Record<string, string> = {
  DUPLICATE_KEY: '重复的键',
  BAD_INDENT: '缩进错误',
  MISSING_CHAR: '缺少字符',
  MULTILINE_IMPLICIT_KEY: '隐式键不能跨行',
  BLOCK_AS_IMPLICIT_KEY: '块结构不能作为隐式键',
  TAB_AS_INDENT: '不能用制表符缩进',
  UNEXPECTED_TOKEN: '意外的符号',
  BAD_SCALAR_START: '值的开头无效',
};

export function parseProfileSource(file: string, text: string): { source?: ProfileSource; issues: ProfileIssue[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true });
  const position = (offset: number) => lineCounter.linePos(offset);

  if (doc.errors.length > 0) {
    const issues = doc.errors.map((error) => {
      const { line, col } = position(error.pos[0]);
      const detail = error.message.split('\n')[0] ?? '';
      const label = YAML_ERROR_MESSAGES[error.code] ?? 'YAML 语法错误';
      return { file, line, col, pointer: '', message: `${label}（${detail}）` };
    });
    return { issues };
  }

  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { issues: [{ file, line: 1, col: 1, pointer: '', message: '配置文件的顶层必须是键值映射' }] };
  }

  return {
    source: {
      file,
      data: data as Record<string, unknown>,
      locate: (path, at = 'value') => position(offsetOf(doc, path, at)),
    },
    issues: [],
  };
}

/** Offset of the deepest node along `path` that exists in the document. */
function offsetOf(doc: Document.Parsed, path: readonly PathSegment[], at: 'key' | 'value'): number {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (const [index, segment] of path.entries()) {
    const last = index === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) return offset;
      if (last && at === 'key') return rangeStart(pair.key) ?? offset;
      node = pair.value;
      offset = rangeStart(node) ?? rangeStart(pair.key) ?? offset;
    } else if (isSeq(node)) {
      const item: unknown = node.items[Number(segment)];
      if (item === undefined) return offset;
      node = item;
      offset = rangeStart(node) ?? offset;
    } else {
      return offset;
    }
  }
  return offset;
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null)?.range?.[0];
}
