import { compareProgress, isStaleDelivery, progressOfTask } from '../../src/vendors/call-progress';

describe('call progress: which delivery of a call is newer', () => {
  it('orders missed < voicemail < answered, then by duration', () => {
    const missed10 = { outcome: 'missed', durationSeconds: 10 } as const;
    const voicemail30 = { outcome: 'voicemail', durationSeconds: 30 } as const;
    const answered5 = { outcome: 'answered', durationSeconds: 5 } as const;
    const answered99 = { outcome: 'answered', durationSeconds: 99 } as const;
    expect(compareProgress(missed10, voicemail30)).toBeLessThan(0);
    expect(compareProgress(voicemail30, answered5)).toBeLessThan(0);
    expect(compareProgress(answered5, answered99)).toBeLessThan(0);
    expect(isStaleDelivery(missed10, answered99)).toBe(true);
    expect(isStaleDelivery(answered99, answered99)).toBe(false);
    expect(isStaleDelivery(answered99, missed10)).toBe(false);
  });

  it('a Task a person edited (unknown disposition) makes nothing stale', () => {
    expect(progressOfTask({ CallDisposition: 'Left message', CallDurationInSeconds: 40 })).toBeNull();
    expect(isStaleDelivery({ outcome: 'missed', durationSeconds: 0 }, null)).toBe(false);
    expect(progressOfTask({ CallDisposition: 'answered', CallDurationInSeconds: 40 })).toEqual({
      outcome: 'answered',
      durationSeconds: 40,
    });
  });
});
