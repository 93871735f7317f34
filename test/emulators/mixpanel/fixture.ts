/** The world a fresh emulator starts with when the seed names no projects of its own. */
import type { CohortSeed, EmulatedOrganization, EmulatedProject, EmulatedServiceAccount } from './state';

export const FIXTURE = {
  organization: { id: 100, name: 'Acme' } satisfies EmulatedOrganization,
  /** US project with data views; the global one is what queries should name. */
  usProject: {
    id: 1234567,
    region: 'us',
    name: 'Acme Production',
    organizationId: 100,
    timezone: 'US/Pacific',
    dataViews: [
      { id: 3448413, name: 'All Project Data', isGlobal: true, isDefault: true },
      { id: 3448414, name: 'Marketing only', isGlobal: false, isRestricted: true },
    ],
  } satisfies EmulatedProject,
  euProject: { id: 7654321, region: 'eu', name: 'Acme EU', organizationId: 100, timezone: 'Europe/Berlin' } satisfies EmulatedProject,
  inProject: { id: 2222222, region: 'in', name: 'Acme India', organizationId: 100, timezone: 'Asia/Kolkata' } satisfies EmulatedProject,
  owner: { username: 'cohort-sync.owner.mp-service-account', secret: 'owner-secret-7f3a' },
  /** Admin of the US project, an ordinary member of the organisation: set up as the README says. */
  projectAdmin: { username: 'cohort-sync.admin.mp-service-account', secret: 'admin-secret-5e8d' },
  analyst: { username: 'cohort-sync.analyst.mp-service-account', secret: 'analyst-secret-91c2' },
  consumer: { username: 'cohort-sync.consumer.mp-service-account', secret: 'consumer-secret-0b4d' },
} as const;

export function fixtureProjects(): EmulatedProject[] {
  return [FIXTURE.usProject, FIXTURE.euProject, FIXTURE.inProject].map((project) => ({
    ...project,
    dataViews: 'dataViews' in project ? project.dataViews.map((view) => ({ ...view })) : undefined,
  }));
}

export function fixtureServiceAccounts(): EmulatedServiceAccount[] {
  const { usProject, euProject, inProject, owner, projectAdmin, analyst, consumer } = FIXTURE;
  return [
    {
      ...owner,
      organizationId: 100,
      organizationRole: 'admin',
      roles: { [usProject.id]: 'owner', [euProject.id]: 'owner', [inProject.id]: 'owner' },
    },
    { ...projectAdmin, organizationId: 100, organizationRole: 'member', roles: { [usProject.id]: 'admin' } },
    { ...analyst, organizationId: 100, organizationRole: 'member', roles: { [usProject.id]: 'analyst' } },
    { ...consumer, organizationId: 100, organizationRole: 'member', roles: { [usProject.id]: 'consumer' } },
  ];
}

/** The two cohorts of the OpenAPI example, without members. */
export function fixtureCohorts(): { projectId: number; cohort: CohortSeed }[] {
  return [
    {
      projectId: FIXTURE.usProject.id,
      cohort: {
        id: 1000,
        name: 'Cohort One',
        description: 'This cohort is visible, has an id = 1000.',
        created: '2019-03-19 23:49:51',
        visible: true,
      },
    },
    {
      projectId: FIXTURE.usProject.id,
      cohort: {
        id: 2000,
        name: 'Cohort Two',
        description: "This cohort isn't visible, has an id = 2000.",
        created: '2019-04-02 23:22:01',
        visible: false,
      },
    },
  ];
}
