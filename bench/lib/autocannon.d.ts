// autocannon ships no types; bench/loadtest.ts uses its programmatic API with its own shapes.
declare module 'autocannon' {
  const autocannon: (options: Record<string, unknown>) => Promise<Record<string, any>>
  export default autocannon
}
