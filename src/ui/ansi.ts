/**
 * Colour for the plain renderer, without a dependency: four tones are all it
 * uses. The caller decides whether colour is on (NO_COLOR, TTY); ink output
 * colours through <Text> instead.
 */
export type Tone = 'ok' | 'bad' | 'warn' | 'dim' | 'bold';

const CODES: Record<Tone, [number, number]> = {
  ok: [32, 39],
  bad: [31, 39],
  warn: [33, 39],
  dim: [2, 22],
  bold: [1, 22],
};

export type Paint = (tone: Tone, text: string) => string;

export function painter(color: boolean): Paint {
  if (!color) return (_tone, text) => text;
  return (tone, text) => `\u001b[${CODES[tone][0]}m${text}\u001b[${CODES[tone][1]}m`;
}
