/**
 * A portal's owners (the users records can be assigned to), in the shape of HubSpot's public
 * owners API (`/crm/v3/owners`): id, email, firstName, lastName, userId, teams. That API is
 * not among the provided specs, so it is not contract-checked.
 */

export interface OwnerTeam {
  readonly id: string;
  readonly name: string;
  readonly primary: boolean;
}

export interface OwnerRecord {
  readonly id: string;
  readonly userId: number;
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly teams: readonly OwnerTeam[];
  readonly createdAtMs: number;
  updatedAtMs: number;
  archived: boolean;
}

export interface NewOwner {
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly userId?: number;
  readonly teams?: readonly OwnerTeam[];
}

export class OwnerDirectory {
  private readonly owners = new Map<string, OwnerRecord>();

  constructor(
    private readonly nextId: () => number,
    private readonly nowMs: () => number,
  ) {}

  add(owner: NewOwner): OwnerRecord {
    const id = String(this.nextId());
    const now = this.nowMs();
    const record: OwnerRecord = {
      id,
      userId: owner.userId ?? this.nextId(),
      email: owner.email,
      firstName: owner.firstName,
      lastName: owner.lastName,
      teams: owner.teams ?? [],
      createdAtMs: now,
      updatedAtMs: now,
      archived: false,
    };
    this.owners.set(id, record);
    return record;
  }

  /** Deactivates a user: their owner is archived, as when a seat is removed. */
  archive(ownerId: string): void {
    const owner = this.owners.get(ownerId);
    if (owner !== undefined) {
      owner.archived = true;
      owner.updatedAtMs = this.nowMs();
    }
  }

  isActiveOwner(ownerId: string): boolean {
    return this.owners.get(ownerId)?.archived === false;
  }

  find(
    key: string,
    options: { idProperty: "id" | "userId"; archived: boolean },
  ): OwnerRecord | undefined {
    const owner =
      options.idProperty === "id"
        ? this.owners.get(key)
        : [...this.owners.values()].find((candidate) => String(candidate.userId) === key);
    return owner?.archived === options.archived ? owner : undefined;
  }

  list(options: { archived: boolean; email?: string }): OwnerRecord[] {
    return [...this.owners.values()].filter(
      (owner) =>
        owner.archived === options.archived &&
        (options.email === undefined || owner.email.toLowerCase() === options.email.toLowerCase()),
    );
  }
}

export function renderOwner(owner: OwnerRecord) {
  return {
    id: owner.id,
    email: owner.email,
    type: "PERSON",
    firstName: owner.firstName,
    lastName: owner.lastName,
    userId: owner.userId,
    userIdIncludingInactive: owner.userId,
    createdAt: new Date(owner.createdAtMs).toISOString(),
    updatedAt: new Date(owner.updatedAtMs).toISOString(),
    archived: owner.archived,
    teams: owner.teams.map((team) => ({ id: team.id, name: team.name, primary: team.primary })),
  };
}
