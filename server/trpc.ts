import { initTRPC } from '@trpc/server';

/**
 * The tRPC builder both API routers use. It carries no context of its own: each router
 * defines the context it needs, so the identity and finance modules stay independent.
 */
export const createRouterBuilder = <TContext extends object>() =>
  initTRPC.context<TContext>().create({
    errorFormatter: ({ shape, error }) => ({
      ...shape,
      // Never leak stack traces or internal causes to clients.
      data: { code: shape.data.code, httpStatus: shape.data.httpStatus, path: shape.data.path },
      message: error.code === 'INTERNAL_SERVER_ERROR' ? 'Internal error' : shape.message,
    }),
  });
