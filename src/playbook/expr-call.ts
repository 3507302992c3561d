import { ExprEvalError } from './expr-errors.js';

/** A filter or test: the value left of `|`/`is`, then its arguments. */
export type Callable = (input: unknown, call: BoundArgs) => unknown;

/** Arguments of one call, read by position or by Python keyword name. */
export class BoundArgs {
  constructor(
    private readonly fn: string,
    private readonly args: readonly unknown[],
    private readonly kwargs: ReadonlyMap<string, unknown>,
  ) {}

  /** The argument at `index` or named `name`, else `fallback`. */
  get(index: number, name: string, fallback: unknown): unknown {
    if (index < this.args.length) {
      if (this.kwargs.has(name)) throw new ExprEvalError(`${this.fn}() got multiple values for argument '${name}'`);
      return this.args[index];
    }
    return this.kwargs.has(name) ? this.kwargs.get(name) : fallback;
  }

  /** Refuses arguments the callable does not take, so a typo is not ignored. */
  accept(names: readonly string[]): this {
    if (this.args.length > names.length) {
      throw new ExprEvalError(`${this.fn}() takes at most ${names.length} argument${names.length === 1 ? '' : 's'} (${this.args.length} given)`);
    }
    for (const k of this.kwargs.keys()) {
      if (!names.includes(k)) throw new ExprEvalError(`${this.fn}() got an unexpected keyword argument '${k}'`);
    }
    return this;
  }
}
