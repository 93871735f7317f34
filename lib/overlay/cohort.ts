/**
 * Which cohort a "…" click is about, from what the page shows around the clicked button
 * (`event.composedPath()` crosses open shadow roots): an id where the page carries one (an
 * attribute, a link, the address), otherwise the row's or the header's cohort name.
 */
import { deepQueryAll, deepText, isElement, isOwn } from './dom';
import { pathInMenu } from './menu';
import { appFromUrl, cohortIdFromUrl } from './urls';
import type { CohortRef } from '../cohorts';

const ROW_ROLES = new Set(['row', 'listitem', 'treeitem', 'option']);
const ROW_TAGS = new Set(['TR', 'LI']);
const ROW_CLASS = /(?:^|[\s_-])table-row(?:$|\s|__)/i;
const MAX_ANCESTORS = 30;
const NAME_MAX = 10_000;

function numericId(value: string | null | undefined): number | null {
  if (!value || !/^\d{1,15}$/.test(value.trim())) return null;
  const id = Number(value.trim());
  return id > 0 ? id : null;
}

function attributeId(element: Element): number | null {
  return numericId(element.getAttribute('data-cohort-id') ?? element.getAttribute('cohort-id'));
}

function attributeName(element: Element): string | null {
  const name = (element.getAttribute('data-cohort-name') ?? element.getAttribute('cohort-name'))?.trim();
  return name ? name : null;
}

/** A row by role, by tag, or (Panel's `mp-table`, no roles) by a class that says so. */
function isRow(element: Element): boolean {
  const role = element.getAttribute('role');
  if (role) return ROW_ROLES.has(role);
  if (ROW_TAGS.has(element.tagName)) return true;
  return element.tagName === 'DIV' && ROW_CLASS.test(element.getAttribute('class') ?? '');
}

/** The row a click's path goes through, if any (for the page report). */
export function rowOfPath(path: readonly EventTarget[]): Element | null {
  for (const element of path.filter(isElement).slice(0, MAX_ANCESTORS)) {
    if (element.tagName === 'BODY') break;
    if (isRow(element)) return element;
  }
  return null;
}

/** "Cohort ID: 2579880", as the Edit Cohort modal (and maybe a row) shows it. */
const SHOWN_ID = /\bcohort id:?\s*(\d{1,15})\b/i;

function shownId(scope: Element): number | null {
  return numericId(SHOWN_ID.exec(deepText(scope))?.[1]);
}

/** The cell under the column headed "Cohort Name" (or "Name"), in a table of plain `div`s. */
function cellUnderNameHeader(row: Element): Element | null {
  const cells = Array.from(row.children);
  for (let scope = row.parentElement, level = 0; scope && level < 3; scope = scope.parentElement, level += 1) {
    for (const candidate of Array.from(scope.children)) {
      if (candidate === row || candidate.children.length !== cells.length) continue;
      const headers = Array.from(candidate.children).map((cell) => deepText(cell).toLowerCase());
      const named = headers.indexOf('cohort name');
      const index = named >= 0 ? named : headers.indexOf('name');
      if (index >= 0) return cells[index] ?? null;
    }
  }
  return null;
}

function cellName(cell: Element): string | null {
  const named = deepQueryAll(cell, 'a,[class*="name"]', 1)[0];
  const text = (named ? deepText(named) : deepText(cell)).replace(SHOWN_ID, '').trim();
  return text || null;
}

function idFromLinks(scope: Element, base: string): number | null {
  for (const link of deepQueryAll(scope, 'a[href]', 20)) {
    try {
      const id = cohortIdFromUrl(new URL(link.getAttribute('href') ?? '', base));
      if (id) return id;
    } catch {
      // not an address
    }
  }
  for (const element of deepQueryAll(scope, '[data-cohort-id],[cohort-id]', 5)) {
    const id = attributeId(element);
    if (id) return id;
  }
  return null;
}

const isControl = (element: Element) =>
  element.matches('button,[role="button"],input,select,textarea') || element.getAttribute('aria-haspopup') !== null;

/** The row's name cell: the row header, else the first cell with text that is not a control. */
function rowName(row: Element): string | null {
  const header = deepQueryAll(row, '[role="rowheader"],th', 1)[0];
  if (header) return deepText(header) || null;
  const underHeader = cellUnderNameHeader(row);
  if (underHeader) return cellName(underHeader);
  const cells = deepQueryAll(row, '[role="cell"],[role="gridcell"],td');
  for (const cell of cells.length > 0 ? cells : Array.from(row.children)) {
    if (cell.querySelector('input[type="checkbox"]')) continue;
    if (isControl(cell) || deepQueryAll(cell, 'button,[role="button"]', 1).length > 0) continue;
    const text = cellName(cell);
    if (text) return text;
  }
  const link = deepQueryAll(row, 'a[href]', 1)[0];
  return link ? deepText(link) || null : null;
}

function headingName(scope: Element): string | null {
  const heading = deepQueryAll(scope, '[role="heading"],h1,h2,h3', 1)[0];
  return heading ? deepText(heading) || null : null;
}

function finish(id: number | null, name: string | null): CohortRef | null {
  const clean = name?.replace(/\s+/g, ' ').trim().slice(0, NAME_MAX) ?? '';
  if (!clean && id === null) return null;
  return { id, name: clean };
}

/**
 * The cohort a click is about, or null when the click is not on a cohort's row or header, or is
 * inside a menu (items of an open menu are not triggers).
 */
export function cohortFromPath(path: readonly EventTarget[], pageUrl: string): CohortRef | null {
  const elements = path.filter(isElement).slice(0, MAX_ANCESTORS);
  if (pathInMenu(elements) || elements.some((element) => isOwn(element))) return null;

  let id: number | null = null;
  let name: string | null = null;
  for (const element of elements) {
    if (element.tagName === 'BODY' || element.tagName === 'HTML') break;
    id ??= attributeId(element);
    name ??= attributeName(element);
    if (id !== null && name !== null) return finish(id, name);
    if (isRow(element)) {
      id ??= idFromLinks(element, pageUrl) ?? shownId(element);
      name ??= rowName(element);
      return finish(id, name);
    }
  }
  if (id !== null || name !== null) return finish(id ?? cohortIdFromUrl(pageUrl), name);

  // The Users report's cohort builder: the cohort is the page's subject, named by its heading.
  const urlId = cohortIdFromUrl(pageUrl);
  if (urlId === null && appFromUrl(pageUrl) !== 'users') return null;
  for (const element of elements.slice(1, 8)) {
    if (element.tagName === 'BODY') break;
    const heading = headingName(element);
    if (heading) return finish(urlId ?? idFromLinks(element, pageUrl) ?? shownId(element), heading);
  }
  return null;
}
