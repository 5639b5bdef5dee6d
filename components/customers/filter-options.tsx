// The options of the source and import pickers, for server forms and client editors alike.
export function SourceOptions({ sources, any }: { sources: string[]; any: string }) {
  return (
    <>
      <option value="">{any}</option>
      {sources.map((s) => (
        <option key={s} value={s}>
          {s}
        </option>
      ))}
    </>
  );
}

export function BatchOptions({ batches, any }: { batches: Array<{ id: number; fileName: string }>; any: string }) {
  return (
    <>
      <option value="">{any}</option>
      {batches.map((b) => (
        <option key={b.id} value={b.id}>
          #{b.id} {b.fileName}
        </option>
      ))}
    </>
  );
}
