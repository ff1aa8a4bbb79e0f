/**
 * The @pii directive: declared from the taxonomy, written on fields with type-graphql's
 * `@Directive`, and enforced by wrapping exactly those fields' resolvers (no other field pays).
 */
import {
  DirectiveLocation,
  GraphQLDirective,
  GraphQLEnumType,
  GraphQLNonNull,
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
          if (decision.access === 'FULL') return resolve(source, args, ctx, info);
          const path = responsePathAsArray(info.path).join('.');
          if (decision.access === 'MASKED' && mask !== 'HIDE') {
            ctx.privacy.redact(path, category, 'MASKED', decision.reason);
            return Promise.resolve(resolve(source, args, ctx, info)).then((value) =>
              applyMask(mask, value, source as Record<string, unknown>),
            );
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
