/** A response body as JSON, typed loosely: the test's assertions are its type check. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function json(res: Response): Promise<any> {
  return res.json();
}
