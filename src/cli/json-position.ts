// Where JSON text stops being valid. JSON.parse's messages only sometimes carry a position (and
// their wording changes between Node versions), so a malformed input line is re-scanned here to
// point at the exact character. Iterative, so deeply nested input cannot overflow the stack.

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

/** 0-based offset of the first character that makes `text` invalid JSON, or -1 when it is valid. */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const skip = (): void => {
    while (i < text.length && WS.has(text.charCodeAt(i))) i++;
  };
  const match = (re: RegExp): boolean => {
    re.lastIndex = i;
    if (!re.test(text)) return false;
    i = re.lastIndex;
    return true;
  };
  // Containers still open: '{' or '['.
  const stack: string[] = [];
  for (;;) {
    // Expect a value.
    skip();
    const c = text[i];
    if (c === '{' || c === '[') {
      stack.push(c);
      i++;
      skip();
      if (text[i] === (c === '{' ? '}' : ']')) {
        stack.pop();
        i++;
      } else if (c === '{') {
        if (!match(STRING)) return i;
        skip();
        if (text[i] !== ':') return i;
        i++;
        continue;
      } else continue;
    } else if (c === '"') {
      if (!match(STRING)) return stringErrorOffset(text, i);
    } else if (text.startsWith('true', i)) i += 4;
    else if (text.startsWith('false', i)) i += 5;
    else if (text.startsWith('null', i)) i += 4;
    else if (!match(NUMBER)) return i;
    // After a value: close containers or move to the next element.
    for (;;) {
      skip();
      const top = stack[stack.length - 1];
      if (top === undefined) return i < text.length ? i : -1;
      const ch = text[i];
      if (ch === ',') {
        i++;
        if (top === '{') {
          skip();
          if (!match(STRING)) return i;
          skip();
          if (text[i] !== ':') return i;
          i++;
        }
        break;
      }
      if ((top === '{' && ch === '}') || (top === '[' && ch === ']')) {
        stack.pop();
        i++;
        continue;
      }
      return i;
    }
  }
}

function stringErrorOffset(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i;
    if (c < 0x20) return i;
    if (c === 0x5c) {
      const e = text[i + 1];
      if (e === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return i;
        i += 5;
      } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i++;
      else return i;
    }
  }
  return text.length;
}
