import { useState } from 'react';
import { Link, Radio, RadioGroup, Label } from 'react-aria-components';
import { useLocation, useSearch } from 'wouter';
import { api, unwrap } from '../api/client';
import { useAuth, useWebConfig } from '../auth';
import { ApiForm, Button, Field, Page, str } from '../ui';

export function Signup() {
  const [, navigate] = useLocation();
  return (
    <Page title="Create your account">
      <div className="narrow card">
        <ApiForm
          submit="Sign up"
          fields={['name', 'email', 'password', 'kind']}
          action={async (data) => {
            const email = str(data, 'email');
            await unwrap(api.POST('/v1/accounts', { body: { name: str(data, 'name'), email, password: str(data, 'password'), kind: str(data, 'kind') === 'talent' ? 'talent' : 'fan' } }));
            navigate(`/verify?email=${encodeURIComponent(email)}`);
          }}
        >
          <Field name="name" label="Name" autoComplete="name" isRequired />
          <Field name="email" label="Email" type="email" autoComplete="email" isRequired />
          <Field name="password" label="Password" type="password" autoComplete="new-password" description="At least 10 characters." isRequired />
          <RadioGroup name="kind" defaultValue="fan" className="radio-group" orientation="horizontal">
            <Label>I am</Label>
            <Radio value="fan" className="radio">
              a fan
            </Radio>
            <Radio value="talent" className="radio">
              a talent
            </Radio>
          </RadioGroup>
        </ApiForm>
        <p>
          Already have an account? <Link href="/login">Log in</Link>
        </p>
      </div>
    </Page>
  );
}

export function Verify() {
  const params = new URLSearchParams(useSearch());
  const email = params.get('email') ?? '';
  const [, navigate] = useLocation();
  const config = useWebConfig();
  const [resent, setResent] = useState('');
  return (
    <Page title="Check your email">
      <div className="narrow card">
        <p>
          We sent a 6-digit code to <strong>{email || 'your email'}</strong>.
        </p>
        {config.data?.devMailbox && email && (
          <p className="note">
            Development: read it in the <a href={`/dev/mailbox?to=${encodeURIComponent(email)}`} target="_blank" rel="noreferrer">dev mailbox</a>.
          </p>
        )}
        <ApiForm
          submit="Verify"
          fields={['email', 'code']}
          action={async (data) => {
            await unwrap(api.POST('/v1/accounts/verify', { body: { email: str(data, 'email'), code: str(data, 'code') } }));
            navigate(`/login?email=${encodeURIComponent(str(data, 'email'))}&verified=1`);
          }}
        >
          <Field name="email" label="Email" type="email" defaultValue={email} isRequired />
          <Field name="code" label="Code" inputMode="numeric" autoComplete="one-time-code" isRequired />
        </ApiForm>
        <Button
          variant="secondary"
          onPress={async () => {
            const res = await api.POST('/v1/accounts/resend-code', { body: { email } });
            setResent(res.response.ok ? 'A new code is on its way.' : (res.error as { detail?: string })?.detail ?? 'Could not resend the code.');
          }}
        >
          Send a new code
        </Button>
        <p role="status">{resent}</p>
      </div>
    </Page>
  );
}

export function Login() {
  const params = new URLSearchParams(useSearch());
  const { login } = useAuth();
  const [, navigate] = useLocation();
  return (
    <Page title="Log in">
      <div className="narrow card">
        {params.get('verified') && <p className="note" role="status">Your email is verified: log in.</p>}
        <ApiForm
          submit="Log in"
          fields={['email', 'password']}
          action={async (data) => {
            await login(str(data, 'email'), str(data, 'password'));
            navigate(params.get('next') ?? '/');
          }}
        >
          <Field name="email" label="Email" type="email" autoComplete="email" defaultValue={params.get('email') ?? ''} isRequired />
          <Field name="password" label="Password" type="password" autoComplete="current-password" isRequired />
        </ApiForm>
        <p>
          New here? <Link href="/signup">Create an account</Link>
        </p>
      </div>
    </Page>
  );
}
