import { useCallback, useState, type ReactNode } from 'react';
import {
  Button as AriaButton,
  type ButtonProps,
  FieldError,
  Form,
  Input,
  Label,
  Link,
  RouterProvider,
  Radio,
  RadioGroup,
  Text,
  TextArea,
  TextField,
  type TextFieldProps,
} from 'react-aria-components';
import { useLocation } from 'wouter';
import { ApiError, formatDate } from './api/client';
import { Page as BasicPage, ProblemAlert } from './ui-basic';

export { Empty, Loading, ProblemAlert } from './ui-basic';
import { useWebConfig } from './auth';

export function Button({ variant = 'primary', ...props }: ButtonProps & { variant?: 'primary' | 'secondary' | 'danger' }) {
  return <AriaButton {...props} className={`btn btn-${variant}`} />;
}

interface FieldProps extends Omit<TextFieldProps, 'children'> {
  label: string;
  description?: string;
  multiline?: boolean;
  placeholder?: string;
}

/** A labelled text field whose error (client validation or the server's errors[] for its name) shows beneath it. */
export function Field({ label, description, multiline, placeholder, ...props }: FieldProps) {
  return (
    <TextField {...props} className="field">
      <Label>{label}</Label>
      {multiline ? <TextArea placeholder={placeholder} rows={3} /> : <Input placeholder={placeholder} />}
      {description && <Text slot="description">{description}</Text>}
      <FieldError className="field-error" />
    </TextField>
  );
}


/**
 * A form that submits through `action` and shows the API's errors next to the fields they name
 * (react-aria's validationErrors, keyed by the field's name = the problem's `field`).
 */
export function ApiForm({ action, fields, children, submit, className }: {
  action: (data: FormData) => Promise<unknown>;
  fields: string[];
  /** Or a function of the last error, for fields outside react-aria (a native select) to show theirs. */
  children: ReactNode | ((error: unknown) => ReactNode);
  submit: string;
  className?: string;
}) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Form
      className={className ?? 'form'}
      validationErrors={error instanceof ApiError ? error.fields : undefined}
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        try {
          await action(new FormData(e.currentTarget));
        } catch (err) {
          setError(err);
        } finally {
          setBusy(false);
        }
      }}
    >
      <ProblemAlert error={error} fields={fields} />
      {typeof children === 'function' ? children(error) : children}
      <Button type="submit" isDisabled={busy}>
        {busy ? 'Working…' : submit}
      </Button>
    </Form>
  );
}

/** The payment method: in sandbox mode, the sandbox's test cards; a real deployment takes a provider payment method id. */
export function CardField({ name = 'paymentMethod' }: { name?: string }) {
  const config = useWebConfig();
  const cards = config.data?.testCards ?? [];
  if (cards.length === 0) return <Field name={name} label="Payment method" description="A payment method id from the payment provider." isRequired />;
  return (
    <RadioGroup name={name} defaultValue={cards[0].paymentMethod} className="radio-group" isRequired>
      <Label>Card (sandbox test cards)</Label>
      {cards.map((c) => (
        <Radio key={c.paymentMethod} value={c.paymentMethod} className="radio">
          {c.label}
        </Radio>
      ))}
      <FieldError className="field-error" />
    </RadioGroup>
  );
}

/** A labelled native select; the API's error for its name (when given) shows beneath it. */
export function SelectField({ label, name, options, defaultValue, value, onChange, error, inline }: {
  label: string;
  name?: string;
  options: readonly (string | { value: string; label: string })[];
  defaultValue?: string;
  value?: string;
  onChange?: (value: string) => void;
  error?: unknown;
  inline?: boolean;
}) {
  const message = name && error instanceof ApiError ? error.fields[name] : undefined;
  return (
    <label className={inline ? 'field inline' : 'field'}>
      <span>{label}</span>
      <select name={name} defaultValue={defaultValue} value={value} onChange={onChange && ((e) => onChange(e.target.value))} aria-invalid={message ? true : undefined}>
        {options.map((o) => (typeof o === 'string' ? <option key={o}>{o}</option> : <option key={o.value} value={o.value}>{o.label}</option>))}
      </select>
      {message && <span className="field-error">{message}</span>}
    </label>
  );
}

/**
 * An action behind a button: `run` clears the last error, marks busy while it runs and keeps the
 * error it throws for a ProblemAlert (or a field) to show.
 */
export function useAction() {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const run = useCallback(async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }, []);
  return { run, busy, error, setError };
}

const TONE: Record<string, string> = {
  delivered: 'good', active: 'good', captured: 'good', paid: 'good', credited: 'good', succeeded: 'good', trialing: 'good', completed: 'good', success: 'good',
  requested: 'info', accepted: 'info', processing: 'info', draft: 'info', published: 'good', authorizing: 'info', authorized: 'info', pending: 'info', created: 'info',
  past_due: 'warn', partially_refunded: 'warn', refunded: 'warn', incomplete: 'warn',
  declined: 'bad', cancelled: 'bad', expired: 'bad', payment_failed: 'bad', failed: 'bad', voided: 'bad',
};

export function Status({ value }: { value: string }) {
  return <span className={`status status-${TONE[value] ?? 'info'}`}>{value.replace(/_/g, ' ')}</span>;
}

export function When({ iso }: { iso: string | null | undefined }) {
  return iso ? <time dateTime={iso}>{formatDate(iso)}</time> : <>—</>;
}

export function TemporalLink({ workflowId }: { workflowId: string | null | undefined }) {
  const config = useWebConfig();
  if (!workflowId || !config.data) return <>—</>;
  const href = `${config.data.temporalUiUrl}/namespaces/${encodeURIComponent(config.data.temporalNamespace)}/workflows/${encodeURIComponent(workflowId)}`;
  return (
    <Link href={href} target="_blank" rel="noreferrer" className="mono">
      {workflowId}
      <span className="sr-only"> (opens the Temporal UI)</span>
    </Link>
  );
}




export const str = (data: FormData, key: string) => String(data.get(key) ?? '');

/**
 * A page of the signed-in areas (loaded on demand): react-aria links inside it navigate on the client.
 * The storefront's first paint does without react-aria (ui-basic.tsx), so its bundle stays small.
 */
export function Page(props: { title: string; children: ReactNode; actions?: ReactNode }) {
  const [, navigate] = useLocation();
  return (
    <RouterProvider navigate={(href) => navigate(href)}>
      <BasicPage {...props} />
    </RouterProvider>
  );
}
