/** A request the origin refuses, with the status and message the client gets back. */
export interface HttpProblem {
  status: 400 | 401 | 408 | 413 | 415 | 422 | 503;
  error: string;
  message: string;
}

export const problem = (status: HttpProblem["status"], error: string, message: string): HttpProblem => ({
  status,
  error,
  message,
});
