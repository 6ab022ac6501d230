/**
 * The one way a business record and its workflow are born together: write the record, start the
 * workflow, and if the start fails remove the record again, so no row is left without a process
 * (a retry of the request starts clean). The record comes first so the workflow's first activity
 * always finds it.
 */
export async function recordThenStart<T>(steps: {
  /** Writes the record (a store function); its result is returned. */
  record: () => Promise<T>;
  /** Starts the workflow (Temporal client `start` or `signalWithStart`). */
  start: (record: T) => Promise<unknown>;
  /** Removes the record written by `record` (a store function). */
  undo: (record: T) => Promise<unknown>;
}): Promise<T> {
  const record = await steps.record();
  try {
    await steps.start(record);
  } catch (error) {
    await steps.undo(record);
    throw error;
  }
  return record;
}
