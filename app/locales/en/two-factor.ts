import type { twoFactor as zh } from '../zh-CN/two-factor.ts'

export const twoFactor: Record<keyof typeof zh, string> = {
  'twoFactor.verify.title': 'Two-step verification',
  'twoFactor.verify.intro': 'Password accepted. Open the authenticator app on your phone and enter the 6-digit code it shows for Tiaojie.',
  'twoFactor.verify.submit': 'Verify and sign in',
  'twoFactor.verify.useRecovery': 'No phone at hand? Sign in with a recovery code',
  'twoFactor.verify.submitRecovery': 'Sign in with recovery code',
  'twoFactor.code': '6-digit code',
  'twoFactor.code.hint': 'The code changes every 30 seconds; each code works once.',
  'twoFactor.recoveryCode': 'Recovery code',
  'twoFactor.recoveryCode.hint':
    'One of the recovery codes you saved when you turned on two-step verification, e.g. abcde-12345. Each works once.',
  'twoFactor.codeOrRecovery': 'Code or recovery code',
  'twoFactor.codeOrRecovery.hint': 'The 6-digit code from your authenticator app, or a recovery code if your phone is not at hand.',
  'twoFactor.startOver': 'Back to sign-in',
  'twoFactor.pendingExpired': 'Your sign-in timed out. Please enter your username and password again.',
  'twoFactor.attemptsUsedUp': 'Too many wrong codes. Please enter your username and password again.',
  'twoFactor.wrongCode': 'That code is wrong or was already used. Enter the newest code your app shows.',
  'twoFactor.wrongRecoveryCode': 'That recovery code is wrong or was already used.',
  'twoFactor.codeFormat': 'Enter the 6-digit code.',
  'twoFactor.codeRequired': 'Two-step verification is on: enter a code or a recovery code as well.',
  'twoFactor.noEnrolment': 'This set-up has expired. Please start again.',
  'twoFactor.recovery.used':
    'You signed in with a recovery code; {left} left. When they run low, make new ones under My account › Two-step verification.',

  'twoFactor.required.title': 'Set up two-step verification',
  'twoFactor.required.intro':
    'Your role requires two-step verification: besides your password, signing in asks for a code from an authenticator app on your phone. Set it up to continue.',
  'twoFactor.enrol.apps':
    'Any authenticator app that supports the TOTP standard works, for example Tencent Authenticator (WeChat mini program), Microsoft Authenticator, Google Authenticator or FreeOTP.',
  'twoFactor.enrol.start': 'Start set-up',
  'twoFactor.enrol.step1': 'Open the authenticator app on your phone and choose to add an account.',
  'twoFactor.enrol.step2': 'Scan the QR code below, or if you cannot, type in the key shown under it (time-based).',
  'twoFactor.enrol.step3': 'Enter the 6-digit code the app shows to finish.',
  'twoFactor.enrol.qrAlt': 'QR code to add this account to an authenticator app',
  'twoFactor.enrol.manual': 'Key for typing in by hand:',
  'twoFactor.enrol.confirm': 'Confirm and turn on',
  'twoFactor.enrol.done': 'Two-step verification is on.',
  'twoFactor.enrol.continue': 'Continue',

  'twoFactor.recovery.title': 'Save your recovery codes',
  'twoFactor.recovery.once':
    'If your phone is lost or broken, sign in with one of these codes instead of a code from the app; each works once. They are shown only now: write them down or print them and keep them safe.',

  'twoFactor.account.title': 'Two-step verification',
  'twoFactor.account.status': 'Status',
  'twoFactor.account.on': 'On (since {since})',
  'twoFactor.account.off': 'Off',
  'twoFactor.account.codesLeft': '{count} unused recovery code(s) left.',
  'twoFactor.account.required':
    'Your role requires two-step verification, so it cannot be turned off; use "Replace authenticator" when you change phones.',
  'twoFactor.account.optional': 'Your role does not require two-step verification, but it protects your account if your password leaks.',
  'twoFactor.account.enable': 'Turn on two-step verification',
  'twoFactor.account.replace': 'Replace authenticator',
  'twoFactor.account.actions': 'Manage two-step verification',
  'twoFactor.account.regenerate': 'Make new recovery codes',
  'twoFactor.account.remove': 'Turn off two-step verification',
  'twoFactor.account.manage': 'Manage two-step verification',

  'twoFactor.reauth.title': 'Confirm it is you',
  'twoFactor.reauth.intro':
    'Before changing two-step verification, enter your password again (and a code, if two-step verification is on). The confirmation lasts {minutes} minutes.',
  'twoFactor.reauth.submit': 'Confirm',
  'twoFactor.reauth.expired': 'Your confirmation has expired. Please confirm it is you again.',
  'twoFactor.remove.required': 'Your role requires two-step verification; it cannot be turned off.',
  'twoFactor.remove.done': 'Two-step verification is off and the recovery codes no longer work.',

  'twoFactor.admin.reset': 'Reset two-step verification',
  'twoFactor.admin.none': 'This user has no two-step verification.',
  'twoFactor.admin.resetDone':
    "Two-step verification was reset and all of the user's sessions ended; if their role requires it they set it up again at their next sign-in.",

  'twoFactor.settings.unknownRole': 'Contains an unknown role name.',
  'settings.area.twoFactor': 'Two-step verification',
  'settings.twoFactor.requiredRoles': 'Roles that must use two-step verification',
  'settings.twoFactor.requiredRoles.help':
    'Role codes separated by commas: admin, security_admin, auditor, bureau_staff, association_admin, org_manager, mediator, expert, reviewer. Empty means nobody is required. Default admin,bureau_staff,association_admin. Takes effect at the next sign-in.',
  'settings.twoFactor.reauthMinutes': 'Confirmation lasts (minutes)',
  'settings.twoFactor.reauthMinutes.help':
    'After confirming their identity before a password or two-step change, users are not asked again for this long. 1 to 60.',

  'audit.action.auth.two_factor.enrol': 'Two-step verification turned on',
  'audit.action.auth.two_factor.enrol_required': 'Two-step set-up required',
  'audit.action.auth.two_factor.verify': 'Two-step verification failed',
  'audit.action.auth.two_factor.recovery_used': 'Recovery code used',
  'audit.action.auth.two_factor.recovery_regenerated': 'Recovery codes regenerated',
  'audit.action.auth.two_factor.remove': 'Two-step verification turned off',
  'audit.action.auth.two_factor.reset': 'Two-step verification reset by administrator',
  'audit.action.auth.reauthenticate': 'Identity confirmed',
} as const
