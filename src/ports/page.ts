/** One page of a listing and the total number of matches across all pages. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly total: number;
}
