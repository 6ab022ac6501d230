import { useState } from 'react';
import { ProgressBar } from 'react-aria-components';
import { ApiError, uploadWithProgress } from './api/client';
import { Button, ProblemAlert } from './ui';

/**
 * A file input that uploads through XHR with a progress bar; the API's error for `field` shows next
 * to the input, any other problem above the button. `onUploaded` runs after the server accepted it.
 */
export function MediaUpload({ id, path, field, label, accept, submit, onUploaded }: { id: string; path: string; field: string; label: string; accept: string; submit: string; onUploaded?: () => Promise<unknown> | void }) {
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [file, setFile] = useState<File | null>(null);
  const fieldError = error instanceof ApiError ? error.fields[field] : undefined;
  return (
    <form
      className="upload"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!file) return setError(new Error('Choose a file first.'));
        setError(null);
        setProgress(0);
        try {
          await uploadWithProgress(path, field, file, setProgress);
          setProgress(1);
          await onUploaded?.();
        } catch (err) {
          setError(err);
          setProgress(null);
        }
      }}
    >
      <label htmlFor={id}>{label}</label>
      <input id={id} type="file" name={field} accept={accept} aria-describedby={fieldError ? `${id}-error` : undefined} onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
      {fieldError ? <p className="field-error" id={`${id}-error`}>{fieldError}</p> : <ProblemAlert error={error} />}
      {progress !== null && (
        <ProgressBar value={progress * 100} className="progress" aria-label={`Upload: ${label}`}>
          {({ percentage }) => (
            <>
              <div className="progress-track">
                <div className="progress-fill" style={{ width: `${percentage}%` }} />
              </div>
              <span className="muted">{progress >= 1 ? 'Uploaded — processing' : `${Math.round(percentage ?? 0)}%`}</span>
            </>
          )}
        </ProgressBar>
      )}
      <Button type="submit" isDisabled={progress !== null && progress < 1}>
        {submit}
      </Button>
    </form>
  );
}
