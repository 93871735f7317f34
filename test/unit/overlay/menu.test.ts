// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { cohortFromPath } from '../../../lib/overlay/cohort';
import { insertCleverTapItem, insertFlatExportItem } from '../../../lib/overlay/item';
import {
  findExportToItem,
  flatExportItems,
  isExportSubmenu,
  itemLabel,
  looksLikeCohortMenu,
  looksLikeExportPanel,
  menuItems,
  pathInMenu,
} from '../../../lib/overlay/menu';
import { buildPageReport, structureOf } from '../../../lib/overlay/page-report';

/** `ul.screen-options-list > div > li.list-option[aria-label]`, as Panel's mp-items-menu renders it. */
function panelList(labels: string[], classes: Record<string, string> = {}): HTMLUListElement {
  const list = document.createElement('ul');
  list.className = 'screen-options-list';
  for (const label of labels) {
    const wrap = document.createElement('div');
    const li = document.createElement('li');
    li.className = `list-option selectable ${classes[label] ?? ''}`.trim();
    li.setAttribute('aria-label', label);
    li.innerHTML = `<div class="option-label-section"><div><div><span class="label"></span></div></div></div>`;
    li.querySelector('span')!.textContent = label;
    wrap.append(li);
    list.append(wrap);
  }
  document.body.append(list);
  return list;
}

const COHORT = ['View Users', 'Visualize Trend', 'Refresh Count', 'Export to...', 'Duplicate', 'Delete', 'Share'];

describe('menus by structure and labels', () => {
  it('reads a Panel list with no roles: items, labels from aria-label, the native "Export to..."', () => {
    const list = panelList(COHORT);
    expect(menuItems(list).map(itemLabel)).toEqual(COHORT);
    expect(looksLikeCohortMenu(list)).toBe(true);
    expect(itemLabel(findExportToItem(list)!)).toBe('Export to...');
  });

  it('never takes a report’s or a board’s menu for a cohort’s', () => {
    expect(looksLikeCohortMenu(panelList(['Save', 'Save as new', 'Duplicate', 'Export to CSV', 'Refresh Data', 'Share', 'Delete']))).toBe(false);
    expect(looksLikeCohortMenu(panelList(['Report', 'Text card', 'Filter', 'Breakdown']))).toBe(false);
    expect(looksLikeCohortMenu(panelList(['Voir les utilisateurs', 'Supprimer']))).toBe(false);
  });

  it('knows the flat "Export to Braze" style, and not "Export to CSV"', () => {
    const list = panelList(['View users', 'Duplicate', 'Refresh', 'Export to Marketo', 'Export to Braze']);
    expect(looksLikeCohortMenu(list)).toBe(true);
    expect(flatExportItems(list).map(itemLabel)).toEqual(['Export to Marketo', 'Export to Braze']);
    expect(findExportToItem(list)).toBeNull();
    const { item } = insertFlatExportItem(list);
    expect(menuItems(list).map(itemLabel).slice(-2)).toEqual(['Export to Braze', 'Export to CleverTap (Cohort Sync)']);
    expect(item.getAttribute('tabindex')).toBe('0');
    expect(insertFlatExportItem(list).added).toBe(false);
  });

  it('recognises the Export panel by its "Partner (Connection)" entries, linked by nothing', () => {
    const menu = panelList(COHORT);
    const panel = panelList(['Braze (Default)', 'CleverTap (Default)', 'Segment (test_segment)']);
    expect(looksLikeExportPanel(panel)).toBe(true);
    expect(isExportSubmenu(panel, findExportToItem(menu))).toBe(true);
    expect(isExportSubmenu(panel, null)).toBe(false);
    expect(looksLikeExportPanel(menu)).toBe(false);
    expect(looksLikeExportPanel(panelList(['Braze External ID Test #2', 'Delete']))).toBe(false);
  });

  it('clones a native item without its state, after Mixpanel’s own CleverTap', () => {
    const panel = panelList(['Braze (Default)', 'CleverTap (Default)', 'Segment (test_segment)'], { 'Braze (Default)': 'focused selected' });
    const { item } = insertCleverTapItem(panel);
    expect(menuItems(panel).map(itemLabel)).toEqual(['Braze (Default)', 'CleverTap (Default)', 'CleverTap (Cohort Sync)', 'Segment (test_segment)']);
    expect(item.className).toBe('list-option selectable');
    expect(item.textContent).toBe('CleverTap (Cohort Sync)');
    expect(insertCleverTapItem(panel).added).toBe(false);
  });

  it('treats a click inside Panel’s menu hosts as in a menu, never as a cohort row', () => {
    const host = document.createElement('mp-items-menu-xzmlyo');
    const li = document.createElement('li');
    const link = document.createElement('a');
    link.href = '/project/1/app/users#cohort_id=5';
    li.append(link);
    host.append(li);
    document.body.append(host);
    const path = [link, li, host, document.body, document.documentElement, document];
    expect(pathInMenu(path)).toBe(true);
    expect(cohortFromPath(path, 'https://mixpanel.com/project/1/app/lexicon')).toBeNull();
  });
});

describe('rows without roles (mp-table)', () => {
  function table(): HTMLElement {
    const root = document.createElement('div');
    root.className = 'mp-table';
    root.innerHTML = `
      <div class="mp-table-header-row"><div></div><div>Cohort Name</div><div>Count</div><div>Description</div><div></div></div>
      <div class="mp-table-row"><div><input type="checkbox"></div><div class="cell-cohort-name"><a>Braze External ID Test #2</a></div><div>12</div><div>x <span>Cohort ID: 1007</span></div><div><button id="a">…</button></div></div>
      <div class="mp-table-row"><div><input type="checkbox"></div><div class="cell-cohort-name"><a>&lt;b&gt;VIP&lt;/b&gt;</a></div><div>3</div><div></div><div><button id="b">…</button></div></div>`;
    document.body.replaceChildren(root);
    return root;
  }
  const pathOf = (element: Element) => {
    const path: EventTarget[] = [];
    for (let node: Node | null = element; node; node = node.parentNode) path.push(node);
    return path;
  };

  it('finds the name under "Cohort Name" and the id where the row shows "Cohort ID: N"', () => {
    const root = table();
    const url = 'https://mixpanel.com/project/1/view/2/app/lexicon#cohorts';
    expect(cohortFromPath(pathOf(root.querySelector('#a')!), url)).toEqual({ id: 1007, name: 'Braze External ID Test #2' });
    expect(cohortFromPath(pathOf(root.querySelector('#b')!), url)).toEqual({ id: null, name: '<b>VIP</b>' });
  });
});

describe('the page report', () => {
  it('holds structure only: tags, classes, roles, aria-labels, shadow roots; no text, no links', () => {
    const host = document.createElement('mp-select');
    host.className = 'is-open';
    const root = host.attachShadow({ mode: 'open' });
    const list = document.createElement('ul');
    list.innerHTML = '<li class="list-option" aria-label="Voir"><a href="/project/1/app/users#distinct_id=alice@example.com">alice@example.com</a></li>';
    root.append(list);
    document.body.replaceChildren(host);
    const text = structureOf(host);
    expect(text).toContain('mp-select.is-open');
    expect(text).toContain('#shadow-root (open)');
    expect(text).toContain('li.list-option[aria-label="Voir"]');
    expect(text).not.toContain('alice');
    const report = buildPageReport({ url: 'https://mixpanel.com/project/1/app/lexicon?x=1#cohorts', missed: true, trigger: host, row: null, menus: [list] });
    expect(report.page).toBe('https://mixpanel.com/project/1/app/lexicon');
    expect(report.text).toContain('Item placed: no');
    expect(report.text).not.toContain('alice');
  });
});
