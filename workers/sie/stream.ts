/** Chunk sources for the engine: browser/Node ReadableStreams and in-memory bytes. */

/** Async-iterates a ReadableStream via its reader (Safari lacks `for await` on streams). */
export async function* readableChunks(
  stream: ReadableStream<Uint8Array>,
): AsyncGenerator<Uint8Array, void, undefined> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      if (value && value.length > 0) yield value;
    }
  } finally {
    // Runs on completion, error and early exit (abort / rejected file): release the file.
    await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

/** Splits bytes into views of `size` bytes (no copies). */
export async function* byteChunks(
  bytes: Uint8Array,
  size = 1 << 16,
): AsyncGenerator<Uint8Array, void, undefined> {
  const step = Math.max(1, Math.floor(size));
  for (let i = 0; i < bytes.length; i += step)
    yield bytes.subarray(i, Math.min(bytes.length, i + step));
}
