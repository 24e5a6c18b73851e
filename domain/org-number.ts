/** Luhn (mod 10) check over a string of digits whose last digit is the check digit. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * A Swedish organisation or personal number: 10 digits (optionally with the century, 12
 * digits) with a `-` or `+` before the last four, Luhn check digit. Normalised `NNNNNN-NNNN`,
 * or null when invalid. Used by the app (as the user types), the CLI and the server.
 */
export function normaliseOrgNumber(input: string): string | null {
  const match = /^(?:(?:16|18|19|20)?)(\d{6})[-+]?(\d{4})$/.exec(input.replace(/\s+/g, ''));
  if (!match) return null;
  const digits = `${match[1]}${match[2]}`;
  return luhnValid(digits) ? `${match[1]}-${match[2]}` : null;
}
