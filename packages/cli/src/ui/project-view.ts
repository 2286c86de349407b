/**
 * Human renderings of a project (tenant): the table of `projects list` and the fields of the others.
 * @module
 */

import type { Project } from '@herald/contracts';
import type { Colors } from './output.js';
import { when } from './present.js';
import { renderFields, type Column } from './table.js';
import { clean, formatRelative } from './text.js';

const limit = (n: number | null | undefined) => (n === undefined || n === null ? 'default' : String(n));

export function projectColumns(): Column<Project>[] {
  return [
    { header: 'ID', value: (p) => p.id },
    { header: 'NAME', value: (p) => clean(p.name, true), max: 32 },
    { header: 'EVENTS/S', value: (p) => limit(p.limits?.events_per_second) },
    { header: 'MAX WEBHOOKS', value: (p) => limit(p.limits?.max_webhooks) },
    { header: 'SIGNING', value: (p) => p.dynamic_signing },
    { header: 'CREATED', value: (p) => formatRelative(p.create_time) },
  ];
}

export function projectFields(p: Project, c: Colors): string {
  return renderFields(
    [
      ['ID', clean(p.id)],
      ['Name', clean(p.name, true)],
      ['Logo', p.branding?.logo_uri ? clean(p.branding.logo_uri, true) : undefined],
      ['Accent colour', p.branding?.accent_color ? clean(p.branding.accent_color) : undefined],
      ['Events/second', limit(p.limits?.events_per_second)],
      ['Max webhooks', limit(p.limits?.max_webhooks)],
      ['Dynamic signing', p.dynamic_signing],
      ['Dynamic audience', p.dynamic_audience !== undefined ? clean(p.dynamic_audience, true) : undefined],
      ['Created', when(p.create_time, c)],
    ],
    c.dim,
  );
}
