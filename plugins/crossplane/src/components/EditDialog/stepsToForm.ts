import type { RJSFSchema, UiSchema } from '@rjsf/utils';
import { TemplateParameterStep } from '../../api/types';

type Node = Record<string, unknown>;

/** Splits the scaffolder's inline `ui:*` keys off a JSON Schema node. */
function splitUi(node: Node): { schema: Node; ui: UiSchema } {
  const schema: Node = {};
  const ui: UiSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('ui:')) {
      ui[key] = value;
    } else if (key === 'properties' && value && typeof value === 'object') {
      const properties: Node = {};
      for (const [name, child] of Object.entries(value as Node)) {
        const split = splitUi(child as Node);
        properties[name] = split.schema;
        if (Object.keys(split.ui).length > 0) ui[name] = split.ui;
      }
      schema.properties = properties;
    } else if (key === 'items' && value && !Array.isArray(value)) {
      const split = splitUi(value as Node);
      schema.items = split.schema;
      if (Object.keys(split.ui).length > 0) ui.items = split.ui;
    } else {
      schema[key] = value;
    }
  }
  return { schema, ui };
}

/**
 * The steps of a generated template form as one form: their properties
 * side by side (the values are keyed the same way), with the `ui:*` keys
 * moved to the uiSchema the form library reads them from.
 */
export function stepsToForm(steps: TemplateParameterStep[]): {
  schema: RJSFSchema;
  uiSchema: UiSchema;
} {
  const properties: Node = {};
  const required: string[] = [];
  const uiSchema: UiSchema = {};
  for (const step of steps) {
    const { schema, ui } = splitUi({
      properties: step.properties,
      required: step.required,
    });
    Object.assign(properties, schema.properties as Node);
    required.push(...((schema.required as string[] | undefined) ?? []));
    for (const [key, value] of Object.entries(ui)) {
      if (!key.startsWith('ui:')) uiSchema[key] = value;
    }
  }
  return {
    schema: { type: 'object', properties, required } as RJSFSchema,
    uiSchema,
  };
}
