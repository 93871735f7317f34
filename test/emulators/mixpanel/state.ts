/**
 * The Mixpanel emulator's world: organisations, projects (with region and data views), service
 * accounts and their roles, cohorts and profiles. Tests change it at run time through these methods.
 */

/** A data-residency cluster. */
export type MixpanelRegion = 'us' | 'eu' | 'in';
export type MixpanelRole = 'owner' | 'admin' | 'analyst' | 'consumer';
export type Properties = Record<string, unknown>;

export interface EmulatedOrganization {
  id: number;
  name: string;
}

export interface EmulatedDataView {
  id: number;
  name: string;
  isGlobal: boolean;
  isDefault?: boolean;
  isRestricted?: boolean;
}

export interface EmulatedProject {
  id: number;
  region: MixpanelRegion;
  name: string;
  organizationId: number;
  timezone?: string;
  dataViews?: EmulatedDataView[];
  /** Answer 400 to queries without `workspace_id` (the docs say "should include" for projects with data views). */
  requireWorkspaceId?: boolean;
}

export interface EmulatedServiceAccount {
  username: string;
  secret: string;
  organizationId: number;
  /** Role in the organisation, as /api/app/me reports it. */
  organizationRole?: 'owner' | 'admin' | 'member';
  /** Project id → role; a project missing here is one the account cannot see. */
  roles: Record<number, MixpanelRole>;
}

export interface EmulatedCohort {
  id: number;
  name: string;
  description: string;
  /** "YYYY-MM-DD hh:mm:ss" */
  created: string;
  visible: boolean;
  /** distinct_ids, in insertion order (the order engage pages them). */
  members: Set<string>;
}

export interface CohortSeed {
  id: number;
  name: string;
  description?: string;
  created?: string;
  visible?: boolean;
  members?: Iterable<string>;
}

interface ProjectData {
  profiles: Map<string, Properties>;
  cohorts: Map<number, EmulatedCohort>;
}

export class MixpanelState {
  readonly organizations = new Map<number, EmulatedOrganization>();
  readonly projects = new Map<number, EmulatedProject>();
  readonly serviceAccounts = new Map<string, EmulatedServiceAccount>();
  private readonly data = new Map<number, ProjectData>();

  addOrganization(organization: EmulatedOrganization): void {
    this.organizations.set(organization.id, { ...organization });
  }

  addProject(project: EmulatedProject): void {
    this.projects.set(project.id, { ...project, dataViews: project.dataViews?.map((view) => ({ ...view })) });
    if (!this.data.has(project.id)) this.data.set(project.id, { profiles: new Map(), cohorts: new Map() });
  }

  addServiceAccount(account: EmulatedServiceAccount): void {
    this.serviceAccounts.set(account.username, { ...account, roles: { ...account.roles } });
  }

  /** `undefined` removes the account from the project. */
  setRole(username: string, projectId: number, role: MixpanelRole | undefined): void {
    const account = this.mustAccount(username);
    if (role) account.roles[projectId] = role;
    else delete account.roles[projectId];
  }

  addCohort(projectId: number, seed: CohortSeed): EmulatedCohort {
    const cohort: EmulatedCohort = {
      id: seed.id,
      name: seed.name,
      description: seed.description ?? '',
      created: seed.created ?? '2024-01-01 00:00:00',
      visible: seed.visible ?? true,
      members: new Set(seed.members ?? []),
    };
    this.project(projectId).cohorts.set(cohort.id, cohort);
    return cohort;
  }

  removeCohort(projectId: number, cohortId: number): void {
    this.project(projectId).cohorts.delete(cohortId);
  }

  cohort(projectId: number, cohortId: number): EmulatedCohort | undefined {
    return this.data.get(projectId)?.cohorts.get(cohortId);
  }

  cohorts(projectId: number): EmulatedCohort[] {
    return [...(this.data.get(projectId)?.cohorts.values() ?? [])];
  }

  addMembers(projectId: number, cohortId: number, distinctIds: Iterable<string>): void {
    const members = this.mustCohort(projectId, cohortId).members;
    for (const id of distinctIds) members.add(id);
  }

  removeMembers(projectId: number, cohortId: number, distinctIds: Iterable<string>): void {
    const members = this.mustCohort(projectId, cohortId).members;
    for (const id of distinctIds) members.delete(id);
  }

  /** Creates or replaces a profile. */
  setProfile(projectId: number, distinctId: string, properties: Properties): void {
    this.project(projectId).profiles.set(distinctId, { ...properties });
  }

  /** Merges into a profile (created when missing); a value of `undefined` unsets that property. */
  updateProperties(projectId: number, distinctId: string, changes: Properties): void {
    const profiles = this.project(projectId).profiles;
    const profile = profiles.get(distinctId) ?? {};
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined) delete profile[key];
      else profile[key] = value;
    }
    profiles.set(distinctId, profile);
  }

  removeProfile(projectId: number, distinctId: string): void {
    this.project(projectId).profiles.delete(distinctId);
  }

  profile(projectId: number, distinctId: string): Properties | undefined {
    return this.data.get(projectId)?.profiles.get(distinctId);
  }

  /** The live store, for bulk seeding. */
  profiles(projectId: number): Map<string, Properties> {
    return this.project(projectId).profiles;
  }

  private project(projectId: number): ProjectData {
    const data = this.data.get(projectId);
    if (!data) throw new Error(`Emulator: no project ${projectId}`);
    return data;
  }

  private mustCohort(projectId: number, cohortId: number): EmulatedCohort {
    const cohort = this.cohort(projectId, cohortId);
    if (!cohort) throw new Error(`Emulator: no cohort ${cohortId} in project ${projectId}`);
    return cohort;
  }

  private mustAccount(username: string): EmulatedServiceAccount {
    const account = this.serviceAccounts.get(username);
    if (!account) throw new Error(`Emulator: no service account ${username}`);
    return account;
  }
}
