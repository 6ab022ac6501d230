/** What an access token says about its bearer. */
export type Role = 'admin' | 'premium' | 'normal';
export type AccountKind = 'fan' | 'talent';

export interface Principal {
  accountId: string;
  roles: Role[];
  kind: AccountKind;
}

/** JWT claims (HS256): `sub` is the account id. */
export interface AccessTokenClaims {
  sub: string;
  roles: Role[];
  kind: AccountKind;
  iat: number;
  exp: number;
  [key: string]: unknown;
}
