/** What a command returns: the aggregate's id and its version after the change. */
export interface Written {
  readonly id: string;
  readonly version: number;
}
