/** A fixed set of resources handed out one caller at a time, FIFO. */
export class Pool<T> {
  private readonly free: T[];
  private readonly waiters: ((r: T) => void)[] = [];
  constructor(items: T[]) {
    this.free = [...items];
  }
  /** Run `fn` with a resource, waiting for one to be free. */
  async use<R>(fn: (r: T) => Promise<R>): Promise<R> {
    const r = this.free.pop() ?? (await new Promise<T>((res) => this.waiters.push(res)));
    try {
      return await fn(r);
    } finally {
      const w = this.waiters.shift();
      if (w) w(r);
      else this.free.push(r);
    }
  }
}
