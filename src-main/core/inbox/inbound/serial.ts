// Runs tasks one after another. Ingest applies webhook payloads and poller pages through one queue,
// so "is this mid new?" and the insert that follows are never interleaved with another delivery.

export function createSerialQueue() {
  let tail: Promise<unknown> = Promise.resolve()
  return {
    run<T>(task: () => Promise<T>): Promise<T> {
      const result = tail.then(task)
      tail = result.catch(() => undefined)
      return result
    },
  }
}
