/**
 * Pre-signed URLs for the custom-list file, in the shape of S3's SigV4 query signing:
 * `https://<bucket host>/<key>?X-Amz-Algorithm=…&X-Amz-Date=…&X-Amz-Expires=…&X-Amz-SignedHeaders=host&X-Amz-Signature=…`.
 * The signature is an HMAC of method, host, key, date and expiry with a per-emulator secret, so a
 * URL that was tampered with, or used after it expired, is refused the way S3 refuses it.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface Presigner {
  sign(host: string, key: string, now: number, expiresSeconds: number): string;
  /** `undefined` when the URL is good, else S3's error code and message. */
  verify(url: URL, now: number): { code: string; message: string } | undefined;
}

export function createPresigner(): Presigner {
  const secret = randomBytes(32);
  const mac = (host: string, key: string, date: string, expires: string) =>
    createHmac('sha256', secret).update(['PUT', host, key, date, expires].join('\n')).digest('hex');
  return {
    sign(host, key, now, expiresSeconds) {
      const date = amzDate(now);
      const query = new URLSearchParams({
        'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
        'X-Amz-Credential': `AKIAEMULATOR/${date.slice(0, 8)}/us-east-1/s3/aws4_request`,
        'X-Amz-Date': date,
        'X-Amz-Expires': String(expiresSeconds),
        'X-Amz-SignedHeaders': 'host',
      });
      query.set('X-Amz-Signature', mac(host, key, date, String(expiresSeconds)));
      return `https://${host}/${key}?${query.toString()}`;
    },
    verify(url, now) {
      const date = url.searchParams.get('X-Amz-Date') ?? '';
      const expires = url.searchParams.get('X-Amz-Expires') ?? '';
      const given = Buffer.from(url.searchParams.get('X-Amz-Signature') ?? '', 'hex');
      const expected = Buffer.from(mac(url.hostname, url.pathname.slice(1), date, expires), 'hex');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        return {
          code: 'SignatureDoesNotMatch',
          message: 'The request signature we calculated does not match the signature you provided.',
        };
      }
      const signedAt = parseAmzDate(date);
      if (signedAt === undefined || now > signedAt + Number(expires) * 1000) {
        return { code: 'AccessDenied', message: 'Request has expired' };
      }
      return undefined;
    },
  };
}

function amzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function parseAmzDate(text: string): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

export function s3Error(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
}
