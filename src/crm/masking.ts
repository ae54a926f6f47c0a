/**
 * Masked forms of personal data, for copies that must not hold the real value (the audit log's
 * before/after): enough to recognise a value, not to use it.
 */

/** 13812345678 → 138****5678; +447700900123 → +44****0123. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 7) return '****';
  return `${phone.trim().startsWith('+') ? '+' : ''}${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

/** zhang.san@example.com → z***@example.com */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

/** 上海市浦东新区世纪大道100号 → 上海市*** (the first three characters; fewer for a short text). */
export function maskText(text: string): string {
  return `${[...text].slice(0, Math.min(3, Math.max(1, [...text].length - 1))).join('')}***`;
}

const MASKS: Readonly<Record<string, (v: string) => string>> = {
  phone: maskPhone,
  shippingPhone: maskPhone,
  email: maskEmail,
  address: maskText,
  shippingAddress: maskText,
  // The order's recipient; `name` is not masked: in audit payloads it names staff accounts and products.
  shippingName: maskText,
};

/** A copy of a plain object with its personal fields (phone, e-mail, address, recipient) masked; anything else as it is. */
export function maskPersonalFields(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskPersonalFields);
  if (typeof value !== 'object' || value === null || value instanceof Date) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, typeof v === 'string' && MASKS[k] ? MASKS[k](v) : maskPersonalFields(v)]),
  );
}
