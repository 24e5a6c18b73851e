/**
 * Fills `{name}` placeholders in a dictionary text (the report's dictionary uses no other
 * message syntax). A placeholder without a value is left as it is, so a missing value shows
 * up in review instead of vanishing.
 */
export function fillTemplate(
  template: string,
  values: Readonly<Record<string, string | number>>,
): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? String(values[name]) : whole,
  );
}
