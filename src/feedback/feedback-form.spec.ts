import { checkFeedbackForm, IMAGE_MAX_BYTES, type FeedbackField } from '#src/feedback/feedback-form.js';
import { messagesFor } from '#src/portal/i18n/messages.js';
import type { PortalFormBody, UploadedFile } from '#src/portal/portal-form.js';
import { tinyJpeg, tinyPng } from '#test/fixtures/images.js';

const m = messagesFor('zh-CN');

// Anhui's fields, as AH-8 lists them.
const FIELDS: FeedbackField[] = [
  { id: 'institutionName', label: '机构名称', kind: 'text', required: true },
  { id: 'legacyAccount', label: '原招采平台账号', kind: 'text', required: true },
  { id: 'legacyAccountScreenshot', label: '原招采平台账号截图（含网址）', kind: 'image', required: true },
  { id: 'description', label: '问题描述', kind: 'textarea', required: true },
  { id: 'problemScreenshot', label: '问题截图', kind: 'image', required: true },
  { id: 'reporterName', label: '反馈人姓名', kind: 'text', required: true },
  { id: 'reporterContact', label: '反馈人联系方式', kind: 'contact', required: true },
];

const file = (data: Buffer, filename = 'shot.png', truncated = false): UploadedFile => ({ kind: 'file', filename, declaredType: 'image/png', data, truncated });

function complete(): PortalFormBody {
  return {
    institutionName: ' 合肥市第一人民医院 ',
    legacyAccount: 'hf001',
    legacyAccountScreenshot: file(tinyPng(), 'C:\\Users\\me\\账号.png'),
    description: '登录后提示账号不存在',
    problemScreenshot: file(tinyJpeg(), 'problem.jpg'),
    reporterName: '张三',
    reporterContact: '13800138000',
    unexpected: 'ignored',
  };
}

describe('checkFeedbackForm', () => {
  it('AH-8: accepts the seven fields, trims text, keeps screenshots with their sniffed type and a bare file name', () => {
    const result = checkFeedbackForm(FIELDS, complete(), m);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.answers.map((a) => [a.label, a.value])).toEqual([
      ['机构名称', '合肥市第一人民医院'],
      ['原招采平台账号', 'hf001'],
      ['问题描述', '登录后提示账号不存在'],
      ['反馈人姓名', '张三'],
      ['反馈人联系方式', '13800138000'],
    ]);
    expect(result.attachments.map((a) => [a.fieldId, a.mediaType, a.fileName])).toEqual([
      ['legacyAccountScreenshot', 'image/png', '账号.png'],
      ['problemScreenshot', 'image/jpeg', 'problem.jpg'],
    ]);
  });

  it('AH-8: names every missing required field in Chinese and keeps what was typed', () => {
    const result = checkFeedbackForm(FIELDS, { institutionName: '合肥市第一人民医院' }, m);
    expect(result).toMatchObject({
      ok: false,
      values: { institutionName: '合肥市第一人民医院', legacyAccount: '' },
      errors: { legacyAccount: '请填写原招采平台账号', legacyAccountScreenshot: '请上传原招采平台账号截图（含网址）', problemScreenshot: '请上传问题截图', reporterContact: '请填写反馈人联系方式' },
    });
  });

  it('refuses a screenshot that is not PNG or JPEG by content, whatever its name says', () => {
    const body = { ...complete(), problemScreenshot: file(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'fake.png') };
    expect(checkFeedbackForm(FIELDS, body, m)).toMatchObject({ ok: false, errors: { problemScreenshot: '问题截图只能是 PNG 或 JPEG 图片' } });
  });

  it('refuses an oversized screenshot and a second file in one image field', () => {
    const oversized = { ...complete(), problemScreenshot: file(tinyPng(), 'big.png', true) };
    expect(checkFeedbackForm(FIELDS, oversized, m)).toMatchObject({ ok: false, errors: { problemScreenshot: `问题截图不能超过 ${IMAGE_MAX_BYTES / 1024 / 1024} MB` } });
    const two = { ...complete(), problemScreenshot: [file(tinyPng()), file(tinyPng())] };
    expect(checkFeedbackForm(FIELDS, two, m)).toMatchObject({ ok: false, errors: { problemScreenshot: '问题截图只能上传一张图片' } });
  });

  it('refuses text over its length and a file sent in place of text', () => {
    const body = { ...complete(), reporterName: '张'.repeat(201), institutionName: file(tinyPng()) };
    expect(checkFeedbackForm(FIELDS, body, m)).toMatchObject({ ok: false, errors: { reporterName: '反馈人姓名不能超过 200 个字', institutionName: '请填写机构名称' } });
  });
});
