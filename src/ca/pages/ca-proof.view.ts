/**
 * The fields every CA form shares (login tab, CA账号登录, 账号管理 CA绑定): the challenge to sign,
 * the certificate and the signature pasted, since the real signer is the vendor's browser plug-in.
 * Rendered by templates/partials/ca-proof.hbs.
 */
import { formatMessage, type Messages } from '#src/portal/i18n/messages.js';

export interface IssuedChallenge {
  challengeId: string;
  challenge: string;
  expiresInSeconds: number;
}

export interface CaProofView {
  challengeId: string;
  challenge: string;
  hint: string;
  devHint: string;
  certificate: { id: string; value: string; error?: string | undefined };
  signature: { id: string; error?: string | undefined };
}

export function caProofView(issued: IssuedChallenge, state: { values?: Readonly<Record<string, string>>; errors?: Readonly<Record<string, string>> }, m: Messages, prefix = 'ca'): CaProofView {
  const errors = state.errors ?? {};
  return {
    challengeId: issued.challengeId,
    challenge: issued.challenge,
    hint: formatMessage(m['ca.proof.challengeHint'], { seconds: issued.expiresInSeconds }),
    devHint: m['ca.proof.devHint'],
    // A signature is for one challenge only: it never comes back; the certificate does.
    certificate: { id: `${prefix}-certificate`, value: state.values?.certificate ?? '', error: errors.certificate },
    signature: { id: `${prefix}-signature`, error: errors.signature ?? errors.challengeId },
  };
}

/** The fields a CA form posts, as the API reads them. */
export function proofFields(read: (name: string) => string): { challengeId: string; certificate: string; signature: string } {
  return { challengeId: read('challengeId'), certificate: read('certificate'), signature: read('signature') };
}
