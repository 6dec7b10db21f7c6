/**
 * Who may see amounts on the card. The tenant lists the HubSpot teams allowed (null: every
 * user); the card passes the viewer's teams (`context.user.teams`) because HubSpot's signed
 * query carries none. That makes it a display preference the card honours, not a security
 * boundary: anyone able to call the signed endpoint could claim a team.
 */
export function amountsVisibleTo(
  allowedTeamIds: readonly string[] | null,
  viewerTeamIds: readonly string[],
): boolean {
  if (allowedTeamIds === null) return true;
  return viewerTeamIds.some((teamId) => allowedTeamIds.includes(teamId));
}

/** A copy with every amount (a `…Cents` field, at any depth) set to zero. */
export function withAmountsZeroed<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => withAmountsZeroed(item)) as T;
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      key.endsWith("Cents") && typeof inner === "number" ? 0 : withAmountsZeroed(inner),
    ]),
  ) as T;
}
