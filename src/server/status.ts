/**
 * `Status` objects: how the API server reports every failure. Reasons and messages copy the
 * real server's wording, because clients (ours included) branch on `reason` and show `message`.
 */
import type { ResourceInfo } from '../engine/resources.js';

export interface Status {
  readonly kind: 'Status';
  readonly apiVersion: 'v1';
  readonly metadata: Record<string, never>;
  readonly status: 'Failure';
  readonly message: string;
  readonly reason: string;
  readonly details?: Record<string, unknown>;
  readonly code: number;
}

const failure = (code: number, reason: string, message: string, details?: Record<string, unknown>): Status => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message,
  reason,
  ...(details ? { details } : {}),
  code,
});

/** `pods` or `deployments.apps`: how the server names a resource in messages. */
const qualified = (info: ResourceInfo): string => (info.group === '' ? info.plural : `${info.plural}.${info.group}`);
const kindDetails = (info: ResourceInfo, name?: string): Record<string, unknown> => ({
  ...(name !== undefined ? { name } : {}),
  ...(info.group !== '' ? { group: info.group } : {}),
  kind: info.plural,
});

export const unauthorized = (): Status => failure(401, 'Unauthorized', 'Unauthorized');

export function forbidden(user: string, verb: 'list' | 'get', info: ResourceInfo, namespace: string | undefined, name?: string): Status {
  const subject = name === undefined ? qualified(info) : `${qualified(info)} "${name}"`;
  const scope = namespace === undefined ? 'at the cluster scope' : `in the namespace "${namespace}"`;
  return failure(
    403,
    'Forbidden',
    `${subject} is forbidden: User "${user}" cannot ${verb} resource "${info.plural}" in API group "${info.group}" ${scope}`,
    kindDetails(info, name),
  );
}

/** A non-resource URL (`/version`, `/apis`) the user may not get. */
export function forbiddenPath(user: string, path: string): Status {
  return failure(403, 'Forbidden', `forbidden: User "${user}" cannot get path "${path}"`, {});
}

export const notFound = (info: ResourceInfo, name: string): Status =>
  failure(404, 'NotFound', `${qualified(info)} "${name}" not found`, kindDetails(info, name));

export const pathNotFound = (): Status => failure(404, 'NotFound', 'the server could not find the requested resource', {});

export const methodNotAllowed = (): Status =>
  failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});

export const notAcceptable = (): Status =>
  failure(406, 'NotAcceptable', 'only the following media types are accepted: application/json');

export const badRequest = (message: string): Status => failure(400, 'BadRequest', message);

export const expired = (): Status =>
  failure(
    410,
    'Expired',
    'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
  );

export const tooManyRequests = (retryAfterSeconds: number): Status =>
  failure(429, 'TooManyRequests', 'Too many requests, please try again later.', { retryAfterSeconds });

export const internalError = (cause: string): Status =>
  failure(500, 'InternalError', `Internal error occurred: ${cause}`, { causes: [{ message: cause }] });

/** What a failing control plane (or the proxy in front of it) answers: 500, 502, 503 or 504. */
export function serverError(code: 500 | 502 | 503 | 504): Status {
  switch (code) {
    case 500: return internalError('injected fault: the server is failing every request');
    case 502: return failure(502, 'InternalError', 'Bad Gateway');
    case 503: return failure(503, 'ServiceUnavailable', 'the server is currently unable to handle the request');
    case 504: return failure(504, 'Timeout', 'the server was unable to return a response in the time allotted');
  }
}
