/** The disclosures of one request, collected field by field and written as one batch (one INSERT). */
import type { DisclosedField, RecipientKind } from './disclosure.entity';

/** Who received the data, as the log names it. */
export interface RecipientRef {
  readonly kind: RecipientKind;
  readonly label: string;
  readonly partnerId: string | null;
  readonly contractId: string | null;
  readonly lawfulRequestId: string | null;
  readonly tokenId: string | null;
  readonly actor: string;
  readonly purpose: string;
  readonly legalBasis: string;
}

export interface PendingDisclosure {
  readonly recipient: RecipientRef;
  readonly subjectId: string;
  readonly fields: DisclosedField[];
}

export class DisclosureBatch {
  // One entry per recipient and subject: a page of 100 clients is 100 entries, not 100 × fields.
  private readonly entries = new Map<RecipientRef, Map<string, PendingDisclosure>>();

  add(recipient: RecipientRef, subjectId: string, field: DisclosedField): void {
    this.open(recipient, subjectId).fields.push(field);
  }

  /** The entry of this recipient and subject, created without fields if there is none yet. */
  open(recipient: RecipientRef, subjectId: string): PendingDisclosure {
    let bySubject = this.entries.get(recipient);
    if (!bySubject) this.entries.set(recipient, (bySubject = new Map()));
    let entry = bySubject.get(subjectId);
    if (!entry) bySubject.set(subjectId, (entry = { recipient, subjectId, fields: [] }));
    return entry;
  }

  /** Everything collected so far, in collection order; the batch is empty afterwards. */
  take(): PendingDisclosure[] {
    const all = [...this.entries.values()].flatMap((bySubject) => [...bySubject.values()]);
    this.entries.clear();
    return all;
  }
}
