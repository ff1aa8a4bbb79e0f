import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Handlers run one after the other as one layer of the router, as Express runs them (a thrown
 * error or a rejected promise goes to `next`, so to the error handler): each layer the router
 * passes costs a path match and its own bookkeeping on every request.
 */
export function inSeries(...handlers: RequestHandler[]): RequestHandler {
  return (req: Request, res: Response, done: NextFunction) => {
    let index = 0;
    const next = (error?: unknown): void => {
      const handler = handlers[index++];
      // As the router reads `next`'s argument: anything falsy is no error.
      if (error || !handler) {
        done(error);
        return;
      }
      try {
        const answered: unknown = handler(req, res, next);
        if (answered instanceof Promise) answered.catch((failure: unknown) => done(failure ?? new Error('Rejected promise')));
      } catch (failure) {
        done(failure);
      }
    };
    next();
  };
}
