import { apiError } from '#app/modules/api/respond.server.ts'

/** Unknown paths under /api/v1 answer with the API's error object, not the HTML 404 page. */
const notFound = () => apiError(404, 'not_found', 'No such API path; see /api/v1/openapi.json.')

export const loader = notFound
export const action = notFound
