import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { DomainError } from "@encaisse/shared";
import { errorResponse } from "../src/http/errors";

describe("the error mapper", () => {
  const logger = { error: vi.fn() };

  it("maps a domain error to its status and body", () => {
    expect(
      errorResponse(new DomainError("CUSTOMER_SIREN_MISSING", "Add the SIREN."), logger),
    ).toEqual({
      status: 422,
      body: { error: { code: "CUSTOMER_SIREN_MISSING", message: "Add the SIREN." } },
    });
  });

  it("maps bad input to VALIDATION_FAILED naming the fields", () => {
    const parsed = z.object({ objectId: z.string().regex(/^\d+$/) }).safeParse({ objectId: "x" });
    const { status, body } = errorResponse(parsed.error, logger);
    expect(status).toBe(400);
    expect(body.error.code).toBe("VALIDATION_FAILED");
    expect(body.error.details).toEqual({
      fields: [{ field: "objectId", message: expect.any(String) }],
    });
  });

  it("hides unexpected errors behind a 500 and logs no message that could hold personal data", () => {
    const { status, body } = errorResponse(
      new Error("duplicate key jean.dupont@example.fr"),
      logger,
    );
    expect(status).toBe(500);
    expect(JSON.stringify(body)).not.toContain("jean.dupont");
    expect(JSON.stringify(logger.error.mock.calls)).not.toContain("jean.dupont");
  });

  it("logs provider outages (5xx codes) without details", () => {
    logger.error.mockClear();
    errorResponse(
      new DomainError("PROVIDER_UNAVAILABLE", "Pennylane is down.", { token: "secret" }),
      logger,
    );
    expect(logger.error).toHaveBeenCalledWith("request failed", { code: "PROVIDER_UNAVAILABLE" });
  });
});
