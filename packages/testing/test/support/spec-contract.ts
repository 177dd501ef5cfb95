/**
 * Contract checking against `spec/server-v1.json`: every response is matched to its operation and
 * status, and its body validated with Ajv (JSON Schema draft 2020-12, ajv-formats).
 *
 * Normalisation (the spec quirk described in docs/ARCHITECTURE.md): the spec declares nullable enums as `type: ["string", "null"]` with
 * `enum: ["en", "da"]`; strict JSON Schema then rejects `null` although the type allows it and the
 * server sends it. Every enum whose `type` includes `"null"` gets `null` added to the enum before
 * compiling. Nothing else in the spec is changed.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { Ajv2020, type AnySchema, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/** The spec, read from the repository. */
export const spec = JSON.parse(
  readFileSync(new URL('../../../../spec/server-v1.json', import.meta.url), 'utf8'),
) as OpenApiDocument;

interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, unknown> };
}
interface OpenApiOperation {
  operationId: string;
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
}

/** Statuses the mock answers that the spec does not list, each with the reason. */
export const UNDECLARED_STATUSES: Record<string, Record<string, string>> = {
  searchUsers: {
    '400':
      'a body that does not match ServerUserSearchRequest (or a bad limit/cursor) has to be refused somehow; the spec lists no 400',
  },
};

/** One response checked against the spec. */
export interface CheckedResponse {
  operationId: string;
  status: number;
}

/** Add `null` to every enum whose type allows null (the nullable-enum quirk). Returns a deep copy. */
export function normaliseNullableEnums<T>(schema: T): T {
  if (Array.isArray(schema)) return schema.map((item) => normaliseNullableEnums(item)) as T;
  if (typeof schema !== 'object' || schema === null) return schema;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) copy[key] = normaliseNullableEnums(value);
  const type = copy.type;
  if (
    Array.isArray(copy.enum) &&
    Array.isArray(type) &&
    type.includes('null') &&
    !copy.enum.includes(null)
  ) {
    copy.enum = [...copy.enum, null];
  }
  return copy as T;
}

/** Build an Ajv 2020 instance that knows the spec's components. */
export function createSpecAjv(document: OpenApiDocument = spec): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats.default(ajv);
  ajv.addKeyword('example');
  ajv.addFormat('int32', {
    type: 'number',
    validate: (value: number) => Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31,
  });
  ajv.addSchema(
    rebase({ $id: 'spec', $defs: normaliseNullableEnums(document.components.schemas) }),
  );
  return ajv;
}

interface OperationMatcher {
  method: string;
  pattern: RegExp;
  operation: OpenApiOperation;
}

/** Checks responses against the spec; throws a descriptive error on any violation. */
export class SpecContract {
  private readonly ajv = createSpecAjv();
  private readonly matchers: OperationMatcher[] = [];
  private readonly validators = new Map<string, ValidateFunction>();
  /** Every (operation, status) checked so far. */
  readonly seen: CheckedResponse[] = [];

  constructor(document: OpenApiDocument = spec) {
    for (const [template, methods] of Object.entries(document.paths)) {
      const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
      for (const [method, operation] of Object.entries(methods)) {
        this.matchers.push({ method: method.toUpperCase(), pattern, operation });
      }
    }
    // literal paths (/users/search) before templated ones (/users/{userId})
    this.matchers.sort((a, b) => literalness(b.pattern) - literalness(a.pattern));
  }

  /** Validate one response (the body is read from a clone). */
  async check(method: string, url: string, response: Response): Promise<CheckedResponse> {
    const { pathname } = new URL(url);
    const matcher = this.matchers.find((m) => m.method === method && m.pattern.test(pathname));
    if (matcher === undefined) throw new Error(`contract: no operation for ${method} ${pathname}`);
    const { operationId, responses } = matcher.operation;
    const status = String(response.status);
    const declared = responses[status];
    if (declared === undefined && UNDECLARED_STATUSES[operationId]?.[status] === undefined) {
      throw new Error(
        `contract: ${operationId} answered ${status}, which the spec does not declare`,
      );
    }
    const text = await response.clone().text();
    const contentType = response.headers.get('content-type')?.split(';')[0]?.trim() ?? null;
    const content = declared?.content ?? (status === '400' ? problemContent() : undefined);
    if (content === undefined) {
      if (text !== '') throw new Error(`contract: ${operationId} ${status} must have no body`);
    } else {
      const media = contentType === null ? undefined : content[contentType];
      if (media === undefined) {
        throw new Error(
          `contract: ${operationId} ${status} has content-type ${String(contentType)}; the spec allows ${Object.keys(content).join(', ')}`,
        );
      }
      const validate = this.validatorFor(operationId, status, contentType ?? '', media.schema);
      const body: unknown = JSON.parse(text);
      if (!validate(body)) {
        throw new Error(
          `contract: ${operationId} ${status} body does not match the spec: ${describe(validate.errors)}\n${text}`,
        );
      }
    }
    const checked = { operationId, status: response.status };
    this.seen.push(checked);
    return checked;
  }

  /** Wrap a `fetch` so that every response it gives is checked. */
  wrap(inner: typeof fetch): typeof fetch {
    return async (input, init) => {
      const request = new Request(input, init);
      const response = await inner(request);
      await this.check(request.method, request.url, response);
      return response;
    };
  }

  private validatorFor(
    operationId: string,
    status: string,
    contentType: string,
    schema: unknown,
  ): ValidateFunction {
    const key = `${operationId} ${status} ${contentType}`;
    let validate = this.validators.get(key);
    if (validate === undefined) {
      validate = this.ajv.compile(rebase(normaliseNullableEnums(schema)));
      this.validators.set(key, validate);
    }
    return validate;
  }
}

function problemContent(): Record<string, { schema: unknown }> {
  return {
    'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetail' } },
  };
}

/** Point the spec's `#/components/schemas/X` refs at `$defs` of the registered `spec` schema. */
function rebase(schema: unknown): AnySchema {
  return JSON.parse(
    JSON.stringify(schema).replaceAll('"#/components/schemas/', '"spec#/$defs/'),
  ) as AnySchema;
}

function literalness(pattern: RegExp): number {
  return pattern.source.split('[^/]+').length === 1 ? 1 : 0;
}

function describe(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`).join('; ');
}
