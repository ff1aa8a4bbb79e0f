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
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import { getDirective, MapperKind, mapSchema } from '@graphql-tools/utils';
import { PII_CATEGORIES, CATEGORY_DESCRIPTIONS, type PiiCategory } from '../privacy/categories';
import { applyMask, DEFAULT_MASK, MASK_KINDS, type MaskKind } from '../privacy/masking';
import type { Decision } from '../privacy/decide';
import type { RequestContext } from './context';
import type { SubjectRef } from '../subjects/subject-state';

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
function logServed(ctx: RequestContext, subjectId: string, info: GraphQLResolveInfo, category: PiiCategory, access: 'FULL' | 'MASKED', value: unknown): unknown {
  if (value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0)) {
    ctx.privacy.disclosed(subjectId, { path: responsePathAsArray(info.path).join('.'), category, access });
  }
  return value;
}

/** Marks resolvers produced by the guard, so a test can prove every @pii field is wrapped. */
export const PII_GUARDED = Symbol('pii-guarded');

/** Whose data the parent object of a @pii field is, with the state read beside it (null: depersonalised). */
export type SubjectLocator = (source: unknown) => SubjectRef | null;

/** A guarded field, decided once per request per (subject, category) and masked only when served masked. */
interface GuardedField {
  readonly category: PiiCategory;
  readonly mask: MaskKind;
  readonly fieldName: string;
  /** The field's own resolver; null for a plain property, read directly. */
  readonly resolve: GraphQLFieldResolver<unknown, RequestContext> | null;
}

function valueOf(field: GuardedField, source: unknown, args: Record<string, unknown>, ctx: RequestContext, info: GraphQLResolveInfo): unknown {
  return field.resolve ? field.resolve(source, args, ctx, info) : ((source as Record<string, unknown>)[field.fieldName] ?? null);
}

function masked(field: GuardedField, value: unknown, subject: SubjectRef | null, source: unknown, ctx: RequestContext, info: GraphQLResolveInfo): unknown {
  const shown = applyMask(field.mask, value, source as Record<string, unknown>);
  return !ctx.privacy.logsDisclosures || subject === null ? shown : logServed(ctx, subject.id, info, field.category, 'MASKED', shown);
}

function serve(
  field: GuardedField,
  decision: Decision,
  subject: SubjectRef | null,
  source: unknown,
  args: Record<string, unknown>,
  ctx: RequestContext,
  info: GraphQLResolveInfo,
): unknown {
  if (decision.access === 'FULL') {
    const value = valueOf(field, source, args, ctx, info);
    // Only logged requests (P5, access exports) pay for it; others keep the plain value.
    if (!ctx.privacy.logsDisclosures || subject === null) return value;
    return whenResolved(value, (v) => logServed(ctx, subject.id, info, field.category, 'FULL', v));
  }
  if (decision.access === 'MASKED' && field.mask !== 'HIDE') {
    ctx.privacy.redact(info.path, field.category, 'MASKED', decision.reason);
    const value = valueOf(field, source, args, ctx, info);
    return value instanceof Promise
      ? value.then((v) => masked(field, v, subject, source, ctx, info))
      : masked(field, value, subject, source, ctx, info);
  }
  ctx.privacy.redact(info.path, field.category, 'HIDDEN', decision.reason);
  return null;
}

export function applyPiiGuard(schema: GraphQLSchema, locators: Readonly<Record<string, SubjectLocator>>): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (config, fieldName, typeName) => {
      const directive = getDirective(schema, config, PII_DIRECTIVE)?.[0];
      if (!directive) return config;
      const locate = locators[typeName];
      if (!locate) throw new Error(`@pii on ${typeName}.${fieldName}, but ${typeName} has no subject locator`);
      const category = directive.category as PiiCategory;
      const field: GuardedField = {
        category,
        mask: (directive.mask as MaskKind | undefined) ?? DEFAULT_MASK[category],
        fieldName,
        resolve: config.resolve && config.resolve !== defaultFieldResolver ? config.resolve : null,
      };
      const guarded: GraphQLFieldResolver<unknown, RequestContext> = (source, args, ctx, info) => {
        const subject = locate(source);
        const decision = ctx.privacy.decide(category, subject);
        return decision instanceof Promise
          ? decision.then((d) => serve(field, d, subject, source, args, ctx, info))
          : serve(field, decision, subject, source, args, ctx, info);
      };
      Object.defineProperty(guarded, PII_GUARDED, { value: { category, mask: field.mask } });
      return { ...config, resolve: guarded };
    },
  });
}
