/** Status Type values of the OAuth Token Status List draft (its §7), and how nestoken reads each. */
export const STATUS = Object.freeze({ VALID: 0x00, INVALID: 0x01, SUSPENDED: 0x02 });

export type StatusName = 'VALID' | 'INVALID' | 'SUSPENDED' | 'APPLICATION' | 'RESERVED';

/** 0x03 and 0x0C-0x0F are application-specific; every other value above 2 is reserved. */
export function statusName(value: number): StatusName {
  if (value === STATUS.VALID) return 'VALID';
  if (value === STATUS.INVALID) return 'INVALID';
  if (value === STATUS.SUSPENDED) return 'SUSPENDED';
  if (value === 0x03 || (value >= 0x0c && value <= 0x0f)) return 'APPLICATION';
  return 'RESERVED';
}
