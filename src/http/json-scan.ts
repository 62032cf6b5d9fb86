/**
 * The length in bytes of a JSON object's top-level string member `name`, read off the bytes
 * without parsing (a body that would be refused for it then costs no JavaScript string of its
 * size); null when there is none, or the body is not an object.
 */
export function topLevelStringLength(body: Buffer, name: string): number | null {
  const key = Buffer.from(JSON.stringify(name));
  let depth = 0;
  let i = 0;
  const skipSpace = () => {
    while (i < body.length && (body[i] === 0x20 || body[i] === 0x0a || body[i] === 0x0d || body[i] === 0x09)) i++;
  };
  /** From an opening quote at i, past its closing quote; answers the bytes in between. */
  const skipString = (): number => {
    const start = ++i;
    while (i < body.length && body[i] !== 0x22) i += body[i] === 0x5c ? 2 : 1;
    return i++ - start;
  };
  skipSpace();
  if (body[i] !== 0x7b) return null;
  while (i < body.length) {
    const c = body[i]!;
    if (c === 0x22) {
      const atKey = depth === 1 && body.subarray(i, i + key.length).equals(key);
      skipString();
      if (!atKey) continue;
      skipSpace();
      if (body[i] !== 0x3a) continue; // a string value equal to the name, not the key
      i++;
      skipSpace();
      if (body[i] === 0x22) return skipString();
      continue;
    }
    if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) depth--;
    i++;
  }
  return null;
}
