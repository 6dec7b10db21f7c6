/** The slice of `@plasmohq/storage`'s Storage the background logic uses. */
export interface KeyValueStore {
  get<T = unknown>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<unknown>;
  remove(key: string): Promise<unknown>;
}
