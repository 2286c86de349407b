/**
 * Standard Webhooks test vectors. SW-* are official (copied from the
 * upstream test suites); D-* are derived (computed independently, not from upstream).
 */

export const SW1 = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
} as const;

export const SW2 = {
  secret: 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD',
  id: 'msg_27UH4WbU6Z5A5EzD8u03UvzRbpk',
  timestamp: 1649367553,
  body: '{"email":"test@example.com","username":"test_user"}',
  signature: 'v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=',
} as const;

export const SW3 = {
  secretKey: 'whsk_6Xb/dCcHpPea21PS1N9VY/NZW723CEc77N4rJCubMbfVKIDij2HKpMKkioLlX0dRqSKJp4AJ6p9lMicMFs6Kvg==',
  publicKey: 'whpk_1SiA4o9hyqTCpIqC5V9HUakiiaeACeqfZTInDBbOir4=',
  jwk: { kty: 'OKP', crv: 'Ed25519', x: '1SiA4o9hyqTCpIqC5V9HUakiiaeACeqfZTInDBbOir4' },
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1a,hnO3f9T8Ytu9HwrXslvumlUpqtNVqkhqw/enGzPCXe5BdqzCInXqYXFymVJaA7AZdpXwVLPo3mNl8EM+m7TBAg==',
} as const;

const D1_BODY =
  '{"type":"contact.created","timestamp":"2022-11-03T20:26:10.344522Z","data":{"id":"1f81eb52-5198-4599-803e-771906343485"}}';

/** Derived v1 vectors. D-4's secret is unpadded and decodes to 23 bytes. */
export const DERIVED_V1 = [
  {
    name: 'D-1 (derived) spec example body',
    secret: SW1.secret,
    id: 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W',
    timestamp: 1674087231,
    body: D1_BODY,
    signature: 'v1,ARw42xaAApl/nxRo+iPGYwSaMQaOwMo2eyH5JBRA+bQ=',
  },
  {
    name: 'D-2 (derived) empty body',
    secret: SW1.secret,
    id: SW1.id,
    timestamp: SW1.timestamp,
    body: '',
    signature: 'v1,v48jdbgvh29KJz2Qc+ghw8G6vG3nAKnujWBg8oM/62A=',
  },
  {
    name: 'D-3 (derived) non-ASCII UTF-8 body',
    secret: SW1.secret,
    id: SW1.id,
    timestamp: SW1.timestamp,
    body: '{"name":"Zoë ✓"}',
    signature: 'v1,vT3tN68XcRInbQKUomiMDHFgj+JsG9OroWEdDcWGJ5M=',
  },
] as const;

export const D4 = {
  secret: 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS',
  id: SW1.id,
  timestamp: SW1.timestamp,
  body: SW1.body,
  signature: 'v1,LVOXivKoo4FWasi/IaHvzhE/u+7/cu2AME+zS/nXqzk=',
} as const;

export const D5 = {
  publicKey: SW3.publicKey,
  id: 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W',
  timestamp: 1674087231,
  body: D1_BODY,
  signature: 'v1a,LvaM/XV2eiveYbh3nDJB9CFU6SgUQsSFO7Nz5u3M+PUesso2vWw2zj6zoee2ijOae0RluTX9xaoEs9uSSJ/uDg==',
} as const;

/** A clock frozen at `seconds` (Unix seconds), for verifiers' `now` option. */
export const frozenAt =
  (seconds: number): (() => number) =>
  () =>
    seconds * 1000;
