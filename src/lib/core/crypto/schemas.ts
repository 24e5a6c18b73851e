/**
 * zod building blocks for wire values (b64u strings of a known byte length, ids, versions).
 */
import { z } from 'zod';
import { b64uDecodeOrNull, b64uLength } from './encoding.ts';

const B64U_CHARS = /^[A-Za-z0-9_-]*$/;

/** A canonical unpadded base64url string decoding to `min..max` bytes. */
export const b64uBytesSchema = (min: number, max: number = min) =>
  z
    .string()
    .min(b64uLength(min))
    .max(b64uLength(max))
    .regex(B64U_CHARS, 'not base64url')
    .refine((s) => {
      const bytes = b64uDecodeOrNull(s);
      return bytes !== null && bytes.length >= min && bytes.length <= max;
    }, 'not canonical base64url of the expected length');

/**
 * Ids of users, organisations, links and finance entities. Protocol v1 uses UUID v4 strings
 * (finance ids may differ); the crypto core only requires a token that cannot be confused
 * with the AAD separators `|`, `/` and `:`.
 */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const idSchema = z.string().regex(ID_PATTERN, 'invalid id');

/** Organisation key versions start at 1 and grow by one per rotation. */
export const keyVersionSchema = z
  .number()
  .int()
  .min(1)
  .max(2 ** 31 - 1);
