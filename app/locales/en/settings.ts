import type { settings as zh } from '../zh-CN/settings.ts'

export const settings: Record<keyof typeof zh, string> = {
  'settings.nav': 'Settings',
  'settings.title': 'Settings',
  'settings.intro':
    "The system's configurable defaults, grouped by area. Changes take effect at once and every change is recorded in the audit log.",
  'settings.area.experts': 'Expert pool',
  'settings.area.training': 'Training',
  'settings.area.library': 'Case library',
  'settings.current': 'Current value',
  'settings.default': 'Default',
  'settings.isDefault': '(default)',
  'settings.updatedAt': 'Last changed',
  'settings.newValue': 'New value',
  'settings.save': 'Save',
  'settings.updated': 'The setting has been saved.',
  'settings.readOnly': 'Maintained by the system; it cannot be changed here.',

  'settings.experts.ageLimit': 'Expert age limit',
  'settings.experts.ageLimit.help': 'Admission and renewal warn when an expert has reached this age (for example: under 70). 40 to 100.',
  'settings.experts.renewalWindowDays': 'Renewal notice (days)',
  'settings.experts.renewalWindowDays.help': 'Experts whose term ends within this many days are listed as due for renewal. 1 to 730.',
  'settings.experts.defaultTermYears': 'Default term (years)',
  'settings.experts.defaultTermYears.help': 'Length of a new or renewed term, in years. 1 to 10.',
  'settings.experts.defaultMaxConcurrentCases': 'Default concurrent cases',
  'settings.experts.defaultMaxConcurrentCases.help':
    "Default maximum number of cases an expert works on at once; adjustable on each expert's record. 1 to 20.",
  'settings.experts.photoMaxBytes': 'Largest photo (bytes)',
  'settings.experts.photoMaxBytes.help': 'Largest accepted expert photo, in bytes. 10000 to 10000000.',
  'settings.training.readingFactor': 'Minimum reading time factor',
  'settings.training.readingFactor.help':
    "A module's minimum reading time = its estimated minutes × this factor. 0 to 2, decimals allowed.",
  'settings.experts.poolVersion': 'Expert pool cache version',
  'settings.experts.poolVersion.help':
    "Changes automatically with every change to an expert's profile, conflicts or availability; each server rebuilds its cached pool for matching when it changes.",
  'settings.experts.loadsVersion': 'Expert load version',
  'settings.experts.loadsVersion.help':
    "Changes automatically with every invitation, release or rating; each server re-reads the experts' current loads when it changes.",
  'settings.library.indexVersion': 'Library search index version',
  'settings.library.indexVersion.help':
    'Changes whenever a case is published or withdrawn; each server rebuilds its search index when it sees a new one.',
}
