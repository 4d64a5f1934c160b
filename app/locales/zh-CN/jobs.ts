// Background jobs with progress and cancel: large exports, imports (issue 9, item 5).
export const jobs = {} as const
