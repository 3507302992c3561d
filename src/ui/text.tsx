import { createContext, useContext, type ReactNode } from 'react';
import { Text as InkText, type TextProps } from 'ink';

/**
 * Whether the live UI may style its text. ink colours through chalk, whose
 * colour detection ignores NO_COLOR (https://no-color.org), so the CLI's own
 * decision (cli/io.ts useColor: NO_COLOR, FORCE_COLOR, TTY) is passed down
 * here instead: components write `<Text color=...>` as usual and this Text
 * drops every style when colour is off, as the plain renderer does.
 */
const ColorContext = createContext(true);

export function ColorProvider({ color, children }: { color: boolean; children: ReactNode }) {
  return <ColorContext.Provider value={color}>{children}</ColorContext.Provider>;
}

/** Style props that become escape codes. */
const STYLES = ['color', 'backgroundColor', 'dimColor', 'bold', 'italic', 'underline', 'strikethrough', 'inverse'] as const;

export function Text(props: TextProps) {
  const color = useContext(ColorContext);
  if (color) return <InkText {...props} />;
  const bare: TextProps = { ...props };
  for (const k of STYLES) delete bare[k];
  return <InkText {...bare} />;
}
