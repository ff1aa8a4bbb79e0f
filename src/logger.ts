import pino, { type Logger } from 'pino';

/**
 * Structured logs that never carry personal data: request bodies and variables are not logged,
 * and anything that slips into these paths is censored.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.variables',
  '*.query',
  '*.login',
  '*.iin',
  '*.bin',
  '*.phone',
  '*.email',
  '*.surname',
  '*.firstName',
  '*.patronymic',
];

export function createLogger(level: string): Logger {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { service: 'kzpay-privacy-graph' } });
}
