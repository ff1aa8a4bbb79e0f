/**
 * graphql-shield on the root operations only: wrapping every field would cost a Promise per field
 * (see shared/STACK.md). Personal fields are guarded by the @pii wrapper instead.
 */
import { applyMiddleware } from 'graphql-middleware';
import { allow, deny, or, rule, shield } from 'graphql-shield';
import type { GraphQLSchema } from 'graphql';
import { forbidden, unauthenticated } from '../errors';
import type { RequestContext } from '../graphql/context';
import { OPERATION_ACCESS, type OperationAccess } from './operation-access';

const authenticated = (ctx: RequestContext) => (ctx.principal ? true : unauthenticated());

// graphql-shield wants one instance per rule name.
const roleRules = new Map<string, ReturnType<ReturnType<typeof rule>>>();
const hasRole = (role: string) => {
  let r = roleRules.get(role);
  if (!r) {
    r = rule(`role:${role}`, { cache: 'contextual' })((_parent, _args, ctx: RequestContext) => {
      const known = authenticated(ctx);
      if (known !== true) return known;
      return ctx.principal?.role === role;
    });
    roleRules.set(role, r);
  }
  return r;
};

// Ids compare in any case, as the resolvers (uuid()) and PostgreSQL read them.
// No cache: shield runs on root fields only, once each, so hashing the arguments to key a cache costs more than the rule.
const isSelf = rule('client:self', { cache: 'no_cache' })((_parent, args: { id?: unknown }, ctx: RequestContext) => {
  const known = authenticated(ctx);
  if (known !== true) return known;
  return ctx.principal?.role === 'client' && typeof args.id === 'string' && args.id.toLowerCase() === ctx.principal.sub.toLowerCase();
});

function ruleFor(access: OperationAccess) {
  if (access === 'public') return allow;
  const rules = access.map((who) => (who === 'client:self' ? isSelf : hasRole(who)));
  return rules.length === 1 ? rules[0]! : or(...rules);
}

export function applyShield(schema: GraphQLSchema): GraphQLSchema {
  const tree = Object.fromEntries(
    Object.entries(OPERATION_ACCESS).map(([type, fields]) => [
      type,
      { '*': deny, ...Object.fromEntries(Object.entries(fields).map(([field, access]) => [field, ruleFor(access)])) },
    ]),
  );
  // Deny what no rule names; only the root types are kept below, so no other field is affected.
  const permissions = shield(tree, {
    fallbackRule: deny,
    fallbackError: forbidden(),
    allowExternalErrors: true,
  });
  // Keep only the root types' middleware, so no other field is wrapped.
  const generated = permissions.generate(schema) as Record<string, unknown>;
  const roots = Object.fromEntries(Object.entries(generated).filter(([type]) => type in OPERATION_ACCESS));
  return applyMiddleware(schema, roots as never);
}
