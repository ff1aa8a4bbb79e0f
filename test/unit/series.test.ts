import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { inSeries } from '../../src/http/series';

const req = {} as Request;
const res = {} as Response;

/** Runs the series once and resolves with what reached the router's `next` (undefined: carry on). */
function run(handlers: RequestHandler[]): Promise<unknown> {
  return new Promise((resolve) => inSeries(...handlers)(req, res, ((error?: unknown) => resolve(error)) as NextFunction));
}

describe("inSeries: handlers as one router layer, with the router's own error handling", () => {
  it('runs every handler in order, then hands on without an error', async () => {
    const ran: number[] = [];
    const step = (n: number): RequestHandler => (_req, _res, next) => {
      ran.push(n);
      // Asynchronously too, as the body parser resumes from a stream event.
      setImmediate(next);
    };
    await expect(run([step(1), step(2), step(3)])).resolves.toBeUndefined();
    expect(ran).toEqual([1, 2, 3]);
  });

  it('a falsy argument to next is no error, as for the router', async () => {
    const ran: string[] = [];
    await expect(run([(_q, _s, next) => next(null), (_q, _s, next) => (ran.push('after null'), next())])).resolves.toBeUndefined();
    expect(ran).toEqual(['after null']);
  });

  it('an error passed to next, thrown, or rejected goes to the error handlers, and the rest is skipped', async () => {
    const failure = new Error('boom');
    const never = jest.fn();
    await expect(run([(_q, _s, next) => next(failure), never])).resolves.toBe(failure);
    await expect(run([() => { throw failure; }, never])).resolves.toBe(failure);
    await expect(run([async () => { throw failure; }, never])).resolves.toBe(failure);
    await expect(run([() => Promise.reject(undefined), never])).resolves.toEqual(new Error('Rejected promise'));
    expect(never).not.toHaveBeenCalled();
  });

  it('a handler that answers and never calls next ends the series', async () => {
    const never = jest.fn();
    const ended = jest.fn();
    inSeries(() => ended(), never)(req, res, never);
    expect(ended).toHaveBeenCalledTimes(1);
    expect(never).not.toHaveBeenCalled();
  });
});
