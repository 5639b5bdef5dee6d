import { useTranslations } from 'next-intl';
import { COMPLAINT_KINDS, COMPLAINT_STATUSES } from '@/lib/complaints/input';
import { CHANNELS, PURPOSES, STATUSES } from '@/lib/consent';

const VALUES = {
  channel: CHANNELS,
  purpose: PURPOSES,
  status: STATUSES,
  complaintKind: COMPLAINT_KINDS,
  complaintStatus: COMPLAINT_STATUSES,
} as const;

/** The options of a channel, purpose, consent-state or complaint picker, in the user's language (server or client). */
export function EnumOptions({ kind }: { kind: keyof typeof VALUES }) {
  const t = useTranslations('enums');
  return (
    <>
      {VALUES[kind].map((value) => (
        <option key={value} value={value}>
          {t(`${kind}.${value}`)}
        </option>
      ))}
    </>
  );
}
