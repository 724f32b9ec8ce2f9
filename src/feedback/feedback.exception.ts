import { exceptionFactory, type ErrorTable } from '#src/errors/app-exception.js';

export enum FeedbackErrorCode {
  FEEDBACK_DISABLED = 'FEEDBACK_DISABLED',
  FEEDBACK_RATE_LIMITED = 'FEEDBACK_RATE_LIMITED',
  FEEDBACK_NOT_FOUND = 'FEEDBACK_NOT_FOUND',
  FEEDBACK_ATTACHMENT_NOT_FOUND = 'FEEDBACK_ATTACHMENT_NOT_FOUND',
}

const TABLE: ErrorTable<FeedbackErrorCode> = {
  [FeedbackErrorCode.FEEDBACK_DISABLED]: { status: 404, message: '本省未开通在线问题反馈' },
  [FeedbackErrorCode.FEEDBACK_RATE_LIMITED]: { status: 429, message: '提交过于频繁，请稍后再试' },
  [FeedbackErrorCode.FEEDBACK_NOT_FOUND]: { status: 404, message: '未找到该反馈' },
  [FeedbackErrorCode.FEEDBACK_ATTACHMENT_NOT_FOUND]: { status: 404, message: '未找到该截图' },
};

export const feedbackException = exceptionFactory(TABLE);
