// Retention of dispute parties' personal data (issue 11, security checklist item 28).
export const retention = {
  'settings.area.retention': 'Party data retention',
  'retention.settings.partyDataMonths': "Parties' personal data kept for (months)",
  'retention.settings.partyDataMonths.help':
    'This many months after a difficult case is closed (or archived, when it has no closing time), the names and ID numbers of the parties who are persons are removed automatically; the case record and statistics stay. At least 6 months; default 36 (the three-year limitation period for civil claims).',
  'retention.nav': 'Party data retention',
  'retention.title': "Retention of parties' personal data",
  'retention.intro':
    'Under Articles 19 and 47 of the Personal Information Protection Law, parties\' personal data is kept only as long as its purpose requires. Once a closed case has reached the retention period, the daily job replaces the names of parties who are persons with labels such as "当事人1" (Party 1) and removes their ID numbers (encrypted value, lookup hash and masked form); organisation parties, the case record and statistics stay. Free text such as the summary or expert opinions is not rewritten: do not put parties\' identifying details there.',
  'retention.setting': 'Retention period',
  'retention.setting.value': '{months} months after closing',
  'retention.setting.edit': 'Change it in the settings',
  'retention.due.title': 'Due now',
  'retention.due.summary':
    'Among cases closed before {cutoff}, {cases} cases with {persons} parties who are persons still hold personal data to remove.',
  'retention.purge.title': 'Purge now',
  'retention.purge.help':
    'The job runs once a day by itself. Purging now handles only cases already due; running it again does not process a case twice. Every run is recorded in the audit log.',
  'retention.purge.submit': 'Purge due party data now',
  'retention.purge.done': 'Purge finished: the personal data of {persons} parties in {cases} cases was removed.',
  'retention.purge.nothing': 'No case was due; nothing changed.',
  'retention.purge.alreadyRan':
    'A purge finished after you opened this page; see the runs below. Submit again if another run is still needed.',
  'retention.runs.title': 'Latest runs',
  'retention.runs.empty': 'No runs yet.',
  'retention.runs.at': 'Finished',
  'retention.runs.trigger': 'How',
  'retention.runs.by': 'By',
  'retention.runs.cutoff': 'Closed before',
  'retention.runs.cases': 'Cases',
  'retention.runs.persons': 'Parties',
  'retention.runs.result': 'Result',
  'retention.trigger.schedule': 'Daily job',
  'retention.trigger.admin': 'Administrator',
  'retention.trigger.cli': 'Command line',
  'retention.trigger.unknown': 'Unknown',
  'retention.result.ok': 'Succeeded',
  'retention.result.failed': 'Failed part-way (completed cases stay purged)',
  'retention.result.denied': 'Refused',
  'retention.system': 'System',
  'retention.caseNote':
    'This case reached the end of its retention period: the names and ID numbers of the parties who are persons were removed on {at} and replaced by labels ("当事人N", Party N); organisation parties keep their names.',
} as const
