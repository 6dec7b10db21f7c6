/**
 * The request bodies the emulator accepts, as zod schemas shaped like the specs' inputs. They
 * are a little more lenient than the specs where HubSpot is (a create without `associations`,
 * numbers and booleans as property values, numeric ids), never stricter.
 */
import { z } from "zod";

const id = z.union([z.string().min(1), z.number().int()]).transform(String);

export const rawValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export const propertyValuesSchema = z.record(z.string(), rawValueSchema);

export const associationSpecSchema = z.object({
  associationCategory: z.enum(["HUBSPOT_DEFINED", "USER_DEFINED", "INTEGRATOR_DEFINED", "WORK"]),
  associationTypeId: z.number().int(),
});

export const associationInputSchema = z.object({
  to: z.object({ id }),
  types: z.array(associationSpecSchema).min(1),
});

export const createInputSchema = z.object({
  properties: propertyValuesSchema,
  associations: z.array(associationInputSchema).optional(),
  objectWriteTraceId: z.string().optional(),
});
export type CreateInput = z.infer<typeof createInputSchema>;

export const updateInputSchema = z.object({ properties: propertyValuesSchema });

export const batchReadSchema = z.object({
  inputs: z.array(z.object({ id })),
  properties: z.array(z.string()).optional(),
  propertiesWithHistory: z.array(z.string()).optional(),
  idProperty: z.string().optional(),
});

export const batchCreateSchema = z.object({ inputs: z.array(createInputSchema) });

export const batchUpdateSchema = z.object({
  inputs: z.array(
    z.object({
      id,
      idProperty: z.string().optional(),
      properties: propertyValuesSchema,
      objectWriteTraceId: z.string().optional(),
    }),
  ),
});

export const batchArchiveSchema = z.object({ inputs: z.array(z.object({ id })) });

export const labelledAssociationSchema = z.array(associationSpecSchema).min(1);

export const associationBatchReadSchema = z.object({
  inputs: z.array(z.object({ id, after: z.string().optional() })),
});

export const associationBatchCreateSchema = z.object({
  inputs: z.array(
    z.object({
      from: z.object({ id }),
      to: z.object({ id }),
      types: z.array(associationSpecSchema).min(1),
    }),
  ),
});

export const associationBatchDefaultSchema = z.object({
  inputs: z.array(z.object({ from: z.object({ id }), to: z.object({ id }) })),
});

export const associationBatchArchiveSchema = z.object({
  inputs: z.array(z.object({ from: z.object({ id }), to: z.array(z.object({ id })) })),
});

const optionSchema = z.object({
  label: z.string(),
  value: z.string(),
  description: z.string().optional(),
  displayOrder: z.number().int().optional(),
  hidden: z.boolean().default(false),
});

const propertyTypeSchema = z.enum([
  "string",
  "number",
  "date",
  "datetime",
  "enumeration",
  "bool",
  "phone_number",
]);

export const propertyCreateSchema = z.object({
  name: z.string().min(1),
  label: z.string().min(1),
  type: propertyTypeSchema,
  fieldType: z.string().min(1),
  groupName: z.string().min(1),
  description: z.string().optional(),
  options: z.array(optionSchema).optional(),
  displayOrder: z.number().int().optional(),
  hasUniqueValue: z.boolean().optional(),
  hidden: z.boolean().optional(),
  formField: z.boolean().optional(),
  referencedObjectType: z.string().optional(),
  externalOptions: z.boolean().optional(),
  calculationFormula: z.string().optional(),
  dataSensitivity: z.enum(["highly_sensitive", "non_sensitive", "sensitive"]).optional(),
});

export const propertyUpdateSchema = propertyCreateSchema
  .omit({
    name: true,
    hasUniqueValue: true,
    referencedObjectType: true,
    externalOptions: true,
    dataSensitivity: true,
  })
  .partial();

export const propertyGroupCreateSchema = z.object({
  name: z.string().min(1),
  label: z.string().min(1),
  displayOrder: z.number().int().optional(),
});

export const propertyGroupUpdateSchema = propertyGroupCreateSchema.omit({ name: true }).partial();

export const propertyBatchReadSchema = z.object({
  inputs: z.array(z.object({ name: z.string() })),
  archived: z.boolean().optional(),
});

export const propertyBatchCreateSchema = z.object({ inputs: z.array(propertyCreateSchema) });
