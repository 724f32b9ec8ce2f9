/**
 * `province new`: the YAML of a new province file that validates at once. Without --from it is
 * the smallest overlay on the national base; with --from it copies another province's rules but
 * not its identity, provenance or rule ids, which belong to that other province's manual.
 */
import { isMap, isSeq, parseDocument, type Document } from 'yaml';

export interface ScaffoldOptions {
  id: string;
  code: string;
  name: string;
  /** The source province's file text, when copying its rules. */
  fromText?: string;
  fromId?: string;
}

export const TODO = '待补充';

export interface Scaffold {
  text: string;
  /** What the maintainer must fill in or review, in Chinese. */
  checklist: string[];
}

export function scaffoldProvince(options: ScaffoldOptions): Scaffold {
  const shortName = options.name.replace(/(省|市|自治区|特别行政区|壮族自治区|回族自治区|维吾尔自治区)$/, '');
  const prefix = options.id.replace(/[^a-z]/g, '').slice(0, 2).toUpperCase() || 'XX';
  const doc: Document = options.fromText ? parseDocument(options.fromText) : parseDocument('{}');
  const checklist: string[] = [];

  if (options.fromText) {
    doc.commentBefore = null;
    stripSources(doc.contents);
    for (const key of ['hosts', 'notices']) doc.delete(key);
    const copied = isMap(doc.contents) ? doc.contents.items.map((pair) => String((pair.key as { value?: unknown }).value)) : [];
    const rules = copied.filter((k) => !['id', 'code', 'name', 'shortName', 'authority', 'documents', 'branding'].includes(k));
    checklist.push(`以下规则复制自 ${options.fromId ?? '来源省份'}，请逐项按本省手册核对，并补上 source 规则编号：${rules.join('、')}`);
  }
  doc.set('id', options.id);
  doc.set('code', options.code);
  doc.set('name', options.name);
  doc.set('shortName', shortName);
  doc.set('authority', `${options.name}医疗保障局`);
  doc.set('documents', [{ id: `${options.id}-manual`, title: `${TODO}：${options.name}操作手册标题`, publisher: `${TODO}：发布单位`, rulePrefix: prefix }]);
  doc.setIn(['branding', 'portalTitle'], `${options.name}医疗保障局网上服务大厅`);
  doc.setIn(['branding', 'logoText'], `${shortName}医保`);
  if (!doc.hasIn(['urls', 'hall'])) doc.setIn(['urls', 'hall'], { title: `${options.name}医疗保障局网上服务大厅`, url: 'https://example.invalid/' });
  else doc.setIn(['urls', 'hall', 'url'], 'https://example.invalid/');
  doc.setIn(['sms', 'signName'], `${shortName}医保`);

  checklist.unshift(
    `documents：本省操作手册的标题、版本、日期、发布单位；规则编号前缀暂定为 ${prefix}（与 RULES.md 一致）`,
    'urls.hall：本省网上服务大厅网址（当前为占位 https://example.invalid/）',
    'authority、branding：主管部门名称、门户标题、标志文字与颜色',
    'sms.signName：短信签名',
    'support：QQ 群、电话、邮箱；faq：常见问题',
  );
  const header = `# yaml-language-server: $schema=./profile.schema.json\n# ${options.name}：由 \`npm run province -- new\` 生成。${TODO}：\n${checklist.map((c) => `#  - ${c}`).join('\n')}\n`;
  return { text: header + doc.toString({ lineWidth: 0 }), checklist };
}

function stripSources(node: unknown): void {
  if (isMap(node)) {
    node.items = node.items.filter((pair) => (pair.key as { value?: unknown } | null)?.value !== 'source');
    for (const pair of node.items) stripSources(pair.value);
  } else if (isSeq(node)) {
    for (const item of node.items) stripSources(item);
  }
}
