import { userError } from '#src/identity/pages/page-support.js';

export interface ReviewPageState {
  notice?: string;
  alert?: string;
}

/**
 * A review queue's 通过 / 驳回 as a page (HN-8 CA bindings, HN-10 distributors): the decision, then
 * the queue again saying what happened — or, refused (4xx), why (a missing reason first); anything
 * else is the error page's.
 */
export async function decideOnPage<T>(run: () => Promise<T>, notice: (decided: T) => string, render: (status: number, state: ReviewPageState) => Promise<void>): Promise<void> {
  let decided: T;
  try {
    decided = await run();
  } catch (error) {
    const refused = userError(error);
    if (!refused) throw error;
    await render(refused.status, { alert: refused.fields?.reason ?? refused.message });
    return;
  }
  await render(200, { notice: notice(decided) });
}
