import type { Request } from 'express';
import { SimulatorError, badRequest } from './errors.js';

/** The body as read by the raw body parser; '' when there was none. */
export const rawBodyText = (req: Request): string => (Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '');

/** The request body as JSON; Genesys answers 415 to other media types and 400 to bad syntax. */
export function jsonBody(req: Request): unknown {
  const text = rawBodyText(req);
  if (text.trim() === '') throw badRequest('A request body is required.');
  const type = req.headers['content-type'];
  if (type !== undefined && !/^application\/([\w.+-]+\+)?json\b/i.test(type.trim())) throw new SimulatorError(415);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badRequest('The request could not be understood by the server due to malformed syntax.');
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function jsonObjectBody(req: Request): Record<string, unknown> {
  const body = jsonBody(req);
  if (!isRecord(body)) throw badRequest('The request body must be a JSON object.');
  return body;
}
