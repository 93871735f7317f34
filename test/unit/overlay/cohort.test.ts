// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { resolveCohort } from '../../../lib/cohorts';
import { cohortFromPath } from '../../../lib/overlay/cohort';
import { FIXTURE_COHORTS } from '../../fixtures/mixpanel/cohorts';
import { BASE, deepAll, openFixture, rowButton, win } from './helpers';

/** The composedPath a click on `target` would have (dispatches a real composed event). */
function pathOf(target: Element): EventTarget[] {
  let path: EventTarget[] = [];
  const record = (event: Event) => (path = event.composedPath());
  document.addEventListener('click', record, { capture: true, once: true });
  target.dispatchEvent(new (win().MouseEvent)('click', { bubbles: true, composed: true }));
  return path;
}

describe('cohortFromPath', () => {
  it('reads the name across shadow roots when the row shows no id', async () => {
    await openFixture(`${BASE}/lexicon#cohorts`);
    expect(cohortFromPath(pathOf(rowButton('Churn risk')), location.href)).toEqual({ id: null, name: 'Churn risk' });
  });

  it('reads the id from the row link', async () => {
    await openFixture(`${BASE}/lexicon#cohorts`);
    expect(cohortFromPath(pathOf(rowButton('مستخدمون نشطون')), location.href)).toEqual({ id: 1004, name: 'مستخدمون نشطون' });
  });

  it('reads the Users report heading and the id in the address', async () => {
    await openFixture(`${BASE}/users#cohort_id=1002`);
    const button = deepAll('button[aria-label="Cohort actions"]')[0]!;
    expect(cohortFromPath(pathOf(button), location.href)).toEqual({ id: 1002, name: '<b>VIP</b> & "friends"' });
  });

  it('ignores clicks on a report and inside menus', async () => {
    await openFixture(`${BASE}/insights`);
    const button = deepAll('mp-icon-button')[0]!.shadowRoot!.querySelector('button')!;
    expect(cohortFromPath(pathOf(button), location.href)).toBeNull();
    const menu = document.createElement('div');
    menu.setAttribute('role', 'menu');
    const item = document.createElement('div');
    item.setAttribute('role', 'menuitem');
    menu.append(item);
    document.body.append(menu);
    expect(cohortFromPath(pathOf(item), `${BASE}/users#cohort_id=1`)).toBeNull();
  });

  it('takes explicit data attributes first', () => {
    const row = document.createElement('div');
    row.dataset.cohortId = '1010';
    row.dataset.cohortName = 'Android 10';
    const button = document.createElement('button');
    row.append(button);
    document.body.append(row);
    expect(cohortFromPath(pathOf(button), `${BASE}/lexicon`)).toEqual({ id: 1010, name: 'Android 10' });
  });
});

describe('resolveCohort', () => {
  const list = FIXTURE_COHORTS;
  it('finds by id', () => {
    expect(resolveCohort({ id: 1004, name: 'whatever' }, list)).toMatchObject({ kind: 'found', cohort: { id: 1004 } });
  });
  it('finds by exact name', () => {
    expect(resolveCohort({ id: null, name: '<b>VIP</b> & "friends"' }, list)).toMatchObject({ kind: 'found', cohort: { id: 1002 } });
  });
  it('asks which when two cohorts share the name', () => {
    const resolution = resolveCohort({ id: null, name: 'Churn risk' }, list);
    expect(resolution.kind).toBe('ambiguous');
    expect(resolution.kind === 'ambiguous' && resolution.candidates.map((c) => c.id)).toEqual([1005, 1006]);
  });
  it('reports a missing cohort, never a near match', () => {
    expect(resolveCohort({ id: null, name: 'churn risk' }, list)).toEqual({ kind: 'missing' });
    expect(resolveCohort({ id: 99, name: 'Power users' }, list)).toEqual({ kind: 'missing' });
  });
});

