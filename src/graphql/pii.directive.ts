/**
 * The @pii directive: declared from the taxonomy, written on fields with type-graphql's
 * `@Directive`, and enforced by wrapping exactly those fields' resolvers (no other field pays).
 */
import {
  DirectiveLocation,
  GraphQLDirective,
  GraphQLEnumType,
  GraphQLNonNull,
  type GraphQLScalarType,
  defaultFieldResolver,
  responsePathAsArray,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';
import { getDirective, MapperKind, mapSchema } from '@graphql-tools/utils';
import { PII_CATEGORIES, CATEGORY_DESCRIPTIONS, type PiiCategory } from '../privacy/categories';
import { applyMask, DEFAULT_MASK, MASK_KINDS, type MaskKind } from '../privacy/masking';
import type { Decision } from '../privacy/decide';
import type { RequestContext } from './context';

export const PII_DIRECTIVE = 'pii';

export const PiiCategoryEnum = new GraphQLEnumType({
  name: 'PiiCategory',
  description: 'Personal-data categories of the privacy policy (P1)',
  values: Object.fromEntries(PII_CATEGORIES.map((c) => [c, { description: CATEGORY_DESCRIPTIONS[c] }])),
});

export const PiiMaskEnum = new GraphQLEnumType({
  name: 'PiiMask',
  description: 'How a value is shown to a caller allowed only a masked view',
  values: Object.fromEntries(MASK_KINDS.map((m) => [m, {}])),
});

/**
 * Fields typed `PiiCategory` (`@Field(() => [PiiCategoryEnum])`) must reuse this very enum, or
 * type-graphql would add a second type of the same name. Its `scalarsMap` maps a type to any
 * named GraphQL type at run time, hence the casts.
 */
export const PII_CATEGORY_MAPPING = {
  type: PiiCategoryEnum as unknown as Function,
  scalar: PiiCategoryEnum as unknown as GraphQLScalarType,
};

export const piiDirective = new GraphQLDirective({
  name: PII_DIRECTIVE,
  description: 'Marks a field carrying personal data; its value is served only as the privacy policy allows',
  locations: [DirectiveLocation.FIELD_DEFINITION],
  args: {
    category: { type: new GraphQLNonNull(PiiCategoryEnum) },
    mask: { type: PiiMaskEnum },
  },
});

/** `@Directive(pii('PHONE'))` on a type-graphql field. */
export function pii(category: PiiCategory, mask?: MaskKind): string {
  return mask ? `@pii(category: ${category}, mask: ${mask})` : `@pii(category: ${category})`;
}

function whenResolved(value: unknown, then: (v: unknown) => unknown): unknown {
  return value instanceof Promise ? value.then(then) : then(value);
}

/** Records a value served to a P5 recipient; null and empty lists disclose nothing. */
function logServed(ctx: RequestContext, subjectId: string, path: string, category: PiiCategory, access: 'FULL' | 'MASKED', value: unknown): unknown {
  if (value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0)) {
    ctx.privacy.disclosed(subjectId, { path, category, access });
  }
  return value;
}

/** Marks resolvers produced by the guard, so a test can prove every @pii field is wrapped. */
export const PII_GUARDED = Symbol('pii-guarded');

/** How to find the data subject of a parent object, per GraphQL type that has @pii fields. */
export type SubjectLocator = (source: unknown) => string | null;

export function applyPiiGuard(schema: GraphQLSchema, locators: Readonly<Record<string, SubjectLocator>>): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (field, fieldName, typeName) => {
      const directive = getDirective(schema, field, PII_DIRECTIVE)?.[0];
      if (!directive) return field;
      const locate = locators[typeName];
      if (!locate) throw new Error(`@pii on ${typeName}.${fieldName}, but ${typeName} has no subject locator`);
      const category = directive.category as PiiCategory;
      const mask = (directive.mask as MaskKind | undefined) ?? DEFAULT_MASK[category];
      const resolve = field.resolve ?? defaultFieldResolver;
      const guarded: GraphQLFieldResolver<unknown, RequestContext> = (source, args, ctx, info) => {
        const subjectId = locate(source);
        const serve = (decision: Decision): unknown => {
          if (decision.access === 'FULL') {
            const value = resolve(source, args, ctx, info);
            // Only logged requests (P5, access exports) pay for it; others keep the plain resolver result.
            if (!ctx.privacy.logsDisclosures || subjectId === null) return value;
            const path = responsePathAsArray(info.path).join('.');
            return whenResolved(value, (v) => logServed(ctx, subjectId, path, category, 'FULL', v));
          }
          const path = responsePathAsArray(info.path).join('.');
          if (decision.access === 'MASKED' && mask !== 'HIDE') {
            ctx.privacy.redact(path, category, 'MASKED', decision.reason);
            return whenResolved(resolve(source, args, ctx, info), (value) => {
              const masked = applyMask(mask, value, source as Record<string, unknown>);
              return subjectId === null ? masked : logServed(ctx, subjectId, path, category, 'MASKED', masked);
            });
          }
          ctx.privacy.redact(path, category, 'HIDDEN', decision.reason);
          return null;
        };
        const decision = ctx.privacy.decide(category, subjectId);
        return decision instanceof Promise ? decision.then(serve) : serve(decision);
      };
      Object.defineProperty(guarded, PII_GUARDED, { value: { category, mask } });
      return { ...field, resolve: guarded };
    },
  });
}
